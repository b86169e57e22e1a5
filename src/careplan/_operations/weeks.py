"""Figures of each week of a plan, counted over real occurrences.

Rules judge intensity week by week. Each week carries two sets of
occurrences: the ones that really happen (closures, cancellations and moves
applied) and the regular ones (the schedule alone), so a rule can tell a
schedule that is too thin from a week that a holiday made thin.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict

import attrs
import pendulum

from careplan._model.levels import LevelOfCare
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.time import week_start
from careplan._model.transition import Episode
from careplan._operations.expansion import expand, occurrences

__all__ = ["WeekFigures", "week_figures"]


@attrs.frozen
class WeekFigures:
    """One Monday-to-Sunday week of a plan.

    A week that a transition cuts in two appears once for each episode,
    each part holding that episode's days.

    Attributes:
        monday: The Monday that starts the week (may be before the plan).
        first: The first day of the week inside the episode.
        last: The last day of the week inside the episode.
        actual: The occurrences that really happen in those days.
        regular: The occurrences the schedule alone puts in those days.
        level: The level of care of the episode.
        episode: The index of the episode in :attr:`CarePlan.episodes`.
        in_step_down_grace: The week is in the level's step-down grace
            window (see :attr:`LevelOfCare.step_down_grace_weeks`).
        on_hold: A leave of absence (:class:`~careplan.Hold`) covers some of
            the week's days, so its minimums are not judged.
    """

    monday: pendulum.Date
    first: pendulum.Date
    last: pendulum.Date
    actual: tuple[Occurrence, ...]
    regular: tuple[Occurrence, ...]
    level: LevelOfCare
    episode: int = 0
    in_step_down_grace: bool = False
    on_hold: bool = False

    @property
    def days_in_plan(self) -> int:
        """How many days of this week are inside the episode."""
        return (self.last.toordinal() - self.first.toordinal()) + 1

    @property
    def is_full(self) -> bool:
        """True when the whole week is inside one episode."""
        return self.days_in_plan == 7

    @property
    def judged_in_full(self) -> bool:
        """True when the week's minimums are judged: a full week with no hold."""
        return self.is_full and not self.on_hold


def minutes_by_date(items: tuple[Occurrence, ...]) -> dict[pendulum.Date, int]:
    """Minutes of sessions on each local date."""
    totals: dict[pendulum.Date, int] = defaultdict(int)
    for occurrence in items:
        totals[occurrence.date] += occurrence.minutes
    return dict(totals)


def total_minutes(items: tuple[Occurrence, ...]) -> int:
    """Minutes of all the occurrences."""
    return sum(occurrence.minutes for occurrence in items)


def week_figures(
    plan: CarePlan, found: tuple[Occurrence, ...] | None = None
) -> tuple[WeekFigures, ...]:
    """The weeks of each episode of ``plan``, first to last.

    ``found`` are the plan's own occurrences, when the caller has them already.
    """
    if plan.end < plan.start:
        return ()
    actual = _by_week(occurrences(plan) if found is None else found)
    held = plan.held_days
    weeks = []
    for index, episode in enumerate(plan.episodes):
        if not episode.days:
            continue  # a level left on the day it began has no weeks
        regular = _by_week(
            expand(
                episode.schedule,
                episode.start,
                episode.end,
                cadence_start=episode.start,
                episode=index,
            )
        )
        grace_from = _grace_start(plan, episode)
        monday = week_start(episode.start)
        while monday <= episode.end:
            sunday = monday.add(days=6)
            first, last = max(monday, episode.start), min(sunday, episode.end)
            weeks.append(
                WeekFigures(
                    monday,
                    first,
                    last,
                    tuple(o for o in actual.get(monday, ()) if o.episode == index),
                    regular.get(monday, ()),
                    episode.level,
                    index,
                    grace_from is not None and sunday >= grace_from,
                    any(first <= day <= last for day in held),
                )
            )
            monday = monday.add(weeks=1)
    return tuple(weeks)


def _grace_start(plan: CarePlan, episode: Episode) -> pendulum.Date | None:
    """The first day of the step-down grace window at the end of ``episode``.

    The taper applies before a step down in the plan and, as ASAM's taper is
    about leaving the level for a lower one, before a discharge that refers
    the client to a lower level elsewhere.
    """
    grace = episode.level.step_down_grace_weeks
    leaving = episode.left_by
    if not grace or leaving is None:
        return None
    if leaving.direction == "discharge":
        referral = leaving.referral
        if referral is None or plan.continuum[referral.level].rank >= episode.level.rank:
            return None
    elif leaving.direction != "step_down":
        return None
    return episode.end.subtract(days=7 * grace - 1)


def _by_week(items: tuple[Occurrence, ...]) -> dict[_dt.date, tuple[Occurrence, ...]]:
    weeks: dict[_dt.date, list[Occurrence]] = defaultdict(list)
    for occurrence in items:
        weeks[week_start(occurrence.date)].append(occurrence)
    return {monday: tuple(found) for monday, found in weeks.items()}
