"""Values are checked when they are built (issue 14).

Whatever a constructor accepts, every export writes and from_json reads back
equal; whatever it refuses is a CarePlanError naming the field, without
quoting the text that may identify a client; reprs show shape, never text.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
import careplan.census
import careplan.safety
from careplan import (
    Attendance,
    Authorization,
    CarePlan,
    CareTeamMember,
    Client,
    Closure,
    Goal,
    Hold,
    Modality,
    Referral,
    Reschedule,
    Session,
    SessionKind,
    TreatmentTrack,
    WeeklySchedule,
)
from careplan.demo import sample_plan, sample_plan_of_care, working_parent
from careplan.fhir import to_fhir
from careplan.programs import sample_iop
from careplan.testing import attendance_records, care_plans, texts

DAY = pendulum.date(2027, 1, 11)
SECRET = "Alex Rivera-Secret"


# --- collections check their elements -------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("goals", ["be well"], "CarePlan.goals[0]"),
        ("care_team", ["Dr X"], "CarePlan.care_team[0]"),
        ("cancellations", [DAY], "CarePlan.cancellations[0]"),
        ("transitions", [None], "CarePlan.transitions[0]"),
        ("attendance", "attended", "CarePlan.attendance"),
        ("holds", 3, "CarePlan.holds"),
        ("diagnoses", "F33.1", "CarePlan.diagnoses"),
        ("diagnoses", [331], "CarePlan.diagnoses[0]"),
        ("tracks", ["not a code"], "CarePlan.tracks[0]"),
        ("closures", [dt.datetime(2027, 1, 11, 9)], "CarePlan.closures[0]"),
        ("schedule", "weekly", "CarePlan.schedule"),
        ("client", "Alex", "CarePlan.client"),
        ("continuum", "DEFAULT", "CarePlan.continuum"),
        ("relapse_prevention", ["triggers"], "CarePlan.relapse_prevention"),
        ("id", None, "CarePlan.id"),
        ("readmission_of", "", "CarePlan.readmission_of"),
    ],
)
def test_a_plan_refuses_wrong_elements_naming_the_field(field, value, where):
    with pytest.raises(cp.InvalidValueError) as info:
        attrs.evolve(sample_plan(), **{field: value})
    assert info.value.field == where
    assert info.value.hint, "every refusal says how to fix it"


def test_obvious_conversions_are_made():
    plan = attrs.evolve(sample_plan(), closures=[DAY], tracks=["cbt", "art_studio"])
    assert plan.closures == (Closure(DAY),)
    assert plan.tracks[0] is TreatmentTrack.CBT
    assert plan.tracks[1] == TreatmentTrack("art_studio")
    assert plan.with_closures(DAY.add(days=1)).closures[-1] == Closure(DAY.add(days=1))
    assert Session("monday", "09:00", 60, "check_in", track="dbt").track is TreatmentTrack.DBT
    assert cp.RequiredComponent("psychiatric").kind is SessionKind.PSYCHIATRIC


def test_change_schedule_refuses_what_is_not_a_schedule():
    with pytest.raises(cp.InvalidValueError, match=r"CarePlan\.schedule"):
        cp.change_schedule(sample_plan(), on=DAY, schedule="weekly")


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Client(123), "Client.id"),
        (lambda: Client(""), "Client.id"),
        (lambda: Goal(None, None), "Goal.description"),
        (lambda: Goal(None, " "), "Goal.description"),
        (lambda: Attendance("mon-0900-check_in", DAY, note=None), "Attendance.note"),
        (lambda: Attendance("mon-0900-check_in", DAY, "late", 2000), "Attendance.minutes"),
        (lambda: Modality.in_person(42), "Modality.location"),
        (lambda: CareTeamMember("Dr X", None), "CareTeamMember.role"),
        (lambda: Session("monday", "09:00", 60, "check_in", id=None), "Session.id"),
        (
            lambda: Session("monday", "09:00", 60, "check_in", every_weeks=2**31),
            "Session.every_weeks",
        ),
        (lambda: Session("monday", "09:00", 10**40, "check_in"), "Session.duration"),
        (
            lambda: Session("monday", "09:00", 60, "check_in", modality="virtual"),
            "Session.modality",
        ),
        (lambda: Authorization("IOP", DAY, DAY, 10**6), "Authorization.units"),
        (
            lambda: Reschedule("s", DAY, pendulum.datetime(2027, 1, 12, tz="UTC"), 1441),
            "Reschedule.duration",
        ),
        (lambda: Closure(pendulum.date(1, 1, 1)), "Closure.on"),
        (lambda: Hold(DAY, DAY, None), "Hold.reason"),
        (lambda: Referral("OP", 5), "Referral.provider"),
        (lambda: cp.LevelOfCare("X", "X", 10**40), "LevelOfCare.rank"),
        (lambda: cp.LevelOfCare("X", "X", 1, overnight="yes"), "LevelOfCare.overnight"),
        (
            lambda: cp.LevelOfCare("X", "X", 1, step_down_grace_weeks=53),
            "LevelOfCare.step_down_grace_weeks",
        ),
        (lambda: cp.Range(0, 10**7), "Range.max"),
        (lambda: cp.Intensity(days_per_week=(3, 5)), "Intensity.days_per_week"),
        (
            lambda: cp.Continuum("C", [cp.DEFAULT["OP"]], step_down_targets=[("OP", None)]),
            "Continuum.step_down_targets",
        ),
        (lambda: cp.AgendaItem("09:00", 10**9, "check_in"), "AgendaItem.duration_minutes"),
        (
            lambda: cp.LifeConstraints(preferred_day_parts=["night"]),
            "LifeConstraints.preferred_day_parts[0]",
        ),
        (lambda: cp.BusyBlock(None, ["monday"], "09:00", "10:00"), "BusyBlock.label"),
        (lambda: cp.Violation("x", "fatal", "m"), "Violation.severity"),
        (
            lambda: cp.CompliancePolicy(absence_window_weeks=10**6),
            "CompliancePolicy.absence_window_weeks",
        ),
        (lambda: careplan.safety.SafetyPolicy(contact_days=0), "SafetyPolicy.contact_days"),
        (lambda: careplan.safety.SafetyPolicy(rescreen_days=0), "SafetyPolicy.rescreen_days"),
        (lambda: careplan.safety.SafetyPolicy(while_high="always"), "SafetyPolicy.while_high"),
        (lambda: cp.Tier("x", 0), "Tier.min_services"),
        (lambda: cp.ServiceCode(["x"], hcpcs="G04 10"), "ServiceCode.hcpcs"),
        (
            lambda: cp.LevelRules(["IOP"], ["x"], type_of_bill=131),
            "LevelRules.type_of_bill",
        ),
        (lambda: cp.LevelRules(["IOP"], ["x"], min_minutes=-1), "LevelRules.min_minutes"),
        (
            lambda: careplan.safety.SafetyPlan(DAY, coping_strategies=["walk", "\x00"]),
            "SafetyPlan.coping_strategies[1]",
        ),
        (lambda: careplan.safety.SafetyPlan(DAY, professionals="988"), "SafetyPlan.professionals"),
    ],
)
def test_scalars_are_checked(build, field):
    with pytest.raises(cp.InvalidValueError) as info:
        build()
    assert info.value.field == field


def test_fields_are_checked_by_converters_and_post_init_only():
    # One field-check system (see careplan._model.checks): no attrs validators.
    modules = (cp, careplan.safety, careplan.census)
    classes = {
        value
        for module in modules
        for value in map(module.__dict__.get, module.__all__)
        if isinstance(value, type) and attrs.has(value)
    }
    assert careplan.safety.SafetyPolicy in classes
    assert careplan.census.Room in classes
    with_validators = {
        f"{cls.__name__}.{field.name}"
        for cls in classes
        for field in attrs.fields(cls)
        if field.validator is not None
    }
    assert with_validators == set()


def test_a_huge_number_is_refused_without_printing_it():
    with pytest.raises(cp.InvalidValueError) as info:
        Session("monday", "09:00", 60, "check_in", every_weeks=10**5000)
    assert len(str(info.value)) < 300


# --- a level is a level or its code, everywhere ------------------------------


def test_a_level_code_is_taken_wherever_a_level_is():
    plan = sample_plan()
    by_code = CarePlan(plan.client, "IOP", plan.schedule, plan.start, plan.end)
    assert by_code.level is cp.DEFAULT["IOP"]
    assert attrs.evolve(plan, level="IOP") == plan
    on_asam = CarePlan(plan.client, "2.1", plan.schedule, plan.start, plan.end, continuum=cp.ASAM_4)
    assert on_asam.level is cp.ASAM_4["2.1"]
    with pytest.raises(cp.UnknownLevelError):
        CarePlan(plan.client, "ICU", plan.schedule, plan.start, plan.end)
    with pytest.raises(cp.InvalidValueError, match=r"CarePlan\.level"):
        CarePlan(plan.client, 2, plan.schedule, plan.start, plan.end)
    from careplan.programs import sample_iop

    program = sample_iop()
    assert cp.plan_week(program, "IOP", cp.LifeConstraints()) == cp.plan_week(
        program, cp.DEFAULT["IOP"], cp.LifeConstraints()
    )
    assert cp.feasible(plan.schedule, "IOP", cp.LifeConstraints())
    with pytest.raises(cp.InvalidValueError, match=r"CarePlan\.authorizations"):
        attrs.evolve(plan, authorizations=[Authorization("2.1", plan.start, plan.end, 5)])


# --- text at the edge -------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        "bell\x07",
        "esc\x1b[31m",
        "nul\x00",
        "del\x7f",
        "nel\x85",
        "ls\u2028",
        "ps\u2029",
        "lone\ud800",
        "cr\r",
        "tab\t",
        "line\nfeed",
    ],
)
def test_single_line_text_refuses_control_characters_and_separators(bad):
    with pytest.raises(cp.InvalidValueError) as info:
        Client("c", SECRET + bad)
    assert info.value.field == "Client.name"
    assert SECRET not in str(info.value)
    assert "U+" in info.value.problem


def test_multiline_text_allows_tabs_and_line_feeds_only():
    note = "first line\n\tindented"
    assert Attendance("s", DAY, note=note).note == note
    assert Goal(None, "a\nb", "PHQ-9\tbelow 10").measure == "PHQ-9\tbelow 10"
    for bad in ("\r\n", "\u2028", "\x0c"):
        with pytest.raises(cp.InvalidValueError, match=r"Attendance\.note"):
            Attendance("s", DAY, note="x" + bad)
    with pytest.raises(cp.InvalidValueError, match="longer than"):
        Goal(None, "x" * 10_001)


@pytest.mark.parametrize(
    "url",
    [
        "https://meet.example.org/iop",
        "http://10.0.0.1:8080/room?id=3&x=%20y",
        "HTTPS://Video.Example.org",
    ],
)
def test_good_join_links(url):
    assert Modality.virtual(url).join_url == url


@pytest.mark.parametrize(
    "url",
    [
        "zoom:123",
        "meet.example.org/iop",
        "https://",
        "ftp://files.example.org",
        "https://meet.example.org/a b",
        "https://meet.example.org/\r\nX-EVIL:1",
        "https://exämple.org",
        "https://example.org:99999",
        "https://[::1",
        "javascript:alert(1)",
        "",
    ],
)
def test_bad_join_links_are_refused_without_quoting_them(url):
    with pytest.raises(cp.InvalidValueError) as info:
        Modality.virtual(url)
    assert info.value.field == "Modality.join_url"
    assert str(info.value).startswith("Modality.join_url: <text of")


def test_the_longest_cadence_exports_everywhere():
    week = WeeklySchedule("UTC", [Session("monday", "09:00", 60, "check_in", every_weeks=52)])
    plan = CarePlan(Client("c"), "OP", week, DAY, DAY.add(years=3))
    assert b"INTERVAL=52" in cp.to_ical(plan)
    assert cp.from_json(cp.to_json(plan)) == plan


# --- vocabularies -------------------------------------------------------------


def _with_kind(kind):
    plan = sample_plan()
    extra = Session("saturday", "10:00", 60, kind, modality=Modality.in_person("Room 1"))
    return attrs.evolve(plan, schedule=plan.schedule.with_session(extra))


def test_a_misspelt_kind_is_a_warning_with_a_stable_code():
    plan = _with_kind("group_therpy")
    (found,) = [v for v in cp.validate(plan).violations if v.code == "vocabulary.undeclared"]
    assert found.severity == "warning"
    assert "'group_therapy'" in found.message
    assert found.session_ids == ("sat-1000-group_therpy",)
    declared = _with_kind(SessionKind("group_therpy", "Group therapy (pilot)"))
    assert "vocabulary.undeclared" not in cp.validate(declared).codes
    assert "vocabulary.undeclared" not in cp.validate(sample_plan()).codes
    tracked = attrs.evolve(sample_plan(), tracks=["cbtt"])
    assert "vocabulary.undeclared" in cp.validate(tracked).codes


def test_a_declared_label_survives_the_document_even_when_it_reads_like_the_code():
    plan = _with_kind(SessionKind("art_therapy", "Art therapy"))
    again = cp.from_json(cp.to_json(plan))
    assert again.schedule.session("sat-1000-art_therapy").kind.declared
    assert cp.plan_to_data(again) == cp.plan_to_data(plan)
    undeclared = cp.from_json(cp.to_json(_with_kind("art_therapy")))
    assert not undeclared.schedule.session("sat-1000-art_therapy").kind.declared


def test_one_code_has_one_label_in_a_plan():
    plan = _with_kind(SessionKind("art", "Art studio"))
    other = Session("sunday", "10:00", 60, SessionKind("art", "Art room"))
    with pytest.raises(cp.InvalidValueError, match="second label") as info:
        attrs.evolve(plan, schedule=plan.schedule.with_session(other))
    assert "CarePlan session kind 'art'" in info.value.field
    # A use without a label has the code's words as its label: a second one.
    bare = Session("sunday", "10:00", 60, "art")
    with pytest.raises(cp.InvalidValueError, match="second label"):
        attrs.evolve(plan, schedule=plan.schedule.with_session(bare))
    # A built-in code without a label is the built-in kind.
    assert SessionKind("psychiatric").label == SessionKind.PSYCHIATRIC.label
    assert SessionKind("psychiatric").declared
    with pytest.raises(cp.InvalidValueError, match="second label"):
        attrs.evolve(
            sample_plan(),
            tracks=[TreatmentTrack("cbt", "Cognitive therapy")],
            schedule=WeeklySchedule(
                "UTC", [Session("monday", "09:00", 60, "check_in", track="cbt")]
            ),
        )


# --- nothing identifying in reprs and errors ---------------------------------


def _secret_plan() -> CarePlan:
    plan = sample_plan()
    session = Session(
        "saturday",
        "10:00",
        60,
        "check_in",
        modality=Modality.virtual("https://meet.example.org/Alex-Rivera"),
        title=SECRET,
    )
    plan = attrs.evolve(
        plan,
        client=Client(SECRET, SECRET),
        goals=[Goal(None, SECRET, SECRET)],
        diagnoses=[SECRET],
        care_team=[CareTeamMember(SECRET, SECRET)],
        relapse_prevention=cp.RelapsePreventionPlan([SECRET], [SECRET], [SECRET], [SECRET]),
        schedule=plan.schedule.with_session(session),
        closures=[Closure(DAY, SECRET)],
        holds=[Hold(DAY.add(days=30), DAY.add(days=31), SECRET)],
        authorizations=[
            Authorization("IOP", DAY, DAY.add(days=30), 20, payer=SECRET, reference=SECRET)
        ],
    )
    plan = plan.cancel("mon-0930-group_therapy", DAY, SECRET)
    plan = plan.record_attendance("mon-0900-check_in", DAY.subtract(days=7), note=SECRET)
    return cp.discharge(plan, on=DAY.add(days=40), note=SECRET, referral=Referral("OP", SECRET))


def _all_values(plan):
    yield plan
    yield plan.client
    yield from plan.goals
    yield from plan.care_team
    yield plan.relapse_prevention
    yield plan.schedule
    yield from plan.schedule.sessions
    yield from (s.modality for s in plan.schedule.sessions)
    yield from plan.closures
    yield from plan.cancellations
    yield from plan.reschedules
    yield from plan.holds
    yield from plan.transitions
    yield from plan.attendance
    yield from plan.authorizations
    yield from plan.episodes


def test_no_repr_shows_identifying_text():
    plan = _secret_plan()
    for value in _all_values(plan):
        assert "Rivera" not in repr(value), type(value).__name__
        assert "Rivera" not in str(value), type(value).__name__
    shape = repr(plan)
    assert "level='IOP'" in shape
    assert "period='2027-01-04..2027-02-20'" in shape
    assert len(shape) < 400


def test_the_summary_is_public_and_leaves_the_client_out():
    plan = attrs.evolve(
        sample_plan(), client=Client("MRN-77", "Jo Doe"), goals=[Goal(None, "Sleep well")]
    )
    text = cp.summary(plan, cp.validate(plan))
    assert text.startswith("Care plan demo-plan-0001: Intensive Outpatient Program (IOP)")
    assert "Validation: valid" in text
    for private in ("MRN-77", "Jo Doe", "Sleep well"):
        assert private not in text


def test_errors_do_not_quote_identifying_text():
    plan = _secret_plan()
    problems = [
        lambda: attrs.evolve(plan, goals=[SECRET]),
        lambda: attrs.evolve(plan, care_team=[SECRET]),
        lambda: Client(SECRET + "\x00"),
        lambda: Goal(None, SECRET + "\u2028"),
        lambda: Modality.virtual(f"https://{SECRET} .example.org"),
        lambda: cp.from_json(
            cp.to_json(plan).replace("Alex Rivera-Secret", "Alex Rivera-Secret\\u0007")
        ),
        lambda: cp.from_json(
            json.dumps({**cp.plan_to_data(plan), "client": {"id": "c", "name": [SECRET]}})
        ),
    ]
    for problem in problems:
        with pytest.raises(cp.CarePlanError) as info:
            problem()
        assert "Rivera" not in str(info.value)


# Fields of the document that may identify someone, by their place.
_PRIVATE = re.compile(
    r"^(client\.(id|name)|goals\[\d+\]\.(description|measure)|diagnoses\[\d+\]"
    r"|care_team\[\d+\]\.(name|role)|relapse_prevention\.\w+\[\d+\]"
    r"|(transitions\[\d+\]\.previous_schedule\.)?sessions\[\d+\]\.(title|location|join_url)"
    r"|transitions\[\d+\]\.(note|referral\.provider)|attendance\[\d+\]\.note"
    r"|(closures|cancellations|reschedules|holds)\[\d+\]\.reason"
    r"|authorizations\[\d+\]\.(payer|reference))$"
)


def _replace_private(value, path=""):
    if isinstance(value, dict):
        return {k: _replace_private(v, f"{path}.{k}" if path else k) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_private(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str) and value and _PRIVATE.match(path):
        # Reprs tell an empty field from a filled one, nothing more.
        return "https://other.example.org/" if path.endswith("join_url") else "other text"
    return value


@settings(max_examples=60, deadline=None)
@given(care_plans().flatmap(attendance_records))
def test_reprs_do_not_depend_on_identifying_text(plan):
    # Replacing every identifying text of a generated plan changes no repr.
    other = cp.plan_from_data(_replace_private(cp.plan_to_data(plan)), max_years=100)
    for mine, theirs in zip(_all_values(plan), _all_values(other), strict=True):
        assert repr(mine) == repr(theirs)


# --- the round trip -----------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(care_plans(max_weeks=30).flatmap(attendance_records))
def test_whatever_is_built_is_read_back_equal(plan):
    text = cp.to_json(plan)
    again = cp.from_json(text, max_years=100)
    assert again == plan
    # Labels, text and instants too, which equality does not all compare.
    assert cp.plan_to_data(again) == cp.plan_to_data(plan)
    assert cp.to_json(again) == text


@given(texts(multiline=True, blank=True))
def test_every_text_a_note_takes_is_written_and_read_back(note):
    plan = sample_plan().record_attendance(
        "mon-0900-check_in", pendulum.date(2027, 1, 4), note=note
    )
    assert cp.from_json(cp.to_json(plan)).attendance[0].note == note
    assert to_fhir(plan)  # and FHIR takes it


# --- fuzzing every public constructor ----------------------------------------

_WEEK = WeeklySchedule("UTC", [Session("monday", "09:00", 60, "check_in", id="s")])
_START = pendulum.datetime(2027, 1, 12, 10, tz="UTC")
_CONSTRUCTORS = {
    cp.SessionKind: {"code": "art", "label": "Art"},
    cp.TreatmentTrack: {"code": "art", "label": "Art"},
    cp.Range: {"min": 1, "max": 2, "upper": "inclusive"},
    cp.Intensity: {
        "days_per_week": cp.Range(),
        "hours_per_day": cp.Range(),
        "hours_per_week": cp.Range(),
    },
    cp.RequiredComponent: {"kind": SessionKind.CHECK_IN, "every_weeks": 1, "severity": "error"},
    cp.LevelOfCare: {
        "code": "X",
        "name": "X",
        "rank": 1,
        "intensity": cp.Intensity(),
        "overnight": False,
        "best_for": ["x"],
        "required": [],
        "step_down_grace_weeks": 0,
    },
    cp.Continuum: {
        "name": "C",
        "levels": [cp.DEFAULT["OP"], cp.DEFAULT["IOP"]],
        "step_down_targets": {"IOP": "OP"},
        "step_up_targets": {},
    },
    cp.Modality: {"kind": "virtual", "location": None, "join_url": "https://x.example.org"},
    cp.Session: {
        "weekday": "monday",
        "start": "09:00",
        "duration": 60,
        "kind": "check_in",
        "track": None,
        "modality": Modality(),
        "title": "t",
        "every_weeks": 1,
        "id": "s",
    },
    cp.WeeklySchedule: {"timezone": "UTC", "sessions": []},
    cp.Closure: {"on": DAY, "reason": ""},
    cp.Hold: {"start": DAY, "end": DAY, "reason": ""},
    cp.Cancellation: {"session_id": "s", "on": DAY, "reason": ""},
    cp.Reschedule: {"session_id": "s", "on": DAY, "start": _START, "duration": None, "reason": ""},
    cp.BusyBlock: {
        "label": "w",
        "weekdays": ["monday"],
        "start": "09:00",
        "end": "10:00",
        "buffer_minutes": 0,
    },
    cp.LifeConstraints: {
        "busy": [],
        "preferred_day_parts": [],
        "modality": "either",
        "unavailable_days": [],
        "max_days_per_week": None,
    },
    cp.AgendaItem: {
        "start": "09:00",
        "duration_minutes": 60,
        "kind": "check_in",
        "track": None,
        "title": None,
    },
    cp.ProgramTrack: {
        "day_part": "morning",
        "weekdays": ["monday"],
        "agenda": [],
        "modalities": [Modality()],
    },
    cp.Program: {
        "name": "P",
        "timezone": "UTC",
        "tracks": [],
        "slots": [],
        "levels": [],
        "closures": [],
        "opens": "07:00",
        "closes": "22:00",
    },
    cp.Client: {"id": "c", "name": None},
    cp.Goal: {"id": None, "description": "d", "measure": "", "target_date": None},
    cp.CareTeamMember: {"name": "n", "role": "r"},
    cp.RelapsePreventionPlan: {
        "triggers": [],
        "warning_signs": [],
        "coping_strategies": [],
        "supports": [],
    },
    cp.Attendance: {"session_id": "s", "on": DAY, "status": "attended", "minutes": 0, "note": ""},
    cp.Authorization: {
        "level": "OP",
        "start": DAY,
        "end": DAY,
        "units": 1,
        "unit": "days",
        "status": "active",
        "payer": "",
        "reference": "",
    },
    cp.TransitionReason: {"code": "c", "label": "l", "direction": "lateral"},
    cp.Referral: {"level": "OP", "provider": ""},
    cp.Transition: {
        "on": DAY,
        "from_level": "OP",
        "to_level": "OP",
        "direction": "lateral",
        "reason": "schedule_change",
        "previous_schedule": _WEEK,
        "note": "",
        "referral": None,
    },
    cp.CompliancePolicy: {
        "below_minimum_weeks": 2,
        "unexcused_absences": 3,
        "absence_window_weeks": 4,
        "authorization_reminder_days": 14,
    },
    cp.Violation: {
        "code": "c",
        "severity": "warning",
        "message": "m",
        "session_ids": [],
        "dates": [],
    },
    cp.Report: {"violations": []},
    cp.CarePlan: {
        "client": Client("c"),
        "level": "OP",
        "schedule": _WEEK,
        "start": DAY,
        "end": DAY.add(days=30),
        "continuum": None,
        "tracks": [],
        "goals": [],
        "diagnoses": [],
        "care_team": [],
        "relapse_prevention": None,
        "closures": [],
        "cancellations": [],
        "reschedules": [],
        "transitions": [],
        "attendance": [],
        "authorizations": [],
        "id": "p",
        "holds": [],
        "readmission_of": None,
    },
    # The plan of care (issue 13).
    cp.Coding: {"system": "icd10cm", "code": "F33.1", "display": ""},
    cp.Problem: {"id": "p", "description": "d", "client_words": "", "condition": None},
    cp.Target: {"measure": "PHQ-9", "comparison": "below", "value": 10, "kinds": ()},
    cp.TreatmentObjective: {
        "id": "o",
        "goal": "g",
        "description": "d",
        "target_date": None,
        "target": None,
        "status": "active",
        "achievement": None,
        "start": None,
    },
    cp.Intervention: {
        "id": "i",
        "description": "d",
        "objectives": ["o"],
        "kinds": ["group_therapy"],
        "times": 1,
        "every_weeks": 1,
        "role": "therapist",
        "levels": (),
    },
    cp.PlanOfCare: {"problems": (), "goals": (), "objectives": (), "interventions": ()},
    cp.CareRevision: {"on": DAY, "previous": cp.PlanOfCare(), "note": ""},
    cp.Band: {"low": 0, "high": 4, "label": "minimal"},
    cp.Instrument: {
        "code": "X-1",
        "name": "X",
        "minimum": 0,
        "maximum": 10,
        "loinc": None,
        "bands": (),
        "lower_is_better": True,
        "response_drop": None,
        "remission_below": None,
        "worsening": None,
    },
    cp.Measurement: {"instrument": "PHQ-9", "score": 5, "on": DAY},
    cp.Cadence: {"every": 30, "unit": "days", "first": None},
    cp.Review: {"on": DAY, "role": "therapist", "outcome": "continue", "reviewer": "", "note": ""},
    cp.Signature: {"role": "client", "on": DAY, "name": "", "purpose": "plan"},
    cp.ReviewPolicy: {
        "name": "p",
        "reviews": (),
        "certifications": (),
        "signatures": (),
        "due_soon_days": 7,
        "measure_every_days": 30,
    },
    # Payer rules (issue 18).
    cp.BillingCode: {"system": "hcpcs", "code": "H0015", "label": "", "scope": "all"},
    cp.Tier: {"name": "t", "min_services": 3, "max_services": None, "codes": ()},
    cp.LevelRules: {
        "levels": ["IOP"],
        "billable_kinds": ["group_therapy"],
        "min_services": 1,
        "min_minutes": 0,
        "min_days_per_week": None,
        "min_hours_per_week": None,
        "virtual": "counts",
        "tiers": (),
        "codes": (),
        "recertification": None,
    },
    cp.PayerRules: {
        "name": "p",
        "version": "1",
        "effective_from": DAY,
        "effective_to": None,
        "levels": (),
        "source": "",
    },
    # Service lines (issue 30).
    cp.ServiceCode: {
        "kinds": ["group_therapy"],
        "revenue": "0915",
        "hcpcs": "G0410",
        "label": "",
        "unit": "minutes",
        "unit_minutes": 45,
        "rounding": "whole",
        "min_minutes": 0,
        "max_minutes": None,
        "modifiers": (),
        "scope": "all",
        "source": "",
    },
}

_ODD = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            0,
            -1,
            2**31,
            2**63,
            10**400,
            1e308,
            float("nan"),
            float("inf"),
            -0.0,
            "",
            " ",
            "\x00",
            "\ud800",
            "\u2028",
            "\u202e",
            "x" * 20_000,
            "monday",
            "IOP",
            "09:00",
            b"bytes",
            [],
            [None],
            {},
            {"a": 1},
            (1, 2),
            DAY,
            pendulum.date(1, 1, 1),
            dt.datetime(2027, 1, 1),
            _START,
            object(),
            SessionKind.CHECK_IN,
            Modality(),
            _WEEK,
            cp.DEFAULT,
            cp.DEFAULT["IOP"],
            Client("c"),
            [DAY],
            ["x"],
            [Goal(None, "g")],
        ]
    ),
    st.text(max_size=10),
    st.integers(),
    st.floats(),
)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(_CONSTRUCTORS, key=lambda c: c.__name__)), st.data())
def test_constructors_raise_only_careplan_errors(cls, data):
    arguments = dict(_CONSTRUCTORS[cls])
    for name in data.draw(st.sets(st.sampled_from(sorted(arguments)), min_size=1, max_size=2)):
        arguments[name] = data.draw(_ODD, label=name)
    try:
        built = cls(**arguments)
    except cp.CarePlanError:
        return
    repr(built)  # a value that was built can be shown
    if isinstance(built, CarePlan):
        assert cp.from_json(cp.to_json(built), max_years=300) == built


def test_the_fuzzed_constructors_cover_every_public_value_class():
    values = {
        getattr(cp, name)
        for name in cp.__all__
        if isinstance(getattr(cp, name), type) and attrs.has(getattr(cp, name))
    }
    # Derived values careplan builds itself are not checked: see limits.md.
    derived = {
        cp.Occurrence,
        cp.Episode,
        cp.Offering,
        cp.PlanResult,
        cp.Alternative,
        cp.Objective,
        cp.WeekFigures,
        cp.WeekDelivery,
        cp.AuthorizationUse,
        cp.RuleContext,
        cp.BillableDay,
        cp.BillingWeek,
        cp.AuthorizationBilling,
        cp.ServiceLine,
        cp.ClaimLine,
        cp.SubstanceUse,
        cp.ObjectiveProgress,
        cp.CyclePlan,
    }
    assert values - derived == set(_CONSTRUCTORS)


# --- no error quotes free text, whichever field is wrong -----------------------

# What a user may type in the wrong place: identifying text as it is, with a
# character no field holds, too long, or wrapped where one value belongs.
_WRONG = (
    SECRET,
    SECRET + "\x00",
    SECRET + "\u2028",
    SECRET + "x" * 10_001,
    [SECRET],
    (SECRET, SECRET),
    {SECRET: SECRET},
    [SECRET, 5, None],
)


def _reachable(value, seen):
    """Every careplan value inside ``value``, the first three of each class."""
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _reachable(item, seen)
        return
    if hasattr(value, "items") and callable(value.items):
        for item in value.values():
            yield from _reachable(item, seen)
        return
    if not attrs.has(type(value)) or not type(value).__module__.startswith("careplan"):
        return
    if seen.setdefault(type(value), 0) >= 3:
        return
    seen[type(value)] += 1
    yield value
    for field in attrs.fields(type(value)):
        yield from _reachable(getattr(value, field.name), seen)


def _every_error(plan):
    for value in _reachable(plan, {}):
        for field in attrs.fields(type(value)):
            if not field.init:
                continue
            for wrong in _WRONG:
                try:
                    attrs.evolve(value, **{field.alias: wrong})
                except cp.CarePlanError as error:
                    yield f"{type(value).__name__}.{field.name}", error


@pytest.mark.parametrize(
    "build",
    [
        sample_plan,
        sample_plan_of_care,
        sample_iop,
        working_parent,
        lambda: cp.ASAM_4,
        lambda: cp.MEDICARE_REVIEW,
        lambda: cp.COMMERCIAL,
        cp.CompliancePolicy,
    ],
    ids=["plan", "care", "program", "week", "continuum", "review", "payer", "policy"],
)
def test_no_constructor_error_quotes_free_text(build):
    # Every field of every value in a plan, given identifying text in every
    # shape it may come in: the error names the field and never the text.
    plan = build()
    found = 0
    for where, error in _every_error(plan):
        found += 1
        for shown_text in (str(error), repr(error), repr(getattr(error, "value", None))):
            assert "Rivera" not in shown_text, where
        if isinstance(error, cp.InvalidValueError):
            assert "Rivera" not in error.field, where
            assert "Rivera" not in error.hint, where
    assert found > 3  # the walk reached the values and their fields


@settings(max_examples=15, deadline=None)
@given(care_plans(max_weeks=8))
def test_no_constructor_error_of_a_generated_plan_quotes_free_text(plan):
    for where, error in _every_error(plan):
        assert "Rivera" not in str(error), where
