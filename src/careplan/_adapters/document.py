"""The ``careplan/1`` JSON document: reading and writing plans and continua.

The document has its own small classes (``_*Doc``) instead of dumping the
model: the format is a public, versioned contract that must stay put while
the model grows. cattrs turns JSON values into those classes with strict
type checks and reports every bad field with its path; a second step builds
the model values and maps their errors back to document paths.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import UnionType
from typing import Any, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
import pendulum
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from careplan._model.attendance import Attendance, Authorization
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule
from careplan._model.care import Coding, Intervention, Problem, Target, TreatmentObjective
from careplan._model.checks import choice, shown
from careplan._model.continua import BUILTIN_CONTINUA
from careplan._model.errors import CarePlanError, DocumentError, InvalidValueError
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.levels import Continuum, Intensity, LevelOfCare, Range, RequiredComponent
from careplan._model.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_PLAN_YEARS,
    require_max_years,
    supported,
)
from careplan._model.measures import Band, Instrument, Measurement
from careplan._model.occurrence import Occurrence
from careplan._model.payer import BillingCode, LevelRules, PayerRules, Tier
from careplan._model.plan import (
    CarePlan,
    CareRevision,
    CareTeamMember,
    Client,
    Goal,
    PlanOfCare,
    RelapsePreventionPlan,
)
from careplan._model.review import Cadence, Review, Signature
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Modality, Session
from careplan._model.time import format_wall_time, parse_wall_time, weekday_from, weekday_name
from careplan._model.transition import Direction, Referral, Transition, TransitionReason
from careplan._operations.delivery import misplaced_records
from careplan._operations.expansion import occurrence_keys
from careplan._operations.limits import limit_problems

__all__ = [
    "FORMAT",
    "continuum_from_data",
    "continuum_to_data",
    "from_json",
    "json_schema",
    "plan_from_data",
    "plan_to_data",
    "to_json",
]

#: The format tag of the documents this version reads and writes.
FORMAT = "careplan/1"

T = TypeVar("T")


# --- the document's shape -------------------------------------------------


@attrs.frozen
class _RangeDoc:
    min: float | None = None
    max: float | None = None
    upper: str = "inclusive"


@attrs.frozen
class _IntensityDoc:
    days_per_week: _RangeDoc = attrs.field(factory=_RangeDoc)
    hours_per_day: _RangeDoc = attrs.field(factory=_RangeDoc)
    hours_per_week: _RangeDoc = attrs.field(factory=_RangeDoc)


@attrs.frozen
class _RequiredDoc:
    kind: str
    every_weeks: int = 1
    severity: str = "error"


@attrs.frozen
class _LevelDoc:
    code: str
    name: str
    rank: float
    intensity: _IntensityDoc = attrs.field(factory=_IntensityDoc)
    overnight: bool = False
    best_for: list[str] = attrs.field(factory=list)
    required: list[_RequiredDoc] = attrs.field(factory=list)
    step_down_grace_weeks: int = 0


@attrs.frozen
class _ContinuumDoc:
    name: str
    levels: list[_LevelDoc]
    step_down_targets: dict[str, str | None] = attrs.field(factory=dict)
    step_up_targets: dict[str, str | None] = attrs.field(factory=dict)


@attrs.frozen(cache_hash=True)  # keys the sessions and schedules read (see _session)
class _SessionDoc:
    id: str
    weekday: str
    start: str
    duration_minutes: int
    kind: str
    modality: str = "in_person"
    location: str | None = None
    join_url: str | None = None
    track: str | None = None
    title: str | None = None
    every_weeks: int = 1


@attrs.frozen
class _ClientDoc:
    id: str
    name: str | None = None


@attrs.frozen
class _GoalDoc:
    description: str
    measure: str = ""
    target_date: str | None = None
    id: str | None = None
    problems: list[str] = attrs.field(factory=list)
    status: str | None = None
    achievement: str | None = None
    start: str | None = None


# --- the plan of care (added to careplan/1 by issue 13; every field optional) ---


@attrs.frozen
class _CodingDoc:
    system: str
    code: str
    display: str = ""


@attrs.frozen
class _ProblemDoc:
    id: str
    description: str
    client_words: str = ""
    condition: _CodingDoc | None = None


@attrs.frozen
class _TargetDoc:
    measure: str
    comparison: str
    value: float
    kinds: list[str] = attrs.field(factory=list)


@attrs.frozen
class _ObjectiveDoc:
    id: str
    goal: str
    description: str
    target_date: str | None = None
    target: _TargetDoc | None = None
    status: str = "active"
    achievement: str | None = None
    start: str | None = None


@attrs.frozen
class _InterventionDoc:
    id: str
    description: str
    objectives: list[str]
    kinds: list[str] = attrs.field(factory=list)
    times: int = 1
    every_weeks: int = 1
    role: str = "therapist"
    levels: list[str] = attrs.field(factory=list)


@attrs.frozen
class _ReviewDoc:
    date: str
    role: str
    outcome: str = "continue"
    reviewer: str = ""
    note: str = ""


@attrs.frozen
class _SignatureDoc:
    role: str
    date: str
    name: str = ""
    purpose: str = "plan"


@attrs.frozen
class _MeasurementDoc:
    instrument: str
    score: float
    date: str


@attrs.frozen
class _BandDoc:
    low: float
    high: float
    label: str


@attrs.frozen
class _InstrumentDoc:
    code: str
    name: str
    minimum: float
    maximum: float
    loinc: str | None = None
    bands: list[_BandDoc] = attrs.field(factory=list)
    lower_is_better: bool = True
    response_drop: float | None = None
    remission_below: float | None = None
    worsening: float | None = None


@attrs.frozen
class _PlanOfCareDoc:
    problems: list[_ProblemDoc] = attrs.field(factory=list)
    goals: list[_GoalDoc] = attrs.field(factory=list)
    objectives: list[_ObjectiveDoc] = attrs.field(factory=list)
    interventions: list[_InterventionDoc] = attrs.field(factory=list)


@attrs.frozen
class _RevisionDoc:
    date: str
    previous: _PlanOfCareDoc
    note: str = ""


@attrs.frozen
class _CareTeamDoc:
    name: str
    role: str


@attrs.frozen
class _RelapsePreventionDoc:
    triggers: list[str] = attrs.field(factory=list)
    warning_signs: list[str] = attrs.field(factory=list)
    coping_strategies: list[str] = attrs.field(factory=list)
    supports: list[str] = attrs.field(factory=list)


@attrs.frozen
class _ClosureDoc:
    date: str
    reason: str = ""


@attrs.frozen
class _HoldDoc:
    start: str
    end: str
    reason: str = ""


@attrs.frozen
class _ReferralDoc:
    level: str
    provider: str = ""


@attrs.frozen
class _CancellationDoc:
    session_id: str
    date: str
    reason: str = ""


@attrs.frozen
class _RescheduleDoc:
    session_id: str
    date: str
    start: str
    duration_minutes: int | None = None
    reason: str = ""


@attrs.frozen
class _LabelsDoc:
    kinds: dict[str, str] = attrs.field(factory=dict)
    tracks: dict[str, str] = attrs.field(factory=dict)
    reasons: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen
class _AttendanceDoc:
    session_id: str
    date: str
    status: str = "attended"
    minutes: int = 0
    note: str = ""


@attrs.frozen
class _AuthorizationDoc:
    level: str
    start: str
    end: str
    units: int
    unit: str = "days"
    status: str = "active"
    payer: str = ""
    reference: str = ""


@attrs.frozen
class _ScheduleDoc:
    timezone: str
    sessions: list[_SessionDoc]


@attrs.frozen
class _TransitionDoc:
    on: str
    from_level: str
    to_level: str | None
    direction: str
    reason: str
    previous_schedule: _ScheduleDoc
    note: str = ""
    referral: _ReferralDoc | None = None


@attrs.frozen
class _PlanDoc:
    format: str
    id: str
    client: _ClientDoc
    continuum: str | _ContinuumDoc
    level: str
    timezone: str
    start: str
    end: str
    sessions: list[_SessionDoc]
    closures: list[_ClosureDoc] = attrs.field(factory=list)
    cancellations: list[_CancellationDoc] = attrs.field(factory=list)
    reschedules: list[_RescheduleDoc] = attrs.field(factory=list)
    tracks: list[str] = attrs.field(factory=list)
    goals: list[_GoalDoc] = attrs.field(factory=list)
    diagnoses: list[str] = attrs.field(factory=list)
    care_team: list[_CareTeamDoc] = attrs.field(factory=list)
    relapse_prevention: _RelapsePreventionDoc | None = None
    transitions: list[_TransitionDoc] = attrs.field(factory=list)
    attendance: list[_AttendanceDoc] = attrs.field(factory=list)
    authorizations: list[_AuthorizationDoc] = attrs.field(factory=list)
    labels: _LabelsDoc = attrs.field(factory=_LabelsDoc)
    holds: list[_HoldDoc] = attrs.field(factory=list)
    readmission_of: str | None = None
    problems: list[_ProblemDoc] = attrs.field(factory=list)
    objectives: list[_ObjectiveDoc] = attrs.field(factory=list)
    interventions: list[_InterventionDoc] = attrs.field(factory=list)
    reviews: list[_ReviewDoc] = attrs.field(factory=list)
    signatures: list[_SignatureDoc] = attrs.field(factory=list)
    measurements: list[_MeasurementDoc] = attrs.field(factory=list)
    instruments: list[_InstrumentDoc] = attrs.field(factory=list)
    revisions: list[_RevisionDoc] = attrs.field(factory=list)


# Fields added to careplan/1 after its first release, with their defaults.
# They are left out of a document when at their default, so a document that
# does not use them stays readable by the versions before them.
_ADDED_PLAN_FIELDS: dict[str, object] = {
    "holds": [],
    "readmission_of": None,
    # The plan of care (issue 13).
    "problems": [],
    "objectives": [],
    "interventions": [],
    "reviews": [],
    "signatures": [],
    "measurements": [],
    "instruments": [],
    "revisions": [],
}
_ADDED_GOAL_FIELDS: dict[str, object] = {
    "id": None,
    "problems": [],
    "status": None,
    "achievement": None,
    "start": None,
}
_ADDED_PLAN_OF_CARE_FIELDS: dict[str, object] = {
    "problems": [],
    "goals": [],
    "objectives": [],
    "interventions": [],
}
_ADDED_CONTINUUM_FIELDS: dict[str, object] = {"step_down_targets": {}, "step_up_targets": {}}
_ADDED_REQUIRED_FIELDS: dict[str, object] = {"severity": "error"}
_ADDED_TRANSITION_FIELDS: dict[str, object] = {"referral": None}


# --- a strict converter ----------------------------------------------------


class _WrongType(Exception):
    """A JSON value of the wrong type (turned into a DocumentError)."""


# A subclass's value is read as the plain value (str.__str__ and int.__int__
# copy it), so equal documents build identical values, whatever a caller of
# plan_from_data passed, and whatever the reader kept from an earlier one.


def _strict_str(value: object, _type: object) -> str:
    if type(value) is str:
        return value
    if not isinstance(value, str):
        raise _WrongType(f"{_show(value)} is not a string")
    return str.__str__(value)


def _strict_int(value: object, _type: object) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _WrongType(f"{_show(value)} is not a whole number")
    return int.__int__(value)


def _strict_float(value: object, _type: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _WrongType(f"{_show(value)} is not a number")
    try:
        number = float(value)
    except OverflowError:
        raise _WrongType(f"{_show(value)} is too large") from None
    if not math.isfinite(number):
        raise _WrongType(f"{_show(value)} is not a finite number")
    return number


def _strict_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise _WrongType(f"{_show(value)} is not true or false")
    return value


def _show(value: object) -> str:
    # A list or object given for a scalar may hold private text (a name, a
    # note): errors describe it, never quote it.
    if isinstance(value, list):
        return f"a list of {len(value)} item(s)"
    if isinstance(value, dict):
        return f"an object of {len(value)} key(s)"
    if isinstance(value, int) and not isinstance(value, bool):
        return repr(shown(value))  # its digits, or how many when too many to quote
    text = json.dumps(value, ensure_ascii=False) if _is_json(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_json(value: object) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(bool, _strict_bool)

    def is_list(type_: Any) -> bool:
        return get_origin(type_) is list

    def list_hook(type_: Any) -> Callable[[Any, Any], Any]:
        inner = cattrs.cols.list_structure_factory(type_, converter)

        def structure(value: object, _type: object) -> Any:
            if not isinstance(value, list):
                raise _WrongType(f"{_show(value)} is not a list")
            return inner(value, type_)

        return structure

    def is_dict(type_: Any) -> bool:
        return get_origin(type_) is dict

    def dict_hook(type_: Any) -> Callable[[Any, Any], Any]:
        value_type = get_args(type_)[1]

        def structure(value: object, _type: object) -> Any:
            if not isinstance(value, dict):
                raise _WrongType(f"{_show(value)} is not an object")
            return {key: converter.structure(item, value_type) for key, item in value.items()}

        return structure

    def attrs_hook(type_: Any) -> Callable[[Any, Any], Any]:
        inner = cattrs.gen.make_dict_structure_fn(type_, converter)

        def structure(value: object, _type: object) -> Any:
            if not isinstance(value, dict):
                raise _WrongType(f"{_show(value)} is not an object")
            return inner(value, type_)

        return structure

    def continuum_union(value: object, _type: object) -> str | _ContinuumDoc:
        if isinstance(value, str):
            return value
        return converter.structure(value, _ContinuumDoc)

    session_doc = attrs_hook(_SessionDoc)

    def remembered_session(value: object, _type: object) -> _SessionDoc:
        # The plans of a program share most of their sessions (its groups),
        # each adding a few of its own: structuring a session costs about
        # four times looking it up.
        key = _raw_key(value)
        found = None if key is None else _SESSION_DOCS.get(key)
        if found is None:
            found = session_doc(value, _type)
            if key is not None and _size(found) <= _MAX_SESSION_SIZE:
                _keep(_SESSION_DOCS, key, found, _MAX_SESSIONS)
        return found

    converter.register_structure_hook_factory(is_list, list_hook)
    converter.register_structure_hook(_SessionDoc, remembered_session)
    converter.register_structure_hook_factory(is_dict, dict_hook)
    converter.register_structure_hook_factory(attrs.has, attrs_hook)
    converter.register_structure_hook(str | _ContinuumDoc, continuum_union)
    return converter


# Sessions already structured, and built, by what they were read from;
# emptied when full. A session holding long texts (labels included) or
# numbers is read, not kept.
_SESSION_DOCS: dict[tuple[object, ...], _SessionDoc] = {}
_SESSIONS: dict[tuple[object, ...], Session] = {}
_MAX_SESSIONS = 4096
_MAX_SESSION_SIZE = 1024


def _raw_key(value: object) -> tuple[object, ...] | None:
    """A key equal only for JSON objects that structure alike, or None.

    Only a plain ``dict`` of text keys and text, whole-number or null values
    is keyed: among those, equal means the same (JSON's ``1``, ``1.0`` and
    ``true`` are equal in Python, but a document object holding a float or
    a boolean is not keyed); a subclass may read differently from its items;
    and no caller's ``__hash__`` or ``__eq__`` runs.
    """
    if (
        type(value) is not dict
        or not _KEYABLE.issuperset(map(type, value.values()))
        or not _TEXT.issuperset(map(type, value))
    ):
        return None
    return tuple(value.items())


_KEYABLE = frozenset({str, int, type(None)})
_TEXT = frozenset({str})


_CONVERTER = _make_converter()


def _problems(exc: BaseException, path: str) -> Iterator[tuple[str, str]]:
    """Flatten a cattrs error tree into (path, problem) pairs."""
    if isinstance(exc, ForbiddenExtraKeysError):
        for key in sorted(exc.extra_fields):
            yield _join(path, key), f"is not a field of the {FORMAT} format"
        return
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, without_notes = exc.group_exceptions()
        for inner, note in with_notes:
            name = getattr(note, "name", None)
            step = (
                _join(path, name) if name is not None else f"{path}[{getattr(note, 'index', '?')}]"
            )
            yield from _problems(inner, step)
        for inner in without_notes:
            yield from _problems(inner, path)
        return
    if isinstance(exc, KeyError):
        yield path, "is missing"
    elif isinstance(exc, _WrongType):
        yield path, str(exc)
    else:
        yield path, f"is not valid ({exc})"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


# --- model <-> document ------------------------------------------------------

_RELAPSE_FIELDS = {
    name: name for name in ("triggers", "warning_signs", "coping_strategies", "supports")
}


class _at:
    """Turn a model error raised inside into a DocumentError at ``path``.

    An :class:`InvalidValueError` names a model field (``Session.duration``);
    ``renames`` maps it, by its whole name or by its attribute, to the
    document's name (``duration_minutes``).
    A class rather than ``@contextmanager``: a plan's document enters one per
    field, and a generator per field cost a tenth of reading it.
    """

    __slots__ = ("path", "renames")

    def __init__(self, path: str, renames: Mapping[str, str] | None = None) -> None:
        self.path = path
        self.renames = renames

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if error is None or isinstance(error, DocumentError):
            return
        path, renames = self.path, self.renames
        if isinstance(error, InvalidValueError):
            attribute = error.field.rpartition(".")[2] if "." in error.field else ""
            if renames is not None and error.field in renames:
                attribute = renames[error.field]
            elif renames is not None and attribute in renames:
                attribute = renames[attribute]
            where = _join(path, attribute) if attribute and renames is not None else path
            problem = f"{_show(error.value)} {error.problem}"
            raise DocumentError(
                where, f"{problem}; {error.hint}" if error.hint else problem
            ) from None
        if isinstance(error, CarePlanError):
            raise DocumentError(path, str(error)) from None


_OUTSIDE = f"is outside the dates careplan works with ({EARLIEST_DATE} to {LATEST_DATE})"


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", flags=re.ASCII)
# Dates read, by their text: the plans of a batch share most of their dates
# (starts, ends, the days of their sessions). Only supported dates; bounded.
_DATES: dict[str, pendulum.Date] = {}
_MAX_DATES = 8192  # 22 years of days


def _date(path: str, text: str) -> pendulum.Date:
    day = _DATES.get(text)
    if day is not None:
        return day
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError
        day = pendulum.Date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise DocumentError(path, f"{_show(text)} is not a date (YYYY-MM-DD)") from None
    if not supported(day):
        raise DocumentError(path, f"{_show(text)} {_OUTSIDE}")
    _keep(_DATES, text, day, _MAX_DATES)
    return day


def _datetime(path: str, text: str) -> pendulum.DateTime:
    try:
        value = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise DocumentError(
            path, f"{_show(text)} is not a date and time (YYYY-MM-DDTHH:MM±HH:MM)"
        ) from None
    if value.tzinfo is None:
        raise DocumentError(path, f"{_show(text)} has no UTC offset; add one (e.g. -05:00)")
    if not supported(value.date()):
        raise DocumentError(path, f"{_show(text)} {_OUTSIDE}")
    return pendulum.instance(value)


def _minutes(path: str, value: int) -> int:
    if not 0 < value <= 24 * 60:
        raise DocumentError(path, f"{_show(value)} is not a length between 1 and 1440 minutes")
    return value


def _range(doc: _RangeDoc, path: str) -> Range:
    with _at(path, {"min": "min", "max": "max", "upper": "upper"}):
        return Range(doc.min, doc.max, doc.upper)  # type: ignore[arg-type]


def _level(doc: _LevelDoc, path: str, kinds: Mapping[str, str]) -> LevelOfCare:
    intensity = Intensity(
        _range(doc.intensity.days_per_week, f"{path}.intensity.days_per_week"),
        _range(doc.intensity.hours_per_day, f"{path}.intensity.hours_per_day"),
        _range(doc.intensity.hours_per_week, f"{path}.intensity.hours_per_week"),
    )
    required = []
    for index, item in enumerate(doc.required):
        where = f"{path}.required[{index}]"
        with _at(where, {"code": "kind", "every_weeks": "every_weeks", "severity": "severity"}):
            required.append(
                RequiredComponent(
                    _kind(item.kind, kinds),
                    item.every_weeks,
                    item.severity,  # type: ignore[arg-type]
                )
            )
    renames = {"code": "code", "rank": "rank", "step_down_grace_weeks": "step_down_grace_weeks"}
    with _at(path, renames):
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


def _continuum(doc: _ContinuumDoc, path: str, kinds: Mapping[str, str]) -> Continuum:
    levels = [
        _level(level, _join(path, f"levels[{i}]"), kinds) for i, level in enumerate(doc.levels)
    ]
    with _at(_join(path, "levels")):
        Continuum(doc.name, levels)
    for field in ("step_down_targets", "step_up_targets"):
        for origin, target in getattr(doc, field).items():
            with _at(_join(path, f"{field}.{origin}")):
                Continuum(doc.name, levels, **{field: {origin: target}})
    return Continuum(doc.name, levels, doc.step_down_targets, doc.step_up_targets)


def _kind(code: str, labels: Mapping[str, str]) -> SessionKind:
    return SessionKind(code, labels[code]) if code in labels else SessionKind.from_code(code)


def _track(code: str, labels: Mapping[str, str]) -> TreatmentTrack:
    return TreatmentTrack(code, labels[code]) if code in labels else TreatmentTrack.from_code(code)


# The model's field names (``Session.start``) as the document's.
_SESSION_FIELDS = {
    "Session.weekday": "weekday",
    "Session.start": "start",
    "Session.duration": "duration_minutes",
    "Session.every_weeks": "every_weeks",
    "Session.id": "id",
    "Session.title": "title",
    "SessionKind.code": "kind",
    "SessionKind.label": "kind",
    "TreatmentTrack.code": "track",
    "TreatmentTrack.label": "track",
    "Modality.kind": "modality",
    "Modality.location": "location",
    "Modality.join_url": "join_url",
}


def _session(
    doc: _SessionDoc,
    path: str,
    index: int,
    labels: _LabelsDoc,
    modalities: dict[tuple[str, str | None, str | None], Modality],
) -> Session:
    # Only the labels of its kind and track shape it.
    kinds, tracks = labels.kinds, labels.tracks
    key = (
        doc,
        kinds.get(doc.kind) if kinds else None,
        tracks.get(doc.track) if tracks and doc.track is not None else None,
    )
    found = _SESSIONS.get(key)
    if found is None:
        found = _checked_session(doc, path, index, labels, modalities)
        if _size(doc, key[1], key[2]) <= _MAX_SESSION_SIZE:
            _keep(_SESSIONS, key, found, _MAX_SESSIONS)
    return found


def _checked_session(
    doc: _SessionDoc,
    path: str,
    index: int,
    labels: _LabelsDoc,
    modalities: dict[tuple[str, str | None, str | None], Modality],
) -> Session:
    try:
        # Nearly every session is good: built straight from the document,
        # its own converters check each field once.
        return _build_session(doc, labels, modalities)
    except CarePlanError:
        pass  # read again, field by field, so the first bad one is the one named
    # One context for the whole session, its errors named by model field:
    # a context per field cost a third of reading a session.
    where = _join(path, f"sessions[{index}]")
    with _at(where, _SESSION_FIELDS):
        weekday_from("Session.weekday", doc.weekday)
        parse_wall_time("Session.start", doc.start)
        _minutes(_join(where, "duration_minutes"), doc.duration_minutes)
        return _build_session(doc, labels, modalities)


def _build_session(
    doc: _SessionDoc,
    labels: _LabelsDoc,
    modalities: dict[tuple[str, str | None, str | None], Modality],
) -> Session:
    kind = _kind(doc.kind, labels.kinds)
    track = None if doc.track is None else _track(doc.track, labels.tracks)
    # The sessions of a schedule share a few places and links.
    where = (doc.modality, doc.location, doc.join_url)
    modality = modalities.get(where)
    if modality is None:
        modality = modalities[where] = Modality(*where)  # type: ignore[arg-type]
    return Session(
        doc.weekday,
        doc.start,
        doc.duration_minutes,
        kind,
        track=track,
        modality=modality,
        title=doc.title,
        every_weeks=doc.every_weeks,
        id=doc.id,
    )


# Schedules already read, by what they were read from. Plans with the same
# sessions share one (schedules are frozen), and the lookup of each session
# and the schedule's own checks are skipped. Bounded in number (emptied when
# full) and in size: a schedule whose texts are long is read, not kept.
_SCHEDULES: dict[tuple[object, ...], WeeklySchedule] = {}
_MAX_SCHEDULES = 256
_MAX_KEPT_CHARACTERS = 16_384


K = TypeVar("K")
V = TypeVar("V")


def _keep(cache: dict[K, V], key: K, value: V, most: int) -> None:
    """Keep ``value`` in ``cache``, emptied first when it holds ``most``: the
    reader's caches serve batches of a few programs, which refill them fast."""
    if len(cache) >= most:
        cache.clear()
    cache[key] = value


