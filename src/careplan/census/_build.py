"""From solver values to a :class:`CensusResult`: rosters, placements, changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import attrs

from careplan._model.program import Offering
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import weekday_name
from careplan.census._model import CensusModel
from careplan.census._result import (
    Assignment,
    CensusChange,
    CensusObjective,
    CensusResult,
    Placement,
    Roster,
)
from careplan.census._stages import Solved
from careplan.census._values import Census
from careplan.census._weeks import offerings_of

# --- from solver values to a result ----------------------------------------------------


def build_result(
    census: Census,
    built: CensusModel,
    solved: Solved,
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
    return attrs.evolve(result, changes=_changes(census, result, previous), bound=bound)


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


def _before(census: Census, previous: CensusResult | None) -> dict[str, tuple[str, ...]]:
    """Each client's offerings before: from the previous result, else their current week."""
    if previous is not None:
        return {p.client.id: tuple(sorted(p.offerings)) for p in previous.placements}
    return {
        c.id: tuple(sorted(o.id for o in offerings_of(census, c.current)))
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
    staff_before = previous_staff(previous)
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
                    CensusChange(client.id, "placed", week_words(census, placement.offerings))
                )
        elif tuple(sorted(placement.offerings)) != old:
            gone = sorted(set(old) - set(placement.offerings))
            added = sorted(set(placement.offerings) - set(old))
            found.append(
                CensusChange(
                    client.id,
                    "moved",
                    f"from {week_words(census, gone)} to {week_words(census, added)}",
                )
            )
        else:
            moved = []
            for oid in placement.offerings:
                now = placement.assignment(_first_session(census, oid)).staff
                then = staff_before.get((client.id, oid))
                if then is not None and then != now:
                    moved.append(f"{week_words(census, [oid])}: {then} → {now}")
            if moved:
                found.append(CensusChange(client.id, "staff", "; ".join(moved)))
    return tuple(found)


def _first_session(census: Census, offering_id: str) -> str:
    for offering in census.program.offerings():
        if offering.id == offering_id:
            return offering.sessions[0].id
    return offering_id


def when(offering: Offering) -> str:
    day = weekday_name(offering.weekday).capitalize()
    if offering.is_group:
        return f"{day} {offering.sessions[0].day_part.value} group ({modality_word(offering)})"
    session = offering.sessions[0]
    return f"{session.kind.label.lower()} {day} {session.start:%H:%M}"


def week_words(census: Census, offering_ids: Iterable[str]) -> str:
    offerings = {o.id: o for o in census.program.offerings()}
    return ", ".join(when(offerings[o]) for o in offering_ids) or "nothing"
