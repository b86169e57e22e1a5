"""One session's series in one episode: a recurring VEVENT, then its overrides.

The series repeats weekly with an RRULE whose COUNT ends it with the
episode; which of its instances happen is decided by the plan's expansion
(the ``happening`` the caller passes), and the rest are EXDATEs. An
instance that is moved, or whose start or end calendar clients would
compute differently (a wall time that a DST change skips or repeats, or a
session that ends at a midnight change), gets a RECURRENCE-ID override with
explicit times. A series none of whose instances happens is written whole,
every instance excluded, with STATUS:CANCELLED, so no UID ever leaves a
later revision.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Set

from careplan._adapters.ical.lines import (
    duration_line,
    explicit_line,
    local_line,
    utc_line,
    weekly_rule,
)
from careplan._model.expansion import first_in_series, series_dates
from careplan._model.occurrence import Occurrence
from careplan._model.session import Session
from careplan._model.time import (
    Disambiguate,
    minute_of_day,
    resolve_wall,
    unique_wall_time,
    zone_info,
)

__all__ = ["series"]

_UTC = _dt.timezone.utc
_END_EVENT = b"END:VEVENT\r\n"
_CANCELLED = b"STATUS:CANCELLED\r\n"
_DAY = _dt.timedelta(days=1)


def series(
    session: Session,
    span: tuple[_dt.date, _dt.date],
    happening: Mapping[_dt.date, Occurrence],
    zone: str,
    dst_days: frozenset[_dt.date],
    disambiguate: Disambiguate,
    *,
    head: bytes,
    content: bytes,
) -> tuple[bool, list[bytes]]:
    """The recurring event of ``session`` from ``span``'s first day to its last, then its overrides.

    ``happening`` holds the series' occurrences by the day each is
    scheduled on; ``head`` is each event's first lines (BEGIN, UID,
    DTSTAMP, SEQUENCE) and ``content`` what it shows. Returns whether any
    instance happens, and the lines.

    The master's DTSTART is the first instance on an ordinary day (no clock
    change between its start and its end): readers derive the whole series
    from it, and a wall time on a change day may not exist or may happen
    twice. Instances before it (an episode that starts on a change day) are
    RDATEs in UTC, which no reader can misread. The length is a DURATION,
    an exact time by RFC 5545, so no instance's length depends on the day
    the series starts.
    """
    begins, ends = span
    instances = series_dates(session, begins, ends, begins)
    wall, minutes = session.start, session.minutes
    interval, weekday = session.every_weeks, int(session.weekday)
    if not happening:
        days = instances or [first_in_series(session, begins, begins)]
        walls = [_dt.datetime.combine(day, wall) for day in days]
        return False, [
            head,
            _CANCELLED,
            local_line("DTSTART", zone, walls[0]),
            duration_line(minutes),
            weekly_rule(interval, weekday, len(days)),
            local_line("EXDATE", zone, *walls),
            content,
            _END_EVENT,
        ]

    edges = _edge_days(session, minutes, dst_days)
    anchor = 0  # the first instance on an ordinary day
    while anchor < len(instances) and instances[anchor] in edges:
        anchor += 1
    added: list[_dt.datetime] = []
    overrides: list[tuple[bytes, Occurrence]] = []
    for day in instances[:anchor]:
        found = happening.get(day)
        if found is not None:
            scheduled = resolve_wall(day, wall, zone, disambiguate).astimezone(_UTC)
            added.append(scheduled)
            if found.moved:
                overrides.append((utc_line("RECURRENCE-ID", scheduled), found))
    excluded: list[_dt.datetime] = []
    for day in instances[anchor:]:
        found = happening.get(day)
        if found is None:
            excluded.append(_dt.datetime.combine(day, wall))
        elif found.moved or (day in edges and not _read_alike(day, found, zone)):
            recurrence = local_line("RECURRENCE-ID", zone, _dt.datetime.combine(day, wall))
            overrides.append((recurrence, found))

    lines = [head]
    if anchor < len(instances):
        start = _dt.datetime.combine(instances[anchor], wall)
        lines += [
            local_line("DTSTART", zone, start),
            duration_line(minutes),
            # COUNT rather than UNTIL: it bounds the series the same way, and
            # the line is then the same for every plan of the same length.
            weekly_rule(interval, weekday, len(instances) - anchor),
        ]
        lines += [utc_line("RDATE", moment) for moment in added]
    else:
        # Every instance is on a change day: a series of UTC instants.
        lines += [utc_line("DTSTART", added[0]), duration_line(minutes)]
        lines += [utc_line("RDATE", moment) for moment in added[1:]]
    if excluded:
        lines.append(local_line("EXDATE", zone, *excluded))
    lines += [content, _END_EVENT]
    for recurrence, found in overrides:
        lines += [
            head,
            recurrence,
            explicit_line("DTSTART", found.start, zone),
            explicit_line("DTEND", found.end, zone),
            content,
            _END_EVENT,
        ]
    return True, lines


def _edge_days(session: Session, minutes: int, dst_days: frozenset[_dt.date]) -> Set[_dt.date]:
    """The days on which an instance of ``session`` touches a clock change.

    A session that ends before midnight touches a change only on its own
    day; one that ends at midnight also on the day before a change.
    """
    if minute_of_day(session.start) + minutes < 24 * 60:
        return dst_days
    return dst_days | {day - _DAY for day in dst_days}


def _read_alike(day: _dt.date, happening: Occurrence, timezone: str) -> bool:
    """True when every client computes this instance as careplan does.

    Clients read the series' wall start and add the duration on the wall
    clock; they disagree among themselves about wall times a DST change skips
    or repeats. Such instances, and ones whose wall-clock end differs from
    the elapsed end, get an override with explicit times.
    """
    session = happening.session
    wall_start = _dt.datetime.combine(day, session.start)
    wall_end = wall_start + session.duration
    if not (unique_wall_time(wall_start, timezone) and unique_wall_time(wall_end, timezone)):
        return False
    zone = zone_info(timezone)
    start, end = wall_start.replace(tzinfo=zone), wall_end.replace(tzinfo=zone)
    return start.timestamp() == happening.start.timestamp() and (
        end.timestamp() == happening.end.timestamp()
    )
