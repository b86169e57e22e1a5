"""The plan of care: problems, objectives, their targets, and the interventions.

The thread runs problem → goal → objective → intervention → the weekly
sessions. Records refer to each other by ``id`` (plain strings), so a plan
of care reads as data and a document can name what it links. Goals live with
the plan of care here too (:class:`careplan.Goal`), and so does the
:class:`PlanOfCare` they make up, with its earlier versions
(:class:`CareRevision`).

Every value here is health information: reprs show ids, dates and shape,
never the clinical text.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import ClassVar, Literal

import attrs
import pendulum

from careplan._model.checks import (
    LARGEST,
    choice,
    counts_repr,
    hidden,
    identifier,
    instance,
    optional_choice,
    optional_date,
    optional_instance,
    optional_record_id,
    record_id,
    record_ids,
    shape_repr,
    text,
    tuple_converted,
    tuple_of,
    whole,
)
from careplan._model.checks import (
    number as _number,
)
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import SessionKind, session_kind
from careplan._model.time import require_date

__all__ = [
    "Achievement",
    "CareRevision",
    "CareRole",
    "Coding",
    "Comparison",
    "Goal",
    "GoalStatus",
    "Intervention",
    "PlanOfCare",
    "Problem",
    "Target",
    "TreatmentObjective",
    "check_thread",
]

#: Where a goal or objective stands (FHIR Goal.lifecycleStatus, in careplan's spelling).
GoalStatus = Literal["proposed", "active", "on_hold", "completed", "cancelled"]
#: How a goal or objective is going (FHIR Goal.achievementStatus, in careplan's spelling).
Achievement = Literal[
    "in_progress",
    "improving",
    "worsening",
    "no_change",
    "achieved",
    "sustaining",
    "not_achieved",
    "no_progress",
    "not_attainable",
]
#: Who on the team delivers an intervention.
CareRole = Literal[
    "therapist",
    "counselor",
    "psychiatrist",
    "physician",
    "nurse",
    "case_manager",
    "peer_support",
    "other",
]
#: How a measured value is compared with a target's value.
Comparison = Literal["below", "at_most", "at_least", "above"]

#: The statuses of a goal or objective that is still being worked on.
OPEN_STATUSES: frozenset[str] = frozenset({"proposed", "active", "on_hold"})


@attrs.frozen
class Coding:
    """A coded condition: a code in a code system (ICD-10-CM, SNOMED CT, ...).

    Attributes:
        system: ``"ICD-10-CM"``, ``"SNOMED CT"``, ``"ICD-10"``, or the code
            system's URI.
        code: The code ("F33.1").
        display: The code's name in the system, optional.

    >>> Coding("ICD-10-CM", "F10.20").uri
    'http://hl7.org/fhir/sid/icd-10-cm'
    """

    #: The code systems careplan knows by name, with their FHIR URIs.
    SYSTEMS: ClassVar[dict[str, str]] = {
        "ICD-10-CM": "http://hl7.org/fhir/sid/icd-10-cm",
        "ICD-10": "http://hl7.org/fhir/sid/icd-10",
        "SNOMED CT": "http://snomed.info/sct",
    }

    system: str
    code: str
    display: str = ""

    def __attrs_post_init__(self) -> None:
        text("Coding.system", self.system, multiline=True, blank=False)
        text("Coding.code", self.code, multiline=True, blank=False)
        text("Coding.display", self.display, multiline=True)
        if self.system not in self.SYSTEMS and ":" not in self.system:
            raise InvalidValueError(
                "Coding.system",
                self.system,
                "is not a known code system or a URI",
                "use one of: " + ", ".join(self.SYSTEMS) + ", or the system's URI",
            )

    @property
    def uri(self) -> str:
        """The code system's URI, as FHIR names it."""
        return self.SYSTEMS.get(self.system, self.system)

    def __repr__(self) -> str:
        return shape_repr("Coding", system=self.system)


