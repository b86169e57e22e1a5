"""Validation: reports, violations, and the registry of rules.

``validate`` runs every selected rule and collects what they find; it never
stops at the first problem and never raises on a plan (a draft is allowed to
be wrong). The rules themselves live in ``_rules.py``.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pendulum

from careplan._errors import InvalidValueError, ValidationError
from careplan._policy import CompliancePolicy
from careplan._time import require_date, to_tuple

if TYPE_CHECKING:
    from careplan._occurrences import Occurrence
    from careplan._plan import CarePlan
    from careplan._week import WeekFigures

__all__ = ["Report", "Rule", "RuleContext", "Severity", "Violation", "validate"]

#: How serious a violation is: ``"error"`` makes the plan invalid,
#: ``"warning"`` asks a clinician to look.
Severity = Literal["error", "warning"]


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
    session_ids: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    dates: tuple[pendulum.Date, ...] = attrs.field(default=(), converter=to_tuple)

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
    return tuple(sorted(items, key=lambda v: 0 if v.severity == "error" else 1))


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

    def __str__(self) -> str:
        if not self.violations:
            return "valid: no errors, no warnings"
        head = "valid" if self.ok else "invalid"
        lines = [f"{head}: {len(self.errors)} error(s), {len(self.warnings)} warning(s)"]
        lines += [f"- {violation}" for violation in self.violations]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(v.severity)}</td><td><code>{html.escape(v.code)}</code></td>"
            f"<td>{html.escape(v.message)}</td></tr>"
            for v in self.violations
        )
        summary = html.escape(str(self).splitlines()[0])
        return f"<div><p><strong>{summary}</strong></p><table>{rows}</table></div>"


@attrs.frozen
class RuleContext:
    """What a rule is given: the plan and figures computed once for all rules.

    Attributes:
        plan: The plan under validation.
        today: The day validation is run for, when the caller gave one.
        weeks: Figures for each week of the plan (see :class:`WeekFigures`).
        occurrences: Every occurrence of the plan, including sessions moved
            outside the weeks of their episode.
        policy: The thresholds for attendance and authorization rules.
    """

    plan: CarePlan
    today: pendulum.Date | None
    weeks: tuple[WeekFigures, ...]
    occurrences: tuple[Occurrence, ...] = ()
    policy: CompliancePolicy = attrs.field(factory=CompliancePolicy)


_DEFAULT_POLICY = CompliancePolicy()

#: A rule: takes the context, yields what it finds.
Rule = Callable[[RuleContext], Iterable[Violation]]


def _registry() -> Mapping[str, Rule]:
    from careplan import _rules

    return MappingProxyType(
        {
            "dates": _rules.check_dates,
            "intensity": _rules.check_intensity,
            "required": _rules.check_required_components,
            "overlap": _rules.check_overlaps,
            "level_fit": _rules.check_level_fit,
            "transitions": _rules.check_transitions,
            "modality": _rules.check_modality,
            "attendance": _rules.check_attendance,
            "authorizations": _rules.check_authorizations,
        }
    )


def rules() -> Mapping[str, Rule]:
    """The built-in rules by name, in the order :func:`validate` runs them.

    >>> list(rules())[:4]
    ['dates', 'intensity', 'required', 'overlap']
    >>> list(rules())[4:]
    ['level_fit', 'transitions', 'modality', 'attendance', 'authorizations']
    """
    return _registry()


def validate(
    plan: CarePlan,
    *,
    today: _dt.date | None = None,
    rules: Sequence[str | Rule] | None = None,
    extra_rules: Sequence[Rule] = (),
    policy: CompliancePolicy = _DEFAULT_POLICY,
) -> Report:
    """Check ``plan`` against its level of care and collect every violation.

    Args:
        plan: The plan to check.
        today: The day to judge from (rules about the past use it); never
            read from the clock.
        rules: Which rules to run, by name (see :func:`careplan.rules`) or
            as functions; default all built-in rules.
        extra_rules: Your own rules, run after ``rules``.
        policy: When attendance and authorizations are flagged (absences,
            weeks below the minimum, reminder days); see
            :class:`careplan.CompliancePolicy`.

    Returns:
        The :class:`Report`; it never raises for a bad plan.

    Raises:
        InvalidValueError: A rule name is unknown.
    """
    from careplan._week import week_figures

    registry = _registry()
    chosen: list[Rule] = []
    for rule in rules if rules is not None else list(registry):
        if isinstance(rule, str):
            if rule not in registry:
                raise InvalidValueError(
                    "rules", rule, "is not a rule", f"use one of: {', '.join(registry)}"
                )
            chosen.append(registry[rule])
        else:
            chosen.append(rule)
    chosen += extra_rules
    found_occurrences = plan.occurrences()
    context = RuleContext(
        plan,
        None if today is None else require_date("today", today),
        week_figures(plan, found_occurrences),
        found_occurrences,
        policy,
    )
    found: list[Violation] = []
    for rule in chosen:
        found.extend(rule(context))
    return Report(found)
