"""Validation finds every problem, names it with a stable code, and never raises."""

from __future__ import annotations

import itertools
import json

import attrs
import pendulum
import pytest
from hypothesis import given

import careplan as cp
from careplan import Modality, Session, SessionKind, WeeklySchedule
from careplan._operations.rules import overlapping_pairs
from careplan._operations.validation import CODES
from careplan.demo import sample_plan, sample_schedule
from careplan.testing import care_plans

GROUP, INDIVIDUAL, PSYCH = (
    SessionKind.GROUP_THERAPY,
    SessionKind.INDIVIDUAL_THERAPY,
    SessionKind.PSYCHIATRIC,
)
ROOM = Modality.in_person("Room 1")
MONDAY = pendulum.date(2027, 1, 4)


def _plan(sessions, level="IOP", *, start=MONDAY, weeks=4, **changes):
    schedule = WeeklySchedule("America/New_York", sessions)
    plan = cp.CarePlan(
        cp.Client("c-1"),
        cp.DEFAULT[level],
        schedule,
        start,
        start.add(weeks=weeks).subtract(days=1),
        id="p",
    )
    return attrs.evolve(plan, **changes)


def _iop_day(day, *, hours=3):
    return [
        Session(day, "09:00", hours * 60 - 60, GROUP, modality=ROOM),
        Session(day, pendulum.Time(8 + hours, 0), 60, INDIVIDUAL, modality=ROOM),
    ]


def _codes(report, severity=None):
    return sorted(v.code for v in report.violations if severity in (None, v.severity))


def test_the_demo_plan_is_valid_and_flags_its_holiday_weeks():
    report = cp.validate(sample_plan())
    assert report.ok
    assert _codes(report, "warning") == [
        "intensity.days_per_week",
        "intensity.hours_per_week",
        "required.missing",
    ]
    hours = next(v for v in report.warnings if v.code == "intensity.hours_per_week")
    assert hours.dates == (pendulum.date(2027, 1, 18), pendulum.date(2027, 2, 15))
    assert "6.5 h" in hours.message
    assert "9–20 h/week" in hours.message


def test_a_clean_iop_week_has_no_violations():
    sessions = [s for day in ("monday", "wednesday", "friday") for s in _iop_day(day)]
    sessions[1] = attrs.evolve(sessions[1], kind=PSYCH, id="psych")
    report = cp.validate(_plan(sessions))
    assert report.violations == ()
    assert str(report) == "valid: no errors, no warnings"


def test_a_thin_schedule_is_an_error_every_week():
    # Two evenings of three hours: 6 h/week on 2 days.
    report = cp.validate(_plan([s for d in ("monday", "wednesday") for s in _iop_day(d)]))
    assert not report.ok
    hours = next(v for v in report.errors if v.code == "intensity.hours_per_week")
    assert len(hours.dates) == 4
    assert "6 h of sessions, below the 9–20 h/week of Intensive Outpatient Program" in hours.message
    assert "intensity.days_per_week" in report.codes
    # The psychiatric consult is a clinic default, so its absence is a warning.
    assert any(v.code == "required.missing" and "psychiatric" in v.message for v in report.warnings)


def test_too_long_days_are_flagged_with_their_dates():
    sessions = [s for day in ("monday", "wednesday", "friday") for s in _iop_day(day)]
    sessions.append(Session("friday", "13:00", 120, PSYCH, modality=ROOM))
    report = cp.validate(_plan(sessions, weeks=1))
    (day,) = [v for v in report.errors if v.code == "intensity.hours_per_day"]
    assert day.dates == (pendulum.date(2027, 1, 8),)
    assert "Friday has 5 h of sessions, above the 3–4 h/day" in day.message


