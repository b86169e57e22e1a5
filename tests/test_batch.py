"""careplan.batch: many documents in, the same rows as one plan at a time, never a crash."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import attrs
import pendulum
import pytest

import careplan as cp
from careplan import batch
from careplan.demo import sample_plan

TODAY = pendulum.date(2027, 2, 15)


def _plans():
    """Plans with attendance, an authorization, a move and a step down."""
    first = sample_plan()
    attended = first
    for occurrence in first.occurrences()[:20]:
        attended = attended.record_attendance(
            occurrence.session.id, occurrence.scheduled_on, "absent_unexcused"
        )
    authorized = attrs.evolve(
        sample_plan(pendulum.date(2027, 3, 1)),
        id="authorized",
        authorizations=[cp.Authorization("IOP", pendulum.date(2027, 3, 1), TODAY.add(weeks=6), 20)],
    )
    stepped = cp.step_down(
        sample_plan(pendulum.date(2026, 11, 2)),
        on=pendulum.date(2026, 12, 7),
        to="OP",
        reason="goals_met",
        schedule=cp.WeeklySchedule(
            "America/New_York", [cp.Session("tuesday", "18:00", 60, cp.SessionKind.GROUP_THERAPY)]
        ),
    )
    return [attrs.evolve(attended, id="attended"), authorized, attrs.evolve(stepped, id="stepped")]


BAD = {
    "not json": "{not json",
    "old format": '{"format": "careplan/0"}',
    "not utf-8": b'{"format": "\xff"}',
}


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    plans = _plans()
    paths = []
    for plan in plans:
        path = folder / f"{plan.id}.json"
        path.write_text(cp.to_json(plan), encoding="utf-8")
        paths.append(path)
    return [
        paths[0],
        cp.to_json(plans[1]),
        plans[2],
        *BAD.values(),
        str(folder / "missing.json"),
        str(paths[1]),
    ]


@pytest.fixture(scope="module")
def single(sources):
    return batch.run(sources, today=TODAY, workers=1)


def test_each_plan_gives_the_rows_of_validating_and_expanding_it_alone(single):
    plans = {plan.id: plan for plan in _plans()}
    table = single.plans.to_pylist()
    assert [row["ok"] for row in table] == [True, True, True, False, False, False, False, True]
    for row in table:
        if not row["ok"]:
            continue
        plan = plans[row["plan_id"]]
        report = cp.validate(plan, today=TODAY)
        found = [v for v in single.violations.to_pylist() if v["index"] == row["index"]]
        assert [(v["code"], v["severity"], v["message"]) for v in found] == [
            (v.code, v.severity, v.message) for v in report.violations
        ]
        assert [v["dates"] for v in found] == [list(v.dates) for v in report.violations]
        assert (row["errors"], row["warnings"], row["codes"]) == (
            len(report.errors),
            len(report.warnings),
            sorted(report.codes),
        )
        occurrences = [o for o in single.occurrences.to_pylist() if o["index"] == row["index"]]
        expected = plan.occurrences()
        assert [
            (o["session_id"], o["scheduled_on"], o["start"], o["end"]) for o in occurrences
        ] == [(o.session.id, o.scheduled_on, o.start, o.end) for o in expected]
        assert [o["minutes"] for o in occurrences] == [o.minutes for o in expected]
        assert {o["level"] for o in occurrences} == {e.level.code for e in plan.episodes}
        weeks = [w for w in single.weeks.to_pylist() if w["index"] == row["index"]]
        delivered = cp.delivered(plan, today=TODAY)
        assert [(w["monday"], w["scheduled_minutes"], w["delivered_minutes"]) for w in weeks] == [
            (w.monday, w.scheduled_minutes, w.delivered_minutes) for w in delivered
        ]
        assert row["scheduled_minutes"] == sum(w.scheduled_minutes for w in delivered)


def test_bad_documents_become_rows_with_their_error(single, sources):
    rows = single.plans.to_pylist()
    errors = {row["index"]: row["error"] for row in rows if not row["ok"]}
    assert errors[3].startswith("the text is not JSON")
    assert errors[4] == 'format: is "careplan/0"; this version reads careplan/1'
    assert "not UTF-8" in errors[5]
    assert "missing.json" in errors[6]
    assert rows[6]["source"] == str(sources[6])
    assert [row["source"] for row in rows[1:6]] == ["#1", "#2", "#3", "#4", "#5"]
    bad = set(errors)
    for name in ("violations", "occurrences", "weeks"):
        assert not bad & set(getattr(single, name).column("index").to_pylist())


def test_a_process_pool_gives_the_same_tables(single, sources):
    pooled = batch.run(sources, today=TODAY, workers=2, chunk_size=2)
    for name in batch.TABLES:
        assert getattr(pooled, name).equals(getattr(single, name)), name


def test_parquet_round_trip(single, tmp_path):
    written = single.write_parquet(tmp_path / "out")
    assert sorted(written) == sorted(batch.TABLES)
    back = batch.Tables.read_parquet(tmp_path / "out")
    for name in batch.TABLES:
        assert getattr(back, name).equals(getattr(single, name)), name


def test_nothing_in_gives_empty_tables_with_their_schemas():
    tables = batch.run([], workers=1)
    for name, schema in batch.schemas().items():
        assert getattr(tables, name).schema == schema
        assert getattr(tables, name).num_rows == 0


def test_an_unexpected_error_is_a_row_too(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(batch, "validate_rows", broken)
    tables = batch.run([sample_plan()], workers=1)
    assert tables.plans.column("error").to_pylist() == ["unexpected ZeroDivisionError: a bug"]


def test_dask_on_a_local_cluster_gives_the_same_tables(single, sources):
    distributed = pytest.importorskip("distributed")
    paths = [
        str(s) for s in sources if not isinstance(s, (bytes, cp.CarePlan)) and str(s)[:1] != "{"
    ]
    expected = batch.run(paths, today=TODAY, workers=1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        found = batch.run_dask(paths, today=TODAY, partitions=2, scheduler=client)
    for name in batch.TABLES:
        assert getattr(found, name).equals(getattr(expected, name)), name
    assert found.plans.num_rows == len(paths)


def test_run_dask_takes_a_glob(tmp_path):
    pytest.importorskip("dask")
    for index in range(3):
        plan = attrs.evolve(sample_plan(dt.date(2027, 1, 4)), id=f"p{index}")
        (tmp_path / f"{index}.json").write_text(cp.to_json(plan), encoding="utf-8")
    tables = batch.run_dask(str(tmp_path / "*.json"), scheduler="sync")
    assert tables.plans.column("plan_id").to_pylist() == ["p0", "p1", "p2"]


def test_import_careplan_loads_the_heavy_parts_when_first_used():
    # A fresh interpreter: the hooks must be filled however a value was made.
    code = """
import sys
import careplan
heavy = ("icalendar", "cattrs", "pandas", "fhir", "pyarrow", "careplan._adapters.document")
assert not [m for m in heavy if m in sys.modules], sorted(sys.modules)
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._model.kinds import SessionKind
week = WeeklySchedule("Europe/Berlin", [Session("monday", "09:00", 60, SessionKind.CHECK_IN)])
assert "Mon" in week.grid()
assert week.to_html().startswith("<")
from careplan.demo import sample_plan
plan = sample_plan()
assert len(plan.occurrences()) == 118 and plan.to_html()
assert careplan.validate(plan).ok
assert not [m for m in heavy if m in sys.modules], [m for m in heavy if m in sys.modules]
assert set(careplan.__all__) <= set(dir(careplan))
careplan.to_ical(plan)
assert "icalendar" in sys.modules
try:
    careplan.nothing_here
except AttributeError:
    pass
else:
    raise AssertionError("no AttributeError")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_every_export_is_where_init_says():
    from careplan import _EXPORTS

    assert set(_EXPORTS) | {"__version__"} == set(cp.__all__) | {"__version__"}
    for name in cp.__all__:
        assert getattr(cp, name) is not None
