"""Fuzzing from_json: whatever the text, it is a plan or a CarePlanError.

Documents are generated plans written with to_json, then mutated: a value
replaced by one of the wrong type, an extreme number or date, or odd
unicode; a key dropped, repeated or added; the text cut short or given a
byte-order mark. A plan that is read is validated too: validation must not
fail on anything from_json accepts.
"""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careplan as cp
from careplan.testing import care_plans

ODD_TEXT = [
    "",
    " ",
    "\x00",
    "\ud800",
    "\u2028",
    "\u202e",
    "\ufeff",
    "e\u0301",
    "ＩＯＰ",
    "٢٠٢٧-٠١-٠٤",
    "2027-02-30",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "2200-01-01",
    "0001-01-01T00:00+05:00",
    "9999-12-31T23:59-05:00",
    "2027-01-04T09:00",
    "25:00",
    "-1",
    "x" * 5000,
    "monday",
    "America/New_York",
    "Etc/GMT+14",
    "../../etc/passwd",
]

ODD_NUMBERS = [
    0,
    -1,
    1,
    2**31,
    2**63,
    -(2**63),
    10**29,
    1e308,
    -1e308,
    5e-324,
    0.5,
    -0.0,
]

ODD_VALUES = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.sampled_from(ODD_NUMBERS),
    st.sampled_from([None, True, False, [], {}, [None], {"": None}]),
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3),
)


