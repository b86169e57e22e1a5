"""The ``careplan`` command's options: its subcommands, their flags and defaults."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import attrs

from careplan._adapters.files import MAX_DOCUMENT_BYTES
from careplan._model.limits import MAX_PLAN_YEARS
from careplan._model.payers import BUILTIN_PAYERS
from careplan._model.policy import CompliancePolicy
from careplan._model.review import CLINIC_REVIEW, MEDICARE_REVIEW, ReviewPolicy
from careplan._version import __version__

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "FHIR_VERSIONS", "REVIEW_POLICIES", "parser"]

#: The largest document the command reads unless given ``--max-bytes``.
DEFAULT_MAX_BYTES = MAX_DOCUMENT_BYTES

#: How long, in seconds, the command waits for standard input to end unless
#: given ``--timeout``.
DEFAULT_TIMEOUT = 60.0

REVIEW_POLICIES: dict[str, ReviewPolicy] = {"clinic": CLINIC_REVIEW, "medicare": MEDICARE_REVIEW}

_POLICY_HELP = {
    "below_minimum_weeks": "weeks in a row below the level's minimum that are flagged",
    "unexcused_absences": "unexcused absences within the window that are flagged",
    "absence_window_weeks": "the window for --unexcused-absences, in weeks",
    "authorization_reminder_days": "days before an authorization ends to warn",
}


def _whole(least: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is less than {least}")
        return value

    return parse


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < 1e9:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


FHIR_VERSIONS = ("r4", "r5")


def _reading(what: str) -> argparse.ArgumentParser:
    """The options of every command that reads a document; ``what`` names the document."""
    reading = argparse.ArgumentParser(add_help=False)
    reading.add_argument("file", help=f"{what}, or - for standard input")
    limits: tuple[tuple[str, Callable[[str], object], object, str, str], ...] = (
        (
            "--max-bytes",
            _whole(1),
            DEFAULT_MAX_BYTES,
            "N",
            f"refuse a document larger than this (default {DEFAULT_MAX_BYTES:,} bytes)",
        ),
        (
            "--timeout",
            _seconds,
            DEFAULT_TIMEOUT,
            "SECONDS",
            f"give up when standard input has not ended after this long "
            f"(default {DEFAULT_TIMEOUT:g})",
        ),
        (
            "--max-years",
            _whole(1),
            MAX_PLAN_YEARS,
            "N",
            f"refuse a plan lasting N years or more (default {MAX_PLAN_YEARS})",
        ),
    )
    for flag, parse, default, metavar, explained in limits:
        reading.add_argument(flag, type=parse, default=default, metavar=metavar, help=explained)
    return reading


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careplan", description="Plan behavioral-health care that fits a person's week."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    reading = _reading("a careplan/1 JSON document")
    writing = argparse.ArgumentParser(add_help=False)
    writing.add_argument(
        "-o", "--out", required=True, help="the file to write, or - for standard output"
    )
    writing.add_argument("--force", action="store_true", help="replace OUT if it exists")
    exporting = argparse.ArgumentParser(add_help=False)
    exporting.add_argument(
        "--strict",
        action="store_true",
        help="when the plan has errors, write nothing and exit 1 (without it, the errors are "
        "counted on standard error and the file is written)",
    )

    demo = commands.add_parser("demo", help="write sample plans and print their summaries")
    demo.add_argument(
        "--out",
        required=True,
        help="folder to write plan.json, plan.ics, evening-plan.json and evening-plan.ics "
        "to (created if missing; those four files are replaced)",
    )
    check = commands.add_parser(
        "validate", parents=[reading], help="check a plan document against its level"
    )
    check.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people, json for services (default text)",
    )
    check.add_argument(
        "--today",
        help="judge attendance and authorizations as of this day, YYYY-MM-DD "
        "(without it, only the rules that need no date run)",
    )
    check.add_argument(
        "--safety",
        action="store_true",
        help="list the suicide-risk safety findings (with --today); without it they are "
        "counted but not listed, as they are health information",
    )
    check.add_argument(
        "--review-policy",
        choices=tuple(REVIEW_POLICIES),
        default="clinic",
        help="the cadence of reviews, recertification and measures, and who signs before "
        "services: clinic (careplan's default) or medicare (PHP and IOP certification)",
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
    calendar = commands.add_parser(
        "ics",
        parents=[reading, writing, exporting],
        help="write a plan document as an iCalendar file",
    )
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
    calendar.add_argument(
        "--name",
        help="the calendar's name, shown as given (default: Care plan; "
        "with --detail full, the client's name after it)",
    )
    fhir = commands.add_parser(
        "fhir", parents=[reading, writing, exporting], help="write a plan document as a FHIR Bundle"
    )
    fhir.add_argument(
        "--fhir-version",
        choices=FHIR_VERSIONS,
        default="r5",
        help="FHIR R5, or R4 with US Core (default r5)",
    )
    fhir.add_argument(
        "--diagnoses",
        action="store_true",
        help="include the diagnosis codes (left out by default)",
    )
    fhir.add_argument(
        "--safety",
        action="store_true",
        help="include the suicide-risk screens (item answers), risk assessments and "
        "safety plans, with their notes and entries (left out by default)",
    )
    commands.add_parser(
        "import-fhir",
        parents=[_reading("a FHIR Bundle in JSON (R4 or R5, as careplan fhir writes it)"), writing],
        help="read a FHIR R4 or R5 Bundle (as careplan fhir writes it) into a plan document",
    )
    report = commands.add_parser(
        "report",
        parents=[reading],
        help="scheduled versus delivered care for a week, and progress toward objectives",
        description="Without --week or --progress, the report of the week containing today "
        "(--today, or the clock's date), or of the plan's first or last week when today is "
        "outside the plan.",
    )
    report.add_argument("--week", help="any day of the week, YYYY-MM-DD (weeks start on Monday)")
    report.add_argument(
        "--progress",
        action="store_true",
        help="print the plan of care's objectives, their measures and whether targets are met "
        "(clinical detail: shown only when asked for)",
    )
    report.add_argument(
        "--safety",
        action="store_true",
        help="print the suicide-risk findings and the current risk level, with dates and "
        "instruments only (clinical detail: shown only when asked for)",
    )
    report.add_argument(
        "--billing",
        metavar="PACK",
        help="also judge each day against a payer rule pack: "
        f"{', '.join(BUILTIN_PAYERS)}, or a careplan-payer/1 JSON file",
    )
    report.add_argument(
        "--claims",
        action="store_true",
        help="with --billing: also print the week's claim lines (revenue and HCPCS codes, "
        "modifiers, units), as data to check, not EDI",
    )
    report.add_argument(
        "--today",
        help="judge as of this day, YYYY-MM-DD (default: the week's Sunday for --week, "
        "whose later days are then judged as scheduled, a forecast; today's date for "
        "--progress)",
    )
    # --version on the command and on each subcommand: careplan's version everywhere.
    for command in (parser, *commands.choices.values()):
        command.add_argument(
            "--version",
            action="version",
            version=f"careplan {__version__}",
            help="print careplan's version and exit",
        )
    return parser
