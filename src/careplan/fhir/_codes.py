"""What the FHIR export and import share: code systems, extensions, ids, labels.

careplan writes FHIR R5 and R4 and reads both back; the systems and
extension URLs below are the contract between the two directions. Every
careplan-specific URL sits under :data:`CODE_SYSTEM_BASE` or
:data:`EXTENSION_BASE`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html
from collections.abc import Mapping
from typing import Any, Literal

import pendulum

from careplan._model.measures import Measurement
from careplan._model.plan import CarePlan
from careplan._model.substance_use import is_substance_use_care
from careplan.document.paths import at

__all__ = [
    "ASSESSOR_ROLE",
    "CLIENT_SIGNED",
    "CLIENT_SYSTEM",
    "CLINICIAN_SIGNED",
    "CODE_SYSTEM_BASE",
    "DIAGNOSIS_SYSTEM",
    "DISCHARGE_REASON",
    "EPISODE",
    "EPISODE_REASON",
    "EVERY_WEEKS",
    "EXTENSION_BASE",
    "GOAL_SYSTEM",
    "INSTRUMENT_SYSTEM",
    "ITEM_MOST",
    "JOIN_URL",
    "KIND_SYSTEM",
    "LOINC",
    "MEASURE_SYSTEM",
    "MODALITY",
    "NEXT_SCREENING",
    "PLAN_SYSTEM",
    "PROBLEM_SYSTEM",
    "REASON_SYSTEM",
    "REVIEWED",
    "SCHEDULED_ON",
    "SESSION_ID",
    "SESSION_SYSTEM",
    "SUICIDE_ITEM",
    "SURVEY_CATEGORY",
    "TIMEZONE",
    "TRACK",
    "TRACK_SYSTEM",
    "TZ_CODE",
    "UCUM",
    "US_CORE_VERSION",
    "WALL_TIME",
    "FhirVersion",
    "active_problem",
    "bundle_at",
    "day",
    "extension",
    "narrative",
    "present",
    "resource_id",
    "score_observation",
    "score_quantity",
    "security_labels",
    "survey_observation",
    "text_or_none",
    "urn",
]

#: The FHIR versions careplan writes and reads: ``"r5"`` (5.0.0) and
#: ``"r4"`` (4.0.1, with the US Core profiles that apply).
FhirVersion = Literal["r4", "r5"]

#: Base of the code systems careplan uses for levels of care.
CODE_SYSTEM_BASE = "https://careplan.readthedocs.io/fhir/CodeSystem"
#: Base of careplan's extension URLs.
EXTENSION_BASE = "https://careplan.readthedocs.io/fhir/StructureDefinition"
KIND_SYSTEM = f"{CODE_SYSTEM_BASE}/session-kind"
TRACK_SYSTEM = f"{CODE_SYSTEM_BASE}/treatment-track"
REASON_SYSTEM = f"{CODE_SYSTEM_BASE}/transition-reason"
#: Identifier systems: the plan's opaque id, the client's id, a session's id.
PLAN_SYSTEM = "urn:careplan:plan"
CLIENT_SYSTEM = "urn:careplan:client"
SESSION_SYSTEM = "urn:careplan:session"
#: On an R4 Condition written for one of ``CarePlan.diagnoses``.
DIAGNOSIS_SYSTEM = "urn:careplan:diagnosis"
#: A goal's id, and a plan-of-care problem's id on its Condition.
GOAL_SYSTEM = "urn:careplan:goal"
PROBLEM_SYSTEM = "urn:careplan:problem"
#: Codes of what a measurement or target measures (an instrument's code).
INSTRUMENT_SYSTEM = f"{CODE_SYSTEM_BASE}/instrument"
#: The code system of a goal target's measure in words.
MEASURE_SYSTEM = f"{CODE_SYSTEM_BASE}/goal-measure"
#: Why an episode began (on EpisodeOfCare) and why care ended (on CarePlan).
EPISODE_REASON = f"{EXTENSION_BASE}/episode-reason"
DISCHARGE_REASON = f"{EXTENSION_BASE}/discharge-reason"
#: R4 has no recurring appointments: what an occurrence's series says.
SCHEDULED_ON = f"{EXTENSION_BASE}/scheduled-on"
EVERY_WEEKS = f"{EXTENSION_BASE}/every-weeks"
#: On an R4 activity's detail, when not 0: the week of its cadence a series is held in.
WEEK_OFFSET = f"{EXTENSION_BASE}/week-offset"
JOIN_URL = f"{EXTENSION_BASE}/join-url"
#: On an R4 activity's detail: the session it describes, and its track.
SESSION_ID = f"{EXTENSION_BASE}/session-id"
TRACK = f"{EXTENSION_BASE}/treatment-track"
#: FHIR's extension for the IANA time zone of a date or dateTime (R4 core;
#: in R5 from the extensions pack): on every EpisodeOfCare's ``period.start``
#: (the zone of its weekly schedule) and, in R4, on each series'
#: ``boundsPeriod.start``.
TZ_CODE = "http://hl7.org/fhir/StructureDefinition/tz-code"
#: What careplan wrote before 0.x for the episode's zone (an extension of
#: the extensions pack that R4 core lacks); still read.
TIMEZONE = "http://hl7.org/fhir/StructureDefinition/timezone"
#: The wall time of a series (an R5 series' first start may fall in a DST gap).
WALL_TIME = f"{EXTENSION_BASE}/wall-time"
#: On an R4 activity's detail: the EpisodeOfCare of its series, and whether
#: its sessions are ``in_person`` or ``virtual`` (R4 has no virtual service).
EPISODE = f"{EXTENSION_BASE}/episode"
MODALITY = f"{EXTENSION_BASE}/modality"
#: Suicide-risk records (written only when asked for): on an item's
#: Observation component, its highest answer and whether it is a suicide
#: item; on a RiskAssessment, the assessing care role and the next screening
#: day; on a safety plan's QuestionnaireResponse, the days the client and the
#: clinician signed it and each day it was reviewed.
ITEM_MOST = f"{EXTENSION_BASE}/item-highest-answer"
SUICIDE_ITEM = f"{EXTENSION_BASE}/suicide-item"
ASSESSOR_ROLE = f"{EXTENSION_BASE}/assessor-role"
NEXT_SCREENING = f"{EXTENSION_BASE}/next-screening"
CLIENT_SIGNED = f"{EXTENSION_BASE}/client-signed"
CLINICIAN_SIGNED = f"{EXTENSION_BASE}/clinician-signed"
REVIEWED = f"{EXTENSION_BASE}/reviewed"

#: The US Core release whose profiles the R4 export claims (``meta.profile``
#: carries it as ``|6.1.0``).
US_CORE_VERSION = "6.1.0"

#: Standard code systems the exports use.
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
#: An Observation's category for a questionnaire or scale's score.
SURVEY_CATEGORY: dict[str, Any] = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
        }
    ]
}


def score_quantity(value: float) -> dict[str, Any]:
    """A score as an Observation's ``valueQuantity`` (UCUM's ``{score}``)."""
    return {"value": value, "unit": "{score}", "system": UCUM, "code": "{score}"}


def survey_observation(
    resource_id: str, code: dict[str, Any], subject: dict[str, str], on: str, **value: Any
) -> dict[str, Any]:
    """A final ``Observation`` of a questionnaire or scale (category survey) on the day ``on``;
    ``value`` holds its value and components."""
    return {
        "resourceType": "Observation",
        "id": resource_id,
        "status": "final",
        "category": [SURVEY_CATEGORY],
        "code": code,
        "subject": subject,
        "effectiveDateTime": on,
        **value,
    }


def score_observation(
    resource_id: str, code: dict[str, Any], subject: dict[str, str], measurement: Measurement
) -> dict[str, Any]:
    """The ``Observation`` of a score: a measurement, or a questionnaire's total."""
    on = measurement.on.isoformat()
    return survey_observation(
        resource_id, code, subject, on, valueQuantity=score_quantity(measurement.score)
    )


