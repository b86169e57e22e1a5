"""careplan.batch: many documents in, the same rows as one plan at a time, never a crash."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan import batch
from careplan.demo import sample_plan
from careplan.testing import attendance_records, care_plans

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


@pytest.fixture(scope="module")
def billed(sources):
    return batch.run(sources, today=TODAY, workers=1, payer=cp.MEDICARE_2024)


def _same_tables(found, expected):
    assert found.tables().keys() == expected.tables().keys()
    for name, table in expected.tables().items():
        assert getattr(found, name).equals(table), name


def _billing_rows(days, pack):
    """What careplan.billing says, as the batch's billable_days columns."""
    return [
        {
            "date": day.day,
            "level": day.level,
            "payer": pack.name,
            "payer_version": pack.version,
            "services": day.services,
            "minutes": day.minutes,
            "billable": day.billable,
            "units": 1 if day.billable else 0,
            "tier": day.tier,
            "codes": [{"system": code.system, "code": code.code} for code in day.codes],
            "reasons": list(day.reasons),
            "forecast": day.forecast,
        }
        for day in days
    ]


def _batch_days(tables, index):
    keep = set(batch.schemas()["billable_days"].names) - {"index", "source", "plan_id"}
    return [
        {name: value for name, value in row.items() if name in keep}
        for row in tables.billable_days.to_pylist()
        if row["index"] == index
    ]


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
    assert errors[4] == "format: is <text of 10 characters>; this version reads careplan/1"
    assert "not UTF-8" in errors[5]
    assert errors[6] == "cannot read it: no such file or folder"  # the source names the path
    assert rows[6]["source"] == str(sources[6])
    assert [row["source"] for row in rows[1:6]] == ["#1", "#2", "#3", "#4", "#5"]
    bad = set(errors)
    for name in ("violations", "occurrences", "weeks"):
        assert not bad & set(getattr(single, name).column("index").to_pylist())


def test_without_a_payer_pack_there_is_no_billable_days_table(single):
    assert single.billable_days is None
    assert list(single.tables()) == [name for name in batch.TABLES if name != "billable_days"]


def test_each_plan_gives_the_billable_days_of_billing_it_alone(billed, single):
    plans = {plan.id: plan for plan in _plans()}
    pack = cp.MEDICARE_2024
    ok = [row for row in billed.plans.to_pylist() if row["ok"]]
    assert len(ok) == 4
    for row in ok:
        plan = plans[row["plan_id"]]
        expected = _billing_rows(cp.billing(plan, pack, today=TODAY), pack)
        assert expected  # every sample plan has days of care
        assert _batch_days(billed, row["index"]) == expected
        # The violations are validate's with the pack: its billing rule too.
        report = cp.validate(plan, today=TODAY, payer=pack)
        found = [v for v in billed.violations.to_pylist() if v["index"] == row["index"]]
        assert [(v["code"], v["message"]) for v in found] == [
            (v.code, v.message) for v in report.violations
        ]
    days = billed.billable_days.to_pylist()
    assert {d["forecast"] for d in days} == {True, False}
    assert {d["billable"] for d in days} == {True, False}
    assert all(d["reasons"] == [] for d in days if d["billable"])
    # The other tables are the same as without a pack.
    for name in ("occurrences", "weeks"):
        assert getattr(billed, name).equals(getattr(single, name)), name


def test_bad_documents_have_no_billable_days(billed, single):
    bad = {row["index"] for row in billed.plans.to_pylist() if not row["ok"]}
    assert bad == {3, 4, 5, 6}
    assert not bad & set(billed.billable_days.column("index").to_pylist())
    assert billed.plans.column("error").equals(single.plans.column("error"))


def test_without_today_every_billable_day_is_a_forecast():
    plan = _plans()[1]
    tables = batch.run([plan], workers=1, payer="commercial")
    expected = cp.billing(plan, cp.COMMERCIAL, today=plan.start.subtract(days=1))
    assert _batch_days(tables, 0) == _billing_rows(expected, cp.COMMERCIAL)
    assert all(tables.billable_days.column("forecast").to_pylist())


