"""How a client's week can be filled: the figures of a set of sessions, the
ways to fill one weekday, and the weekly bounds a level sets.

The planner (:func:`careplan.plan_week`) and the census read them from here.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import attrs

from careplan._model.constraints import LifeConstraints, ObjectiveName
from careplan._model.levels import Continuum, LevelOfCare, Range
from careplan._model.program import Offering
from careplan._model.session import Session

__all__ = [
    "ORDERS",
    "UNITS",
    "DayOption",
    "WeekBounds",
    "average_units",
    "covered",
    "day_options",
    "idle_minutes",
    "overlaps",
    "within",
]

#: The order in which each objective compares (conflicts, days, idle minutes).
ORDERS: dict[str, tuple[int, int, int]] = {
    "fit": (0, 1, 2),
    "fewest_days": (1, 0, 2),
    "compact": (2, 0, 1),
}

# --- the figures of a set of sessions -----------------------------------------


# Average weekly minutes are kept as integers in 1/2520 of a minute: exact
# for every cadence from 1 to 10 weeks, and far cheaper than fractions.
UNITS = 2520


def average_units(sessions: Iterable[Session]) -> int:
    return sum(s.minutes * UNITS // s.every_weeks for s in sessions)


class DayOption(NamedTuple):
    """One way to fill a weekday: its offerings, what it adds to the week, its cost."""

    offerings: tuple[Offering, ...]
    light: int  # minutes in a week without the less-than-weekly sessions
    heavy: int  # minutes in a week with all of them
    average: int  # minutes per week on average, in 1/UNITS minutes
    covers: int  # bitmask of required components covered
    cost: tuple[int, int, int]  # conflicts, days, idle minutes


class _Day(NamedTuple):
    """Running figures of a day being filled by ``day_options``."""

    light: int
    heavy: int
    average: int
    covers: int
    conflicts: int
    first: int  # earliest start minute
    last: int  # latest end minute


def overlaps(sessions: Sequence[Session]) -> bool:
    ordered = sorted(sessions, key=lambda s: s.start_minute)
    return any(
        later.start_minute < earlier.start_minute + earlier.minutes
        for earlier, later in itertools.pairwise(ordered)
    )


def idle_minutes(sessions: Sequence[Session]) -> int:
    if not sessions:
        return 0
    first = min(s.start_minute for s in sessions)
    last = max(s.start_minute + s.minutes for s in sessions)
    return last - first - sum(s.minutes for s in sessions)


def within(bounds: Range, minutes: float) -> bool:
    return bounds.contains(minutes / 60)


def covered(level: LevelOfCare, sessions: Iterable[Session]) -> int:
    mask = 0
    found = list(sessions)
    for index, component in enumerate(level.required):
        if any(s.kind == component.kind and s.every_weeks <= component.every_weeks for s in found):
            mask |= 1 << index
    return mask


def day_options(
    level: LevelOfCare,
    constraints: LifeConstraints,
    offerings: Sequence[Offering],
    objective: ObjectiveName,
    *,
    merge: bool = True,
    limit: int | None = None,
) -> list[DayOption]:
    """The ways to fill one weekday from its offerings that the level allows.

    The first option is the empty day. With ``merge``, only the cheapest of
    the options that change the weekly totals alike (ties by offering ids)
    is kept, found by a dynamic programme over the day's offerings in start
    order whose state is those totals, the day's first and last minute and
    the sessions taken that may still overlap a later one: its size grows
    with the day's minutes, not with the number of subsets. Without
    ``merge`` every option is listed (the census keeps them all: they use
    different seats) by a depth-first walk that never extends a day past the
    level's daily maximum or into an overlap; with ``limit`` the walk stops
    once it has found more than ``limit`` options, so a longer list says it
    was cut short.
    """
    day = _DayFigures.of(level, constraints, offerings)
    if merge:
        return day.merged(objective)
    options = [DayOption((), 0, 0, 0, 0, (0, 0, 0))]

    def walk(
        start: int, picked: tuple[int, ...], busy: tuple[tuple[int, int], ...], so_far: _Day
    ) -> None:
        for index in range(start, len(day.ordered)):
            if limit is not None and len(options) > limit:
                return
            grown = day.grow(so_far, index, busy)
            if grown is None:
                continue
            chosen = (*picked, index)
            option = day.option(chosen, grown)
            if option is not None:
                options.append(option)
            walk(index + 1, chosen, busy + day.spans[index], grown)

    walk(0, (), (), _EMPTY_DAY)
    return options


_EMPTY_DAY = _Day(0, 0, 0, 0, 0, 24 * 60, 0)
# A day being filled by the merged programme: its figures (conflicts aside) and
# the spans of its sessions a later offering may still overlap.
_DayState = tuple[_Day, tuple[tuple[int, int], ...]]
# Its cheapest filling: the cost as compared, the offering ids, the picks, the figures.
_DayValue = tuple[tuple[int, ...], tuple[str, ...], tuple[int, ...], _Day]
#: What a day adds to the week's totals: light, heavy, average minutes, covers, any.
_Signature = tuple[int, int, int, int, bool]


@attrs.frozen
class _DayFigures:
    """A weekday's offerings in start order, with the figures each adds to a day."""

    level: LevelOfCare
    ordered: tuple[Offering, ...]
    spans: tuple[tuple[tuple[int, int], ...], ...]
    heavy_of: tuple[int, ...]
    first_of: tuple[int, ...]
    last_of: tuple[int, ...]
    light_of: tuple[int, ...]
    average_of: tuple[int, ...]
    covers_of: tuple[int, ...]
    conflicts_of: tuple[int, ...]
    ceiling: float | None  # no day holds more minutes than the level allows a day or a week

    @classmethod
    def of(
        cls, level: LevelOfCare, constraints: LifeConstraints, offerings: Sequence[Offering]
    ) -> _DayFigures:
        per_day = level.intensity.hours_per_day
        caps = [b.max * 60 for b in (per_day, level.intensity.hours_per_week) if b.max is not None]
        ordered = tuple(sorted(offerings, key=lambda o: (o.start_minute, o.id)))
        spans = tuple(
            tuple((s.start_minute, s.start_minute + s.minutes) for s in o.sessions) for o in ordered
        )
        return cls(
            level,
            ordered,
            spans,
            tuple(o.minutes for o in ordered),
            tuple(min(begin for begin, _ in span) for span in spans),
            tuple(max(end for _, end in span) for span in spans),
            tuple(sum(s.minutes for s in o.sessions if s.every_weeks == 1) for o in ordered),
            tuple(average_units(o.sessions) for o in ordered),
            tuple(covered(level, o.sessions) for o in ordered),
            tuple(sum(constraints.conflicts(s) for s in o.sessions) for o in ordered),
            min(caps) if caps else None,
        )

    def grow(self, day: _Day, index: int, busy: tuple[tuple[int, int], ...]) -> _Day | None:
        """``day`` with offering ``index`` added, or ``None`` past the ceiling or on an overlap."""
        heavy = day.heavy + self.heavy_of[index]
        if self.ceiling is not None and heavy > self.ceiling + 1e-9:
            return None
        if any(a < d and c < b for a, b in self.spans[index] for c, d in busy):
            return None  # overlaps a session already taken that day
        return _Day(
            day.light + self.light_of[index],
            heavy,
            day.average + self.average_of[index],
            day.covers | self.covers_of[index],
            day.conflicts + self.conflicts_of[index],
            min(day.first, self.first_of[index]),
            max(day.last, self.last_of[index]),
        )

    def option(self, picked: tuple[int, ...], day: _Day) -> DayOption | None:
        """The option of taking ``picked``, or ``None`` when the level refuses such a day."""
        per_day = self.level.intensity.hours_per_day
        if day.light == 0:
            return None  # a day that only some weeks have would change the day count
        if not (within(per_day, day.light) and within(per_day, day.heavy)):
            return None
        return DayOption(
            tuple(self.ordered[i] for i in picked),
            day.light,
            day.heavy,
            day.average,
            day.covers,
            (day.conflicts, 1, day.last - day.first - day.heavy),
        )

    def merged(self, objective: ObjectiveName) -> list[DayOption]:
        """The cheapest option of each signature (ties by offering ids).

        Offerings come in start order, so a day's first minute is set by its
        first offering and never moves: the state keeps the figures that
        later offerings change alike (totals, last minute, the sessions that
        may still overlap a later one) and each state's cheapest filling.
        """
        order = ORDERS[objective]
        # Sessions ending before every later offering starts can overlap none
        # of them: the state forgets them.
        later = [24 * 60] * (len(self.ordered) + 1)
        for index in range(len(self.ordered) - 1, -1, -1):
            later[index] = min(later[index + 1], self.first_of[index])
        states: dict[_DayState, _DayValue] = {(_EMPTY_DAY, ()): ((), (), (), _EMPTY_DAY)}
        for index in range(len(self.ordered)):
            following: dict[_DayState, _DayValue] = {}
            for (key_day, live), value in states.items():
                extended = [(key_day, live, value)]
                grown = self.grow(value[3], index, live)
                if grown is not None:
                    picked = (*value[2], index)
                    cost = (grown.conflicts, 1, grown.last - grown.first - grown.heavy)
                    extended.append(
                        (
                            grown._replace(conflicts=0, first=0),
                            (*live, *self.spans[index]),
                            (
                                tuple(cost[i] for i in order),
                                (*value[1], self.ordered[index].id),
                                picked,
                                grown,
                            ),
                        )
                    )
                for day, spans, found in extended:
                    key = (day, tuple(s for s in spans if s[1] > later[index + 1]))
                    kept = following.get(key)
                    if kept is None or found[:2] < kept[:2]:
                        following[key] = found
            states = following
        best: dict[_Signature, tuple[tuple[int, ...], tuple[str, ...], DayOption]] = {
            (0, 0, 0, 0, False): ((0, 0, 0), (), DayOption((), 0, 0, 0, 0, (0, 0, 0)))
        }
        for rank, ids, picked, day in states.values():
            option = self.option(picked, day) if picked else None
            if option is None:
                continue
            signature = (option.light, option.heavy, option.average, option.covers, True)
            held = best.get(signature)
            if held is None or (rank, ids) < held[:2]:
                best[signature] = (rank, ids, option)
        return [value[2] for value in best.values()]