def bundle_at(path: str) -> at:
    """The shared error-path helper (:class:`careplan.document.paths.at`) as a
    Bundle needs it.

    A Bundle is outside data: an element of the wrong type or shape
    surfaces as any Python error, and every one becomes a DocumentError
    that names the element's path and the kind of failure, never the value;
    a value careplan refuses is named by the model's field, as a Bundle's
    element names are not the model's.
    """
    return at(path, foreign=True, unreadable=(Exception,))


def extension(element: Mapping[str, Any], url: str) -> dict[str, Any] | None:
    """The first extension of ``element`` with ``url``, if any."""
    found: dict[str, Any] | None = next(
        (e for e in element.get("extension", ()) if e.get("url") == url), None
    )
    return found


def day(text: str) -> pendulum.Date:
    """The day of a FHIR date or dateTime (its first ten characters)."""
    found = _dt.date.fromisoformat(text[:10])
    return pendulum.Date(found.year, found.month, found.day)


_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_CONFIDENTIALITY = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality"


def resource_id(plan: CarePlan | str, *parts: object) -> str:
    """An opaque resource id (FHIR ids: up to 64 of [A-Za-z0-9-.]), from a plan or its id.

    Derived from the plan's id alone, so another plan can refer to this
    plan's resources (a readmission to the plan it follows).
    """
    plan_id = plan if isinstance(plan, str) else plan.id
    digest = hashlib.sha256("/".join([plan_id, *map(str, parts)]).encode()).hexdigest()
    return digest[:32]


