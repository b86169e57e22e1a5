"""The built-in validation rules, one small function each.

Each rule takes a :class:`~careplan.RuleContext` and yields
:class:`~careplan.Violation` values with a stable code. The codes and what
they mean are listed in ``docs/reference/violations.md``; a test keeps that
table and :data:`CODES` in step.

Where a week or a day falls short only because of closures, cancellations
or moves, the finding is a warning: the schedule itself is sound and a
clinician decides whether to make the time up.
"""

from __future__ import annotations

import bisect
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator

import pendulum

from careplan._model.checks import quoted
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.levels import LevelOfCare, Range
from careplan._model.occurrence import Occurrence
from careplan._model.report import Severity, Violation
from careplan._model.session import Session
from careplan._model.transition import Episode
from careplan._operations.context import RuleContext
from careplan._operations.weeks import WeekFigures

__all__ = [
    "CODES",
    "check_dates",
    "check_intensity",
    "check_level_fit",
    "check_modality",
    "check_overlaps",
    "check_required_components",
    "check_transitions",
    "check_vocabulary",
]

#: Every code validation emits, with its severity or severities.
CODES: dict[str, tuple[Severity, ...]] = {
    "limits.period_too_long": ("error",),
    "limits.date_out_of_range": ("error",),
    "dates.end_before_start": ("error",),
    "dates.closure_outside_period": ("warning",),
    "dates.unknown_session": ("error",),
    "dates.no_such_occurrence": ("error",),
    "dates.conflicting_changes": ("error",),
    "dates.moved_outside_period": ("error",),
    "dates.moved_across_transition": ("error",),
    "dates.goal_outside_period": ("warning",),
    "dates.plan_ended": ("warning",),
    "intensity.no_sessions": ("error",),
    "intensity.days_per_week": ("error", "warning"),
    "intensity.hours_per_day": ("error", "warning"),
    "intensity.hours_per_week": ("error", "warning"),
    "intensity.step_down_grace": ("warning",),
    "required.missing": ("error", "warning"),
    "overlap": ("error",),
    "level_fit.too_intense": ("error",),
    "transition.skipped_levels": ("warning",),
    "modality.missing_join_url": ("warning",),
    "modality.missing_location": ("warning",),
    "modality.bad_join_url": ("error",),
    "attendance.unknown_occurrence": ("error",),
    "attendance.in_future": ("error",),
    "attendance.unrecorded": ("warning",),
    "attendance.below_minimum": ("warning",),
    "attendance.unexcused_absences": ("warning",),
    "attendance.missed_component": ("warning",),
    "authorization.missing": ("error",),
    "authorization.units_exceeded": ("error",),
    "authorization.units_run_out": ("warning",),
    "authorization.ending_soon": ("warning",),
    "vocabulary.undeclared": ("warning",),
    # The plan of care (golden_thread.py, reviews.py, progress.py).
    "care.unplanned_service": ("warning",),
    "care.frequency_unmet": ("error",),
    "care.update_due": ("warning",),
    "care.intervention_without_objective": ("warning",),
    "care.objective_without_intervention": ("warning",),
    "care.goal_without_objective": ("warning",),
    "care.problem_without_goal": ("warning",),
    "care.target_date_passed": ("warning",),
    "review.overdue": ("warning",),
    "review.due_soon": ("warning",),
    "review.certification_lapsed": ("error",),
    "review.unsigned_services": ("error",),
    "measure.not_repeated": ("warning",),
    "measure.worsening": ("warning",),
}

_SHORTFALL_BY_CHANGES = (
    "closures, cancellations or moved sessions caused this; make up the time "
    "or note why it is acceptable"
)


def _day_name(day: pendulum.Date) -> str:
    """The weekday's name in the current locale (``"Monday"``)."""
    return day.format("dddd")


