"""The ``careplan`` command line: demo, validate, report, calendar and FHIR export.

Installed as the ``careplan`` console script; :func:`main` runs it in-process
(for tests, or a service that embeds the command). Exit codes follow the
design: 0 success (no errors), 1 the plan has errors, 2 a document or a file
could not be read or written (one line on standard error, never a
traceback). ``-`` is standard input for a document and standard output for
``-o``. See ``docs/reference/cli.md`` and ``docs/reference/limits.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import select
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pendulum

from careplan._adapters.files import MAX_DOCUMENT_BYTES, Refused, read_regular_file, reason
from careplan._adapters.ical import Detail, to_ical
from careplan._adapters.payer_packs import payer_rules_from_json
from careplan._adapters.reports import progress_report, safety_report, week_report
from careplan._adapters.summary import summary
from careplan._model.errors import CarePlanError, DocumentError, InvalidValueError
from careplan._model.limits import EARLIEST_DATE, LATEST_DATE, MAX_PLAN_YEARS, supported
from careplan._model.payer import PayerRules
from careplan._model.payers import BUILTIN_PAYERS
from careplan._model.plan import CarePlan
from careplan._model.policy import CompliancePolicy
from careplan._model.report import Violation
from careplan._model.review import CLINIC_REVIEW, MEDICARE_REVIEW, ReviewPolicy
from careplan._model.time import week_start
from careplan._operations.validation import validate
from careplan._version import __version__
from careplan.demo import sample_plan, working_parent_plan
from careplan.document import from_json, to_json
from careplan.fhir import from_fhir, to_fhir

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2

#: The largest document the command reads unless given ``--max-bytes``.
DEFAULT_MAX_BYTES = MAX_DOCUMENT_BYTES

#: How long, in seconds, the command waits for standard input to end unless
#: given ``--timeout``.
DEFAULT_TIMEOUT = 60.0

_REVIEW_POLICIES: dict[str, ReviewPolicy] = {"clinic": CLINIC_REVIEW, "medicare": MEDICARE_REVIEW}

_POLICY_HELP = {
    "below_minimum_weeks": "weeks in a row below the level's minimum that are flagged",
    "unexcused_absences": "unexcused absences within the window that are flagged",
    "absence_window_weeks": "the window for --unexcused-absences, in weeks",
    "authorization_reminder_days": "days before an authorization ends to warn",
}


class _Failure(Exception):
    """A file or document could not be read or written: one line, exit 2."""

    def __init__(self, message: str, error: CarePlanError | None = None) -> None:
        super().__init__(" ".join(message.split("\n")))
        self.error = error


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


_FHIR_VERSIONS = ("r4", "r5")


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


def _parser() -> argparse.ArgumentParser:
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
        choices=tuple(_REVIEW_POLICIES),
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
        choices=_FHIR_VERSIONS,
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


# --- reading -------------------------------------------------------------------


def _shown(name: str) -> str:
    """A file name fit for a one-line message."""
    return name if name.isprintable() else repr(name)


_reason = reason


def _too_large(name: str, limit: int) -> _Failure:
    return _Failure(
        f"{name}: cannot read it: it is larger than {limit:,} bytes; "
        "raise the limit with --max-bytes"
    )


def _read_file(name: str, limit: int) -> bytes:
    """A regular file's bytes, up to ``limit``; never waits on a pipe or device."""
    try:
        return read_regular_file(name, limit)
    except Refused as refused:
        if refused.too_large:
            raise _too_large(_shown(name), limit) from None
        hint = "; pass its content on standard input with -" if refused.special else ""
        raise _Failure(f"{_shown(name)}: cannot read it: {refused}{hint}") from None


def _read_stdin(limit: int, timeout: float) -> bytes:
    """Standard input's bytes, up to ``limit``, waiting at most ``timeout`` seconds."""
    stream = sys.stdin
    if stream is None:
        raise _Failure("-: cannot read it: there is no standard input")
    try:
        fd: int | None = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    if fd is None:  # an in-memory stream (a test, or a service embedding main)
        source: Any = getattr(stream, "buffer", stream)
        data = source.read(limit + 1)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogatepass")
        if len(data) > limit:
            raise _too_large("-", limit)
        return bytes(data)
    if os.isatty(fd):
        _complain("careplan: reading the plan from standard input; end it with Ctrl-D")
    deadline = time.monotonic() + timeout
    can_wait = True
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            if can_wait:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _Failure(
                        f"-: cannot read it: standard input did not end within {timeout:g} "
                        "seconds; raise the wait with --timeout"
                    )
                try:
                    ready, _, _ = select.select([fd], [], [], remaining)
                except (OSError, ValueError):  # select takes sockets only on Windows
                    can_wait, ready = False, [fd]
                if not ready:
                    continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > limit:
                raise _too_large("-", limit)
            chunks.append(chunk)
    except OSError as error:
        raise _Failure(f"-: cannot read it: {_reason(error)}") from None


