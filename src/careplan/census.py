"""Census scheduling: the whole program's week, with group seats, staff and rooms.

Every client in care gets a week that meets their level and fits their
life; no group runs over capacity, no clinician or room is in two places,
one-to-one sessions go to clinicians with the right credential. OR-Tools'
CP-SAT solver does the assignment: install it with
``pip install 'careplan[census]'`` (from a checkout:
``pip install -e '.[census]'``). Without it, importing this module works and
the solving functions raise :class:`careplan.MissingExtraError`.

>>> from careplan.programs import sample_census
>>> census = sample_census(3)
>>> result = schedule_census(census, time_limit=10)
>>> (result.status, result.objective.placed)
('optimal', 3)
"""

from __future__ import annotations

from careplan._model.census import (
    DEFAULT_CREDENTIALS,
    Assignment,
    Census,
    CensusChange,
    CensusClient,
    CensusObjective,
    CensusResult,
    Placement,
    Room,
    Roster,
    SolverStatus,
    Staff,
    Unplaced,
    WorkHours,
)
from careplan._operations.census import admit, reassign, schedule_census

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
    "WorkHours",
    "admit",
    "reassign",
    "schedule_census",
]
