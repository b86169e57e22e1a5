"""Census scheduling: every client's week at once, with seats, staff and rooms.

Candidate weeks. Each client gets a set of whole weeks that meet their level
and fit their life (:func:`_weeks`): the planner's fewest-conflict week
(exact, by the planner's own day options and :class:`WeekBounds`), diverse
good weeks in each stream (a track in one modality) and across streams,
their current week when it still meets the level, and the week a first fit
in admission order leaves them. Every candidate is feasible by
construction, so every placed week is one :func:`careplan.feasible`
accepts.

The model, for the CP-SAT solver of OR-Tools, chooses one candidate per
client or none (a set packing):

- a group day (a track's day in one modality) holds at most its track's
  capacity and its room's seats, and runs with one facilitator with the
  right credential and, in person, one open room;
- a one-to-one slot taken by ``n`` clients needs ``n`` different qualified
  clinicians at work and, in person, ``n`` rooms;
- no clinician and no room is in two places at once (checked at every start
  time, which suffices for intervals), and caseloads hold.

Clinicians alike in credentials and hours (no caseload cap) and rooms alike
in seats and closures are pooled: the model counts how many of a pool a
session takes, and the result names them by start time (:meth:`_Model.holders`).

The objective is lexicographic, solved stage by stage (each stage fixes the
previous optimum and hints the next with its solution): clients placed
(then earlier admissions first), fewest preference conflicts, fewest changes
to current weeks, smallest largest group (:func:`_balance`: the seats above
a proven bound). :func:`admit` and :func:`reassign` put changes before
preferences; :func:`admit` widens its search step by step. The solver starts from the
first fit (or the previous result), so it never places fewer clients than a
first fit in admission order.

What "optimal" means: proven best over the candidate weeks, not over every
week each client could take (that model, one variable per client, day and
way to fill the day, is exact but too large to solve in seconds for a
program's census). A client who can take at most 12 offerings gets every
week that meets the level as a candidate, so small programs are solved
exactly. :attr:`CensusResult.bound` carries the solver's proven bounds.

Less-than-weekly sessions (a biweekly consult) hold their clinician and room
every week: the census does not know which week each client's cadence
counts from.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import pendulum

from careplan._model.census import (
    Assignment,
    Census,
    CensusChange,
    CensusClient,
    CensusObjective,
    CensusResult,
    Placement,
    Room,
    Roster,
    SolverStatus,
    Staff,
    Unplaced,
)
from careplan._model.constraints import LifeConstraints
from careplan._model.errors import InvalidValueError, MissingExtraError
from careplan._model.kinds import TreatmentTrack
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.program import Offering, Program
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import weekday_name
from careplan._operations.planner import (
    Infeasible,
    WeekBounds,
    _allowed,
    _day_options,
    _DayOption,
    _reasons,
    feasible,
    plan_week,
)

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

__all__ = ["admit", "reassign", "schedule_census"]

_log = logging.getLogger(__name__)


def _solver_module() -> Any:
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise MissingExtraError("census scheduling", "ortools", "census") from None
    return cp_model


# --- candidate weeks ------------------------------------------------------------------

#: A client who can take at most this many offerings gets every feasible week
#: as a candidate (2**12 subsets at most), so small instances are exact.
_ALL_WEEKS_UP_TO = 12
#: Candidate weeks drawn for each client (at most; fewer when fewer exist).
_RUNS_PER_STREAM = 4
_RUNS_FREE = 8
#: A preference conflict weighs as much as reusing this many offerings
#: already in the client's earlier candidates (diversity against preference).
_CONFLICT_WEIGHT = 4

_Signature = tuple[int, int, int, int, bool]  # light, heavy, average, covers, any


@attrs.frozen
class _Week:
    """One candidate week: the offerings taken and their preference conflicts."""

    offerings: tuple[Offering, ...]
    conflicts: int

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(o.id for o in self.offerings))


@attrs.frozen
class _Candidates:
    """A client's candidate weeks; ``weeks`` is empty when no week meets the level."""

    client: CensusClient
    weeks: tuple[_Week, ...]


def _signature(option: _DayOption) -> _Signature:
    return (option.light, option.heavy, option.average, option.covers, bool(option.offerings))


def _stream(offering: Offering) -> tuple[str, str] | None:
    """The stream a group day belongs to: its track and modality (``None`` for a slot)."""
    if offering.track is None:
        return None
    return (offering.track.label, offering.sessions[0].modality.kind)


# A state of the week being filled: (days, light, heavy, average, covered mask).
_State = tuple[int, int, int, int, int]
# The week's paths as layers of edges (from-state index, signature, to-state index).
_Layer = list[tuple[int, _Signature, int]]


def _paths(bounds: WeekBounds, signatures: Sequence[Sequence[_Signature]]) -> list[_Layer]:
    """Every way through the week, a signature a day, whose totals meet ``bounds``.

    The planner's state space: states that pass a maximum or cannot reach a
    minimum are dropped going forward, states that reach no admitted week
    going back. What is left is small and shared by every draw below.
    """
    reach_days = [0] * 8
    reach_light = [0] * 8
    reach_covers = [0] * 8
    for day in range(6, -1, -1):
        sigs = signatures[day]
        reach_days[day] = reach_days[day + 1] + (1 if any(s[4] for s in sigs) else 0)
        reach_light[day] = reach_light[day + 1] + max((s[0] for s in sigs), default=0)
        covered = 0
        for sig in sigs:
            covered |= sig[3]
        reach_covers[day] = reach_covers[day + 1] | covered
    if bounds.max_days < bounds.min_days:
        return []
    states: list[list[_State]] = [[(0, 0, 0, 0, 0)]]
    layers: list[_Layer] = []
    for day in range(7):
        index: dict[_State, int] = {}
        layer: _Layer = []
        for position, (days, light, heavy, average, covers) in enumerate(states[day]):
            for sig in signatures[day]:
                state = (
                    days + sig[4],
                    light + sig[0],
                    heavy + sig[1],
                    average + sig[2],
                    covers | sig[3],
                )
                if (
                    state[0] > bounds.max_days
                    or state[1] > bounds.max_minutes
                    or state[2] > bounds.max_minutes
                    or state[0] + reach_days[day + 1] < bounds.min_days
                    or state[1] + reach_light[day + 1] < bounds.min_minutes
                    or (state[4] | reach_covers[day + 1]) != bounds.required
                ):
                    continue
                layer.append((position, sig, index.setdefault(state, len(index))))
        states.append(list(index))
        layers.append(layer)
    alive = {i for i, state in enumerate(states[7]) if bounds.admits(*state)}
    for day in range(6, -1, -1):
        layers[day] = [edge for edge in layers[day] if edge[2] in alive]
        alive = {edge[0] for edge in layers[day]}
    return layers if alive else []


_Member = tuple[_DayOption, tuple[str, ...], frozenset[Any]]  # option, its ids, its streams