def test_a_built_in_pack_by_key_is_the_pack_itself(sources):
    by_key = batch.run(sources[:3], today=TODAY, workers=1, payer="medicare-2024")
    by_value = batch.run(sources[:3], today=TODAY, workers=1, payer=cp.MEDICARE_2024)
    _same_tables(by_key, by_value)


def test_an_unknown_pack_is_refused_before_any_work():
    with pytest.raises(cp.InvalidValueError, match="medicare-2024, commercial"):
        batch.run([sample_plan()], workers=1, payer="medicaid")


def test_a_custom_pack_names_itself_in_each_row():
    pack = cp.PayerRules(
        "State Medicaid",
        "2026.1",
        pendulum.date(2026, 1, 1),
        levels=[cp.LevelRules(["IOP"], ["group_therapy"], min_services=2)],
    )
    tables = batch.run([sample_plan()], today=TODAY, workers=1, payer=pack)
    days = tables.billable_days.to_pylist()
    assert {(d["payer"], d["payer_version"]) for d in days} == {("State Medicaid", "2026.1")}
    assert _batch_days(tables, 0) == _billing_rows(
        cp.billing(sample_plan(), pack, today=TODAY), pack
    )


@settings(max_examples=25)
@given(
    plans=st.lists(care_plans(max_weeks=8), min_size=1, max_size=3),
    today_offset=st.none() | st.integers(-7, 70),
    key=st.sampled_from(sorted(cp.BUILTIN_PAYERS)),
    data=st.data(),
)
def test_billable_days_are_billings_for_any_plans(plans, today_offset, key, data):
    plans = [data.draw(attendance_records(plan)) for plan in plans]
    pack = cp.BUILTIN_PAYERS[key]
    today = None if today_offset is None else plans[0].start.add(days=today_offset)
    tables = batch.run(plans, today=today, workers=1, payer=key)
    assert tables.plans.column("ok").to_pylist() == [True] * len(plans)
    for index, plan in enumerate(plans):
        judged = plan.start.subtract(days=1) if today is None else today
        expected = cp.billing(plan, pack, today=judged)
        assert _batch_days(tables, index) == _billing_rows(expected, pack)


def test_a_process_pool_gives_the_same_tables(single, billed, sources):
    pooled = batch.run(sources, today=TODAY, workers=2, chunk_size=2)
    _same_tables(pooled, single)
    pooled = batch.run(sources, today=TODAY, workers=2, chunk_size=3, payer=cp.MEDICARE_2024)
    _same_tables(pooled, billed)


def test_an_executor_of_ones_own_gives_the_same_tables(billed, sources):
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        found = batch.run(sources, today=TODAY, chunk_size=5, payer="medicare-2024", executor=pool)
    _same_tables(found, billed)


def test_parquet_round_trip(single, billed, tmp_path):
    written = billed.write_parquet(tmp_path / "out")
    assert sorted(written) == sorted(batch.TABLES)
    _same_tables(batch.Tables.read_parquet(tmp_path / "out"), billed)
    # A batch without a pack replaces the folder's tables, billable days too.
    written = single.write_parquet(tmp_path / "out")
    assert "billable_days" not in written
    assert not (tmp_path / "out" / "billable_days.parquet").exists()
    back = batch.Tables.read_parquet(tmp_path / "out")
    assert back.billable_days is None
    _same_tables(back, single)


def test_nothing_in_gives_empty_tables_with_their_schemas():
    tables = batch.run([], workers=1, payer="commercial")
    for name, schema in batch.schemas().items():
        assert getattr(tables, name).schema == schema
        assert getattr(tables, name).num_rows == 0
    assert batch.run([], workers=1).billable_days is None


