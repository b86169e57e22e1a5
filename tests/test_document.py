"""The careplan/1 JSON document: round trips, the contract's fields, bad input."""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careplan as cp
from careplan.demo import sample_plan
from careplan.document import shape
from careplan.testing import care_plans


@given(care_plans())
def test_round_trip_keeps_the_plan(plan):
    assert cp.from_json(cp.to_json(plan)) == plan


@given(care_plans())
def test_round_trip_keeps_labels_and_instants(plan):
    again = cp.from_json(cp.to_json(plan))
    assert [t.label for t in again.tracks] == [t.label for t in plan.tracks]
    assert [(o.key, o.start, o.end) for o in again.occurrences()] == [
        (o.key, o.start, o.end) for o in plan.occurrences()
    ]


def test_document_carries_the_contracts_fields():
    data = json.loads(cp.to_json(sample_plan()))
    assert data["format"] == "careplan/1"
    assert data["timezone"] == "America/New_York"
    assert data["level"] == "IOP"
    assert data["continuum"] == "DEFAULT"
    assert (data["start"], data["end"]) == ("2027-01-04", "2027-03-28")
    assert data["closures"][0] == {"date": "2027-01-18", "reason": "Martin Luther King Jr. Day"}
    first = data["sessions"][0]
    assert {k: first[k] for k in ("weekday", "start", "duration_minutes", "kind", "modality")} == {
        "weekday": "monday",
        "start": "09:00",
        "duration_minutes": 30,
        "kind": "check_in",
        "modality": "in_person",
    }


def test_a_custom_continuum_is_embedded():
    custom = cp.Continuum(
        "Clinic", [cp.LevelOfCare("A", "Step A", 1), cp.LevelOfCare("B", "Step B", 2)]
    )
    plan = sample_plan()
    plan = cp.CarePlan(
        plan.client, custom["B"], plan.schedule, plan.start, plan.end, continuum=custom, id="x"
    )
    data = json.loads(cp.to_json(plan))
    assert data["continuum"]["name"] == "Clinic"
    assert cp.from_json(json.dumps(data)).continuum == custom


def _document(**changes):
    data = json.loads(cp.to_json(sample_plan()))
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for step in parents:
            target = target[int(step)] if step.isdigit() else target[step]
        if value is _DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return json.dumps(data)


_DELETE = object()


@pytest.mark.parametrize(
    ("changes", "path", "needle"),
    [
        (
            {"sessions__2__start": "25:00"},
            "sessions[2].start",
            "<text of 5 characters> is not a time of day",
        ),
        ({"sessions__0__start": "24:30"}, "sessions[0].start", "not a time of day"),
        ({"sessions__1__weekday": "someday"}, "sessions[1].weekday", "not a day of the week"),
        (
            {"sessions__1__duration_minutes": 0},
            "sessions[1].duration_minutes",
            "between 1 and 1440",
        ),
        (
            {"sessions__1__duration_minutes": "90"},
            "sessions[1].duration_minutes",
            "not a whole number",
        ),
        ({"sessions__4__start": "23:30"}, "sessions[4].duration_minutes", "cross midnight"),
        ({"sessions__0__kind": "Group Therapy"}, "sessions[0].kind", "not a valid code"),
        ({"sessions__0__modality": "phone"}, "sessions[0].modality", "not a modality"),
        ({"sessions__0__every_weeks": 0}, "sessions[0].every_weeks", "whole number from 1 to 52"),
        ({"sessions__0__week_offset": 1}, "sessions[0].week_offset", "below the cadence"),
        ({"sessions__1__id": "mon-0900-check_in"}, "sessions[1].id", "used by two sessions"),
        ({"sessions__0__weekday": _DELETE}, "sessions[0].weekday", "is missing"),
        ({"sessions__0__colour": "red"}, "sessions[0].colour", "not a field"),
        ({"sessions": "monday"}, "sessions", "not a list"),
        ({"timezone": "-05:00"}, "timezone", "fixed UTC offset"),
        ({"timezone": "Moon/Base"}, "timezone", "not a known IANA time zone"),
        ({"level": "ICU"}, "level", "not a level of the continuum; use one of: OP, IOP"),
        ({"continuum": "NICE"}, "continuum", "not a built-in continuum"),
        ({"start": "2027-13-01"}, "start", "not a date"),
        ({"end": 20270328}, "end", "not a string"),
        ({"closures__0__date": "next week"}, "closures[0].date", "not a date"),
        ({"client": "Alex"}, "client", "not an object"),
        ({"client__id": None}, "client.id", "not a string"),
        ({"diagnoses": [1]}, "diagnoses[0]", "not a string"),
        ({"goals__0__target_date": "soon"}, "goals[0].target_date", "not a date"),
    ],
)
def test_bad_fields_are_named_by_path(changes, path, needle):
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(_document(**changes))
    assert info.value.path == path
    assert needle in str(info.value)
    assert str(info.value).startswith(path)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"format": "careplan/2"}', "format"),
        ("{}", "format: is missing"),
        ('{"format": "careplan/1", "x": NaN}', "NaN is not allowed"),
    ],
)
def test_unreadable_documents(text, needle):
    with pytest.raises(cp.DocumentError, match=needle):
        cp.from_json(text)


