"""The rules that follow a suicide-risk screen to an assessment and a safety plan.

Each rule reads the plan's own week (its occurrences) and the client's
safety record (:attr:`CarePlan.safety <careplan.CarePlan.safety>`); thresholds live in a
:class:`SafetyPolicy`. Messages name the date, the instrument and what to do
next, and never quote what a client or clinician wrote. careplan supports
clinical judgement and does not replace it: it never moves a client by
itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType

import attrs
import pendulum

from careplan._model.expansion import occurrences
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.report import Report, Severity, Violation
from careplan._model.safety import (
    DEFAULT_SAFETY_POLICY,
    RiskLevel,
    SafetyPolicy,
    SafetyRecord,
    Screen,
)
from careplan._model.time import require_date
from careplan._operations.context import RuleContext

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
    graded: list[tuple[pendulum.Date, int, RiskLevel]] = [
        (a.on, 1, a.level) for a in record.assessments if a.on <= today
    ]
    graded += [(s.on, 0, s.risk) for s in record.screens if s.on <= today and s.risk is not None]
    return max(graded)[2] if graded else None


def check_safety(
    plan: CarePlan,
    record: SafetyRecord | None = None,
    *,
    today: pendulum.Date,
    policy: SafetyPolicy = DEFAULT_SAFETY_POLICY,
) -> Report:
    """Check a client's screens, assessments and safety plans against the plan's week.

    Codes: ``safety.screening_due``, ``safety.assessment_missing`` (error),
    ``safety.plan_missing`` (error), ``safety.plan_review_due``,
    ``safety.level_review`` and ``safety.contact_missing`` (warnings).
    Only what is dated on or before ``today`` is judged. The records are
    the plan's own (:attr:`CarePlan.safety <careplan.CarePlan.safety>`)
    unless ``record`` is given.
    """
    return Report(_findings(plan, record, require_date("today", today), policy, occurrences(plan)))


def check_safety_rule(context: RuleContext) -> Iterator[Violation]:
    """The ``safety`` rule of :func:`careplan.validate`: :func:`check_safety` for its context.

    It finds nothing for a plan without safety records or without a ``today``.
    """
    if context.today is None or not context.plan.safety:
        return iter(())
    return _findings(context.plan, None, context.today, context.safety_policy, context.occurrences)


def _findings(
    plan: CarePlan,
    record: SafetyRecord | None,
    today: pendulum.Date,
    policy: SafetyPolicy,
    sessions: Sequence[Occurrence],
) -> Iterator[Violation]:
    record = plan.safety if record is None else record
    facts = _Facts(
        sessions=sessions,
        screens=tuple(s for s in record.screens if s.on <= today),
        record=record,
        today=today,
        policy=policy,
    )
    yield from _screening(plan, facts)
    yield from _after_positive_screens(facts)
    yield from _high_risk(plan, facts)


@attrs.frozen
class _Facts:
    """What every safety rule reads: the plan's sessions, the record, the day, the policy."""

    sessions: Sequence[Occurrence]
    screens: Sequence[Screen]  # those dated up to today
    record: SafetyRecord
    today: pendulum.Date
    policy: SafetyPolicy


def _screening(plan: CarePlan, facts: _Facts) -> Iterator[Violation]:
    screens, sessions, record, today, policy = (
        facts.screens, facts.sessions, facts.record, facts.today, facts.policy
    )  # fmt: skip
    admission_due = plan.start.add(days=policy.admission_days)
    if today >= admission_due and not any(s.on <= admission_due for s in screens):
        yield Violation(
            "safety.screening_due",
            "error",
            f"no suicide-risk screen by {admission_due} (admission on {plan.start}); screen "
            "with a validated tool (PHQ-9 by item, or the C-SSRS Screener) and record it",
            dates=(admission_due,),
        )
        return
    if screens and policy.rescreen_days is not None:
        due = screens[-1].on.add(days=policy.rescreen_days)
        if due < today and due <= plan.end:
            yield Violation(
                "safety.screening_due",
                "warning",
                f"the last suicide-risk screen was on {screens[-1].on}; the policy asks for one "
                f"every {policy.rescreen_days} days, so one was due by {due}",
                dates=(due,),
            )
    # While risk is high, every session screens again.
    if current_risk(record, today) == "high":
        since = max(
            [a.on for a in record.assessments if a.on <= today]
            + [s.on for s in screens if s.risk == "high"]
        )
        screened = {s.on for s in screens}
        unscreened = sorted(
            {o.date for o in sessions if since < o.date <= today and o.date not in screened}
        )
        if unscreened:
            yield Violation(
                "safety.screening_due",
                "warning",
                f"risk is high since {since}; the policy asks for a screen at every session, "
                f"and {len(unscreened)} session day(s) since have none",
                dates=tuple(unscreened),
            )


def _after_positive_screens(facts: _Facts) -> Iterator[Violation]:
    screens, sessions, record, today, policy = (
        facts.screens, facts.sessions, facts.record, facts.today, facts.policy
    )  # fmt: skip
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
        deadline = next(
            (o.date for o in sessions if o.date > screen.on),
            screen.on.add(days=policy.fallback_plan_days),
        )
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
            contact_end <= today or any(o.date >= contact_end for o in sessions)
        ):
            contacted.add(screen.on)
            contacts = [
                o
                for o in sessions
                if screen.on <= o.date < contact_end and o.session.kind.code in policy.contact_kinds
            ]
            if not contacts:
                yield Violation(
                    "safety.contact_missing",
                    "warning",
                    f"{what}; the schedule holds no individual contact "
                    f"({', '.join(policy.contact_kinds)}) in the {policy.contact_days} days after "
                    "it; schedule one",
                    dates=(screen.on,),
                )


def _high_risk(plan: CarePlan, facts: _Facts) -> Iterator[Violation]:
    record, today = facts.record, facts.today
    days = sorted(
        {a.on for a in record.assessments if a.level == "high" and a.on <= today}
        | {s.on for s in record.screens if s.risk == "high" and s.on <= today}
    )
    for day in days:
        if any(t.on >= day for t in plan.transitions):
            continue  # the level was looked at again: a transition followed
        yield Violation(
            "safety.level_review",
            "warning",
            f"high suicide risk was found on {day}; review whether the level of care still "
            "fits (careplan never moves a client by itself)",
            dates=(day,),
        )
