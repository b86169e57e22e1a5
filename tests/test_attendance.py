"""Attendance, delivered hours, authorizations and their compliance rules."""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careplan as cp
from careplan._operations.validation import CODES
from careplan.demo import sample_plan
from careplan.testing import care_plans

START = pendulum.date(2027, 1, 4)


def attend_all(plan, until, status="attended", **kwargs):
    for occurrence in plan.occurrences():
        if occurrence.date <= until:
            plan = plan.record_attendance(
                occurrence.session.id, occurrence.scheduled_on, status, **kwargs
            )
    return plan


def test_delivered_hours_follow_the_records():
    plan = sample_plan()
    plan = attend_all(plan, pendulum.date(2027, 1, 10))
    plan = plan.record_attendance("mon-0930-group_therapy", START, "late", minutes=30)
    plan = plan.record_attendance("tue-0930-group_therapy", START.add(days=1), "absent_unexcused")
    plan = plan.record_attendance("thu-0900-check_in", START.add(days=3), "cancelled_by_program")
    (week,) = cp.delivered(plan, today=pendulum.date(2027, 1, 10))
    assert week.sessions == 10  # the cancelled check-in is not counted
    assert week.scheduled_minutes == 620 - 30
    assert week.delivered_minutes == 620 - 30 - 30 - 90
    assert week.attended == 9
    assert week.unexcused == 1
    assert week.unrecorded == 0
    assert week.attendance_rate == pytest.approx(0.9)
    assert week.level.code == "IOP"


def test_records_name_real_occurrences_and_replace_each_other():
    plan = sample_plan()
    with pytest.raises(cp.InvalidValueError, match="not an occurrence"):
        plan.record_attendance("mon-0930-group_therapy", START.add(days=1))
    once = plan.record_attendance("mon-0930-group_therapy", START)
    twice = once.record_attendance("mon-0930-group_therapy", START, "absent_excused")
    assert [r.status for r in twice.attendance] == ["absent_excused"]
    assert twice.remove_attendance("mon-0930-group_therapy", START).attendance == ()
    with pytest.raises(cp.InvalidValueError, match="only for 'late' or 'left_early'"):
        cp.Attendance("x", START, "attended", minutes=5)
    with pytest.raises(cp.InvalidValueError, match="recorded twice"):
        cp.CarePlan(**{**_fields(plan), "attendance": [cp.Attendance("x", START)] * 2})


def _fields(plan):
    import attrs

    return {f.alias: getattr(plan, f.name) for f in attrs.fields(type(plan))}


def test_a_moved_session_keeps_its_record():
    plan = sample_plan().reschedule(
        "mon-1200-individual_therapy",
        START,
        pendulum.datetime(2027, 1, 5, 15, tz="America/New_York"),
    )
    plan = plan.record_attendance("mon-1200-individual_therapy", START)
    (week,) = cp.delivered(plan, today=pendulum.date(2027, 1, 10))
    assert week.delivered_minutes == 50


def test_slipping_below_iop_for_two_weeks_is_flagged():
    plan = sample_plan()
    until = pendulum.date(2027, 1, 17)
    plan = attend_all(plan, until)
    for day in (START, START.add(weeks=1)):
        for session in ("mon-0900-check_in", "mon-0930-group_therapy", "mon-1100-life_skills"):
            plan = plan.record_attendance(session, day, "absent_unexcused")
    report = cp.validate(plan, today=pendulum.date(2027, 1, 18))
    (low,) = [v for v in report.warnings if v.code == "attendance.below_minimum"]
    assert low.dates == (START, START.add(weeks=1))
    assert "below the 9 h/week of Intensive Outpatient Program for 2 weeks in a row" in low.message
    # Poor attendance is not evidence of stability: point to engagement and
    # reassessment, never to a step down (issue 12, item 8).
    assert "step down" not in low.message
    assert "engagement" in low.message
    assert "reassess" in low.message
    assert "attendance.unexcused_absences" in report.codes
    one_week = cp.validate(plan, today=pendulum.date(2027, 1, 11))
    assert "attendance.below_minimum" not in one_week.codes


