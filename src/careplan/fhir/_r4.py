"""FHIR R4 (4.0.1) with US Core: the R5 resources rewritten where R4 differs.

R4 has no recurring Appointment, so each occurrence is an Appointment and
each weekly series is a CarePlan activity whose ``detail`` carries a
``scheduledTiming`` (weekday, local time, duration, every n weeks, the
episode's dates) and the IANA time zone (FHIR's ``timezone`` extension).
R4's ``CarePlan.addresses`` refers to Conditions, so diagnoses, when asked
for, become US Core Conditions. Patient, Condition, Goal and CarePlan claim
their US Core profiles and carry what those require: the Patient a
``gender`` of ``unknown`` and, without the name, a name that says it is
masked (data-absent-reason), as minimal exports do not reveal either.
"""

from __future__ import annotations

import html
from typing import Any

from careplan._model.expansion import occurrences
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.session import Session
from careplan._model.time import format_wall_time
from careplan._model.transition import Episode
from careplan.fhir._codes import (
    DIAGNOSIS_SYSTEM,
    EPISODE,
    EVERY_WEEKS,
    JOIN_URL,
    KIND_SYSTEM,
    MODALITY,
    SCHEDULED_ON,
    SESSION_ID,
    SESSION_SYSTEM,
    TRACK,
    TRACK_SYSTEM,
    TZ_CODE,
    US_CORE_VERSION,
    WEEK_OFFSET,
    active_problem,
    present,
    resource_id,
    text_or_none,
    urn,
)

__all__ = ["to_r4"]

_US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition"
_PROFILES = {
    kind: f"{_US_CORE}/{name}|{US_CORE_VERSION}"
    for kind, name in (
        ("Patient", "us-core-patient"),
        ("Goal", "us-core-goal"),
        ("CarePlan", "us-core-careplan"),
        ("Condition", "us-core-condition-problems-health-concerns"),
    )
}
_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
# CareTeam and Practitioner claim no US Core profile: US Core asks a
# practitioner's NPI, which careplan does not hold.
_ASSESS_PLAN = {
    "coding": [
        {
            "system": "http://hl7.org/fhir/us/core/CodeSystem/careplan-category",
            "code": "assess-plan",
        }
    ]
}
_ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _profiled(resource: dict[str, Any]) -> dict[str, Any]:
    profile = _PROFILES.get(resource["resourceType"])
    return resource if profile is None else {**resource, "meta": {"profile": [profile]}}


def _coding(system: str, code: str, label: str) -> dict[str, Any]:
    return {"system": system, "code": code, **present(display=text_or_none(label))}


def _patient(patient: dict[str, Any]) -> dict[str, Any]:
    # US Core asks for a name with a family or given name (us-core-6) and a
    # gender. A minimal export says the name is withheld and the gender
    # unknown rather than inventing either; a name asked for is one text,
    # which careplan does not split, so its parts are "unsupported".
    names = [
        {**name, "extension": [{"url": _ABSENT, "valueCode": "unsupported"}]}
        for name in patient.get("name", ())
    ] or [{"extension": [{"url": _ABSENT, "valueCode": "masked"}]}]
    return {**patient, "name": names, "gender": "unknown"}


