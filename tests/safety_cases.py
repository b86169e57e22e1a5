"""The plan and the days the safety tests share.

The sample plan records an admission screen; these tests start from nothing
on file. It is an IOP plan from Monday 2027-01-04, with sessions on Monday,
Tuesday and Thursday. ``SECRET`` is text a user typed, which no output may
quote.
"""

from __future__ import annotations

import attrs
import pendulum

from careplan.demo import sample_plan
from careplan.safety import SafetyRecord

PLAN = attrs.evolve(sample_plan(), safety=SafetyRecord())
START = PLAN.start
SECRET = "Jane Q Doe, heroin, daughter Lily"


def day(n: int) -> pendulum.Date:
    """The day ``n`` days after the plan's start."""
    return START.add(days=n)