def _input(args: argparse.Namespace) -> bytes:
    """The bytes of the file ``args.file`` names (``-``: standard input), within the limits."""
    name = args.file
    return (
        _read_stdin(args.max_bytes, args.timeout)
        if name == "-"
        else _read_file(name, args.max_bytes)
    )


def _load(args: argparse.Namespace) -> CarePlan:
    """The plan of the document ``args.file`` names, within the limits given."""
    data = _input(args)
    try:
        return from_json(data, max_years=args.max_years)
    except CarePlanError as error:
        raise _Failure(f"{_shown(args.file)}: cannot read the plan: {error}", error) from None


# --- writing -------------------------------------------------------------------


def _emit(data: bytes) -> None:
    """Write to standard output, unbuffered, so a failure is seen here and now."""
    stream = sys.stdout
    if stream is None:  # started with standard output closed (>&-)
        raise _Failure("-: cannot write to standard output: it is closed")
    try:
        fd: int | None = stream.fileno()
    except (AttributeError, OSError, ValueError):
        fd = None
    try:
        if fd is None:  # an in-memory stream (a test, or a service embedding main)
            buffer = getattr(stream, "buffer", None)
            if buffer is None:
                stream.write(data.decode("utf-8"))
            else:
                stream.flush()
                buffer.write(data)
            stream.flush()
            return
        stream.flush()
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        raise _Failure(f"-: cannot write to standard output: {_reason(error)}") from None


def _say(text: str) -> None:
    _emit((text + "\n").encode("utf-8"))


def _complain(text: str) -> None:
    """One line on standard error; nothing more can be done when that fails too."""
    if sys.stderr is None:  # started with standard error closed (2>&-)
        return
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr, flush=True)


def _check_target(name: str, force: bool) -> None:
    """Refuse early an output that would be refused at the end."""
    if name == "-":
        return
    path = Path(name)
    try:
        if path.is_dir():
            raise _Failure(f"{_shown(name)}: cannot write it: it is a folder, not a file")
        if not force and (path.exists() or path.is_symlink()):
            raise _Failure(f"{_shown(name)}: exists already; pass --force to replace it")
    except OSError as error:
        raise _Failure(f"{_shown(name)}: cannot write it: {_reason(error)}") from None


