"""How the suicide-risk rules treat time (issue 34, found in review).

A screen from an earlier episode does not screen this admission; a record
dated after ``today`` is not yet true, so it answers nothing; and a
level-of-care review is asked for until the team has looked at the level
again (a later clinician's grade below high, a review of the plan of care
on or after the high grade, or a transition). Sources: Joint Commission
NPSG 15.01.01 (screen every patient; assess the positives; document the
risk and the plan to mitigate it); the C-SSRS Screener with triage
(Columbia Lighthouse Project, 2021: high risk calls for immediate
evaluation). See ../shared/reference/clinical-rules.md, "Suicide risk".
"""

from __future__ import annotations

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.safety import (
    PHQ_9_ITEMS,
    CSSRSScreen,
    ItemAnswers,
    RiskAssessment,
    SafetyPlan,
    SafetyPolicy,
    SafetyRecord,
    check_safety,
)
from safety_cases import PLAN, START, day


def phq9(on: pendulum.Date, item9: int) -> ItemAnswers:
    return ItemAnswers(PHQ_9_ITEMS, on, (0,) * 8 + (item9,))


def found(report: cp.Report, code: str) -> list[tuple[str, tuple[pendulum.Date, ...]]]:
    return [(v.severity, v.dates) for v in report.violations if v.code == code]


# --- 1. the admission screen has an earliest day ---------------------------------------


def test_a_screen_from_an_earlier_episode_does_not_screen_this_admission() -> None:
    # Screened 90 days before this plan's start (a previous episode of care).
    earlier = SafetyRecord([phq9(day(-90), 0)])
    report = check_safety(PLAN, earlier, today=day(3))
    assert found(report, "safety.screening_due") == [("error", (day(1),))]
    message = report.violations[0].message
    assert str(day(-7)) in message  # the window opens 7 days before the start (the default)
    assert str(day(1)) in message


def test_a_screen_in_the_days_before_the_start_counts_for_admission() -> None:
    # The default: a screen up to 7 days before the start (a pre-admission intake) counts.
    assert SafetyPolicy().admission_lookback_days == 7
    assert found(check_safety(PLAN, SafetyRecord([phq9(day(-7), 0)]), today=day(3)),
                 "safety.screening_due") == []  # fmt: skip
    too_early = SafetyRecord([phq9(day(-8), 0)])
    assert found(check_safety(PLAN, too_early, today=day(3)), "safety.screening_due") == [
        ("error", (day(1),))
    ]
    wider = SafetyPolicy(admission_lookback_days=8)
    assert found(check_safety(PLAN, too_early, today=day(3), policy=wider),
                 "safety.screening_due") == []  # fmt: skip
    # 0: only a screen from the start's own day on counts.
    none_before = SafetyPolicy(admission_lookback_days=0)
    eve = SafetyRecord([phq9(day(-1), 0)])
    assert found(check_safety(PLAN, eve, today=day(3), policy=none_before),
                 "safety.screening_due") == [("error", (day(1),))]  # fmt: skip


@pytest.mark.parametrize("value", [-1, 367, 1.5, "7", None])
def test_the_admission_lookback_is_a_number_of_days(value: object) -> None:
    with pytest.raises(cp.InvalidValueError, match=r"SafetyPolicy\.admission_lookback_days"):
        SafetyPolicy(admission_lookback_days=value)  # type: ignore[arg-type]


# --- 2. what is dated after today is not yet true -----------------------------------------


def test_an_assessment_dated_after_today_does_not_answer_a_positive_screen() -> None:
    record = SafetyRecord([phq9(START, 1)], [RiskAssessment(day(1), "psychiatrist", "low")])
    report = check_safety(PLAN, record, today=START)
    assert found(report, "safety.assessment_missing") == [("error", (START,))]
    assert found(check_safety(PLAN, record, today=day(1)), "safety.assessment_missing") == []
    # Through validate too.
    plan = attrs.evolve(PLAN, safety=record)
    assert "safety.assessment_missing" in cp.validate(plan, today=START, rules=["safety"]).codes


def test_a_safety_plan_review_dated_after_today_does_not_count() -> None:
    # Moderate on Monday 01-11 (day 7); the next session, Tuesday 01-12, is the deadline.
    moderate = CSSRSScreen(day(7), True, True, method=True, intent=False, plan=False)
    record = SafetyRecord(
        [phq9(START, 0), moderate],
        [RiskAssessment(day(7), "therapist", "moderate")],
        [SafetyPlan(START, reviewed=[day(10)])],
    )
    assert found(check_safety(PLAN, record, today=day(8)), "safety.plan_review_due") == [
        ("warning", (day(7), day(8)))
    ]


def test_a_later_grade_dated_after_today_does_not_lower_todays_risk() -> None:
    high = SafetyRecord(
        [phq9(START, 2)],
        [RiskAssessment(START, "psychiatrist", "high"), RiskAssessment(day(5), "psychiatrist",
                                                                       "low")],
        [SafetyPlan(START)],
    )  # fmt: skip
    assert found(check_safety(PLAN, high, today=day(1)), "safety.level_review") == [
        ("warning", (START,))
    ]


