"""The plan's suicide-risk records in FHIR, judged by independent validators (issue 34).

Written only with ``to_fhir(plan, safety=True)``: PHQ-9 item answers as
Observation components (each item's LOINC code), the C-SSRS Screener as an
Observation with its triage, risk assessments as RiskAssessment resources
(R4 and R5). FHIR.js, Medplum's validator and fhirpath.js (see
``tests/fhir_oracles.py``) find no error in them.
"""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest

from careplan.demo import sample_plan, sample_plan_of_care
from careplan.fhir import from_fhir, to_fhir
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
from fhir_oracles import errors, validate_many

START = sample_plan().start
SECRET = "Jane Q Doe, heroin, daughter Lily"
AUDIT_C = Questionnaire("AUDIT-C", [Item(1, "68518-0", 4), Item(2, "68519-8", 4)])


def day(n: int) -> pendulum.Date:
    return START.add(days=n)


def _record() -> SafetyRecord:
    return SafetyRecord(
        [
            ItemAnswers(PHQ_9_ITEMS, START, (1, 1, 1, 1, 1, 0, 0, 0, 1)),
            ItemAnswers(GAD_7_ITEMS, START, (0, 1, 2, 3, 0, 1, 2)),
            ItemAnswers(AUDIT_C, START, (4, 1)),
            CSSRSScreen(day(1), True, True, method=True, intent=False, plan=False,
                        behavior=True, behavior_past_3_months=False),
            CSSRSScreen(day(2), False, False),
        ],
        [
            RiskAssessment(day(1), "psychiatrist", "moderate", "cssrs_full", note=SECRET),
            RiskAssessment(day(9), "therapist", "none"),
        ],
        [SafetyPlan(day(1), warning_signs=[SECRET])],
    )  # fmt: skip


PLAN = attrs.evolve(sample_plan_of_care(), safety=_record())


def _of(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_item_answers_are_observation_components_and_assessments_risk_assessments(
    version: str,
) -> None:
    bundle = to_fhir(PLAN, version=version, safety=True)
    observations = _of(bundle, "Observation")
    phq = next(o for o in observations if o.get("component") and o["code"].get("coding")
               and o["code"]["coding"][0]["code"] == "44261-6")  # fmt: skip
    assert phq["valueQuantity"]["value"] == 6
    assert phq["effectiveDateTime"] == "2027-01-04"
    assert [c["code"]["coding"][0]["code"] for c in phq["component"]][-1] == "44260-8"
    assert [c["valueInteger"] for c in phq["component"]] == [1, 1, 1, 1, 1, 0, 0, 0, 1]
    cssrs = [o for o in observations if o["code"].get("text") == "C-SSRS Screener"]
    assert [o["valueCodeableConcept"]["coding"][0]["code"] for o in cssrs] == [
        "moderate", "negligible",
    ]  # fmt: skip
    assessments = _of(bundle, "RiskAssessment")
    assert [
        (a["occurrenceDateTime"], a["prediction"][0]["qualitativeRisk"]["coding"][0]["code"])
        for a in assessments
    ] == [("2027-01-05", "moderate"), ("2027-01-13", "negligible")]


def test_safety_records_are_left_out_unless_asked_for_and_never_carry_text() -> None:
    plain = to_fhir(PLAN)
    assert _of(plain, "RiskAssessment") == []
    assert plain == to_fhir(attrs.evolve(PLAN, safety=SafetyRecord()))
    text = json.dumps(to_fhir(PLAN, safety=True), ensure_ascii=False)
    for word in ("Jane", "heroin", "Lily"):
        assert word not in text


def test_reading_the_bundle_back_takes_no_screen_for_a_measurement() -> None:
    back = from_fhir(to_fhir(PLAN, safety=True))
    assert back.measurements == PLAN.measurements


@pytest.fixture(scope="module")
def judged() -> dict[str, dict]:
    found = {}
    for version in ("r4", "r5"):
        bundle = json.loads(json.dumps(to_fhir(PLAN, version=version, safety=True)))
        (found[version],) = validate_many([bundle], version)
    return found


# R4's ras-2 reads "probability is decimal implies (probability as decimal) <=
# 100": without a probability (careplan grades risk, it never invents a
# number) it evaluates to empty, which Medplum counts as a failure while
# fhirpath.js and FHIR.js do not. R5 fixed the expression ("probability.empty()
# or ..."). This one finding, at each RiskAssessment's prediction, is the
# only one allowed, and only in R4.
_R4_RAS_2 = (
    "medplum ras-2 at RiskAssessment.prediction[0]: Constraint ras-2 not met: Must be <= 100"
)


def test_independent_validators_find_no_error_in_r5(judged) -> None:
    result = judged["r5"]
    assert errors(result) == []
    assert result["versions"]["fhirpath invariants not evaluable"] == []
    assert "dom-6" not in {f["key"] for f in result["findings"]}


def test_independent_validators_find_no_error_in_r4_but_medplums_ras_2(judged) -> None:
    result = judged["r4"]
    assert errors(result) == [_R4_RAS_2] * len(PLAN.safety.assessments)
    assert result["versions"]["fhirpath invariants not evaluable"] == []
    assert "dom-6" not in {f["key"] for f in result["findings"]}
