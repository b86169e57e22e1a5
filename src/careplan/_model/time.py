"""Time-zone and wall-time helpers shared by the model, the expansion and JSON.

One policy decides what a wall time means on a day when the clocks change;
it lives here so that occurrences and every export agree.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pendulum

from careplan._model.errors import (
    AmbiguousTimeError,
    InvalidValueError,
    NaiveDateTimeError,
    NonexistentTimeError,
    TimeZoneError,
)

#: How to read a wall time that does not exist or happens twice on a DST day.
#:
#: - ``"compatible"`` (default, as RFC 5545 and most calendars): a skipped time
#:   is shifted forward by the gap (02:30 becomes 03:30); a repeated time is
#:   the earlier of the two.
#: - ``"earlier"``: the earlier instant (a skipped 02:30 becomes 01:30).
#: - ``"later"``: the later instant (a repeated 01:30 is the second one).
#: - ``"raise"``: raise :class:`~careplan.NonexistentTimeError` or
#:   :class:`~careplan.AmbiguousTimeError`.
Disambiguate = Literal["compatible", "earlier", "later", "raise"]

WEEKDAY_NAMES: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
_WEEKDAY_BY_NAME = {name: pendulum.WeekDay(i) for i, name in enumerate(WEEKDAY_NAMES)}

_UTC = _dt.timezone.utc
_OFFSET_LIKE = re.compile(r"^[+-]?\d{1,2}(:?\d{2})?$")

#: Zone names tzdata keeps that are not a place: fixed offsets ("EST" is
#: UTC-5 all year, even in New York's summer), the legacy US rule names, and
#: "localtime" (whatever the machine is set to). Each maps to the place a
#: user most likely means.
NOT_A_PLACE: dict[str, str] = {
    "EST": "America/New_York",
    "EST5EDT": "America/New_York",
    "CST6CDT": "America/Chicago",
    "MST": "America/Denver",
    "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles",
    "HST": "Pacific/Honolulu",
    "LOCALTIME": "America/New_York",
}


def zone_info(name: str) -> ZoneInfo:
    """Return the :class:`~zoneinfo.ZoneInfo` for an IANA name, or raise.

    Raises:
        TimeZoneError: The name is not an IANA zone (or is a fixed offset).
    """
    if not isinstance(name, str) or not name:
        raise TimeZoneError(
            "timezone",
            name,
            "is not a time zone name",
            "use an IANA name such as 'America/New_York'",
        )
    place = NOT_A_PLACE.get(name.upper())
    if place is not None or name.upper().startswith(("ETC/GMT+", "ETC/GMT-")):
        raise TimeZoneError(
            "timezone",
            name,
            "is not the name of a place (a fixed offset, a legacy rule or the machine's "
            "setting), so it cannot follow the local daylight saving time",
            f"use the IANA name of the place, e.g. {place or 'America/New_York'!r}",
        )
    if _OFFSET_LIKE.match(name) or name.upper().startswith(("UTC+", "UTC-", "GMT+", "GMT-")):
        raise TimeZoneError(
            "timezone",
            name,
            "is a fixed UTC offset, which cannot follow daylight saving time",
            "use the IANA name of the place, e.g. 'America/New_York'",
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise TimeZoneError(
            "timezone",
            name,
            "is not a known IANA time zone",
            "check the spelling, e.g. 'America/New_York' or 'Europe/Berlin'",
        ) from None


def zone_name(value: object) -> str:
    """Normalise a zone given as a name or a pendulum/zoneinfo zone to its IANA name."""
    if isinstance(value, pendulum.FixedTimezone):
        raise TimeZoneError(
            "timezone",
            value.name,
            "is a fixed UTC offset, which cannot follow daylight saving time",
            "use the IANA name of the place, e.g. 'America/New_York'",
        )
    if isinstance(value, ZoneInfo):  # pendulum.Timezone is a ZoneInfo
        value = value.key
    if not isinstance(value, str):
        raise TimeZoneError(
            "timezone", value, "is not a time zone", "use an IANA name such as 'America/New_York'"
        )
    zone_info(value)
    return value


def duration_from(field: str, value: object) -> pendulum.Duration:
    """Read a length given as whole minutes (int) or a timedelta."""
    if isinstance(value, bool) or not isinstance(value, (int, _dt.timedelta)):
        raise InvalidValueError(
            field, value, "is not a duration", "pass minutes (int) or a timedelta"
        )
    if isinstance(value, int):
        if abs(value) > 10**7:  # pendulum overflows long before the int does
            raise InvalidValueError(field, value, "is not a length in minutes", "check the number")
        return pendulum.Duration(minutes=value)
    seconds = value.total_seconds()
    if seconds % 60 == 0 and abs(seconds) <= 60 * 10**7:
        # The same value pendulum.duration(seconds=...) builds, as whole minutes.
        return pendulum.Duration(minutes=int(seconds) // 60)
    return pendulum.duration(seconds=seconds)


def require_aware(field: str, value: _dt.datetime) -> pendulum.DateTime:
    """Return ``value`` as a pendulum DateTime, refusing naive datetimes."""
    if not isinstance(value, _dt.datetime):
        raise InvalidValueError(field, value, "is not a datetime")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDateTimeError(field, value)
    return pendulum.instance(value)


def require_date(field: str, value: object) -> pendulum.Date:
    """Return ``value`` as a pendulum Date, refusing datetimes and other types."""
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise InvalidValueError(
            field, value, "is not a calendar date", "pass a date such as pendulum.date(2026, 3, 9)"
        )
    if isinstance(value, pendulum.Date):
        return value
    return pendulum.Date(value.year, value.month, value.day)


def parse_wall_time(field: str, value: object) -> pendulum.Time:
    """Read a wall time given as ``"HH:MM"`` or a time object (minutes precision).

    Text is one or two digits, a colon and two digits (any Unicode decimal
    digits, surrounding spaces ignored), read without a regular expression:
    every session of every document passes here.
    """
    if isinstance(value, str):
        hours, colon, minutes = value.strip().partition(":")
        if (
            colon
            and 0 < len(hours) <= 2
            and len(minutes) == 2
            and hours.isdecimal()
            and minutes.isdecimal()
        ):
            hour, minute = int(hours), int(minutes)
            if hour <= 23 and minute <= 59:
                return pendulum.Time(hour, minute)
        raise InvalidValueError(
            field, value, "is not a time of day", "write it as 'HH:MM' between 00:00 and 23:59"
        )
    if type(value) is pendulum.Time and not (
        value.tzinfo or value.second or value.microsecond or value.fold
    ):
        return value  # already what the rest of this function would build
    if isinstance(value, _dt.time):
        if value.tzinfo is not None:
            raise InvalidValueError(
                field,
                value,
                "carries a time zone",
                "a session's time is wall time in the schedule's zone; drop the tzinfo",
            )
        if value.second or value.microsecond:
            raise InvalidValueError(field, value, "has seconds", "sessions start on a whole minute")
        return pendulum.Time(value.hour, value.minute)
    raise InvalidValueError(field, value, "is not a time of day", "pass 'HH:MM' or pendulum.Time")


def format_wall_time(value: _dt.time) -> str:
    """Format a wall time as ``"HH:MM"``."""
    return f"{value.hour:02d}:{value.minute:02d}"


def to_instant(
    day: _dt.date,
    wall: _dt.time,
    timezone: str,
    disambiguate: Disambiguate = "compatible",
) -> pendulum.DateTime:
    """Return the instant at which ``wall`` happens on ``day`` in ``timezone``.

    The policy ``disambiguate`` decides times skipped or repeated by a DST
    change; see :data:`careplan.Disambiguate`.
    """
    return in_zone(resolve_wall(day, wall, timezone, disambiguate), timezone)


def unique_wall_time(naive: _dt.datetime, timezone: str) -> bool:
    """True when a wall time happens exactly once in ``timezone``.

    False for wall times a DST change skips or repeats: those have a
    different offset for each fold.
    """
    # fold=0 explicitly: a wall time read back from an instant keeps its fold.
    first = naive.replace(tzinfo=zone_info(timezone), fold=0)
    return first.utcoffset() == first.replace(fold=1).utcoffset()


def resolve_wall(
    day: _dt.date,
    wall: _dt.time,
    timezone: str,
    disambiguate: Disambiguate = "compatible",
) -> _dt.datetime:
    """Like :func:`to_instant`, as a standard-library aware datetime."""
    zone = zone_info(timezone)
    naive = _dt.datetime.combine(day, wall)
    first = naive.replace(tzinfo=zone)  # fold=0
    second = first.replace(fold=1)
    if unique_wall_time(naive, timezone):
        return first
    back = first.astimezone(_UTC).astimezone(zone).replace(tzinfo=None)
    skipped = back != naive
    if disambiguate == "raise":
        local = f"{day.isoformat()} {format_wall_time(wall)}"
        if skipped:
            raise NonexistentTimeError(local, timezone)
        raise AmbiguousTimeError(local, timezone)
    # zoneinfo reads a skipped time with fold=0 by the offset before the gap
    # (a later instant) and with fold=1 by the offset after it.
    if skipped:
        chosen = second if disambiguate == "earlier" else first
    else:
        chosen = second if disambiguate == "later" else first
    return chosen.astimezone(_UTC).astimezone(zone)


@lru_cache(maxsize=256)
def pendulum_zone(name: str) -> pendulum.Timezone:
    """The pendulum zone of an IANA name, one object per name (cached: pendulum takes 40 us)."""
    return pendulum.timezone(name)


def in_zone(moment: _dt.datetime, timezone: str) -> pendulum.DateTime:
    """``moment`` (aware) as a pendulum DateTime in ``timezone``.

    Built field by field: pendulum's own conversions cost several times more,
    and expansion does this for every occurrence.
    """
    local = moment.astimezone(zone_info(timezone))
    return pendulum.DateTime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=pendulum_zone(timezone),
        fold=local.fold,
    )


_SAMPLE_HOURS = (6, 12, 18)
_MIDNIGHT = _dt.time(0)
_MAX_ORDINAL = _dt.date.max.toordinal() - 1


def _midnight_offset(zone: ZoneInfo, ordinal: int) -> _dt.timedelta | None:
    """The UTC offset at the day's midnight, or None when that wall time is ambiguous."""
    if not 1 <= ordinal <= _MAX_ORDINAL:
        return None
    wall = _dt.datetime.combine(_dt.date.fromordinal(ordinal), _MIDNIGHT, zone)
    offset = wall.utcoffset()
    return offset if offset == wall.replace(fold=1).utcoffset() else None