def test_unrecorded_and_future_records():
    plan = sample_plan().record_attendance("thu-0900-check_in", START.add(days=3))
    report = cp.validate(plan, today=pendulum.date(2027, 1, 5))
    assert "attendance.in_future" in report.codes
    later = cp.validate(plan, today=pendulum.date(2027, 1, 12))
    (gap,) = [v for v in later.warnings if v.code == "attendance.unrecorded"]
    assert gap.dates == (START,)


def test_authorizations():
    plan = sample_plan()
    auth = cp.Authorization(
        "IOP", START, START.add(weeks=6).subtract(days=1), 14, "days", reference="A-1"
    )
    with_auth = cp.CarePlan(**{**_fields(plan), "authorizations": [auth]})
    report = cp.validate(with_auth, today=START.add(weeks=5))
    assert "authorization.missing" in report.codes  # weeks 7 to 12 are not covered
    # Nothing is recorded yet: the 17 scheduled days are projected at full
    # attendance, so the 14 units run out on the 14th, with care after it.
    assert "authorization.units_exceeded" not in report.codes
    (units,) = [v for v in report.warnings if v.code == "authorization.units_run_out"]
    (use,) = cp.authorization_use(with_auth)
    assert (use.used, use.scheduled, use.pace) == (0, 17, 1.0)
    assert units.dates == (use.runs_out_on,)
    assert "covers 14 days; 0 used" in units.message
    assert "authorization.ending_soon" in report.codes
    renewed = cp.CarePlan(
        **{
            **_fields(plan),
            "authorizations": [
                cp.Authorization("IOP", START, START.add(weeks=6).subtract(days=1), 18),
                cp.Authorization("IOP", START.add(weeks=6), plan.end, 60, "sessions"),
            ],
        }
    )
    assert not {
        c
        for c in cp.validate(renewed, today=START.add(weeks=5)).codes
        if c.startswith("authorization")
    }
    with pytest.raises(cp.InvalidValueError):
        cp.Authorization("IOP", START, START.subtract(days=1), 5)


def test_attendance_and_authorizations_travel_in_json():
    plan = attend_all(sample_plan(), pendulum.date(2027, 1, 10))
    plan = plan.record_attendance(
        "mon-0930-group_therapy", START, "left_early", minutes=20, note="pickup"
    )
    plan = cp.CarePlan(
        **{**_fields(plan), "authorizations": [cp.Authorization("IOP", START, plan.end, 40)]}
    )
    again = cp.from_json(cp.to_json(plan), today=pendulum.date(2027, 1, 10))
    assert again == plan
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(cp.to_json(plan), today=pendulum.date(2027, 1, 6))
    assert info.value.path.startswith("attendance[")
    assert info.value.path.endswith("].date")
    data = json.loads(cp.to_json(plan))
    data["attendance"][0]["date"] = "2027-01-05"
    # Read as written (what to_json writes is read back); validation finds it,
    # and from_json checks it when asked to judge from a day.
    misplaced = cp.from_json(json.dumps(data))
    assert "attendance.unknown_occurrence" in cp.validate(misplaced).codes
    assert cp.from_json(cp.to_json(misplaced)) == misplaced
    with pytest.raises(cp.DocumentError, match="not an occurrence") as info:
        cp.from_json(json.dumps(data), today=pendulum.date(2027, 2, 1))
    assert info.value.path == "attendance[0]"
    data["attendance"][0]["status"] = "asleep"
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == "attendance[0].status"


def test_the_report_command(tmp_path, capsys):
    from careplan.cli import main

    plan = attend_all(sample_plan(), pendulum.date(2027, 1, 10))
    source = tmp_path / "plan.json"
    source.write_text(cp.to_json(plan))
    assert main(["report", str(source), "--week", "2027-01-06"]) == 0
    out = capsys.readouterr().out
    assert "Week of 2027-01-04 to 2027-01-10" in out
    assert "scheduled:  10.3 h in 11 sessions" in out
    assert "delivered:  10.3 h, 11 sessions attended" in out
    assert "meets it" in out
    assert main(["report", str(source), "--week", "soon"]) == 2


