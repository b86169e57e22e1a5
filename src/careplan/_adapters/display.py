"""The weekly grid: plain text for terminals, HTML for notebooks.

Days run across, time runs down; sessions are blocks coloured by kind whose
heights follow their durations, the day parts are shaded, and a client's
busy blocks can be shown hatched. Hours with nothing in them are folded
away, so a week of 01:30 and 23:30 sessions stays short. The HTML grid
takes the width it is given (a notebook cell, a docs page), wraps a label
rather than cutting it, shows a session's title, time, modality and cadence
when hovered, and ends with a legend of the colours, the hatching, the
shading and the outline of sessions held every few weeks. It carries its
own light colours (text and backgrounds), so it reads the same on a dark
notebook theme; every text colour meets WCAG AA contrast on every
background it is drawn on. All text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

import pendulum

from careplan._model import plan as _plan
from careplan._model import schedule as _schedule
from careplan._model.constraints import LifeConstraints
from careplan._model.plan import CarePlan
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Session
from careplan._model.time import format_wall_time

__all__ = ["COLOURS", "TEXT_COLOURS", "plan_html", "schedule_html", "schedule_text", "time_axis"]

#: Block colour of each built-in session kind (other kinds: ``OTHER``).
COLOURS = {
    "check_in": "#d8f0e3",
    "group_therapy": "#b9d7f7",
    "individual_therapy": "#f7d9b9",
    "psychiatric": "#f4bcc8",
    "life_skills": "#e3d8f7",
    "psychoeducation": "#f7f0b9",
    "family_therapy": "#c8efe9",
}
OTHER = "#e4e4e4"
PAGE = "#ffffff"
INK = "#1a1a1a"  # text on blocks and the page
MUTED = "#595959"  # hour labels, captions' details
BUSY = "#d9d9d9"  # the hatch of busy time
PART_SHADES = {
    DayPart.MORNING: "#fffdf4",
    DayPart.AFTERNOON: "#f7fbff",
    DayPart.EVENING: "#f6f3fb",
}
#: Every (text, background) pair the grid draws, for contrast checks.
TEXT_COLOURS: tuple[tuple[str, str], ...] = (
    *((INK, colour) for colour in (*COLOURS.values(), OTHER, PAGE, *PART_SHADES.values())),
    (MUTED, PAGE),
)
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_PIXELS_PER_MINUTE = 1.4  # a 30-minute block holds three lines of its label
_FOLD_PIXELS = 14  # the band that stands for folded, empty hours
_FOLD_AFTER = 60  # empty minutes between two busy stretches before they fold


def _days(schedule: WeeklySchedule, constraints: LifeConstraints | None) -> list[pendulum.WeekDay]:
    days = set(schedule.weekdays)
    if constraints is not None:
        for block in constraints.busy:
            days |= set(block.weekdays)
    return sorted(days) if days else list(pendulum.WeekDay)[:5]


def time_axis(spans: Iterable[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """The stretches of the day to draw, on whole hours, empty hours folded away.

    ``spans`` are (first minute, minute after) of what the grid shows. Two
    stretches closer than an hour are drawn as one.

    >>> time_axis([(90, 150), (1410, 1440)])
    ((60, 180), (1380, 1440))
    >>> time_axis([(540, 600), (630, 700)])
    ((540, 720),)
    """
    hours = sorted((start // 60 * 60, -(-end // 60) * 60) for start, end in spans)
    if not hours:
        return ((9 * 60, 17 * 60),)
    merged = [hours[0]]
    for start, end in hours[1:]:
        if start - merged[-1][1] <= _FOLD_AFTER:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _spans(schedule: WeeklySchedule, constraints: LifeConstraints | None) -> list[tuple[int, int]]:
    spans = [(s.start_minute, s.start_minute + s.minutes) for s in schedule.sessions]
    if constraints is not None:
        spans += [
            (max(0, b.busy_from_minute), min(24 * 60, b.free_from_minute)) for b in constraints.busy
        ]
    return spans


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

    Rows are half hours; a line ``⋯`` stands for folded, empty hours. A
    title longer than its column ends in ``…``; :func:`schedule_html` shows
    titles whole. A session held every ``n`` weeks ends in ``/nw``, then
    ``+k`` when it is held in week ``k`` of its cadence rather than the
    first (``week_offset``); sessions at one time in several weeks (a
    consult shared in weeks A and B) list each: ``/2w+0+1``.

    >>> from careplan.demo import sample_schedule
    >>> print(schedule_text(sample_schedule()).splitlines()[0])
    America/New_York  Mon             Tue             Thu
    """
    days = _days(schedule, None)
    width = 15
    lines = [f"{schedule.timezone:<17} " + " ".join(_DAY_NAMES[d].ljust(width) for d in days)]
    lines[0] = lines[0].rstrip()
    for index, (begin, end) in enumerate(time_axis(_spans(schedule, None))):
        if index:
            lines.append("⋯")
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
                        # The weeks of the cadence it is held in: a slot shared
                        # in weeks A and B (a staff week) shows both.
                        weeks = sorted(
                            {
                                s.week_offset
                                for s in found
                                if (s.start_minute, s.every_weeks, _short(s))
                                == (first.start_minute, first.every_weeks, _short(first))
                            }
                        )
                        text += f" /{first.every_weeks}w"
                        text += "".join(f"+{w}" for w in weeks) if weeks != [0] else ""
                if len(text) > width:  # a longer title says it goes on
                    text = text[: width - 1] + "…"
                cells.append(text.ljust(width))
            lines.append(
                f"{minute // 60:02d}:{minute % 60:02d}             " + " ".join(cells).rstrip()
            )
    return "\n".join(line.rstrip() for line in lines)


