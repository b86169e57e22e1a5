"""What a validation rule is given, and what a rule is."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs
import pendulum

from careplan._model.billing import BillableDay
from careplan._model.occurrence import Occurrence
from careplan._model.payer import PayerRules
from careplan._model.plan import CarePlan
from careplan._model.policy import CompliancePolicy
from careplan._model.report import Violation
from careplan._model.review import CLINIC_REVIEW, ReviewPolicy
from careplan._model.safety import DEFAULT_SAFETY_POLICY, SafetyPolicy
from careplan._operations.billing import billing
from careplan._operations.weeks import WeekFigures

__all__ = ["Rule", "RuleContext"]


def _billing(context: RuleContext) -> tuple[BillableDay, ...]:
    if context.payer is None:
        return ()
    today = context.today or context.plan.start.subtract(days=1)
    return billing(context.plan, context.payer, today=today, occurrences=context.occurrences)


@attrs.frozen
class RuleContext:
    """What a rule is given: the plan and figures computed once for all rules.

    Attributes:
        plan: The plan under validation.
        today: The day validation is run for, when the caller gave one.
        weeks: Figures for each week of the plan (see :class:`WeekFigures`).
        occurrences: Every occurrence of the plan, including sessions moved
            outside the weeks of their episode.
        policy: The thresholds for attendance and authorization rules.
        review_policy: The cadences of reviews, certification and measures,
            and who signs before services (the plan-of-care rules).
        payer: The payer rules to judge billing by, when the caller gave them.
        billing: Each day of care as :attr:`payer` bills it
            (:func:`careplan.billing`), judged from :attr:`today` (without
            one, every day as scheduled: a forecast); empty without a payer.
            Worked out once, when the context is built, for every rule and
            caller that asks.
        safety_policy: The thresholds of the suicide-risk rules
            (:class:`careplan.safety.SafetyPolicy`).
    """

    plan: CarePlan
    today: pendulum.Date | None
    weeks: tuple[WeekFigures, ...]
    occurrences: tuple[Occurrence, ...] = ()
    policy: CompliancePolicy = attrs.field(factory=CompliancePolicy)
    review_policy: ReviewPolicy = CLINIC_REVIEW
    payer: PayerRules | None = None
    billing: tuple[BillableDay, ...] = attrs.field(
        init=False, eq=False, repr=False, default=attrs.Factory(_billing, takes_self=True)
    )
    safety_policy: SafetyPolicy = attrs.field(default=DEFAULT_SAFETY_POLICY, kw_only=True)

    def billing_days(self) -> tuple[BillableDay, ...]:
        """:attr:`billing`: each day of care as :attr:`payer` bills it."""
        return self.billing


#: A rule: takes the context, yields what it finds.
Rule = Callable[[RuleContext], Iterable[Violation]]
