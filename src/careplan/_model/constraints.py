"""What a client's week leaves free: busy blocks, preferred day parts, modality."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable
from typing import Literal

import attrs
import pendulum

from careplan._model.checks import (
    choice,
    date,
    hidden,
    optional_whole,
    text,
    tuple_converted,
    tuple_of,
)
from careplan._model.errors import InvalidValueError
from careplan._model.session import DayPart, Session
from careplan._model.time import (
    format_wall_time,
    minute_of_day,
    require_date,
    wall_time,
    week_start,
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


_DAY = 24 * 60
_WEEK = 7 * _DAY


def _anchor(value: _dt.date | None) -> pendulum.Date | None:
    return None if value is None else require_date("BusyBlock.anchor", value)


def _dates(value: Iterable[_dt.date]) -> tuple[pendulum.Date, ...]:
    return tuple(sorted(set(tuple_converted("BusyBlock.dates", value, date, "dates"))))


@attrs.frozen
class BusyBlock:
    """A weekly block of time the client is not available: work, school, childcare.

    A block whose end is not after its start crosses midnight: a night
    shift ``"19:00"`` to ``"07:00"`` on Monday keeps the client busy until
    Tuesday 07:00. A block can also repeat every few weeks (a rotating
    roster, counted from the week of ``anchor``) or happen on given dates
    only (:meth:`once`).

    Attributes:
        label: What it is ("work", "school pickup"); hidden from the repr.
        weekdays: The days it starts on (names or :class:`pendulum.WeekDay`).
        start: Wall-clock start (``"09:00"``).
        end: Wall-clock end; at or before ``start`` for a block that ends
            the next day (``"00:00"`` ends at midnight).
        buffer_minutes: Travel time kept free before and after.
        every_weeks: 1 for every week; ``n`` for a block in one week out of
            ``n``, counted from the week of ``anchor``.
        anchor: A day in a week the block happens (needed when
            ``every_weeks`` is above 1).
        dates: When given, the block happens on these dates only (one-off
            busy days); ``weekdays`` is then ignored.

    >>> BusyBlock("work", ["monday", "tuesday"], "09:00", "17:00", 30).free_from_minute
    1050
    >>> BusyBlock("night shift", ["friday"], "19:00", "07:00").minutes
    720
    """

    label: str = attrs.field(repr=hidden)
    weekdays: tuple[pendulum.WeekDay, ...] = attrs.field(converter=weekdays_from)
    start: pendulum.Time = attrs.field(converter=wall_time)
    end: pendulum.Time = attrs.field(converter=wall_time)
    buffer_minutes: int = 0
    every_weeks: int = attrs.field(default=1, kw_only=True)
    anchor: pendulum.Date | None = attrs.field(default=None, converter=_anchor, kw_only=True)
    dates: tuple[pendulum.Date, ...] = attrs.field(default=(), converter=_dates, kw_only=True)

    def __attrs_post_init__(self) -> None:
        text("BusyBlock.label", self.label)
        if minute_of_day(self.end) == minute_of_day(self.start):
            raise InvalidValueError(
                "BusyBlock.end",
                format_wall_time(self.end),
                f"is the start {format_wall_time(self.start)}",
                "give the block a length (an end at or before the start ends the next day)",
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
        cadence = self.every_weeks
        if isinstance(cadence, bool) or not isinstance(cadence, int) or not 1 <= cadence <= 8:
            raise InvalidValueError("BusyBlock.every_weeks", cadence, "is not between 1 and 8")
        if cadence > 1 and self.anchor is None:
            raise InvalidValueError(
                "BusyBlock.anchor",
                None,
                f"is missing for a block every {cadence} weeks",
                "give a date in a week the block happens",
            )

    @classmethod
    def once(
        cls,
        label: str,
        day: _dt.date,
        start: str | _dt.time,
        end: str | _dt.time,
        buffer_minutes: int = 0,
    ) -> BusyBlock:
        """A block on one date only (a court hearing, a medical appointment).

        >>> import pendulum
        >>> BusyBlock.once("court", pendulum.date(2027, 3, 9), "09:00", "12:00").weekdays
        (<WeekDay.TUESDAY: 1>,)
        """
        day = require_date("BusyBlock.once", day)
        return cls(label, [day.day_of_week], start, end, buffer_minutes, dates=(day,))

    @property
    def minutes(self) -> int:
        """Length in minutes, without the buffers (a night shift counts across midnight)."""
        return (minute_of_day(self.end) - minute_of_day(self.start)) % _DAY

    @property
    def crosses_midnight(self) -> bool:
        """True when the block ends the day after it starts."""
        return minute_of_day(self.start) + self.minutes > _DAY

    @property
    def busy_from_minute(self) -> int:
        """First busy minute of the start day, buffer included."""
        return minute_of_day(self.start) - self.buffer_minutes

    @property
    def free_from_minute(self) -> int:
        """First free minute after the block, counted from the start day's midnight."""
        return minute_of_day(self.start) + self.minutes + self.buffer_minutes

    @property
    def weekly(self) -> bool:
        """True when the block happens every week on its weekdays."""
        return self.every_weeks == 1 and not self.dates

    def starts_in(self, week: _dt.date) -> tuple[pendulum.WeekDay, ...]:
        """The weekdays the block starts on in the week of ``week`` (any day of it)."""
        monday = week_start(week)
        if self.dates:
            return tuple(d.day_of_week for d in self.dates if week_start(d) == monday)
        if self.anchor is not None and ((monday - week_start(self.anchor)).days // 7) % (
            self.every_weeks
        ):
            return ()
        return self.weekdays

    def _spans(self, week: _dt.date | None) -> tuple[tuple[int, int], ...]:
        """Busy minutes from Monday 00:00, buffers included, spilling over week ends."""
        monday = None if week is None else week_start(week)
        found = []
        for shift in (-1, 0, 1):
            if monday is None:
                days: tuple[pendulum.WeekDay, ...] = (
                    tuple(d.day_of_week for d in self.dates) if self.dates else self.weekdays
                )
            else:
                days = self.starts_in(monday + _dt.timedelta(weeks=shift))
            for day in days:
                begin = shift * _WEEK + int(day) * _DAY + self.busy_from_minute
                found.append((begin, begin + self.minutes + 2 * self.buffer_minutes))
        return tuple(found)

    def collides(self, session: Session, week: _dt.date | None = None) -> bool:
        """True when ``session`` overlaps the block or its buffers.

        Without ``week`` the block counts in every week (a weekly schedule
        must fit each of them); with it, only as it happens that week.
        """
        begin = int(session.weekday) * _DAY + session.start_minute
        end = begin + session.minutes
        return any(begin < stop and start < end for start, stop in self._spans(week))

    def pieces(self, week: _dt.date) -> tuple[BusyBlock, ...]:
        """The block as it happens in the week of ``week``, as plain weekly blocks.

        Parts that spill from the week before (a Sunday night shift) are
        included; buffers become part of the blocks.
        """
        found = []
        for begin, stop in self._spans(week):
            begin, stop = max(begin, 0), min(stop, _WEEK)
            while begin < stop:
                day, offset = divmod(begin, _DAY)
                # Half a day at most: a whole day would start where it ends.
                upto = min(stop, (day + 1) * _DAY, begin + _DAY // 2)
                found.append(
                    BusyBlock(
                        self.label,
                        [pendulum.WeekDay(day)],
                        pendulum.Time(offset // 60, offset % 60),
                        pendulum.Time((upto % _DAY) // 60, (upto % _DAY) % 60),
                    )
                )
                begin = upto
        return tuple(found)


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
        value,
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
        choice(
            "LifeConstraints.modality", self.modality, ModalityPreference, "a modality preference"
        )
        optional_whole("LifeConstraints.max_days_per_week", self.max_days_per_week, 1, 7)

    def allows(self, session: Session, week: _dt.date | None = None) -> bool:
        """True when the client can attend ``session`` (day, time and modality).

        Without ``week``, in every week: blocks of a rotating roster or on
        one-off dates count as if they happened each week. With ``week`` (any
        day of it), as that week is.
        """
        if session.weekday in self.unavailable_days:
            return False
        if self.modality != "either" and session.modality.kind != self.modality:
            return False
        return not any(block.collides(session, week) for block in self.busy)

    @property
    def weekly(self) -> bool:
        """True when every week is alike: no rotating or one-off busy blocks."""
        return all(block.weekly for block in self.busy)

    @property
    def cycle_weeks(self) -> int:
        """After how many weeks the rotating blocks repeat (1 when every week is alike)."""
        return math.lcm(*(block.every_weeks for block in self.busy)) if self.busy else 1

    def for_week(self, week: _dt.date) -> LifeConstraints:
        """These constraints as the week of ``week`` has them, with weekly blocks only.

        >>> import pendulum
        >>> from careplan import BusyBlock
        >>> nights = BusyBlock("nights", ["monday"], "19:00", "07:00", every_weeks=2,
        ...                    anchor=pendulum.date(2027, 1, 4))
        >>> [len(LifeConstraints([nights]).for_week(pendulum.date(2027, 1, d)).busy)
        ...  for d in (4, 11)]
        [2, 0]
        """
        pieces = [piece for block in self.busy for piece in block.pieces(week)]
        return attrs.evolve(self, busy=pieces)

    def conflicts(self, session: Session) -> int:
        """1 when ``session`` is outside the preferred day parts, else 0."""
        if not self.preferred_day_parts:
            return 0
        return 0 if session.day_part in self.preferred_day_parts else 1
