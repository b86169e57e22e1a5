"""From solver values to a :class:`CensusResult`: rosters, placements, changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from careplan._model.program import Offering
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import weekday_name
from careplan._operations.planner import feasible
from careplan.census._model import CensusModel
from careplan.census._result import (
    Assignment,
    CensusChange,
    CensusObjective,
    CensusResult,
    Placement,
    Roster,
    SolverStatus,
)
from careplan.census._stages import Solved
from careplan.census._values import Census
from careplan.census._weeks import day_ids

# --- from solver values to a result ----------------------------------------------------


def build_result(
    census: Census,
    built: CensusModel,
    solved: Solved,
    fixed: Mapping[str, frozenset[str]],
    previous: CensusResult | None,
    *,
    complete: bool,
) -> CensusResult:
    """The result of ``solved``: ``complete`` when every free client's candidate
    weeks were all their weeks and no one was held fixed, so that a proven
    optimum is the optimum over every week."""
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
    earlier = previous_staff(previous)
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
                    f"{offering.track.label} ({modality_word(offering)})",
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
    for placement in placements:
        client = placement.client
        if client.id in fixed:
            continue  # a week held as it was, not one of the candidates
        continuum = census.levels if client.level in census.levels else None
        # Every candidate week is one the planner's rules accept; say so where it counts.
        assert feasible(placement.schedule, client.level, client.constraints, continuum=continuum)
    changes = changes_of(
        census,
        built.current,
        {p.client.id: p for p in placements},
        previous_staff(previous),
        listing_placed=previous is not None,
    )
    objective = CensusObjective(
        len(placements),
        sum(p.preference_conflicts for p in placements),
        sum(c.days for c in changes),
        max((len(r.clients) for r in rosters if r.group), default=0),
    )
    fields = {
        "placed": objective.placed,
        "conflicts": objective.preference_conflicts,
        "changes": objective.changes,
        "balance": objective.largest_group,
    }
    # The solver's figures and the result's are one definition: they agree.
    assert all(fields[stage] == value for stage, value in solved.objective.items()), (
        fields,
        solved.objective,
    )
    # A stage not solved proves nothing: its bound is the trivial one.
    trivial = {"placed": len(census.clients), "conflicts": 0, "changes": 0, "balance": 0}
    bound = CensusObjective(*(solved.bound.get(stage, trivial[stage]) for stage in fields))
    status: SolverStatus = (
        ("optimal" if complete else "optimal_among_candidates") if solved.proven else "feasible"
    )
    return CensusResult(
        census,
        status,
        objective,
        tuple(placements),
        (),
        tuple(rosters),
        changes,
        bound,
    )


def modality_word(offering: Offering) -> str:
    return "virtual" if offering.sessions[0].modality.is_virtual else "in person"


def previous_staff(previous: CensusResult | None) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    if previous is None:
        return found
    for roster in previous.rosters:
        if not roster.group:
            for cid, sid in zip(roster.clients, roster.staff, strict=False):
                found[cid, roster.offering] = sid
    return found


def changes_of(
    census: Census,
    current_weeks: Mapping[str, Mapping[int, tuple[str, ...]] | None],
    placements: Mapping[str, Placement],
    staff_before: Mapping[tuple[str, str], str],
    *,
    listing_placed: bool,
) -> tuple[CensusChange, ...]:
    """What changed for each client from their current week: the one definition
    of a change, which the solver minimises (:class:`CensusModel`).

    A change is a client-day: a weekday whose offerings differ from the
    client's current week (every current day of a client who loses their
    place), or a day kept as it was on which a one-to-one session has another
    clinician than ``staff_before`` (client and offering to clinician) says.
    Clients placed without a current week are listed (``listing_placed``)
    with no changed day. ``current_weeks`` are the clients' current weeks
    by id (:attr:`CensusModel.current`).
    """
    offerings = {o.id: o for o in census.program.offerings()}
    found = []
    for client in census.clients:
        current = current_weeks[client.id]
        placement = placements.get(client.id)
        if placement is None:
            if current:
                found.append(CensusChange(client.id, "unplaced", "no longer placed", len(current)))
            continue
        if current is None:
            if listing_placed:
                found.append(
                    CensusChange(client.id, "placed", week_words(census, placement.offerings))
                )
            continue
        now = day_ids(offerings[oid] for oid in placement.offerings)
        moved = [d for d in range(7) if now.get(d) != current.get(d)]
        restaffed = []
        for day, ids in sorted(current.items()):
            if day in moved:
                continue
            words = []
            for oid in ids:
                then = staff_before.get((client.id, oid))
                made = placement.assignment(offerings[oid].sessions[0].id).staff
                if then is not None and then != made:
                    words.append(f"{week_words(census, [oid])}: {then} → {made}")
            if words:
                restaffed.append("; ".join(words))
        if not moved and not restaffed:
            continue
        if moved:
            old = {oid for d in moved for oid in current.get(d, ())}
            new = {oid for d in moved for oid in now.get(d, ())}
            description = (
                f"from {week_words(census, sorted(old))} to {week_words(census, sorted(new))}"
            )
            found.append(
                CensusChange(
                    client.id,
                    "moved",
                    "; ".join([description, *restaffed]),
                    len(moved) + len(restaffed),
                )
            )
        else:
            found.append(CensusChange(client.id, "staff", "; ".join(restaffed), len(restaffed)))
    return tuple(found)


def when(offering: Offering) -> str:
    day = weekday_name(offering.weekday).capitalize()
    if offering.is_group:
        return f"{day} {offering.sessions[0].day_part.value} group ({modality_word(offering)})"
    session = offering.sessions[0]
    return f"{session.kind.label.lower()} {day} {session.start:%H:%M}"


def week_words(census: Census, offering_ids: Iterable[str]) -> str:
    offerings = {o.id: o for o in census.program.offerings()}
    return ", ".join(when(offerings[o]) for o in offering_ids) or "nothing"
