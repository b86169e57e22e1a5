"""Census scheduling: the whole program's week, with group seats, staff and rooms.

Every client in care gets a week that meets their level and fits their
life; no group runs over capacity, no clinician or room is in two places,
one-to-one sessions go to clinicians with the right credential. OR-Tools'
CP-SAT solver does the assignment: install it from a checkout with
``pip install -e '.[census]'``. Without it, importing this module works and
the solving functions raise :class:`careplan.MissingExtraError`.

>>> from careplan.programs import sample_census
>>> census = sample_census(3)
>>> result = schedule_census(census, time_limit=10)
>>> (result.status, result.objective.placed)
('optimal_among_candidates', 3)
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING

from careplan.census._result import (
    Assignment,
    CensusChange,
    CensusObjective,
    CensusResult,
    Placement,
    Roster,
    SolverStatus,
    Unplaced,
    UnplacedReason,
)
from careplan.census._solve import admit, reassign, schedule_census
from careplan.census._values import (
    DEFAULT_CREDENTIALS,
    Census,
    CensusClient,
    Room,
    Staff,
    WorkHours,
    every_week_of_cadence,
)

__all__ = [
    "DEFAULT_CREDENTIALS",
    "Assignment",
    "Census",
    "CensusChange",
    "CensusClient",
    "CensusObjective",
    "CensusResult",
    "Placement",
    "Room",
    "Roster",
    "SolverStatus",
    "Staff",
    "Unplaced",
    "UnplacedReason",
    "WorkHours",
    "admit",
    "every_week_of_cadence",
    "reassign",
    "room_calendar",
    "schedule_census",
    "staff_calendar",
]

if TYPE_CHECKING:
    from careplan.census._calendars import room_calendar, staff_calendar

#: The calendars load the calendar writer (icalendar) on first use, so that
#: the sample programs, which build censuses, keep ``import careplan`` light.
_LAZY = {"room_calendar", "staff_calendar"}


def __getattr__(name: str) -> object:
    """Load a calendar function on first use, then keep it here."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module("careplan.census._calendars"), name)
    globals()[name] = value
    return value