def urn(hex32: str) -> str:
    """The ``urn:uuid:`` of a resource id (32 hex digits, written as a UUID)."""
    return f"urn:uuid:{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"


def text_or_none(value: str | None) -> str | None:
    """``value``, as given, when it says something: FHIR strings are never empty or blank."""
    return value if value is not None and value.strip() else None


def present(**elements: Any) -> dict[str, Any]:
    """The elements that have a value: FHIR JSON has no empty arrays, objects or strings."""
    return {name: value for name, value in elements.items() if value not in (None, "", [], {})}


def security_labels(plan: CarePlan) -> list[dict[str, str]]:
    """The ``meta.security`` labels of every resource about ``plan``.

    Substance-use-disorder treatment records fall under 42 CFR Part 2: they
    are labelled ``42CFRPart2`` (the policy), ``ETH`` (substance abuse
    information sensitivity) and confidentiality ``R`` (restricted), so a
    receiving system knows it may not redisclose them without consent.
    Other plans get no label.
    """
    if not is_substance_use_care(plan):
        return []
    return [
        {"system": _ACT_CODE, "code": "42CFRPart2", "display": "42 CFR Part2"},
        {"system": _ACT_CODE, "code": "ETH", "display": "substance abuse information sensitivity"},
        {"system": _CONFIDENTIALITY, "code": "R", "display": "restricted"},
    ]


def active_problem(
    resource_id: str,
    code: dict[str, Any],
    subject: dict[str, str],
    recorded: str,
    **more: Any,
) -> dict[str, Any]:
    """A ``Condition`` on the problem list, active and confirmed: a diagnosis or a problem.

    ``recorded`` is the day it was recorded (the plan's start): US Core asks
    for ``recordedDate`` and ``verificationStatus``.
    """
    return {
        "resourceType": "Condition",
        "id": resource_id,
        **more,
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "active",
                }
            ]
        },
        "verificationStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": "confirmed",
                }
            ]
        },
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                        "code": "problem-list-item",
                    }
                ]
            }
        ],
        "code": code,
        "subject": subject,
        "recordedDate": recorded,
    }


def _displays(value: object) -> list[str]:
    """The ``display`` of every coding in a resource, in order."""
    if isinstance(value, dict):
        found = [value["display"]] if isinstance(value.get("display"), str) else []
        for key, item in value.items():
            if key not in ("display", "text", "extension", "meta"):
                found += _displays(item)
        return found
    if isinstance(value, list):
        return [d for item in value for d in _displays(item)]
    return []


def narrative(resource: dict[str, Any]) -> dict[str, str]:
    """A generated narrative (``text``) of a resource, from its own coded data.

    It says the resource type, the status, the dates and the displays of its
    codes, and a name only where the resource carries one (the client's name
    and the care team are written only when asked for). Free text (goals,
    problems, session titles, notes) is never in it.
    """
    parts = [resource["resourceType"]]
    names = [n["text"] for n in resource.get("name", ()) if isinstance(n, dict) and "text" in n]
    parts += names
    for key in ("status", "lifecycleStatus"):
        if isinstance(resource.get(key), str):
            parts.append(resource[key])
    period = resource.get("period")
    if isinstance(period, dict):
        parts.append(f"{period.get('start', '')} to {period.get('end', '')}")
    for key in (
        "start",
        "effectiveDateTime",
        "occurrenceDateTime",
        "recordedDate",
        "startDate",
        "authored",
    ):
        if isinstance(resource.get(key), str):
            parts.append(resource[key])
    shown = list(dict.fromkeys(_displays({k: v for k, v in resource.items() if k != "name"})))
    parts += shown[:8]
    body = html.escape("; ".join(parts))
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}