def test_a_week_cut_by_the_plans_start_is_judged_fairly():
    sessions = [s for day in ("monday", "wednesday", "friday") for s in _iop_day(day)]
    sessions.append(Session("friday", "13:00", 30, PSYCH, modality=ROOM))
    # Starting on a Friday leaves one day of the first week: not an error.
    report = cp.validate(_plan(sessions, start=pendulum.date(2027, 1, 8), weeks=3))
    assert report.violations == ()


def test_biweekly_consults_meet_a_two_week_cadence_but_not_a_weekly_one():
    sessions = [s for day in ("monday", "wednesday", "friday") for s in _iop_day(day)]
    sessions.append(Session("friday", "13:00", 30, PSYCH, modality=ROOM, every_weeks=2))
    assert cp.validate(_plan(sessions)).ok  # IOP: psychiatric every 2 weeks
    sessions[-1] = attrs.evolve(sessions[-1], every_weeks=3)
    report = cp.validate(_plan(sessions, weeks=6))
    (missing,) = [v for v in report.warnings if v.code == "required.missing"]
    # Consults in weeks 0 and 3: the windows [0, 1] and [2, 3] have one, [4, 5] none.
    assert missing.dates == (pendulum.date(2027, 2, 1),)


def test_overlaps_are_found_and_named():
    sessions = [s for day in ("monday", "wednesday", "friday") for s in _iop_day(day)]
    sessions.append(Session("monday", "10:30", 30, PSYCH, modality=ROOM))
    report = cp.validate(_plan(sessions, weeks=2), rules=["overlap"])
    (overlap,) = report.violations
    assert overlap.session_ids == ("mon-0900-group_therapy", "mon-1030-psychiatric")
    assert overlap.dates == (pendulum.date(2027, 1, 4), pendulum.date(2027, 1, 11))


@given(care_plans())
def test_the_sweep_finds_exactly_the_occurrences_a_pairwise_check_finds(plan):
    found = plan.occurrences()
    brute = {
        key
        for a, b in itertools.combinations(found, 2)
        if a.start < b.end and b.start < a.end
        for key in (a.key, b.key)
    }
    swept = {o.key for pair in overlapping_pairs(found) for o in pair}
    assert swept == brute
    assert ("overlap" in cp.validate(plan, rules=["overlap"]).codes) == bool(brute)


def test_level_fit():
    # No source asks 24-hour care for sessions on five days (issue 12, item 5).
    part_time = _plan([s for d in ("monday", "thursday") for s in _iop_day(d)], "RES")
    assert cp.validate(part_time).ok
    heavy = _plan([s for d in ("monday", "wednesday", "friday") for s in _iop_day(d)], "OP")
    report = cp.validate(heavy)
    assert "level_fit.too_intense" in report.codes
    assert "the intensity of Intensive Outpatient Program" in str(report)
    assert "but the level is Outpatient Therapy" in str(report)


def test_an_empty_schedule_is_an_error_except_for_24_hour_care():
    assert (
        _codes(cp.validate(_plan([])), "error")
        == ["intensity.no_sessions"] + ["required.missing"] * 2
    )
    assert _codes(cp.validate(_plan([])), "warning") == ["required.missing"]
    assert cp.validate(_plan([], "RES")).ok


def test_date_rules():
    base = sample_plan()
    report = cp.validate(attrs.evolve(base, end=base.start.subtract(days=1)))
    assert "dates.end_before_start" in report.codes
    changed = attrs.evolve(
        base,
        closures=(*base.closures, cp.Closure(pendulum.date(2026, 12, 25), "Christmas")),
        cancellations=(
            cp.Cancellation("nope", base.start),
            cp.Cancellation("mon-0900-check_in", pendulum.date(2027, 1, 5)),
            cp.Cancellation("mon-0930-group_therapy", base.start),
        ),
        reschedules=(
            cp.Reschedule(
                "mon-0930-group_therapy",
                base.start,
                pendulum.datetime(2027, 6, 1, 9, tz="America/New_York"),
            ),
        ),
        goals=(cp.Goal(None, "Finish", "", pendulum.date(2028, 1, 1)),),
    )
    report = cp.validate(changed, today=pendulum.date(2027, 6, 1))
    assert {
        "dates.closure_outside_period",
        "dates.unknown_session",
        "dates.no_such_occurrence",
        "dates.conflicting_changes",
        "dates.moved_outside_period",
        "dates.goal_outside_period",
        "dates.plan_ended",
    } <= report.codes
    assert "dates.plan_ended" not in cp.validate(changed, today=base.end).codes


