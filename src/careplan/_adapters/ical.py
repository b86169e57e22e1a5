"""Export a plan to iCalendar (RFC 5545) for the client's own calendar.

One VEVENT per session and episode, repeating weekly with an RRULE whose
COUNT ends it with the episode, its instances those of ``occurrences``; a
series none of whose instances happens stays, with STATUS:CANCELLED, so no
UID ever leaves a later revision; SEQUENCE counts the plan's records of
change that touch the series; EXDATE for closed and cancelled days;
RECURRENCE-ID overrides for moved sessions and for the rare instance whose
start or end calendar clients would compute differently (a wall time that a
DST change skips, or a session that spans the change). Every TZID has an
RRULE-based VTIMEZONE (see ``_vtimezone.py``). The icalendar library writes
every content line, so user text is always escaped; lines that repeat
within and across plans are written once and reused, which is most of what
makes the export fast.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import re
import typing
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence, Set
from functools import lru_cache
from typing import Literal, Protocol

import attrs
import icalendar
import pendulum
from icalendar.parser import Contentline, Parameters
from icalendar.prop import vDDDLists

from careplan._adapters.vtimezone import transition_days, vtimezone
from careplan._model.calendar import Closure
from careplan._model.checks import shown, text, whole
from careplan._model.errors import InvalidValueError
from careplan._model.expansion import DayChanges, expand, occurrences, series_dates
from careplan._model.kinds import SessionKind
from careplan._model.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    require_supported_date,
    supported,
)
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._model.time import (
    Disambiguate,
    duration_from,
    minute_of_day,
    require_aware,
    require_date,
    resolve_wall,
    unique_wall_time,
    week_start,
    zone_info,
)
from careplan._model.transition import Episode
from careplan._version import __version__

__all__ = ["Detail", "Method", "schedule_to_ical", "to_ical"]

#: How much a calendar export reveals.
#:
#: - ``"minimal"`` (default): generic titles ("Group session", "Individual
#:   session"), where to go (location or join link), nothing else.
#: - ``"sessions"``: the session's own title, its kind and treatment track.
#: - ``"full"``: also the level of care, the client's name (in the calendar's
#:   name) and the care team.
Detail = Literal["minimal", "sessions", "full"]

_DETAILS = ("minimal", "sessions", "full")
_UTC = _dt.timezone.utc
_PRODID = f"-//careplan//careplan {__version__}//EN"
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_INDIVIDUAL = {SessionKind.INDIVIDUAL_THERAPY, SessionKind.PSYCHIATRIC}
_BEGIN_EVENT = b"BEGIN:VEVENT\r\n"
_END_EVENT = b"END:VEVENT\r\n"
_END_CALENDAR = b"END:VCALENDAR\r\n"
_CANCELLED = b"STATUS:CANCELLED\r\n"
_WEEK = _dt.timedelta(days=7)
_DAY_MINUTES = 24 * 60
_NO_DAYS: frozenset[_dt.date] = frozenset()


def _generic_title(session: Session) -> str:
    if session.kind in _INDIVIDUAL:
        return "Individual session"
    if session.kind == SessionKind.FAMILY_THERAPY:
        return "Family session"
    if session.kind in SessionKind.builtins():
        return "Group session"
    return "Session"


# C0 and C1 control characters but tab and line feed: no iCalendar value may
# carry them (RFC 5545 section 3.1), and some readers stop at the first one.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})


def _plain_text(value: str) -> str:
    """``value`` with every line break a line feed and no control character."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").translate(_LINE_BREAKS))


class _Text(icalendar.vText):
    """A TEXT value escaped exactly by RFC 5545 section 3.3.11.

    icalendar's own escaping first turns a literal backslash-N into a line
    break, so a title containing "\\N" would not come back as written. Here
    backslashes are escaped first and nothing else is rewritten, except that
    CR, CRLF and the Unicode line separators become a line break (TEXT has
    no escape for a lone CR), control characters are dropped, and a lone
    surrogate, which UTF-8 cannot carry, becomes "?".
    """

    def to_ical(self) -> bytes:
        text = _plain_text(str(self))
        for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(raw, escaped)
        return text.encode("utf-8", "replace")