@attrs.frozen
class Problem:
    """What the client is working on.

    Attributes:
        id: The problem's id in the plan ("depression").
        description: The problem in clinical terms.
        client_words: The problem in the client's own words.
        condition: The coded condition, if any. Like ``CarePlan.diagnoses``
            it is never in a calendar and reaches FHIR only when asked
            (``to_fhir(..., diagnoses=True)``).
    """

    id: str
    description: str
    client_words: str = ""
    condition: Coding | None = None

    def __attrs_post_init__(self) -> None:
        record_id("Problem.id", self.id)
        text("Problem.description", self.description, multiline=True, blank=False)
        text("Problem.client_words", self.client_words, multiline=True)
        optional_instance("Problem.condition", self.condition, Coding, "use careplan.Coding(...)")

    def __repr__(self) -> str:
        return shape_repr("Problem", id=self.id, coded=self.condition is not None)


#: The measure of an attendance target: the share of sessions attended.
ATTENDANCE = "attendance"


def _target_kinds(value: Iterable[SessionKind | str]) -> tuple[SessionKind, ...]:
    return tuple_converted("Target.kinds", value, session_kind, "SessionKind values or codes")


@attrs.frozen
class Target:
    """What an objective must reach: a score of an instrument, or an attendance rate.

    Attributes:
        measure: An instrument's code ("PHQ-9"), or ``"attendance"``: the
            percentage of recorded sessions (of ``kinds``) the client attended.
        comparison: ``"below"``, ``"at_most"``, ``"at_least"`` or ``"above"``.
        value: The score, or the percentage for attendance.
        kinds: For attendance: the session kinds counted; empty counts all.

    >>> Target.score("PHQ-9", below=10).met_by(9)
    True
    >>> Target.attendance(at_least=90, kinds=[SessionKind.GROUP_THERAPY]).met_by(85.0)
    False
    """

    measure: str
    comparison: Comparison
    value: float
    kinds: tuple[SessionKind, ...] = attrs.field(default=(), converter=_target_kinds)

    def __attrs_post_init__(self) -> None:
        record_id("Target.measure", self.measure)
        choice("Target.comparison", self.comparison, Comparison, "a comparison")
        _number("Target.value", self.value, -LARGEST, LARGEST)
        if self.kinds and not self.is_attendance:
            raise InvalidValueError(
                "Target.kinds", self.kinds, "is only for attendance targets", "leave it empty"
            )
        if self.is_attendance and not 0 <= self.value <= 100:
            raise InvalidValueError(
                "Target.value", self.value, "is not a percentage", "use 0 to 100"
            )

    @classmethod
    def score(
        cls,
        instrument: str,
        *,
        below: float | None = None,
        at_most: float | None = None,
        at_least: float | None = None,
        above: float | None = None,
    ) -> Target:
        """A score target, e.g. ``Target.score("PHQ-9", below=10)``; give one bound."""
        given = {
            name: value
            for name, value in (
                ("below", below),
                ("at_most", at_most),
                ("at_least", at_least),
                ("above", above),
            )
            if value is not None
        }
        if len(given) != 1:
            raise InvalidValueError(
                "Target.score", given, "does not give exactly one bound", "e.g. below=10"
            )
        ((comparison, value),) = given.items()
        return cls(instrument, comparison, value)  # type: ignore[arg-type]

    @classmethod
    def attendance(cls, *, at_least: float, kinds: Iterable[SessionKind] = ()) -> Target:
        """An attendance target: at least ``at_least`` percent of ``kinds`` attended."""
        return cls(ATTENDANCE, "at_least", at_least, tuple(kinds))

    @property
    def is_attendance(self) -> bool:
        """True for an attendance target."""
        return self.measure == ATTENDANCE

    def met_by(self, value: float) -> bool:
        """True when ``value`` reaches the target."""
        if self.comparison == "below":
            return value < self.value
        if self.comparison == "at_most":
            return value <= self.value
        if self.comparison == "at_least":
            return value >= self.value
        return value > self.value

    def __str__(self) -> str:
        words = {"below": "below", "at_most": "at most", "at_least": "at least", "above": "above"}
        value = f"{self.value:g}"
        if self.is_attendance:
            counted = ", ".join(k.label.lower() for k in self.kinds) or "all sessions"
            return f"attendance {words[self.comparison]} {value}% ({counted})"
        return f"{self.measure} {words[self.comparison]} {value}"


def _objective_target_date(value: _dt.date | None) -> pendulum.Date | None:
    return optional_date("TreatmentObjective.target_date", value)


def _objective_start(value: _dt.date | None) -> pendulum.Date | None:
    return optional_date("TreatmentObjective.start", value)


