"""Expansion, validation and delivery give exactly the values of the plain reference code.

tests/reference.py keeps the straightforward implementations; these
properties run both on generated plans and schedules (DST zones, moves,
cancellations, closures, holds, transitions) and compare every value.
"""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
import reference
from careplan._model.expansion import occurrences_and_regular
from careplan._operations.weeks import week_figures as cp_week_figures
from careplan.testing import attendance_records, care_plans, dates, timezones, weekly_schedules

EXAMPLES = settings(max_examples=150, deadline=None)


@st.composite
def with_authorizations(draw, plan):
    """``plan`` with a few overlapping authorizations of its level, some not active."""
    import attrs

    period = st.integers(-10, max(0, (plan.end - plan.start).days) + 10).map(
        lambda n: plan.start.add(days=n)
    )
    found = []
    for _ in range(draw(st.integers(0, 4))):
        first = draw(period)
        found.append(
            cp.Authorization(
                plan.level.code,
                first,
                first.add(days=draw(st.integers(0, 60))),
                draw(st.integers(0, 40)),
                draw(st.sampled_from(["days", "sessions"])),
                draw(st.sampled_from(["active", "active", "pending"])),
            )
        )
    return attrs.evolve(plan, authorizations=found)


def _same(found, expected):
    """Equal values, and the same wall times, offsets and folds (== alone ignores fold)."""
    assert found == expected
    for mine, theirs in zip(found, expected, strict=True):
        for a, b in ((mine.start, theirs.start), (mine.end, theirs.end)):
            assert (a.isoformat(), a.fold, a.timezone_name) == (
                b.isoformat(),
                b.fold,
                b.timezone_name,
            )
        assert type(mine.scheduled_on) is type(theirs.scheduled_on)


@EXAMPLES
@given(care_plans(max_weeks=60), st.sampled_from(["compatible", "earlier", "later"]))
def test_plan_expansion_matches_the_reference(plan, disambiguate):
    _same(
        plan.occurrences(disambiguate=disambiguate),
        reference.occurrences(plan, disambiguate=disambiguate),
    )


@EXAMPLES
@given(care_plans(max_weeks=60))
def test_occurrences_carry_their_minutes_and_date(plan):
    # The expansion sets them; they are what the instants say.
    for o in plan.occurrences():
        assert o.minutes == int(o.end.timestamp() - o.start.timestamp()) // 60
        assert o.date == o.start.date()
        assert type(o.date) is pendulum.Date


@EXAMPLES
@given(
    weekly_schedules(),
    dates(),
    st.integers(0, 400),
    st.integers(0, 20),
    st.sampled_from(["compatible", "earlier", "later", "raise"]),
)
def test_schedule_expansion_matches_the_reference(schedule, start, days, shift, disambiguate):
    end = start.add(days=days)
    cadence = start.subtract(days=shift)
    try:
        expected = reference.expand(
            schedule, start, end, cadence_start=cadence, disambiguate=disambiguate
        )
    except cp.CarePlanError as error:
        expected_error = error
    else:
        expected_error = None
    if expected_error is not None:
        with pytest.raises(type(expected_error)) as raised:
            cp.expand(schedule, start, end, cadence_start=cadence, disambiguate=disambiguate)
        assert str(raised.value) == str(expected_error)
        return
    _same(
        cp.expand(schedule, start, end, cadence_start=cadence, disambiguate=disambiguate), expected
    )


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Lord_Howe"])
@pytest.mark.parametrize("wall", ["00:00", "00:30", "01:30", "02:00", "02:30", "23:00"])
def test_sessions_at_every_awkward_time_of_a_dst_year(zone, wall):
    sessions = [
        cp.Session(day, wall, minutes, cp.SessionKind.GROUP_THERAPY, id=f"{day}-{minutes}")
        for day in ("saturday", "sunday")
        for minutes in sorted({30, 60, 24 * 60 - int(wall[:2]) * 60 - int(wall[3:])})
    ]
    schedule = cp.WeeklySchedule(zone, sessions)
    start, end = pendulum.date(2026, 1, 1), pendulum.date(2027, 12, 31)
    for disambiguate in ("compatible", "earlier", "later"):
        _same(
            cp.expand(schedule, start, end, disambiguate=disambiguate),
            reference.expand(schedule, start, end, disambiguate=disambiguate),
        )


