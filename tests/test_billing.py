"""Payer rules: hand-worked days for each built-in pack, and the billing properties.

Medicare (CY 2024): a PHP or IOP day is paid with three services or more, in
two tiers (three; four or more); IOP is certified for 9 h/week, PHP for 20;
IOP is not furnished in the home, so virtual sessions do not count
(42 CFR 410.43, 410.44, 424.24(e); CY 2024 OPPS final rule). HCPCS H0015 is
an alcohol and drug intensive outpatient program of at least 3 hours a day.
"""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan import COMMERCIAL, MEDICARE_2024, Modality, Session, WeeklySchedule
from careplan.cli import main
from careplan.demo import sample_plan
from careplan.testing import care_plans

MONDAY = pendulum.date(2027, 1, 4)
CAMPUS = Modality.in_person("Main campus")
ONLINE = Modality.virtual("https://telehealth.example.org/iop")


def _day_plan(kinds, *, modality=CAMPUS, diagnoses=("F33.1",), level="IOP"):
    """A one-week plan with one Monday of back-to-back sessions of ``kinds``."""
    sessions = []
    minute = 9 * 60
    for kind in kinds:
        sessions.append(
            Session("monday", f"{minute // 60:02d}:{minute % 60:02d}", 60, kind, modality=modality)
        )
        minute += 60
    return cp.CarePlan(
        cp.Client("c"),
        cp.DEFAULT[level],
        WeeklySchedule("America/New_York", sessions),
        MONDAY,
        MONDAY.add(days=6),
        diagnoses=diagnoses,
    )


BEFORE = MONDAY.subtract(days=1)


def _monday(plan, rules, today=BEFORE):
    (day,) = cp.billing(plan, rules, today=today)
    return day


def test_medicare_pays_a_three_service_day_in_the_first_tier():
    day = _monday(
        _day_plan(["check_in", "group_therapy", "individual_therapy", "life_skills"]), MEDICARE_2024
    )
    assert (day.services, day.billable, day.tier, day.forecast) == (3, True, "3 services", True)
    # The tier is the count of services, not a revenue code; the claim carries
    # condition code 92 (IOP) and each service its own revenue and HCPCS code
    # (CY 2024 OPPS final rule; CMS Claims Processing Manual ch. 4 sec. 260.1).
    assert [(c.system, c.code) for c in day.codes] == [("condition", "92")]
    assert [(line.revenue, line.hcpcs, line.units) for line in day.lines] == [
        (None, None, 1),  # the check-in is not a service
        ("0915", "G0410", 1),
        ("0914", "90837", 1),  # 60 minutes of psychotherapy: CPT 90837 (53 or more)
        ("0942", "G0177", 1),
    ]


def test_a_medicare_iop_week_with_a_med_check_counts_only_the_per_diem_services():
    # 42 CFR 410.43(b): physician (psychiatrist) services are "separately covered
    # and not paid as partial hospitalization services"; 410.44 follows it for IOP.
    # Issue 30, item 1: two groups and a med check are 2 services, not 3.
    two_and_a_med_check = _monday(
        _day_plan(["group_therapy", "group_therapy", "psychiatric"]), MEDICARE_2024
    )
    assert (two_and_a_med_check.services, two_and_a_med_check.billable) == (2, False)
    med_check = two_and_a_med_check.lines[2]
    assert (med_check.rendering_role, med_check.per_diem, med_check.billable) == (
        "psychiatrist",
        False,
        False,
    )
    assert "professional service" in med_check.reason
    # Three services and a med check stay in the 3-service tier.
    three_and_a_med_check = _monday(
        _day_plan(["group_therapy", "individual_therapy", "psychoeducation", "psychiatric"]),
        MEDICARE_2024,
    )
    assert (three_and_a_med_check.services, three_and_a_med_check.tier) == (3, "3 services")
    # The same session rendered by a psychiatric nurse is a per diem service
    # (410.43(a): psychiatric nursing services); the built-in pack has no line
    # code for it, so its line carries none.
    plan = _day_plan(["group_therapy", "group_therapy", "psychiatric"])
    nurse = {plan.schedule.sessions[2].id: "nurse"}
    day = cp.billing(plan, MEDICARE_2024, today=BEFORE, roles=nurse)[0]
    line = day.lines[2]
    assert (line.rendering_role, line.per_diem, line.hcpcs, day.services) == (
        "nurse",
        True,
        None,
        3,
    )


