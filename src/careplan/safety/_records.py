"""What a clinician records after a screen: a risk assessment and a safety plan."""

from __future__ import annotations

from typing import get_args

import attrs
import pendulum

from careplan._model.care import CareRole
from careplan._model.checks import (
    date,
    hidden,
    identifier,
    instance,
    optional_date,
    shape_repr,
    shown,
    text,
    tuple_converted,
)
from careplan._model.errors import InvalidValueError
from careplan.safety._screens import CSSRSScreen, ItemAnswers, RiskLevel, Screen, risk_level

__all__ = ["RiskAssessment", "SafetyPlan", "SafetyRecord"]


def _role(value: object) -> CareRole:
    for role in get_args(CareRole):
        if value == role:
            return role  # type: ignore[no-any-return]
    raise InvalidValueError(
        "RiskAssessment.role", shown(value), "is not a care role",
        "use one of: " + ", ".join(get_args(CareRole)),
    )  # fmt: skip


def _assessed_on(value: object) -> pendulum.Date:
    return date("RiskAssessment.on", value)


def _level(value: object) -> RiskLevel:
    return risk_level("RiskAssessment.level", value)


def _method(value: object) -> str:
    return identifier("RiskAssessment.method", value)


def _next_screening(value: object) -> pendulum.Date | None:
    return optional_date("RiskAssessment.next_screening", value)


def _note(value: object) -> str:
    return text("RiskAssessment.note", value, multiline=True)


def _written_on(value: object) -> pendulum.Date:
    return date("SafetyPlan.on", value)


def _client_signed(value: object) -> pendulum.Date | None:
    return optional_date("SafetyPlan.client_signed", value)


def _clinician_signed(value: object) -> pendulum.Date | None:
    return optional_date("SafetyPlan.clinician_signed", value)


def _reviewed(value: object) -> tuple[pendulum.Date, ...]:
    return tuple(sorted(tuple_converted("SafetyPlan.reviewed", value, date, "dates")))