@attrs.frozen(eq=False)
class _Space:
    """Every week a client may take, compactly: the day options and the paths through them."""

    classes: tuple[Mapping[_Signature, tuple[_Member, ...]], ...]  # per weekday
    layers: tuple[_Layer, ...]
    streams: tuple[tuple[str, str], ...]

    def best(
        self,
        stream: tuple[str, str] | None,
        weight: int,
        penalty: Mapping[str, int],
        blocked: frozenset[str] = frozenset(),
    ) -> _Week | None:
        """The cheapest week: conflicts times ``weight`` plus each offering's ``penalty``.

        Only group days of ``stream`` (when given) and no ``blocked`` offering.
        """
        cheapest: list[dict[_Signature, tuple[int, tuple[str, ...], _DayOption]]] = []
        for grouped in self.classes:
            options: dict[_Signature, tuple[int, tuple[str, ...], _DayOption]] = {}
            for sig, members in grouped.items():
                for option, ids, streams_of in members:
                    if stream is not None and streams_of and streams_of != {stream}:
                        continue
                    if blocked and not blocked.isdisjoint(ids):
                        continue
                    cost = option.cost[0] * weight
                    for oid in ids:
                        cost += penalty.get(oid, 0)
                    kept = options.get(sig)
                    if kept is None or (cost, ids) < kept[:2]:
                        options[sig] = (cost, ids, option)
            cheapest.append(options)
        reached: dict[int, tuple[int, tuple[_DayOption, ...]]] = {0: (0, ())}
        for day, layer in enumerate(self.layers):
            following: dict[int, tuple[int, tuple[_DayOption, ...]]] = {}
            choice = cheapest[day]
            for source, sig, target in layer:
                here = reached.get(source)
                got = choice.get(sig)
                if here is None or got is None:
                    continue
                total = here[0] + got[0]
                best = following.get(target)
                if best is None or total < best[0]:
                    following[target] = (total, (*here[1], got[2]))
            reached = following
        if not reached:
            return None
        _, picked = min(reached.values(), key=lambda value: value[0])
        offerings = tuple(o for option in picked for o in option.offerings)
        return _Week(offerings, sum(option.cost[0] for option in picked))

    def draw(
        self,
        found: dict[tuple[str, ...], _Week],
        stream: tuple[str, str] | None,
        weight: int,
        penalty: dict[str, int],
        blocked: frozenset[str] = frozenset(),
    ) -> None:
        """Add the cheapest week to ``found`` and make its offerings dearer next time."""
        week = self.best(stream, weight, penalty, blocked)
        if week is None:
            return
        found.setdefault(week.ids, week)
        for offering in week.offerings:
            penalty[offering.id] = penalty.get(offering.id, 0) + 1


@functools.lru_cache(maxsize=1024)
def _space(
    program: Program,
    level: LevelOfCare,
    continuum: Continuum | None,
    constraints: LifeConstraints,
    tracks: tuple[TreatmentTrack, ...],
) -> _Space:
    allowed = _allowed(program, constraints, tracks)
    bounds = WeekBounds.of(level, continuum, constraints)
    classes: list[dict[_Signature, tuple[_Member, ...]]] = []
    for day in pendulum.WeekDay:
        grouped: dict[_Signature, list[_Member]] = {}
        for option in _day_options(
            level, constraints, [o for o in allowed if o.weekday == day], "fit", merge=False
        ):
            streams_of = frozenset(_stream(o) for o in option.offerings) - {None}
            ids = tuple(o.id for o in option.offerings)
            grouped.setdefault(_signature(option), []).append((option, ids, streams_of))
        classes.append({sig: tuple(members) for sig, members in grouped.items()})
    layers = _paths(bounds, [sorted(c) for c in classes])
    streams = sorted({s for o in allowed if (s := _stream(o)) is not None})
    return _Space(tuple(classes), tuple(layers), tuple(streams))


@functools.lru_cache(maxsize=1024)
def _weeks(
    program: Program,
    level: LevelOfCare,
    continuum: Continuum | None,
    constraints: LifeConstraints,
    tracks: tuple[TreatmentTrack, ...],
) -> tuple[_Week, ...]:
    """A client's candidate weeks, best first; empty when no week meets the level.

    The first is the planner's fewest-conflict week (exact: every way to fill
    each day, grouped by what it adds to the week's totals, through every
    path of totals that meets :class:`WeekBounds`). The others are the best
    weeks when offerings already in earlier candidates cost a little
    (diversity: other slots, other days), first within each stream (a track
    in one modality), then across streams.
    """
    space = _space(program, level, continuum, constraints, tracks)
    if not space.layers:
        return ()
    found: dict[tuple[str, ...], _Week] = {}
    penalty: dict[str, int] = {}
    space.draw(found, None, 1, penalty)  # the fewest conflicts: the planner's optimum
    for stream in space.streams:
        penalty.clear()
        for _ in range(_RUNS_PER_STREAM):
            space.draw(found, stream, _CONFLICT_WEIGHT, penalty)
    penalty.clear()
    for _ in range(_RUNS_FREE):
        space.draw(found, None, _CONFLICT_WEIGHT, penalty)
    return tuple(found.values())


def _any_week(census: Census, client: CensusClient, blocked: frozenset[str]) -> bool:
    """Whether some week of ``client`` meets the level with no ``blocked`` offering.

    What ``bool(_fitting(census, client, blocked, streams=False))`` says, for
    the relaxed clients of an explanation ("attend virtually"), each asked
    once: instead of every way through each day, cached, the walk leaves
    the blocked offerings out from the start, and only the day options'
    totals are kept.
    """
    continuum = census.levels if client.level in census.levels else None
    constraints = client.constraints
    allowed = [
        o
        for o in _allowed(census.program, constraints, tuple(client.tracks))
        if o.id not in blocked
    ]
    bounds = WeekBounds.of(client.level, continuum, constraints)
    signatures = [
        sorted(
            {
                _signature(option)
                for option in _day_options(
                    client.level, constraints, [o for o in allowed if o.weekday == day], "fit"
                )
            }
        )
        for day in pendulum.WeekDay
    ]
    return bool(_paths(bounds, signatures))


def _fitting(
    census: Census, client: CensusClient, blocked: frozenset[str], *, streams: bool = True
) -> list[_Week]:
    """Weeks of ``client`` that use no ``blocked`` offering: the best, and one per stream."""
    continuum = census.levels if client.level in census.levels else None
    space = _space(
        census.program, client.level, continuum, client.constraints, tuple(client.tracks)
    )
    if not space.layers:
        return []
    found: dict[tuple[str, ...], _Week] = {}
    space.draw(found, None, 1, {}, blocked)
    for stream in space.streams if streams else ():
        space.draw(found, stream, 1, {}, blocked)
    return list(found.values())


@functools.lru_cache(maxsize=1024)
def _allowed_offerings(
    program: Program, constraints: LifeConstraints, tracks: tuple[TreatmentTrack, ...]
) -> tuple[Offering, ...]:
    """The offerings a client may take at all (the planner's ``_allowed``), once per client."""
    return tuple(_allowed(program, constraints, tracks))


def _every_week(
    census: Census, client: CensusClient, continuum: Continuum | None
) -> list[_Week] | None:
    """Every week of the client's allowed offerings that meets the level, or
    ``None`` when there are too many offerings to try them all."""
    allowed = _allowed_offerings(census.program, client.constraints, tuple(client.tracks))
    if len(allowed) > _ALL_WEEKS_UP_TO:
        return None
    return list(
        _all_weeks(
            census.program, client.level, continuum, client.constraints, tuple(client.tracks)
        )
    )


@functools.lru_cache(maxsize=1024)
def _all_weeks(
    program: Program,
    level: LevelOfCare,
    continuum: Continuum | None,
    constraints: LifeConstraints,
    tracks: tuple[TreatmentTrack, ...],
) -> tuple[_Week, ...]:
    """Every week that meets the level, fewest conflicts first: every path of
    :func:`_paths` with every way to fill each of its days (the weeks
    :func:`careplan.feasible` accepts, without trying every subset)."""
    space = _space(program, level, continuum, constraints, tracks)
    found: list[_Week] = []

    def walk(day: int, state: int, picked: tuple[_DayOption, ...]) -> None:
        if day == len(space.layers):
            offerings = tuple(
                sorted((o for option in picked for o in option.offerings), key=lambda o: o.id)
            )
            found.append(_Week(offerings, sum(option.cost[0] for option in picked)))
            return
        for source, sig, target in space.layers[day]:
            if source == state:
                for option, _, _ in space.classes[day][sig]:
                    walk(day + 1, target, (*picked, option))

    if space.layers:
        walk(0, 0, ())
    return tuple(sorted(found, key=lambda w: (w.conflicts, w.ids)))


