"""Delivered care: scheduled versus delivered figures per week.

A plan says nine hours a week; attendance says how many were delivered.
Figures per week are computed from occurrences and records, never stored.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

import attrs
import pendulum

from careplan._model.attendance import Attendance, Authorization
from careplan._model.expansion import calendar_day
from careplan._model.expansion import occurrences as plan_occurrences
from careplan._model.levels import LevelOfCare
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.time import require_date

__all__ = [
    "AuthorizationUse",
    "WeekDelivery",
    "authorization_figures",
    "authorization_use",
    "delivered",
    "first_covering",
    "misplaced_records",
    "weekly_delivery",
]


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
    return weekly_delivery(
        plan, until, plan_occurrences(plan) if occurrences is None else occurrences
    )


def weekly_delivery(
    plan: CarePlan,
    until: pendulum.Date,
    occurrences: Sequence[Occurrence],
) -> tuple[WeekDelivery, ...]:
    """:func:`delivered` over the plan's occurrences."""
    records = {record.key: record for record in plan.attendance}
    episodes = plan.episodes
    weeks: dict[int, list[tuple[Occurrence, int]]] = {}
    for occurrence in occurrences:
        day = occurrence.date
        if day <= until:
            weeks.setdefault(day.toordinal() - day.weekday(), []).append(
                (occurrence, occurrence.minutes)
            )
    found = []
    for monday in sorted(weeks):
        items = weeks[monday]
        scheduled = delivered_minutes = attended = unexcused = unrecorded = sessions = 0
        levels: dict[str, int] = {}
        for occurrence, length in items:
            record = records.get((occurrence.session.id, occurrence.scheduled_on))
            if record is not None and record.status == "cancelled_by_program":
                continue
            sessions += 1
            scheduled += length
            level = episodes[occurrence.episode].level
            levels[level.code] = levels.get(level.code, 0) + length
            if record is None:
                unrecorded += 1
                continue
            delivered_minutes += record.delivered_of(length)
            attended += record.present
            unexcused += record.status == "absent_unexcused"
        main = max(levels, key=lambda code: levels[code]) if levels else episodes[-1].level.code
        found.append(
            WeekDelivery(
                calendar_day(monday)[0],
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
    if not plan.attendance:
        return
    by_key = {o.key: o for o in occurrences}
    for index, record in enumerate(plan.attendance):
        occurrence = by_key.get(record.key)
        if occurrence is None or (today is not None and occurrence.date > today):
            yield index, record, occurrence


@attrs.frozen
class AuthorizationUse:
    """How much of an authorization is used, and when its units run out.

    A payer counts billed units: days (or sessions) with care delivered, not
    scheduled ones, so no-shows and program cancellations use nothing.

    Attributes:
        authorization: The authorization.
        used: Units used so far: days (for ``"days"``) or sessions (for
            ``"sessions"``) it covers with at least one attended session.
        scheduled: Units the plan schedules that it covers, delivered or not.
        pace: The share of recorded units that were delivered (1.0 when none
            is recorded yet): the pace the projection assumes.
        runs_out_on: The day the units are used up at that pace, when the
            plan schedules more care under the authorization after it;
            ``None`` when the units last.
    """

    authorization: Authorization
    used: int
    scheduled: int
    pace: float
    runs_out_on: pendulum.Date | None

    @property
    def remaining(self) -> int:
        """Units left (negative when more were delivered than granted)."""
        return self.authorization.units - self.used


def authorization_use(
    plan: CarePlan, *, occurrences: tuple[Occurrence, ...] | None = None
) -> tuple[AuthorizationUse, ...]:
    """How each of ``plan``'s authorizations is used, in the order of ``plan.authorizations``.

    Each occurrence counts against the first active authorization that
    covers its level and date. A unit is delivered when the client attended
    (on time, late or leaving early) a session of it; it is recorded when
    every session of it has a record. Units not recorded yet are projected
    at the pace of the recorded ones.

    >>> import attrs, pendulum
    >>> from careplan import Authorization
    >>> from careplan.demo import sample_plan
    >>> plan = sample_plan()
    >>> plan = attrs.evolve(plan, authorizations=[Authorization("IOP", plan.start, plan.end, 30)])
    >>> plan = plan.record_attendance("mon-0930-group_therapy", pendulum.date(2027, 1, 4))
    >>> use, = authorization_use(plan)
    >>> use.used, use.scheduled, use.runs_out_on
    (1, 34, Date(2027, 3, 16))
    """
    found = plan_occurrences(plan) if occurrences is None else occurrences
    return authorization_figures(plan, found)[2]


def authorization_figures(
    plan: CarePlan, occurrences: Sequence[Occurrence]
) -> tuple[
    dict[str, dict[pendulum.Date, list[Occurrence]]],
    dict[tuple[str, pendulum.Date], int],
    tuple[AuthorizationUse, ...],
]:
    """What the authorization rule and :func:`authorization_use` both need, in one pass.

    Returns the occurrences of each day with care not cancelled by the
    program, by level (levels and days in the order of their first
    occurrence), the first authorization covering each (level, day), and
    the use of each authorization.
    """
    records = {record.key: record for record in plan.attendance}
    codes = [episode.level.code for episode in plan.episodes]
    care: dict[str, dict[pendulum.Date, list[Occurrence]]] = {}
    for occurrence in occurrences:
        if records:
            record = records.get(occurrence.key)
            if record is not None and record.status == "cancelled_by_program":
                continue
        level = codes[occurrence.episode]
        days = care.get(level)
        if days is None:
            days = care[level] = {}
        same_day = days.get(occurrence.date)
        if same_day is None:
            days[occurrence.date] = [occurrence]
        else:
            same_day.append(occurrence)
    covering = first_covering(plan.authorizations, care)
    authorizations = plan.authorizations
    # Each authorization's units (a day, or a session), with the unit's day.
    units: list[dict[object, tuple[pendulum.Date, list[Occurrence]]]] = [{} for _ in authorizations]
    for level, days in care.items():
        for day, items in days.items():
            index = covering.get((level, day))
            if index is None:
                continue
            found = units[index]
            if authorizations[index].unit == "days":
                found[day] = (day, items)
                continue
            for occurrence in items:
                first, same = found.setdefault(occurrence.key, (day, []))
                same.append(occurrence)
                if day < first:
                    found[occurrence.key] = (day, same)
    uses = tuple(
        _use(auth, found.values(), records)
        for auth, found in zip(authorizations, units, strict=True)
    )
    return care, covering, uses


def first_covering(
    authorizations: Sequence[Authorization], days_by_level: Mapping[str, Iterable[pendulum.Date]]
) -> dict[tuple[str, pendulum.Date], int]:
    """For each level and day, the first authorization (by index) that covers it.

    The same answer as trying ``Authorization.covers`` in order for every
    day, by a sweep over the days in order with a heap of the
    authorizations that have started: O((days + authorizations) log
    authorizations).
    """
    by_level: dict[str, list[tuple[pendulum.Date, int]]] = defaultdict(list)
    for index, auth in enumerate(authorizations):
        if auth.status == "active":
            by_level[auth.level].append((auth.start, index))
    found: dict[tuple[str, pendulum.Date], int] = {}
    for level, days in days_by_level.items():
        starts = sorted(by_level.get(level, ()))
        started: list[tuple[int, pendulum.Date]] = []  # (index, end), a heap
        next_start = 0
        for day in sorted(days):
            while next_start < len(starts) and starts[next_start][0] <= day:
                index = starts[next_start][1]
                heapq.heappush(started, (index, authorizations[index].end))
                next_start += 1
            while started and started[0][1] < day:
                heapq.heappop(started)  # ended; days only grow, so for good
            if started:
                found[(level, day)] = started[0][0]
    return found


def _use(
    auth: Authorization,
    units: Iterable[tuple[pendulum.Date, list[Occurrence]]],
    records: dict[tuple[str, pendulum.Date], Attendance],
) -> AuthorizationUse:
    # Each unit: its day, and 1 (delivered), 0 (recorded, not delivered) or
    # None (not recorded yet, projected at the pace).
    found: list[tuple[pendulum.Date, float | None]] = []
    for day, items in units:
        present = [records[o.key].present for o in items if o.key in records] if records else []
        if any(present):
            found.append((day, 1.0))
        elif len(present) == len(items):
            found.append((day, 0.0))
        else:
            found.append((day, None))
    found.sort(key=lambda unit: unit[0])
    recorded = [weight for _, weight in found if weight is not None]
    pace = sum(recorded) / len(recorded) if recorded else 1.0
    total = 0.0
    runs_out_on = None
    last_covered = auth.start
    for day, weight in found:
        expected = pace if weight is None else weight
        if expected and total >= auth.units - 1e-9:
            runs_out_on = last_covered  # care goes on after the units are used up
            break
        total += expected
        last_covered = day
    return AuthorizationUse(
        auth, sum(1 for _, weight in found if weight == 1.0), len(found), pace, runs_out_on
    )
