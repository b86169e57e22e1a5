"""Figures of each week of a plan, counted over real occurrences.

Rules judge intensity week by week. Each week carries two sets of
occurrences: the ones that really happen (closures, cancellations and moves
applied) and the regular ones (the schedule alone), so a rule can tell a
schedule that is too thin from a week that a holiday made thin.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs
import pendulum

from careplan._model.expansion import calendar_day, expand, occurrences
from careplan._model.levels import LevelOfCare
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.transition import Episode

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
        actual_minutes_by_day: Minutes of the actual occurrences on each
            local date (computed from ``actual`` when not given; validation
            passes the figures it has from the expansion).
        regular_minutes_by_day: The same for the regular occurrences.
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
    actual_minutes_by_day: Mapping[pendulum.Date, int] = attrs.field(
        default=attrs.Factory(lambda week: minutes_by_date(week.actual), takes_self=True),
        eq=False,
        repr=False,
    )
    regular_minutes_by_day: Mapping[pendulum.Date, int] = attrs.field(
        default=attrs.Factory(lambda week: minutes_by_date(week.regular), takes_self=True),
        eq=False,
        repr=False,
    )

    @property
    def actual_minutes(self) -> int:
        """Minutes of the occurrences that really happen in the week's days."""
        return sum(self.actual_minutes_by_day.values())

    @property
    def regular_minutes(self) -> int:
        """Minutes of the occurrences the schedule alone puts in the week's days."""
        return sum(self.regular_minutes_by_day.values())

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


def week_figures(
    plan: CarePlan,
    found: Sequence[Occurrence] | None = None,
    regular: Sequence[Sequence[Occurrence]] | None = None,
) -> tuple[WeekFigures, ...]:
    """The weeks of each episode of ``plan``, first to last.

    ``found`` are the plan's own occurrences, and ``regular`` each
    episode's regular ones
    (:func:`~careplan._model.expansion.occurrences_and_regular`), when
    the caller has them already.
    """
    if plan.end < plan.start:
        return ()
    actual = occurrences(plan) if found is None else found
    # Each episode's own occurrences: a session of another episode moved
    # into one of its weeks is not counted there.
    own: dict[int, list[Occurrence]] = {}
    for occurrence in actual:
        own.setdefault(occurrence.episode, []).append(occurrence)
    held = sorted(day.toordinal() for day in plan.held_days)
    weeks = []
    for index, episode in enumerate(plan.episodes):
        if not episode.days:
            continue  # a level left on the day it began has no weeks
        regular_rows = (
            expand(
                episode.schedule,
                episode.start,
                episode.end,
                cadence_start=episode.start,
                episode=index,
            )
            if regular is None
            else regular[index]
        )
        rows = own.get(index, [])
        regular_weeks = _by_week(regular_rows)
        # An episode without closures, holds or changes happens as scheduled
        # (the same occurrences: compared by identity first): grouped once.
        actual_weeks = regular_weeks if rows == list(regular_rows) else _by_week(rows)
        grace_from = _grace_start(plan, episode)
        start, end = episode.start.toordinal(), episode.end.toordinal()
        grace = None if grace_from is None else grace_from.toordinal()
        # Ordinals in the loop: pendulum's date arithmetic is slow.
        for monday in range(start - episode.start.weekday(), end + 1, 7):
            first, last = max(monday, start), min(monday + 6, end)
            kept, minutes = actual_weeks.get(monday) or ([], {})
            regular_kept, regular_minutes = regular_weeks.get(monday) or ([], {})
            weeks.append(
                WeekFigures(
                    calendar_day(monday)[0],
                    calendar_day(first)[0],
                    calendar_day(last)[0],
                    tuple(kept),
                    tuple(regular_kept),
                    episode.level,
                    index,
                    grace is not None and monday + 6 >= grace,
                    _any_between(held, first, last),
                    minutes,
                    regular_minutes,
                )
            )
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


def _by_week(
    rows: Iterable[Occurrence],
) -> dict[int, tuple[list[Occurrence], dict[pendulum.Date, int]]]:
    """The occurrences of each week, and their minutes by local date, by the
    ordinal of the week's Monday: one pass over ``rows``."""
    weeks: dict[int, tuple[list[Occurrence], dict[pendulum.Date, int]]] = {}
    for occurrence in rows:
        day = occurrence.date
        monday = day.toordinal() - day.weekday()
        week = weeks.get(monday)
        if week is None:
            week = weeks[monday] = ([], {})
        week[0].append(occurrence)
        minutes = week[1]
        minutes[day] = minutes.get(day, 0) + occurrence.minutes
    return weeks


def _any_between(ordinals: list[int], first: int, last: int) -> bool:
    """True when a sorted list of ordinals has one from ``first`` to ``last``."""
    at = bisect.bisect_left(ordinals, first)
    return at < len(ordinals) and ordinals[at] <= last
