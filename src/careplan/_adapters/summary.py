"""A readable plain-text summary of a plan, for terminals and the CLI."""

from __future__ import annotations

from careplan._model.plan import CarePlan
from careplan._model.report import Report
from careplan._model.time import format_wall_time, weekday_name

__all__ = ["summary"]


def summary(plan: CarePlan, report: Report | None = None) -> str:
    """A few lines a clinician can read: level, period, weekly sessions, findings.

    The readable view of a plan, where ``repr(plan)`` shows only its shape.
    It leaves out the client (id and name), goals, diagnoses, care team,
    relapse prevention plan and notes; it shows session titles and closure
    reasons, which describe the program's week. ``report`` (from
    :func:`careplan.validate`) adds the findings.

    >>> from careplan.demo import sample_plan
    >>> print(summary(sample_plan()).splitlines()[0])
    Care plan demo-plan-0001: Intensive Outpatient Program (IOP) on the DEFAULT continuum
    """
    schedule = plan.schedule
    found = plan.occurrences()
    lines = [
        f"Care plan {plan.id}: {plan.level.name} ({plan.level.code}) "
        f"on the {plan.continuum.name} continuum",
        f"Period: {plan.start} to {plan.end} ({plan.weeks:g} weeks), {plan.timezone}",
        f"Weekly schedule: {schedule.days_per_week} day(s), "
        f"{schedule.hours_per_week:.1f} h/week on average",
    ]
    ordered = sorted(schedule.sessions, key=lambda s: (s.weekday, s.start_minute, s.id))
    for session in ordered:
        cadence = f", {session.cadence_words}" if session.every_weeks > 1 else ""
        modality = "virtual" if session.modality.is_virtual else "in person"
        lines.append(
            f"  {weekday_name(session.weekday).capitalize():<9} "
            f"{format_wall_time(session.start)}–{format_wall_time(session.end)}  "
            f"{session.display_title} ({modality}{cadence})"
        )
    if plan.closures:
        closed = ", ".join(f"{c.on} {c.reason}".strip() for c in plan.closures)
        lines.append(f"Closures: {closed}")
    if found:
        lines.append(
            f"Sessions: {len(found)}, from {found[0].start.format('YYYY-MM-DD HH:mm zz')} "
            f"to {found[-1].start.format('YYYY-MM-DD HH:mm zz')}"
        )
    else:
        lines.append("Sessions: none")
    if report is not None:
        lines.append(f"Validation: {report}")
    return "\n".join(lines)