def test_a_session_says_who_renders_it_and_the_document_keeps_it():
    # Issue 30, item 1: a session carries its rendering role. A group run by a
    # qualified psychologist is a professional service, billed apart from the
    # per diem (42 CFR 410.43(b)); the same group run by a therapist counts.
    plan = _day_plan(["group_therapy", "group_therapy", "individual_therapy"])
    assert _monday(plan, MEDICARE_2024).services == 3
    by_psychologist = attrs.evolve(
        plan.schedule.sessions[0], role="psychologist", id="mon-0900-psychologist"
    )
    psychologist = attrs.evolve(
        plan,
        schedule=WeeklySchedule("America/New_York", [by_psychologist, *plan.schedule.sessions[1:]]),
    )
    day = _monday(psychologist, MEDICARE_2024)
    assert (day.services, day.billable, day.lines[0].rendering_role) == (2, False, "psychologist")
    # The caller's word still comes first.
    therapist = {by_psychologist.id: "therapist"}
    assert cp.billing(psychologist, MEDICARE_2024, today=BEFORE, roles=therapist)[0].services == 3
    # The role travels in the document, and a session without one writes none.
    assert cp.from_json(cp.to_json(psychologist)) == psychologist
    assert '"role": "psychologist"' in cp.to_json(psychologist)
    assert '"role"' not in cp.to_json(plan)
    data = cp.plan_to_data(psychologist)
    data["sessions"][0]["role"] = ""
    with pytest.raises(cp.DocumentError, match=r"sessions\[0\]\.role"):
        cp.plan_from_data(data)


def test_four_services_are_the_second_tier_and_a_sud_plan_takes_chemical_dependency_codes():
    plan = _day_plan(
        ["group_therapy", "individual_therapy", "psychoeducation", "family_therapy"],
        diagnoses=("F10.20",),
    )
    day = _monday(plan, MEDICARE_2024)
    assert (day.services, day.tier) == (4, "4 or more services")
    assert [c.code for c in day.codes] == ["92"]  # Medicare: no 0905/0906 tier marker
    commercial = cp.billing(_three_day_plan(diagnoses=("F10.20",)), COMMERCIAL, today=BEFORE)[0]
    assert [c.code for c in commercial.codes] == ["0906", "H0015"]


def test_a_day_with_only_a_check_in_is_not_billable():
    day = _monday(_day_plan(["check_in"]), MEDICARE_2024)
    assert (day.services, day.billable, day.codes) == (0, False, ())
    assert "needs 3 a day" in day.reasons[0]


def test_medicare_does_not_count_virtual_sessions_and_the_commercial_pack_does():
    plan = _day_plan(["group_therapy", "individual_therapy", "life_skills"], modality=ONLINE)
    medicare = _monday(plan, MEDICARE_2024)
    assert (medicare.services, medicare.billable) == (0, False)
    assert any("virtual" in reason for reason in medicare.reasons)
    commercial = _monday(plan, COMMERCIAL)
    assert (commercial.services, commercial.minutes, commercial.billable) == (3, 180, True)
    assert [c.code for c in commercial.codes] == ["0905", "S9480"]
    # Telehealth lines carry modifier 95 (AMA CPT) and place of service 10
    # (telehealth in the patient's home, CMS place of service code set).
    assert {(line.modifiers, line.place_of_service) for line in commercial.lines} == {
        (("95",), "10")
    }


def _three_day_plan(days=("monday", "wednesday", "friday"), *, diagnoses=("F10.20",)):
    """A one-week commercial IOP plan: 3 hours of services on each of ``days``."""
    sessions = [
        Session(day, start, 60, kind, modality=CAMPUS)
        for day in days
        for start, kind in (
            ("09:00", "group_therapy"),
            ("10:00", "individual_therapy"),
            ("11:00", "life_skills"),
        )
    ]
    return cp.CarePlan(
        cp.Client("c"),
        cp.DEFAULT["IOP"],
        WeeklySchedule("America/New_York", sessions),
        MONDAY,
        MONDAY.add(days=6),
        diagnoses=diagnoses,
    )


