"""Reviews, certification and signatures of the plan of care, judged by a ReviewPolicy.

Like the golden-thread rules, these judge plans that have a plan of care.
Cadences run from the plan's start (reviews) or the first day at a level
(certification), then from each review or recertification; see
:class:`careplan.ReviewPolicy` and ``docs/explanation/golden-thread.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pendulum

from careplan._model.plan import CarePlan
from careplan._model.report import Violation
from careplan._model.review import Cadence, ReviewPolicy
from careplan._operations.certification import check_certification
from careplan._operations.context import RuleContext

__all__ = ["check_certification", "check_reviews", "end_of_care", "next_review"]


def end_of_care(plan: CarePlan) -> pendulum.Date:
    """The last day of care: the discharge day, or the plan's end."""
    return plan.transitions[-1].on if plan.discharged else plan.end


def check_reviews(context: RuleContext) -> Iterator[Violation]:
    """Reviews on time, certification kept up, signatures before services.

    - ``review.overdue`` and ``review.due_soon`` (need ``today``);
    - ``review.certification_lapsed``: days at a level the policy certifies
      after a recertification fell due and before the next (needs ``today``);
    - ``review.unsigned_services``: care delivered (attendance) before the
      plan was signed by every role the policy requires.
    """
    plan, today, policy = context.plan, context.today, context.review_policy
    if plan.plan_of_care.empty:
        return
    yield from _unsigned_services(plan, policy)
    if today is None:
        return
    certification = list(check_certification(plan, today, policy))
    # A recertification reviews the plan: when both fall due on one day, the
    # recertification's reminder says it once.
    due = {day for v in certification if v.code == "review.due_soon" for day in v.dates}
    for violation in _review_cadence(plan, today, policy):
        if not (violation.code == "review.due_soon" and set(violation.dates) <= due):
            yield violation
    yield from certification


def _applies(policy: ReviewPolicy, level_code: str) -> bool:
    levels = policy.levels
    return not levels or "*" in levels or level_code in levels


def next_review(
    plan: CarePlan, policy: ReviewPolicy, *, as_of: pendulum.Date | None = None
) -> tuple[pendulum.Date, Cadence] | None:
    """When the plan of care is next due for review after the reviews done, and by which cadence.

    With ``as_of``, only reviews and certifications dated up to that day count:
    one entered ahead of its date has not been done yet.

    A physician's certification or recertification counts as a review: it
    restates the need for the level and the plan of treatment, the
    patient's response to it and its goals (42 CFR 424.24(e)), so under
    :data:`~careplan.MEDICARE_REVIEW` reviews follow the recertifications.

    ``None`` when the policy sets no review cadence for the level. The date
    may be in the past: the review is then overdue.
    """
    last, first = plan.start, True
    done_by = as_of or pendulum.Date.max
    reviews = sorted(
        {r.on for r in plan.reviews if r.on <= done_by}
        | {s.on for s in plan.signatures if s.certifies and s.on <= done_by}
    )
    while True:
        level = plan.level_on(last) or plan.level
        cadence = policy.review_cadence(level.code)
        if cadence is None:
            return None
        due = cadence.due(last, first=first)
        done = next((day for day in reviews if last < day <= due), None)
        if done is not None:
            last, first = done, False
            continue
        later = next((day for day in reviews if day > due), None)
        if later is not None:
            last, first = later, False  # reviewed late: the cadence resumes from it
            continue
        return due, cadence


def _review_cadence(
    plan: CarePlan, today: pendulum.Date, policy: ReviewPolicy
) -> Iterator[Violation]:
    found = next_review(plan, policy, as_of=today)
    if found is None:
        return
    due, cadence = found
    end = end_of_care(plan)
    if due < min(today, end):
        yield Violation(
            "review.overdue",
            "warning",
            f"The plan of care was due for review by {due} ({policy.name}: {cadence}) "
            "and has not been reviewed since; review it with the client",
            dates=(due,),
        )
    elif today <= due <= end and (due - today).days <= policy.due_soon_days:
        yield Violation(
            "review.due_soon",
            "warning",
            f"The plan of care is due for review by {due} ({policy.name}); schedule it",
            dates=(due,),
        )


def _unsigned_services(plan: CarePlan, policy: ReviewPolicy) -> Iterator[Violation]:
    if not policy.signatures:
        return
    delivered = sorted(
        {
            record.on
            for record in plan.attendance
            if record.present
            and (level := plan.level_on(record.on)) is not None
            and _applies(policy, level.code)
        }
    )
    if not delivered:
        return
    for role in policy.signatures:
        # A guardian signs for a client who cannot (a minor, a person under guardianship).
        roles = {"client", "guardian"} if role == "client" else {role}
        signed = min(
            (s.on for s in plan.signatures if s.role in roles and s.purpose == "plan")
            if role != "physician"
            else (s.on for s in plan.signatures if s.role == "physician"),
            default=None,
        )
        before = [day for day in delivered if signed is None or day < signed]
        if before:
            shown = ", ".join(day.isoformat() for day in before[:3])
            more = f" and {len(before) - 3} more" if len(before) > 3 else ""
            when = "has not signed it" if signed is None else f"signed it on {signed}"
            yield Violation(
                "review.unsigned_services",
                "error",
                f"Care was delivered on {shown}{more} before the plan of care was signed by "
                f"the {role} ({policy.name}); the {role} {when}. Have the plan signed before "
                "services",
                dates=tuple(before),
            )
