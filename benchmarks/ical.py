"""Benchmark: exporting twelve-week IOP plans to iCalendar.

The baseline, measured in the same run, is the straightforward icalendar
approach: one VEVENT with an RRULE per session, then
``Calendar.add_missing_timezones()`` (which writes each zone as a long RDATE
list). careplan writes compact RRULE-based VTIMEZONEs, cached per zone and
years. Reported: milliseconds per plan, the speed-up over the baseline
(the goal is at least 5x), and per-plan cost at growing batch sizes
(linear growth keeps it flat).
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable

import attrs
import icalendar

import careplan as cp
from careplan.demo import sample_plan

STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)


def plans(count: int) -> list[cp.CarePlan]:
    """``count`` distinct twelve-week IOP plans (different ids and start weeks)."""
    found = []
    for index in range(count):
        plan = sample_plan(start=dt.date(2027, 1, 4) + dt.timedelta(weeks=index % 40))
        found.append(attrs.evolve(plan, id=f"plan-{index}"))
    return found


def baseline(plan: cp.CarePlan) -> bytes:
    """One RRULE event per session and icalendar's own VTIMEZONEs."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//baseline//EN")
    calendar.add("version", "2.0")
    first: dict[str, cp.Occurrence] = {}
    for occurrence in plan.occurrences():
        first.setdefault(occurrence.session.id, occurrence)
    until = dt.datetime.combine(plan.end, dt.time(23, 59), tzinfo=dt.timezone.utc)
    for session in plan.schedule.sessions:
        start = first[session.id].start
        begin = dt.datetime.fromtimestamp(start.timestamp(), start.tzinfo)
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
    batch = plans(1000)
    careplan_export(batch[0])  # warm caches and imports for both
    baseline(batch[0])
    ours = per_plan_ms(careplan_export, batch)
    base = per_plan_ms(baseline, batch)
    print(
        f"1000 twelve-week IOP plans: careplan {ours:.2f} ms/plan, "
        f"baseline {base:.2f} ms/plan, speed-up {base / ours:.1f}x (goal >= 5x)"
    )
    sizes = (250, 500, 1000)
    costs = [per_plan_ms(careplan_export, batch[:size]) for size in sizes]
    print(
        "per-plan cost by batch size: "
        + ", ".join(f"{size}: {cost:.2f} ms" for size, cost in zip(sizes, costs, strict=True))
    )
    print(f"largest vs smallest batch: {costs[-1] / costs[0]:.2f}x (linear keeps this near 1)")
    if base / ours < 5:
        print("goal not met on this machine: see the note in docs/explanation/calendar.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