def test_h0015_needs_three_hours_a_day_and_three_days_a_week():
    # HCPCS H0015: "a treatment program operating at least 3 hours/day and at
    # least 3 days/week" (both conditions). Issue 30, item 4.
    short = _three_day_plan(diagnoses=("F10.20",))
    short = attrs.evolve(
        short,
        schedule=WeeklySchedule(
            "America/New_York",
            [s for s in short.schedule.sessions if s.kind.code != "life_skills"],
        ),
    )
    day = cp.billing(short, COMMERCIAL, today=BEFORE)[0]
    assert (day.minutes, day.billable) == (120, False)
    assert "needs 180 for H0015" in day.reasons[0]
    two_days = _three_day_plan(("monday", "wednesday"), diagnoses=("F10.20",))
    found = cp.billing(two_days, COMMERCIAL, today=BEFORE)
    assert [d.billable for d in found] == [False, False]
    assert found[0].reasons == ("the program is scheduled 2 day(s) a week; H0015 needs at least 3",)
    three_days = cp.billing(_three_day_plan(diagnoses=("F10.20",)), COMMERCIAL, today=BEFORE)
    assert [[c.code for c in d.codes] for d in three_days] == [["0906", "H0015"]] * 3
    # S9480 (psychiatric) has no days-a-week condition in its descriptor.
    depression = cp.billing(attrs.evolve(two_days, diagnoses=["F33.1"]), COMMERCIAL, today=BEFORE)
    assert [[c.code for c in d.codes] for d in depression] == [["0905", "S9480"]] * 2


def test_php_tiers_are_counted_not_coded_and_the_claim_carries_condition_41():
    # 42 CFR 410.43; CY 2024 OPPS: PHP per diem by 3 or 4+ services; revenue
    # codes 0912/0913 are not Medicare tier markers (issue 30, item 2).
    three = _monday(_day_plan(["group_therapy"] * 3, level="PHP"), MEDICARE_2024)
    four = _monday(_day_plan(["group_therapy"] * 4, level="PHP"), MEDICARE_2024)
    assert (three.tier, [c.code for c in three.codes]) == ("3 services", ["41"])
    assert (four.tier, [c.code for c in four.codes]) == ("4 or more services", ["41"])
    assert {(line.revenue, line.hcpcs) for line in four.lines} == {("0915", "G0410")}


def test_outpatient_care_is_not_this_payers():
    plan = attrs.evolve(_day_plan(["individual_therapy"], level="OP"))
    day = _monday(plan, MEDICARE_2024)
    assert not day.billable
    assert day.reasons == ("Medicare (CY2024) does not pay OP care",)


def test_after_the_day_attendance_decides():
    plan = _day_plan(["group_therapy", "individual_therapy", "life_skills"])
    ids = [s.id for s in plan.schedule.sessions]
    attended = plan.with_attendance(*(cp.Attendance(i, MONDAY) for i in ids))
    assert _monday(attended, MEDICARE_2024, today=MONDAY).billable
    one_missed = attended.record_attendance(ids[0], MONDAY, "absent_unexcused")
    day = _monday(one_missed, MEDICARE_2024, today=MONDAY)
    assert (day.services, day.billable, day.forecast) == (2, False, False)
    unrecorded = _monday(plan, MEDICARE_2024, today=MONDAY)
    assert unrecorded.services == 0
    assert "3 session(s) have no attendance record yet" in unrecorded.reasons


def test_validation_finds_unbillable_days_before_they_happen():
    # The sample plan's Tuesday has two billable services (and a biweekly
    # consult), its Thursday is virtual: Medicare pays neither as scheduled.
    report = cp.validate(sample_plan(), payer=MEDICARE_2024)
    codes = {(v.code, v.severity) for v in report.violations}
    assert ("billing.not_billable_as_scheduled", "error") in codes
    assert ("billing.week_below_certified_minimum", "error") in codes
    assert not {c for c, _ in codes if c.startswith("billing.")} & {
        v.code for v in cp.validate(sample_plan()).violations
    }


def test_authorizations_run_out_by_billable_days():
    plan = _day_plan(["group_therapy", "individual_therapy", "life_skills"])
    plan = attrs.evolve(
        plan,
        end=MONDAY.add(weeks=4).subtract(days=1),
        authorizations=[cp.Authorization("IOP", MONDAY, MONDAY.add(weeks=4), 2)],
    )
    (found,) = [
        v
        for v in cp.validate(plan, payer=MEDICARE_2024).violations
        if v.code == "billing.authorization_runs_out"
    ]
    assert found.dates == (MONDAY.add(weeks=2),)


@settings(max_examples=40)
@given(plan=care_plans(), today_offset=st.integers(-7, 120))
def test_billable_days_never_exceed_days_with_care_delivered(plan, today_offset):
    today = plan.start.add(days=today_offset)
    days = cp.billing(plan, MEDICARE_2024, today=today)
    delivered_days = {
        o.date
        for o in plan.occurrences()
        if (r := {x.key: x for x in plan.attendance}.get(o.key)) is not None and r.present
    }
    actual = [d for d in days if not d.forecast]
    assert all(d.day <= today for d in actual)
    assert {d.day for d in actual if d.billable} <= delivered_days


