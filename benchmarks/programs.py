"""Plans as a program's nightly batch holds them, for the benchmarks.

Every client has the program's group sessions (the sample plan's), and
individual therapy and a psychiatric visit at times of their own: 320
different schedules, in turn (any 200 consecutive plans have 200), while
most sessions are shared; starts are spread over a year.
"""

from __future__ import annotations

import attrs

import careplan as cp
from careplan.demo import sample_plan

OWN_KINDS = ("individual_therapy", "psychiatric")
_OFFICE = cp.Modality.in_person("Main campus, clinician offices")
_GROUPS = [s for s in sample_plan().schedule.sessions if s.kind.code not in OWN_KINDS]


def program_plan(index: int) -> cp.CarePlan:
    """The plan of the program's client number ``index``.

    200 consecutive indexes give 200 different schedules: individual therapy
    on one of five weekdays at one of eight afternoon times, and the
    psychiatric visit on one of two days at one of four times.
    """
    own = [
        cp.Session(
            ("monday", "tuesday", "wednesday", "thursday", "friday")[index % 5],
            f"{13 + index // 5 % 8 // 2}:{index // 5 % 2 * 30:02d}",
            50,
            cp.SessionKind.INDIVIDUAL_THERAPY,
            modality=_OFFICE,
        ),
        cp.Session(
            ("wednesday", "friday")[index // 40 % 2],
            ("08:00", "08:30", "12:00", "12:30")[index // 80 % 4],
            30,
            cp.SessionKind.PSYCHIATRIC,
            modality=_OFFICE,
        ),
    ]
    plan = sample_plan(sample_plan().start.add(weeks=index % 52))
    return attrs.evolve(
        plan,
        id=f"plan-{index:05d}",
        client=cp.Client(f"client-{index:05d}"),
        schedule=cp.WeeklySchedule(plan.timezone, [*_GROUPS, *own]),
    )
