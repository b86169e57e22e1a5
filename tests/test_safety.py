"""Suicide-risk screening, assessments and safety plans (careplan.safety).

Sources: PHQ-9 item 9 (LOINC 44260-8, panel 44249-1, answers 0–3, loinc.org);
the C-SSRS Screener with triage (Columbia Lighthouse Project, 2021); the
safety planning intervention (Stanley and Brown); Joint Commission NPSG
15.01.01 (screen, assess the positives, plan for safety). See
../shared/reference/clinical-rules.md, "Suicide risk".
"""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.demo import sample_plan
from careplan.safety import (
    GAD_7_ITEMS,
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


def phq9(on: pendulum.Date, item9: int, rest: int = 0) -> ItemAnswers:
    return ItemAnswers(PHQ_9_ITEMS, on, (rest,) * 8 + (item9,))


def codes(report: cp.Report) -> list[str]:
    return [v.code for v in report.violations]


# --- screens --------------------------------------------------------------


def test_phq9_item_9_of_1_with_a_total_of_6_is_positive() -> None:
    # PHQ-9 item 9 ("better off dead, or of hurting yourself", LOINC 44260-8):
    # any answer above 0 is a positive screen, whatever the total.
    screen = ItemAnswers(PHQ_9_ITEMS, START, (1, 1, 1, 1, 1, 0, 0, 0, 1))
    assert screen.total == 6
    assert screen.positive
    assert screen.measurement() == cp.Measurement("PHQ-9", 6, START)
    assert PHQ_9_ITEMS.items[8].loinc == "44260-8"


def test_phq9_item_9_of_0_is_negative_at_any_total() -> None:
    assert not phq9(START, 0, rest=3).positive


def test_gad7_has_seven_items_and_no_suicide_item() -> None:
    answers = ItemAnswers(GAD_7_ITEMS, START, (3,) * 7)
    assert (answers.total, answers.positive) == (21, False)


def test_an_answer_above_the_items_range_is_refused() -> None:
    with pytest.raises(cp.InvalidValueError, match=r"answers\[8\]"):
        phq9(START, 4)
    with pytest.raises(cp.InvalidValueError, match="9 items"):
        ItemAnswers(PHQ_9_ITEMS, START, (0,) * 8)


def test_a_users_questionnaire_is_data() -> None:
    # AUDIT-C: three items, 0–4 each (no suicide item).
    audit_c = Questionnaire("AUDIT-C", [Item(1, "68518-0", 4), Item(2, "68519-8", 4),
                                        Item(3, "68520-6", 4)])  # fmt: skip
    assert audit_c.most == 12
    assert ItemAnswers(audit_c, START, (4, 2, 1)).total == 7


@pytest.mark.parametrize(
    ("answers", "risk"),
    [
        # No "yes": nothing found.
        ({"wish_to_be_dead": False, "suicidal_thoughts": False}, "none"),
        # Questions 1 or 2 only: low.
        ({"wish_to_be_dead": True, "suicidal_thoughts": False}, "low"),
        (
            {"wish_to_be_dead": True, "suicidal_thoughts": True, "method": False,
             "intent": False, "plan": False},
            "low",
        ),
        # Question 3 (a method, no intent): moderate.
        (
            {"wish_to_be_dead": True, "suicidal_thoughts": True, "method": True,
             "intent": False, "plan": False},
            "moderate",
        ),
        # Behavior more than three months ago: moderate.
        (
            {"wish_to_be_dead": False, "suicidal_thoughts": False, "behavior": True,
             "behavior_past_3_months": False},
            "moderate",
        ),
        # Questions 4 or 5: high.
        (
            {"wish_to_be_dead": True, "suicidal_thoughts": True, "method": True,
             "intent": True, "plan": False},
            "high",
        ),
        # Behavior two months ago (within three months): high.
        (
            {"wish_to_be_dead": False, "suicidal_thoughts": False, "behavior": True,
             "behavior_past_3_months": True},
            "high",
        ),
    ],
)  # fmt: skip
def test_cssrs_triage_follows_the_published_screener(answers: dict[str, bool], risk: str) -> None:
    assert CSSRSScreen(START, **answers).risk == risk


def test_cssrs_skip_logic_is_enforced() -> None:
    with pytest.raises(cp.InvalidValueError, match="question 2 is no"):
        CSSRSScreen(START, True, False, method=True)
    with pytest.raises(cp.InvalidValueError, match="question 2 is yes"):
        CSSRSScreen(START, True, True)
    with pytest.raises(cp.InvalidValueError, match="question 6 is yes"):
        CSSRSScreen(START, False, False, behavior=True)


# --- rules ------------------------------------------------------------------


def test_no_screen_by_the_day_after_admission_is_an_error() -> None:
    report = check_safety(PLAN, SafetyRecord(), today=day(3))
    assert codes(report) == ["safety.screening_due"]
    assert report.errors[0].dates == (day(1),)
    assert check_safety(PLAN, SafetyRecord(), today=START).ok  # not due yet


def test_a_negative_screen_at_admission_asks_for_nothing_more() -> None:
    record = SafetyRecord(screens=[phq9(START, 0)])
    assert check_safety(PLAN, record, today=day(20)).violations == ()


def test_the_screen_cadence_of_the_policy() -> None:
    record = SafetyRecord(screens=[phq9(START, 0)])
    report = check_safety(PLAN, record, today=day(31), policy=SafetyPolicy(rescreen_days=30))
    assert [(v.code, v.severity, v.dates) for v in report.violations] == [
        ("safety.screening_due", "warning", (day(30),))
    ]
    assert check_safety(PLAN, record, today=day(31), policy=SafetyPolicy(rescreen_days=None)).ok


def test_a_positive_screen_without_an_assessment_is_an_error_naming_date_and_instrument() -> None:
    record = SafetyRecord(screens=[phq9(START, 1)])
    report = check_safety(PLAN, record, today=START)
    assert codes(report) == ["safety.assessment_missing"]
    message = report.errors[0].message
    assert "PHQ-9" in message
    assert str(START) in message
    assessed = attrs.evolve(record, assessments=[RiskAssessment(day(1), "psychiatrist", "low")])
    assert check_safety(PLAN, assessed, today=day(1)).ok


def test_an_assessment_after_the_window_does_not_answer_the_screen() -> None:
    record = SafetyRecord(
        screens=[phq9(START, 1)], assessments=[RiskAssessment(day(2), "psychiatrist", "low")]
    )
    assert "safety.assessment_missing" in codes(check_safety(PLAN, record, today=day(2)))


def test_a_safety_plan_dated_after_the_next_session_is_late() -> None:
    # Moderate risk on Monday 01-04; the next session is Tuesday 01-05.
    screen = CSSRSScreen(START, True, True, method=True, intent=False, plan=False)
    assessment = RiskAssessment(START, "therapist", "moderate")
    late = SafetyRecord([screen], [assessment], [SafetyPlan(day(3))])
    report = check_safety(PLAN, late, today=day(3))
    assert codes(report) == ["safety.plan_missing"]
    assert report.errors[0].dates == (START, day(1))
    on_time = attrs.evolve(late, plans=[SafetyPlan(day(1))])
    assert check_safety(PLAN, on_time, today=day(3)).ok


def test_a_safety_plan_not_reviewed_after_a_new_positive_screen_is_a_warning() -> None:
    moderate = CSSRSScreen(day(7), True, True, method=True, intent=False, plan=False)
    record = SafetyRecord(
        [phq9(START, 0), moderate],
        [RiskAssessment(day(7), "therapist", "moderate")],
        [SafetyPlan(START)],
    )
    report = check_safety(PLAN, record, today=day(10))
    assert [(v.code, v.severity) for v in report.violations] == [
        ("safety.plan_review_due", "warning")
    ]
    reviewed = attrs.evolve(record, plans=[SafetyPlan(START, reviewed=[day(8)])])
    assert check_safety(PLAN, reviewed, today=day(10)).ok


def test_high_risk_asks_for_a_level_of_care_review_until_a_transition_follows() -> None:
    high = CSSRSScreen(START, False, False, behavior=True, behavior_past_3_months=True)
    record = SafetyRecord([high], [RiskAssessment(START, "psychiatrist", "high")],
                          [SafetyPlan(START)])  # fmt: skip
    report = check_safety(PLAN, record, today=START)
    assert codes(report) == ["safety.level_review"]
    assert current_risk(record, START) == "high"
    stepped = cp.step_up(PLAN, on=day(1), reason="safety_concern")
    assert "safety.level_review" not in codes(check_safety(stepped, record, today=day(1)))


def test_high_risk_screens_at_every_session() -> None:
    record = SafetyRecord(
        [phq9(START, 2)], [RiskAssessment(START, "psychiatrist", "high")], [SafetyPlan(START)]
    )
    report = check_safety(PLAN, record, today=day(3))
    due = [v for v in report.violations if v.code == "safety.screening_due"]
    # One finding a session day: Tuesday and Thursday, each naming its day and the source.
    assert [v.dates for v in due] == [(day(1),), (day(3),)]
    assert all("risk assessment" in v.message and "PHQ-9" in v.message for v in due)


def test_no_individual_contact_after_a_positive_screen_is_a_warning() -> None:
    record = SafetyRecord([phq9(START, 1)], [RiskAssessment(START, "therapist", "low")])
    assert check_safety(PLAN, record, today=day(7)).ok  # the plan has individual sessions
    only_family = SafetyPolicy(contact_kinds=["family_therapy"])
    report = check_safety(PLAN, record, today=day(7), policy=only_family)
    assert codes(report) == ["safety.contact_missing"]


# --- privacy ------------------------------------------------------------------


def test_records_never_show_their_text() -> None:
    record = SafetyRecord(
        [phq9(START, 3)],
        [RiskAssessment(START, "therapist", "high", note=SECRET)],
        [SafetyPlan(START, warning_signs=[SECRET], reasons_for_living=[SECRET])],
    )
    shown = repr(record) + repr(record.plans) + repr(record.assessments)
    shown += "".join(v.message for v in check_safety(PLAN, record, today=day(30)).violations)
    for word in ("Jane", "heroin", "Lily", "3, 3"):
        assert word not in shown


def test_an_error_never_quotes_the_text_it_refuses() -> None:
    with pytest.raises(cp.InvalidValueError) as info:
        RiskAssessment(START, SECRET, "high")
    assert "Jane" not in str(info.value)
    with pytest.raises(cp.InvalidValueError) as info:
        RiskAssessment(START, "therapist", SECRET)
    assert "Jane" not in str(info.value)


# --- properties ----------------------------------------------------------------


@settings(max_examples=100)
@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
def test_the_item_sum_is_always_the_total(answers: list[int]) -> None:
    screen = ItemAnswers(PHQ_9_ITEMS, START, answers)
    assert screen.total == sum(answers) == screen.measurement().score
    assert screen.positive == (answers[8] > 0)


@settings(max_examples=100, deadline=None)
@given(
    screens=st.lists(
        st.tuples(st.integers(0, 40), st.integers(0, 3)), max_size=5, unique_by=lambda t: t[0]
    ),
    assessed=st.lists(st.integers(0, 45), max_size=4),
    window=st.integers(0, 3),
)
def test_each_positive_screen_has_one_assessment_finding_until_assessed_in_time(
    screens: list[tuple[int, int]], assessed: list[int], window: int
) -> None:
    today = day(45)
    record = SafetyRecord(
        [phq9(day(n), item9) for n, item9 in screens],
        [RiskAssessment(day(n), "therapist", "low") for n in assessed],
    )
    policy = SafetyPolicy(assessment_days=window)
    found = [v.dates[0] for v in check_safety(PLAN, record, today=today, policy=policy).violations
             if v.code == "safety.assessment_missing"]  # fmt: skip
    expected = sorted(
        day(n)
        for n, item9 in screens
        if item9 > 0 and not any(n <= a <= n + window for a in assessed)
    )
    assert sorted(found) == expected


def test_two_positive_screens_on_one_day_are_one_event_to_plan_for() -> None:
    moderate = CSSRSScreen(START, True, True, method=True, intent=False, plan=False)
    record = SafetyRecord(
        [phq9(START, 1), moderate], [RiskAssessment(START, "therapist", "moderate")]
    )
    report = check_safety(PLAN, record, today=day(1))
    assert codes(report) == ["safety.plan_missing"]


# --- on the plan ------------------------------------------------------------------


def _on_file() -> SafetyRecord:
    return SafetyRecord(
        [phq9(START, 1)],
        [RiskAssessment(START, "therapist", "moderate", note=SECRET)],
        [SafetyPlan(START, warning_signs=[SECRET])],
    )


def test_a_plan_holds_its_safety_record_and_stays_a_value() -> None:
    import pickle

    assert PLAN.safety == SafetyRecord()
    assert not PLAN.safety
    plan = attrs.evolve(PLAN, safety=_on_file())
    assert plan.safety == _on_file()
    assert plan != PLAN
    assert pickle.loads(pickle.dumps(plan)) == plan
    assert repr(plan) == repr(PLAN).replace(PLAN.id, plan.id)
    assert attrs.evolve(plan, safety=None).safety == SafetyRecord()
    with pytest.raises(cp.InvalidValueError, match=r"CarePlan\.safety"):
        attrs.evolve(PLAN, safety=[SECRET])


def test_check_safety_reads_the_plans_own_records() -> None:
    plan = attrs.evolve(PLAN, safety=SafetyRecord(screens=[phq9(START, 1)]))
    assert codes(check_safety(plan, today=START)) == ["safety.assessment_missing"]
    # An explicit record is judged instead of the plan's.
    assert check_safety(plan, SafetyRecord(screens=[phq9(START, 0)]), today=START).ok


def test_validate_includes_the_safety_findings_given_a_today() -> None:
    plan = attrs.evolve(PLAN, safety=SafetyRecord(screens=[phq9(START, 1)]))
    found = cp.validate(plan, today=START, rules=["safety"])
    assert codes(found) == ["safety.assessment_missing"]
    assert "safety.assessment_missing" in cp.validate(plan, today=START).codes
    # Without a today, the rule finds nothing.
    assert cp.validate(plan, rules=["safety"]).violations == ()
    # The policy is a knob of validate.
    screened = attrs.evolve(
        plan, safety=SafetyRecord([phq9(START, 1)], [RiskAssessment(day(2), "therapist", "low")])
    )
    assert "safety.assessment_missing" in cp.validate(screened, today=day(2)).codes
    lenient = cp.validate(screened, today=day(2), safety_policy=SafetyPolicy(assessment_days=2))
    assert "safety.assessment_missing" not in lenient.codes


def test_every_finding_is_declared_with_its_severity() -> None:
    from careplan._operations.validation import CODES

    records = [
        SafetyRecord(),
        SafetyRecord([phq9(START, 0)]),
        SafetyRecord([phq9(START, 2)], [RiskAssessment(START, "psychiatrist", "high")]),
        SafetyRecord(
            [CSSRSScreen(START, True, True, method=True, intent=False, plan=False)],
            plans=[SafetyPlan(day(-3))],
        ),
    ]
    policies = (SafetyPolicy(), SafetyPolicy(contact_kinds=["family_therapy"]))
    seen = set()
    for record in records:
        for today, policy in itertools.product((day(3), day(40)), policies):
            for v in check_safety(PLAN, record, today=today, policy=policy).violations:
                assert v.severity in CODES[v.code]
                seen.add(v.code)
    assert seen == {code for code in CODES if code.startswith("safety.")}


# --- when screening is due (issue 34: admission, each review, each session while high) -------
# NPSG 15.01.01: screen every patient with a validated tool and follow written policies for
# monitoring; the occasions and windows below are the policy's (SafetyPolicy), not a standard.

ONLY_OCCASIONS = SafetyPolicy(rescreen_days=None)  # the 30-day interval out of the way


def _due(plan: cp.CarePlan, record: SafetyRecord, today: pendulum.Date, policy: SafetyPolicy,
         **kwargs: object) -> list[tuple[str, tuple[pendulum.Date, ...]]]:  # fmt: skip
    found = check_safety(plan, record, today=today, policy=policy, **kwargs).violations  # type: ignore[arg-type]
    return [(v.severity, v.dates) for v in found if v.code == "safety.screening_due"]


def test_a_plan_without_records_is_due_for_its_admission_screen_once_the_window_passed() -> None:
    # Admission 2027-01-04, window 1 day: due by 2027-01-05, an error from that day on.
    for today in (START, day(1), day(10)):
        found = cp.validate(PLAN, today=today, rules=["safety"])
        assert [(v.code, v.severity, v.dates) for v in found.violations] == (
            [] if today < day(1) else [("safety.screening_due", "error", (day(1),))]
        )
    # A plan that starts in the future has nothing due yet.
    later = sample_plan(START.add(weeks=2))
    assert cp.validate(later, today=day(10), rules=["safety"]).ok
    # The window is the policy's: 0 days makes the first day the deadline.
    same_day = cp.validate(PLAN, today=START, safety_policy=SafetyPolicy(admission_days=0))
    assert "safety.screening_due" in same_day.codes


def test_a_screen_counts_only_with_one_of_the_policys_instruments() -> None:
    gad7 = SafetyRecord([ItemAnswers(GAD_7_ITEMS, START, (0,) * 7)])
    assert _due(PLAN, gad7, day(3), ONLY_OCCASIONS) == [("error", (day(1),))]
    assert _due(PLAN, gad7, day(3), SafetyPolicy(instruments=["GAD-7"])) == []
    message = check_safety(PLAN, gad7, today=day(3)).violations[0].message
    assert "C-SSRS or PHQ-9" in message
    assert str(day(1)) in message


def test_a_screen_is_due_at_each_review_held() -> None:
    # Reviewed on 2027-02-03 (day 30); the policy's window: a screen from 7 days before.
    reviewed = attrs.evolve(PLAN, reviews=[cp.Review(day(30), "psychiatrist")])
    assert _due(reviewed, SafetyRecord([phq9(START, 0)]), day(35), ONLY_OCCASIONS) == [
        ("warning", (day(30),))
    ]
    message = check_safety(reviewed, SafetyRecord([phq9(START, 0)]), today=day(35),
                           policy=ONLY_OCCASIONS).violations[0].message  # fmt: skip
    assert "reviewed on 2027-02-03" in message
    assert "C-SSRS or PHQ-9" in message
    in_window = SafetyRecord([phq9(START, 0), phq9(day(23), 0)])  # 7 days before
    assert _due(reviewed, in_window, day(35), ONLY_OCCASIONS) == []
    too_early = SafetyRecord([phq9(START, 0), phq9(day(22), 0)])  # 8 days before
    assert _due(reviewed, too_early, day(35), ONLY_OCCASIONS) == [("warning", (day(30),))]
    wider = attrs.evolve(ONLY_OCCASIONS, review_days=8)
    assert _due(reviewed, too_early, day(35), wider) == []
    off = attrs.evolve(ONLY_OCCASIONS, at_reviews="off")
    assert _due(reviewed, SafetyRecord([phq9(START, 0)]), day(35), off) == []
    # A review after today is not judged yet.
    assert _due(reviewed, SafetyRecord([phq9(START, 0)]), day(29), ONLY_OCCASIONS) == []


def test_a_screen_is_due_at_the_review_the_plan_of_care_schedules() -> None:
    # The clinic's cadence (CLINIC_REVIEW): an IOP plan of care is reviewed every 30 days,
    # so the sample plan of care, without its review, is due for one on 2027-02-03.
    from careplan.demo import sample_plan_of_care

    unreviewed = attrs.evolve(sample_plan_of_care(), reviews=())
    record = SafetyRecord([phq9(START, 0)])
    assert "review.overdue" in cp.validate(unreviewed, today=day(35)).codes
    assert _due(unreviewed, record, day(35), ONLY_OCCASIONS) == [("warning", (day(30),))]
    message = check_safety(unreviewed, record, today=day(35), policy=ONLY_OCCASIONS).violations
    assert "due for review on 2027-02-03" in message[0].message
    # The review not held yet, a screen since the window opened answers it.
    screened = SafetyRecord([phq9(START, 0), phq9(day(31), 0)])
    assert _due(unreviewed, screened, day(35), ONLY_OCCASIONS) == []
    # The review policy is a knob: Medicare's IOP cadence has no review due by then.
    assert _due(unreviewed, record, day(35), ONLY_OCCASIONS,
                review_policy=cp.MEDICARE_REVIEW) == []  # fmt: skip


def test_each_session_while_risk_is_high_until_the_risk_is_graded_lower() -> None:
    # High on Monday 01-04; sessions Tue 01-05, Thu 01-07, Mon 01-11; a psychiatrist grades
    # the risk moderate on Thursday: Tuesday is due, Thursday was looked at, Monday is not high.
    record = SafetyRecord(
        [phq9(START, 2)],
        [RiskAssessment(START, "psychiatrist", "high"), RiskAssessment(day(3), "psychiatrist",
                                                                       "moderate")],
        [SafetyPlan(START)],
    )  # fmt: skip
    assert _due(PLAN, record, day(8), ONLY_OCCASIONS) == [("warning", (day(1),))]
    assert _due(PLAN, record, day(8), attrs.evolve(ONLY_OCCASIONS, while_high="off")) == []


def test_two_grades_on_one_day_count_the_higher_risk() -> None:
    record = SafetyRecord(
        assessments=[RiskAssessment(START, "therapist", "low"),
                     RiskAssessment(START, "psychiatrist", "high")]
    )  # fmt: skip
    assert current_risk(record, START) == "high"


@pytest.mark.parametrize(
    ("field", "value"),
    [("at_reviews", "sometimes"), ("while_high", True), ("review_days", -1),
     ("admission_days", 400), ("rescreen_days", 0), ("instruments", [])],
)  # fmt: skip
def test_the_policy_refuses_what_it_cannot_mean(field: str, value: object) -> None:
    with pytest.raises(cp.InvalidValueError, match=rf"SafetyPolicy\.{field}"):
        SafetyPolicy(**{field: value})  # type: ignore[arg-type]


SESSION_DAYS = sorted({o.date for o in cp.occurrences(PLAN)})


@settings(max_examples=100, deadline=None)
@given(
    graded=st.lists(st.tuples(st.integers(0, 40), st.sampled_from(["low", "moderate", "high"])),
                    max_size=5),
    screened=st.lists(st.integers(1, 40), max_size=6),
)  # fmt: skip
def test_a_screen_is_due_on_each_session_day_that_begins_at_high_risk(
    graded: list[tuple[int, str]], screened: list[int]
) -> None:
    today = day(42)
    record = SafetyRecord(
        [phq9(START, 0)] + [phq9(day(n), 0) for n in screened],
        [RiskAssessment(day(n), "psychiatrist", level) for n, level in graded],
    )
    order = ("low", "moderate", "high")

    def high_before(session: pendulum.Date) -> bool:
        earlier = [(n, order.index(level)) for n, level in graded if day(n) < session]
        return bool(earlier) and order[max(earlier)[1]] == "high"

    looked = {day(n) for n in [0, *screened]} | {day(n) for n, _ in graded}
    expected = [
        ("warning", (d,)) for d in SESSION_DAYS if d <= today and d not in looked and high_before(d)
    ]
    policy = attrs.evolve(ONLY_OCCASIONS, at_reviews="off")
    assert _due(PLAN, record, today, policy) == expected


@settings(max_examples=100, deadline=None)
@given(
    reviews=st.lists(st.integers(1, 60), max_size=4, unique=True),
    screened=st.lists(st.integers(1, 60), max_size=6),
    window=st.integers(0, 10),
)
def test_a_screen_is_due_at_each_review_that_none_in_its_window_answers(
    reviews: list[int], screened: list[int], window: int
) -> None:
    today = day(50)
    plan = attrs.evolve(PLAN, reviews=[cp.Review(day(n), "therapist") for n in reviews])
    record = SafetyRecord([phq9(START, 0)] + [phq9(day(n), 0) for n in screened])
    expected = [
        ("warning", (day(r),))
        for r in sorted(reviews)
        if r <= 50 and not any(r - window <= s <= r for s in [0, *screened])
    ]
    policy = attrs.evolve(ONLY_OCCASIONS, review_days=window, while_high="off")
    assert _due(plan, record, today, policy) == expected


@pytest.mark.parametrize("value", ["one line", [SECRET, 3], None, {"a": "b"}])
def test_a_safety_plan_section_is_refused_by_its_own_name(value: object) -> None:
    with pytest.raises(cp.InvalidValueError, match=r"SafetyPlan\.people_to_ask") as info:
        SafetyPlan(START, people_to_ask=value)  # type: ignore[arg-type]
    assert "Jane" not in str(info.value)
    assert "one line" not in str(info.value)
    assert SafetyPlan(START, people_to_ask=iter([SECRET])).people_to_ask == (SECRET,)


def test_a_screen_is_due_by_the_date_a_risk_assessment_set() -> None:
    # The clinician's own order: RiskAssessment.next_screening (issue 34's record).
    assessed = RiskAssessment(START, "therapist", "low", next_screening=day(14))
    record = SafetyRecord([phq9(START, 1)], [assessed])
    assert _due(PLAN, record, day(13), ONLY_OCCASIONS) == []
    assert _due(PLAN, record, day(15), ONLY_OCCASIONS) == [("warning", (day(14),))]
    rescreened = attrs.evolve(record, screens=[phq9(START, 1), phq9(day(14), 0)])
    assert _due(PLAN, rescreened, day(15), ONLY_OCCASIONS) == []
