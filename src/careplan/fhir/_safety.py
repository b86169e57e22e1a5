"""The plan's suicide-risk records as FHIR resources, written only when asked for, and read back.

A questionnaire answered item by item is an ``Observation`` whose value is
the total and whose components are the items' answers, each coded with its
LOINC code (and carrying its highest answer and whether it is a suicide
item); a C-SSRS Screener is an ``Observation`` whose components are its
questions' answers and whose value is the published triage; a clinician's
assessment is a ``RiskAssessment`` whose qualitative risk is coded in HL7's
risk-probability code system; a safety plan is a ``QuestionnaireResponse``
to careplan's safety-plan form (:data:`SAFETY_PLAN`), a section per item
and an entry per answer, which the ``CarePlan`` names as supporting
information. The same resources are valid R4 and R5 (R4 adds one element
to a RiskAssessment's prediction: see :mod:`careplan.fhir._r4`).

The screens are coded with careplan's questionnaire code system, never with
its instrument system, so reading a Bundle back never takes them for the
plan's measurements. Free text (an assessment's note, a safety plan's
entries, the client's own words) is written in the resource's own element
and nowhere else: never in a narrative, a display or another resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pendulum

from careplan._model import safety as model
from careplan._model.errors import DocumentError, InvalidValueError
from careplan._model.plan import CarePlan
from careplan.fhir._codes import (
    ASSESSOR_ROLE,
    CLIENT_SIGNED,
    CLINICIAN_SIGNED,
    CODE_SYSTEM_BASE,
    ITEM_MOST,
    LOINC,
    NEXT_SCREENING,
    REVIEWED,
    SUICIDE_ITEM,
    bundle_at,
    day,
    extension,
    present,
    resource_id,
    score_observation,
    survey_observation,
    text_or_none,
)

__all__ = ["RISK_PROBABILITY", "SAFETY_PLAN", "safety_record", "safety_resources"]

#: HL7's code system of qualitative risk (RiskAssessment.prediction.qualitativeRisk).
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
#: The canonical URL of careplan's safety-plan form, which a safety plan's
#: QuestionnaireResponse answers (the safety planning intervention's sections).
SAFETY_PLAN = "https://careplan.readthedocs.io/fhir/Questionnaire/safety-plan"
# A screen's instrument code ("PHQ-9", "C-SSRS"), a C-SSRS question, what a
# RiskAssessment assesses.
_QUESTIONNAIRE_SYSTEM = f"{CODE_SYSTEM_BASE}/questionnaire"
_CSSRS_SYSTEM = f"{CODE_SYSTEM_BASE}/cssrs-question"
_ASSESSMENT_SYSTEM = f"{CODE_SYSTEM_BASE}/risk-assessment"
_CSSRS = "C-SSRS"
# careplan's "none" is the code system's "negligible".
_RISK_CODES: dict[model.RiskLevel, tuple[str, str]] = {
    "none": ("negligible", "Negligible likelihood"),
    "low": ("low", "Low likelihood"),
    "moderate": ("moderate", "Moderate likelihood"),
    "high": ("high", "High likelihood"),
}
_LEVEL_OF = {code: level for level, (code, _) in _RISK_CODES.items()}
_CSSRS_QUESTIONS = (
    ("wish_to_be_dead", "C-SSRS screener question 1: wish to be dead"),
    ("suicidal_thoughts", "C-SSRS screener question 2: suicidal thoughts"),
    ("method", "C-SSRS screener question 3: thoughts with a method"),
    ("intent", "C-SSRS screener question 4: intent"),
    ("plan", "C-SSRS screener question 5: plan"),
    ("behavior", "C-SSRS screener question 6: suicidal behavior, lifetime"),
    ("behavior_past_3_months", "C-SSRS screener question 6: within the past three months"),
)
# The safety plan's sections (its SafetyPlan fields), in the intervention's
# order, with their titles on the form.
_SECTIONS = (
    ("warning_signs", "Warning signs"),
    ("coping_strategies", "Internal coping strategies"),
    ("distractions", "People and social settings that provide distraction"),
    ("people_to_ask", "People I can ask for help"),
    ("professionals", "Professionals or agencies to contact in a crisis"),
    ("safe_environment", "Making the environment safe"),
    ("reasons_for_living", "Reasons for living"),
)
_SIGNED = (("client_signed", CLIENT_SIGNED), ("clinician_signed", CLINICIAN_SIGNED))


def _risk(level: model.RiskLevel) -> dict[str, Any]:
    code, display = _RISK_CODES[level]
    return {"coding": [{"system": RISK_PROBABILITY, "code": code, "display": display}]}


def _instrument_code(plan: CarePlan, instrument: str) -> dict[str, Any]:
    """The code of a screen: the total's LOINC code when known, and the instrument's code."""
    coding = [{"system": _QUESTIONNAIRE_SYSTEM, "code": instrument}]
    try:
        known = plan.instrument(instrument)
    except InvalidValueError:
        return {"coding": coding, "text": instrument}
    if known.loinc is not None:
        coding.insert(0, {"system": LOINC, "code": known.loinc})
    return {"coding": coding, "text": known.name}


def _item(instrument: str, item: model.Item, answer: int, suicide: bool) -> dict[str, Any]:
    """An item's answer as a component: its LOINC code, highest answer and suicide flag."""
    extensions = [{"url": ITEM_MOST, "valuePositiveInt": item.most}]
    if suicide:
        extensions.append({"url": SUICIDE_ITEM, "valueBoolean": True})
    return {
        "extension": extensions,
        "code": {
            "coding": [{"system": LOINC, "code": item.loinc}],
            "text": f"{instrument} item {item.number}",
        },
        "valueInteger": answer,
    }


