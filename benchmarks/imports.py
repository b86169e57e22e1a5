"""Benchmark: what ``import careplan`` costs, against its core dependencies.

Run with ``make bench``. Each figure is the median of fresh interpreters
(``python -c``), taken in turns so that other work on the machine weighs on
all alike; the baseline, measured in the same run, is importing pendulum,
attrs and zoneinfo. ``import careplan`` loads the model and its operations
(no JSON, calendar, FHIR or pandas); the heavy adapters load when one of
their names is first used (the last lines). The issue's target is ``import
careplan`` plus a first ``CarePlan`` within 150 ms.

The interpreters read compiled byte-code, as an installed package does
(pip compiles it; an editable install writes it on the first import): with
``PYTHONDONTWRITEBYTECODE`` set, as on some development machines, every
import compiles careplan's source again while the dependencies' byte-code
is read, which measures the compiler rather than the import (about 70 ms
more for careplan on the development machine).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

FIRST_PLAN = (
    "import pendulum; careplan.CarePlan(client=careplan.Client('c-1', 'J'), level='IOP', "
    "schedule=careplan.WeeklySchedule('America/New_York', "
    "[careplan.Session('monday', '18:00', 120, 'group_therapy')]), "
    "start=pendulum.date(2027, 3, 1), weeks=12)"
)
CASES = {
    "baseline: import pendulum, attrs, zoneinfo": "import pendulum, attrs, zoneinfo",
    "import careplan": "import careplan",
    "import careplan; a first CarePlan": f"import careplan; {FIRST_PLAN}",
    "import careplan; careplan.validate (model + operations)": (
        "import careplan; careplan.CarePlan; careplan.validate"
    ),
    "... and careplan.from_json (cattrs)": "import careplan; careplan.from_json",
    "... and careplan.to_ical (icalendar)": "import careplan; careplan.to_ical",
}


def seconds(statement: str, environment: dict[str, str]) -> float:
    code = (
        f"import time; begin = time.perf_counter(); {statement}; print(time.perf_counter() - begin)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
    )
    return float(done.stdout)


def main(rounds: int = 15) -> int:
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for statement in CASES.values():  # writes the byte-code a first import would
        seconds(statement, environment)
    found: dict[str, list[float]] = {label: [] for label in CASES}
    for _ in range(rounds):
        for label, statement in CASES.items():
            found[label].append(seconds(statement, environment))
    medians = {label: statistics.median(times) for label, times in found.items()}
    base = next(iter(medians.values()))
    for label, median in medians.items():
        print(f"{label:<58} {median * 1000:7.1f} ms {median / base:6.2f}x")
    print("target: import careplan and a first CarePlan within 150 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
