"""Whether a plan is substance-use-disorder treatment.

Payer codes (chemical dependency versus psychiatric intensive outpatient)
and privacy labels (42 CFR Part 2) both turn on it.
"""

from __future__ import annotations

from careplan._model.plan import CarePlan

__all__ = ["is_substance_use_care"]

# ICD-10-CM F10-F19: mental and behavioural disorders due to psychoactive
# substance use.
_SUBSTANCE_USE_PREFIXES = tuple(f"F1{digit}" for digit in range(10))


def is_substance_use_care(plan: CarePlan) -> bool:
    """True when the plan is substance-use-disorder treatment.

    That is: its continuum is ASAM's (addiction treatment levels), or a
    diagnosis is an ICD-10-CM substance use disorder (F10-F19).

    >>> from careplan.demo import sample_plan
    >>> is_substance_use_care(sample_plan())  # F10.20, alcohol dependence
    True
    """
    if plan.continuum.name.upper().startswith("ASAM"):
        return True
    return any(code.strip().upper().startswith(_SUBSTANCE_USE_PREFIXES) for code in plan.diagnoses)