def _paths(value: object, path: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    """Every path to a value inside a JSON tree (the root excluded)."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((*path, key))
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((*path, index))
            found += _paths(item, (*path, index))
    return found


def _parent(data: object, path: tuple[object, ...]) -> object:
    for step in path[:-1]:
        data = data[step]  # type: ignore[index]
    return data


@st.composite
def mutated_documents(draw: st.DrawFn) -> str | bytes:
    plan = draw(care_plans())
    data = json.loads(cp.to_json(plan))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        action = draw(st.sampled_from(["replace", "replace", "replace", "drop", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(ODD_VALUES)  # type: ignore[index]
        elif action == "drop":
            if isinstance(parent, dict):
                del parent[path[-1]]
            else:
                parent.pop(path[-1])  # type: ignore[attr-defined]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "Start", "sessions ", ""]))] = draw(ODD_VALUES)
        else:
            parent.append(draw(ODD_VALUES))  # type: ignore[attr-defined]
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    ending = draw(st.sampled_from(["as is", "cut", "repeat a key", "bom", "bytes", "bom bytes"]))
    if ending == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    elif ending == "repeat a key":
        text = text.replace('"id": ', '"id": "again", "id": ', 1)
    elif ending == "bom":
        text = "\ufeff" + text
    elif ending == "bytes":
        return text.encode("utf-8", "surrogatepass")
    elif ending == "bom bytes":
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    return text


@given(mutated_documents(), st.sampled_from([None, pendulum.date(2027, 6, 1)]))
def test_a_mutated_document_is_a_plan_or_a_careplan_error(text, today):
    try:
        plan = cp.from_json(text, today=today)
    except cp.DocumentError:
        return  # any other exception, CarePlanError or not, fails the test
    cp.validate(plan, today=today)


@given(care_plans(), st.sampled_from(["bom", "bom bytes", "bytes"]))
def test_a_byte_order_mark_is_read_alike_in_text_and_bytes(plan, form):
    text = cp.to_json(plan)
    given_text = {
        "bom": "\ufeff" + text,
        "bom bytes": b"\xef\xbb\xbf" + text.encode(),
        "bytes": text.encode(),
    }[form]
    assert cp.from_json(given_text) == plan


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"format": "careplan/1", "format": "careplan/1"}', "format"),
        ('{"format": "careplan/1", "labels": {"kinds": {"a": "A", "a": "B"}}}', "labels.kinds.a"),
        ('{"format": "careplan/1", "sessions": [{"id": 1' + "0" * 5000 + "}]}", "sessions[0].id"),
        (
            '{"format": "careplan/1", "sessions": [{"minutes": -' + "9" * 40 + "}]}",
            "sessions[0].minutes",
        ),
    ],
)
def test_repeated_keys_and_overlong_numbers_are_refused_with_their_path(text, path):
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(text)
    assert info.value.path == path


def test_a_long_number_within_the_limit_is_read_as_a_number():
    # 30 digits pass the decoder; the field's own check decides.
    plan = json.loads(cp.to_json(_sample()))
    plan["sessions"][0]["duration_minutes"] = 10**29
    with pytest.raises(cp.DocumentError, match="between 1 and 1440") as info:
        cp.from_json(json.dumps(plan))
    assert info.value.path == "sessions[0].duration_minutes"


def _sample() -> cp.CarePlan:
    from careplan.demo import sample_plan

    return sample_plan()


@pytest.mark.parametrize(
    ("field", "value", "path"),
    [
        ("start", "0001-01-01", "start"),
        ("end", "9999-12-31", "end"),
        ("end", "2040-01-01", "end"),
    ],
)
def test_dates_beyond_the_limits_are_refused_before_any_expansion(field, value, path):
    data = json.loads(cp.to_json(_sample()))
    data[field] = value
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == path
    assert "max_years" in str(info.value) or "1900-01-01 to 2199-12-31" in str(info.value)


def test_far_dates_are_refused_with_their_path():
    data = json.loads(cp.to_json(_sample()))
    data["closures"].append({"date": "2199-01-01", "reason": ""})
    with pytest.raises(cp.DocumentError, match="more than 10 years away") as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == f"closures[{len(data['closures']) - 1}].date"
    data["closures"][-1]["date"] = "0001-01-01"
    with pytest.raises(cp.DocumentError, match="outside the dates"):
        cp.from_json(json.dumps(data))
    data["closures"].pop()
    data["reschedules"] = [
        {"session_id": "mon-0900-check_in", "date": "2027-01-04", "start": "9999-12-31T23:00-12:00"}
    ]
    with pytest.raises(cp.DocumentError, match="outside the dates") as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == "reschedules[0].start"


def test_the_period_limit_can_be_raised():
    plan = _sample()
    long = cp.CarePlan(
        plan.client,
        plan.level,
        plan.schedule,
        pendulum.date(2027, 1, 4),
        pendulum.date(2038, 1, 3),
        id="long",
    )
    text = cp.to_json(long)
    with pytest.raises(cp.DocumentError, match="10 years or more") as info:
        cp.from_json(text)
    assert info.value.path == "end"
    assert cp.from_json(text, max_years=12) == long
    with pytest.raises(cp.InvalidValueError):
        cp.from_json(text, max_years=0)


def test_validate_reports_limits_instead_of_expanding():
    plan = _sample()
    endless = cp.CarePlan(
        plan.client,
        plan.level,
        plan.schedule,
        pendulum.date(1900, 1, 1),
        pendulum.date(2199, 12, 31),
    )
    report = cp.validate(endless)
    assert report.codes == {"limits.period_too_long"}
    assert not report.ok
    # Dates outside careplan's window are refused when a value is built, so
    # no plan holds one (from_json could not read it back).
    for first, last in (
        (pendulum.date(1, 1, 1), pendulum.date(1, 3, 1)),
        (pendulum.date(9999, 12, 1), pendulum.date(9999, 12, 31)),
    ):
        with pytest.raises(cp.InvalidValueError, match="1900-01-01 to 2199-12-31"):
            cp.CarePlan(plan.client, plan.level, plan.schedule, first, last)
    with pytest.raises(cp.InvalidValueError, match="1900-01-01 to 2199-12-31"):
        cp.expand(plan.schedule, pendulum.date(1, 1, 1), pendulum.date(1, 3, 1))
    far = attrs.evolve(plan, closures=[cp.Closure(pendulum.date(2150, 1, 1))])
    assert cp.validate(far).codes == {"limits.date_out_of_range"}
    twelve = attrs.evolve(plan, end=pendulum.date(2038, 12, 31))
    assert cp.validate(twelve).codes == {"limits.period_too_long"}
    assert "limits.period_too_long" not in cp.validate(twelve, max_years=13).codes
