"""The plan's suicide-risk records as FHIR resources, written only when asked for.

A questionnaire answered item by item is an ``Observation`` whose value is
the total and whose components are the items' answers, each coded with its
LOINC code; a C-SSRS Screener is an ``Observation`` whose components are
its questions' answers and whose value is the published triage; a
clinician's assessment is a ``RiskAssessment`` whose qualitative risk is
coded in HL7's risk-probability code system. The same resources are valid
R4 and R5. Notes and safety plans are not written; nor are these
Observations coded with careplan's instrument system, so reading a Bundle
back never takes them for the plan's measurements.
"""

from __future__ import annotations

from typing import Any

from careplan._model.errors import InvalidValueError
from careplan._model.plan import CarePlan
from careplan._model.safety import CSSRSScreen, ItemAnswers, RiskAssessment, RiskLevel
from careplan.fhir._codes import LOINC, SURVEY_CATEGORY, resource_id, score_quantity

__all__ = ["RISK_PROBABILITY", "safety_resources"]

#: HL7's code system of qualitative risk (RiskAssessment.prediction.qualitativeRisk).
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
# careplan's "none" is the code system's "negligible".
_RISK_CODES: dict[RiskLevel, tuple[str, str]] = {
    "none": ("negligible", "Negligible likelihood"),
    "low": ("low", "Low likelihood"),
    "moderate": ("moderate", "Moderate likelihood"),
    "high": ("high", "High likelihood"),
}
_CSSRS_QUESTIONS = (
    ("wish_to_be_dead", "C-SSRS screener question 1: wish to be dead"),
    ("suicidal_thoughts", "C-SSRS screener question 2: suicidal thoughts"),
    ("method", "C-SSRS screener question 3: thoughts with a method"),
    ("intent", "C-SSRS screener question 4: intent"),
    ("plan", "C-SSRS screener question 5: plan"),
    ("behavior", "C-SSRS screener question 6: suicidal behavior, lifetime"),
    ("behavior_past_3_months", "C-SSRS screener question 6: within the past three months"),
)


def _risk(level: RiskLevel) -> dict[str, Any]:
    code, display = _RISK_CODES[level]
    return {"coding": [{"system": RISK_PROBABILITY, "code": code, "display": display}]}


def _instrument_code(plan: CarePlan, instrument: str) -> dict[str, Any]:
    try:
        known = plan.instrument(instrument)
    except InvalidValueError:
        return {"text": instrument}
    coding = [] if known.loinc is None else [{"system": LOINC, "code": known.loinc}]
    return {"coding": coding, "text": known.name} if coding else {"text": known.name}


def _item_answers(
    plan: CarePlan, index: int, answers: ItemAnswers, subject: dict[str, str]
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": resource_id(plan, "screen", index),
        "status": "final",
        "category": [SURVEY_CATEGORY],
        "code": _instrument_code(plan, answers.instrument),
        "subject": subject,
        "effectiveDateTime": answers.on.isoformat(),
        "valueQuantity": score_quantity(answers.total),
        "component": [
            {
                "code": {
                    "coding": [{"system": LOINC, "code": item.loinc}],
                    "text": f"{answers.instrument} item {item.number}",
                },
                "valueInteger": answer,
            }
            for item, answer in zip(answers.questionnaire.items, answers.answers, strict=True)
        ],
    }


def _cssrs(
    plan: CarePlan, index: int, screen: CSSRSScreen, subject: dict[str, str]
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": resource_id(plan, "screen", index),
        "status": "final",
        "category": [SURVEY_CATEGORY],
        "code": {"text": "C-SSRS Screener"},
        "subject": subject,
        "effectiveDateTime": screen.on.isoformat(),
        "valueCodeableConcept": _risk(screen.risk),
        "component": [
            {"code": {"text": text}, "valueBoolean": getattr(screen, name)}
            for name, text in _CSSRS_QUESTIONS
            if getattr(screen, name) is not None
        ],
    }


def _assessment(
    plan: CarePlan, index: int, assessment: RiskAssessment, subject: dict[str, str]
) -> dict[str, Any]:
    return {
        "resourceType": "RiskAssessment",
        "id": resource_id(plan, "risk-assessment", index),
        "status": "final",
        "method": {"text": assessment.method.replace("_", " ")},
        "code": {"text": "Suicide risk assessment"},
        "subject": subject,
        "occurrenceDateTime": assessment.on.isoformat(),
        "prediction": [{"qualitativeRisk": _risk(assessment.level)}],
    }


def safety_resources(plan: CarePlan, subject: dict[str, str]) -> list[dict[str, Any]]:
    """The Observations of the plan's screens and the RiskAssessments of its assessments."""
    record = plan.safety
    screens = [
        _item_answers(plan, index, screen, subject)
        if isinstance(screen, ItemAnswers)
        else _cssrs(plan, index, screen, subject)
        for index, screen in enumerate(record.screens)
    ]
    assessments = [
        _assessment(plan, index, assessment, subject)
        for index, assessment in enumerate(record.assessments)
    ]
    return [*screens, *assessments]