def _warning_signs(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPlan.warning_signs", value, text, "texts")


def _coping_strategies(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPlan.coping_strategies", value, text, "texts")


def _distractions(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPlan.distractions", value, text, "texts")


def _people_to_ask(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPlan.people_to_ask", value, text, "texts")


def _professionals(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPlan.professionals", value, text, "texts")


def _safe_environment(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPlan.safe_environment", value, text, "texts")


def _reasons_for_living(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPlan.reasons_for_living", value, text, "texts")


#: The sections of a safety plan, in the intervention's order.
_SECTIONS = (
    "warning_signs",
    "coping_strategies",
    "distractions",
    "people_to_ask",
    "professionals",
    "safe_environment",
    "reasons_for_living",
)


@attrs.frozen(repr=False)
class RiskAssessment:
    """A clinician's suicide-risk assessment.

    Attributes:
        on: The day of the assessment.
        role: Who assessed (a care role: "psychiatrist", "therapist", …).
        level: The risk level found.
        method: How it was assessed, as a code ("clinical_interview",
            "cssrs_full", …).
        next_screening: When to screen again, if set.
        note: Free text; private (never in a repr, a message or a calendar).
    """

    on: pendulum.Date = attrs.field(converter=_assessed_on)
    role: CareRole = attrs.field(converter=_role)
    level: RiskLevel = attrs.field(converter=_level)
    method: str = attrs.field(default="clinical_interview", converter=_method)
    next_screening: pendulum.Date | None = attrs.field(default=None, converter=_next_screening)
    note: str = attrs.field(default="", converter=_note)

    def __repr__(self) -> str:
        return shape_repr(
            "RiskAssessment", on=self.on, role=self.role, level=self.level, note=hidden(self.note)
        )


@attrs.frozen(repr=False)
class SafetyPlan:
    """A safety plan in the structure of the safety planning intervention (Stanley and Brown).

    Only the structure is modelled; every entry is the client's own words
    and private. Crisis lines are entries like the others (in the US, the
    988 Suicide & Crisis Lifeline).

    Attributes:
        on: The day it was written.
        warning_signs: Signs that a crisis may be coming.
        coping_strategies: What the client can do alone.
        distractions: People and social settings that distract.
        people_to_ask: People to ask for help.
        professionals: Professionals and agencies to contact in a crisis,
            crisis lines included.
        safe_environment: Steps that make the environment safe (lethal means).
        reasons_for_living: The client's reasons for living.
        client_signed: When the client signed it, if they did.
        clinician_signed: When the clinician signed it, if they did.
        reviewed: The days it was reviewed with the client.
    """

    on: pendulum.Date = attrs.field(converter=_written_on)
    warning_signs: tuple[str, ...] = attrs.field(default=(), converter=_warning_signs)
    coping_strategies: tuple[str, ...] = attrs.field(default=(), converter=_coping_strategies)
    distractions: tuple[str, ...] = attrs.field(default=(), converter=_distractions)
    people_to_ask: tuple[str, ...] = attrs.field(default=(), converter=_people_to_ask)
    professionals: tuple[str, ...] = attrs.field(default=(), converter=_professionals)
    safe_environment: tuple[str, ...] = attrs.field(default=(), converter=_safe_environment)
    reasons_for_living: tuple[str, ...] = attrs.field(default=(), converter=_reasons_for_living)
    client_signed: pendulum.Date | None = attrs.field(default=None, converter=_client_signed)
    clinician_signed: pendulum.Date | None = attrs.field(default=None, converter=_clinician_signed)
    reviewed: tuple[pendulum.Date, ...] = attrs.field(default=(), converter=_reviewed)

    def __repr__(self) -> str:
        return shape_repr(
            "SafetyPlan",
            on=self.on,
            sections=sum(1 for name in _SECTIONS if getattr(self, name)),
            reviewed=len(self.reviewed),
        )  # fmt: skip

    def current_on(self, day: pendulum.Date) -> bool:
        """True when written or reviewed on ``day`` or later."""
        return self.on >= day or any(r >= day for r in self.reviewed)


def _screen(field: str, value: object) -> Screen:
    if not isinstance(value, (ItemAnswers, CSSRSScreen)):
        raise InvalidValueError(
            field, shown(value), "is not a screen", "use ItemAnswers(...) or CSSRSScreen(...)"
        )
    return value


def _day(record: Screen | RiskAssessment | SafetyPlan) -> pendulum.Date:
    return record.on


def _screens(value: object) -> tuple[Screen, ...]:
    return tuple(
        sorted(tuple_converted("SafetyRecord.screens", value, _screen, "screens"), key=_day)
    )


def _assessment(field: str, value: object) -> RiskAssessment:
    return instance(field, value, RiskAssessment)


def _assessments(value: object) -> tuple[RiskAssessment, ...]:
    found = tuple_converted("SafetyRecord.assessments", value, _assessment, "RiskAssessment values")
    return tuple(sorted(found, key=_day))


def _safety_plan(field: str, value: object) -> SafetyPlan:
    return instance(field, value, SafetyPlan)


def _plans(value: object) -> tuple[SafetyPlan, ...]:
    return tuple(
        sorted(
            tuple_converted("SafetyRecord.plans", value, _safety_plan, "SafetyPlan values"),
            key=_day,
        )
    )


@attrs.frozen
class SafetyRecord:
    """A client's screens, risk assessments and safety plans, each kept in date order.

    Attributes:
        screens: PHQ-9 (or other questionnaires) by item, and C-SSRS screens.
        assessments: Clinicians' risk assessments.
        plans: Safety plans.
    """

    screens: tuple[Screen, ...] = attrs.field(default=(), converter=_screens)
    assessments: tuple[RiskAssessment, ...] = attrs.field(default=(), converter=_assessments)
    plans: tuple[SafetyPlan, ...] = attrs.field(default=(), converter=_plans)