def _forget_read_values() -> None:
    """Empty the reader's caches (for tests and benchmarks of a first read)."""
    _SESSION_DOCS.clear()
    _SESSIONS.clear()
    _SCHEDULES.clear()
    _DATES.clear()


def _size(session: _SessionDoc, *labels: str | None) -> int:
    """How much ``session`` and its ``labels`` hold, in characters (a number
    by its hexadecimal digits): long texts, and numbers far beyond any good
    one, are read, not kept."""
    return (
        sum(len(label or "") for label in labels)
        + (session.duration_minutes.bit_length() + session.every_weeks.bit_length()) // 4
        + len(session.id)
        + len(session.weekday)
        + len(session.start)
        + len(session.kind)
        + len(session.modality)
        + len(session.location or "")
        + len(session.join_url or "")
        + len(session.track or "")
        + len(session.title or "")
    )


def _schedule(
    timezone: str, sessions: list[_SessionDoc], path: str, labels: _LabelsDoc
) -> WeeklySchedule:
    # Only the labels of the kinds and tracks the sessions use shape it.
    kinds, tracks = labels.kinds, labels.tracks
    key = (
        timezone,
        tuple(sessions),
        tuple(kinds.get(s.kind) for s in sessions) if kinds else (),
        tuple(tracks.get(s.track) for s in sessions if s.track is not None) if tracks else (),
    )
    found = _SCHEDULES.get(key)
    if found is not None:
        return found
    with _at(_join(path, "timezone")):
        zone = WeeklySchedule(timezone).timezone
    modalities: dict[tuple[str, str | None, str | None], Modality] = {}
    read = [_session(s, path, i, labels, modalities) for i, s in enumerate(sessions)]
    with _at(_join(path, "sessions")):
        schedule = WeeklySchedule(zone, read)
    labels_used = {label for label in (*key[2], *key[3]) if label is not None}
    if sum(map(_size, sessions)) + sum(map(len, labels_used)) <= _MAX_KEPT_CHARACTERS:
        _keep(_SCHEDULES, key, schedule, _MAX_SCHEDULES)
    return schedule


