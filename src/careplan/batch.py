"""Many plans at once: validation, occurrences, weekly figures and billing as Arrow tables.

A nightly job re-validates every active plan and feeds a dashboard. The
functions here take many plan documents (paths, JSON texts or
:class:`~careplan.CarePlan` values) and return `Apache Arrow
<https://arrow.apache.org/>`_ tables, which DuckDB, Polars, pandas and Spark
read directly, and which :meth:`Tables.write_parquet` writes as Parquet:

- ``plans``: one row per document: whether it was read (``error`` says why
  not), the plan's id, level and period, and its validation summary;
- ``violations``: one row per violation;
- ``occurrences``: one row per occurrence (instants in UTC);
- ``weeks``: one row per week: minutes scheduled versus delivered;
- ``billable_days``: one row per day of care as a payer sees it (what
  :func:`careplan.billing` judges), only when a payer pack is given
  (``payer=``); without one it is ``None``.

A bad document becomes a ``plans`` row with its error; the batch never stops
for one. :func:`run` spreads the documents over a process pool;
:func:`run_dask` does the same work on a Dask cluster (the ``dask`` extra).
Both give the same tables as a single process (``workers=1``).

Needs the ``batch`` extra (pyarrow): from a checkout, ``pip install -e '.[batch]'``.

>>> from careplan import to_json
>>> from careplan.demo import sample_plan
>>> tables = run([to_json(sample_plan()), '{"format": "careplan/0"}'], workers=1)
>>> tables.plans.column("ok").to_pylist()
[True, False]
>>> tables.plans.column("error").to_pylist()[1]
'format: is <text of 10 characters>; this version reads careplan/1'
>>> tables.occurrences.num_rows == len(sample_plan().occurrences())
True
>>> tables.billable_days is None
True
>>> billed = run([to_json(sample_plan())], payer="medicare-2024", workers=1)
>>> billed.billable_days.num_rows, billed.billable_days["billable"].to_pylist()[:2]
(34, [True, False])
"""

from __future__ import annotations

import datetime as _dt
import glob
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any, Final

import attrs

from careplan._model.errors import MissingExtraError

try:
    import pyarrow as pa
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - the batch extra is installed for the tests
    raise MissingExtraError("careplan.batch", "pyarrow", "batch") from None

from careplan._adapters.files import MAX_DOCUMENT_BYTES, Refused, read_regular_file
from careplan._model.errors import CarePlanError, InvalidValueError
from careplan._model.limits import MAX_PLAN_YEARS
from careplan._model.occurrence import Occurrence
from careplan._model.payer import PayerRules
from careplan._model.payers import BUILTIN_PAYERS
from careplan._model.plan import CarePlan
from careplan._model.time import require_date
from careplan._operations.delivery import weekly_delivery
from careplan._operations.validation import validated
from careplan.document import from_json, to_json

__all__ = ["TABLES", "Payer", "Source", "Tables", "run", "run_dask", "schemas"]

#: A document: a path to a JSON file (``str`` or :class:`os.PathLike`; a
#: ``str`` starting with ``{`` is JSON text), JSON text or UTF-8 bytes, or a
#: plan. Paths with ``://`` are opened with fsspec (object storage).
Source = str | os.PathLike[str] | bytes | CarePlan

#: A payer rule pack: a :class:`careplan.PayerRules` value, or the key of a
#: built-in one in :data:`careplan.BUILTIN_PAYERS` (``"medicare-2024"``,
#: ``"commercial"``).
Payer = PayerRules | str

#: The names of the tables, in the order :class:`Tables` holds them.
#: ``billable_days`` is only made when a payer pack is given.
TABLES: Final = ("plans", "violations", "occurrences", "weeks", "billable_days")


# A billing code in the billable_days table.
_CODE = pa.struct([pa.field("system", pa.string(), False), pa.field("code", pa.string(), False)])


