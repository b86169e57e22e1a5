"""Benchmark: planning a week for many clients, and the exact search versus brute force.

1. The sample program (3 day parts x 5 days x 4 sessions would be the
   issue's shape; the article's program has 3-session tracks plus individual
   and psychiatric slots), 200 generated clients: median and p95 time per
   ``plan_week``.
2. Small generated programs where every subset of offerings can be
   enumerated: the ratio of brute-force time to ``plan_week`` time, measured
   in the same run, on growing instances.
3. Many short slots on one day (issue 31, item 8; issue 28, item 14): 20, 24
   and 40 five-minute Monday slots, one client at OP: ``plan_week`` and
   ``schedule_census(time_limit=1)`` (one clinician, one room), which took
   9 s and 10.7 s at 20 slots before the day's fillings came from a dynamic
   programme. The census time includes its candidate weeks; the one-off
   import of OR-Tools is taken before.
"""

from __future__ import annotations

import contextlib
import itertools
import statistics
import sys
import time

from hypothesis import HealthCheck, given, settings

import careplan as cp
from careplan.programs import sample_iop
from careplan.testing import life_constraints, programs

IOP = cp.DEFAULT["IOP"]


def clients(count: int) -> list[cp.LifeConstraints]:
    found: list[cp.LifeConstraints] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(life_constraints())
    def collect(constraints: cp.LifeConstraints) -> None:
        found.append(constraints)

    collect()
    return found[:count]


def timed(function, *args, **kwargs) -> float:  # type: ignore[no-untyped-def]
    begin = time.perf_counter()
    with contextlib.suppress(cp.Infeasible):
        function(*args, **kwargs)
    return time.perf_counter() - begin


def brute_force(
    program: cp.Program, level: cp.LevelOfCare, constraints: cp.LifeConstraints
) -> None:
    offerings = program.offerings()
    for size in range(len(offerings) + 1):
        for chosen in itertools.combinations(offerings, size):
            schedule = cp.WeeklySchedule(program.timezone, [s for o in chosen for s in o.sessions])
            if cp.feasible(schedule, level, constraints, continuum=cp.DEFAULT):
                cp.score(schedule, constraints)


def main() -> int:
    program = sample_iop()
    people = clients(200)
    cp.plan_week(program, IOP, cp.LifeConstraints())  # warm caches
    times = sorted(timed(cp.plan_week, program, IOP, person) * 1000 for person in people)
    median = statistics.median(times)
    p95 = times[int(0.95 * len(times)) - 1]
    print(
        f"sample program ({len(program.offerings())} offerings), {len(people)} clients: "
        f"median {median:.1f} ms, p95 {p95:.1f} ms per plan_week (goal: p95 < 20 ms)"
    )

    print("\nexact search versus brute force on small programs (same run):")
    instances: list[cp.Program] = []

    @settings(
        max_examples=30, database=None, derandomize=True, suppress_health_check=list(HealthCheck)
    )
    @given(programs(max_tracks=3, max_slots=4, max_days=3))
    def collect(generated: cp.Program) -> None:
        instances.append(generated)

    collect()
    instances.sort(key=lambda p: len(p.offerings()))
    person = cp.LifeConstraints()
    for generated in (instances[0], instances[len(instances) // 2], instances[-1]):
        size = len(generated.offerings())
        if size > 16:
            continue
        slow = timed(brute_force, generated, IOP, person)
        fast = timed(cp.plan_week, generated, IOP, person)
        print(
            f"  {size:>2} offerings: brute force {slow * 1000:9.1f} ms, "
            f"plan_week {fast * 1000:6.2f} ms, {slow / fast:8.0f}x"
        )
    many_slots()
    return 0


def many_slots() -> None:
    from careplan.census import Census, CensusClient, Room, Staff, WorkHours, schedule_census

    print("\nmany five-minute slots on one Monday, one OP client (time limit 1 s):")
    schedule_census(Census(sample_iop()), time_limit=1)  # imports the solver
    for count in (20, 24, 40):
        slots = [
            cp.Session(
                "monday",
                f"{8 + 5 * i // 60:02d}:{5 * i % 60:02d}",
                5,
                cp.SessionKind.INDIVIDUAL_THERAPY,
                id=f"s{i}",
            )
            for i in range(count)
        ]
        track = cp.ProgramTrack(
            "afternoon",
            ["monday"],
            [cp.AgendaItem("13:00", 60, cp.SessionKind.GROUP_THERAPY)],
            [cp.Modality.in_person("Room")],
        )
        program = cp.Program("Many slots", "America/New_York", [track], slots)
        level = cp.DEFAULT["OP"]
        planned = timed(cp.plan_week, program, level, cp.LifeConstraints())
        hours = [WorkHours(["monday"], "08:00", "18:00")]
        census = Census(
            program,
            [CensusClient("a", level)],
            [Staff("t", "therapist", ["therapist"], hours)],
            [Room("r", 5)],
        )
        begin = time.perf_counter()
        result = schedule_census(census, time_limit=1)
        solved = time.perf_counter() - begin
        print(
            f"  {count} slots: plan_week {planned:.2f} s, schedule_census {solved:.2f} s "
            f"({result.status})"
        )


if __name__ == "__main__":
    sys.exit(main())
