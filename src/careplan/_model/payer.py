"""Payer rules as versioned data: which days of care are billable, and how coded.

A :class:`PayerRules` pack says, per level of care, which session kinds are
billable services, how many services (and minutes) a billable day needs,
the payment tiers by services per day, the weekly hours the certification
requires, whether virtual sessions count, the certification cadence and the
codes of a billable day. Packs are values like continua: versioned, with
effective dates, because payers change their rules every year.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any, Literal

import attrs
import pendulum

from careplan._model.checks import (
    choice,
    date,
    identifier,
    number,
    optional_date,
    optional_instance,
    text,
    tuple_converted,
    tuple_of,
    whole,
)
from careplan._model.errors import InvalidValueError
from careplan._model.review import Cadence

__all__ = [
    "BillingCode",
    "CodeSystem",
    "LevelRules",
    "PayerRules",
    "Tier",
    "VirtualRule",
]

#: What a billing code is: a revenue code, an HCPCS code, a claim's
#: condition code.
CodeSystem = Literal["revenue", "hcpcs", "condition"]
#: Whether sessions attended virtually count as services: ``"counts"`` or
#: ``"excluded"``.
VirtualRule = Literal["counts", "excluded"]
#: Which plans a code applies to: all, only substance-use-disorder treatment,
#: or only other (mental health) treatment.
CodeScope = Literal["all", "substance_use", "mental_health"]

_CODE = re.compile(r"[A-Za-z0-9]{1,10}")


_MOST = 100_000  # more services, minutes or days than any payer counts


def _level_codes(value: object) -> tuple[str, ...]:
    return tuple_converted("LevelRules.levels", value, identifier, "level codes")


def _kind_codes(value: object) -> tuple[str, ...]:
    return tuple_converted("LevelRules.billable_kinds", value, identifier, "session kind codes")


def _tier_codes(value: object) -> tuple[BillingCode, ...]:
    return tuple_of("Tier.codes", value, BillingCode)


def _rule_codes(value: object) -> tuple[BillingCode, ...]:
    return tuple_of("LevelRules.codes", value, BillingCode)


def _whole_at_least(least: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator: a whole number from ``least``, naming the field."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None or attribute.default is not None:
            whole(f"{type(instance).__name__}.{attribute.name}", value, least, _MOST)

    return check


def _label(value: object) -> str:
    return text("BillingCode.label", value)


@attrs.frozen
class BillingCode:
    """One code a billable day carries on a claim.

    Attributes:
        system: ``"revenue"``, ``"hcpcs"`` or ``"condition"``.
        code: The code ("0905", "S9480", "92").
        label: What it means, in words.
        scope: The plans it applies to: ``"all"``, ``"substance_use"`` or
            ``"mental_health"`` (e.g. revenue code 0906 is chemical
            dependency intensive outpatient, 0905 psychiatric).
    """

    system: CodeSystem
    code: str
    label: str = attrs.field(default="", converter=_label)
    scope: CodeScope = "all"

    def __attrs_post_init__(self) -> None:
        choice("BillingCode.system", self.system, CodeSystem, "a code system")
        choice("BillingCode.scope", self.scope, CodeScope, "a code scope")
        if not isinstance(self.code, str) or not _CODE.fullmatch(self.code):
            raise InvalidValueError(
                "BillingCode.code", self.code, "is not a billing code", "use 1-10 letters or digits"
            )

    def applies(self, substance_use: bool) -> bool:
        """True when the code applies to a plan that is (or is not) substance-use treatment."""
        if self.scope == "all":
            return True
        return (self.scope == "substance_use") == substance_use


def _tier_name(value: object) -> str:
    return text("Tier.name", value, blank=False)


@attrs.frozen
class Tier:
    """A payment tier: the days with this many billable services.

    Attributes:
        name: The tier's name ("3 services").
        min_services: Fewest services a day in the tier has.
        max_services: Most, or ``None`` for no upper bound.
        codes: Codes that days in this tier carry, besides the level's.
    """

    name: str = attrs.field(converter=_tier_name)
    min_services: int = attrs.field(validator=_whole_at_least(1))
    max_services: int | None = attrs.field(default=None, validator=_whole_at_least(1))
    codes: tuple[BillingCode, ...] = attrs.field(default=(), converter=_tier_codes)

    def __attrs_post_init__(self) -> None:
        if self.max_services is not None and self.max_services < self.min_services:
            raise InvalidValueError(
                "Tier.max_services", self.max_services, "is below min_services", "swap them"
            )

    def holds(self, services: int) -> bool:
        """True when a day with ``services`` billable services is in this tier."""
        return self.min_services <= services and (
            self.max_services is None or services <= self.max_services
        )


def _tiers(value: object) -> tuple[Tier, ...]:
    return tuple_of("LevelRules.tiers", value, Tier)


def _cadence(value: object) -> Cadence | None:
    return optional_instance(
        "LevelRules.recertification", value, Cadence, "use careplan.Cadence(...)"
    )


@attrs.frozen
class LevelRules:
    """What a payer asks of a billable day at some levels of care.

    Attributes:
        levels: The level codes these rules apply to ("IOP", or ASAM "2.1").
        billable_kinds: Session kind codes that are billable services (a
            check-in is not).
        min_services: Fewest billable services a billable day has.
        min_minutes: Fewest minutes of billable services a billable day has
            (0: no minimum).
        min_days_per_week: Fewest billable days a week the program must
            reach (a program definition, such as H0015's three days), or
            ``None``.
        min_hours_per_week: The weekly hours the certification requires,
            or ``None``.
        virtual: ``"counts"`` or ``"excluded"``: whether sessions attended
            virtually are services.
        tiers: Payment tiers by services per day, if the payer has them.
        codes: Codes every billable day carries (revenue, HCPCS, condition).
        recertification: How often a physician recertifies the need (a
            :class:`careplan.Cadence`: Medicare PHP by the 18th day, then
            every 30 days), or ``None`` when the payer asks none.
    """

    levels: tuple[str, ...] = attrs.field(converter=_level_codes)
    billable_kinds: tuple[str, ...] = attrs.field(converter=_kind_codes)
    min_services: int = attrs.field(default=1, validator=_whole_at_least(1))
    min_minutes: int = attrs.field(default=0, validator=_whole_at_least(0))
    min_days_per_week: int | None = attrs.field(default=None, validator=_whole_at_least(1))
    min_hours_per_week: float | None = None
    virtual: VirtualRule = "counts"
    tiers: tuple[Tier, ...] = attrs.field(default=(), converter=_tiers)
    codes: tuple[BillingCode, ...] = attrs.field(default=(), converter=_rule_codes)
    recertification: Cadence | None = attrs.field(default=None, converter=_cadence)

    def __attrs_post_init__(self) -> None:
        choice("LevelRules.virtual", self.virtual, VirtualRule, "a virtual-session rule")
        hours = self.min_hours_per_week
        if hours is not None:
            number("LevelRules.min_hours_per_week", hours, 0, 168, "hours in a week")

    def tier(self, services: int) -> Tier | None:
        """The payment tier of a day with ``services`` billable services, if any."""
        return next((tier for tier in self.tiers if tier.holds(services)), None)


def _to_from(value: object) -> pendulum.Date:
    return date("PayerRules.effective_from", value)


def _to_optional_date(value: object) -> pendulum.Date | None:
    return optional_date("PayerRules.effective_to", value)


def _level_rules(value: object) -> tuple[LevelRules, ...]:
    found = tuple_of("PayerRules.levels", value, LevelRules)
    seen: set[str] = set()
    for index, rules in enumerate(found):
        for code in rules.levels:
            if code in seen:
                raise InvalidValueError(
                    f"PayerRules.levels[{index}].levels",
                    code,
                    "has rules twice",
                    "give each level code one LevelRules",
                )
            seen.add(code)
    return found


def _pack_name(value: object) -> str:
    return text("PayerRules.name", value, blank=False)


def _pack_version(value: object) -> str:
    return text("PayerRules.version", value, blank=False)


def _pack_source(value: object) -> str:
    return text("PayerRules.source", value, multiline=True)


@attrs.frozen
class PayerRules:
    """A payer's billing rules for levels of care, as versioned data.

    Attributes:
        name: The payer or pack ("Medicare").
        version: The rules' version ("CY2024").
        effective_from: First day the rules apply.
        effective_to: Last day they apply, or ``None`` while in force.
        levels: The rules per level of care.
        source: Where the numbers come from.
    """

    name: str = attrs.field(converter=_pack_name)
    version: str = attrs.field(converter=_pack_version)
    effective_from: pendulum.Date = attrs.field(converter=_to_from)
    effective_to: pendulum.Date | None = attrs.field(default=None, converter=_to_optional_date)
    levels: tuple[LevelRules, ...] = attrs.field(default=(), converter=_level_rules)
    source: str = attrs.field(default="", converter=_pack_source)

    def __attrs_post_init__(self) -> None:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise InvalidValueError(
                "PayerRules.effective_to", self.effective_to.isoformat(), "is before effective_from"
            )

    def for_level(self, code: str) -> LevelRules | None:
        """The rules for the level ``code``, or ``None`` when the payer does not pay it."""
        return next((rules for rules in self.levels if code in rules.levels), None)

    def in_force(self, day: _dt.date) -> bool:
        """True when the rules apply on ``day``."""
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )
