"""Read a FHIR Bundle (R4 or R5) back into a care plan.

What FHIR carries comes back: the client's id (and name, if exported), the
plan's period and id, the plan it follows after a readmission, each
episode's level, dates, time zone and the reason it began, every weekly
session (day, wall time, length, kind, track, modality, every n weeks), the
sessions that do not happen (as cancellations: a closure comes back as the
cancellation of each session it closed), moved sessions, goals (with their
ids, starts, statuses and problems), problems and diagnoses (when
exported), PHQ-9 and GAD-7 scores, the discharge reason and, when
exported, the safety record (:mod:`careplan.fhir._safety` reads it). So
the plan read back has the same occurrences as the one written.

What it does not carry is not guessed: objectives, interventions, reviews
and signatures (written, not read back), attendance, authorizations, holds
(their days come back as cancellations), referrals, transition notes, the
care team, the relapse prevention plan, the plan's own instruments, in R5
a session that never happens in its episode (an episode of zero days has no
Appointment to say it had sessions), and blank text (FHIR has no blank
strings: a blank goal comes back as "Goal n"). The FHIR how-to's table
lists each. A Bundle that cannot be read as a careplan plan raises a
:class:`~careplan.DocumentError` naming the element.
"""

from __future__ import annotations

import datetime as _dt
import re
import urllib.parse
import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple, TypeVar

import pendulum

from careplan._model.calendar import Cancellation, Reschedule
from careplan._model.care import Coding, Problem
from careplan._model.checks import shown
from careplan._model.continua import BUILTIN_CONTINUA
from careplan._model.errors import DocumentError
from careplan._model.expansion import occurrence_on, series_dates
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.limits import MAX_PLAN_YEARS, require_max_years
from careplan._model.measures import BUILTIN_INSTRUMENTS, Measurement
from careplan._model.plan import CarePlan, Client, Goal
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Modality, Session
from careplan._model.time import week_start, zone_info
from careplan._model.transition import Transition, TransitionReason, direction_between
from careplan._operations.limits import limit_problems
from careplan.fhir._codes import (
    CLIENT_SYSTEM,
    CODE_SYSTEM_BASE,
    DIAGNOSIS_SYSTEM,
    DISCHARGE_REASON,
    EPISODE,
    EPISODE_REASON,
    GOAL_SYSTEM,
    INSTRUMENT_SYSTEM,
    JOIN_URL,
    MODALITY,
    PLAN_SYSTEM,
    PROBLEM_SYSTEM,
    SCHEDULED_ON,
    SESSION_ID,
    SESSION_SYSTEM,
    TIMEZONE,
    TRACK,
    TZ_CODE,
    WALL_TIME,
    WEEK_OFFSET,
)
from careplan.fhir._codes import bundle_at as _at
from careplan.fhir._codes import day as _date
from careplan.fhir._codes import extension as _extension
from careplan.fhir._safety import safety_record