def schemas() -> dict[str, pa.Schema]:
    """The Arrow schema of each table, by name (see the module's description).

    ``billable_days`` has a row per day of care of each plan read: the
    ``payer`` pack's name and ``payer_version``, the day's ``level``,
    billable ``services`` and their ``minutes``, whether it is ``billable``
    (``reasons`` says why not), the per-diem ``units`` it bills (1 for a
    billable day, else 0), its payment ``tier``, the ``codes`` it carries on
    a claim (each a ``system`` and a ``code``) and whether it is a
    ``forecast`` (judged from the schedule, after ``today``).
    """
    key = [pa.field("index", pa.int64(), False), pa.field("source", pa.string(), False)]
    plan_id = pa.field("plan_id", pa.string())
    return {
        "plans": pa.schema(
            [
                *key,
                pa.field("ok", pa.bool_(), False),
                pa.field("error", pa.string()),
                plan_id,
                pa.field("client_id", pa.string()),
                pa.field("continuum", pa.string()),
                pa.field("level", pa.string()),
                pa.field("timezone", pa.string()),
                pa.field("start", pa.date32()),
                pa.field("end", pa.date32()),
                pa.field("occurrences", pa.int64()),
                pa.field("scheduled_minutes", pa.int64()),
                pa.field("delivered_minutes", pa.int64()),
                pa.field("errors", pa.int64()),
                pa.field("warnings", pa.int64()),
                pa.field("codes", pa.list_(pa.string())),
            ]
        ),
        "violations": pa.schema(
            [
                *key,
                plan_id,
                pa.field("code", pa.string(), False),
                pa.field("severity", pa.string(), False),
                pa.field("message", pa.string(), False),
                pa.field("session_ids", pa.list_(pa.string())),
                pa.field("dates", pa.list_(pa.date32())),
            ]
        ),
        "occurrences": pa.schema(
            [
                *key,
                plan_id,
                pa.field("session_id", pa.string(), False),
                pa.field("kind", pa.string(), False),
                pa.field("level", pa.string(), False),
                pa.field("episode", pa.int64(), False),
                pa.field("scheduled_on", pa.date32(), False),
                pa.field("date", pa.date32(), False),
                pa.field("start", pa.timestamp("us", tz="UTC"), False),
                pa.field("end", pa.timestamp("us", tz="UTC"), False),
                pa.field("timezone", pa.string(), False),
                pa.field("minutes", pa.int64(), False),
                pa.field("moved", pa.bool_(), False),
            ]
        ),
        "weeks": pa.schema(
            [
                *key,
                plan_id,
                pa.field("monday", pa.date32(), False),
                pa.field("level", pa.string(), False),
                pa.field("scheduled_minutes", pa.int64(), False),
                pa.field("delivered_minutes", pa.int64(), False),
                pa.field("sessions", pa.int64(), False),
                pa.field("attended", pa.int64(), False),
                pa.field("unexcused", pa.int64(), False),
                pa.field("unrecorded", pa.int64(), False),
            ]
        ),
        "billable_days": pa.schema(
            [
                *key,
                plan_id,
                pa.field("date", pa.date32(), False),
                pa.field("level", pa.string(), False),
                pa.field("payer", pa.string(), False),
                pa.field("payer_version", pa.string(), False),
                pa.field("services", pa.int64(), False),
                pa.field("minutes", pa.int64(), False),
                pa.field("billable", pa.bool_(), False),
                pa.field("units", pa.int64(), False),
                pa.field("tier", pa.string()),
                pa.field("codes", pa.list_(_CODE)),
                pa.field("reasons", pa.list_(pa.string())),
                pa.field("forecast", pa.bool_(), False),
            ]
        ),
    }


@attrs.frozen
class Tables:
    """The results of a batch: one Arrow table per kind of row.

    Rows are in the order of the documents given (``index`` is a document's
    position in it, ``source`` its path, or ``#index`` for texts and plans).

    Attributes:
        plans: One row per document, read or not.
        violations: One row per violation of each plan read.
        occurrences: One row per occurrence of each plan read.
        weeks: One row per week of each plan read: scheduled versus delivered.
        billable_days: One row per day of care of each plan read, as the
            payer pack judges it; ``None`` when no pack was given.
    """

    plans: pa.Table
    violations: pa.Table
    occurrences: pa.Table
    weeks: pa.Table
    billable_days: pa.Table | None = None

    def tables(self) -> dict[str, pa.Table]:
        """The tables this batch made, by name, in the order of :data:`TABLES`."""
        found = {name: getattr(self, name) for name in TABLES}
        return {name: table for name, table in found.items() if table is not None}

    def write_parquet(self, directory: str | os.PathLike[str]) -> dict[str, Path]:
        """Write each table to ``directory/<name>.parquet``; returns the paths by name.

        Without a ``billable_days`` table, a ``billable_days.parquet`` an
        earlier batch left in ``directory`` is removed, so the folder holds
        one batch's tables.
        """
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        written = {}
        for name, table in self.tables().items():
            written[name] = folder / f"{name}.parquet"
            pq.write_table(table, written[name])
        if self.billable_days is None:
            (folder / "billable_days.parquet").unlink(missing_ok=True)
        return written

    @classmethod
    def read_parquet(cls, directory: str | os.PathLike[str]) -> Tables:
        """Read the tables :meth:`write_parquet` wrote."""
        folder = Path(directory)
        found = schemas()
        tables = {
            name: pq.read_table(folder / f"{name}.parquet", schema=found[name])
            for name in TABLES
            if name != "billable_days" or (folder / f"{name}.parquet").exists()
        }
        return cls(**tables)

    @classmethod
    def concatenate(cls, parts: Iterable[Tables]) -> Tables:
        """The tables of several batches, one after the other.

        The batches all have a ``billable_days`` table, or none has.
        """
        parts = list(parts)
        found = schemas()
        billed = {part.billable_days is not None for part in parts}
        if len(billed) > 1:
            raise ValueError("some batches have billable_days and some do not")
        tables = {}
        for name in TABLES:
            if name == "billable_days" and True not in billed:
                continue
            tables[name] = (
                pa.concat_tables([getattr(part, name) for part in parts])
                if parts
                else found[name].empty_table()
            )
        return cls(**tables)