@settings(max_examples=30)
@given(plan=care_plans(history=False, changes=False))
def test_a_forecast_equals_the_actuals_when_everyone_attends(plan):
    everything = plan.with_attendance(
        *(cp.Attendance(o.session.id, o.scheduled_on) for o in plan.occurrences())
    )
    before = cp.billing(everything, COMMERCIAL, today=plan.start.subtract(days=1))
    after = cp.billing(everything, COMMERCIAL, today=plan.end)
    assert [_actual(d) for d in before] == list(after)


def _actual(day):
    lines = tuple(attrs.evolve(line, forecast=False) for line in day.lines)
    return attrs.evolve(day, forecast=False, lines=lines)


def test_a_custom_pack_round_trips_through_json():
    pack = cp.PayerRules(
        "State Medicaid",
        "2026.1",
        pendulum.date(2026, 7, 1),
        pendulum.date(2027, 6, 30),
        [
            cp.LevelRules(
                ["IOP"],
                ["group_therapy", "individual_therapy"],
                min_services=2,
                min_minutes=120,
                virtual="excluded",
                tiers=[cp.Tier("standard", 2)],
                codes=[cp.BillingCode("hcpcs", "H0015", "IOP per diem", "substance_use")],
            )
        ],
        source="State manual, section 4",
    )
    assert cp.payer_rules_from_json(cp.payer_rules_to_json(pack)) == pack
    data = json.loads(cp.payer_rules_to_json(pack))
    data["levels"][0]["virtual"] = "sometimes"
    with pytest.raises(cp.DocumentError) as caught:
        cp.payer_rules_from_data(data)
    assert caught.value.path == "levels[0].virtual"


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: cp.Tier("t", 0), "Tier.min_services"),
        (lambda: cp.BillingCode("revenue", "09 05"), "BillingCode.code"),
        (
            lambda: cp.LevelRules(["IOP"], ["group_therapy"], min_hours_per_week=200),
            "LevelRules.min_hours_per_week",
        ),
        (
            lambda: cp.PayerRules("x", "1", pendulum.date(2027, 1, 1), pendulum.date(2026, 1, 1)),
            "PayerRules.effective_to",
        ),
    ],
)
def test_packs_refuse_what_can_never_be_meaningful(build, field):
    with pytest.raises(cp.InvalidValueError) as caught:
        build()
    assert caught.value.field == field


def test_the_command_line_reports_a_week_against_a_pack(tmp_path, capsys):
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(cp.to_json(sample_plan()), encoding="utf-8")
    week = ["report", str(plan_file), "--week", "2027-01-11", "--today", "2027-01-10"]
    assert main([*week, "--billing", "medicare-2024"]) == 0
    out = capsys.readouterr().out
    assert "2027-01-11 forecast: billable (3 services, tier '3 services'; codes 92)" in out
    assert "2027-01-14 forecast: not billable" in out
    pack = tmp_path / "pack.json"
    pack.write_text(cp.payer_rules_to_json(COMMERCIAL), encoding="utf-8")
    assert main([*week, "--billing", str(pack)]) == 0
    assert "Commercial (HCPCS) (2024)" in capsys.readouterr().out
    assert main([*week, "--billing", str(tmp_path / "missing.json")]) == 2


def test_an_authorization_is_flagged_when_it_runs_out_before_the_next_review():
    from careplan.demo import sample_plan_of_care

    plan = attrs.evolve(
        sample_plan_of_care(),
        authorizations=[
            cp.Authorization("IOP", pendulum.date(2027, 1, 4), pendulum.date(2027, 3, 28), 3)
        ],
    )
    # Three billable days are used up in the first week or two: well before
    # the clinic's 30-day review.
    pack = COMMERCIAL
    found = [
        v
        for v in cp.validate(plan, payer=pack).violations
        if v.code == "billing.authorization_runs_out"
    ]
    assert len(found) == 1
    assert "before the plan's review due on" in found[0].message
    plenty = attrs.evolve(
        plan,
        authorizations=[
            cp.Authorization("IOP", pendulum.date(2027, 1, 4), pendulum.date(2027, 3, 28), 20)
        ],
    )
    later = [
        v
        for v in cp.validate(plenty, payer=pack).violations
        if v.code == "billing.authorization_runs_out"
    ]
    # 20 billable days last past the review: the team asks for more there.
    assert later == []


