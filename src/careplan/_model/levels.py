"""Levels of care, their intensity, and the continuum that orders them."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from typing import Literal

import attrs

from careplan._model.checks import (
    MAX_EVERY_WEEKS,
    choice,
    identifier,
    instance,
    number,
    optional_number,
    text,
    tuple_converted,
    tuple_of,
    unique,
    whole,
)
from careplan._model.errors import InvalidValueError, UnknownLevelError
from careplan._model.kinds import SessionKind, session_kind

__all__ = ["Continuum", "Intensity", "LevelOfCare", "Range", "RequiredComponent", "Severity"]

#: Whether a :class:`Range`'s upper bound belongs to the range.
UpperBound = Literal["inclusive", "exclusive"]

#: How serious a violation is: ``"error"`` makes the plan invalid,
#: ``"warning"`` asks a clinician to look. Defined here, below the report,
#: because a level's required components carry one.
Severity = Literal["error", "warning"]


#: The largest bound of a :class:`Range` and the largest rank of a level:
#: far beyond any week's hours, and small enough for every export to write.
MAX_FIGURE = 1_000_000


@attrs.frozen
class Range:
    """A numeric range with optional bounds; ``None`` leaves a side open.

    Attributes:
        min: The lowest value in the range (inclusive), or ``None``.
        max: The highest value, or ``None`` for an open upper bound.
        upper: Whether ``max`` itself is in the range. ASAM level 1 is
            "< 9 h/week": ``Range(max=9, upper="exclusive")``.

    >>> Range(3, 5).contains(5)
    True
    >>> Range(max=9, upper="exclusive").contains(9)
    False
    >>> str(Range(20))
    '≥ 20'
    >>> asam_2_1 = Range(9, 20, "exclusive")
    >>> asam_2_1.contains(19.5), asam_2_1.contains(20), str(asam_2_1)
    (True, False, '9 to < 20')
    """

    min: float | None = None
    max: float | None = None
    upper: UpperBound = "inclusive"

    def __attrs_post_init__(self) -> None:
        optional_number("Range.min", self.min, 0, MAX_FIGURE, "bounds are 0 or more, or None")
        optional_number("Range.max", self.max, 0, MAX_FIGURE, "bounds are 0 or more, or None")
        choice("Range.upper", self.upper, UpperBound, "a bound kind")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise InvalidValueError(
                "Range", (self.min, self.max), "has min above max", "swap the bounds"
            )

    @property
    def is_open(self) -> bool:
        """True when neither bound is set: nothing is known about the range."""
        return self.min is None and self.max is None

    def below(self, value: float) -> bool:
        """True when ``value`` is under the lower bound."""
        return self.min is not None and value < self.min - 1e-9

    def above(self, value: float) -> bool:
        """True when ``value`` is over the upper bound."""
        if self.max is None:
            return False
        if self.upper == "exclusive":
            return value >= self.max - 1e-9
        return value > self.max + 1e-9

    def contains(self, value: float) -> bool:
        """True when ``value`` is within both bounds."""
        return not self.below(value) and not self.above(value)

    def __str__(self) -> str:
        low, high = _num(self.min), _num(self.max)
        if self.min is None and self.max is None:
            return "any"
        if self.max is None:
            return f"≥ {low}"
        if self.min is None or self.min == 0:
            return f"< {high}" if self.upper == "exclusive" else f"≤ {high}"
        if self.min == self.max:
            return low
        return f"{low} to < {high}" if self.upper == "exclusive" else f"{low}–{high}"


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@attrs.frozen
class Intensity:
    """How much treatment a level asks for.

    Each figure is a :class:`Range`; an unknown one stays open rather than
    invented.

    Attributes:
        days_per_week: Treatment days in a week.
        hours_per_day: Hours of sessions on a treatment day.
        hours_per_week: Hours of sessions in a week.
    """

    days_per_week: Range = attrs.field(factory=Range)
    hours_per_day: Range = attrs.field(factory=Range)
    hours_per_week: Range = attrs.field(factory=Range)

    def __attrs_post_init__(self) -> None:
        instance("Intensity.days_per_week", self.days_per_week, Range)
        instance("Intensity.hours_per_day", self.hours_per_day, Range)
        instance("Intensity.hours_per_week", self.hours_per_week, Range)


#: What a cadence in weeks may be, and how to fix one that is not.
EVERY_WEEKS_HINT = "use 1 for every week, 2 for every other week, at most 52 (once a year)"


def every_weeks(field: str, value: object) -> int:
    """A cadence in weeks: a whole number from 1 to 52."""
    if type(value) is int and 1 <= value <= MAX_EVERY_WEEKS:
        return value  # the usual case, checked without building a message
    return whole(field, value, 1, MAX_EVERY_WEEKS, EVERY_WEEKS_HINT)


def _required_every_weeks(value: int) -> int:
    return every_weeks("RequiredComponent.every_weeks", value)


def _required_kind(value: SessionKind | str) -> SessionKind:
    return session_kind("RequiredComponent.kind", value)


@attrs.frozen
class RequiredComponent:
    """A kind of session a level must include, at a minimum cadence.

    Attributes:
        kind: The session kind (or its code).
        every_weeks: At least one such session in every window of this many
            weeks (1: weekly; 2: every other week; at most 52).
        severity: What a schedule without it is: ``"error"`` for a
            requirement a source states, ``"warning"`` for a clinic default
            a clinician may set aside (a psychiatric consult that ASAM
            allows to be met by consultation and referral).

    >>> consult = RequiredComponent(SessionKind.PSYCHIATRIC, every_weeks=2, severity="warning")
    >>> consult.every_weeks, consult.severity
    (2, 'warning')
    """

    kind: SessionKind = attrs.field(converter=_required_kind)
    every_weeks: int = attrs.field(default=1, converter=_required_every_weeks)
    severity: Severity = "error"

    def __attrs_post_init__(self) -> None:
        choice("RequiredComponent.severity", self.severity, Severity, "a severity")


def _best_for_item(field: str, value: object) -> str:
    return text(field, value)


def _level_best_for(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("LevelOfCare.best_for", value, _best_for_item, "strings")


def _level_required(value: Iterable[RequiredComponent]) -> tuple[RequiredComponent, ...]:
    return tuple_of("LevelOfCare.required", value, RequiredComponent)


@attrs.frozen
class LevelOfCare:
    """One level on a continuum of care.

    Attributes:
        code: Short stable code ("IOP", "2.1").
        name: Human name ("Intensive Outpatient").
        rank: Higher is more intensive; orders the continuum (a finite
            number within ±1,000,000).
        intensity: The level's expected days and hours.
        overnight: The client sleeps on site (residential, inpatient).
        best_for: Short indications, for display.
        required: Session kinds the level must include.
        step_down_grace_weeks: In the last weeks of an episode at this level
            that ends in a step down, weekly figures below the level's
            minimum are a warning rather than an error (ASAM allows one to
            two weeks for IOP). 0 disables the window; at most 52.

    >>> from careplan import DEFAULT
    >>> iop = DEFAULT["IOP"]
    >>> (iop.name, str(iop.intensity.hours_per_day), iop.overnight)
    ('Intensive Outpatient Program', '3–4', False)
    """

    code: str
    name: str
    rank: float
    intensity: Intensity = attrs.field(factory=Intensity)
    overnight: bool = False
    best_for: tuple[str, ...] = attrs.field(default=(), converter=_level_best_for)
    required: tuple[RequiredComponent, ...] = attrs.field(default=(), converter=_level_required)
    step_down_grace_weeks: int = 0

    def __attrs_post_init__(self) -> None:
        identifier("LevelOfCare.code", self.code)
        text("LevelOfCare.name", self.name)
        number("LevelOfCare.rank", self.rank, -MAX_FIGURE, MAX_FIGURE)
        instance("LevelOfCare.intensity", self.intensity, Intensity)
        instance("LevelOfCare.overnight", self.overnight, bool, "use True or False")
        whole(
            "LevelOfCare.step_down_grace_weeks",
            self.step_down_grace_weeks,
            0,
            MAX_EVERY_WEEKS,
            "use 0 for no grace window, 2 for ASAM's IOP taper",
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


def _by_rank(levels: Iterable[LevelOfCare]) -> tuple[LevelOfCare, ...]:
    found = tuple_of("Continuum.levels", levels, LevelOfCare)
    if not found:
        raise InvalidValueError(
            "Continuum.levels", found, "has no levels", "add at least one level"
        )
    unique(
        "Continuum.levels", found, "code", "is used by two levels", "give each level its own code"
    )
    unique(
        "Continuum.levels",
        found,
        "rank",
        "is the rank of two levels",
        "give each level its own rank so step up and step down are defined",
    )
    return tuple(sorted(found, key=lambda level: level.rank))


class Targets(Mapping[str, "str | None"]):
    """A read-only map of level code to level code (or ``None``): a continuum's ladder.

    Unlike a ``types.MappingProxyType`` it pickles and deep-copies, so a
    continuum (and a plan holding one) can be sent to another process.
    It equals any mapping with the same items.
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str | None]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> str | None:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __reduce__(self) -> tuple[type[Targets], tuple[dict[str, str | None]]]:
        return (Targets, (self._items,))

    def __repr__(self) -> str:
        return f"Targets({self._items!r})"


