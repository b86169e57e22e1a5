"""The safety rules' policy: when screening is due, and the windows that follow a positive screen.

A program's written policy sets these (Joint Commission NPSG 15.01.01 asks
for written policies on screening, assessment and follow-up); careplan's
defaults are its choice, not a standard. See
``docs/explanation/safety.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import attrs

from careplan._model.checks import choice, identifier, tuple_converted, whole
from careplan._model.errors import InvalidValueError

__all__ = ["DEFAULT_SAFETY_POLICY", "HighRiskScreening", "ReviewScreening", "SafetyPolicy"]

#: Whether each review of the plan of care is an occasion to screen.
ReviewScreening = Literal["each_review", "off"]
#: Whether, while the latest risk is high, each scheduled session is an occasion to screen.
HighRiskScreening = Literal["each_session", "off"]

_Check = Callable[[object, "attrs.Attribute[Any]", Any], None]


def _days(least: int, *, optional: bool = False) -> _Check:
    """A validator of a number of days, from ``least`` to a year, named by its field."""

    def check(_: object, field: attrs.Attribute[Any], value: object) -> None:
        if not (optional and value is None):
            whole(f"SafetyPolicy.{field.name}", value, least, 366)

    return check


def _mode(modes: object) -> _Check:
    """A validator of one of the ``Literal`` alias ``modes``, named by its field."""

    def check(_: object, field: attrs.Attribute[Any], value: object) -> None:
        choice(f"SafetyPolicy.{field.name}", value, modes, "a mode")

    return check


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

    admission_days: int = attrs.field(default=1, validator=_days(0))
    rescreen_days: int | None = attrs.field(default=30, validator=_days(1, optional=True))
    at_reviews: ReviewScreening = attrs.field(
        default="each_review", validator=_mode(ReviewScreening)
    )
    review_days: int = attrs.field(default=7, validator=_days(0))
    while_high: HighRiskScreening = attrs.field(
        default="each_session", validator=_mode(HighRiskScreening)
    )
    instruments: tuple[str, ...] = attrs.field(default=("C-SSRS", "PHQ-9"), converter=_instruments)
    assessment_days: int = attrs.field(default=1, validator=_days(0))
    contact_days: int = attrs.field(default=7, validator=_days(1))
    contact_kinds: tuple[str, ...] = attrs.field(
        default=("individual_therapy", "psychiatric"), converter=_contact_kinds
    )
    fallback_plan_days: int = attrs.field(default=1, validator=_days(0))

    @property
    def tools(self) -> str:
        """The instruments, for a message: "C-SSRS or PHQ-9"."""
        return " or ".join(self.instruments)


#: The policy :func:`careplan.safety.check_safety` and :func:`careplan.validate` apply by default.
DEFAULT_SAFETY_POLICY = SafetyPolicy()