class _Axis:
    """Minutes of the day to pixels, with the folded stretches left out."""

    def __init__(self, stretches: Sequence[tuple[int, int]]) -> None:
        self.stretches = stretches
        self.tops: list[float] = []
        top = 0.0
        for index, (begin, end) in enumerate(stretches):
            top += _FOLD_PIXELS if index else 0
            self.tops.append(top)
            top += (end - begin) * _PIXELS_PER_MINUTE
        self.height = top

    def y(self, minute: int) -> float:
        """The pixel row of ``minute`` (clamped into the stretch it falls in or before)."""
        for top, (begin, end) in zip(self.tops, self.stretches, strict=True):
            if minute <= end:
                return top + (max(minute, begin) - begin) * _PIXELS_PER_MINUTE
        return self.height

    def folds(self) -> list[float]:
        """The pixel rows where folded hours are drawn."""
        return [top - _FOLD_PIXELS for top in self.tops[1:]]


def _lanes(sessions: list[Session]) -> dict[str, tuple[int, int]]:
    """Side-by-side places for overlapping sessions: id -> (lane, lanes)."""
    placed: dict[str, tuple[int, int]] = {}
    cluster: list[tuple[Session, int]] = []
    cluster_end = -1

    def close() -> None:
        lanes = 1 + max(lane for _, lane in cluster)
        placed.update({s.id: (lane, lanes) for s, lane in cluster})

    for session in sorted(sessions, key=lambda s: (s.start_minute, s.id)):
        if cluster and session.start_minute >= cluster_end:
            close()
            cluster, cluster_end = [], -1
        taken = {
            lane
            for other, lane in cluster
            if other.start_minute + other.minutes > session.start_minute
        }
        lane = next(n for n in range(len(cluster) + 1) if n not in taken)
        cluster.append((session, lane))
        cluster_end = max(cluster_end, session.start_minute + session.minutes)
    if cluster:
        close()
    return placed


def _hover(session: Session) -> str:
    """What hovering a block shows: title, day and time, modality, cadence."""
    where = "online" if session.modality.is_virtual else "in person"
    cadence = f" · {session.cadence_words}" if session.every_weeks > 1 else ""
    return (
        f"{session.display_title} · {_DAY_NAMES[session.weekday]} "
        f"{format_wall_time(session.start)}–{format_wall_time(session.end)} · {where}{cadence}"
    )


#: The outline of a session held every few weeks (``every_weeks`` above 1).
_EVERY_FEW_WEEKS = f"outline:2px dashed {INK};outline-offset:-2px"


