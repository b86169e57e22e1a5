"""Straightforward reference implementations of careplan's fast paths.

careplan's expansion, weekly figures and batch rows take shortcuts for speed
(issue 19): zone tables per day, occurrences built in order instead of
sorted, figures computed once per occurrence. The functions here do the same
work the plain way, as careplan did before those shortcuts, so property tests
can check that the fast paths give exactly the same values. Keep them
simple: they are the definition, not the implementation.
"""

from __future__ import annotations

import datetime as dt

import pendulum

from careplan import CarePlan, Occurrence, WeeklySchedule
from careplan._model.expansion import DayChanges, occurrence_on, series_dates
from careplan._model.time import require_date


def expand(
    schedule: WeeklySchedule,
    start: dt.date,
    end: dt.date,
    *,
    closures=(),
    cancellations=(),
    reschedules=(),
    cadence_start: dt.date | None = None,
    disambiguate="compatible",
    episode: int = 0,
) -> tuple[Occurrence, ...]:
    """Every occurrence, one session and one series date at a time, then sorted."""
    first_day = require_date("start", start)
    last_day = require_date("end", end)
    origin = require_date("cadence_start", cadence_start or first_day)
    changes = DayChanges.of(closures, cancellations, reschedules)
    found = []
    for session in schedule.sessions:
        for scheduled_on in series_dates(session, first_day, last_day, origin):
            if not changes.removes(session.id, scheduled_on):
                found.append(
                    occurrence_on(
                        session,
                        scheduled_on,
                        schedule.timezone,
                        changes.moved,
                        disambiguate,
                        episode,
                    )
                )
    found.sort(key=lambda o: (o.start, o.session.id))
    return tuple(found)


def occurrences(plan: CarePlan, *, disambiguate="compatible") -> tuple[Occurrence, ...]:
    """Every occurrence of each episode, sorted across episodes."""
    days_off = (*plan.closures, *sorted(plan.held_days))
    found: list[Occurrence] = []
    for index, episode in enumerate(plan.episodes):
        found += expand(
            episode.schedule,
            episode.start,
            episode.end,
            closures=days_off,
            cancellations=plan.cancellations,
            reschedules=plan.reschedules,
            cadence_start=episode.start,
            disambiguate=disambiguate,
            episode=index,
        )
    if len(plan.episodes) > 1:
        found.sort(key=lambda o: (o.start, o.session.id))
    return tuple(found)


def minutes_by_date(items) -> dict[pendulum.Date, int]:
    """Minutes of sessions on each local date, from the occurrences themselves."""
    totals: dict[pendulum.Date, int] = {}
    for occurrence in items:
        totals[occurrence.date] = totals.get(occurrence.date, 0) + occurrence.minutes
    return totals


def week_figures(plan: CarePlan):
    """The weeks of each episode, with each week's occurrences grouped the plain way."""
    from careplan import WeekFigures
    from careplan._model.time import week_start

    def by_week(items):
        weeks: dict = {}
        for occurrence in items:
            weeks.setdefault(week_start(occurrence.date), []).append(occurrence)
        return {monday: tuple(found) for monday, found in weeks.items()}

    if plan.end < plan.start:
        return ()
    actual = by_week(occurrences(plan))
    weeks = []
    for index, episode in enumerate(plan.episodes):
        if not episode.days:
            continue
        regular = by_week(
            expand(
                episode.schedule,
                episode.start,
                episode.end,
                cadence_start=episode.start,
                episode=index,
            )
        )
        grace_from = _grace_start(plan, episode)
        monday = week_start(episode.start)
        while monday <= episode.end:
            sunday = monday.add(days=6)
            first, last = max(monday, episode.start), min(sunday, episode.end)
            weeks.append(
                WeekFigures(
                    monday,
                    first,
                    last,
                    tuple(o for o in actual.get(monday, ()) if o.episode == index),
                    regular.get(monday, ()),
                    episode.level,
                    index,
                    grace_from is not None and sunday >= grace_from,
                    any(first <= day <= last for day in plan.held_days),
                )
            )
            monday = monday.add(weeks=1)
    return tuple(weeks)


def _grace_start(plan, episode):
    from careplan._operations.weeks import _grace_start

    return _grace_start(plan, episode)


def validate(plan: CarePlan, *, today=None):
    """Every built-in rule over a context built the plain way (figures from the occurrences)."""
    from careplan import Report, RuleContext, rules

    context = RuleContext(plan, today, week_figures(plan), occurrences(plan))
    found = []
    for rule in rules().values():
        found.extend(rule(context))
    return Report(found)
