"""Read a FHIR Bundle (R4 or R5) back into a care plan.

What FHIR carries comes back: the client's id (and name, if exported), the
plan's period and id, each episode's level, dates, time zone and the reason
it began, every weekly session (day, wall time, length, kind, track,
modality, every n weeks), the sessions that do not happen (as
cancellations: a closure comes back as the cancellation of each session it
closed), moved sessions, goals, diagnoses and the discharge reason. So the
plan read back has the same occurrences as the one written.

What it does not carry is not guessed: the plan of care beyond its goals
(problems, objectives, interventions, reviews, signatures, measurements are
written but not read back), attendance, authorizations, holds
(their days come back as cancellations), referrals, transition notes, the
care team, the relapse prevention plan, which plan a readmission follows,
in R5, a session that never happens in its episode (an episode of zero
days has no Appointment to say it had sessions), and blank text (FHIR has
no blank strings: a blank goal comes back as "Goal n"). A Bundle that
cannot be read as a careplan plan raises a :class:`~careplan.DocumentError`
naming the element.
"""

from __future__ import annotations

import datetime as _dt
import urllib.parse
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

import pendulum

from careplan._adapters.fhir_codes import (
    CLIENT_SYSTEM,
    CODE_SYSTEM_BASE,
    DIAGNOSIS_SYSTEM,
    DISCHARGE_REASON,
    EPISODE,
    EPISODE_REASON,
    JOIN_URL,
    MODALITY,
    PLAN_SYSTEM,
    SCHEDULED_ON,
    SESSION_ID,
    SESSION_SYSTEM,
    TIMEZONE,
    TRACK,
    WALL_TIME,
)
from careplan._model.calendar import Cancellation, Reschedule
from careplan._model.continua import BUILTIN_CONTINUA
from careplan._model.errors import CarePlanError, DocumentError
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.plan import CarePlan, Client, Goal
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Modality, Session
from careplan._model.transition import Transition, TransitionReason, direction_between
from careplan._operations.expansion import occurrence_on, series_dates

