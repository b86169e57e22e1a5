"""Turning weekly sessions into concrete, time-zone-correct occurrences.

Expanding a schedule is intrinsic to it, so the expansion lives with the
values: :meth:`careplan.WeeklySchedule.occurrences` and
:meth:`careplan.CarePlan.occurrences` call it directly, and the public
:func:`careplan.expand` and :func:`careplan.occurrences` are those methods.
It knows a schedule, an episode and a plan by the few attributes it reads
(the protocols below), so it sits below them in the layers.

One loop builds every occurrence (``_expand``); the calendar and
FHIR exports, which write a series as a rule plus exceptions, ask which
dates a series falls on through :func:`series_dates`, and the FHIR export
builds an instance through :func:`occurrence_on`, which the loop also uses
on days it cannot do in its fast way.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Protocol

import attrs
import pendulum

from careplan._model.calendar import Cancellation, Closure, Reschedule
from careplan._model.errors import AmbiguousTimeError, NonexistentTimeError
from careplan._model.limits import require_supported_date
from careplan._model.occurrence import Occurrence
from careplan._model.session import Session
from careplan._model.time import (
    Disambiguate,
    in_zone,
    pendulum_zone,
    require_date,
    resolve_wall,
    steady_offsets,
)

__all__ = [
    "DayChanges",
    "PlanLike",
    "Sessions",
    "Span",
    "calendar_day",
    "expand",
    "first_in_series",
    "occurrence_on",
    "occurrences",
    "occurrences_and_regular",
    "plan_occurrences",
    "series_dates",
]


class Sessions(Protocol):
    """What the expansion reads of a schedule."""

    @property
    def timezone(self) -> str:
        """The IANA zone of the sessions' wall times."""

    @property
    def sessions(self) -> tuple[Session, ...]:
        """The weekly sessions."""


class Span(Protocol):
    """What the expansion reads of an episode: its schedule and its days."""

    @property
    def schedule(self) -> Sessions:
        """The schedule in force."""

    @property
    def start(self) -> pendulum.Date:
        """The first day."""

    @property
    def end(self) -> pendulum.Date:
        """The last day, included."""


class PlanLike(Protocol):
    """What the expansion reads of a plan: its episodes and its changes to single days."""

    @property
    def episodes(self) -> Sequence[Span]:
        """The stays at one level, first to last."""

    @property
    def closures(self) -> tuple[Closure, ...]:
        """Days without sessions."""

    @property
    def held_days(self) -> frozenset[pendulum.Date]:
        """Days of leaves of absence."""

    @property
    def cancellations(self) -> tuple[Cancellation, ...]:
        """Single occurrences that do not happen."""

    @property
    def reschedules(self) -> tuple[Reschedule, ...]:
        """Single occurrences moved."""


def _slot_setters() -> tuple[Callable[[Occurrence, object], None], ...] | None:
    """Setters of an occurrence's slots, in field order, for building checked values.

    attrs' frozen ``__init__`` goes through ``object.__setattr__`` per field,
    a sixth of the cost of an occurrence; the expansion builds values from
    checked parts, so it sets the slots directly. None (use the class) when
    the fields are not the ones the expansion sets.
    """
    names = ("session", "scheduled_on", "start", "end", "moved", "episode", "date", "minutes")
    if tuple(field.name for field in attrs.fields(Occurrence)) != names:
        return None
    return tuple(getattr(Occurrence, name).__set__ for name in names)


_SETTERS = _slot_setters()

#: A local day for the expansion: the date, its year,
#: month and day, whether it is steady (one UTC offset all day), and the next
#: day's year, month and day when a session may end at its midnight (the
#: next day steady at the same offset), else None.
_Day = tuple["pendulum.Date", int, int, int, bool, "tuple[int, int, int] | None"]


@lru_cache(maxsize=1 << 14)
def calendar_day(ordinal: int) -> tuple[pendulum.Date, int, int, int]:
    """The pendulum date of a day ordinal, with its year, month and day.

    Cached (about 45 years of days): pendulum dates are immutable, and the
    plans of a batch share their days.
    """
    plain = _dt.date.fromordinal(ordinal)
    return pendulum.Date(plain.year, plain.month, plain.day), plain.year, plain.month, plain.day