def test_zones_with_midnight_changes_and_odd_offsets():
    for zone in ("America/Havana", "Asia/Beirut", "America/Santiago", "Africa/Monrovia"):
        schedule = cp.WeeklySchedule(
            zone,
            [
                cp.Session(day, "00:00", 90, cp.SessionKind.CHECK_IN, id=f"{day}-0")
                for day in ("friday", "saturday", "sunday")
            ],
        )
        start, end = dt.date(1960, 1, 1), dt.date(1975, 12, 31)
        _same(cp.expand(schedule, start, end), reference.expand(schedule, start, end))


@given(timezones(), dates())
def test_week_expansion_in_every_zone(zone, start):
    schedule = cp.WeeklySchedule(zone, [cp.Session("monday", "09:00", 60, cp.SessionKind.CHECK_IN)])
    end = start.add(weeks=30)
    _same(cp.expand(schedule, start, end), reference.expand(schedule, start, end))


@EXAMPLES
@given(
    care_plans(max_weeks=40).flatmap(attendance_records).flatmap(with_authorizations),
    st.integers(-20, 300),
)
def test_validation_matches_the_reference(plan, days):
    today = plan.start.add(days=days)
    assert occurrences_and_regular(plan)[0] == plan.occurrences()
    weeks = reference.week_figures(plan)
    assert cp_week_figures(plan) == weeks
    for fast, plain in zip(cp_week_figures(plan), weeks, strict=True):
        assert fast.actual_minutes_by_day == plain.actual_minutes_by_day
        assert fast.regular_minutes_by_day == plain.regular_minutes_by_day
    for when in (None, today):
        assert cp.validate(plan, today=when) == reference.validate(plan, today=when)
    assert cp.delivered(plan, today=today) == cp.delivered(
        plan, today=today, occurrences=reference.occurrences(plan)
    )
    assert cp.authorization_use(plan) == cp.authorization_use(
        plan, occurrences=reference.occurrences(plan)
    )


@EXAMPLES
@given(care_plans(max_weeks=40, history=False), st.data())
def test_authorization_use_matches_trying_each_authorization(plan, data):
    plan = data.draw(with_authorizations(plan))
    from careplan._operations.delivery import first_covering

    days_by_level = {plan.level.code: {o.date for o in plan.occurrences()}}
    covering = first_covering(plan.authorizations, days_by_level)
    for day in days_by_level[plan.level.code]:
        expected = next(
            (i for i, a in enumerate(plan.authorizations) if a.covers(plan.level.code, day)), None
        )
        assert covering.get((plan.level.code, day)) == expected


def test_a_bad_element_in_a_generator_is_refused_naming_its_index():
    with pytest.raises(cp.InvalidValueError) as caught:
        cp.RelapsePreventionPlan(triggers=(t for t in [123, "stress"]))
    assert caught.value.field == "RelapsePreventionPlan.triggers[0]"
    plan = cp.RelapsePreventionPlan(triggers=(t for t in ["stress", "payday"]))
    assert plan.triggers == ("stress", "payday")


def test_a_wall_time_with_fold_set_is_read_as_its_first_instance():
    # occurrence.start.time() on a fall-back day carries fold=1; a session's
    # wall time is the same time of day whatever its fold.
    zone = "America/New_York"
    folded = cp.Session("sunday", pendulum.Time(1, 30, fold=1), 60, cp.SessionKind.GROUP_THERAPY)
    plain = cp.Session("sunday", "01:30", 60, cp.SessionKind.GROUP_THERAPY)
    assert folded.start.fold == 0
    day = pendulum.date(2026, 11, 1)
    found = [cp.expand(cp.WeeklySchedule(zone, [s]), day, day) for s in (folded, plain)]
    assert [o.start.isoformat() for o in found[0]] == [o.start.isoformat() for o in found[1]]
    assert found[0][0].start.isoformat() == "2026-11-01T01:30:00-04:00"
