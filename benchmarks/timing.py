"""Timing shared by the benchmarks: a measurement and its baseline, interleaved.

Each round times the work and then the baseline; the figure is the median
of the rounds' ratios. Other work on the machine then weighs on both alike,
which separate best-of timings do not guarantee on a busy 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from zoneinfo import ZoneInfo


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


def occurrence_baseline(count: int, zone: str, spread_days: int) -> Callable[[], object]:
    """Make the start and end of ``count`` occurrences, aware, with the standard library.

    Issue 19's baseline for expansion and validation: the same start and end
    datetimes per occurrence, built with ``zoneinfo`` (an occurrence has
    both), on days spread over ``spread_days``.
    """
    tzinfo = ZoneInfo(zone)
    day = dt.date(2027, 1, 4)
    nine, ten = dt.time(9), dt.time(10)

    def run() -> object:
        found = []
        for i in range(count):
            date = day + dt.timedelta(days=i % spread_days)
            found.append(
                (dt.datetime.combine(date, nine, tzinfo), dt.datetime.combine(date, ten, tzinfo))
            )
        return found

    return run
