"""Benchmark: a nightly batch of 10,000 plan documents, on one machine and on Dask.

Run with ``make bench`` (or ``python benchmarks/batch.py --count 2000`` for a
quicker look). Generates ``--count`` twelve-week IOP plan documents (one
program's: its group sessions and two of each client's own, 320 different
schedules in turn, see ``programs.py``; starts spread over a year, a quarter
with attendance recorded, a third with an authorization, one in a hundred
broken) into a temporary folder, then runs
:func:`careplan.batch.run` over the paths, with the billable days of a payer
pack (``--payer``, default Medicare's), in one process, with a process pool
of two workers, and :func:`careplan.batch.run_dask` on a ``LocalCluster`` of
two worker processes. Reported: plans per second for each.

The scaling from one worker to two (the issue's aim is at least 1.7x on two
cores) is measured on two process pools started beforehand and warmed up,
one of one worker and one of two, on the same documents in the same run,
so neither pays for starting its processes: the ratio is of the work alone.
With it, what could limit the scaling besides the CPUs: the main process's
CPU time (it only hands out paths and concatenates the Arrow tables the
workers send back) and the bytes that travel each way per chunk.
Every run must give the same tables; the benchmark checks that too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import pickle
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import attrs
from programs import program_plan

import careplan as cp
from careplan import batch

TODAY = dt.date(2027, 6, 30)


def documents(count: int, folder: Path) -> list[str]:
    """Write ``count`` plan documents into ``folder``; return their paths."""
    paths = []
    for index in range(count):
        plan = program_plan(index)
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


def pool_cpu_seconds() -> float:
    """CPU time of this process's live child processes (a pool's workers)."""
    try:
        import psutil
    except ImportError:  # comes with the dask extra
        return float("nan")
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def timed(label: str, count: int, work):
    """Run ``work``; print its wall time, plans per second and the CPUs it kept busy.

    Returns the tables, the wall time and the CPU time, in seconds.

    The CPU figure counts this process and its worker processes (those of a
    pool of one's own while they live; not Dask's, which are not this
    process's children): well under the number of workers means other work
    on the machine had the CPUs.
    """
    begin, cpu, live = time.perf_counter(), cpu_seconds(), pool_cpu_seconds()
    tables = work()
    seconds = time.perf_counter() - begin
    used = cpu_seconds() - cpu + max(0.0, pool_cpu_seconds() - live)
    print(
        f"{label:<44} {seconds:7.1f} s {count / seconds:6.0f} plans/s  "
        f"{used / seconds:4.2f} CPUs busy"
    )
    return tables, seconds, used


def warm() -> int:
    """Import careplan's batch machinery in a worker; its process id."""
    import careplan.batch  # noqa: F401

    time.sleep(0.5)  # so that each worker of the pool takes one
    return os.getpid()


def started_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned processes, each with careplan imported."""
    pool = ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
    pids = {future.result() for future in [pool.submit(warm) for _ in range(workers)]}
    assert len(pids) == workers, pids
    return pool


def scaling(paths: list[str], payer: str | None, single: batch.Tables) -> float:
    """Seconds on one worker over seconds on two, on pools started beforehand."""
    seconds, cpu = {}, {}
    for workers in (1, 2):
        pool = started_pool(workers)
        try:
            own = resource.getrusage(resource.RUSAGE_SELF)
            found, seconds[workers], cpu[workers] = timed(
                f"started pool of {workers} worker(s)",
                len(paths),
                lambda pool=pool: batch.run(paths, today=TODAY, payer=payer, executor=pool),
            )
            after = resource.getrusage(resource.RUSAGE_SELF)
        finally:
            pool.shutdown()
        main = after.ru_utime + after.ru_stime - own.ru_utime - own.ru_stime
        print(f"  main process CPU: {main:.2f} s ({main / seconds[workers]:.0%} of the wall time)")
        for name, table in single.tables().items():
            assert getattr(found, name).equals(table), name
    # The CPUs the workers were given vary with the machine's other work; the
    # CPU time the work took does not, much: equal on one worker and two
    # means splitting the documents cost nothing, and an idle machine scales
    # to 2x less the last chunk's wait.
    print(
        f"CPU time per plan: {cpu[1] / len(paths) * 1e3:.1f} ms on one worker, "
        f"{cpu[2] / len(paths) * 1e3:.1f} ms on two (cost of splitting: {cpu[2] / cpu[1]:.2f}x)"
    )
    return seconds[1] / seconds[2]


def traffic(paths: list[str], payer: str | None) -> None:
    """What one chunk sends to a worker and gets back, pickled, and its work's time."""
    chunk = list(enumerate(paths[:64]))
    work = batch._Work(TODAY, cp.MAX_PLAN_YEARS, batch._pack(payer))
    begin = time.perf_counter()
    result = work(chunk)
    seconds = time.perf_counter() - begin
    sent = len(pickle.dumps((work, chunk)))
    back = pickle.dumps(result)
    begin = time.perf_counter()
    pickle.loads(back)
    unpickled = time.perf_counter() - begin
    print(
        f"a chunk of {len(chunk)} paths: {sent / 1e3:.1f} kB out, {len(back) / 1e6:.2f} MB of "
        f"Arrow tables back, read in {unpickled * 1e3:.1f} ms; the work: {seconds * 1e3:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--payer",
        default="medicare-2024",
        help="the payer pack of the billable_days table: a built-in key, or 'none'",
    )
    args = parser.parse_args()
    count = args.count
    payer = None if args.payer == "none" else args.payer
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    # Other work on the machine takes CPUs from the workers: say how busy it was.
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    with tempfile.TemporaryDirectory() as folder:
        begin = time.perf_counter()
        paths = documents(count, Path(folder))
        print(f"generated {count} documents in {time.perf_counter() - begin:.0f} s")
        print(f"payer pack: {payer or 'none (no billable_days table)'}")
        single, one, _ = timed(
            "one process (workers=1)",
            count,
            lambda: batch.run(paths, today=TODAY, workers=1, payer=payer),
        )
        pooled, two, _ = timed(
            "process pool (workers=2, start-up counted)",
            count,
            lambda: batch.run(paths, today=TODAY, workers=2, payer=payer),
        )
        ratio = scaling(paths, payer, single)
        traffic(paths, payer)
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
                found, dask_seconds, _ = timed(
                    "Dask LocalCluster (2 worker processes)",
                    count,
                    lambda: batch.run_dask(paths, today=TODAY, scheduler=client, payer=payer),
                )
                results.append(found)
        for found in results:
            for name, table in single.tables().items():
                assert getattr(found, name).equals(table), name
        bad = single.plans.num_rows - sum(single.plans.column("ok").to_pylist())
        print(
            f"rows: {single.plans.num_rows} plans ({bad} unreadable), "
            f"{single.violations.num_rows} violations, {single.occurrences.num_rows} "
            f"occurrences, {single.weeks.num_rows} weeks"
            + ("" if single.billable_days is None else f", {single.billable_days.num_rows} days")
        )
        print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        print(f"scaling 1 -> 2 workers (started process pools): {ratio:.2f}x (aim >= 1.7x)")
        print(f"one process -> process pool of 2, start-up counted: {one / two:.2f}x")
        if dask_seconds is not None:
            print(f"scaling 1 process -> Dask on 2 workers: {one / dask_seconds:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
