"""The golden thread: every service traces to an intervention, every intervention to an objective.

Accreditors and payers audit that the plan of care holds together: each
scheduled service is delivered for an intervention, each intervention serves
an objective, each objective a goal, each goal a problem, and the schedule
provides what the interventions promise. These rules check it against the
actual weekly schedule, episode by episode.

The rules judge a plan that has a plan of care (a problem, objective or
intervention); plans with goals only, as plans were before the plan of care
grew, are left alone. Messages name records by id, never by their clinical
text: a report is printed and logged.
"""

from __future__ import annotations

from collections.abc import Iterator

import pendulum

from careplan._model.care import Intervention
from careplan._model.checks import quoted
from careplan._model.kinds import SessionKind
from careplan._model.plan import CarePlan, Goal
from careplan._model.report import Violation
from careplan._model.schedule import WeeklySchedule
from careplan._model.transition import Episode
from careplan._operations.context import RuleContext

__all__ = ["check_golden_thread", "check_target_dates", "provided_per_window"]


def provided_per_window(intervention: Intervention, schedule: WeeklySchedule) -> float:
    """Sessions of the intervention's kinds a schedule provides per its window of weeks.

    A session every ``n`` weeks counts ``every_weeks / n`` times in the
    intervention's window of ``every_weeks`` weeks: a biweekly psychiatric
    consult provides 0.5 a week, 1 every two weeks.
    """
    return sum(
        intervention.every_weeks / session.every_weeks
        for session in schedule.sessions
        if session.kind in intervention.kinds
    )


def _goal_name(index: int, goal: Goal) -> str:
    return f"goal {goal.id!r}" if goal.id is not None else f"goal {index + 1} (no id)"


def check_golden_thread(context: RuleContext) -> Iterator[Violation]:
    """Services, interventions, objectives, goals and problems trace to one another.

    - ``care.unplanned_service``: a session kind an episode schedules that
      no intervention applying at its level names;
    - ``care.frequency_unmet``: an intervention asks for more sessions of
      its kinds than an episode's schedule provides (each episode judged
      against the plan of care as it stood at its end);
    - ``care.update_due``: the level changed (a step up or down) and the
      plan of care has not been revised since; until it is, only the
      interventions that name the new level are judged against its
      schedule (with ``today``, the finding appears from the day of the
      change);
    - ``care.intervention_without_objective``, ``care.objective_without_intervention``,
      ``care.goal_without_objective``, ``care.problem_without_goal``: a
      link of the thread is missing (objectives and goals that are
      completed or cancelled need nothing more).
    """
    plan = context.plan
    if plan.plan_of_care.empty:
        return
    yield from _schedule_against_interventions(plan, context.today)
    yield from _missing_links(plan)


def _awaiting_update(plan: CarePlan, episode: Episode) -> bool:
    """The episode began with a step up or down and no revision of the plan of care is in it."""
    move = episode.came_in_by
    if move is None or move.direction not in ("step_up", "step_down"):
        return False
    return not any(episode.start <= r.on <= episode.end for r in plan.revisions)


def _update_due(episode: Episode, today: pendulum.Date | None) -> Iterator[Violation]:
    """``care.update_due`` for an episode awaiting its revision, from the day of the change."""
    move = episode.came_in_by
    assert move is not None
    if today is not None and today < move.on:
        return  # the change has not happened yet
    yield Violation(
        "care.update_due",
        "warning",
        f"The level of care changed from {move.from_level} to {move.to_level} on {move.on} "
        "and the plan of care has not been revised since; revise it for the new level "
        f"(its interventions, their frequencies and levels) with plan.revise(on=...) "
        f"dated {move.on} or later",
        dates=(move.on,),
    )


