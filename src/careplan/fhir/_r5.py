"""FHIR R5: the writer; R4 rewrites its resources (:mod:`careplan.fhir._r4`)."""

from __future__ import annotations

import datetime as _dt
import urllib.parse
from typing import Any

import pendulum

from careplan._model.care import Intervention, Problem, TreatmentObjective
from careplan._model.errors import InvalidValueError, MissingExtraError
from careplan._model.expansion import DayChanges, occurrence_on, series_dates
from careplan._model.measures import Measurement
from careplan._model.plan import CarePlan, Goal
from careplan._model.session import Session
from careplan._model.time import format_wall_time, weekday_name
from careplan._model.transition import Episode, TransitionReason
from careplan._operations.progress import progress
from careplan.fhir._codes import (
    CLIENT_SYSTEM,
    CODE_SYSTEM_BASE,
    DISCHARGE_REASON,
    EPISODE_REASON,
    GOAL_SYSTEM,
    INSTRUMENT_SYSTEM,
    KIND_SYSTEM,
    LOINC,
    MEASURE_SYSTEM,
    PLAN_SYSTEM,
    PROBLEM_SYSTEM,
    REASON_SYSTEM,
    SESSION_SYSTEM,
    TRACK_SYSTEM,
    TZ_CODE,
    UCUM,
    WALL_TIME,
    FhirVersion,
    active_problem,
    narrative,
    present,
    resource_id,
    score_observation,
    security_labels,
    text_or_none,
    urn,
)
from careplan.fhir._r4 import to_r4
from careplan.fhir._safety import safety_resources

__all__ = ["MAX_R4_APPOINTMENTS", "to_fhir"]

#: The most Appointments an R4 export writes (one per occurrence): about
#: 2 s and 40 MB of JSON. A plan with more is refused before any work; R5
#: writes each weekly series once.
MAX_R4_APPOINTMENTS = 20_000

# The R5 value set appointment-recurrrence-type (sic) takes UCUM units.
_RECURRENCE_SYSTEM = "http://unitsofmeasure.org"
_TIMEZONE_SYSTEM = "https://www.iana.org/time-zones"
_VERSIONS = ("r4", "r5")
_INSTRUMENT_SYSTEM = INSTRUMENT_SYSTEM
_ROLE_SYSTEM = f"{CODE_SYSTEM_BASE}/care-role"
_MEASURE_SYSTEM = MEASURE_SYSTEM
# What a target measures when it is not a score: the goal's measure or the
# objective, in words (gol-1: a target with a detail names its measure).
_AS_WORDED = {
    "goal": {
        "coding": [{"system": _MEASURE_SYSTEM, "code": "goal-measure"}],
        "text": "the goal's measure, as worded",
    },
    "objective": {
        "coding": [{"system": _MEASURE_SYSTEM, "code": "objective"}],
        "text": "the objective, as worded, judged by the team",
    },
}
_COMPARATORS = {"below": "<", "at_most": "<=", "at_least": ">=", "above": ">"}


def _reason_extension(url: str, reason: TransitionReason) -> dict[str, Any]:
    return {
        "url": url,
        "valueCoding": {"system": REASON_SYSTEM, "code": reason.code, "display": reason.label},
    }


def _level_code(plan: CarePlan, episode: Episode) -> dict[str, Any]:
    name = text_or_none(episode.level.name)
    # A continuum's name may hold spaces; the code system is a URI.
    system = f"{CODE_SYSTEM_BASE}/{urllib.parse.quote(plan.continuum.name.lower())}"
    return {
        "coding": [{"system": system, "code": episode.level.code, **present(display=name)}],
        **present(text=name),
    }


