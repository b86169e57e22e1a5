"""Census scheduling: every client's week at once, with seats, staff and rooms.

The model, for the CP-SAT solver of OR-Tools:

- each client chooses, for each weekday, one of the ways the planner
  allows to fill that day (``planner._day_options`` without merging, so the
  per-day rules and overlaps are the planner's) or nothing, all or none
  (placed or not);
- the week's totals must meet :class:`~careplan._operations.planner.WeekBounds`,
  the planner's single statement of the weekly rules;
- a group day (a track's day in one modality) holds at most its track's
  capacity and its room's seats, and runs with one facilitator with the
  right credential and, in person, one open room;
- a one-to-one slot taken by ``n`` clients needs ``n`` different qualified
  clinicians at work and, in person, ``n`` rooms;
- no clinician and no room is in two places at once (checked at every start
  time, which suffices for intervals), and caseloads hold.

The objective is lexicographic, solved stage by stage (each stage fixes the
previous optimum): clients placed (then earlier admissions first), fewest
preference conflicts, fewest changes to current weeks, smallest largest
group. :func:`admit` and :func:`reassign` put changes before preferences.
Less-than-weekly sessions (a biweekly consult) hold their clinician and room
every week: the census does not know which week each client's cadence
counts from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

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
    Roster,
    SolverStatus,
    Unplaced,
)
from careplan._model.errors import InvalidValueError, MissingExtraError
from careplan._model.program import Offering
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import weekday_name
from careplan._operations.planner import (
    Infeasible,
    WeekBounds,
    _allowed,
    _day_options,
    _DayOption,
    _reasons,
    plan_week,
)

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

__all__ = ["admit", "reassign", "schedule_census"]


def _solver_module() -> Any:
    try:
        from ortools.sat.python import cp_model
    except ImportError:
        raise MissingExtraError("census scheduling", "ortools", "census") from None
    return cp_model


# --- what each client may take --------------------------------------------------


@attrs.frozen
class _Choices:
    client: CensusClient
    bounds: WeekBounds
    days: tuple[tuple[_DayOption, ...], ...]  # per weekday; index 0 is the empty day
    current: tuple[int | None, ...]  # per weekday: the option the current week uses
    fewest_conflicts: int | None  # the planner's optimum alone; None: no week at all


def _choices(census: Census, client: CensusClient) -> _Choices:
    program = census.program
    continuum = census.levels if client.level in census.levels else None
    allowed = _allowed(program, client.constraints, client.tracks)
    days = tuple(
        tuple(
            _day_options(
                client.level,
                client.constraints,
                [o for o in allowed if o.weekday == day],
                "fit",
                merge=False,
            )
        )
        for day in pendulum.WeekDay
    )
    try:
        alone: int | None = plan_week(
            program, client.level, client.constraints, tracks=client.tracks, continuum=continuum
        ).objective.preference_conflicts
    except Infeasible:
        alone = None
    current: list[int | None] = [0] * 7
    if client.current is not None:
        taken = _offerings_of(census, client.current)
        for day, options in enumerate(days):
            wanted = sorted(o.id for o in taken if o.weekday == day)
            current[day] = next(
                (
                    i
                    for i, opt in enumerate(options)
                    if sorted(o.id for o in opt.offerings) == wanted
                ),
                None,
            )
    return _Choices(
        client,
        WeekBounds.of(client.level, continuum, client.constraints),
        days if alone is not None else tuple(() for _ in days),
        tuple(current),
        alone,
    )


def _offerings_of(census: Census, schedule: WeeklySchedule) -> list[Offering]:
    ids = {s.id for s in schedule.sessions}
    return [o for o in census.program.offerings() if all(s.id in ids for s in o.sessions)]


# --- the model ----------------------------------------------------------------------


class _Model:
    """The CP-SAT model of a census; clients in ``fixed`` keep the given offerings."""

    def __init__(
        self,
        census: Census,
        free: Sequence[CensusClient],
        fixed: Mapping[str, frozenset[str]],
        previous_staff: frozenset[tuple[str, str]],
    ) -> None:
        cp = _solver_module()
        self.cp = cp
        self.census = census
        model: cp_model.CpModel = cp.CpModel()
        self.model = model
        self.choices = [_choices(census, c) for c in free]
        self.placed: dict[str, Any] = {}
        self.picks: dict[str, list[list[Any]]] = {}
        uses: dict[str, list[Any]] = {}
        conflicts: list[Any] = []
        changes: list[Any] = []
        constant_changes = 0
        for choice in self.choices:
            cid = choice.client.id
            placed = model.new_bool_var(f"placed[{cid}]")
            self.placed[cid] = placed
            own: list[Any] = []  # this client's preference conflicts
            picks = []
            for day, options in enumerate(choice.days):
                row = [model.new_bool_var(f"o[{cid},{day},{i}]") for i in range(len(options))]
                model.add(sum(row) == placed)
                picks.append(row)
                for var, option in zip(row, options, strict=True):
                    for offering in option.offerings:
                        uses.setdefault(offering.id, []).append(var)
                    if option.cost[0]:
                        own.append(option.cost[0] * var)
                if choice.client.current is not None:
                    index = choice.current[day]
                    if index is None:
                        constant_changes += 1
                    else:
                        changes.append(1 - row[index])
            self.picks[cid] = picks
            conflicts += own
            if choice.fewest_conflicts is None:
                # The planner proved no week meets the level: nothing to search.
                model.add(placed == 0)
                continue
            # The planner's optimum alone bounds each client's conflicts from
            # below: a redundant cut that lets the solver prove optimality.
            if choice.fewest_conflicts:
                model.add(sum(own) >= choice.fewest_conflicts * placed)
            self._week_rules(choice, picks, placed)
        counts_fixed: dict[str, int] = {}
        for offerings in fixed.values():
            for oid in offerings:
                counts_fixed[oid] = counts_fixed.get(oid, 0) + 1
        everyone = len(free) + len(fixed)
        self.count: dict[str, Any] = {}
        self.lead: dict[tuple[str, str], Any] = {}
        self.room: dict[tuple[str, str], Any] = {}
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
            count = sum(users) + constant
            self.count[offering.id] = count
            day = int(offering.weekday)
            span = (offering.start_minute, offering.end_minute)
            in_person = offering.sessions[0].modality.kind == "in_person"
            needs = self._needs(offering)
            qualified = [
                s
                for s in census.staff
                if needs <= set(s.credentials) and s.works(offering.weekday, *span)
            ]
            rooms = [r for r in census.rooms if offering.weekday not in r.closed]
            if offering.is_group:
                assert offering.track is not None
                used = model.new_bool_var(f"runs[{offering.id}]")
                cap = offering.track.capacity or everyone
                model.add(count <= cap * used)
                model.add(count >= used)
                model.add(largest >= count)
                attendance.append(count)
                if needs and census.staff:
                    leads = []
                    for person in qualified:
                        var = model.new_bool_var(f"lead[{offering.id},{person.id}]")
                        self.lead[offering.id, person.id] = var
                        staff_busy.setdefault((person.id, day), []).append((*span, var))
                        leads.append(var)
                    model.add(sum(leads) == used)
                if in_person and census.rooms:
                    seats = []
                    held = []
                    for room in rooms:
                        var = model.new_bool_var(f"room[{offering.id},{room.id}]")
                        self.room[offering.id, room.id] = var
                        room_busy.setdefault((room.id, day), []).append((*span, var))
                        seats.append(room.capacity * var)
                        held.append(var)
                    model.add(sum(held) == used)
                    model.add(count <= sum(seats))
            else:
                if needs and census.staff:
                    leads = []
                    for person in qualified:
                        var = model.new_bool_var(f"lead[{offering.id},{person.id}]")
                        self.lead[offering.id, person.id] = var
                        staff_busy.setdefault((person.id, day), []).append((*span, var))
                        caseload.setdefault(person.id, []).append(var)
                        leads.append(var)
                    model.add(sum(leads) == count)
                if in_person and census.rooms:
                    held = []
                    for room in rooms:
                        var = model.new_bool_var(f"room[{offering.id},{room.id}]")
                        self.room[offering.id, room.id] = var
                        room_busy.setdefault((room.id, day), []).append((*span, var))
                        held.append(var)
                    model.add(sum(held) == count)
        for busy in (staff_busy, room_busy):
            for items in busy.values():
                for moment in sorted({begin for begin, _, _ in items}):
                    at = [var for begin, end, var in items if begin <= moment < end]
                    if len(at) > 1:
                        model.add(sum(at) <= 1)
        for person in census.staff:
            if person.max_caseload is not None and caseload.get(person.id):
                model.add(sum(caseload[person.id]) <= person.max_caseload)
        for oid, sid in sorted(previous_staff):
            lead = self.lead.get((oid, sid))
            if lead is None:
                constant_changes += 1
            else:
                changes.append(1 - lead)
        if attendance:
            # The largest group is at least the average one: a bound for the solver.
            model.add(largest * len(attendance) >= sum(attendance))
        self.largest = largest
        self.objective_terms = {
            "placed": sum(self.placed.values()),
            "priority": self._priority(),
            "conflicts": sum(conflicts),
            "changes": sum(changes) + constant_changes,
            "balance": largest,
        }

    def _needs(self, offering: Offering) -> set[str]:
        found = {self.census.credential(s.kind) for s in offering.sessions}
        return {c for c in found if c is not None}

    def _priority(self) -> Any:
        # Earlier admissions weigh more; with no dates every client weighs alike.
        ranked = sorted(self.choices, key=lambda c: _admission_key(c.client))
        return sum(
            (len(ranked) - index) * self.placed[choice.client.id]
            for index, choice in enumerate(ranked)
        )

    def _week_rules(self, choice: _Choices, picks: list[list[Any]], placed: Any) -> None:
        model = self.model
        bounds = choice.bounds
        pairs = [
            (var, opt)
            for row, opts in zip(picks, choice.days, strict=True)
            for var, opt in zip(row, opts, strict=True)
        ]
        days = sum(var for var, opt in pairs if opt.offerings)
        light = sum(opt.light * var for var, opt in pairs if opt.light)
        heavy = sum(opt.heavy * var for var, opt in pairs if opt.heavy)
        if bounds.max_days < bounds.min_days or bounds.min_minutes > bounds.max_minutes:
            model.add(placed == 0)
            return
        for total, low, high in (
            (days, bounds.min_days, bounds.max_days),
            (light, bounds.min_minutes, bounds.max_minutes),
            (heavy, bounds.min_minutes, bounds.max_minutes),
        ):
            model.add(total >= low).only_enforce_if(placed)
            model.add(total <= high).only_enforce_if(placed)
        if bounds.average_below is not None:
            average = sum(opt.average * var for var, opt in pairs if opt.average)
            model.add(average <= bounds.average_below - 1).only_enforce_if(placed)
        for bit in range(bounds.required.bit_length()):
            covering = [var for var, opt in pairs if opt.covers >> bit & 1]
            model.add(sum(covering) >= placed)


def _admission_key(client: CensusClient) -> tuple[bool, pendulum.Date | None, str]:
    return (client.admitted is None, client.admitted, client.id)


# --- solving in stages ----------------------------------------------------------


@attrs.frozen
class _Solved:
    status: SolverStatus
    values: Mapping[str, int]  # variable name -> value
    objective: tuple[int, ...]


def _solve(
    built: _Model, stages: Sequence[str], time_limit: float, seed: int, workers: int
) -> _Solved | None:
    cp = built.cp
    model = built.model
    clock = pendulum.now("UTC")
    optimal = True
    values: dict[str, int] | None = None
    reached: list[int] = []
    variables = [model.get_int_var_from_proto_index(i) for i in range(len(model.proto.variables))]
    for stage in stages:
        expression = built.objective_terms[stage]
        maximise = stage in ("placed", "priority")
        if isinstance(expression, int):
            reached.append(expression)
            continue
        if maximise:
            model.maximize(expression)
        else:
            model.minimize(expression)
        solver = cp.CpSolver()
        spent = (pendulum.now("UTC") - clock).total_seconds()
        solver.parameters.max_time_in_seconds = max(0.05, time_limit - spent)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        status = solver.solve(model)
        if status not in (cp.OPTIMAL, cp.FEASIBLE):
            if values is None:
                return None
            optimal = False
            break
        value = round(solver.objective_value)
        reached.append(value)
        if status != cp.OPTIMAL:
            optimal = False
        if status == cp.OPTIMAL:
            model.add(expression == value)
        elif maximise:
            model.add(expression >= value)
        else:
            model.add(expression <= value)
        values = {}
        model.clear_hints()  # type: ignore[no-untyped-call]
        for var in variables:
            got = int(solver.value(var))
            values[var.name] = got
            model.add_hint(var, got)
    model.clear_objective()  # type: ignore[no-untyped-call]
    assert values is not None
    return _Solved("optimal" if optimal else "feasible", values, tuple(reached))


# --- from solver values to a result ----------------------------------------------------


def _result(
    census: Census,
    built: _Model,
    solved: _Solved,
    fixed: Mapping[str, frozenset[str]],
    previous: CensusResult | None,
) -> CensusResult:
    values = solved.values
    offerings = {o.id: o for o in census.program.offerings()}
    taken: dict[str, list[str]] = {}
    for choice in built.choices:
        cid = choice.client.id
        if not values[f"placed[{cid}]"]:
            continue
        chosen: list[str] = []
        for day, options in enumerate(choice.days):
            for index, option in enumerate(options):
                if values[f"o[{cid},{day},{index}]"]:
                    chosen += [o.id for o in option.offerings]
        taken[cid] = chosen
    for cid, ids in fixed.items():
        taken[cid] = sorted(ids)
    members: dict[str, list[str]] = {}
    for cid in sorted(taken):
        for oid in taken[cid]:
            members.setdefault(oid, []).append(cid)
    earlier = _previous_staff(previous)
    assignment: dict[tuple[str, str], Assignment] = {}  # (client, offering) -> who and where
    rosters = []
    for oid, clients in sorted(
        members.items(),
        key=lambda kv: (offerings[kv[0]].weekday, offerings[kv[0]].start_minute, kv[0]),
    ):
        offering = offerings[oid]
        leads = sorted(
            sid for (o, sid), _ in built.lead.items() if o == oid and values[f"lead[{oid},{sid}]"]
        )
        rooms = sorted(
            rid for (o, rid), _ in built.room.items() if o == oid and values[f"room[{oid},{rid}]"]
        )
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
    placed = {p.client.id for p in placements}
    left = sorted((c for c in census.clients if c.id not in placed), key=_admission_key)
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
    unplaced = tuple(
        _explain(result, client, position) for position, client in enumerate(left, start=1)
    )
    return attrs.evolve(result, unplaced=unplaced, changes=_changes(census, result, previous))


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


def _explain(result: CensusResult, client: CensusClient, position: int) -> Unplaced:
    census = result.census
    continuum = census.levels if client.level in census.levels else None
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
    allowed = _allowed(census.program, client.constraints, client.tracks)
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
        if _fits(result, relaxed):
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


def _check_solver_arguments(time_limit: float, seed: int, workers: int) -> None:
    if isinstance(time_limit, bool) or not isinstance(time_limit, (int, float)) or time_limit <= 0:
        raise InvalidValueError("time_limit", time_limit, "is not a positive number of seconds")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise InvalidValueError("seed", seed, "is not a whole number")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidValueError("workers", workers, "is not a positive number of workers")


def _run(
    census: Census,
    stages: Sequence[str],
    *,
    fixed: Mapping[str, frozenset[str]],
    previous: CensusResult | None,
    time_limit: float,
    seed: int,
    workers: int,
) -> CensusResult | None:
    free = [c for c in census.clients if c.id not in fixed]
    staff_before = frozenset(
        (r.offering, s) for r in (previous.rosters if previous else ()) for s in set(r.staff)
    )
    built = _Model(census, free, fixed, staff_before)
    solved = _solve(built, stages, time_limit, seed, workers)
    if solved is None:
        return None
    return _result(census, built, solved, fixed, previous)


def schedule_census(
    census: Census, *, time_limit: float = 10.0, seed: int = 0, workers: int = 1
) -> CensusResult:
    """Assign every client of ``census`` a week, exactly, with a constraint solver.

    Every placed client's week meets their level by the planner's rules
    (:func:`careplan.feasible` accepts it) and fits their constraints; no
    group is over capacity; no clinician or room is double-booked; one-to-one
    and group sessions have a clinician with the right credential; caseloads
    hold. The objective, in order: most clients placed (then the earlier
    admitted), fewest preference conflicts, fewest changes to clients'
    current weeks, the smallest largest group.

    Args:
        census: The program, clients, staff and rooms.
        time_limit: Seconds the solver may use in all; past it the best
            week found is returned with status ``"feasible"``.
        seed: The solver's random seed.
        workers: Solver threads; 1 (default) gives the same answer for the
            same input every time.

    Returns:
        A :class:`CensusResult` with the solver's status.

    Raises:
        MissingExtraError: OR-Tools is not installed (``pip install 'careplan[census]'``).
    """
    _check_solver_arguments(time_limit, seed, workers)
    found = _run(
        census, _FRESH, fixed={}, previous=None, time_limit=time_limit, seed=seed, workers=workers
    )
    assert found is not None  # placing no one is always a solution
    return found


def _placed_census(result: CensusResult) -> Census:
    """The census with each placed client's current week set to their placement."""
    weeks = result.schedules()
    clients = [
        attrs.evolve(c, current=weeks[c.id]) if c.id in weeks else c for c in result.census.clients
    ]
    return attrs.evolve(result.census, clients=clients)


