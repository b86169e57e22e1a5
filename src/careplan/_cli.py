"""The ``careplan`` command line: demo, validate, and (later) calendar export.

Exit codes follow the design: 0 success (no errors), 1 the plan has errors,
2 a document could not be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from careplan._document import from_json, to_json
from careplan._errors import CarePlanError
from careplan._summary import summarize
from careplan._validation import validate
from careplan.demo import sample_plan

__all__ = ["main"]

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_UNREADABLE = 2


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
    return parser


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CarePlanError(f"cannot read {path}: {error}") from None


def _demo(out: Path) -> int:
    plan = sample_plan()
    report = validate(plan)
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(to_json(plan) + "\n", encoding="utf-8")
    print(summarize(plan, report))
    print(f"Wrote {out / 'plan.json'}")
    return EXIT_OK if report.ok else EXIT_INVALID


def _validate(path: Path, output: str) -> int:
    try:
        plan = from_json(_read(path))
    except CarePlanError as error:
        if output == "json":
            print(json.dumps({"ok": False, "unreadable": str(error)}))
        else:
            print(f"{path}: cannot read the plan: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    report = validate(plan)
    if output == "json":
        print(json.dumps(report.to_dict(), indent=2))
    else:
        print(f"{path}: {report}")
    return EXIT_OK if report.ok else EXIT_INVALID


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return _demo(args.out)
    return _validate(args.file, args.format)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
