"""Build the weekly schedule that fits a client's life: an exact search.

The week decomposes by day: what a client takes on Monday does not change
what fits on Tuesday, except through a few weekly totals (treatment days,
minutes, the required session kinds covered). ``plan_week`` therefore runs a
dynamic programme over the seven weekdays whose state is exactly those
totals, and keeps, for every state, the cheapest way to reach it. Costs are
tuples compared lexicographically and added component-wise, which keeps the
order under addition, so the cheapest complete week is a true optimum, not a
greedy guess.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import NamedTuple

import attrs
import pendulum

from careplan._model import plan as _plan
from careplan._model.constraints import LifeConstraints, ObjectiveName
from careplan._model.continua import DEFAULT
from careplan._model.errors import CarePlanError, InvalidValueError
from careplan._model.kinds import TreatmentTrack
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.program import Offering, Program
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._model.time import require_date, week_start, weekday_name
from careplan._operations.filling import (
    ORDERS,
    DayOption,
    WeekBounds,
    average_units,
    covered,
    day_options,
    idle_minutes,
    overlaps,
    within,
)

__all__ = [
    "Alternative",
    "CyclePlan",
    "Infeasible",
    "Objective",
    "ObjectiveName",
    "PlanResult",
    "feasible",
    "plan_cycle",
    "plan_week",
    "replan",
    "score",
]


@attrs.frozen(order=True)
class Objective:
    """What a weekly schedule costs the client; lower is better.

    Attributes:
        preference_conflicts: Sessions outside the preferred day parts.
        days: Treatment days a week.
        idle_minutes: Waiting time between sessions on the same day.
    """

    preference_conflicts: int = 0
    days: int = 0
    idle_minutes: int = 0

    def key(self, name: ObjectiveName = "fit") -> tuple[int, int, int]:
        """The tuple compared under the objective ``name``."""
        values = (self.preference_conflicts, self.days, self.idle_minutes)
        return tuple(values[i] for i in ORDERS[name])  # type: ignore[return-value]


@attrs.frozen
class PlanResult:
    """The best weekly schedule for a client at a level.

    Attributes:
        schedule: The sessions to attend each week.
        objective: What it costs (see :class:`Objective`).
        offerings: The program offerings chosen.
        level: The level of care it was planned for.
        warnings: The warning-level requirements it leaves unmet, in words
            (validation reports them as warnings): empty unless no week
            meets them all.
    """

    schedule: WeeklySchedule
    objective: Objective
    offerings: tuple[Offering, ...]
    level: LevelOfCare
    warnings: tuple[str, ...] = ()


@attrs.frozen
class Alternative:
    """A nearby option when a level cannot be scheduled.

    Attributes:
        description: What changes, for a clinician ("attend virtually").
        result: The schedule that change makes possible.
    """

    description: str
    result: PlanResult


class Infeasible(CarePlanError):
    """No weekly schedule meets the level of care within the client's week.

    :attr:`reasons` say why in a clinician's terms; :attr:`alternatives`
    list nearby options that do work (another modality, a lower level).

    Attributes:
        level: The level that could not be scheduled.
        reasons: Why, one sentence each.
        alternatives: Options that would work.
    """

    def __init__(
        self, level: LevelOfCare, reasons: Sequence[str], alternatives: Sequence[Alternative]
    ) -> None:
        self.level = level
        self.reasons = tuple(reasons)
        self.alternatives = tuple(alternatives)
        lines = [f"no weekly schedule meets {level.name} ({level.code}):"]
        lines += [f"- {reason}" for reason in self.reasons]
        if self.alternatives:
            lines.append("nearest options:")
            lines += [
                f"- {a.description}: {_describe(a.result.schedule)}" for a in self.alternatives
            ]
        super().__init__("\n".join(lines))


def _describe(schedule: WeeklySchedule) -> str:
    days = ", ".join(weekday_name(day)[:3].capitalize() for day in schedule.weekdays)
    return f"{days or 'no days'}, {schedule.hours_per_week:.1f} h/week"


def allowed_offerings(
    program: Program, constraints: LifeConstraints, tracks: Sequence[TreatmentTrack]
) -> list[Offering]:
    """The offerings of ``program`` a client may take at all: each session fits
    their week and, for group sessions, is of one of ``tracks`` (or any)."""
    return [
        offering
        for offering in program.offerings()
        if all(
            constraints.allows(s) and (not tracks or s.track is None or s.track in tracks)
            for s in offering.sessions
        )
    ]


# A search state: (days, light minutes, heavy minutes, average, covered mask).
_State = tuple[int, int, int, int, int]
# Its best path: (cost key, offering ids, cost, offerings).
_Best = tuple[tuple[int, ...], tuple[str, ...], tuple[int, int, int], tuple[Offering, ...]]


class _Ask(NamedTuple):
    """What :func:`plan_week` is asked, as :func:`_search` and the alternatives take it."""

    program: Program
    level: LevelOfCare
    constraints: LifeConstraints
    tracks: Sequence[TreatmentTrack]
    objective: ObjectiveName
    continuum: Continuum | None


def _fillings(ask: _Ask, allowed: Sequence[Offering]) -> list[list[DayOption]]:
    """The cheapest ways to fill each weekday, Monday first, from the ``allowed`` offerings."""
    return [
        day_options(
            ask.level, ask.constraints, [o for o in allowed if o.weekday == day], ask.objective
        )
        for day in pendulum.WeekDay
    ]


def _search(
    ask: _Ask, per_day_options: Sequence[Sequence[DayOption]], *, warnings: bool = True
) -> PlanResult | None:
    """The best week made of ``per_day_options`` (:func:`_fillings` of ``ask``)."""
    program, level, constraints, _, objective, continuum = ask
    order = ORDERS[objective]
    best: dict[_State, _Best] = {(0, 0, 0, 0, 0): ((0, 0, 0), (), (0, 0, 0), ())}
    bounds = WeekBounds.of(level, continuum, constraints, warnings=warnings)
    # What the days still to come can add at most: a state that cannot reach
    # the level's minimums even with all of it is dropped early.
    reach_days = [0] * 8
    reach_light = [0] * 8
    reach_covers = [0] * 8
    for index in range(6, -1, -1):
        options = per_day_options[index]
        reach_days[index] = reach_days[index + 1] + (1 if len(options) > 1 else 0)
        reach_light[index] = reach_light[index + 1] + max(o.light for o in options)
        covered = 0
        for option in options:
            covered |= option.covers
        reach_covers[index] = reach_covers[index + 1] | covered
    if bounds.max_days < bounds.min_days:
        return None  # a cap on days below the level's minimum: nothing to search
    for index, options in enumerate(per_day_options):
        following: dict[_State, _Best] = {}
        for (days, light, heavy, average, covers), (_, ids, cost, chosen) in best.items():
            for option in options:
                state = (
                    days + (1 if option.offerings else 0),
                    light + option.light,
                    heavy + option.heavy,
                    average + option.average,
                    covers | option.covers,
                )
                # Weekly totals only grow: a state past a maximum stays past it,
                # and one that cannot reach a minimum never will.
                if (
                    state[0] > bounds.max_days
                    or state[1] > bounds.max_minutes
                    or state[0] + reach_days[index + 1] < bounds.min_days
                    or state[1] + reach_light[index + 1] < bounds.min_minutes
                    or (state[4] | reach_covers[index + 1]) & bounds.required != bounds.required
                ):
                    continue
                total = (
                    cost[0] + option.cost[0],
                    cost[1] + option.cost[1],
                    cost[2] + option.cost[2],
                )
                key = tuple(total[i] for i in order)
                new_ids = ids + tuple(o.id for o in option.offerings)
                current = following.get(state)
                if current is None or (key, new_ids) < (current[0], current[1]):
                    following[state] = (key, new_ids, total, chosen + option.offerings)
        best = following
    finals = [
        value
        for (days, light, heavy, average, covers), value in best.items()
        if bounds.admits(days, light, heavy, average, covers)
    ]
    if not finals:
        return None
    _, _, cost, chosen = min(finals, key=lambda value: (value[0], value[1]))
    sessions = sorted(
        (s for o in chosen for s in o.sessions), key=lambda s: (s.weekday, s.start_minute, s.id)
    )
    return PlanResult(
        WeeklySchedule(program.timezone, sessions),
        Objective(*cost),
        tuple(chosen),
        level,
        _unmet_warnings(level, sessions),
    )


def _unmet_warnings(level: LevelOfCare, sessions: Sequence[Session]) -> tuple[str, ...]:
    """The warning-level components of ``level`` that ``sessions`` leave out, in words."""
    covers = covered(level, sessions)
    return tuple(
        f"no {component.kind.label.lower()} session "
        + ("every week" if component.every_weeks == 1 else f"every {component.every_weeks} weeks")
        + f" ({level.code} asks for one; a warning, not an error)"
        for index, component in enumerate(level.required)
        if component.severity == "warning" and not covers & (1 << index)
    )


def feasible(
    schedule: WeeklySchedule,
    level: LevelOfCare | str,
    constraints: LifeConstraints,
    *,
    continuum: Continuum | None = None,
) -> bool:
    """Whether ``schedule`` meets ``level`` and fits ``constraints``, by the planner's rules.

    The rules are those validation applies to a regular week: days, hours a
    day and a week within the level's ranges in every week (with and
    without less-than-weekly sessions), the required kinds whose severity is
    ``"error"`` at their cadence (a missing warning-level kind is a warning in
    validation, not a refusal),
    no overlaps, nothing in a busy block, and, given the continuum, no
    outpatient schedule at the next level's intensity. ``level`` may be a
    code, resolved on ``continuum`` (default :data:`careplan.DEFAULT`).
    """
    level = _resolve(level, continuum)
    sessions = schedule.sessions
    if not all(constraints.allows(s) for s in sessions):
        return False
    covers = covered(level, sessions)
    light = heavy = 0
    for day in pendulum.WeekDay:
        on_day = [s for s in sessions if s.weekday == day]
        if not on_day:
            continue
        weekly = [s for s in on_day if s.every_weeks == 1]
        if not weekly or overlaps(on_day):
            return False
        day_light = sum(s.minutes for s in weekly)
        day_heavy = sum(s.minutes for s in on_day)
        per_day = level.intensity.hours_per_day
        if not (within(per_day, day_light) and within(per_day, day_heavy)):
            return False
        light += day_light
        heavy += day_heavy
    average = average_units(sessions)
    bounds = WeekBounds.of(level, continuum, constraints, warnings=False)
    return bounds.admits(schedule.days_per_week, light, heavy, average, covers)


def score(schedule: WeeklySchedule, constraints: LifeConstraints) -> Objective:
    """The :class:`Objective` of a schedule for a client."""
    return Objective(
        sum(constraints.conflicts(s) for s in schedule.sessions),
        schedule.days_per_week,
        sum(
            idle_minutes([s for s in schedule.sessions if s.weekday == day])
            for day in pendulum.WeekDay
        ),
    )


def plan_week(
    program: Program,
    level: LevelOfCare | str,
    constraints: LifeConstraints,
    *,
    tracks: Sequence[TreatmentTrack] = (),
    objective: ObjectiveName = "fit",
    continuum: Continuum | None = None,
) -> PlanResult:
    """The best weekly schedule from ``program`` for ``level`` around the client's week.

    Args:
        program: What the clinic offers.
        level: The level of care to meet, or its code (resolved on
            ``continuum``, default :data:`careplan.DEFAULT`).
        constraints: The client's busy blocks and preferences.
        tracks: Only group sessions of these treatment tracks (or none).
        objective: How schedules are compared; see :data:`ObjectiveName`.
        continuum: The level's continuum (default :data:`DEFAULT` for its
            levels): an outpatient level is not scheduled at the next level's
            intensity, as validation requires, and the level below is offered
            as an alternative when the level cannot be met.

    Returns:
        An optimal :class:`PlanResult` under ``objective``.

    Raises:
        Infeasible: No schedule meets the level; says why and what would.
    """
    if objective not in ORDERS:
        raise InvalidValueError(
            "objective", objective, "is not an objective", f"use one of: {', '.join(ORDERS)}"
        )
    level = _resolve(level, continuum)
    if program.levels and level.code not in program.levels:
        raise InvalidValueError(
            "level",
            level.code,
            f"is not a level {program.name} runs",
            f"use one of: {', '.join(program.levels)}",
        )
    if continuum is None and DEFAULT.get(level.code) == level:
        continuum = DEFAULT
    # The best week that meets every rule; else the best that meets every
    # error-level rule, its warnings stated.
    ask = _Ask(program, level, constraints, tracks, objective, continuum)
    allowed = allowed_offerings(program, constraints, tracks)
    days = _fillings(ask, allowed)
    found = _search(ask, days)
    if found is None:
        found = _search(ask, days, warnings=False)
    if found is not None:
        return found
    raise Infeasible(
        level,
        infeasible_reasons(program, level, constraints, allowed),
        _alternatives(ask, allowed, days),
    )


@attrs.frozen
class CyclePlan:
    """The best schedules for a cycle of weeks that are not alike.

    A rotating roster (a nurse on nights one week in two) or a one-off busy
    date makes weeks differ; each week of the cycle gets its own best
    schedule, and each meets the level.

    Attributes:
        start: The Monday of the cycle's first week.
        weeks: The plan of each week of the cycle, in order.
    """

    start: pendulum.Date
    weeks: tuple[PlanResult, ...]

    def week_of(self, day: _dt.date) -> PlanResult:
        """The plan of the week holding ``day``; the cycle repeats after its last week."""
        index = (week_start(day) - self.start).days // 7
        return self.weeks[index % len(self.weeks)]

    @property
    def objective(self) -> Objective:
        """The cycle's costs: each week's, added up."""
        return Objective(
            sum(w.objective.preference_conflicts for w in self.weeks),
            sum(w.objective.days for w in self.weeks),
            sum(w.objective.idle_minutes for w in self.weeks),
        )

    @property
    def alike(self) -> bool:
        """True when every week of the cycle has the same sessions."""
        return len({w.schedule for w in self.weeks}) == 1


def plan_cycle(
    program: Program,
    level: LevelOfCare,
    constraints: LifeConstraints,
    *,
    start: _dt.date,
    weeks: int | None = None,
    tracks: Sequence[TreatmentTrack] = (),
    objective: ObjectiveName = "fit",
    continuum: Continuum | None = None,
) -> CyclePlan:
    """The best schedule for each week of a cycle, when the client's weeks differ.

    Weeks are planned one by one with :func:`plan_week` against the busy
    blocks each week really has (rotating blocks in their weeks, one-off
    dates in theirs, night shifts spilling into the next morning). The weeks
    share nothing but the program, so the cycle whose weeks are each the
    best is itself the best, and every week meets the level.

    Args:
        program: What the clinic offers.
        level: The level of care every week must meet.
        constraints: The client's busy blocks and preferences.
        start: A day in the cycle's first week.
        weeks: How many weeks to plan; default: until the rotating blocks
            repeat (:attr:`LifeConstraints.cycle_weeks`). Give more to cover
            one-off dates further out.
        tracks: As for :func:`plan_week`.
        objective: As for :func:`plan_week`.
        continuum: As for :func:`plan_week`.

    Raises:
        Infeasible: A week of the cycle cannot meet the level; its reasons
            name that week.

    >>> from careplan.programs import sample_iop
    >>> import pendulum
    >>> from careplan import DEFAULT, BusyBlock
    >>> nights = BusyBlock("nights", ["monday", "tuesday", "wednesday"], "19:00", "07:00",
    ...                    every_weeks=2, anchor=pendulum.date(2027, 1, 4))
    >>> cycle = plan_cycle(sample_iop(), DEFAULT["IOP"], LifeConstraints([nights]),
    ...                    start=pendulum.date(2027, 1, 4))
    >>> [len(week.schedule.weekdays) for week in cycle.weeks]
    [3, 3]
    """
    begin = week_start(require_date("start", start))
    count = constraints.cycle_weeks if weeks is None else weeks
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 104:
        raise InvalidValueError("weeks", count, "is not between 1 and 104")
    planned: dict[LifeConstraints, PlanResult] = {}
    results = []
    for index in range(count):
        monday = begin.add(weeks=index)
        week = constraints.for_week(monday)
        if week not in planned:
            try:
                planned[week] = plan_week(
                    program,
                    level,
                    week,
                    tracks=tracks,
                    objective=objective,
                    continuum=continuum,
                )
            except Infeasible as error:
                raise Infeasible(
                    level,
                    [f"in the week of {monday.to_date_string()}:", *error.reasons],
                    error.alternatives,
                ) from None
        results.append(planned[week])
    return CyclePlan(begin, tuple(results))


def infeasible_reasons(
    program: Program,
    level: LevelOfCare,
    constraints: LifeConstraints,
    allowed: Sequence[Offering],
) -> list[str]:
    """Why no week of ``program`` meets ``level`` around the client's week, in words
    (``allowed``: the offerings the client may take, :func:`allowed_offerings`).

    Only what really blocks: nothing fits at all; the group times that fit
    allow too few days or hours; an error-level required kind has no slot
    that fits; the client's cap on days. When none of these alone blocks,
    one line says that no combination meets the level's weekly rules.
    """
    if not allowed:
        return [
            f"nothing {program.name} offers fits the client's week "
            "(busy blocks, unavailable days or modality rule everything out)"
        ]
    reasons = []
    need = level.intensity
    usable = [o for o in allowed if o.is_group] or allowed
    most_days = len({o.weekday for o in usable})
    per_day = need.hours_per_day.max
    capacity = 0.0
    for day in pendulum.WeekDay:
        day_best = max((o.minutes for o in usable if o.weekday == day), default=0) / 60
        capacity += min(day_best, per_day) if per_day is not None else day_best
    fewest_days = need.days_per_week.min or 0
    fewest_hours = need.hours_per_week.min or 0
    if most_days < fewest_days or capacity < fewest_hours:
        by_part: dict[str, list[str]] = {}
        for offering in usable:
            part = offering.sessions[0].day_part.value
            name = weekday_name(offering.weekday)[:3].capitalize()
            if name not in by_part.setdefault(part, []):
                by_part[part].append(name)
        free = "; ".join(f"{part}s on {', '.join(days)}" for part, days in by_part.items())
        reasons.append(
            f"the times that fit the client's week ({free}) allow at most {most_days} day(s) "
            f"and about {capacity:.1f} h/week; {level.name} needs {need.days_per_week} "
            f"days/week and {need.hours_per_week} h/week"
        )
    sessions = [s for o in allowed for s in o.sessions]
    for component in level.required:
        if component.severity == "error" and not any(
            s.kind == component.kind and s.every_weeks <= component.every_weeks for s in sessions
        ):
            reasons.append(f"no {component.kind.label.lower()} slot fits the client's week")
    cap = constraints.max_days_per_week
    if cap is not None and cap < fewest_days:
        reasons.append(
            f"the client can come at most {cap} day(s) a week; {level.name} needs {fewest_days}"
        )
    if not reasons:
        reasons.append(
            f"no combination of the sessions that fit the client's week meets {level.name}'s "
            "weekly rules together (days, hours a day and a week, the required kinds)"
        )
    return reasons


def _alternatives(
    ask: _Ask, allowed: Sequence[Offering], days: Sequence[Sequence[DayOption]]
) -> list[Alternative]:
    """The nearby options that do work; each is ``ask`` changed, with the offerings
    and day fillings of ``ask`` where the change leaves them alike (``None``: anew)."""
    program, level, constraints, tracks, _, continuum = ask
    tries: list[tuple[str, _Ask, Sequence[Offering] | None, Sequence[Sequence[DayOption]] | None]]
    tries = []
    if constraints.modality != "either":
        other = "virtually" if constraints.modality == "in_person" else "in person"
        relaxed = attrs.evolve(constraints, modality="either")
        tries.append((f"attend {other} as well", ask._replace(constraints=relaxed), None, None))
    if constraints.max_days_per_week is not None:
        # A cap on days changes no day's fillings.
        relaxed = attrs.evolve(constraints, max_days_per_week=None)
        tries.append(
            ("lift the cap on days a week", ask._replace(constraints=relaxed), allowed, days)
        )
    if constraints.unavailable_days:
        relaxed = attrs.evolve(constraints, unavailable_days=())
        tries.append(("free the unavailable days", ask._replace(constraints=relaxed), None, None))
    if continuum is not None:
        below = continuum.below(level)
        if below is not None and (not program.levels or below.code in program.levels):
            tries.append((f"a lower level: {below.name}", ask._replace(level=below), allowed, None))
    found = []
    for description, changed, offerings, filled in tries:
        if offerings is None:
            offerings = allowed_offerings(program, changed.constraints, tracks)
        if filled is None:
            filled = _fillings(changed, offerings)
        result = _search(changed, filled, warnings=False)
        if result is not None:
            found.append(Alternative(description, result))
    return found


def replan(
    current: WeeklySchedule,
    program: Program,
    level: LevelOfCare | str,
    constraints: LifeConstraints,
    *,
    continuum: Continuum | None = None,
) -> WeeklySchedule:
    """A schedule for ``level`` that keeps the client's day parts and modality where possible.

    Used when a client moves to another level: the current schedule's day
    parts become the preferred ones (unless the constraints name their own),
    and its modality is tried first when the client attends only one.

    Raises:
        Infeasible: The new level cannot be scheduled at all.
    """
    parts = tuple(sorted({s.day_part for s in current.sessions}, key=lambda p: p.value))
    preferred = attrs.evolve(
        constraints, preferred_day_parts=constraints.preferred_day_parts or parts
    )
    modes = {s.modality.kind for s in current.sessions}
    attempts = [preferred]
    if constraints.modality == "either" and len(modes) == 1:
        attempts.insert(0, attrs.evolve(preferred, modality=modes.pop()))
    failure: Infeasible | None = None
    for attempt in attempts:
        try:
            return plan_week(program, level, attempt, continuum=continuum).schedule
        except Infeasible as error:
            failure = error
    assert failure is not None
    raise failure


def _resolve(level: LevelOfCare | str, continuum: Continuum | None) -> LevelOfCare:
    """A level given by its code, on ``continuum`` (default DEFAULT), as every caller takes."""
    return (DEFAULT if continuum is None else continuum).resolve(level)


_plan.PLAN_WEEK.provide(plan_week)
