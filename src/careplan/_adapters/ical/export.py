"""The calendar exports: a plan's (:func:`to_ical`) and a schedule's (:func:`schedule_to_ical`).

Each checks its arguments, asks the expansion which instances happen, and
writes the calendar's head, one VTIMEZONE per zone (see ``vtimezone.py``),
and one series per session and episode (see ``series.py``).
"""

from __future__ import annotations

import datetime as _dt
import hmac
import typing
from collections.abc import Iterable, Sequence
from functools import lru_cache

from careplan._adapters.ical.arguments import (
    METHODS,
    Method,
    choice,
    given_name,
    hmac_key,
    itip_addresses,
    reminder_lengths,
    utc_stamp,
)
from careplan._adapters.ical.content import DETAILS, Detail, calendar_name, content, full_lines
from careplan._adapters.ical.lines import sequence_line, utc_line, write
from careplan._adapters.ical.sequence import MAX_SEQUENCE, Records, recorded_changes
from careplan._adapters.ical.series import series
from careplan._adapters.vtimezone import transition_days, vtimezone
from careplan._model.calendar import Closure
from careplan._model.checks import whole
from careplan._model.errors import InvalidValueError
from careplan._model.expansion import DayChanges, expand, occurrences
from careplan._model.limits import require_supported_date
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._model.time import Disambiguate, require_date
from careplan._version import __version__

__all__ = ["schedule_to_ical", "to_ical"]

_PRODID = f"-//careplan//careplan {__version__}//EN"
_END_CALENDAR = b"END:VCALENDAR\r\n"


