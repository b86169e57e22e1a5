"""One concrete session: a weekly session on one day, at time-zone-aware instants."""

from __future__ import annotations

import attrs
import pendulum

from careplan._model.session import Session

__all__ = ["Occurrence"]


def _local_date(occurrence: Occurrence) -> pendulum.Date:
    return occurrence.start.date()


def _elapsed(occurrence: Occurrence) -> int:
    return int(occurrence.end.timestamp() - occurrence.start.timestamp()) // 60


@attrs.frozen
class Occurrence:
    """One concrete session: a session of the weekly schedule on one day.

    Attributes:
        session: The weekly session this is an occurrence of.
        scheduled_on: The local date the series put it on. It names the
            occurrence (with the session id) even when it was moved.
        start: The time-zone-aware start.
        end: The time-zone-aware end (start plus the elapsed duration).
        moved: True when a :class:`~careplan.Reschedule` moved it.
        episode: The index of the plan's episode it belongs to (0 outside a
            plan).
        date: The local date the occurrence actually happens on (derived
            from ``start``, never given).
        minutes: Elapsed minutes from start to end (derived, never given).

    ``date`` and ``minutes`` are set when the occurrence is built (the
    expansion knows them for free), so the rules, weekly figures and exports
    that read them for every occurrence do not ask pendulum again.
    """

    session: Session
    scheduled_on: pendulum.Date
    start: pendulum.DateTime
    end: pendulum.DateTime
    moved: bool = False
    episode: int = 0
    date: pendulum.Date = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_local_date, takes_self=True)
    )
    minutes: int = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_elapsed, takes_self=True)
    )

    @property
    def key(self) -> tuple[str, pendulum.Date]:
        """The occurrence's identity: (session id, scheduled date)."""
        return (self.session.id, self.scheduled_on)

    @property
    def hours(self) -> float:
        """Elapsed hours from start to end."""
        return self.minutes / 60
