"""The expansion, where the operations and adapters have always imported it from.

Expanding a schedule is intrinsic to it, so the work lives with the values
in :mod:`careplan._model.expansion`; this module names the same functions
for the code that imports them from the operations layer.
"""

from __future__ import annotations

from careplan._model.expansion import (
    DayChanges,
    calendar_day,
    expand,
    occurrence_on,
    occurrences,
    occurrences_and_regular,
    series_dates,
)

__all__ = [
    "DayChanges",
    "calendar_day",
    "expand",
    "occurrence_on",
    "occurrences",
    "occurrences_and_regular",
    "series_dates",
]
