"""The limits that keep careplan's work bounded and its date arithmetic safe.

A plan's work (expansion, validation, exports) grows with its period, and
date arithmetic near the ends of the calendar (year 1, year 9999) overflows.
So careplan works with dates in a supported window, and documents and
validation refuse plans longer than a limit that the caller may raise.
See ``docs/reference/limits.md``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Final

import pendulum

from careplan._model.errors import InvalidValueError

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "MAX_PLAN_YEARS",
    "add_years",
    "require_max_years",
    "require_supported_date",
    "supported",
]

#: The longest plan period, in years, that :func:`careplan.from_json` and
#: :func:`careplan.validate` accept unless given another ``max_years``.
MAX_PLAN_YEARS: Final = 10

#: The first day careplan works with: every date of a plan is on or after it.
EARLIEST_DATE: Final = pendulum.Date(1900, 1, 1)

#: The last day careplan works with: every date of a plan is on or before it.
LATEST_DATE: Final = pendulum.Date(2199, 12, 31)


_EARLIEST_ORDINAL: Final = EARLIEST_DATE.toordinal()
_LATEST_ORDINAL: Final = LATEST_DATE.toordinal()


def supported(day: _dt.date) -> bool:
    """True when ``day`` is inside the window careplan works with."""
    # By ordinal: a date, a pendulum Date and a datetime's day alike, and
    # without building a plain date to compare (it runs for every date read).
    return _EARLIEST_ORDINAL <= day.toordinal() <= _LATEST_ORDINAL


def require_supported_date(field: str, day: _dt.date) -> None:
    """Refuse a date outside :data:`EARLIEST_DATE` to :data:`LATEST_DATE`.

    Raises:
        InvalidValueError: Naming ``field``.
    """
    if not supported(day):
        raise InvalidValueError(
            field,
            day.isoformat(),
            f"is outside the dates careplan works with ({EARLIEST_DATE} to {LATEST_DATE})",
            "check the year",
        )


def require_max_years(value: object) -> int:
    """Refuse a ``max_years`` that is not a whole number of at least 1.

    Raises:
        InvalidValueError: Naming ``max_years``.
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidValueError("max_years", value, "is not a whole number of years of at least 1")
    return value


def add_years(day: _dt.date, years: int) -> _dt.date:
    """``day`` moved by ``years`` (29 February becomes 28), clamped to the calendar."""
    year = day.year + years
    if year > _dt.MAXYEAR:
        return _dt.date.max
    if year < _dt.MINYEAR:
        return _dt.date.min
    return _dt.date(year, day.month, min(day.day, 28) if day.month == 2 else day.day)
