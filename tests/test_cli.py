"""The careplan command: demo, validate, and its exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

import careplan as cp
from careplan import fhir
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
    named = tmp_path / "named.ics"
    assert main(["ics", str(source), "-o", str(named), "--name", "Evening IOP"]) == 0
    assert b"X-WR-CALNAME:Evening IOP\r\n" in named.read_bytes()
    assert main(["ics", str(source), "-o", str(named), "--force", "--name", ";,"]) == 2


# --- hardening: every read or write failure is exit 2 with one line -------------------


def _one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@pytest.fixture
def plan_file(tmp_path):
    source = tmp_path / "plan.json"
    source.write_text(cp.to_json(sample_plan()), encoding="utf-8")
    return source


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"careplan {cp.__version__}"


@pytest.mark.parametrize("command", ["validate", "report", "ics", "fhir"])
@pytest.mark.parametrize(
    ("make", "needle"),
    [
        (lambda folder: folder, "it is a folder, not a file"),
        (lambda folder: folder / "missing.json", "no such file or folder"),
        (lambda folder: _written(folder / "bytes.json", b"\xff\xfe\xfd{"), "not UTF-8"),
        (lambda folder: _written(folder / "text.json", b"hello"), "not JSON"),
        (lambda folder: _written(folder / "twice.json", b'{"id": 1, "id": 2}'), "id: is given"),
        (lambda folder: _fifo(folder / "fifo"), "not a regular file"),
        (lambda folder: Path("/dev/zero"), "not a regular file"),
        (lambda folder: _written(folder / "big.json", b" " * 2000 + b"{}"), "larger than 1,000"),
    ],
    ids=["folder", "missing", "undecodable", "not-json", "repeated-key", "fifo", "device", "big"],
)
def test_every_read_failure_is_exit_2_with_one_line(tmp_path, capsys, command, make, needle):
    source = make(tmp_path)
    extra = {
        "validate": [],
        "report": ["--week", "2027-01-04"],
        "ics": ["-o", str(tmp_path / "out.ics")],
        "fhir": ["-o", str(tmp_path / "out.json")],
    }[command]
    assert main([command, str(source), "--max-bytes", "1000", *extra]) == 2
    assert needle in _one_line_error(capsys)
    assert not (tmp_path / "out.ics").exists()


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def test_a_document_past_the_size_limit_needs_the_option(plan_file, capsys):
    size = plan_file.stat().st_size
    assert main(["validate", str(plan_file), "--max-bytes", str(size - 1)]) == 2
    assert "raise the limit with --max-bytes" in _one_line_error(capsys)
    assert main(["validate", str(plan_file), "--max-bytes", str(size)]) == 0


def test_a_plan_past_the_period_limit_needs_the_option(tmp_path, capsys):
    plan = sample_plan()
    long = attrs.evolve(plan, end=plan.start.add(years=12))
    source = _written(tmp_path / "long.json", cp.to_json(long).encode())
    assert main(["validate", str(source)]) == 2
    assert "end: the plan runs from 2027-01-04" in _one_line_error(capsys)
    assert main(["validate", str(source), "--max-years", "13", "--format", "json"]) == 0
    assert "limits.period_too_long" not in capsys.readouterr().out


@pytest.mark.parametrize(
    "make",
    [
        lambda folder: folder / "plan.json" / "calendar.ics",  # a file where a folder is needed
        lambda folder: folder,  # a folder where a file is needed
        lambda folder: Path("/dev/full"),  # a full disk
    ],
    ids=["file-as-folder", "folder", "full-disk"],
)
@pytest.mark.parametrize("command", ["ics", "fhir"])
def test_every_write_failure_is_exit_2_with_one_line(plan_file, capsys, make, command):
    out = make(plan_file.parent)
    assert main([command, str(plan_file), "-o", str(out), "--force"]) == 2
    line = _one_line_error(capsys)
    assert line.startswith(str(out)), line
    assert "cannot write it" in line


def test_a_read_only_place_is_exit_2(plan_file, capsys, monkeypatch):
    # Root may write anywhere, so the refusal is simulated where the file is created.
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    out = plan_file.parent / "calendar.ics"
    assert main(["ics", str(plan_file), "-o", str(out)]) == 2
    assert _one_line_error(capsys).endswith("cannot write it: permission denied")
    assert main(["demo", "--out", str(plan_file.parent / "demo")]) == 2
    assert "permission denied" in _one_line_error(capsys)


def test_a_demo_folder_that_is_a_file_is_exit_2(plan_file, capsys):
    assert main(["demo", "--out", str(plan_file)]) == 2
    assert "cannot make the folder" in _one_line_error(capsys)


def test_the_demo_help_says_what_it_writes(capsys):
    assert main(["demo", "--help"]) == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "plan.json, plan.ics, evening-plan.json and evening-plan.ics" in help_text


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["plain", "bom"])
def test_a_dash_reads_standard_input(monkeypatch, capsys, bom):
    document = bom + cp.to_json(sample_plan()).encode()
    _stdin(monkeypatch, document)
    assert main(["validate", "-"]) == 0
    assert capsys.readouterr().out.startswith("-: valid: 0 error(s), 3 warning(s)")
    _stdin(monkeypatch, document)
    assert main(["report", "-", "--week", "2027-01-04"]) == 0
    assert "Week of 2027-01-04 to 2027-01-10" in capsys.readouterr().out
    _stdin(monkeypatch, document)
    assert main(["ics", "-", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("BEGIN:VCALENDAR")
    _stdin(monkeypatch, document)
    assert main(["fhir", "-", "-o", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["resourceType"] == "Bundle"


def test_slow_standard_input_gives_up_with_a_message():
    console = Path(sys.executable).parent / "careplan"
    with subprocess.Popen(
        [str(console), "validate", "-", "--timeout", "0.5"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdin is not None
        process.stdin.write(b'{"format": ')  # and never more, never the end
        process.stdin.flush()
        out, err = _wait(process)
    assert process.returncode == 2
    assert err.decode().strip() == (
        "-: cannot read it: standard input did not end within 0.5 seconds; "
        "raise the wait with --timeout"
    )
    assert out == b""


def _wait(process: subprocess.Popen[bytes]) -> tuple[bytes, bytes]:
    # Keep standard input open (a slow writer) while the command gives up on it.
    assert process.stdout is not None
    assert process.stderr is not None
    process.wait(timeout=60)
    return process.stdout.read(), process.stderr.read()


def test_a_full_standard_output_is_exit_2(plan_file):
    console = Path(sys.executable).parent / "careplan"
    for command in (["validate", str(plan_file)], ["ics", str(plan_file), "-o", "-"]):
        with open("/dev/full", "wb") as full:
            done = subprocess.run(
                [str(console), *command], stdout=full, stderr=subprocess.PIPE, check=False
            )
        assert done.returncode == 2
        assert done.stderr.decode().strip() == (
            "-: cannot write to standard output: no space left on the device"
        )


def test_ics_refuses_to_overwrite_without_force(plan_file, capsys):
    out = plan_file.parent / "calendar.ics"
    out.write_bytes(b"keep me")
    assert main(["ics", str(plan_file), "-o", str(out)]) == 2
    assert _one_line_error(capsys).endswith("exists already; pass --force to replace it")
    assert out.read_bytes() == b"keep me"
    out.chmod(0o640)
    assert main(["ics", str(plan_file), "-o", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert out.stat().st_mode & 0o777 == 0o640  # a replaced file keeps its permissions
    assert not [p for p in plan_file.parent.iterdir() if p.name.endswith(".part")]


def test_fhir_writes_the_bundle(plan_file, capsys):
    out = plan_file.parent / "bundle.json"
    assert main(["fhir", str(plan_file), "-o", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"Wrote {out} (")
    bundle = json.loads(out.read_text())
    assert bundle == json.loads(json.dumps(fhir.to_fhir(sample_plan())))
    assert out.stat().st_mode & 0o777 == 0o600  # new files hold health information
    assert main(["fhir", str(plan_file), "-o", str(out)]) == 2
    assert "--force" in _one_line_error(capsys)


def test_validate_json_names_codes_severities_dates_and_paths(plan_file, tmp_path, capsys):
    bad = attrs.evolve(sample_plan(), level=cp.DEFAULT["OP"])
    source = _written(tmp_path / "bad.json", cp.to_json(bad).encode())
    assert main(["validate", str(source), "--format", "json"]) == 1
    result = json.loads(capsys.readouterr().out)
    assert result["readable"] is True
    assert result["ok"] is False
    assert result["errors"] >= 1
    first = result["violations"][0]
    assert set(first) == {"code", "severity", "message", "session_ids", "dates"}
    assert first["severity"] == "error"
    data = json.loads(plan_file.read_text())
    data["sessions"][1]["start"] = "25:00"
    broken = _written(tmp_path / "broken.json", json.dumps(data).encode())
    assert main(["validate", str(broken), "--format", "json"]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is False
    assert result["readable"] is False
    assert result["error"]["type"] == "DocumentError"
    assert result["error"]["path"] == "sessions[1].start"
    assert "is not a time of day" in result["error"]["problem"]
    assert "25:00" not in result["error"]["problem"]  # text is never quoted
    assert main(["validate", str(tmp_path / "missing.json"), "--format", "json"]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["error"]["type"] == "read"
    assert result["error"]["path"] is None


def test_report_tells_unrecorded_sessions_from_a_week_below_the_minimum(tmp_path, capsys):
    plan = sample_plan()
    monday = plan.start
    week = [o for o in plan.occurrences() if o.date <= monday.add(days=6)]
    source = tmp_path / "plan.json"
    one = plan.record_attendance(week[0].session.id, week[0].scheduled_on)
    source.write_text(cp.to_json(one))
    assert main(["report", str(source), "--week", str(monday)]) == 0
    out = capsys.readouterr().out
    assert f"not judged: {len(week) - 1} session(s) not recorded yet" in out
    assert "below it" not in out
    absent = plan.with_attendance(
        *(cp.Attendance(o.session.id, o.scheduled_on, "absent_excused") for o in week)
    )
    source.write_text(cp.to_json(absent))
    assert main(["report", str(source), "--week", str(monday)]) == 0
    assert "delivered care is below it" in capsys.readouterr().out
    assert main(["report", str(source), "--week", "9999-12-31"]) == 2
    assert "outside the dates careplan works with" in _one_line_error(capsys)
