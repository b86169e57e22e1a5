"""What a validation rule is given, and what a rule is."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import attrs
import pendulum

from careplan._model.occurrence import Occurrence
from careplan._model.payer import PayerRules
from careplan._model.plan import CarePlan
from careplan._model.policy import CompliancePolicy
from careplan._model.report import Violation
from careplan._model.review import CLINIC_REVIEW, ReviewPolicy
from careplan._operations.billing import BillableDay, billing
from careplan._operations.weeks import WeekFigures

__all__ = ["Rule", "RuleContext"]


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
        occurrence_minutes: ``occurrences[i].minutes`` for each occurrence
            (computed from ``occurrences`` when not given; validation passes
            the figures it has from the expansion).
        occurrence_dates: ``occurrences[i].date`` for each occurrence, alike.
    """

    plan: CarePlan
    today: pendulum.Date | None
    weeks: tuple[WeekFigures, ...]
    occurrences: tuple[Occurrence, ...] = ()
    policy: CompliancePolicy = attrs.field(factory=CompliancePolicy)
    review_policy: ReviewPolicy = CLINIC_REVIEW
    payer: PayerRules | None = None
    occurrence_minutes: tuple[int, ...] = attrs.field(
        default=attrs.Factory(
            lambda context: tuple(o.minutes for o in context.occurrences), takes_self=True
        ),
        eq=False,
        repr=False,
    )
    occurrence_dates: tuple[pendulum.Date, ...] = attrs.field(
        default=attrs.Factory(
            lambda context: tuple(o.date for o in context.occurrences), takes_self=True
        ),
        eq=False,
        repr=False,
    )
    _billing: list[tuple[BillableDay, ...]] = attrs.field(
        factory=list, init=False, eq=False, repr=False
    )

    def billing_days(self) -> tuple[BillableDay, ...]:
        """Each day of care as :attr:`payer` bills it (:func:`careplan.billing`).

        Judged from :attr:`today`; without one, every day as scheduled (a
        forecast). Computed once, for every rule and caller that asks; empty
        without a payer.
        """
        if not self._billing:
            rules = self.payer
            if rules is None:
                self._billing.append(())
            else:
                today = self.today or self.plan.start.subtract(days=1)
                self._billing.append(
                    billing(self.plan, rules, today=today, occurrences=self.occurrences)
                )
        return self._billing[0]


#: A rule: takes the context, yields what it finds.
Rule = Callable[[RuleContext], Iterable[Violation]]