# --- properties ---------------------------------------------------------------

_STATUSES = st.sampled_from(
    ["attended", "late", "left_early", "absent_excused", "absent_unexcused", "cancelled_by_program"]
)


@st.composite
def plans_with_attendance(draw):
    plan = draw(care_plans(history=False))
    found = plan.occurrences()
    if not found:
        return plan
    for occurrence in draw(st.lists(st.sampled_from(found), max_size=8, unique_by=lambda o: o.key)):
        status = draw(_STATUSES)
        minutes = draw(st.integers(0, 30)) if status in ("late", "left_early") else 0
        plan = plan.record_attendance(
            occurrence.session.id, occurrence.scheduled_on, status, minutes=minutes
        )
    return plan


@given(plans_with_attendance())
def test_delivered_never_exceeds_scheduled(plan):
    for week in cp.delivered(plan, today=plan.end):
        assert 0 <= week.delivered_minutes <= week.scheduled_minutes
        assert week.attended + week.unrecorded <= week.sessions


@given(plans_with_attendance(), st.data())
def test_recording_then_removing_gives_back_the_same_figures(plan, data):
    found = plan.occurrences()
    if not found:
        return
    occurrence = data.draw(st.sampled_from(found))
    if any(r.key == occurrence.key for r in plan.attendance):
        return
    before = cp.delivered(plan, today=plan.end)
    after = plan.record_attendance(
        occurrence.session.id, occurrence.scheduled_on, data.draw(_STATUSES)
    )
    assert after.remove_attendance(occurrence.session.id, occurrence.scheduled_on) == plan
    assert cp.delivered(after.remove_attendance(*occurrence.key), today=plan.end) == before


@given(plans_with_attendance())
def test_compliance_agrees_with_a_straightforward_recount(plan):
    today = plan.end.add(days=1)
    records = {r.key: r for r in plan.attendance}
    for week in cp.delivered(plan, today=today):
        minutes = 0
        for o in plan.occurrences():
            if o.date < week.monday or o.date > week.monday.add(days=6):
                continue
            record = records.get(o.key)
            if record is None or record.status in (
                "absent_excused",
                "absent_unexcused",
                "cancelled_by_program",
            ):
                continue
            minutes += (
                o.minutes - (record.minutes if record.status != "attended" else 0)
                if o.minutes >= record.minutes
                else 0
            )
        assert week.delivered_minutes == minutes
    report = cp.validate(plan, today=today)
    for violation in report.violations:
        assert violation.severity in CODES[violation.code]


def test_a_required_component_missed_for_its_whole_cadence():
    plan = attend_all(sample_plan(), pendulum.date(2027, 1, 10))
    plan = plan.record_attendance("mon-1200-individual_therapy", START, "absent_excused")
    report = cp.validate(plan, today=pendulum.date(2027, 1, 11))
    (missed,) = [v for v in report.warnings if v.code == "attendance.missed_component"]
    assert missed.dates == (START,)
    assert "no individual therapy attended" in missed.message
    # The psychiatric consult's window is two weeks: one week cannot be judged yet.
    assert "psychiatric" not in missed.message


def test_a_missed_biweekly_consult_is_judged_in_its_own_cadence_window_after_a_hold():
    """Windows of the cadence count from the episode's start week, as the schedule's
    weeks A and B do: a leave in week 1 does not pair week 0 with week 2 (which would
    let the consult attended in week 0 hide the one missed in week 2)."""
    plan = sample_plan()  # the psychiatric consult: Tuesdays of weeks 0, 2, 4...
    leave = cp.Hold(pendulum.date(2027, 1, 11), pendulum.date(2027, 1, 17), "trip")
    plan = attrs.evolve(plan, holds=[leave])
    plan = attend_all(plan, pendulum.date(2027, 1, 31))
    missed_on = pendulum.date(2027, 1, 19)
    plan = plan.record_attendance("tue-1200-psychiatric", missed_on, "absent_unexcused")
    report = cp.validate(plan, today=pendulum.date(2027, 2, 1))
    (missed,) = [v for v in report.warnings if v.code == "attendance.missed_component"]
    assert missed.dates == (pendulum.date(2027, 1, 18),)
    assert "no psychiatric / medication management attended" in missed.message