def _candidates(census: Census, client: CensusClient) -> _Candidates:
    continuum = census.levels if client.level in census.levels else None
    every = _every_week(census, client, continuum)
    weeks = (
        list(
            _weeks(
                census.program, client.level, continuum, client.constraints, tuple(client.tracks)
            )
        )
        if every is None
        else every
    )
    if client.current is not None and weeks:
        # The current week is always a candidate when it still meets the level.
        taken = tuple(sorted(_offerings_of(census, client.current), key=lambda o: o.id))
        ids = tuple(o.id for o in taken)
        if taken and all(w.ids != ids for w in weeks):
            allowed = {
                o.id
                for o in _allowed_offerings(
                    census.program, client.constraints, tuple(client.tracks)
                )
            }
            schedule = WeeklySchedule(
                census.program.timezone, [s for o in taken for s in o.sessions]
            )
            if set(ids) <= allowed and feasible(
                schedule, client.level, client.constraints, continuum=continuum
            ):
                conflicts = sum(client.constraints.conflicts(s) for s in schedule.sessions)
                weeks.append(_Week(taken, conflicts))
    return _Candidates(client, tuple(weeks))


def _offerings_of(census: Census, schedule: WeeklySchedule) -> list[Offering]:
    ids = {s.id for s in schedule.sessions}
    return [o for o in census.program.offerings() if all(s.id in ids for s in o.sessions)]


def _day_ids(offerings: Iterable[Offering]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for offering in offerings:
        found.setdefault(int(offering.weekday), []).append(offering.id)
    return {day: tuple(sorted(ids)) for day, ids in found.items()}


# --- the model ----------------------------------------------------------------------


_Holder = TypeVar("_Holder", Staff, Room)


def _pools(
    holders: Sequence[_Holder], alike: Callable[[_Holder], Hashable], pooled: bool
) -> dict[str, tuple[_Holder, ...]]:
    """``holders`` in pools of those ``alike`` (each alone unless ``pooled``),
    named by their first member's id, in the census's order."""
    found: dict[Hashable, list[_Holder]] = {}
    for holder in holders:
        found.setdefault(alike(holder) if pooled else holder.id, []).append(holder)
    return {members[0].id: tuple(members) for members in found.values()}


class _Model:
    """The CP-SAT model of a census; clients in ``fixed`` keep the given offerings.

    Each free client takes one of their candidate weeks or none.
    """

    def __init__(
        self,
        census: Census,
        free: Sequence[_Candidates],
        fixed: Mapping[str, frozenset[str]],
        previous_staff: frozenset[tuple[str, str]],
    ) -> None:
        cp = _solver_module()
        self.cp = cp
        self.census = census
        model: cp_model.CpModel = cp.CpModel()
        self.model = model
        self.choices = list(free)
        self.placed: dict[str, Any] = {}
        uses: dict[str, list[Any]] = {}
        conflicts: list[tuple[Any, int]] = []
        changes: list[tuple[Any, int]] = []
        constant_changes = 0
        for choice in self.choices:
            client = choice.client
            cid = client.id
            placed = model.new_bool_var(f"placed[{cid}]")
            self.placed[cid] = placed
            picks = [model.new_bool_var(f"w[{cid},{k}]") for k in range(len(choice.weeks))]
            model.add(sum(picks) == placed)
            if not picks:
                model.add(placed == 0)
            current = (
                _day_ids(_offerings_of(census, client.current))
                if client.current is not None
                else None
            )
            if current is not None:
                # Changes: the weekdays whose offerings differ from the current week;
                # not placed, every current day is lost.
                constant_changes += len(current)
                changes.append((placed, -len(current)))
            for var, week in zip(picks, choice.weeks, strict=True):
                for offering in week.offerings:
                    uses.setdefault(offering.id, []).append(var)
                if week.conflicts:
                    conflicts.append((var, week.conflicts))
                if current is not None:
                    now = _day_ids(week.offerings)
                    differ = sum(1 for d in range(7) if now.get(d) != current.get(d))
                    if differ:
                        changes.append((var, differ))
        counts_fixed: dict[str, int] = {}
        for offerings in fixed.values():
            for oid in offerings:
                counts_fixed[oid] = counts_fixed.get(oid, 0) + 1
        everyone = len(free) + len(fixed)
        self.count: dict[str, Any] = {}
        # Clinicians alike in credentials and hours (and with no caseload cap),
        # and rooms alike in seats and closures, are pooled: the model counts
        # how many of a pool each session takes, which removes the symmetry
        # of which of them it is; :meth:`holders` names them afterwards.
        # With earlier clinicians to keep, everyone is a pool of their own.
        pooled = not previous_staff
        self.staff_pools = _pools(
            census.staff,
            lambda s: (s.credentials, s.hours, s.absent) if s.max_caseload is None else s.id,
            pooled,
        )
        self.room_pools = _pools(census.rooms, lambda r: (r.capacity, r.closed), pooled)
        self.lead: dict[tuple[str, str], Any] = {}  # (offering, staff pool) -> how many
        self.room: dict[tuple[str, str], Any] = {}  # (offering, room pool) -> how many
        staff_busy: dict[tuple[str, int], list[tuple[int, int, Any]]] = {}
        room_busy: dict[tuple[str, int], list[tuple[int, int, Any]]] = {}
        caseload: dict[str, list[Any]] = {}
        largest = model.new_int_var(0, max(everyone, 0), "largest")
        attendance: list[Any] = []
        for offering in census.program.offerings():
            users = uses.get(offering.id, [])
            constant = counts_fixed.get(offering.id, 0)
            if not users and not constant:
                continue
            # One variable per offering's head count: the constraints below read
            # it instead of repeating the sum over clients' weeks.
            most = len(users) + constant
            count = model.new_int_var(0, most, f"count[{offering.id}]")
            model.add(count == sum(users) + constant)
            self.count[offering.id] = count
            day = int(offering.weekday)
            span = (offering.start_minute, offering.end_minute)
            in_person = offering.sessions[0].modality.kind == "in_person"
            needs = self._needs(offering)
            qualified = {
                key: sum(1 for s in members if s.works(offering.weekday, *span))
                for key, members in self.staff_pools.items()
                if needs <= set(members[0].credentials)
            }
            open_rooms = {
                key: len(members)
                for key, members in self.room_pools.items()
                if offering.weekday not in members[0].closed
            }
            group = offering.is_group
            if group:
                assert offering.track is not None
                used = model.new_bool_var(f"runs[{offering.id}]")
                cap = offering.track.capacity or everyone
                model.add(count <= cap * used)
                model.add(count >= used)
                model.add(largest >= count)
                attendance.append(count)
                demand = used
            else:
                demand = count
            if needs and census.staff:
                leads = []
                for key, size in qualified.items():
                    if not size:
                        continue
                    top = 1 if group else min(size, most)
                    var = model.new_int_var(0, top, f"lead[{offering.id},{key}]")
                    self.lead[offering.id, key] = var
                    staff_busy.setdefault((key, day), []).append((*span, var))
                    if not group:
                        caseload.setdefault(key, []).append(var)
                    leads.append(var)
                model.add(sum(leads) == demand)
            if in_person and census.rooms:
                held = []
                seats = []
                for key, size in open_rooms.items():
                    top = 1 if group else min(size, most)
                    var = model.new_int_var(0, top, f"room[{offering.id},{key}]")
                    self.room[offering.id, key] = var
                    room_busy.setdefault((key, day), []).append((*span, var))
                    held.append(var)
                    seats.append(self.room_pools[key][0].capacity * var)
                model.add(sum(held) == demand)
                if group:
                    model.add(count <= sum(seats))
        for pools, busy in ((self.staff_pools, staff_busy), (self.room_pools, room_busy)):
            for (key, _), items in busy.items():
                size = len(pools[key])
                for moment in sorted({begin for begin, _, _ in items}):
                    at = [var for begin, end, var in items if begin <= moment < end]
                    if len(at) > 1:
                        model.add(sum(at) <= size)
        for person in census.staff:
            if person.max_caseload is not None and caseload.get(person.id):
                model.add(sum(caseload[person.id]) <= person.max_caseload)
        for oid, sid in sorted(previous_staff):
            lead = self.lead.get((oid, sid))
            if lead is None:
                constant_changes += 1
            else:
                changes.append((lead, -1))
                constant_changes += 1
        if attendance:
            # The largest group is at least the average one: a bound for the solver.
            model.add(largest * len(attendance) >= sum(attendance))
        self.largest = largest
        self.attendance = attendance  # the head count of each group
        self.everyone = everyone
        self.stages: tuple[str, ...] = ()  # the stages last solved, in order
        self.objective_terms = {
            "placed": _linear([(v, 1) for v in self.placed.values()]),
            "priority": self._priority(),
            "conflicts": _linear(conflicts),
            "changes": _linear(changes, constant_changes),
            "balance": largest,
        }

    def _needs(self, offering: Offering) -> set[str]:
        return _needs(self.census, offering)

    def holders(self, values: Mapping[str, int]) -> dict[str, tuple[list[str], list[str]]]:
        """The clinicians and rooms of each offering in use, by id, from solver values.

        Members of a pool are handed out by start time, each to the first
        free one: at no moment does a pool give more than it has (the model
        says so), and for intervals that is enough for the hand-out to
        succeed.
        """
        offerings = {o.id: o for o in self.census.program.offerings()}
        found: dict[str, tuple[list[str], list[str]]] = {}
        for which, variables, pools in (
            (0, self.lead, self.staff_pools),
            (1, self.room, self.room_pools),
        ):
            wanted: dict[str, list[tuple[int, int, int, str, int]]] = {}
            for (oid, key), var in variables.items():
                taken = values[var.name]
                if taken:
                    offering = offerings[oid]
                    wanted.setdefault(key, []).append(
                        (
                            int(offering.weekday),
                            offering.start_minute,
                            offering.end_minute,
                            oid,
                            taken,
                        )
                    )
            for key, uses in wanted.items():
                members = [m.id for m in pools[key]]
                until: dict[tuple[str, int], int] = {}  # (member, day) -> busy until
                for day, begin, end, oid, taken in sorted(uses):
                    free = [m for m in members if until.get((m, day), -1) <= begin][:taken]
                    assert len(free) == taken, (key, oid)
                    for member in free:
                        until[member, day] = end
                    found.setdefault(oid, ([], []))[which].extend(free)
        return found

    def _priority(self) -> Any:
        # Earlier admissions weigh more (then by id, so no two weigh alike).
        ranked = sorted(self.choices, key=lambda c: _admission_key(c.client))
        self.weights = {c.client.id: len(ranked) - index for index, c in enumerate(ranked)}
        return _linear([(self.placed[cid], weight) for cid, weight in self.weights.items()])


def _linear(terms: Sequence[tuple[Any, int]], constant: int = 0) -> Any:
    """The sum of weighted terms, or the plain ``constant`` when there are none."""
    if not terms:
        return constant
    cp = _solver_module()
    return cp.LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms]) + constant