__all__ = ["from_fhir"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@contextmanager
def _at(path: str) -> Iterator[None]:
    """Turn what goes wrong inside into a DocumentError at ``path``."""
    try:
        yield
    except DocumentError:
        raise
    except CarePlanError as error:
        raise DocumentError(path, str(error)) from None
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        raise DocumentError(path, f"cannot be read ({type(error).__name__}: {error})") from None


def _extension(resource: Mapping[str, Any], url: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = next(
        (e for e in resource.get("extension", ()) if e.get("url") == url), None
    )
    return found


def _identifier(resource: Mapping[str, Any], system: str) -> str | None:
    return next(
        (i["value"] for i in resource.get("identifier", ()) if i.get("system") == system), None
    )


def _date(text: str) -> pendulum.Date:
    day = _dt.date.fromisoformat(text[:10])
    return pendulum.Date(day.year, day.month, day.day)


def _continuum(episodes: list[tuple[str, Mapping[str, Any]]], given: Continuum | None) -> Continuum:
    if given is not None:
        return given
    names = set()
    for path, episode in episodes:
        with _at(f"{path}.type"):
            system = episode["type"][0]["coding"][0]["system"]
        if not system.startswith(CODE_SYSTEM_BASE + "/"):
            raise DocumentError(
                f"{path}.type", f"{system!r} is not a careplan level system; pass continuum="
            )
        names.add(urllib.parse.unquote(system[len(CODE_SYSTEM_BASE) + 1 :]))
    for name in names:
        for continuum in BUILTIN_CONTINUA.values():
            if continuum.name.lower() == name:
                return continuum
    raise DocumentError(
        episodes[0][0] + ".type",
        f"the levels are on the {', '.join(sorted(names))} continuum, which is not built in; "
        "pass the Continuum as from_fhir(bundle, continuum=...)",
    )


_Vocabulary = TypeVar("_Vocabulary", SessionKind, TreatmentTrack)


def _coded(vocabulary: type[_Vocabulary], coding: Mapping[str, Any]) -> _Vocabulary:
    """A session kind or track from a coding: the built-in one, or a custom one with its label."""
    builtin = vocabulary.from_code(coding["code"])
    label = coding.get("display")
    if label is None or builtin in vocabulary.builtins():
        return builtin
    return vocabulary(coding["code"], label)


def _reason(extension: Mapping[str, Any] | None, direction: str) -> TransitionReason:
    if extension is None:
        raise DocumentError("", "a move between episodes has no reason")
    coding = extension["valueCoding"]
    known = {r.code: r for r in TransitionReason.builtins()}
    if coding["code"] in known:
        return known[coding["code"]]
    return TransitionReason(coding["code"], coding.get("display", coding["code"]), direction)  # type: ignore[arg-type]


class _Reader:
    """One Bundle, indexed by full URL, with the paths of its resources."""

    def __init__(self, bundle: object) -> None:
        if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
            raise DocumentError("", "is not a FHIR Bundle (resourceType must be 'Bundle')")
        entries = bundle.get("entry")
        if not isinstance(entries, list):
            raise DocumentError("entry", "is missing or not a list")
        self.by_url: dict[str, tuple[str, Mapping[str, Any]]] = {}
        self.by_type: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
        for index, entry in enumerate(entries):
            path = f"entry[{index}].resource"
            with _at(path):
                resource = entry["resource"]
                kind = resource["resourceType"]
            self.by_type.setdefault(kind, []).append((path, resource))
            if "fullUrl" in entry:
                self.by_url[entry["fullUrl"]] = (path, resource)

    def one(self, kind: str) -> tuple[str, Mapping[str, Any]]:
        found = self.by_type.get(kind, [])
        if len(found) != 1:
            raise DocumentError("entry", f"has {len(found)} {kind} resources; careplan reads one")
        return found[0]

    def resolve(self, reference: Mapping[str, Any], path: str) -> tuple[str, Mapping[str, Any]]:
        with _at(path):
            target = self.by_url.get(reference["reference"])
        if target is None:
            raise DocumentError(path, f"{reference['reference']!r} is not in the Bundle")
        return target


def from_fhir(bundle: object, *, continuum: Continuum | None = None) -> CarePlan:
    """The care plan a FHIR R4 or R5 Bundle describes.

    Reads Bundles that :func:`careplan.fhir.to_fhir` wrote, and others
    built the same way: one ``CarePlan``, its ``Patient``, an
    ``EpisodeOfCare`` per level of care, and the sessions (R5: recurring
    ``Appointment``s; R4: ``CarePlan.activity.detail`` series and one
    ``Appointment`` per occurrence).

    Args:
        bundle: The Bundle as parsed JSON.
        continuum: The continuum the level codes are on, when it is not one
            of careplan's built-in ones.

    Raises:
        DocumentError: Something cannot be read or represented; ``path``
            names the element (``entry[3].resource.period``).

    >>> from careplan.demo import sample_plan
    >>> from careplan.fhir import to_fhir
    >>> plan = sample_plan()
    >>> again = from_fhir(to_fhir(plan, version="r4"))
    >>> again.occurrences() == plan.occurrences()
    True
    """
    reader = _Reader(bundle)
    plan_path, care_plan = reader.one("CarePlan")
    with _at(f"{plan_path}.subject"):
        patient_path, patient = reader.resolve(care_plan["subject"], f"{plan_path}.subject")
    with _at(patient_path):
        client_id = _identifier(patient, CLIENT_SYSTEM) or patient["identifier"][0]["value"]
        name = next((n["text"] for n in patient.get("name", ()) if "text" in n), None)
        client = Client(client_id, name)
    episode_entries = reader.by_type.get("EpisodeOfCare", [])
    if not episode_entries:
        raise DocumentError("entry", "has no EpisodeOfCare: the levels of care are unknown")
    # Stable: episodes that begin on the same day keep the Bundle's order.
    episode_entries = sorted(episode_entries, key=lambda e: e[1]["period"]["start"])
    chosen = _continuum(episode_entries, continuum)
    episode_url = {
        url: index
        for index, (path, _) in enumerate(episode_entries)
        for url, (other, _resource) in reader.by_url.items()
        if other == path
    }
    levels: list[LevelOfCare] = []
    zones: list[str] = []
    starts: list[pendulum.Date] = []
    for path, episode in episode_entries:
        with _at(f"{path}.type"):
            levels.append(chosen[episode["type"][0]["coding"][0]["code"]])
        with _at(f"{path}.extension"):
            zone = _extension(episode, TIMEZONE)
            zones.append("UTC" if zone is None else zone["valueCode"])
        with _at(f"{path}.period.start"):
            starts.append(_date(episode["period"]["start"]))
    with _at(f"{plan_path}.period"):
        plan_start = _date(care_plan["period"]["start"])
        plan_end = _date(care_plan["period"]["end"])
    ends = [*(day.subtract(days=1) for day in starts[1:]), plan_end]
    sessions: list[list[Session]] = [[] for _ in episode_entries]
    cancellations: list[Cancellation] = []
    reschedules: list[Reschedule] = []
    appointments = reader.by_type.get("Appointment", [])
    series = [(p, a) for p, a in appointments if "recurrenceTemplate" in a]
    details = [
        (f"{plan_path}.activity[{i}].detail", activity["detail"])
        for i, activity in enumerate(care_plan.get("activity", ()))
        if "detail" in activity
    ]
    if series:
        _read_r5(reader, series, appointments, episode_url, starts, ends, sessions, cancellations,
                 reschedules)  # fmt: skip
    elif details:
        _read_r4(reader, details, appointments, episode_url, zones, starts, ends, sessions,
                 cancellations, reschedules)  # fmt: skip
    schedules = [WeeklySchedule(zone, found) for zone, found in zip(zones, sessions, strict=True)]
    transitions = []
    for index in range(1, len(episode_entries)):
        path, episode = episode_entries[index]
        direction = direction_between(levels[index - 1], levels[index])
        with _at(f"{path}.extension"):
            reason = _reason(_extension(episode, EPISODE_REASON), direction)
            transitions.append(
                Transition(
                    starts[index],
                    levels[index - 1].code,
                    levels[index].code,
                    reason.direction if reason.direction == "lateral" else direction,
                    reason,
                    schedules[index - 1],
                )
            )
    discharge = _extension(care_plan, DISCHARGE_REASON)
    if discharge is not None:
        with _at(f"{plan_path}.extension"):
            reason = _reason(discharge, "discharge")
            transitions.append(
                Transition(plan_end, levels[-1].code, None, "discharge", reason, schedules[-1])
            )
    goals = []
    for number, reference in enumerate(care_plan.get("goal", ())):
        goal_path, goal = reader.resolve(reference, f"{plan_path}.goal[{number}]")
        with _at(goal_path):
            target = goal.get("target", [{}])[0]
            due = target.get("dueDate")
            goals.append(
                Goal(
                    None,
                    goal["description"]["text"],
                    target.get("detailString", ""),
                    None if due is None else _date(due),
                )
            )
    diagnoses = []
    for number, address in enumerate(care_plan.get("addresses", ())):
        path = f"{plan_path}.addresses[{number}]"
        with _at(path):
            if "concept" in address:  # R5: a diagnosis code
                diagnoses.append(address["concept"]["coding"][0]["code"])
            elif isinstance(address.get("reference"), str):  # R4: a Reference to a Condition
                _, condition = reader.resolve(address, path)
                if _identifier(condition, DIAGNOSIS_SYSTEM) is not None:
                    diagnoses.append(condition["code"]["coding"][0]["code"])
            # Otherwise a problem of the plan of care, which is not read back.
    plan_id = _identifier(care_plan, PLAN_SYSTEM) or str(care_plan.get("id", ""))
    with _at(plan_path):
        return CarePlan(
            id=plan_id or _new_id(),
            client=client,
            level=levels[-1],
            schedule=schedules[-1],
            start=plan_start,
            end=plan_end,
            continuum=chosen,
            goals=goals,
            diagnoses=diagnoses,
            cancellations=cancellations,
            reschedules=reschedules,
            transitions=transitions,
        )


def _new_id() -> str:
    return uuid.uuid4().hex


def _modality(join_url: str | None, virtual: bool, location: str | None) -> Modality:
    return Modality.virtual(join_url) if virtual else Modality.in_person(location)


def _location(appointment: Mapping[str, Any]) -> str | None:
    return next(
        (
            p["actor"]["display"]
            for p in appointment.get("participant", ())
            if "reference" not in p.get("actor", {}) and "display" in p.get("actor", {})
        ),
        None,
    )


def _read_r5(
    reader: _Reader,
    series: list[tuple[str, Mapping[str, Any]]],
    appointments: list[tuple[str, Mapping[str, Any]]],
    episode_url: dict[str, int],
    starts: list[pendulum.Date],
    ends: list[pendulum.Date],
    sessions: list[list[Session]],
    cancellations: list[Cancellation],
    reschedules: list[Reschedule],
) -> None:
    by_url: dict[str, tuple[Session, int]] = {}
    for path, appointment in series:
        with _at(path):
            index = episode_url[appointment["supportingInformation"][0]["reference"]]
            (template,) = appointment["recurrenceTemplate"]
            weekly = template["weeklyTemplate"]
            weekday = next(day for day in _WEEKDAY_NAMES if weekly.get(day))
            wall = _extension(appointment, WALL_TIME)
            start = (
                wall["valueTime"][:5]
                if wall is not None
                else _dt.datetime.fromisoformat(appointment["start"]).strftime("%H:%M")
            )
            category = appointment.get("serviceCategory")
            virtual = appointment.get("virtualService")
            session = Session(
                weekday,
                start,
                appointment["minutesDuration"],
                _coded(SessionKind, appointment["serviceType"][0]["concept"]["coding"][0]),
                None if category is None else _coded(TreatmentTrack, category[0]["coding"][0]),
                _modality(
                    None if virtual is None else virtual[0].get("addressUrl"),
                    virtual is not None,
                    _location(appointment),
                ),
                title=appointment.get("description"),
                every_weeks=weekly.get("weekInterval", 1),
                id=_identifier(appointment, SESSION_SYSTEM) or "",
            )
            sessions[index].append(session)
            cancellations.extend(
                Cancellation(session.id, _date(day)) for day in template.get("excludingDate", ())
            )
        for url, (other, _) in reader.by_url.items():
            if other == path:
                by_url[url] = (session, index)
    for path, appointment in appointments:
        if "originatingAppointment" not in appointment:
            continue
        with _at(path):
            session, index = by_url[appointment["originatingAppointment"]["reference"]]
            days = series_dates(session, starts[index], ends[index], starts[index])
            on = days[appointment["recurrenceId"] - 1]
            reschedules.append(_moved(session, on, appointment))


def _moved(session: Session, on: pendulum.Date, appointment: Mapping[str, Any]) -> Reschedule:
    begin = pendulum.parse(appointment["start"])
    assert isinstance(begin, pendulum.DateTime)
    minutes = appointment.get("minutesDuration", session.minutes)
    return Reschedule(session.id, on, begin, None if minutes == session.minutes else minutes)


def _read_r4(
    reader: _Reader,
    details: list[tuple[str, Mapping[str, Any]]],
    appointments: list[tuple[str, Mapping[str, Any]]],
    episode_url: dict[str, int],
    zones: list[str],
    starts: list[pendulum.Date],
    ends: list[pendulum.Date],
    sessions: list[list[Session]],
    cancellations: list[Cancellation],
    reschedules: list[Reschedule],
) -> None:
    found: dict[tuple[int, str], Session] = {}
    for path, detail in details:
        with _at(path):
            index = episode_url[_extension(detail, EPISODE)["valueReference"]["reference"]]  # type: ignore[index]
            repeat = detail["scheduledTiming"]["repeat"]
            track = _extension(detail, TRACK)
            join = _extension(detail, JOIN_URL)
            location = detail.get("location", {}).get("display")
            session = Session(
                _WEEKDAY_NAMES[_DAYS.index(repeat["dayOfWeek"][0])],
                repeat["timeOfDay"][0][:5],
                repeat["duration"],
                _coded(SessionKind, detail["code"]["coding"][0]),
                None if track is None else _coded(TreatmentTrack, track["valueCoding"]),
                _modality(
                    None if join is None else join["valueUrl"],
                    (_extension(detail, MODALITY) or {}).get("valueCode") == "virtual",
                    location,
                ),
                title=detail.get("description"),
                every_weeks=repeat.get("period", 1),
                id=_extension(detail, SESSION_ID)["valueString"],  # type: ignore[index]
            )
            sessions[index].append(session)
            found[(index, session.id)] = session
    happened: dict[tuple[int, str, pendulum.Date], Mapping[str, Any]] = {}
    for path, appointment in appointments:
        with _at(path):
            index = episode_url[appointment["supportingInformation"][0]["reference"]]
            on = _date(_extension(appointment, SCHEDULED_ON)["valueDate"])  # type: ignore[index]
            happened[(index, _identifier(appointment, SESSION_SYSTEM) or "", on)] = appointment
    for (index, session_id), session in found.items():
        for day in series_dates(session, starts[index], ends[index], starts[index]):
            occurred = happened.get((index, session_id, day))
            if occurred is None:
                cancellations.append(Cancellation(session_id, day))
                continue
            # Moved when it is not where the series puts it, or not as long.
            expected = occurrence_on(session, day, zones[index], {}, "compatible", index)
            begin = pendulum.parse(occurred["start"])
            end = pendulum.parse(occurred["end"])
            assert isinstance(begin, pendulum.DateTime)
            assert isinstance(end, pendulum.DateTime)
            if (begin.timestamp(), end.timestamp()) != (
                expected.start.timestamp(),
                expected.end.timestamp(),
            ):
                reschedules.append(_moved(session, day, occurred))
