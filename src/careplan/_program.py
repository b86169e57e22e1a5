"""What a clinic offers each week, and what a client's week leaves free."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable
from typing import Literal

import attrs
import pendulum

from careplan._calendar import Closure
from careplan._errors import InvalidValueError, require_choice
from careplan._kinds import SessionKind, TreatmentTrack
from careplan._schedule import WeeklySchedule
from careplan._session import DayPart, Modality, Session
from careplan._time import (
    format_wall_time,
    parse_wall_time,
    to_tuple,
    weekday_from,
    weekday_name,
    zone_name,
)

__all__ = [
    "AgendaItem",
    "BusyBlock",
    "LifeConstraints",
    "ModalityPreference",
    "Offering",
    "Program",
    "ProgramTrack",
]

#: Which modalities a client can attend.
ModalityPreference = Literal["in_person", "virtual", "either"]


def _weekdays(value: Iterable[pendulum.WeekDay | str]) -> tuple[pendulum.WeekDay, ...]:
    if isinstance(value, str):
        value = (value,)
    return tuple(sorted({weekday_from("weekdays", day) for day in value}))


def _time(value: str | _dt.time) -> pendulum.Time:
    return parse_wall_time("time", value)


def _minutes(value: _dt.time) -> int:
    return value.hour * 60 + value.minute


@attrs.frozen
class BusyBlock:
    """A weekly block of time the client is not available: work, school, childcare.

    Attributes:
        label: What it is ("work", "school pickup").
        weekdays: The days it recurs on (names or :class:`pendulum.WeekDay`).
        start: Wall-clock start (``"09:00"``).
        end: Wall-clock end; ``"24:00"`` is not accepted, use ``"23:59"``.
        buffer_minutes: Travel time kept free before and after.

    >>> BusyBlock("work", ["monday", "tuesday"], "09:00", "17:00", 30).free_from_minute
    1050
    """

    label: str
    weekdays: tuple[pendulum.WeekDay, ...] = attrs.field(converter=_weekdays)
    start: pendulum.Time = attrs.field(converter=_time)
    end: pendulum.Time = attrs.field(converter=_time)
    buffer_minutes: int = 0

    def __attrs_post_init__(self) -> None:
        if _minutes(self.end) <= _minutes(self.start):
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
        return _minutes(self.start) - self.buffer_minutes

    @property
    def free_from_minute(self) -> int:
        """First free minute after the block, buffer included."""
        return _minutes(self.end) + self.buffer_minutes

    def collides(self, session: Session) -> bool:
        """True when ``session`` overlaps the block or its buffers."""
        if session.weekday not in self.weekdays:
            return False
        begin = session.start_minute
        return begin < self.free_from_minute and self.busy_from_minute < begin + session.minutes


def _busy(value: Iterable[BusyBlock]) -> tuple[BusyBlock, ...]:
    return to_tuple(value)


def _day_parts(value: Iterable[DayPart | str]) -> tuple[DayPart, ...]:
    return tuple(DayPart(part) for part in to_tuple(value))


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
    unavailable_days: tuple[pendulum.WeekDay, ...] = attrs.field(default=(), converter=_weekdays)
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


@attrs.frozen
class AgendaItem:
    """One session of a track's day, without the weekday.

    Attributes:
        start: Wall-clock start.
        duration_minutes: Length.
        kind: What happens.
        track: The clinical focus, if any.
        title: Display title.
    """

    start: pendulum.Time = attrs.field(converter=_time)
    duration_minutes: int
    kind: SessionKind
    track: TreatmentTrack | None = None
    title: str | None = None


def _agenda(value: Iterable[AgendaItem]) -> tuple[AgendaItem, ...]:
    return to_tuple(value)


def _modalities(value: Iterable[Modality]) -> tuple[Modality, ...]:
    found = to_tuple(value)
    if not found:
        raise InvalidValueError(
            "ProgramTrack.modalities", found, "is empty", "offer the track in person or virtually"
        )
    return found


@attrs.frozen
class ProgramTrack:
    """A day part's block of group sessions, run on several weekdays.

    The article's morning, afternoon and evening "tracks" (in careplan, a
    :class:`DayPart`): for example check-in, group therapy and life skills
    from 09:00 to 12:00, Monday to Friday, in person and online.

    Attributes:
        day_part: Morning, afternoon or evening.
        weekdays: The days it runs.
        agenda: The sessions of one day.
        modalities: How it can be attended; each is a separate offering.
    """

    day_part: DayPart = attrs.field(converter=DayPart)
    weekdays: tuple[pendulum.WeekDay, ...] = attrs.field(converter=_weekdays)
    agenda: tuple[AgendaItem, ...] = attrs.field(converter=_agenda)
    modalities: tuple[Modality, ...] = attrs.field(converter=_modalities)


@attrs.frozen
class Offering:
    """One thing a client can sign up for: a track's day in one modality, or a slot.

    Attributes:
        id: Stable identifier ("morning-in_person-mon", "slot-mon-1200-...").
        sessions: Its sessions, all on one weekday.
        weekday: That weekday.
    """

    id: str
    sessions: tuple[Session, ...]
    weekday: pendulum.WeekDay

    @property
    def minutes(self) -> int:
        """Total minutes of its sessions."""
        return sum(s.minutes for s in self.sessions)


def _slots(value: Iterable[Session]) -> tuple[Session, ...]:
    return to_tuple(value)


def _closures(value: Iterable[Closure]) -> tuple[Closure, ...]:
    return to_tuple(value)


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return to_tuple(value)


@attrs.frozen
class Program:
    """What a clinic offers each week.

    Attributes:
        name: The program's name.
        timezone: IANA zone of its sessions.
        tracks: Day-part blocks of group sessions.
        slots: Single sessions a client can book: individual therapy,
            psychiatric consults (each with its modality and cadence).
        levels: Codes of the levels of care it runs.
        closures: Days it is closed.
        opens: Operating hours start.
        closes: Operating hours end.
    """

    name: str
    timezone: str = attrs.field(converter=zone_name)
    tracks: tuple[ProgramTrack, ...] = attrs.field(default=(), converter=to_tuple)
    slots: tuple[Session, ...] = attrs.field(default=(), converter=_slots)
    levels: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=_closures)
    opens: pendulum.Time = attrs.field(default=pendulum.Time(7, 0), converter=_time)
    closes: pendulum.Time = attrs.field(default=pendulum.Time(22, 0), converter=_time)

    def __attrs_post_init__(self) -> None:
        for session in (*self.slots, *(s for o in self.offerings() for s in o.sessions)):
            if session.start_minute < _minutes(self.opens) or (
                session.start_minute + session.minutes > _minutes(self.closes)
            ):
                raise InvalidValueError(
                    f"Program {self.name!r}",
                    session.id,
                    f"runs outside the operating hours {format_wall_time(self.opens)}–"
                    f"{format_wall_time(self.closes)}",
                    "move the session or widen the hours",
                )
        # Offerings build the schedule's session ids; two equal ids would merge.
        WeeklySchedule(self.timezone, [s for o in self.offerings() for s in o.sessions])

    def offerings(self) -> tuple[Offering, ...]:
        """Every track day in every modality, then every slot, as offerings."""
        return self._offerings

    @functools.cached_property
    def _offerings(self) -> tuple[Offering, ...]:
        found = []
        for track in self.tracks:
            for modality in track.modalities:
                for day in track.weekdays:
                    prefix = f"{track.day_part.value}-{modality.kind}-{weekday_name(day)[:3]}"
                    sessions = tuple(
                        Session(
                            day,
                            item.start,
                            item.duration_minutes,
                            item.kind,
                            item.track,
                            modality,
                            item.title,
                            id=f"{prefix}-{item.start:%H%M}",
                        )
                        for item in track.agenda
                    )
                    found.append(Offering(prefix, sessions, day))
        for slot in self.slots:
            found.append(Offering(f"slot-{slot.id}", (slot,), slot.weekday))
        return tuple(found)