def _block(session: Session, axis: _Axis, lane: int, lanes: int) -> str:
    top = axis.y(session.start_minute)
    height = axis.y(session.start_minute + session.minutes) - top
    colour = COLOURS.get(session.kind.code, OTHER)
    where = "online" if session.modality.is_virtual else "in person"
    cadence = f" · {session.cadence_words}" if session.every_weeks > 1 else ""
    # The label wraps, never cut sideways. The block is a column that wraps:
    # the time line shows only when it fits whole below the label (else it
    # moves to a hidden second column), and the hover text holds everything.
    text = (
        "<b class='label' style='width:100%;overflow-wrap:anywhere'>"
        f"{html.escape(session.display_title)}</b>"
        "<span class='when' style='width:100%'>"
        f"{format_wall_time(session.start)}–{format_wall_time(session.end)} · "
        f"{where}{html.escape(cadence)}</span>"
    )
    width = 100 / lanes
    outline = f";{_EVERY_FEW_WEEKS}" if session.every_weeks > 1 else ""
    return (
        f"<div class='session {html.escape(session.kind.code)}' "
        f"title='{html.escape(_hover(session))}' data-minutes='{session.minutes}' "
        f"style='position:absolute;top:{top:.1f}px;height:{height:.1f}px;"
        f"left:calc({lane * width:.3f}% + 1px);width:calc({width:.3f}% - 2px);"
        f"box-sizing:border-box;overflow:hidden;background:{colour};color:{INK};"
        "display:flex;flex-flow:column wrap;align-content:flex-start;column-gap:8px;"
        f"border-radius:4px;padding:1px 4px;font-size:11px;line-height:1.2{outline}'>"
        f"{text}</div>"
    )


def _swatch(style: str, label: str) -> str:
    return (
        "<span style='display:inline-flex;align-items:center;margin:2px 10px 2px 0'>"
        f"<span style='display:inline-block;width:1.6em;height:1em;margin-right:4px;"
        f"border-radius:3px;box-sizing:border-box;{style}'></span>{html.escape(label)}</span>"
    )


