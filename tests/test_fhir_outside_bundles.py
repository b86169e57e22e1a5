"""Reading FHIR from outside: only CarePlanError, no health text in errors, bounded work.

Issue 28, items 10 to 13: ``from_fhir`` of mutated Bundles raises nothing
but :class:`~careplan.CarePlanError` and never quotes the client's name or
goals; it honours the plan-length limit before it builds anything; a
server's copy (ids rewritten, references as ``Patient/<id>``) reads back;
the export refuses, before any work, a plan whose R4 Bundle would pass the
documented budget.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import careplan as cp
import careplan.fhir._r4
import careplan.fhir._read
from careplan.cli import main
from careplan.demo import sample_plan, sample_plan_of_care
from careplan.fhir import from_fhir, to_fhir
from careplan.fhir._r5 import MAX_R4_APPOINTMENTS
from careplan.testing import care_plans
from test_fhir_exchange import _carried

SECRET = "Jane Q Doe relapsed on heroin"


def _never(*args, **kwargs):
    raise AssertionError("called before the limit was checked")


def _op_week() -> cp.WeeklySchedule:
    """An outpatient week: individual therapy on Tuesdays."""
    return cp.WeeklySchedule(
        "America/New_York",
        [cp.Session("tuesday", "17:00", 50, cp.SessionKind.INDIVIDUAL_THERAPY)],
    )


def _secret_plan() -> cp.CarePlan:
    # Six weeks: a small R4 Bundle, so that each example reads quickly.
    plan = sample_plan_of_care(weeks=6)
    plan = plan.cancel("mon-0930-group_therapy", pendulum.date(2027, 1, 11))
    plan = plan.reschedule(
        "mon-1200-individual_therapy",
        pendulum.date(2027, 1, 25),
        pendulum.datetime(2027, 1, 26, 15, tz="America/New_York"),
    )
    plan = cp.step_down(plan, on=pendulum.date(2027, 2, 1), reason="goals_met", schedule=_op_week())
    return attrs.evolve(
        plan,
        client=cp.Client(plan.client.id, SECRET),
        goals=[attrs.evolve(g, description=SECRET, measure=SECRET) for g in plan.goals],
    )


BUNDLES = {
    version: json.loads(
        json.dumps(to_fhir(_secret_plan(), version=version, client_name=True, diagnoses=True))
    )
    for version in ("r4", "r5")
}

ODD = [
    None,
    "",
    " ",
    "x",
    SECRET,
    "\ud800",
    -1,
    0,
    10**30,
    1e308,
    True,
    [],
    {},
    [[]],
    [{}],
    {"reference": 5},
    "2027-02-30",
    "0001-01-01",
    "9999-12-31T23:59:59+14:00",
    "1900-01-01",
    "Patient/1",
    "urn:uuid:0",
    ["Bundle"],
]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = {version: list(_paths(bundle))[1:] for version, bundle in BUNDLES.items()}


def _mutated(bundle, path, how, odd):
    copy = json.loads(json.dumps(bundle))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if how == "replace":
        parent[key] = odd
    elif how == "drop":
        del parent[key]
    elif how == "wrap":
        parent[key] = [parent[key]]
    else:  # "unwrap": a list's first item in its place
        value = parent[key]
        parent[key] = value[0] if isinstance(value, list) and value else value
    return copy


def _read(bundle):
    """from_fhir's plan, or the text of its CarePlanError; anything else fails the test."""
    try:
        return from_fhir(bundle)
    except cp.CarePlanError as error:
        return str(error)


@pytest.mark.parametrize("version", ["r4", "r5"])
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_bundle_reads_or_is_a_careplan_error_without_health_text(version, data):
    mutations = data.draw(st.integers(1, 3))
    bundle = BUNDLES[version]
    for _ in range(mutations):
        paths = list(_paths(bundle))[1:]
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        how = data.draw(st.sampled_from(["replace", "drop", "wrap", "unwrap"]))
        bundle = _mutated(bundle, path, how, data.draw(st.sampled_from(ODD)))
    result = _read(bundle)
    if isinstance(result, str):
        assert SECRET not in result
        assert "heroin" not in result


@pytest.mark.parametrize(
    "bundle",
    [
        {"resourceType": ["Bundle"]},
        {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "CarePlan"}}]},
        {"resourceType": "Bundle", "entry": [None, 5, "x"]},
    ],
)
def test_shapes_the_review_found_are_document_errors(bundle):
    with pytest.raises(cp.DocumentError):
        from_fhir(bundle)


