"""Plots of a plan for notebooks and reports: the care path, hours, attendance.

Each function returns a :class:`Chart`: the matplotlib ``figure`` and
``axes`` to adjust as you like, shown as a PNG by a notebook. The figures are
made without ``pyplot``, so nothing global changes and nothing opens a
window. Needs matplotlib, an optional extra: from a checkout,
``pip install -e '.[plots]'``; from a built wheel,
``pip install 'careplan-<version>-py3-none-any.whl[plots]'``.

matplotlib is the conventional choice for static figures in Python: every
notebook front end shows its PNGs, reports and papers take them as they
are, and ``Axes`` are the API analysts already know for adjusting a figure.

>>> import pendulum
>>> from careplan import step_down
>>> from careplan.demo import sample_outpatient_schedule, sample_plan
>>> plan = step_down(sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met",
...                  schedule=sample_outpatient_schedule())
>>> chart = care_path(plan)
>>> [label.get_text() for label in chart.axes.get_yticklabels()]
['OP', 'IOP']
>>> chart.to_png()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import datetime as _dt
import io
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from careplan._model.attendance import Attendance
from careplan._model.errors import MissingExtraError
from careplan._model.plan import CarePlan
from careplan._model.time import require_date, week_start
from careplan._operations.delivery import delivered
from careplan._operations.expansion import occurrences
from careplan._operations.progress import series

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["STATUS_COLOURS", "Chart", "attendance", "care_path", "hours", "measures"]

#: Colours of what happened at a session, for the attendance heatmap.
STATUS_COLOURS = {
    "attended": "#2e7d32",
    "late": "#9ccc65",
    "left_early": "#9ccc65",
    "absent_excused": "#ffb74d",
    "absent_unexcused": "#e53935",
    "cancelled_by_program": "#b0bec5",
    "not recorded": "#ffffff",
}


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    # The axes are Any: matplotlib's stubs accept only numbers where its
    # unit system takes the dates these plots are drawn against.
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtraError("careplan.plots", "matplotlib", "plots") from None
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure, figure.add_subplot()


@attrs.frozen(eq=False)
class Chart:
    """A matplotlib figure of a plan, shown as a PNG in notebooks.

    Attributes:
        figure: The ``matplotlib.figure.Figure``.
        axes: Its main ``Axes``; change titles, limits or styles here.
    """

    figure: Any
    axes: Any

    def to_png(self, *, dpi: int = 100) -> bytes:
        """The figure as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def save(self, path: str, *, dpi: int = 100) -> None:
        """Write the figure to ``path`` (the format follows the suffix: .png, .svg, .pdf)."""
        self.figure.savefig(path, dpi=dpi)

    def _repr_png_(self) -> bytes:
        return self.to_png()


def care_path(plan: CarePlan) -> Chart:
    """The levels of care over time: a step line, each move annotated with its reason.

    The y axis lists the plan's levels by rank (most intensive on top).
    """
    figure, axes = _figure(8, 2.8)
    levels = sorted({e.level for e in plan.episodes}, key=lambda level: level.rank)
    position = {level.code: index for index, level in enumerate(levels)}
    days: list[_dt.date] = []
    values: list[int] = []
    for episode in plan.episodes:
        days += [episode.start, episode.end + _dt.timedelta(days=1)]
        values += [position[episode.level.code]] * 2
    axes.plot(days, values, drawstyle="steps-post", linewidth=2.5, color="#1565c0")
    for episode in plan.episodes[1:]:
        assert episode.came_in_by is not None
        axes.axvline(episode.start, color="#9e9e9e", linestyle=":", linewidth=1)
        axes.annotate(
            episode.came_in_by.reason.label,
            (episode.start, position[episode.level.code]),
            xytext=(4, 6),
            textcoords="offset points",
            fontsize=8,
        )
    if plan.discharged:
        axes.annotate(
            f"discharged: {plan.transitions[-1].reason.label}",
            (plan.end, values[-1]),
            xytext=(-4, -12),
            textcoords="offset points",
            fontsize=8,
            horizontalalignment="right",
        )
    axes.set_yticks(range(len(levels)), [level.code for level in levels])
    axes.set_ylim(-0.5, len(levels) - 0.5)
    axes.set_xlim(plan.start, plan.end + _dt.timedelta(days=1))
    axes.set_title("Care path")
    figure.autofmt_xdate()
    return Chart(figure, axes)


