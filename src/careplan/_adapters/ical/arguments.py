"""The calendar exports' arguments, checked before any work is done.

Each check raises :class:`~careplan.InvalidValueError` naming the argument,
and shows a refused value only through :func:`~careplan._model.checks.shown`
(never text a user typed).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Sequence
from typing import Literal

import icalendar
import pendulum

from careplan._adapters.ical.content import calendar_name
from careplan._adapters.ical.lines import write
from careplan._model.checks import shown, text
from careplan._model.errors import InvalidValueError
from careplan._model.limits import EARLIEST_DATE, LATEST_DATE, supported
from careplan._model.time import duration_from, require_aware

__all__ = [
    "METHODS",
    "Method",
    "choice",
    "given_name",
    "hmac_key",
    "itip_addresses",
    "reminder_lengths",
    "utc_stamp",
]

#: What an export is for: ``"PUBLISH"`` (the default) is a calendar to
#: import or subscribe to; ``"REQUEST"`` and ``"CANCEL"`` are iTIP messages
#: (RFC 5546) for systems that process invitations: the series that still
#: happen, and the series that no longer do.
Method = Literal["PUBLISH", "REQUEST", "CANCEL"]

#: The values of :data:`Method`.
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
#: At most this many reminders per event.
_MAX_REMINDERS = 16
_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)


def choice(field: str, value: object, allowed: tuple[str, ...], what: str) -> None:
    """Refuse ``value`` unless it is one of ``allowed`` (``what`` they are)."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidValueError(
            field, shown(value), f"is not {what}", "use one of: " + ", ".join(allowed)
        )


def reminder_lengths(values: object) -> tuple[pendulum.Duration, ...]:
    """The reminders: at most 16 positive lengths (minutes or timedeltas)."""
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


def hmac_key(given: object, default: str | None) -> bytes:
    """The HMAC key of the UIDs: ``given``, or ``default`` when none is given and there is one."""
    if given is None:
        if default is None:
            raise InvalidValueError("uid_key", None, "is not given", "pass a secret")
        return default.encode()
    if isinstance(given, (bytes, bytearray)):
        key = bytes(given)
    elif isinstance(given, str):
        try:
            key = given.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidValueError(
                "uid_key", shown(given), "holds a lone surrogate", "pass text UTF-8 can carry"
            ) from None
    else:
        raise InvalidValueError(
            "uid_key", shown(given), "is not text or bytes", "pass a secret string or bytes"
        )
    if not key:
        raise InvalidValueError("uid_key", shown(given), "is empty", "pass a secret")
    return key


def utc_stamp(stamp: object, recorded: int) -> _dt.datetime:
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


def given_name(name: object) -> str:
    """A calendar name the caller gave: single-line text with something to show."""
    found = text("name", name, blank=False)
    if not calendar_name(found):
        raise InvalidValueError(
            "name", shown(found), "has nothing a calendar shows", "give it letters or digits"
        )
    return found


def itip_addresses(method: str, organizer: object, attendees: object) -> bytes:
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
    return write(name, icalendar.vCalAddress(address))