def _legend(schedule: WeeklySchedule, constraints: LifeConstraints | None, axis: _Axis) -> str:
    """What the colours, hatching, shading and dashed outlines mean."""
    kinds = {s.kind.code: s.kind.label for s in schedule.sessions}
    items = [
        _swatch(f"background:{COLOURS.get(code, OTHER)}", label) for code, label in kinds.items()
    ]
    if any(s.every_weeks > 1 for s in schedule.sessions):
        weeks = sorted({s.every_weeks for s in schedule.sessions if s.every_weeks > 1})
        every = " or ".join(str(w) for w in weeks)
        items.append(_swatch(f"background:{OTHER};{_EVERY_FEW_WEEKS}", f"every {every} weeks"))
    if constraints is not None and constraints.busy:
        items.append(
            _swatch(
                f"background:repeating-linear-gradient(45deg,{BUSY} 0 4px,transparent 4px 8px);"
                f"border:1px solid {BUSY}",
                "busy (the client's week)",
            )
        )
    parts = {
        DayPart.of(pendulum.Time(minute // 60, 0))
        for begin, end in axis.stretches
        for minute in range(begin, end, 60)
    }
    items += [
        _swatch(f"background:{PART_SHADES[part]};border:1px solid #d0d0d0", part.value)
        for part in DayPart
        if part in parts
    ]
    return (
        "<div class='legend' style='display:flex;flex-wrap:wrap;margin-top:6px;"
        f"font-size:11px'>{''.join(items)}</div>"
    )


def schedule_html(
    schedule: WeeklySchedule, constraints: LifeConstraints | None = None, *, title: str = ""
) -> str:
    """A self-contained HTML grid of the week (inline styles, no scripts).

    Args:
        schedule: The weekly sessions.
        constraints: A client's week; its busy blocks are drawn hatched.
        title: A caption.
    """
    days = _days(schedule, constraints)
    axis = _Axis(time_axis(_spans(schedule, constraints)))
    parts = [
        "<div class='careplan-week' style='display:block;box-sizing:border-box;width:100%;"
        f"overflow-x:auto;background:{PAGE};color:{INK};color-scheme:light;padding:6px 8px;"
        "border-radius:6px;font:12px/1.3 system-ui,sans-serif'>"
    ]
    if title:
        parts.append(f"<div style='font-weight:600;margin-bottom:4px'>{html.escape(title)}</div>")
    parts.append("<div style='display:flex;min-width:30em'>")
    # The hour labels.
    parts.append(
        f"<div style='position:relative;width:3.2em;margin-top:18px;height:{axis.height:.1f}px;"
        f"color:{MUTED}'>"
    )
    for begin, end in axis.stretches:
        for minute in range(begin, end + 1, 60):
            parts.append(
                f"<div style='position:absolute;top:{axis.y(minute) - 7:.1f}px;right:4px'>"
                f"{minute // 60:02d}:00</div>"
            )
    for fold in axis.folds():
        parts.append(f"<div style='position:absolute;top:{fold:.1f}px;right:4px'>⋯</div>")
    parts.append("</div>")
    for day in days:
        sessions = [s for s in schedule.sessions if s.weekday == day]
        parts.append(
            "<div style='flex:1 1 0;min-width:6.5em;margin-left:2px'>"
            f"<div style='height:18px;text-align:center;font-weight:600'>{_DAY_NAMES[day]}</div>"
            f"<div class='day' style='position:relative;height:{axis.height:.1f}px;"
            f"background:{PAGE}'>"
        )
        parts += _shading(axis)
        if constraints is not None:
            for block in constraints.busy:
                if day in block.weekdays:
                    top = axis.y(max(0, block.busy_from_minute))
                    bottom = axis.y(min(24 * 60, block.free_from_minute))
                    parts.append(
                        f"<div class='busy' title='busy: {html.escape(block.label)}' "
                        f"style='position:absolute;top:{top:.1f}px;height:{bottom - top:.1f}px;"
                        f"left:0;right:0;background:repeating-linear-gradient(45deg,{BUSY} 0 4px,"
                        "transparent 4px 8px)'></div>"
                    )
        lanes = _lanes(sessions)
        parts += [_block(s, axis, *lanes[s.id]) for s in sessions]
        parts.append("</div></div>")
    parts.append("</div>")
    parts.append(_legend(schedule, constraints, axis))
    parts.append("</div>")
    return "".join(parts)


def _shading(axis: _Axis) -> list[str]:
    """Day-part shades behind the blocks, and the folded bands."""
    found = []
    for begin, end in axis.stretches:
        for minute in range(begin, end, 60):
            part = DayPart.of(pendulum.Time(minute // 60, 0))
            top, bottom = axis.y(minute), axis.y(minute + 60)
            found.append(
                f"<div style='position:absolute;top:{top:.1f}px;height:{bottom - top:.1f}px;"
                f"left:0;right:0;background:{PART_SHADES[part]};"
                "border-top:1px dotted #e6e6e6'></div>"
            )
    found += [
        f"<div style='position:absolute;top:{fold:.1f}px;height:{_FOLD_PIXELS}px;left:0;"
        "right:0;background:repeating-linear-gradient(0deg,#f0f0f0 0 2px,transparent 2px 4px)'>"
        "</div>"
        for fold in axis.folds()
    ]
    return found


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def plan_html(plan: CarePlan, constraints: LifeConstraints | None = None) -> str:
    """The notebook view of a plan: each episode's week, captioned with its dates and level.

    ``constraints`` (the client's week) draws busy time hatched.
    """
    parts = [
        "<div class='careplan-plan' style='display:block;font:12px system-ui,sans-serif;"
        f"background:{PAGE};color:{INK};color-scheme:light;padding:4px;border-radius:6px'>",
        f"<div style='font-weight:600;margin:2px 0 6px'>{html.escape(plan.timezone)} · "
        f"{plan.start} to {plan.end} · {_plural(len(plan.episodes), 'episode')}</div>",
    ]
    for episode in plan.episodes:
        schedule = episode.schedule
        title = (
            f"{episode.level.name} ({episode.level.code}) · {episode.start} to {episode.end} · "
            f"{_plural(schedule.days_per_week, 'day')}, {schedule.hours_per_week:.1f} h/week"
        )
        if episode.reason_in is not None:
            title += f" · {episode.reason_in.label}"
        parts.append(
            f"<div style='margin-bottom:8px'>{schedule_html(schedule, constraints, title=title)}"
            "</div>"
        )
    parts.append("</div>")
    return "".join(parts)


_plan.PLAN_HTML.provide(plan_html)
_schedule.SCHEDULE_TEXT.provide(schedule_text)
_schedule.SCHEDULE_HTML.provide(schedule_html)