@lru_cache(maxsize=1 << 15)
def _day(zone: str, ordinal: int) -> _Day:
    """A day of ``zone`` for the expansion (see :data:`_Day`), cached: plans share days."""
    day, year, month, date = calendar_day(ordinal)
    offset, after = steady_offsets(zone, ordinal, ordinal + 1)
    following = None
    if offset is not None and after == offset:
        following = calendar_day(ordinal + 1)[1:]
    return (day, year, month, date, offset is not None, following)


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
                c.on if isinstance(c, Closure) else require_date("closures", c) for c in closures
            ),
            frozenset((c.session_id, c.on) for c in cancellations),
            {(r.session_id, r.on): r for r in reschedules},
        )

    @classmethod
    def of_plan(cls, plan: PlanLike) -> DayChanges:
        """The lookups for ``plan``'s closures, holds, cancellations and reschedules."""
        return cls.of(_days_off(plan), plan.cancellations, plan.reschedules)

    def removes(self, session_id: str, day: _dt.date) -> bool:
        """True when the instance of ``session_id`` on ``day`` does not happen."""
        return day in self.closed or (session_id, day) in self.cancelled


#: No changes: a schedule's regular occurrences.
_NO_CHANGES = DayChanges()


def _days_off(plan: PlanLike) -> tuple[Closure | _dt.date, ...]:
    """Closures and held days: no session of the plan happens on them."""
    return (*plan.closures, *sorted(plan.held_days))


