"""Moves between levels of care and the episodes they make.

A plan's history is a sequence of :class:`Transition` values: each records
the day a change took effect, the level before and after, why, and the
weekly schedule that was in effect until then. The plan's own ``level`` and
``schedule`` are the latest ones. :class:`Episode` values (one stay at one
level) are derived from the transitions, never stored.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, ClassVar, Literal

import attrs
import pendulum

from careplan._errors import CarePlanError, InvalidValueError, require_choice
from careplan._levels import LevelOfCare
from careplan._schedule import WeeklySchedule
from careplan._time import require_date

if TYPE_CHECKING:
    from careplan._plan import CarePlan
    from careplan._program import LifeConstraints, Program

__all__ = [
    "Direction",
    "Episode",
    "Transition",
    "TransitionError",
    "TransitionReason",
    "change_schedule",
    "discharge",
    "step_down",
    "step_up",
]

#: Which way a transition moves along the continuum.
Direction = Literal["step_up", "step_down", "lateral", "discharge"]


class TransitionError(CarePlanError):
    """A step up, step down, schedule change or discharge cannot be made.

    The plan it was asked of is unchanged. :attr:`hint` says what to do.

    Attributes:
        problem: What is wrong.
        hint: How to fix it.
    """

    def __init__(self, problem: str, hint: str) -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(f"{problem}; {hint}")


@attrs.frozen
class TransitionReason:
    """Why a client moves: a coded reason with the direction it belongs to.

    Attributes:
        code: Stable code used in JSON ("relapse_risk").
        label: Human wording.
        direction: The kind of transition the reason explains.

    >>> TransitionReason.RELAPSE_RISK.direction
    'step_up'
    >>> TransitionReason.from_code("goals_met").label
    'Treatment goals met'
    """

    code: str = attrs.field()
    label: str = attrs.field(eq=False)
    direction: Direction = attrs.field()

    WORSENING_SYMPTOMS: ClassVar[TransitionReason]
    INSTABILITY: ClassVar[TransitionReason]
    RELAPSE_RISK: ClassVar[TransitionReason]
    SAFETY_CONCERN: ClassVar[TransitionReason]
    GOALS_MET: ClassVar[TransitionReason]
    STABILISED: ClassVar[TransitionReason]
    COMPLETED_PROGRAM: ClassVar[TransitionReason]
    SCHEDULE_CHANGE: ClassVar[TransitionReason]
    MODALITY_CHANGE: ClassVar[TransitionReason]
    TREATMENT_COMPLETED: ClassVar[TransitionReason]
    CLIENT_WITHDREW: ClassVar[TransitionReason]
    TRANSFERRED: ClassVar[TransitionReason]
    ADMINISTRATIVE: ClassVar[TransitionReason]

    @code.validator
    def _check_code(self, _attribute: object, value: object) -> None:
        if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", value):
            raise InvalidValueError(
                "TransitionReason.code",
                value,
                "is not a valid code",
                "use lower-case letters, digits and underscores",
            )

    @direction.validator
    def _check_direction(self, _attribute: object, value: object) -> None:
        require_choice("TransitionReason.direction", value, Direction, "a direction")

    @classmethod
    def builtins(cls) -> tuple[TransitionReason, ...]:
        """The reasons careplan knows, grouped by direction."""
        return _BUILTIN_REASONS

    @classmethod
    def from_code(cls, code: str) -> TransitionReason:
        """The built-in reason with ``code``.

        Raises:
            InvalidValueError: No built-in reason has that code (build a
                :class:`TransitionReason` for your own).
        """
        for reason in _BUILTIN_REASONS:
            if reason.code == code:
                return reason
        raise InvalidValueError(
            "reason",
            code,
            "is not a known transition reason",
            f"use one of {', '.join(r.code for r in _BUILTIN_REASONS)} "
            "or TransitionReason(code, label, direction)",
        )

    def __str__(self) -> str:
        return self.label


_R = TransitionReason
_R.WORSENING_SYMPTOMS = _R("worsening_symptoms", "Worsening symptoms", "step_up")
_R.INSTABILITY = _R("instability", "Loss of stability", "step_up")
_R.RELAPSE_RISK = _R("relapse_risk", "Relapse or rising relapse risk", "step_up")
_R.SAFETY_CONCERN = _R("safety_concern", "Safety concern", "step_up")
_R.GOALS_MET = _R("goals_met", "Treatment goals met", "step_down")
_R.STABILISED = _R("stabilised", "Stabilised", "step_down")
_R.COMPLETED_PROGRAM = _R("completed_program", "Completed the program", "step_down")
_R.SCHEDULE_CHANGE = _R("schedule_change", "Schedule change", "lateral")
_R.MODALITY_CHANGE = _R("modality_change", "Change of modality", "lateral")
_R.TREATMENT_COMPLETED = _R("treatment_completed", "Treatment completed", "discharge")
_R.CLIENT_WITHDREW = _R("client_withdrew", "Client withdrew", "discharge")
_R.TRANSFERRED = _R("transferred", "Transferred to another provider", "discharge")
_R.ADMINISTRATIVE = _R("administrative", "Administrative discharge", "discharge")
_BUILTIN_REASONS = (
    _R.WORSENING_SYMPTOMS,
    _R.INSTABILITY,
    _R.RELAPSE_RISK,
    _R.SAFETY_CONCERN,
    _R.GOALS_MET,
    _R.STABILISED,
    _R.COMPLETED_PROGRAM,
    _R.SCHEDULE_CHANGE,
    _R.MODALITY_CHANGE,
    _R.TREATMENT_COMPLETED,
    _R.CLIENT_WITHDREW,
    _R.TRANSFERRED,
    _R.ADMINISTRATIVE,
)
del _R


def _to_on(value: _dt.date) -> pendulum.Date:
    return require_date("Transition.on", value)


@attrs.frozen
class Transition:
    """One change in a plan's history.

    Attributes:
        on: The day the change takes effect. For a step or a schedule change,
            the first day of the new episode; for a discharge, the last day of
            care.
        from_level: The level code before.
        to_level: The level code after (``None`` for a discharge).
        direction: ``"step_up"``, ``"step_down"``, ``"lateral"`` or
            ``"discharge"``.
        reason: Why.
        previous_schedule: The weekly schedule in effect until ``on``.
        note: Free text for the record.
    """

    on: pendulum.Date = attrs.field(converter=_to_on)
    from_level: str
    to_level: str | None
    direction: Direction
    reason: TransitionReason
    previous_schedule: WeeklySchedule
    note: str = ""

    def __attrs_post_init__(self) -> None:
        require_choice("Transition.direction", self.direction, Direction, "a direction")
        if self.reason.direction != self.direction:
            raise InvalidValueError(
                "Transition.reason",
                self.reason.code,
                f"explains a {self.reason.direction.replace('_', ' ')}, "
                f"not a {self.direction.replace('_', ' ')}",
                "choose a reason of the same direction",
            )
        if (self.direction == "discharge") != (self.to_level is None):
            raise InvalidValueError(
                "Transition.to_level",
                self.to_level,
                "must be None exactly for a discharge",
                "give the target level, or use direction='discharge'",
            )


@attrs.frozen
class Episode:
    """One stay at one level of care, derived from the plan's transitions.

    Attributes:
        level: The level of care.
        schedule: The weekly schedule in effect.
        start: First day.
        end: Last day (included).
        came_in_by: The transition that started it (``None`` for the first).
        left_by: The transition that ended it (``None`` while it runs to the
            plan's end).
    """

    level: LevelOfCare
    schedule: WeeklySchedule
    start: pendulum.Date
    end: pendulum.Date
    came_in_by: Transition | None = None
    left_by: Transition | None = None

    @property
    def reason_in(self) -> TransitionReason | None:
        """Why the client came into this episode."""
        return None if self.came_in_by is None else self.came_in_by.reason

    @property
    def reason_out(self) -> TransitionReason | None:
        """Why the episode ended, if it did before the plan's end."""
        return None if self.left_by is None else self.left_by.reason

    @property
    def weeks(self) -> float:
        """The episode's length in weeks."""
        return ((self.end - self.start).days + 1) / 7

    def contains(self, day: _dt.date) -> bool:
        """True when ``day`` falls inside the episode."""
        return self.start <= day <= self.end


def check_history(plan: CarePlan) -> None:
    """Refuse a history that cannot be meaningful (the plan constructor calls this)."""
    continuum = plan.continuum
    previous_day = plan.start
    current: str | None = None
    for index, transition in enumerate(plan.transitions):
        where = f"CarePlan.transitions[{index}]"
        for code in (transition.from_level, transition.to_level):
            if code is not None:
                continuum[code]  # raises UnknownLevelError
        if current is not None and transition.from_level != current:
            raise InvalidValueError(
                f"{where}.from_level",
                transition.from_level,
                f"does not follow the level before it ({current})",
                "each transition starts from the level the previous one ended at",
            )
        if transition.on <= previous_day:
            raise InvalidValueError(
                f"{where}.on",
                transition.on.isoformat(),
                f"is not after {previous_day.isoformat()}",
                "transitions take effect after the plan's start and in date order",
            )
        if transition.direction == "discharge":
            if index != len(plan.transitions) - 1:
                raise InvalidValueError(
                    where,
                    "discharge",
                    "is followed by more transitions",
                    "nothing follows a discharge",
                )
            if plan.end != transition.on:
                raise InvalidValueError(
                    "CarePlan.end",
                    plan.end.isoformat(),
                    f"is not the discharge date {transition.on.isoformat()}",
                    "a discharged plan ends on its discharge date",
                )
        else:
            assert transition.to_level is not None
            expected = _direction(continuum[transition.from_level], continuum[transition.to_level])
            if transition.direction != expected:
                raise InvalidValueError(
                    f"{where}.direction",
                    transition.direction,
                    f"does not match {transition.from_level} -> {transition.to_level} ({expected})",
                    "use the direction the ranks of the levels give",
                )
            if transition.on > plan.end:
                raise InvalidValueError(
                    f"{where}.on",
                    transition.on.isoformat(),
                    f"is after the plan's end {plan.end.isoformat()}",
                    "extend the plan's end before adding the transition",
                )
        current = transition.from_level if transition.to_level is None else transition.to_level
        previous_day = transition.on
    if current is not None and current != plan.level.code:
        raise InvalidValueError(
            "CarePlan.level",
            plan.level.code,
            f"is not the level the history ends at ({current})",
            "the plan's level is the level of its last episode",
        )


def _direction(origin: LevelOfCare, target: LevelOfCare) -> Direction:
    if target.rank > origin.rank:
        return "step_up"
    if target.rank < origin.rank:
        return "step_down"
    return "lateral"


def episodes_of(plan: CarePlan) -> tuple[Episode, ...]:
    """The plan's episodes, first to last; contiguous and covering its period."""
    moves = [t for t in plan.transitions if t.direction != "discharge"]
    discharge_by = next((t for t in plan.transitions if t.direction == "discharge"), None)
    found = []
    start = plan.start
    came_in_by: Transition | None = None
    for move in moves:
        found.append(
            Episode(
                plan.continuum[move.from_level],
                move.previous_schedule,
                start,
                move.on.subtract(days=1),
                came_in_by,
                move,
            )
        )
        start, came_in_by = move.on, move
    found.append(Episode(plan.level, plan.schedule, start, plan.end, came_in_by, discharge_by))
    return tuple(found)


def _resolve_reason(value: TransitionReason | str, direction: Direction) -> TransitionReason:
    reason = value if isinstance(value, TransitionReason) else TransitionReason.from_code(value)
    if reason.direction != direction:
        raise TransitionError(
            f"the reason {reason.code!r} explains a {reason.direction.replace('_', ' ')}, "
            f"not a {direction.replace('_', ' ')}",
            "choose a reason of the same direction (TransitionReason.builtins() lists them)",
        )
    return reason


def _check_can_move(plan: CarePlan, on: pendulum.Date, *, allow_after_end: bool) -> None:
    if plan.discharged:
        raise TransitionError(
            f"the plan was discharged on {plan.end.isoformat()}",
            "start a new plan for a new admission",
        )
    last = plan.transitions[-1].on if plan.transitions else plan.start
    if on <= last:
        what = "the last transition" if plan.transitions else "the plan's start"
        raise TransitionError(
            f"{on.isoformat()} is not after {what} ({last.isoformat()})",
            "transitions cannot be backdated; pick a later effective date",
        )
    if not allow_after_end and on > plan.end:
        raise TransitionError(
            f"{on.isoformat()} is after the plan's end ({plan.end.isoformat()})",
            "extend the plan first: attrs.evolve(plan, end=...)",
        )


def _move(
    plan: CarePlan,
    direction: Direction,
    on: _dt.date,
    reason: TransitionReason | str,
    to: LevelOfCare | str | None,
    schedule: WeeklySchedule | None,
    note: str,
    program: Program | None = None,
    constraints: LifeConstraints | None = None,
) -> CarePlan:
    day = require_date("on", on)
    _check_can_move(plan, day, allow_after_end=False)
    why = _resolve_reason(reason, direction)
    current = plan.level
    if to is None:
        target = current
        if direction != "lateral":
            target_or_none = (
                plan.continuum.above(current)
                if direction == "step_up"
                else plan.continuum.below(current)
            )
            if target_or_none is None:
                end = "top" if direction == "step_up" else "bottom"
                raise TransitionError(
                    f"{current.name} is at the {end} of the {plan.continuum.name} continuum",
                    "there is no level to move to; pass to= or discharge the client",
                )
            target = target_or_none
    else:
        target = plan.continuum[to if isinstance(to, str) else to.code]
    actual = _direction(current, target)
    if actual != direction:
        raise TransitionError(
            f"moving from {current.code} to {target.code} is a {actual.replace('_', ' ')}, "
            f"not a {direction.replace('_', ' ')}",
            f"use {actual}() or choose another level",
        )
    if schedule is None and program is not None:
        from careplan._planner import replan
        from careplan._program import LifeConstraints

        schedule = replan(
            plan.schedule,
            program,
            target,
            constraints if constraints is not None else LifeConstraints(),
            continuum=plan.continuum,
        )
    transition = Transition(day, current.code, target.code, direction, why, plan.schedule, note)
    return attrs.evolve(
        plan,
        level=target,
        schedule=plan.schedule if schedule is None else schedule,
        transitions=(*plan.transitions, transition),
    )


def step_up(
    plan: CarePlan,
    *,
    on: _dt.date,
    reason: TransitionReason | str,
    to: LevelOfCare | str | None = None,
    schedule: WeeklySchedule | None = None,
    note: str = "",
    program: Program | None = None,
    constraints: LifeConstraints | None = None,
) -> CarePlan:
    """The plan with the client moved to a more intensive level from ``on``.

    Args:
        plan: The plan; it is not changed.
        on: First day at the new level.
        reason: A step-up reason (a :class:`TransitionReason` or its code).
        to: The target level; default the next level up. Jumping more than
            one level is allowed and reported by validation as a warning.
        schedule: The new weekly schedule; default keep the current one,
            or re-plan it when ``program`` is given.
        note: Free text for the record.
        program: Re-plan the schedule from this program for the new level
            (with :func:`careplan.plan_week`), keeping the client's day parts
            and modality where possible.
        constraints: The client's week, for the re-plan.

    Raises:
        TransitionError: The plan is discharged, ``on`` is not after the last
            transition or is after the plan's end, the target is not above,
            or the reason is not a step-up reason.
        Infeasible: The re-plan finds no schedule for the new level.
        UnknownLevelError: ``to`` is not on the plan's continuum.

    >>> from careplan import DEFAULT, CarePlan, Client, WeeklySchedule
    >>> import pendulum
    >>> plan = CarePlan(Client("c"), DEFAULT["OP"], WeeklySchedule("UTC"),
    ...                 pendulum.date(2027, 1, 4), pendulum.date(2027, 6, 27))
    >>> later = step_up(plan, on=pendulum.date(2027, 3, 1), reason="relapse_risk")
    >>> later.level.code, plan.level.code
    ('IOP', 'OP')
    """
    return _move(plan, "step_up", on, reason, to, schedule, note, program, constraints)


def step_down(
    plan: CarePlan,
    *,
    on: _dt.date,
    reason: TransitionReason | str,
    to: LevelOfCare | str | None = None,
    schedule: WeeklySchedule | None = None,
    note: str = "",
    program: Program | None = None,
    constraints: LifeConstraints | None = None,
) -> CarePlan:
    """The plan with the client moved to a less intensive level from ``on``.

    Arguments and errors as :func:`step_up`, with a step-down reason and the
    next level down as the default target.
    """
    return _move(plan, "step_down", on, reason, to, schedule, note, program, constraints)


def change_schedule(
    plan: CarePlan,
    *,
    on: _dt.date,
    schedule: WeeklySchedule,
    reason: TransitionReason | str = "schedule_change",
    note: str = "",
) -> CarePlan:
    """The plan with a new weekly schedule from ``on``, at the same level.

    A lateral transition: the client changes day part or modality (a new job,
    a move to telehealth) without changing level.
    """
    return _move(plan, "lateral", on, reason, None, schedule, note)


def discharge(
    plan: CarePlan,
    *,
    on: _dt.date,
    reason: TransitionReason | str = "treatment_completed",
    note: str = "",
) -> CarePlan:
    """The plan ended on ``on``, the last day of care; nothing follows it.

    ``on`` may be after the planned end (a plan that ran longer): the plan's
    end becomes the discharge date.

    Raises:
        TransitionError: The plan is already discharged, or ``on`` is not
            after the last transition.
    """
    day = require_date("on", on)
    _check_can_move(plan, day, allow_after_end=True)
    why = _resolve_reason(reason, "discharge")
    transition = Transition(day, plan.level.code, None, "discharge", why, plan.schedule, note)
    return attrs.evolve(plan, end=day, transitions=(*plan.transitions, transition))
