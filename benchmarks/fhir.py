"""Benchmark: the FHIR budgets of issue 28 (13 and 12), measured, not asserted.

- An R4 export at its budget: a plan of just under ``MAX_R4_APPOINTMENTS``
  occurrences (an Appointment each), exported and written as JSON. The
  documented budget is about 2 s and 40 MB; a plan over it is refused
  before any work.
- The same plan in R5 (each weekly series once).
- Reading both back with ``from_fhir``.
- A Bundle whose CarePlan spans 1900-2199: refused by the plan-length
  check before any session is read (it once built millions of
  cancellations).

Reported: seconds and megabytes of JSON per step. On the 2-core
development machine, shared and loaded (2026-12-06): R4 at the budget
(19,422 occurrences) 1.5-1.8 s to export plus 0.5-0.7 s to write, 30.6 MB;
reading it back 3.2 s with parsing the JSON; R5 0.03 s and 0.1 MB; the
1900-2199 Bundle refused in under 0.01 s.
"""

from __future__ import annotations

import json
import time

import attrs

import careplan as cp
from careplan.demo import sample_plan
from careplan.fhir import from_fhir, to_fhir
from careplan.fhir._r5 import MAX_R4_APPOINTMENTS


def _crowded(weeks: int, sessions: int) -> cp.CarePlan:
    plan = sample_plan(weeks=weeks)
    many = [
        cp.Session("monday", f"{6 + n // 6:02d}:{(n % 6) * 10:02d}", 10, cp.SessionKind.CHECK_IN)
        for n in range(sessions)
    ]
    return attrs.evolve(plan, schedule=cp.WeeklySchedule(plan.timezone, many))


def _timed(what: str, work):  # type: ignore[no-untyped-def]
    began = time.perf_counter()
    result = work()
    print(f"{what:<48} {time.perf_counter() - began:6.2f} s")
    return result


def main() -> None:
    """Print the figures."""
    weeks = 500
    plan = _crowded(weeks=weeks, sessions=MAX_R4_APPOINTMENTS // (weeks + 1))
    print(f"plan: {len(plan.occurrences())} occurrences (budget {MAX_R4_APPOINTMENTS:,})")
    for version in ("r4", "r5"):
        bundle = _timed(f"to_fhir {version}", lambda v=version: to_fhir(plan, version=v))
        text = _timed(f"json.dumps {version}", lambda b=bundle: json.dumps(b))
        print(f"{'size ' + version:<48} {len(text) / 1e6:6.1f} MB")
        _timed(f"from_fhir {version}", lambda t=text: from_fhir(json.loads(t)))
    long = json.loads(json.dumps(to_fhir(sample_plan())))
    long["entry"][0]["resource"]["period"] = {"start": "1900-01-01", "end": "2199-12-31"}

    def refuse() -> None:
        try:
            from_fhir(long)
        except cp.DocumentError:
            return

    _timed("from_fhir refusing 1900-2199", refuse)


if __name__ == "__main__":
    main()