def _item_answers(
    plan: CarePlan, index: int, answers: model.ItemAnswers, subject: dict[str, str]
) -> dict[str, Any]:
    questionnaire = answers.questionnaire
    code = _instrument_code(plan, answers.instrument)
    total = score_observation(
        resource_id(plan, "screen", index), code, subject, answers.measurement()
    )
    items = zip(questionnaire.items, answers.answers, strict=True)
    return {
        **total,
        "component": [
            _item(answers.instrument, item, answer, item.number in questionnaire.suicide_items)
            for item, answer in items
        ],
    }


def _cssrs(
    plan: CarePlan, index: int, screen: model.CSSRSScreen, subject: dict[str, str]
) -> dict[str, Any]:
    return survey_observation(
        resource_id(plan, "screen", index),
        {"coding": [{"system": _QUESTIONNAIRE_SYSTEM, "code": _CSSRS}], "text": "C-SSRS Screener"},
        subject,
        screen.on.isoformat(),
        valueCodeableConcept=_risk(screen.risk),
        component=[
            {
                "code": {"coding": [{"system": _CSSRS_SYSTEM, "code": name}], "text": text},
                "valueBoolean": getattr(screen, name),
            }
            for name, text in _CSSRS_QUESTIONS
            if getattr(screen, name) is not None
        ],
    )


def _assessment(
    plan: CarePlan, index: int, assessment: model.RiskAssessment, subject: dict[str, str]
) -> dict[str, Any]:
    extensions = [{"url": ASSESSOR_ROLE, "valueCode": assessment.role}]
    if assessment.next_screening is not None:
        extensions.append(
            {"url": NEXT_SCREENING, "valueDate": assessment.next_screening.isoformat()}
        )
    note = text_or_none(assessment.note)
    return {
        "resourceType": "RiskAssessment",
        "id": resource_id(plan, "risk-assessment", index),
        "extension": extensions,
        "status": "final",
        # The method is a code of the user's ("cssrs_full"): as text, as given.
        "method": {"text": assessment.method},
        "code": {
            "coding": [{"system": _ASSESSMENT_SYSTEM, "code": "suicide-risk"}],
            "text": "Suicide risk assessment",
        },
        "subject": subject,
        "occurrenceDateTime": assessment.on.isoformat(),
        "prediction": [{"qualitativeRisk": _risk(assessment.level)}],
        **present(note=None if note is None else [{"text": note}]),
    }


def _safety_plan(
    plan: CarePlan, index: int, safety_plan: model.SafetyPlan, subject: dict[str, str]
) -> dict[str, Any]:
    extensions = [
        {"url": url, "valueDate": signed.isoformat()}
        for name, url in _SIGNED
        if (signed := getattr(safety_plan, name)) is not None
    ]
    extensions += [{"url": REVIEWED, "valueDate": d.isoformat()} for d in safety_plan.reviewed]
    items = []
    for name, title in _SECTIONS:
        # FHIR has no blank strings: a blank entry is not written.
        answers = [{"valueString": e} for e in getattr(safety_plan, name) if text_or_none(e)]
        if answers:
            items.append({"linkId": name, "text": title, "answer": answers})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": resource_id(plan, "safety-plan", index),
        **present(extension=extensions),
        "questionnaire": SAFETY_PLAN,
        "status": "completed",
        "subject": subject,
        "authored": safety_plan.on.isoformat(),
        **present(item=items),
    }


def safety_resources(plan: CarePlan, subject: dict[str, str]) -> list[dict[str, Any]]:
    """The Observations of the plan's screens, the RiskAssessments of its
    assessments and the QuestionnaireResponses of its safety plans."""
    record = plan.safety
    screens = [
        _item_answers(plan, index, screen, subject)
        if isinstance(screen, model.ItemAnswers)
        else _cssrs(plan, index, screen, subject)
        for index, screen in enumerate(record.screens)
    ]
    assessments = [
        _assessment(plan, index, assessment, subject)
        for index, assessment in enumerate(record.assessments)
    ]
    plans = [_safety_plan(plan, index, p, subject) for index, p in enumerate(record.plans)]
    return [*screens, *assessments, *plans]