def _write(name: str, data: bytes, *, force: bool) -> None:
    """Write ``data`` to the file ``name`` (``-``: standard output).

    A regular file is written whole or not at all: to a temporary file in
    the same folder, then renamed over ``name``. New files are readable by
    their owner only (they hold health information); a replaced file keeps
    its permissions.
    """
    if name == "-":
        _emit(data)
        return
    _check_target(name, force)
    path = Path(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not path.is_file():  # a device such as /dev/null
            _write_into(path, data)
        else:
            _replace(path, data)
    except OSError as error:
        raise _Failure(f"{_shown(name)}: cannot write it: {_reason(error)}") from None


def _write_into(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _replace(path: Path, data: bytes) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        if path.exists():
            os.chmod(temporary, stat.S_IMODE(path.stat().st_mode))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


# --- the commands ----------------------------------------------------------------


def _day(option: str, text: str) -> pendulum.Date:
    """The date an option names."""
    try:
        day = pendulum.Date.fromisoformat(text)
    except ValueError:
        raise _Failure(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None
    if not supported(day):
        raise _Failure(
            f"{option}: {text} is outside the dates careplan works with "
            f"({EARLIEST_DATE} to {LATEST_DATE})"
        )
    return day


def _payer(pack: str) -> PayerRules:
    """A built-in pack by key, or the pack in a careplan-payer/1 file."""
    if pack in BUILTIN_PAYERS:
        return BUILTIN_PAYERS[pack]
    data = _read_file(pack, _MAX_PACK_BYTES)
    try:
        return payer_rules_from_json(data)
    except CarePlanError as error:
        raise _Failure(f"{_shown(pack)}: cannot read the payer rules: {error}", error) from None


_MAX_PACK_BYTES = 1_000_000


def _report(args: argparse.Namespace) -> int:
    if args.billing is not None and args.week is None:
        raise _Failure("careplan report: --billing judges a week; give --week DAY")
    if args.claims and args.billing is None:
        raise _Failure("careplan report: --claims needs a payer pack; give --billing PACK")
    given = None if args.today is None else _day("--today", args.today)
    rules = None if args.billing is None else _payer(args.billing)
    plan = _load(args)
    if args.week is None and not args.progress and not args.safety:
        # The default report: this week's, or the plan's nearest week.
        today = given or _today()
        day = min(max(today, plan.start), plan.end)
        _say(week_report(plan, week_start(day)))
        return EXIT_OK
    if args.week is not None:
        monday = week_start(_day("--week", args.week))
        _say(week_report(plan, monday, rules, given, claims=args.claims))
    if args.progress:
        # The command line is the edge that may read the clock; the library never does.
        _say(progress_report(plan, given or _today()))
    if args.safety:
        _say(safety_report(plan, given or _today()))
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _Failure(f"{_shown(args.out)}: cannot make the folder: {_reason(error)}") from None
    valid = _write_plan(sample_plan(), out, "plan")
    _say("")
    _say("A working parent (9 to 5, school drop-off) gets the evening track:")
    valid = _write_plan(working_parent_plan(), out, "evening-plan") and valid
    return EXIT_OK if valid else EXIT_INVALID


def _write_plan(plan: CarePlan, out: Path, name: str) -> bool:
    """Write ``name``.json and ``name``.ics, print the summary; True when valid."""
    report = validate(plan)
    _write(str(out / f"{name}.json"), (to_json(plan) + "\n").encode("utf-8"), force=True)
    _write(str(out / f"{name}.ics"), to_ical(plan, stamp=_now()), force=True)
    _say(summary(plan, report))
    _say(f"Wrote {out / f'{name}.json'} and {out / f'{name}.ics'}")
    return report.ok


def _policy(args: argparse.Namespace) -> CompliancePolicy:
    """The policy the options give."""
    given = {
        f.name: getattr(args, f.name)
        for f in attrs.fields(CompliancePolicy)
        if getattr(args, f.name) is not None
    }
    try:
        return CompliancePolicy(**given)
    except InvalidValueError as error:
        option = error.field.split(".")[-1].replace("_", "-")
        raise _Failure(f"--{option}: {error.value!r} {error.problem}") from None


def _unreadable(failure: _Failure) -> dict[str, Any]:
    """The JSON ``validate --format json`` prints for a document it cannot read."""
    error = failure.error
    return {
        "ok": False,
        "readable": False,
        "unreadable": str(failure),
        "error": {
            "type": "read" if error is None else type(error).__name__,
            "path": error.path if isinstance(error, DocumentError) else None,
            "problem": error.problem if isinstance(error, DocumentError) else str(failure),
            "message": str(failure),
        },
    }


def _validate(args: argparse.Namespace) -> int:
    policy = _policy(args)
    today = None if args.today is None else _day("--today", args.today)
    try:
        plan = _load(args)
    except _Failure as failure:
        if args.format != "json":
            raise
        _say(json.dumps(_unreadable(failure), indent=2, ensure_ascii=False))
        return EXIT_UNREADABLE
    report = validate(
        plan,
        today=today,
        policy=policy,
        max_years=args.max_years,
        review_policy=_REVIEW_POLICIES[args.review_policy],
    )
    hidden = () if args.safety else tuple(v for v in report.violations if _is_safety(v))
    if args.format == "json":
        data = {"readable": True, **report.to_dict()}
        if hidden:
            data["violations"] = [v.to_dict() for v in report.violations if v not in hidden]
            data["hidden_safety_findings"] = len(hidden)
        _say(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        lines = str(report).splitlines()
        head = [lines[0]] + [f"- {v}" for v in report.violations if v not in hidden]
        if hidden:
            head.append(
                f"- {len(hidden)} suicide-risk safety finding(s) not listed: add --safety, "
                "or run careplan report FILE --safety"
            )
        _say(f"{_shown(args.file)}: " + "\n".join(head))
    return EXIT_OK if report.ok else EXIT_INVALID


def _is_safety(violation: Violation) -> bool:
    # Safety findings name risk levels and positive screens: health information the
    # command prints only when asked, as it never writes it to a calendar or a log.
    return violation.code.startswith("safety.")


def _now() -> datetime.datetime:
    # The command line is the application's edge: the one place that reads the
    # clock, for DTSTAMP. The library itself takes the stamp as an argument.
    return datetime.datetime.now(datetime.timezone.utc)


def _today() -> pendulum.Date:
    """Today's date by the clock: the command line is the edge that may read it."""
    return pendulum.Date.fromisoformat(_now().date().isoformat())


def _exportable(args: argparse.Namespace, plan: CarePlan) -> bool:
    """Say on standard error when the plan has errors; False when ``--strict`` refuses it."""
    report = validate(plan, max_years=args.max_years)
    if report.ok:
        return True
    count = len(report.errors)
    what = f"{_shown(args.file)}: the plan has {count} error(s)"
    if args.strict:
        _complain(f"{what}; nothing written (--strict); careplan validate lists them")
        return False
    _complain(f"{what}; written all the same; careplan validate lists them")
    return True


def _export(
    args: argparse.Namespace, export: Callable[[CarePlan], tuple[bytes, str]], refused: str
) -> int:
    """Load the plan, judge it, and write what ``export`` makes of it to ``--out``.

    ``export`` returns the bytes and what they hold ("12 events"); a
    :class:`CarePlanError` from it fails the command, saying ``refused``.
    """
    _check_target(args.out, args.force)
    plan = _load(args)
    if not _exportable(args, plan):
        return EXIT_INVALID
    try:
        data, holding = export(plan)
    except CarePlanError as error:
        raise _Failure(f"{_shown(args.file)}: {refused}: {error}", error) from None
    _write(args.out, data, force=args.force)
    if args.out != "-":
        _say(f"Wrote {_shown(args.out)} ({holding})")
    return EXIT_OK


def _ics(args: argparse.Namespace) -> int:
    detail: Detail = args.detail

    def export(plan: CarePlan) -> tuple[bytes, str]:
        data = to_ical(plan, detail=detail, reminders=args.reminder, stamp=_now(), name=args.name)
        return data, f"{data.count(b'BEGIN:VEVENT')} events"

    return _export(args, export, "cannot export the plan")


def _fhir(args: argparse.Namespace) -> int:
    def export(plan: CarePlan) -> tuple[bytes, str]:
        bundle = to_fhir(
            plan, version=args.fhir_version, diagnoses=args.diagnoses, safety=args.safety
        )
        data = (json.dumps(bundle, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        return data, f"{len(bundle.get('entry', []))} resources"

    # A CarePlanError here: the plan is over the R4 export's budget.
    return _export(args, export, "cannot export it")


def _import_fhir(args: argparse.Namespace) -> int:
    _check_target(args.out, args.force)
    data = _input(args)
    try:
        bundle = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise _Failure(f"{_shown(args.file)}: cannot read the Bundle: not JSON ({error})") from None
    except RecursionError:
        raise _Failure(
            f"{_shown(args.file)}: cannot read the Bundle: its JSON is nested too deeply"
        ) from None
    try:
        plan = from_fhir(bundle, max_years=args.max_years)
        text = to_json(plan) + "\n"
    except CarePlanError as error:
        raise _Failure(f"{_shown(args.file)}: cannot read the Bundle: {error}", error) from None
    _write(args.out, text.encode("utf-8"), force=args.force)
    if args.out != "-":
        _say(f"Wrote {_shown(args.out)} ({len(plan.episodes)} episode(s))")
    return EXIT_OK


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": _demo,
    "validate": _validate,
    "report": _report,
    "ics": _ics,
    "fhir": _fhir,
    "import-fhir": _import_fhir,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Usage errors, ``--help`` and ``--version`` return the code argparse
    would exit with (2, 0, 0). Any file or document that cannot be read or
    written gives 2 and one line on standard error.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    if _old_fhir_version(words):
        _complain(
            "careplan fhir: --version prints careplan's version; "
            "give the FHIR version with --fhir-version"
        )
        return EXIT_UNREADABLE
    try:
        args = _parser().parse_args(words)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_UNREADABLE
    try:
        return _COMMANDS[args.command](args)
    except _Failure as failure:
        _complain(str(failure))
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        _complain("careplan: interrupted")
        return 130
    except Exception as error:  # anything else: one line, never a traceback
        _complain(_unexpected(args.command, error))
        return EXIT_UNREADABLE


def _old_fhir_version(words: list[str]) -> bool:
    """``fhir --version r4``: the FHIR version's option before it was ``--fhir-version``."""
    if words[:1] != ["fhir"]:
        return False
    pairs = zip(words, [*words[1:], ""], strict=True)
    return any(
        (word == "--version" and after in _FHIR_VERSIONS)
        or word in {f"--version={v}" for v in _FHIR_VERSIONS}
        for word, after in pairs
    )


def _unexpected(command: str, error: Exception) -> str:
    """The one line for an error careplan did not expect; never the error's text.

    The text of an unexpected error may quote the document, which holds
    health information, so only the error's class is named.
    """
    if isinstance(error, RecursionError):
        why = "the document is nested too deeply"
    elif isinstance(error, MemoryError):
        why = "it ran out of memory; the document asks for more work than this machine has"
    else:
        why = f"an unexpected {type(error).__name__}; please report it as a bug"
    return f"careplan {command}: cannot finish: {why}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
