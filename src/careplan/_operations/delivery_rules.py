"""The rules on care as delivered: attendance records and payer authorizations.

Split from :mod:`careplan._operations.rules` (the rules on the plan as
scheduled), whose codes table lists these rules' codes too.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pendulum

from careplan._model.checks import quoted
from careplan._model.report import Violation
from careplan._operations.context import RuleContext
from careplan._operations.delivery import (
    WeekDelivery,
    authorization_figures,
    misplaced_records,
    weekly_delivery,
)
from careplan._operations.rules import Grouped, format_hours, list_dates, weeks_by_episode, windows

__all__ = ["check_attendance", "check_authorizations"]


def check_attendance(context: RuleContext) -> Iterator[Violation]:
    """Attendance records name real occurrences, and delivered care keeps up.

    Needs ``today`` for everything but the first check: only weeks that have
    ended are judged.
    """
    plan, today, policy = context.plan, context.today, context.policy
    for _, record, occurrence in misplaced_records(plan, context.occurrences, today):
        if occurrence is None:
            yield Violation(
                "attendance.unknown_occurrence",
                "error",
                f"An attendance record names {record.session_id!r} on {record.on}, which is not "
                "an occurrence of the plan; fix the session id or date",
                (record.session_id,),
                (record.on,),
            )
        else:
            yield Violation(
                "attendance.in_future",
                "error",
                f"Attendance is recorded for {record.session_id!r} on {occurrence.date}, after "
                f"today ({today}); record it once the session has happened",
                (record.session_id,),
                (occurrence.date,),
            )
    if today is None:
        return
    # Weeks that have ended: their Sunday is before today.
    before = today.toordinal() - 6
    weeks = [
        w
        for w in weekly_delivery(plan, today, context.occurrences)
        if w.monday.toordinal() < before
    ]
    unrecorded = [w.monday for w in weeks if w.unrecorded]
    if unrecorded:
        yield Violation(
            "attendance.unrecorded",
            "warning",
            f"{list_dates(unrecorded, 'week')}: sessions that have happened have no attendance "
            "record; record them so delivered hours are right",
            dates=unrecorded,
        )
    # Days on leave are not missed care: a week a hold touches is never short.
    on_leave = {day.toordinal() - day.weekday() for day in plan.held_days}

    def short_of_care(week: WeekDelivery) -> bool:
        return week.monday.toordinal() not in on_leave and _delivered_short(week)

    for short, consecutive in itertools.groupby(weeks, key=short_of_care):
        run = list(consecutive)
        if short and len(run) >= policy.below_minimum_weeks:
            delivered = ", ".join(format_hours(w.delivered_minutes / 60) for w in run)
            level = run[0].level
            minimum = format_hours(level.intensity.hours_per_week.min or 0)
            yield Violation(
                "attendance.below_minimum",
                "warning",
                f"{list_dates([w.monday for w in run], 'week')}: {delivered} h delivered, "
                f"below the {minimum} h/week of {level.name} for "
                f"{len(run)} weeks in a row; talk with the client about engagement and "
                "barriers to attending (transport, work, childcare, motivation) and reassess "
                "the level of care; missed care is not a sign of stability",
                dates=[w.monday for w in run],
            )
    yield from _missed_components(context, today)
    absences = sorted(
        r.on for r in plan.attendance if r.status == "absent_unexcused" and r.on <= today
    )
    count, window = policy.unexcused_absences, policy.absence_window_weeks
    for index in range(len(absences) - count + 1):
        group = absences[index : index + count]
        if group[-1].toordinal() - group[0].toordinal() < 7 * window:
            yield Violation(
                "attendance.unexcused_absences",
                "warning",
                f"{count} unexcused absences within {window} weeks "
                f"(on {', '.join(d.isoformat() for d in sorted(set(group)))}); talk with the "
                "client about barriers to attending and review the schedule",
                dates=sorted(set(group)),
            )
            break


def _missed_components(context: RuleContext, today: pendulum.Date) -> Iterator[Violation]:
    """A required kind scheduled in a whole cadence window but never attended in it."""
    records = {r.key: r for r in context.plan.attendance}
    if not records:
        return  # nothing recorded: no window is judged
    # Windows of the cadence as the schedule has them (from each episode's
    # start week, see check_required_components); only whole past ones judged.
    by_episode = weeks_by_episode(context.weeks)
    for index, episode in enumerate(context.plan.episodes):
        weeks = by_episode.get(index, [])
        for component in episode.level.required:
            grouped = Grouped()
            every = component.every_weeks
            for window in windows(weeks, every):
                if not all(w.last < today for w in window):
                    continue
                of_kind = [o for w in window for o in w.actual if o.session.kind == component.kind]
                if not of_kind or any(o.key not in records for o in of_kind):
                    continue  # nothing scheduled, or not all recorded yet
                if not any(records[o.key].present for o in of_kind):
                    grouped.add(
                        "attendance.missed_component",
                        "warning",
                        f"no {quoted(component.kind.label.lower())} attended, which "
                        f"{episode.level.name} needs "
                        + ("every week" if every == 1 else f"every {every} weeks")
                        + "; reschedule it soon",
                        window[0].monday,
                    )
            yield from grouped.violations("week")


def _delivered_short(week: WeekDelivery) -> bool:
    """A fully recorded week whose delivered hours are under the level's minimum."""
    minimum = week.level.intensity.hours_per_week.min
    return (
        not week.unrecorded and minimum is not None and week.delivered_minutes < minimum * 60 - 1e-9
    )