def test_modality_rules():
    sessions = [
        Session("monday", "09:00", 60, GROUP, modality=Modality.virtual()),
        Session("monday", "11:00", 60, GROUP, modality=Modality.in_person()),
    ]
    # A link that is not http(s) is refused when the modality is built, so
    # modality.bad_join_url no longer comes up.
    with pytest.raises(cp.InvalidValueError, match=r"Modality\.join_url"):
        Modality.virtual("zoom:123")
    report = cp.validate(_plan(sessions), rules=["modality"])
    assert [(v.code, v.severity, v.session_id) for v in report.violations] == [
        ("modality.missing_join_url", "warning", "mon-0900-group_therapy"),
        ("modality.missing_location", "warning", "mon-1100-group_therapy"),
    ]


def test_cancelled_sessions_make_a_warning_not_an_error():
    base = sample_plan()
    cancelled = base.cancel("tue-0930-group_therapy", pendulum.date(2027, 1, 5), "staff out")
    report = cp.validate(cancelled)
    assert report.ok
    assert any(
        v.code == "intensity.hours_per_week" and pendulum.date(2027, 1, 4) in v.dates
        for v in report.warnings
    )


def test_report_raises_renders_and_serialises():
    report = cp.validate(_plan([]))
    with pytest.raises(cp.ValidationError) as info:
        report.raise_for_errors()
    assert info.value.violations == report.errors
    assert "[intensity.no_sessions]" in str(info.value)
    data = report.to_dict()
    assert data["ok"] is False
    assert data["errors"] == len(report.errors)
    assert json.loads(json.dumps(data)) == data
    assert str(report).startswith("invalid: 3 error(s), 1 warning(s)")
    assert "<table>" in report._repr_html_()
    cp.validate(sample_plan()).raise_for_errors()


def test_rules_can_be_chosen_and_extended():
    def no_weekends(context):
        for session in context.plan.schedule.sessions:
            if session.weekday >= pendulum.WeekDay.SATURDAY:
                yield cp.Violation("clinic.weekend", "warning", "Closed at weekends", (session.id,))

    plan = _plan([Session("saturday", "10:00", 60, GROUP, modality=ROOM)])
    assert cp.validate(plan, rules=[]).violations == ()
    report = cp.validate(plan, rules=["modality"], extra_rules=[no_weekends])
    assert report.codes == {"clinic.weekend"}
    assert list(cp.rules()) == [
        "dates",
        "intensity",
        "required",
        "overlap",
        "level_fit",
        "transitions",
        "modality",
        "attendance",
        "authorizations",
        "vocabulary",
        "golden_thread",
        "target_dates",
        "reviews",
        "measures",
        "billing",
        "safety",
    ]
    with pytest.raises(cp.InvalidValueError, match="not a rule"):
        cp.validate(plan, rules=["spelling"])


@given(care_plans())
def test_validation_never_raises_and_uses_only_documented_codes(plan):
    report = cp.validate(plan, today=plan.start)
    for violation in report.violations:
        assert violation.severity in CODES[violation.code]
        assert violation.message
    assert report.ok == (not report.errors)


def test_sample_schedule_meets_iop_every_regular_week():
    plan = attrs.evolve(sample_plan(), closures=())
    assert cp.validate(plan).violations == ()
    assert sample_schedule().hours_per_week == pytest.approx(10 + 1 / 12)
