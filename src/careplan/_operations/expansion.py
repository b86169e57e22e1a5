"""Turning a weekly schedule into concrete, time-zone-correct sessions."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping

import attrs
import pendulum

from careplan._model import plan as _plan
from careplan._model import schedule as _schedule
from careplan._model.calendar import Cancellation, Closure, Reschedule
from careplan._model.limits import require_supported_date
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._model.time import Disambiguate, in_zone, require_date, resolve_wall, week_start

__all__ = ["DayChanges", "expand", "occurrence_on", "occurrences", "series_dates"]

_WEEK = _dt.timedelta(days=7)


@attrs.frozen
class DayChanges:
    """A plan's changes to single days, ready to look up per series instance.

    Built once per expansion or export: which days are closed, which
    occurrences are cancelled and which are moved.
    """

    closed: frozenset[pendulum.Date] = frozenset()
    cancelled: frozenset[tuple[str, pendulum.Date]] = frozenset()
    moved: Mapping[tuple[str, pendulum.Date], Reschedule] = attrs.field(factory=dict)

    @classmethod
    def of(
        cls,
        closures: Iterable[Closure | _dt.date] = (),
        cancellations: Iterable[Cancellation] = (),
        reschedules: Iterable[Reschedule] = (),
    ) -> DayChanges:
        """The lookups for these closures, cancellations and reschedules.

        Raises:
            InvalidValueError: A session is moved to a day outside
                :data:`careplan.EARLIEST_DATE` to :data:`careplan.LATEST_DATE`.
        """
        reschedules = tuple(reschedules)
        for reschedule in reschedules:
            require_supported_date("Reschedule.start", reschedule.start.date())
        return cls(
            frozenset(
                c.date if isinstance(c, Closure) else require_date("closures", c) for c in closures
            ),
            frozenset((c.session_id, c.on) for c in cancellations),
            {(r.session_id, r.on): r for r in reschedules},
        )

    @classmethod
    def of_plan(cls, plan: CarePlan) -> DayChanges:
        """The lookups for ``plan``'s closures, holds, cancellations and reschedules."""
        return cls.of(_days_off(plan), plan.cancellations, plan.reschedules)

    def removes(self, session_id: str, day: _dt.date) -> bool:
        """True when the instance of ``session_id`` on ``day`` does not happen."""
        return day in self.closed or (session_id, day) in self.cancelled


def _days_off(plan: CarePlan) -> tuple[Closure | _dt.date, ...]:
    """Closures and held days: no session of the plan happens on them."""
    return (*plan.closures, *sorted(plan.held_days))


def expand(
    schedule: WeeklySchedule,
    start: _dt.date,
    end: _dt.date,
    *,
    closures: Iterable[Closure | _dt.date] = (),
    cancellations: Iterable[Cancellation] = (),
    reschedules: Iterable[Reschedule] = (),
    cadence_start: _dt.date | None = None,
    disambiguate: Disambiguate = "compatible",
    episode: int = 0,
) -> tuple[Occurrence, ...]:
    """Every concrete session of ``schedule`` from ``start`` to ``end``, both included.

    Args:
        schedule: The weekly sessions and their zone.
        start: First day (local date in the schedule's zone).
        end: Last day, included.
        closures: Days (or :class:`~careplan.Closure` values) without sessions.
        cancellations: Single occurrences that do not happen.
        reschedules: Single occurrences moved to another time.
        cadence_start: The week ``every_weeks`` counts from (default: the
            week of ``start``).
        disambiguate: What a wall time means when DST skips or repeats it;
            see :data:`careplan.Disambiguate`.
        episode: The episode index the occurrences are marked with.

    Returns:
        The occurrences sorted by start, then by session id. Work is linear
        in the number of weeks times the number of sessions.

    >>> import pendulum
    >>> from careplan import Session, SessionKind, WeeklySchedule
    >>> week = WeeklySchedule("America/New_York",
    ...     [Session("sunday", "09:00", 60, SessionKind.GROUP_THERAPY)])
    >>> [o.start.isoformat() for o in expand(
    ...     week, pendulum.date(2026, 3, 1), pendulum.date(2026, 3, 8))]
    ['2026-03-01T09:00:00-05:00', '2026-03-08T09:00:00-04:00']
    """
    first_day = require_date("start", start)
    last_day = require_date("end", end)
    origin = require_date("cadence_start", cadence_start or first_day)
    changes = DayChanges.of(closures, cancellations, reschedules)
    zone = schedule.timezone
    found: list[Occurrence] = []
    for session in schedule.sessions:
        for scheduled_on in series_dates(session, first_day, last_day, origin):
            if not changes.removes(session.id, scheduled_on):
                found.append(
                    occurrence_on(session, scheduled_on, zone, changes.moved, disambiguate, episode)
                )
    found.sort(key=lambda o: (o.start, o.session.id))
    return tuple(found)


