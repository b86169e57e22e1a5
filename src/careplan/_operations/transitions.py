"""Moves between levels of care: step up, step down, change schedule, discharge.

Each function takes a plan and returns a new one with a
:class:`~careplan.Transition` added; the records themselves live in the
model (``careplan._model.transition``).
"""

from __future__ import annotations

import datetime as _dt

import attrs
import pendulum

from careplan._model.constraints import LifeConstraints
from careplan._model.errors import TransitionError
from careplan._model.levels import LevelOfCare
from careplan._model.plan import CarePlan
from careplan._model.program import Program
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import require_date
from careplan._model.transition import (
    Direction,
    Referral,
    Transition,
    TransitionReason,
    direction_between,
)
from careplan._operations.context import RuleContext
from careplan._operations.limits import limit_problems
from careplan._operations.planner import replan
from careplan._operations.rules import (
    check_intensity,
    check_level_fit,
    check_required_components,
)
from careplan._operations.weeks import week_figures

__all__ = ["change_schedule", "discharge", "step_down", "step_up"]


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
    if on < last:
        what = "the last transition" if plan.transitions else "the plan's start"
        raise TransitionError(
            f"{on.isoformat()} is before {what} ({last.isoformat()})",
            "transitions cannot be backdated; pick that day or a later one",
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
    actual = direction_between(current, target)
    if actual != direction:
        raise TransitionError(
            f"moving from {current.code} to {target.code} is a {actual.replace('_', ' ')}, "
            f"not a {direction.replace('_', ' ')}",
            f"use {actual}() or choose another level",
        )
    if schedule is None and program is not None:
        schedule = replan(
            plan.schedule,
            program,
            target,
            constraints if constraints is not None else LifeConstraints(),
            continuum=plan.continuum,
        )
    transition = Transition(day, current.code, target.code, direction, why, plan.schedule, note)
    moved = attrs.evolve(
        plan,
        level=target,
        schedule=plan.schedule if schedule is None else schedule,
        transitions=(*plan.transitions, transition),
    )
    if direction == "step_down" and schedule is None:
        _check_kept_week(moved, day)
    return moved


#: The validation rules that judge a weekly schedule against its level.
_WEEK_RULES = (check_intensity, check_required_components, check_level_fit)


def _check_kept_week(moved: CarePlan, day: pendulum.Date) -> None:
    """Refuse a step down that keeps a week the new level's error rules reject.

    A plan beyond careplan's limits is not expanded to judge it: validation
    reports its limits instead.
    """
    if next(limit_problems(moved), None) is not None:
        return
    context = RuleContext(moved, None, week_figures(moved))
    broken = sorted(
        {
            v.code
            for rule in _WEEK_RULES
            for v in rule(context)
            if v.severity == "error" and (not v.dates or min(v.dates) >= day)
        }
    )
    if not broken:
        return
    origin, target = moved.transitions[-1].from_level, moved.level
    raise TransitionError(
        f"the {origin} week kept from {day.isoformat()} "
        f"({moved.schedule.hours_per_week:.4g} h/week) breaks the rules of "
        f"{target.name} ({', '.join(broken)})",
        f"pass schedule= with a week for {target.code}, or program= to re-plan it from "
        "the program (careplan.plan_week); to taper first, change_schedule() to a lighter "
        f"week within the level's step-down grace weeks, then step down",
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
        TransitionError: The plan is discharged, ``on`` is before the last
            transition (or the plan's start) or after the plan's end, the target is not above,
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
    next level down as the default target. Give the new week as
    ``schedule``, or ``program`` to re-plan it from the program; without
    either the current week is kept, and a week the new level's error rules
    reject (an IOP week of 10 h after a step down to outpatient care, below
    9 h) is refused. A taper is a lighter week kept: ``change_schedule`` to
    it within the level's step-down grace weeks
    (:attr:`LevelOfCare.step_down_grace_weeks`), then step down.

    Raises:
        TransitionError: As for :func:`step_up`, and when the week kept
            breaks the new level's error rules (intensity, required sessions,
            level fit); the message names them and the fix.

    >>> import pendulum
    >>> from careplan import Modality, Session, WeeklySchedule
    >>> from careplan.demo import sample_plan
    >>> plan = sample_plan()
    >>> step_down(plan, on=pendulum.date(2027, 3, 1), reason="goals_met")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    careplan.TransitionError: the IOP week kept from 2027-03-01 (10.08 h/week) breaks the ...
    >>> weekly = WeeklySchedule(plan.timezone, [
    ...     Session("wednesday", "17:30", 50, "individual_therapy",
    ...             modality=Modality.in_person("Room 2"))])
    >>> step_down(plan, on=pendulum.date(2027, 3, 1), reason="goals_met",
    ...           schedule=weekly).schedule.hours_per_week
    0.8333333333333334
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
    referral: Referral | None = None,
) -> CarePlan:
    """The plan ended on ``on``, the last day of care; nothing follows it.

    ``on`` may be after the planned end (a plan that ran longer): the plan's
    end becomes the discharge date, and it may be the plan's first day or
    the day of the last step (a client admitted and discharged the same day).

    Args:
        plan: The plan; it is not changed.
        on: The last day of care.
        reason: A discharge reason: the TEDS discharge types
            ``treatment_completed``, ``left_against_advice``,
            ``terminated_by_facility``, ``transferred``, ``incarcerated``,
            ``death`` and ``other``, and ``moved`` (a state's type that
            TEDS-D records as other); :attr:`TransitionReason.teds_d` gives
            each one's TEDS-D code.
        note: Free text for the record.
        referral: Where the client is referred. A referral to a lower level
            opens the level's step-down grace window before the discharge,
            as a step down in the plan does.

    Raises:
        TransitionError: The plan is already discharged, or ``on`` is before
            the last transition.
        UnknownLevelError: The referral's level is not on the plan's continuum.

    >>> import pendulum
    >>> from careplan import Referral
    >>> from careplan.demo import sample_plan
    >>> done = discharge(sample_plan(), on=pendulum.date(2027, 3, 5), reason="transferred",
    ...                  referral=Referral("OP", "Eastside Community Clinic"))
    >>> done.end, done.transitions[-1].referral.provider
    (Date(2027, 3, 5), 'Eastside Community Clinic')
    """
    day = require_date("on", on)
    _check_can_move(plan, day, allow_after_end=True)
    why = _resolve_reason(reason, "discharge")
    transition = Transition(
        day, plan.level.code, None, "discharge", why, plan.schedule, note, referral
    )
    return attrs.evolve(plan, end=day, transitions=(*plan.transitions, transition))
