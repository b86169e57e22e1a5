"""What validation finds: violations, and the report that collects them."""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import attrs
import pendulum

from careplan._model.checks import choice, identifier, text, tuple_converted, tuple_of
from careplan._model.errors import CarePlanError
from careplan._model.levels import Severity
from careplan._model.time import require_date

__all__ = ["Report", "Severity", "ValidationError", "Violation"]


def _session_ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple_converted("Violation.session_ids", value, identifier, "session ids")


def _dates(value: Iterable[_dt.date]) -> tuple[pendulum.Date, ...]:
    # Any date: a violation may be about a date outside careplan's window.
    # What the rules pass: a list of pendulum dates, one per week or day.
    if type(value) in (list, tuple) and all(type(day) is pendulum.Date for day in value):
        return tuple(value)  # type: ignore[arg-type]  # each checked just above
    return tuple_converted("Violation.dates", value, require_date, "dates")


@attrs.frozen
class Violation:
    """One thing wrong with a plan.

    Attributes:
        code: Stable identifier of the rule broken (``"intensity.hours_per_week"``);
            the codes are listed in the documentation.
        severity: ``"error"`` or ``"warning"``.
        message: What is wrong and what to change, for a clinician.
        session_ids: The sessions involved, if any.
        dates: The days (or the Mondays of the weeks) involved, if any.
    """

    code: str
    severity: Severity
    message: str
    session_ids: tuple[str, ...] = attrs.field(default=(), converter=_session_ids)
    dates: tuple[pendulum.Date, ...] = attrs.field(default=(), converter=_dates)

    def __attrs_post_init__(self) -> None:
        identifier("Violation.code", self.code)
        choice("Violation.severity", self.severity, Severity, "a severity")
        text("Violation.message", self.message, multiline=True)

    @property
    def session_id(self) -> str | None:
        """The first session involved, or ``None``."""
        return self.session_ids[0] if self.session_ids else None

    @property
    def date(self) -> pendulum.Date | None:
        """The first day involved, or ``None``."""
        return self.dates[0] if self.dates else None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "session_ids": list(self.session_ids),
            "dates": [d.isoformat() for d in self.dates],
        }

    def __str__(self) -> str:
        return f"{self.severity}: [{self.code}] {self.message}"


def _errors_first(items: Iterable[Violation]) -> tuple[Violation, ...]:
    found = tuple_of("Report.violations", items, Violation)
    return tuple(sorted(found, key=lambda v: 0 if v.severity == "error" else 1))


@attrs.frozen
class Report:
    """Everything validation found in a plan.

    Attributes:
        violations: Errors first, then warnings, each group in the order the
            rules found them.

    >>> from careplan import validate
    >>> from careplan.demo import sample_plan
    >>> report = validate(sample_plan())
    >>> report.ok, len(report.errors)
    (True, 0)
    """

    violations: tuple[Violation, ...] = attrs.field(default=(), converter=_errors_first)

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The violations of severity ``"error"``."""
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The violations of severity ``"warning"``."""
        return tuple(v for v in self.violations if v.severity == "warning")

    @property
    def codes(self) -> frozenset[str]:
        """The distinct codes found."""
        return frozenset(v.code for v in self.violations)

    def raise_for_errors(self) -> None:
        """Raise :class:`~careplan.ValidationError` when there are errors."""
        if self.errors:
            raise ValidationError(self.errors)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: ``ok``, counts and the violations."""
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "violations": [v.to_dict() for v in self.violations],
        }

    def as_text(self, *, omit: Collection[Violation] = ()) -> str:
        """The report as text: a line of counts, then a line for each violation not in ``omit``.

        The counts are of every violation, listed or not, so a reader can
        tell that some were left out (the command line leaves out
        suicide-risk findings unless asked for them).

        >>> from careplan import Violation
        >>> report = Report([Violation("a.b", "warning", "first"),
        ...                  Violation("c.d", "error", "second")])
        >>> print(report.as_text(omit=report.warnings))
        invalid: 1 error(s), 1 warning(s)
        - error: [c.d] second
        """
        if not self.violations:
            return "valid: no errors, no warnings"
        head = "valid" if self.ok else "invalid"
        lines = [f"{head}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"]
        lines += [f"- {violation}" for violation in self.violations if violation not in omit]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(v.severity)}</td><td><code>{html.escape(v.code)}</code></td>"
            f"<td>{html.escape(v.message)}</td></tr>"
            for v in self.violations
        )
        summary = html.escape(str(self).splitlines()[0])
        return f"<div><p><strong>{summary}</strong></p><table>{rows}</table></div>"


class ValidationError(CarePlanError):
    """A plan has violations of severity error.

    Raised by :meth:`careplan.Report.raise_for_errors`. Each item of
    :attr:`violations` says what to change in the plan.

    Attributes:
        violations: The errors found.
    """

    def __init__(self, violations: Sequence[Violation]) -> None:
        self.violations = tuple(violations)
        lines = [f"the plan has {len(self.violations)} error(s):"]
        lines += [f"- [{v.code}] {v.message}" for v in self.violations]
        super().__init__("\n".join(lines))
