"""The care plan and the people and goals it is about."""

from __future__ import annotations

import datetime as _dt
import functools
import uuid
from collections.abc import Iterable
from typing import Any, Protocol

import attrs
import pendulum

from careplan._model.attendance import Attendance, AttendanceStatus, Authorization
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule
from careplan._model.care import (
    Achievement,
    GoalStatus,
    Intervention,
    Problem,
    TreatmentObjective,
)
from careplan._model.checks import (
    as_tuple,
    checked_choice,
    checked_id,
    checked_ids,
    checked_instance,
    checked_items,
    checked_text,
    optional_date,
    shape_repr,
)
from careplan._model.constraints import LifeConstraints, ObjectiveName
from careplan._model.continua import DEFAULT
from careplan._model.errors import InvalidValueError, MissingExtraError, UnknownLevelError
from careplan._model.hooks import Hook
from careplan._model.kinds import TreatmentTrack
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.measures import BUILTIN_INSTRUMENTS, Instrument, Measurement
from careplan._model.occurrence import Occurrence
from careplan._model.program import Program
from careplan._model.review import Review, Signature
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import Disambiguate, require_date, to_tuple
from careplan._model.transition import Episode, Transition, check_history, episodes_of

__all__ = [
    "EXPAND_PLAN",
    "PLAN_HTML",
    "PLAN_WEEK",
    "CarePlan",
    "CareRevision",
    "CareTeamMember",
    "Client",
    "Goal",
    "PlanOfCare",
    "RelapsePreventionPlan",
]


class _ExpandPlan(Protocol):
    def __call__(
        self, plan: CarePlan, *, disambiguate: Disambiguate = "compatible"
    ) -> tuple[Occurrence, ...]: ...


class _PlanWeek(Protocol):
    def __call__(
        self,
        program: Program,
        level: LevelOfCare,
        constraints: LifeConstraints,
        *,
        tracks: tuple[TreatmentTrack, ...],
        objective: ObjectiveName,
        continuum: Continuum,
    ) -> WeeklySchedule: ...


#: :func:`careplan.occurrences`, for :meth:`CarePlan.occurrences`.
EXPAND_PLAN: Hook[_ExpandPlan] = Hook("careplan.occurrences")
#: The schedule :func:`careplan.plan_week` finds, for :meth:`CarePlan.from_program`.
PLAN_WEEK: Hook[_PlanWeek] = Hook("careplan.plan_week")


class _PlanHtml(Protocol):
    def __call__(self, plan: CarePlan, constraints: LifeConstraints | None = None) -> str: ...


#: The notebook view of a plan (the display adapter), for :meth:`CarePlan.to_html`.
PLAN_HTML: Hook[_PlanHtml] = Hook("careplan display")


