"""Benchmark: census scheduling against a greedy first-fit, in the same run.

1. Generated censuses of 60 and 120 clients (three tracks, eight staff,
   four rooms: :func:`careplan.programs.sample_census` with several seeds):
   clients placed by ``schedule_census`` and by a greedy first-fit baseline
   in the same run, the solver's status, the gap between its objective and
   its proven bound (clients placed, preference conflicts), and the time of
   each.
2. Admit-one latency (60 clients): one more client admitted into each
   solved census, ten times, shaped like every sixth client (some fit, some
   must be waitlisted); the median and the slowest, for newcomers placed and
   waitlisted.

The greedy baseline lives here only: clients in admission order, each takes
the best week (fewest preference conflicts, as the planner finds it) among the
offerings that still have a seat, a free qualified clinician and, in person,
a free room; clinicians and rooms are taken first come, first served.

The greedy shares a biweekly slot between weeks A and B as the census does
(its clinicians, rooms and caseloads are taken week by week of the cycle).

Targets (issues 17 and 31): the full census within 10 s and admit-one within
1 s on a 2-core machine, at least as many clients placed as greedy on every
instance; issue 31 asks for a proof over every week (status ``"optimal"``)
for 120 clients in 10 s, which the candidate-week model does not give: it
proves at best ``"optimal_among_candidates"`` (at 120 clients, with weeks A
and B placing 75, the preference stage is not always proven within the
10 s, and the status is then ``"feasible"``). Times are printed, never
asserted.
"""

from __future__ import annotations

import sys
import time

import pendulum

from careplan.census import Census, CensusClient, admit, schedule_census
from careplan.census._model import held_weeks, needs
from careplan.census._weeks import fitting_weeks
from careplan.programs import sample_census

SIZES = (60, 120)
SEEDS = (0, 1, 2)
TIME_LIMIT = 10.0
#: One solver thread: the same answer for the same input (the library default).
WORKERS = 1


def greedy(census: Census) -> int:
    """Clients placed by first-fit in admission order (see the module docstring)."""
    seats: dict[str, int] = {}
    cap: dict[str, int] = {}
    # Per week of the cycle: a biweekly slot's weeks A and B do not meet.
    busy: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
    load: dict[tuple[str, int], int] = {}
    offerings = census.program.offerings()
    held = held_weeks(census.program)

    def free(holder: str, offering) -> bool:  # type: ignore[no-untyped-def]
        day, begin, end = int(offering.weekday), offering.start_minute, offering.end_minute
        return all(
            end <= b or e <= begin
            for week in held[offering.id]
            for b, e in busy.get((holder, day, week), [])
        )

    def staff_for(offering) -> str | None:  # type: ignore[no-untyped-def]
        needed = needs(census, offering)
        if not needed or not census.staff:
            return ""
        begin, end = offering.start_minute, offering.end_minute
        for person in census.staff:
            if (
                needed <= set(person.credentials)
                and person.works(offering.weekday, begin, end)
                and free(person.id, offering)
                and (
                    offering.is_group
                    or person.max_caseload is None
                    or all(
                        load.get((person.id, w), 0) < person.max_caseload for w in held[offering.id]
                    )
                )
            ):
                return person.id
        return None

    def room_for(offering) -> str | None:  # type: ignore[no-untyped-def]
        if offering.sessions[0].modality.kind != "in_person" or not census.rooms:
            return ""
        for room in census.rooms:
            if offering.weekday not in room.closed and free(room.id, offering):
                return room.id
        return None

    placed = 0
    clients = sorted(
        census.clients, key=lambda c: (c.admitted is None, c.admitted or pendulum.date(1, 1, 1))
    )
    for client in clients:
        blocked = set()
        for offering in offerings:
            if offering.id in cap:
                if seats[offering.id] >= cap[offering.id]:
                    blocked.add(offering.id)
            elif staff_for(offering) is None or room_for(offering) is None:
                blocked.add(offering.id)
        # The best week (fewest conflicts) of the offerings still free.
        fits = fitting_weeks(census, client, frozenset(blocked), streams=False)
        week = fits[0] if fits else None
        if week is None:
            continue
        placed += 1
        for offering in week.offerings:
            day, begin, end = int(offering.weekday), offering.start_minute, offering.end_minute
            if offering.id in cap:
                seats[offering.id] += 1
                continue
            person, room = staff_for(offering), room_for(offering)
            for holder in (person, room):
                for w in held[offering.id] if holder else ():
                    busy.setdefault((holder, day, w), []).append((begin, end))
            if offering.is_group:
                assert offering.track is not None
                room_seats = next((r.capacity for r in census.rooms if r.id == room), None)
                limits = [c for c in (offering.track.capacity, room_seats) if c]
                cap[offering.id] = min(limits) if limits else len(census.clients)
                seats[offering.id] = 1
            elif person:
                for w in held[offering.id]:
                    load[person, w] = load.get((person, w), 0) + 1
    return placed


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> int:
    print(f"census: 3 tracks, 8 staff, 4 rooms; time limit {TIME_LIMIT:.0f} s, {WORKERS} worker")
    worse = 0
    slowest = 0.0
    admitted: list[float] = []
    waitlisted: list[float] = []
    for clients in SIZES:
        for seed in SEEDS:
            census = sample_census(clients, seed=seed)
            begin = time.perf_counter()
            by_greedy = greedy(census)
            greedy_time = time.perf_counter() - begin
            begin = time.perf_counter()
            result = schedule_census(census, time_limit=TIME_LIMIT, workers=WORKERS)
            solver_time = time.perf_counter() - begin
            slowest = max(slowest, solver_time)
            found, bound = result.objective, result.bound
            assert bound is not None
            worse += found.placed < by_greedy
            print(
                f"  {clients} clients, seed {seed}: solver {found.placed} placed, "
                f"{result.status}, gap {bound.placed - found.placed} placed / "
                f"{found.preference_conflicts - bound.preference_conflicts} conflicts, "
                f"{solver_time:.1f} s; greedy {by_greedy} placed, {greedy_time:.2f} s"
            )
            if clients != SIZES[0]:
                continue
            # Admit one more client, shaped like every sixth client of the census.
            times = []
            for index in range(0, clients, 6):
                like = census.clients[index]
                newcomer = CensusClient("newcomer", like.level, like.constraints)
                begin = time.perf_counter()
                after = admit(result, newcomer, time_limit=TIME_LIMIT, workers=WORKERS)
                took = time.perf_counter() - begin
                times.append(took)
                (admitted if after.placement("newcomer") else waitlisted).append(took)
            print(
                f"          admit one (x{len(times)}): median {_median(times):.2f} s, "
                f"max {max(times):.2f} s"
            )
    print(f"full solve: slowest {slowest:.1f} s (target 10 s)")
    for label, took in (("placed", admitted), ("waitlisted", waitlisted)):
        if took:
            print(
                f"admit one, newcomer {label} ({len(took)}): median {_median(took):.2f} s, "
                f"max {max(took):.2f} s (target 1 s)"
            )
    print(f"instances where greedy placed more: {worse} (goal: 0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
