"""Benchmark: exporting twelve-week IOP plans to iCalendar.

The baseline, measured in the same run, is the straightforward icalendar
approach: one VEVENT with an RRULE per session, then
``Calendar.add_missing_timezones()`` (which writes each zone as a long RDATE
list). careplan writes compact RRULE-based VTIMEZONEs, cached per zone and
years, writes what each distinct session shows once, and formats the lines
of numbers and instants itself. Two batches: plans that share group
sessions, and plans no two of which have a session at the same time (once
the worst case for careplan's caches of such lines). Reported: milliseconds per
plan, the speed-up over the baseline (the goal is at least 5x), and per-plan
cost at growing batch sizes of the worst case (linear growth keeps it flat).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo

import attrs
import icalendar

import careplan as cp
from careplan.demo import sample_plan

STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)


def plans(count: int, *, shared: bool = True) -> list[cp.CarePlan]:
    """``count`` twelve-week IOP plans with different ids and start weeks.

    With ``shared``, plans that start in the same week share their group
    sessions, as a clinic's clients do. Without, each plan also moves all its
    sessions by its own number of minutes, so no two plans have a session at
    the same time: once the worst case for careplan's caches of lines.
    """
    found = []
    for index in range(count):
        plan = sample_plan(start=dt.date(2027, 1, 4) + dt.timedelta(weeks=index % 40))
        if not shared:
            shift = dt.timedelta(minutes=index // 40 + 1)
            sessions = tuple(
                attrs.evolve(s, start=(dt.datetime.combine(plan.start, s.start) + shift).time())
                for s in plan.schedule.sessions
            )
            plan = attrs.evolve(plan, schedule=attrs.evolve(plan.schedule, sessions=sessions))
        found.append(attrs.evolve(plan, id=f"plan-{index}"))
    return found


def baseline(plan: cp.CarePlan) -> bytes:
    """One RRULE event per session and icalendar's own VTIMEZONEs."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//baseline//EN")
    calendar.add("version", "2.0")
    zone = ZoneInfo(plan.schedule.timezone)
    until = dt.datetime.combine(plan.end, dt.time(23, 59), tzinfo=dt.timezone.utc)
    for session in plan.schedule.sessions:
        first = plan.start + dt.timedelta(days=(session.weekday - plan.start.weekday()) % 7)
        begin = dt.datetime.combine(first, session.start, tzinfo=zone)
        event = icalendar.Event()
        event.add("uid", f"{plan.id}-{session.id}")
        event.add("dtstamp", STAMP)
        event.add("dtstart", begin)
        event.add("dtend", begin + session.duration)
        event.add("rrule", {"freq": "weekly", "interval": session.every_weeks, "until": until})
        event.add("summary", session.display_title)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def careplan_export(plan: cp.CarePlan) -> bytes:
    return cp.to_ical(plan, stamp=STAMP)


def per_plan_ms(export: Callable[[cp.CarePlan], bytes], batch: list[cp.CarePlan]) -> float:
    begin = time.perf_counter()
    for plan in batch:
        export(plan)
    return (time.perf_counter() - begin) / len(batch) * 1000


def main() -> int:
    met = True
    for label, batch in (
        ("shared group sessions", plans(1000)),
        ("no two plans alike", plans(1000, shared=False)),
    ):
        careplan_export(batch[0])  # imports and the zone's VTIMEZONE, for both
        baseline(batch[0])
        ours = per_plan_ms(careplan_export, batch)
        base = per_plan_ms(baseline, batch)
        print(
            f"1000 twelve-week IOP plans, {label}: careplan {ours:.2f} ms/plan, "
            f"baseline {base:.2f} ms/plan, speed-up {base / ours:.1f}x (goal >= 5x)"
        )
        met = met and base / ours >= 5
    sizes = (250, 500, 1000)
    costs = [per_plan_ms(careplan_export, batch[:size]) for size in sizes]
    print(
        "per-plan cost by batch size: "
        + ", ".join(f"{size}: {cost:.2f} ms" for size, cost in zip(sizes, costs, strict=True))
    )
    print(f"largest vs smallest batch: {costs[-1] / costs[0]:.2f}x (linear keeps this near 1)")
    if not met:
        print("goal not met on this machine")
    return 0


if __name__ == "__main__":
    sys.exit(main())
