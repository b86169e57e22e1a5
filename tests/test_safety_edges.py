"""Edges of the suicide-risk records and rules found in review (issue 34).

What a repr, an error or an export may show of a screen, the inputs a
public value or function must refuse with careplan's own error, and the
safety plan a moderate or high risk asks for whichever record graded it.
Sources: the C-SSRS Screener with triage (Columbia Lighthouse Project,
2021); Joint Commission NPSG 15.01.01 (document the risk and the plan to
mitigate it); the safety planning intervention (Stanley and Brown). See
../shared/reference/clinical-rules.md, "Suicide risk".
"""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.safety import (
    PHQ_9_ITEMS,
    CSSRSScreen,
    Item,
    ItemAnswers,
    Questionnaire,
    RiskAssessment,
    SafetyPlan,
    SafetyPolicy,
    SafetyRecord,
    check_safety,
    current_risk,
)
from safety_cases import PLAN, SECRET, START, day


def codes(report: cp.Report) -> list[str]:
    return [v.code for v in report.violations]


# --- what a repr and an error show ----------------------------------------------


@settings(max_examples=60)
@given(
    st.booleans(),
    st.booleans(),
    st.tuples(st.booleans(), st.booleans(), st.booleans()),
    st.sampled_from([(False, None), (True, False), (True, True)]),
)
def test_a_cssrs_screens_repr_shows_its_day_only(
    wish: bool,
    thoughts: bool,
    ideation: tuple[bool, bool, bool],
    behavior: tuple[bool, bool | None],
) -> None:
    # The answers are health information of the most sensitive kind: a repr
    # ends up in logs and tracebacks, so it says what and when, as ItemAnswers does.
    method, intent, plan = ideation if thoughts else (None, None, None)
    screen = CSSRSScreen(START, wish, thoughts, method=method, intent=intent, plan=plan,
                         behavior=behavior[0], behavior_past_3_months=behavior[1])  # fmt: skip
    assert repr(screen) == "CSSRSScreen(on=Date(2027, 1, 4))"
    assert repr(SafetyRecord([screen]).screens) == "(CSSRSScreen(on=Date(2027, 1, 4)),)"


def test_an_item_answers_questionnaire_is_refused_with_careplans_error_quoting_nothing() -> None:
    with pytest.raises(cp.InvalidValueError, match=r"ItemAnswers\.questionnaire") as info:
        ItemAnswers(SECRET, START, (0,) * 9)
    assert "Jane" not in str(info.value)


def test_a_questionnaire_without_items_is_refused() -> None:
    # Nothing to answer: its answers would be an empty FHIR component array,
    # which FHIR JSON forbids.
    with pytest.raises(cp.InvalidValueError, match=r"Questionnaire\.items"):
        Questionnaire("EMPTY", [])


def test_current_risk_refuses_a_today_that_is_not_a_date() -> None:
    record = SafetyRecord(assessments=[RiskAssessment(START, "therapist", "low")])
    for records in (record, SafetyRecord()):
        with pytest.raises(cp.InvalidValueError, match="today"):
            current_risk(records, "2027-01-04")  # type: ignore[arg-type]


# --- a safety plan follows moderate or high risk, whichever record graded it -------------
# Issue 34: "moderate or high risk without a safety plan on file by the next scheduled
# session -> error safety.plan_missing". NPSG 15.01.01 asks to document the risk and the plan
# to mitigate it for every patient found at risk, not only those a screen flagged.


def test_a_clinician_grading_high_risk_after_a_low_screen_asks_for_a_safety_plan() -> None:
    # Monday: the C-SSRS finds question 1 only (low, no assessment required), but the
    # psychiatrist assesses the risk as high. The next session is Tuesday.
    low = CSSRSScreen(START, True, False)
    record = SafetyRecord([low], [RiskAssessment(START, "psychiatrist", "high")])
    report = check_safety(PLAN, record, today=day(3))
    (missing,) = [v for v in report.violations if v.code == "safety.plan_missing"]
    assert (missing.severity, missing.dates) == ("error", (START, day(1)))
    assert "risk assessment of 2027-01-04" in missing.message
    assert "high risk" in missing.message
    assert "2027-01-05" in missing.message
    # Not due before the next session; answered by a plan on file by then.
    assert "safety.plan_missing" not in codes(check_safety(PLAN, record, today=START))
    on_time = attrs.evolve(record, plans=[SafetyPlan(day(1))])
    assert "safety.plan_missing" not in codes(check_safety(PLAN, on_time, today=day(3)))
    late = attrs.evolve(record, plans=[SafetyPlan(day(2))])
    assert "safety.plan_missing" in codes(check_safety(PLAN, late, today=day(3)))


