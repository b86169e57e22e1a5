"""The safety rules' policy: when screening is due, and the windows that follow a positive screen.

A program's written policy sets these (Joint Commission NPSG 15.01.01 asks
for written policies on screening, assessment and follow-up); careplan's
defaults are its choice, not a standard. See
``docs/explanation/safety.md``.
"""

from __future__ import annotations

from typing import Literal

import attrs

from careplan._model.checks import choice, identifier, optional_whole, tuple_converted, whole
from careplan._model.errors import InvalidValueError

__all__ = ["DEFAULT_SAFETY_POLICY", "HighRiskScreening", "ReviewScreening", "SafetyPolicy"]

#: Whether each review of the plan of care is an occasion to screen.
ReviewScreening = Literal["each_review", "off"]
#: Whether, while the latest risk is high, each scheduled session is an occasion to screen.
HighRiskScreening = Literal["each_session", "off"]

# Each number of days and its least value: from that to a year.
_DAYS = (
    ("admission_days", 0),
    ("admission_lookback_days", 0),
    ("review_days", 0),
    ("assessment_days", 0),
    ("contact_days", 1),
    ("fallback_plan_days", 0),
)


def _codes(field: str, value: object, what: str) -> tuple[str, ...]:
    found = tuple_converted(f"SafetyPolicy.{field}", value, identifier, what)
    if not found:
        raise InvalidValueError(f"SafetyPolicy.{field}", found, "is empty", "name one at least")
    return found


def _instruments(value: object) -> tuple[str, ...]:
    return _codes("instruments", value, "instrument codes")


def _contact_kinds(value: object) -> tuple[str, ...]:
    return _codes("contact_kinds", value, "session kind codes")


@attrs.frozen
class SafetyPolicy:
    """The safety rules' thresholds and modes, set by a program's written policy.

    Screening (``safety.screening_due``) is due at admission, then at each
    occasion the policy names: every so many days, each review of the plan
    of care, and each scheduled session while the latest risk is high.

    Attributes:
        admission_days: A first screen is due within this many days of the
            plan's start (0: on the first day).
        admission_lookback_days: A screen dated up to this many days before
            the plan's start (a pre-admission intake) still counts for
            admission; an earlier one belongs to an earlier episode (0: only
            a screen from the start's own day on).
        rescreen_days: At most this many days between screens; ``None``
            turns the cadence off.
        at_reviews: ``"each_review"``: a screen is due at each review of the
            plan of care (each :class:`~careplan.Review` on the plan, and the
            review the plan of care's :class:`~careplan.ReviewPolicy` has
            made due); ``"off"``.
        review_days: A screen dated this many days before a review, up to
            its day, screens for it.
        while_high: ``"each_session"``: while the latest risk is high, a
            screen (or a clinician's assessment) is due on the day of each
            scheduled session; ``"off"``.
        instruments: The validated tools the program screens with, by
            instrument code; a screen with another (a GAD-7) is no
            suicide-risk screen.
        assessment_days: A clinician's risk assessment is due within this
            many days of a positive screen.
        contact_days: After a positive screen, the days within which the
            schedule holds an individual contact.
        contact_kinds: The session kinds that count as that contact.
        fallback_plan_days: When no session follows a screen, the safety
            plan is due this many days after it.
    """

    admission_days: int = 1
    admission_lookback_days: int = 7
    rescreen_days: int | None = 30
    at_reviews: ReviewScreening = "each_review"
    review_days: int = 7
    while_high: HighRiskScreening = "each_session"
    instruments: tuple[str, ...] = attrs.field(default=("C-SSRS", "PHQ-9"), converter=_instruments)
    assessment_days: int = 1
    contact_days: int = 7
    contact_kinds: tuple[str, ...] = attrs.field(
        default=("individual_therapy", "psychiatric"), converter=_contact_kinds
    )
    fallback_plan_days: int = 1

    def __attrs_post_init__(self) -> None:
        for name, least in _DAYS:
            whole(f"SafetyPolicy.{name}", getattr(self, name), least, 366)
        optional_whole("SafetyPolicy.rescreen_days", self.rescreen_days, 1, 366)
        choice("SafetyPolicy.at_reviews", self.at_reviews, ReviewScreening, "a mode")
        choice("SafetyPolicy.while_high", self.while_high, HighRiskScreening, "a mode")

    @property
    def tools(self) -> str:
        """The instruments, for a message: "C-SSRS or PHQ-9"."""
        return " or ".join(self.instruments)


#: The policy :func:`careplan.safety.check_safety` and :func:`careplan.validate` apply by default.
DEFAULT_SAFETY_POLICY = SafetyPolicy()
