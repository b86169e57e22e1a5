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

careplan reuses the sessions, schedules and dates it has already read (a
batch reads the plans of a few programs, which share them). Reading one document again
and again hits that cache every time, so ``from_json`` is measured twice:
"seen" with the caches as they are after the first read, and "new" with the
caches emptied before every read, as for a plan whose sessions and dates no
earlier document had. Neither is a batch: the third figure reads 200 plans
of one program in turn, from empty caches, each client with the program's
group sessions and two sessions at times of their own (every schedule is
different), against the baseline over the same documents: one pass per
round, the first plan read with nothing kept. (No program variant with
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
from careplan._adapters import document
from careplan.demo import sample_plan


def converter() -> cattrs.Converter:
    plain = cattrs.Converter()
    plain.register_structure_hook(
        str | document._ContinuumDoc,
        lambda value, _: (
            value if isinstance(value, str) else plain.structure(value, document._ContinuumDoc)
        ),
    )
    return plain


def once(function: Callable[[], object], repeat: int = 20) -> float:
    begin = time.perf_counter()
    for _ in range(repeat):
        function()
    return time.perf_counter() - begin


def read_new(text: str) -> cp.CarePlan:
    """Read ``text`` as if no document read before had its sessions or dates."""
    document._forget_read_values()
    return cp.from_json(text)


def program_documents(count: int = 200) -> list[str]:
    """``count`` plans of one program, as a nightly batch reads them (see programs.py)."""
    return [cp.to_json(program_plan(index)) for index in range(count)]


def read_program(texts: list[str]) -> None:
    """Read a program's plans in turn, from empty caches, as a nightly batch does."""
    document._forget_read_values()
    for text in texts:
        cp.from_json(text)


def main(rounds: int = 40) -> int:
    plain = converter()
    recorded = sample_plan()
    for occurrence in recorded.occurrences()[:40]:
        recorded = recorded.record_attendance(occurrence.session.id, occurrence.scheduled_on)
    for label, plan in (("sample plan", sample_plan()), ("with 40 attendance records", recorded)):
        text = cp.to_json(plan)
        doc = plain.structure(json.loads(text), document._PlanDoc)
        reading, fresh, writing = [], [], []
        for _ in range(rounds):
            baseline = once(lambda text=text: plain.structure(json.loads(text), document._PlanDoc))
            reading.append(once(lambda text=text: cp.from_json(text)) / baseline)
            fresh.append(once(lambda text=text: read_new(text)) / baseline)
            writing.append(
                once(lambda plan=plan: cp.to_json(plan))
                / once(
                    lambda doc=doc: json.dumps(plain.unstructure(doc), indent=2, ensure_ascii=False)
                )
            )
        print(
            f"{label:<28} ({len(text):>6} bytes): from_json "
            f"{statistics.median(reading):4.1f}x seen, {statistics.median(fresh):4.1f}x new; "
            f"to_json {statistics.median(writing):4.1f}x the baseline (target: within 3x)"
        )
    texts = program_documents()
    schedules = len({json.dumps(json.loads(t)["sessions"]) for t in texts})
    batch = []
    for _ in range(rounds // 4):
        baseline = once(
            lambda: [plain.structure(json.loads(t), document._PlanDoc) for t in texts], repeat=1
        )
        batch.append(once(lambda: read_program(texts), repeat=1) / baseline)
    print(
        f"{len(texts)} plans of one program ({schedules} schedules), read in turn from "
        f"empty caches: from_json "
        f"{statistics.median(batch):4.1f}x the baseline (target: within 3x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