def format_hours(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def list_dates(dates: list[pendulum.Date], noun: str) -> str:
    shown = ", ".join(d.isoformat() for d in dates[:3])
    more = f" and {len(dates) - 3} more" if len(dates) > 3 else ""
    if noun == "week":
        return f"Week{'s' if len(dates) > 1 else ''} of {shown}{more}"
    return f"On {shown}{more}"


class Grouped:
    """Collects findings of one kind into a single violation listing their dates.

    A message given values may hold ``{value}``: the violation shows the one
    value found, or their range ("6.5–10.33") when the weeks differ. Messages
    without values are left alone, so user text in them is never rewritten.
    """

    def __init__(self) -> None:
        # Per finding, a dict from day to value: adding is a constant-time
        # lookup (a list scanned for the day made validation quadratic).
        self._found: dict[
            tuple[str, Severity, str, tuple[str, ...]], dict[pendulum.Date, float | None]
        ] = defaultdict(dict)

    def add(
        self,
        code: str,
        severity: Severity,
        message: str,
        day: pendulum.Date,
        session_ids: tuple[str, ...] = (),
        value: float | None = None,
    ) -> None:
        self._found[(code, severity, message, session_ids)].setdefault(day, value)

    def violations(self, noun: str = "week") -> Iterator[Violation]:
        for (code, severity, message, session_ids), found in self._found.items():
            dates = sorted(found)
            values = [v for v in found.values() if v is not None]
            if values:
                low, high = min(values), max(values)
                shown = (
                    format_hours(low)
                    if low == high
                    else f"{format_hours(low)}–{format_hours(high)}"
                )
                message = message.replace("{value}", shown)
            yield Violation(
                code,
                severity,
                f"{list_dates(dates, noun)}: {message}",
                session_ids,
                dates,
            )


def weeks_by_episode(weeks: Iterable[WeekFigures]) -> dict[int, list[WeekFigures]]:
    """The weeks of each episode, in order: one pass instead of one per episode."""
    found: dict[int, list[WeekFigures]] = defaultdict(list)
    for week in weeks:
        found[week.episode].append(week)
    return found


def _judge(
    bounds: Range, actual: float, regular: float, *, judge_minimum: bool
) -> tuple[Severity, str] | None:
    """Whether ``actual`` breaks ``bounds``; an error when ``regular`` does too."""
    if bounds.above(actual):
        return ("error" if bounds.above(regular) else "warning"), "above"
    if judge_minimum and bounds.below(actual):
        return ("error" if bounds.below(regular) else "warning"), "below"
    return None


#: Sessions a client may have on a day without the program: an individual,
#: family or psychiatric appointment. A level's hours per day describe the
#: days of its program's services (H0015: "a treatment program operating at
#: least 3 hours a day"; the article's IOP day of check-in, groups and life
#: skills), so a day with only such appointments is not held to its minimum.
_APPOINTMENT_KINDS = frozenset(
    (SessionKind.INDIVIDUAL_THERAPY, SessionKind.PSYCHIATRIC, SessionKind.FAMILY_THERAPY)
)


def check_intensity(context: RuleContext) -> Iterator[Violation]:
    """Days per week, hours per day and hours per week within the level's ranges.

    Weeks are counted over real occurrences and judged against the level of
    their episode. A week cut by the plan's start or end, or by a transition,
    is only checked against the upper bounds. In a level's step-down grace
    window, weekly shortfalls are warnings (``intensity.step_down_grace``).
    Hours per day are judged on the days of the program's services: a day
    with only individual, family or psychiatric appointments is held to the
    daily maximum, not the minimum.
    """
    episodes = context.plan.episodes
    for episode in episodes:
        if not episode.schedule.sessions and not episode.level.overnight and episode.days:
            yield Violation(
                "intensity.no_sessions",
                "error",
                f"{episode.level.name} from {episode.start} to {episode.end} has no sessions; "
                "add sessions to its weekly schedule",
                dates=(episode.start,),
            )
    grouped = Grouped()
    daily = Grouped()
    # A schedule that breaks a range breaks it every week: each message is
    # written once per finding and level (and weekday), not once per week.
    messages: dict[tuple[object, ...], str] = {}
    for week in context.weeks:
        if not episodes[week.episode].schedule.sessions:
            continue  # reported once above, not week by week
        level = week.level
        intensity = level.intensity
        actual_days, regular_days = week.actual_minutes_by_day, week.regular_minutes_by_day
        for code, bounds, unit, actual, regular in (
            (
                "intensity.hours_per_week",
                intensity.hours_per_week,
                "h/week",
                week.actual_minutes / 60,
                week.regular_minutes / 60,
            ),
            (
                "intensity.days_per_week",
                intensity.days_per_week,
                "days/week",
                float(len(actual_days)),
                float(len(regular_days)),
            ),
        ):
            verdict = _judge(bounds, actual, regular, judge_minimum=week.judged_in_full)
            if verdict is None:
                continue
            severity, side = verdict
            if side == "below" and week.in_step_down_grace:
                code, severity = "intensity.step_down_grace", "warning"
            finding = (code, severity, side, unit, id(level))
            message = messages.get(finding)
            if message is None:
                message = messages[finding] = _week_message(
                    code, severity, side, bounds, unit, level
                )
            grouped.add(code, severity, message, week.monday, value=actual)
        bounds = intensity.hours_per_day
        program_days: set[pendulum.Date] | None = None
        for day, minutes in sorted(actual_days.items()):
            regular = regular_days.get(day, 0) / 60
            verdict = _judge(bounds, minutes / 60, regular, judge_minimum=True)
            if verdict is None:
                continue
            severity, side = verdict
            if side == "below":
                # Only a day of the program's services is held to the minimum.
                if program_days is None:
                    program_days = {
                        o.date for o in week.actual if o.session.kind not in _APPOINTMENT_KINDS
                    }
                if day not in program_days:
                    continue
            if day not in regular_days:
                severity = "warning"
            weekday = (day.isoweekday(), severity, side, id(level))
            message = messages.get(weekday)
            if message is None:
                message = messages[weekday] = (
                    f"{_day_name(day)} has {{value}} h of sessions, {side} the "
                    f"{bounds} h/day of {level.name}"
                    + _what_to_do(severity, "; change the sessions of that day")
                )
            daily.add("intensity.hours_per_day", severity, message, day, value=minutes / 60)
    yield from grouped.violations("week")
    yield from daily.violations("day")


def _week_message(
    code: str, severity: Severity, side: str, bounds: Range, unit: str, level: LevelOfCare
) -> str:
    """The message of a week outside the level's weekly range (``{value}`` the week's figure)."""
    label = "h of sessions" if unit == "h/week" else "treatment days"
    message = f"{{value}} {label}, {side} the {bounds} {unit} of {level.name}"
    if code == "intensity.step_down_grace":
        return message + (
            "; this is in the step-down grace window before leaving the level, which allows a taper"
        )
    return message + _what_to_do(severity, "; change the weekly schedule or the level of care")


def _what_to_do(severity: Severity, change: str) -> str:
    """A warning's shortfall came from changes to the schedule; an error's from the schedule."""
    return f"; {_SHORTFALL_BY_CHANGES}" if severity == "warning" else change


def check_required_components(context: RuleContext) -> Iterator[Violation]:
    """The level's required session kinds, each at least once per cadence window.

    Windows of ``every_weeks`` weeks are counted from each episode's start
    week; only windows fully inside the episode are judged.
    """
    by_episode = weeks_by_episode(context.weeks)
    for index, episode in enumerate(context.plan.episodes):
        level = episode.level
        weeks = by_episode.get(index, [])
        for component in level.required:
            kind = component.kind
            every = component.every_weeks
            cadence = "every week" if every == 1 else f"every {every} weeks"
            if not episode.days:
                continue  # left on the day it began: nothing was due
            if not any(s.kind == kind for s in episode.schedule.sessions):
                yield Violation(
                    "required.missing",
                    component.severity,
                    f"{level.name} needs {quoted(kind.label.lower())} {cadence}; the schedule from "
                    f"{episode.start} has none. Add a {quoted(kind.label.lower())} session.",
                    dates=(episode.start,),
                )
                continue
            grouped = Grouped()
            for window in windows(weeks, every):
                if _has_kind(kind, (o for w in window for o in w.actual)):
                    continue
                regular = _has_kind(kind, (o for w in window for o in w.regular))
                severity: Severity = "warning" if regular else component.severity
                message = f"no {quoted(kind.label.lower())}, which {level.name} needs {cadence}"
                message += (
                    f"; {_SHORTFALL_BY_CHANGES}" if regular else "; schedule the session more often"
                )
                grouped.add("required.missing", severity, message, window[0].monday)
            yield from grouped.violations("week")


def windows(weeks: list[WeekFigures], every: int) -> Iterator[list[WeekFigures]]:
    """An episode's windows of ``every`` weeks from its first week, those judged in full."""
    for first in range(0, len(weeks), every):
        window = weeks[first : first + every]
        if len(window) == every and all(w.judged_in_full for w in window):
            yield window


def _has_kind(kind: SessionKind, items: Iterable[Occurrence]) -> bool:
    return any(o.session.kind == kind for o in items)


def overlapping_pairs(items: tuple[Occurrence, ...]) -> list[tuple[Occurrence, Occurrence]]:
    """Pairs (earlier, later) of overlapping occurrences, by a sort-and-sweep.

    Every occurrence that overlaps any other appears in at least one pair;
    each later occurrence is paired with the earlier one that ends last.
    O(n log n) instead of comparing every pair.
    """
    ordered = sorted(items, key=operator.attrgetter("start", "session.id"))
    pairs = []
    latest: Occurrence | None = None
    for current in ordered:
        if latest is not None and current.start < latest.end:
            pairs.append((latest, current))
        if latest is None or current.end > latest.end:
            latest = current
    return pairs


def check_overlaps(context: RuleContext) -> Iterator[Violation]:
    """No two sessions of the plan overlap."""
    grouped = Grouped()
    for earlier, later in overlapping_pairs(context.occurrences):
        ids = tuple(sorted((earlier.session.id, later.session.id)))
        grouped.add(
            "overlap",
            "error",
            f"{quoted(earlier.session.display_title)} ({earlier.session.id}) and "
            f"{quoted(later.session.display_title)} ({later.session.id}) overlap; move one of them",
            later.date,
            ids,
        )
    yield from grouped.violations("day")


def check_level_fit(context: RuleContext) -> Iterator[Violation]:
    """No outpatient-type care at the intensity of the level above.

    24-hour levels are not asked for sessions on a number of days: no source
    sets one, and ASAM 3.1 is met by 5 h/week of clinical services.
    """
    continuum = context.plan.continuum
    for episode in context.plan.episodes:
        level, schedule = episode.level, episode.schedule
        if not schedule.sessions or not episode.days:
            continue
        above = continuum.runs_at_level_above(level, schedule.hours_per_week)
        if above is not None:
            yield Violation(
                "level_fit.too_intense",
                "error",
                f"The schedule from {episode.start} averages "
                f"{format_hours(schedule.hours_per_week)} h/week, the intensity of {above.name} "
                f"(from {format_hours(above.intensity.hours_per_week.min or 0)} h/week), but the "
                f"level is {level.name}; step up the level or reduce the schedule",
                dates=(episode.start,),
            )


def check_transitions(context: RuleContext) -> Iterator[Violation]:
    """Moves along the continuum: jumping over levels is worth a second look.

    Levels are counted along the continuum's ladder of default moves, so an
    ASAM 4th edition 2.1 -> 1.5 step down skips nothing even though 1.7
    ranks between them.
    """
    continuum = context.plan.continuum
    for transition in context.plan.transitions:
        if transition.to_level is None:
            continue
        steps = abs(continuum.distance(transition.from_level, transition.to_level))
        if steps > 1:
            yield Violation(
                "transition.skipped_levels",
                "warning",
                f"The {transition.direction.replace('_', ' ')} on {transition.on} goes from "
                f"{transition.from_level} to {transition.to_level}, skipping {steps - 1} "
                "level(s); document why the levels between do not fit",
                dates=(transition.on,),
            )


def check_dates(context: RuleContext) -> Iterator[Violation]:
    """The period, closures, changes to single occurrences and goal dates make sense."""
    plan = context.plan
    if plan.end < plan.start:
        yield Violation(
            "dates.end_before_start",
            "error",
            f"The plan ends ({plan.end}) before it starts ({plan.start}); fix the end date",
            dates=(plan.start, plan.end),
        )
        return
    for closure in plan.closures:
        if not plan.start <= closure.on <= plan.end:
            yield Violation(
                "dates.closure_outside_period",
                "warning",
                f"The closure on {closure.on} ({closure.reason or 'no reason given'}) is "
                "outside the plan's period and has no effect",
                dates=(closure.on,),
            )
    yield from _check_changes(context)
    for goal in plan.goals:
        if goal.target_date is not None and not plan.start <= goal.target_date <= plan.end:
            yield Violation(
                "dates.goal_outside_period",
                "warning",
                # A goal of a plan of care is named by its id, not its clinical text.
                f"The goal {goal.description if goal.id is None else goal.id!r} is due "
                f"{goal.target_date}, outside the plan "
                f"({plan.start} to {plan.end}); move its target date or extend the plan",
                dates=(goal.target_date,),
            )
    if context.today is not None and plan.end < context.today:
        yield Violation(
            "dates.plan_ended",
            "warning",
            f"The plan ended on {plan.end}; discharge the client or extend the plan",
            dates=(plan.end,),
        )


def _check_changes(context: RuleContext) -> Iterator[Violation]:
    plan = context.plan
    changes = [("cancellation", c.session_id, c.on) for c in plan.cancellations] + [
        ("reschedule", r.session_id, r.on) for r in plan.reschedules
    ]
    if not changes:
        return  # the usual case: no walk over the occurrences
    ids = {s.id for s in plan.schedule.sessions}
    regular = {o.key for week in context.weeks for o in week.regular}
    closed = {c.on for c in plan.closures} | plan.held_days
    changed: set[tuple[str, pendulum.Date]] = set()
    for what, session_id, on in changes:
        if session_id not in ids:
            yield Violation(
                "dates.unknown_session",
                "error",
                f"A {what} names session {session_id!r}, which is not in the schedule; "
                "fix the session id",
                (session_id,),
                (on,),
            )
            continue
        if (session_id, on) not in regular or on in closed:
            yield Violation(
                "dates.no_such_occurrence",
                "error",
                f"A {what} names session {session_id!r} on {on}, but it does not happen "
                "that day; use a date the session occurs on",
                (session_id,),
                (on,),
            )
        if (session_id, on) in changed:
            yield Violation(
                "dates.conflicting_changes",
                "error",
                f"Session {session_id!r} on {on} is changed more than once; keep one "
                "cancellation or reschedule",
                (session_id,),
                (on,),
            )
        changed.add((session_id, on))
    episodes = plan.episodes
    starts = [e.start for e in episodes]

    def episode_on(day: pendulum.Date) -> Episode | None:
        # Episodes are contiguous and in order: a binary search, not a scan.
        index = bisect.bisect_right(starts, day) - 1
        return episodes[index] if index >= 0 and episodes[index].contains(day) else None

    for change in plan.reschedules:
        new_day = change.start.in_timezone(plan.timezone).date()
        before = episode_on(change.on)
        after = episode_on(new_day)
        if len(episodes) > 1 and before is not None and after is not None and before != after:
            yield Violation(
                "dates.moved_across_transition",
                "error",
                f"Session {change.session_id!r} of {change.on} ({before.level.code}) is moved "
                f"to {new_day}, in the {after.level.code} episode; a session of one level "
                "cannot happen in another level's episode",
                (change.session_id,),
                (change.on,),
            )
        if not plan.start <= new_day <= plan.end:
            yield Violation(
                "dates.moved_outside_period",
                "error",
                f"Session {change.session_id!r} of {change.on} is moved to {new_day}, "
                "outside the plan's period; pick a day inside it",
                (change.session_id,),
                (change.on,),
            )


def check_modality(context: RuleContext) -> Iterator[Violation]:
    """A virtual session has a join link, an in-person one a location."""
    seen: set[Session] = set()
    for session in (s for e in context.plan.episodes for s in e.schedule.sessions):
        if session in seen:
            continue
        seen.add(session)
        modality = session.modality
        if modality.is_virtual:
            if not modality.join_url:
                yield Violation(
                    "modality.missing_join_url",
                    "warning",
                    f"{quoted(session.display_title)} ({session.id}) is virtual but has no join "
                    "link; add one so the client can attend",
                    (session.id,),
                )
            # A link that is not a web address is refused when the
            # Modality is built, so modality.bad_join_url is never found.
        elif not modality.location:
            yield Violation(
                "modality.missing_location",
                "warning",
                f"{quoted(session.display_title)} ({session.id}) is in person but has no location; "
                "add where it happens",
                (session.id,),
            )


def check_vocabulary(context: RuleContext) -> Iterator[Violation]:
    """A session kind or track whose code is neither built in nor declared with a label.

    Vocabularies are open, so such a code is allowed; but it may be a typo
    of a built-in one (``"group_therpy"``), which would silently count as
    another kind. Giving it a label declares it and ends the warning.
    """
    plan = context.plan
    found: dict[tuple[type[SessionKind | TreatmentTrack], str], list[str]] = {}

    def note(item: SessionKind | TreatmentTrack, session_id: str | None) -> None:
        if not item.declared:
            ids = found.setdefault((type(item), item.code), [])
            if session_id is not None and session_id not in ids:
                ids.append(session_id)

    for episode in plan.episodes:
        for session in episode.schedule.sessions:
            note(session.kind, session.id)
            if session.track is not None:
                note(session.track, session.id)
    for track in plan.tracks:
        note(track, None)
    for level in plan.continuum:
        for component in level.required:
            note(component.kind, None)
    for (kind, code), session_ids in found.items():
        near = kind.near(code)
        guess = f" (a typo of {near!r}?)" if near else ""
        yield Violation(
            "vocabulary.undeclared",
            "warning",
            f"The {kind.what} {quoted(code)!r} is neither built in"
            f" nor declared with a label{guess}; "
            f"use a built-in one, or declare it: {kind.__name__}({quoted(code)!r}, 'Its label')",
            session_ids=tuple(session_ids),
        )