def test_a_lapsed_recertification_is_found_with_the_pack_once():
    # Medicare recertifies PHP by the 18th day of services, then every 30
    # days (42 CFR 424.24(e)); the pack's cadence is MEDICARE_REVIEW's.
    from careplan.demo import sample_plan_of_care

    plan = sample_plan_of_care()
    today = plan.start.add(days=70)
    assert MEDICARE_2024.for_level(
        "IOP"
    ).recertification == cp.MEDICARE_REVIEW.certification_cadence("IOP")
    with_pack = cp.validate(plan, today=today, payer=MEDICARE_2024)
    lapsed = [v for v in with_pack.violations if v.code == "review.certification_lapsed"]
    assert lapsed
    # With Medicare's review policy too, the same lapse is reported once.
    both = cp.validate(plan, today=today, payer=MEDICARE_2024, review_policy=cp.MEDICARE_REVIEW)
    once = [v for v in both.violations if v.code == "review.certification_lapsed"]
    assert [v.dates for v in once] == [v.dates for v in lapsed]
    assert not [
        v
        for v in cp.validate(plan, today=today).violations
        if v.code == "review.certification_lapsed"
    ]


# --- substance use: one decision for 42 CFR Part 2 labels and billing codes --------------


def _labels(plan):
    from careplan.fhir._codes import security_labels

    return [label["code"] for label in security_labels(plan)]


def test_a_depression_plan_whose_client_smokes_is_not_part2_nor_chemical_dependency():
    # 42 CFR 2.11: "substance use disorder ... does not include ... tobacco";
    # ICD-10-CM F17.210 is nicotine dependence, cigarettes. Issues 29 (item 1), 30 (item 3).
    plan = _day_plan(["group_therapy"] * 3, diagnoses=("F33.1", "F17.210"))
    decision = cp.substance_use(plan)
    assert (decision.codes, decision.part2, decision.chemical_dependency) == ((), False, False)
    assert _labels(plan) == []


def test_an_opioid_use_disorder_coded_only_on_a_problem_is_part2():
    # 42 CFR 2.11 (SUD information wherever it is recorded); ICD-10-CM F11.20
    # opioid dependence, uncomplicated. Issue 29, item 1: no label was a privacy failure.
    oud = cp.Problem("oud", "Opioid use", condition=cp.Coding("ICD-10-CM", "F11.20"))
    plan = attrs.evolve(_day_plan(["group_therapy"] * 3), problems=[oud])
    decision = cp.substance_use(plan)
    assert (decision.codes, decision.part2, decision.chemical_dependency) == (
        ("F11.20",),
        True,
        True,
    )
    assert _labels(plan) == ["42CFRPart2", "ETH", "R"]


def test_the_program_statement_decides_part2_and_the_principal_diagnosis_the_codes():
    # 42 CFR 2.11: Part 2 follows the program ("holds itself out" as SUD treatment).
    dual = _day_plan(["group_therapy"] * 3, diagnoses=("F33.1", "F10.20"))
    assert cp.substance_use(dual).part2
    assert cp.substance_use(dual).chemical_dependency
    general = attrs.evolve(dual, part2_program=False, principal_diagnosis="F33.1")
    assert (cp.substance_use(general).part2, cp.substance_use(general).chemical_dependency) == (
        False,
        False,
    )
    assert _labels(general) == []
    stated = attrs.evolve(_day_plan(["group_therapy"] * 3), part2_program=True)
    assert _labels(stated) == ["42CFRPart2", "ETH", "R"]
    # The principal diagnosis chooses the codes even in a Part 2 program.
    assert not cp.substance_use(attrs.evolve(dual, principal_diagnosis="F33.1")).chemical_dependency


def test_the_new_plan_fields_round_trip_and_old_documents_are_unchanged():
    plan = attrs.evolve(sample_plan(), principal_diagnosis="F10.20", part2_program=True)
    assert cp.from_json(cp.to_json(plan)) == plan
    data = json.loads(cp.to_json(sample_plan()))
    assert "principal_diagnosis" not in data
    assert "part2_program" not in data
    with pytest.raises(cp.InvalidValueError):
        attrs.evolve(plan, part2_program="yes")


# --- certification, weekly hours, units, claims (issue 30 items 5-7, service lines) ------


