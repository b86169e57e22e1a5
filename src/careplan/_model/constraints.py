"""What a client's week leaves free: busy blocks, preferred day parts, modality."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs
import pendulum

from careplan._model.checks import hidden, shown, text, tuple_converted, tuple_of
from careplan._model.errors import InvalidValueError, require_choice
from careplan._model.session import DayPart, Session
from careplan._model.time import (
    format_wall_time,
    minute_of_day,
    wall_time,
    weekdays_from,
)

__all__ = ["BusyBlock", "LifeConstraints", "ModalityPreference", "ObjectiveName"]

#: The order in which a schedule's costs are compared.
#:
#: - ``"fit"`` (default): fewest sessions outside the preferred day parts,
#:   then fewest treatment days, then the most compact days.
#: - ``"fewest_days"``: fewest days first, then preferences, then compactness.
#: - ``"compact"``: least idle time between sessions first.
ObjectiveName = Literal["fit", "fewest_days", "compact"]
#: Which modalities a client can attend.
ModalityPreference = Literal["in_person", "virtual", "either"]


def _block_label(value: str) -> str:
    return text("BusyBlock.label", value)


@attrs.frozen
class BusyBlock:
    """A weekly block of time the client is not available: work, school, childcare.

    Attributes:
        label: What it is ("work", "school pickup"); hidden from the repr.
        weekdays: The days it recurs on (names or :class:`pendulum.WeekDay`).
        start: Wall-clock start (``"09:00"``).
        end: Wall-clock end; ``"24:00"`` is not accepted, use ``"23:59"``.
        buffer_minutes: Travel time kept free before and after.

    >>> BusyBlock("work", ["monday", "tuesday"], "09:00", "17:00", 30).free_from_minute
    1050
    """

    label: str = attrs.field(converter=_block_label, repr=hidden)
    weekdays: tuple[pendulum.WeekDay, ...] = attrs.field(converter=weekdays_from)
    start: pendulum.Time = attrs.field(converter=wall_time)
    end: pendulum.Time = attrs.field(converter=wall_time)
    buffer_minutes: int = 0

    def __attrs_post_init__(self) -> None:
        if minute_of_day(self.end) <= minute_of_day(self.start):
            raise InvalidValueError(
                "BusyBlock.end",
                format_wall_time(self.end),
                f"is not after the start {format_wall_time(self.start)}",
                "split a block that crosses midnight into two",
            )
        if (
            isinstance(self.buffer_minutes, bool)
            or not isinstance(self.buffer_minutes, int)
            or not 0 <= self.buffer_minutes <= 240
        ):
            raise InvalidValueError(
                "BusyBlock.buffer_minutes",
                self.buffer_minutes,
                "is not between 0 and 240 minutes",
            )

    @property
    def busy_from_minute(self) -> int:
        """First busy minute of the day, buffer included."""
        return minute_of_day(self.start) - self.buffer_minutes

    @property
    def free_from_minute(self) -> int:
        """First free minute after the block, buffer included."""
        return minute_of_day(self.end) + self.buffer_minutes

    def collides(self, session: Session) -> bool:
        """True when ``session`` overlaps the block or its buffers."""
        if session.weekday not in self.weekdays:
            return False
        begin = session.start_minute
        return begin < self.free_from_minute and self.busy_from_minute < begin + session.minutes


def _busy(value: Iterable[BusyBlock]) -> tuple[BusyBlock, ...]:
    return tuple_of("LifeConstraints.busy", value, BusyBlock)


def day_part(field: str, value: object) -> DayPart:
    """A :class:`DayPart`, or its value (``"morning"``)."""
    if isinstance(value, DayPart):
        return value
    for part in DayPart:
        if value == part.value:
            return part
    raise InvalidValueError(
        field,
        value if isinstance(value, str) and len(value) <= 20 else shown(value),
        "is not a part of the day",
        "use 'morning', 'afternoon' or 'evening'",
    )


def _day_parts(value: Iterable[DayPart | str]) -> tuple[DayPart, ...]:
    return tuple_converted("LifeConstraints.preferred_day_parts", value, day_part, "day parts")


@attrs.frozen
class LifeConstraints:
    """A client's week as it bears on treatment.

    Attributes:
        busy: Weekly busy blocks (work, school, childcare).
        preferred_day_parts: Day parts the client prefers; sessions outside
            them are allowed but count against a schedule.
        modality: ``"in_person"``, ``"virtual"`` or ``"either"``.
        unavailable_days: Weekdays the client cannot attend at all.
        max_days_per_week: A cap on treatment days, if the client has one.
    """

    busy: tuple[BusyBlock, ...] = attrs.field(default=(), converter=_busy)
    preferred_day_parts: tuple[DayPart, ...] = attrs.field(default=(), converter=_day_parts)
    modality: ModalityPreference = "either"
    unavailable_days: tuple[pendulum.WeekDay, ...] = attrs.field(
        default=(), converter=weekdays_from
    )
    max_days_per_week: int | None = None

    def __attrs_post_init__(self) -> None:
        require_choice(
            "LifeConstraints.modality", self.modality, ModalityPreference, "a modality preference"
        )
        cap = self.max_days_per_week
        if cap is not None and (
            isinstance(cap, bool) or not isinstance(cap, int) or not 1 <= cap <= 7
        ):
            raise InvalidValueError(
                "LifeConstraints.max_days_per_week", cap, "is not between 1 and 7"
            )

    def allows(self, session: Session) -> bool:
        """True when the client can attend ``session`` (day, time and modality)."""
        if session.weekday in self.unavailable_days:
            return False
        if self.modality != "either" and session.modality.kind != self.modality:
            return False
        return not any(block.collides(session) for block in self.busy)

    def conflicts(self, session: Session) -> int:
        """1 when ``session`` is outside the preferred day parts, else 0."""
        if not self.preferred_day_parts:
            return 0
        return 0 if session.day_part in self.preferred_day_parts else 1
