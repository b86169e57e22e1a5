"""Why a client is not placed, and what would place them."""

from __future__ import annotations

import attrs

from careplan._model.program import Offering
from careplan._model.time import weekday_name
from careplan._operations.planner import (
    Infeasible,
    infeasible_reasons,
    plan_week,
)
from careplan.census._bookings import Bookings
from careplan.census._build import when
from careplan.census._model import admission_key
from careplan.census._result import (
    CensusResult,
    Unplaced,
)
from careplan.census._values import CensusClient
from careplan.census._weeks import any_week, candidates, client_offerings


def explained(result: CensusResult) -> CensusResult:
    """``result`` with each client it leaves unplaced explained, by waitlist position."""
    placed = {p.client.id for p in result.placements}
    left = sorted((c for c in result.census.clients if c.id not in placed), key=admission_key)
    blocked = Bookings.of(result).blocked()
    return attrs.evolve(
        result,
        unplaced=tuple(
            explain_unplaced(result, client, position, blocked)
            for position, client in enumerate(left, start=1)
        ),
    )


# --- explanations -------------------------------------------------------------------


def explain_unplaced(
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
    if not candidates(census, client).weeks:
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
    reasons = infeasible_reasons(census.program, client.level, client.constraints, client.tracks)[
        :1
    ]
    allowed = client_offerings(census.program, client.constraints, tuple(client.tracks))
    counts = {r.offering: len(r.clients) for r in result.rosters}
    for offering in allowed:
        if offering.is_group:
            assert offering.track is not None
            cap = offering.track.capacity
            if cap is not None and counts.get(offering.id, 0) >= cap:
                reasons.append(f"the {when(offering)} is full ({cap} of {cap})")
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
        if any_week(census, relaxed, blocked):
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
