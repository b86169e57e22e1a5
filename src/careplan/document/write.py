"""Writing a plan, or a continuum, as a ``careplan/1`` document."""

from __future__ import annotations

import json
from typing import Any

import pendulum

from careplan._model.continua import BUILTIN_CONTINUA
from careplan._model.kinds import SessionKind
from careplan._model.levels import Continuum, LevelOfCare, Range
from careplan._model.measures import Instrument
from careplan._model.plan import CarePlan, Goal, PlanOfCare, labelled
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._model.time import format_wall_time, weekday_name
from careplan._model.transition import TransitionReason
from careplan.document.decode import CONVERTER, FORMAT
from careplan.document.safety import safety_doc
from careplan.document.shape import (
    AttendanceDoc,
    AuthorizationDoc,
    BandDoc,
    CancellationDoc,
    CareTeamDoc,
    ClientDoc,
    ClosureDoc,
    CodingDoc,
    ContinuumDoc,
    GoalDoc,
    HoldDoc,
    InstrumentDoc,
    IntensityDoc,
    InterventionDoc,
    LabelsDoc,
    LevelDoc,
    MeasurementDoc,
    ObjectiveDoc,
    PlanDoc,
    PlanOfCareDoc,
    ProblemDoc,
    RangeDoc,
    ReferralDoc,
    RelapsePreventionDoc,
    RequiredDoc,
    RescheduleDoc,
    ReviewDoc,
    RevisionDoc,
    ScheduleDoc,
    SessionDoc,
    SignatureDoc,
    TargetDoc,
    TransitionDoc,
)

__all__ = ["continuum_to_data", "labels_doc", "plan_to_data", "to_json"]


def _schedule_doc(schedule: WeeklySchedule) -> ScheduleDoc:
    return ScheduleDoc(schedule.timezone, [_session_doc(s) for s in schedule.sessions])


def _session_doc(s: Session) -> SessionDoc:
    return SessionDoc(
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
        role=s.role,
        week_offset=s.week_offset,
    )


def _range_doc(value: Range) -> RangeDoc:
    return RangeDoc(value.min, value.max, value.upper)


def _level_doc(level: LevelOfCare) -> LevelDoc:
    return LevelDoc(
        level.code,
        level.name,
        level.rank,
        IntensityDoc(
            _range_doc(level.intensity.days_per_week),
            _range_doc(level.intensity.hours_per_day),
            _range_doc(level.intensity.hours_per_week),
        ),
        level.overnight,
        list(level.best_for),
        [RequiredDoc(r.kind.code, r.every_weeks, r.severity) for r in level.required],
        level.step_down_grace_weeks,
    )


def _continuum_doc(continuum: Continuum) -> ContinuumDoc:
    return ContinuumDoc(
        continuum.name,
        [_level_doc(level) for level in continuum],
        dict(continuum.step_down_targets),
        dict(continuum.step_up_targets),
    )


def labels_doc(plan: CarePlan) -> LabelsDoc:
    """The labels a document must carry: every label of the plan that reading
    its code alone would not give back, wherever the code appears (a plan
    holds one label per code, see :func:`careplan._model.plan.labelled`)."""
    kinds: dict[str, str] = {}
    tracks: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for item in labelled(plan):
        if isinstance(item, TransitionReason):
            if item not in TransitionReason.builtins():
                reasons[item.code] = item.label
            continue
        builtin = type(item).from_code(item.code)
        if item.declared and (builtin.label != item.label or not builtin.declared):
            (kinds if isinstance(item, SessionKind) else tracks)[item.code] = item.label
    return LabelsDoc(kinds, tracks, reasons)


def _number(value: float) -> float:
    """A whole number as an int, so documents say ``18`` rather than ``18.0``."""
    return int(value) if float(value).is_integer() else value


def _iso(day: pendulum.Date | None) -> str | None:
    return None if day is None else day.isoformat()


def _goal_doc(g: Goal) -> GoalDoc:
    return GoalDoc(
        g.description,
        g.measure,
        _iso(g.target_date),
        g.id,
        list(g.problems),
        g.status,
        g.achievement,
        _iso(g.start),
    )


