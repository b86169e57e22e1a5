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
import math
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from careplan._model.attendance import Attendance
from careplan._model.errors import MissingExtraError
from careplan._model.expansion import occurrences
from careplan._model.plan import CarePlan
from careplan._model.time import require_date, week_start
from careplan._operations.delivery import delivered
from careplan._operations.progress import series

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "ATTENDED_SCALE",
    "NOT_RECORDED",
    "Chart",
    "attendance",
    "care_path",
    "hours",
    "measures",
]

#: The attendance heatmap's colours for 0 %, 50 % and 100 % of a day's sessions attended.
ATTENDED_SCALE = ("#c62828", "#ffb74d", "#2e7d32")
#: The attendance heatmap's colour of a day whose sessions are not recorded yet.
NOT_RECORDED = "#cfd8dc"


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
    if weeks:  # one label per week, on its Monday
        axes.set_xticks(mondays, [f"{monday:%b} {monday.day}" for monday in mondays])
    axes.set_xlabel("week of (Monday)")
    axes.set_ylabel("hours per week")
    axes.set_title("Scheduled and delivered care")
    axes.legend(loc="upper right", fontsize=8)
    figure.autofmt_xdate()
    return Chart(figure, axes)


def attendance(plan: CarePlan, *, today: _dt.date) -> Chart:
    """A calendar heatmap of attendance up to ``today``: weeks across, weekdays down.

    Each day with sessions shows the share of them the client attended (on
    time, late or leaving early: :attr:`careplan.Attendance.present`), from
    red at 0 % through amber to green at 100 %, on the scale beside it. The
    share counts the sessions recorded that day, leaving out those the
    program cancelled; a day with sessions but none recorded is grey, and a
    day without sessions stays blank. The ``axes`` image holds the shares
    (0 to 1, masked where blank or grey).
    """
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Patch
    from matplotlib.ticker import PercentFormatter

    until = require_date("today", today)
    first = week_start(plan.start)
    columns = max(1, ((min(until, plan.end) - first).days // 7) + 1)
    # As wide as the weeks need (square days), beside the scale.
    figure, axes = _figure(min(14.0, 2.2 + 0.3 * columns), 2.8)
    records = {record.key: record for record in plan.attendance}
    # Per day: sessions attended, sessions recorded, sessions scheduled.
    days: dict[pendulum.Date, list[int]] = {}
    for occurrence in occurrences(plan):
        if occurrence.date > until:
            continue
        counts = days.setdefault(occurrence.date, [0, 0, 0])
        record: Attendance | None = records.get(occurrence.key)
        if record is not None and record.status == "cancelled_by_program":
            continue
        counts[2] += 1
        if record is not None:
            counts[1] += 1
            counts[0] += record.present
    shares = [[float("nan")] * columns for _ in range(7)]
    unrecorded = [[float("nan")] * columns for _ in range(7)]
    for day, (attended, recorded, scheduled) in days.items():
        row, column = day.weekday(), (day - first).days // 7
        if recorded:
            shares[row][column] = attended / recorded
        elif scheduled:
            unrecorded[row][column] = 0.0
    axes.imshow(
        unrecorded,
        cmap=LinearSegmentedColormap.from_list("unrecorded", [NOT_RECORDED, NOT_RECORDED]),
        aspect="equal",
    )
    image = axes.imshow(
        shares,
        cmap=LinearSegmentedColormap.from_list("attended", ATTENDED_SCALE),
        vmin=0,
        vmax=1,
        aspect="equal",
    )
    axes.set_yticks(range(7), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    axes.set_xticks(range(columns), [str(first.add(weeks=n))[5:] for n in range(columns)])
    axes.tick_params(axis="x", labelrotation=90, labelsize=7)
    axes.set_xlabel("week of (Monday)", fontsize=7)
    axes.set_title("Attendance")
    scale = figure.colorbar(
        image, ax=axes, ticks=[0, 0.5, 1], format=PercentFormatter(1.0), shrink=0.9
    )
    scale.set_label("share of the day's sessions attended", fontsize=7)
    scale.ax.tick_params(labelsize=7)
    if any(not math.isnan(value) for row in unrecorded for value in row):
        axes.legend(
            handles=[Patch(facecolor=NOT_RECORDED, edgecolor="#757575", label="not recorded")],
            loc="upper left",
            bbox_to_anchor=(0, -0.35),
            fontsize=7,
        )
    return Chart(figure, axes)


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