def run(
    sources: Iterable[Source],
    *,
    today: _dt.date | None = None,
    workers: int | None = None,
    chunk_size: int = 64,
    max_years: int = MAX_PLAN_YEARS,
    payer: Payer | None = None,
    executor: Executor | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Tables:
    """Read, validate and expand every document; return the tables.

    Args:
        sources: The documents (see :data:`Source`).
        today: The day to judge attendance from, and the last day of the
            ``weeks`` table; default: no attendance judged, every week of
            each plan listed.
        workers: Processes to use; default one per CPU, ``1`` works in this
            process. Worker processes are started fresh ("spawn"), so a
            script that calls this must do so under
            ``if __name__ == "__main__":``; plans given as values are sent
            to them as their JSON documents.
        chunk_size: Documents per task sent to a worker.
        max_years: The longest plan accepted; see :func:`careplan.validate`.
        payer: A payer rule pack (see :data:`Payer`). With one, the
            ``billable_days`` table lists every day of care of each plan as
            :func:`careplan.billing` judges it (up to ``today`` from
            attendance, after it from the schedule; without ``today`` every
            day is a forecast), and the ``violations`` are those of
            ``validate(plan, payer=...)``. Default: no pack, no
            ``billable_days`` table.
        executor: Where to run the chunks instead of a pool of ``workers``
            started for this call: a :class:`concurrent.futures.Executor`
            you keep across batches (a ``ProcessPoolExecutor`` with the
            "spawn" context, say), left running when done.
        max_bytes: The largest document read from a path (default
            16,000,000 bytes, as the command line's). A path that is not a
            regular file (a FIFO, a device such as ``/dev/zero``, a folder)
            or holds more is a ``plans`` row with its error; it is never
            waited on nor read past the limit.

    Returns:
        The :class:`Tables`, rows in the order of ``sources``.

    Raises:
        InvalidValueError: ``payer`` is not a pack or a built-in pack's key.
    """
    if today is not None:
        today = require_date("today", today)
    items = list(enumerate(sources))
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    count = os.cpu_count() or 1 if workers is None else workers
    work = _Work(today, max_years, _pack(payer), max_bytes)
    if not chunks:
        return work([])
    if executor is None and (count <= 1 or len(chunks) <= 1):
        return Tables.concatenate(map(work, chunks))
    # Plans travel to the workers as their documents: the values do not pickle.
    chunks = [[(i, _portable(source)) for i, source in chunk] for chunk in chunks]
    if executor is not None:
        return Tables.concatenate(executor.map(work, chunks))
    with ProcessPoolExecutor(min(count, len(chunks)), mp_context=get_context("spawn")) as pool:
        return Tables.concatenate(pool.map(work, chunks))


def _pack(payer: Payer | None) -> PayerRules | None:
    """The pack ``payer`` names, checked before any work starts."""
    if payer is None or isinstance(payer, PayerRules):
        return payer
    if isinstance(payer, str) and payer in BUILTIN_PAYERS:
        return BUILTIN_PAYERS[payer]
    raise InvalidValueError(
        "payer",
        payer,
        "is not a payer rule pack",
        "give a careplan.PayerRules or one of: " + ", ".join(BUILTIN_PAYERS),
    )


def _portable(source: Source) -> Source:
    return to_json(source, indent=None) if isinstance(source, CarePlan) else source


def run_dask(
    paths: str | Sequence[str | os.PathLike[str]],
    *,
    today: _dt.date | None = None,
    partitions: int | None = None,
    scheduler: Any = None,
    max_years: int = MAX_PLAN_YEARS,
    payer: Payer | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Tables:
    """:func:`run` on Dask: the documents of ``paths`` spread over a ``dask.bag``.

    Each partition is read and validated on a worker, which sends back its
    Arrow tables; the result is the same as :func:`run`'s. Needs the
    ``dask`` extra.

    Args:
        paths: Paths of JSON documents, or one glob pattern
            (``"plans/*.json"``, ``"s3://bucket/plans/*.json"`` with fsspec's
            driver for the store installed).
        today: As for :func:`run`.
        partitions: How many pieces to cut the paths into (default: about
            100 documents each).
        scheduler: What computes the bag: a ``distributed.Client``, or a
            scheduler name such as ``"processes"``; default Dask's current
            one (the client made last, if any).
        max_years: As for :func:`run`.
        payer: As for :func:`run`: with a pack, the ``billable_days`` table too.
        max_bytes: As for :func:`run`.
    """
    try:
        import dask.bag
    except ImportError:  # pragma: no cover - the dask extra is installed for the tests
        raise MissingExtraError("careplan.batch.run_dask", "Dask", "dask") from None
    if isinstance(paths, str):
        paths = _expand_glob(paths)
    pack = _pack(payer)
    items = [(index, os.fspath(path)) for index, path in enumerate(paths)]
    if not items:
        return _Work(None, max_years, pack, max_bytes)([])
    pieces = partitions or max(1, len(items) // 100)
    bag = dask.bag.from_sequence(  # type: ignore[no-untyped-call]
        items, npartitions=min(pieces, len(items))
    )
    work = _Work(
        None if today is None else require_date("today", today), max_years, pack, max_bytes
    )
    found = bag.map_partitions(lambda part: [work(list(part))])
    parts = found.compute(scheduler=scheduler)
    return Tables.concatenate(parts)


def _expand_glob(pattern: str) -> list[str]:
    if "://" in pattern:
        import fsspec

        files = fsspec.open_files(pattern)
        return sorted(file.full_name for file in files)
    return sorted(glob.glob(pattern))


@attrs.frozen
class _Work:
    """One chunk of documents to tables: picklable, for workers of any kind."""

    today: _dt.date | None
    max_years: int
    payer: PayerRules | None = None
    max_bytes: int = MAX_DOCUMENT_BYTES

    def __call__(self, chunk: list[tuple[int, Source]]) -> Tables:
        found = schemas()
        if self.payer is None:
            del found["billable_days"]
        columns: dict[str, dict[str, list[Any]]] = {
            name: {field.name: [] for field in schema} for name, schema in found.items()
        }
        for index, source in chunk:
            _document(index, source, self, columns)
        return Tables(
            **{
                name: pa.Table.from_pydict(columns[name], schema=schema)
                for name, schema in found.items()
            }
        )


def _label(index: int, source: Source) -> str:
    if isinstance(source, (CarePlan, bytes)) or (
        isinstance(source, str) and source.lstrip().startswith("{")
    ):
        return f"#{index}"
    return os.fspath(source)


def _read(source: Source, max_years: int, max_bytes: int) -> CarePlan:
    if isinstance(source, CarePlan):
        return source
    if isinstance(source, bytes) or (isinstance(source, str) and source.lstrip().startswith("{")):
        return from_json(source, max_years=max_years)
    path = os.fspath(source)
    if "://" in path:
        import fsspec

        with fsspec.open(path, "rb") as file:
            data = file.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise Refused(f"it is larger than {max_bytes:,} bytes", too_large=True)
        return from_json(data, max_years=max_years)
    return from_json(read_regular_file(path, max_bytes), max_years=max_years)


def _document(
    index: int, source: Source, work: _Work, columns: dict[str, dict[str, list[Any]]]
) -> None:
    """Add one document's rows; a document that cannot be read adds its error."""
    label = _label(index, source)
    try:
        plan = _read(source, work.max_years, work.max_bytes)
        found = _columns(index, label, plan, work.today, work.max_years, work.payer)
    except Refused as refused:
        error = f"cannot read it: {refused}"
    except (CarePlanError, OSError, UnicodeError) as problem:
        error = str(problem) or type(problem).__name__
    except Exception as problem:  # a nightly batch reports a bug and goes on
        # Its class only: the text of an unexpected error may quote the document.
        error = f"unexpected {type(problem).__name__}; please report it as a bug"
    else:
        for name, table in found.items():
            for field, values in columns[name].items():
                values.extend(table[field])
        return
    row = {"index": index, "source": label, "ok": False, "error": error}
    for field, values in columns["plans"].items():
        values.append(row.get(field))


def _columns(
    index: int,
    label: str,
    plan: CarePlan,
    today: _dt.date | None,
    max_years: int,
    payer: PayerRules | None,
) -> dict[str, dict[str, list[Any]]]:
    """One plan's columns of each table, computed before any is added (so an error adds none)."""
    report, expanded, context = validated(plan, today=today, max_years=max_years, payer=payer)
    occurrences: Sequence[Occurrence] = () if expanded is None else expanded
    until = plan.end if today is None else require_date("today", today)
    weeks = [] if expanded is None else weekly_delivery(plan, until, expanded)
    # The days the billing rule judged: without a "today", all are forecast.
    days = [] if context is None or payer is None else context.billing_days()
    violations = report.violations

    def key(count: int) -> dict[str, list[Any]]:
        return {"index": [index] * count, "source": [label] * count, "plan_id": [plan.id] * count}

    levels = [episode.level.code for episode in plan.episodes]
    scheduled = sum(week.scheduled_minutes for week in weeks)
    delivered = sum(week.delivered_minutes for week in weeks)
    found = {
        "plans": {
            **key(1),
            "ok": [True],
            "error": [None],
            "client_id": [plan.client.id],
            "continuum": [plan.continuum.name],
            "level": [plan.level.code],
            "timezone": [plan.timezone],
            "start": [plan.start],
            "end": [plan.end],
            "occurrences": [len(occurrences)],
            "scheduled_minutes": [scheduled],
            "delivered_minutes": [delivered],
            "errors": [len(report.errors)],
            "warnings": [len(report.warnings)],
            "codes": [sorted(report.codes)],
        },
        "violations": {
            **key(len(violations)),
            "code": [violation.code for violation in violations],
            "severity": [violation.severity for violation in violations],
            "message": [violation.message for violation in violations],
            "session_ids": [list(violation.session_ids) for violation in violations],
            "dates": [list(violation.dates) for violation in violations],
        },
        # Arrow turns the aware instants into UTC itself, from their offsets.
        "occurrences": {
            **key(len(occurrences)),
            "session_id": [occurrence.session.id for occurrence in occurrences],
            "kind": [occurrence.session.kind.code for occurrence in occurrences],
            "level": [levels[occurrence.episode] for occurrence in occurrences],
            "episode": [occurrence.episode for occurrence in occurrences],
            "scheduled_on": [occurrence.scheduled_on for occurrence in occurrences],
            "date": [occurrence.date for occurrence in occurrences],
            "start": [occurrence.start for occurrence in occurrences],
            "end": [occurrence.end for occurrence in occurrences],
            "timezone": [occurrence.start.timezone_name for occurrence in occurrences],
            "minutes": [occurrence.minutes for occurrence in occurrences],
            "moved": [occurrence.moved for occurrence in occurrences],
        },
        "weeks": {
            **key(len(weeks)),
            "monday": [week.monday for week in weeks],
            "level": [week.level.code for week in weeks],
            "scheduled_minutes": [week.scheduled_minutes for week in weeks],
            "delivered_minutes": [week.delivered_minutes for week in weeks],
            "sessions": [week.sessions for week in weeks],
            "attended": [week.attended for week in weeks],
            "unexcused": [week.unexcused for week in weeks],
            "unrecorded": [week.unrecorded for week in weeks],
        },
    }
    if payer is not None:
        found["billable_days"] = {
            **key(len(days)),
            "date": [day.day for day in days],
            "level": [day.level for day in days],
            "payer": [payer.name] * len(days),
            "payer_version": [payer.version] * len(days),
            "services": [day.services for day in days],
            "minutes": [day.minutes for day in days],
            "billable": [day.billable for day in days],
            "units": [int(day.billable) for day in days],
            "tier": [day.tier for day in days],
            "codes": [
                [{"system": code.system, "code": code.code} for code in day.codes] for day in days
            ],
            "reasons": [list(day.reasons) for day in days],
            "forecast": [day.forecast for day in days],
        }
    return found