def _strings(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        raise InvalidValueError("strings", value, "is one string, not a list of strings")
    return tuple(value)


@attrs.frozen
class Client:
    """The person the plan is for.

    Attributes:
        id: An identifier of the clinic's choosing (an MRN, a UUID). It never
            appears in calendar exports.
        name: Display name; optional so a plan can be kept pseudonymous.
    """

    id: str
    name: str | None = None


def _to_optional_date(value: _dt.date | None) -> pendulum.Date | None:
    return None if value is None else require_date("Goal.target_date", value)


def _goal_start(value: _dt.date | None) -> pendulum.Date | None:
    return optional_date("Goal.start", value)


@attrs.frozen
class Goal:
    """A SMART treatment goal: specific, measurable, time-bound.

    The first three fields are the goal as it always was; the rest place it
    in the plan of care (problems → goals → objectives → interventions).

    Attributes:
        description: What the client wants to achieve, specifically.
        measure: How progress is measured ("PHQ-9 below 10"), in words;
            objectives carry measured targets.
        target_date: When it should be met.
        id: Its id in the plan, so objectives can name it; ``None`` for a
            goal no objective refers to.
        problems: The ids of the problems it addresses.
        status: ``"proposed"``, ``"active"``, ``"on_hold"``,
            ``"completed"`` or ``"cancelled"``; ``None`` (the default)
            follows the plan: active until discharge, then completed or
            cancelled as treatment was completed or not.
        achievement: How it is going (``"in_progress"``, ``"improving"``,
            ``"achieved"``, ``"not_achieved"``, ...), aligned with FHIR.
        start: When work on it began, if not the plan's start.
    """

    description: str = attrs.field(validator=checked_text("Goal.description"))
    measure: str = attrs.field(default="", validator=checked_text("Goal.measure"))
    target_date: pendulum.Date | None = attrs.field(default=None, converter=_to_optional_date)
    id: str | None = attrs.field(default=None, validator=checked_id("Goal.id", optional=True))
    problems: tuple[str, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_ids("Goal.problems")
    )
    status: GoalStatus | None = attrs.field(
        default=None, validator=checked_choice("Goal.status", GoalStatus, "a status", optional=True)
    )
    achievement: Achievement | None = attrs.field(
        default=None,
        validator=checked_choice(
            "Goal.achievement", Achievement, "an achievement status", optional=True
        ),
    )
    start: pendulum.Date | None = attrs.field(default=None, converter=_goal_start)

    @property
    def open(self) -> bool:
        """True while it is still worked on (no status, proposed, active or on hold)."""
        return self.status in (None, "proposed", "active", "on_hold")

    def __repr__(self) -> str:
        # A goal is health information: the repr shows where it sits, not what it says.
        return shape_repr(
            "Goal",
            id=self.id,
            problems=self.problems or None,
            target_date=self.target_date,
            status=self.status,
        )


@attrs.frozen
class CareTeamMember:
    """Someone on the client's care team.

    Attributes:
        name: The person's name.
        role: Their role ("therapist", "psychiatrist", "case manager").
    """

    name: str
    role: str


@attrs.frozen
class RelapsePreventionPlan:
    """The client's relapse prevention plan, in their own words.

    Attributes:
        triggers: People, places, feelings that raise risk.
        warning_signs: Early signs the client or others can notice.
        coping_strategies: What the client does when a trigger or sign shows.
        supports: Who to call (names or roles, no phone numbers needed).
    """

    triggers: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    warning_signs: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    coping_strategies: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    supports: tuple[str, ...] = attrs.field(default=(), converter=_strings)


def check_thread(
    owner: str,
    problems: tuple[Problem, ...],
    goals: tuple[Goal, ...],
    objectives: tuple[TreatmentObjective, ...],
    interventions: tuple[Intervention, ...],
) -> None:
    """Refuse repeated ids and references to records that are not there.

    A reference to nothing can never be meaningful, so it is refused when
    the plan is built (a document reading it names the path); a record
    nothing refers to is a validation warning instead, since drafts have them.

    Raises:
        InvalidValueError: Naming the field, e.g. ``CarePlan.interventions[2].objectives``.
    """
    known: dict[str, set[str]] = {}
    ids_by_kind: tuple[tuple[str, list[str | None]], ...] = (
        ("problems", [p.id for p in problems]),
        ("goals", [g.id for g in goals]),
        ("objectives", [o.id for o in objectives]),
        ("interventions", [i.id for i in interventions]),
    )
    for name, ids in ids_by_kind:
        seen: set[str] = set()
        for index, one in enumerate(ids):
            if one is None:
                continue
            if one in seen:
                raise InvalidValueError(
                    f"{owner}.{name}[{index}].id",
                    one,
                    "is used twice",
                    "give every record its own id",
                )
            seen.add(one)
        known[name] = seen

    def refer(field: str, ids: tuple[str, ...], among: str) -> None:
        for one in ids:
            if one not in known[among]:
                raise InvalidValueError(
                    field,
                    one,
                    f"is not the id of one of the plan's {among}",
                    f"use one of: {', '.join(sorted(known[among])) or f'(no {among} yet)'}",
                )

    for index, goal in enumerate(goals):
        refer(f"{owner}.goals[{index}].problems", goal.problems, "problems")
    for index, objective in enumerate(objectives):
        refer(f"{owner}.objectives[{index}].goal", (objective.goal,), "goals")
    for index, intervention in enumerate(interventions):
        refer(f"{owner}.interventions[{index}].objectives", intervention.objectives, "objectives")


@attrs.frozen
class PlanOfCare:
    """What the plan of care says at one time: problems, goals, objectives, interventions.

    :attr:`CarePlan.plan_of_care` is today's; :meth:`CarePlan.plan_of_care_on`
    answers what it said on an earlier day.

    Attributes:
        problems: What the client is working on.
        goals: The goals, each linked to problems.
        objectives: Measurable steps toward the goals.
        interventions: What the team does toward the objectives.
    """

    problems: tuple[Problem, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_items("PlanOfCare.problems", Problem)
    )
    goals: tuple[Goal, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_items("PlanOfCare.goals", Goal)
    )
    objectives: tuple[TreatmentObjective, ...] = attrs.field(
        default=(),
        converter=as_tuple,
        validator=checked_items("PlanOfCare.objectives", TreatmentObjective),
    )
    interventions: tuple[Intervention, ...] = attrs.field(
        default=(),
        converter=as_tuple,
        validator=checked_items("PlanOfCare.interventions", Intervention),
    )

    def __attrs_post_init__(self) -> None:
        check_thread("PlanOfCare", self.problems, self.goals, self.objectives, self.interventions)

    @property
    def empty(self) -> bool:
        """True when it has no problem, objective or intervention (goals alone do not count).

        Plans written before the plan of care grew have goals only; the
        golden-thread rules leave them alone.
        """
        return not (self.problems or self.objectives or self.interventions)

    def __repr__(self) -> str:
        return shape_repr(
            "PlanOfCare",
            problems=len(self.problems),
            goals=len(self.goals),
            objectives=len(self.objectives),
            interventions=len(self.interventions),
        )


def _to_revision_on(value: _dt.date) -> pendulum.Date:
    return require_date("CareRevision.on", value)


@attrs.frozen
class CareRevision:
    """A change to the plan of care, keeping what it said before.

    Like a :class:`Transition` keeps the schedule it replaced, a revision
    keeps the plan of care it replaced, whole: an audit asking what the plan
    said on a day gets the text as it stood, not a reconstruction.

    Attributes:
        on: The day the change took effect.
        previous: The plan of care in force until the day before.
        note: Why it changed.
    """

    on: pendulum.Date = attrs.field(converter=_to_revision_on)
    previous: PlanOfCare = attrs.field(
        validator=checked_instance("CareRevision.previous", PlanOfCare)
    )
    note: str = attrs.field(default="", validator=checked_text("CareRevision.note"))

    def __repr__(self) -> str:
        return shape_repr("CareRevision", on=self.on, previous=self.previous)


def _to_start(value: _dt.date) -> pendulum.Date:
    return require_date("CarePlan.start", value)


def _to_end(value: _dt.date) -> pendulum.Date:
    return require_date("CarePlan.end", value)


def _to_continuum(value: Continuum | None) -> Continuum:
    return DEFAULT if value is None else value


def _new_id() -> str:
    return uuid.uuid4().hex


@attrs.frozen
class CarePlan:
    """A personalized care plan: who, at which level, on which weekly schedule, when.

    A plan is a value: change it with :func:`attrs.evolve` or its methods,
    which return a new plan. The constructor refuses only what can never be
    meaningful (a level that is not on the plan's continuum); anything a
    draft may get wrong is reported by :func:`careplan.validate`.

    Attributes:
        client: Who the plan is for.
        level: The level of care; must be on ``continuum``.
        schedule: The weekly sessions and their time zone.
        start: The first day of the plan.
        end: The last day of the plan (included).
        continuum: The catalog ``level`` comes from; ``None`` (the default)
            means :data:`careplan.DEFAULT`.
        tracks: The clinical focus of treatment.
        goals: SMART goals.
        diagnoses: Diagnosis codes as plain strings (e.g. ICD-10 "F33.1").
        care_team: The clinicians involved.
        relapse_prevention: The relapse prevention plan, if written.
        closures: Days without sessions (holidays).
        cancellations: Single occurrences that will not happen.
        reschedules: Single occurrences moved to another time.
        transitions: The history of step ups, step downs, schedule changes
            and discharge, in date order. ``level`` and ``schedule`` are
            those of the last episode; see :attr:`episodes`.
        attendance: What happened at occurrences (see :class:`Attendance`);
            at most one record per occurrence.
        authorizations: Payers' approvals of levels of care.
        id: An opaque identifier (random by default) that careplan uses to
            derive calendar UIDs; it carries nothing about the client.
        holds: Leaves of absence (see :class:`Hold`): days away with no
            sessions, not judged as missed care.
        readmission_of: The :attr:`id` of the plan this one readmits the
            client after, so readmissions can be counted; ``None`` for a
            first admission.
        problems: The plan of care's problems (see :class:`Problem`).
        objectives: Measurable steps toward the goals
            (see :class:`TreatmentObjective`).
        interventions: What the team does, through which sessions
            (see :class:`Intervention`).
        reviews: Reviews of the plan of care, in date order.
        signatures: Signatures on the plan and physicians' (re)certifications.
        measurements: Scores of instruments (see :class:`Measurement`).
        instruments: The plan's own instruments, beside the built-in
            PHQ-9 and GAD-7.
        revisions: Earlier versions of the plan of care, in date order (see
            :meth:`revise` and :meth:`plan_of_care_on`).
    """

    client: Client
    level: LevelOfCare
    schedule: WeeklySchedule
    start: pendulum.Date = attrs.field(converter=_to_start)
    end: pendulum.Date = attrs.field(converter=_to_end)
    continuum: Continuum = attrs.field(default=None, converter=_to_continuum)
    tracks: tuple[TreatmentTrack, ...] = attrs.field(default=(), converter=to_tuple)
    goals: tuple[Goal, ...] = attrs.field(default=(), converter=to_tuple)
    diagnoses: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    care_team: tuple[CareTeamMember, ...] = attrs.field(default=(), converter=to_tuple)
    relapse_prevention: RelapsePreventionPlan | None = None
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=to_tuple)
    cancellations: tuple[Cancellation, ...] = attrs.field(default=(), converter=to_tuple)
    reschedules: tuple[Reschedule, ...] = attrs.field(default=(), converter=to_tuple)
    transitions: tuple[Transition, ...] = attrs.field(default=(), converter=to_tuple)
    attendance: tuple[Attendance, ...] = attrs.field(default=(), converter=to_tuple)
    authorizations: tuple[Authorization, ...] = attrs.field(default=(), converter=to_tuple)
    id: str = attrs.field(factory=_new_id)
    holds: tuple[Hold, ...] = attrs.field(default=(), converter=to_tuple)
    readmission_of: str | None = None
    problems: tuple[Problem, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_items("CarePlan.problems", Problem)
    )
    objectives: tuple[TreatmentObjective, ...] = attrs.field(
        default=(),
        converter=as_tuple,
        validator=checked_items("CarePlan.objectives", TreatmentObjective),
    )
    interventions: tuple[Intervention, ...] = attrs.field(
        default=(),
        converter=as_tuple,
        validator=checked_items("CarePlan.interventions", Intervention),
    )
    reviews: tuple[Review, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_items("CarePlan.reviews", Review)
    )
    signatures: tuple[Signature, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_items("CarePlan.signatures", Signature)
    )
    measurements: tuple[Measurement, ...] = attrs.field(
        default=(),
        converter=as_tuple,
        validator=checked_items("CarePlan.measurements", Measurement),
    )
    instruments: tuple[Instrument, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_items("CarePlan.instruments", Instrument)
    )
    revisions: tuple[CareRevision, ...] = attrs.field(
        default=(), converter=as_tuple, validator=checked_items("CarePlan.revisions", CareRevision)
    )

    def __attrs_post_init__(self) -> None:
        if self.continuum.get(self.level.code) != self.level:
            raise UnknownLevelError(self.level.code, self.continuum.name, self.continuum.codes)
        if self.readmission_of is not None and (
            not isinstance(self.readmission_of, str)
            or not self.readmission_of.strip()
            or self.readmission_of == self.id
        ):
            raise InvalidValueError(
                "CarePlan.readmission_of",
                self.readmission_of,
                "is not the id of another plan",
                "give the id of the plan the client was discharged from, or None",
            )
        check_history(self)
        seen: set[tuple[str, pendulum.Date]] = set()
        for index, record in enumerate(self.attendance):
            if record.key in seen:
                raise InvalidValueError(
                    f"CarePlan.attendance[{index}]",
                    f"{record.session_id} on {record.on.isoformat()}",
                    "is recorded twice",
                    "keep one record per occurrence (remove_attendance, then record again)",
                )
            seen.add(record.key)
        self._check_plan_of_care()

    def _check_plan_of_care(self) -> None:
        for index, goal in enumerate(self.goals):
            if not isinstance(goal, Goal):
                raise InvalidValueError(f"CarePlan.goals[{index}]", goal, "is not a Goal")
        check_thread("CarePlan", self.problems, self.goals, self.objectives, self.interventions)
        known = dict(BUILTIN_INSTRUMENTS)
        for index, instrument in enumerate(self.instruments):
            if instrument.code in known or instrument.code == "attendance":
                raise InvalidValueError(
                    f"CarePlan.instruments[{index}].code",
                    instrument.code,
                    "is already an instrument (or the attendance measure)",
                    "give the instrument its own code",
                )
            known[instrument.code] = instrument
        for index, measurement in enumerate(self.measurements):
            found = known.get(measurement.instrument)
            if found is None:
                raise InvalidValueError(
                    f"CarePlan.measurements[{index}].instrument",
                    measurement.instrument,
                    "is not a known instrument",
                    f"use one of: {', '.join(known)}, or add it to the plan's instruments",
                )
            if not found.in_range(measurement.score):
                raise InvalidValueError(
                    f"CarePlan.measurements[{index}].score",
                    "(hidden)",
                    f"is outside the {found.code} range",
                    f"{found.code} scores run from {found.minimum:g} to {found.maximum:g}",
                )
        for index, objective in enumerate(self.objectives):
            target = objective.target
            if target is not None and not target.is_attendance and target.measure not in known:
                raise InvalidValueError(
                    f"CarePlan.objectives[{index}].target.measure",
                    target.measure,
                    "is not a known instrument",
                    f"use one of: {', '.join(known)}, attendance, or add it to the instruments",
                )
        for index, revision in enumerate(self.revisions):
            if index and revision.on < self.revisions[index - 1].on:
                raise InvalidValueError(
                    f"CarePlan.revisions[{index}].on",
                    revision.on.isoformat(),
                    "is before the revision above it",
                    "keep revisions in date order",
                )

    @property
    def plan_of_care(self) -> PlanOfCare:
        """The plan of care as it stands: problems, goals, objectives, interventions."""
        return PlanOfCare(self.problems, self.goals, self.objectives, self.interventions)

    def plan_of_care_on(self, day: _dt.date) -> PlanOfCare:
        """What the plan of care said on ``day`` (at the end of it), for audits.

        The first revision that takes effect after ``day`` holds the version
        in force on it; with none, the plan of care as it stands.

        >>> import pendulum
        >>> from careplan import Problem
        >>> from careplan.demo import sample_plan
        >>> plan = sample_plan().revise(
        ...     pendulum.date(2027, 2, 1), problems=[Problem("mood", "Depressed mood")]
        ... )
        >>> len(plan.plan_of_care_on(pendulum.date(2027, 1, 31)).problems)
        0
        >>> len(plan.plan_of_care_on(pendulum.date(2027, 2, 1)).problems)
        1
        """
        when = require_date("day", day)
        return next((r.previous for r in self.revisions if r.on > when), self.plan_of_care)

    def revise(self, on: _dt.date, *, note: str = "", **changes: Any) -> CarePlan:
        """A copy whose plan of care changes on ``on``, keeping the version it replaces.

        ``changes`` are the new ``problems``, ``goals``, ``objectives`` and
        ``interventions`` (any of them; the rest stay). The replaced version
        is kept as a :class:`CareRevision`, so :meth:`plan_of_care_on`
        answers for any earlier day.

        Raises:
            InvalidValueError: ``changes`` names something else, a record
                refers to one that is not there, or ``on`` is before the
                last revision.
        """
        allowed = {"problems", "goals", "objectives", "interventions"}
        for name in changes:
            if name not in allowed:
                raise InvalidValueError(
                    "revise",
                    name,
                    "is not part of the plan of care",
                    "change problems, goals, objectives or interventions",
                )
        revision = CareRevision(on, self.plan_of_care, note)
        return attrs.evolve(self, revisions=(*self.revisions, revision), **changes)

    def instrument(self, code: str) -> Instrument:
        """The instrument with ``code``: a built-in or one of the plan's own.

        Raises:
            InvalidValueError: The plan knows no such instrument.
        """
        found = {**BUILTIN_INSTRUMENTS, **{i.code: i for i in self.instruments}}.get(code)
        if found is None:
            raise InvalidValueError("instrument", code, "is not a known instrument")
        return found

    @property
    def episodes(self) -> tuple[Episode, ...]:
        """The stays at one level, first to last; contiguous, covering the period.

        >>> import pendulum
        >>> from careplan import step_down
        >>> from careplan.demo import sample_plan
        >>> plan = step_down(sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met")
        >>> [(e.level.code, str(e.start), str(e.end)) for e in plan.episodes]
        [('IOP', '2027-01-04', '2027-02-28'), ('OP', '2027-03-01', '2027-03-28')]
        >>> plan.episode_on(pendulum.date(2027, 3, 1)).level.code
        'OP'
        """
        return self._episodes

    @functools.cached_property
    def _episodes(self) -> tuple[Episode, ...]:
        # Derived once per plan: rules, expansion and exports all ask for it.
        return episodes_of(self)

    @property
    def discharged(self) -> bool:
        """True when the history ends with a discharge."""
        return bool(self.transitions) and self.transitions[-1].direction == "discharge"

    @property
    def held_days(self) -> frozenset[pendulum.Date]:
        """Every day of the plan's holds (leaves of absence)."""
        return frozenset(day for hold in self.holds for day in hold.days)

    def episode_on(self, day: _dt.date) -> Episode | None:
        """The episode that covers ``day``, or ``None`` outside the plan."""
        when = require_date("day", day)
        return next((e for e in self.episodes if e.contains(when)), None)

    def level_on(self, day: _dt.date) -> LevelOfCare | None:
        """The level of care on ``day``, or ``None`` outside the plan's period."""
        episode = self.episode_on(day)
        return None if episode is None else episode.level

    @property
    def timezone(self) -> str:
        """The schedule's IANA time zone."""
        return self.schedule.timezone

    @property
    def weeks(self) -> float:
        """The plan's length in weeks."""
        return ((self.end - self.start).days + 1) / 7

    @classmethod
    def from_program(
        cls,
        client: Client,
        level: LevelOfCare,
        program: Program,
        constraints: LifeConstraints,
        *,
        start: _dt.date,
        weeks: int,
        continuum: Continuum | None = None,
        tracks: Iterable[TreatmentTrack] = (),
        objective: ObjectiveName = "fit",
        **fields: Any,
    ) -> CarePlan:
        """A plan whose weekly schedule :func:`careplan.plan_week` builds.

        The period runs ``weeks`` whole weeks from ``start``; the program's
        closures inside it become the plan's. Other fields (goals, care team,
        ...) pass through ``fields``.

        Raises:
            Infeasible: The level cannot be scheduled around ``constraints``.
        """
        tracks = tuple(tracks)
        continuum = _to_continuum(continuum)
        schedule = PLAN_WEEK()(
            program, level, constraints, tracks=tracks, objective=objective, continuum=continuum
        )
        begin = require_date("start", start)
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            raise InvalidValueError("weeks", weeks, "is not a positive whole number of weeks")
        end = begin.add(weeks=weeks).subtract(days=1)
        closures = [c for c in program.closures if begin <= c.date <= end]
        return cls(
            client=client,
            level=level,
            schedule=schedule,
            start=begin,
            end=end,
            continuum=continuum,
            tracks=tracks,
            closures=(*closures, *fields.pop("closures", ())),
            **fields,
        )

    def occurrences(self, *, disambiguate: Disambiguate = "compatible") -> tuple[Occurrence, ...]:
        """Every concrete session of the plan; see :func:`careplan.occurrences`."""
        return EXPAND_PLAN()(self, disambiguate=disambiguate)

    def to_dataframe(self, *, disambiguate: Disambiguate = "compatible") -> Any:
        """The plan's occurrences as a pandas DataFrame, one row per session.

        Columns: ``session_id``, ``date``, ``weekday``, ``start``, ``end``,
        ``minutes``, ``kind``, ``title``, ``track``, ``modality``, ``level``,
        ``episode``, ``moved``. Needs pandas, the ``pandas`` extra: from a
        checkout, ``pip install -e '.[pandas]'``.
        """
        try:
            import pandas
        except ImportError:
            raise MissingExtraError("CarePlan.to_dataframe", "pandas", "pandas") from None
        episodes = self.episodes
        rows = [
            {
                "session_id": o.session.id,
                "date": o.date,
                "weekday": o.start.format("dddd"),
                "start": o.start,
                "end": o.end,
                "minutes": o.minutes,
                "kind": o.session.kind.code,
                "title": o.session.display_title,
                "track": None if o.session.track is None else o.session.track.code,
                "modality": o.session.modality.kind,
                "level": episodes[o.episode].level.code,
                "episode": o.episode,
                "moved": o.moved,
            }
            for o in self.occurrences(disambiguate=disambiguate)
        ]
        columns = [
            "session_id", "date", "weekday", "start", "end", "minutes", "kind",
            "title", "track", "modality", "level", "episode", "moved",
        ]  # fmt: skip
        return pandas.DataFrame(rows, columns=columns)

    def to_html(self, constraints: LifeConstraints | None = None) -> str:
        """Each episode's week as an HTML grid, captioned with its dates and level.

        ``constraints`` (the client's week) adds their busy time, hatched.
        A notebook shows a plan this way without ``constraints``.
        """
        return PLAN_HTML()(self, constraints)

    def _repr_html_(self) -> str:
        return self.to_html()

    def record_attendance(
        self,
        session_id: str,
        on: _dt.date,
        status: AttendanceStatus = "attended",
        *,
        minutes: int = 0,
        note: str = "",
    ) -> CarePlan:
        """A copy with what happened at the occurrence of ``session_id`` scheduled ``on``.

        A record already there for that occurrence is replaced.

        Raises:
            InvalidValueError: No such occurrence in the plan.
        """
        return self.with_attendance(
            Attendance(session_id, require_date("on", on), status, minutes, note)
        )

    def with_attendance(self, *records: Attendance) -> CarePlan:
        """A copy with ``records`` added, each replacing the record of its occurrence.

        All records are checked against one expansion of the plan, so this
        is the way to import many records at once (from an EHR, say):
        calling :meth:`record_attendance` once per record expands the plan
        every time. Of two records for the same occurrence, the later wins.

        Raises:
            InvalidValueError: A record is not an :class:`Attendance`, or
                names no occurrence of the plan.

        >>> import datetime as dt
        >>> from careplan import Attendance
        >>> from careplan.demo import sample_plan
        >>> monday = dt.date(2027, 1, 4)
        >>> plan = sample_plan().with_attendance(
        ...     Attendance("mon-0900-check_in", monday),
        ...     Attendance("mon-0930-group_therapy", monday, "late", minutes=10),
        ... )
        >>> [record.status for record in plan.attendance]
        ['attended', 'late']
        """
        for record in records:
            if not isinstance(record, Attendance):
                raise InvalidValueError(
                    "attendance", record, "is not an Attendance", "use careplan.Attendance(...)"
                )
        known = {o.key for o in self.occurrences()}
        for record in records:
            if record.key not in known:
                raise InvalidValueError(
                    "attendance",
                    f"{record.session_id} on {record.on.isoformat()}",
                    "is not an occurrence of the plan",
                    "use the session id and the date it was scheduled for",
                )
        added: dict[tuple[str, pendulum.Date], Attendance] = {}
        for record in records:
            # Re-inserted, so the order is the one recording one by one gives.
            added.pop(record.key, None)
            added[record.key] = record
        kept = tuple(r for r in self.attendance if r.key not in added)
        return attrs.evolve(self, attendance=(*kept, *added.values()))

    def remove_attendance(self, session_id: str, on: _dt.date) -> CarePlan:
        """A copy without the record of the occurrence of ``session_id`` scheduled ``on``."""
        day = require_date("on", on)
        return attrs.evolve(
            self, attendance=tuple(r for r in self.attendance if r.key != (session_id, day))
        )

    def with_closures(self, *closures: Closure) -> CarePlan:
        """A copy with ``closures`` added."""
        return attrs.evolve(self, closures=(*self.closures, *closures))

    def cancel(self, session_id: str, on: _dt.date, reason: str = "") -> CarePlan:
        """A copy with the occurrence of ``session_id`` scheduled ``on`` cancelled.

        >>> import datetime as dt
        >>> from careplan.demo import sample_plan
        >>> plan = sample_plan()
        >>> fewer = plan.cancel("mon-0930-group_therapy", dt.date(2027, 1, 11), "snow day")
        >>> len(plan.occurrences()) - len(fewer.occurrences())
        1
        """
        self.schedule.session(session_id)
        return attrs.evolve(
            self, cancellations=(*self.cancellations, Cancellation(session_id, on, reason))
        )

    def reschedule(
        self,
        session_id: str,
        on: _dt.date,
        start: _dt.datetime,
        duration: int | _dt.timedelta | None = None,
        reason: str = "",
    ) -> CarePlan:
        """A copy with the occurrence of ``session_id`` scheduled ``on`` moved to ``start``."""
        self.schedule.session(session_id)
        change = Reschedule(session_id, on, start, duration, reason)
        return attrs.evolve(self, reschedules=(*self.reschedules, change))