def to_ical(
    plan: CarePlan,
    *,
    detail: Detail = "minimal",
    reminders: Sequence[int | _dt.timedelta] = (),
    uid_key: str | bytes | None = None,
    stamp: _dt.datetime | None = None,
    sequence: int = 0,
    disambiguate: Disambiguate = "compatible",
    name: str | None = None,
    method: Method = "PUBLISH",
    organizer: str | None = None,
    attendees: Sequence[str] = (),
) -> bytes:
    """The plan as an iCalendar file (RFC 5545, ``METHOD:PUBLISH``).

    Every session of every episode is one series with its own UID, also once
    nothing of it happens any more: such a series is written with
    ``STATUS:CANCELLED``, so a calendar that had it takes it away. The
    instances are the plan's :func:`~careplan.occurrences`.

    Args:
        plan: The plan; every episode becomes its own series of events.
        detail: How much to reveal; see :data:`careplan.Detail`. Private
            (``CLASS:PRIVATE``) and minimal by default.
        reminders: Alarms before each session (minutes or timedeltas, at
            most 16); none by default.
        uid_key: Secret for the event UIDs (an HMAC key, text or bytes).
            UIDs are stable for the same plan, episode and session, so
            importing an updated file updates events instead of duplicating
            them. Default: the plan's random ``id``; pass your own secret
            when plan ids are guessable.
        stamp: DTSTAMP, the time of the export (aware). careplan never reads
            the clock: pass it (the command line and :mod:`careplan.caldav`
            do). Default: the Unix epoch plus one second per change the
            plan records (cancellations, moves, closures, holds,
            transitions), so the same plan gives the same bytes, the value
            is never in the future and it rises with every recorded change.
        sequence: Added to every event's SEQUENCE. Each series' SEQUENCE is
            derived from the plan's own records and rises whenever the
            series' instances, times or status change (see the calendar
            explanation); raise ``sequence`` after a change the plan does
            not record (editing a session in place).
        disambiguate: The DST policy the plan's occurrences use.
        name: The calendar's display name (``X-WR-CALNAME``), single-line
            text, written as given at every ``detail``: put the client's
            name in it only for a calendar they alone see. Characters a
            reader would show escaped (``\\ ; ,``) become spaces, and runs
            of spaces one. Default: "Care plan", and the client's name after
            it with ``detail="full"``.
        method: ``"PUBLISH"`` (a calendar), or an iTIP message:
            ``"REQUEST"`` writes the series that still happen,
            ``"CANCEL"`` the cancelled ones (a file without a VEVENT when
            none is).
        organizer: For ``REQUEST`` and ``CANCEL``: the organizer's calendar
            address (``mailto:...``).
        attendees: For ``REQUEST`` and ``CANCEL``: at least one attendee's
            calendar address.

    Raises:
        InvalidValueError: A bad ``detail``, ``sequence``, reminder,
            ``uid_key``, ``stamp``, ``disambiguate``, ``name``, ``method``
            or address, a SEQUENCE over 2,147,483,647, or a plan date
            outside :data:`careplan.EARLIEST_DATE` to
            :data:`careplan.LATEST_DATE`.

    >>> from careplan.demo import sample_plan
    >>> text = to_ical(sample_plan()).decode()
    >>> text.count("BEGIN:VEVENT"), "CLASS:PRIVATE" in text, "Alex" in text
    (11, True, False)
    """
    choice("detail", detail, DETAILS, "a level of detail")
    choice("disambiguate", disambiguate, typing.get_args(Disambiguate), "a DST policy")
    choice("method", method, METHODS, "a calendar method")
    sequence = whole("sequence", sequence, 0, MAX_SEQUENCE)
    alarms = reminder_lengths(reminders)
    addresses = itip_addresses(method, organizer, attendees)
    require_supported_date("CarePlan.start", plan.start)
    require_supported_date("CarePlan.end", plan.end)
    key = hmac_key(uid_key, plan.id)
    stamp_line = utc_line("DTSTAMP", utc_stamp(stamp, recorded_changes(plan)))
    if name is not None:
        name = given_name(name)
    elif detail == "full" and plan.client.name:
        name = f"Care plan: {plan.client.name}"
    else:
        name = "Care plan"

    # Which instances happen, and when, is decided by the plan's expansion.
    happening = _by_series(occurrences(plan, disambiguate=disambiguate))
    records = Records.of(plan)
    # The zone definitions cover every date the file writes, moves included.
    moved_years = [r.start.year for r in plan.reschedules]
    first_year = min([plan.start.year, *moved_years])
    last_year = max([plan.end.year, *moved_years])
    zones = sorted({episode.schedule.timezone for episode in plan.episodes})
    # The calendar's name is written afresh, never kept: it may name the client.
    parts = [_calendar_head(method), write("X-WR-CALNAME", calendar_name(name))]
    parts.extend(_vtimezone_bytes(zone, first_year, last_year) for zone in zones)
    for index, episode in enumerate(plan.episodes):
        zone = episode.schedule.timezone
        dst_days = transition_days(zone, first_year, last_year)
        full = full_lines(plan, episode) if detail == "full" else ()
        ended = episode.left_by is not None
        for session in episode.schedule.sessions:
            revision = records.sequence(sequence, session, episode.start, episode.end, ended=ended)
            live, lines = series(
                session,
                (episode.start, episode.end),
                happening.get((index, session.id), {}),
                zone,
                dst_days,
                disambiguate,
                head=_head(key, index, session, stamp_line, revision),
                content=addresses + content(session, detail, full, alarms),
            )
            if method == "PUBLISH" or live == (method == "REQUEST"):
                parts.extend(lines)
    parts.append(_END_CALENDAR)
    return b"".join(parts)


