"""Why a client is not placed, and what would place them."""

from __future__ import annotations

import attrs
import pendulum

from careplan._model.program import Offering
from careplan._model.time import weekday_name
from careplan._operations.planner import infeasible_reasons
from careplan._operations.validation import validate
from careplan.census._bookings import Bookings
from careplan.census._build import when
from careplan.census._model import admission_key
from careplan.census._result import CensusResult, Placement, Unplaced, UnplacedReason
from careplan.census._values import Census, CensusClient
from careplan.census._weeks import any_week, candidates, client_offerings

#: The week the assertion above validates each placed client's plan in.
_ANY_MONDAY = pendulum.date(2027, 1, 4)


def explained(result: CensusResult, before: CensusResult | None = None) -> CensusResult:
    """``result`` with each client it leaves unplaced explained, by waitlist position.

    Every public result passes here: each placed client's plan is asserted
    to validate without errors (the week is asserted ``feasible`` where the
    result is built), but for a week held as it was in ``before``, the
    result it was made from, which passed here.
    """
    held = (
        {p.client.id: _week(p) for p in before.placements}
        if before is not None and before.census.levels == result.census.levels
        else {}
    )
    plans = result.plans(start=_ANY_MONDAY, weeks=1)
    for placement in result.placements:
        if held.get(placement.client.id) != _week(placement):
            plan = plans[placement.client.id]
            # The week itself, without the program's closures of one date or another.
            assert not validate(attrs.evolve(plan, closures=())).errors
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


def _week(placement: Placement) -> tuple[object, ...]:
    """What a placed client's week is validated on: their level, tracks and schedule."""
    return (placement.client.level, placement.client.tracks, placement.schedule)


# --- explanations -------------------------------------------------------------------


def explain_unplaced(
    result: CensusResult, client: CensusClient, position: int, blocked: frozenset[str]
) -> Unplaced:
    """Why ``client`` is not placed in ``result`` (``blocked``: the offerings
    no one more could join there), and what would place them.

    An alternative is offered only when a week of the changed client fits
    around everyone as they are, no one else's clinician or room moved: a
    week that fits so fits the census (:func:`admit` may find more by
    moving them). The same check holds for a client whose own week rules
    the level out.
    """
    census = result.census
    alternatives = [
        description
        for description, relaxed in _relaxed(census, client)
        if any_week(census, relaxed, blocked)
    ]
    alternatives.append(f"waitlist position {position}")
    allowed = client_offerings(census.program, client.constraints, tuple(client.tracks))
    if not candidates(census, client).weeks:
        # Their own week rules the level out, whatever the census holds.
        found = tuple(
            UnplacedReason("level_out_of_reach", message)
            for message in infeasible_reasons(
                census.program, client.level, client.constraints, allowed
            )
        )
        return Unplaced(client, found, tuple(alternatives), position)
    reasons: list[UnplacedReason] = []
    counts = {r.offering: len(r.clients) for r in result.rosters}
    for offering in allowed:
        if offering.is_group:
            assert offering.track is not None
            cap = offering.track.capacity
            if cap is not None and counts.get(offering.id, 0) >= cap:
                reasons.append(
                    UnplacedReason(
                        "group_full",
                        f"the {when(offering)} is full ({cap} of {cap})",
                        offering=offering.id,
                    )
                )
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
            reasons.append(
                UnplacedReason(
                    "no_clinician_working",
                    f"no {credential} works {weekday_name(day).capitalize()} at those times",
                    credential=credential,
                    weekday=day,
                )
            )
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
                UnplacedReason(
                    "clinicians_booked",
                    f"every {credential} who works at the times the client's week leaves "
                    f"({times}) is booked",
                    credential=credential,
                )
            )
    if not reasons:
        reasons.append(
            UnplacedReason(
                "places_taken",
                "the seats, clinicians and rooms the client's weeks could use are taken",
            )
        )
    return Unplaced(client, tuple(reasons), tuple(alternatives), position)


def _relaxed(census: Census, client: CensusClient) -> list[tuple[str, CensusClient]]:
    """The nearby clients an explanation tries: another track, another
    modality, no cap on days, no unavailable days, the level below."""
    constraints = client.constraints
    tries: list[tuple[str, CensusClient]] = []
    if client.tracks:
        tries.append(("another track", attrs.evolve(client, tracks=())))
    if constraints.modality != "either":
        other = "virtually" if constraints.modality == "in_person" else "in person"
        tries.append(
            (
                f"attend {other} as well",
                attrs.evolve(client, constraints=attrs.evolve(constraints, modality="either")),
            )
        )
    if constraints.max_days_per_week is not None:
        relaxed = attrs.evolve(constraints, max_days_per_week=None)
        tries.append(("lift the cap on days a week", attrs.evolve(client, constraints=relaxed)))
    if constraints.unavailable_days:
        relaxed = attrs.evolve(constraints, unavailable_days=())
        tries.append(("free the unavailable days", attrs.evolve(client, constraints=relaxed)))
    below = census.levels.below(client.level) if client.level in census.levels else None
    if below is not None and (not census.program.levels or below.code in census.program.levels):
        tries.append((f"a lower level: {below.name}", attrs.evolve(client, level=below)))
    return tries


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