# --- reading -----------------------------------------------------------------

_Entries = Mapping[str, list[tuple[str, Mapping[str, Any]]]]


def _code_in(concept: Mapping[str, Any], system: str) -> str | None:
    found: str | None = next(
        (c["code"] for c in concept.get("coding", ()) if c.get("system") == system), None
    )
    return found


def _dates(element: Mapping[str, Any], url: str) -> list[pendulum.Date]:
    return [day(e["valueDate"]) for e in element.get("extension", ()) if e.get("url") == url]


def _read_answers(instrument: str, observation: Mapping[str, Any]) -> model.ItemAnswers:
    components = observation["component"]
    items = []
    suicide_items = []
    for number, component in enumerate(components, start=1):
        most = extension(component, ITEM_MOST)
        items.append(
            model.Item(
                number,
                _code_in(component["code"], LOINC) or "",
                3 if most is None else most["valuePositiveInt"],
            )
        )
        if (extension(component, SUICIDE_ITEM) or {}).get("valueBoolean"):
            suicide_items.append(number)
    return model.ItemAnswers(
        model.Questionnaire(instrument, items, suicide_items),
        day(observation["effectiveDateTime"]),
        [component["valueInteger"] for component in components],
    )


def _read_cssrs(observation: Mapping[str, Any]) -> model.CSSRSScreen:
    answers = {
        _code_in(component["code"], _CSSRS_SYSTEM): component["valueBoolean"]
        for component in observation.get("component", ())
    }
    return model.CSSRSScreen(
        day(observation["effectiveDateTime"]),
        answers["wish_to_be_dead"],
        answers["suicidal_thoughts"],
        method=answers.get("method"),
        intent=answers.get("intent"),
        plan=answers.get("plan"),
        behavior=answers.get("behavior", False),
        behavior_past_3_months=answers.get("behavior_past_3_months"),
    )


def _read_assessment(assessment: Mapping[str, Any]) -> model.RiskAssessment:
    (prediction,) = assessment["prediction"]
    code = _code_in(prediction["qualitativeRisk"], RISK_PROBABILITY)
    # A code careplan does not grade ("certain") is refused as a level.
    level = _LEVEL_OF.get(code or "", code)
    role = extension(assessment, ASSESSOR_ROLE)
    next_screening = _dates(assessment, NEXT_SCREENING)
    return model.RiskAssessment(
        day(assessment["occurrenceDateTime"]),
        None if role is None else role["valueCode"],
        level,
        assessment["method"]["text"],
        next_screening[0] if next_screening else None,
        "\n".join(note["text"] for note in assessment.get("note", ())),
    )


def _read_plan(path: str, response: Mapping[str, Any]) -> model.SafetyPlan:
    sections = {name for name, _ in _SECTIONS}
    entries: dict[str, list[str]] = {}
    for number, item in enumerate(response.get("item", ())):
        if item["linkId"] not in sections:
            raise DocumentError(
                f"{path}.item[{number}].linkId", "is not a section of a safety plan"
            )
        entries.setdefault(item["linkId"], []).extend(a["valueString"] for a in item["answer"])
    signed = {name: _dates(response, url) for name, url in _SIGNED}
    return model.SafetyPlan(
        day(response["authored"]),
        **entries,
        **{name: found[0] if found else None for name, found in signed.items()},
        reviewed=_dates(response, REVIEWED),
    )


def _screen(observation: Mapping[str, Any]) -> model.Screen | None:
    instrument = _code_in(observation["code"], _QUESTIONNAIRE_SYSTEM)
    if instrument is None:
        return None  # a measurement, or another system's Observation
    if instrument == _CSSRS:
        return _read_cssrs(observation)
    return _read_answers(instrument, observation)


def safety_record(entries: _Entries) -> model.SafetyRecord:
    """The safety record a Bundle's resources (by type, each with its path) carry.

    Read: the Observations coded with careplan's questionnaire system, the
    RiskAssessments of careplan's suicide-risk code and the
    QuestionnaireResponses to :data:`SAFETY_PLAN`; any other resource of
    those types is another system's, and left alone.
    """
    screens = []
    for path, observation in entries.get("Observation", ()):
        with bundle_at(path):
            screen = _screen(observation)
        if screen is not None:
            screens.append(screen)
    assessments = []
    for path, assessment in entries.get("RiskAssessment", ()):
        with bundle_at(path):
            if _code_in(assessment.get("code", {}), _ASSESSMENT_SYSTEM) == "suicide-risk":
                assessments.append(_read_assessment(assessment))
    plans = []
    for path, response in entries.get("QuestionnaireResponse", ()):
        with bundle_at(path):
            if response.get("questionnaire") == SAFETY_PLAN:
                plans.append(_read_plan(path, response))
    with bundle_at("entry"):
        return model.SafetyRecord(screens, assessments, plans)
