"""The records of a payer's billing: service lines, billable days, weeks, claims.

What :func:`careplan.billing` and the functions built on it return: frozen
values, split from the operations that make them
(:mod:`careplan._operations.billing` and
:mod:`careplan._operations.billing_totals`), as the validation report is
from validation.
"""

from __future__ import annotations

import attrs
import pendulum

from careplan._model.attendance import Authorization
from careplan._model.payer import BillingCode

__all__ = ["AuthorizationBilling", "BillableDay", "BillingWeek", "ClaimLine", "ServiceLine"]


@attrs.frozen
class ServiceLine:
    """One delivered (or, after ``today``, scheduled) session as a payer's service line.

    Attributes:
        day: The date of service.
        session_id: The session's id.
        kind: The session kind's code.
        level: The level code of the day's care.
        minutes: Minutes delivered (scheduled, for a forecast).
        rendering_role: Who rendered it (see :func:`rendering_role`).
        revenue: The line's revenue code, if the pack codes the kind.
        hcpcs: The line's HCPCS/CPT code, if the pack codes the kind.
        modifiers: The line's modifiers (the code's, and telehealth ones for
            a virtual session).
        units: Units billed, by the code's unit rule (one a session without
            a code).
        place_of_service: The place of service, if the pack gives one.
        per_diem: True when the service counts toward the day's per diem
            (a qualifying service).
        tier: The per diem tier it counts toward, on a billable day with tiers.
        billable: True when the line is paid (as part of a billable day).
        reason: Why it is not billable, or does not count (``None`` when it
            is billable).
        forecast: True when judged from the schedule (after ``today``).
    """

    day: pendulum.Date
    session_id: str
    kind: str
    level: str
    minutes: int
    rendering_role: str
    revenue: str | None
    hcpcs: str | None
    modifiers: tuple[str, ...]
    units: int
    place_of_service: str | None
    per_diem: bool
    tier: str | None
    billable: bool
    reason: str | None
    forecast: bool


@attrs.frozen
class BillableDay:
    """One day of care as a payer sees it.

    Attributes:
        day: The date.
        level: The level code of the day's care.
        services: Qualifying services delivered (scheduled, for a forecast):
            the lines that count toward the per diem.
        minutes: Minutes of those services.
        billable: True when the day meets the payer's rules.
        reasons: Why it is not billable (empty when it is), for a biller.
        tier: The payment tier, for a billable day of a payer with tiers.
        codes: The codes the day carries on a claim (when billable).
        forecast: True when judged from the schedule (after ``today``),
            not from attendance.
        lines: The day's service lines.
        certified: False when the day falls in a lapse of the physician's
            certification the pack asks for.
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
    lines: tuple[ServiceLine, ...] = ()
    certified: bool = True


@attrs.frozen
class BillingWeek:
    """A Monday-to-Sunday week of billing against the certification's weekly hours.

    Attributes:
        monday: The week's Monday.
        level: The level code of most of the week's days.
        billable_days: Days the payer will pay.
        hours: Hours of qualifying services on billable days (delivered, or
            scheduled when forecast): what can be billed.
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


@attrs.frozen
class ClaimLine:
    """One line of a week's institutional claim: what a biller keys, as data (not EDI).

    Attributes:
        week: The Monday of the claim's week (its statement period starts here).
        level: The level code the claim is for.
        type_of_bill: The pack's type of bill, if any.
        condition_codes: The claim's condition codes (41 PHP, 92 IOP).
        day: The line's date of service.
        revenue: The line's revenue code.
        hcpcs: The line's HCPCS/CPT code.
        modifiers: The line's modifiers.
        units: Its units.
        per_diem: True for a per diem day line (the payer pays the day by
            a day code); False for a service line.
        session_id: The session of a service line (``None`` on a day line).
        rendering_role: Who rendered a service line.
        forecast: True when judged from the schedule.
    """

    week: pendulum.Date
    level: str
    type_of_bill: str | None
    condition_codes: tuple[str, ...]
    day: pendulum.Date
    revenue: str | None
    hcpcs: str | None
    modifiers: tuple[str, ...]
    units: int
    per_diem: bool
    session_id: str | None
    rendering_role: str | None
    forecast: bool


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
