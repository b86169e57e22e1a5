"""One concrete session: a weekly session on one day, at time-zone-aware instants."""

from __future__ import annotations

import attrs
import pendulum

from careplan._model.session import Session

__all__ = ["Occurrence"]


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
    """

    session: Session
    scheduled_on: pendulum.Date
    start: pendulum.DateTime
    end: pendulum.DateTime
    moved: bool = False
    episode: int = 0

    @property
    def key(self) -> tuple[str, pendulum.Date]:
        """The occurrence's identity: (session id, scheduled date)."""
        return (self.session.id, self.scheduled_on)

    @property
    def date(self) -> pendulum.Date:
        """The local date the occurrence actually happens on."""
        return self.start.date()

    @property
    def minutes(self) -> int:
        """Elapsed minutes from start to end."""
        return int(self.end.timestamp() - self.start.timestamp()) // 60

    @property
    def hours(self) -> float:
        """Elapsed hours from start to end."""
        return self.minutes / 60
