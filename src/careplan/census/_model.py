"""The CP-SAT model of a census: one candidate week per client or none."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import pendulum

from careplan._model.errors import MissingExtraError
from careplan._model.program import Offering, Program
from careplan.census._values import Census, CensusClient, Room, Staff
from careplan.census._weeks import Candidates, day_ids, offerings_of

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

_log = logging.getLogger(__name__)


def solver_module() -> Any:
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise MissingExtraError("census scheduling", "ortools", "census") from None
    return cp_model


# --- the model ----------------------------------------------------------------------


_Holder = TypeVar("_Holder", Staff, Room)


def _pools(
    holders: Sequence[_Holder],
    alike: Callable[[_Holder], Hashable],
    serves: Callable[[_Holder], list[frozenset[int]]],
    pooled: bool,
) -> dict[str, tuple[_Holder, ...]]:
    """``holders`` in pools of those ``alike`` (each alone unless ``pooled``),
    named by their first member's id, in the census's order.

    A holder stands alone too when the offerings it ``serves`` (the weeks of
    the cycle each is held in) mix every-week ones with ones held in some
    weeks only: handing a pool's members out week by week could then give
    a weekly session different members in different weeks.
    """
    found: dict[Hashable, list[_Holder]] = {}
    for holder in holders:
        sizes = {len(weeks) for weeks in serves(holder)}
        alone = not pooled or len(sizes) > 1
        found.setdefault(holder.id if alone else alike(holder), []).append(holder)
    return {members[0].id: tuple(members) for members in found.values()}


def cycle_of(program: Program) -> int:
    """After how many weeks the program's offerings repeat (1 when all are weekly)."""
    return math.lcm(*(s.every_weeks for o in program.offerings() for s in o.sessions))


def held_weeks(program: Program) -> Mapping[str, frozenset[int]]:
    """By offering id, the weeks of the program's cycle (0 to :func:`cycle_of` - 1)
    in which the offering is held."""
    cycle = cycle_of(program)
    return {
        o.id: frozenset(
            week for week in range(cycle) if any(s.held_in_week(week) for s in o.sessions)
        )
        for o in program.offerings()
    }


def at_most_at_once(
    model: Any, items: Sequence[tuple[int, int, Any, frozenset[int]]], size: int, cycle: int
) -> None:
    """At no moment of any week of the ``cycle`` do ``items`` (begin, end, amount, weeks
    held) add up to more than ``size``; the same constraint is added once."""
    added: set[frozenset[int]] = set()
    for week in range(cycle):
        held = [item for item in items if week in item[3]]
        for moment in sorted({begin for begin, _, _, _ in held}):
            at = [var for begin, end, var, _ in held if begin <= moment < end]
            key = frozenset(id(var) for var in at)
            if len(at) > 1 and key not in added:
                added.add(key)
                model.add(sum(at) <= size)