def _attended_until(plan, day):
    return plan.with_attendance(
        *(cp.Attendance(o.session.id, o.scheduled_on) for o in plan.occurrences() if o.date <= day)
    )


def test_a_php_day_after_a_missed_day_18_recertification_is_not_billable():
    # 42 CFR 424.24(e): PHP is recertified as of the 18th day of services, then
    # at least every 30 days; Medicare pays only certified days. The plan starts
    # on 2027-01-04 (day 1), so day 18 is 2027-01-21. Issue 30, item 5.
    from careplan.demo import sample_plan_of_care

    today = pendulum.date(2027, 2, 10)
    php = _attended_until(attrs.evolve(sample_plan_of_care(), level="PHP"), today)
    days = {d.day: d for d in cp.billing(php, MEDICARE_2024, today=today)}
    assert days[pendulum.date(2027, 1, 11)].billable  # a Monday of three services, certified
    monday = days[pendulum.date(2027, 1, 25)]
    assert (monday.services, monday.certified, monday.billable) == (3, False, False)
    assert monday.reasons == (
        "the physician's recertification of PHP was due by 2027-01-21 and the day is not "
        "certified (42 CFR 424.24(e))",
    )
    # validate reports the same lapse, from the day after it fell due.
    lapsed = [
        v.dates
        for v in cp.validate(php, today=today, payer=MEDICARE_2024).violations
        if v.code == "review.certification_lapsed"
    ]
    assert lapsed == [(pendulum.date(2027, 1, 22),)]
    # Recertified on 2027-02-01: that Monday is paid again, the week before is not.
    signed = cp.Signature(pendulum.date(2027, 2, 1), "physician", purpose="certification")
    again = attrs.evolve(php, signatures=[*php.signatures, signed])
    days = {d.day: d for d in cp.billing(again, MEDICARE_2024, today=today)}
    assert not days[pendulum.date(2027, 1, 25)].billable
    assert days[pendulum.date(2027, 2, 1)].billable


def test_a_week_without_a_billable_day_has_no_billable_hours():
    # Issue 30, item 6: 9 scheduled hours of virtual services are not 9 billable
    # hours for Medicare IOP (virtual sessions do not count; 42 CFR 410.44).
    sessions = [
        Session(day, "09:00", 180, "group_therapy", modality=ONLINE)
        for day in ("monday", "wednesday", "friday")
    ]
    plan = attrs.evolve(
        _day_plan(["group_therapy"]), schedule=WeeklySchedule("America/New_York", sessions)
    )
    (week,) = cp.billing_weeks(plan, MEDICARE_2024, today=BEFORE)
    assert (week.billable_days, week.hours, week.meets_minimum) == (0, 0, False)


def test_unbillable_days_are_reported_by_their_own_reasons():
    # Issue 30, item 6: one message per reason, not every day under the first day's.
    sessions = [
        *(Session("monday", f"{h:02d}:00", 60, "group_therapy") for h in (9, 10, 11)),
        *(Session("tuesday", f"{h:02d}:00", 60, "group_therapy") for h in (9, 10)),
        *(
            Session("thursday", f"{h:02d}:00", 60, "group_therapy", modality=ONLINE)
            for h in (9, 10, 11)
        ),
    ]
    plan = attrs.evolve(
        _day_plan(["group_therapy"]), schedule=WeeklySchedule("America/New_York", sessions)
    )
    found = [
        v
        for v in cp.validate(plan, payer=MEDICARE_2024).violations
        if v.code == "billing.not_billable_as_scheduled"
    ]
    assert sorted((v.dates, "virtual" in v.message) for v in found) == [
        ((MONDAY.add(days=1),), False),
        ((MONDAY.add(days=3),), True),
    ]


