"""Shared test settings.

Hypothesis runs a fixed number of examples without deadlines (CI machines are
slow and shared); set HYPOTHESIS_PROFILE=thorough for a longer search.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    deadline=None,
    max_examples=1000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Scripts other interpreters run (the system Python with libical, Node).
collect_ignore = ["oracles"]
