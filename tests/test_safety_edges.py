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
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.demo import sample_plan
from careplan.safety import (
    CSSRSScreen,
    ItemAnswers,
    Questionnaire,
    RiskAssessment,
    SafetyRecord,
    current_risk,
)

# IOP from Monday 2027-01-04; sessions on Mon, Tue and Thu.
PLAN = attrs.evolve(sample_plan(), safety=SafetyRecord())
START = PLAN.start
SECRET = "Jane Q Doe, heroin, daughter Lily"


def day(n: int) -> pendulum.Date:
    return START.add(days=n)


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
