"""Changes to the regular week: closures, holds, cancelled and moved occurrences."""

from __future__ import annotations

import datetime as _dt

import attrs
import pendulum

from careplan._model.errors import InvalidValueError
from careplan._model.time import duration_from, require_aware, require_date

__all__ = ["Cancellation", "Closure", "Hold", "Reschedule"]


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


def _to_hold_start(value: _dt.date) -> pendulum.Date:
    return require_date("Hold.start", value)


def _to_hold_end(value: _dt.date) -> pendulum.Date:
    return require_date("Hold.end", value)


@attrs.frozen
class Hold:
    """A leave of absence: days the client is away and no session happens.

    A hospital stay elsewhere, a family emergency, a court date: the plan
    stays open and the level does not change. Sessions on held days do not
    happen, and weeks that a hold touches are not judged against the level's
    minimums, as missing them is not missed care.

    Attributes:
        start: The first day away.
        end: The last day away (included).
        reason: Why, for the record.

    >>> import pendulum
    >>> hold = Hold(pendulum.date(2027, 2, 1), pendulum.date(2027, 2, 3), "medical leave")
    >>> [str(day) for day in hold.days]
    ['2027-02-01', '2027-02-02', '2027-02-03']
    """

    start: pendulum.Date = attrs.field(converter=_to_hold_start)
    end: pendulum.Date = attrs.field(converter=_to_hold_end)
    reason: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                "Hold.end", self.end.isoformat(), "is before the start", "swap the dates"
            )

    @property
    def days(self) -> tuple[pendulum.Date, ...]:
        """Every day of the hold, first to last."""
        return tuple(self.start.add(days=n) for n in range((self.end - self.start).days + 1))


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
