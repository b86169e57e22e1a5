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


def test_attendance_shows_the_worst_status_of_each_day(plan):
    chart = plots.attendance(plan, today=TODAY)
    (image,) = chart.axes.get_images()
    grid = image.get_array()
    order = list(plots.STATUS_COLOURS)
    assert grid[0][0] == order.index("absent_unexcused")  # Monday, week 1
    assert grid[1][0] == order.index("attended")  # Tuesday, week 1
    assert grid[1][1] == order.index("not recorded")  # Tuesday, week 2
    assert grid.mask[2][0]  # no sessions on Wednesdays: blank


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
