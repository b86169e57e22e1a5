"""Benchmark: reading and writing ``careplan/1`` documents against the least the format needs.

Run with ``make bench``. The baseline, measured in the same run, is
``json.loads`` plus structuring into the same document classes with a plain
``cattrs.Converter`` (and ``unstructure`` plus ``json.dumps`` for writing):
what any reader of the format must do. careplan also checks every value
strictly, builds the model values (pendulum dates and times, checked
sessions and records), maps errors to paths, checks the limits and that
attendance names real occurrences. Ratios are medians of interleaved runs,
so that other work on the machine weighs on both alike. The issue's target
is within 3x.

The reader keeps nothing between documents (its caches earned 4-5 % on a
batch and cost 20 % on a first read; see docs/explanation/performance.md),
so ``from_json`` is measured once per document. The third figure reads 200
plans of one program in turn, each client with the program's group sessions
and two sessions at times of their own (every schedule is different),
against the baseline over the same documents. (No program variant with
attendance records.)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable

import cattrs
from programs import program_plan

import careplan as cp
from careplan.demo import sample_plan
from careplan.document import shape


def converter() -> cattrs.Converter:
    plain = cattrs.Converter()
    plain.register_structure_hook(
        str | shape.ContinuumDoc,
        lambda value, _: (
            value if isinstance(value, str) else plain.structure(value, shape.ContinuumDoc)
        ),
    )
    return plain


def once(function: Callable[[], object], repeat: int = 20) -> float:
    begin = time.perf_counter()
    for _ in range(repeat):
        function()
    return time.perf_counter() - begin


def program_documents(count: int = 200) -> list[str]:
    """``count`` plans of one program, as a nightly batch reads them (see programs.py)."""
    return [cp.to_json(program_plan(index)) for index in range(count)]


def read_program(texts: list[str]) -> None:
    """Read a program's plans in turn, as a nightly batch does."""
    for text in texts:
        cp.from_json(text)


def main(rounds: int = 40) -> int:
    plain = converter()
    recorded = sample_plan()
    for occurrence in recorded.occurrences()[:40]:
        recorded = recorded.record_attendance(occurrence.session.id, occurrence.scheduled_on)
    for label, plan in (("sample plan", sample_plan()), ("with 40 attendance records", recorded)):
        text = cp.to_json(plan)
        doc = plain.structure(json.loads(text), shape.PlanDoc)
        reading, writing = [], []
        for _ in range(rounds):
            baseline = once(lambda text=text: plain.structure(json.loads(text), shape.PlanDoc))
            reading.append(once(lambda text=text: cp.from_json(text)) / baseline)
            writing.append(
                once(lambda plan=plan: cp.to_json(plan))
                / once(
                    lambda doc=doc: json.dumps(plain.unstructure(doc), indent=2, ensure_ascii=False)
                )
            )
        print(
            f"{label:<28} ({len(text):>6} bytes): from_json "
            f"{statistics.median(reading):4.1f}x; "
            f"to_json {statistics.median(writing):4.1f}x the baseline (target: within 3x)"
        )
    texts = program_documents()
    schedules = len({json.dumps(json.loads(t)["sessions"]) for t in texts})
    batch = []
    for _ in range(rounds // 4):
        baseline = once(
            lambda: [plain.structure(json.loads(t), shape.PlanDoc) for t in texts], repeat=1
        )
        batch.append(once(lambda: read_program(texts), repeat=1) / baseline)
    print(
        f"{len(texts)} plans of one program ({schedules} schedules), read in turn: from_json "
        f"{statistics.median(batch):4.1f}x the baseline (target: within 3x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