def _transition(
    doc: _TransitionDoc, path: str, continuum: Continuum, labels: _LabelsDoc
) -> Transition:
    for field, code in (("from_level", doc.from_level), ("to_level", doc.to_level)):
        if code is not None:
            with _at(_join(path, field)):
                continuum[code]
    with _at(_join(path, "direction")):
        choice("direction", doc.direction, Direction, "a direction")
    direction: Direction = doc.direction  # type: ignore[assignment]
    with _at(_join(path, "reason")):
        reason = _reason(doc.reason, direction, labels.reasons)
    previous = _schedule(
        doc.previous_schedule.timezone,
        doc.previous_schedule.sessions,
        _join(path, "previous_schedule"),
        labels,
    )
    referral = None
    if doc.referral is not None:
        with _at(_join(path, "referral"), {"level": "level", "provider": "provider"}):
            referral = Referral(doc.referral.level, doc.referral.provider)
        with _at(_join(path, "referral.level")):
            continuum[referral.level]
    renames = {"to_level": "to_level", "reason": "reason", "direction": "direction", "note": "note"}
    with _at(path, {**renames, "referral": "referral"}):
        return Transition(
            _date(_join(path, "on"), doc.on),
            doc.from_level,
            doc.to_level,
            direction,
            reason,
            previous,
            doc.note,
            referral,
        )


