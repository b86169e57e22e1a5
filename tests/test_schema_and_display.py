"""The published JSON Schema, the weekly grids and the DataFrame."""

from __future__ import annotations

import json
import re
from pathlib import Path

import attrs
import jsonschema
import pendulum
import pytest
from hypothesis import given

import careplan as cp
from careplan._adapters import display
from careplan.demo import sample_plan, sample_schedule, working_parent, working_parent_plan
from careplan.testing import care_plans

SCHEMA_FILE = Path(__file__).parent.parent / "docs" / "_static" / "careplan-1.schema.json"
VALIDATOR = jsonschema.Draft202012Validator(cp.json_schema())


def test_the_published_schema_is_the_generated_one():
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == cp.json_schema()
    jsonschema.Draft202012Validator.check_schema(cp.json_schema())


@given(care_plans())
def test_every_document_the_library_writes_matches_the_schema(plan):
    VALIDATOR.validate(json.loads(cp.to_json(plan)))


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.pop("sessions"),
        lambda d: d.update(format="careplan/2"),
        lambda d: d["sessions"][0].update(duration_minutes="90"),
        lambda d: d["sessions"][0].update(colour="red"),
        lambda d: d.update(closures={"date": "2027-01-01"}),
    ],
)
def test_the_schema_refuses_what_from_json_refuses(edit):
    data = json.loads(cp.to_json(sample_plan()))
    edit(data)
    assert not VALIDATOR.is_valid(data)
    with pytest.raises(cp.DocumentError):
        cp.from_json(json.dumps(data))


def test_the_text_grid():
    grid = sample_schedule().grid()
    lines = grid.splitlines()
    assert lines[0].split() == ["America/New_York", "Mon", "Tue", "Thu"]
    assert lines[1].split()[:2] == ["09:00", "Check-in"]
    assert "Psychiatric /2w" in grid
    assert len(lines) == 1 + 8  # 09:00 to 12:30 in half hours


def test_the_text_grid_marks_a_title_it_shortens():
    week = cp.WeeklySchedule(
        "UTC", [cp.Session("monday", "09:00", 60, "group_therapy", title="Seeking Safety group")]
    )
    line = week.grid().splitlines()[1]
    assert "Seeking Safety…" in line
    assert "Seeking Safety g" not in line


def test_the_html_grid_shows_sessions_busy_time_and_escapes_text():
    plan = working_parent_plan()
    page = plan.schedule.to_html(working_parent(), title="<b>Jordan</b>")
    assert page.count("class='session ") == len(plan.schedule.sessions)
    assert "class='busy'" in page
    assert "&lt;b&gt;Jordan&lt;/b&gt;" in page
    assert "<b>Jordan</b>" not in page
    evil = cp.WeeklySchedule(
        "UTC", [cp.Session("monday", "09:00", 60, "group_therapy", title="<script>x</script>")]
    )
    assert "<script>" not in evil.to_html()
    assert plan._repr_html_().startswith("<div class='careplan-plan'")
    assert "careplan-week" in plan.schedule._repr_html_()


def _blocks(page):
    """(minutes, pixel height) of every session block in a grid."""
    return [
        (int(minutes), float(height))
        for minutes, height in re.findall(
            r"data-minutes='(\d+)' style='position:absolute;top:[\d.]+px;height:([\d.]+)px", page
        )
    ]


def test_block_heights_follow_durations():
    week = cp.WeeklySchedule(
        "UTC",
        [
            cp.Session("monday", "09:00", 60, "group_therapy"),
            cp.Session("monday", "10:00", 30, "psychiatric"),
            cp.Session("tuesday", "09:00", 50, "individual_therapy"),
        ],
    )
    blocks = _blocks(week.to_html())
    assert sorted(m for m, _ in blocks) == [30, 50, 60]
    ratios = {height / minutes for minutes, height in blocks}
    assert max(ratios) - min(ratios) < 0.01


def _luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def test_every_text_colour_meets_wcag_aa_on_its_background():
    # WCAG 2.1 contrast ratio; AA asks 4.5:1 for normal text.
    from careplan._adapters.display import COLOURS, TEXT_COLOURS

    assert {bg for _, bg in TEXT_COLOURS} >= set(COLOURS.values())
    for text, background in TEXT_COLOURS:
        lighter, darker = sorted((_luminance(text), _luminance(background)), reverse=True)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (text, background)


