"""The ``careplan-payer/1`` document: payer rule packs as JSON.

Read and written with the JSON document's helpers (strict decoding, the
error-path helper, dates), from :mod:`careplan.document`.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

import attrs

from careplan._model.errors import DocumentError
from careplan._model.payer import BillingCode, LevelRules, PayerRules, ServiceCode, Tier
from careplan._model.review import Cadence
from careplan.document.decode import CONVERTER as _CONVERTER
from careplan.document.decode import loads as _loads
from careplan.document.decode import structure as _structure
from careplan.document.fields import date as _date
from careplan.document.paths import at as _at
from careplan.document.shape import ADDED

__all__ = [
    "PAYER_FORMAT",
    "payer_rules_from_data",
    "payer_rules_from_json",
    "payer_rules_to_data",
    "payer_rules_to_json",
]

A = TypeVar("A", bound=attrs.AttrsInstance)

# --- payer rule packs ---------------------------------------------------------

#: The format of a payer rule pack document.
PAYER_FORMAT = "careplan-payer/1"


@attrs.frozen
class _BillingCodeDoc:
    system: str
    code: str
    label: str = ""
    scope: str = "all"
    min_minutes: int = attrs.field(default=0, metadata=ADDED)
    min_days_per_week: int | None = attrs.field(default=None, metadata=ADDED)
    source: str = attrs.field(default="", metadata=ADDED)


@attrs.frozen
class _ServiceCodeDoc:
    kinds: list[str]
    revenue: str | None = None
    hcpcs: str | None = None
    label: str = ""
    unit: str = "session"
    unit_minutes: int | None = None
    rounding: str = "midpoint"
    min_minutes: int = 0
    max_minutes: int | None = None
    modifiers: list[str] = attrs.field(factory=list)
    scope: str = "all"
    source: str = ""


@attrs.frozen
class _TierDoc:
    name: str
    min_services: int
    max_services: int | None = None
    codes: list[_BillingCodeDoc] = attrs.field(factory=list)


@attrs.frozen
class _CadenceDoc:
    every: int
    unit: str = "days"
    first: int | None = None


def _cadence_of(doc: _CadenceDoc, path: str) -> Cadence:
    with _at(path, {}):
        return Cadence(doc.every, doc.unit, doc.first)  # type: ignore[arg-type]


@attrs.frozen
class _LevelRulesDoc:
    levels: list[str]
    billable_kinds: list[str]
    min_services: int = 1
    min_minutes: int = 0
    min_days_per_week: int | None = None
    min_hours_per_week: float | None = None
    virtual: str = "counts"
    tiers: list[_TierDoc] = attrs.field(factory=list)
    codes: list[_BillingCodeDoc] = attrs.field(factory=list)
    recertification: _CadenceDoc | None = None
    services: list[_ServiceCodeDoc] = attrs.field(factory=list, metadata=ADDED)
    professional_roles: list[str] = attrs.field(factory=list, metadata=ADDED)
    telehealth_modifiers: list[str] = attrs.field(factory=list, metadata=ADDED)
    place_of_service: str | None = attrs.field(default=None, metadata=ADDED)
    telehealth_place_of_service: str | None = attrs.field(default=None, metadata=ADDED)
    type_of_bill: str | None = attrs.field(default=None, metadata=ADDED)
    source: str = attrs.field(default="", metadata=ADDED)
    effective_from: str | None = attrs.field(default=None, metadata=ADDED)


@attrs.frozen
class _PayerRulesDoc:
    format: str
    name: str
    version: str
    effective_from: str
    effective_to: str | None = None
    levels: list[_LevelRulesDoc] = attrs.field(factory=list)
    source: str = ""


def _copy(source: object, target: type[A], **changed: Any) -> A:
    """A ``target`` with the fields of ``source`` of the same names, but ``changed``.

    The document's classes name their fields as the values they stand for do,
    so each side is built from the other by name; ``changed`` holds the fields
    that differ in form (a list for a tuple, an ISO date, a nested record).
    """
    return target(
        **{
            field.name: changed[field.name]
            if field.name in changed
            else getattr(source, field.name)
            for field in attrs.fields(target)
        }
    )


def _billing_code(doc: _BillingCodeDoc, path: str) -> BillingCode:
    with _at(path, {}):
        return _copy(doc, BillingCode)


def _service_code(doc: _ServiceCodeDoc, path: str) -> ServiceCode:
    with _at(path, {}):
        return _copy(doc, ServiceCode)


def payer_rules_from_data(data: object) -> PayerRules:
    """Build a payer rule pack from a decoded ``careplan-payer/1`` document.

    The document mirrors :class:`careplan.PayerRules`: ``name``,
    ``version``, ``effective_from`` (and ``effective_to``) as ISO dates,
    ``source`` and ``levels``, each with the fields of
    :class:`careplan.LevelRules` (``tiers`` and ``codes`` as lists of objects).

    Raises:
        DocumentError: Naming the path of the bad field.
    """
    doc = _structure(data, _PayerRulesDoc)
    if doc.format != PAYER_FORMAT:
        raise DocumentError("format", f"{doc.format!r} is not {PAYER_FORMAT!r}")
    levels = []
    for index, level in enumerate(doc.levels):
        where = f"levels[{index}]"
        tiers = []
        for number, tier in enumerate(level.tiers):
            at = f"{where}.tiers[{number}]"
            codes = [_billing_code(c, f"{at}.codes[{n}]") for n, c in enumerate(tier.codes)]
            with _at(at, {}):
                tiers.append(Tier(tier.name, tier.min_services, tier.max_services, codes))
        codes = [_billing_code(c, f"{where}.codes[{n}]") for n, c in enumerate(level.codes)]
        services = [
            _service_code(c, f"{where}.services[{n}]") for n, c in enumerate(level.services)
        ]
        level_from = (
            None
            if level.effective_from is None
            else _date(f"{where}.effective_from", level.effective_from)
        )
        with _at(where, {}):
            levels.append(
                _copy(
                    level,
                    LevelRules,
                    tiers=tiers,
                    codes=codes,
                    recertification=None
                    if level.recertification is None
                    else _cadence_of(level.recertification, f"{where}.recertification"),
                    services=services,
                    effective_from=level_from,
                )
            )
    effective_to = None if doc.effective_to is None else _date("effective_to", doc.effective_to)
    with _at("", {}):
        return PayerRules(
            doc.name,
            doc.version,
            _date("effective_from", doc.effective_from),
            effective_to,
            levels,
            doc.source,
        )


def payer_rules_to_data(rules: PayerRules) -> dict[str, Any]:
    """The ``careplan-payer/1`` document of ``rules``, as plain data."""
    data: dict[str, Any] = _CONVERTER.unstructure(
        _PayerRulesDoc(
            PAYER_FORMAT,
            rules.name,
            rules.version,
            rules.effective_from.isoformat(),
            None if rules.effective_to is None else rules.effective_to.isoformat(),
            [
                _copy(
                    level,
                    _LevelRulesDoc,
                    levels=list(level.levels),
                    billable_kinds=list(level.billable_kinds),
                    tiers=[
                        _copy(t, _TierDoc, codes=[_billing_code_doc(c) for c in t.codes])
                        for t in level.tiers
                    ],
                    codes=[_billing_code_doc(c) for c in level.codes],
                    recertification=None
                    if level.recertification is None
                    else _copy(level.recertification, _CadenceDoc),
                    services=[_service_code_doc(c) for c in level.services],
                    professional_roles=list(level.professional_roles),
                    telehealth_modifiers=list(level.telehealth_modifiers),
                    effective_from=None
                    if level.effective_from is None
                    else level.effective_from.isoformat(),
                )
                for level in rules.levels
            ],
            rules.source,
        )
    )
    return data


def _service_code_doc(code: ServiceCode) -> _ServiceCodeDoc:
    return _copy(code, _ServiceCodeDoc, kinds=list(code.kinds), modifiers=list(code.modifiers))


def _billing_code_doc(code: BillingCode) -> _BillingCodeDoc:
    return _copy(code, _BillingCodeDoc)


def payer_rules_to_json(rules: PayerRules, *, indent: int | None = 2) -> str:
    """``rules`` as a ``careplan-payer/1`` JSON document.

    >>> from careplan import MEDICARE_2024
    >>> payer_rules_from_json(payer_rules_to_json(MEDICARE_2024)) == MEDICARE_2024
    True
    """
    return json.dumps(payer_rules_to_data(rules), indent=indent, ensure_ascii=False)


def payer_rules_from_json(text: str | bytes) -> PayerRules:
    """Build a payer rule pack from JSON text; see :func:`payer_rules_from_data`."""
    return payer_rules_from_data(_loads(text))