def test_a_later_assessment_raising_the_risk_asks_for_a_safety_plan() -> None:
    # A positive PHQ-9 on Monday, assessed low in time; on Thursday 01-14 a therapist finds
    # moderate risk. The next session is Tuesday 01-19 (Monday 01-18 is a closure).
    record = SafetyRecord(
        [ItemAnswers(PHQ_9_ITEMS, START, (0,) * 8 + (1,))],
        [RiskAssessment(START, "therapist", "low"), RiskAssessment(day(10), "therapist",
                                                                   "moderate")],
    )  # fmt: skip
    found = [v.dates for v in check_safety(PLAN, record, today=day(15)).violations
             if v.code == "safety.plan_missing"]  # fmt: skip
    assert found == [(day(10), day(15))]
    assert check_safety(PLAN, record, today=day(14)).ok


def test_an_assessment_answering_a_positive_screen_is_one_event_with_it() -> None:
    # The screen's own finding says it; the assessment that graded it adds none.
    moderate = CSSRSScreen(START, True, True, method=True, intent=False, plan=False)
    record = SafetyRecord([moderate], [RiskAssessment(day(1), "therapist", "moderate")])
    found = [v for v in check_safety(PLAN, record, today=day(3)).violations
             if v.code == "safety.plan_missing"]  # fmt: skip
    assert [v.dates for v in found] == [(START, day(1))]
    assert "C-SSRS" in found[0].message


@settings(max_examples=100, deadline=None)
@given(
    graded=st.lists(
        st.tuples(st.integers(0, 30), st.sampled_from(["none", "low", "moderate", "high"])),
        max_size=4,
    ),
    written=st.lists(st.integers(0, 30), max_size=2),
)
def test_every_moderate_or_high_assessment_has_a_plan_by_the_next_session_or_a_finding(
    graded: list[tuple[int, str]], written: list[int]
) -> None:
    # No positive screen: only the clinicians' grades ask for a plan.
    today = day(30)
    record = SafetyRecord(
        [CSSRSScreen(START, False, False)],
        [RiskAssessment(day(n), "therapist", level) for n, level in graded],
        [SafetyPlan(day(n)) for n in written],
    )
    sessions = sorted({o.date for o in cp.occurrences(PLAN)})
    expected = set()
    for n, level in graded:
        deadline = next((s for s in sessions if s > day(n)), day(n + 1))
        planned = any(day(w) <= deadline for w in written)
        if level in ("moderate", "high") and deadline <= today and not planned:
            expected.add((day(n), deadline))
    found = [v.dates for v in check_safety(PLAN, record, today=today).violations
             if v.code == "safety.plan_missing"]  # fmt: skip
    assert sorted(found) == sorted(expected)  # one finding a day


# --- a plan's total and the same day's item answers agree ---------------------------------
# Issue 34: "the total is derived (or checked against them)"; progress shows item 9 beside
# the total of that day, so the two must be one administration.


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=9, max_size=9), st.integers(0, 27))
def test_a_plans_total_of_a_day_is_the_sum_of_that_days_item_answers(
    answers: list[int], score: int
) -> None:
    screen = ItemAnswers(PHQ_9_ITEMS, START, answers)
    record = SafetyRecord([screen])
    plan = attrs.evolve(PLAN, safety=record, measurements=[screen.measurement()])
    assert plan.measurements[0].score == sum(answers)
    other_day = cp.Measurement("PHQ-9", score, day(1))
    assert attrs.evolve(plan, measurements=[other_day]).measurements == (other_day,)
    if score != sum(answers):
        with pytest.raises(cp.InvalidValueError, match=r"CarePlan\.measurements\[0\]\.score"):
            attrs.evolve(PLAN, safety=record, measurements=[cp.Measurement("PHQ-9", score, START)])


def test_a_document_whose_total_disagrees_with_its_items_is_refused_at_its_path() -> None:
    import json

    screen = ItemAnswers(PHQ_9_ITEMS, START, (0,) * 8 + (1,))
    plan = attrs.evolve(PLAN, safety=SafetyRecord([screen]), measurements=[screen.measurement()])
    data = json.loads(cp.to_json(plan))
    data["measurements"][0]["score"] = 20
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(json.dumps(data))
    assert "measurements[0]" in info.value.path
    assert "20" not in str(info.value)


# --- whatever a questionnaire accepts, FHIR can write ---------------------------------------


@pytest.mark.parametrize("code", ["a  b", "a ", " a", "a b"])
def test_a_questionnaires_codes_are_ids_that_fhir_and_the_measurement_accept(code: str) -> None:
    # The instrument becomes a Measurement's instrument (an id) and a FHIR code; an item's
    # LOINC code a FHIR code, which has no leading, trailing or double spaces.
    with pytest.raises(cp.InvalidValueError, match=r"Questionnaire\.instrument"):
        Questionnaire(code, [Item(1, "44260-8")])
    with pytest.raises(cp.InvalidValueError, match=r"Item\.loinc"):
        Item(1, code)


def test_a_policy_with_no_contact_kind_is_refused() -> None:
    # No session could ever be the individual contact: every positive screen would be a
    # warning naming "()" as what to schedule.
    with pytest.raises(cp.InvalidValueError, match=r"SafetyPolicy\.contact_kinds"):
        SafetyPolicy(contact_kinds=[])
