"""Benchmark: the time and memory budgets of issue 28, for every reader and export.

The documented budget (docs/reference/limits.md): any document within the
command line's 16 MB input limit and the plan-length limit (10 years) is
read, validated and exported in at most about 2 s and 200 MB per step.
This measures the heaviest plans those limits allow in practice, not a
timing assertion:

- a 10-year plan with 40 sessions a week (about 20,800 occurrences);
- the same with every occurrence cancelled or attended (tens of thousands
  of records, the largest lists a document holds);
- a 10-year plan with 160 sessions a week, every one attended: about
  83,000 attendance records, an 8 MB document.

Reported per step: seconds, the peak of Python's allocations (tracemalloc)
in MB, and the document's size.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import attrs
import pendulum

import careplan as cp
from careplan.demo import sample_plan
from careplan.fhir import to_fhir

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _ten_years(per_day: int) -> cp.CarePlan:
    plan = sample_plan()
    sessions = [
        cp.Session(day, f"{6 + n // 4:02d}:{(n % 4) * 15:02d}", 15, cp.SessionKind.CHECK_IN)
        for day in _WEEKDAYS
        for n in range(per_day)
    ]
    return attrs.evolve(
        plan,
        schedule=cp.WeeklySchedule(plan.timezone, sessions),
        end=plan.start.add(years=10).subtract(days=1),
    )


def _measure(name: str, work: Callable[[], object]) -> object:
    tracemalloc.start()
    begin = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - begin
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {name:<28} {seconds:6.2f} s  {peak / 1e6:7.1f} MB peak")
    return result


def _steps(label: str, plan: cp.CarePlan) -> None:
    text = cp.to_json(plan)
    print(f"{label}: {len(plan.occurrences())} occurrences, document {len(text) / 1e6:.1f} MB")
    today = plan.start.add(years=5)
    _measure("from_json", lambda: cp.from_json(text))
    _measure("validate", lambda: cp.validate(plan, today=today))
    _measure("to_json", lambda: cp.to_json(plan))
    _measure("to_ical", lambda: cp.to_ical(plan))
    _measure("to_fhir r5", lambda: to_fhir(plan))


def main() -> None:
    plan = _ten_years(8)
    _steps("10 years, 40 sessions a week", plan)
    every = plan.occurrences()
    cancelled = attrs.evolve(
        plan, cancellations=[cp.Cancellation(o.session.id, o.scheduled_on) for o in every[::2]]
    )
    attended = cancelled.with_attendance(
        *(
            cp.Attendance(o.session.id, o.scheduled_on, "attended")
            for o in every[1::2]
            if o.scheduled_on < pendulum.date(2032, 1, 1)
        )
    )
    _steps("half cancelled, the rest attended to 2032", attended)
    crowded = _ten_years(32)
    recorded = crowded.with_attendance(
        *(cp.Attendance(o.session.id, o.scheduled_on, "attended") for o in crowded.occurrences())
    )
    _steps("160 sessions a week, every one attended", recorded)


if __name__ == "__main__":
    main()
