"""What a plan's billable days add up to: by week, and against authorizations.

From :func:`~careplan._operations.billing.billing`'s days,
:func:`billing_weeks` adds each week up against the hours the certification
requires, and :func:`authorization_billing` uses up each days authorization
with the billable days it covers.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterable

import pendulum

from careplan._model.billing import AuthorizationBilling, BillableDay, BillingWeek
from careplan._model.payer import PayerRules
from careplan._model.plan import CarePlan
from careplan._model.time import week_start
from careplan._operations.billing import billing

__all__ = ["authorization_billing", "billable_hours", "billing_weeks"]


def billable_hours(days: tuple[BillableDay, ...] | list[BillableDay]) -> float:
    """Hours of qualifying services on the billable ones of ``days``."""
    return sum(day.minutes for day in days if day.billable) / 60


def days_by_week(days: Iterable[BillableDay]) -> dict[pendulum.Date, list[BillableDay]]:
    """``days`` by the Monday of their week, first week first."""
    weeks: dict[int, list[BillableDay]] = defaultdict(list)
    for day in days:
        weeks[day.day.toordinal() - day.day.weekday()].append(day)
    return {week_start(found[0].day): found for _, found in sorted(weeks.items())}


def billing_weeks(plan: CarePlan, rules: PayerRules, *, today: _dt.date) -> tuple[BillingWeek, ...]:
    """Each week's billable days and billable service hours against the certified minimum.

    Only qualifying services on billable days count: a week with no billable
    day has no billable hours, whatever was scheduled. The sample plan's
    Thursday is virtual, which Medicare's intensive outpatient benefit does
    not pay, and its Tuesday has two services besides the psychiatrist's
    medication check (billed separately), so its first week has one billable
    day and falls short:

    >>> import pendulum
    >>> from careplan import MEDICARE_2024
    >>> from careplan.demo import sample_plan
    >>> week = billing_weeks(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))[0]
    >>> week.billable_days, round(week.hours, 1), week.certified_minimum, week.meets_minimum
    (1, 3.3, 9, False)
    """
    weeks = days_by_week(billing(plan, rules, today=today))
    last_monday = plan.end.subtract(days=6)
    found = []
    for monday, days in weeks.items():
        minutes: dict[str, int] = defaultdict(int)
        for day in days:
            minutes[day.level] += day.minutes
        level = max(minutes, key=lambda code: minutes[code])
        level_rules = rules.for_level(level)
        found.append(
            BillingWeek(
                monday,
                level,
                sum(day.billable for day in days),
                billable_hours(days),
                None if level_rules is None else level_rules.min_hours_per_week,
                any(day.forecast for day in days),
                plan.start <= monday <= last_monday,
            )
        )
    return tuple(found)


def authorization_billing(
    plan: CarePlan,
    rules: PayerRules,
    *,
    today: _dt.date,
    days: tuple[BillableDay, ...] | None = None,
) -> tuple[AuthorizationBilling, ...]:
    """Each active days authorization of ``plan``, used up by billable days.

    A payer counts a unit per billable day; days scheduled after ``today``
    are counted as they are forecast. ``days`` are :func:`billing`'s, when
    the caller has them already.

    >>> import attrs, pendulum
    >>> from careplan import Authorization, COMMERCIAL
    >>> from careplan.demo import sample_plan
    >>> plan = sample_plan()
    >>> plan = attrs.evolve(plan, authorizations=[Authorization("IOP", plan.start, plan.end, 12)])
    >>> (use,) = authorization_billing(plan, COMMERCIAL, today=pendulum.date(2027, 1, 3))
    >>> use.used, use.forecast, use.runs_out_on
    (0, 16, Date(2027, 3, 8))
    """
    found = billing(plan, rules, today=today) if days is None else days
    result = []
    for auth in plan.authorizations:
        if auth.status != "active" or auth.unit != "days":
            continue
        billable = [d for d in found if d.billable and auth.covers(d.level, d.day)]
        result.append(
            AuthorizationBilling(
                auth,
                sum(not d.forecast for d in billable),
                sum(d.forecast for d in billable),
                billable[auth.units].day if len(billable) > auth.units else None,
            )
        )
    return tuple(result)
