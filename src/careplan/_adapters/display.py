"""The weekly grid: plain text for terminals, HTML for notebooks.

Days run across, time runs down in quarter hours; sessions are blocks
coloured by kind, the day parts are shaded, and a client's busy blocks can
be shown hatched. All text is escaped.
"""

from __future__ import annotations

import html

import pendulum

from careplan._model import plan as _plan
from careplan._model import schedule as _schedule
from careplan._model.constraints import LifeConstraints
from careplan._model.plan import CarePlan
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Session
from careplan._model.time import format_wall_time

__all__ = ["plan_html", "schedule_html", "schedule_text"]

_STEP = 15  # minutes per row
_COLOURS = {
    "check_in": "#d8f0e3",
    "group_therapy": "#b9d7f7",
    "individual_therapy": "#f7d9b9",
    "psychiatric": "#f4bcc8",
    "life_skills": "#e3d8f7",
    "psychoeducation": "#f7f0b9",
    "family_therapy": "#c8efe9",
}
_OTHER = "#e4e4e4"
_PART_SHADES = {
    DayPart.MORNING: "#fffdf4",
    DayPart.AFTERNOON: "#f7fbff",
    DayPart.EVENING: "#f6f3fb",
}
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _span(
    schedule: WeeklySchedule, constraints: LifeConstraints | None
) -> tuple[list[pendulum.WeekDay], int, int]:
    days = set(schedule.weekdays)
    begin, end = 9 * 60, 17 * 60
    starts = [s.start_minute for s in schedule.sessions]
    ends = [s.start_minute + s.minutes for s in schedule.sessions]
    if starts:
        begin, end = min(starts), max(ends)
    if not days:
        days = set(list(pendulum.WeekDay)[:5])
    if constraints is not None:
        for block in constraints.busy:
            days |= set(block.weekdays)
            begin = min(begin, max(0, block.busy_from_minute))
            end = max(end, min(24 * 60, block.free_from_minute))
    begin = begin // 60 * 60
    end = -(-end // 60) * 60
    return sorted(days), begin, end


_SHORT = {
    "check_in": "Check-in",
    "group_therapy": "Group",
    "individual_therapy": "Individual",
    "psychiatric": "Psychiatric",
    "life_skills": "Life skills",
    "psychoeducation": "Psychoeducation",
    "family_therapy": "Family",
}


def _short(session: Session) -> str:
    return session.title or _SHORT.get(session.kind.code, session.kind.label)


def schedule_text(schedule: WeeklySchedule) -> str:
    """A plain-text weekly grid, one column per day with sessions.

    >>> from careplan.demo import sample_schedule
    >>> print(schedule_text(sample_schedule()).splitlines()[0])
    America/New_York  Mon             Tue             Thu
    """
    days, begin, end = _span(schedule, None)
    width = 15
    lines = [f"{schedule.timezone:<17} " + " ".join(_DAY_NAMES[d].ljust(width) for d in days)]
    lines[0] = lines[0].rstrip()
    for minute in range(begin, end, 30):
        cells = []
        for day in days:
            found = [
                s
                for s in schedule.sessions
                if s.weekday == day
                and s.start_minute < minute + 30
                and minute < s.start_minute + s.minutes
            ]
            text = ""
            if found:
                first = found[0]
                text = _short(first) if first.start_minute >= minute else "  |"
                if first.every_weeks > 1 and first.start_minute >= minute:
                    text += f" /{first.every_weeks}w"
            cells.append(text[:width].ljust(width))
        lines.append(
            f"{minute // 60:02d}:{minute % 60:02d}             " + " ".join(cells).rstrip()
        )
    return "\n".join(line.rstrip() for line in lines)


def schedule_html(
    schedule: WeeklySchedule, constraints: LifeConstraints | None = None, *, title: str = ""
) -> str:
    """A self-contained HTML table of the week (inline styles, no scripts).

    Args:
        schedule: The weekly sessions.
        constraints: A client's week; its busy blocks are drawn hatched.
        title: A caption.
    """
    days, begin, end = _span(schedule, constraints)
    rows = (end - begin) // _STEP
    covered: set[tuple[int, int]] = set()
    starts: dict[tuple[int, int], Session] = {}
    for session in sorted(schedule.sessions, key=lambda s: (s.weekday, s.start_minute, s.id)):
        row = (session.start_minute - begin) // _STEP
        span = max(1, -(-session.minutes // _STEP))
        cells = {(session.weekday, r) for r in range(row, row + span)}
        if cells & covered:
            continue  # an overlap: validation reports it; the grid shows the first
        covered |= cells
        starts[(session.weekday, row)] = session
    busy: dict[tuple[int, int], str] = {}
    if constraints is not None:
        for block in constraints.busy:
            for day in block.weekdays:
                first = max(0, (block.busy_from_minute - begin) // _STEP)
                last = min(rows, -(-(block.free_from_minute - begin) // _STEP))
                for row in range(first, last):
                    busy.setdefault((day, row), block.label)
    style = (
        "border-collapse:collapse;font:12px/1.3 system-ui,sans-serif;table-layout:fixed;"
        "min-width:36em"
    )
    parts = [f'<table class="careplan-week" style="{style}">']
    if title:
        parts.append(
            f"<caption style='text-align:left;font-weight:600'>{html.escape(title)}</caption>"
        )
    # Equal day columns: a fixed layout takes the widths from these.
    parts.append("<colgroup><col style='width:3.5em'>")
    parts += [f"<col style='width:{100 / len(days):.2f}%'>" for _ in days]
    parts.append("</colgroup><thead><tr><th></th>")
    parts += [f"<th style='padding:2px 4px'>{_DAY_NAMES[d]}</th>" for d in days]
    parts.append("</tr></thead><tbody>")
    for row in range(rows):
        minute = begin + row * _STEP
        shade = _PART_SHADES[DayPart.of(pendulum.Time(minute // 60, minute % 60))]
        label = f"{minute // 60:02d}:{minute % 60:02d}" if minute % 60 == 0 else ""
        parts.append(
            f"<tr style='height:9px;background:{shade}'>"
            f"<th style='font-weight:400;text-align:right;padding:0 4px;"
            f"vertical-align:top;color:#555'>{label}</th>"
        )
        for day in days:
            placed = starts.get((day, row))
            if placed is not None:
                session = placed
                span = max(1, -(-session.minutes // _STEP))
                colour = _COLOURS.get(session.kind.code, _OTHER)
                where = "online" if session.modality.is_virtual else "in person"
                cadence = (
                    "" if session.every_weeks == 1 else f" · every {session.every_weeks} weeks"
                )
                text = (
                    f"<b>{html.escape(session.display_title)}</b><br>"
                    f"{format_wall_time(session.start)}–{format_wall_time(session.end)} · "
                    f"{where}{html.escape(cadence)}"
                )
                parts.append(
                    f"<td rowspan='{span}' class='session {html.escape(session.kind.code)}' "
                    f"title='{html.escape(session.id)}' style='background:{colour};"
                    "border:1px solid #fff;border-radius:4px;padding:2px 4px;"
                    f"vertical-align:top;overflow:hidden'>{text}</td>"
                )
            elif (day, row) in covered:
                continue
            elif (day, row) in busy:
                parts.append(
                    "<td class='busy' title='"
                    + html.escape(busy[(day, row)])
                    + "' style='background:repeating-linear-gradient(45deg,#ddd 0 4px,"
                    "transparent 4px 8px);border:0'></td>"
                )
            else:
                parts.append("<td style='border-top:1px dotted #eee'></td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return "".join(parts)


def plan_html(plan: CarePlan) -> str:
    """The notebook view of a plan: its current week, captioned, and its history."""
    title = (
        f"{plan.level.name} ({plan.level.code}) · {plan.start} to {plan.end} · "
        f"{plan.timezone} · {plan.schedule.days_per_week} days, "
        f"{plan.schedule.hours_per_week:.1f} h/week"
    )
    history = ""
    if plan.transitions:
        steps = " → ".join(f"{e.level.code} from {e.start}" for e in plan.episodes)
        history = f"<p style='font:12px system-ui,sans-serif'>{html.escape(steps)}</p>"
    return schedule_html(plan.schedule, title=title) + history


_plan.PLAN_HTML.provide(plan_html)
_schedule.SCHEDULE_TEXT.provide(schedule_text)
_schedule.SCHEDULE_HTML.provide(schedule_html)
