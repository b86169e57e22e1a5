"""Which days of care a payer will pay, before and after they happen.

:func:`billing` judges every day of a plan against a :class:`PayerRules`
pack: from attendance on and before ``today`` (what was delivered), from the
schedule after it (a forecast, marked as such). :func:`billing_weeks` adds
each week up against the hours the certification requires.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict

import attrs
import pendulum

from careplan._model.attendance import Attendance, Authorization
from careplan._model.occurrence import Occurrence
from careplan._model.payer import BillingCode, LevelRules, PayerRules
from careplan._model.plan import CarePlan
from careplan._model.substance_use import is_substance_use_care
from careplan._model.time import require_date, week_start
from careplan._operations.expansion import occurrences as plan_occurrences

__all__ = ["BillableDay", "BillingWeek", "billable_service", "billing", "billing_weeks"]


@attrs.frozen
class BillableDay:
    """One day of care as a payer sees it.

    Attributes:
        day: The date.
        level: The level code of the day's care.
        services: Billable services delivered (scheduled, for a forecast).
        minutes: Minutes of those services.
        billable: True when the day meets the payer's rules.
        reasons: Why it is not billable (empty when it is), for a biller.
        tier: The payment tier, for a billable day of a payer with tiers.
        codes: The codes the day carries on a claim (when billable).
        forecast: True when judged from the schedule (after ``today``),
            not from attendance.
    """

    day: pendulum.Date
    level: str
    services: int
    minutes: int
    billable: bool
    reasons: tuple[str, ...] = ()
    tier: str | None = None
    codes: tuple[BillingCode, ...] = ()
    forecast: bool = False


@attrs.frozen
class BillingWeek:
    """A Monday-to-Sunday week of billing against the certification's weekly hours.

    Attributes:
        monday: The week's Monday.
        level: The level code of most of the week's days.
        billable_days: Days the payer will pay.
        hours: Hours of billable services (delivered, or scheduled when
            forecast), on every day of the week.
        certified_minimum: The weekly hours the certification requires, if any.
        forecast: True when any day of the week is a forecast.
        full: True when all seven days are inside the plan.
    """

    monday: pendulum.Date
    level: str
    billable_days: int
    hours: float
    certified_minimum: float | None
    forecast: bool
    full: bool

    @property
    def meets_minimum(self) -> bool | None:
        """Whether the week reaches the certified hours (``None``: no minimum)."""
        if self.certified_minimum is None:
            return None
        return self.hours >= self.certified_minimum - 1e-9


def billable_service(rules: LevelRules, occurrence: Occurrence) -> bool:
    """True when ``occurrence`` is a service ``rules`` can bill: its kind and modality."""
    session = occurrence.session
    if session.kind.code not in rules.billable_kinds:
        return False
    return rules.virtual == "counts" or not session.modality.is_virtual


def billing(
    plan: CarePlan,
    rules: PayerRules,
    *,
    today: _dt.date,
    occurrences: tuple[Occurrence, ...] | None = None,
) -> tuple[BillableDay, ...]:
    """Every day of ``plan`` with care, as ``rules`` would bill it, first to last.

    On and before ``today`` a session is a service when the client was there
    (on time, late or leaving early) and counts the minutes they received;
    after ``today`` the schedule is the forecast. A session the program
    cancelled is not care at all. ``occurrences`` are the plan's own, when
    the caller has them already.

    >>> import pendulum
    >>> from careplan import MEDICARE_2024
    >>> from careplan.demo import sample_plan
    >>> first = billing(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))[0]
    >>> first.day, first.services, first.billable, first.tier, first.forecast
    (Date(2027, 1, 4), 3, True, '3 services', True)
    >>> [code.code for code in first.codes]
    ['0906', '92']
    """
    until = require_date("today", today)
    records = {record.key: record for record in plan.attendance}
    episodes = plan.episodes
    by_day: dict[pendulum.Date, list[Occurrence]] = defaultdict(list)
    for occurrence in plan_occurrences(plan) if occurrences is None else occurrences:
        record = records.get(occurrence.key)
        if record is not None and record.status == "cancelled_by_program":
            continue
        by_day[occurrence.date].append(occurrence)
    substance_use = is_substance_use_care(plan)
    found = []
    for day in sorted(by_day):
        items = by_day[day]
        level = episodes[items[0].episode].level.code
        found.append(_day(day, level, items, records, rules, until, substance_use))
    return tuple(found)


def _day(
    day: pendulum.Date,
    level: str,
    items: list[Occurrence],
    records: dict[tuple[str, pendulum.Date], Attendance],
    rules: PayerRules,
    today: pendulum.Date,
    substance_use: bool,
) -> BillableDay:
    forecast = day > today
    level_rules = rules.for_level(level)
    name = f"{rules.name} ({rules.version})"
    if level_rules is None:
        return BillableDay(
            day, level, 0, 0, False, (f"{name} does not pay {level} care",), forecast=forecast
        )
    services = minutes = unrecorded = excluded_virtual = 0
    for occurrence in items:
        if not billable_service(level_rules, occurrence):
            is_service = occurrence.session.kind.code in level_rules.billable_kinds
            excluded_virtual += is_service
            continue
        if forecast:
            services += 1
            minutes += occurrence.minutes
            continue
        record = records.get(occurrence.key)
        if record is None:
            unrecorded += 1
        elif record.present:
            services += 1
            minutes += record.delivered_minutes(occurrence)
    reasons = []
    if not rules.in_force(day):
        reasons.append(f"{name} is not in force on {day}")
    if services < level_rules.min_services:
        reasons.append(
            f"{services} billable service(s), {name} needs {level_rules.min_services} a day"
        )
    if minutes < level_rules.min_minutes:
        reasons.append(
            f"{minutes} minutes of billable services, {name} needs {level_rules.min_minutes}"
        )
    if reasons and excluded_virtual:
        reasons.append(f"{excluded_virtual} virtual session(s) do not count for {name}")
    if reasons and unrecorded:
        reasons.append(f"{unrecorded} session(s) have no attendance record yet")
    if reasons:
        return BillableDay(day, level, services, minutes, False, tuple(reasons), forecast=forecast)
    tier = level_rules.tier(services)
    codes = tuple(c for c in level_rules.codes if c.applies(substance_use))
    if tier is not None:
        codes += tuple(c for c in tier.codes if c.applies(substance_use))
    return BillableDay(
        day,
        level,
        services,
        minutes,
        True,
        tier=None if tier is None else tier.name,
        codes=codes,
        forecast=forecast,
    )


def billing_weeks(plan: CarePlan, rules: PayerRules, *, today: _dt.date) -> tuple[BillingWeek, ...]:
    """Each week's billable days and service hours against the certified minimum.

    The sample plan's Thursday is virtual, which Medicare's intensive
    outpatient benefit does not pay, so its first week falls short:

    >>> import pendulum
    >>> from careplan import MEDICARE_2024
    >>> from careplan.demo import sample_plan
    >>> week = billing_weeks(sample_plan(), MEDICARE_2024, today=pendulum.date(2027, 1, 3))[0]
    >>> week.billable_days, round(week.hours, 1), week.certified_minimum, week.meets_minimum
    (2, 6.3, 9, False)
    """
    weeks: dict[pendulum.Date, list[BillableDay]] = defaultdict(list)
    for day in billing(plan, rules, today=today):
        weeks[week_start(day.day)].append(day)
    found = []
    for monday in sorted(weeks):
        days = weeks[monday]
        minutes: dict[str, int] = defaultdict(int)
        for day in days:
            minutes[day.level] += day.minutes
        level = max(minutes, key=lambda code: minutes[code])
        level_rules = rules.for_level(level)
        sunday = monday.add(days=6)
        found.append(
            BillingWeek(
                monday,
                level,
                sum(day.billable for day in days),
                sum(minutes.values()) / 60,
                None if level_rules is None else level_rules.min_hours_per_week,
                any(day.forecast for day in days),
                plan.start <= monday and sunday <= plan.end,
            )
        )
    return tuple(found)


@attrs.frozen
class AuthorizationBilling:
    """A days authorization against the billable days that use it.

    Attributes:
        authorization: The authorization.
        used: Billable days delivered under it (on or before ``today``).
        forecast: Billable days scheduled under it after ``today``.
        runs_out_on: The first billable day its units no longer cover, or
            ``None`` when they last.
    """

    authorization: Authorization
    used: int
    forecast: int
    runs_out_on: pendulum.Date | None


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
