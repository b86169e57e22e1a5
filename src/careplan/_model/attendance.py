"""What happened at an occurrence, and what a payer approved.

Attendance records name an occurrence by its identity (session id and
scheduled date), so a moved or cancelled occurrence keeps its record.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

import attrs
import pendulum

from careplan._model.checks import MAX_MINUTES, choice, date, hidden, identifier, text, whole
from careplan._model.errors import InvalidValueError
from careplan._model.occurrence import Occurrence

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "Authorization",
    "AuthorizationStatus",
    "AuthorizationUnit",
]

#: What happened at an occurrence.
AttendanceStatus = Literal[
    "attended",
    "late",
    "left_early",
    "absent_excused",
    "absent_unexcused",
    "cancelled_by_program",
]
#: What an authorization counts.
AuthorizationUnit = Literal["days", "sessions"]
#: Where an authorization stands with the payer.
AuthorizationStatus = Literal["active", "pending", "denied", "expired"]


#: The most units an authorization may count: more treatment days or
#: sessions than ten years hold.
MAX_UNITS = 100_000


def _to_on(value: _dt.date) -> pendulum.Date:
    return date("Attendance.on", value)


@attrs.frozen
class Attendance:
    """What happened at one occurrence.

    Attributes:
        session_id: The session's id.
        on: The date the occurrence was scheduled for (its identity, also
            when it was moved).
        status: ``"attended"``, ``"late"``, ``"left_early"``,
            ``"absent_excused"``, ``"absent_unexcused"`` or
            ``"cancelled_by_program"``.
        minutes: For ``"late"`` and ``"left_early"``: the minutes missed
            (at most 1440).
        note: Free text for the record (tabs and line feeds allowed); hidden
            from the repr.
    """

    session_id: str
    on: pendulum.Date = attrs.field(converter=_to_on)
    status: AttendanceStatus = "attended"
    minutes: int = 0
    note: str = attrs.field(default="", repr=hidden)

    def __attrs_post_init__(self) -> None:
        identifier("Attendance.session_id", self.session_id)
        choice("Attendance.status", self.status, AttendanceStatus, "an attendance status")
        whole(
            "Attendance.minutes", self.minutes, 0, MAX_MINUTES, "give the minutes missed, 0 if none"
        )
        text("Attendance.note", self.note, multiline=True)
        if self.minutes and self.status not in ("late", "left_early"):
            raise InvalidValueError(
                "Attendance.minutes",
                self.minutes,
                f"means nothing for {self.status!r}",
                "give minutes only for 'late' or 'left_early'",
            )

    @property
    def key(self) -> tuple[str, pendulum.Date]:
        """The occurrence it is about: (session id, scheduled date)."""
        return (self.session_id, self.on)

    def delivered_minutes(self, occurrence: Occurrence) -> int:
        """Minutes of ``occurrence`` the client received."""
        return self.delivered_of(occurrence.minutes)

    def delivered_of(self, scheduled: int) -> int:
        """Minutes the client received of a session ``scheduled`` minutes long."""
        if self.status == "attended":
            return scheduled
        if self.status in ("late", "left_early"):
            return max(0, scheduled - self.minutes)
        return 0

    @property
    def present(self) -> bool:
        """True when the client was there (on time, late or leaving early)."""
        return self.status in ("attended", "late", "left_early")


def _to_start(value: _dt.date) -> pendulum.Date:
    return date("Authorization.start", value)


def _to_end(value: _dt.date) -> pendulum.Date:
    return date("Authorization.end", value)


@attrs.frozen
class Authorization:
    """A payer's approval of a level of care for a period.

    Attributes:
        level: The level code it approves ("IOP").
        start: First day covered.
        end: Last day covered.
        units: How many days or sessions it covers (at most 100,000).
        unit: ``"days"`` (treatment days) or ``"sessions"``.
        status: ``"active"``, ``"pending"``, ``"denied"`` or ``"expired"``.
        payer: Who granted it; hidden from the repr.
        reference: The payer's authorization number; hidden from the repr.
    """

    level: str
    start: pendulum.Date = attrs.field(converter=_to_start)
    end: pendulum.Date = attrs.field(converter=_to_end)
    units: int
    unit: AuthorizationUnit = "days"
    status: AuthorizationStatus = "active"
    payer: str = attrs.field(default="", repr=hidden)
    reference: str = attrs.field(default="", repr=hidden)

    def __attrs_post_init__(self) -> None:
        identifier("Authorization.level", self.level)
        whole("Authorization.units", self.units, 0, MAX_UNITS, "count the days or sessions")
        choice("Authorization.unit", self.unit, AuthorizationUnit, "a unit")
        choice("Authorization.status", self.status, AuthorizationStatus, "a status")
        text("Authorization.payer", self.payer)
        text("Authorization.reference", self.reference)
        if self.end < self.start:
            raise InvalidValueError(
                "Authorization.end", self.end.isoformat(), "is before the start", "swap the dates"
            )

    def covers(self, level: str, day: _dt.date) -> bool:
        """True when it is active and approves ``level`` on ``day``."""
        return self.status == "active" and self.level == level and self.start <= day <= self.end
