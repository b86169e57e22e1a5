"""Benchmark: a nightly batch of 10,000 plan documents, on one machine and on Dask.

Run with ``make bench`` (or ``python benchmarks/batch.py --count 2000`` for a
quicker look). Generates ``--count`` twelve-week IOP plan documents (starts
spread over a year, a quarter with attendance recorded, a third with an
authorization, one in a hundred broken) into a temporary folder, then runs
:func:`careplan.batch.run` over the paths in one process, with a process pool
of two workers, and :func:`careplan.batch.run_dask` on a ``LocalCluster`` of
two worker processes. Reported: plans per second for each and the speed-up
from one to two workers (the issue's aim is at least 1.7x on two cores).
Every run must give the same tables; the benchmark checks that too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import attrs

import careplan as cp
from careplan import batch
from careplan.demo import sample_plan

TODAY = dt.date(2027, 6, 30)


def documents(count: int, folder: Path) -> list[str]:
    """Write ``count`` plan documents into ``folder``; return their paths."""
    base = [sample_plan(dt.date(2027, 1, 4) + dt.timedelta(weeks=week)) for week in range(52)]
    paths = []
    for index in range(count):
        plan = attrs.evolve(base[index % 52], id=f"plan-{index:05d}")
        if index % 4 == 0:
            for occurrence in plan.occurrences()[:24]:
                if occurrence.date <= TODAY:
                    status = "attended" if occurrence.scheduled_on.day % 5 else "absent_unexcused"
                    plan = plan.record_attendance(
                        occurrence.session.id, occurrence.scheduled_on, status
                    )
        if index % 3 == 0:
            plan = attrs.evolve(
                plan, authorizations=[cp.Authorization("IOP", plan.start, plan.end, 40)]
            )
        text = cp.to_json(plan)
        if index % 100 == 99:
            text = text[: len(text) // 2]  # a truncated upload
        path = folder / f"{index:05d}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (worker processes)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, count: int, work):
    """Run ``work``; print its wall time, plans per second and the CPUs it kept busy.

    The CPU figure counts this process and finished worker processes (not
    Dask's, which outlive the run): well under the number of workers means
    other work on the machine had the CPUs.
    """
    begin, cpu = time.perf_counter(), cpu_seconds()
    tables = work()
    seconds = time.perf_counter() - begin
    busy = (cpu_seconds() - cpu) / seconds
    print(f"{label:<40} {seconds:7.1f} s {count / seconds:6.0f} plans/s  {busy:4.2f} CPUs busy")
    return tables, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    count = args.count
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    # Other work on the machine takes CPUs from the workers: say how busy it was.
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder:
        begin = time.perf_counter()
        paths = documents(count, Path(folder))
        print(f"generated {count} documents in {time.perf_counter() - begin:.0f} s")
        single, one = timed(
            "one process (workers=1)", count, lambda: batch.run(paths, today=TODAY, workers=1)
        )
        pooled, two = timed(
            "process pool (workers=2)", count, lambda: batch.run(paths, today=TODAY, workers=2)
        )
        results = [pooled]
        try:
            import distributed
        except ImportError:
            print("Dask: not installed (pip install 'careplan[dask]')")
            dask_seconds = None
        else:
            with (
                distributed.LocalCluster(
                    n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
                ) as cluster,
                distributed.Client(cluster) as client,
            ):
                client.run(lambda: __import__("careplan.batch"))  # warm the workers' imports
                found, dask_seconds = timed(
                    "Dask LocalCluster (2 worker processes)",
                    count,
                    lambda: batch.run_dask(paths, today=TODAY, scheduler=client),
                )
                results.append(found)
        for found in results:
            for name in batch.TABLES:
                assert getattr(found, name).equals(getattr(single, name)), name
        bad = single.plans.num_rows - sum(single.plans.column("ok").to_pylist())
        print(
            f"rows: {single.plans.num_rows} plans ({bad} unreadable), "
            f"{single.violations.num_rows} violations, {single.occurrences.num_rows} "
            f"occurrences, {single.weeks.num_rows} weeks"
        )
        print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        print(f"scaling 1 -> 2 workers (process pool): {one / two:.2f}x (aim >= 1.7x)")
        if dask_seconds is not None:
            print(f"scaling 1 process -> Dask on 2 workers: {one / dask_seconds:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