def _minute_bounds(bounds: Range, most: int) -> tuple[int, int]:
    """The fewest and most whole minutes in ``bounds`` (read as hours), up to ``most``."""
    low = 0 if bounds.min is None else max(0, math.floor(bounds.min * 60) - 1)
    while low <= most and not bounds.contains(low / 60):
        low += 1
    high = most if bounds.max is None else min(most, math.ceil(bounds.max * 60) + 1)
    while high >= low and not bounds.contains(high / 60):
        high -= 1
    return low, high


@attrs.frozen
class WeekBounds:
    """What a level asks of a regular week's totals, for one client.

    The single statement of the weekly rules: the dynamic programme, the
    final check and the census solver all read them from here.

    Attributes:
        min_days: Fewest treatment days.
        max_days: Most treatment days (the level's and the client's cap).
        min_minutes: Fewest minutes in a week, with or without the
            less-than-weekly sessions.
        max_minutes: Most minutes in such a week.
        required: Bit mask of the level's required components.
        average_below: Average weekly minutes (in 1/2520 minute) must stay
            below this, or ``None``: an outpatient week at the next level's
            intensity belongs to that level.
    """

    min_days: int
    max_days: int
    min_minutes: int
    max_minutes: int
    required: int
    average_below: int | None

    @classmethod
    def of(
        cls,
        level: LevelOfCare,
        continuum: Continuum | None,
        constraints: LifeConstraints,
        *,
        warnings: bool = True,
    ) -> WeekBounds:
        """The bounds for ``level`` (on ``continuum``) and a client's week.

        With ``warnings`` (the default) every required component counts;
        without, only those whose severity is ``"error"``.
        """
        intensity = level.intensity
        days = [d for d in range(8) if intensity.days_per_week.contains(d)]
        # A day-program level needs a treatment day; 24-hour care may have
        # none (no source asks it for sessions on a number of days).
        days = [d for d in days if d >= (0 if level.overnight else 1)]
        if constraints.max_days_per_week is not None:
            days = [d for d in days if d <= constraints.max_days_per_week]
        low, high = _minute_bounds(intensity.hours_per_week, 7 * 24 * 60)
        return cls(
            min(days, default=1),
            max(days, default=0),
            low,
            high,
            sum(
                1 << index
                for index, component in enumerate(level.required)
                if warnings or component.severity == "error"
            ),
            _average_below(level, continuum),
        )

    def admits(self, days: int, light: int, heavy: int, average: int, covers: int) -> bool:
        """Whether a week with these totals meets the bounds."""
        return (
            covers & self.required == self.required
            and self.min_days <= days <= self.max_days
            and self.min_minutes <= light <= self.max_minutes
            and self.min_minutes <= heavy <= self.max_minutes
            and (self.average_below is None or average < self.average_below)
        )


def _average_below(level: LevelOfCare, continuum: Continuum | None) -> int | None:
    """The bound on a week's average (in 1/2520 minute) that keeps it at ``level``.

    The units form of :meth:`Continuum.runs_at_level_above`: below the step-up
    target's weekly minimum, or within the level's own stated range.
    """
    if continuum is None or level.overnight:
        return None
    above = continuum.above(level)
    if above is None or above.overnight or above.intensity.hours_per_week.min is None:
        return None
    below = math.ceil(above.intensity.hours_per_week.min * 60 * UNITS)
    own = level.intensity.hours_per_week
    if own.max is not None:
        top = own.max * 60 * UNITS
        own_below = math.floor(top) + 1 if own.upper == "inclusive" else math.ceil(top)
        below = max(below, own_below)
    return below