def steady_offsets(timezone: str, first: int, last: int) -> list[_dt.timedelta | None]:
    """Per local day from ordinal ``first`` to ``last``: its UTC offset when steady, else None.

    A day is steady when one offset holds from its midnight to the next, so
    every wall time of the day happens exactly once and the instant of a wall
    time is the wall time minus that offset: no DST rule needs applying. A
    day with a change (or next to the ends of the calendar) is ``None``.
    Offsets are sampled at 00:00, 06:00, 12:00, 18:00 and the next 00:00, as
    the VTIMEZONE writer samples days: two changes that cancel within six
    hours would go unseen, and no zone has them. The expansion keeps each
    zone's days (``expansion._day``), so this is not cached.
    """
    zone = zone_info(timezone)
    found: list[_dt.timedelta | None] = []
    following = _midnight_offset(zone, first)
    for ordinal in range(first, last + 1):
        offset, following = following, _midnight_offset(zone, ordinal + 1)
        if offset is not None and offset == following:
            day = _dt.date.fromordinal(ordinal)
            for hour in _SAMPLE_HOURS:
                if _dt.datetime.combine(day, _dt.time(hour), zone).utcoffset() != offset:
                    offset = None
                    break
        else:
            offset = None
        found.append(offset)
    return found


def weekday_from(field: str, value: object) -> pendulum.WeekDay:
    """Read a weekday given as a :class:`pendulum.WeekDay` or its English name."""
    if isinstance(value, pendulum.WeekDay):
        return value
    if isinstance(value, str):
        found = _WEEKDAY_BY_NAME.get(value)
        if found is None:
            found = _WEEKDAY_BY_NAME.get(value.strip().lower())
        if found is not None:
            return found
    raise InvalidValueError(
        field, value, "is not a day of the week", f"use one of: {', '.join(WEEKDAY_NAMES)}"
    )


