"""Progress toward objectives, from measurements and attendance; the measurement rules.

:func:`progress` says, per objective, what the latest value is, which way it
is going and whether the target is met. It only reports a target met when
the latest value on or before ``today`` meets it: an objective without a
target, or without a value yet, is ``met=None`` (not known), never ``True``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Literal

import attrs
import pendulum

from careplan._model.care import Target, TreatmentObjective
from careplan._model.checks import shape_repr
from careplan._model.expansion import occurrences
from careplan._model.measures import Measurement
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan
from careplan._model.report import Violation
from careplan._model.safety import ItemAnswers
from careplan._model.time import require_date
from careplan._operations.context import RuleContext
from careplan._operations.reviews import end_of_care

__all__ = ["ObjectiveProgress", "Trend", "check_measures", "progress", "suicide_items"]

#: Which way the measure went from the measurement before the latest.
Trend = Literal["improving", "worsening", "stable"]


@attrs.frozen(repr=False)
class ObjectiveProgress:
    """Where an objective stands on a day.

    Attributes:
        objective: The objective's id.
        goal: The id of its goal.
        target: Its target, if it has one.
        latest: The latest value on or before the day: a score, or for an
            attendance target the percentage of recorded sessions attended.
            ``None`` before anything is measured or recorded.
        latest_on: The day of the latest value (for attendance, the last
            recorded session).
        baseline: The first score (``None`` for attendance).
        trend: From the score before the latest to the latest:
            ``"improving"``, ``"worsening"`` or ``"stable"``; ``None``
            with fewer than two scores, and for attendance.
        met: Whether ``latest`` meets the target; ``None`` when there is no
            target or no value yet.
        band: The severity band of ``latest``, if the instrument has bands.
        responded: Whether ``latest`` is a response from ``baseline``
            (PHQ-9, GAD-7: a drop of 50% or more); ``None`` when not known.
        remitted: Whether ``latest`` is remission; ``None`` when not known.
        count: How many values it is based on (scores, or recorded sessions).
        suicide_items: When the plan's safety record holds the latest
            score's questionnaire answered item by item that day, the
            answers to its suicide items as ``(item number, answer)`` pairs
            (PHQ-9: ``((9, answer),)``), to show beside the total; else empty.
    """

    objective: str
    goal: str
    target: Target | None
    latest: float | None = None
    latest_on: pendulum.Date | None = None
    baseline: float | None = None
    trend: Trend | None = None
    met: bool | None = None
    band: str | None = None
    responded: bool | None = None
    remitted: bool | None = None
    count: int = 0
    suicide_items: tuple[tuple[int, int], ...] = ()

    def __repr__(self) -> str:
        # Scores are health information: the repr says where the objective stands, not the scores.
        return shape_repr(
            "ObjectiveProgress", objective=self.objective, met=self.met, trend=self.trend
        )


def series(plan: CarePlan, instrument: str, today: _dt.date | None = None) -> list[Measurement]:
    """The plan's measurements of ``instrument`` up to ``today``, oldest first."""
    found = [m for m in plan.measurements if m.instrument == instrument]
    if today is not None:
        found = [m for m in found if m.on <= today]
    return sorted(found, key=lambda m: m.on)


def suicide_items(plan: CarePlan, instrument: str, on: _dt.date) -> tuple[tuple[int, int], ...]:
    """The answers to ``instrument``'s suicide items on ``on``, as ``(item, answer)`` pairs.

    Read from the plan's safety record (questionnaires answered item by
    item); empty when it holds none of ``instrument`` that day. The last
    answered that day counts.

    >>> import attrs, pendulum
    >>> from careplan.demo import sample_plan
    >>> from careplan.safety import PHQ_9_ITEMS, ItemAnswers, SafetyRecord
    >>> monday = pendulum.date(2027, 1, 4)
    >>> answers = ItemAnswers(PHQ_9_ITEMS, monday, (1, 1, 1, 1, 1, 0, 0, 0, 1))
    >>> plan = attrs.evolve(sample_plan(), safety=SafetyRecord([answers]))
    >>> suicide_items(plan, "PHQ-9", monday)
    ((9, 1),)
    """
    day = require_date("on", on)
    found = [
        s
        for s in plan.safety.screens
        if isinstance(s, ItemAnswers) and s.instrument == instrument and s.on == day
    ]
    if not found:
        return ()
    answers = found[-1]
    return tuple((n, answers.answers[n - 1]) for n in answers.questionnaire.suicide_items)