def test_the_review_reproducers_are_document_errors():
    """An EpisodeOfCare without a period, an R4 Appointment without an end,
    an identifier of null, an empty weekly template (issue 28.11)."""
    r4, r5 = BUNDLES["r4"], BUNDLES["r5"]
    for bundle, kind, change in [
        (r5, "EpisodeOfCare", lambda r: r.pop("period")),
        (r4, "Appointment", lambda r: r.pop("end")),
        (r5, "CarePlan", lambda r: r.update(identifier=None)),
        (
            r5,
            "Appointment",
            lambda r: r.get("recurrenceTemplate", [{}])[0].update(weeklyTemplate={}),
        ),
    ]:
        copy = json.loads(json.dumps(bundle))
        for entry in copy["entry"]:
            if entry["resource"]["resourceType"] == kind:
                change(entry["resource"])
        result = _read(copy)
        assert isinstance(result, (str, cp.CarePlan))


def test_a_deeply_nested_bundle_is_one_line_at_the_command_line(tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main(["import-fhir", str(deep), "-o", str(tmp_path / "out.json")]) == 2
    assert "nested too deeply" in capsys.readouterr().err


def _spanning(version: str, start: str, end: str):
    bundle = json.loads(json.dumps(to_fhir(sample_plan(), version=version)))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "CarePlan":
            resource["period"] = {"start": start, "end": end}
    return bundle


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_the_plan_length_limit_is_checked_before_anything_is_built(version, monkeypatch):
    """Issue 28.12: a Bundle spanning 1900-2199 made millions of cancellations."""
    bundle = _spanning(version, "2027-01-04", "2199-12-31")
    with monkeypatch.context() as patched:
        # Refused before any series is expanded.
        patched.setattr(careplan.fhir._read, "series_dates", _never)
        with pytest.raises(cp.DocumentError, match="10 years or more") as caught:
            from_fhir(bundle)
    assert caught.value.path == "entry[0].resource.period"
    with pytest.raises(cp.DocumentError, match="3 years or more"):
        from_fhir(_spanning(version, "2027-01-04", "2030-01-04"), max_years=3)
    with pytest.raises(cp.InvalidValueError, match="max_years"):
        from_fhir(bundle, max_years=0)


def test_import_fhir_honours_max_years(tmp_path, capsys):
    source = tmp_path / "b.json"
    source.write_text(json.dumps(_spanning("r5", "2027-01-04", "2030-01-04")), encoding="utf-8")
    out = tmp_path / "p.json"
    assert main(["import-fhir", str(source), "-o", str(out), "--max-years", "2"]) == 2
    assert not out.exists()
    assert main(["import-fhir", str(source), "-o", str(out), "--max-years", "5"]) == 0


def _as_a_server_stores_it(bundle):
    """What a FHIR server returns for a search: its own ids, RESTful full URLs
    and references ``Type/id`` (the urn:uuid ones rewritten)."""
    ids = {}
    for number, entry in enumerate(bundle["entry"]):
        kind = entry["resource"]["resourceType"]
        ids[entry["fullUrl"]] = f"{kind}/{number + 100}"
    text = json.dumps(bundle)
    for old, new in ids.items():
        text = text.replace(f'"{old}"', f'"{new}"')
    served = json.loads(text)
    served["type"] = "searchset"
    for entry in served["entry"]:
        kind, number = entry["fullUrl"].split("/")
        entry["resource"]["id"] = number
        entry["fullUrl"] = f"https://ehr.example/fhir/{kind}/{number}"
    return served


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_a_servers_copy_with_relative_references_reads_back(version):
    plan = _secret_plan()
    served = _as_a_server_stores_it(to_fhir(plan, version=version, diagnoses=True))
    assert any('"reference": "Patient/' in json.dumps(e["resource"]) for e in served["entry"])
    again = from_fhir(served)
    assert again.occurrences() == plan.occurrences()
    assert again.diagnoses == plan.diagnoses
    # Also without full URLs: by type and id alone.
    for entry in served["entry"]:
        del entry["fullUrl"]
    assert from_fhir(served).occurrences() == plan.occurrences()


def _crowded(weeks: int, sessions: int) -> cp.CarePlan:
    plan = sample_plan(weeks=weeks)
    many = [
        cp.Session("monday", f"{6 + n // 6:02d}:{(n % 6) * 10:02d}", 10, cp.SessionKind.CHECK_IN)
        for n in range(sessions)
    ]
    return attrs.evolve(plan, schedule=cp.WeeklySchedule(plan.timezone, many))


def test_an_r4_export_over_the_budget_is_refused_before_any_work(monkeypatch):
    """Issue 28.13: R4 writes an Appointment per occurrence; the budget bounds them."""
    plan = _crowded(weeks=520, sessions=60)  # 31,200 occurrences
    with monkeypatch.context() as patched:
        # Refused before any occurrence is expanded.
        patched.setattr(careplan.fhir._r4, "occurrences", _never)
        with pytest.raises(cp.InvalidValueError, match="R4") as caught:
            to_fhir(plan, version="r4")
    assert str(MAX_R4_APPOINTMENTS) in str(caught.value) or "20,000" in str(caught.value)
    # R5 writes each series once: the same plan exports.
    assert len(to_fhir(plan)["entry"]) < 100


def test_an_r4_export_within_the_budget_is_written():
    plan = _crowded(weeks=100, sessions=30)  # 3,000 occurrences
    bundle = to_fhir(plan, version="r4")
    appointments = [e for e in bundle["entry"] if e["resource"]["resourceType"] == "Appointment"]
    assert len(appointments) == len(plan.occurrences()) <= MAX_R4_APPOINTMENTS


def test_careplan_fhir_over_the_r4_budget_is_one_line_exit_2(tmp_path, capsys):
    source = tmp_path / "crowded.json"
    source.write_text(cp.to_json(_crowded(weeks=520, sessions=60)), encoding="utf-8")
    out = tmp_path / "bundle.json"
    assert main(["fhir", str(source), "--fhir-version", "r4", "-o", str(out)]) == 2
    assert "more than an R4 export writes" in capsys.readouterr().err
    assert not out.exists()
    assert main(["fhir", str(source), "-o", str(out)]) == 0  # R5


def _in_utc(text):
    """A FHIR dateTime as the same instant in UTC, as some servers store it."""
    moment = dt.datetime.fromisoformat(text).astimezone(dt.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize("wall_time", [True, False])
@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Tokyo"])
def test_r5_series_starts_stored_in_utc_read_back_in_their_weeks(zone, wall_time):
    """A server may store a series' start as the same instant in UTC: a Sunday
    evening consult in New York is then Monday in UTC (a Monday morning one in
    Tokyo is Sunday), and the week of its cadence is still the week its local
    date is in (week A stays week A), as is its wall time."""
    consult = cp.Session("sunday", "21:00", 60, "psychiatric", every_weeks=2, id="a")
    early = cp.Session("monday", "06:00", 60, "psychiatric", every_weeks=2, week_offset=1)
    week = cp.WeeklySchedule(zone, [consult, early])
    plan = cp.CarePlan(
        cp.Client("c"),
        cp.DEFAULT["IOP"],
        week,
        pendulum.date(2027, 1, 4),
        pendulum.date(2027, 3, 7),
    )
    bundle = json.loads(json.dumps(to_fhir(plan, version="r5")))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if "recurrenceTemplate" in resource:
            resource["start"], resource["end"] = map(_in_utc, (resource["start"], resource["end"]))
            if not wall_time:
                del resource["extension"]
    again = from_fhir(bundle)
    assert again.schedule.sessions == plan.schedule.sessions
    assert again.occurrences() == plan.occurrences()


@pytest.mark.parametrize("version", ["r4", "r5"])
@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(plan=care_plans(custom_continua=False))
def test_a_bundle_whose_appointment_times_a_server_stores_in_utc_reads_back(version, plan):
    """Every Appointment's start and end as the same instant in UTC: the plan reads
    back the same (weeks A and B, wall times, moves and episodes)."""
    assume(all(s.title is None or s.title.strip() for e in plan.episodes
               for s in e.schedule.sessions))  # fmt: skip
    bundle = json.loads(json.dumps(to_fhir(plan, version=version, diagnoses=True)))
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Appointment":
            resource["start"], resource["end"] = map(_in_utc, (resource["start"], resource["end"]))
    assert _carried(from_fhir(bundle)) == _carried(plan)