def _calendar_name(name: str) -> _Text:
    """The calendar's display name, with nothing a reader would have to unescape.

    ``X-WR-CALNAME`` is not a standard property, and several readers show
    its value as written, backslash escapes included; so the characters
    TEXT escapes (and line breaks) become spaces instead.
    """
    return _text(" ".join(re.sub(r"[\\;,]", " ", _plain_text(name)).split()))


def _text(value: str) -> _Text:
    text: _Text = _Text(value)
    return text


def _uid(key: bytes, episode: int, session: Session) -> str:
    digest = hmac.new(key, f"{episode}/{session.id}".encode(), hashlib.sha256).hexdigest()
    return f"{digest[:32]}@careplan"


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


def _full_lines(plan: CarePlan, episode: Episode) -> tuple[str, ...]:
    """What ``detail="full"`` adds to a plan's event: the level of care and the care team."""
    lines = [f"Level of care: {episode.level.name} ({episode.level.code})"]
    if plan.care_team:
        lines.append("Care team: " + ", ".join(m.name for m in plan.care_team))
    return tuple(lines)


def _description(
    session: Session, detail: Detail, full: Sequence[str], join_url: str | None
) -> str:
    lines = []
    if detail != "minimal":
        lines.append(session.kind.label)
        if session.track is not None:
            lines.append(f"Track: {session.track.label}")
    if detail == "full":
        lines.extend(full)
    if join_url:
        lines.append(f"Join: {join_url}")
    return "\n".join(lines)


def _content(
    session: Session,
    detail: Detail,
    full: Sequence[str],
    alarms: tuple[_dt.timedelta, ...],
) -> bytes:
    """The lines an event shows the client: title, privacy, place, reminders
    (and the ``full`` lines at ``detail="full"``)."""
    title = _generic_title(session) if detail == "minimal" else session.display_title
    modality = session.modality
    join_url = modality.join_url if modality.is_virtual else None
    description = _description(session, detail, full, join_url)
    return _content_lines(title, description, join_url, modality.location, alarms)


@lru_cache(maxsize=1024)
def _content_lines(
    title: str,
    description: str,
    join_url: str | None,
    location: str | None,
    alarms: tuple[_dt.timedelta, ...],
) -> bytes:
    # Cached: a clinic's plans share their sessions, and these lines depend
    # only on what the session shows, not on the client or the dates.
    event = icalendar.Event()
    event.add("summary", _text(title))
    event.add("class", "PRIVATE")
    if description:
        event.add("description", _text(description))
    if join_url:
        event.add("url", join_url)
        event.add(
            "conference",
            icalendar.vUri(join_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join the session"},
        )
    if location:
        event.add("location", _text(location))
    for before in alarms:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Upcoming session")
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return _serialise(event)[len(_BEGIN_EVENT) : -len(_END_EVENT)]


#: What an export is for: ``"PUBLISH"`` (the default) is a calendar to
#: import or subscribe to; ``"REQUEST"`` and ``"CANCEL"`` are iTIP messages
#: (RFC 5546) for systems that process invitations: the series that still
#: happen, and the series that no longer do.
Method = Literal["PUBLISH", "REQUEST", "CANCEL"]

_METHODS = ("PUBLISH", "REQUEST", "CANCEL")
#: The largest SEQUENCE: RFC 5545's INTEGER is a signed 32-bit number.
_MAX_SEQUENCE = 2**31 - 1
#: At most this many reminders per event.
_MAX_REMINDERS = 16
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)


def _choice(field: str, value: object, allowed: tuple[str, ...], what: str) -> None:
    if not isinstance(value, str) or value not in allowed:
        raise InvalidValueError(
            field, shown(value), f"is not {what}", "use one of: " + ", ".join(allowed)
        )


