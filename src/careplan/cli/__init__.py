"""The ``careplan`` command line: demo, validate, report, calendar and FHIR export.

Installed as the ``careplan`` console script; :func:`main` runs it in-process
(for tests, or a service that embeds the command). Exit codes follow the
design: 0 success (no errors), 1 the plan has errors, 2 a document or a file
could not be read or written (one line on standard error, never a
traceback). ``-`` is standard input for a document and standard output for
``-o``. See ``docs/reference/cli.md`` and ``docs/reference/limits.md``.

This module holds :func:`main` and the commands; their options are in
``cli/_options.py``, the reading and writing of files and standard streams
in ``cli/_files.py``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pendulum

from careplan._adapters.files import reason
from careplan._adapters.ical import Detail, to_ical
from careplan._adapters.payer_packs import payer_rules_from_json
from careplan._adapters.reports import progress_report, safety_report, week_report
from careplan._adapters.summary import summary
from careplan._model.errors import CarePlanError, DocumentError, InvalidValueError
from careplan._model.limits import EARLIEST_DATE, LATEST_DATE, supported
from careplan._model.payer import PayerRules
from careplan._model.payers import BUILTIN_PAYERS
from careplan._model.plan import CarePlan
from careplan._model.policy import CompliancePolicy
from careplan._model.report import Violation
from careplan._model.time import week_start
from careplan._operations.validation import validate
from careplan.cli._files import (
    Failure,
    check_target,
    complain,
    read_file,
    read_input,
    say,
    shown,
    write,
)
from careplan.cli._options import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    FHIR_VERSIONS,
    REVIEW_POLICIES,
    parser,
)
from careplan.demo import sample_plan, working_parent_plan
from careplan.document import from_json, to_json
from careplan.fhir import from_fhir, to_fhir

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT", "main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2


def _load(args: argparse.Namespace) -> CarePlan:
    """The plan of the document ``args.file`` names, within the limits given."""
    data = read_input(args)
    try:
        return from_json(data, max_years=args.max_years)
    except CarePlanError as error:
        raise Failure(f"{shown(args.file)}: cannot read the plan: {error}", error) from None


# --- the commands ----------------------------------------------------------------


def _day(option: str, text: str) -> pendulum.Date:
    """The date an option names."""
    try:
        day = pendulum.Date.fromisoformat(text)
    except ValueError:
        raise Failure(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None
    if not supported(day):
        raise Failure(
            f"{option}: {text} is outside the dates careplan works with "
            f"({EARLIEST_DATE} to {LATEST_DATE})"
        )
    return day


def _payer(pack: str) -> PayerRules:
    """A built-in pack by key, or the pack in a careplan-payer/1 file."""
    if pack in BUILTIN_PAYERS:
        return BUILTIN_PAYERS[pack]
    data = read_file(pack, _MAX_PACK_BYTES)
    try:
        return payer_rules_from_json(data)
    except CarePlanError as error:
        raise Failure(f"{shown(pack)}: cannot read the payer rules: {error}", error) from None


_MAX_PACK_BYTES = 1_000_000


def _report(args: argparse.Namespace) -> int:
    if args.billing is not None and args.week is None:
        raise Failure("careplan report: --billing judges a week; give --week DAY")
    if args.claims and args.billing is None:
        raise Failure("careplan report: --claims needs a payer pack; give --billing PACK")
    given = None if args.today is None else _day("--today", args.today)
    rules = None if args.billing is None else _payer(args.billing)
    plan = _load(args)
    if args.week is None and not args.progress and not args.safety:
        # The default report: this week's, or the plan's nearest week.
        today = given or _today()
        day = min(max(today, plan.start), plan.end)
        say(week_report(plan, week_start(day)))
        return EXIT_OK
    if args.week is not None:
        monday = week_start(_day("--week", args.week))
        say(week_report(plan, monday, rules, given, claims=args.claims))
    if args.progress:
        # The command line is the edge that may read the clock; the library never does.
        say(progress_report(plan, given or _today()))
    if args.safety:
        say(safety_report(plan, given or _today()))
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise Failure(f"{shown(args.out)}: cannot make the folder: {reason(error)}") from None
    valid = _write_plan(sample_plan(), out, "plan")
    say("")
    say("A working parent (9 to 5, school drop-off) gets the evening track:")
    valid = _write_plan(working_parent_plan(), out, "evening-plan") and valid
    return EXIT_OK if valid else EXIT_INVALID


def _write_plan(plan: CarePlan, out: Path, name: str) -> bool:
    """Write ``name``.json and ``name``.ics, print the summary; True when valid."""
    report = validate(plan)
    write(str(out / f"{name}.json"), (to_json(plan) + "\n").encode("utf-8"), force=True)
    write(str(out / f"{name}.ics"), to_ical(plan, stamp=_now()), force=True)
    say(summary(plan, report))
    say(f"Wrote {out / f'{name}.json'} and {out / f'{name}.ics'}")
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
        raise Failure(f"--{option}: {error.value!r} {error.problem}") from None


def _unreadable(failure: Failure) -> dict[str, Any]:
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
    except Failure as failure:
        if args.format != "json":
            raise
        say(json.dumps(_unreadable(failure), indent=2, ensure_ascii=False))
        return EXIT_UNREADABLE
    report = validate(
        plan,
        today=today,
        policy=policy,
        max_years=args.max_years,
        review_policy=REVIEW_POLICIES[args.review_policy],
    )
    hidden = () if args.safety else tuple(v for v in report.violations if _is_safety(v))
    if args.format == "json":
        data = {"readable": True, **report.to_dict()}
        if hidden:
            data["violations"] = [v.to_dict() for v in report.violations if v not in hidden]
            data["hidden_safety_findings"] = len(hidden)
        say(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        text = report.as_text(omit=hidden)
        if hidden:
            text += (
                f"\n- {len(hidden)} suicide-risk safety finding(s) not listed: add --safety, "
                "or run careplan report FILE --safety"
            )
        say(f"{shown(args.file)}: {text}")
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
    what = f"{shown(args.file)}: the plan has {count} error(s)"
    if args.strict:
        complain(f"{what}; nothing written (--strict); careplan validate lists them")
        return False
    complain(f"{what}; written all the same; careplan validate lists them")
    return True


def _export(
    args: argparse.Namespace, export: Callable[[CarePlan], tuple[bytes, str]], refused: str
) -> int:
    """Load the plan, judge it, and write what ``export`` makes of it to ``--out``.

    ``export`` returns the bytes and what they hold ("12 events"); a
    :class:`CarePlanError` from it fails the command, saying ``refused``.
    """
    check_target(args.out, args.force)
    plan = _load(args)
    if not _exportable(args, plan):
        return EXIT_INVALID
    try:
        data, holding = export(plan)
    except CarePlanError as error:
        raise Failure(f"{shown(args.file)}: {refused}: {error}", error) from None
    write(args.out, data, force=args.force)
    if args.out != "-":
        say(f"Wrote {shown(args.out)} ({holding})")
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
    check_target(args.out, args.force)
    data = read_input(args)
    try:
        bundle = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise Failure(f"{shown(args.file)}: cannot read the Bundle: not JSON ({error})") from None
    except RecursionError:
        raise Failure(
            f"{shown(args.file)}: cannot read the Bundle: its JSON is nested too deeply"
        ) from None
    try:
        plan = from_fhir(bundle, max_years=args.max_years)
        text = to_json(plan) + "\n"
    except CarePlanError as error:
        raise Failure(f"{shown(args.file)}: cannot read the Bundle: {error}", error) from None
    write(args.out, text.encode("utf-8"), force=args.force)
    if args.out != "-":
        say(f"Wrote {shown(args.out)} ({len(plan.episodes)} episode(s))")
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
        complain(
            "careplan fhir: --version prints careplan's version; "
            "give the FHIR version with --fhir-version"
        )
        return EXIT_UNREADABLE
    try:
        args = parser().parse_args(words)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else EXIT_UNREADABLE
    try:
        return _COMMANDS[args.command](args)
    except Failure as failure:
        complain(str(failure))
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        complain("careplan: interrupted")
        return 130
    except Exception as error:  # anything else: one line, never a traceback
        complain(_unexpected(args.command, error))
        return EXIT_UNREADABLE


def _old_fhir_version(words: list[str]) -> bool:
    """``fhir --version r4``: the FHIR version's option before it was ``--fhir-version``."""
    if words[:1] != ["fhir"]:
        return False
    pairs = zip(words, [*words[1:], ""], strict=True)
    return any(
        (word == "--version" and after in FHIR_VERSIONS)
        or word in {f"--version={v}" for v in FHIR_VERSIONS}
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
