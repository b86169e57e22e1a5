"""The model's constructors: what they accept and what they refuse, and why."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan import Modality, Session, SessionKind, WeeklySchedule, testing
from careplan.testing import attendance_records, care_plans, histories, plans_of_care

GROUP = SessionKind.GROUP_THERAPY


def test_session_reads_names_and_strings():
    session = Session("Wednesday", "18:30", 90, GROUP)
    assert session.weekday == pendulum.WeekDay.WEDNESDAY
    assert session.start == pendulum.Time(18, 30)
    assert session.minutes == 90
    assert session.end == pendulum.Time(20, 0)
    assert session.day_part == cp.DayPart.EVENING
    assert session.id == "wed-1830-group_therapy"
    assert session.display_title == "Group therapy"


def test_session_may_end_at_midnight():
    assert Session("friday", "23:00", 60, GROUP).end == pendulum.Time(0, 0)


@pytest.mark.parametrize(
    ("kwargs", "field", "needle"),
    [
        ({"duration": 0}, "Session.duration", "not above zero"),
        ({"duration": -30}, "Session.duration", "not above zero"),
        ({"duration": dt.timedelta(seconds=90)}, "Session.duration", "whole number of minutes"),
        ({"start": "23:30", "duration": 60}, "Session.duration", "cross midnight"),
        ({"start": "24:30"}, "Session.start", "not a time of day"),
        ({"start": "9h"}, "Session.start", "not a time of day"),
        ({"start": dt.time(9, 0, 30)}, "Session.start", "has seconds"),
        ({"start": dt.time(9, tzinfo=dt.timezone.utc)}, "Session.start", "carries a time zone"),
        ({"weekday": "Funday"}, "Session.weekday", "not a day of the week"),
        ({"every_weeks": 0}, "Session.every_weeks", "not a whole number from 1 to 52"),
        ({"kind": 42}, "Session.kind", "not a SessionKind"),
        ({"kind": "Group Therapy"}, "Session.kind", "not a SessionKind"),
        ({"duration": "long"}, "Session.duration", "not a duration"),
    ],
)
def test_session_refuses_meaningless_values(kwargs, field, needle):
    args = {"weekday": "monday", "start": "09:00", "duration": 60, "kind": GROUP} | kwargs
    with pytest.raises(cp.InvalidValueError) as info:
        Session(**args)
    assert info.value.field == field
    assert needle in str(info.value)
    assert info.value.hint, "every refusal says how to fix it"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "EST5EDTX"])
def test_schedule_refuses_unknown_zones(zone):
    with pytest.raises(cp.TimeZoneError, match=r"not a (known IANA )?time zone"):
        WeeklySchedule(zone)


@pytest.mark.parametrize("zone", ["-05:00", "+0530", "UTC+02:00"])
def test_schedule_refuses_fixed_offsets(zone):
    with pytest.raises(cp.TimeZoneError, match="fixed UTC offset"):
        WeeklySchedule(zone)


def test_schedule_refuses_a_pendulum_fixed_offset_zone():
    with pytest.raises(cp.TimeZoneError, match="fixed UTC offset"):
        WeeklySchedule(pendulum.FixedTimezone(-5 * 3600))


def test_schedule_accepts_zone_objects_and_stores_the_name():
    assert WeeklySchedule(pendulum.timezone("Europe/Berlin")).timezone == "Europe/Berlin"


def test_schedule_refuses_duplicate_session_ids():
    with pytest.raises(cp.InvalidValueError, match="explicit id"):
        WeeklySchedule("UTC", [Session("monday", "09:00", 60, GROUP)] * 2)


def test_schedule_figures_are_computed():
    week = WeeklySchedule(
        "America/Chicago",
        [
            Session("monday", "09:00", 180, GROUP),
            Session("thursday", "09:00", 120, GROUP),
            Session("thursday", "12:00", 60, SessionKind.PSYCHIATRIC, every_weeks=2),
        ],
    )
    assert week.days_per_week == 2
    assert week.hours_on("thursday") == 3.0
    assert week.hours_on(pendulum.WeekDay.MONDAY) == 3.0
    assert week.hours_on("sunday") == 0
    assert week.hours_per_week == 5.5
    later = week.with_session(Session("friday", "09:00", 60, GROUP))
    assert later.hours_per_week == 6.5
    assert week.hours_per_week == 5.5
    assert later.without_session("fri-0900-group_therapy") == week


def test_naive_datetimes_are_refused():
    with pytest.raises(cp.NaiveDateTimeError) as info:
        cp.Reschedule(
            "mon-0900-group_therapy", pendulum.date(2027, 1, 4), dt.datetime(2027, 1, 5, 9)
        )
    assert info.value.field == "Reschedule.start"
    assert "tz=" in str(info.value)


def test_dates_must_be_dates_not_datetimes():
    with pytest.raises(cp.InvalidValueError, match="calendar date"):
        cp.Closure(pendulum.datetime(2027, 1, 1))


def test_plan_refuses_a_level_not_on_its_continuum():
    week = WeeklySchedule("UTC")
    with pytest.raises(cp.UnknownLevelError):
        cp.CarePlan(
            cp.Client("c"),
            cp.MEDICARE["IOP"],
            week,
            pendulum.date(2027, 1, 4),
            pendulum.date(2027, 2, 4),
        )


def test_plan_is_immutable_and_changes_return_new_plans():
    from careplan.demo import sample_plan

    plan = sample_plan()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        plan.end = pendulum.date(2030, 1, 1)  # type: ignore[misc]
    moved = plan.reschedule(
        "mon-1200-individual_therapy",
        pendulum.date(2027, 1, 11),
        pendulum.datetime(2027, 1, 12, 14, tz="America/New_York"),
    )
    assert plan.reschedules == ()
    assert len(moved.reschedules) == 1
    with pytest.raises(cp.InvalidValueError, match="not a session of this schedule"):
        plan.cancel("nope", pendulum.date(2027, 1, 11))


def test_custom_session_kinds_compare_by_code():
    art = SessionKind("art_therapy", "Art studio")
    assert art == SessionKind("art_therapy")
    assert SessionKind.from_code("group_therapy") is SessionKind.GROUP_THERAPY
    with pytest.raises(cp.InvalidValueError):
        SessionKind("Art Therapy")


def test_modality_kind_is_checked():
    with pytest.raises(cp.InvalidValueError, match="in_person"):
        Modality("carrier pigeon")  # type: ignore[arg-type]


def test_errors_are_catchable_as_one_root():
    for error in (
        cp.TimeZoneError,
        cp.NaiveDateTimeError,
        cp.DocumentError,
        cp.UnknownLevelError,
        cp.ValidationError,
        cp.NonexistentTimeError,
        cp.AmbiguousTimeError,
    ):
        assert issubclass(error, cp.CarePlanError)
        assert issubclass(error, ValueError)


# --- every public value pickles and deep-copies ---------------------------------


def _plans():
    return (
        care_plans(max_weeks=20)
        .flatmap(histories)
        .flatmap(attendance_records)
        .flatmap(plans_of_care)
    )


def _values():
    return st.one_of(
        testing.continua(),
        testing.programs(),
        testing.life_constraints(),
        testing.instruments(),
        testing.problems(),
        testing.weekly_schedules(),
        testing.sessions(),
        testing.session_kinds(),
        testing.treatment_tracks(),
        testing.modalities(),
    )


def _copies(value):
    yield pickle.loads(pickle.dumps(value))
    yield pickle.loads(pickle.dumps(value, protocol=0))
    yield copy.deepcopy(value)
    yield copy.copy(value)


@settings(max_examples=60, deadline=None)
@given(_plans())
def test_a_plan_pickles_and_deep_copies_equal(plan):
    # A service sends plans to process pools, task queues and caches.
    for again in _copies(plan):
        assert again == plan
        assert cp.to_json(again) == cp.to_json(plan)  # labels travel too
        assert again.plan_of_care == plan.plan_of_care
        assert again.episodes == plan.episodes
    for derived in (cp.validate(plan), cp.occurrences(plan), plan.continuum, plan.episodes):
        for again in _copies(derived):
            assert again == derived


@settings(max_examples=100, deadline=None)
@given(_values())
def test_every_value_pickles_and_deep_copies_equal(value):
    for again in _copies(value):
        assert again == value
        assert repr(again) == repr(value)  # labels are not compared by ==


@pytest.mark.parametrize("name", ["DEFAULT", "ASAM_3", "ASAM_4", "MEDICARE"])
def test_the_built_in_continua_pickle(name):
    continuum = getattr(cp, name)
    for again in _copies(continuum):
        assert again == continuum
        assert dict(again.step_down_targets) == dict(continuum.step_down_targets)
        assert again.below(again.levels[-1]) == continuum.below(continuum.levels[-1])


# --- one way to call things (issue 35) -----------------------------------------


@pytest.mark.parametrize(
    ("zone", "place"),
    [
        ("EST", "America/New_York"),
        ("MST", "America/Denver"),
        ("PST8PDT", "America/Los_Angeles"),
        ("localtime", "America/New_York"),
        ("Etc/GMT+5", "America/New_York"),
    ],
)
def test_zone_names_that_are_not_places_are_refused_with_an_iana_hint(zone, place):
    # "EST" is UTC-5 all year: a New York session in July would be an hour off.
    with pytest.raises(cp.TimeZoneError, match="not the name of a place") as info:
        WeeklySchedule(zone)
    assert place in info.value.hint
    assert WeeklySchedule(place).timezone == place


def test_utc_is_still_a_zone():
    assert WeeklySchedule("UTC").timezone == "UTC"


def test_both_spellings_of_a_reason_name_one_reason():
    assert cp.TransitionReason.from_code("stabilized") is cp.TransitionReason.STABILISED
    assert cp.TransitionReason.from_code("stabilised") is cp.TransitionReason.STABILISED


def test_an_unknown_reason_suggests_the_nearest_known_one():
    with pytest.raises(cp.InvalidValueError, match="did you mean 'goals_met'"):
        cp.TransitionReason.from_code("goal_met")
    with pytest.raises(cp.InvalidValueError) as info:
        cp.TransitionReason.from_code("qqqqqqqq")
    assert "did you mean" not in str(info.value)


def test_a_signature_and_a_review_take_the_day_first():
    day = pendulum.date(2027, 1, 4)
    assert cp.Signature(day, "client").on == cp.Review(day, "therapist").on == day
    with pytest.raises(cp.InvalidValueError, match=r"Signature\.on"):
        cp.Signature("client", day)


def test_a_closure_names_its_day_on():
    day = pendulum.date(2027, 1, 18)
    assert cp.Closure(on=day, reason="MLK Day").on == day
    with pytest.raises(cp.InvalidValueError, match=r"Closure\.on"):
        cp.Closure(on="2027-01-18")


def test_a_plan_of_whole_weeks_has_a_whole_number_of_weeks():
    from careplan.demo import sample_plan

    plan = sample_plan()
    assert plan.weeks == 12
    assert isinstance(plan.weeks, int)
    longer = attrs.evolve(plan, end=plan.end.add(days=3))
    assert longer.weeks == pytest.approx(12 + 3 / 7)


def test_the_cattrs_converter_reads_and_writes_as_the_document_does():

    from careplan.demo import sample_plan_of_care

    plan = sample_plan_of_care()
    converter = cp.converter()
    data = converter.unstructure(plan)
    assert data == cp.plan_to_data(plan)
    assert converter.structure(data, cp.CarePlan) == plan
    assert converter.structure(cp.continuum_to_data(cp.ASAM_4), cp.Continuum) == cp.ASAM_4
    rules = converter.structure(converter.unstructure(cp.COMMERCIAL), cp.PayerRules)
    assert rules == cp.COMMERCIAL
    with pytest.raises(cp.DocumentError) as info:
        converter.structure({**data, "start": "soon"}, cp.CarePlan)
    assert info.value.path == "start"


def test_the_cattrs_converter_adds_to_a_services_own():
    import cattrs

    @attrs.frozen
    class Request:
        plan: cp.CarePlan
        note: str

    from careplan.demo import sample_plan

    mine = cattrs.Converter()
    assert cp.converter(mine) is mine
    plan = sample_plan()
    request = mine.structure({"plan": cp.plan_to_data(plan), "note": "x"}, Request)
    assert request.plan == plan


def test_a_goal_takes_its_id_first_as_every_plan_of_care_record_does():
    goal = cp.Goal("mood", "Reduce depressive symptoms", "PHQ-9 below 10")
    assert (goal.id, goal.measure) == ("mood", "PHQ-9 below 10")
    assert cp.Goal(None, "Stay sober").id is None
    with pytest.raises(TypeError):
        cp.Goal("Stay sober")  # type: ignore[call-arg]  # the description is missing
    with pytest.raises(cp.InvalidValueError, match=r"Goal\.id"):
        cp.Goal("Reduce depressive symptoms", "PHQ-9 below 10")  # text is not an id


def test_a_plan_takes_its_length_in_weeks_instead_of_its_end():
    start = pendulum.date(2027, 1, 4)
    week = WeeklySchedule("America/New_York")
    plan = cp.CarePlan(cp.Client("c"), "IOP", week, start, weeks=12)
    assert plan.end == pendulum.date(2027, 3, 28)
    assert plan.weeks == 12
    same = cp.CarePlan(cp.Client("c"), "IOP", week, start, plan.end, id=plan.id)
    assert plan == same
    assert cp.from_json(cp.to_json(plan)) == plan
    # A change of length through evolve names the end it replaces.
    assert attrs.evolve(plan, end=None, weeks=8).end == pendulum.date(2027, 2, 28)
    assert attrs.evolve(plan, goals=[]).end == plan.end
    with pytest.raises(cp.InvalidValueError, match="not both"):
        attrs.evolve(plan, weeks=8)
    with pytest.raises(cp.InvalidValueError, match=r"CarePlan\.end"):
        cp.CarePlan(cp.Client("c"), "IOP", week, start)
    with pytest.raises(cp.InvalidValueError, match=r"CarePlan\.weeks"):
        cp.CarePlan(cp.Client("c"), "IOP", week, start, weeks=0)


def test_the_plan_as_a_typed_dataframe():
    import pandas

    from careplan.demo import sample_plan

    frame = sample_plan().to_dataframe()
    assert pandas.api.types.is_datetime64_dtype(frame["date"])
    assert frame["date"].dt.date.tolist() == [o.date for o in sample_plan().occurrences()]
    assert frame["minutes"].dtype == "int64"
    assert pandas.api.types.is_string_dtype(frame["kind"])
    assert frame["moved"].dtype == bool