def test_a_reschedule_must_carry_an_offset():
    plan = sample_plan().reschedule(
        "mon-1200-individual_therapy",
        sample_plan().start,
        __import__("pendulum").datetime(2027, 1, 5, 14, tz="America/New_York"),
    )
    data = json.loads(cp.to_json(plan))
    data["reschedules"][0]["start"] = "2027-01-05T14:00:00"
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == "reschedules[0].start"


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


_BASE = json.loads(cp.to_json(sample_plan()))
_ALL_PATHS = [p for p in _paths(_BASE) if p]


@given(st.sampled_from(_ALL_PATHS), _JSON)
def test_any_json_value_in_any_field_raises_only_careplan_errors(path, value):
    data = json.loads(json.dumps(_BASE))
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    try:
        plan = cp.from_json(json.dumps(data))
    except cp.CarePlanError:
        return
    assert isinstance(plan, cp.CarePlan)
    # What was read is a real plan: it writes and validates.
    cp.validate(plan)
    assert cp.from_json(cp.to_json(plan)) == plan


@given(_JSON)
def test_any_json_document_raises_only_careplan_errors(value):
    with pytest.raises(cp.CarePlanError):
        cp.from_json(json.dumps(value))


def test_a_week_offset_is_written_only_when_not_zero_and_read_back():
    plan = sample_plan()
    sessions = [
        attrs.evolve(s, week_offset=1) if s.every_weeks == 2 else s for s in plan.schedule.sessions
    ]
    week_b = attrs.evolve(plan, schedule=attrs.evolve(plan.schedule, sessions=sessions))
    written = json.loads(cp.to_json(week_b))["sessions"]
    assert [s.get("week_offset") for s in written] == [
        1 if s["every_weeks"] == 2 else None for s in written
    ]
    assert 1 in [s.get("week_offset") for s in written]
    assert "week_offset" not in cp.to_json(plan)
    back = cp.from_json(cp.to_json(week_b))
    assert back.schedule == week_b.schedule
    assert back.occurrences() == week_b.occurrences() != plan.occurrences()


def test_fields_added_after_the_first_release_are_written_only_when_used():
    # So a document that does not use them reads in the versions before them.
    session = cp.Session("monday", "18:00", 120, "group_therapy")
    plan = cp.CarePlan(
        client=cp.Client("c-1"),
        level="IOP",
        schedule=cp.WeeklySchedule("America/New_York", [session]),
        start=pendulum.date(2027, 3, 1),
        weeks=12,
    )
    data = json.loads(cp.to_json(plan))
    added = {f.name for f in attrs.fields(shape.PlanDoc) if f.metadata == shape.ADDED}
    assert {"holds", "readmission_of", "safety"} <= added
    assert not added & data.keys()
    assert "role" not in data["sessions"][0]
    used = attrs.evolve(
        plan,
        readmission_of="plan-0",
        schedule=cp.WeeklySchedule("America/New_York", [attrs.evolve(session, role="nurse")]),
    )
    data = json.loads(cp.to_json(used))
    assert data["readmission_of"] == "plan-0"
    assert data["sessions"][0]["role"] == "nurse"
    assert cp.from_json(cp.to_json(used)) == used
