"""A series' SEQUENCE, counted from the plan's own records of change.

A plan keeps no revision counter, but its records of change only ever join
it: cancellations, reschedules, closures, holds and transitions. A series'
SEQUENCE counts those that touch it, so it rises with every change to its
instances and never falls (see the calendar explanation).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Mapping, Set

import attrs

from careplan._model.errors import InvalidValueError
from careplan._model.plan import CarePlan
from careplan._model.session import Session
from careplan._model.time import week_start

__all__ = ["MAX_SEQUENCE", "Records", "recorded_changes"]

#: The largest SEQUENCE: RFC 5545's INTEGER is a signed 32-bit number.
MAX_SEQUENCE = 2**31 - 1
_NO_DAYS: frozenset[_dt.date] = frozenset()


def recorded_changes(plan: CarePlan) -> int:
    """How many changes the plan records: its own count of revisions."""
    return (
        len(plan.cancellations)
        + len(plan.reschedules)
        + len(plan.closures)
        + len(plan.holds)
        + len(plan.transitions)
    )


def _plain(day: _dt.date) -> _dt.date:
    return _dt.date(day.year, day.month, day.day)


@attrs.frozen
class Records:
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
    cancelled: Mapping[str, frozenset[_dt.date]] = attrs.field(factory=dict)
    moves: Mapping[str, Counter[_dt.date]] = attrs.field(factory=dict)

    @classmethod
    def of(cls, plan: CarePlan) -> Records:
        """The records of ``plan``."""
        off = frozenset(_plain(day) for day in (*(c.on for c in plan.closures), *plan.held_days))
        cancelled: dict[str, set[_dt.date]] = {}
        for cancellation in plan.cancellations:
            cancelled.setdefault(cancellation.session_id, set()).add(_plain(cancellation.on))
        moves: dict[str, Counter[_dt.date]] = {}
        for reschedule in plan.reschedules:
            moves.setdefault(reschedule.session_id, Counter())[_plain(reschedule.on)] += 1
        return cls(off, {k: frozenset(v) for k, v in cancelled.items()}, moves)

    @classmethod
    def closed(cls, days: Iterable[_dt.date]) -> Records:
        """Only days without sessions (a schedule's calendar has no other records)."""
        return cls(frozenset(_plain(day) for day in days))

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

    def sequence(
        self, offset: int, session: Session, start: _dt.date, end: _dt.date, *, ended: bool
    ) -> int:
        """A series' SEQUENCE: the caller's ``offset`` plus :meth:`revision`.

        Raises:
            InvalidValueError: It is over :data:`MAX_SEQUENCE`.
        """
        revision = offset + self.revision(session, start, end, ended=ended)
        if revision > MAX_SEQUENCE:
            raise InvalidValueError(
                "sequence",
                offset,
                f"makes a SEQUENCE over {MAX_SEQUENCE}",
                "pass a smaller sequence",
            )
        return revision
