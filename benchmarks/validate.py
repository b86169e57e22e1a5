"""Benchmark: validation stays linear in occurrences, from 1 to 10 years.

Run with ``make bench``. Each plan breaks a rule every week (too few hours
for its level, no individual therapy, sessions outside their authorization),
so every grouped finding lists one date per week: the case a linear search
in the grouping made quadratic. Figures are microseconds per occurrence and,
to be comparable across machines, ratios against a baseline measured in the
same run (making the start and end of as many occurrences, aware, with the
standard library alone, as the issue defines it). Work and baseline are timed
in turn and the median ratio reported (see timing.py).

Growth is the per-occurrence cost of each plan over the 1-year plan's:
linear work keeps it near 1 at 10 years. Nothing here asserts a timing; a
growth above 1.5x is printed as a warning to investigate.

The last line is billing (:func:`careplan.billing` with the Medicare pack)
on the sample plan, against the same baseline for its occurrences: the
other per-plan judgement a nightly batch makes.
"""

from __future__ import annotations

import sys

import pendulum
from timing import occurrence_baseline, paired

import careplan as cp
from careplan.demo import sample_plan

ZONE = "America/New_York"


def make_plan(years: int) -> cp.CarePlan:
    """An IOP plan of ``years`` years that falls short of its level every week."""
    weekdays = list(pendulum.WeekDay)[:5]
    sessions = [
        cp.Session(day, "08:00", 45, cp.SessionKind.CHECK_IN, id=f"check-{day.name}")
        for day in weekdays
    ] + [
        cp.Session(day, "09:00", 90, cp.SessionKind.GROUP_THERAPY, id=f"group-{day.name}")
        for day in weekdays[::2]
    ]
    start = pendulum.date(2027, 1, 4)
    end = start.add(years=years).subtract(days=1)
    half = start.add(months=6 * years)
    return cp.CarePlan(
        cp.Client("bench"),
        cp.DEFAULT["IOP"],
        cp.WeeklySchedule(ZONE, sessions),
        start,
        end,
        closures=[cp.Closure(start.add(weeks=week, days=2)) for week in range(0, 52 * years, 5)],
        authorizations=[
            cp.Authorization("IOP", start, half, 10_000),
            cp.Authorization("IOP", half.add(days=8), end, 10_000),
        ],
        id="bench",
    )


def main() -> int:
    rows = []
    for years in (1, 2, 5, 10):
        plan = make_plan(years)
        count = len(plan.occurrences())
        report = cp.validate(plan)
        assert {"intensity.hours_per_week", "required.missing"} <= report.codes
        check, base, ratio = paired(
            lambda plan=plan: cp.validate(plan), occurrence_baseline(count, ZONE, 3650)
        )
        rows.append((years, count, base / count * 1e6, check / count * 1e6, ratio))
    first_ratio = rows[0][4]
    head = ("years", "occurr.", "base us", "validate us", "x base", "growth")
    print("{:>5} {:>7} {:>8} {:>11} {:>6} {:>6}".format(*head))
    for years, count, base, check, ratio in rows:
        print(
            f"{years:>5} {count:>7} {base:>8.2f} {check:>11.2f} {ratio:>6.1f} "
            f"{ratio / first_ratio:>6.2f}"
        )
    growth = rows[-1][4] / first_ratio
    print(
        f"\nper-occurrence cost of validation, 10 years vs 1 year: {growth:.2f}x "
        "(linear work keeps this near 1)"
    )
    if growth > 1.5:
        print("growth is not linear: investigate before merging")
    print(billing_line())
    return 0


def billing_line() -> str:
    """Billing the sample plan (a month of attendance judged, the rest a forecast)."""
    plan = sample_plan()
    today = plan.start.add(days=30)
    count = len(plan.occurrences())
    took, _, ratio = paired(
        lambda: cp.billing(plan, cp.MEDICARE_2024, today=today),
        occurrence_baseline(count, plan.schedule.timezone, 90),
        rounds=15,
    )
    return (
        f"billing, sample plan ({count} occurrences, {cp.MEDICARE_2024.name}): "
        f"{took * 1000:.2f} ms per call, {ratio:.1f}x the baseline"
    )


if __name__ == "__main__":
    sys.exit(main())
