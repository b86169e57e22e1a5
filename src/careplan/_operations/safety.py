"""The rules that follow a suicide-risk screen to an assessment and a safety plan.

Each rule reads the plan's own week (its occurrences) and the client's
safety record (:attr:`CarePlan.safety <careplan.CarePlan.safety>`); thresholds live in a
:class:`SafetyPolicy`. Messages name the date, the instrument and what to do
next, and never quote what a client or clinician wrote. careplan supports
clinical judgement and does not replace it: it never moves a client by
itself.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

import attrs
import pendulum

from careplan._model.expansion import occurrences
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.report import Report, Severity, Violation
from careplan._model.review import CLINIC_REVIEW, ReviewPolicy
from careplan._model.safety import (
    DEFAULT_SAFETY_POLICY,
    RISK_LEVELS,
    RiskLevel,
    SafetyPolicy,
    SafetyRecord,
    Screen,
    higher_risk,
)
from careplan._model.time import require_date
from careplan._operations.context import RuleContext
from careplan._operations.reviews import end_of_care, next_review

__all__ = ["CODES", "check_safety", "check_safety_rule", "current_risk"]

#: The codes the safety rules report, with their severities.
CODES: Mapping[str, tuple[Severity, ...]] = MappingProxyType(
    {
        "safety.screening_due": ("error", "warning"),
        "safety.assessment_missing": ("error",),
        "safety.plan_missing": ("error",),
        "safety.plan_review_due": ("warning",),
        "safety.level_review": ("warning",),
        "safety.contact_missing": ("warning",),
    }
)


def current_risk(record: SafetyRecord, today: pendulum.Date) -> RiskLevel | None:
    """The risk as of ``today``: the latest assessment's level, or a later screen's triage.

    ``None`` when nothing on file grades the risk.
    """
    graded = _graded(record, require_date("today", today))
    return None if graded is None else graded[2]


def _graded(
    record: SafetyRecord, today: pendulum.Date
) -> tuple[pendulum.Date, int, RiskLevel, str] | None:
    """The latest grade of the risk up to ``today``: its day, rank, level and what graded it.

    On one day, an assessment outranks a screen, and of two alike the higher risk counts.
    """
    graded = [grade for grade in _grades(record) if grade[0] <= today]
    return max(graded, key=_rank) if graded else None


def _grades(record: SafetyRecord) -> list[tuple[pendulum.Date, int, RiskLevel, str]]:
    """Each grade of the risk on file: its day, rank, level and what graded it."""
    found = [(a.on, 1, a.level, "risk assessment") for a in record.assessments]
    found += [(s.on, 0, s.risk, s.instrument) for s in record.screens if s.risk is not None]
    return found


def _rank(grade: tuple[pendulum.Date, int, RiskLevel, str]) -> tuple[pendulum.Date, int, int]:
    """Later grades count; on one day an assessment, then the higher risk."""
    return grade[0], grade[1], RISK_LEVELS.index(grade[2])


def check_safety(
    plan: CarePlan,
    record: SafetyRecord | None = None,
    *,
    today: pendulum.Date,
    policy: SafetyPolicy = DEFAULT_SAFETY_POLICY,
    review_policy: ReviewPolicy = CLINIC_REVIEW,
) -> Report:
    """Check a client's screens, assessments and safety plans against the plan's week.

    Codes: ``safety.screening_due`` (an error at admission, a warning at
    the policy's later occasions: its interval, each review, each session
    while risk is high), ``safety.assessment_missing`` (error),
    ``safety.plan_missing`` (error), ``safety.plan_review_due``,
    ``safety.level_review`` and ``safety.contact_missing`` (warnings).
    Only what is dated on or before ``today`` is judged: a record, a safety
    plan's review or a review of the plan of care dated later answers
    nothing yet. The records are
    the plan's own (:attr:`CarePlan.safety <careplan.CarePlan.safety>`)
    unless ``record`` is given; a plan with none is due for its admission
    screen once the policy's window has passed. ``review_policy`` says
    when the plan of care is due for review (each review is an occasion to
    screen).
    """
    record = plan.safety if record is None else record
    facts = _facts(plan, occurrences(plan), record, require_date("today", today), policy)
    return Report(_findings(facts, review_policy))


def check_safety_rule(context: RuleContext) -> Iterator[Violation]:
    """The ``safety`` rule of :func:`careplan.validate`: :func:`check_safety` for its context.

    It finds nothing without a ``today``.
    """
    if context.today is None:
        return iter(())
    plan = context.plan
    facts = _facts(plan, context.occurrences, plan.safety, context.today, context.safety_policy)
    return _findings(facts, context.review_policy)


def _findings(facts: _Facts, review_policy: ReviewPolicy) -> Iterator[Violation]:
    yield from _screening(facts, review_policy)
    yield from _after_positive_screens(facts)
    yield from _graded_by_assessments(facts)
    yield from _high_risk(facts)


@attrs.frozen
class _Facts:
    """What every safety rule reads: the plan and its sessions, the record, the day, the policy.

    The record and the plan's reviews hold only what is dated up to today (:func:`_facts`).
    """

    plan: CarePlan
    sessions: Sequence[Occurrence]
    record: SafetyRecord
    today: pendulum.Date
    policy: SafetyPolicy
    #: At each session, in the sessions' order (by time), the latest session
    #: day so far: it never falls, so the first session after a day is a bisect.
    reached: list[pendulum.Date]
    #: The days of the sessions of the policy's contact kinds, in order.
    contact_days: list[pendulum.Date]

    @property
    def screens(self) -> tuple[Screen, ...]:
        """The screens on file (all dated up to today)."""
        return self.record.screens

    @property
    def last_day(self) -> pendulum.Date:
        """The last day judged: today, or the last day of care when it came first."""
        return min(self.today, end_of_care(self.plan))


def _facts(
    plan: CarePlan,
    sessions: Sequence[Occurrence],
    record: SafetyRecord,
    today: pendulum.Date,
    policy: SafetyPolicy,
) -> _Facts:
    """The facts as of ``today``: a record, or a review of the plan of care, dated after
    ``today`` is not yet true, so it answers nothing (nor is it a finding itself)."""
    if any(r.on > today for r in plan.reviews):
        plan = attrs.evolve(plan, reviews=[r for r in plan.reviews if r.on <= today])
    record = SafetyRecord(
        [s for s in record.screens if s.on <= today],
        [a for a in record.assessments if a.on <= today],
        [
            attrs.evolve(p, reviewed=[r for r in p.reviewed if r <= today])
            for p in record.plans
            if p.on <= today
        ],
    )
    reached = list(itertools.accumulate((o.date for o in sessions), max))
    contacts = sorted(o.date for o in sessions if o.session.kind.code in policy.contact_kinds)
    return _Facts(plan, sessions, record, today, policy, reached, contacts)


def _screening(facts: _Facts, review_policy: ReviewPolicy) -> Iterator[Violation]:
    plan, policy, today = facts.plan, facts.policy, facts.today
    # Only the program's validated tools screen for suicide risk (a GAD-7 does not).
    screens = [s for s in facts.screens if s.instrument in policy.instruments]
    admission_due = plan.start.add(days=policy.admission_days)
    # A screen from before the look-back belongs to an earlier episode of care.
    opens = plan.start.subtract(days=policy.admission_lookback_days)
    if today >= admission_due and not any(opens <= s.on <= admission_due for s in screens):
        yield Violation(
            "safety.screening_due",
            "error",
            f"no suicide-risk screen from {opens} to {admission_due} (admission on "
            f"{plan.start}); screen with a validated tool ({policy.tools}) and record it "
            f"(policy: from {policy.admission_lookback_days} day(s) before admission to "
            f"{policy.admission_days} day(s) after)",
            dates=(admission_due,),
        )
        return
    if screens and policy.rescreen_days is not None:
        due = screens[-1].on.add(days=policy.rescreen_days)
        if due < today and due <= end_of_care(plan):
            yield Violation(
                "safety.screening_due",
                "warning",
                f"the last suicide-risk screen was the {screens[-1].instrument} of "
                f"{screens[-1].on}; the policy asks for one every {policy.rescreen_days} days, "
                f"so one was due by {due}; screen with {policy.tools}",
                dates=(due,),
            )
    flagged: set[pendulum.Date] = set()
    for violation in _occasions_unscreened(facts, screens, review_policy):
        if violation.dates[0] not in flagged:
            flagged.add(violation.dates[0])
            yield violation


def _due(day: pendulum.Date, message: str) -> Violation:
    """A screen due on ``day``, a later occasion the policy names (a warning)."""
    return Violation("safety.screening_due", "warning", message, dates=(day,))


def _occasions_unscreened(
    facts: _Facts, screens: Sequence[Screen], review_policy: ReviewPolicy
) -> Iterator[Violation]:
    """The occasions to screen up to the last day judged that no screen answers: the
    policy's, and the next screening a clinician's risk assessment set."""
    plan, policy, last = facts.plan, facts.policy, facts.last_day
    ask = f"screen with {policy.tools} and record it"
    if policy.at_reviews == "each_review":
        window = policy.review_days
        held = sorted({r.on for r in plan.reviews if r.on <= last})
        for day in held:
            opens = day.subtract(days=window)
            if not any(opens <= s.on <= day for s in screens):
                yield _due(
                    day,
                    f"the plan of care was reviewed on {day} with no suicide-risk screen from "
                    f"{opens} to that day; the policy asks for one at each review: {ask}",
                )
        found = (
            None if plan.plan_of_care.empty else next_review(plan, review_policy, as_of=facts.today)
        )
        if found is not None and found[0] <= last and found[0] not in held:
            day, opens = found[0], found[0].subtract(days=window)
            if not any(s.on >= opens for s in screens):
                yield _due(
                    day,
                    f"the plan of care was due for review on {day} ({review_policy.name}) with "
                    f"no suicide-risk screen since {opens}; the policy asks for one at each "
                    f"review: {ask}",
                )
    for a in facts.record.assessments:
        set_for = a.next_screening
        if (
            set_for is not None
            and set_for <= last
            and not any(a.on < s.on <= set_for for s in screens)
        ):
            yield _due(
                set_for,
                f"the risk assessment of {a.on} set the next suicide-risk screen for {set_for}, "
                f"and none is dated after the assessment up to that day: {ask}",
            )
    if policy.while_high == "each_session":
        yield from _sessions_unscreened_while_high(facts, screens, ask)


def _sessions_unscreened_while_high(
    facts: _Facts, screens: Sequence[Screen], ask: str
) -> Iterator[Violation]:
    """Each session day, up to the last day judged, that began at high risk and has no screen.

    A clinician's risk assessment that day counts as looking again.
    """
    record = facts.record
    if not any(a.level == "high" for a in record.assessments) and not any(
        s.risk == "high" for s in record.screens
    ):
        return  # never high: the usual case, without walking the sessions
    looked = {s.on for s in screens} | {a.on for a in record.assessments}
    last = facts.last_day
    # The grade before each session day (as _graded has it), by one sweep over
    # the grades in order of their day: of grades alike, the first counts.
    grades = sorted(_grades(record), key=lambda grade: grade[0])
    at, graded = 0, None
    for day in sorted({o.date for o in facts.sessions if o.date <= last} - looked):
        while at < len(grades) and grades[at][0] < day:
            if graded is None or _rank(grades[at]) > _rank(graded):
                graded = grades[at]
            at += 1
        if graded is not None and graded[2] == "high":
            on, _, _, source = graded
            yield _due(
                day,
                f"risk was graded high on {on} (the {source}) and the session on {day} has no "
                f"suicide-risk screen; the policy asks for one at each session while risk is "
                f"high: {ask}",
            )


def _after_positive_screens(facts: _Facts) -> Iterator[Violation]:
    screens, record, today, policy = facts.screens, facts.record, facts.today, facts.policy
    # Two positive screens on one day are one event to plan for.
    planned: set[pendulum.Date] = set()
    contacted: set[pendulum.Date] = set()
    for screen in screens:
        if not screen.positive:
            continue
        what = f"the {screen.instrument} of {screen.on} is a positive suicide-risk screen"
        by = screen.on.add(days=policy.assessment_days)
        assessments = [a for a in record.assessments if screen.on <= a.on <= by]
        if not assessments:
            yield Violation(
                "safety.assessment_missing",
                "error",
                f"{what} and no clinician's risk assessment is dated from then to {by}; "
                f"assess the risk (policy: within {policy.assessment_days} day(s)) and record it",
                dates=(screen.on,),
            )
        graded = assessments[-1].level if assessments else screen.risk
        deadline = _plan_due(facts, screen.on)
        if graded in ("moderate", "high") and deadline <= today and screen.on not in planned:
            planned.add(screen.on)
            on_file = [p for p in record.plans if p.on <= deadline]
            if not on_file:
                yield Violation(
                    "safety.plan_missing",
                    "error",
                    f"{what} ({graded} risk) and no safety plan is on file by the next "
                    f"session, {deadline}; write one with the client",
                    dates=(screen.on, deadline),
                )
            elif not any(p.current_on(screen.on) for p in on_file):
                yield Violation(
                    "safety.plan_review_due",
                    "warning",
                    f"{what} ({graded} risk); the safety plan on file predates it and was not "
                    f"reviewed by {deadline}; review it with the client",
                    dates=(screen.on, deadline),
                )
        contact_end = screen.on.add(days=policy.contact_days)
        if screen.on not in contacted and (
            contact_end <= today or (facts.reached and facts.reached[-1] >= contact_end)
        ):
            contacted.add(screen.on)
            at = bisect.bisect_left(facts.contact_days, screen.on)
            if at == len(facts.contact_days) or facts.contact_days[at] >= contact_end:
                yield Violation(
                    "safety.contact_missing",
                    "warning",
                    f"{what}; the schedule holds no individual contact "
                    f"({', '.join(policy.contact_kinds)}) in the {policy.contact_days} days after "
                    "it; schedule one",
                    dates=(screen.on,),
                )


def _plan_due(facts: _Facts, day: pendulum.Date) -> pendulum.Date:
    """The day a safety plan is due after risk graded on ``day``: the next session's day,
    or the policy's fallback when no session follows."""
    at = bisect.bisect_right(facts.reached, day)
    if at < len(facts.reached):
        return facts.reached[at]  # the first session after the day, in the sessions' order
    return day.add(days=facts.policy.fallback_plan_days)