def _admission_key(client: CensusClient) -> tuple[bool, pendulum.Date | None, str]:
    return (client.admitted is None, client.admitted, client.id)


# --- solving in stages ----------------------------------------------------------


@attrs.frozen
class _Settings:
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


@attrs.define
class _Budget:
    """What one solve under ``settings`` may still spend: the clock until
    ``deadline`` and the deterministic ``work`` left (``None``: no work limit).

    A run stopped by the work limit stops at the same point on any machine
    and under any load; one stopped by the clock may not.
    """

    settings: _Settings
    deadline: float
    work: float | None

    @classmethod
    def of(cls, settings: _Settings) -> _Budget:
        return cls(settings, time.monotonic() + settings.seconds, settings.work)

    def left(self) -> bool:
        """Whether another solver run is worth starting."""
        return self.deadline - time.monotonic() > 0.05 and (self.work is None or self.work > 0)


@attrs.frozen
class _Solved:
    status: SolverStatus
    values: Mapping[str, int]  # variable name -> value
    objective: tuple[int, ...]
    bound: tuple[int, ...]  # per stage: the best the solver proved possible


def _solve(
    built: _Model,
    stages: Sequence[str],
    budget: _Budget,
    hint: Mapping[str, int] | None = None,
) -> _Solved | None:
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
    variables = [model.get_int_var_from_proto_index(i) for i in range(len(model.proto.variables))]
    if hint:
        for var in variables:
            if var.name in hint:
                model.add_hint(var, hint[var.name])
    for stage in stages:
        expression = built.objective_terms[stage]
        maximise = stage in ("placed", "priority")
        if isinstance(expression, int):
            reached.append(expression)
            bounds.append(expression)
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
            solver, status = _attempt(built, stage, budget)
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
        optimal = optimal and proved
        if proved:
            model.add(expression == value)
        elif maximise:
            model.add(expression >= value)
        else:
            model.add(expression <= value)
        values = got
        _hint_all(built, variables, values)
    if values is None:  # every stage was constant: read the hint back
        values = {var.name: int(hint.get(var.name, 0)) if hint else 0 for var in variables}
    return _Solved("optimal" if optimal else "feasible", values, tuple(reached), tuple(bounds))


def _hint_all(built: _Model, variables: Sequence[Any], values: Mapping[str, int]) -> None:
    """Hint the solver with ``values`` (variable name to value), instead of earlier hints."""
    built.model.clear_hints()  # type: ignore[no-untyped-call]
    for var in variables:
        built.model.add_hint(var, values[var.name])