def _targets(field: str, value: object) -> Mapping[str, str | None]:
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        raise InvalidValueError(
            field, value, "is not a mapping", "map level codes to level codes or None"
        )
    found: dict[str, str | None] = {}
    for origin, target in value.items():
        found[identifier(f"{field} key", origin)] = (
            None if target is None else identifier(f"{field} value", target)
        )
    # Sorted and read-only, so two continua built from the same data are equal
    # whatever order the mapping was written in.
    return Targets(dict(sorted(found.items())))


def _down_targets(value: Mapping[str, str | None] | None) -> Mapping[str, str | None]:
    return _targets("Continuum.step_down_targets", value)


def _up_targets(value: Mapping[str, str | None] | None) -> Mapping[str, str | None]:
    return _targets("Continuum.step_up_targets", value)


@attrs.frozen
class Continuum:
    """A catalog of levels of care, least intensive first, and the ladder between them.

    Rank orders the levels by intensity, but rank order alone is not the
    ladder: ASAM's 4th edition runs clinically managed levels (x.1, x.5)
    beside medically managed ones (x.7), and a step down from 2.1 goes to 1.5,
    not to 1.7. Per level, ``step_down_targets`` and ``step_up_targets`` name
    the default move; a level without an entry moves to its neighbour in rank
    order, and an entry of ``None`` means the level has no default move that
    way (pass ``to=`` explicitly).

    Attributes:
        name: The catalog's name ("DEFAULT", "ASAM_3", or your own).
        levels: The levels, ordered by ``rank``; codes are unique.
        step_down_targets: Level code -> the code of its default step-down
            target (a less intensive level), or ``None`` for none.
        step_up_targets: Level code -> the code of its default step-up target
            (a more intensive level), or ``None`` for none.

    >>> from careplan import ASAM_4, DEFAULT
    >>> [level.code for level in DEFAULT]
    ['OP', 'IOP', 'PHP', 'RES', 'INP']
    >>> DEFAULT.above(DEFAULT["IOP"]).code
    'PHP'
    >>> DEFAULT.below(DEFAULT["OP"]) is None
    True
    >>> ASAM_4.below("2.1").code, ASAM_4.above("1.5").code, ASAM_4.below("2.7").code
    ('1.5', '2.1', '1.7')
    """

    name: str
    levels: tuple[LevelOfCare, ...] = attrs.field(converter=_by_rank)
    step_down_targets: Mapping[str, str | None] = attrs.field(
        default=None, converter=_down_targets, hash=False
    )
    step_up_targets: Mapping[str, str | None] = attrs.field(
        default=None, converter=_up_targets, hash=False
    )

    def __attrs_post_init__(self) -> None:
        text("Continuum.name", self.name)
        for field, targets, sign in (
            ("step_down_targets", self.step_down_targets, -1),
            ("step_up_targets", self.step_up_targets, 1),
        ):
            for origin, target in targets.items():
                if origin not in self:
                    raise InvalidValueError(
                        f"Continuum.{field} key",
                        origin,
                        "is not a level of the continuum",
                        f"use one of {self.codes}",
                    )
                # A level of the continuum: its code may name the entry.
                where = f"Continuum.{field}[{origin!r}]"
                if target is None:
                    continue
                if target not in self:
                    raise InvalidValueError(
                        where, target, "is not a level of the continuum", f"use one of {self.codes}"
                    )
                if (self[target].rank - self[origin].rank) * sign <= 0:
                    way = "below" if sign < 0 else "above"
                    raise InvalidValueError(
                        where,
                        target,
                        f"is not {way} {origin} in rank",
                        f"a default {field.split('_targets')[0].replace('_', ' ')} target "
                        f"must rank {way} the level it leaves",
                    )

    def __iter__(self) -> Iterator[LevelOfCare]:
        return iter(self.levels)

    def __len__(self) -> int:
        return len(self.levels)

    def __contains__(self, item: object) -> bool:
        if isinstance(item, LevelOfCare):
            return item in self.levels
        return any(level.code == item for level in self.levels)

    @property
    def codes(self) -> tuple[str, ...]:
        """The level codes, least intensive first."""
        return tuple(level.code for level in self.levels)

    def __getitem__(self, code: str) -> LevelOfCare:
        """The level with ``code``.

        Raises:
            UnknownLevelError: No level has that code.
        """
        found = self.get(code)
        if found is None:
            raise UnknownLevelError(code, self.name, self.codes)
        return found

    def resolve(self, level: LevelOfCare | str, field: str = "level") -> LevelOfCare:
        """``level`` itself, or the level of this continuum with that code.

        Every function that takes a level takes its code too, resolved this
        way on the continuum in play.

        Raises:
            UnknownLevelError: A code that is not on the continuum.
            InvalidValueError: Neither a level nor a code.

        >>> from careplan import DEFAULT
        >>> DEFAULT.resolve("IOP") is DEFAULT["IOP"]
        True
        """
        if isinstance(level, LevelOfCare):
            return level
        if isinstance(level, str):
            return self[level]
        raise InvalidValueError(
            field, level, "is not a level of care", "pass a LevelOfCare or its code ('IOP')"
        )

    def get(self, code: str) -> LevelOfCare | None:
        """The level with ``code``, or ``None``."""
        return next((level for level in self.levels if level.code == code), None)

    def _index(self, level: LevelOfCare | str) -> int:
        code = level if isinstance(level, str) else level.code
        return self.levels.index(self[code])

    def _target(
        self, level: LevelOfCare | str, targets: Mapping[str, str | None], step: int
    ) -> LevelOfCare | None:
        index = self._index(level)
        code = self.levels[index].code
        if code in targets:
            target = targets[code]
            return None if target is None else self[target]
        index += step
        return self.levels[index] if 0 <= index < len(self.levels) else None

    def above(self, level: LevelOfCare | str) -> LevelOfCare | None:
        """The default step-up target, or ``None`` when there is none (the top).

        >>> from careplan import DEFAULT
        >>> DEFAULT.above("IOP").code, DEFAULT.above("INP")
        ('PHP', None)
        """
        return self._target(level, self.step_up_targets, 1)

    def below(self, level: LevelOfCare | str) -> LevelOfCare | None:
        """The default step-down target, or ``None`` when there is none (the bottom).

        >>> from careplan import DEFAULT
        >>> DEFAULT.below("IOP").code, DEFAULT.below("OP")
        ('OP', None)
        """
        return self._target(level, self.step_down_targets, -1)

    def distance(self, origin: LevelOfCare | str, target: LevelOfCare | str) -> int:
        """How many default moves separate two levels (positive when ``target`` ranks above).

        A move counts as one step when it follows a default step-up or
        step-down target either way; two levels the ladder does not connect
        are as many steps apart as their places in rank order.

        >>> from careplan import ASAM_4
        >>> [ASAM_4.distance(a, b) for a, b in (("2.1", "1.5"), ("2.5", "1.0"), ("1.5", "1.7"))]
        [-1, -3, 1]
        """
        start, goal = self._index(origin), self._index(target)
        sign = (goal > start) - (goal < start)
        steps = self._ladder().get((self.levels[start].code, self.levels[goal].code))
        return sign * (abs(goal - start) if steps is None else steps)

    def _ladder(self) -> dict[tuple[str, str], int]:
        """Shortest numbers of default moves between every connected pair of levels."""
        neighbours: dict[str, set[str]] = {code: set() for code in self.codes}
        for level in self.levels:
            for other in (self.above(level), self.below(level)):
                if other is not None:
                    neighbours[level.code].add(other.code)
                    neighbours[other.code].add(level.code)
        found: dict[tuple[str, str], int] = {}
        for code in self.codes:
            queue, seen = deque([(code, 0)]), {code}
            while queue:
                current, steps = queue.popleft()
                found[(code, current)] = steps
                for following in sorted(neighbours[current] - seen):
                    seen.add(following)
                    queue.append((following, steps + 1))
        return found

    def runs_at_level_above(self, level: LevelOfCare, hours_per_week: float) -> LevelOfCare | None:
        """The level above whose weekly minimum ``hours_per_week`` reaches, if any.

        Only for a level that is not 24-hour care, judged against its default
        step-up target when that is not 24-hour care either. Hours the level's
        own stated range still holds are not too many: the article's IOP runs
        to 20 h/week inclusive while PHP starts at 20.

        >>> from careplan import ASAM_4, DEFAULT
        >>> ASAM_4.runs_at_level_above(ASAM_4["1.5"], 9).code
        '2.1'
        >>> DEFAULT.runs_at_level_above(DEFAULT["IOP"], 20) is None
        True
        """
        above = self.above(level)
        if level.overnight or above is None or above.overnight:
            return None
        threshold = above.intensity.hours_per_week.min
        own = level.intensity.hours_per_week
        if threshold is None or hours_per_week < threshold - 1e-9:
            return None
        if own.max is not None and own.contains(hours_per_week):
            return None
        return above