def _plan_of_care_doc(care: PlanOfCare) -> PlanOfCareDoc:
    return PlanOfCareDoc(
        problems=[
            ProblemDoc(
                p.id,
                p.description,
                p.client_words,
                None
                if p.condition is None
                else CodingDoc(p.condition.system, p.condition.code, p.condition.display),
            )
            for p in care.problems
        ],
        goals=[_goal_doc(g) for g in care.goals],
        objectives=[
            ObjectiveDoc(
                o.id,
                o.goal,
                o.description,
                _iso(o.target_date),
                None
                if o.target is None
                else TargetDoc(
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
            InterventionDoc(
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


def _instrument_doc(i: Instrument) -> InstrumentDoc:
    return InstrumentDoc(
        i.code,
        i.name,
        _number(i.minimum),
        _number(i.maximum),
        i.loinc,
        [BandDoc(_number(b.low), _number(b.high), b.label) for b in i.bands],
        i.lower_is_better,
        i.response_drop,
        None if i.remission_below is None else _number(i.remission_below),
        None if i.worsening is None else _number(i.worsening),
    )


def plan_to_data(plan: CarePlan) -> dict[str, Any]:
    """The ``careplan/1`` document of ``plan``, as plain JSON-ready data."""
    continuum: str | ContinuumDoc = plan.continuum.name
    if BUILTIN_CONTINUA.get(plan.continuum.name) != plan.continuum:
        continuum = _continuum_doc(plan.continuum)
    relapse = plan.relapse_prevention
    care = _plan_of_care_doc(plan.plan_of_care)
    doc = PlanDoc(
        format=FORMAT,
        id=plan.id,
        client=ClientDoc(plan.client.id, plan.client.name),
        continuum=continuum,
        level=plan.level.code,
        timezone=plan.timezone,
        start=plan.start.isoformat(),
        end=plan.end.isoformat(),
        sessions=[_session_doc(s) for s in plan.schedule.sessions],
        closures=[ClosureDoc(c.on.isoformat(), c.reason) for c in plan.closures],
        cancellations=[
            CancellationDoc(c.session_id, c.on.isoformat(), c.reason) for c in plan.cancellations
        ],
        reschedules=[
            RescheduleDoc(
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
        care_team=[CareTeamDoc(m.name, m.role) for m in plan.care_team],
        transitions=[
            TransitionDoc(
                t.on.isoformat(),
                t.from_level,
                t.to_level,
                t.direction,
                t.reason.code,
                _schedule_doc(t.previous_schedule),
                t.note,
                None if t.referral is None else ReferralDoc(t.referral.level, t.referral.provider),
            )
            for t in plan.transitions
        ],
        attendance=[
            AttendanceDoc(a.session_id, a.on.isoformat(), a.status, a.minutes, a.note)
            for a in plan.attendance
        ],
        authorizations=[
            AuthorizationDoc(
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
        else RelapsePreventionDoc(
            list(relapse.triggers),
            list(relapse.warning_signs),
            list(relapse.coping_strategies),
            list(relapse.supports),
        ),
        labels=labels_doc(plan),
        holds=[HoldDoc(h.start.isoformat(), h.end.isoformat(), h.reason) for h in plan.holds],
        readmission_of=plan.readmission_of,
        problems=care.problems,
        objectives=care.objectives,
        interventions=care.interventions,
        reviews=[
            ReviewDoc(r.on.isoformat(), r.role, r.outcome, r.reviewer, r.note) for r in plan.reviews
        ],
        signatures=[
            SignatureDoc(g.role, g.on.isoformat(), g.name, g.purpose) for g in plan.signatures
        ],
        measurements=[
            MeasurementDoc(m.instrument, _number(m.score), m.on.isoformat())
            for m in plan.measurements
        ],
        instruments=[_instrument_doc(i) for i in plan.instruments],
        revisions=[
            RevisionDoc(r.on.isoformat(), _plan_of_care_doc(r.previous), r.note)
            for r in plan.revisions
        ],
        principal_diagnosis=plan.principal_diagnosis,
        part2_program=plan.part2_program,
        safety=safety_doc(plan.safety),
    )
    data: dict[str, Any] = CONVERTER.unstructure(doc)
    return data


def continuum_to_data(continuum: Continuum) -> dict[str, Any]:
    """The plain data of ``continuum``, as :func:`careplan.continuum_from_data` reads it."""
    data: dict[str, Any] = CONVERTER.unstructure(_continuum_doc(continuum))
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
