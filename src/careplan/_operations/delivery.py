"""Delivered care: scheduled versus delivered figures per week.

A plan says nine hours a week; attendance says how many were delivered.
Figures per week are computed from occurrences and records, never stored.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator

import attrs
import pendulum

from careplan._model.attendance import Attendance
from careplan._model.levels import LevelOfCare
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.time import require_date, week_start
from careplan._operations.expansion import occurrences as plan_occurrences

__all__ = ["WeekDelivery", "delivered", "misplaced_records"]


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
    for occurrence in plan_occurrences(plan) if occurrences is None else occurrences:
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
