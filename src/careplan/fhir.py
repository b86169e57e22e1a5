"""FHIR R5 export: a Bundle a health system can store.

The Bundle holds one ``CarePlan`` (status, intent, subject, period, the level
of care as category, one activity per weekly session series), a ``Goal``
per goal, an ``Appointment`` per session series with a weekly
``recurrenceTemplate``, and an ``EpisodeOfCare`` per level-of-care episode.

The output is plain JSON-ready data and needs no extra package. With the
``fhir`` extra installed (``pip install 'careplan[fhir]'``),
``validate=True`` checks it against the FHIR R5 models of fhir.resources.

Level codes have no official HL7 code system; careplan uses
``https://careplan.readthedocs.io/fhir/CodeSystem/<continuum>`` (for example
``.../default`` with codes ``OP``, ``IOP``, ``PHP``, ``RES``, ``INP``).

>>> from careplan.demo import sample_plan
>>> bundle = to_fhir(sample_plan())
>>> sorted({entry["resource"]["resourceType"] for entry in bundle["entry"]})
['Appointment', 'CarePlan', 'EpisodeOfCare', 'Goal']
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from typing import Any

import pendulum

from careplan._model.plan import CarePlan
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


def _id(plan: CarePlan, *parts: object) -> str:
    """An opaque resource id (FHIR ids: up to 64 of [A-Za-z0-9-.])."""
    digest = hashlib.sha256("/".join([plan.id, *map(str, parts)]).encode()).hexdigest()
    return digest[:32]


def _level_code(plan: CarePlan, episode: Episode) -> dict[str, Any]:
    return {
        "coding": [
            {
                "system": f"{CODE_SYSTEM_BASE}/{plan.continuum.name.lower()}",
                "code": episode.level.code,
                "display": episode.level.name,
            }
        ],
        "text": episode.level.name,
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
                            "display": session.kind.label,
                        }
                    ]
                }
            }
        ],
        "description": session.display_title,
        "start": _iso(first),
        "end": _iso(first + session.duration),
        "minutesDuration": session.minutes,
        "subject": subject,
        "participant": [{"actor": subject, "status": "accepted"}],
        "recurrenceTemplate": [template],
    }


def to_fhir(plan: CarePlan, *, diagnoses: bool = False, validate: bool = False) -> dict[str, Any]:
    """The plan as a FHIR R5 Bundle (type ``collection``), as JSON-ready data.

    Resources refer to each other by ``urn:uuid:`` full URLs, as a Bundle
    meant for a transaction or for storage does; the subject is
    ``Patient/<client id>``.

    Args:
        plan: The plan.
        diagnoses: Include the diagnosis codes (``CarePlan.addresses``);
            left out by default, as every export is minimal by default.
        validate: Check the result with fhir.resources (the ``fhir`` extra).

    Raises:
        ImportError: ``validate=True`` without fhir.resources installed.
        pydantic.ValidationError: ``validate=True`` and the Bundle is not
            valid FHIR R5 (a bug in careplan; please report it).
    """
    subject = {"reference": f"Patient/{plan.client.id}"}
    episodes = plan.episodes
    resources: list[dict[str, Any]] = []
    goals = []
    for number, goal in enumerate(plan.goals):
        resource: dict[str, Any] = {
            "resourceType": "Goal",
            "id": _id(plan, "goal", number),
            "lifecycleStatus": "completed" if plan.discharged else "active",
            "description": {"text": goal.description},
            "subject": subject,
        }
        target: dict[str, Any] = {}
        if goal.measure:
            target["detailString"] = goal.measure
        if goal.target_date is not None:
            target["dueDate"] = goal.target_date.isoformat()
        if target:
            resource["target"] = [target]
        goals.append(resource)
    appointments = []
    changes = DayChanges.of_plan(plan)
    for index, episode in enumerate(episodes):
        for session in episode.schedule.sessions:
            found = _appointment(plan, index, episode, session, subject, changes)
            if found is not None:
                appointments.append(found)
    episodes_of_care = []
    for index, episode in enumerate(episodes):
        finished = episode.left_by is not None
        episodes_of_care.append(
            {
                "resourceType": "EpisodeOfCare",
                "id": _id(plan, "episode", index),
                "status": "finished" if finished else "active",
                "type": [_level_code(plan, episode)],
                "patient": subject,
                "period": {
                    "start": episode.start.isoformat(),
                    "end": episode.end.isoformat(),
                },
            }
        )
    care_plan = {
        "resourceType": "CarePlan",
        "id": _id(plan, "careplan"),
        "status": "completed" if plan.discharged else "active",
        "intent": "plan",
        "title": f"{plan.level.name} care plan",
        "category": [_level_code(plan, episodes[-1])],
        "subject": subject,
        "period": {"start": plan.start.isoformat(), "end": plan.end.isoformat()},
        "goal": [{"reference": _urn(g["id"])} for g in goals],
        "activity": [
            {"plannedActivityReference": {"reference": _urn(a["id"])}} for a in appointments
        ],
    }
    if diagnoses and plan.diagnoses:
        care_plan["addresses"] = [
            {"concept": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]}}
            for code in plan.diagnoses
        ]
    resources = [care_plan, *goals, *appointments, *episodes_of_care]
    bundle = {
        "resourceType": "Bundle",
        "id": _id(plan, "bundle"),
        "type": "collection",
        "entry": [{"fullUrl": _urn(r["id"]), "resource": r} for r in resources],
    }
    if validate:
        _validate(bundle)
    return bundle


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