def _attempt(
    built: _Model,
    stage: str,
    budget: _Budget,
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


def _balance(built: _Model, budget: _Budget) -> tuple[bool, int, int, dict[str, int]] | None:
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
    solver, status = _attempt(built, "balance", budget, _BALANCE_FIRST)
    model.clear_objective()  # type: ignore[no-untyped-call]
    if status not in (cp.OPTIMAL, cp.FEASIBLE):
        return None
    values = {var.name: int(solver.value(var)) for var in variables}
    upper = max(values[var.name] for var in built.attendance)
    lower = round(solver.best_objective_bound)
    target = lower
    while target < upper and budget.left():
        excess = []
        _hint_all(built, variables, values)
        for count in built.attendance:
            over = model.new_int_var(0, built.everyone, f"over[{count.name},{target}]")
            model.add(over >= count - target)
            model.add_hint(over, max(0, values[count.name] - target))
            excess.append(over)
        model.minimize(sum(excess))
        solver, status = _attempt(built, f"balance at {target}", budget)
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


class _Bookings:
    """Seats, clinicians and rooms taken so far: who else fits, and a week booked.

    Clinicians and rooms go first come, first served. :func:`_run` starts
    the solver from the weeks of a first fit in admission order booked
    here, so it never places fewer clients than that.
    """

    def __init__(self, census: Census) -> None:
        self.census = census
        self.count: dict[str, int] = {}
        self.cap: dict[str, int] = {}  # a running group's seats (track and room)
        self.busy: dict[tuple[str, int], list[tuple[int, int]]] = {}
        self.load: dict[str, int] = {}
        self.staff: dict[str, list[str]] = {}  # offering -> clinicians (one per client in a slot)
        self.rooms: dict[str, list[str]] = {}

    @classmethod
    def of(cls, result: CensusResult, without: frozenset[str] = frozenset()) -> _Bookings:
        """The bookings of ``result``, but for the clients in ``without``."""
        booked = cls(result.census)
        offerings = {o.id: o for o in result.census.program.offerings()}
        for placement in result.placements:
            if placement.client.id in without:
                continue
            for oid in placement.offerings:
                offering = offerings[oid]
                if oid in booked.cap:  # a running group: one more seat
                    booked.count[oid] += 1
                    continue
                made = placement.assignment(offering.sessions[0].id)
                booked._hold(
                    offering,
                    [made.staff] if made.staff else [],
                    [made.room] if made.room else [],
                    1,
                )
        return booked

    def _free(self, holder: str, offering: Offering) -> bool:
        begin, end = offering.start_minute, offering.end_minute
        return all(
            end <= b or e <= begin for b, e in self.busy.get((holder, int(offering.weekday)), [])
        )

    def _clinician(self, offering: Offering) -> str | None:
        """A free qualified clinician ("" when none is needed), or ``None``."""
        census = self.census
        needs = _needs(census, offering)
        if not needs or not census.staff:
            return ""
        for person in census.staff:
            if (
                needs <= set(person.credentials)
                and person.works(offering.weekday, offering.start_minute, offering.end_minute)
                and self._free(person.id, offering)
                and (
                    offering.is_group
                    or person.max_caseload is None
                    or self.load.get(person.id, 0) < person.max_caseload
                )
            ):
                return person.id
        return None

    def _room(self, offering: Offering) -> str | None:
        """A free room ("" when none is needed), or ``None``."""
        census = self.census
        if offering.sessions[0].modality.kind != "in_person" or not census.rooms:
            return ""
        for room in census.rooms:
            if offering.weekday not in room.closed and self._free(room.id, offering):
                return room.id
        return None

    def blocked(self) -> frozenset[str]:
        """The offerings one more client could not join."""
        found = set()
        for offering in self.census.program.offerings():
            if offering.id in self.cap:
                if self.count[offering.id] >= self.cap[offering.id]:
                    found.add(offering.id)
            elif self._clinician(offering) is None or self._room(offering) is None:
                found.add(offering.id)
        return frozenset(found)

    def book(self, week: _Week) -> None:
        """Take ``week``'s seats, clinicians and rooms (it must fit)."""
        for offering in week.offerings:
            if offering.id in self.cap:
                self.count[offering.id] += 1
                continue
            person, room = self._clinician(offering), self._room(offering)
            self._hold(offering, [person] if person else [], [room] if room else [], 1)

    def _hold(self, offering: Offering, staff: list[str], rooms: list[str], count: int) -> None:
        day = int(offering.weekday)
        for holder in (*staff, *rooms):
            self.busy.setdefault((holder, day), []).append(
                (offering.start_minute, offering.end_minute)
            )
        self.staff.setdefault(offering.id, []).extend(staff)
        self.rooms.setdefault(offering.id, []).extend(rooms)
        self.count[offering.id] = self.count.get(offering.id, 0) + count
        if offering.is_group:
            assert offering.track is not None
            seats = [r.capacity for r in self.census.rooms if r.id in rooms]
            limits = [c for c in (offering.track.capacity, *seats) if c]
            self.cap[offering.id] = min(limits) if limits else len(self.census.clients) + 1
        else:
            for person in staff:
                self.load[person] = self.load.get(person, 0) + 1


def _hint(built: _Model, weeks: Mapping[str, tuple[str, ...]], booked: _Bookings) -> dict[str, int]:
    """Solver values for clients in the weeks ``weeks`` (ids) with ``booked``'s staff and rooms."""
    hint: dict[str, int] = {}
    for choice in built.choices:
        cid = choice.client.id
        wanted = weeks.get(cid)
        hint[f"placed[{cid}]"] = 0
        for index, week in enumerate(choice.weeks):
            chosen = wanted is not None and week.ids == wanted
            hint[f"w[{cid},{index}]"] = int(chosen)
            if chosen:
                hint[f"placed[{cid}]"] = 1
    largest = 0
    for oid, count in booked.count.items():
        hint[f"count[{oid}]"] = count
        hint[f"runs[{oid}]"] = int(count > 0)
        if oid in booked.cap:
            largest = max(largest, count)
    for variables, pools, held in (
        (built.lead, built.staff_pools, booked.staff),
        (built.room, built.room_pools, booked.rooms),
    ):
        for (oid, key), var in variables.items():
            members = {m.id for m in pools[key]}
            hint[var.name] = sum(1 for h in held.get(oid, ()) if h in members)
    hint["largest"] = largest
    return hint


# --- from solver values to a result ----------------------------------------------------


def _result(
    census: Census,
    built: _Model,
    solved: _Solved,
    fixed: Mapping[str, frozenset[str]],
    previous: CensusResult | None,
    *,
    explain: bool = True,
) -> CensusResult:
    values = solved.values
    offerings = {o.id: o for o in census.program.offerings()}
    taken: dict[str, list[str]] = {}
    for choice in built.choices:
        cid = choice.client.id
        if not values[f"placed[{cid}]"]:
            continue
        for index, week in enumerate(choice.weeks):
            if values[f"w[{cid},{index}]"]:
                taken[cid] = [o.id for o in week.offerings]
    for cid, ids in fixed.items():
        taken[cid] = sorted(ids)
    members: dict[str, list[str]] = {}
    for cid in sorted(taken):
        for oid in taken[cid]:
            members.setdefault(oid, []).append(cid)
    earlier = _previous_staff(previous)
    holders = built.holders(values)
    assignment: dict[tuple[str, str], Assignment] = {}  # (client, offering) -> who and where
    rosters = []
    for oid, clients in sorted(
        members.items(),
        key=lambda kv: (offerings[kv[0]].weekday, offerings[kv[0]].start_minute, kv[0]),
    ):
        offering = offerings[oid]
        leads, rooms = (sorted(h) for h in holders.get(oid, ([], [])))
        if offering.is_group:
            assert offering.track is not None
            for cid in clients:
                assignment[cid, oid] = Assignment(
                    oid, leads[0] if leads else None, rooms[0] if rooms else None
                )
            rosters.append(
                Roster(
                    oid,
                    f"{offering.track.label} ({_modality_word(offering)})",
                    offering.weekday,
                    offering.sessions[0].start,
                    offering.sessions[-1].end,
                    offering.sessions[0].modality.kind,
                    offering.sessions[0].kind,
                    True,
                    tuple(clients),
                    tuple(leads[:1]),
                    tuple(rooms[:1]),
                    offering.track.capacity,
                )
            )
            continue
        # Who sees whom in a slot: the clinician a client had before, else in order.
        free_leads = list(leads)
        paired: dict[str, str | None] = {}
        for cid in clients:
            before = earlier.get((cid, oid))
            if before in free_leads:
                paired[cid] = before
                free_leads.remove(before)
        for cid in clients:
            if cid not in paired:
                paired[cid] = free_leads.pop(0) if free_leads else None
        free_rooms = list(rooms)
        session = offering.sessions[0]
        for cid in clients:
            assignment[cid, oid] = Assignment(
                session.id, paired[cid], free_rooms.pop(0) if free_rooms else None
            )
        rosters.append(
            Roster(
                oid,
                session.display_title,
                offering.weekday,
                session.start,
                session.end,
                session.modality.kind,
                session.kind,
                False,
                tuple(clients),
                tuple(p for p in (paired[c] for c in clients) if p is not None),
                tuple(r for r in (assignment[c, oid].room for c in clients) if r is not None),
            )
        )
    placements = []
    for client in census.clients:
        if client.id not in taken:
            continue
        picked = [offerings[oid] for oid in taken[client.id]]
        sessions = sorted(
            (s for o in picked for s in o.sessions), key=lambda s: (s.weekday, s.start_minute, s.id)
        )
        schedule = WeeklySchedule(census.program.timezone, sessions)
        details = []
        for offering in picked:
            made = assignment[client.id, offering.id]
            for s in offering.sessions:
                details.append(Assignment(s.id, made.staff, made.room))
        placements.append(
            Placement(
                client,
                schedule,
                tuple(o.id for o in picked),
                tuple(details),
                sum(client.constraints.conflicts(s) for s in sessions),
            )
        )
    result = CensusResult(
        census,
        solved.status,
        CensusObjective(
            len(placements),
            sum(p.preference_conflicts for p in placements),
            _changes_count(census, placements, previous),
            max((len(r.clients) for r in rosters if r.group), default=0),
        ),
        tuple(placements),
        (),
        tuple(rosters),
    )
    proved = dict(zip(built.stages, solved.bound, strict=False))
    found = result.objective
    # The solver counts the free clients only; those held fixed add theirs.
    held = [p for p in placements if p.client.id in fixed]
    bound = CensusObjective(
        proved.get("placed", found.placed - len(held)) + len(held),
        proved.get(
            "conflicts", found.preference_conflicts - sum(p.preference_conflicts for p in held)
        )
        + sum(p.preference_conflicts for p in held),
        proved.get("changes", found.changes),
        proved.get("balance", found.largest_group),
    )
    result = attrs.evolve(result, changes=_changes(census, result, previous), bound=bound)
    return _explained(result) if explain else result


def _explained(result: CensusResult) -> CensusResult:
    """``result`` with each client it leaves unplaced explained, by waitlist position."""
    placed = {p.client.id for p in result.placements}
    left = sorted((c for c in result.census.clients if c.id not in placed), key=_admission_key)
    blocked = _Bookings.of(result).blocked()
    return attrs.evolve(
        result,
        unplaced=tuple(
            _explain(result, client, position, blocked)
            for position, client in enumerate(left, start=1)
        ),
    )


def _modality_word(offering: Offering) -> str:
    return "virtual" if offering.sessions[0].modality.is_virtual else "in person"


def _previous_staff(previous: CensusResult | None) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    if previous is None:
        return found
    for roster in previous.rosters:
        if not roster.group:
            for cid, sid in zip(roster.clients, roster.staff, strict=False):
                found[cid, roster.offering] = sid
    return found


def _before(census: Census, previous: CensusResult | None) -> dict[str, tuple[str, ...]]:
    """Each client's offerings before: from the previous result, else their current week."""
    if previous is not None:
        return {p.client.id: tuple(sorted(p.offerings)) for p in previous.placements}
    return {
        c.id: tuple(sorted(o.id for o in _offerings_of(census, c.current)))
        for c in census.clients
        if c.current is not None
    }


def _by_day(census: Census, offering_ids: Iterable[str]) -> dict[int, tuple[str, ...]]:
    offerings = {o.id: o for o in census.program.offerings()}
    found: dict[int, list[str]] = {}
    for oid in offering_ids:
        found.setdefault(int(offerings[oid].weekday), []).append(oid)
    return {day: tuple(sorted(ids)) for day, ids in found.items()}


def _changes_count(
    census: Census, placements: Sequence[Placement], previous: CensusResult | None
) -> int:
    """Client-days whose offerings differ from before (the "changes" the solver counts)."""
    before = _before(census, previous)
    total = 0
    for placement in placements:
        if placement.client.id in before:
            old = _by_day(census, before[placement.client.id])
            new = _by_day(census, placement.offerings)
            total += sum(1 for day in range(7) if old.get(day) != new.get(day))
    return total


def _changes(
    census: Census, result: CensusResult, previous: CensusResult | None
) -> tuple[CensusChange, ...]:
    before = _before(census, previous)
    staff_before = _previous_staff(previous)
    found = []
    for client in census.clients:
        placement = result.placement(client.id)
        old = before.get(client.id)
        if placement is None:
            if old is not None:
                found.append(CensusChange(client.id, "unplaced", "no longer placed"))
            continue
        if old is None:
            if previous is not None:
                found.append(
                    CensusChange(client.id, "placed", _week_words(census, placement.offerings))
                )
        elif tuple(sorted(placement.offerings)) != old:
            gone = sorted(set(old) - set(placement.offerings))
            added = sorted(set(placement.offerings) - set(old))
            found.append(
                CensusChange(
                    client.id,
                    "moved",
                    f"from {_week_words(census, gone)} to {_week_words(census, added)}",
                )
            )
        else:
            moved = []
            for oid in placement.offerings:
                now = placement.assignment(_first_session(census, oid)).staff
                then = staff_before.get((client.id, oid))
                if then is not None and then != now:
                    moved.append(f"{_week_words(census, [oid])}: {then} → {now}")
            if moved:
                found.append(CensusChange(client.id, "staff", "; ".join(moved)))
    return tuple(found)


def _first_session(census: Census, offering_id: str) -> str:
    for offering in census.program.offerings():
        if offering.id == offering_id:
            return offering.sessions[0].id
    return offering_id


def _when(offering: Offering) -> str:
    day = weekday_name(offering.weekday).capitalize()
    if offering.is_group:
        return f"{day} {offering.sessions[0].day_part.value} group ({_modality_word(offering)})"
    session = offering.sessions[0]
    return f"{session.kind.label.lower()} {day} {session.start:%H:%M}"


def _week_words(census: Census, offering_ids: Iterable[str]) -> str:
    offerings = {o.id: o for o in census.program.offerings()}
    return ", ".join(_when(offerings[o]) for o in offering_ids) or "nothing"


# --- explanations -------------------------------------------------------------------


def _explain(
    result: CensusResult, client: CensusClient, position: int, blocked: frozenset[str]
) -> Unplaced:
    """Why ``client`` is not placed in ``result`` (``blocked``: the offerings
    no one more could join there), and what would place them.

    An alternative is offered when a week of the relaxed client fits around
    everyone as they are, no one else's clinician or room moved: a week that
    fits so fits the census (:func:`admit` may find more by moving them).
    """
    census = result.census
    continuum = census.levels if client.level in census.levels else None
    if not _candidates(census, client).weeks:
        try:
            plan_week(
                census.program,
                client.level,
                client.constraints,
                tracks=client.tracks,
                continuum=continuum,
            )
        except Infeasible as error:
            # Her own week rules the level out, whatever the census holds.
            return Unplaced(
                client,
                error.reasons,
                tuple(a.description for a in error.alternatives),
                position,
            )
    reasons = _reasons(census.program, client.level, client.constraints, client.tracks)[:1]
    allowed = _allowed_offerings(census.program, client.constraints, tuple(client.tracks))
    counts = {r.offering: len(r.clients) for r in result.rosters}
    for offering in allowed:
        if offering.is_group:
            assert offering.track is not None
            cap = offering.track.capacity
            if cap is not None and counts.get(offering.id, 0) >= cap:
                reasons.append(f"the {_when(offering)} is full ({cap} of {cap})")
    by_credential: dict[str, list[Offering]] = {}
    for offering in allowed:
        if not offering.is_group:
            credential = census.credential(offering.sessions[0].kind)
            if credential is not None and any(
                r.kind == offering.sessions[0].kind for r in client.level.required
            ):
                by_credential.setdefault(credential, []).append(offering)
    for credential, slots in sorted(by_credential.items()):
        working = [
            o
            for o in slots
            if any(
                credential in s.credentials and s.works(o.weekday, o.start_minute, o.end_minute)
                for s in census.staff
            )
        ]
        for day in sorted({o.weekday for o in slots} - {o.weekday for o in working}):
            reasons.append(f"no {credential} works {weekday_name(day).capitalize()} at those times")
        booked = [o for o in working if not _someone_free(result, credential, o)]
        if working and len(booked) == len(working):
            times = ", ".join(
                sorted(
                    {
                        f"{weekday_name(o.weekday)[:3].capitalize()} {o.sessions[0].start:%H:%M}"
                        for o in working
                    }
                )
            )
            reasons.append(
                f"every {credential} who works at the times the client's week leaves "
                f"({times}) is booked"
            )
    if len(reasons) == 1:
        reasons.append("the seats, clinicians and rooms the client's week could use are taken")
    alternatives = []
    tries: list[tuple[str, CensusClient]] = []
    if client.tracks:
        tries.append(("another track", attrs.evolve(client, tracks=())))
    if client.constraints.modality == "in_person":
        tries.append(
            (
                "attend virtually",
                attrs.evolve(
                    client, constraints=attrs.evolve(client.constraints, modality="either")
                ),
            )
        )
    below = census.levels.below(client.level) if client.level in census.levels else None
    if below is not None and (not census.program.levels or below.code in census.program.levels):
        tries.append((f"a lower level: {below.name}", attrs.evolve(client, level=below)))
    for description, relaxed in tries:
        if _any_week(census, relaxed, blocked):
            alternatives.append(description)
    alternatives.append(f"waitlist position {position}")
    return Unplaced(client, tuple(reasons), tuple(alternatives), position)


def _someone_free(result: CensusResult, credential: str, slot: Offering) -> bool:
    """Whether a clinician with ``credential`` works at ``slot`` and sees no one then."""
    begin, end = slot.start_minute, slot.end_minute
    busy = {
        holder
        for roster in result.rosters
        if roster.weekday == slot.weekday
        and roster.start.hour * 60 + roster.start.minute < end
        and begin < roster.end.hour * 60 + roster.end.minute
        for holder in roster.staff
    }
    return any(
        credential in s.credentials and s.works(slot.weekday, begin, end) and s.id not in busy
        for s in result.census.staff
    )


# --- public operations -----------------------------------------------------------------


_FRESH = ("placed", "priority", "conflicts", "changes", "balance")
_STABLE = ("placed", "priority", "changes", "conflicts", "balance")


def _check_solver_arguments(
    time_limit: float, work_limit: float | None, seed: int, workers: int
) -> _Settings:
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
    return _Settings(float(time_limit), work, seed, workers)


def _within_limit(found: CensusResult | None, settings: _Settings) -> CensusResult:
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


def _run(
    census: Census,
    stages: Sequence[str],
    *,
    fixed: Mapping[str, frozenset[str]],
    previous: CensusResult | None,
    settings: _Settings,
    around: frozenset[str] | None = None,
    explain: bool = True,
) -> CensusResult | None:
    """Solve ``census`` over candidate weeks, ``stages`` in order.

    Each client's candidates are their diverse best weeks (:func:`_weeks`),
    their current week, and the week a first fit in admission order gives
    them (:class:`_Bookings`). The solver starts from the previous result,
    when there is one, else from that first fit. With ``around`` (client
    ids) it starts from the previous result without those clients, and the
    free clients it leaves without a week are fitted around it. Without
    ``explain`` the unplaced are left for :func:`_explained`.
    """
    budget = _Budget.of(settings)
    free = [c for c in census.clients if c.id not in fixed]
    staff_before = frozenset(
        (r.offering, s) for r in (previous.rosters if previous else ()) for s in set(r.staff)
    )
    pool = {c.id: list(_candidates(census, c).weeks) for c in free}
    start: dict[str, tuple[str, ...]] = {}
    if previous is not None and (not fixed or around is not None):
        gone = around or frozenset()
        booked = _Bookings.of(previous, gone)
        start = {
            p.client.id: tuple(sorted(p.offerings))
            for p in previous.placements
            if p.client.id not in gone
        }
    else:
        booked = _Bookings(census)
        for offerings in fixed.values():
            week = _Week(tuple(o for o in census.program.offerings() if o.id in offerings), 0)
            booked.book(week)
    if not start or around is not None:
        for client in sorted(free, key=_admission_key):
            if not pool[client.id] or client.id in start:
                continue
            fits = _fitting(census, client, booked.blocked(), streams=False)
            if fits:
                booked.book(fits[0])
                start[client.id] = fits[0].ids
                if all(w.ids != fits[0].ids for w in pool[client.id]):
                    pool[client.id].append(fits[0])
    built = _Model(census, [_Candidates(c, tuple(pool[c.id])) for c in free], fixed, staff_before)
    solved = _solve(built, stages, budget, _hint(built, start, booked))
    if solved is None:
        return None
    return _result(census, built, solved, fixed, previous, explain=explain)


def schedule_census(
    census: Census,
    *,
    time_limit: float = 10.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """Assign every client of ``census`` a week with a constraint solver.

    Every placed client's week meets their level by the planner's rules
    (:func:`careplan.feasible` accepts it) and fits their constraints; no
    group is over capacity; no clinician or room is double-booked; one-to-one
    and group sessions have a clinician with the right credential; caseloads
    hold. The objective, in order: most clients placed (then the earlier
    admitted), fewest preference conflicts, fewest changes to clients'
    current weeks, the smallest largest group.

    The solver chooses among candidate weeks for each client (the planner's
    best, diverse good weeks in each track, the current week, and the week a
    first fit in admission order gives): status ``"optimal"`` means proven
    best over those candidates; :attr:`CensusResult.bound` says what the
    solver proved when the time ran out first. It never places fewer
    clients than that first fit.

    Args:
        census: The program, clients, staff and rooms.
        time_limit: Seconds the solver may use in all; past it the best
            week found is returned with status ``"feasible"``.
        work_limit: Optionally, the work the solver may do in all, in
            CP-SAT's deterministic time (about seconds of one core). A run
            the work limit stops ends at the same point on any machine and
            under any load, so with one worker its answer is always the same;
            one the clock stops may differ from run to run. Give a
            ``time_limit`` well above it, as a safety net.
        seed: The solver's random seed.
        workers: Solver threads; 1 (default) gives the same answer for the
            same input every time the solver finishes within the limits (or
            is stopped by ``work_limit``).

    Returns:
        A :class:`CensusResult` with the solver's status.

    Raises:
        MissingExtraError: OR-Tools is not installed (``pip install 'careplan[census]'``).
        InvalidValueError: ``time_limit`` ran out before the solver found any
            assignment (a fraction of a second for sixty clients).
    """
    settings = _check_solver_arguments(time_limit, work_limit, seed, workers)
    found = _run(census, _FRESH, fixed={}, previous=None, settings=settings)
    return _within_limit(found, settings)


def _placed_census(result: CensusResult) -> Census:
    """The census with each placed client's current week set to their placement."""
    weeks = result.schedules()
    clients = [
        attrs.evolve(c, current=weeks[c.id]) if c.id in weeks else c for c in result.census.clients
    ]
    return attrs.evolve(result.census, clients=clients)


#: How many placed clients :func:`admit` may move before it solves the whole census.
_NEIGHBOURHOOD = 12


def _neighbours(census: Census, result: CensusResult, client: CensusClient) -> frozenset[str]:
    """The placed clients whose weeks stand most in ``client``'s way (at most
    :data:`_NEIGHBOURHOOD`): those with the most offerings that are, or overlap
    in time with, an offering of one of ``client``'s candidate weeks."""
    wanted = {o.id: o for week in _candidates(census, client).weeks for o in week.offerings}
    spans: dict[int, list[tuple[int, int]]] = {}
    for offering in wanted.values():
        spans.setdefault(int(offering.weekday), []).append(
            (offering.start_minute, offering.end_minute)
        )
    offerings = {o.id: o for o in census.program.offerings()}
    ranked = []
    for placement in result.placements:
        if placement.client.id == client.id:
            continue
        score = 0
        for oid in placement.offerings:
            offering = offerings[oid]
            if oid in wanted or any(
                offering.start_minute < end and begin < offering.end_minute
                for begin, end in spans.get(int(offering.weekday), ())
            ):
                score += 1
        if score:
            ranked.append((-score, placement.client.id))
    return frozenset(cid for _, cid in sorted(ranked)[:_NEIGHBOURHOOD])


def _place_one(
    result: CensusResult,
    client: CensusClient,
    movable: frozenset[str],
    *,
    settings: _Settings,
) -> CensusResult:
    """``client`` placed with everyone else's week kept but the ``movable``
    clients' (the result says whether the client is placed).

    The model holds only the clients not placed, the newcomer and the
    movable clients (whose current week is one of their candidates, so
    keeping everyone is always possible); clinicians and rooms may be
    reassigned. Changes are counted before preferences.
    """
    census = _placed_census(result).with_client(client)
    fixed = {
        p.client.id: frozenset(p.offerings)
        for p in result.placements
        if p.client.id != client.id and p.client.id not in movable
    }
    found = _run(
        census,
        _STABLE,
        fixed=fixed,
        previous=result,
        settings=settings,
        around=frozenset({client.id}),
        explain=False,
    )
    return _within_limit(found, settings)


def _minute(time: pendulum.Time) -> int:
    return time.hour * 60 + time.minute


def _needs(census: Census, offering: Offering) -> set[str]:
    """The credentials the clinician leading ``offering`` must hold."""
    found = {census.credential(s.kind) for s in offering.sessions}
    return {c for c in found if c is not None}


def _placeable(
    census: Census,
    around: CensusResult,
    client: CensusClient,
    *,
    settings: _Settings,
) -> bool:
    """Whether some choice of everyone's candidate weeks places ``client`` and
    is as good as ``around`` (a census that places it not, and ``client`` in
    it) in most placed, then earlier admitted: ``False`` only when the solver
    proves there is none.

    The model is the one of a fresh census (clinicians and rooms pooled, no
    stability stages): it only asks whether such a week exists.
    """
    offerings = {o.id: o for o in census.program.offerings()}
    choices = []
    for other in census.clients:
        weeks = list(_candidates(census, other).weeks)
        held = around.placement(other.id)
        if held is not None and all(w.ids != tuple(sorted(held.offerings)) for w in weeks):
            weeks.append(_Week(tuple(offerings[oid] for oid in sorted(held.offerings)), 0))
        choices.append(_Candidates(other, tuple(weeks)))
    built = _Model(census, choices, {}, frozenset())
    model = built.model
    placed = [p.client.id for p in around.placements if p.client.id in built.placed]
    model.add(built.placed[client.id] == 1)
    # As good in the objective's first two levels: more placed, or as many
    # and as early admitted. Priorities sum to less than ``scale``, so one
    # linear inequality says it.
    scale = sum(built.weights.values()) + 1
    goal = built.objective_terms["placed"] * scale + built.objective_terms["priority"]
    model.add(goal >= len(placed) * scale + sum(built.weights[cid] for cid in placed))
    # The objective only steers the search (its linear relaxation proves "no"
    # several times faster); the first solution found answers "yes".
    model.maximize(goal)
    budget = _Budget.of(settings)
    # Probing the variables in the presolve took a third of the time the
    # proof of "no" takes on the sample censuses, and shortened nothing.
    _, status = _attempt(built, "admit: placeable", budget, first=True, probe=False)
    return bool(status != built.cp.INFEASIBLE)


def admit(
    result: CensusResult,
    client: CensusClient,
    *,
    time_limit: float = 10.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """Place ``client`` into the census of ``result`` with the least disruption.

    A search that widens only when it must, each step solving a small model
    with the objective in the order most placed (then earlier admitted),
    fewest changes to others' weeks, fewest preference conflicts, balance:

    1. the client is fitted around everyone as they are: no placed client's
       sessions move, only clinicians and rooms may be reassigned (the
       waitlisted may be placed too);
    2. when that fails, one question about the whole census: does any choice
       of everyone's candidate weeks place the client with as many placed, as
       early admitted? When the solver proves not, the client is waitlisted
       and the result of step 1 stands (no one moves);
    3. otherwise the placed clients whose weeks stand most in the client's
       way (at most 12: those holding the most offerings that are, or overlap
       in time with, the client's candidate offerings) may move too;
    4. when that fails too, the whole census is solved again.

    The status of the result is that of the step that made it: ``"optimal"``
    after step 1 or 3 means proven best with everyone else held as they are.
    :attr:`CensusResult.changes` lists every client whose week or clinician
    changed, and anyone unplaced (never silently).

    Args:
        result: The census as it stands.
        client: The new client (an id not in the census, or a replacement).
        time_limit: Seconds the solver may use for each step.
        work_limit: Optionally, the solver's deterministic work for each
            step (see :func:`schedule_census`).
        seed: The solver's random seed.
        workers: Solver threads (1: deterministic).
    """
    settings = _check_solver_arguments(time_limit, work_limit, seed, workers)
    # Nobody else's week moves; then, if moving anyone can help, only the
    # neighbours' weeks; then anyone's.
    found = _place_one(result, client, frozenset(), settings=settings)
    census = _placed_census(result).with_client(client)
    if found.placement(client.id) is not None or not _candidates(census, client).weeks:
        return _explained(found)  # placed, or no week meets the level whatever the census holds
    if not _placeable(census, found, client, settings=settings):
        return _explained(found)  # no one moving, however far, places the client
    movable = _neighbours(census, result, client)
    if movable:
        found = _place_one(result, client, movable, settings=settings)
        if found.placement(client.id) is not None:
            return _explained(found)
    solved = _run(
        census,
        _STABLE,
        fixed={},
        previous=result,
        settings=settings,
    )
    return _within_limit(solved, settings)


def reassign(
    result: CensusResult,
    census: Census,
    *,
    time_limit: float = 10.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """``result`` carried over to a changed ``census``, changing only what it must.

    Use it after a staff absence (:meth:`Census.without_staff`) or a room
    closure (:meth:`Census.close_room`). First every client keeps their
    sessions and only clinicians and rooms move; when that is impossible,
    the census is solved again with changes counted before preferences.
    :attr:`CensusResult.changes` says who changed. ``time_limit`` and
    ``work_limit`` bound each of the two solves (see :func:`schedule_census`).
    """
    settings = _check_solver_arguments(time_limit, work_limit, seed, workers)
    weeks = result.schedules()
    census = attrs.evolve(
        census,
        clients=[
            attrs.evolve(c, current=weeks[c.id]) if c.id in weeks else c for c in census.clients
        ],
    )
    known = {c.id for c in census.clients}
    fixed = {p.client.id: frozenset(p.offerings) for p in result.placements if p.client.id in known}
    kept = (
        _run(
            census,
            ("changes", "balance"),
            fixed=fixed,
            previous=result,
            settings=settings,
        )
        if len(fixed) == len(known)
        else None
    )
    if kept is not None:
        return kept
    found = _run(
        census,
        _STABLE,
        fixed={},
        previous=result,
        settings=settings,
    )
    return _within_limit(found, settings)
