"""Content lines (RFC 5545 section 3.1): each one folded, with its CRLF.

A line that carries text a person typed (a title, a place, a link, a name,
an address) is written by the icalendar library, which escapes it
(:func:`write`, :func:`serialise`). A line made only of numbers, instants
and a zone's name is formatted here, exactly as icalendar formats it, at a
fraction of the cost: an export writes several of them for every series.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Protocol

import icalendar
from icalendar.parser import Contentline, Parameters, param_value

from careplan._model.time import unique_wall_time, zone_info

__all__ = [
    "duration_line",
    "explicit_line",
    "fold",
    "local_line",
    "sequence_line",
    "serialise",
    "utc_line",
    "weekly_rule",
    "write",
]

_UTC = _dt.timezone.utc
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: A zone name that icalendar writes in a TZID as it is (no quotes, no escapes).
_PLAIN_ZONE = re.compile(r"[A-Za-z0-9_/+-]+")


def fold(line: str) -> bytes:
    """A content line as bytes with CRLF, folded by icalendar when it is long.

    icalendar's folding walks each line character by character even when,
    as for almost every line here, the line is shorter than the 75 octets
    that need folding. Short lines are written as they are.
    """
    encoded = line.encode("utf-8")
    if len(encoded) >= 75:
        folded: bytes = Contentline(line).to_ical()  # type: ignore[no-untyped-call]  # untyped
        encoded = folded
    return encoded + b"\r\n"


class _Value(Protocol):
    """An icalendar property value (``vText``, ``vCalAddress``...)."""

    params: Parameters

    def to_ical(self) -> bytes: ...


def write(name: str, value: _Value) -> bytes:
    """One property as icalendar writes it, escapes included."""
    return fold(Contentline.from_parts(name, value.params, value, sorted=False))


def serialise(component: icalendar.Component) -> bytes:
    """``component.to_ical()``, folding only the lines that need it."""
    return b"".join(fold(line) for line in component.content_lines(sorted=False) if line)


def _digits(moment: _dt.datetime) -> str:
    """A DATE-TIME's digits (RFC 5545 section 3.3.5), without zone or ``Z``."""
    m = moment
    return f"{m.year:04}{m.month:02}{m.day:02}T{m.hour:02}{m.minute:02}{m.second:02}"


def utc_line(name: str, moment: _dt.datetime) -> bytes:
    """A line with an instant in UTC (``moment`` is in UTC)."""
    return f"{name}:{_digits(moment)}Z\r\n".encode()


def local_line(name: str, zone: str, *walls: _dt.datetime) -> bytes:
    """A line with one or more wall times (naive) in ``zone``, with its TZID.

    A zone named ``UTC`` gets UTC times instead: RFC 5545 forbids a TZID on
    them (section 3.2.19).
    """
    values = ",".join(map(_digits, walls))
    if zone == "UTC":
        return fold(f"{name}:" + values.replace(",", "Z,") + "Z")
    tzid = zone if _PLAIN_ZONE.fullmatch(zone) else param_value(zone)
    return fold(f"{name};TZID={tzid}:{values}")


def explicit_line(name: str, moment: _dt.datetime, zone: str) -> bytes:
    """A line at ``moment`` that every client reads the same way.

    Local time with the TZID, unless that wall time happens twice (the hour
    the clocks fall back): then UTC, which cannot be misread.
    """
    local = _dt.datetime.fromtimestamp(moment.timestamp(), zone_info(zone)).replace(tzinfo=None)
    if unique_wall_time(local, zone):
        return local_line(name, zone, local)
    return utc_line(name, moment.astimezone(_UTC))


def duration_line(minutes: int) -> bytes:
    """The DURATION line of a series: an exact length, whatever the day."""
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    time = f"T{hours}H" if hours else "T" if minutes else ""
    time += f"{minutes}M" if minutes else ""
    return f"DURATION:P{f'{days}D' if days else ''}{time}\r\n".encode()


def weekly_rule(interval: int, weekday: int, count: int) -> bytes:
    """The RRULE line of a weekly series on ``weekday`` (0 is Monday)."""
    return (
        f"RRULE:FREQ=WEEKLY;COUNT={count};INTERVAL={interval};BYDAY={_BYDAY[weekday]}\r\n".encode()
    )


def sequence_line(revision: int) -> bytes:
    """The SEQUENCE line."""
    return b"SEQUENCE:%d\r\n" % revision