__all__ = ["from_fhir"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _identifier(resource: Mapping[str, Any], system: str) -> str | None:
    return next(
        (i["value"] for i in resource.get("identifier", ()) if i.get("system") == system), None
    )


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


# A RESTful URL's resource type, id and optional version: ".../Patient/123/_history/2".
_RESTFUL = re.compile(r"(?:(.*/))?([A-Z][A-Za-z]{1,63})/([A-Za-z0-9.\-]{1,64})(?:/_history/[^/]+)?")


class _Reader:
    """One Bundle, indexed by full URL and by type and id, with the paths of its resources.

    References resolve as FHIR resolves them in a Bundle: an absolute one
    (``urn:uuid:...``, ``https://server/fhir/Patient/1``) against the
    entries' ``fullUrl``; a relative one (``Patient/1``) against the base
    of the referring entry's ``fullUrl``, then against the type and id of
    the entries (a server's copy, whose ids and references it rewrote).
    """

    def __init__(self, bundle: object) -> None:
        if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
            raise DocumentError("", "is not a FHIR Bundle (resourceType must be 'Bundle')")
        entries = bundle.get("entry")
        if not isinstance(entries, list):
            raise DocumentError("entry", "is missing or not a list")
        self.by_url: dict[str, tuple[str, Mapping[str, Any]]] = {}
        self.by_key: dict[tuple[str, str], tuple[str, Mapping[str, Any]]] = {}
        self.base: dict[str, str] = {}
        self.by_type: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
        for index, entry in enumerate(entries):
            path = f"entry[{index}].resource"
            with _at(path):
                resource = entry["resource"]
                kind = resource["resourceType"]
                if not isinstance(resource, Mapping) or not isinstance(kind, str):
                    raise DocumentError(path, "is not a resource")
                url = entry.get("fullUrl")
            self.by_type.setdefault(kind, []).append((path, resource))
            if isinstance(resource.get("id"), str):
                self.by_key.setdefault((kind, resource["id"]), (path, resource))
            if isinstance(url, str):
                self.by_url[url] = (path, resource)
                restful = _RESTFUL.fullmatch(url)
                if restful is not None:
                    self.base[path] = restful.group(1) or ""
                    self.by_key.setdefault((restful[2], restful[3]), (path, resource))

    def one(self, kind: str) -> tuple[str, Mapping[str, Any]]:
        found = self.by_type.get(kind, [])
        if len(found) != 1:
            raise DocumentError("entry", f"has {len(found)} {kind} resources; careplan reads one")
        return found[0]

    def resolve(self, reference: object, path: str) -> tuple[str, Mapping[str, Any]]:
        """The entry a Reference (``{"reference": ...}``) at ``path`` points to."""
        with _at(path):
            return self.target(reference["reference"], path)  # type: ignore[index]

    def target(self, reference: object, path: str) -> tuple[str, Mapping[str, Any]]:
        """The entry a reference string at ``path`` points to."""
        if not isinstance(reference, str):
            raise DocumentError(path, f"{shown(reference)} is not a reference")
        found = self.by_url.get(reference)
        if found is None:
            referrer = path.split(".", 1)[0] + ".resource"
            found = self.by_url.get(self.base.get(referrer, "") + reference)
        if found is None:
            restful = _RESTFUL.fullmatch(reference)
            if restful is not None:
                found = self.by_key.get((restful[2], restful[3]))
        if found is None:
            raise DocumentError(path, f"the reference ({shown(reference)}) is not in the Bundle")
        return found


def from_fhir(
    bundle: object, *, continuum: Continuum | None = None, max_years: int = MAX_PLAN_YEARS
) -> CarePlan:
    """The care plan a FHIR R4 or R5 Bundle describes.

    Reads Bundles that :func:`careplan.fhir.to_fhir` wrote, and others
    built the same way: one ``CarePlan``, its ``Patient``, an
    ``EpisodeOfCare`` per level of care, and the sessions (R5: recurring
    ``Appointment``s; R4: ``CarePlan.activity.detail`` series and one
    ``Appointment`` per occurrence); and, when the Bundle carries them
    (``to_fhir(..., safety=True)``), the suicide-risk records, read back into
    an equal :class:`~careplan.safety.SafetyRecord`.

    Args:
        bundle: The Bundle as parsed JSON.
        continuum: The continuum the level codes are on, when it is not one
            of careplan's built-in ones.
        max_years: The longest plan accepted, as for :func:`careplan.from_json`
            (default :data:`careplan.MAX_PLAN_YEARS`): the period is checked
            before any session is read, so a Bundle cannot make the reader
            build more than such a plan holds.

    Raises:
        DocumentError: Something cannot be read or represented, or the plan
            is beyond the limits; ``path`` names the element
            (``entry[3].resource.period``). Nothing else: any malformed
            input is a DocumentError.
        InvalidValueError: ``max_years`` is not a whole number of at least 1.

    >>> from careplan.demo import sample_plan
    >>> from careplan.fhir import to_fhir
    >>> plan = sample_plan()
    >>> again = from_fhir(to_fhir(plan, version="r4"))
    >>> again.occurrences() == plan.occurrences()
    True
    """
    years = require_max_years(max_years)
    with _at(""):
        return _read(bundle, continuum, years)


def _read(bundle: object, continuum: Continuum | None, max_years: int) -> CarePlan:
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
    episode_index = {path: index for index, (path, _) in enumerate(episode_entries)}
    levels: list[LevelOfCare] = []
    zones: list[str] = []
    starts: list[pendulum.Date] = []
    for path, episode in episode_entries:
        with _at(f"{path}.type"):
            levels.append(chosen[episode["type"][0]["coding"][0]["code"]])
        with _at(f"{path}.period"):
            # tz-code on the period's start; older exports: the timezone extension.
            zone = _extension(episode.get("period", {}).get("_start", {}), TZ_CODE) or _extension(
                episode, TIMEZONE
            )
            zones.append("UTC" if zone is None else zone["valueCode"])
        with _at(f"{path}.period.start"):
            starts.append(_date(episode["period"]["start"]))
    with _at(f"{plan_path}.period"):
        plan_start = _date(care_plan["period"]["start"])
        plan_end = _date(care_plan["period"]["end"])
        # Before anything is built from the period: a bounded plan.
        period = CarePlan(
            client, levels[-1], WeeklySchedule("UTC"), plan_start, plan_end, continuum=chosen
        )
        for problem in limit_problems(period, max_years):
            raise DocumentError(f"{plan_path}.period", problem.problem)
    for (path, _), start in zip(episode_entries, starts, strict=True):
        if not plan_start <= start <= plan_end:
            raise DocumentError(f"{path}.period.start", "is outside the CarePlan's period")
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
    parts = _Parts(
        reader,
        appointments,
        episode_index,
        zones,
        starts,
        ends,
        sessions,
        cancellations,
        reschedules,
    )
    if series:
        _read_r5(parts, series)
    elif details:
        _read_r4(parts, details)
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
    problems = _problems(reader)
    problem_of = {path: problem.id for path, problem in problems}
    goals = []
    for number, reference in enumerate(care_plan.get("goal", ())):
        goal_path, goal = reader.resolve(reference, f"{plan_path}.goal[{number}]")
        with _at(goal_path):
            goals.append(_goal(reader, goal_path, goal, problem_of))
    measurements = _measurements(reader)
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
        plan = CarePlan(
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
            problems=[problem for _, problem in problems],
            measurements=measurements,
            readmission_of=_replaced(care_plan),
            safety=safety_record(reader.by_type),
        )
    for problem in limit_problems(plan, max_years):
        raise DocumentError(f"{plan_path} ({problem.path})", problem.problem)
    return plan


def _goal(reader: _Reader, path: str, goal: Mapping[str, Any], problem_of: dict[str, str]) -> Goal:
    """A goal: its words, measure and due date (the target that is the goal's own), id,
    status, achievement, start and the problems it addresses (when they were exported)."""
    targets = goal.get("target", ())
    own: Mapping[str, Any] = next(
        (
            t
            for t in targets
            if "measure" not in t
            or any(c.get("code") == "goal-measure" for c in t["measure"].get("coding", ()))
        ),
        {},
    )
    due = own.get("dueDate")
    achievement = goal.get("achievementStatus", {}).get("coding", [{}])[0].get("code")
    start = goal.get("startDate")
    addressed = [
        problem_of[reader.resolve(a, f"{path}.addresses[{i}]")[0]]
        for i, a in enumerate(goal.get("addresses", ()))
    ]
    return Goal(
        _identifier(goal, GOAL_SYSTEM),
        goal["description"]["text"],
        own.get("detailString", ""),
        None if due is None else _date(due),
        problems=addressed,
        status=goal["lifecycleStatus"].replace("-", "_"),
        achievement=None if achievement is None else achievement.replace("-", "_"),
        start=None if start is None else _date(start),
    )


def _problems(reader: _Reader) -> list[tuple[str, Problem]]:
    """The plan-of-care problems, from the Conditions that carry a problem's id."""
    found = []
    systems = {uri: name for name, uri in Coding.SYSTEMS.items()}
    for path, condition in reader.by_type.get("Condition", ()):
        with _at(path):
            problem_id = _identifier(condition, PROBLEM_SYSTEM)
            if problem_id is None:
                continue
            coding = condition["code"].get("coding")
            coded = None
            if coding:
                system = coding[0]["system"]
                coded = Coding(
                    systems.get(system, system), coding[0]["code"], coding[0].get("display", "")
                )
            found.append((path, Problem(problem_id, condition["code"]["text"], condition=coded)))
    return found


def _measurements(reader: _Reader) -> list[Measurement]:
    """The scores of built-in instruments, from the Observations."""
    found = []
    for path, observation in reader.by_type.get("Observation", ()):
        with _at(path):
            code = next(
                (
                    c["code"]
                    for c in observation["code"].get("coding", ())
                    if c.get("system") == INSTRUMENT_SYSTEM
                ),
                None,
            )
            if not isinstance(code, str) or code not in BUILTIN_INSTRUMENTS:
                continue  # the plan's own instruments are not exported
            found.append(
                Measurement(
                    code,
                    observation["valueQuantity"]["value"],
                    _date(observation["effectiveDateTime"]),
                )
            )
    return found


def _replaced(care_plan: Mapping[str, Any]) -> str | None:
    """The id of the plan a readmission follows, from ``replaces``."""
    for reference in care_plan.get("replaces", ()):
        identifier = reference.get("identifier", {})
        if identifier.get("system") == PLAN_SYSTEM:
            return str(identifier["value"])
    return None


def _episode(
    reader: _Reader, episode_index: dict[str, int], appointment: Mapping[str, Any], path: str
) -> int:
    """The episode an Appointment belongs to: its supporting EpisodeOfCare."""
    for number, support in enumerate(appointment.get("supportingInformation", ())):
        target, _ = reader.resolve(support, f"{path}.supportingInformation[{number}]")
        if target in episode_index:
            return episode_index[target]
    raise DocumentError(f"{path}.supportingInformation", "names no EpisodeOfCare of the Bundle")


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


class _Parts(NamedTuple):
    """What the session readers of both versions read (the Bundle and its
    Appointments) and fill in, per episode and for the plan."""

    reader: _Reader
    appointments: list[tuple[str, Mapping[str, Any]]]
    episode_index: dict[str, int]
    zones: list[str]
    starts: list[pendulum.Date]
    ends: list[pendulum.Date]
    sessions: list[list[Session]]
    cancellations: list[Cancellation]
    reschedules: list[Reschedule]


def _local_start(start: str, zone: str) -> _dt.datetime:
    """A series' first start as a wall time in its episode's zone.

    A server may store the same instant with another offset (UTC): the
    local date and time are those of the instant in the zone.
    """
    moment = _dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
    return moment.astimezone(zone_info(zone)) if moment.tzinfo else moment


def _week_of(first: _dt.date, episode_start: pendulum.Date) -> int:
    """The week of a series' first start (its local date) counted from its episode's first week.

    The first start is the series' first instance, so this is the week of
    the cadence the series is held in (R5 writes no offset of its own).
    """
    return (week_start(first) - week_start(episode_start)).days // 7


def _read_r5(parts: _Parts, series: list[tuple[str, Mapping[str, Any]]]) -> None:
    reader, appointments = parts.reader, parts.appointments
    by_path: dict[str, tuple[Session, int]] = {}
    for path, appointment in series:
        with _at(path):
            index = _episode(reader, parts.episode_index, appointment, path)
            (template,) = appointment["recurrenceTemplate"]
            weekly = template["weeklyTemplate"]
            weekday = next(day for day in _WEEKDAY_NAMES if weekly.get(day))
            wall = _extension(appointment, WALL_TIME)
            local = _local_start(appointment["start"], parts.zones[index])
            start = wall["valueTime"][:5] if wall is not None else local.strftime("%H:%M")
            category = appointment.get("serviceCategory")
            virtual = appointment.get("virtualService")
            every = weekly.get("weekInterval", 1)
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
                every_weeks=every,
                id=_identifier(appointment, SESSION_SYSTEM) or "",
                week_offset=_week_of(local.date(), parts.starts[index]) % every,
            )
            parts.sessions[index].append(session)
            parts.cancellations.extend(
                Cancellation(session.id, _date(day)) for day in template.get("excludingDate", ())
            )
        by_path[path] = (session, index)
    for path, appointment in appointments:
        if "originatingAppointment" not in appointment:
            continue
        with _at(path):
            series_path, _ = reader.resolve(
                appointment["originatingAppointment"], f"{path}.originatingAppointment"
            )
            session, index = by_path[series_path]
            days = series_dates(
                session, parts.starts[index], parts.ends[index], parts.starts[index]
            )
            on = days[appointment["recurrenceId"] - 1]
            parts.reschedules.append(_moved(session, on, appointment))