def _reminders(values: object) -> tuple[pendulum.Duration, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise InvalidValueError(
            "reminders",
            shown(values),
            "is not a list of reminders",
            "pass minutes (int) or timedeltas in a list, or () for none",
        )
    if len(values) > _MAX_REMINDERS:
        raise InvalidValueError(
            "reminders", len(values), f"reminders are more than {_MAX_REMINDERS}", "keep a few"
        )
    found = []
    for value in values:
        delta = duration_from("reminders", value)
        if delta <= _dt.timedelta(0):
            raise InvalidValueError(
                "reminders", value, "is not before the session", "use a positive number of minutes"
            )
        found.append(delta)
    return tuple(found)


def _key(uid_key: object, default: str | None) -> bytes:
    """The HMAC key of the UIDs: ``uid_key``, or ``default`` when none is given and there is one."""
    if uid_key is None:
        if default is None:
            raise InvalidValueError("uid_key", None, "is not given", "pass a secret")
        return default.encode()
    if isinstance(uid_key, (bytes, bytearray)):
        key = bytes(uid_key)
    elif isinstance(uid_key, str):
        try:
            key = uid_key.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidValueError(
                "uid_key", shown(uid_key), "holds a lone surrogate", "pass text UTF-8 can carry"
            ) from None
    else:
        raise InvalidValueError(
            "uid_key", shown(uid_key), "is not text or bytes", "pass a secret string or bytes"
        )
    if not key:
        raise InvalidValueError("uid_key", shown(uid_key), "is empty", "pass a secret")
    return key


def _dtstamp(stamp: object, recorded: int) -> _dt.datetime:
    """DTSTAMP in UTC: ``stamp``, or one second past the epoch per ``recorded`` change."""
    if stamp is None:
        return _EPOCH + _dt.timedelta(seconds=recorded)
    moment = require_aware("stamp", stamp)  # type: ignore[arg-type]  # checked here
    try:
        utc = moment.astimezone(_UTC)
    except (OverflowError, ValueError):
        utc = None
    if utc is None or not supported(utc.date()):
        raise InvalidValueError(
            "stamp",
            shown(stamp),
            f"is outside the dates careplan works with ({EARLIEST_DATE} to {LATEST_DATE})",
            "pass the time of the export",
        )
    return utc


def _recorded_changes(plan: CarePlan) -> int:
    """How many changes the plan records: its own count of revisions."""
    return (
        len(plan.cancellations)
        + len(plan.reschedules)
        + len(plan.closures)
        + len(plan.holds)
        + len(plan.transitions)
    )


def _addresses(method: str, organizer: object, attendees: object) -> bytes:
    """The ORGANIZER and ATTENDEE lines of an iTIP message (none for PUBLISH)."""
    if isinstance(attendees, (str, bytes)) or not isinstance(attendees, Sequence):
        raise InvalidValueError(
            "attendees", shown(attendees), "is not a list of addresses", "pass mailto: URIs"
        )
    if method == "PUBLISH":
        for field, given in (("organizer", organizer is not None), ("attendees", attendees)):
            if given:
                raise InvalidValueError(
                    field,
                    shown(organizer if field == "organizer" else len(attendees)),
                    "is only written in an iTIP message",
                    "pass method='REQUEST' or 'CANCEL', or leave organizer and attendees out",
                )
        return b""
    if not attendees:
        raise InvalidValueError(
            "attendees", 0, "addresses are too few for an iTIP message", "give at least one"
        )
    lines = [_address("ORGANIZER", "organizer", organizer)]
    lines += [_address("ATTENDEE", f"attendees[{n}]", value) for n, value in enumerate(attendees)]
    return b"".join(lines)


def _address(name: str, field: str, value: object) -> bytes:
    address = text(field, value, blank=False)
    if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:\S+", address):
        raise InvalidValueError(
            field, shown(address), "is not a calendar address", "use mailto:name@example.org"
        )
    return _write(name, icalendar.vCalAddress(address))


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
    _choice("detail", detail, _DETAILS, "a level of detail")
    _choice("disambiguate", disambiguate, typing.get_args(Disambiguate), "a DST policy")
    _choice("method", method, _METHODS, "a calendar method")
    sequence = whole("sequence", sequence, 0, _MAX_SEQUENCE)
    alarms = _reminders(reminders)
    addresses = _addresses(method, organizer, attendees)
    require_supported_date("CarePlan.start", plan.start)
    require_supported_date("CarePlan.end", plan.end)
    key = _key(uid_key, plan.id)
    dtstamp = _dtstamp(stamp, _recorded_changes(plan))
    if name is not None:
        name = _given_name(name)
    elif detail == "full" and plan.client.name:
        name = f"Care plan: {plan.client.name}"
    else:
        name = "Care plan"

    # Which instances happen, and when, is decided by the plan's expansion.
    happening: dict[tuple[int, str], dict[_dt.date, Occurrence]] = {}
    for occurrence in occurrences(plan, disambiguate=disambiguate):
        series_key = (occurrence.episode, occurrence.session.id)
        happening.setdefault(series_key, {})[occurrence.scheduled_on] = occurrence
    records = _Records.of(plan)
    # The zone definitions cover every date the file writes, moves included.
    moved_years = [r.start.year for r in plan.reschedules]
    first_year = min([plan.start.year, *moved_years])
    last_year = max([plan.end.year, *moved_years])
    zones = sorted({episode.schedule.timezone for episode in plan.episodes})
    # Every line is written by icalendar; the ones that repeat are cached
    # (see _line). The calendar's name is not: it may name the client.
    parts = [_calendar_head(method), _write("X-WR-CALNAME", _calendar_name(name))]
    parts.extend(_vtimezone_bytes(zone, first_year, last_year) for zone in zones)
    for index, episode in enumerate(plan.episodes):
        full = _full_lines(plan, episode) if detail == "full" else ()
        for session in episode.schedule.sessions:
            live, lines = _series(
                session=session,
                span=(episode.start, episode.end),
                happening=happening.get((index, session.id), {}),
                disambiguate=disambiguate,
                zone=episode.schedule.timezone,
                dst_days=transition_days(episode.schedule.timezone, first_year, last_year),
                uid=_uid(key, index, session),
                dtstamp=dtstamp,
                revision=_revision(
                    sequence,
                    records,
                    session,
                    episode.start,
                    episode.end,
                    episode.left_by is not None,
                ),
                content=addresses + _content(session, detail, full, alarms),
            )
            if method == "PUBLISH" or live == (method == "REQUEST"):
                parts.extend(lines)
    parts.append(_END_CALENDAR)
    return b"".join(parts)


def _given_name(name: object) -> str:
    """A calendar name the caller gave: single-line text with something to show."""
    found = text("name", name, blank=False)
    if not _calendar_name(found):
        raise InvalidValueError(
            "name", shown(found), "has nothing a calendar shows", "give it letters or digits"
        )
    return found


def _revision(
    sequence: int, records: _Records, session: Session, start: _dt.date, end: _dt.date, ended: bool
) -> int:
    """A series' SEQUENCE: the caller's offset plus its records' count, at most the largest."""
    revision = sequence + records.revision(session, start, end, ended=ended)
    if revision > _MAX_SEQUENCE:
        raise InvalidValueError(
            "sequence",
            sequence,
            f"makes a SEQUENCE over {_MAX_SEQUENCE}",
            "pass a smaller sequence",
        )
    return revision


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
    _choice("detail", detail, _DETAILS, "a level of detail")
    first, last = require_date("start", start), require_date("end", end)
    require_supported_date("start", first)
    require_supported_date("end", last)
    if last < first:
        raise InvalidValueError("end", last, f"is before the start {first}")
    closed = tuple(closures)
    key = _key(uid_key, None)
    dtstamp = _dtstamp(stamp, len(closed))
    changes = DayChanges.of(closed)
    records = _Records(frozenset(_plain(day) for day in changes.closed), {}, {})
    happening: dict[str, dict[_dt.date, Occurrence]] = {}
    for occurrence in expand(schedule, first, last, closures=closed):
        happening.setdefault(occurrence.session.id, {})[occurrence.scheduled_on] = occurrence
    zone = schedule.timezone
    parts = [_calendar_head("PUBLISH"), _write("X-WR-CALNAME", _calendar_name(_given_name(name)))]
    parts.append(_vtimezone_bytes(zone, first.year, last.year))
    for session in schedule.sessions:
        parts.extend(
            _series(
                session=session,
                span=(first, last),
                happening=happening.get(session.id, {}),
                disambiguate="compatible",
                zone=zone,
                dst_days=transition_days(zone, first.year, last.year),
                uid=_uid(key, 0, session),
                dtstamp=dtstamp,
                revision=_revision(0, records, session, first, last, False),
                content=_content(session, detail, (), ()),
            )[1]
        )
    parts.append(_END_CALENDAR)
    return b"".join(parts)


@attrs.frozen
class _Records:
    """The plan's records of change, looked up per series for its SEQUENCE.

    A series' SEQUENCE counts, over the days its weekly pattern falls on,
    each moving of an instance and each day an instance is taken away
    (closure, hold, cancellation). A series that a transition or the
    discharge ended counts one for that, and also the records past its end
    (some of which it had while it ran longer). Records only ever join a
    plan, so the count never falls, and every change to a series' instances
    joins a record that it counts.
    """

    off_days: frozenset[_dt.date]
    cancelled: Mapping[str, frozenset[_dt.date]]
    moves: Mapping[str, Counter[_dt.date]]

    @classmethod
    def of(cls, plan: CarePlan) -> _Records:
        off = frozenset(_dt.date(d.year, d.month, d.day) for d in _days(plan))
        cancelled: dict[str, set[_dt.date]] = {}
        for cancellation in plan.cancellations:
            cancelled.setdefault(cancellation.session_id, set()).add(_plain(cancellation.on))
        moves: dict[str, Counter[_dt.date]] = {}
        for reschedule in plan.reschedules:
            moves.setdefault(reschedule.session_id, Counter())[_plain(reschedule.on)] += 1
        return cls(off, {k: frozenset(v) for k, v in cancelled.items()}, moves)

    def revision(
        self, session: Session, start: _dt.date, end: _dt.date, *, ended: bool = False
    ) -> int:
        """The SEQUENCE of ``session``'s series from ``start`` to ``end`` (before the
        caller's offset); ``ended`` when a transition or the discharge ended it."""
        cancelled = self.cancelled.get(session.id, _NO_DAYS)
        moves = self.moves.get(session.id)
        days: Set[_dt.date] = self.off_days
        if cancelled or moves:
            days = days | cancelled | (moves.keys() if moves else _NO_DAYS)
        total = int(ended)
        if not days:
            return total
        origin = _plain(week_start(start))
        first, last = _plain(start), _plain(end)
        for day in days:
            if day < first or (day > last and not ended):
                continue
            if day.weekday() != session.weekday:
                continue
            if not session.held_in_week((day - origin).days // 7):
                continue
            total += (moves[day] if moves else 0) + (day in self.off_days or day in cancelled)
        return total


def _days(plan: CarePlan) -> list[_dt.date]:
    return [*(c.on for c in plan.closures), *plan.held_days]


def _plain(day: _dt.date) -> _dt.date:
    return _dt.date(day.year, day.month, day.day)


def _serialise(component: icalendar.Component) -> bytes:
    """``component.to_ical()``, folding only the lines that need it."""
    return b"".join(_fold(line) for line in component.content_lines(sorted=False) if line)


def _fold(line: Contentline) -> bytes:
    """A content line as bytes with CRLF, folded by icalendar when it is long.

    icalendar's folding walks each line character by character even when,
    as for almost every line here, the line is shorter than the 75 octets
    that need folding. Short lines are written as they are.
    """
    encoded = line.encode("utf-8")
    if len(encoded) >= 75:
        folded: bytes = line.to_ical()  # type: ignore[no-untyped-call]  # icalendar is untyped here
        encoded = folded
    return encoded + b"\r\n"


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


def _series(
    *,
    session: Session,
    span: tuple[_dt.date, _dt.date],
    happening: Mapping[_dt.date, Occurrence],
    disambiguate: Disambiguate,
    zone: str,
    dst_days: frozenset[_dt.date],
    uid: str,
    dtstamp: _dt.datetime,
    revision: int,
    content: bytes,
) -> tuple[bool, list[bytes]]:
    """The recurring event of one session in one episode, then its overrides.

    Returns whether any instance happens, and the lines. The master's
    DTSTART is the first instance on an ordinary day (no clock change
    between its start and its end): readers derive the whole series from
    it, and a wall time on a change day may not exist or may happen twice.
    Instances before it (an episode that starts on a change day) are RDATEs
    in UTC, which no reader can misread. The length is a DURATION, an exact
    time by RFC 5545, so no instance's length depends on the day the series
    starts. A series none of whose instances happens is written whole, every
    instance excluded, with ``STATUS:CANCELLED``.
    """
    begins, ends = span
    instances = series_dates(session, begins, ends, begins)
    uid_line = _write("UID", icalendar.vText(uid))
    head = [_BEGIN_EVENT, uid_line, _utc_line("DTSTAMP", dtstamp), _sequence_line(revision)]
    if not happening:
        days: Sequence[_dt.date] = instances or [_first_day(session, begins)]
        walls = tuple(_dt.datetime.combine(day, session.start) for day in days)
        lines = [
            *head,
            _CANCELLED,
            _local_line("DTSTART", walls[0], zone),
            _duration_line(session.minutes),
            _weekly_rule(session.every_weeks, _BYDAY[int(session.weekday)], len(days)),
            _local_line("EXDATE", walls, zone),
            content,
            _END_EVENT,
        ]
        return False, lines

    # A session that ends before midnight touches a change only on its own day.
    one_day = session.minutes < _DAY_MINUTES - minute_of_day(session.start)

    def on_edge(day: _dt.date) -> bool:
        if day in dst_days:
            return True
        if one_day:
            return False
        wall_start = _dt.datetime.combine(day, session.start)
        return (wall_start + session.duration).date() in dst_days

    anchor = next((i for i, day in enumerate(instances) if not on_edge(day)), None)
    leading = instances if anchor is None else instances[:anchor]
    excluded: list[_dt.datetime] = []
    added: list[_dt.datetime] = []
    overrides: list[tuple[bytes, Occurrence]] = []
    for position, day in enumerate(instances):
        found = happening.get(day)
        if position < len(leading):
            if found is None:
                continue
            scheduled = resolve_wall(day, session.start, zone, disambiguate).astimezone(_UTC)
            added.append(scheduled)
            if found.moved:
                overrides.append((_utc_line("RECURRENCE-ID", scheduled), found))
        elif found is None:
            excluded.append(_dt.datetime.combine(day, session.start))
        elif (found.moved or on_edge(day)) and (found.moved or not _read_alike(day, found, zone)):
            wall = _dt.datetime.combine(day, session.start)
            overrides.append((_local_line("RECURRENCE-ID", wall, zone), found))
    lines = list(head)
    if anchor is not None:
        start = _dt.datetime.combine(instances[anchor], session.start)
        lines += [
            _local_line("DTSTART", start, zone),
            _duration_line(session.minutes),
            # COUNT rather than UNTIL: it bounds the series the same way, and
            # the line is then the same for every plan of the same length.
            _weekly_rule(
                session.every_weeks, _BYDAY[int(session.weekday)], len(instances) - anchor
            ),
        ]
        lines += [_utc_line("RDATE", moment) for moment in added]
    else:
        # Every instance is on a change day: a series of UTC instants.
        lines += [_utc_line("DTSTART", added[0]), _duration_line(session.minutes)]
        lines += [_utc_line("RDATE", moment) for moment in added[1:]]
    if excluded:
        lines.append(_local_line("EXDATE", tuple(excluded), zone))
    lines += [content, _END_EVENT]
    for recurrence_line, found in overrides:
        lines += [
            *head,
            recurrence_line,
            _explicit_line("DTSTART", found.start, zone),
            _explicit_line("DTEND", found.end, zone),
            content,
            _END_EVENT,
        ]
    return True, lines


def _first_day(session: Session, begins: _dt.date) -> _dt.date:
    """The first day of ``session``'s pattern on or after ``begins`` (the episode's start).

    For the cancelled series of an episode too short to hold an instance.
    """
    start = _plain(begins)
    day = start + _dt.timedelta(days=(session.weekday - start.weekday()) % 7)
    origin = _plain(week_start(begins))
    while not session.held_in_week((day - origin).days // 7):
        day += _WEEK
    return day


class _Value(Protocol):
    """An icalendar property value (``vText``, ``vDDDTypes``, ``vRecur``...)."""

    params: Parameters

    def to_ical(self) -> bytes: ...


def _write(name: str, value: _Value, **parameters: str) -> bytes:
    """One property as icalendar writes it: its content line, folded, with CRLF."""
    value.params.update(parameters)
    return _fold(Contentline.from_parts(name, value.params, value, sorted=False))


# Writing a line is most of an export's cost, and plans repeat their lines:
# each event has the same DTSTAMP, a clinic's clients share group sessions
# (the same start in the same week) and plans of the same length share their
# RRULEs. So each distinct line is written once by icalendar and reused.
@lru_cache(maxsize=4096)
def _utc_line(name: str, moment: _dt.datetime) -> bytes:
    """A line with a UTC date-time (cached)."""
    return _write(name, icalendar.vDDDTypes(moment))


def _sequence_line(revision: int) -> bytes:
    """The SEQUENCE line."""
    return b"SEQUENCE:%d\r\n" % revision


@lru_cache(maxsize=4096)
def _local_line(name: str, wall: _dt.datetime | tuple[_dt.datetime, ...], zone: str) -> bytes:
    """A line with one or more wall times in ``zone``, with its TZID (cached).

    Keyed by naive wall time and zone name: aware datetimes in different
    zones compare equal when they are the same instant.
    """
    # Naive values with an explicit TZID: the same line icalendar writes for
    # an aware value, without its costly search for the zone's name.
    value: _Value = vDDDLists(list(wall)) if isinstance(wall, tuple) else icalendar.vDDDTypes(wall)
    return _write(name, value, TZID=zone)


def _explicit_line(name: str, moment: _dt.datetime, zone: str) -> bytes:
    """A line at ``moment`` that every client reads the same way.

    Local time with the TZID, unless that wall time happens twice (the hour
    the clocks fall back): then UTC, which cannot be misread.
    """
    local = _dt.datetime.fromtimestamp(moment.timestamp(), zone_info(zone)).replace(tzinfo=None)
    if unique_wall_time(local, zone):
        return _local_line(name, local, zone)
    return _utc_line(name, moment.astimezone(_UTC))


def _duration_line(minutes: int) -> bytes:
    """The DURATION line of a series: an exact length, whatever the day (as icalendar writes it)."""
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    time = f"T{hours}H" if hours else "T" if minutes else ""
    time += f"{minutes}M" if minutes else ""
    return f"DURATION:P{f'{days}D' if days else ''}{time}\r\n".encode()


@lru_cache(maxsize=1024)
def _weekly_rule(interval: int, weekday: str, count: int) -> bytes:
    """The RRULE line of a weekly series (cached)."""
    rule = icalendar.vRecur(freq="weekly", count=count, interval=interval, byday=weekday)
    return _write("RRULE", rule)
