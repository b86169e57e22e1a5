"""Real calendar engines read the export as careplan means it.

Each file is read with only its own VTIMEZONEs (the TZIDs are renamed so no
engine can fall back to its own zone database) by vobject, libical and
ical.js (see ``calendar_oracles.py``), and every instance they show must be
an occurrence of the plan, at the same instants, start and end.

The corpus covers what readers disagree on: zones that change at midnight
(America/Santiago, Asia/Beirut, America/Havana, America/Asuncion), southern
rules (Australia/Sydney), half-hour and 45-minute offsets and changes
(Australia/Lord_Howe, Pacific/Chatham, America/St_Johns, Asia/Kolkata,
Asia/Kathmandu), zones without DST, and episodes that start on a change day
with sessions at every wall time a change can touch.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import attrs
import icalendar
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import careplan as cp
from calendar_oracles import ORACLES, STATUSES, window
from careplan import Session, SessionKind, WeeklySchedule
from careplan.demo import sample_plan
from careplan.testing import DST_ZONES, care_plans, dates, weekly_schedules

ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "America/Santiago",
    "Asia/Beirut",
    "America/Havana",
    "America/Asuncion",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Asia/Kolkata",
    "Asia/Kathmandu",
)
# Wall times around every change in the corpus's zones, and ordinary ones;
# (start, minutes), none crossing midnight.
TIMES = (
    ("00:00", 60),
    ("00:30", 60),
    ("01:00", 45),
    ("01:30", 60),
    ("02:00", 90),
    ("02:30", 60),
    ("09:00", 90),
    ("22:00", 120),
    ("23:00", 60),
    ("23:30", 30),
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
YEAR = 2027

_renamed = itertools.count()


def rename_zones(data: bytes) -> bytes:
    """Every TZID renamed (afresh on each call), so only the VTIMEZONE can define it."""
    suffix = str(next(_renamed)).encode()
    return re.sub(
        rb"TZID([:=])([A-Za-z_]+)/([A-Za-z_/+-]+)", rb"TZID\1Careplan/\2-\3-" + suffix, data
    )


def change_days(zone: str) -> list[pendulum.Date]:
    """The local dates in YEAR on which ``zone`` changes its offset (either side)."""
    tz = pendulum.timezone(zone)
    found = set()
    moment = dt.datetime(YEAR, 1, 1, tzinfo=dt.timezone.utc)
    while moment.year == YEAR:
        following = moment + dt.timedelta(hours=1)
        if moment.astimezone(tz).utcoffset() != following.astimezone(tz).utcoffset():
            for instant in (moment, following):
                day = instant.astimezone(tz).date()
                found.add(pendulum.Date(day.year, day.month, day.day))
        moment = following
    return sorted(found)


def corpus(zone: str) -> list[cp.CarePlan]:
    """Plans in ``zone`` starting on each change day and on an ordinary Monday."""
    plans = []
    for start in [pendulum.date(YEAR, 1, 4), *change_days(zone)]:
        day, day_before = WEEKDAYS[start.weekday()], WEEKDAYS[start.weekday() - 1]
        for wall, minutes in TIMES:
            week = WeeklySchedule(
                zone,
                [
                    Session(day, wall, minutes, SessionKind.GROUP_THERAPY),
                    Session(day_before, wall, minutes, SessionKind.INDIVIDUAL_THERAPY),
                ],
            )
            plans.append(
                cp.CarePlan(
                    cp.Client("c"),
                    cp.DEFAULT["OP"],
                    week,
                    start,
                    start.add(weeks=10),
                    id=f"p{len(plans)}",
                )
            )
    # An episode that starts on a change day inside a plan, and a session
    # moved into the year before the plan (its zone rules must be there too).
    # Each with its own id: the id keys the UIDs, and the files are merged.
    first = plans[0]
    inside = [day for day in change_days(zone) if first.start < day <= first.end]
    if inside:
        stepped = cp.step_up(first, on=inside[0], reason="relapse_risk")
        plans.append(attrs.evolve(stepped, id="stepped"))
    moved = first.reschedule(
        first.schedule.sessions[0].id,
        first.start,
        pendulum.datetime(YEAR - 1, 12, 30, 10, tz=zone),
    )
    plans.append(attrs.evolve(moved, id="moved"))
    return plans


def merged(files: list[bytes]) -> bytes:
    """One calendar with the events of every file (which share one VTIMEZONE).

    One file per zone keeps the engines' start-up cost out of the suite.
    """
    head = files[0][: files[0].index(b"BEGIN:VEVENT")]
    events = b"".join(
        data[data.index(b"BEGIN:VEVENT") : data.rindex(b"END:VCALENDAR")] for data in files
    )
    return head + events + b"END:VCALENDAR\r\n"


def occurrences_of(plans: list[cp.CarePlan]) -> list[tuple[int, int]]:
    return sorted(
        (int(o.start.timestamp()), int(o.end.timestamp())) for p in plans for o in p.occurrences()
    )


def _days(plans: list[cp.CarePlan]) -> list[dt.date]:
    return [d for p in plans for d in (p.start, p.end, *(o.date for o in p.occurrences()))]


@pytest.mark.parametrize("oracle", list(ORACLES))
@pytest.mark.parametrize("zone", ZONES)
def test_engines_show_every_occurrence_at_its_instants(zone, oracle):
    plans = corpus(zone)
    # A moved session widens the VTIMEZONE's years: keep files that share one.
    by_years: dict[bytes, list[bytes]] = {}
    for plan in plans:
        data = cp.to_ical(plan)
        zone_part = data[data.index(b"BEGIN:VTIMEZONE") : data.index(b"END:VTIMEZONE")]
        by_years.setdefault(zone_part, []).append(data)
    shown = []
    for files in by_years.values():
        shown += ORACLES[oracle](rename_zones(merged(files)), *window(_days(plans)))
    assert sorted(shown) == occurrences_of(plans)


_DST_PLANS = care_plans(
    schedules=weekly_schedules(max_sessions=4, timezone=st.sampled_from(DST_ZONES)), max_weeks=10
)


@pytest.mark.parametrize("oracle", list(ORACLES))
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(plan=_DST_PLANS)
def test_engines_agree_with_generated_plans(oracle, plan):
    data = rename_zones(cp.to_ical(plan))
    assert ORACLES[oracle](data, *window(_days([plan]))) == occurrences_of([plan])


@pytest.mark.parametrize("oracle", list(ORACLES))
@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(
    week=weekly_schedules(max_sessions=4, timezone=st.sampled_from(DST_ZONES)),
    start=dates(),
    days=st.integers(0, 70),
    data=st.data(),
)
def test_engines_agree_with_generated_schedule_calendars(oracle, week, start, days, data):
    """``schedule_to_ical`` from any day (mid-week too): every session's weeks of the
    cadence count from the week of ``start``, as :func:`careplan.expand` has them."""
    end = start.add(days=days)
    on = st.integers(0, days).map(lambda n: start.add(days=n))
    closed = data.draw(st.lists(on, max_size=3, unique=True))
    ics = cp.schedule_to_ical(week, start=start, end=end, name="Dr A", uid_key="k", closures=closed)
    found = week.occurrences(start, end, closures=closed)
    expected = sorted((int(o.start.timestamp()), int(o.end.timestamp())) for o in found)
    assert ORACLES[oracle](rename_zones(ics), *window([start, end])) == expected


def _discharged_on_the_step_down_day() -> cp.CarePlan:
    plan = sample_plan().cancel("mon-0930-group_therapy", pendulum.date(2027, 3, 8))
    plan = cp.step_down(
        plan, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=plan.schedule
    )
    return cp.discharge(plan, on=pendulum.date(2027, 3, 1))


@pytest.mark.parametrize("oracle", list(ORACLES))
def test_engines_read_cancelled_series_as_cancelled_and_show_none_of_them(oracle):
    plan = _discharged_on_the_step_down_day()
    data = rename_zones(cp.to_ical(plan))
    statuses = STATUSES[oracle](data)
    cancelled = {uid for uid, status in statuses.items() if status == "CANCELLED"}
    assert len(statuses) == 22
    assert len(cancelled) == 7
    assert ORACLES[oracle](data, *window(_days([plan]))) == occurrences_of([plan])
    # Only the cancelled series: no engine shows an instance of them.
    calendar = icalendar.Calendar.from_ical(data)
    for event in calendar.walk("VEVENT"):
        if str(event["UID"]) not in cancelled:
            calendar.subcomponents.remove(event)
    only_cancelled = calendar.to_ical()
    assert set(STATUSES[oracle](only_cancelled).values()) == {"CANCELLED"}
    assert ORACLES[oracle](only_cancelled, *window(_days([plan]))) == []


@pytest.mark.parametrize("oracle", list(ORACLES))
def test_engines_show_biweekly_sessions_in_weeks_a_and_b(oracle):
    """Two biweekly consults at one time, weeks A and B, over a step up and a clock change."""
    consult = Session(
        "wednesday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2, id="consult-a"
    )
    week = WeeklySchedule(
        "America/New_York",
        [
            consult,
            attrs.evolve(consult, week_offset=1, id="consult-b"),
            Session("friday", "10:00", 60, SessionKind.GROUP_THERAPY, every_weeks=3, week_offset=2),
        ],
    )
    plan = cp.CarePlan(
        cp.Client("c"),
        cp.DEFAULT["OP"],
        week,
        pendulum.date(2027, 2, 25),
        pendulum.date(2027, 5, 1),
    )
    plan = cp.step_up(plan, on=pendulum.date(2027, 3, 30), reason="relapse_risk")
    plan = plan.with_closures(pendulum.date(2027, 3, 10))
    data = rename_zones(cp.to_ical(plan))
    found = ORACLES[oracle](data, *window(_days([plan])))
    assert found == occurrences_of([plan])
    assert len(found) == len(plan.occurrences()) >= 8


@pytest.mark.parametrize("oracle", list(ORACLES))
def test_engines_read_a_schedule_calendar_as_the_schedule_expands(oracle):
    """``schedule_to_ical`` (staff and room calendars): weeks A and B, a closure, a clock change."""
    consult = Session("monday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2, id="consult-a")
    week = WeeklySchedule(
        "America/New_York",
        [
            consult,
            attrs.evolve(consult, week_offset=1, id="consult-b"),
            # Weeks 2 and 5: Sunday 14 March, the clock change, and 4 April.
            Session("sunday", "01:30", 90, SessionKind.GROUP_THERAPY, every_weeks=3, week_offset=2),
        ],
    )
    start, end = pendulum.date(2027, 2, 22), pendulum.date(2027, 4, 18)
    closed = [pendulum.date(2027, 3, 8)]
    data = cp.schedule_to_ical(
        week, start=start, end=end, name="Dr A", uid_key="clinic", closures=closed
    )
    found = week.occurrences(start, end, closures=closed)
    expected = sorted((int(o.start.timestamp()), int(o.end.timestamp())) for o in found)
    assert ORACLES[oracle](rename_zones(data), *window([start, end])) == expected
    assert len(expected) == 7 + 2  # eight Mondays but the closed one, two Sundays


@pytest.mark.parametrize("oracle", list(ORACLES))
def test_engines_read_a_plan_in_utc_with_its_closed_and_cancelled_days(oracle):
    # A zone named UTC writes its times in UTC, EXDATEs too: an EXDATE
    # without the Z (a floating time) made vobject fail to read the file.
    plan = sample_plan()
    plan = attrs.evolve(plan, schedule=attrs.evolve(plan.schedule, timezone="UTC"))
    plan = plan.cancel("tue-0930-group_therapy", pendulum.date(2027, 1, 12))
    data = cp.to_ical(plan)
    assert b"TZID=UTC" not in data
    assert b"EXDATE:20270112T093000Z\r\n" in data
    assert ORACLES[oracle](data, *window(_days([plan]))) == occurrences_of([plan])
