"""Whether a plan is substance-use-disorder care: one decision for privacy and billing.

Two questions turn on it. Privacy: are the plan's records under 42 CFR Part 2
(FHIR security labels ``42CFRPart2``/``ETH``/``R``)? Billing: is the care
chemical dependency treatment or psychiatric (HCPCS H0015 or S9480; revenue
code 0906 or 0905 where a payer uses them)? :func:`substance_use` answers both
from the same facts, so the labels and the codes never disagree about them.

The facts (42 CFR 2.11; ICD-10-CM chapter 5):

- A *substance use disorder* code is ICD-10-CM F10-F19, except F17
  (nicotine dependence): Part 2's definition of substance use disorder
  excludes tobacco, so a depression plan whose client smokes is not
  substance-use care. A code counts wherever the plan holds it: in
  ``diagnoses`` or on a plan-of-care problem's ``condition``.
- Part 2 follows the program: ``CarePlan.part2_program`` states it (``True``:
  a federally assisted program that holds itself out as providing SUD
  diagnosis, treatment or referral; ``False``: a program that does not).
  Unstated, careplan errs toward privacy: a plan with a substance use disorder
  code, or on an ASAM continuum (addiction treatment levels), is labelled.
- The principal diagnosis (``CarePlan.principal_diagnosis``) chooses the
  billing codes: chemical dependency when it is a substance use disorder,
  psychiatric when it is not. Unnamed, the codes follow the Part 2 decision.
"""

from __future__ import annotations

import attrs

from careplan._model.plan import CarePlan

__all__ = ["SubstanceUse", "is_substance_use_care", "is_substance_use_code", "substance_use"]

# ICD-10-CM F10-F19: mental and behavioural disorders due to psychoactive
# substance use; F17 (nicotine dependence) is tobacco, outside Part 2.
_SUBSTANCE_USE_PREFIXES = tuple(f"F1{digit}" for digit in range(10) if digit != 7)
# Code systems whose F10-F19 codes mean the same chapter.
_ICD_SYSTEMS = frozenset({"ICD-10-CM", "ICD-10", "http://hl7.org/fhir/sid/icd-10-cm"})


def is_substance_use_code(code: str) -> bool:
    """True for an ICD-10(-CM) substance use disorder code (F10-F19, tobacco F17 excluded).

    >>> is_substance_use_code("F11.20"), is_substance_use_code("F17.210")
    (True, False)
    """
    return code.strip().upper().startswith(_SUBSTANCE_USE_PREFIXES)


@attrs.frozen
class SubstanceUse:
    """The substance-use decision for a plan (see :func:`substance_use`).

    Attributes:
        codes: The substance use disorder codes the plan holds (diagnoses,
            then plan-of-care problems), tobacco excluded.
        part2: True when the plan's records fall under 42 CFR Part 2 (the
            FHIR export labels them).
        chemical_dependency: True when payers' chemical dependency codes
            apply (H0015, 0906), False for the psychiatric ones (S9480, 0905).
        why: How it was decided, in words without the client's data.
    """

    codes: tuple[str, ...]
    part2: bool
    chemical_dependency: bool
    why: str


def substance_use(plan: CarePlan) -> SubstanceUse:
    """Decide whether ``plan`` is substance-use care, for privacy and for billing.

    A depression plan whose client smokes is neither Part 2 nor chemical
    dependency; an opioid use disorder coded only on a problem is both:

    >>> import attrs
    >>> from careplan import Coding, Problem
    >>> from careplan.demo import sample_plan
    >>> smoker = attrs.evolve(sample_plan(), diagnoses=["F33.1", "F17.210"])
    >>> substance_use(smoker).part2, substance_use(smoker).chemical_dependency
    (False, False)
    >>> oud = Problem("oud", "Opioid use", condition=Coding("ICD-10-CM", "F11.20"))
    >>> coded = attrs.evolve(smoker, problems=[oud])
    >>> substance_use(coded).codes, substance_use(coded).part2
    (('F11.20',), True)
    >>> substance_use(attrs.evolve(coded, principal_diagnosis="F33.1")).chemical_dependency
    False
    """
    codes = [code for code in plan.diagnoses if is_substance_use_code(code)]
    for problem in plan.problems:
        condition = problem.condition
        if (
            condition is not None
            and condition.system in _ICD_SYSTEMS
            and is_substance_use_code(condition.code)
        ):
            codes.append(condition.code)
    found = tuple(dict.fromkeys(codes))
    asam = plan.continuum.name.upper().startswith("ASAM")
    if plan.part2_program is not None:
        part2 = plan.part2_program
        why = "the plan states " + ("a" if part2 else "no") + " Part 2 program"
    elif found:
        part2, why = True, "a substance use disorder code (F10-F19 but F17)"
    elif asam:
        part2, why = True, "an ASAM (addiction treatment) continuum"
    else:
        part2, why = False, "no substance use disorder code (tobacco F17 does not count)"
    principal = plan.principal_diagnosis
    if principal is None:
        return SubstanceUse(found, part2, part2, why)
    dependency = is_substance_use_code(principal)
    kind = "a substance use disorder" if dependency else "not a substance use disorder"
    return SubstanceUse(found, part2, dependency, f"{why}; the principal diagnosis is {kind}")


def is_substance_use_care(plan: CarePlan) -> bool:
    """True when ``plan``'s records fall under 42 CFR Part 2 (see :func:`substance_use`).

    >>> from careplan.demo import sample_plan
    >>> is_substance_use_care(sample_plan())  # F10.20, alcohol dependence
    True
    """
    return substance_use(plan).part2
