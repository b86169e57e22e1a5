"""Changes to the regular week: closures, cancelled and moved occurrences."""

from __future__ import annotations

import datetime as _dt

import attrs
import pendulum

from careplan._model.errors import InvalidValueError
from careplan._model.time import duration_from, require_aware, require_date

__all__ = ["Cancellation", "Closure", "Reschedule"]


def _to_closure_date(value: _dt.date) -> pendulum.Date:
    return require_date("Closure.date", value)


def _to_cancel_date(value: _dt.date) -> pendulum.Date:
    return require_date("Cancellation.on", value)


def _to_reschedule_date(value: _dt.date) -> pendulum.Date:
    return require_date("Reschedule.on", value)


def _to_reschedule_start(value: _dt.datetime) -> pendulum.DateTime:
    return require_aware("Reschedule.start", value)


def _to_optional_minutes(value: int | _dt.timedelta | None) -> pendulum.Duration | None:
    if value is None:
        return None
    duration = duration_from("Reschedule.duration", value)
    if duration.total_seconds() <= 0 or duration.total_seconds() % 60:
        raise InvalidValueError(
            "Reschedule.duration", value, "is not a positive whole number of minutes"
        )
    return duration


@attrs.frozen
class Closure:
    """A day the program is closed (a holiday): no session happens on it.

    Attributes:
        date: The closed day, in the schedule's zone.
        reason: Why, for display ("Thanksgiving").
    """

    date: pendulum.Date = attrs.field(converter=_to_closure_date)
    reason: str = ""


@attrs.frozen
class Cancellation:
    """One occurrence of a session that will not happen.

    Attributes:
        session_id: The session's :attr:`~careplan.Session.id`.
        on: The date the occurrence was scheduled for.
        reason: Why, for display.
    """

    session_id: str
    on: pendulum.Date = attrs.field(converter=_to_cancel_date)
    reason: str = ""


@attrs.frozen
class Reschedule:
    """One occurrence of a session moved to another time.

    Attributes:
        session_id: The session's :attr:`~careplan.Session.id`.
        on: The date the occurrence was scheduled for.
        start: The new start, a time-zone-aware datetime.
        duration: The new length, or ``None`` to keep the session's.
        reason: Why, for display.
    """

    session_id: str
    on: pendulum.Date = attrs.field(converter=_to_reschedule_date)
    start: pendulum.DateTime = attrs.field(converter=_to_reschedule_start)
    duration: pendulum.Duration | None = attrs.field(default=None, converter=_to_optional_minutes)
    reason: str = ""
