"""Hypothesis strategies for careplan values, for your own property tests.

Install the ``testing`` extra (from a checkout, ``pip install -e '.[testing]'``). Every
strategy yields valid values (constructors accept them); validation may
still report violations, as it would for a real draft plan.

>>> from hypothesis import given
>>> from careplan.testing import care_plans
>>> @given(care_plans())
... def test_plans_expand(plan):
...     assert list(plan.occurrences()) == sorted(plan.occurrences(), key=lambda o: o.start)
>>> test_plans_expand()
"""

from __future__ import annotations

from careplan._model.errors import MissingExtraError

try:
    import hypothesis  # noqa: F401 (the strategy modules below import it)
except ImportError as error:  # pragma: no cover - depends on the environment
    raise MissingExtraError("careplan.testing", "Hypothesis", "testing") from error

from careplan.testing import _basics
from careplan.testing._basics import (
    dates,
    texts,
    timezones,
)
from careplan.testing._care import (
    instruments,
    plans_of_care,
    problems,
)
from careplan.testing._plans import (
    attendance_records,
    care_plans,
    continua,
    histories,
    levels_on_continua,
)
from careplan.testing._safety import (
    safety_records,
)
from careplan.testing._schedules import (
    life_constraints,
    modalities,
    programs,
    session_kinds,
    sessions,
    treatment_tracks,
    weekly_schedules,
)

__all__ = [
    "DST_ZONES",
    "NO_DST_ZONES",
    "attendance_records",
    "care_plans",
    "continua",
    "dates",
    "histories",
    "instruments",
    "levels_on_continua",
    "life_constraints",
    "modalities",
    "plans_of_care",
    "problems",
    "programs",
    "safety_records",
    "session_kinds",
    "sessions",
    "texts",
    "timezones",
    "treatment_tracks",
    "weekly_schedules",
]

#: Zones with daylight saving time, both hemispheres, including a 30-minute
#: shift (Lord Howe) and a change at midnight (Santiago).
DST_ZONES = _basics.DST_ZONES
#: Zones without daylight saving time.
NO_DST_ZONES = _basics.NO_DST_ZONES