def _reason(code: str, direction: Direction, labels: Mapping[str, str]) -> TransitionReason:
    builtin = next((r for r in TransitionReason.builtins() if r.code == code), None)
    if builtin is not None and code not in labels:
        return builtin
    return TransitionReason(code, labels.get(code, code.replace("_", " ").capitalize()), direction)


def _schedule_doc(schedule: WeeklySchedule) -> _ScheduleDoc:
    return _ScheduleDoc(schedule.timezone, [_session_doc(s) for s in schedule.sessions])


def _session_doc(s: Session) -> _SessionDoc:
    return _SessionDoc(
        id=s.id,
        weekday=weekday_name(s.weekday),
        start=format_wall_time(s.start),
        duration_minutes=s.minutes,
        kind=s.kind.code,
        modality=s.modality.kind,
        location=s.modality.location,
        join_url=s.modality.join_url,
        track=None if s.track is None else s.track.code,
        title=s.title,
        every_weeks=s.every_weeks,
    )


def _continuum_of(doc: _PlanDoc, labels: _LabelsDoc) -> Continuum:
    if isinstance(doc.continuum, str):
        found = BUILTIN_CONTINUA.get(doc.continuum)
        if found is None:
            raise DocumentError(
                "continuum",
                f"{_show(doc.continuum)} is not a built-in continuum; use one of "
                f"{', '.join(BUILTIN_CONTINUA)} or embed the continuum as an object",
            )
        return found
    return _continuum(doc.continuum, "continuum", labels.kinds)


def _structure(data: object, type_: type[T]) -> T:
    try:
        return _CONVERTER.structure(data, type_)
    except (ClassValidationError, IterableValidationError, _WrongType) as error:
        path, problem = next(_problems(error, ""), ("", "is not valid"))
        raise DocumentError(path, problem) from None


_ATTENDANCE_FIELDS = {name: name for name in ("session_id", "status", "minutes", "note")}


