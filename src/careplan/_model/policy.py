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

    below_minimum_weeks: int = 2
    unexcused_absences: int = 3
    absence_window_weeks: int = 4
    authorization_reminder_days: int = 14

    def __attrs_post_init__(self) -> None:
        whole("CompliancePolicy.below_minimum_weeks", self.below_minimum_weeks, 1, 520)
        whole("CompliancePolicy.unexcused_absences", self.unexcused_absences, 1, 10_000)
        whole("CompliancePolicy.absence_window_weeks", self.absence_window_weeks, 1, 520)
        whole(
            "CompliancePolicy.authorization_reminder_days",
            self.authorization_reminder_days,
            0,
            3650,
        )