def test_a_90_minute_group_is_billed_in_its_codes_units():
    # Issue 30, item 7. HCPCS G0410: group psychotherapy in a PHP/IOP,
    # "approximately 45 to 50 minutes": 90 minutes are two units (whole units).
    # A 15-minute code under CPT's time rule (a unit once its midpoint, 8
    # minutes, is passed): 90 minutes are 6 units. A per-session code: 1.
    plan = attrs.evolve(
        _day_plan(["group_therapy"] * 3),
        schedule=WeeklySchedule(
            "America/New_York",
            [Session("monday", f"{h:02d}:00", 90, "group_therapy") for h in (9, 11, 13)],
        ),
    )
    (line, *_) = cp.billing_lines(plan, MEDICARE_2024, today=BEFORE)
    assert (line.revenue, line.hcpcs, line.minutes, line.units) == ("0915", "G0410", 90, 2)
    quarter_hours = cp.ServiceCode(
        ["group_therapy"], hcpcs="H0005", unit="minutes", unit_minutes=15
    )
    assert [quarter_hours.units(m) for m in (7, 8, 22, 23, 90)] == [0, 1, 1, 2, 6]
    assert cp.ServiceCode(["group_therapy"], hcpcs="H0005").units(90) == 1
    # 44 minutes are no unit of G0410: the group does not count toward the day.
    short = attrs.evolve(
        plan,
        schedule=WeeklySchedule(
            "America/New_York",
            [Session("monday", f"{h:02d}:00", 44, "group_therapy") for h in (9, 11, 13)],
        ),
    )
    day = _monday(short, MEDICARE_2024)
    assert (day.services, day.lines[0].per_diem) == (0, False)
    assert "fit no code" in day.lines[0].reason


def test_psychotherapy_codes_are_chosen_by_the_minutes_delivered():
    # CPT 90832 (16-37 minutes), 90834 (38-52), 90837 (53 or more).
    rules = MEDICARE_2024.for_level("IOP")
    assert [
        rules.service_code("individual_therapy", m, False).hcpcs for m in (16, 37, 38, 52, 53)
    ] == [
        "90832",
        "90832",
        "90834",
        "90834",
        "90837",
    ]
    assert rules.service_code("individual_therapy", 15, False) is None


def test_a_depression_plan_whose_client_smokes_bills_psychiatric_codes():
    # 42 CFR 2.11 (tobacco is not SUD); HCPCS S9480 (psychiatric IOP) vs H0015.
    smoker = _three_day_plan(diagnoses=("F33.1", "F17.210"))
    assert [c.code for c in cp.billing(smoker, COMMERCIAL, today=BEFORE)[0].codes] == [
        "0905",
        "S9480",
    ]
    oud = cp.Problem("oud", "Opioid use", condition=cp.Coding("ICD-10-CM", "F11.20"))
    coded = attrs.evolve(_three_day_plan(diagnoses=("F33.1",)), problems=[oud])
    assert [c.code for c in cp.billing(coded, COMMERCIAL, today=BEFORE)[0].codes] == [
        "0906",
        "H0015",
    ]


def test_claims_carry_a_per_diem_line_or_each_service_line():
    commercial = cp.claim_lines(_three_day_plan(diagnoses=("F33.1",)), COMMERCIAL, today=BEFORE)
    assert [(c.revenue, c.hcpcs, c.units, c.per_diem) for c in commercial] == [
        ("0905", "S9480", 1, True)
    ] * 3
    medicare = cp.claim_lines(
        _day_plan(["group_therapy", "individual_therapy", "psychiatric", "family_therapy"]),
        MEDICARE_2024,
        today=BEFORE,
    )
    assert [(c.revenue, c.hcpcs, c.rendering_role) for c in medicare] == [
        ("0915", "G0410", "therapist"),
        ("0914", "90837", "therapist"),
        ("0916", "90847", "therapist"),
    ]
    assert {(c.type_of_bill, c.condition_codes) for c in medicare} == {("13X", ("92",))}
    frame = cp.claims_dataframe(medicare)
    assert str(frame["units"].dtype) == "int64"
    assert list(cp.claims_dataframe([]).columns) == list(frame.columns)


def test_a_user_pack_adds_codes_and_units_as_json_data(tmp_path, capsys):
    data = json.loads(cp.payer_rules_to_json(COMMERCIAL))
    data["levels"][0]["services"] = [
        {
            "kinds": ["group_therapy"],
            "revenue": "0915",
            "hcpcs": "H0005",
            "unit": "minutes",
            "unit_minutes": 15,
            "source": "State manual 4.2",
        }
    ]
    pack = cp.payer_rules_from_data(data)
    plan = _three_day_plan(diagnoses=("F10.20",))
    group = cp.billing_lines(plan, pack, today=BEFORE)[0]
    assert (group.hcpcs, group.units) == ("H0005", 4)
    data["levels"][0]["services"][0]["unit_minutes"] = None
    with pytest.raises(cp.DocumentError) as caught:
        cp.payer_rules_from_data(data)
    assert caught.value.path.startswith("levels[0].services[0]")
    # The command line prints the week's claim lines.
    plan_file, pack_file = tmp_path / "plan.json", tmp_path / "pack.json"
    plan_file.write_text(cp.to_json(plan), encoding="utf-8")
    pack_file.write_text(cp.payer_rules_to_json(pack), encoding="utf-8")
    week = ["report", str(plan_file), "--week", str(MONDAY), "--today", str(BEFORE)]
    assert main([*week, "--billing", str(pack_file), "--claims"]) == 0
    out = capsys.readouterr().out
    assert f"{MONDAY} 0906 H0015 x1 (per diem) forecast" in out
    assert f"{MONDAY} 0915 H0005 x4 (therapist) forecast" in out
    assert main([*week, "--claims"]) == 2


