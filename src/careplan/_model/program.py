"""What a clinic offers each week: tracks, their agendas, closures and hours."""

from __future__ import annotations

import datetime as _dt
import functools
import itertools
from collections.abc import Iterable

import attrs
import pendulum

from careplan._model.calendar import Closure, closure
from careplan._model.checks import (
    LARGEST,
    MAX_MINUTES,
    identifier,
    optional_text,
    optional_whole,
    text,
    tuple_converted,
    tuple_of,
    whole,
)
from careplan._model.constraints import day_part
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import SessionKind, TreatmentTrack, optional_track, session_kind
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Modality, Session
from careplan._model.time import (
    format_wall_time,
    minute_of_day,
    wall_time,
    weekday_name,
    weekdays_from,
    zone_name,
)

__all__ = ["AgendaItem", "Offering", "Program", "ProgramTrack"]


def _item_kind(value: SessionKind | str) -> SessionKind:
    return session_kind("AgendaItem.kind", value)


def _item_track(value: TreatmentTrack | str | None) -> TreatmentTrack | None:
    return optional_track("AgendaItem.track", value)


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
    kind: SessionKind = attrs.field(converter=_item_kind)
    track: TreatmentTrack | None = attrs.field(default=None, converter=_item_track)
    title: str | None = None

    def __attrs_post_init__(self) -> None:
        whole(
            "AgendaItem.duration_minutes",
            self.duration_minutes,
            1,
            MAX_MINUTES,
            "give the length in minutes",
        )
        optional_text("AgendaItem.title", self.title)


def _agenda(value: Iterable[AgendaItem]) -> tuple[AgendaItem, ...]:
    items = tuple_of("ProgramTrack.agenda", value, AgendaItem)
    # One group attends the whole day's agenda: two items at once cannot
    # both be attended (the planner and the census count each as attended).
    ordered = sorted(items, key=lambda item: minute_of_day(item.start))
    for earlier, later in itertools.pairwise(ordered):
        if minute_of_day(later.start) < minute_of_day(earlier.start) + earlier.duration_minutes:
            raise InvalidValueError(
                "ProgramTrack.agenda",
                f"{format_wall_time(later.start)} {later.kind.code}",
                f"starts before the {format_wall_time(earlier.start)} {earlier.kind.code} "
                "item ends",
                "a track's agenda items follow one another; shorten or move one",
            )
    return items


def _day_part(value: DayPart | str) -> DayPart:
    return day_part("ProgramTrack.day_part", value)


def _modalities(value: Iterable[Modality]) -> tuple[Modality, ...]:
    found = tuple_of("ProgramTrack.modalities", value, Modality)
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
        agenda: The sessions of one day, one after another: the group
            attends them all, so items may not overlap.
        modalities: How it can be attended; each is a separate offering.
        capacity: The most clients in one day's group, per modality
            (``None``: no limit). Census scheduling keeps to it.
        name: A display name for rosters ("Evening group A"); default: the
            day part's.
    """

    day_part: DayPart = attrs.field(converter=_day_part)
    weekdays: tuple[pendulum.WeekDay, ...] = attrs.field(converter=weekdays_from)
    agenda: tuple[AgendaItem, ...] = attrs.field(converter=_agenda)
    modalities: tuple[Modality, ...] = attrs.field(converter=_modalities)
    capacity: int | None = attrs.field(default=None, kw_only=True)
    name: str | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        optional_whole(
            "ProgramTrack.capacity",
            self.capacity,
            1,
            LARGEST,
            "give a positive number of seats, or None",
        )
        optional_text("ProgramTrack.name", self.name)

    @property
    def label(self) -> str:
        """The display name: :attr:`name`, or "Morning group" and the like."""
        return self.name or f"{self.day_part.value.capitalize()} group"


@attrs.frozen
class Offering:
    """One thing a client can sign up for: a track's day in one modality, or a slot.

    Attributes:
        id: Stable identifier, unique in its program: "morning-in_person-mon"
            (a second morning track's: "morning-2-in_person-mon"), "slot-" and
            the slot's session id.
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


def _program_tracks(value: Iterable[ProgramTrack]) -> tuple[ProgramTrack, ...]:
    return tuple_of("Program.tracks", value, ProgramTrack)


def _slots(value: Iterable[Session]) -> tuple[Session, ...]:
    return tuple_of("Program.slots", value, Session)


def _closures(value: Iterable[Closure | _dt.date]) -> tuple[Closure, ...]:
    return tuple_converted("Program.closures", value, closure, "Closure values or dates")


def _codes(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("Program.levels", value, identifier, "level codes")


# The hash is kept: the planner's and the census's caches are keyed by the
# program, and hashing its every session again cost more than their lookups.
@attrs.frozen(cache_hash=True)
class Program:
    """What a clinic offers each week.

    Attributes:
        name: The program's name.
        timezone: IANA zone of its sessions.
        tracks: Day-part blocks of group sessions.
        slots: Single sessions a client can book: individual therapy,
            psychiatric consults (each with its modality and cadence).
        levels: Codes of the levels of care it runs.
        closures: Days it is closed (a date stands for a closure without a
            reason).
        opens: Operating hours start.
        closes: Operating hours end.
    """

    name: str
    timezone: str = attrs.field(converter=zone_name)
    tracks: tuple[ProgramTrack, ...] = attrs.field(default=(), converter=_program_tracks)
    slots: tuple[Session, ...] = attrs.field(default=(), converter=_slots)
    levels: tuple[str, ...] = attrs.field(default=(), converter=_codes)
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=_closures)
    opens: pendulum.Time = attrs.field(default=pendulum.Time(7, 0), converter=wall_time)
    closes: pendulum.Time = attrs.field(default=pendulum.Time(22, 0), converter=wall_time)

    def __attrs_post_init__(self) -> None:
        text("Program.name", self.name)
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
        # Ids say which track an offering is a day of: the first track of a
        # day part is "evening", a second one "evening-2" (two groups in one
        # day part would otherwise share ids and merge).
        seen: dict[DayPart, int] = {}
        for track in self.tracks:
            seen[track.day_part] = number = seen.get(track.day_part, 0) + 1
            part = track.day_part.value + (f"-{number}" if number > 1 else "")
            for modality in track.modalities:
                for day in track.weekdays:
                    prefix = f"{part}-{modality.kind}-{weekday_name(day)[:3]}"
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
