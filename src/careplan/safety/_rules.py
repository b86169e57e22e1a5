"""The rules that follow a suicide-risk screen to an assessment and a safety plan.

Each rule reads the plan's own week (its occurrences) and the client's
:class:`~careplan.safety.SafetyRecord`; thresholds live in a
:class:`SafetyPolicy`. Messages name the date, the instrument and what to do
next, and never quote what a client or clinician wrote. careplan supports
clinical judgement and does not replace it: it never moves a client by
itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import attrs
import pendulum

from careplan._model.checks import identifier, tuple_converted, whole
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.report import Report, Violation
from careplan._operations.expansion import occurrences
from careplan.safety._records import SafetyRecord
from careplan.safety._screens import RiskLevel, Screen

__all__ = ["DEFAULT_SAFETY_POLICY", "SafetyPolicy", "check_safety", "current_risk"]


def _days(field: str, value: object, least: int = 0) -> int:
    return whole(field, value, least, 366)


def _admission_days(value: object) -> int:
    return _days("SafetyPolicy.admission_days", value)


def _rescreen_days(value: object) -> int | None:
    return None if value is None else _days("SafetyPolicy.rescreen_days", value, 1)


def _assessment_days(value: object) -> int:
    return _days("SafetyPolicy.assessment_days", value)


def _contact_days(value: object) -> int:
    return _days("SafetyPolicy.contact_days", value, 1)


def _contact_kinds(value: object) -> tuple[str, ...]:
    return tuple_converted("SafetyPolicy.contact_kinds", value, identifier, "session kind codes")


def _fallback_plan_days(value: object) -> int:
    return _days("SafetyPolicy.fallback_plan_days", value)


@attrs.frozen
class SafetyPolicy:
    """The safety rules' thresholds, set by a program's written policy.

    Attributes:
        admission_days: A first screen is due within this many days of the
            plan's start (0: on the first day).
        rescreen_days: At most this many days between screens; ``None``
            turns the cadence off.
        assessment_days: A clinician's risk assessment is due within this
            many days of a positive screen.
        contact_days: After a positive screen, the days within which the
            schedule holds an individual contact.
        contact_kinds: The session kinds that count as that contact.
        fallback_plan_days: When no session follows a screen, the safety
            plan is due this many days after it.
    """

    admission_days: int = attrs.field(default=1, converter=_admission_days)
    rescreen_days: int | None = attrs.field(default=30, converter=_rescreen_days)
    assessment_days: int = attrs.field(default=1, converter=_assessment_days)
    contact_days: int = attrs.field(default=7, converter=_contact_days)
    contact_kinds: tuple[str, ...] = attrs.field(
        default=("individual_therapy", "psychiatric"), converter=_contact_kinds
    )
    fallback_plan_days: int = attrs.field(default=1, converter=_fallback_plan_days)


#: The policy :func:`check_safety` applies when given none.
DEFAULT_SAFETY_POLICY = SafetyPolicy()


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
    record: SafetyRecord,
    *,
    today: pendulum.Date,
    policy: SafetyPolicy = DEFAULT_SAFETY_POLICY,
) -> Report:
    """Check a client's screens, assessments and safety plans against the plan's week.

    Codes: ``safety.screening_due``, ``safety.assessment_missing`` (error),
    ``safety.plan_missing`` (error), ``safety.plan_review_due``,
    ``safety.level_review`` and ``safety.contact_missing`` (warnings).
    Only what is dated on or before ``today`` is judged.
    """
    facts = _Facts(
        sessions=occurrences(plan),
        screens=tuple(s for s in record.screens if s.on <= today),
        record=record,
        today=today,
        policy=policy,
    )
    return Report(
        (*_screening(plan, facts), *_after_positive_screens(facts), *_high_risk(plan, facts))
    )


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
