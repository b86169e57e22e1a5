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
from typing import Literal

import attrs
import pendulum

from careplan._model.checks import (
    Form,
    choice,
    date,
    identifier,
    matching,
    number,
    optional_date,
    optional_instance,
    optional_matching,
    optional_whole,
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
    "CodeUnit",
    "LevelRules",
    "PayerRules",
    "Rounding",
    "ServiceCode",
    "Tier",
    "VirtualRule",
    "default_role",
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
#: How a service line's units are counted: one a session, or one per so many
#: minutes delivered.
CodeUnit = Literal["session", "minutes"]
#: How minutes become units: ``"midpoint"`` counts a unit once more than half
#: of it is delivered (CPT's time rule; for 15-minute units, Medicare's
#: "8-minute rule"); ``"whole"`` counts only whole units.
Rounding = Literal["midpoint", "whole"]

#: The role a session of a kind is rendered by, when nothing says otherwise.
_DEFAULT_ROLES = {"psychiatric": "psychiatrist"}


def default_role(kind: str) -> str:
    """The rendering role of a session of ``kind`` (a kind code) when nothing says otherwise.

    A psychiatric / medication management session is a psychiatrist's; every
    other kind a therapist's. A session's own role comes first (see
    :func:`careplan.rendering_role`).

    >>> default_role("psychiatric"), default_role("group_therapy")
    ('psychiatrist', 'therapist')
    """
    return _DEFAULT_ROLES.get(kind, "therapist")


_CODE = Form(re.compile(r"[A-Za-z0-9]{1,10}"), "a billing code", "use 1-10 letters or digits")


_MOST = 100_000  # more services, minutes or days than any payer counts


def _level_codes(value: object) -> tuple[str, ...]:
    return tuple_converted("LevelRules.levels", value, identifier, "level codes")


def _kind_codes(value: object) -> tuple[str, ...]:
    return tuple_converted("LevelRules.billable_kinds", value, identifier, "session kind codes")


def _tier_codes(value: object) -> tuple[BillingCode, ...]:
    return tuple_of("Tier.codes", value, BillingCode)


def _rule_codes(value: object) -> tuple[BillingCode, ...]:
    return tuple_of("LevelRules.codes", value, BillingCode)


def _bounds(field: str, least: int, most: int | None, least_name: str) -> None:
    """Refuse an upper bound (``field``, ``None`` for none) below its lower bound."""
    if most is not None and most < least:
        raise InvalidValueError(field, most, f"is below {least_name}", "swap them")


def _within(count: int, least: int, most: int | None) -> bool:
    """True when ``count`` is from ``least`` to ``most`` (``None``: no upper bound)."""
    return least <= count and (most is None or count <= most)


@attrs.frozen
class BillingCode:
    """One code a billable day carries on a claim.

    Attributes:
        system: ``"revenue"``, ``"hcpcs"`` or ``"condition"``.
        code: The code ("0905", "S9480", "92").
        label: What it means, in words.
        scope: The plans it applies to: ``"all"``, ``"substance_use"`` or
            ``"mental_health"`` (e.g. revenue code 0906 is chemical
            dependency intensive outpatient, 0905 psychiatric; see
            :func:`careplan.substance_use`).
        min_minutes: Fewest minutes of qualifying services a day coded with
            it has (H0015: 3 hours, 180), 0 for none.
        min_days_per_week: Fewest days a week the program must be scheduled
            for a day to carry the code (H0015: 3), or ``None``.
        source: Where the code and its conditions come from.
    """

    system: CodeSystem
    code: str
    label: str = ""
    scope: CodeScope = "all"
    min_minutes: int = 0
    min_days_per_week: int | None = None
    source: str = ""

    def __attrs_post_init__(self) -> None:
        text("BillingCode.label", self.label)
        whole("BillingCode.min_minutes", self.min_minutes, 0, _MOST)
        optional_whole("BillingCode.min_days_per_week", self.min_days_per_week, 1, 7)
        text("BillingCode.source", self.source)
        choice("BillingCode.system", self.system, CodeSystem, "a code system")
        choice("BillingCode.scope", self.scope, CodeScope, "a code scope")
        matching("BillingCode.code", self.code, _CODE)

    def applies(self, substance_use: bool) -> bool:
        """True when the code applies to a plan that is (or is not) substance-use treatment."""
        if self.scope == "all":
            return True
        return (self.scope == "substance_use") == substance_use


def _service_kinds(value: object) -> tuple[str, ...]:
    return tuple_converted("ServiceCode.kinds", value, identifier, "session kind codes")


def _modifiers(value: object) -> tuple[str, ...]:
    return tuple_converted("ServiceCode.modifiers", value, _modifier, "modifiers")


def _modifier(field: str, value: object) -> str:
    if not isinstance(value, str) or not _MODIFIER.fullmatch(value):
        raise InvalidValueError(field, value, "is not a modifier", "use two letters or digits")
    return value


_MODIFIER = re.compile(r"[A-Za-z0-9]{2}")


@attrs.frozen
class ServiceCode:
    """How sessions of some kinds are coded on their own service lines, and in what units.

    A code may ask for a length: CPT's psychotherapy codes are chosen by the
    minutes delivered (90832: 16-37, 90834: 38-52, 90837: 53 or more), and
    a G code "per session (45 minutes or more)" needs 45. Give one
    :class:`ServiceCode` per code; the line takes the first that fits.

    Attributes:
        kinds: The session kind codes it codes.
        revenue: The revenue code of the line ("0915"), or ``None``.
        hcpcs: The HCPCS/CPT code of the line ("G0410"), or ``None``.
        label: What it is, in words.
        unit: ``"session"`` (a unit a session) or ``"minutes"`` (a unit
            per :attr:`unit_minutes`).
        unit_minutes: Minutes in a unit, for ``"minutes"``.
        rounding: ``"midpoint"`` or ``"whole"`` (see :data:`Rounding`).
        min_minutes: Fewest delivered minutes the code takes (0: any).
        max_minutes: Most, or ``None``.
        modifiers: Modifiers every line with the code carries.
        scope: ``"all"``, ``"substance_use"`` or ``"mental_health"``, as for
            :class:`BillingCode`.
        source: Where the code, its length and its units come from.

    >>> group = ServiceCode(["group_therapy"], "0915", "G0410", unit="minutes",
    ...                     unit_minutes=45, rounding="whole")
    >>> group.units(90), group.units(44)
    (2, 0)
    >>> ServiceCode(["x"], hcpcs="97110", unit="minutes", unit_minutes=15).units(38)
    3
    """

    kinds: tuple[str, ...] = attrs.field(converter=_service_kinds)
    revenue: str | None = None
    hcpcs: str | None = None
    label: str = ""
    unit: CodeUnit = "session"
    unit_minutes: int | None = None
    rounding: Rounding = "midpoint"
    min_minutes: int = 0
    max_minutes: int | None = None
    modifiers: tuple[str, ...] = attrs.field(default=(), converter=_modifiers)
    scope: CodeScope = "all"
    source: str = ""

    def __attrs_post_init__(self) -> None:
        optional_matching("ServiceCode.revenue", self.revenue, _CODE)
        optional_matching("ServiceCode.hcpcs", self.hcpcs, _CODE)
        text("ServiceCode.label", self.label)
        choice("ServiceCode.unit", self.unit, CodeUnit, "a unit")
        optional_whole("ServiceCode.unit_minutes", self.unit_minutes, 1, _MOST)
        choice("ServiceCode.rounding", self.rounding, Rounding, "a rounding rule")
        whole("ServiceCode.min_minutes", self.min_minutes, 0, _MOST)
        optional_whole("ServiceCode.max_minutes", self.max_minutes, 1, _MOST)
        choice("ServiceCode.scope", self.scope, CodeScope, "a code scope")
        text("ServiceCode.source", self.source)
        if (self.unit == "minutes") != (self.unit_minutes is not None):
            raise InvalidValueError(
                "ServiceCode.unit_minutes",
                self.unit_minutes,
                f"does not go with unit {self.unit!r}",
                'give unit_minutes exactly when the unit is "minutes"',
            )
        _bounds("ServiceCode.max_minutes", self.min_minutes, self.max_minutes, "min_minutes")

    def fits(self, minutes: int) -> bool:
        """True when ``minutes`` delivered are within the code's length."""
        return _within(minutes, self.min_minutes, self.max_minutes)

    def units(self, minutes: int) -> int:
        """The units ``minutes`` delivered bill under the code (0: it cannot bill them)."""
        if minutes <= 0 or not self.fits(minutes):
            return 0
        if self.unit_minutes is None:
            return 1
        whole, rest = divmod(minutes, self.unit_minutes)
        return whole + (self.rounding == "midpoint" and 2 * rest > self.unit_minutes)

    def applies(self, substance_use: bool) -> bool:
        """True when the code applies to a plan that is (or is not) substance-use treatment."""
        return self.scope == "all" or (self.scope == "substance_use") == substance_use


@attrs.frozen
class Tier:
    """A payment tier: the days with this many billable services.

    Attributes:
        name: The tier's name ("3 services").
        min_services: Fewest services a day in the tier has.
        max_services: Most, or ``None`` for no upper bound.
        codes: Codes that days in this tier carry, besides the level's.
    """

    name: str
    min_services: int
    max_services: int | None = None
    codes: tuple[BillingCode, ...] = attrs.field(default=(), converter=_tier_codes)

    def __attrs_post_init__(self) -> None:
        text("Tier.name", self.name, blank=False)
        whole("Tier.min_services", self.min_services, 1, _MOST)
        optional_whole("Tier.max_services", self.max_services, 1, _MOST)
        _bounds("Tier.max_services", self.min_services, self.max_services, "min_services")

    def holds(self, services: int) -> bool:
        """True when a day with ``services`` billable services is in this tier."""
        return _within(services, self.min_services, self.max_services)


def _tiers(value: object) -> tuple[Tier, ...]:
    return tuple_of("LevelRules.tiers", value, Tier)


def _services(value: object) -> tuple[ServiceCode, ...]:
    return tuple_of("LevelRules.services", value, ServiceCode)


def _roles(value: object) -> tuple[str, ...]:
    return tuple_converted("LevelRules.professional_roles", value, identifier, "role codes")


def _telehealth_modifiers(value: object) -> tuple[str, ...]:
    return tuple_converted("LevelRules.telehealth_modifiers", value, _modifier, "modifiers")


def _level_from(value: object) -> pendulum.Date | None:
    return optional_date("LevelRules.effective_from", value)


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
        services: How each kind of session is coded on its own service line
            (revenue and HCPCS/CPT codes, units); empty when the payer pays
            the day by its per diem codes alone. A session of a kind coded
            here counts only when one of its codes takes the minutes
            delivered; a kind not coded here counts on a line without codes.
        professional_roles: Rendering roles whose services are billed
            separately by the practitioner and do not count toward the per
            diem (Medicare: physicians, physician assistants, nurse
            practitioners, clinical nurse specialists, psychologists; 42 CFR
            410.43(b)).
        telehealth_modifiers: Modifiers a line of a virtual session carries.
        place_of_service: The place of service of an in-person line, if the
            payer asks for one.
        telehealth_place_of_service: The place of service of a virtual line.
        type_of_bill: The institutional claim's type of bill ("131"), if any.
        source: Where these rules come from (defaults to the pack's).
        effective_from: First day these rules apply, when later than the
            pack's.
    """

    levels: tuple[str, ...] = attrs.field(converter=_level_codes)
    billable_kinds: tuple[str, ...] = attrs.field(converter=_kind_codes)
    min_services: int = 1
    min_minutes: int = 0
    min_days_per_week: int | None = None
    min_hours_per_week: float | None = None
    virtual: VirtualRule = "counts"
    tiers: tuple[Tier, ...] = attrs.field(default=(), converter=_tiers)
    codes: tuple[BillingCode, ...] = attrs.field(default=(), converter=_rule_codes)
    recertification: Cadence | None = None
    services: tuple[ServiceCode, ...] = attrs.field(default=(), converter=_services)
    professional_roles: tuple[str, ...] = attrs.field(default=(), converter=_roles)
    telehealth_modifiers: tuple[str, ...] = attrs.field(default=(), converter=_telehealth_modifiers)
    place_of_service: str | None = None
    telehealth_place_of_service: str | None = None
    type_of_bill: str | None = None
    source: str = ""
    effective_from: pendulum.Date | None = attrs.field(default=None, converter=_level_from)

    def __attrs_post_init__(self) -> None:
        optional_instance(
            "LevelRules.recertification", self.recertification, Cadence, "use careplan.Cadence(...)"
        )
        whole("LevelRules.min_services", self.min_services, 1, _MOST)
        whole("LevelRules.min_minutes", self.min_minutes, 0, _MOST)
        optional_whole("LevelRules.min_days_per_week", self.min_days_per_week, 1, _MOST)
        for name in ("place_of_service", "telehealth_place_of_service", "type_of_bill"):
            optional_matching(f"LevelRules.{name}", getattr(self, name), _CODE)
        choice("LevelRules.virtual", self.virtual, VirtualRule, "a virtual-session rule")
        text("LevelRules.source", self.source)
        hours = self.min_hours_per_week
        if hours is not None:
            number("LevelRules.min_hours_per_week", hours, 0, 168, "hours in a week")

    def tier(self, services: int) -> Tier | None:
        """The payment tier of a day with ``services`` billable services, if any."""
        return next((tier for tier in self.tiers if tier.holds(services)), None)

    def counts_toward_per_diem(self, role: str) -> bool:
        """True when a service rendered by ``role`` counts toward the day's per diem."""
        return role not in self.professional_roles

    def codes_kind(self, kind: str) -> bool:
        """True when :attr:`services` code sessions of ``kind`` (a kind code)."""
        return any(kind in code.kinds for code in self.services)

    def service_code(self, kind: str, minutes: int, substance_use: bool) -> ServiceCode | None:
        """The first of :attr:`services` that codes ``minutes`` of a ``kind`` session."""
        return next(
            (
                code
                for code in self.services
                if kind in code.kinds and code.applies(substance_use) and code.units(minutes) > 0
            ),
            None,
        )


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

    name: str
    version: str
    effective_from: pendulum.Date = attrs.field(converter=_to_from)
    effective_to: pendulum.Date | None = attrs.field(default=None, converter=_to_optional_date)
    levels: tuple[LevelRules, ...] = attrs.field(default=(), converter=_level_rules)
    source: str = ""

    def __attrs_post_init__(self) -> None:
        text("PayerRules.name", self.name, blank=False)
        text("PayerRules.version", self.version, blank=False)
        text("PayerRules.source", self.source, multiline=True)
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise InvalidValueError(
                "PayerRules.effective_to", self.effective_to.isoformat(), "is before effective_from"
            )

    def for_level(self, code: str) -> LevelRules | None:
        """The rules for the level ``code``, or ``None`` when the payer does not pay it."""
        return next((rules for rules in self.levels if code in rules.levels), None)

    def in_force(self, day: _dt.date, level: LevelRules | None = None) -> bool:
        """True when the rules (and ``level``'s, when given) apply on ``day``."""
        if level is not None and level.effective_from is not None and day < level.effective_from:
            return False
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )
