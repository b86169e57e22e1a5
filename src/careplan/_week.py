"""Figures of each week of a plan, counted over real occurrences.

Rules judge intensity week by week. Each week carries two sets of
occurrences: the ones that really happen (closures, cancellations and moves
applied) and the regular ones (the schedule alone), so a rule can tell a
schedule that is too thin from a week that a holiday made thin.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from typing import TYPE_CHECKING

import attrs
import pendulum

from careplan._occurrences import Occurrence, expand
from careplan._time import week_start

if TYPE_CHECKING:
    from careplan._plan import CarePlan

__all__ = ["WeekFigures", "week_figures"]


@attrs.frozen
class WeekFigures:
    """One Monday-to-Sunday week of a plan.

    Attributes:
        monday: The Monday that starts the week (may be before the plan).
        first: The first day of the week inside the plan.
        last: The last day of the week inside the plan.
        actual: The occurrences that really happen this week.
        regular: The occurrences the schedule alone puts in this week.
    """

    monday: pendulum.Date
    first: pendulum.Date
    last: pendulum.Date
    actual: tuple[Occurrence, ...]
    regular: tuple[Occurrence, ...]

    @property
    def days_in_plan(self) -> int:
        """How many days of this week are inside the plan's period."""
        return (self.last - self.first).days + 1

    @property
    def is_full(self) -> bool:
        """True when the whole week is inside the plan."""
        return self.days_in_plan == 7


def minutes_by_date(items: tuple[Occurrence, ...]) -> dict[pendulum.Date, int]:
    """Minutes of sessions on each local date."""
    totals: dict[pendulum.Date, int] = defaultdict(int)
    for occurrence in items:
        totals[occurrence.date] += occurrence.minutes
    return dict(totals)


def total_minutes(items: tuple[Occurrence, ...]) -> int:
    """Minutes of all the occurrences."""
    return sum(occurrence.minutes for occurrence in items)


def week_figures(plan: CarePlan) -> tuple[WeekFigures, ...]:
    """The weeks of ``plan``, first to last (empty when the period is empty)."""
    if plan.end < plan.start:
        return ()
    actual = _by_week(plan.occurrences())
    regular = _by_week(expand(plan.schedule, plan.start, plan.end, cadence_start=plan.start))
    weeks = []
    monday = week_start(plan.start)
    while monday <= plan.end:
        sunday = monday.add(days=6)
        weeks.append(
            WeekFigures(
                monday,
                max(monday, plan.start),
                min(sunday, plan.end),
                actual.get(monday, ()),
                regular.get(monday, ()),
            )
        )
        monday = monday.add(weeks=1)
    return tuple(weeks)


def _by_week(items: tuple[Occurrence, ...]) -> dict[_dt.date, tuple[Occurrence, ...]]:
    weeks: dict[_dt.date, list[Occurrence]] = defaultdict(list)
    for occurrence in items:
        weeks[week_start(occurrence.date)].append(occurrence)
    return {monday: tuple(found) for monday, found in weeks.items()}
