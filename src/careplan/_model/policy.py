"""The thresholds that validation judges delivered care and authorizations by.

Programs and payers set them differently (one flags three unexcused absences
in four weeks, another two in thirty days), so they are a value the caller
passes to :func:`careplan.validate`. The defaults are careplan's choices,
not published standards.
"""

from __future__ import annotations

import attrs

from careplan._model.checks import whole

__all__ = ["CompliancePolicy"]


def _below_minimum_weeks(value: int) -> int:
    return whole("CompliancePolicy.below_minimum_weeks", value, 1, 520)


def _unexcused_absences(value: int) -> int:
    return whole("CompliancePolicy.unexcused_absences", value, 1, 10_000)


def _absence_window_weeks(value: int) -> int:
    return whole("CompliancePolicy.absence_window_weeks", value, 1, 520)


def _reminder_days(value: int) -> int:
    return whole("CompliancePolicy.authorization_reminder_days", value, 0, 3650)


@attrs.frozen
class CompliancePolicy:
    """When validation flags delivered care and authorizations.

    Weeks and days are bounded by ten years (520 weeks, 3650 days).

    Attributes:
        below_minimum_weeks: Weeks in a row with delivered hours under the
            level's weekly minimum before ``attendance.below_minimum`` is
            raised; also how many short weeks in a row make a pattern of
            weeks below a payer's certified hours (Medicare's 9 and 20 h are
            certification criteria: a single short week is a warning, a
            pattern is a ``billing.week_below_certified_minimum`` error).
        unexcused_absences: How many unexcused absences within
            ``absence_window_weeks`` raise ``attendance.unexcused_absences``.
        absence_window_weeks: The window, in weeks, for
            ``unexcused_absences``.
        authorization_reminder_days: Days before an active authorization
            ends that ``authorization.ending_soon`` appears (when the plan
            goes on and no renewal covers it).

    >>> policy = CompliancePolicy(unexcused_absences=2)
    >>> policy.unexcused_absences, policy.absence_window_weeks
    (2, 4)
    """

    below_minimum_weeks: int = attrs.field(default=2, converter=_below_minimum_weeks)
    unexcused_absences: int = attrs.field(default=3, converter=_unexcused_absences)
    absence_window_weeks: int = attrs.field(default=4, converter=_absence_window_weeks)
    authorization_reminder_days: int = attrs.field(default=14, converter=_reminder_days)
