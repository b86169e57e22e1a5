"""Validation: run the registry of rules over a plan and collect a report.

``validate`` runs every selected rule and collects what they find; it never
stops at the first problem and never raises on a plan (a draft is allowed to
be wrong). The rules themselves live in ``rules.py`` (the plan as scheduled) and
``delivery_rules.py`` (care as delivered).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import NamedTuple

from careplan._model.errors import InvalidValueError
from careplan._model.expansion import occurrences_and_regular
from careplan._model.limits import MAX_PLAN_YEARS
from careplan._model.occurrence import Occurrence
from careplan._model.payer import PayerRules
from careplan._model.plan import CarePlan
from careplan._model.policy import CompliancePolicy
from careplan._model.report import Report, Violation
from careplan._model.review import CLINIC_REVIEW, ReviewPolicy
from careplan._model.safety import DEFAULT_SAFETY_POLICY, SafetyPolicy
from careplan._model.time import require_date
from careplan._operations import billing_rules, delivery_rules
from careplan._operations import rules as _rules
from careplan._operations import safety as _safety
from careplan._operations.billing_rules import check_billing
from careplan._operations.context import Rule, RuleContext
from careplan._operations.golden_thread import check_golden_thread, check_target_dates
from careplan._operations.limits import limit_problems
from careplan._operations.progress import check_measures
from careplan._operations.reviews import check_reviews
from careplan._operations.weeks import week_figures

__all__ = ["CODES", "Validated", "rules", "validate", "validated"]

_DEFAULT_POLICY = CompliancePolicy()

#: Every violation code the built-in rules report, with its severities; the
#: violations reference lists the same (a test keeps them in step).
CODES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {**_rules.CODES, **billing_rules.CODES, **_safety.CODES}
)

_REGISTRY: Mapping[str, Rule] = MappingProxyType(
    {
        "dates": _rules.check_dates,
        "intensity": _rules.check_intensity,
        "required": _rules.check_required_components,
        "overlap": _rules.check_overlaps,
        "level_fit": _rules.check_level_fit,
        "transitions": _rules.check_transitions,
        "modality": _rules.check_modality,
        "attendance": delivery_rules.check_attendance,
        "authorizations": delivery_rules.check_authorizations,
        "vocabulary": _rules.check_vocabulary,
        # The plan of care (issue 13); they judge plans that have one.
        "golden_thread": check_golden_thread,
        "target_dates": check_target_dates,
        "reviews": check_reviews,
        "measures": check_measures,
        "billing": check_billing,
        # Suicide-risk screens and what follows them (issue 34); they judge
        # plans with safety records, given a today.
        "safety": _safety.check_safety_rule,
    }
)


def rules() -> Mapping[str, Rule]:
    """The built-in rules by name, in the order :func:`validate` runs them.

    >>> list(rules())[:4]
    ['dates', 'intensity', 'required', 'overlap']
    >>> list(rules())[4:10]
    ['level_fit', 'transitions', 'modality', 'attendance', 'authorizations', 'vocabulary']
    >>> list(rules())[10:]
    ['golden_thread', 'target_dates', 'reviews', 'measures', 'billing', 'safety']
    """
    return _REGISTRY


def validate(
    plan: CarePlan,
    *,
    today: _dt.date | None = None,
    rules: Sequence[str | Rule] | None = None,
    extra_rules: Sequence[Rule] = (),
    policy: CompliancePolicy = _DEFAULT_POLICY,
    max_years: int = MAX_PLAN_YEARS,
    review_policy: ReviewPolicy = CLINIC_REVIEW,
    payer: PayerRules | None = None,
    safety_policy: SafetyPolicy = DEFAULT_SAFETY_POLICY,
) -> Report:
    """Check ``plan`` against its level of care and collect every violation.

    Args:
        plan: The plan to check.
        today: The day to judge from (rules about the past use it); never
            read from the clock.
        rules: Which rules to run, by name (see :func:`careplan.rules`) or
            as functions; default all built-in rules.
        extra_rules: Your own rules, run after ``rules``.
        policy: When attendance and authorizations are flagged (absences,
            weeks below the minimum, reminder days); see
            :class:`careplan.CompliancePolicy`.
        max_years: The longest period accepted, in years (default
            :data:`careplan.MAX_PLAN_YEARS`). A longer plan, or a date
            outside :data:`careplan.EARLIEST_DATE` to
            :data:`careplan.LATEST_DATE` or more than ``max_years`` from the
            period, is reported as a ``limits.*`` error and no rule runs:
            they are checked before the plan is expanded, so work stays
            bounded.
        review_policy: How often the plan of care is reviewed, recertified
            and measured, and who signs it before services (default
            :data:`careplan.CLINIC_REVIEW`; :data:`careplan.MEDICARE_REVIEW`
            for Medicare PHP and IOP).
        payer: A payer rule pack (:data:`careplan.MEDICARE_2024`, your own
            :class:`careplan.PayerRules`): the ``billing`` rule then judges
            which days and weeks the payer will pay; without one it finds
            nothing.
        safety_policy: The thresholds of the suicide-risk rules (default
            :data:`careplan.safety.DEFAULT_SAFETY_POLICY`); the ``safety``
            rule judges the plan's safety records when ``today`` is given.

    Returns:
        The :class:`Report`; it never raises for a bad plan.

    Raises:
        InvalidValueError: A rule name is unknown, or ``max_years`` is not a
            whole number of at least 1.
    """
    registry = _REGISTRY
    chosen: list[Rule] = []
    for rule in rules if rules is not None else list(registry):
        if isinstance(rule, str):
            if rule not in registry:
                raise InvalidValueError(
                    "rules", rule, "is not a rule", f"use one of: {', '.join(registry)}"
                )
            chosen.append(registry[rule])
        else:
            chosen.append(rule)
    chosen += extra_rules
    settings = _Settings(today, policy, review_policy, payer, safety_policy)
    return _run_rules(plan, chosen, max_years, settings).report


class Validated(NamedTuple):
    """What :func:`validated` found, for batch work.

    Attributes:
        report: The report :func:`validate` returns.
        occurrences: The plan's occurrences; ``None`` when a limit stopped
            the expansion.
        context: What the rules were given (its figures, the payer's
            billing days), ``None`` alike.
    """

    report: Report
    occurrences: tuple[Occurrence, ...] | None
    context: RuleContext | None


class _Settings(NamedTuple):
    """What :func:`validate` judges a plan by, besides its rules and limits."""

    today: _dt.date | None
    policy: CompliancePolicy
    review_policy: ReviewPolicy
    payer: PayerRules | None
    safety_policy: SafetyPolicy


def validated(
    plan: CarePlan,
    *,
    today: _dt.date | None = None,
    max_years: int = MAX_PLAN_YEARS,
    payer: PayerRules | None = None,
) -> Validated:
    """:func:`validate` with every built-in rule and the default policies, with the
    plan's occurrences and the rules' context.

    For batch work that also needs the occurrences (the plan is expanded
    once) and the payer's billing days (judged once).
    """
    settings = _Settings(today, _DEFAULT_POLICY, CLINIC_REVIEW, payer, DEFAULT_SAFETY_POLICY)
    return _run_rules(plan, list(_REGISTRY.values()), max_years, settings)


def _run_rules(
    plan: CarePlan, chosen: Sequence[Rule], max_years: int, settings: _Settings
) -> Validated:
    """Run ``chosen`` on ``plan`` once its dates are within the limits."""
    today, policy, review_policy, payer, safety_policy = settings
    beyond = [
        Violation(
            problem.code,
            "error",
            f"{problem.path}: {problem.problem}",
            dates=(problem.day,),
        )
        for problem in limit_problems(plan, max_years)
    ]
    if beyond:
        return Validated(Report(beyond), None, None)
    found_occurrences, regular = occurrences_and_regular(plan)
    context = RuleContext(
        plan,
        None if today is None else require_date("today", today),
        week_figures(plan, found_occurrences, regular),
        found_occurrences,
        policy,
        review_policy,
        payer,
        safety_policy=safety_policy,
    )
    found: list[Violation] = []
    for rule in chosen:
        found.extend(rule(context))
    return Validated(Report(found), found_occurrences, context)
