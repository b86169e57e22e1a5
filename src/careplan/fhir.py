"""FHIR R5 export: a Bundle a health system can store.

The Bundle holds one ``CarePlan`` (status, intent, subject, period, the level
of care as category, one activity per weekly session series), a ``Goal``
per goal, an ``Appointment`` per session series with a weekly
``recurrenceTemplate``, an ``EpisodeOfCare`` per level-of-care episode, and
the ``Patient`` they are about, carrying only the client's identifier (and
the name when asked for). A plan of care adds a ``ServiceRequest`` per
intervention (a ``CarePlan`` activity, and what the appointments of its
session kinds are ``basedOn``), goal targets from the objectives (LOINC for
instruments), an ``Observation`` per measurement and, only when diagnoses
are asked for, a ``Condition`` per problem. Following FHIR JSON, no element is ever an empty
array, object or string: what a plan does not have is left out.

The output is plain JSON-ready data and needs no extra package. With the
``fhir`` extra installed (``pip install 'careplan[fhir]'``),
``validate=True`` checks it against the FHIR R5 models of fhir.resources.

Level codes have no official HL7 code system; careplan uses
``https://careplan.readthedocs.io/fhir/CodeSystem/<continuum>`` (for example
``.../default`` with codes ``OP``, ``IOP``, ``PHP``, ``RES``, ``INP``).

>>> from careplan.demo import sample_plan
>>> bundle = to_fhir(sample_plan())
>>> sorted({entry["resource"]["resourceType"] for entry in bundle["entry"]})
['Appointment', 'CarePlan', 'EpisodeOfCare', 'Goal', 'Patient']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import urllib.parse
from typing import Any

import pendulum

from careplan._model.care import Intervention, Problem, TreatmentObjective
from careplan._model.measures import Measurement
from careplan._model.plan import CarePlan, Goal
from careplan._model.session import Session
from careplan._model.time import resolve_wall, weekday_name
from careplan._model.transition import Episode
from careplan._operations.expansion import DayChanges, series_dates

__all__ = ["CODE_SYSTEM_BASE", "to_fhir"]

#: Base of the code systems careplan uses for levels of care.
CODE_SYSTEM_BASE = "https://careplan.readthedocs.io/fhir/CodeSystem"
_KIND_SYSTEM = f"{CODE_SYSTEM_BASE}/session-kind"
# The R5 value set appointment-recurrrence-type (sic) takes UCUM units.
_RECURRENCE_SYSTEM = "http://unitsofmeasure.org"
_TIMEZONE_SYSTEM = "https://www.iana.org/time-zones"
_UCUM = "http://unitsofmeasure.org"
_LOINC = "http://loinc.org"
_INSTRUMENT_SYSTEM = f"{CODE_SYSTEM_BASE}/instrument"
_ROLE_SYSTEM = f"{CODE_SYSTEM_BASE}/care-role"
_COMPARATORS = {"below": "<", "at_most": "<=", "at_least": ">=", "above": ">"}


def _id(plan: CarePlan | str, *parts: object) -> str:
    """An opaque resource id (FHIR ids: up to 64 of [A-Za-z0-9-.]), from a plan or its id.

    Derived from the plan's id alone, so another plan can refer to this
    plan's resources (a readmission to the plan it follows).
    """
    plan_id = plan if isinstance(plan, str) else plan.id
    digest = hashlib.sha256("/".join([plan_id, *map(str, parts)]).encode()).hexdigest()
    return digest[:32]


def _text(value: str | None) -> str | None:
    """``value`` when it says something: FHIR strings are never empty or blank."""
    return value.strip() if value is not None and value.strip() else None


def _level_code(plan: CarePlan, episode: Episode) -> dict[str, Any]:
    name = _text(episode.level.name)
    # A continuum's name may hold spaces; the code system is a URI.
    system = f"{CODE_SYSTEM_BASE}/{urllib.parse.quote(plan.continuum.name.lower())}"
    return {
        "coding": [{"system": system, "code": episode.level.code, **_present(display=name)}],
        **_present(text=name),
    }


def _iso(moment: _dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _appointment(
    plan: CarePlan,
    index: int,
    episode: Episode,
    session: Session,
    subject: dict[str, str],
    changes: DayChanges,
    based_on: list[dict[str, str]] | None = None,
) -> dict[str, Any] | None:
    days = series_dates(session, episode.start, episode.end, episode.start)
    if not days:
        return None
    zone = episode.schedule.timezone
    first = resolve_wall(days[0], session.start, zone)
    weekly = {weekday_name(day): day == session.weekday for day in pendulum.WeekDay}
    excluded = [day.isoformat() for day in days if changes.removes(session.id, day)]
    template: dict[str, Any] = {
        "timezone": {"coding": [{"system": _TIMEZONE_SYSTEM, "code": zone}]},
        "recurrenceType": {
            "coding": [{"system": _RECURRENCE_SYSTEM, "code": "wk", "display": "week"}]
        },
        "lastOccurrenceDate": days[-1].isoformat(),
        "weeklyTemplate": {**weekly, "weekInterval": session.every_weeks},
    }
    if excluded:
        template["excludingDate"] = excluded
    return {
        "resourceType": "Appointment",
        "id": _id(plan, "appointment", index, session.id),
        "status": "booked",
        "serviceType": [
            {
                "concept": {
                    "coding": [
                        {
                            "system": _KIND_SYSTEM,
                            "code": session.kind.code,
                            **_present(display=_text(session.kind.label)),
                        }
                    ]
                }
            }
        ],
        **_present(description=_text(session.display_title)),
        "start": _iso(first),
        "end": _iso(first + session.duration),
        "minutesDuration": session.minutes,
        "subject": subject,
        "participant": [{"actor": subject, "status": "accepted"}],
        "recurrenceTemplate": [template],
        **_present(basedOn=based_on),
    }


def _present(**elements: Any) -> dict[str, Any]:
    """The elements that have a value: FHIR JSON has no empty arrays, objects or strings."""
    return {name: value for name, value in elements.items() if value not in (None, "", [], {})}


def _care_plan_status(plan: CarePlan) -> str:
    """``active``; after discharge ``completed``, or ``revoked`` if care ended early."""
    if not plan.discharged:
        return "active"
    return "completed" if plan.transitions[-1].reason.completes_treatment else "revoked"


def _goal_status(plan: CarePlan) -> str:
    return {"active": "active", "completed": "completed", "revoked": "cancelled"}[
        _care_plan_status(plan)
    ]


def _patient(plan: CarePlan, *, client_name: bool) -> dict[str, Any]:
    client = plan.client
    identifier = _text(client.id)
    name = _text(client.name) if client_name else None
    return {
        "resourceType": "Patient",
        "id": _id(plan, "patient"),
        **_present(
            identifier=[{"value": identifier}] if identifier else None,
            name=[{"text": name}] if name else None,
        ),
    }


def _period(episode: Episode) -> dict[str, str]:
    # A level left on the day it began (admitted, then moved the same day)
    # has no whole day; FHIR periods cannot end before they start, so it
    # spans that one date.
    end = max(episode.start, episode.end)
    return {"start": episode.start.isoformat(), "end": end.isoformat()}


def to_fhir(
    plan: CarePlan,
    *,
    diagnoses: bool = False,
    client_name: bool = False,
    validate: bool = False,
) -> dict[str, Any]:
    """The plan as a FHIR R5 Bundle (type ``collection``), as JSON-ready data.

    Resources refer to each other by ``urn:uuid:`` full URLs, as a Bundle
    meant for a transaction or for storage does; the subject is the Bundle's
    ``Patient``, which carries the client's id as an identifier (client ids
    are often not valid FHIR ids, and the resource id is opaque).

    Statuses: the ``CarePlan`` is ``active`` until discharge, then
    ``completed`` when treatment was completed and ``revoked`` when care
    ended before completion (the client left, was transferred, ...); its
    goals are ``active``, ``completed`` or ``cancelled`` alike. A plan that
    readmits the client after another one ``replaces`` that plan's
    ``CarePlan``.

    Args:
        plan: The plan.
        diagnoses: Include the diagnosis codes (``CarePlan.addresses``);
            left out by default, as every export is minimal by default.
        client_name: Include the client's name in the ``Patient``.
        validate: Check the result with fhir.resources (the ``fhir`` extra).

    Raises:
        ImportError: ``validate=True`` without fhir.resources installed.
        pydantic.ValidationError: ``validate=True`` and the Bundle is not
            valid FHIR R5 (a bug in careplan; please report it).
    """
    patient = _patient(plan, client_name=client_name)
    subject = {"reference": _urn(patient["id"])}
    episodes = plan.episodes
    conditions = (
        [_condition(plan, problem, subject) for problem in plan.problems] if diagnoses else []
    )
    condition_of = {c["id"]: c for c in conditions}
    goals = [
        _goal(plan, number, goal, subject, condition_of) for number, goal in enumerate(plan.goals)
    ]
    requests = [_service_request(plan, i, subject, condition_of) for i in plan.interventions]
    appointments = []
    changes = DayChanges.of_plan(plan)
    for index, episode in enumerate(episodes):
        for session in episode.schedule.sessions:
            based_on = [
                {"reference": _urn(r["id"])}
                for i, r in zip(plan.interventions, requests, strict=True)
                if session.kind in i.kinds and i.applies_at(episode.level.code)
            ]
            found = _appointment(plan, index, episode, session, subject, changes, based_on)
            if found is not None:
                appointments.append(found)
    observations = [
        _observation(plan, index, measurement, subject)
        for index, measurement in enumerate(plan.measurements)
    ]
    episodes_of_care = [
        {
            "resourceType": "EpisodeOfCare",
            "id": _id(plan, "episode", index),
            "status": "finished" if episode.left_by is not None else "active",
            "type": [_level_code(plan, episode)],
            "patient": subject,
            "period": _period(episode),
        }
        for index, episode in enumerate(episodes)
    ]
    addresses = [
        {"concept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]}}
        for code in plan.diagnoses
        if diagnoses and _text(code)
    ]
    care_plan = {
        "resourceType": "CarePlan",
        "id": _id(plan, "careplan"),
        "status": _care_plan_status(plan),
        "intent": "plan",
        "title": f"{plan.level.name} care plan",
        "category": [_level_code(plan, episodes[-1])],
        "subject": subject,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        **_present(
            replaces=None
            if plan.readmission_of is None
            else [{"reference": f"CarePlan/{_id(plan.readmission_of, 'careplan')}"}],
            addresses=addresses + [{"reference": {"reference": _urn(c["id"])}} for c in conditions],
            goal=[{"reference": _urn(g["id"])} for g in goals],
            activity=[
                {"plannedActivityReference": {"reference": _urn(a["id"])}}
                for a in [*requests, *appointments]
            ],
        ),
    }
    resources = [
        care_plan,
        patient,
        *conditions,
        *goals,
        *requests,
        *appointments,
        *episodes_of_care,
        *observations,
    ]
    bundle = {
        "resourceType": "Bundle",
        "id": _id(plan, "bundle"),
        "type": "collection",
        "entry": [{"fullUrl": _urn(r["id"]), "resource": r} for r in resources],
    }
    if validate:
        _validate(bundle)
    return bundle


def _hyphens(code: str) -> str:
    """careplan's ``on_hold`` as FHIR's ``on-hold``."""
    return code.replace("_", "-")


def _condition(plan: CarePlan, problem: Problem, subject: dict[str, str]) -> dict[str, Any]:
    coding = problem.condition
    code: dict[str, Any] = {"text": _text(problem.description) or problem.id}
    if coding is not None:
        code["coding"] = [
            {
                "system": coding.uri,
                "code": coding.code,
                **_present(display=_text(coding.display)),
            }
        ]
    return {
        "resourceType": "Condition",
        "id": _id(plan, "condition", problem.id),
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": "active",
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
    }


def _measure_code(plan: CarePlan, measure: str) -> dict[str, Any]:
    """The code of what a target or observation measures: LOINC for instruments that have one."""
    if measure == "attendance":
        return {"text": "attendance (percentage of sessions attended)"}
    instrument = plan.instrument(measure)
    coding = [{"system": _INSTRUMENT_SYSTEM, "code": instrument.code}]
    if instrument.loinc is not None:
        coding.insert(0, {"system": _LOINC, "code": instrument.loinc})
    return {"coding": coding, "text": instrument.name}


def _objective_target(plan: CarePlan, objective: TreatmentObjective) -> dict[str, Any]:
    target = objective.target
    due = None if objective.target_date is None else objective.target_date.isoformat()
    if target is None:
        # An objective the team judges: the target is the objective, in words.
        return _present(detailString=_text(objective.description), dueDate=due)
    unit = (
        {"unit": "%", "system": _UCUM, "code": "%"}
        if target.is_attendance
        else {"unit": "{score}", "system": _UCUM, "code": "{score}"}
    )
    quantity = {"value": target.value, "comparator": _COMPARATORS[target.comparison], **unit}
    return _present(
        measure=_measure_code(plan, target.measure), detailQuantity=quantity, dueDate=due
    )


def _goal(
    plan: CarePlan,
    number: int,
    goal: Goal,
    subject: dict[str, str],
    condition_of: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    legacy = _present(
        detailString=_text(goal.measure),
        dueDate=None if goal.target_date is None else goal.target_date.isoformat(),
    )
    targets = [legacy] if legacy else []
    if goal.id is not None:
        targets += [_objective_target(plan, o) for o in plan.objectives if o.goal == goal.id]
    status = _goal_status(plan) if goal.status is None else _hyphens(goal.status)
    addresses = [
        {"reference": _urn(_id(plan, "condition", problem))}
        for problem in goal.problems
        if _id(plan, "condition", problem) in condition_of
    ]
    achievement = None
    if goal.achievement is not None:
        achievement = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/goal-achievement",
                    "code": _hyphens(goal.achievement),
                }
            ]
        }
    return {
        "resourceType": "Goal",
        "id": _id(plan, "goal", number),
        "lifecycleStatus": status,
        **_present(achievementStatus=achievement),
        "description": {"text": _text(goal.description) or f"Goal {number + 1}"},
        "subject": subject,
        **_present(
            startDate=None if goal.start is None else goal.start.isoformat(),
            target=[t for t in targets if t] or None,
            addresses=addresses,
        ),
    }


def _service_request(
    plan: CarePlan,
    intervention: Intervention,
    subject: dict[str, str],
    condition_of: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """An intervention as a ServiceRequest: what, how often, by which role, for what."""
    status = {"active": "active", "completed": "completed", "revoked": "revoked"}[
        _care_plan_status(plan)
    ]
    problems = {
        problem
        for objective in plan.objectives
        if objective.id in intervention.objectives
        for goal in plan.goals
        if goal.id == objective.goal
        for problem in goal.problems
    }
    reasons = [
        {"reference": {"reference": _urn(_id(plan, "condition", problem))}}
        for problem in sorted(problems)
        if _id(plan, "condition", problem) in condition_of
    ]
    timing = None
    if intervention.kinds:
        timing = {
            "repeat": {
                "frequency": intervention.times,
                "period": intervention.every_weeks,
                "periodUnit": "wk",
            }
        }
    return {
        "resourceType": "ServiceRequest",
        "id": _id(plan, "service-request", intervention.id),
        "status": status,
        "intent": "plan",
        "code": {
            "concept": {
                **_present(
                    coding=[
                        {"system": _KIND_SYSTEM, "code": kind.code, "display": kind.label}
                        for kind in intervention.kinds
                    ]
                ),
                "text": _text(intervention.description) or intervention.id,
            }
        },
        "subject": subject,
        "performerType": {
            "coding": [{"system": _ROLE_SYSTEM, "code": intervention.role}],
            "text": intervention.role.replace("_", " "),
        },
        **_present(occurrenceTiming=timing, reason=reasons),
    }


def _observation(
    plan: CarePlan, index: int, measurement: Measurement, subject: dict[str, str]
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _id(plan, "observation", index),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                    }
                ]
            }
        ],
        "code": _measure_code(plan, measurement.instrument),
        "subject": subject,
        "effectiveDateTime": measurement.on.isoformat(),
        "valueQuantity": {
            "value": measurement.score,
            "unit": "{score}",
            "system": _UCUM,
            "code": "{score}",
        },
    }


def _urn(hex32: str) -> str:
    """The ``urn:uuid:`` of a resource id (32 hex digits, written as a UUID)."""
    return f"urn:uuid:{hex32[:8]}-{hex32[8:12]}-{hex32[12:16]}-{hex32[16:20]}-{hex32[20:32]}"


def _validate(bundle: dict[str, Any]) -> None:
    try:
        from fhir.resources.bundle import Bundle
    except ImportError:
        raise ImportError(
            "validating FHIR needs fhir.resources: pip install 'careplan[fhir]'"
        ) from None
    Bundle.model_validate(bundle)