@attrs.frozen
class TreatmentObjective:
    """A measurable step toward a goal.

    Named ``TreatmentObjective`` because :class:`careplan.Objective` is the
    planner's cost of a schedule.

    Attributes:
        id: The objective's id in the plan.
        goal: The id of the goal it serves.
        description: What the client will do, observably.
        target_date: When it should be met.
        target: What is measured and the value to reach (a score or an
            attendance rate); ``None`` for an objective judged by the team.
        status: ``"proposed"``, ``"active"``, ``"on_hold"``,
            ``"completed"`` or ``"cancelled"``.
        achievement: How it is going (``"in_progress"``, ``"achieved"``,
            ...), as the team records it; :func:`careplan.progress` says
            what the measurements show.
        start: When work on it began, if not the plan's start.
    """

    id: str
    goal: str
    description: str
    target_date: pendulum.Date | None = attrs.field(default=None, converter=_objective_target_date)
    target: Target | None = None
    status: GoalStatus = "active"
    achievement: Achievement | None = None
    start: pendulum.Date | None = attrs.field(default=None, converter=_objective_start)

    def __attrs_post_init__(self) -> None:
        record_id("TreatmentObjective.id", self.id)
        record_id("TreatmentObjective.goal", self.goal)
        text("TreatmentObjective.description", self.description, multiline=True, blank=False)
        optional_instance(
            "TreatmentObjective.target", self.target, Target, "use careplan.Target(...)"
        )
        choice("TreatmentObjective.status", self.status, GoalStatus, "a status")
        optional_choice(
            "TreatmentObjective.achievement", self.achievement, Achievement, "an achievement status"
        )

    @property
    def open(self) -> bool:
        """True while it is still worked on (proposed, active or on hold)."""
        return self.status in OPEN_STATUSES

    def __repr__(self) -> str:
        return shape_repr(
            "TreatmentObjective",
            id=self.id,
            goal=self.goal,
            target_date=self.target_date,
            measure=None if self.target is None else self.target.measure,
            status=self.status,
        )


def _intervention_objectives(value: Iterable[str]) -> tuple[str, ...]:
    return record_ids("Intervention.objectives", value)


def _intervention_kinds(value: Iterable[SessionKind | str]) -> tuple[SessionKind, ...]:
    return tuple_converted("Intervention.kinds", value, session_kind, "SessionKind values or codes")