def _instant(text: object) -> float:
    """The Unix time of a FHIR dateTime with its offset (what the R4 export writes)."""
    moment = _dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("no offset")  # the caller's _at names the element
    return moment.timestamp()


def _moved(session: Session, on: pendulum.Date, appointment: Mapping[str, Any]) -> Reschedule:
    begin = pendulum.parse(appointment["start"])
    assert isinstance(begin, pendulum.DateTime)
    minutes = appointment.get("minutesDuration", session.minutes)
    return Reschedule(session.id, on, begin, None if minutes == session.minutes else minutes)


def _read_r4(parts: _Parts, details: list[tuple[str, Mapping[str, Any]]]) -> None:
    reader, appointments = parts.reader, parts.appointments
    found: dict[tuple[int, str], Session] = {}
    for path, detail in details:
        with _at(path):
            episode = _extension(detail, EPISODE)["valueReference"]  # type: ignore[index]
            index = parts.episode_index[reader.resolve(episode, f"{path}.extension")[0]]
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
                week_offset=(_extension(detail, WEEK_OFFSET) or {}).get("valueUnsignedInt", 0),
            )
            parts.sessions[index].append(session)
            found[(index, session.id)] = session
    happened: dict[tuple[int, str, pendulum.Date], Mapping[str, Any]] = {}
    for path, appointment in appointments:
        with _at(path):
            index = _episode(reader, parts.episode_index, appointment, path)
            on = _date(_extension(appointment, SCHEDULED_ON)["valueDate"])  # type: ignore[index]
            happened[(index, _identifier(appointment, SESSION_SYSTEM) or "", on)] = appointment
    for (index, session_id), session in found.items():
        for day in series_dates(
            session, parts.starts[index], parts.ends[index], parts.starts[index]
        ):
            occurred = happened.get((index, session_id, day))
            if occurred is None:
                parts.cancellations.append(Cancellation(session_id, day))
                continue
            # Moved when it is not where the series puts it, or not as long.
            expected = occurrence_on(session, day, parts.zones[index], {}, "compatible", index)
            if (_instant(occurred["start"]), _instant(occurred["end"])) != (
                expected.start.timestamp(),
                expected.end.timestamp(),
            ):
                parts.reschedules.append(_moved(session, day, occurred))