def hours(plan: CarePlan, *, today: _dt.date) -> Chart:
    """Scheduled and delivered hours per week up to ``today``, with the level's bounds.

    The level's weekly minimum and maximum (where it has them) are drawn as
    dashed steps; weeks are labelled by their Monday.
    """
    figure, axes = _figure(8, 3.2)
    weeks = delivered(plan, today=require_date("today", today))
    mondays = [week.monday for week in weeks]
    scheduled = [week.scheduled_minutes / 60 for week in weeks]
    given = [week.delivered_minutes / 60 for week in weeks]
    width = _dt.timedelta(days=2.5)
    axes.bar(
        [m - width / 2 for m in mondays],
        scheduled,
        width=width,
        label="scheduled",
        color="#90caf9",
        align="edge",
    )
    axes.bar(
        [m + width / 2 for m in mondays],
        given,
        width=width,
        label="delivered",
        color="#1565c0",
        align="edge",
    )
    if weeks:
        edges = [*mondays, mondays[-1] + _dt.timedelta(days=7)]
        for bound, name, colour in (
            ("min", "level minimum", "#c62828"),
            ("max", "level maximum", "#6d4c41"),
        ):
            limits = [getattr(week.level.intensity.hours_per_week, bound) for week in weeks]
            if any(limit is not None for limit in limits):
                values = [float("nan") if limit is None else limit for limit in limits]
                axes.step(
                    edges,
                    [*values, values[-1]],
                    where="post",
                    linestyle="--",
                    color=colour,
                    label=name,
                )
    axes.set_ylabel("hours per week")
    axes.set_title("Scheduled and delivered care")
    axes.legend(loc="upper right", fontsize=8)
    figure.autofmt_xdate()
    return Chart(figure, axes)


def attendance(plan: CarePlan, *, today: _dt.date) -> Chart:
    """A calendar heatmap of attendance up to ``today``: weeks across, weekdays down.

    Each day shows the worst of its sessions (unexcused absence, excused,
    late or left early, attended); days without sessions stay blank.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    until = require_date("today", today)
    figure, axes = _figure(8, 2.6)
    records = {record.key: record for record in plan.attendance}
    order = list(STATUS_COLOURS)
    worst: dict[pendulum.Date, int] = {}
    for occurrence in occurrences(plan):
        if occurrence.date > until:
            continue
        record: Attendance | None = records.get(occurrence.key)
        status = "not recorded" if record is None else record.status
        rank = _SEVERITY[status]
        worst[occurrence.date] = max(worst.get(occurrence.date, -1), rank)
    first = week_start(plan.start)
    columns = max(1, ((min(until, plan.end) - first).days // 7) + 1)
    grid = [[float("nan")] * columns for _ in range(7)]
    for day, rank in worst.items():
        grid[day.weekday()][(day - first).days // 7] = order.index(_BY_SEVERITY[rank])
    axes.imshow(
        grid,
        cmap=ListedColormap(list(STATUS_COLOURS.values())),
        vmin=-0.5,
        vmax=len(order) - 0.5,
        aspect="equal",
    )
    axes.set_yticks(range(7), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    axes.set_xticks(range(columns), [str(first.add(weeks=n))[5:] for n in range(columns)])
    axes.tick_params(axis="x", labelrotation=90, labelsize=7)
    axes.set_title("Attendance")
    seen = sorted({_BY_SEVERITY[rank] for rank in worst.values()}, key=order.index)
    axes.legend(
        handles=[
            Patch(facecolor=STATUS_COLOURS[s], edgecolor="#757575", label=s.replace("_", " "))
            for s in seen
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=7,
    )
    return Chart(figure, axes)


# The worse of two statuses on one day is the one shown.
_BY_SEVERITY = (
    "cancelled_by_program",
    "attended",
    "not recorded",
    "late",
    "left_early",
    "absent_excused",
    "absent_unexcused",
)
_SEVERITY = {status: rank for rank, status in enumerate(_BY_SEVERITY)}

# Severity bands, light to dark: from minimal to severe.
_BAND_SHADES = ("#e8f5e9", "#fff8e1", "#ffe0b2", "#ffccbc", "#ffcdd2", "#f8bbd0")


def measures(plan: CarePlan, instrument: str, *, today: _dt.date | None = None) -> Chart:
    """An instrument's scores over time, on its severity bands, with the objectives' targets.

    ``instrument`` is a code (``"PHQ-9"``, ``"GAD-7"`` or one the plan
    declares); ``today`` leaves out later measurements. Each objective that
    targets the instrument is a dashed line at its target value.

    >>> from careplan.demo import sample_plan_of_care
    >>> chart = measures(sample_plan_of_care(), "PHQ-9")
    >>> [t.get_text() for t in chart.axes.texts][:2]
    ['minimal', 'mild']
    """
    figure, axes = _figure(8, 3.2)
    known = plan.instrument(instrument)
    found = series(plan, known.code, None if today is None else require_date("today", today))
    for band, shade in zip(known.bands, _BAND_SHADES, strict=False):
        axes.axhspan(band.low - 0.5, band.high + 0.5, color=shade, zorder=0)
        axes.text(
            1.01,
            (band.low + band.high) / 2,
            band.label,
            transform=axes.get_yaxis_transform(),
            fontsize=7,
            va="center",
        )
    axes.plot(
        [m.on for m in found],
        [m.score for m in found],
        marker="o",
        color="#1565c0",
        label=known.code,
    )
    for objective in plan.objectives:
        target = objective.target
        if target is not None and target.measure == known.code:
            axes.axhline(
                target.value,
                color="#c62828",
                linestyle="--",
                label=f"{objective.id}: {target.comparison.replace('_', ' ')} {target.value:g}",
            )
    axes.set_ylim(known.minimum - 0.5, known.maximum + 0.5)
    axes.set_ylabel(f"{known.code} score")
    axes.set_title(f"{known.name}")
    axes.legend(loc="upper left", fontsize=8)
    figure.autofmt_xdate()
    return Chart(figure, axes)
