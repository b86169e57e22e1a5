"""The plots, checked by structure: what is drawn where, not pixels."""

from __future__ import annotations

import math
import sys

import pendulum
import pytest

import careplan as cp
from careplan import plots
from careplan.demo import sample_plan, sample_schedule

TODAY = pendulum.date(2027, 3, 14)


@pytest.fixture(scope="module")
def plan():
    stepped = cp.step_down(
        sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=sample_schedule()
    )
    first_week = [o for o in stepped.occurrences() if o.date <= pendulum.date(2027, 1, 10)]
    records = [cp.Attendance(o.session.id, o.scheduled_on) for o in first_week]
    monday = first_week[0]
    records[0] = cp.Attendance(monday.session.id, monday.scheduled_on, "absent_unexcused")
    return stepped.with_attendance(*records)


def test_the_care_path_steps_through_the_levels_with_reasons(plan):
    chart = plots.care_path(plan)
    assert [t.get_text() for t in chart.axes.get_yticklabels()] == ["OP", "IOP"]
    (line,) = chart.axes.get_lines()[:1]
    assert list(line.get_ydata()) == [1, 1, 0, 0]  # IOP, then OP
    assert [t.get_text() for t in chart.axes.texts] == ["Treatment goals met"]


def test_a_discharge_is_annotated():
    done = cp.discharge(sample_plan(), on=pendulum.date(2027, 2, 26), reason="client_withdrew")
    texts = [t.get_text() for t in plots.care_path(done).axes.texts]
    assert texts == ["discharged: Client withdrew"]


def test_hours_show_scheduled_and_delivered_bars_and_the_level_bounds(plan):
    chart = plots.hours(plan, today=TODAY)
    weeks = cp.delivered(plan, today=TODAY)
    heights = [patch.get_height() for patch in chart.axes.patches]
    scheduled, given = heights[: len(weeks)], heights[len(weeks) :]
    assert scheduled == pytest.approx([w.scheduled_minutes / 60 for w in weeks])
    assert given == pytest.approx([w.delivered_minutes / 60 for w in weeks])
    lines = {line.get_label(): list(line.get_ydata()) for line in chart.axes.get_lines()}
    # IOP is 9-20 h/week until the step down, then OP's bounds.
    iop, op = cp.DEFAULT["IOP"].intensity.hours_per_week, cp.DEFAULT["OP"].intensity.hours_per_week
    expected = [iop.min if w.level.code == "IOP" else op.min for w in weeks]
    drawn = lines["level minimum"][:-1]
    assert [None if math.isnan(v) else v for v in drawn] == expected
    assert lines["level maximum"][0] == iop.max


def test_attendance_shows_the_share_attended_each_day_with_its_scale(plan):
    chart = plots.attendance(plan, today=TODAY)
    unrecorded, shares = chart.axes.get_images()
    grid = shares.get_array()
    # Monday of week 1: one of its sessions missed; Tuesday: all attended.
    mondays = len([o for o in plan.occurrences() if o.date == plan.start])
    assert grid[0][0] == pytest.approx((mondays - 1) / mondays)
    assert grid[1][0] == 1.0
    assert grid.mask[1][1]  # Tuesday, week 2: nothing recorded, so no share...
    assert not unrecorded.get_array().mask[1][1]  # ...but drawn grey as not recorded
    assert grid.mask[2][0]  # no sessions on Wednesdays: blank
    assert unrecorded.get_array().mask[2][0]
    assert (shares.norm.vmin, shares.norm.vmax) == (0, 1)
    (scale,) = [axes for axes in chart.figure.axes if axes is not chart.axes]
    assert scale.get_ylabel() == "share of the day's sessions attended"
    assert [t.get_text() for t in scale.get_yticklabels()] == ["0%", "50%", "100%"]
    legend = chart.axes.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["not recorded"]


