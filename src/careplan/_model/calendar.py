"""Changes to the regular week: closures, holds, cancelled and moved occurrences.

Their reasons are free text that may be personal ("hospital stay"), so
reprs and errors leave them out.
"""

from __future__ import annotations

import datetime as _dt

import attrs
import pendulum

from careplan._model.checks import MAX_MINUTES, date, hidden, identifier, instance, text
from careplan._model.errors import InvalidValueError
from careplan._model.limits import require_supported_date
from careplan._model.time import duration_from, require_aware

__all__ = ["Cancellation", "Closure", "Hold", "Reschedule", "closure"]


def _to_closure_date(value: _dt.date) -> pendulum.Date:
    return date("Closure.on", value)


def _to_cancel_date(value: _dt.date) -> pendulum.Date:
    return date("Cancellation.on", value)


def _to_reschedule_date(value: _dt.date) -> pendulum.Date:
    return date("Reschedule.on", value)


def _to_reschedule_start(value: _dt.datetime) -> pendulum.DateTime:
    start = require_aware("Reschedule.start", value)
    require_supported_date("Reschedule.start", start.date())
    return start


def _to_optional_minutes(value: int | _dt.timedelta | None) -> pendulum.Duration | None:
    if value is None:
        return None
    duration = duration_from("Reschedule.duration", value)
    seconds = duration.total_seconds()
    if not 0 < seconds <= MAX_MINUTES * 60 or seconds % 60:
        raise InvalidValueError(
            "Reschedule.duration",
            value,
            f"is not a whole number of minutes from 1 to {MAX_MINUTES}",
            "give the moved session's length, or None to keep the session's",
        )
    return duration


@attrs.frozen
class Closure:
    """A day the program is closed (a holiday): no session happens on it.

    Attributes:
        on: The closed day, in the schedule's zone (named ``on``, as every
            record's day is).
        reason: Why, for display ("Thanksgiving").
    """

    on: pendulum.Date = attrs.field(converter=_to_closure_date)
    reason: str = attrs.field(default="", repr=hidden)

    def __attrs_post_init__(self) -> None:
        text("Closure.reason", self.reason)


def closure(field: str, value: object) -> Closure:
    """A :class:`Closure`, or a date standing for a closure without a reason."""
    if isinstance(value, Closure):
        return value
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return Closure(date(field, value))
    return instance(field, value, Closure, "use Closure(on, reason) or a date")


def _to_hold_start(value: _dt.date) -> pendulum.Date:
    return date("Hold.start", value)


def _to_hold_end(value: _dt.date) -> pendulum.Date:
    return date("Hold.end", value)


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
    reason: str = attrs.field(default="", repr=hidden)

    def __attrs_post_init__(self) -> None:
        text("Hold.reason", self.reason)
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
    reason: str = attrs.field(default="", repr=hidden)

    def __attrs_post_init__(self) -> None:
        identifier("Cancellation.session_id", self.session_id)
        text("Cancellation.reason", self.reason)


@attrs.frozen
class Reschedule:
    """One occurrence of a session moved to another time.

    Attributes:
        session_id: The session's :attr:`~careplan.Session.id`.
        on: The date the occurrence was scheduled for.
        start: The new start, a time-zone-aware datetime.
        duration: The new length (whole minutes, at most a day), or ``None``
            to keep the session's.
        reason: Why, for display.
    """

    session_id: str
    on: pendulum.Date = attrs.field(converter=_to_reschedule_date)
    start: pendulum.DateTime = attrs.field(converter=_to_reschedule_start)
    duration: pendulum.Duration | None = attrs.field(default=None, converter=_to_optional_minutes)
    reason: str = attrs.field(default="", repr=hidden)

    def __attrs_post_init__(self) -> None:
        identifier("Reschedule.session_id", self.session_id)
        text("Reschedule.reason", self.reason)
