"""Timing shared by the benchmarks: a measurement and its baseline, interleaved.

Each round times the work and then the baseline; the figure is the median
of the rounds' ratios. Other work on the machine then weighs on both alike,
which separate best-of timings do not guarantee on a busy 2-core machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def seconds(function: Callable[[], object]) -> float:
    """One timing of ``function``, in seconds."""
    begin = time.perf_counter()
    function()
    return time.perf_counter() - begin


def paired(
    work: Callable[[], object], baseline: Callable[[], object], rounds: int = 7
) -> tuple[float, float, float]:
    """Median seconds of ``work``, of ``baseline``, and the median of their ratios."""
    works, bases, ratios = [], [], []
    for _ in range(rounds):
        took, base = seconds(work), seconds(baseline)
        works.append(took)
        bases.append(base)
        ratios.append(took / base)
    return statistics.median(works), statistics.median(bases), statistics.median(ratios)
