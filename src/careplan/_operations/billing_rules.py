"""The payer rules, as validation rules: they run when ``validate`` is given a pack.

A day the schedule cannot bill is an error before the week happens; weeks
below the certified hours, and authorizations that billable days will use
up, are found the same way. Without a pack these rules find nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pendulum

from careplan._model.billing import BillableDay
from careplan._model.payer import PayerRules
from careplan._model.report import Severity, Violation
from careplan._model.review import ReviewPolicy
from careplan._operations.billing_totals import authorization_billing, billable_hours, days_by_week
from careplan._operations.context import RuleContext
from careplan._operations.reviews import check_certification, next_review

__all__ = ["CODES", "check_billing"]

#: The codes these rules report, with their severities.
CODES: dict[str, tuple[Severity, ...]] = {
    "billing.not_billable_as_scheduled": ("error", "warning"),
    "billing.week_below_certified_minimum": ("error", "warning"),
    "billing.authorization_runs_out": ("warning",),
    "billing.outside_effective_dates": ("warning",),
}


def _dates(days: list[pendulum.Date]) -> str:
    shown = ", ".join(day.isoformat() for day in days[:3])
    return shown + (f" and {len(days) - 3} more" if len(days) > 3 else "")


def check_billing(context: RuleContext) -> Iterator[Violation]:
    """Days, weeks and authorizations judged by the payer pack given to ``validate``."""
    rules = context.payer
    if rules is None:
        return
    plan = context.plan
    # Without a "today", every day is judged as scheduled: a forecast.
    today = context.today or plan.start.subtract(days=1)
    days = context.billing_days()
    name = f"{rules.name} ({rules.version})"
    yield from _short_days(context, days, name)
    yield from _short_weeks(context, days, name)
    yield from _authorizations(context, rules, days, today)
    yield from _certification(context, rules)
    outside = [d.day for d in days if not rules.in_force(d.day)]
    if outside:
        yield Violation(
            "billing.outside_effective_dates",
            "warning",
            f"{_dates(outside)}: {name} is not in force on these days; use the pack for their year",
            dates=outside,
        )


def _changed_days(context: RuleContext) -> set[pendulum.Date]:
    """Days a cancellation or a move touches: a day they make short is a warning,
    not an error, as the schedule itself is sound."""
    plan = context.plan
    changed = {c.on for c in plan.cancellations}
    changed |= {r.on for r in plan.reschedules} | {r.start.date() for r in plan.reschedules}
    return changed


def _short_days(
    context: RuleContext, days: tuple[BillableDay, ...], name: str
) -> Iterator[Violation]:
    rules = context.payer
    assert rules is not None
    changed = _changed_days(context)
    # Days are grouped by their own reason, each group said once.
    by_reason: dict[tuple[Severity, str], list[BillableDay]] = defaultdict(list)
    for day in days:
        if day.billable or not day.forecast:
            continue
        if rules.for_level(day.level) is None or not rules.in_force(day.day):
            continue  # not this payer's care, or another year's pack: said elsewhere
        reasons = day.reasons if day.certified else day.reasons[:-1]
        if not reasons:
            continue  # only the certification: review.certification_lapsed says so
        severity: Severity = "warning" if day.day in changed else "error"
        by_reason[severity, "; ".join(reasons)].append(day)
    for (severity, why), found in by_reason.items():
        yield Violation(
            "billing.not_billable_as_scheduled",
            severity,
            f"{_dates([d.day for d in found])}: as scheduled, not billable ({why}); "
            "add billable services to these days or change the schedule before they happen",
            dates=[d.day for d in found],
        )


def _short_weeks(
    context: RuleContext, days: tuple[BillableDay, ...], name: str
) -> Iterator[Violation]:
    rules = context.payer
    assert rules is not None
    short: dict[Severity, list[pendulum.Date]] = defaultdict(list)
    short_weeks: list[pendulum.Date] = []
    plan = context.plan
    last_monday = plan.end.subtract(days=6)
    for monday, found in days_by_week(days).items():
        if not plan.start <= monday <= last_monday:
            continue
        level_rules = rules.for_level(found[0].level)
        if level_rules is None or level_rules.min_hours_per_week is None:
            continue
        if billable_hours(found) < level_rules.min_hours_per_week - 1e-9:
            short_weeks.append(monday)
    # The weekly hours are a certification criterion about the need for
    # services, not a condition of each week's payment (clinical-rules.md,
    # Medicare): a short week alone (a holiday, an illness) is a warning, and
    # a run of them as long as the policy's below_minimum_weeks is a pattern.
    pattern = context.policy.below_minimum_weeks
    runs: list[list[pendulum.Date]] = []
    for monday in short_weeks:
        if runs and monday.toordinal() - runs[-1][-1].toordinal() == 7:
            runs[-1].append(monday)
        else:
            runs.append([monday])
    for run in runs:
        short["error" if len(run) >= pattern else "warning"].extend(run)
    for severity, mondays in short.items():
        if severity == "error":
            advice = (
                f"{pattern} or more weeks in a row, a pattern that questions the need the "
                "physician certified; schedule more billable services (in person where the "
                "payer excludes virtual ones) or review the certification"
            )
        else:
            advice = (
                "a single short week (a holiday, an illness) is expected: the hours are a "
                "certification criterion, not a condition of each week's payment; make the "
                "time up or note why"
            )
        yield Violation(
            "billing.week_below_certified_minimum",
            severity,
            f"Weeks of {_dates(mondays)}: the billable services fall short of the weekly "
            f"hours {name} certifies this level for, {advice}",
            dates=mondays,
        )


def _certification(context: RuleContext, rules: PayerRules) -> Iterator[Violation]:
    """The pack's recertification cadences, judged as the review rules judge a policy's.

    A plan must record its physician's certifications (signatures, see
    :class:`careplan.Signature`) to be judged; a plan without a plan of care
    is not.
    """
    plan, today = context.plan, context.today
    if today is None or plan.plan_of_care.empty:
        return
    # Levels the review policy already certifies on the same cadence are
    # judged by the review rules; say each lapse once.
    cadences = {
        code: level.recertification
        for level in rules.levels
        if level.recertification is not None
        for code in level.levels
        if context.review_policy.certification_cadence(code) != level.recertification
    }
    if cadences:
        policy = ReviewPolicy(f"{rules.name} ({rules.version})", certifications=cadences)
        yield from check_certification(plan, today, policy)


def _authorizations(
    context: RuleContext, rules: PayerRules, days: tuple[BillableDay, ...], today: pendulum.Date
) -> Iterator[Violation]:
    """Days authorizations that billable days use up before the plan's next review.

    The review is where a team asks the payer for more; without a review
    cadence for the level, any authorization that runs out while care goes
    on is reported.
    """
    review = None
    if not context.plan.plan_of_care.empty:
        found = next_review(context.plan, context.review_policy)
        review = None if found is None else found[0]
    for use in authorization_billing(context.plan, rules, today=today, days=days):
        runs_out = use.runs_out_on
        if runs_out is None:
            continue
        if review is not None and runs_out > review:
            continue  # the review comes first: the team asks for more units there
        auth = use.authorization
        before = "" if review is None else f", before the plan's review due on {review}"
        yield Violation(
            "billing.authorization_runs_out",
            "warning",
            f"The {auth.level} authorization covers {auth.units} days; billable days "
            f"(delivered and scheduled) use them up, and care from {runs_out} is not "
            f"covered{before}; request more units before then",
            dates=(runs_out,),
        )