def series_dates(
    session: Session, start: _dt.date, end: _dt.date, cadence_start: _dt.date
) -> list[pendulum.Date]:
    """The dates a session's weekly series falls on from ``start`` to ``end``.

    Before closures and changes; ``every_weeks`` counts from the week of
    ``cadence_start``.

    Raises:
        InvalidValueError: ``start`` or ``end`` is outside
            :data:`careplan.EARLIEST_DATE` to :data:`careplan.LATEST_DATE`
            (checked first, so the arithmetic never overflows).
    """
    require_supported_date("start", start)
    require_supported_date("end", end)
    # Plain dates in the loop: pendulum's date arithmetic is much slower.
    first_day, last_day = _plain(start), _plain(end)
    origin = _plain(week_start(cadence_start))
    found = []
    day = first_day + _dt.timedelta(days=(session.weekday - first_day.weekday()) % 7)
    while day <= last_day:
        if ((day - origin).days // 7) % session.every_weeks == 0:
            found.append(pendulum.Date(day.year, day.month, day.day))
        day += _WEEK
    return found


def occurrence_on(
    session: Session,
    scheduled_on: pendulum.Date,
    zone: str,
    moved: Mapping[tuple[str, pendulum.Date], Reschedule],
    disambiguate: Disambiguate,
    episode: int,
) -> Occurrence:
    """The occurrence of ``session`` scheduled on a day, moved if ``moved`` says so."""
    change = moved.get((session.id, scheduled_on))
    if change is None:
        begin = resolve_wall(scheduled_on, session.start, zone, disambiguate)
        return Occurrence(
            session,
            scheduled_on,
            in_zone(begin, zone),
            _after(begin, session.duration, zone),
            episode=episode,
        )
    length = change.duration or session.duration
    return Occurrence(
        session,
        scheduled_on,
        in_zone(change.start, zone),
        _after(change.start, length, zone),
        moved=True,
        episode=episode,
    )


def _after(begin: _dt.datetime, length: _dt.timedelta, zone: str) -> pendulum.DateTime:
    """The instant ``length`` of elapsed time after ``begin``, in ``zone``."""
    utc = _dt.datetime.fromtimestamp(begin.timestamp(), _dt.timezone.utc)
    return in_zone(utc + _dt.timedelta(seconds=length.total_seconds()), zone)


def _plain(day: _dt.date) -> _dt.date:
    return _dt.date(day.year, day.month, day.day)


def occurrences(
    plan: CarePlan, *, disambiguate: Disambiguate = "compatible"
) -> tuple[Occurrence, ...]:
    """Every concrete session of ``plan`` over its period, sorted by start.

    Each episode's schedule applies from its first to its last day: no
    session of a level happens after the transition that ends it. Closures
    remove the sessions of their day, cancellations remove single
    occurrences and reschedules move them; holds (leaves of absence) remove the
    sessions of their days; ``every_weeks`` counts from the
    start week of the episode.

    Args:
        plan: The care plan.
        disambiguate: The DST policy; see :data:`careplan.Disambiguate`.
    """
    found: list[Occurrence] = []
    for index, episode in enumerate(plan.episodes):
        found += expand(
            episode.schedule,
            episode.start,
            episode.end,
            closures=_days_off(plan),
            cancellations=plan.cancellations,
            reschedules=plan.reschedules,
            cadence_start=episode.start,
            disambiguate=disambiguate,
            episode=index,
        )
    if len(plan.episodes) > 1:
        found.sort(key=lambda o: (o.start, o.session.id))
    return tuple(found)


_plan.EXPAND_PLAN.provide(occurrences)
_schedule.EXPAND_SCHEDULE.provide(expand)