def _iso(moment: _dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _appointments(
    plan: CarePlan,
    index: int,
    episode: Episode,
    session: Session,
    subject: dict[str, str],
    changes: DayChanges,
    based_on: list[dict[str, str]],
) -> list[dict[str, Any]]:
    """The recurring Appointment of a session series, then one per moved occurrence.

    A moved occurrence is an exception to the series (R5
    ``occurrenceChanged``, ``recurrenceId`` counting from 1 and
    ``originatingAppointment``); it replaces the instance of that number.
    """
    days = series_dates(session, episode.start, episode.end, episode.start)
    if not days:
        return []
    zone = episode.schedule.timezone
    # Start and end as the plan's occurrences have them: the end is the
    # elapsed duration after the start, also on a clock-change day.
    first = occurrence_on(session, days[0], zone, {}, "compatible", index)
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
    series_id = resource_id(plan, "appointment", index, session.id)
    common = {
        "resourceType": "Appointment",
        "status": "booked",
        "identifier": [{"system": SESSION_SYSTEM, "value": session.id}],
        "serviceCategory": []
        if session.track is None
        else [
            {
                "coding": [
                    {
                        "system": TRACK_SYSTEM,
                        "code": session.track.code,
                        **present(display=text_or_none(session.track.label)),
                    }
                ]
            }
        ],
        "serviceType": [
            {
                "concept": {
                    "coding": [
                        {
                            "system": KIND_SYSTEM,
                            "code": session.kind.code,
                            **present(display=text_or_none(session.kind.label)),
                        }
                    ]
                }
            }
        ],
        "description": text_or_none(session.title),
        "virtualService": _virtual_service(session),
        "subject": subject,
        "participant": _participants(session, subject),
        "basedOn": based_on,
        "supportingInformation": [{"reference": urn(resource_id(plan, "episode", index))}],
        "minutesDuration": session.minutes,
    }
    wall = {"url": WALL_TIME, "valueTime": f"{format_wall_time(session.start)}:00"}
    found = [
        {
            "id": series_id,
            "extension": [wall],
            **present(**common),
            "start": _iso(first.start),
            "end": _iso(first.end),
            "recurrenceTemplate": [template],
        }
    ]
    for number, day in enumerate(days, start=1):
        change = changes.moved.get((session.id, day))
        if change is None or changes.removes(session.id, day):
            continue
        moved = occurrence_on(session, day, zone, changes.moved, "compatible", index)
        found.append(
            {
                "id": resource_id(plan, "appointment", index, session.id, day.isoformat()),
                **present(**{**common, "minutesDuration": moved.minutes}),
                "start": _iso(moved.start),
                "end": _iso(moved.end),
                "recurrenceId": number,
                "occurrenceChanged": True,
                "originatingAppointment": {"reference": urn(series_id)},
            }
        )
    return found


def _virtual_service(session: Session) -> list[dict[str, Any]]:
    if not session.modality.is_virtual:
        return []
    channel = {"system": f"{CODE_SYSTEM_BASE}/virtual-service", "code": "video"}
    return [{"channelType": channel, **present(addressUrl=text_or_none(session.modality.join_url))}]


def _participants(session: Session, subject: dict[str, str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [{"actor": subject, "status": "accepted"}]
    location = text_or_none(session.modality.location)
    if location is not None and not session.modality.is_virtual:
        # The place as a display-only reference to a Location.
        found.append({"actor": {"display": location}, "status": "accepted"})
    return found


def _care_plan_status(plan: CarePlan) -> str:
    """``active``; after discharge ``completed``, or ``revoked`` if care ended early."""
    if not plan.discharged:
        return "active"
    return "completed" if plan.transitions[-1].reason.completes_treatment else "revoked"


def _targets_met(plan: CarePlan) -> dict[str, list[bool]]:
    """Per goal id, whether each measured target of its objectives was met at the end.

    Computed only for a discharged plan: before it every goal is active.
    """
    found: dict[str, list[bool]] = {}
    if plan.discharged:
        for p in progress(plan, today=plan.end):
            if p.met is not None:
                found.setdefault(p.goal, []).append(p.met)
    return found


def _goal_outcome(plan: CarePlan, met: list[bool]) -> tuple[str, str | None]:
    """The lifecycle and achievement status of a goal without a status of its own, or
    still open at discharge.

    Active until discharge. At discharge a goal whose objectives' targets
    were all met (each target that was measured, and at least one) is
    ``completed`` and ``achieved``; one with a target not met ends
    ``cancelled`` and ``not-achieved``; one with nothing measured follows
    the discharge: ``completed`` when treatment was completed, else
    ``cancelled``.
    """
    status = _care_plan_status(plan)
    if status == "active":
        return "active", None
    if met and all(met):
        return "completed", "achieved"
    if met:
        return "cancelled", "not-achieved"
    return ("completed" if status == "completed" else "cancelled"), None


def _patient(plan: CarePlan, *, client_name: bool) -> dict[str, Any]:
    client = plan.client
    # Written as given (not trimmed): it is the key a reader maps back.
    identifier = client.id if text_or_none(client.id) else None
    name = text_or_none(client.name) if client_name else None
    return {
        "resourceType": "Patient",
        "id": resource_id(plan, "patient"),
        **present(
            identifier=[{"system": CLIENT_SYSTEM, "value": identifier}] if identifier else None,
            name=[{"text": name}] if name else None,
        ),
    }


def _care_team(plan: CarePlan, subject: dict[str, str]) -> list[dict[str, Any]]:
    """The CareTeam and a Practitioner per member, or nothing for a plan without one."""
    practitioners = [
        {
            "resourceType": "Practitioner",
            "id": resource_id(plan, "practitioner", number),
            **present(name=[{"text": name}] if (name := text_or_none(member.name)) else None),
        }
        for number, member in enumerate(plan.care_team)
    ]
    team = {
        "resourceType": "CareTeam",
        "id": resource_id(plan, "careteam"),
        "status": "active",
        "subject": subject,
        "participant": [
            {
                **present(role={"text": role} if (role := text_or_none(member.role)) else None),
                "member": {"reference": urn(practitioner["id"])},
            }
            for member, practitioner in zip(plan.care_team, practitioners, strict=True)
        ],
    }
    return [team, *practitioners]


def _period(episode: Episode, *, zone: str) -> dict[str, Any]:
    # A level left on the day it began (admitted, then moved the same day)
    # has no whole day; FHIR periods cannot end before they start, so it
    # spans that one date.
    end = max(episode.start, episode.end)
    return {
        "start": episode.start.isoformat(),
        "_start": {"extension": [{"url": TZ_CODE, "valueCode": zone}]},
        "end": end.isoformat(),
    }


def to_fhir(
    plan: CarePlan,
    *,
    version: FhirVersion = "r5",
    diagnoses: bool = False,
    client_name: bool = False,
    care_team: bool = False,
    safety: bool = False,
    validate: bool = False,
) -> dict[str, Any]:
    """The plan as a FHIR Bundle (type ``collection``), R5 or R4, as JSON-ready data.

    Resources refer to each other by ``urn:uuid:`` full URLs, as a Bundle
    meant for a transaction or for storage does; the subject is the Bundle's
    ``Patient``, which carries the client's id as an identifier (client ids
    are often not valid FHIR ids, and the resource id is opaque).

    Statuses: the ``CarePlan`` is ``active`` until discharge, then
    ``completed`` when treatment was completed and ``revoked`` when care
    ended before completion (the client left, was transferred, ...); its
    goals are ``active``, ``completed`` or ``cancelled`` alike. A plan that
    readmits the client after another one ``replaces`` that plan's
    ``CarePlan``. Substance-use-disorder treatment is labelled as 42 CFR
    Part 2 records (see :func:`careplan.fhir._codes.security_labels`).

    Args:
        plan: The plan.
        version: ``"r5"`` (default) or ``"r4"``: FHIR R4 (4.0.1) with the US
            Core profiles that apply (Patient, Condition, Goal, CarePlan),
            one Appointment per occurrence, as R4 has no recurring ones.
        diagnoses: Include the diagnosis codes (``CarePlan.addresses``; in
            R4 as ``Condition`` resources); left out by default, as every
            export is minimal by default.
        client_name: Include the client's name in the ``Patient``.
        care_team: Include the care team: a ``CareTeam`` whose members
            are ``Practitioner`` resources with their names and roles,
            referred to by the ``CarePlan``. Neither claims a profile: US
            Core's ask a role and an NPI for each member.
        safety: Include the plan's suicide-risk records
            (:attr:`CarePlan.safety`): each questionnaire answered item by
            item as an ``Observation`` with a component per item (LOINC
            coded), each C-SSRS Screener as an ``Observation`` with its
            answers and triage, each risk assessment as a
            ``RiskAssessment`` (with its note), each safety plan as a
            ``QuestionnaireResponse`` the ``CarePlan`` names in
            ``supportingInfo``. Left out by default. The records' free text
            (notes, the safety plan's entries) is in those resources' own
            elements only, never in a narrative.
        validate: Check the result with fhir.resources (the ``fhir``
            extra): the R5 models, or the R4B models for R4 (R4B changed
            none of the resources written here).

    Raises:
        InvalidValueError: ``version`` is not ``"r4"`` or ``"r5"``; or, in
            R4, the plan has more occurrences than :data:`MAX_R4_APPOINTMENTS`
            (checked from the schedule before any work).
        ImportError: ``validate=True`` without fhir.resources installed.
        pydantic.ValidationError: ``validate=True`` and the Bundle is not
            valid FHIR (a bug in careplan; please report it).
    """
    if version not in _VERSIONS:
        raise InvalidValueError(
            "version", version, "is not a FHIR version careplan writes", "use 'r4' or 'r5'"
        )
    if version == "r4":
        _check_r4_budget(plan)
    patient = _patient(plan, client_name=client_name)
    subject = {"reference": urn(patient["id"])}
    episodes = plan.episodes
    conditions = (
        [_condition(plan, problem, subject) for problem in plan.problems] if diagnoses else []
    )
    condition_of = {c["id"]: c for c in conditions}
    met = _targets_met(plan)
    goals = [
        _goal(plan, number, goal, subject, condition_of, met)
        for number, goal in enumerate(plan.goals)
    ]
    requests = [_service_request(plan, i, subject, condition_of) for i in plan.interventions]
    care_plan_id = resource_id(plan, "careplan")
    appointments = []
    changes = DayChanges.of_plan(plan)
    for index, episode in enumerate(episodes):
        for session in episode.schedule.sessions:
            # Based on the plan, and on the interventions it delivers.
            based_on = [{"reference": urn(care_plan_id)}] + [
                {"reference": urn(r["id"])}
                for i, r in zip(plan.interventions, requests, strict=True)
                if session.kind in i.kinds and i.applies_at(episode.level.code)
            ]
            appointments += _appointments(plan, index, episode, session, subject, changes, based_on)
    observations = [
        _observation(plan, index, measurement, subject)
        for index, measurement in enumerate(plan.measurements)
    ]
    safety_records = safety_resources(plan, subject) if safety else []
    episodes_of_care = [
        {
            "resourceType": "EpisodeOfCare",
            "id": resource_id(plan, "episode", index),
            **present(
                extension=None
                if episode.reason_in is None
                else [_reason_extension(EPISODE_REASON, episode.reason_in)]
            ),
            "status": "finished" if episode.left_by is not None else "active",
            "type": [_level_code(plan, episode)],
            "patient": subject,
            "period": _period(episode, zone=episode.schedule.timezone),
        }
        for index, episode in enumerate(episodes)
    ]
    addresses = [
        {"concept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]}}
        for code in plan.diagnoses
        if diagnoses and text_or_none(code)
    ]
    discharge = plan.transitions[-1].reason if plan.discharged else None
    care_plan = {
        "resourceType": "CarePlan",
        "id": care_plan_id,
        **present(
            extension=None
            if discharge is None
            else [_reason_extension(DISCHARGE_REASON, discharge)]
        ),
        "identifier": [{"system": PLAN_SYSTEM, "value": plan.id}],
        "status": _care_plan_status(plan),
        "intent": "plan",
        "title": f"{plan.level.name} care plan",
        "category": [_level_code(plan, episodes[-1])],
        "subject": subject,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        **present(
            replaces=None
            if plan.readmission_of is None
            else [
                {
                    "reference": f"CarePlan/{resource_id(plan.readmission_of, 'careplan')}",
                    "identifier": {"system": PLAN_SYSTEM, "value": plan.readmission_of},
                }
            ],
            addresses=addresses + [{"reference": {"reference": urn(c["id"])}} for c in conditions],
            goal=[{"reference": urn(g["id"])} for g in goals],
            # The safety plans: linked documents (QuestionnaireResponses).
            supportingInfo=[
                {"reference": urn(r["id"])}
                for r in safety_records
                if r["resourceType"] == "QuestionnaireResponse"
            ],
            activity=[
                {"plannedActivityReference": {"reference": urn(a["id"])}}
                for a in [*requests, *appointments]
            ],
        ),
    }
    team = _care_team(plan, subject) if care_team and plan.care_team else []
    if team:
        care_plan["careTeam"] = [{"reference": urn(team[0]["id"])}]
    resources = [
        care_plan,
        patient,
        *conditions,
        *goals,
        *requests,
        *appointments,
        *episodes_of_care,
        *observations,
        *safety_records,
        *team,
    ]
    if version == "r4":
        resources = to_r4(plan, resources, diagnoses=diagnoses)
    labels = security_labels(plan)
    for resource in resources:
        if labels:
            resource["meta"] = {**resource.get("meta", {}), "security": labels}
        resource.setdefault("text", narrative(resource))
    bundle = {
        "resourceType": "Bundle",
        "id": resource_id(plan, "bundle", version),
        **present(meta={"security": labels} if labels else None),
        "type": "collection",
        "entry": [{"fullUrl": urn(r["id"]), "resource": r} for r in resources],
    }
    if validate:
        _validate(bundle, version)
    return bundle


def _check_r4_budget(plan: CarePlan) -> None:
    """Refuse, from the schedule alone, a plan with more occurrences than R4 writes."""
    at_most = 0
    for episode in plan.episodes:
        days = (episode.end - episode.start).days + 1
        for session in episode.schedule.sessions:
            at_most += days // (7 * session.every_weeks) + 1
    if at_most > MAX_R4_APPOINTMENTS:
        raise InvalidValueError(
            "plan",
            at_most,
            f"occurrences (at most) are more than an R4 export writes: R4 has an "
            f"Appointment per occurrence, at most {MAX_R4_APPOINTMENTS:,} (about 2 s and 40 MB)",
            "export R5, which writes each weekly series once, or a shorter plan",
        )


def _hyphens(code: str) -> str:
    """careplan's ``on_hold`` as FHIR's ``on-hold``."""
    return code.replace("_", "-")


def _condition(plan: CarePlan, problem: Problem, subject: dict[str, str]) -> dict[str, Any]:
    coding = problem.condition
    code: dict[str, Any] = {"text": text_or_none(problem.description) or problem.id}
    if coding is not None:
        code["coding"] = [
            {
                "system": coding.uri,
                "code": coding.code,
                **present(display=text_or_none(coding.display)),
            }
        ]
    return active_problem(
        resource_id(plan, "condition", problem.id),
        code,
        subject,
        plan.start.isoformat(),
        identifier=[{"system": PROBLEM_SYSTEM, "value": problem.id}],
    )


def _measure_code(plan: CarePlan, measure: str) -> dict[str, Any]:
    """The code of what a target or observation measures: LOINC for instruments that have one."""
    if measure == "attendance":
        return {"text": "attendance (percentage of sessions attended)"}
    instrument = plan.instrument(measure)
    coding = [{"system": _INSTRUMENT_SYSTEM, "code": instrument.code}]
    if instrument.loinc is not None:
        coding.insert(0, {"system": LOINC, "code": instrument.loinc})
    return {"coding": coding, "text": instrument.name}


def _objective_target(plan: CarePlan, objective: TreatmentObjective) -> dict[str, Any]:
    target = objective.target
    due = None if objective.target_date is None else objective.target_date.isoformat()
    if target is None:
        # An objective the team judges: the target is the objective, in words.
        described = text_or_none(objective.description)
        return present(
            measure=None if described is None else _AS_WORDED["objective"],
            detailString=described,
            dueDate=due,
        )
    unit = (
        {"unit": "%", "system": UCUM, "code": "%"}
        if target.is_attendance
        else {"unit": "{score}", "system": UCUM, "code": "{score}"}
    )
    quantity = {"value": target.value, "comparator": _COMPARATORS[target.comparison], **unit}
    return present(
        measure=_measure_code(plan, target.measure), detailQuantity=quantity, dueDate=due
    )


def _goal(
    plan: CarePlan,
    number: int,
    goal: Goal,
    subject: dict[str, str],
    condition_of: dict[str, dict[str, Any]],
    met: dict[str, list[bool]],
) -> dict[str, Any]:
    measure = text_or_none(goal.measure)
    legacy = present(
        measure=None if measure is None else _AS_WORDED["goal"],
        detailString=measure,
        dueDate=None if goal.target_date is None else goal.target_date.isoformat(),
    )
    targets = [legacy] if legacy else []
    if goal.id is not None:
        targets += [_objective_target(plan, o) for o in plan.objectives if o.goal == goal.id]
    if goal.status is None or (goal.open and plan.discharged):
        # A goal still open at discharge ends with the discharge.
        status, achieved = _goal_outcome(plan, [] if goal.id is None else met.get(goal.id, []))
    else:
        status, achieved = _hyphens(goal.status), None
    addresses = [
        {"reference": urn(resource_id(plan, "condition", problem))}
        for problem in goal.problems
        if resource_id(plan, "condition", problem) in condition_of
    ]
    achievement = None
    code = _hyphens(goal.achievement) if goal.achievement is not None else achieved
    if code is not None:
        achievement = {
            "coding": [
                {"system": "http://terminology.hl7.org/CodeSystem/goal-achievement", "code": code}
            ]
        }
    return {
        "resourceType": "Goal",
        "id": resource_id(plan, "goal", number),
        **present(
            identifier=None if goal.id is None else [{"system": GOAL_SYSTEM, "value": goal.id}]
        ),
        "lifecycleStatus": status,
        **present(achievementStatus=achievement),
        "description": {"text": text_or_none(goal.description) or f"Goal {number + 1}"},
        "subject": subject,
        **present(
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
        {"reference": {"reference": urn(resource_id(plan, "condition", problem))}}
        for problem in sorted(problems)
        if resource_id(plan, "condition", problem) in condition_of
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
        "id": resource_id(plan, "service-request", intervention.id),
        "status": status,
        "intent": "plan",
        "code": {
            "concept": {
                **present(
                    coding=[
                        {"system": KIND_SYSTEM, "code": kind.code, "display": kind.label}
                        for kind in intervention.kinds
                    ]
                ),
                "text": text_or_none(intervention.description) or intervention.id,
            }
        },
        "subject": subject,
        "performerType": {
            "coding": [{"system": _ROLE_SYSTEM, "code": intervention.role}],
            "text": intervention.role.replace("_", " "),
        },
        **present(occurrenceTiming=timing, reason=reasons),
    }


def _observation(
    plan: CarePlan, index: int, measurement: Measurement, subject: dict[str, str]
) -> dict[str, Any]:
    code = _measure_code(plan, measurement.instrument)
    return score_observation(resource_id(plan, "observation", index), code, subject, measurement)


def _validate(bundle: dict[str, Any], version: FhirVersion) -> None:
    try:
        if version == "r5":
            from fhir.resources.bundle import Bundle

            Bundle.model_validate(bundle)
        else:
            from fhir.resources.R4B.bundle import Bundle as R4Bundle

            R4Bundle.model_validate(bundle)
    except ImportError:
        raise MissingExtraError("validating FHIR", "fhir.resources", "fhir") from None
