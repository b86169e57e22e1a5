"""Staff and room calendars: a census result's weeks as iCalendar files, naming no client."""

from __future__ import annotations

import datetime as _dt

from careplan._adapters.ical import schedule_to_ical
from careplan._model.errors import InvalidValueError
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import require_date
from careplan.census._result import CensusResult

__all__ = ["room_calendar", "staff_calendar"]


def _calendar(
    result: CensusResult,
    week: WeeklySchedule,
    name: str,
    start: _dt.date,
    weeks: int,
    uid_key: str | bytes | None,
) -> bytes:
    begin = require_date("start", start)
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise InvalidValueError("weeks", weeks, "is not a positive number of weeks")
    # Titles as the rosters read ("Evening group — 9 clients"), under the
    # staff member's or room's own calendar name.
    return schedule_to_ical(
        week,
        start=begin,
        end=begin.add(weeks=weeks).subtract(days=1),
        name=name,
        uid_key=uid_key or name,
        closures=result.census.program.closures,
    )


def staff_calendar(
    result: CensusResult,
    staff_id: str,
    *,
    start: _dt.date,
    weeks: int,
    uid_key: str | bytes | None = None,
) -> bytes:
    """An iCalendar file of staff member ``staff_id``'s weeks, naming no client.

    Groups read "Evening group (in person) — 9 clients"; one-to-one sessions
    carry their kind only; a biweekly consult is held in its own weeks (A
    or B, counted from ``start``). Written from the sessions by the
    calendar writer (:func:`careplan.schedule_to_ical`: time zones,
    escaping, stable UIDs keyed by ``uid_key``, default the staff id), from
    ``start`` for ``weeks`` weeks, with the program's closures.

    >>> import pendulum
    >>> from careplan.census import schedule_census
    >>> from careplan.programs import sample_census
    >>> result = schedule_census(sample_census(3), time_limit=10)
    >>> who = result.rosters[0].staff[0]
    >>> text = staff_calendar(result, who, start=pendulum.date(2027, 1, 4), weeks=1).decode()
    >>> "client-" in text, "BEGIN:VEVENT" in text
    (False, True)
    """
    return _calendar(result, result.staff_schedule(staff_id), staff_id, start, weeks, uid_key)


def room_calendar(
    result: CensusResult,
    room_id: str,
    *,
    start: _dt.date,
    weeks: int,
    uid_key: str | bytes | None = None,
) -> bytes:
    """An iCalendar file of room ``room_id``'s bookings, naming no client.

    As :func:`staff_calendar`, for a room.
    """
    return _calendar(result, result.room_schedule(room_id), room_id, start, weeks, uid_key)
