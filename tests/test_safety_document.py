"""The plan's suicide-risk records in the ``careplan/1`` document (issue 34).

The ``safety`` object is additive: a plan without records writes the
document earlier versions wrote, and their documents read unchanged.
"""

from __future__ import annotations

import json

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

import careplan as cp
from careplan.safety import (
    GAD_7_ITEMS,
    PHQ_9_ITEMS,
    CSSRSScreen,
    Item,
    ItemAnswers,
    Questionnaire,
    RiskAssessment,
    SafetyPlan,
    SafetyRecord,
)
from careplan.testing import safety_records
from safety_cases import PLAN, SECRET, START, day

AUDIT_C = Questionnaire("AUDIT-C", [Item(1, "68518-0", 4), Item(2, "68519-8", 4),
                                    Item(3, "68520-6", 4)])  # fmt: skip
VALIDATOR = jsonschema.Draft202012Validator(cp.json_schema())


def _full_record() -> SafetyRecord:
    return SafetyRecord(
        [
            ItemAnswers(PHQ_9_ITEMS, START, (1, 1, 1, 1, 1, 0, 0, 0, 1)),
            ItemAnswers(GAD_7_ITEMS, START, (0, 1, 2, 3, 0, 1, 2)),
            ItemAnswers(AUDIT_C, day(1), (4, 0, 2)),
            CSSRSScreen(
                day(1),
                True,
                True,
                method=True,
                intent=False,
                plan=False,
                behavior=True,
                behavior_past_3_months=False,
            ),
        ],
        [RiskAssessment(day(1), "psychiatrist", "moderate", "cssrs_full", day(8), SECRET)],
        [
            SafetyPlan(
                day(1),
                warning_signs=[SECRET],
                professionals=["988 Suicide & Crisis Lifeline"],
                reasons_for_living=[SECRET],
                client_signed=day(1),
                clinician_signed=day(1),
                reviewed=[day(7)],
            )
        ],
    )


def test_a_plan_without_safety_records_writes_the_document_it_wrote_before() -> None:
    data = json.loads(cp.to_json(PLAN))
    assert "safety" not in data
    # A document of an earlier version (no safety key) reads unchanged.
    assert cp.from_json(json.dumps(data)) == PLAN
    assert cp.from_json(json.dumps(data)).safety == SafetyRecord()


def test_the_safety_records_round_trip() -> None:
    plan = attrs.evolve(PLAN, safety=_full_record())
    text = cp.to_json(plan)
    data = json.loads(text)
    VALIDATOR.validate(data)
    assert [q["instrument"] for q in data["safety"]["questionnaires"]] == ["AUDIT-C"]
    assert [s["instrument"] for s in data["safety"]["screens"]] == [
        "PHQ-9", "GAD-7", "AUDIT-C", "C-SSRS",
    ]  # fmt: skip
    assert data["safety"]["screens"][0]["answers"] == [1, 1, 1, 1, 1, 0, 0, 0, 1]
    back = cp.from_json(text)
    assert back == plan
    assert cp.to_json(back) == text


def test_a_screen_of_an_unknown_instrument_is_refused_without_quoting_it() -> None:
    data = json.loads(cp.to_json(attrs.evolve(PLAN, safety=_full_record())))
    data["safety"]["screens"][0]["instrument"] = SECRET
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == "safety.screens[0].instrument"
    assert "Jane" not in str(info.value)


@pytest.mark.parametrize(
    ("path", "edit"),
    [
        ("safety.assessments[0].role", lambda s: s["assessments"][0].update(role=SECRET)),
        ("safety.assessments[0].level", lambda s: s["assessments"][0].update(level=SECRET)),
        ("safety.plans[0].date", lambda s: s["plans"][0].update(date=SECRET)),
        ("safety.plans[0].reviewed[0]", lambda s: s["plans"][0].update(reviewed=[SECRET])),
        ("safety.screens[0].answers", lambda s: s["screens"][0].update(answers=[1, 2])),
        ("safety.screens[0]", lambda s: s["screens"][0].update(instrument="C-SSRS")),
        ("safety.screens[3].cssrs", lambda s: s["screens"][3].update(instrument="PHQ-9")),
        ("safety.screens[3].method", lambda s: s["screens"][3]["cssrs"].update(method=None)),
    ],
)
def test_reader_errors_name_the_path_and_quote_no_text(path: str, edit: object) -> None:
    data = json.loads(cp.to_json(attrs.evolve(PLAN, safety=_full_record())))
    edit(data["safety"])  # type: ignore[operator]
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == path
    assert "Jane" not in str(info.value)


def test_a_record_answering_one_code_with_two_questionnaires_is_refused() -> None:
    other = Questionnaire("PHQ-9", [Item(1, "44250-9")], suicide_items=[1])
    with pytest.raises(cp.InvalidValueError, match="one questionnaire per instrument"):
        SafetyRecord([ItemAnswers(PHQ_9_ITEMS, START, (0,) * 9), ItemAnswers(other, START, [1])])
    with pytest.raises(cp.InvalidValueError, match="C-SSRS"):
        Questionnaire("C-SSRS", [Item(1, "x")])


@settings(max_examples=75, deadline=None)
@given(safety_records(start=START, days=80, blank=True))
def test_any_safety_record_round_trips_and_matches_the_schema(record: SafetyRecord) -> None:
    plan = attrs.evolve(PLAN, safety=record)
    data = json.loads(cp.to_json(plan))
    VALIDATOR.validate(data)
    assert ("safety" in data) == bool(record)
    assert cp.from_json(json.dumps(data)) == plan