_STATUSES = st.sampled_from(["attended", "absent_excused", "absent_unexcused"])
_SAMPLE = sample_plan()


@given(st.lists(st.tuples(st.sampled_from(_SAMPLE.occurrences()), _STATUSES), max_size=15))
def test_recording_many_at_once_equals_recording_one_by_one(picks):
    records = [cp.Attendance(o.session.id, o.scheduled_on, status) for o, status in picks]
    one_by_one = _SAMPLE
    for record in records:
        one_by_one = one_by_one.record_attendance(record.session_id, record.on, record.status)
    at_once = _SAMPLE.with_attendance(*records)
    assert at_once.attendance == one_by_one.attendance
    assert len({r.key for r in at_once.attendance}) == len(at_once.attendance)


def test_recording_many_refuses_unknown_occurrences_and_other_values():
    good = cp.Attendance("mon-0900-check_in", START)
    with pytest.raises(cp.InvalidValueError, match="is not an occurrence of the plan"):
        _SAMPLE.with_attendance(good, cp.Attendance("mon-0900-check_in", START.add(days=1)))
    with pytest.raises(cp.InvalidValueError, match="is not an Attendance"):
        _SAMPLE.with_attendance(good, ("mon-0900-check_in", START))
    assert _SAMPLE.attendance == ()


def test_a_compliance_policy_sets_the_thresholds():
    plan = attend_all(sample_plan(), pendulum.date(2027, 1, 17))
    for session in ("mon-0930-group_therapy", "mon-1100-life_skills"):
        plan = plan.record_attendance(session, START, "absent_unexcused")
    today = pendulum.date(2027, 1, 18)
    assert "attendance.unexcused_absences" not in cp.validate(plan, today=today).codes
    strict = cp.validate(plan, today=today, policy=cp.CompliancePolicy(unexcused_absences=2))
    (absences,) = [v for v in strict.warnings if v.code == "attendance.unexcused_absences"]
    assert absences.message.startswith("2 unexcused absences within 4 weeks")
    # The first week is below the IOP minimum; one week is enough when the policy says so.
    assert "attendance.below_minimum" not in cp.validate(plan, today=today).codes
    one_week = cp.validate(plan, today=today, policy=cp.CompliancePolicy(below_minimum_weeks=1))
    (low,) = [v for v in one_week.warnings if v.code == "attendance.below_minimum"]
    assert low.dates == (START,)


def test_the_authorization_reminder_follows_the_policy():
    plan = sample_plan()
    auth = cp.Authorization("IOP", START, START.add(weeks=6).subtract(days=1), 30)
    with_auth = cp.CarePlan(**{**_fields(plan), "authorizations": [auth]})
    six_days_left = START.add(weeks=5)
    assert "authorization.ending_soon" in cp.validate(with_auth, today=six_days_left).codes
    later = cp.CompliancePolicy(authorization_reminder_days=5)
    assert "authorization.ending_soon" not in (
        cp.validate(with_auth, today=six_days_left, policy=later).codes
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("unexcused_absences", 0),
        ("absence_window_weeks", 0),
        ("below_minimum_weeks", True),
        ("authorization_reminder_days", -1),
        ("authorization_reminder_days", 1.5),
    ],
)
def test_a_compliance_policy_refuses_meaningless_thresholds(field, value):
    with pytest.raises(cp.InvalidValueError, match=f"CompliancePolicy.{field}"):
        cp.CompliancePolicy(**{field: value})
    assert cp.CompliancePolicy(authorization_reminder_days=0).authorization_reminder_days == 0
