"""Reading a ``careplan/1`` document into a plan, and a continuum from plain data.

Reading runs in two steps: the decoded JSON is structured into the
document's classes (:mod:`careplan.document.decode`, which checks every
type), then the model's values are built from them, each inside
:class:`~careplan.document.paths.at` so that an error names the document's
path. Nothing is kept between two reads.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

from careplan._model.attendance import Attendance, Authorization
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule
from careplan._model.checks import choice
from careplan._model.continua import BUILTIN_CONTINUA
from careplan._model.errors import DocumentError
from careplan._model.levels import Continuum, Intensity, LevelOfCare, Range, RequiredComponent
from careplan._model.limits import MAX_PLAN_YEARS, require_max_years
from careplan._model.plan import (
    CarePlan,
    CareTeamMember,
    Client,
    RelapsePreventionPlan,
)
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Modality, Session
from careplan._model.time import require_date, zone_name
from careplan._model.transition import Direction, Referral, Transition
from careplan._operations.delivery import misplaced_records
from careplan._operations.limits import limit_problems
from careplan.document.care import (
    care_records,
    instruments,
    measurements,
    reviews,
    revisions,
    signatures,
)
from careplan.document.decode import FORMAT, loads, structure
from careplan.document.fields import date, datetime, kind, minutes, reason, track
from careplan.document.paths import ON_IS_DATE, at, each, join, show
from careplan.document.safety import safety_record
from careplan.document.shape import (
    AttendanceDoc,
    CancellationDoc,
    ClosureDoc,
    ContinuumDoc,
    HoldDoc,
    LabelsDoc,
    LevelDoc,
    PlanDoc,
    PlanOfCareDoc,
    RangeDoc,
    SessionDoc,
    TransitionDoc,
)

__all__ = [
    "continuum_from_data",
    "continuum_from_json",
    "from_json",
    "plan_from_data",
]

# Where the model's names for a session's parts differ from the document's.
_SESSION = {
    "Session.duration": "duration_minutes",
    "SessionKind.code": "kind",
    "SessionKind.label": "kind",
    "TreatmentTrack.code": "track",
    "TreatmentTrack.label": "track",
    "Modality.kind": "modality",
}
_RESCHEDULE = {**ON_IS_DATE, "duration": "duration_minutes"}


def _range(doc: RangeDoc, path: str) -> Range:
    with at(path):
        return Range(doc.min, doc.max, doc.upper)  # type: ignore[arg-type]


def _level(doc: LevelDoc, path: str, kinds: Mapping[str, str]) -> LevelOfCare:
    intensity = Intensity(
        _range(doc.intensity.days_per_week, f"{path}.intensity.days_per_week"),
        _range(doc.intensity.hours_per_day, f"{path}.intensity.hours_per_day"),
        _range(doc.intensity.hours_per_week, f"{path}.intensity.hours_per_week"),
    )
    required = []
    for index, item in enumerate(doc.required):
        with at(f"{path}.required[{index}]", _SESSION):
            required.append(
                RequiredComponent(
                    kind(item.kind, kinds),
                    item.every_weeks,
                    item.severity,  # type: ignore[arg-type]
                )
            )
    with at(path):
        return LevelOfCare(
            doc.code,
            doc.name,
            doc.rank,
            intensity,
            overnight=doc.overnight,
            best_for=tuple(doc.best_for),
            required=tuple(required),
            step_down_grace_weeks=doc.step_down_grace_weeks,
        )


def _continuum(doc: ContinuumDoc, path: str, kinds: Mapping[str, str]) -> Continuum:
    levels = [
        _level(level, join(path, f"levels[{i}]"), kinds) for i, level in enumerate(doc.levels)
    ]
    with at(join(path, "levels"), whole=True):
        Continuum(doc.name, levels)
    for field in ("step_down_targets", "step_up_targets"):
        for origin, target in getattr(doc, field).items():
            with at(join(path, f"{field}.{origin}"), whole=True):
                Continuum(doc.name, levels, **{field: {origin: target}})
    return Continuum(doc.name, levels, doc.step_down_targets, doc.step_up_targets)


def _continuum_of(doc: PlanDoc) -> Continuum:
    if isinstance(doc.continuum, str):
        found = BUILTIN_CONTINUA.get(doc.continuum)
        if found is None:
            raise DocumentError(
                "continuum",
                f"{show(doc.continuum)} is not a built-in continuum; use one of "
                f"{', '.join(BUILTIN_CONTINUA)} or embed the continuum as an object",
            )
        return found
    return _continuum(doc.continuum, "continuum", doc.labels.kinds)


def _session(doc: SessionDoc, path: str, labels: LabelsDoc) -> Session:
    with at(path, _SESSION):
        length = minutes(join(path, "duration_minutes"), doc.duration_minutes)
        return Session(
            doc.weekday,
            doc.start,
            length,
            kind(doc.kind, labels.kinds),
            track=None if doc.track is None else track(doc.track, labels.tracks),
            modality=Modality(doc.modality, doc.location, doc.join_url),  # type: ignore[arg-type]
            title=doc.title,
            every_weeks=doc.every_weeks,
            id=doc.id,
            role=doc.role,
            week_offset=doc.week_offset,
        )


def _schedule(
    timezone: str, sessions: list[SessionDoc], path: str, labels: LabelsDoc
) -> WeeklySchedule:
    with at(join(path, "timezone"), whole=True):
        zone = zone_name(timezone)
    read = [_session(s, join(path, f"sessions[{i}]"), labels) for i, s in enumerate(sessions)]
    with at(path):
        return WeeklySchedule(zone, read)


def _transition(
    doc: TransitionDoc, path: str, continuum: Continuum, labels: LabelsDoc
) -> Transition:
    for field, code in (("from_level", doc.from_level), ("to_level", doc.to_level)):
        if code is not None:
            with at(join(path, field), whole=True):
                continuum[code]
    with at(join(path, "direction"), whole=True):
        choice("direction", doc.direction, Direction, "a direction")
    direction: Direction = doc.direction  # type: ignore[assignment]
    with at(join(path, "reason"), whole=True):
        why = reason(doc.reason, direction, labels.reasons)
    previous = _schedule(
        doc.previous_schedule.timezone,
        doc.previous_schedule.sessions,
        join(path, "previous_schedule"),
        labels,
    )
    referral = None
    if doc.referral is not None:
        with at(join(path, "referral")):
            referral = Referral(doc.referral.level, doc.referral.provider)
        with at(join(path, "referral.level"), whole=True):
            continuum[referral.level]
    with at(path):
        return Transition(
            date(join(path, "on"), doc.on),
            doc.from_level,
            doc.to_level,
            direction,
            why,
            previous,
            doc.note,
            referral,
        )


def _attended(record: AttendanceDoc, where: str) -> Attendance:
    return Attendance(
        record.session_id,
        date(f"{where}.date", record.date),
        record.status,  # type: ignore[arg-type]
        record.minutes,
        record.note,
    )


def _closure(c: ClosureDoc, where: str) -> Closure:
    return Closure(date(f"{where}.date", c.date), c.reason)


def _cancellation(x: CancellationDoc, where: str) -> Cancellation:
    return Cancellation(x.session_id, date(f"{where}.date", x.date), x.reason)


def _hold(h: HoldDoc, where: str) -> Hold:
    return Hold(date(f"{where}.start", h.start), date(f"{where}.end", h.end), h.reason)


def _calendar_changes(
    doc: PlanDoc, timezone: str
) -> tuple[list[Closure], list[Cancellation], list[Reschedule], list[Hold]]:
    closures = each("closures", doc.closures, _closure)
    cancellations = each("cancellations", doc.cancellations, _cancellation, ON_IS_DATE)
    reschedules = []
    for i, r in enumerate(doc.reschedules):
        where = f"reschedules[{i}]"
        duration = None
        if r.duration_minutes is not None:
            duration = minutes(f"{where}.duration_minutes", r.duration_minutes)
        moved_to = datetime(f"{where}.start", r.start).in_timezone(timezone)
        with at(where, _RESCHEDULE):
            reschedules.append(
                Reschedule(
                    r.session_id, date(f"{where}.date", r.date), moved_to, duration, r.reason
                )
            )
    holds = each("holds", doc.holds, _hold)
    return closures, cancellations, reschedules, holds


def _authorizations(doc: PlanDoc, continuum: Continuum) -> list[Authorization]:
    found = []
    for i, z in enumerate(doc.authorizations):
        where = f"authorizations[{i}]"
        with at(f"{where}.level", whole=True):
            continuum[z.level]
        with at(where):
            found.append(
                Authorization(
                    z.level,
                    date(f"{where}.start", z.start),
                    date(f"{where}.end", z.end),
                    z.units,
                    z.unit,  # type: ignore[arg-type]
                    z.status,  # type: ignore[arg-type]
                    z.payer,
                    z.reference,
                )
            )
    return found


def plan_from_data(data: object, *, max_years: int = MAX_PLAN_YEARS) -> CarePlan:
    """Build a plan from a decoded ``careplan/1`` document (a dict).

    Args:
        data: The decoded document.
        max_years: The longest period accepted, in years (default
            :data:`careplan.MAX_PLAN_YEARS`); every other date must be
            within that many years of the period, and every date between
            :data:`careplan.EARLIEST_DATE` and :data:`careplan.LATEST_DATE`.

    Raises:
        DocumentError: A field is missing, has the wrong type or a value that
            is never meaningful, or a date is beyond the limits; the error
            names its path and never quotes text it was given.
        InvalidValueError: ``max_years`` is not a whole number of at least 1.
    """
    require_max_years(max_years)
    if not isinstance(data, dict):
        raise DocumentError("", f"the document is {show(data)}, not a JSON object")
    if data.get("format") != FORMAT:
        found = show(data["format"]) if "format" in data else "missing"
        raise DocumentError("format", f"is {found}; this version reads {FORMAT}")
    doc = structure(data, PlanDoc)
    labels = doc.labels
    continuum = _continuum_of(doc)
    with at("level", whole=True):
        level = continuum[doc.level]
    schedule = _schedule(doc.timezone, doc.sessions, "", labels)
    closures, cancellations, reschedules, holds = _calendar_changes(doc, schedule.timezone)
    # Checked as a plan of care once, by the plan (its errors name the same paths).
    problems, goals, objectives, interventions = care_records(
        PlanOfCareDoc(doc.problems, doc.goals, doc.objectives, doc.interventions), "", labels.kinds
    )
    relapse = None
    if doc.relapse_prevention is not None:
        r = doc.relapse_prevention
        with at("relapse_prevention"):
            relapse = RelapsePreventionPlan(
                r.triggers, r.warning_signs, r.coping_strategies, r.supports
            )
    with at("client"):
        client = Client(doc.client.id, doc.client.name)
    care_team = []
    for i, m in enumerate(doc.care_team):
        with at(f"care_team[{i}]"):
            care_team.append(CareTeamMember(m.name, m.role))
    tracks = []
    for i, code in enumerate(doc.tracks):
        with at(f"tracks[{i}]", whole=True):
            tracks.append(track(code, labels.tracks))
    transitions = [
        _transition(t, f"transitions[{i}]", continuum, labels)
        for i, t in enumerate(doc.transitions)
    ]
    safety = safety_record(doc.safety)
    with at(""):
        plan = CarePlan(
            client=client,
            level=level,
            schedule=schedule,
            start=date("start", doc.start),
            end=date("end", doc.end),
            continuum=continuum,
            tracks=tracks,
            goals=goals,
            diagnoses=doc.diagnoses,
            care_team=care_team,
            relapse_prevention=relapse,
            closures=closures,
            cancellations=cancellations,
            reschedules=reschedules,
            transitions=transitions,
            attendance=each("attendance", doc.attendance, _attended, ON_IS_DATE),
            authorizations=_authorizations(doc, continuum),
            id=doc.id,
            holds=holds,
            readmission_of=doc.readmission_of,
            problems=problems,
            objectives=objectives,
            interventions=interventions,
            reviews=reviews(doc.reviews),
            signatures=signatures(doc.signatures),
            measurements=measurements(doc.measurements),
            instruments=instruments(doc.instruments),
            revisions=revisions(doc.revisions, labels.kinds),
            principal_diagnosis=doc.principal_diagnosis,
            part2_program=doc.part2_program,
            safety=safety,
        )
    for problem in limit_problems(plan, max_years):
        raise DocumentError(problem.path, problem.problem)
    return plan


def from_json(
    text: str | bytes, *, today: _dt.date | None = None, max_years: int = MAX_PLAN_YEARS
) -> CarePlan:
    """Read a ``careplan/1`` JSON document.

    With ``today``, attendance records must name occurrences of the plan
    that have happened by then; a record that does not is refused with its
    path. Without it, records are read as they were written (what
    :func:`to_json` writes is read back) and :func:`careplan.validate`
    reports those that name no occurrence (``attendance.unknown_occurrence``);
    the plan is not expanded.

    Text or UTF-8 bytes (RFC 8259) are read alike, with or without a
    byte-order mark. Every document is read on its own: nothing read before
    changes how the next one reads.
    Limits are checked before the plan is expanded (see
    ``docs/reference/limits.md``): the period must be shorter than
    ``max_years`` years (default :data:`careplan.MAX_PLAN_YEARS`), every
    other date within ``max_years`` of it, every date between
    :data:`careplan.EARLIEST_DATE` and :data:`careplan.LATEST_DATE`.

    Raises:
        DocumentError: The text is not JSON, repeats a key in an object, has
            a whole number of more than 30 digits, a field is
            missing or bad, or a date is beyond the limits; the error's
            :attr:`~careplan.DocumentError.path` names it, e.g.
            ``sessions[2].start: <text of 5 characters> is not a time of day``.
            Errors show a refused value by its kind and size, never its text.
        InvalidValueError: ``today`` is not a date, or ``max_years`` is not a
            whole number of at least 1.

    >>> from_json('{"format": "careplan/0"}')
    Traceback (most recent call last):
    ...
    careplan.DocumentError: format: is <text of 10 characters>; this version reads careplan/1
    """
    day = None if today is None else require_date("today", today)
    plan = plan_from_data(loads(text), max_years=max_years)
    if day is not None and plan.attendance:
        _check_attendance(plan, day)
    return plan


def _check_attendance(plan: CarePlan, today: _dt.date) -> None:
    for index, record, occurrence in misplaced_records(plan, plan.occurrences(), today):
        if occurrence is None:
            raise DocumentError(
                f"attendance[{index}]",
                f"{show(record.session_id)} on {record.on} is not an occurrence of the plan",
            )
        raise DocumentError(
            f"attendance[{index}].date",
            f"{record.on} is after today ({today}): attendance is recorded once a "
            "session has happened",
        )


def continuum_from_data(data: object) -> Continuum:
    """Build a continuum from plain data: ``{"name": ..., "levels": [...]}``.

    Each level has ``code``, ``name``, ``rank`` and optionally ``intensity``
    (``days_per_week``, ``hours_per_day``, ``hours_per_week``, each
    ``{"min", "max", "upper"}``), ``overnight``, ``best_for`` and
    ``required`` (``[{"kind": "group_therapy", "every_weeks": 1, "severity":
    "warning"}]``; ``severity`` defaults to ``"error"``). The continuum may
    name default moves: ``step_down_targets`` and ``step_up_targets`` map a
    level code to the code of its default target, or to ``null`` for none.

    Raises:
        DocumentError: Naming the path of the bad field.
    """
    return _continuum(structure(data, ContinuumDoc), "", {})


def continuum_from_json(text: str | bytes) -> Continuum:
    """Build a continuum from JSON text; see :func:`continuum_from_data`."""
    return continuum_from_data(loads(text))