def _intervention_levels(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("Intervention.levels", value, identifier, "level codes")


@attrs.frozen
class Intervention:
    """What the team does toward objectives, through which sessions, how often, by whom.

    Attributes:
        id: The intervention's id in the plan.
        description: What is done ("CBT for depression in group").
        objectives: The ids of the objectives it serves.
        kinds: The session kinds it is delivered through; empty for work
            outside scheduled sessions (the schedule is then not checked).
        times: How many sessions of ``kinds`` per ``every_weeks`` weeks.
        every_weeks: The window ``times`` counts over (2: every other week).
        role: Who delivers it: ``"therapist"``, ``"counselor"``,
            ``"psychiatrist"``, ``"physician"``, ``"nurse"``,
            ``"case_manager"``, ``"peer_support"`` or ``"other"``.
        levels: The level codes it applies at; empty for every level.

    >>> from careplan import SessionKind
    >>> group = Intervention(
    ...     "cbt-group", "CBT skills group", ["phq-below-10"],
    ...     kinds=[SessionKind.GROUP_THERAPY], times=3, role="therapist",
    ... )
    >>> group.per_week
    3.0
    """

    id: str
    description: str
    objectives: tuple[str, ...] = attrs.field(converter=_intervention_objectives)
    kinds: tuple[SessionKind, ...] = attrs.field(default=(), converter=_intervention_kinds)
    times: int = 1
    every_weeks: int = 1
    role: CareRole = "therapist"
    levels: tuple[str, ...] = attrs.field(default=(), converter=_intervention_levels)

    def __attrs_post_init__(self) -> None:
        record_id("Intervention.id", self.id)
        text("Intervention.description", self.description, multiline=True, blank=False)
        whole("Intervention.times", self.times, 1, LARGEST)
        whole("Intervention.every_weeks", self.every_weeks, 1, LARGEST)
        choice("Intervention.role", self.role, CareRole, "a role")

    @property
    def per_week(self) -> float:
        """Sessions per week it asks for (``times / every_weeks``)."""
        return self.times / self.every_weeks

    def applies_at(self, level_code: str) -> bool:
        """True when it applies at the level with ``level_code``."""
        return not self.levels or level_code in self.levels

    def __repr__(self) -> str:
        return shape_repr(
            "Intervention",
            id=self.id,
            objectives=self.objectives,
            kinds=tuple(k.code for k in self.kinds),
            times=self.times,
            every_weeks=self.every_weeks,
            role=self.role,
        )


def _to_optional_date(value: _dt.date | None) -> pendulum.Date | None:
    return optional_date("Goal.target_date", value)


def _goal_start(value: _dt.date | None) -> pendulum.Date | None:
    return optional_date("Goal.start", value)


def _goal_problems(value: Iterable[str]) -> tuple[str, ...]:
    return record_ids("Goal.problems", value)


@attrs.frozen
class Goal:
    """A SMART treatment goal: specific, measurable, time-bound.

    Like every record of the plan of care, a goal takes its id first:
    ``Goal("mood", "Reduce depressive symptoms")``. The id may be ``None``
    for a goal no objective refers to: ``Goal(None, "Stay sober")``.

    Attributes:
        id: Its id in the plan, so objectives can name it; ``None`` for a
            goal no objective refers to.
        description: What the client wants to achieve, specifically (not
            empty; tabs and line feeds allowed). Hidden from the repr.
        measure: How progress is measured ("PHQ-9 below 10"). Hidden from
            the repr.
        target_date: When it should be met.
        problems: The ids of the problems it addresses.
        status: ``"proposed"``, ``"active"``, ``"on_hold"``,
            ``"completed"`` or ``"cancelled"``; ``None`` (the default)
            follows the plan: active until discharge, then completed or
            cancelled as treatment was completed or not.
        achievement: How it is going (``"in_progress"``, ``"improving"``,
            ``"achieved"``, ``"not_achieved"``, ...), aligned with FHIR.
        start: When work on it began, if not the plan's start.
    """

    id: str | None
    description: str = attrs.field(repr=hidden)
    measure: str = attrs.field(default="", repr=hidden)
    target_date: pendulum.Date | None = attrs.field(default=None, converter=_to_optional_date)
    problems: tuple[str, ...] = attrs.field(default=(), converter=_goal_problems)
    status: GoalStatus | None = None
    achievement: Achievement | None = None
    start: pendulum.Date | None = attrs.field(default=None, converter=_goal_start)

    def __attrs_post_init__(self) -> None:
        optional_record_id("Goal.id", self.id)
        text("Goal.description", self.description, multiline=True, blank=False)
        text("Goal.measure", self.measure, multiline=True)
        optional_choice("Goal.status", self.status, GoalStatus, "a status")
        optional_choice("Goal.achievement", self.achievement, Achievement, "an achievement status")

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


def _care_problems(value: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple_of("PlanOfCare.problems", value, Problem, "use careplan.Problem(...)")


def _care_goals(value: Iterable[Goal]) -> tuple[Goal, ...]:
    return tuple_of("PlanOfCare.goals", value, Goal, "use careplan.Goal(...)")


def _care_objectives(value: Iterable[TreatmentObjective]) -> tuple[TreatmentObjective, ...]:
    return tuple_of(
        "PlanOfCare.objectives", value, TreatmentObjective, "use careplan.TreatmentObjective(...)"
    )


def _care_interventions(value: Iterable[Intervention]) -> tuple[Intervention, ...]:
    return tuple_of(
        "PlanOfCare.interventions", value, Intervention, "use careplan.Intervention(...)"
    )


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

    problems: tuple[Problem, ...] = attrs.field(default=(), converter=_care_problems)
    goals: tuple[Goal, ...] = attrs.field(default=(), converter=_care_goals)
    objectives: tuple[TreatmentObjective, ...] = attrs.field(default=(), converter=_care_objectives)
    interventions: tuple[Intervention, ...] = attrs.field(default=(), converter=_care_interventions)

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
        return counts_repr(self, "problems", "goals", "objectives", "interventions")


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
    previous: PlanOfCare
    note: str = ""

    def __attrs_post_init__(self) -> None:
        instance("CareRevision.previous", self.previous, PlanOfCare, "use careplan.PlanOfCare(...)")
        text("CareRevision.note", self.note, multiline=True)

    def __repr__(self) -> str:
        return shape_repr("CareRevision", on=self.on, previous=self.previous)