def _attendance(docs: list[_AttendanceDoc]) -> list[Attendance]:
    """The records, read in one go: a plan holds hundreds, and nearly all are good."""

    def read(record: _AttendanceDoc, where: str) -> Attendance:
        return Attendance(
            record.session_id,
            _date(f"{where}.date", record.date),
            record.status,  # type: ignore[arg-type]
            record.minutes,
            record.note,
        )

    try:
        return [read(record, "attendance[]") for record in docs]
    except CarePlanError:
        pass  # read again, record by record, to name the one refused
    found = []
    for i, record in enumerate(docs):
        where = f"attendance[{i}]"
        with _at(where, _ATTENDANCE_FIELDS):
            found.append(read(record, where))
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
            names its path.
        InvalidValueError: ``max_years`` is not a whole number of at least 1.
    """
    require_max_years(max_years)
    if not isinstance(data, dict):
        raise DocumentError("", f"the document is {_show(data)}, not a JSON object")
    if data.get("format") != FORMAT:
        found = _show(data["format"]) if "format" in data else "missing"
        raise DocumentError("format", f"is {found}; this version reads {FORMAT}")
    doc = _structure(data, _PlanDoc)
    labels = doc.labels
    continuum = _continuum_of(doc, labels)
    with _at("level"):
        level = continuum[doc.level]
    schedule = _schedule(doc.timezone, doc.sessions, "", labels)
    timezone = schedule.timezone
    closures = []
    for i, c in enumerate(doc.closures):
        with _at(f"closures[{i}]", {"reason": "reason"}):
            closures.append(Closure(_date(f"closures[{i}].date", c.date), c.reason))
    cancellations = []
    for i, x in enumerate(doc.cancellations):
        where = f"cancellations[{i}]"
        with _at(where, {"session_id": "session_id", "reason": "reason"}):
            cancellations.append(
                Cancellation(x.session_id, _date(f"{where}.date", x.date), x.reason)
            )
    reschedules = []
    for i, r in enumerate(doc.reschedules):
        where = f"reschedules[{i}]"
        duration = None
        if r.duration_minutes is not None:
            duration = _minutes(f"{where}.duration_minutes", r.duration_minutes)
        moved_to = _datetime(f"{where}.start", r.start).in_timezone(timezone)
        with _at(where, {"session_id": "session_id", "reason": "reason"}):
            reschedules.append(
                Reschedule(
                    r.session_id, _date(f"{where}.date", r.date), moved_to, duration, r.reason
                )
            )
    care = _plan_of_care(
        _PlanOfCareDoc(doc.problems, doc.goals, doc.objectives, doc.interventions), "", labels
    )
    relapse = None
    if doc.relapse_prevention is not None:
        r_doc = doc.relapse_prevention
        with _at("relapse_prevention", _RELAPSE_FIELDS):
            relapse = RelapsePreventionPlan(
                r_doc.triggers, r_doc.warning_signs, r_doc.coping_strategies, r_doc.supports
            )
    with _at("client", {"id": "id", "name": "name"}):
        client = Client(doc.client.id, doc.client.name)
    care_team = []
    for i, m in enumerate(doc.care_team):
        with _at(f"care_team[{i}]", {"name": "name", "role": "role"}):
            care_team.append(CareTeamMember(m.name, m.role))
    holds = []
    for i, h in enumerate(doc.holds):
        where = f"holds[{i}]"
        with _at(where, {"end": "end", "reason": "reason"}):
            holds.append(
                Hold(_date(f"{where}.start", h.start), _date(f"{where}.end", h.end), h.reason)
            )
    tracks = []
    for i, code in enumerate(doc.tracks):
        with _at(f"tracks[{i}]"):
            tracks.append(_track(code, labels.tracks))
    transitions = [
        _transition(t, f"transitions[{i}]", continuum, labels)
        for i, t in enumerate(doc.transitions)
    ]
    attendance = _attendance(doc.attendance)
    authorizations = []
    for i, z in enumerate(doc.authorizations):
        where = f"authorizations[{i}]"
        with _at(f"{where}.level"):
            continuum[z.level]
        renames = {"end": "end", "units": "units", "unit": "unit", "status": "status"}
        with _at(where, {**renames, "payer": "payer", "reference": "reference"}):
            authorizations.append(
                Authorization(
                    z.level,
                    _date(f"{where}.start", z.start),
                    _date(f"{where}.end", z.end),
                    z.units,
                    z.unit,  # type: ignore[arg-type]
                    z.status,  # type: ignore[arg-type]
                    z.payer,
                    z.reference,
                )
            )
    with _at_plan():
        plan = CarePlan(
            client=client,
            level=level,
            schedule=schedule,
            start=_date("start", doc.start),
            end=_date("end", doc.end),
            continuum=continuum,
            tracks=tracks,
            goals=care.goals,
            diagnoses=doc.diagnoses,
            care_team=care_team,
            relapse_prevention=relapse,
            closures=closures,
            cancellations=cancellations,
            reschedules=reschedules,
            transitions=transitions,
            attendance=attendance,
            authorizations=authorizations,
            id=doc.id,
            holds=holds,
            readmission_of=doc.readmission_of,
            problems=care.problems,
            objectives=care.objectives,
            interventions=care.interventions,
            reviews=_reviews(doc.reviews),
            signatures=_signatures(doc.signatures),
            measurements=_measurements(doc.measurements),
            instruments=_instruments(doc.instruments),
            revisions=[
                CareRevision(
                    _date(f"revisions[{i}].date", r.date),
                    _plan_of_care(r.previous, f"revisions[{i}].previous", labels),
                    r.note,
                )
                for i, r in enumerate(doc.revisions)
            ],
        )
    for problem in limit_problems(plan, max_years):
        raise DocumentError(problem.path, problem.problem)
    return plan


def _optional_date(path: str, text: str | None) -> pendulum.Date | None:
    return None if text is None else _date(path, text)


def _goal(doc: _GoalDoc, path: str) -> Goal:
    with _at(path, {name: name for name in ("id", "problems", "status", "achievement")}):
        return Goal(
            doc.id,
            doc.description,
            doc.measure,
            _optional_date(f"{path}.target_date", doc.target_date),
            problems=tuple(doc.problems),
            status=doc.status,  # type: ignore[arg-type]
            achievement=doc.achievement,  # type: ignore[arg-type]
            start=_optional_date(f"{path}.start", doc.start),
        )


def _problem(doc: _ProblemDoc, path: str) -> Problem:
    condition = None
    if doc.condition is not None:
        c = doc.condition
        with _at(f"{path}.condition", {"system": "system", "code": "code"}):
            condition = Coding(c.system, c.code, c.display)
    with _at(path, {"id": "id", "description": "description"}):
        return Problem(doc.id, doc.description, doc.client_words, condition)


def _target(doc: _TargetDoc, path: str, labels: _LabelsDoc) -> Target:
    kinds = []
    for i, code in enumerate(doc.kinds):
        with _at(f"{path}.kinds[{i}]"):
            kinds.append(_kind(code, labels.kinds))
    with _at(path, {name: name for name in ("measure", "comparison", "value", "kinds")}):
        return Target(doc.measure, doc.comparison, doc.value, tuple(kinds))  # type: ignore[arg-type]


def _objective(doc: _ObjectiveDoc, path: str, labels: _LabelsDoc) -> TreatmentObjective:
    target = None if doc.target is None else _target(doc.target, f"{path}.target", labels)
    renames = {name: name for name in ("id", "goal", "description", "status", "achievement")}
    with _at(path, renames):
        return TreatmentObjective(
            doc.id,
            doc.goal,
            doc.description,
            _optional_date(f"{path}.target_date", doc.target_date),
            target,
            doc.status,  # type: ignore[arg-type]
            doc.achievement,  # type: ignore[arg-type]
            _optional_date(f"{path}.start", doc.start),
        )


def _intervention(doc: _InterventionDoc, path: str, labels: _LabelsDoc) -> Intervention:
    kinds = []
    for i, code in enumerate(doc.kinds):
        with _at(f"{path}.kinds[{i}]"):
            kinds.append(_kind(code, labels.kinds))
    names = ("id", "description", "objectives", "times", "every_weeks", "role", "levels")
    with _at(path, {name: name for name in names}):
        return Intervention(
            doc.id,
            doc.description,
            tuple(doc.objectives),
            tuple(kinds),
            doc.times,
            doc.every_weeks,
            doc.role,  # type: ignore[arg-type]
            tuple(doc.levels),
        )


def _plan_of_care(doc: _PlanOfCareDoc, path: str, labels: _LabelsDoc) -> PlanOfCare:
    """The records of a plan of care, with references checked and errors at their paths."""
    problems = [_problem(p, _join(path, f"problems[{i}]")) for i, p in enumerate(doc.problems)]
    goals = [_goal(g, _join(path, f"goals[{i}]")) for i, g in enumerate(doc.goals)]
    objectives = [
        _objective(o, _join(path, f"objectives[{i}]"), labels) for i, o in enumerate(doc.objectives)
    ]
    interventions = [
        _intervention(v, _join(path, f"interventions[{i}]"), labels)
        for i, v in enumerate(doc.interventions)
    ]
    try:
        return PlanOfCare(problems, goals, objectives, interventions)
    except InvalidValueError as error:
        # PlanOfCare.interventions[2].objectives -> <path>.interventions[2].objectives
        where = _join(path, error.field.removeprefix("PlanOfCare."))
        problem = f"{_show(error.value)} {error.problem}"
        raise DocumentError(where, f"{problem}; {error.hint}" if error.hint else problem) from None


def _reviews(docs: list[_ReviewDoc]) -> list[Review]:
    found = []
    for i, r in enumerate(docs):
        where = f"reviews[{i}]"
        with _at(where, {"role": "role", "outcome": "outcome"}):
            found.append(
                Review(_date(f"{where}.date", r.date), r.role, r.outcome, r.reviewer, r.note)  # type: ignore[arg-type]
            )
    return found


def _signatures(docs: list[_SignatureDoc]) -> list[Signature]:
    found = []
    for i, g in enumerate(docs):
        where = f"signatures[{i}]"
        with _at(where, {"role": "role", "purpose": "purpose"}):
            found.append(
                Signature(_date(f"{where}.date", g.date), g.role, g.name, g.purpose)  # type: ignore[arg-type]
            )
    return found


def _measurements(docs: list[_MeasurementDoc]) -> list[Measurement]:
    found = []
    for i, m in enumerate(docs):
        where = f"measurements[{i}]"
        with _at(where, {"instrument": "instrument", "score": "score"}):
            found.append(Measurement(m.instrument, m.score, _date(f"{where}.date", m.date)))
    return found


def _instruments(docs: list[_InstrumentDoc]) -> list[Instrument]:
    found = []
    for i, d in enumerate(docs):
        where = f"instruments[{i}]"
        bands = []
        for j, b in enumerate(d.bands):
            with _at(f"{where}.bands[{j}]", {"high": "high", "label": "label"}):
                bands.append(Band(b.low, b.high, b.label))
        names = ("code", "name", "maximum", "bands", "response_drop", "worsening", "loinc")
        with _at(where, {name: name for name in names}):
            found.append(
                Instrument(
                    d.code,
                    d.name,
                    d.minimum,
                    d.maximum,
                    d.loinc,
                    tuple(bands),
                    d.lower_is_better,
                    d.response_drop,
                    d.remission_below,
                    d.worsening,
                )
            )
    return found


@contextmanager
def _at_plan() -> Iterator[None]:
    """Map a plan constructor's field (``CarePlan.transitions[1].on``) to its path."""
    try:
        yield
    except DocumentError:
        raise
    except InvalidValueError as error:
        path = error.field.removeprefix("CarePlan.")
        problem = f"{_show(error.value)} {error.problem}"
        raise DocumentError(path, f"{problem}; {error.hint}" if error.hint else problem) from None
    except CarePlanError as error:
        raise DocumentError("", str(error)) from None