def test_every_builtin_rule_names_its_source_and_round_trips():
    for pack in cp.BUILTIN_PAYERS.values():
        assert pack.source
        assert cp.payer_rules_from_json(cp.payer_rules_to_json(pack)) == pack
        for level in pack.levels:
            assert level.source
            assert all(code.source for code in level.services)


# --- properties ----------------------------------------------------------------------


@st.composite
def _billed_plans(draw):
    """The sample plan of care at IOP or PHP, with drawn attendance, recertifications, roles."""
    from careplan.demo import sample_plan_of_care

    plan = sample_plan_of_care()
    plan = attrs.evolve(plan, level=draw(st.sampled_from(["IOP", "PHP"])))
    today = plan.start.add(days=draw(st.integers(-3, 90)))
    occurrences = [o for o in plan.occurrences() if o.date <= today]
    statuses = st.sampled_from(["attended", "late", "left_early", "absent_unexcused", None])
    records = []
    for occurrence in occurrences:
        status = draw(statuses)
        if status is None:
            continue
        late = status in {"late", "left_early"}
        minutes = draw(st.integers(1, occurrence.minutes)) if late else 0
        records.append(
            cp.Attendance(occurrence.session.id, occurrence.scheduled_on, status, minutes)
        )
    days = st.integers(0, 84).map(plan.start.add)
    signed = [
        cp.Signature(day, "physician", purpose="certification")
        for day in draw(st.lists(days, max_size=3, unique=True))
    ]
    plan = attrs.evolve(plan, attendance=records, signatures=[*plan.signatures, *signed])
    kinds = {
        s.id: draw(st.sampled_from(["therapist", "nurse", "psychiatrist", "psychologist"]))
        for s in plan.schedule.sessions
    }
    roles = draw(st.one_of(st.none(), st.just(kinds)))
    return plan, today, roles


@settings(max_examples=60, deadline=None)
@given(drawn=_billed_plans(), rules=st.sampled_from([MEDICARE_2024, COMMERCIAL]))
def test_the_tier_is_the_count_of_qualifying_services_and_units_follow_each_code(drawn, rules):
    plan, today, roles = drawn
    days = cp.billing(plan, rules, today=today, roles=roles)
    delivered = {r.on for r in plan.attendance if r.present}
    assert {d.day for d in days if d.billable and not d.forecast} <= delivered
    for day in days:
        level = rules.for_level(day.level)
        assert day.services == sum(line.per_diem for line in day.lines)
        assert day.minutes == sum(line.minutes for line in day.lines if line.per_diem)
        if day.billable:
            tier = level.tier(day.services)
            assert day.tier == (None if tier is None else tier.name)
            assert all(line.billable == line.per_diem for line in day.lines)
        else:
            assert not any(line.billable for line in day.lines)
        for line in day.lines:
            if line.per_diem:
                assert level.counts_toward_per_diem(line.rendering_role)
            if line.hcpcs is None:
                assert line.units == (1 if line.minutes > 0 else 0)
                continue
            (code,) = {
                c for c in level.services if c.hcpcs == line.hcpcs and c.revenue == line.revenue
            }
            assert line.units == code.units(line.minutes) > 0


@settings(max_examples=25, deadline=None)
@given(drawn=_billed_plans())
def test_billing_and_validate_agree_on_certification(drawn):
    # 42 CFR 424.24(e): the days validate reports as not certified are the days
    # billing refuses for it, and no others.
    plan, today, _ = drawn
    lapsed = sorted(
        v.dates[0]
        for v in cp.validate(plan, today=today, payer=MEDICARE_2024).violations
        if v.code == "review.certification_lapsed"
    )
    lapses = cp.billing_certification(plan, MEDICARE_2024, today)
    assert [lapse.due.add(days=1) for lapse in lapses] == lapsed
    for day in cp.billing(plan, MEDICARE_2024, today=today):
        assert day.certified == (not any(lapse.covers(day.day) for lapse in lapses))
        if not day.certified:
            assert not day.billable