def schedule_to_ical(
    schedule: WeeklySchedule,
    *,
    start: _dt.date,
    end: _dt.date,
    name: str,
    uid_key: str | bytes,
    closures: Iterable[Closure | _dt.date] = (),
    detail: Detail = "sessions",
    stamp: _dt.datetime | None = None,
) -> bytes:
    """A weekly schedule's sessions from ``start`` to ``end`` as an iCalendar file, with no plan.

    For a week that is not a client's: a clinician's or a room's (see
    :func:`careplan.census.staff_calendar`). Each session is one series, as
    :func:`to_ical` writes a plan's, over the schedule's own expansion
    (:func:`careplan.expand`: ``every_weeks`` and ``week_offset`` count from
    the week of ``start``); no session is closed or cancelled but on the
    ``closures``. ``detail="full"`` shows what ``"sessions"`` does (there is
    no plan to say more).

    Args:
        schedule: The sessions and their zone.
        start: The first day.
        end: The last day, included.
        name: The calendar's display name (``X-WR-CALNAME``).
        uid_key: Secret for the event UIDs (stable for the same session).
        closures: Days without sessions.
        detail: How much to reveal; see :data:`careplan.Detail`.
        stamp: DTSTAMP (aware); default the epoch plus one second per closure.

    >>> import pendulum
    >>> from careplan import Session, WeeklySchedule
    >>> week = WeeklySchedule("America/New_York", [Session("tuesday", "12:00", 30,
    ...     "psychiatric", every_weeks=2, week_offset=1)])
    >>> text = schedule_to_ical(week, start=pendulum.date(2027, 1, 4),
    ...     end=pendulum.date(2027, 1, 31), name="Dr A", uid_key="clinic").decode()
    >>> "DTSTART;TZID=America/New_York:20270112T120000" in text, "INTERVAL=2" in text
    (True, True)
    """
    choice("detail", detail, DETAILS, "a level of detail")
    first, last = require_date("start", start), require_date("end", end)
    require_supported_date("start", first)
    require_supported_date("end", last)
    if last < first:
        raise InvalidValueError("end", last, f"is before the start {first}")
    closed = tuple(closures)
    key = hmac_key(uid_key, None)
    stamp_line = utc_line("DTSTAMP", utc_stamp(stamp, len(closed)))
    records = Records.closed(DayChanges.of(closed).closed)
    happening = _by_series(expand(schedule, first, last, closures=closed))
    zone = schedule.timezone
    dst_days = transition_days(zone, first.year, last.year)
    parts = [_calendar_head("PUBLISH"), write("X-WR-CALNAME", calendar_name(given_name(name)))]
    parts.append(_vtimezone_bytes(zone, first.year, last.year))
    for session in schedule.sessions:
        revision = records.sequence(0, session, first, last, ended=False)
        parts.extend(
            series(
                session,
                (first, last),
                happening.get((0, session.id), {}),
                zone,
                dst_days,
                "compatible",
                head=_head(key, 0, session, stamp_line, revision),
                content=content(session, detail, (), ()),
            )[1]
        )
    parts.append(_END_CALENDAR)
    return b"".join(parts)


def _by_series(found: Iterable[Occurrence]) -> dict[tuple[int, str], dict[_dt.date, Occurrence]]:
    """Occurrences by series (episode index and session id), then by the day scheduled on."""
    happening: dict[tuple[int, str], dict[_dt.date, Occurrence]] = {}
    for occurrence in found:
        key = (occurrence.episode, occurrence.session.id)
        days = happening.get(key)
        if days is None:
            days = happening[key] = {}
        days[occurrence.scheduled_on] = occurrence
    return happening


def _head(key: bytes, episode: int, session: Session, stamp_line: bytes, revision: int) -> bytes:
    """An event's first lines: BEGIN, its series' UID, DTSTAMP and SEQUENCE.

    The UID is keyed (an HMAC of the episode's index and the session's id),
    so it names neither the client nor the plan.
    """
    digest = hmac.digest(key, f"{episode}/{session.id}".encode(), "sha256").hex()
    uid = f"BEGIN:VEVENT\r\nUID:{digest[:32]}@careplan\r\n".encode()
    return uid + stamp_line + sequence_line(revision)


def _calendar_head(method: str) -> bytes:
    """BEGIN:VCALENDAR and the calendar's properties but its name (short lines, no escapes)."""
    return (
        f"BEGIN:VCALENDAR\r\nPRODID:{_PRODID}\r\nVERSION:2.0\r\n"
        f"CALSCALE:GREGORIAN\r\nMETHOD:{method}\r\n"
    ).encode()


@lru_cache(maxsize=512)
def _vtimezone_bytes(zone: str, first_year: int, last_year: int) -> bytes:
    data: bytes = vtimezone(zone, first_year, last_year).to_ical()
    return data