def _range_doc(value: Range) -> _RangeDoc:
    return _RangeDoc(value.min, value.max, value.upper)


def _level_doc(level: LevelOfCare) -> _LevelDoc:
    return _LevelDoc(
        level.code,
        level.name,
        level.rank,
        _IntensityDoc(
            _range_doc(level.intensity.days_per_week),
            _range_doc(level.intensity.hours_per_day),
            _range_doc(level.intensity.hours_per_week),
        ),
        level.overnight,
        list(level.best_for),
        [_RequiredDoc(r.kind.code, r.every_weeks, r.severity) for r in level.required],
        level.step_down_grace_weeks,
    )


def _continuum_doc(continuum: Continuum) -> _ContinuumDoc:
    return _ContinuumDoc(
        continuum.name,
        [_level_doc(level) for level in continuum],
        dict(continuum.step_down_targets),
        dict(continuum.step_up_targets),
    )


def _drop_added_defaults(data: dict[str, Any], added: Mapping[str, object]) -> None:
    for name, default in added.items():
        if name in data and data[name] == default:
            del data[name]


def _continuum_data(doc: _ContinuumDoc) -> dict[str, Any]:
    data: dict[str, Any] = _CONVERTER.unstructure(doc)
    _drop_added_defaults(data, _ADDED_CONTINUUM_FIELDS)
    for level in data["levels"]:
        for required in level["required"]:
            _drop_added_defaults(required, _ADDED_REQUIRED_FIELDS)
    return data


def _custom_labels(
    items: list[SessionKind] | list[TreatmentTrack],
    builtin: Callable[[str], SessionKind | TreatmentTrack],
) -> dict[str, str]:
    """The labels a document must carry: every declared label that reading the
    code alone would not give back (a plan holds one label per code)."""
    found = {}
    for item in items:
        if item.declared and (
            builtin(item.code).label != item.label or not builtin(item.code).declared
        ):
            found[item.code] = item.label
    return found


def _number(value: float) -> float:
    """A whole number as an int, so documents say ``18`` rather than ``18.0``."""
    return int(value) if float(value).is_integer() else value


def _iso(day: pendulum.Date | None) -> str | None:
    return None if day is None else day.isoformat()


def _goal_doc(g: Goal) -> _GoalDoc:
    return _GoalDoc(
        g.description,
        g.measure,
        _iso(g.target_date),
        g.id,
        list(g.problems),
        g.status,
        g.achievement,
        _iso(g.start),
    )


def _plan_of_care_doc(care: PlanOfCare) -> _PlanOfCareDoc:
    return _PlanOfCareDoc(
        problems=[
            _ProblemDoc(
                p.id,
                p.description,
                p.client_words,
                None
                if p.condition is None
                else _CodingDoc(p.condition.system, p.condition.code, p.condition.display),
            )
            for p in care.problems
        ],
        goals=[_goal_doc(g) for g in care.goals],
        objectives=[
            _ObjectiveDoc(
                o.id,
                o.goal,
                o.description,
                _iso(o.target_date),
                None
                if o.target is None
                else _TargetDoc(
                    o.target.measure,
                    o.target.comparison,
                    _number(o.target.value),
                    [k.code for k in o.target.kinds],
                ),
                o.status,
                o.achievement,
                _iso(o.start),
            )
            for o in care.objectives
        ],
        interventions=[
            _InterventionDoc(
                v.id,
                v.description,
                list(v.objectives),
                [k.code for k in v.kinds],
                v.times,
                v.every_weeks,
                v.role,
                list(v.levels),
            )
            for v in care.interventions
        ],
    )


def _instrument_doc(i: Instrument) -> _InstrumentDoc:
    return _InstrumentDoc(
        i.code,
        i.name,
        _number(i.minimum),
        _number(i.maximum),
        i.loinc,
        [_BandDoc(_number(b.low), _number(b.high), b.label) for b in i.bands],
        i.lower_is_better,
        i.response_drop,
        None if i.remission_below is None else _number(i.remission_below),
        None if i.worsening is None else _number(i.worsening),
    )