class CensusModel:
    """The CP-SAT model of a census; clients in ``fixed`` keep the given offerings.

    Each free client takes one of their candidate weeks or none.
    """

    def __init__(
        self,
        census: Census,
        free: Sequence[Candidates],
        fixed: Mapping[str, frozenset[str]],
        previous_staff: Mapping[tuple[str, str], str],
    ) -> None:
        cp = solver_module()
        self.cp = cp
        self.census = census
        model: cp_model.CpModel = cp.CpModel()
        self.model = model
        self.choices = list(free)
        #: Free clients in admission order: the priority stage places them in turn.
        self.order = [
            c.client.id for c in sorted(self.choices, key=lambda c: admission_key(c.client))
        ]
        self.placed: dict[str, Any] = {}
        uses: dict[str, list[Any]] = {}
        conflicts: list[tuple[Any, int]] = []
        # Changes (one definition, :func:`careplan.census._build.changes_of`):
        # the client-days whose offerings differ from the client's current
        # week (every current day of a client left unplaced), and the days
        # kept as they were on which a one-to-one session has another clinician.
        changes: list[tuple[Any, int]] = []
        constant_changes = 0
        constant_conflicts = 0
        offerings = {o.id: o for o in census.program.offerings()}
        #: Each client's current week (:func:`current_days`), by client id.
        self.current = {c.id: current_days(census, c) for c in census.clients}
        #: (client, weekday) -> the expression "that day's offerings are kept".
        kept_days: dict[tuple[str, int], Any] = {}
        for choice in self.choices:
            client = choice.client
            cid = client.id
            placed = model.new_bool_var(f"placed[{cid}]")
            self.placed[cid] = placed
            picks = [model.new_bool_var(f"w[{cid},{k}]") for k in range(len(choice.weeks))]
            model.add(sum(picks) == placed)
            if not picks:
                model.add(placed == 0)
            current = self.current[cid]
            if current is not None:
                constant_changes += len(current)
                changes.append((placed, -len(current)))
            same: dict[int, list[Any]] = {}
            for var, week in zip(picks, choice.weeks, strict=True):
                for offering in week.offerings:
                    uses.setdefault(offering.id, []).append(var)
                if week.conflicts:
                    conflicts.append((var, week.conflicts))
                if current is not None:
                    now = day_ids(week.offerings)
                    differ = sum(1 for d in range(7) if now.get(d) != current.get(d))
                    if differ:
                        changes.append((var, differ))
                    for day, ids in current.items():
                        if now.get(day) == ids:
                            same.setdefault(day, []).append(var)
            for day, variables in same.items():
                kept_days[cid, day] = sum(variables)
        for cid, held in fixed.items():
            client = census.client(cid)
            current = self.current[cid]
            now = day_ids(offerings[oid] for oid in held)
            constant_conflicts += sum(
                client.constraints.conflicts(s) for oid in held for s in offerings[oid].sessions
            )
            if current is not None:
                constant_changes += sum(1 for d in range(7) if now.get(d) != current.get(d))
                for day, ids_then in current.items():
                    if now.get(day) == ids_then:
                        kept_days[cid, day] = 1
        counts_fixed: dict[str, int] = {}
        for held in fixed.values():
            for oid in held:
                counts_fixed[oid] = counts_fixed.get(oid, 0) + 1
        everyone = len(free) + len(fixed)
        self.count: dict[str, Any] = {}
        # Clinicians alike in credentials and hours (and with no caseload cap),
        # and rooms alike in seats and closures, are pooled: the model counts
        # how many of a pool each session takes, which removes the symmetry
        # of which of them it is; :meth:`holders` names them afterwards.
        # With earlier clinicians to keep, everyone is a pool of their own.
        pooled = not previous_staff
        # Biweekly slots are offered in each week of their cadence (weeks A
        # and B): seats, clinicians and rooms are counted week by week.
        cycle = cycle_of(census.program)
        in_weeks = self.held = held_weeks(census.program)
        needed_by = {oid: needs(census, o) for oid, o in offerings.items()}
        self.staff_pools = _pools(
            census.staff,
            lambda s: (s.credentials, s.hours, s.absent) if s.max_caseload is None else s.id,
            lambda s: [
                in_weeks[oid]
                for oid, needed in needed_by.items()
                if needed and needed <= set(s.credentials)
            ],
            pooled,
        )
        self.room_pools = _pools(
            census.rooms,
            lambda r: (r.capacity, r.closed),
            lambda r: [
                in_weeks[o.id]
                for o in census.program.offerings()
                if o.sessions[0].modality.kind == "in_person"
            ],
            pooled,
        )
        self.lead: dict[tuple[str, str], Any] = {}  # (offering, staff pool) -> how many
        self.room: dict[tuple[str, str], Any] = {}  # (offering, room pool) -> how many
        staff_busy: dict[tuple[str, int], list[tuple[int, int, Any, frozenset[int]]]] = {}
        room_busy: dict[tuple[str, int], list[tuple[int, int, Any, frozenset[int]]]] = {}
        caseload: dict[str, list[tuple[int, int, Any, frozenset[int]]]] = {}
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
            needed = needed_by[offering.id]
            qualified = {
                key: sum(1 for s in members if s.works(offering.weekday, *span))
                for key, members in self.staff_pools.items()
                if needed <= set(members[0].credentials)
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
            if needed and census.staff:
                leads = []
                for key, size in qualified.items():
                    if not size:
                        continue
                    top = 1 if group else min(size, most)
                    var = model.new_int_var(0, top, f"lead[{offering.id},{key}]")
                    self.lead[offering.id, key] = var
                    staff_busy.setdefault((key, day), []).append(
                        (*span, var, in_weeks[offering.id])
                    )
                    if not group:
                        caseload.setdefault(key, []).append((0, 1, var, in_weeks[offering.id]))
                    leads.append(var)
                model.add(sum(leads) == demand)
            if in_person and census.rooms:
                holding = []
                seats = []
                for key, size in open_rooms.items():
                    top = 1 if group else min(size, most)
                    var = model.new_int_var(0, top, f"room[{offering.id},{key}]")
                    self.room[offering.id, key] = var
                    room_busy.setdefault((key, day), []).append((*span, var, in_weeks[offering.id]))
                    holding.append(var)
                    seats.append(self.room_pools[key][0].capacity * var)
                model.add(sum(holding) == demand)
                if group:
                    model.add(count <= sum(seats))
        for pools, busy in ((self.staff_pools, staff_busy), (self.room_pools, room_busy)):
            for (key, _), items in busy.items():
                at_most_at_once(model, items, len(pools[key]), cycle)
        for person in census.staff:
            # The caseload is per week: every one-to-one session of a week at one "moment".
            if person.max_caseload is not None and caseload.get(person.id):
                at_most_at_once(model, caseload[person.id], person.max_caseload, cycle)
        # A kept day counts as changed when one of its one-to-one sessions
        # loses the clinician the client had (the result pairs them again).
        by_day: dict[tuple[str, int], list[tuple[str, str]]] = {}
        for (cid, oid), sid in sorted(previous_staff.items()):
            if oid in offerings:
                by_day.setdefault((cid, int(offerings[oid].weekday)), []).append((oid, sid))
        for (cid, day), pairs in sorted(by_day.items()):
            kept = kept_days.get((cid, day))
            if kept is None:
                continue
            other = model.new_bool_var(f"restaffed[{cid},{day}]")
            for oid, sid in pairs:
                model.add(other >= kept - self.lead.get((oid, sid), 0))
            changes.append((other, 1))
        if attendance:
            # The largest group is at least the average one: a bound for the solver.
            model.add(largest * len(attendance) >= sum(attendance))
        self.largest = largest
        self.attendance = attendance  # the head count of each group
        self.everyone = everyone
        self.stages: tuple[str, ...] = ()  # the stages last solved, in order
        self.fixed = len(fixed)
        self.objective_terms = {
            "placed": linear([(v, 1) for v in self.placed.values()], len(fixed)),
            "conflicts": linear(conflicts, constant_conflicts),
            "changes": linear(changes, constant_changes),
            "balance": largest,
        }

    def holders(self, values: Mapping[str, int]) -> dict[str, tuple[list[str], list[str]]]:
        """The clinicians and rooms of each offering in use, by id, from solver values.

        Members of a pool are handed out by start time, each to the first
        free one: at no moment of any week does a pool give more than it
        has (the model says so), and for intervals that is enough for the
        hand-out to succeed (a pool's offerings are all held every week, or
        each in one week of the cycle: see :func:`_pools`).
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
                # (member, day, week of the cycle) -> busy until
                until: dict[tuple[str, int, int], int] = {}
                for day, begin, end, oid, taken in sorted(uses):
                    weeks = self.held[oid]
                    free = [
                        m
                        for m in members
                        if all(until.get((m, day, week), -1) <= begin for week in weeks)
                    ][:taken]
                    assert len(free) == taken, (key, oid)
                    for member in free:
                        for week in weeks:
                            until[member, day, week] = end
                    found.setdefault(oid, ([], []))[which].extend(free)
        return found


def linear(terms: Sequence[tuple[Any, int]], constant: int = 0) -> Any:
    """The sum of weighted terms, or the plain ``constant`` when there are none."""
    if not terms:
        return constant
    cp = solver_module()
    return cp.LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms]) + constant


def admission_key(client: CensusClient) -> tuple[bool, pendulum.Date | None, str]:
    return (client.admitted is None, client.admitted, client.id)


def needs(census: Census, offering: Offering) -> set[str]:
    """The credentials the clinician leading ``offering`` must hold."""
    found = {census.credential(s.kind) for s in offering.sessions}
    return {c for c in found if c is not None}


def current_days(census: Census, client: CensusClient) -> dict[int, tuple[str, ...]] | None:
    """The offering ids of ``client``'s current week, by weekday, or ``None`` without one."""
    if client.current is None:
        return None
    return day_ids(offerings_of(census, client.current))