def test_attendance_counts_late_and_early_leaving_as_attended_and_skips_cancelled():
    plan = sample_plan()
    monday = [o for o in plan.occurrences() if o.date == plan.start]
    statuses = ["late", "absent_excused", "cancelled_by_program"]
    plan = plan.with_attendance(
        *(
            cp.Attendance(o.session.id, o.scheduled_on, s)
            for o, s in zip(monday[:3], statuses, strict=True)
        )
    )
    grid = plots.attendance(plan, today=plan.start).axes.get_images()[1].get_array()
    assert grid[0][0] == pytest.approx(1 / 2)  # late counts; the cancelled one does not


def test_hours_label_each_weeks_monday(plan):
    chart = plots.hours(plan, today=TODAY)
    mondays = [week.monday for week in cp.delivered(plan, today=TODAY)]
    labels = [t.get_text() for t in chart.axes.get_xticklabels()]
    assert labels == [f"{m:%b} {m.day}" for m in mondays]
    assert labels[:2] == ["Jan 4", "Jan 11"]


def test_charts_render_as_png_in_notebooks(plan):
    data = plots.care_path(plan)._repr_png_()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_matplotlib_the_error_says_how_to_install_it(plan, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install -e '\.\[plots\]'"):
        plots.care_path(plan)


def test_measures_show_scores_on_severity_bands_with_the_targets():
    from careplan.demo import sample_plan_of_care

    plan = sample_plan_of_care()
    chart = plots.measures(plan, "PHQ-9")
    (scores,) = [line for line in chart.axes.get_lines() if line.get_label() == "PHQ-9"]
    assert list(scores.get_ydata()) == [
        m.score for m in plan.measurements if m.instrument == "PHQ-9"
    ]
    # PHQ-9's five published bands, and the objective's target of 10.
    assert [t.get_text() for t in chart.axes.texts] == [
        "minimal",
        "mild",
        "moderate",
        "moderately severe",
        "severe",
    ]
    (target,) = [line for line in chart.axes.get_lines() if line.get_label().startswith("phq9")]
    assert set(target.get_ydata()) == {10}
    assert chart.axes.get_ylim() == (-0.5, 27.5)
    first = plan.measurements[0].on
    assert len(plots.measures(plan, "PHQ-9", today=first).axes.get_lines()[0].get_ydata()) == 1


def test_the_example_notebook_says_what_its_data_shows():
    # Run the notebook's code in this process and hold its text to its figures.
    import json
    from pathlib import Path

    path = Path(__file__).parent.parent / "examples" / "prototype_program.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = " ".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    for claim in (
        "ten weeks up to 14 March",
        "every session attended, but the first session of each week 15 minutes late",
        "the last session of every second week missed with an excuse",
        "the share of its sessions attended",
    ):
        assert claim in text, claim
    import contextlib
    import io

    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in cells:
            if cell["cell_type"] == "code":
                exec(compile("".join(cell["source"]), str(path), "exec"), namespace)
    student, today = namespace["student"], namespace["today"]
    assert isinstance(student, cp.CarePlan)
    records = {r.key: r for r in student.attendance}
    held = [o for o in student.occurrences() if o.date <= today]
    weeks: dict[pendulum.Date, list[cp.Occurrence]] = {}
    for occurrence in held:
        weeks.setdefault(occurrence.date.start_of("week"), []).append(occurrence)
    assert len(weeks) == 10  # "ten weeks"
    assert set(records) == {o.key for o in held}  # every session recorded
    for number, week in enumerate(weeks.values()):
        statuses = [records[o.key].status for o in week]
        assert statuses[0] == "late"
        assert records[week[0].key].minutes == 15
        missed = ["absent_excused"] if number % 2 else []
        assert [s for s in statuses[1:] if s != "attended"] == missed
        assert statuses[-1] == (missed[0] if missed else "attended" if len(week) > 1 else "late")
    # The heatmap: whole days but for one day in every second week.
    grid = plots.attendance(student, today=today).axes.get_images()[1].get_array()
    first = student.start.start_of("week")
    for number, monday in enumerate(weeks):
        column = (monday - first).days // 7
        shares = [grid[row][column] for row in range(7) if not grid.mask[row][column]]
        assert sum(share < 1 for share in shares) == number % 2