def test_the_grid_sets_its_own_colours_so_dark_themes_do_not_wash_it_out():
    page = sample_schedule().to_html()
    head = page[: page.index(">")]
    assert "background:#ffffff" in head
    assert "color:#1a1a1a" in head
    assert "color-scheme:light" in head
    assert page.count("color:#1a1a1a") == 1 + len(sample_schedule().sessions)


def test_empty_hours_are_folded_away():
    sparse = cp.WeeklySchedule(
        "UTC",
        [
            cp.Session("monday", "01:30", 60, "group_therapy"),
            cp.Session("monday", "23:30", 30, "check_in"),
        ],
    )
    page = sparse.to_html()
    (height,) = set(re.findall(r"class='day' style='position:relative;height:([\d.]+)px", page))
    # 01:00-03:00 and 23:00-24:00 (3 hours) and one fold, not 23 hours.
    assert float(height) == pytest.approx(3 * 60 * display._PIXELS_PER_MINUTE + 14)
    assert "⋯" in page
    assert "⋯" in sparse.grid()
    assert len(sparse.grid().splitlines()) == 1 + 4 + 1 + 2


def test_overlapping_sessions_are_drawn_side_by_side():
    week = cp.WeeklySchedule(
        "UTC",
        [
            cp.Session("monday", "09:00", 60, "group_therapy"),
            cp.Session("monday", "09:30", 60, "individual_therapy"),
        ],
    )
    page = week.to_html()
    assert page.count("class='session ") == 2
    assert "width:calc(50.000% - 2px)" in page


def test_a_plan_shows_each_episodes_week_and_busy_time_when_known():
    parent = working_parent_plan()
    plan = cp.step_down(
        parent, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=parent.schedule
    )
    page = plan.to_html()
    assert page.count("class='careplan-week'") == 2
    assert "Intensive Outpatient Program (IOP) · 2027-01-04 to 2027-02-28" in page
    assert "Outpatient Therapy (OP) · 2027-03-01 to 2027-03-28" in page
    assert "Treatment goals met" in page
    assert "class='busy'" not in page
    assert "class='busy'" in plan.to_html(working_parent())
    one_day = cp.CarePlan(
        cp.Client("c"),
        cp.DEFAULT["OP"],
        cp.WeeklySchedule("UTC", [cp.Session("monday", "09:00", 60, "individual_therapy")]),
        pendulum.date(2027, 1, 4),
        pendulum.date(2027, 1, 31),
    )
    assert "1 day, 1.0 h/week" in one_day.to_html()


def test_hovering_a_block_shows_its_title_time_and_modality_not_its_id():
    plan = working_parent_plan()
    page = plan.schedule.to_html()
    hovers = re.findall(r"class='session [^']*' title='([^']*)'", page)
    assert len(hovers) == len(plan.schedule.sessions)
    assert "Psychiatric / medication management · Thu 21:00–21:30 · online · every 2 weeks" in (
        hovers
    )
    assert "Group therapy · Mon 18:30–20:00 · in person" in hovers
    assert not any(s.id in page for s in plan.schedule.sessions)


def test_the_legend_names_colours_hatching_shading_and_every_few_weeks():
    page = working_parent_plan().schedule.to_html(working_parent())
    legend = page[page.index("class='legend'") :]
    for label in (
        "Check-in and mindfulness",
        "Group therapy",
        "Psychiatric / medication management",
        "every 2 weeks",
        "busy (the client&#x27;s week)",
        "evening",
    ):
        assert label in legend, label
    assert display.COLOURS["group_therapy"] in legend
    evenings = working_parent_plan().schedule.to_html()
    assert "morning" not in evenings[evenings.index("class='legend'") :]  # evening hours only
    plain = sample_schedule().to_html()
    assert "busy" not in plain  # no hatching without a client's week


def test_the_grid_takes_the_width_it_is_given():
    head = sample_schedule().to_html()
    head = head[: head.index(">")]
    assert "width:100%" in head
    assert "inline-block" not in head
    assert "36em" not in head