def check_authorizations(context: RuleContext) -> Iterator[Violation]:
    """Sessions fall inside an active authorization of their level, within its units.

    Units are counted as a payer bills them: days (or sessions) with care
    delivered. Where the plan schedules more care than the units left cover
    at the pace care is being delivered, the day they run out is reported.
    """
    plan = context.plan
    if not plan.authorizations:
        return
    care, covering, uses = authorization_figures(plan, context.occurrences)
    for level, days in care.items():
        uncovered = sorted(day for day in days if (level, day) not in covering)
        if uncovered:
            yield Violation(
                "authorization.missing",
                "error",
                f"{list_dates(uncovered, 'day')}: {level} sessions without an active "
                "authorization; request one or check its dates and level",
                dates=uncovered,
            )
    for use in uses:
        auth = use.authorization
        name = f"The {auth.level} authorization {auth.reference} ".replace("  ", " ")
        unit = auth.unit if auth.unit == "sessions" else "days with care delivered"
        if use.used > auth.units:
            yield Violation(
                "authorization.units_exceeded",
                "error",
                f"{name}({auth.start} to {auth.end}) covers {auth.units} {auth.unit} but "
                f"{use.used} {unit} have been delivered under it; request more units",
                dates=(auth.start,),
            )
        elif use.runs_out_on is not None:
            yield Violation(
                "authorization.units_run_out",
                "warning",
                f"{name}({auth.start} to {auth.end}) covers {auth.units} {auth.unit}; "
                f"{use.used} used, and at the current pace ({use.pace:.0%} of recorded "
                f"{auth.unit} delivered) they run out on {use.runs_out_on} while care is "
                "scheduled after it; request more units or a concurrent review",
                dates=(use.runs_out_on,),
            )
    today = context.today
    if today is None:
        return
    for auth in plan.authorizations:
        left = (auth.end - today).days
        if auth.status != "active" or not 0 <= left <= context.policy.authorization_reminder_days:
            continue
        following = auth.end.add(days=1)
        continues = following <= plan.end and plan.level_on(following) is not None
        renewed = any(other.covers(auth.level, following) for other in plan.authorizations)
        if continues and not renewed:
            yield Violation(
                "authorization.ending_soon",
                "warning",
                f"The {auth.level} authorization ends on {auth.end} (in {left} days) and the "
                "plan goes on; request a concurrent review",
                dates=(auth.end,),
            )
