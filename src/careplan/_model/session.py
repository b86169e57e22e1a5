"""One weekly recurring session, where it happens, and the part of day it is in."""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Literal

import attrs
import pendulum

from careplan._model.checks import (
    choice,
    hidden,
    identifier,
    instance,
    join_url,
    optional_text,
    whole,
)
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import SessionKind, TreatmentTrack, optional_track, session_kind
from careplan._model.levels import every_weeks
from careplan._model.time import (
    duration_from,
    format_wall_time,
    parse_wall_time,
    weekday_from,
    weekday_name,
)

__all__ = ["DayPart", "Modality", "Session"]


class DayPart(enum.Enum):
    """The part of the day a session falls in: the article's morning, afternoon
    and evening "tracks".

    A session belongs to the part its start time falls in: morning before
    12:00, afternoon from 12:00, evening from 17:00.

    >>> import pendulum
    >>> DayPart.of(pendulum.Time(18, 30))
    <DayPart.EVENING: 'evening'>
    """

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @classmethod
    def of(cls, start: _dt.time) -> DayPart:
        """The day part a wall time falls in."""
        if start.hour < 12:
            return cls.MORNING
        if start.hour < 17:
            return cls.AFTERNOON
        return cls.EVENING


#: How a session is attended.
ModalityKind = Literal["in_person", "virtual"]


def _location(value: str | None) -> str | None:
    return optional_text("Modality.location", value)


def _join_url(value: str | None) -> str | None:
    return join_url("Modality.join_url", value)


def _modality_kind(value: ModalityKind) -> ModalityKind:
    return choice("Modality.kind", value, ModalityKind, "a modality")


@attrs.frozen
class Modality:
    """How a session is attended: in person at a location, or virtually.

    Attributes:
        kind: ``"in_person"`` or ``"virtual"``.
        location: Where an in-person session happens (single-line text).
        join_url: The link to join a virtual session: an ``http://`` or
            ``https://`` URL with a host, in printable ASCII without spaces
            (percent-encode anything else).

    Location and link may be personal (a clinician's own meeting room), so
    the repr and errors leave them out.

    >>> Modality.virtual("https://meet.example.org/iop")
    Modality(kind='virtual', location=None, join_url=<hidden>)
    """

    kind: ModalityKind = attrs.field(default="in_person", converter=_modality_kind)
    location: str | None = attrs.field(default=None, converter=_location, repr=hidden)
    join_url: str | None = attrs.field(default=None, converter=_join_url, repr=hidden)

    @classmethod
    def in_person(cls, location: str | None = None) -> Modality:
        """An in-person session, optionally at ``location``."""
        return cls("in_person", location=location)

    @classmethod
    def virtual(cls, join_url: str | None = None) -> Modality:
        """A virtual (telehealth) session, optionally with its join link."""
        return cls("virtual", join_url=join_url)

    @property
    def is_virtual(self) -> bool:
        """True for a virtual session."""
        return self.kind == "virtual"


# Each converter lets through a value that already has the type its check
# returns, unchanged: sessions are built by the thousand (documents, the
# planner, the census) and the check would return the same value.


def _to_duration(value: int | _dt.timedelta) -> pendulum.Duration:
    return duration_from("Session.duration", value)


def _to_time(value: str | _dt.time) -> pendulum.Time:
    return parse_wall_time("Session.start", value)


def _to_weekday(value: pendulum.WeekDay | str) -> pendulum.WeekDay:
    if type(value) is pendulum.WeekDay:
        return value
    return weekday_from("Session.weekday", value)


def _to_kind(value: SessionKind | str) -> SessionKind:
    if type(value) is SessionKind:
        return value
    return session_kind("Session.kind", value)


def _to_track(value: TreatmentTrack | str | None) -> TreatmentTrack | None:
    if value is None or type(value) is TreatmentTrack:
        return value
    return optional_track("Session.track", value)


def _to_modality(value: Modality) -> Modality:
    if type(value) is Modality:
        return value
    return instance("Session.modality", value, Modality, "use Modality.in_person(...)")


def _to_title(value: str | None) -> str | None:
    if value is None:
        return None
    return optional_text("Session.title", value)


def _to_id(value: str) -> str:
    return identifier("Session.id", value)


def _to_every_weeks(value: int) -> int:
    return every_weeks("Session.every_weeks", value)


def _to_week_offset(value: int) -> int:
    if type(value) is int and value == 0:
        return value  # the usual case, checked without building a message
    return whole("Session.week_offset", value, 0, 51, "0 for the first week of the cadence")


def _to_role(value: str | None) -> str | None:
    return None if value is None else identifier("Session.role", value)


def _default_id(session: Session) -> str:
    return f"{weekday_name(session.weekday)[:3]}-{session.start:%H%M}-{session.kind.code}"


