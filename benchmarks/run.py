"""Benchmarks: expanding and validating plans of growing size.

Run with ``make bench``. Figures are reported as microseconds per occurrence
and, to be comparable across machines, as ratios against a baseline measured
in the same run: turning the start and end wall times of as many
occurrences into aware datetimes with the standard library alone (the least
any expansion must do). Work and baseline are timed in turn and the median
ratio is reported (see timing.py).

Last, importing a plan's attendance one record at a time (an expansion
per record) is compared with ``CarePlan.with_attendance`` (one expansion).

The growth check compares the per-occurrence cost of the smallest and the
largest plan: linear growth keeps the ratio near 1 (the issue asks for
within 1.5x).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import pendulum
from timing import occurrence_baseline, paired

import careplan as cp

ZONE = "America/New_York"
KINDS = (
    cp.SessionKind.CHECK_IN,
    cp.SessionKind.GROUP_THERAPY,
    cp.SessionKind.LIFE_SKILLS,
    cp.SessionKind.INDIVIDUAL_THERAPY,
)


def make_plan(weeks: int, per_week: int) -> cp.CarePlan:
    """A plan with ``per_week`` sessions spread over the weekdays."""
    sessions = []
    for index in range(per_week):
        day = list(pendulum.WeekDay)[index % 5]
        slot = index // 5
        start = pendulum.Time(7 + (slot * 45) // 60, (slot * 45) % 60)
        sessions.append(cp.Session(day, start, 40, KINDS[index % 4], id=f"s{index}"))
    start = pendulum.date(2027, 1, 4)
    return cp.CarePlan(
        cp.Client("bench"),
        cp.DEFAULT["IOP"],
        cp.WeeklySchedule(ZONE, sessions),
        start,
        start.add(weeks=weeks).subtract(days=1),
        id="bench",
    )


def best_of(function: Callable[[], object], repeat: int = 7) -> float:
    """The median of ``repeat`` timings, in seconds."""
    timings = []
    for _ in range(repeat):
        begin = time.perf_counter()
        function()
        timings.append(time.perf_counter() - begin)
    return statistics.median(timings)


def main() -> int:
    rows = []
    for weeks in (12, 52, 104):
        for per_week in (10, 40):
            plan = make_plan(weeks, per_week)
            count = len(plan.occurrences())
            make = occurrence_baseline(count, ZONE, 365)
            expand, base, expand_ratio = paired(plan.occurrences, make)
            check, _, check_ratio = paired(lambda plan=plan: cp.validate(plan), make, rounds=5)
            micro = [t / count * 1e6 for t in (base, expand, check)]
            rows.append((weeks, per_week, count, *micro, expand_ratio, check_ratio))
    print(
        f"{'weeks':>5} {'per wk':>6} {'occurr.':>7} {'base us':>8} "
        f"{'expand us':>9} {'x base':>6} {'validate us':>11} {'x base':>6}"
    )
    for weeks, per_week, count, base, expand, check, expand_ratio, check_ratio in rows:
        print(
            f"{weeks:>5} {per_week:>6} {count:>7} {base:>8.2f} {expand:>9.2f} "
            f"{expand_ratio:>6.1f} {check:>11.2f} {check_ratio:>6.1f}"
        )
    smallest, largest = rows[0], rows[-1]
    growth_expand = largest[4] / smallest[4]
    growth_validate = largest[5] / smallest[5]
    print(
        f"\nper-occurrence cost, largest vs smallest plan: expand {growth_expand:.2f}x, "
        f"validate {growth_validate:.2f}x (linear growth keeps this under 1.5x)"
    )
    if max(growth_expand, growth_validate) > 1.5:
        print("growth is not linear: investigate before merging")
    record_attendance_both_ways()
    return 0


def record_attendance_both_ways() -> None:
    """Importing a whole plan's attendance: one by one versus all at once."""
    plan = make_plan(12, 10)
    records = [cp.Attendance(o.session.id, o.scheduled_on) for o in plan.occurrences()]

    def one_by_one() -> object:
        updated = plan
        for record in records:
            updated = updated.record_attendance(record.session_id, record.on)
        return updated

    single = best_of(one_by_one, repeat=3)
    bulk = best_of(lambda: plan.with_attendance(*records), repeat=3)
    print(
        f"\nrecording {len(records)} attendance records: one by one {single * 1e3:.1f} ms, "
        f"with_attendance {bulk * 1e3:.2f} ms ({single / bulk:.0f}x faster at once)"
    )


if __name__ == "__main__":
    sys.exit(main())