def plan_to_data(plan: CarePlan) -> dict[str, Any]:
    """The ``careplan/1`` document of ``plan``, as plain JSON-ready data."""
    continuum: str | _ContinuumDoc = plan.continuum.name
    if BUILTIN_CONTINUA.get(plan.continuum.name) != plan.continuum:
        continuum = _continuum_doc(plan.continuum)
    all_sessions = [s for e in plan.episodes for s in e.schedule.sessions]
    kinds = [s.kind for s in all_sessions] + [
        r.kind for level in plan.continuum for r in level.required
    ]
    # Custom kinds an intervention or target names need their labels too.
    for care_version in (plan.plan_of_care, *(r.previous for r in plan.revisions)):
        kinds += [k for i in care_version.interventions for k in i.kinds]
        kinds += [
            k for o in care_version.objectives if o.target is not None for k in o.target.kinds
        ]
    tracks = [s.track for s in all_sessions if s.track is not None] + list(plan.tracks)
    reasons = {
        t.reason.code: t.reason.label
        for t in plan.transitions
        if t.reason not in TransitionReason.builtins()
        or TransitionReason.from_code(t.reason.code).label != t.reason.label
    }
    relapse = plan.relapse_prevention
    care = _plan_of_care_doc(plan.plan_of_care)
    doc = _PlanDoc(
        format=FORMAT,
        id=plan.id,
        client=_ClientDoc(plan.client.id, plan.client.name),
        continuum=continuum,
        level=plan.level.code,
        timezone=plan.timezone,
        start=plan.start.isoformat(),
        end=plan.end.isoformat(),
        sessions=[_session_doc(s) for s in plan.schedule.sessions],
        closures=[_ClosureDoc(c.on.isoformat(), c.reason) for c in plan.closures],
        cancellations=[
            _CancellationDoc(c.session_id, c.on.isoformat(), c.reason) for c in plan.cancellations
        ],
        reschedules=[
            _RescheduleDoc(
                r.session_id,
                r.on.isoformat(),
                r.start.isoformat(),
                None if r.duration is None else int(r.duration.total_seconds()) // 60,
                r.reason,
            )
            for r in plan.reschedules
        ],
        tracks=[t.code for t in plan.tracks],
        goals=[_goal_doc(g) for g in plan.goals],
        diagnoses=list(plan.diagnoses),
        care_team=[_CareTeamDoc(m.name, m.role) for m in plan.care_team],
        transitions=[
            _TransitionDoc(
                t.on.isoformat(),
                t.from_level,
                t.to_level,
                t.direction,
                t.reason.code,
                _schedule_doc(t.previous_schedule),
                t.note,
                None if t.referral is None else _ReferralDoc(t.referral.level, t.referral.provider),
            )
            for t in plan.transitions
        ],
        attendance=[
            _AttendanceDoc(a.session_id, a.on.isoformat(), a.status, a.minutes, a.note)
            for a in plan.attendance
        ],
        authorizations=[
            _AuthorizationDoc(
                z.level,
                z.start.isoformat(),
                z.end.isoformat(),
                z.units,
                z.unit,
                z.status,
                z.payer,
                z.reference,
            )
            for z in plan.authorizations
        ],
        relapse_prevention=None
        if relapse is None
        else _RelapsePreventionDoc(
            list(relapse.triggers),
            list(relapse.warning_signs),
            list(relapse.coping_strategies),
            list(relapse.supports),
        ),
        labels=_LabelsDoc(
            _custom_labels(kinds, SessionKind.from_code),
            _custom_labels(tracks, TreatmentTrack.from_code),
            reasons,
        ),
        holds=[_HoldDoc(h.start.isoformat(), h.end.isoformat(), h.reason) for h in plan.holds],
        readmission_of=plan.readmission_of,
        problems=care.problems,
        objectives=care.objectives,
        interventions=care.interventions,
        reviews=[
            _ReviewDoc(r.on.isoformat(), r.role, r.outcome, r.reviewer, r.note)
            for r in plan.reviews
        ],
        signatures=[
            _SignatureDoc(g.role, g.on.isoformat(), g.name, g.purpose) for g in plan.signatures
        ],
        measurements=[
            _MeasurementDoc(m.instrument, _number(m.score), m.on.isoformat())
            for m in plan.measurements
        ],
        instruments=[_instrument_doc(i) for i in plan.instruments],
        revisions=[
            _RevisionDoc(r.on.isoformat(), _plan_of_care_doc(r.previous), r.note)
            for r in plan.revisions
        ],
    )
    data: dict[str, Any] = _CONVERTER.unstructure(doc)
    _drop_added_defaults(data, _ADDED_PLAN_FIELDS)
    for goal in data["goals"]:
        _drop_added_defaults(goal, _ADDED_GOAL_FIELDS)
    for revision in data.get("revisions", ()):
        _drop_added_defaults(revision["previous"], _ADDED_PLAN_OF_CARE_FIELDS)
        for goal in revision["previous"].get("goals", ()):
            _drop_added_defaults(goal, _ADDED_GOAL_FIELDS)
    for transition in data["transitions"]:
        _drop_added_defaults(transition, _ADDED_TRANSITION_FIELDS)
    if isinstance(continuum, _ContinuumDoc):
        data["continuum"] = _continuum_data(continuum)
    return data


#: The most digits a whole number in a document may have. Python refuses to
#: read more than 4,300; careplan's numbers (minutes, weeks, units) need few.
MAX_DIGITS = 30


class _Duplicates(dict[str, object]):
    """A JSON object that gave some keys more than once (found after decoding)."""

    repeated: tuple[str, ...] = ()


class _LongNumber:
    """A whole number with too many digits, kept as its digit count."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class _Decoding:
    """The json hooks of one decoding; they note whether anything needs refusing.

    The decoded value is walked for repeated keys and long numbers (to name
    their path) only when a hook saw one: most documents have neither.
    """

    def __init__(self) -> None:
        self.suspect = False

    def object(self, pairs: list[tuple[str, object]]) -> dict[str, object]:
        found = dict(pairs)
        if len(found) == len(pairs):
            return found
        self.suspect = True
        seen: set[str] = set()
        repeated = []
        for key, _ in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        marked = _Duplicates(found)
        marked.repeated = tuple(repeated)
        return marked

    def integer(self, text: str) -> int | _LongNumber:
        digits = len(text.lstrip("-"))
        if digits > MAX_DIGITS:
            self.suspect = True
            return _LongNumber(digits)
        return int(text)


def _refuse_constant(name: str) -> object:
    raise DocumentError("", f"{name} is not allowed in a careplan document")


def _check_decoded(data: object) -> None:
    """Refuse repeated keys and overlong numbers, naming their path.

    Walks the decoded value once, without recursion.
    """
    pending: list[tuple[str, object]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, _LongNumber):
            raise DocumentError(
                path,
                f"is a whole number of {value.digits} digits; numbers in a careplan "
                f"document have at most {MAX_DIGITS}",
            )
        if isinstance(value, dict):
            if isinstance(value, _Duplicates):
                raise DocumentError(
                    _join(path, value.repeated[0]),
                    "is given more than once in the same object; keep one (a later "
                    "value would silently replace the earlier)",
                )
            pending.extend(reversed([(_join(path, key), item) for key, item in value.items()]))
        elif isinstance(value, list):
            pending.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))


def _loads(text: str | bytes) -> object:
    """Decode JSON text, or bytes in UTF-8 (RFC 8259), with or without a byte-order mark.

    Raises:
        DocumentError: Anything but a readable JSON document without repeated
            keys or overlong numbers.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise DocumentError(
                "",
                f"the bytes are not UTF-8 (byte 0x{text[error.start]:02x} at position "
                f"{error.start}); save the document as UTF-8",
            ) from None
    if not isinstance(text, str):
        raise DocumentError("", f"the document is {type(text).__name__}, not text or bytes")
    text = text.removeprefix("\ufeff")
    decoding = _Decoding()
    try:
        data = json.loads(
            text,
            object_pairs_hook=decoding.object,
            parse_int=decoding.integer,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        raise DocumentError("", f"the text is not JSON ({error})") from None
    except (UnicodeDecodeError, RecursionError) as error:
        problem = "nests too deeply" if isinstance(error, RecursionError) else str(error)
        raise DocumentError("", f"the text is not readable JSON ({problem})") from None
    except ValueError as error:  # pragma: no cover - a limit of the json module itself
        raise DocumentError("", f"the text is not readable JSON ({error})") from None
    if decoding.suspect:
        _check_decoded(data)
    return data


def to_json(plan: CarePlan, *, indent: int | None = 2) -> str:
    """Write ``plan`` as a ``careplan/1`` JSON document.

    >>> from careplan import from_json
    >>> from careplan.demo import sample_plan
    >>> plan = sample_plan()
    >>> from_json(to_json(plan)) == plan
    True
    """
    return json.dumps(plan_to_data(plan), indent=indent, ensure_ascii=False)


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
    byte-order mark. Sessions, schedules and dates read before are reused
    (the plans of a program share them): the reader keeps at most 4,096
    sessions, 256 schedules and 8,192 dates, none with long texts, and a
    document reads the same whatever was read before it.
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
            ``sessions[2].start: "25:00" is not a time of day``.
        InvalidValueError: ``max_years`` is not a whole number of at least 1.

    >>> from_json('{"format": "careplan/0"}')
    Traceback (most recent call last):
    ...
    careplan.DocumentError: format: is "careplan/0"; this version reads careplan/1
    """
    plan = plan_from_data(_loads(text), max_years=max_years)
    if today is not None and plan.attendance:
        _check_attendance(plan, today)
    return plan


def _check_attendance(plan: CarePlan, today: _dt.date | None) -> None:
    misplaced: Iterable[tuple[int, Attendance, Occurrence | None]]
    if today is None:
        # Only the keys matter: no need to build the occurrences.
        keys = occurrence_keys(plan)
        misplaced = ((i, r, None) for i, r in enumerate(plan.attendance) if r.key not in keys)
    else:
        misplaced = misplaced_records(plan, plan.occurrences(), today)
    for index, record, occurrence in misplaced:
        if occurrence is None:
            raise DocumentError(
                f"attendance[{index}]",
                f"{record.session_id!r} on {record.on} is not an occurrence of the plan",
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
    doc = _structure(data, _ContinuumDoc)
    return _continuum(doc, "", {})


def continuum_to_data(continuum: Continuum) -> dict[str, Any]:
    """The plain data of ``continuum``, as :func:`continuum_from_data` reads it."""
    return _continuum_data(_continuum_doc(continuum))


def continuum_from_json(text: str | bytes) -> Continuum:
    """Build a continuum from JSON text; see :func:`continuum_from_data`."""
    return continuum_from_data(_loads(text))


def _schema_of(type_: Any, definitions: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(type_)
    if type_ is str:
        return {"type": "string"}
    if type_ is bool:
        return {"type": "boolean"}
    if type_ is int:
        return {"type": "integer"}
    if type_ is float:
        return {"type": "number"}
    if type_ is type(None):
        return {"type": "null"}
    if origin is list:
        return {"type": "array", "items": _schema_of(get_args(type_)[0], definitions)}
    if origin is dict:
        return {
            "type": "object",
            "additionalProperties": _schema_of(get_args(type_)[1], definitions),
        }
    if origin in (Union, UnionType):
        return {"anyOf": [_schema_of(arg, definitions) for arg in get_args(type_)]}
    if attrs.has(type_):
        name = type_.__name__.strip("_").removesuffix("Doc")
        if name not in definitions:
            definitions[name] = {}  # placeholder against recursion
            hints = typing.get_type_hints(type_)
            properties = {}
            required = []
            for field in attrs.fields(type_):
                properties[field.name] = _schema_of(hints[field.name], definitions)
                if field.default is attrs.NOTHING:
                    required.append(field.name)
            definitions[name] = {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {type_!r}")  # pragma: no cover - a new field type


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the ``careplan/1`` document.

    Generated from the document's own classes, so it cannot drift from what
    :func:`from_json` reads. It checks structure and types; values (a time
    like ``"25:00"``, an unknown zone) are checked by :func:`from_json`.

    >>> schema = json_schema()
    >>> schema["properties"]["format"]
    {'const': 'careplan/1'}
    """
    definitions: dict[str, Any] = {}
    root = _schema_of(_PlanDoc, definitions)
    plan = definitions.pop(root["$ref"].rsplit("/", 1)[1])
    plan["properties"]["format"] = {"const": FORMAT}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://careplan.readthedocs.io/schema/careplan-1.json",
        "title": "careplan/1 document",
        **plan,
        "$defs": definitions,
    }