@attrs.frozen
class Session:
    """One weekly recurring session, in local wall time.

    The wall time is kept across DST changes: a 09:00 session stays at
    09:00. Sessions do not cross midnight.

    Attributes:
        weekday: The day of the week (a :class:`pendulum.WeekDay` or its
            English name).
        start: Wall-clock start (``"09:30"`` or a time).
        duration: Length (minutes, or a timedelta); whole minutes, above zero.
        kind: What happens in the session (a :class:`SessionKind` or its code).
        track: The clinical focus, if any (a :class:`TreatmentTrack` or its
            code).
        modality: In person or virtual.
        title: A display title; defaults to the kind's label. Hidden from
            the repr.
        every_weeks: Cadence: 1 weekly, 2 every other week (counted from the
            plan's start week), at most 52.
        week_offset: Which week of the cadence the session is held in,
            from 0 (the default: the start week, then every
            ``every_weeks`` weeks) to ``every_weeks - 1``. Two biweekly
            sessions at one time with offsets 0 and 1 alternate (weeks A
            and B): the first is held in the start week, the second in the
            week after. Keyword only.
        id: Stable identifier within a schedule; defaults to weekday, start
            and kind (``"mon-0930-group_therapy"``). It names the session in
            reports and exports and carries nothing about the client.
        role: Who renders it, as a care role or credential code
            (``"psychiatrist"``, ``"nurse_practitioner"``, ``"therapist"``);
            ``None`` leaves it to the plan of care's interventions or the
            kind's default (see :func:`careplan.rendering_role`). Billing
            reads it: a payer pack says whose services count toward a per
            diem.

    >>> s = Session("monday", "09:30", 90, SessionKind.GROUP_THERAPY)
    >>> (s.id, s.end.isoformat(), s.hours)
    ('mon-0930-group_therapy', '11:00:00', 1.5)
    """

    weekday: pendulum.WeekDay = attrs.field(converter=_to_weekday)
    start: pendulum.Time = attrs.field(converter=_to_time)
    duration: pendulum.Duration = attrs.field(converter=_to_duration)
    kind: SessionKind = attrs.field(converter=_to_kind)
    track: TreatmentTrack | None = attrs.field(default=None, converter=_to_track)
    modality: Modality = attrs.field(factory=Modality, converter=_to_modality)
    title: str | None = attrs.field(default=None, converter=_to_title, repr=hidden)
    every_weeks: int = attrs.field(default=1, converter=_to_every_weeks)
    id: str = attrs.field(default=attrs.Factory(_default_id, takes_self=True), converter=_to_id)
    role: str | None = attrs.field(default=None, converter=_to_role, kw_only=True)
    week_offset: int = attrs.field(default=0, converter=_to_week_offset, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.week_offset >= self.every_weeks:
            every = self.every_weeks
            raise InvalidValueError(
                "Session.week_offset",
                self.week_offset,
                f"is not below the cadence of {every} week{'s' if every > 1 else ''}",
                f"use {'0' if every == 1 else f'0 to {every - 1}'}: "
                "the week of the cadence the session is held in",
            )
        # The length is checked against the start, so here rather than in a converter.
        value = self.duration
        seconds = value.total_seconds()
        if seconds <= 0:
            raise InvalidValueError(
                "Session.duration", value, "is not above zero", "give the session a length"
            )
        if seconds % 60:
            raise InvalidValueError(
                "Session.duration",
                value,
                "is not a whole number of minutes",
                "round it to the minute",
            )
        start_minutes = self.start.hour * 60 + self.start.minute
        if start_minutes + seconds // 60 > 24 * 60:
            raise InvalidValueError(
                "Session.duration",
                value,
                f"makes the session starting at {format_wall_time(self.start)} cross midnight",
                "split it into two sessions, one on each day",
            )

    def held_in_week(self, week: int) -> bool:
        """True when the session is held in week ``week`` (0: the week its cadence counts from).

        >>> b = Session("tuesday", "12:00", 30, "psychiatric", every_weeks=2, week_offset=1)
        >>> [b.held_in_week(w) for w in range(4)]
        [False, True, False, True]
        """
        return week % self.every_weeks == self.week_offset

    @property
    def cadence_words(self) -> str:
        """The cadence in words, empty for a weekly session.

        >>> b = Session("tuesday", "12:00", 30, "psychiatric", every_weeks=2, week_offset=1)
        >>> b.cadence_words
        'every 2 weeks from week 2'
        """
        if self.every_weeks == 1:
            return ""
        words = f"every {self.every_weeks} weeks"
        return f"{words} from week {self.week_offset + 1}" if self.week_offset else words

    @property
    def minutes(self) -> int:
        """The length in minutes."""
        return int(self.duration.total_seconds()) // 60

    @property
    def hours(self) -> float:
        """The length in hours."""
        return self.minutes / 60

    @property
    def end(self) -> pendulum.Time:
        """Wall-clock end (``00:00`` for a session ending at midnight)."""
        total = self.start.hour * 60 + self.start.minute + self.minutes
        return pendulum.Time((total // 60) % 24, total % 60)

    @property
    def start_minute(self) -> int:
        """Minutes from midnight to the start."""
        return self.start.hour * 60 + self.start.minute

    @property
    def day_part(self) -> DayPart:
        """The part of the day the session starts in."""
        return DayPart.of(self.start)

    @property
    def display_title(self) -> str:
        """The title, or the kind's label when no title was given."""
        return self.title or self.kind.label