def _conditions(
    plan: CarePlan, subject: dict[str, str], problems: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """The Conditions of the diagnoses, the problems' Conditions, and the
    ids of the diagnoses' Conditions in the order of the diagnoses.

    A problem coded with one of the diagnoses is that diagnosis' Condition
    (one Condition, marked as a diagnosis too), not a second one.
    """
    coded = {
        coding["code"]: index
        for index, problem in enumerate(problems)
        for coding in problem["code"].get("coding", ())[:1]
        if coding.get("system") == _ICD10CM
    }
    problems = list(problems)
    diagnoses = []
    order = []
    for number, code in enumerate(c for c in plan.diagnoses if text_or_none(c)):
        # Tells a diagnosis code from a problem of the plan of care.
        mark = {"system": DIAGNOSIS_SYSTEM, "value": code}
        if code in coded:
            index = coded.pop(code)
            merged = problems[index]
            problems[index] = {**merged, "identifier": [*merged.get("identifier", ()), mark]}
            order.append(problems[index]["id"])
            continue
        order.append(resource_id(plan, "diagnosis", number))
        diagnoses.append(
            active_problem(
                resource_id(plan, "diagnosis", number),
                {"coding": [{"system": _ICD10CM, "code": code}]},
                subject,
                plan.start.isoformat(),
                identifier=[mark],
            )
        )
    return diagnoses, problems, order


def _series_detail(
    plan: CarePlan, index: int, session: Session, episode: Episode
) -> dict[str, Any]:
    """The activity detail of one weekly series: what, when, where, every n weeks."""
    extension: list[dict[str, Any]] = [
        {"url": SESSION_ID, "valueString": session.id},
        {"url": EPISODE, "valueReference": {"reference": urn(resource_id(plan, "episode", index))}},
        {"url": MODALITY, "valueCode": session.modality.kind},
    ]
    if session.track is not None:
        track = _coding(TRACK_SYSTEM, session.track.code, session.track.label)
        extension.append({"url": TRACK, "valueCoding": track})
    if session.modality.is_virtual and session.modality.join_url:
        extension.append({"url": JOIN_URL, "valueUrl": session.modality.join_url})
    if session.week_offset:
        extension.append({"url": WEEK_OFFSET, "valueUnsignedInt": session.week_offset})
    location = text_or_none(session.modality.location)
    return {
        "extension": extension,
        "kind": "Appointment",
        "code": {"coding": [_coding(KIND_SYSTEM, session.kind.code, session.kind.label)]},
        "status": "scheduled",
        "scheduledTiming": {
            "repeat": {
                "boundsPeriod": {
                    "start": episode.start.isoformat(),
                    "_start": {
                        "extension": [{"url": TZ_CODE, "valueCode": episode.schedule.timezone}]
                    },
                    "end": max(episode.start, episode.end).isoformat(),
                },
                "frequency": 1,
                "period": session.every_weeks,
                "periodUnit": "wk",
                "dayOfWeek": [_DAYS[int(session.weekday)]],
                "timeOfDay": [f"{format_wall_time(session.start)}:00"],
                "duration": session.minutes,
                "durationUnit": "min",
            }
        },
        **present(
            location=None
            if location is None or session.modality.is_virtual
            else {"display": location},
            description=text_or_none(session.title),
        ),
    }


def _appointment(plan: CarePlan, occurrence: Occurrence, subject: dict[str, str]) -> dict[str, Any]:
    session = occurrence.session
    extension: list[dict[str, Any]] = [
        {"url": SCHEDULED_ON, "valueDate": occurrence.scheduled_on.isoformat()},
        {"url": EVERY_WEEKS, "valuePositiveInt": session.every_weeks},
    ]
    if session.modality.is_virtual and session.modality.join_url:
        extension.append({"url": JOIN_URL, "valueUrl": session.modality.join_url})
    participants: list[dict[str, Any]] = [{"actor": subject, "status": "accepted"}]
    location = text_or_none(session.modality.location)
    if location is not None and not session.modality.is_virtual:
        participants.append({"actor": {"display": location}, "status": "accepted"})
    track = session.track
    return {
        "resourceType": "Appointment",
        "id": resource_id(plan, "occurrence", session.id, occurrence.scheduled_on.isoformat()),
        "extension": extension,
        "identifier": [{"system": SESSION_SYSTEM, "value": session.id}],
        "status": "booked",
        **present(
            serviceCategory=None
            if track is None
            else [{"coding": [_coding(TRACK_SYSTEM, track.code, track.label)]}],
            description=text_or_none(session.title),
        ),
        "serviceType": [{"coding": [_coding(KIND_SYSTEM, session.kind.code, session.kind.label)]}],
        "start": occurrence.start.isoformat(timespec="seconds"),
        "end": occurrence.end.isoformat(timespec="seconds"),
        "minutesDuration": occurrence.minutes,
        "supportingInformation": [
            {"reference": urn(resource_id(plan, "episode", occurrence.episode))}
        ],
        "participant": participants,
    }


def to_r4(
    plan: CarePlan, resources: list[dict[str, Any]], *, diagnoses: bool
) -> list[dict[str, Any]]:
    """The R4 resources for ``plan``, from its R5 ones (which this does not change)."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in resources:
        by_type.setdefault(resource["resourceType"], []).append(resource)
    (care_plan,) = by_type["CarePlan"]
    (patient,) = by_type["Patient"]
    subject = care_plan["subject"]
    conditions, problem_conditions, order = _conditions(plan, subject, by_type.get("Condition", []))
    if not diagnoses:
        conditions, order = [], []
    appointments = [_appointment(plan, o, subject) for o in occurrences(plan)]
    details = [
        {"detail": _series_detail(plan, index, session, episode)}
        for index, episode in enumerate(plan.episodes)
        for session in episode.schedule.sessions
    ]
    title = care_plan["title"]
    narrative = html.escape(
        f"{title}, {care_plan['period']['start']} to {care_plan['period']['end']}"
    )
    r4_plan = {
        key: value
        for key, value in care_plan.items()
        if key not in ("addresses", "activity", "category")
    }
    # R5 refers to a problem's Condition through a CodeableReference.
    problems = [a["reference"] for a in care_plan.get("addresses", ()) if "reference" in a]
    requests = [r for r in resources if r["resourceType"] == "ServiceRequest"]
    r4_plan.update(
        text={
            "status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{narrative}</div>',
        },
        category=[_ASSESS_PLAN, *care_plan["category"]],
        **present(
            addresses=[
                *({"reference": urn(c)} for c in order),
                *(p for p in problems if p["reference"] not in {urn(c) for c in order}),
            ],
            activity=[
                *({"reference": {"reference": urn(r["id"])}} for r in requests),
                *details,
                *({"reference": {"reference": urn(a["id"])}} for a in appointments),
            ],
        ),
    )
    converted = {"CarePlan", "Patient", "Appointment", "CareTeam", "ServiceRequest", "Condition"}
    teams = [_care_team(team) for team in by_type.get("CareTeam", [])]
    return [
        _profiled(r4_plan),
        _profiled(_patient(patient)),
        *(_profiled(c) for c in [*conditions, *problem_conditions]),
        *(_service_request(r) for r in requests),
        *appointments,
        # The rest is the same in R4 (Goal, EpisodeOfCare, CareTeam,
        # Practitioner): kept in the R5 order, with the profiles that apply.
        *(_profiled(_risk_assessment(r)) for r in resources if r["resourceType"] not in converted),
        *(_profiled(team) for team in teams),
    ]


# No probability: careplan grades risk, it never estimates a number.
_NO_PROBABILITY = {"extension": [{"url": _ABSENT, "valueCode": "not-applicable"}]}


def _risk_assessment(resource: dict[str, Any]) -> dict[str, Any]:
    """A RiskAssessment's prediction with no probability says why (data-absent-reason).

    R4's ras-2 as published, ``probability is decimal implies (probability
    as decimal) <= 100``, comes out empty, not true, on a prediction without
    a probability, and a validator that reads it as written (Medplum's)
    refuses it; R4B and R5 corrected it (FHIR-25796). A probability that
    says it is absent (a Range with only the data-absent-reason extension)
    is no decimal, so ras-2 holds as published, and no number is invented.
    """
    if resource["resourceType"] != "RiskAssessment":
        return resource
    predictions = [
        p if "probabilityDecimal" in p or "probabilityRange" in p
        else {**p, "probabilityRange": _NO_PROBABILITY}
        for p in resource["prediction"]
    ]  # fmt: skip
    return {**resource, "prediction": predictions}


def _service_request(request: dict[str, Any]) -> dict[str, Any]:
    """R4's ServiceRequest has a CodeableConcept code and reasonReference, not R5's
    CodeableReferences."""
    converted = {key: value for key, value in request.items() if key not in ("code", "reason")}
    if "code" in request:
        converted["code"] = request["code"]["concept"]
    reasons = [r["reference"] for r in request.get("reason", ()) if "reference" in r]
    if reasons:
        converted["reasonReference"] = reasons
    return converted


def _care_team(team: dict[str, Any]) -> dict[str, Any]:
    """R4's CareTeam participant has a list of roles; R5's one role."""
    participants = [
        {**p, "role": [p["role"]]} if "role" in p else p for p in team.get("participant", [])
    ]
    return {**team, "participant": participants}