def _schedule_against_interventions(
    plan: CarePlan, today: pendulum.Date | None
) -> Iterator[Violation]:
    for episode in plan.episodes:
        if not episode.days:
            continue  # left on the day it began: nothing was delivered
        code = episode.level.code
        # Judged against the plan of care as it stood at the episode's end (each
        # episode its own version); after a level change that was not followed
        # by a revision, only what the plan wrote for the new level is judged.
        interventions = plan.plan_of_care_on(episode.end).interventions
        pending = _awaiting_update(plan, episode)
        if pending:
            yield from _update_due(episode, today)
        applying = [i for i in interventions if i.applies_at(code)]
        named = {kind for i in applying for kind in i.kinds}
        unplanned: dict[SessionKind, list[str]] = {}
        for session in episode.schedule.sessions:
            if session.kind not in named:
                unplanned.setdefault(session.kind, []).append(session.id)
        for kind, session_ids in unplanned.items():
            yield Violation(
                "care.unplanned_service",
                "warning",
                f"{quoted(kind.label)} sessions at {code} from {episode.start} trace to no "
                "intervention of the plan of care; name the kind in an intervention, or drop "
                "the sessions",
                tuple(session_ids),
                (episode.start,),
            )
        for intervention in applying:
            if not intervention.kinds:
                continue  # delivered outside scheduled sessions
            if pending and code not in intervention.levels:
                continue  # written for the level before; care.update_due asks for the revision
            provided = provided_per_window(intervention, episode.schedule)
            if provided + 1e-9 < intervention.times:
                window = (
                    "a week"
                    if intervention.every_weeks == 1
                    else f"{intervention.every_weeks} weeks"
                )
                kinds = ", ".join(quoted(k.label.lower()) for k in intervention.kinds)
                yield Violation(
                    "care.frequency_unmet",
                    "error",
                    f"Intervention {intervention.id!r} asks for {intervention.times} "
                    f"session(s) of {kinds} in {window}; the {code} schedule from "
                    f"{episode.start} provides {provided:g}; schedule more sessions, or "
                    "change the intervention's frequency or levels",
                    tuple(s.id for s in episode.schedule.sessions if s.kind in intervention.kinds),
                    (episode.start,),
                )


def _missing_links(plan: CarePlan) -> Iterator[Violation]:
    served = {one for i in plan.interventions for one in i.objectives}
    for intervention in plan.interventions:
        if not intervention.objectives:
            yield Violation(
                "care.intervention_without_objective",
                "warning",
                f"Intervention {intervention.id!r} serves no objective; link it to the "
                "objectives it works toward",
            )
    for objective in plan.objectives:
        if objective.open and objective.id not in served:
            yield Violation(
                "care.objective_without_intervention",
                "warning",
                f"Objective {objective.id!r} has no intervention; add what the team does toward it",
            )
    with_objectives = {objective.goal for objective in plan.objectives}
    for index, goal in enumerate(plan.goals):
        if goal.open and (goal.id is None or goal.id not in with_objectives):
            yield Violation(
                "care.goal_without_objective",
                "warning",
                f"The {_goal_name(index, goal)} has no objective; add a measurable step "
                "toward it (an objective names its goal by id)",
            )
    addressed = {problem for goal in plan.goals for problem in goal.problems}
    for problem in plan.problems:
        if problem.id not in addressed:
            yield Violation(
                "care.problem_without_goal",
                "warning",
                f"Problem {problem.id!r} has no goal; add a goal that addresses it",
            )


def check_target_dates(context: RuleContext) -> Iterator[Violation]:
    """Goals and objectives past their target date and still open (needs ``today``).

    Code ``care.target_date_passed``: review whether it was met, revise its
    date, or close it.
    """
    plan, today = context.plan, context.today
    if today is None or plan.plan_of_care.empty:
        return
    for index, goal in enumerate(plan.goals):
        if goal.open and goal.target_date is not None and goal.target_date < today:
            yield Violation(
                "care.target_date_passed",
                "warning",
                f"The {_goal_name(index, goal)} was due {goal.target_date} and is still open; "
                "record whether it was met, or revise its target date",
                dates=(goal.target_date,),
            )
    for objective in plan.objectives:
        due = objective.target_date
        if objective.open and due is not None and due < today:
            yield Violation(
                "care.target_date_passed",
                "warning",
                f"Objective {objective.id!r} was due {due} and is still open; record whether "
                "it was met, or revise its target date",
                dates=(due,),
            )
