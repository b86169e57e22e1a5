"""The careplan command: demo, validate, and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import attrs

import careplan as cp
from careplan.cli import main
from careplan.demo import sample_plan


def test_demo_writes_the_plan_and_prints_a_summary(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "Intensive Outpatient Program (IOP)" in printed
    assert "Sessions: 118" in printed
    assert "Alex Rivera" not in printed  # summaries leave the name out
    plan = cp.from_json((tmp_path / "out" / "plan.json").read_text())
    assert plan == sample_plan()
    assert (tmp_path / "out" / "plan.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_validate_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(cp.to_json(sample_plan()))
    assert main(["validate", str(good)]) == 0
    assert "valid: 0 error(s), 3 warning(s)" in capsys.readouterr().out

    bad = tmp_path / "bad.json"
    bad.write_text(cp.to_json(attrs.evolve(sample_plan(), level=cp.DEFAULT["OP"])))
    assert main(["validate", str(bad), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert "level_fit.too_intense" in {v["code"] for v in report["violations"]}

    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "careplan/1", "sessions": 3}')
    assert main(["validate", str(broken)]) == 2
    assert "cannot read the plan" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.json")]) == 2


def test_validate_judges_attendance_as_of_today(tmp_path, capsys):
    plan = sample_plan()
    for session in ("mon-0900-check_in", "mon-0930-group_therapy", "mon-1100-life_skills"):
        plan = plan.record_attendance(session, plan.start, "absent_unexcused")
    source = tmp_path / "plan.json"
    source.write_text(cp.to_json(plan))

    def codes(*options):
        main(["validate", str(source), "--format", "json", *options])
        return {v["code"] for v in json.loads(capsys.readouterr().out)["violations"]}

    assert "attendance.unexcused_absences" not in codes()
    judged = codes("--today", "2027-01-11")
    assert {"attendance.unexcused_absences", "attendance.unrecorded"} <= judged
    assert main(["validate", str(source), "--today", "11/01/2027"]) == 2
    assert "--today: '11/01/2027' is not a date" in capsys.readouterr().err


def test_validate_takes_the_compliance_thresholds(tmp_path, capsys):
    plan = sample_plan()
    for session in ("mon-0930-group_therapy", "mon-1100-life_skills"):
        plan = plan.record_attendance(session, plan.start, "absent_unexcused")
    source = tmp_path / "plan.json"
    source.write_text(cp.to_json(plan))

    def codes(*options):
        main(["validate", str(source), "--format", "json", "--today", "2027-01-11", *options])
        return {v["code"] for v in json.loads(capsys.readouterr().out)["violations"]}

    assert "attendance.unexcused_absences" not in codes()
    assert "attendance.unexcused_absences" in codes("--unexcused-absences", "2")
    assert main(["validate", str(source), "--absence-window-weeks", "0"]) == 2
    assert capsys.readouterr().err.startswith("--absence-window-weeks: 0 is not a ")


def test_the_console_script_is_installed(tmp_path):
    done = subprocess.run(
        [str(Path(sys.executable).parent / "careplan"), "demo", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan.json").exists()


def test_ics_writes_the_calendar(tmp_path, capsys):
    source = tmp_path / "plan.json"
    source.write_text(cp.to_json(sample_plan()))
    out = tmp_path / "cal" / "plan.ics"
    assert (
        main(["ics", str(source), "-o", str(out), "--detail", "sessions", "--reminder", "30"]) == 0
    )
    assert "Wrote" in capsys.readouterr().out
    data = out.read_bytes()
    assert b"SUMMARY:Group therapy" in data
    assert b"TRIGGER:-PT30M" in data
    broken = tmp_path / "broken.json"
    broken.write_text("{}")
    assert main(["ics", str(broken), "-o", str(out)]) == 2
    assert main(["ics", str(source), "-o", str(out), "--reminder", "-5"]) == 2
