"""What really happened: attendance records, delivered hours, authorizations.

A plan says nine hours a week; attendance says how many were delivered. The
records name an occurrence by its identity (session id and scheduled date),
so a moved or cancelled occurrence keeps its record. Figures per week are
computed from occurrences and records, never stored.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Literal

import attrs
import pendulum

from careplan._errors import InvalidValueError, require_choice
from careplan._time import require_date, week_start

if TYPE_CHECKING:
    from careplan._levels import LevelOfCare
    from careplan._occurrences import Occurrence
    from careplan._plan import CarePlan

__all__ = [
    "Attendance",
    "AttendanceStatus",
    "Authorization",
    "AuthorizationStatus",
    "AuthorizationUnit",
    "WeekDelivery",
    "delivered",
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


def _to_on(value: _dt.date) -> pendulum.Date:
    return require_date("Attendance.on", value)


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
        minutes: For ``"late"`` and ``"left_early"``: the minutes missed.
        note: Free text for the record.
    """

    session_id: str
    on: pendulum.Date = attrs.field(converter=_to_on)
    status: AttendanceStatus = "attended"
    minutes: int = 0
    note: str = ""

    def __attrs_post_init__(self) -> None:
        require_choice("Attendance.status", self.status, AttendanceStatus, "an attendance status")
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int) or self.minutes < 0:
            raise InvalidValueError(
                "Attendance.minutes", self.minutes, "is not minutes (0 or more)"
            )
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
        if self.status == "attended":
            return occurrence.minutes
        if self.status in ("late", "left_early"):
            return max(0, occurrence.minutes - self.minutes)
        return 0

    @property
    def present(self) -> bool:
        """True when the client was there (on time, late or leaving early)."""
        return self.status in ("attended", "late", "left_early")


def _to_start(value: _dt.date) -> pendulum.Date:
    return require_date("Authorization.start", value)


def _to_end(value: _dt.date) -> pendulum.Date:
    return require_date("Authorization.end", value)


@attrs.frozen
class Authorization:
    """A payer's approval of a level of care for a period.

    Attributes:
        level: The level code it approves ("IOP").
        start: First day covered.
        end: Last day covered.
        units: How many days or sessions it covers.
        unit: ``"days"`` (treatment days) or ``"sessions"``.
        status: ``"active"``, ``"pending"``, ``"denied"`` or ``"expired"``.
        payer: Who granted it.
        reference: The payer's authorization number.
    """

    level: str
    start: pendulum.Date = attrs.field(converter=_to_start)
    end: pendulum.Date = attrs.field(converter=_to_end)
    units: int
    unit: AuthorizationUnit = "days"
    status: AuthorizationStatus = "active"
    payer: str = ""
    reference: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                "Authorization.end", self.end.isoformat(), "is before the start", "swap the dates"
            )
        if isinstance(self.units, bool) or not isinstance(self.units, int) or self.units < 0:
            raise InvalidValueError("Authorization.units", self.units, "is not a count of units")
        require_choice("Authorization.unit", self.unit, AuthorizationUnit, "a unit")
        require_choice("Authorization.status", self.status, AuthorizationStatus, "a status")

    def covers(self, level: str, day: _dt.date) -> bool:
        """True when it is active and approves ``level`` on ``day``."""
        return self.status == "active" and self.level == level and self.start <= day <= self.end


@attrs.frozen
class WeekDelivery:
    """Scheduled versus delivered care in one week.

    Attributes:
        monday: The week's Monday.
        level: The level of care of most of the week's sessions.
        scheduled_minutes: Minutes of the sessions that happen that week.
        delivered_minutes: Minutes the records say the client received.
        sessions: Sessions that happen that week.
        attended: Sessions the client was at (on time, late or leaving early).
        unexcused: Unexcused absences.
        unrecorded: Sessions on or before ``today`` with no record.
    """

    monday: pendulum.Date
    level: LevelOfCare
    scheduled_minutes: int
    delivered_minutes: int
    sessions: int
    attended: int
    unexcused: int
    unrecorded: int

    @property
    def attendance_rate(self) -> float | None:
        """Attended sessions over recorded ones (``None`` when none is recorded)."""
        recorded = self.sessions - self.unrecorded
        return None if recorded == 0 else self.attended / recorded


def delivered(
    plan: CarePlan,
    *,
    today: _dt.date,
    occurrences: tuple[Occurrence, ...] | None = None,
) -> tuple[WeekDelivery, ...]:
    """Scheduled and delivered figures for each week of ``plan`` up to ``today``.

    A session cancelled by the program counts as neither scheduled nor
    delivered: the client could not attend it. ``occurrences`` are the
    plan's own, when the caller has them already.

    >>> import pendulum
    >>> from careplan.demo import sample_plan
    >>> plan = sample_plan().record_attendance("mon-0930-group_therapy", pendulum.date(2027, 1, 4))
    >>> first = delivered(plan, today=pendulum.date(2027, 1, 10))[0]
    >>> first.scheduled_minutes, first.delivered_minutes, first.unrecorded
    (620, 90, 10)
    """
    until = require_date("today", today)
    records = {record.key: record for record in plan.attendance}
    episodes = plan.episodes
    weeks: dict[pendulum.Date, list[Occurrence]] = {}
    for occurrence in plan.occurrences() if occurrences is None else occurrences:
        if occurrence.date <= until:
            weeks.setdefault(week_start(occurrence.date), []).append(occurrence)
    found = []
    for monday in sorted(weeks):
        items = weeks[monday]
        scheduled = delivered_minutes = attended = unexcused = unrecorded = sessions = 0
        levels: dict[str, int] = {}
        for occurrence in items:
            record = records.get(occurrence.key)
            if record is not None and record.status == "cancelled_by_program":
                continue
            sessions += 1
            scheduled += occurrence.minutes
            level = episodes[occurrence.episode].level
            levels[level.code] = levels.get(level.code, 0) + occurrence.minutes
            if record is None:
                unrecorded += 1
                continue
            delivered_minutes += record.delivered_minutes(occurrence)
            attended += record.present
            unexcused += record.status == "absent_unexcused"
        main = max(levels, key=lambda code: levels[code]) if levels else episodes[-1].level.code
        found.append(
            WeekDelivery(
                monday,
                plan.continuum[main],
                scheduled,
                delivered_minutes,
                sessions,
                attended,
                unexcused,
                unrecorded,
            )
        )
    return tuple(found)


def misplaced_records(
    plan: CarePlan, occurrences: Iterable[Occurrence], today: _dt.date | None
) -> Iterator[tuple[int, Attendance, Occurrence | None]]:
    """Records that name no occurrence of the plan (with ``None``), or, given
    ``today``, an occurrence that has not happened yet (with it).

    Yields (index in ``plan.attendance``, record, occurrence).
    """
    by_key = {o.key: o for o in occurrences}
    for index, record in enumerate(plan.attendance):
        occurrence = by_key.get(record.key)
        if occurrence is None or (today is not None and occurrence.date > today):
            yield index, record, occurrence