def expand(
    schedule: Sessions,
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
        cadence_start: The week ``every_weeks`` and ``week_offset`` count
            from (default: the week of ``start``).
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
    origin = require_date("cadence_start", cadence_start or first_day)
    changes = DayChanges.of(closures, cancellations, reschedules)
    found = _expand(schedule, first_day, end, changes, origin, disambiguate, episode)
    return tuple(found)


def _expand(
    schedule: Sessions,
    start: _dt.date,
    end: _dt.date,
    changes: DayChanges,
    origin: pendulum.Date,
    disambiguate: Disambiguate = "compatible",
    episode: int = 0,
) -> list[Occurrence]:
    """Every concrete session of ``schedule`` from ``start`` to ``end``, both included.

    See :func:`careplan.expand` for the arguments (``origin`` is the
    cadence's start); the occurrences come as a list, sorted by start, then
    by session id.

    The work is done week by week, the sessions of a week in the order they
    happen, so the occurrences come out sorted and need no sort. On a day
    with one UTC offset throughout (see :func:`steady_offsets`), an
    occurrence is built from its wall times alone; moved occurrences and
    those on a DST day go through :func:`occurrence_on` and are merged in.
    """
    first_day = require_date("start", start)
    last_day = require_date("end", end)
    rows: list[Occurrence] = []
    if not schedule.sessions:
        return rows
    require_supported_date("start", first_day)
    require_supported_date("end", last_day)
    zone = schedule.timezone
    tzinfo = pendulum_zone(zone)
    first, last = first_day.toordinal(), last_day.toordinal()
    if last < first:
        return rows
    closed = {day.toordinal() for day in changes.closed}
    cancelled, moved = changes.cancelled, changes.moved
    plans = [_weekly(session) for session in schedule.sessions]
    plans.sort(key=lambda plan: plan[:3])
    origin_monday = origin.toordinal() - origin.weekday()
    append_occurrence = rows.append
    irregular: list[Occurrence] = []
    days: dict[int, _Day] = {}
    new_datetime = _dt.datetime.__new__
    new_object = object.__new__
    setters = _SETTERS
    date_time = pendulum.DateTime  # local names: the loop runs per occurrence
    for monday in range(first - first_day.weekday(), last + 1, 7):
        week = (monday - origin_monday) // 7
        for weekday, begins, session_id, session, every, phase, length, hour, minute, ends in plans:
            if every != 1 and week % every != phase:
                continue
            ordinal = monday + weekday
            if ordinal < first or ordinal > last:
                continue
            if ordinal in closed:
                continue
            found = days.get(ordinal)
            if found is None:
                found = days[ordinal] = _day(zone, ordinal)
            day, year, month, date, steady_day, following = found
            if cancelled and (session_id, day) in cancelled:
                continue  # closed, or this occurrence is cancelled
            if (
                not steady_day
                or (ends is None and following is None)
                or (moved and (session_id, day) in moved)
            ):
                try:
                    occurrence = occurrence_on(session, day, zone, moved, disambiguate, episode)
                except (NonexistentTimeError, AmbiguousTimeError):
                    _raise_first(schedule, first_day, last_day, origin, changes, episode)
                    raise
                if not occurrence.moved and _starts_as_scheduled(occurrence, day, begins):
                    append_occurrence(occurrence)
                else:
                    irregular.append(occurrence)
                continue
            # A steady day: the wall times are the values, with fold 0.
            start_at = new_datetime(date_time, year, month, date, hour, minute, 0, 0, tzinfo)
            if ends is None:
                assert following is not None
                end_at = new_datetime(date_time, *following, 0, 0, 0, 0, tzinfo)
            else:
                end_at = new_datetime(date_time, year, month, date, ends[0], ends[1], 0, 0, tzinfo)
            if setters is None:
                occurrence = Occurrence(session, day, start_at, end_at, episode=episode)
            else:
                occurrence = new_object(Occurrence)
                (
                    set_session,
                    set_scheduled_on,
                    set_start,
                    set_end,
                    set_moved,
                    set_episode,
                    set_date,
                    set_minutes,
                ) = setters
                set_session(occurrence, session)
                set_scheduled_on(occurrence, day)
                set_start(occurrence, start_at)
                set_end(occurrence, end_at)
                set_moved(occurrence, False)
                set_episode(occurrence, episode)
                set_date(occurrence, day)  # a steady day: the wall times are the day's
                set_minutes(occurrence, length)
            append_occurrence(occurrence)
    if irregular:
        return _merge(rows, irregular)
    return rows


_DAY_MINUTES = 24 * 60


def _weekly(
    session: Session,
) -> tuple[int, int, str, Session, int, int, int, int, int, tuple[int, int] | None]:
    """What the expansion's loop reads of a session, worked out once per expansion.

    Its weekday, start minute and id (the order within a week), the session,
    its cadence and week, its length, the start's hour and minute, and the
    end's hour and minute (None when it ends at 24:00, the next day's midnight).
    """
    hour, minute, length = session.start.hour, session.start.minute, session.minutes
    begins = hour * 60 + minute
    ends = divmod(begins + length, 60) if begins + length < _DAY_MINUTES else None
    return (
        int(session.weekday),
        begins,
        session.id,
        session,
        session.every_weeks,
        session.week_offset,
        length,
        hour,
        minute,
        ends,
    )


def _order(occurrence: Occurrence) -> tuple[object, ...]:
    """The order of occurrences: as :func:`careplan.expand` documents it.

    Starts compare as wall times (all occurrences of one expansion share one
    zone, and Python compares same-zone datetimes by wall time), then the
    session id, then the scheduled date (the order a session's series
    produces them in).
    """
    start = occurrence.start
    return (
        start.toordinal(),
        start.hour,
        start.minute,
        start.second,
        start.microsecond,
        occurrence.session.id,
        occurrence.scheduled_on,
    )


def _merge(rows: list[Occurrence], irregular: list[Occurrence]) -> list[Occurrence]:
    """Insert the few occurrences that are out of the weekly order where they belong.

    A binary search per irregular occurrence: the regular ones are already
    in order, so nothing is sorted but the irregular ones.
    """
    irregular.sort(key=_order)
    merged: list[Occurrence] = []
    done = 0
    for occurrence in irregular:
        at = bisect.bisect_right(rows, _order(occurrence), lo=done, key=_order)
        merged.extend(rows[done:at])
        merged.append(occurrence)
        done = at
    merged.extend(rows[done:])
    return merged


def _starts_as_scheduled(occurrence: Occurrence, day: pendulum.Date, begins: int) -> bool:
    """True when the occurrence starts at its session's wall time on its day.

    Only then does it keep its place in the weekly order; a time a DST change
    skips starts later and is merged in by :func:`_merge`.
    """
    start = occurrence.start
    return (
        start.toordinal() == day.toordinal()
        and start.hour * 60 + start.minute == begins
        and not start.second
        and not start.microsecond
    )


def _raise_first(
    schedule: Sessions,
    first_day: pendulum.Date,
    last_day: pendulum.Date,
    origin: pendulum.Date,
    changes: DayChanges,
    episode: int,
) -> None:
    """Raise the DST error the plain loop meets first: sessions in the schedule's order.

    With ``disambiguate="raise"`` several occurrences may be at times a DST
    change skips or repeats; the error names the first one in the order of
    the schedule's sessions, then by date, as it always has.
    """
    for session in schedule.sessions:
        for day in series_dates(session, first_day, last_day, origin):
            if not changes.removes(session.id, day):
                occurrence_on(session, day, schedule.timezone, changes.moved, "raise", episode)


def series_dates(
    session: Session, start: _dt.date, end: _dt.date, cadence_start: _dt.date
) -> list[pendulum.Date]:
    """The dates a session's weekly series falls on from ``start`` to ``end``.

    Before closures and changes; ``every_weeks`` and ``week_offset`` count
    from the week of ``cadence_start`` (see :meth:`careplan.Session.held_in_week`).

    Raises:
        InvalidValueError: ``start`` or ``end`` is outside
            :data:`careplan.EARLIEST_DATE` to :data:`careplan.LATEST_DATE`
            (checked first, so the arithmetic never overflows).
    """
    require_supported_date("start", start)
    require_supported_date("end", end)
    first = first_in_series(session, start, cadence_start).toordinal()
    step = 7 * session.every_weeks
    return [calendar_day(ordinal)[0] for ordinal in range(first, end.toordinal() + 1, step)]


def first_in_series(session: Session, start: _dt.date, cadence_start: _dt.date) -> pendulum.Date:
    """The first date of a session's weekly series on or after ``start`` (perhaps after its end).

    ``every_weeks`` and ``week_offset`` count from the week of ``cadence_start``.
    """
    day = start.toordinal() + (session.weekday - start.weekday()) % 7
    week = (day - cadence_start.toordinal() + cadence_start.weekday()) // 7
    return calendar_day(day + 7 * ((session.week_offset - week) % session.every_weeks))[0]


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


def occurrences(
    plan: PlanLike, *, disambiguate: Disambiguate = "compatible"
) -> tuple[Occurrence, ...]:
    """Every concrete session of ``plan`` over its period, sorted by start.

    Each episode's schedule applies from its first to its last day: no
    session of a level happens after the transition that ends it. Closures
    remove the sessions of their day, cancellations remove single
    occurrences and reschedules move them; holds (leaves of absence) remove the
    sessions of their days; ``every_weeks`` and ``week_offset`` count
    from the start week of the episode.

    Args:
        plan: The care plan.
        disambiguate: The DST policy; see :data:`careplan.Disambiguate`.
    """
    return tuple(plan_occurrences(plan, disambiguate))


def plan_occurrences(plan: PlanLike, disambiguate: Disambiguate) -> list[Occurrence]:
    """:func:`occurrences`, as a list."""
    changes = DayChanges.of_plan(plan)
    parts = [
        _expand(e.schedule, e.start, e.end, changes, e.start, disambiguate, index)
        for index, e in enumerate(plan.episodes)
    ]
    return _joined(parts)


def _joined(parts: list[list[Occurrence]]) -> list[Occurrence]:
    """The occurrences of a plan's episodes, in one order."""
    if len(parts) == 1:
        return parts[0]
    found = [occurrence for part in parts for occurrence in part]
    # Episodes may have different zones: starts compare as instants there,
    # so the order is Python's own over (start, session id), stable as before.
    found.sort(key=lambda o: (o.start, o.session.id))
    return found


def occurrences_and_regular(
    plan: PlanLike,
) -> tuple[tuple[Occurrence, ...], list[tuple[Occurrence, ...]]]:
    """The plan's occurrences, and each episode's regular ones (its schedule alone).

    Validation needs both; the plan's are the regular ones less closed,
    held and cancelled days, with moved ones replaced, so the plan is
    expanded once. (With ``disambiguate="compatible"``, which never raises:
    under ``"raise"`` a removed occurrence must not raise, so
    :func:`plan_occurrences` expands the plan itself.)
    """
    changes = DayChanges.of_plan(plan)
    episodes = plan.episodes
    regular = [
        _expand(e.schedule, e.start, e.end, _NO_CHANGES, e.start, "compatible", index)
        for index, e in enumerate(episodes)
    ]
    parts = [
        _with_changes(rows, changes, episode.schedule.timezone, index)
        for index, (rows, episode) in enumerate(zip(regular, episodes, strict=True))
    ]
    return tuple(_joined(parts)), [tuple(rows) for rows in regular]


def _with_changes(
    regular: list[Occurrence], changes: DayChanges, zone: str, episode: int
) -> list[Occurrence]:
    """The occurrences that happen, from the regular ones and the plan's changes."""
    closed, cancelled, moved = changes.closed, changes.cancelled, changes.moved
    if not (closed or cancelled or moved):
        return list(regular)
    found: list[Occurrence] = []
    add_occurrence = found.append
    irregular = []
    for occurrence in regular:
        scheduled_on = occurrence.scheduled_on
        if scheduled_on in closed:
            continue
        if cancelled or moved:
            key = (occurrence.session.id, scheduled_on)
            if key in cancelled:
                continue
            if key in moved:
                change = occurrence_on(
                    occurrence.session, scheduled_on, zone, moved, "compatible", episode
                )
                irregular.append(change)
                continue
        add_occurrence(occurrence)
    return _merge(found, irregular) if irregular else found
