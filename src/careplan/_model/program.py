"""What a clinic offers each week: tracks, their agendas, closures and hours."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import attrs
import pendulum

from careplan._model.calendar import Closure
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Modality, Session
from careplan._model.time import (
    format_wall_time,
    minute_of_day,
    to_tuple,
    wall_time,
    weekday_name,
    weekdays_from,
    zone_name,
)

__all__ = ["AgendaItem", "Offering", "Program", "ProgramTrack"]


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

    start: pendulum.Time = attrs.field(converter=wall_time)
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
        capacity: The most clients in one day's group, per modality
            (``None``: no limit). Census scheduling keeps to it.
        name: A display name for rosters ("Evening group A"); default: the
            day part's.
    """

    day_part: DayPart = attrs.field(converter=DayPart)
    weekdays: tuple[pendulum.WeekDay, ...] = attrs.field(converter=weekdays_from)
    agenda: tuple[AgendaItem, ...] = attrs.field(converter=_agenda)
    modalities: tuple[Modality, ...] = attrs.field(converter=_modalities)
    capacity: int | None = attrs.field(default=None, kw_only=True)
    name: str | None = attrs.field(default=None, kw_only=True)

    @capacity.validator
    def _check_capacity(self, _attribute: object, value: object) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise InvalidValueError(
                "ProgramTrack.capacity", value, "is not a positive number of seats"
            )

    @property
    def label(self) -> str:
        """The display name: :attr:`name`, or "Morning group" and the like."""
        return self.name or f"{self.day_part.value.capitalize()} group"


@attrs.frozen
class Offering:
    """One thing a client can sign up for: a track's day in one modality, or a slot.

    Attributes:
        id: Stable identifier ("morning-in_person-mon", "slot-mon-1200-...").
        sessions: Its sessions, all on one weekday.
        weekday: That weekday.
        track: The program track it is a day of (``None`` for a slot).
    """

    id: str
    sessions: tuple[Session, ...]
    weekday: pendulum.WeekDay
    track: ProgramTrack | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def is_group(self) -> bool:
        """True for a track's day (a group), False for a bookable slot."""
        return self.track is not None

    @property
    def start_minute(self) -> int:
        """Minutes from midnight to its first session."""
        return min(s.start_minute for s in self.sessions)

    @property
    def end_minute(self) -> int:
        """Minutes from midnight to the end of its last session."""
        return max(s.start_minute + s.minutes for s in self.sessions)

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
    opens: pendulum.Time = attrs.field(default=pendulum.Time(7, 0), converter=wall_time)
    closes: pendulum.Time = attrs.field(default=pendulum.Time(22, 0), converter=wall_time)

    def __attrs_post_init__(self) -> None:
        for session in (*self.slots, *(s for o in self.offerings() for s in o.sessions)):
            if session.start_minute < minute_of_day(self.opens) or (
                session.start_minute + session.minutes > minute_of_day(self.closes)
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
                    found.append(Offering(prefix, sessions, day, track))
        for slot in self.slots:
            found.append(Offering(f"slot-{slot.id}", (slot,), slot.weekday))
        return tuple(found)
