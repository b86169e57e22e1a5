"""Benchmark: what ``import careplan`` costs, against its core dependencies.

Run with ``make bench``. Each figure is the median of fresh interpreters
(``python -c``), taken in turns so that other work on the machine weighs on
all alike; the baseline, measured in the same run, is importing pendulum,
attrs and zoneinfo. ``import careplan`` loads names when first used; the
second line is what a program pays when it first uses a value (the model and
the operations, without JSON, calendar, FHIR or pandas); the last ones are
the optional parts. The issue's target for ``import careplan`` is at most
1.5x the baseline.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

CASES = {
    "baseline: import pendulum, attrs, zoneinfo": "import pendulum, attrs, zoneinfo",
    "import careplan": "import careplan",
    "import careplan; careplan.validate (model + operations)": (
        "import careplan; careplan.CarePlan; careplan.validate"
    ),
    "... and careplan.from_json (cattrs)": "import careplan; careplan.from_json",
    "... and careplan.to_ical (icalendar)": "import careplan; careplan.to_ical",
}


def seconds(statement: str) -> float:
    code = (
        f"import time; begin = time.perf_counter(); {statement}; print(time.perf_counter() - begin)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout)


def main(rounds: int = 15) -> int:
    found: dict[str, list[float]] = {label: [] for label in CASES}
    for _ in range(rounds):
        for label, statement in CASES.items():
            found[label].append(seconds(statement))
    medians = {label: statistics.median(times) for label, times in found.items()}
    base = next(iter(medians.values()))
    for label, median in medians.items():
        print(f"{label:<58} {median * 1000:7.1f} ms {median / base:6.2f}x")
    print("target: import careplan at most 1.5x the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
