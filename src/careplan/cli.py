"""The ``careplan`` command line: demo, validate, report, calendar export.

Installed as the ``careplan`` console script; :func:`main` runs it in-process
(for tests, or a service that embeds the command). Exit codes follow the
design: 0 success (no errors), 1 the plan has errors, 2 a document could not
be read.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import attrs
import pendulum

from careplan._adapters.document import from_json, to_json
from careplan._adapters.ical import Detail, to_ical
from careplan._adapters.summary import summarize
from careplan._model.errors import CarePlanError, InvalidValueError
from careplan._model.plan import CarePlan
from careplan._model.policy import CompliancePolicy
from careplan._model.time import week_start
from careplan._operations.delivery import delivered
from careplan._operations.validation import validate
from careplan.demo import sample_plan, working_parent_plan

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2

_POLICY_HELP = {
    "below_minimum_weeks": "weeks in a row below the level's minimum that are flagged",
    "unexcused_absences": "unexcused absences within the window that are flagged",
    "absence_window_weeks": "the window for --unexcused-absences, in weeks",
    "authorization_reminder_days": "days before an authorization ends to warn",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careplan", description="Plan behavioral-health care that fits a person's week."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="write a sample IOP plan and print its summary")
    demo.add_argument("--out", type=Path, required=True, help="folder to write plan.json to")
    check = commands.add_parser("validate", help="check a plan document against its level")
    check.add_argument("file", type=Path, help="a careplan/1 JSON document")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--today",
        help="judge attendance and authorizations as of this day, YYYY-MM-DD "
        "(without it, only the rules that need no date run)",
    )
    # One option per threshold of CompliancePolicy, so a new field gets its option.
    for field in attrs.fields(CompliancePolicy):
        check.add_argument(
            f"--{field.name.replace('_', '-')}",
            dest=field.name,
            type=int,
            metavar="N",
            help=f"{_POLICY_HELP.get(field.name, 'see CompliancePolicy')} "
            f"(default {field.default})",
        )
    calendar = commands.add_parser("ics", help="write a plan document as an iCalendar file")
    calendar.add_argument("file", type=Path, help="a careplan/1 JSON document")
    calendar.add_argument("-o", "--out", type=Path, required=True, help="the .ics file to write")
    calendar.add_argument(
        "--detail",
        choices=("minimal", "sessions", "full"),
        default="minimal",
        help="how much the calendar reveals (default: minimal)",
    )
    calendar.add_argument(
        "--reminder",
        type=int,
        action="append",
        default=[],
        metavar="MINUTES",
        help="add an alarm this many minutes before each session (repeatable)",
    )
    report = commands.add_parser("report", help="scheduled versus delivered care for a week")
    report.add_argument("file", type=Path, help="a careplan/1 JSON document")
    report.add_argument(
        "--week", required=True, help="any day of the week, YYYY-MM-DD (weeks start on Monday)"
    )
    return parser


def _day(option: str, text: str) -> pendulum.Date | None:
    """The date an option names, or None after saying what is wrong with it."""
    try:
        return pendulum.Date.fromisoformat(text)
    except ValueError:
        print(f"{option}: {text!r} is not a date (YYYY-MM-DD)", file=sys.stderr)
        return None


def _report(path: Path, week: str) -> int:
    day = _day("--week", week)
    if day is None:
        return EXIT_UNREADABLE
    monday = week_start(day)
    sunday = monday.add(days=6)
    try:
        plan = from_json(_read(path))
    except CarePlanError as error:
        print(f"{path}: cannot read the plan: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    found = [w for w in delivered(plan, today=sunday) if w.monday == monday]
    print(f"Week of {monday} to {sunday}")
    if not found:
        print("  no sessions scheduled this week")
        return EXIT_OK
    (figures,) = found
    minimum = figures.level.intensity.hours_per_week.min
    rate = figures.attendance_rate
    lines = [
        f"  level:      {figures.level.name} ({figures.level.code})",
        f"  scheduled:  {figures.scheduled_minutes / 60:.1f} h in {figures.sessions} sessions",
        f"  delivered:  {figures.delivered_minutes / 60:.1f} h, "
        f"{figures.attended} sessions attended",
        f"  attendance: {'n/a' if rate is None else f'{rate:.0%}'}"
        f" ({figures.unexcused} unexcused absence(s), {figures.unrecorded} not recorded)",
    ]
    if minimum is not None:
        verdict = "meets" if figures.delivered_minutes >= minimum * 60 else "is below"
        lines.append(f"  minimum:    {minimum:g} h/week; delivered care {verdict} it")
    print("\n".join(lines))
    return EXIT_OK


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CarePlanError(f"cannot read {path}: {error}") from None


def _write_plan(plan: CarePlan, out: Path, name: str) -> bool:
    """Write ``name``.json and ``name``.ics, print the summary; True when valid."""
    report = validate(plan)
    (out / f"{name}.json").write_text(to_json(plan) + "\n", encoding="utf-8")
    (out / f"{name}.ics").write_bytes(to_ical(plan, stamp=_now()))
    print(summarize(plan, report))
    print(f"Wrote {out / f'{name}.json'} and {out / f'{name}.ics'}")
    return report.ok


def _demo(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    valid = _write_plan(sample_plan(), out, "plan")
    print()
    print("A working parent (9 to 5, school drop-off) gets the evening track:")
    valid = _write_plan(working_parent_plan(), out, "evening-plan") and valid
    return EXIT_OK if valid else EXIT_INVALID


def _policy(args: argparse.Namespace) -> CompliancePolicy | None:
    """The policy the options give, or None after saying what is wrong."""
    given = {
        f.name: getattr(args, f.name)
        for f in attrs.fields(CompliancePolicy)
        if getattr(args, f.name) is not None
    }
    try:
        return CompliancePolicy(**given)
    except InvalidValueError as error:
        option = error.field.split(".")[-1].replace("_", "-")
        print(f"--{option}: {error.value!r} {error.problem}", file=sys.stderr)
        return None


def _validate(path: Path, output: str, today_text: str | None, policy: CompliancePolicy) -> int:
    today = None if today_text is None else _day("--today", today_text)
    if today_text is not None and today is None:
        return EXIT_UNREADABLE
    try:
        plan = from_json(_read(path))
    except CarePlanError as error:
        if output == "json":
            print(json.dumps({"ok": False, "unreadable": str(error)}))
        else:
            print(f"{path}: cannot read the plan: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    report = validate(plan, today=today, policy=policy)
    if output == "json":
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(f"{path}: {report}")
    return EXIT_OK if report.ok else EXIT_INVALID


def _now() -> datetime.datetime:
    # The command line is the application's edge: the one place that reads the
    # clock, for DTSTAMP. The library itself takes the stamp as an argument.
    return datetime.datetime.now(datetime.timezone.utc)


def _ics(path: Path, out: Path, detail: Detail, reminders: list[int]) -> int:
    try:
        plan = from_json(_read(path))
        data = to_ical(plan, detail=detail, reminders=reminders, stamp=_now())
    except CarePlanError as error:
        print(f"{path}: cannot export the plan: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Wrote {out} ({data.count(b'BEGIN:VEVENT')} events)")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return _demo(args.out)
    if args.command == "ics":
        return _ics(args.file, args.out, args.detail, args.reminder)
    if args.command == "report":
        return _report(args.file, args.week)
    policy = _policy(args)
    if policy is None:
        return EXIT_UNREADABLE
    return _validate(args.file, args.format, args.today, policy)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
