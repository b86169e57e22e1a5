"""The published JSON Schema, the weekly grids and the DataFrame."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pendulum
import pytest
from hypothesis import given

import careplan as cp
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
    assert plan._repr_html_().startswith('<table class="careplan-week"')
    assert "careplan-week" in plan.schedule._repr_html_()


def test_the_plan_as_a_dataframe():
    plan = cp.step_down(sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met")
    frame = plan.to_dataframe()
    assert len(frame) == len(plan.occurrences())
    assert list(frame.columns) == [
        "session_id", "date", "weekday", "start", "end", "minutes", "kind",
        "title", "track", "modality", "level", "episode", "moved",
    ]  # fmt: skip
    assert set(frame["level"]) == {"IOP", "OP"}
    assert frame["minutes"].sum() == sum(o.minutes for o in plan.occurrences())


def test_the_dataframe_says_how_to_get_pandas(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"careplan\[pandas\]"):
        sample_plan().to_dataframe()
