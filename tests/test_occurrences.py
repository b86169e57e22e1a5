"""Weekly schedules become concrete, time-zone-correct occurrences."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from dateutil import rrule
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan import Closure, Session, SessionKind, WeeklySchedule
from careplan._model.time import week_start
from careplan.testing import care_plans, dates, weekly_schedules

GROUP = SessionKind.GROUP_THERAPY


def _week(zone, *sessions):
    return WeeklySchedule(zone, sessions)


def test_nine_oclock_stays_nine_oclock_across_both_dst_changes():
    week = _week("America/New_York", Session("sunday", "09:00", 60, GROUP))
    found = week.occurrences(pendulum.date(2026, 3, 1), pendulum.date(2026, 11, 8))
    assert {o.start.format("HH:mm") for o in found} == {"09:00"}
    offsets = {o.start.date().isoformat(): o.start.utcoffset() for o in found}
    assert offsets["2026-03-01"] == dt.timedelta(hours=-5)
    assert offsets["2026-03-08"] == dt.timedelta(hours=-4)  # spring forward that night
    assert offsets["2026-11-01"] == dt.timedelta(hours=-5)  # fall back that night
    assert all(o.start.timezone_name == "America/New_York" for o in found)


def test_southern_hemisphere_dst_runs_the_other_way():
    week = _week("Australia/Sydney", Session("monday", "18:00", 90, GROUP))
    january, july = (
        week.occurrences(pendulum.date(2027, 1, 4), pendulum.date(2027, 1, 4)),
        (week.occurrences(pendulum.date(2027, 7, 5), pendulum.date(2027, 7, 5))),
    )
    assert january[0].start.utcoffset() == dt.timedelta(hours=11)
    assert july[0].start.utcoffset() == dt.timedelta(hours=10)
    assert january[0].end - january[0].start == dt.timedelta(minutes=90)


SPRING_DAY = pendulum.date(2026, 3, 8)  # New York skips 02:00-03:00
FALL_DAY = pendulum.date(2026, 11, 1)  # New York repeats 01:00-02:00


@pytest.mark.parametrize(
    ("policy", "expected_utc"),
    [("compatible", "07:30"), ("later", "07:30"), ("earlier", "06:30")],
)
def test_a_skipped_wall_time_follows_the_policy(policy, expected_utc):
    week = _week("America/New_York", Session("sunday", "02:30", 60, GROUP))
    (found,) = week.occurrences(SPRING_DAY, SPRING_DAY, disambiguate=policy)
    assert found.start.in_timezone("UTC").format("HH:mm") == expected_utc


@pytest.mark.parametrize(
    ("policy", "expected_utc"),
    [("compatible", "05:30"), ("earlier", "05:30"), ("later", "06:30")],
)
def test_a_repeated_wall_time_follows_the_policy(policy, expected_utc):
    week = _week("America/New_York", Session("sunday", "01:30", 60, GROUP))
    (found,) = week.occurrences(FALL_DAY, FALL_DAY, disambiguate=policy)
    assert found.start.in_timezone("UTC").format("HH:mm") == expected_utc
    assert found.start.format("HH:mm") == "01:30"


def test_the_raise_policy_names_the_time_and_zone():
    gap = _week("America/New_York", Session("sunday", "02:30", 60, GROUP))
    with pytest.raises(cp.NonexistentTimeError) as info:
        gap.occurrences(SPRING_DAY, SPRING_DAY, disambiguate="raise")
    assert info.value.local == "2026-03-08 02:30"
    assert info.value.timezone == "America/New_York"
    fold = _week("America/New_York", Session("sunday", "01:30", 60, GROUP))
    with pytest.raises(cp.AmbiguousTimeError, match="happens twice"):
        fold.occurrences(FALL_DAY, FALL_DAY, disambiguate="raise")


def test_every_weeks_counts_from_the_plans_start_week():
    week = _week("UTC", Session("wednesday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2))
    # The plan starts on a Thursday: that week's Wednesday is before the start,
    # so the first consult is two weeks on.
    found = week.occurrences(pendulum.date(2027, 1, 7), pendulum.date(2027, 2, 28))
    assert [o.date.isoformat() for o in found] == ["2027-01-20", "2027-02-03", "2027-02-17"]


def test_closures_cancellations_and_moves():
    week = _week(
        "Europe/Berlin",
        Session("monday", "10:00", 60, GROUP),
        Session("tuesday", "10:00", 60, GROUP),
    )
    start, end = pendulum.date(2027, 5, 3), pendulum.date(2027, 5, 16)
    moved_to = pendulum.datetime(2027, 5, 12, 15, tz="Europe/Berlin")
    found = week.occurrences(
        start,
        end,
        closures=[Closure(pendulum.date(2027, 5, 10), "Whit Monday")],
        cancellations=[cp.Cancellation("tue-1000-group_therapy", pendulum.date(2027, 5, 4))],
        reschedules=[
            cp.Reschedule("tue-1000-group_therapy", pendulum.date(2027, 5, 11), moved_to, 45)
        ],
    )
    assert [(o.session.id, o.start.isoformat(), o.moved) for o in found] == [
        ("mon-1000-group_therapy", "2027-05-03T10:00:00+02:00", False),
        ("tue-1000-group_therapy", "2027-05-12T15:00:00+02:00", True),
    ]
    assert found[1].scheduled_on == pendulum.date(2027, 5, 11)
    assert found[1].minutes == 45


def test_plan_occurrences_use_the_plans_period_and_changes():
    from careplan.demo import sample_plan

    plan = sample_plan()
    found = cp.occurrences(plan)
    assert found == plan.occurrences()
    assert found[0].start == pendulum.datetime(2027, 1, 4, 9, tz="America/New_York")
    assert all(plan.start <= o.date <= plan.end for o in found)
    # 10 weekly sessions and a biweekly consult over 12 weeks, minus two
    # Monday holidays with 4 sessions each.
    assert len(found) == 12 * 10 + 6 - 2 * 4


# --- properties ---------------------------------------------------------------


def _exists(day: dt.date, wall: dt.time, zone: str) -> bool:
    naive = dt.datetime.combine(day, wall)
    aware = naive.replace(tzinfo=ZoneInfo(zone))
    return (
        aware.astimezone(dt.timezone.utc).astimezone(ZoneInfo(zone)).replace(tzinfo=None) == naive
    )


@given(care_plans(changes=False))
def test_every_occurrence_starts_at_its_wall_time(plan):
    for occurrence in plan.occurrences():
        local = occurrence.start.in_timezone(plan.timezone)
        wall = occurrence.session.start
        if _exists(occurrence.scheduled_on, wall, plan.timezone):
            assert local.time() == wall
            assert local.date() == occurrence.scheduled_on
        else:
            # RFC 5545: a skipped time is read with the offset before the gap.
            before = dt.datetime.combine(occurrence.scheduled_on, wall, ZoneInfo(plan.timezone))
            assert occurrence.start == before.astimezone(dt.timezone.utc)
        assert occurrence.end - occurrence.start == occurrence.session.duration


@given(care_plans())
def test_occurrences_are_sorted_and_unique(plan):
    found = plan.occurrences()
    starts = [(o.start, o.session.id) for o in found]
    assert starts == sorted(starts)
    assert len({o.key for o in found}) == len(found)


@given(care_plans(changes=False))
def test_count_matches_calendar_arithmetic(plan):
    closed = {c.on for c in plan.closures} | plan.held_days  # holds remove days too
    expected = 0
    for episode in plan.episodes:
        # Each episode's cadence counts from its own start week.
        origin = week_start(episode.start)
        day = episode.start
        while day <= episode.end:
            for session in episode.schedule.sessions:
                weeks = (day - origin).days // 7
                if (
                    day.weekday() == session.weekday
                    and weeks % session.every_weeks == session.week_offset
                    and day not in closed
                ):
                    expected += 1
            day = day.add(days=1)
    found = plan.occurrences()
    assert len(found) == expected
    assert not any(o.date in closed for o in found)


@given(care_plans())
def test_nothing_falls_on_a_closure_unless_moved_there(plan):
    closed = {c.on for c in plan.closures} | plan.held_days  # holds remove days too
    for occurrence in plan.occurrences():
        assert occurrence.scheduled_on not in closed
        if not occurrence.moved:
            assert occurrence.date not in closed


@given(
    weekly_schedules(max_every_weeks=1),
    dates(),
    st.integers(1, 10),
)
def test_full_weeks_have_the_schedules_hours(schedule, start, weeks):
    monday = week_start(start)
    found = schedule.occurrences(monday, monday.add(weeks=weeks).subtract(days=1))
    by_week: dict[dt.date, int] = {}
    for occurrence in found:
        key = week_start(occurrence.scheduled_on)
        by_week[key] = by_week.get(key, 0) + occurrence.minutes
    for index in range(weeks):
        assert by_week.get(monday.add(weeks=index), 0) == schedule.minutes_per_week


@given(
    weekly_schedules(max_sessions=5),
    dates(),
    st.integers(0, 120),
)
def test_occurrences_agree_with_dateutil_rrule(schedule, start, days):
    end = start.add(days=days)
    origin = week_start(start)
    expected = []
    for session in schedule.sessions:
        # The first occurrence on or after the start whose week is on the cadence.
        first = start.add(days=(session.weekday - start.weekday()) % 7)
        while ((first - origin).days // 7) % session.every_weeks != session.week_offset:
            first = first.add(weeks=1)
        rule = rrule.rrule(
            rrule.WEEKLY,
            interval=session.every_weeks,
            dtstart=dt.datetime.combine(first, session.start),
            until=dt.datetime.combine(end, dt.time(23, 59)),
        )
        expected += [(session.id, when) for when in rule]
    found = [
        (o.session.id, dt.datetime.combine(o.scheduled_on, o.session.start))
        for o in schedule.occurrences(start, end)
    ]
    assert sorted(found) == sorted(expected)


@given(weekly_schedules(), st.sampled_from(list(pendulum.WeekDay)), dates())
def test_adding_a_session_never_lowers_weekly_hours(schedule, weekday, start):
    extra = Session(weekday, "06:00", 30, GROUP, id="extra")
    more = schedule.with_session(extra)
    assert more.hours_per_week > schedule.hours_per_week
    end = start.add(weeks=4)
    assert sum(o.minutes for o in more.occurrences(start, end)) >= sum(
        o.minutes for o in schedule.occurrences(start, end)
    )


@settings(max_examples=100)
@given(weekly_schedules(max_sessions=4), dates(), st.integers(0, 120), st.data())
def test_a_week_offset_shifts_the_series_by_that_many_weeks(schedule, start, days, data):
    """A session with ``week_offset=k`` is the one without, ``k`` weeks later, within the dates."""
    end = start.add(days=days)
    session = data.draw(st.sampled_from(schedule.sessions)) if schedule.sessions else None
    if session is None:
        return
    plain = attrs.evolve(session, week_offset=0)
    shifted = attrs.evolve(session, week_offset=data.draw(st.integers(0, session.every_weeks - 1)))
    k = shifted.week_offset

    def days_of(one, first, last):
        week = WeeklySchedule(schedule.timezone, [one])
        return [o.scheduled_on for o in week.occurrences(first, last, cadence_start=start)]

    # The plain series over dates that start k weeks earlier, moved k weeks on.
    earlier = start.subtract(weeks=k)
    assume(earlier >= cp.EARLIEST_DATE)
    expected = [
        day.add(weeks=k)
        for day in days_of(plain, earlier, end.subtract(weeks=k))
        if start <= day.add(weeks=k) <= end
    ]
    assert days_of(shifted, start, end) == expected


def test_two_biweekly_sessions_in_weeks_a_and_b_alternate():
    """Hand-worked: from Monday 4 January 2027, week A is the 5th and 19th, B the 12th and 26th."""
    a = Session("tuesday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2, id="a")
    b = Session(
        "tuesday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2, week_offset=1, id="b"
    )
    week = WeeklySchedule("America/New_York", [a, b])
    found = week.occurrences(pendulum.date(2027, 1, 4), pendulum.date(2027, 1, 31))
    assert [(o.session.id, o.scheduled_on.day) for o in found] == [
        ("a", 5),
        ("b", 12),
        ("a", 19),
        ("b", 26),
    ]


@pytest.mark.parametrize("offset", [2, -1, True, 1.0])
def test_a_week_offset_outside_the_cadence_is_refused(offset):
    with pytest.raises(cp.InvalidValueError) as raised:
        Session("tuesday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2, week_offset=offset)
    assert raised.value.field == "Session.week_offset"


def test_a_week_offset_on_a_weekly_session_is_refused_in_plain_words():
    with pytest.raises(cp.InvalidValueError) as raised:
        Session("tuesday", "12:00", 30, SessionKind.PSYCHIATRIC, week_offset=1)
    message = str(raised.value)
    assert "is not below the cadence of 1 week;" in message
    assert "use 0:" in message
    assert "1 weeks" not in message
    assert "0 to 0" not in message