def test_the_plan_as_a_dataframe():
    plan = cp.step_down(
        sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=sample_schedule()
    )
    frame = plan.to_dataframe()
    assert len(frame) == len(plan.occurrences())
    assert list(frame.columns) == [
        "session_id", "date", "weekday", "start", "end", "minutes", "kind",
        "title", "track", "modality", "level", "episode", "moved",
    ]  # fmt: skip
    assert set(frame["level"]) == {"IOP", "OP"}
    assert frame["minutes"].sum() == sum(o.minutes for o in plan.occurrences())


def test_the_dataframe_is_typed_with_a_date_column():
    import pandas

    plan = cp.step_down(
        sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=sample_schedule()
    )
    frame = plan.to_dataframe()
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert dtypes == {
        "session_id": "string", "date": "datetime64[ns]", "weekday": "string",
        "start": "datetime64[ns, America/New_York]", "end": "datetime64[ns, America/New_York]",
        "minutes": "int64", "kind": "string", "title": "string", "track": "string",
        "modality": "string", "level": "string", "episode": "int64", "moved": "bool",
    }  # fmt: skip
    occurrences = plan.occurrences()
    assert [d.date() for d in frame["date"]] == [o.date for o in occurrences]
    assert [t.to_pydatetime() for t in frame["start"]] == [o.start for o in occurrences]
    assert frame["date"].dt.day_of_week.tolist() == [o.date.weekday() for o in occurrences]
    assert frame["track"].isna().sum() == sum(o.session.track is None for o in occurrences)
    by_week = frame.groupby(frame["date"].dt.to_period("W"))["minutes"].sum()
    assert by_week.sum() == frame["minutes"].sum()
    empty = cp.CarePlan(
        cp.Client("c"),
        cp.DEFAULT["OP"],
        cp.WeeklySchedule("UTC", []),
        pendulum.date(2027, 1, 4),
        pendulum.date(2027, 1, 31),
    ).to_dataframe()
    assert len(empty) == 0
    assert str(empty["date"].dtype) == "datetime64[ns]"
    assert isinstance(empty, pandas.DataFrame)


def test_the_dataframe_says_how_to_get_pandas(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"pip install -e '\.\[pandas\]'"):
        sample_plan().to_dataframe()


def test_a_missing_extra_is_an_import_error_too(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    assert issubclass(cp.MissingExtraError, ImportError)
    assert issubclass(cp.MissingExtraError, cp.CarePlanError)
    caught = None
    try:
        sample_plan().to_dataframe()
    except ImportError as error:  # what Python users write for an optional dependency
        caught = error
    assert isinstance(caught, cp.MissingExtraError)
    assert (caught.package, caught.extra) == ("pandas", "pandas")


def test_a_session_in_week_b_says_so_in_the_summary_the_hover_and_the_grid():
    plan = working_parent_plan()
    sessions = [
        attrs.evolve(s, week_offset=1) if s.every_weeks == 2 else s for s in plan.schedule.sessions
    ]
    week_b = attrs.evolve(plan, schedule=attrs.evolve(plan.schedule, sessions=sessions))
    assert "Psychiatric / medication management (virtual, every 2 weeks from week 2)" in (
        cp.summary(week_b)
    )
    hover = "Psychiatric / medication management · Thu 21:00–21:30 · online · every 2 weeks"
    assert f"{hover} from week 2" in week_b.schedule.to_html()
    short = cp.Session(
        "monday", "09:00", 30, "psychiatric", title="Dr", every_weeks=2, week_offset=1
    )
    assert "Dr /2w+1" in cp.WeeklySchedule("UTC", [short]).grid()


def test_the_grid_shows_both_weeks_of_a_slot_shared_in_weeks_a_and_b():
    """A prescriber's week (a census staff schedule) holds a biweekly consult in weeks
    A and B at one time; the HTML draws both, and so does the text grid."""
    a = cp.Session("monday", "09:00", 30, "psychiatric", title="Dr", every_weeks=2, id="a")
    b = attrs.evolve(a, week_offset=1, id="b")
    assert "Dr /2w+0+1" in cp.WeeklySchedule("UTC", [a, b]).grid()
    assert "Dr /2w+0+1" in cp.WeeklySchedule("UTC", [b, a]).grid()
    assert "Dr /2w+" not in cp.WeeklySchedule("UTC", [a]).grid()
    assert "Dr /2w+1" in cp.WeeklySchedule("UTC", [b]).grid()