def _graded_by_assessments(facts: _Facts) -> Iterator[Violation]:
    """A safety plan after each day a clinician graded the risk moderate or high.

    An assessment that answers a positive screen (within the policy's window)
    is that screen's event, judged with it; the others (risk found in a
    session, or graded above a low screen) ask for a plan on file by the next
    session.
    """
    window = facts.policy.assessment_days
    answering = [(s.on, s.on.add(days=window)) for s in facts.screens if s.positive]
    days = sorted(
        {
            a.on
            for a in facts.record.assessments
            if a.level in ("moderate", "high")
            and a.on <= facts.today
            and not any(on <= a.on <= by for on, by in answering)
        }
    )
    for day in days:
        deadline = _plan_due(facts, day)
        if deadline > facts.today or any(p.on <= deadline for p in facts.record.plans):
            continue
        level = max(
            (a.level for a in facts.record.assessments if a.on == day), key=RISK_LEVELS.index
        )
        yield Violation(
            "safety.plan_missing",
            "error",
            f"the risk assessment of {day} found {level} risk and no safety plan is on file "
            f"by the next session, {deadline}; write one with the client",
            dates=(day, deadline),
        )


def _high_risk(facts: _Facts) -> Iterator[Violation]:
    """A level-of-care review after each day risk was graded high, until the team looked again.

    The team looked again when a transition followed, when a review of the
    plan of care was held on or after that day, or when a clinician's risk
    assessment that day or later graded the risk below high (of a day's
    assessments the higher counts, as in :func:`current_risk`).
    """
    plan, record = facts.plan, facts.record
    days = sorted(
        {a.on for a in record.assessments if a.level == "high"}
        | {s.on for s in record.screens if s.risk == "high"}
    )
    assessed: dict[pendulum.Date, RiskLevel] = {}
    for a in record.assessments:
        assessed[a.on] = higher_risk(assessed.get(a.on, a.level), a.level)
    looked = [t.on for t in plan.transitions] + [r.on for r in plan.reviews]
    looked += [on for on, level in assessed.items() if level != "high"]
    for day in days:
        if any(on >= day for on in looked):
            continue
        yield Violation(
            "safety.level_review",
            "warning",
            f"high suicide risk was found on {day}; review whether the level of care still "
            "fits and record the review (careplan never moves a client by itself)",
            dates=(day,),
        )