# --- payer rule packs ---------------------------------------------------------

#: The format of a payer rule pack document.
PAYER_FORMAT = "careplan-payer/1"


@attrs.frozen
class _BillingCodeDoc:
    system: str
    code: str
    label: str = ""
    scope: str = "all"


@attrs.frozen
class _TierDoc:
    name: str
    min_services: int
    max_services: int | None = None
    codes: list[_BillingCodeDoc] = attrs.field(factory=list)


@attrs.frozen
class _CadenceDoc:
    every: int
    unit: str = "days"
    first: int | None = None


def _cadence_of(doc: _CadenceDoc, path: str) -> Cadence:
    with _at(path, {}):
        return Cadence(doc.every, doc.unit, doc.first)  # type: ignore[arg-type]


@attrs.frozen
class _LevelRulesDoc:
    levels: list[str]
    billable_kinds: list[str]
    min_services: int = 1
    min_minutes: int = 0
    min_days_per_week: int | None = None
    min_hours_per_week: float | None = None
    virtual: str = "counts"
    tiers: list[_TierDoc] = attrs.field(factory=list)
    codes: list[_BillingCodeDoc] = attrs.field(factory=list)
    recertification: _CadenceDoc | None = None


@attrs.frozen
class _PayerRulesDoc:
    format: str
    name: str
    version: str
    effective_from: str
    effective_to: str | None = None
    levels: list[_LevelRulesDoc] = attrs.field(factory=list)
    source: str = ""


def _billing_code(doc: _BillingCodeDoc, path: str) -> BillingCode:
    with _at(path, {}):
        return BillingCode(doc.system, doc.code, doc.label, doc.scope)  # type: ignore[arg-type]


def payer_rules_from_data(data: object) -> PayerRules:
    """Build a payer rule pack from a decoded ``careplan-payer/1`` document.

    The document mirrors :class:`careplan.PayerRules`: ``name``,
    ``version``, ``effective_from`` (and ``effective_to``) as ISO dates,
    ``source`` and ``levels``, each with the fields of
    :class:`careplan.LevelRules` (``tiers`` and ``codes`` as lists of objects).

    Raises:
        DocumentError: Naming the path of the bad field.
    """
    doc = _structure(data, _PayerRulesDoc)
    if doc.format != PAYER_FORMAT:
        raise DocumentError("format", f"{doc.format!r} is not {PAYER_FORMAT!r}")
    levels = []
    for index, level in enumerate(doc.levels):
        where = f"levels[{index}]"
        tiers = []
        for number, tier in enumerate(level.tiers):
            at = f"{where}.tiers[{number}]"
            codes = [_billing_code(c, f"{at}.codes[{n}]") for n, c in enumerate(tier.codes)]
            with _at(at, {}):
                tiers.append(Tier(tier.name, tier.min_services, tier.max_services, codes))
        codes = [_billing_code(c, f"{where}.codes[{n}]") for n, c in enumerate(level.codes)]
        with _at(where, {}):
            levels.append(
                LevelRules(
                    levels=level.levels,
                    billable_kinds=level.billable_kinds,
                    min_services=level.min_services,
                    min_minutes=level.min_minutes,
                    min_days_per_week=level.min_days_per_week,
                    min_hours_per_week=level.min_hours_per_week,
                    virtual=level.virtual,  # type: ignore[arg-type]
                    tiers=tiers,
                    codes=codes,
                    recertification=None
                    if level.recertification is None
                    else _cadence_of(level.recertification, f"{where}.recertification"),
                )
            )
    effective_to = None if doc.effective_to is None else _date("effective_to", doc.effective_to)
    with _at("", {}):
        return PayerRules(
            doc.name,
            doc.version,
            _date("effective_from", doc.effective_from),
            effective_to,
            levels,
            doc.source,
        )


def payer_rules_to_data(rules: PayerRules) -> dict[str, Any]:
    """The ``careplan-payer/1`` document of ``rules``, as plain data."""
    data: dict[str, Any] = _CONVERTER.unstructure(
        _PayerRulesDoc(
            PAYER_FORMAT,
            rules.name,
            rules.version,
            rules.effective_from.isoformat(),
            None if rules.effective_to is None else rules.effective_to.isoformat(),
            [
                _LevelRulesDoc(
                    list(level.levels),
                    list(level.billable_kinds),
                    level.min_services,
                    level.min_minutes,
                    level.min_days_per_week,
                    level.min_hours_per_week,
                    level.virtual,
                    [
                        _TierDoc(
                            t.name,
                            t.min_services,
                            t.max_services,
                            [_billing_code_doc(c) for c in t.codes],
                        )
                        for t in level.tiers
                    ],
                    [_billing_code_doc(c) for c in level.codes],
                    None
                    if level.recertification is None
                    else _CadenceDoc(
                        level.recertification.every,
                        level.recertification.unit,
                        level.recertification.first,
                    ),
                )
                for level in rules.levels
            ],
            rules.source,
        )
    )
    return data


def _billing_code_doc(code: BillingCode) -> _BillingCodeDoc:
    return _BillingCodeDoc(code.system, code.code, code.label, code.scope)


def payer_rules_to_json(rules: PayerRules, *, indent: int | None = 2) -> str:
    """``rules`` as a ``careplan-payer/1`` JSON document.

    >>> from careplan import MEDICARE_2024
    >>> payer_rules_from_json(payer_rules_to_json(MEDICARE_2024)) == MEDICARE_2024
    True
    """
    return json.dumps(payer_rules_to_data(rules), indent=indent, ensure_ascii=False)


def payer_rules_from_json(text: str | bytes) -> PayerRules:
    """Build a payer rule pack from JSON text; see :func:`payer_rules_from_data`."""
    return payer_rules_from_data(_loads(text))
