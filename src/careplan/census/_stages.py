"""Solving the census model stage by stage, within the caller's limits."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from careplan._model.errors import InvalidValueError
from careplan.census._model import CensusModel
from careplan.census._result import CensusResult

_log = logging.getLogger("careplan.census")


# --- solving in stages ----------------------------------------------------------


@attrs.frozen
class Settings:
    """What the caller set for each solve: wall-clock seconds, optionally work
    in CP-SAT's deterministic time (about seconds of one core), the random
    seed and the solver threads."""

    seconds: float
    work: float | None
    seed: int
    workers: int

    def field(self) -> str:
        """The argument to name when the limit ran out."""
        return "time_limit" if self.work is None else "work_limit"


#: The most of ``time_limit`` kept for the work after the last solve, and the
#: time kept per client for it (measured: about 8 ms to explain each waiting client).
_AFTER_SHARE = 0.2
_AFTER_PER_CLIENT = 0.01


@attrs.define
class Budget:
    """What one solve under ``settings`` may still spend: the clock until
    ``deadline`` and the deterministic ``work`` left (``None``: no work limit).

    A run stopped by the work limit stops at the same point on any machine
    and under any load; one stopped by the clock may not.
    """

    settings: Settings
    deadline: float
    work: float | None

    @classmethod
    def of(cls, settings: Settings, clients: int) -> Budget:
        """The budget of one call for a census of ``clients``.

        The solver stops early enough to leave the time the call needs after
        it: building the result and explaining why each client left waiting
        is waiting (about 8 ms per client on the benchmark's machine), so that
        ``time_limit`` bounds the whole call, not only the solver.
        """
        after = min(settings.seconds * _AFTER_SHARE, clients * _AFTER_PER_CLIENT)
        return cls(settings, time.monotonic() + settings.seconds - after, settings.work)

    def left(self) -> bool:
        """Whether another solver run is worth starting."""
        return self.deadline - time.monotonic() > 0.05 and (self.work is None or self.work > 0)


@attrs.frozen
class Solved:
    """What the stages reached: whether every stage was proven, the solver's
    values, and per stage solved its value and the best the solver proved
    possible."""

    proven: bool
    values: Mapping[str, int]  # variable name -> value
    objective: Mapping[str, int]
    bound: Mapping[str, int]


def solve_stages(
    built: CensusModel,
    stages: Sequence[str],
    budget: Budget,
    hint: Mapping[str, int] | None = None,
) -> Solved | None:
    """Optimise ``stages`` in order, each fixing the previous optimum, within ``budget``.

    ``hint`` (variable name to value) is a solution to start from.
    """
    cp = built.cp
    model = built.model
    built.stages = tuple(stages)
    optimal = True
    values: dict[str, int] | None = None
    reached: list[int] = []
    bounds: list[int] = []
    stages_done: list[str] = []
    variables = [model.get_int_var_from_proto_index(i) for i in range(len(model.proto.variables))]
    if hint:
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var in variables:
            if var.name in hint:
                model.add_hint(var, hint[var.name])
    for stage in stages:
        if stage == "priority":
            if values is None:
                solver, status = attempt(built, "feasibility", budget)
                if status not in (cp.OPTIMAL, cp.FEASIBLE):
                    return None
                values = {var.name: int(solver.value(var)) for var in variables}
            done = _priority(built, budget, variables, values)
            if done is None:
                optimal = False
                break
            proved, values = done
            optimal = optimal and proved
            hint_all(built, variables, values)
            continue
        expression = built.objective_terms[stage]
        maximise = stage == "placed"
        if isinstance(expression, int):
            reached.append(expression)
            bounds.append(expression)
            stages_done.append(stage)
            continue
        if stage == "balance" and built.attendance:
            found = _balance(built, budget)
            if found is None:
                if values is None:
                    return None
                optimal = False
                break
            proved, value, bound, got = found
        else:
            if maximise:
                model.maximize(expression)
            else:
                model.minimize(expression)
            solver, status = attempt(built, stage, budget)
            model.clear_objective()  # type: ignore[no-untyped-call]
            if status not in (cp.OPTIMAL, cp.FEASIBLE):
                if values is None:
                    return None
                optimal = False
                break
            proved = status == cp.OPTIMAL
            value = round(solver.objective_value)
            bound = round(solver.best_objective_bound)
            got = {var.name: int(solver.value(var)) for var in variables}
        reached.append(value)
        bounds.append(bound)
        stages_done.append(stage)
        optimal = optimal and proved
        if proved:
            model.add(expression == value)
        elif maximise:
            model.add(expression >= value)
        else:
            model.add(expression <= value)
        values = got
        hint_all(built, variables, values)
    if values is None:
        # Every stage was constant: one run without an objective finds an
        # assignment (or proves there is none); a hint is never taken on trust.
        solver, status = attempt(built, "feasibility", budget)
        if status not in (cp.OPTIMAL, cp.FEASIBLE):
            return None
        values = {var.name: int(solver.value(var)) for var in variables}
    return Solved(
        optimal,
        values,
        dict(zip(stages_done, reached, strict=True)),
        dict(zip(stages_done, bounds, strict=True)),
    )


#: Clients whose places one priority solve weighs at once (powers of two up
#: to 2**29 keep the objective well inside the solver's integers).
_PRIORITY_CHUNK = 30


def _priority(
    built: CensusModel, budget: Budget, variables: Sequence[Any], values: dict[str, int]
) -> tuple[bool, dict[str, int]] | None:
    """The earlier admitted first, lexicographically, with the head count fixed.

    In admission order, the clients placed before the first one left out keep
    their places; from that one on, clients are taken in chunks whose places
    weigh powers of two (the earliest most), so each chunk's solve is exactly
    lexicographic, and each chunk's optimum is fixed before the next.
    """
    cp = built.cp
    model = built.model
    order = built.order
    first = next((i for i, cid in enumerate(order) if not values[f"placed[{cid}]"]), len(order))
    for cid in order[:first]:
        model.add(built.placed[cid] == 1)
    proved = True
    for begin in range(first, len(order), _PRIORITY_CHUNK):
        chunk = order[begin : begin + _PRIORITY_CHUNK]
        weights = [1 << (len(chunk) - 1 - i) for i in range(len(chunk))]
        expression = cp.LinearExpr.weighted_sum([built.placed[c] for c in chunk], weights)
        now = sum(w * values[f"placed[{c}]"] for c, w in zip(chunk, weights, strict=True))
        if now == sum(weights):
            model.add(expression == now)
            continue
        model.maximize(expression)
        solver, status = attempt(built, "priority", budget)
        model.clear_objective()  # type: ignore[no-untyped-call]
        if status not in (cp.OPTIMAL, cp.FEASIBLE):
            # Out of time: keep what was found, unproven.
            model.add(expression >= now)
            return False, values
        value = round(solver.objective_value)
        if value >= now:
            values = {var.name: int(solver.value(var)) for var in variables}
        if status == cp.OPTIMAL:
            model.add(expression == value)
        else:
            proved = False
            model.add(expression >= max(value, now))
        hint_all(built, variables, values)
    return proved, values


def hint_all(built: CensusModel, variables: Sequence[Any], values: Mapping[str, int]) -> None:
    """Hint the solver with ``values`` (variable name to value), instead of earlier hints."""
    built.model.clear_hints()  # type: ignore[no-untyped-call]
    for var in variables:
        built.model.add_hint(var, values[var.name])


def attempt(
    built: CensusModel,
    stage: str,
    budget: Budget,
    work: float | None = None,
    *,
    first: bool = False,
    probe: bool = True,
) -> Any:
    """A solver run on the model as it stands, within ``budget`` (and at most
    ``work``, in the solver's deterministic time; or, ``first``, until the
    first solution): the solver and its status. Without ``probe``, the
    presolve does not probe the variables (see :func:`_placeable`)."""
    cp = built.cp
    solver = cp.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, budget.deadline - time.monotonic())
    limits = [w for w in (work, budget.work) if w is not None]
    if limits:
        solver.parameters.max_deterministic_time = max(0.0, min(limits))
    solver.parameters.stop_after_first_solution = first
    solver.parameters.num_workers = budget.settings.workers
    solver.parameters.random_seed = budget.settings.seed
    # The linear relaxation of the at-most-k constraints guides the
    # search: level 2 proves the stages several times faster here.
    solver.parameters.linearization_level = 2
    if not probe:
        solver.parameters.cp_model_probing_level = 0
    status = solver.solve(built.model)
    if budget.work is not None:
        budget.work -= solver.deterministic_time
    _log.debug(
        "census stage %s: %s %s, bound %s, %.2f s (deterministic %.2f)",
        stage,
        solver.status_name(status),
        solver.objective_value,
        solver.best_objective_bound,
        solver.wall_time,
        solver.deterministic_time,
    )
    return solver, status


#: The work (in CP-SAT's deterministic time, about seconds of one core) the
#: balance stage spends on its first, direct try, which proves its lower
#: bound, before it searches at that bound. Deterministic, so the same input
#: gives the same answer however busy the machine.
_BALANCE_FIRST = 0.5


def _balance(built: CensusModel, budget: Budget) -> tuple[bool, int, int, dict[str, int]] | None:
    """The smallest largest group: proven or not, its value, its bound, the solver values.

    Minimising the largest group directly leaves the search flat (most moves
    do not change the largest), so after a short direct try, which proves a
    lower bound ``T``, the solver minimises the seats above ``T`` summed over
    the groups: zero means the largest group is ``T``, the optimum; a proven
    positive minimum means ``T`` cannot be reached, and the search goes on at
    ``T + 1``, up to the best found.
    """
    cp = built.cp
    model = built.model
    variables = [model.get_int_var_from_proto_index(i) for i in range(len(model.proto.variables))]
    model.minimize(built.largest)
    solver, status = attempt(built, "balance", budget, _BALANCE_FIRST)
    model.clear_objective()  # type: ignore[no-untyped-call]
    if status not in (cp.OPTIMAL, cp.FEASIBLE):
        return None
    values = {var.name: int(solver.value(var)) for var in variables}
    upper = max(values[var.name] for var in built.attendance)
    lower = round(solver.best_objective_bound)
    target = lower
    while target < upper and budget.left():
        excess = []
        hint_all(built, variables, values)
        for count in built.attendance:
            over = model.new_int_var(0, built.everyone, f"over[{count.name},{target}]")
            model.add(over >= count - target)
            model.add_hint(over, max(0, values[count.name] - target))
            excess.append(over)
        model.minimize(sum(excess))
        solver, status = attempt(built, f"balance at {target}", budget)
        model.clear_objective()  # type: ignore[no-untyped-call]
        if status not in (cp.OPTIMAL, cp.FEASIBLE):
            break
        got = {var.name: int(solver.value(var)) for var in variables}
        largest = max(got[var.name] for var in built.attendance)
        if largest < upper:
            values, upper = got, largest
        if round(solver.objective_value) == 0:
            break  # the largest group is ``target``, which is the bound
        if status != cp.OPTIMAL:
            break  # out of time
        lower = target = target + 1  # ``target`` cannot be reached
    values[built.largest.name] = upper
    return upper == lower, upper, lower, values


def checked_settings(
    time_limit: float, work_limit: float | None, seed: int, workers: int
) -> Settings:
    """The caller's limits, seed and workers, each refused when meaningless."""
    for name, value in (("time_limit", time_limit), ("work_limit", work_limit)):
        if value is None and name == "work_limit":
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not 0 < value < math.inf
        ):
            raise InvalidValueError(name, value, "is not a positive number of seconds")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidValueError("seed", seed, "is not a whole number")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidValueError("workers", workers, "is not a positive number of workers")
    work = None if work_limit is None else float(work_limit)
    return Settings(float(time_limit), work, seed, workers)


def within_limit(found: CensusResult | None, settings: Settings) -> CensusResult:
    """``found``; ``None`` here means the limit ran out before any solution
    (keeping everyone, or placing no one, always is one).

    Raises:
        InvalidValueError: Naming ``time_limit`` (or ``work_limit``), and how
            to fix it.
    """
    if found is None:
        field = settings.field()
        raise InvalidValueError(
            field,
            settings.seconds if field == "time_limit" else settings.work,
            "ran out before the solver found any assignment of this census",
            "give it more (sixty clients need about a second to start)",
        )
    return found
