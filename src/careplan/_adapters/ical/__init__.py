"""Export a plan to iCalendar (RFC 5545) for the client's own calendar.

One VEVENT per session and episode, repeating weekly with an RRULE whose
COUNT ends it with the episode, its instances those of ``occurrences``; a
series none of whose instances happens stays, with STATUS:CANCELLED, so no
UID ever leaves a later revision; SEQUENCE counts the plan's records of
change that touch the series; EXDATE for closed and cancelled days;
RECURRENCE-ID overrides for moved sessions and for the rare instance whose
start or end calendar clients would compute differently (a wall time that a
DST change skips, or a session that spans the change). Every TZID has an
RRULE-based VTIMEZONE (``careplan._adapters.vtimezone``).

The modules, from the entry points down:

- ``export``: :func:`to_ical` and :func:`schedule_to_ical`;
- ``arguments``: their checks; ``series``: one session's series and its
  exceptions;
- ``content``: what an event shows (titles, place, link, reminders);
  ``sequence``: a series' SEQUENCE from the plan's records;
- ``lines``: content lines. icalendar writes every line that carries text,
  so user text is always escaped; lines of numbers, instants and zone
  names are formatted directly.
"""

from __future__ import annotations

from careplan._adapters.ical.arguments import Method
from careplan._adapters.ical.content import Detail
from careplan._adapters.ical.export import schedule_to_ical, to_ical

__all__ = ["Detail", "Method", "schedule_to_ical", "to_ical"]
