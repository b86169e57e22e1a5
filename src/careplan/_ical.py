"""Export a plan to iCalendar (RFC 5545) for the client's own calendar.

One VEVENT per session and episode, repeating weekly with an RRULE bounded
by the episode's last occurrence; EXDATE for closed and cancelled days;
RECURRENCE-ID overrides for moved sessions and for the rare instance whose
start or end calendar clients would compute differently (a wall time that a
DST change skips, or a session that spans the change). Every TZID has an
RRULE-based VTIMEZONE (see ``_vtimezone.py``). The icalendar library writes
the content lines, so user text is always escaped.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Literal

import icalendar
import pendulum

from careplan._errors import InvalidValueError
from careplan._kinds import SessionKind
from careplan._occurrences import DayChanges, Occurrence, occurrence_on, series_dates
from careplan._time import Disambiguate, duration_from, require_aware, resolve_wall, zone_info
from careplan._version import __version__
from careplan._vtimezone import transition_days, vtimezone

if TYPE_CHECKING:
    from careplan._plan import CarePlan
    from careplan._session import Session
    from careplan._transitions import Episode

__all__ = ["Detail", "to_ical"]

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


def _generic_title(session: Session) -> str:
    if session.kind in _INDIVIDUAL:
        return "Individual session"
    if session.kind == SessionKind.FAMILY_THERAPY:
        return "Family session"
    if session.kind in SessionKind.builtins():
        return "Group session"
    return "Session"


class _Text(icalendar.vText):
    """A TEXT value escaped exactly by RFC 5545 section 3.3.11.

    icalendar's own escaping first turns a literal backslash-N into a line
    break, so a title containing "\\N" would not come back as written. Here
    backslashes are escaped first and nothing else is rewritten, except that
    CR and CRLF become a line break: TEXT has no escape for a lone CR.
    """

    def to_ical(self) -> bytes:
        text = str(self).replace("\r\n", "\n").replace("\r", "\n")
        for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(raw, escaped)
        return text.encode("utf-8")


def _text(value: str) -> _Text:
    text: _Text = _Text(value)
    return text


def _uid(key: bytes, episode: int, session: Session) -> str:
    digest = hmac.new(key, f"{episode}/{session.id}".encode(), hashlib.sha256).hexdigest()
    return f"{digest[:32]}@careplan"


def _key(uid_key: str | bytes | None, plan: CarePlan) -> bytes:
    if uid_key is None:
        return plan.id.encode()
    return uid_key.encode() if isinstance(uid_key, str) else uid_key


def _wall(day: _dt.date, session: Session, timezone: str) -> _dt.datetime:
    """The nominal local start as an aware datetime (fold=0, as RFC 5545 reads it)."""
    return _dt.datetime.combine(day, session.start, tzinfo=zone_info(timezone))


def _explicit(moment: _dt.datetime, timezone: str) -> _dt.datetime:
    """``moment`` as a value every client reads the same way.

    Local time with the TZID, unless that wall time happens twice (the hour
    the clocks fall back): then UTC, which cannot be misread.
    """
    local = _dt.datetime.fromtimestamp(moment.timestamp(), zone_info(timezone))
    if not _unambiguous(local.replace(tzinfo=None), timezone):
        return local.astimezone(_UTC)
    return local


def _unambiguous(naive: _dt.datetime, timezone: str) -> bool:
    """True when a wall time exists exactly once in ``timezone``."""
    zone = zone_info(timezone)
    first = naive.replace(tzinfo=zone)
    # Skipped and repeated wall times have a different offset for each fold.
    return first.utcoffset() == first.replace(fold=1).utcoffset()


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
    if not (_unambiguous(wall_start, timezone) and _unambiguous(wall_end, timezone)):
        return False
    zone = zone_info(timezone)
    start, end = wall_start.replace(tzinfo=zone), wall_end.replace(tzinfo=zone)
    return start.timestamp() == happening.start.timestamp() and (
        end.timestamp() == happening.end.timestamp()
    )


def _description(session: Session, detail: Detail, plan: CarePlan, episode: Episode) -> str:
    lines = []
    if detail != "minimal":
        lines.append(session.kind.label)
        if session.track is not None:
            lines.append(f"Track: {session.track.label}")
    if detail == "full":
        lines.append(f"Level of care: {episode.level.name} ({episode.level.code})")
        if plan.care_team:
            lines.append("Care team: " + ", ".join(m.name for m in plan.care_team))
    if session.modality.is_virtual and session.modality.join_url:
        lines.append(f"Join: {session.modality.join_url}")
    return "\n".join(lines)


def _fill(
    event: icalendar.Event,
    session: Session,
    detail: Detail,
    plan: CarePlan,
    episode: Episode,
    reminders: Sequence[_dt.timedelta],
) -> None:
    title = _generic_title(session) if detail == "minimal" else session.display_title
    event.add("summary", _text(title))
    event.add("class", "PRIVATE")
    description = _description(session, detail, plan, episode)
    if description:
        event.add("description", _text(description))
    modality = session.modality
    if modality.is_virtual and modality.join_url:
        event.add("url", modality.join_url)
        event.add(
            "conference",
            icalendar.vUri(modality.join_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join the session"},
        )
    if modality.location:
        event.add("location", _text(modality.location))
    for before in reminders:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Upcoming session")
        alarm.add("trigger", -before)
        event.add_component(alarm)


def _reminders(values: Sequence[int | _dt.timedelta]) -> tuple[pendulum.Duration, ...]:
    found = []
    for value in values:
        delta = duration_from("reminders", value)
        if delta <= _dt.timedelta(0):
            raise InvalidValueError(
                "reminders", value, "is not before the session", "use a positive number of minutes"
            )
        found.append(delta)
    return tuple(found)


def to_ical(
    plan: CarePlan,
    *,
    detail: Detail = "minimal",
    reminders: Sequence[int | _dt.timedelta] = (),
    uid_key: str | bytes | None = None,
    stamp: _dt.datetime | None = None,
    sequence: int = 0,
    disambiguate: Disambiguate = "compatible",
) -> bytes:
    """The plan as an iCalendar file (RFC 5545, ``METHOD:PUBLISH``).

    Args:
        plan: The plan; every episode becomes its own series of events.
        detail: How much to reveal; see :data:`careplan.Detail`. Private
            (``CLASS:PRIVATE``) and minimal by default.
        reminders: Alarms before each session (minutes or timedeltas); none
            by default.
        uid_key: Secret for the event UIDs (an HMAC key). UIDs are stable for
            the same plan, episode and session, so importing an updated file
            updates events instead of duplicating them. Default: the plan's
            random ``id``; pass your own secret when plan ids are guessable.
        stamp: DTSTAMP, when the file is made (aware). Default: the plan's
            first day at 00:00 UTC, so the same plan gives the same bytes.
        sequence: Added to every event's SEQUENCE. Each series' SEQUENCE
            already counts the changes the plan records for it
            (cancellations, moves, closures, the transition that ends it), so
            it rises as the plan is updated.
        disambiguate: The DST policy the plan's occurrences use.

    >>> from careplan.demo import sample_plan
    >>> text = to_ical(sample_plan()).decode()
    >>> text.count("BEGIN:VEVENT"), "CLASS:PRIVATE" in text, "Alex" in text
    (11, True, False)
    """
    if detail not in _DETAILS:
        raise InvalidValueError(
            "detail", detail, "is not a level of detail", f"use one of: {', '.join(_DETAILS)}"
        )
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
        raise InvalidValueError("sequence", sequence, "is not a whole number of at least 0")
    alarms = _reminders(reminders)
    key = _key(uid_key, plan)
    dtstamp = (
        _dt.datetime.combine(plan.start, _dt.time(0), tzinfo=_UTC)
        if stamp is None
        else require_aware("stamp", stamp).astimezone(_UTC)
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", _PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = "Care plan"
    if detail == "full" and plan.client.name:
        name = f"Care plan: {plan.client.name}"
    calendar.add("x-wr-calname", _text(name))

    changes = DayChanges.of_plan(plan)
    first_year = plan.start.year
    last_year = max([plan.end.year] + [r.start.year for r in plan.reschedules])
    zones = sorted({episode.schedule.timezone for episode in plan.episodes})

    for index, episode in enumerate(plan.episodes):
        zone = episode.schedule.timezone
        dst_days = transition_days(zone, first_year, last_year)
        for session in episode.schedule.sessions:
            instances = series_dates(session, episode.start, episode.end, episode.start)
            if not instances:
                continue
            _add_series(
                calendar,
                session=session,
                instances=instances,
                changes=changes,
                disambiguate=disambiguate,
                index=index,
                episode=episode,
                plan=plan,
                zone=zone,
                dst_days=dst_days,
                uid=_uid(key, index, session),
                dtstamp=dtstamp,
                sequence=sequence,
                detail=detail,
                alarms=alarms,
            )
    data = _serialise(calendar)
    # The VTIMEZONEs are serialised once per zone and years (they are the
    # costliest part to write) and placed before the first event.
    zones_bytes = b"".join(_vtimezone_bytes(zone, first_year, last_year) for zone in zones)
    marker = b"BEGIN:VEVENT\r\n" if b"BEGIN:VEVENT\r\n" in data else b"END:VCALENDAR\r\n"
    return data.replace(marker, zones_bytes + marker, 1)


def _serialise(component: icalendar.Component) -> bytes:
    """``component.to_ical()``, folding only the lines that need it.

    icalendar builds and escapes every content line; its folding walks each
    line character by character even when, as for almost every line here,
    the line is shorter than the 75 octets that need folding. Short lines are
    written as they are; long ones through icalendar's own folding.
    """
    parts = []
    for line in component.content_lines(sorted=False):
        if not line:
            continue
        encoded = line.encode("utf-8")
        parts.append(encoded if len(encoded) < 75 else line.to_ical())
    return b"\r\n".join(parts) + b"\r\n"


@lru_cache(maxsize=512)
def _vtimezone_bytes(zone: str, first_year: int, last_year: int) -> bytes:
    data: bytes = vtimezone(zone, first_year, last_year).to_ical()
    return data


def _add_series(
    calendar: icalendar.Calendar,
    *,
    session: Session,
    instances: list[pendulum.Date],
    changes: DayChanges,
    disambiguate: Disambiguate,
    index: int,
    episode: Episode,
    plan: CarePlan,
    zone: str,
    dst_days: frozenset[_dt.date],
    uid: str,
    dtstamp: _dt.datetime,
    sequence: int,
    detail: Detail,
    alarms: tuple[_dt.timedelta, ...],
) -> None:
    excluded = []
    overrides = []
    for day in instances:
        key = (session.id, day)
        if changes.removes(session.id, day):
            excluded.append(_wall(day, session, zone))
        elif key in changes.moved or day in dst_days:
            happening = occurrence_on(session, day, zone, changes.moved, disambiguate, index)
            if happening.moved or not _read_alike(day, happening, zone):
                overrides.append(happening)
    edits = len(excluded) + sum(1 for day in instances if (session.id, day) in changes.moved)
    revision = sequence + edits + (0 if episode.left_by is None else 1)
    series = icalendar.Event()
    series.add("uid", uid)
    series.add("dtstamp", dtstamp)
    series.add("sequence", revision)
    start = _wall(instances[0], session, zone)
    series.add("dtstart", start)
    series.add("dtend", start + session.duration)
    last_start = resolve_wall(instances[-1], session.start, zone, "compatible")
    series.add(
        "rrule",
        {
            "freq": "weekly",
            "interval": session.every_weeks,
            "byday": _BYDAY[int(session.weekday)],
            # Clients read the last wall time by RFC 5545's rule; so does this.
            "until": last_start.astimezone(_UTC),
        },
    )
    if excluded:
        series.add("exdate", excluded)
    _fill(series, session, detail, plan, episode, alarms)
    calendar.add_component(series)
    for happening in overrides:
        override = icalendar.Event()
        override.add("uid", uid)
        override.add("dtstamp", dtstamp)
        override.add("sequence", revision)
        override.add("recurrence-id", _wall(happening.scheduled_on, session, zone))
        override.add("dtstart", _explicit(happening.start, zone))
        override.add("dtend", _explicit(happening.end, zone))
        _fill(override, session, detail, plan, episode, alarms)
        calendar.add_component(override)