def test_batches_with_and_without_billable_days_do_not_concatenate(single, billed):
    both = batch.Tables.concatenate([billed, billed])
    assert both.billable_days.num_rows == 2 * billed.billable_days.num_rows
    assert batch.Tables.concatenate([single, single]).billable_days is None
    with pytest.raises(ValueError, match="billable_days"):
        batch.Tables.concatenate([single, billed])


def test_an_unexpected_error_is_a_row_too(monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(batch, "validated", broken)
    tables = batch.run([sample_plan()], workers=1)
    # The class only: an unexpected error's text may quote the document.
    assert tables.plans.column("error").to_pylist() == [
        "unexpected ZeroDivisionError; please report it as a bug"
    ]


def test_a_fifo_a_device_or_a_huge_file_among_the_paths_does_not_stop_the_batch(tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)  # no writer: reading it would wait forever
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2_000 + cp.to_json(sample_plan()).encode())
    good = tmp_path / "good.json"
    good.write_text(cp.to_json(sample_plan()))
    sources = [fifo, "/dev/zero", tmp_path, big, good]
    tables = batch.run(sources, workers=1, max_bytes=len(good.read_bytes()) + 1_000)
    errors = tables.plans.column("error").to_pylist()
    assert tables.plans.column("ok").to_pylist() == [False, False, False, False, True]
    assert errors[0] == errors[1] == "cannot read it: it is not a regular file (a pipe or a device)"
    assert errors[2] == "cannot read it: it is a folder, not a file"
    assert errors[3].startswith("cannot read it: it is larger than ")
    assert errors[4] is None


def test_dask_on_a_local_cluster_gives_the_same_tables(single, sources):
    distributed = pytest.importorskip("distributed")
    dask = pytest.importorskip("dask")
    paths = [
        str(s) for s in sources if not isinstance(s, (bytes, cp.CarePlan)) and str(s)[:1] != "{"
    ]
    expected = batch.run(paths, today=TODAY, workers=1)
    billed = batch.run(paths, today=TODAY, workers=1, payer=cp.MEDICARE_2024)
    assert billed.billable_days.num_rows > 0
    # Worker processes start by importing careplan; on a loaded CI machine that
    # can take longer than distributed's default 30 s connect timeout.
    with (
        dask.config.set({"distributed.comm.timeouts.connect": "180s"}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster, timeout=180) as client,
    ):
        found = batch.run_dask(paths, today=TODAY, partitions=2, scheduler=client)
        found_billed = batch.run_dask(
            paths, today=TODAY, partitions=3, scheduler=client, payer=cp.MEDICARE_2024
        )
    _same_tables(found, expected)
    _same_tables(found_billed, billed)
    assert found.plans.num_rows == len(paths)


def test_run_dask_takes_a_glob(tmp_path):
    pytest.importorskip("dask")
    for index in range(3):
        plan = attrs.evolve(sample_plan(dt.date(2027, 1, 4)), id=f"p{index}")
        (tmp_path / f"{index}.json").write_text(cp.to_json(plan), encoding="utf-8")
    tables = batch.run_dask(str(tmp_path / "*.json"), scheduler="sync")
    assert tables.plans.column("plan_id").to_pylist() == ["p0", "p1", "p2"]
    assert tables.billable_days is None
    billed = batch.run_dask(str(tmp_path / "*.json"), scheduler="sync", payer="commercial")
    assert set(billed.billable_days.column("plan_id").to_pylist()) == {"p0", "p1", "p2"}
    assert batch.run_dask([], payer="commercial").billable_days.num_rows == 0


def test_import_careplan_loads_the_heavy_parts_when_first_used():
    # A fresh interpreter: the hooks must be filled however a value was made.
    code = """
import sys
import careplan
heavy = ("icalendar", "cattrs", "pandas", "fhir", "pyarrow", "careplan.document")
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
    for name in cp.__all__:
        assert getattr(cp, name) is not None