def _as_of(record: SafetyRecord, today: pendulum.Date) -> SafetyRecord:
    """The judge: the record a clinician could read on ``today``, built by hand."""
    return SafetyRecord(
        [s for s in record.screens if s.on <= today],
        [a for a in record.assessments if a.on <= today],
        [attrs.evolve(p, reviewed=[r for r in p.reviewed if r <= today])
         for p in record.plans if p.on <= today],
    )  # fmt: skip


LEVELS = st.sampled_from(["none", "low", "moderate", "high"])


@settings(max_examples=100, deadline=None)
@given(
    screens=st.lists(st.tuples(st.integers(-1, 8), st.integers(0, 3)), max_size=4),
    assessments=st.lists(st.tuples(st.integers(-1, 8), LEVELS, st.none() | st.integers(0, 10)),
                         max_size=4),
    plans=st.lists(st.tuples(st.integers(-1, 8), st.lists(st.integers(0, 10), max_size=2)),
                   max_size=2),
    reviews=st.lists(st.integers(0, 8), max_size=2, unique=True),
    today=st.integers(0, 8),
)  # fmt: skip
def test_records_dated_after_today_change_no_finding(
    screens: list[tuple[int, int]],
    assessments: list[tuple[int, str, int | None]],
    plans: list[tuple[int, list[int]]],
    reviews: list[int],
    today: int,
) -> None:
    record = SafetyRecord(
        [phq9(day(n), item9) for n, item9 in screens],
        [RiskAssessment(day(n), "psychiatrist", level,
                        next_screening=None if then is None else day(max(n, then)))
         for n, level, then in assessments],
        [SafetyPlan(day(n), reviewed=[day(r) for r in seen]) for n, seen in plans],
    )  # fmt: skip
    plan = attrs.evolve(PLAN, reviews=[cp.Review(day(n), "therapist") for n in reviews])
    on = day(today)
    past_only = attrs.evolve(plan, reviews=[r for r in plan.reviews if r.on <= on])
    assert check_safety(plan, record, today=on) == check_safety(
        past_only, _as_of(record, on), today=on
    )


# --- 3. a level-of-care review clears when the team has looked again ---------------------

HIGH_SCREEN = CSSRSScreen(START, False, False, behavior=True, behavior_past_3_months=True)


def test_a_same_day_assessment_grading_below_high_clears_the_level_review() -> None:
    record = SafetyRecord([HIGH_SCREEN], [RiskAssessment(START, "psychiatrist", "moderate")],
                          [SafetyPlan(START)])  # fmt: skip
    assert found(check_safety(PLAN, record, today=day(1)), "safety.level_review") == []


def test_a_later_assessment_grading_below_high_clears_the_level_review() -> None:
    record = SafetyRecord(
        [HIGH_SCREEN],
        [RiskAssessment(START, "psychiatrist", "high"), RiskAssessment(day(3), "psychiatrist",
                                                                       "moderate")],
        [SafetyPlan(START)],
    )  # fmt: skip
    assert found(check_safety(PLAN, record, today=day(2)), "safety.level_review") == [
        ("warning", (START,))
    ]
    assert found(check_safety(PLAN, record, today=day(3)), "safety.level_review") == []


def test_of_two_same_day_assessments_the_higher_counts_for_the_level_review() -> None:
    record = SafetyRecord(
        [HIGH_SCREEN],
        [RiskAssessment(START, "therapist", "low"), RiskAssessment(START, "psychiatrist", "high")],
        [SafetyPlan(START)],
    )
    assert found(check_safety(PLAN, record, today=day(1)), "safety.level_review") == [
        ("warning", (START,))
    ]


def test_high_risk_found_again_after_a_lower_grade_asks_again() -> None:
    again = CSSRSScreen(day(7), True, True, method=True, intent=True, plan=False)
    record = SafetyRecord(
        [HIGH_SCREEN, again],
        [RiskAssessment(START, "psychiatrist", "high"), RiskAssessment(day(3), "psychiatrist",
                                                                       "low"),
         RiskAssessment(day(7), "psychiatrist", "high")],
        [SafetyPlan(START, reviewed=[day(7)])],
    )  # fmt: skip
    assert found(check_safety(PLAN, record, today=day(8)), "safety.level_review") == [
        ("warning", (day(7),))
    ]


def test_a_review_of_the_plan_of_care_on_or_after_the_high_grade_clears_the_level_review() -> None:
    record = SafetyRecord([HIGH_SCREEN], [RiskAssessment(START, "psychiatrist", "high")],
                          [SafetyPlan(START)])  # fmt: skip
    # The team reviews the plan of care the next day and keeps the level.
    kept = attrs.evolve(PLAN, reviews=[cp.Review(day(1), "psychiatrist", "continue")])
    assert found(check_safety(kept, record, today=START), "safety.level_review") == [
        ("warning", (START,))
    ]  # the review is dated after today: not held yet
    assert found(check_safety(kept, record, today=day(1)), "safety.level_review") == []
    same_day = attrs.evolve(PLAN, reviews=[cp.Review(START, "psychiatrist", "continue")])
    assert found(check_safety(same_day, record, today=START), "safety.level_review") == []
    # A review before the high grade looked at another risk.
    before = attrs.evolve(PLAN, reviews=[cp.Review(day(-1), "psychiatrist", "continue")])
    assert found(check_safety(before, record, today=day(1)), "safety.level_review") == [
        ("warning", (START,))
    ]