def weekday_name(day: pendulum.WeekDay) -> str:
    """The lower-case English name of a weekday (``"monday"``)."""
    return WEEKDAY_NAMES[int(day)]


def week_start(day: _dt.date) -> pendulum.Date:
    """The Monday of the ISO week that contains ``day``."""
    # Through an ordinal: pendulum's own date arithmetic is slow in loops.
    monday = _dt.date.fromordinal(day.toordinal() - day.weekday())
    return pendulum.Date(monday.year, monday.month, monday.day)


def weekdays_from(value: Iterable[pendulum.WeekDay | str] | str) -> tuple[pendulum.WeekDay, ...]:
    """Distinct weekdays (names or ``pendulum.WeekDay``), Monday first; one name is one day."""
    if isinstance(value, (str, pendulum.WeekDay)):
        value = (value,)
    if not isinstance(value, Iterable) or isinstance(value, (bytes, dict)):
        raise InvalidValueError(
            "weekdays", type(value).__name__, "is not a list of days", "pass day names"
        )
    return tuple(sorted({weekday_from("weekdays", day) for day in value}))


def wall_time(value: str | _dt.time) -> pendulum.Time:
    """A wall time from ``"HH:MM"`` or a time (an attrs converter)."""
    return parse_wall_time("time", value)


def minute_of_day(value: _dt.time) -> int:
    """Minutes from midnight to ``value``."""
    return value.hour * 60 + value.minute