def progress(plan: CarePlan, *, today: _dt.date) -> tuple[ObjectiveProgress, ...]:
    """Each objective's latest value, trend and whether its target is met, as of ``today``.

    Score targets are judged on the latest measurement of their instrument
    on or before ``today``; attendance targets on the recorded sessions of
    their kinds from the objective's start (or the plan's) to ``today``,
    leaving out sessions the program cancelled.

    >>> import attrs, pendulum
    >>> from careplan import Goal, Measurement, Target, TreatmentObjective
    >>> from careplan.demo import sample_plan
    >>> plan = sample_plan().revise(
    ...     pendulum.date(2027, 1, 4),
    ...     goals=[Goal("mood", "Feel better")],
    ...     objectives=[TreatmentObjective("phq", "mood", "PHQ-9 below 10",
    ...                                    target=Target.score("PHQ-9", below=10))],
    ... )
    >>> plan = attrs.evolve(plan, measurements=[
    ...     Measurement("PHQ-9", 18, pendulum.date(2027, 1, 4)),
    ...     Measurement("PHQ-9", 9, pendulum.date(2027, 2, 1)),
    ... ])
    >>> (found,) = progress(plan, today=pendulum.date(2027, 2, 2))
    >>> found.latest, found.trend, found.met, found.band, found.responded
    (9, 'improving', True, 'mild', True)
    """
    day = require_date("today", today)
    expanded: tuple[Occurrence, ...] | None = None
    found = []
    for objective in plan.objectives:
        target = objective.target
        if target is None:
            found.append(ObjectiveProgress(objective.id, objective.goal, None))
        elif target.is_attendance:
            if expanded is None:
                expanded = occurrences(plan)
            found.append(_attendance(plan, objective, target, day, expanded))
        else:
            found.append(_scores(plan, objective, target, day))
    return tuple(found)


def _scores(
    plan: CarePlan, objective: TreatmentObjective, target: Target, day: pendulum.Date
) -> ObjectiveProgress:
    instrument = plan.instrument(target.measure)
    scores = series(plan, target.measure, day)
    if not scores:
        return ObjectiveProgress(objective.id, objective.goal, target)
    first, last = scores[0], scores[-1]
    trend: Trend | None = None
    if len(scores) > 1:
        change = instrument.improvement(scores[-2].score, last.score)
        trend = "improving" if change > 0 else "worsening" if change < 0 else "stable"
    return ObjectiveProgress(
        objective.id,
        objective.goal,
        target,
        latest=last.score,
        latest_on=last.on,
        baseline=first.score,
        trend=trend,
        met=target.met_by(last.score),
        band=instrument.band(last.score),
        responded=instrument.responded(baseline=first.score, score=last.score)
        if instrument.response_drop is not None
        else None,
        remitted=instrument.remitted(last.score)
        if instrument.remission_below is not None
        else None,
        count=len(scores),
        suicide_items=suicide_items(plan, target.measure, last.on),
    )


def _attendance(
    plan: CarePlan,
    objective: TreatmentObjective,
    target: Target,
    day: pendulum.Date,
    expanded: tuple[Occurrence, ...],
) -> ObjectiveProgress:
    records = {r.key: r for r in plan.attendance}
    since = objective.start or plan.start
    counted = [
        records[key]
        for o in expanded
        if (key := o.key) in records
        and since <= o.date <= day
        and (not target.kinds or o.session.kind in target.kinds)
        and records[key].status != "cancelled_by_program"
    ]
    if not counted:
        return ObjectiveProgress(objective.id, objective.goal, target)
    rate = 100 * sum(r.present for r in counted) / len(counted)
    return ObjectiveProgress(
        objective.id,
        objective.goal,
        target,
        latest=rate,
        latest_on=max(r.on for r in counted),
        met=target.met_by(rate),
        count=len(counted),
    )


def check_measures(context: RuleContext) -> Iterator[Violation]:
    """Measures repeated often enough, and clinically significant worsening flagged.

    - ``measure.not_repeated`` (needs ``today``): an instrument the plan
      measures, or an open objective targets, has no measurement within the
      policy's ``measure_every_days``;
    - ``measure.worsening``: the latest score is clinically significantly
      worse than the score at the last review (or the baseline before any
      review). A warning asking for review; it never moves the level of care.
    """
    plan, today, policy = context.plan, context.today, context.review_policy
    if plan.plan_of_care.empty:
        return
    measured = list(dict.fromkeys(m.instrument for m in plan.measurements))
    targeted = [
        o.target.measure
        for o in plan.objectives
        if o.open and o.target is not None and not o.target.is_attendance
    ]
    every = policy.measure_every_days
    if today is not None and every is not None and plan.start <= today:
        for code in dict.fromkeys([*measured, *targeted]):
            scores = series(plan, code, today)
            since = scores[-1].on if scores else plan.start
            due = since.add(days=every)
            if due < today and due <= end_of_care(plan):
                yield Violation(
                    "measure.not_repeated",
                    "warning",
                    f"{code} was "
                    + (f"last measured on {since}" if scores else "never measured")
                    + f"; it is due every {every} days ({policy.name}); measure it at the next "
                    "session",
                    dates=(due,),
                )
    reviewed = sorted(r.on for r in plan.reviews if today is None or r.on <= today)
    last_review = reviewed[-1] if reviewed else None
    for code in measured:
        instrument = plan.instrument(code)
        scores = series(plan, code, today)
        if len(scores) < 2:
            continue
        latest = scores[-1]
        if last_review is not None:
            seen = [m for m in scores if m.on <= last_review]
            before = seen[-1] if seen else scores[0]
            if latest.on <= last_review:
                continue  # the review saw it
        else:
            before = scores[0]
        if latest is not before and instrument.worsened(before=before.score, after=latest.score):
            compared = f"the review of {last_review}" if last_review is not None else "baseline"
            yield Violation(
                "measure.worsening",
                "warning",
                f"{code} on {latest.on} is clinically significantly worse than on {before.on} "
                f"(since {compared}); review the plan of care with the client. This asks for a "
                "review; it does not change the level of care",
                dates=(latest.on,),
            )