def _place_one(
    result: CensusResult, client: CensusClient, *, time_limit: float, seed: int, workers: int
) -> CensusResult | None:
    """``client`` placed around everyone else as they are, or ``None`` when it cannot be."""
    census = _placed_census(result).with_client(client)
    fixed = {
        p.client.id: frozenset(p.offerings) for p in result.placements if p.client.id != client.id
    }
    found = _run(
        census,
        _STABLE,
        fixed=fixed,
        previous=result,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    if found is None or found.placement(client.id) is None:
        return None
    return found


def _fits(result: CensusResult, client: CensusClient) -> bool:
    """Whether ``client`` could be placed around everyone else as they are."""
    fixed = {p.client.id: frozenset(p.offerings) for p in result.placements}
    census = attrs.evolve(
        result.census,
        clients=[*(p.client for p in result.placements), client],
    )
    built = _Model(census, [client], fixed, frozenset())
    solved = _solve(built, ("placed",), 2.0, 0, 1)
    return solved is not None and solved.objective[0] == 1


def admit(
    result: CensusResult,
    client: CensusClient,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """Place ``client`` into the census of ``result`` with the least disruption.

    First the client is fitted around everyone as they are (only clinicians
    and rooms may be reassigned, fewest first). When that fails the whole
    census is solved again, with changes to others' weeks counted before
    their preferences; :attr:`CensusResult.changes` lists every client whose
    week changed, and anyone unplaced (never silently).

    Args:
        result: The census as it stands.
        client: The new client (an id not in the census, or a replacement).
        time_limit: Seconds the solver may use for each of the two tries.
        seed: The solver's random seed.
        workers: Solver threads (1: deterministic).
    """
    _check_solver_arguments(time_limit, seed, workers)
    found = _place_one(result, client, time_limit=time_limit, seed=seed, workers=workers)
    if found is not None:
        return found
    census = _placed_census(result).with_client(client)
    solved = _run(
        census,
        _STABLE,
        fixed={},
        previous=result,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    assert solved is not None
    return solved


def reassign(
    result: CensusResult,
    census: Census,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """``result`` carried over to a changed ``census``, changing only what it must.

    Use it after a staff absence (:meth:`Census.without_staff`) or a room
    closure (:meth:`Census.close_room`). First every client keeps their
    sessions and only clinicians and rooms move; when that is impossible,
    the census is solved again with changes counted before preferences.
    :attr:`CensusResult.changes` says who changed.
    """
    _check_solver_arguments(time_limit, seed, workers)
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
            time_limit=time_limit,
            seed=seed,
            workers=workers,
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
        time_limit=time_limit,
        seed=seed,
        workers=workers,
    )
    assert found is not None
    return found
