"""A weekly schedule: a time zone and the sessions of a regular week."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

import attrs
import pendulum

from careplan._model.checks import tuple_of, unique
from careplan._model.constraints import LifeConstraints
from careplan._model.errors import InvalidValueError
from careplan._model.expansion import expand
from careplan._model.hooks import Hook
from careplan._model.session import Session
from careplan._model.time import weekday_from, zone_name

__all__ = ["SCHEDULE_HTML", "SCHEDULE_TEXT", "WeeklySchedule"]


class _ScheduleHtml(Protocol):
    def __call__(
        self, schedule: WeeklySchedule, constraints: LifeConstraints | None = None, *, title: str
    ) -> str: ...


#: The plain-text grid (the display adapter), for :meth:`WeeklySchedule.grid`.
SCHEDULE_TEXT: Hook[Callable[[WeeklySchedule], str]] = Hook("careplan display")
#: The HTML grid (the display adapter), for :meth:`WeeklySchedule.to_html`.
SCHEDULE_HTML: Hook[_ScheduleHtml] = Hook("careplan display")


def _to_zone(value: object) -> str:
    return zone_name(value)


def _to_sessions(value: Iterable[Session]) -> tuple[Session, ...]:
    sessions = tuple_of("WeeklySchedule.sessions", value, Session)
    unique(
        "WeeklySchedule.sessions",
        sessions,
        "id",
        "is used by two sessions",
        "give one of them an explicit id",
    )
    return sessions


@attrs.frozen
class WeeklySchedule:
    """The sessions of a regular week, in one IANA time zone.

    Figures (hours per week, days per week, hours per day) are computed
    from the sessions, never stored.

    Attributes:
        timezone: The IANA zone the sessions' wall times are in
            (``"America/New_York"``); a pendulum or zoneinfo zone is accepted
            and stored by name. Fixed offsets are refused.
        sessions: The weekly sessions, in the order given; ids are unique.

    >>> from careplan import Session, SessionKind
    >>> week = WeeklySchedule("America/New_York", [
    ...     Session("monday", "09:30", 90, SessionKind.GROUP_THERAPY),
    ...     Session("wednesday", "09:30", 90, SessionKind.GROUP_THERAPY),
    ...     Session("wednesday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2),
    ... ])
    >>> (week.days_per_week, week.hours_on("wednesday"), week.hours_per_week)
    (2, 2.0, 3.25)
    """

    timezone: str = attrs.field(converter=_to_zone)
    sessions: tuple[Session, ...] = attrs.field(default=(), converter=_to_sessions)

    @property
    def minutes_per_week(self) -> float:
        """Average minutes per week; a biweekly session counts half."""
        return sum(session.minutes / session.every_weeks for session in self.sessions)

    @property
    def hours_per_week(self) -> float:
        """Average hours per week; a biweekly session counts half."""
        return self.minutes_per_week / 60

    @property
    def weekdays(self) -> tuple[pendulum.WeekDay, ...]:
        """The weekdays that have at least one session, Monday first."""
        return tuple(sorted({session.weekday for session in self.sessions}))

    @property
    def days_per_week(self) -> int:
        """How many weekdays have at least one session."""
        return len(self.weekdays)

    def hours_on(self, weekday: pendulum.WeekDay | str) -> float:
        """Hours of sessions on ``weekday`` in a week when every session happens."""
        day = weekday_from("weekday", weekday)
        return sum(s.minutes for s in self.sessions if s.weekday == day) / 60

    def session(self, session_id: str) -> Session:
        """The session with ``session_id``.

        Raises:
            InvalidValueError: No session has that id.
        """
        for candidate in self.sessions:
            if candidate.id == session_id:
                return candidate
        raise InvalidValueError(
            "session_id",
            session_id,
            "is not a session of this schedule",
            f"use one of: {', '.join(s.id for s in self.sessions) or '(none)'}",
        )

    def with_session(self, session: Session) -> WeeklySchedule:
        """A copy with ``session`` added."""
        return attrs.evolve(self, sessions=(*self.sessions, session))

    def without_session(self, session_id: str) -> WeeklySchedule:
        """A copy without the session ``session_id``."""
        self.session(session_id)
        return attrs.evolve(self, sessions=tuple(s for s in self.sessions if s.id != session_id))

    def grid(self) -> str:
        """The week as a plain-text grid (days across, time down)."""
        return SCHEDULE_TEXT()(self)

    def to_html(self, constraints: LifeConstraints | None = None, *, title: str = "") -> str:
        """The week as an HTML grid; ``constraints`` adds the client's busy blocks, hatched."""
        return SCHEDULE_HTML()(self, constraints, title=title)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text("WeeklySchedule(...)" if cycle else self.grid())

    #: Every concrete session from ``start`` to ``end`` (both included): the
    #: method spelling of :func:`careplan.expand`, which it is, so both take the
    #: same arguments.
    occurrences = expand
