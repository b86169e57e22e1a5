"""Reviews, signatures and certification of the plan of care, and the policy that paces them.

A :class:`ReviewPolicy` says, per level of care, how often the plan is
reviewed and (for Medicare) recertified by a physician, and who must sign it
before services start. It is passed to :func:`careplan.validate` like
:class:`careplan.CompliancePolicy`.

Sources of the built-in cadences (see ``docs/explanation/golden-thread.md``):

- Medicare partial hospitalization: a physician certifies the need and the
  plan of treatment at admission; recertification as of the 18th day of
  services, then at intervals of no more than 30 days (42 CFR 424.24(e);
  42 CFR 410.43; SSA 1861(ff)).
- Medicare intensive outpatient (from 1 January 2024, CY 2024 OPPS final
  rule): a physician certifies the need for at least 9 hours a week;
  recertification no less often than every other month (42 CFR 424.24(d),
  from secondary summaries: the CMS fact sheet of 2 November 2023).
- :data:`CLINIC_REVIEW` is careplan's choice, not a standard: review every
  30 days, every 90 days in outpatient care, signed by the client (or
  guardian) and a clinician before services start.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Literal, cast

import attrs
import pendulum

from careplan._model.checks import (
    LARGEST,
    choice,
    identifier,
    instance,
    optional_whole,
    shape_repr,
    text,
    tuple_converted,
    whole,
)
from careplan._model.errors import InvalidValueError
from careplan._model.time import require_date

__all__ = [
    "CLINIC_REVIEW",
    "MEDICARE_REVIEW",
    "Cadence",
    "Review",
    "ReviewOutcome",
    "ReviewPolicy",
    "Signature",
    "SignaturePurpose",
    "SignerRole",
]

#: What a review decided.
ReviewOutcome = Literal["continue", "revise", "step_up", "step_down", "discharge"]
#: Who signs a plan of care.
SignerRole = Literal["client", "guardian", "clinician", "physician"]
#: What a signature is for: agreeing to the plan, or a physician's
#: certification or recertification of the need for the level of care.
SignaturePurpose = Literal["plan", "certification", "recertification"]
#: What a cadence counts in.
CadenceUnit = Literal["days", "months"]


def _review_on(value: _dt.date) -> pendulum.Date:
    return require_date("Review.on", value)


def _signature_on(value: _dt.date) -> pendulum.Date:
    return require_date("Signature.on", value)


@attrs.frozen
class Review:
    """A review of the plan of care.

    Attributes:
        on: The day of the review.
        role: The reviewer's role ("psychiatrist", "therapist", ...).
        outcome: ``"continue"``, ``"revise"``, ``"step_up"``,
            ``"step_down"`` or ``"discharge"``. A review records the
            decision; the move itself is :func:`careplan.step_up` and friends.
        reviewer: The reviewer's name.
        note: Free text for the record.
    """

    on: pendulum.Date = attrs.field(converter=_review_on)
    role: str
    outcome: ReviewOutcome = "continue"
    reviewer: str = ""
    note: str = ""

    def __attrs_post_init__(self) -> None:
        text("Review.role", self.role, multiline=True, blank=False)
        choice("Review.outcome", self.outcome, ReviewOutcome, "a review outcome")
        text("Review.reviewer", self.reviewer, multiline=True)
        text("Review.note", self.note, multiline=True)

    def __repr__(self) -> str:
        return shape_repr("Review", on=self.on, role=self.role, outcome=self.outcome)


@attrs.frozen
class Signature:
    """A signature on the plan of care.

    Attributes:
        on: The day it was signed.
        role: ``"client"``, ``"guardian"``, ``"clinician"`` or ``"physician"``.
        name: Who signed.
        purpose: ``"plan"`` (agreeing to the plan), ``"certification"`` or
            ``"recertification"`` (a physician certifying the need for the
            level of care, as Medicare asks for PHP and IOP).
    """

    on: pendulum.Date = attrs.field(converter=_signature_on)
    role: SignerRole
    name: str = ""
    purpose: SignaturePurpose = "plan"

    def __attrs_post_init__(self) -> None:
        choice("Signature.role", self.role, SignerRole, "a signer's role")
        text("Signature.name", self.name, multiline=True)
        choice("Signature.purpose", self.purpose, SignaturePurpose, "a signature purpose")
        if self.purpose != "plan" and self.role != "physician":
            raise InvalidValueError(
                "Signature.purpose",
                self.purpose,
                f"is not made by a {self.role}",
                "certification and recertification are signed by a physician",
            )

    @property
    def certifies(self) -> bool:
        """True for a physician's certification or recertification."""
        return self.purpose in ("certification", "recertification")

    def __repr__(self) -> str:
        return shape_repr("Signature", role=self.role, on=self.on, purpose=self.purpose)


@attrs.frozen
class Cadence:
    """How often something falls due: every ``every`` days or months.

    Attributes:
        every: The longest interval between two, in ``unit``.
        unit: ``"days"`` or ``"months"`` (calendar months).
        first: The interval before the first one, counted from the start
            (the start itself is the first day); ``None`` for ``every``.
            Medicare's PHP recertification "as of the 18th day" is
            ``first=17``: the 18th day is 17 days after the first.

    >>> import pendulum
    >>> php = Cadence(30, first=17)
    >>> php.due(pendulum.date(2027, 1, 4), first=True), php.due(pendulum.date(2027, 1, 21))
    (Date(2027, 1, 21), Date(2027, 2, 20))
    >>> Cadence(2, "months").due(pendulum.date(2027, 1, 4))
    Date(2027, 3, 4)
    """

    every: int
    unit: CadenceUnit = "days"
    first: int | None = None

    def __attrs_post_init__(self) -> None:
        whole("Cadence.every", self.every, 1, LARGEST)
        choice("Cadence.unit", self.unit, CadenceUnit, "a unit")
        optional_whole("Cadence.first", self.first, 0, LARGEST)

    def due(self, after: pendulum.Date, *, first: bool = False) -> pendulum.Date:
        """The last day the next one is due, counted from ``after``."""
        interval = self.first if first and self.first is not None else self.every
        if self.unit == "months":
            return after.add(months=interval)
        return after.add(days=interval)

    def __str__(self) -> str:
        text = f"every {self.every} {self.unit}"
        if self.first is not None:
            text = f"first after {self.first} {self.unit}, then {text}"
        return text


def _cadence_pair(field: str, value: object) -> tuple[str, Cadence]:
    if not (isinstance(value, tuple) and len(value) == 2):
        raise InvalidValueError(field, value, "is not a (level code, cadence) pair")
    code, cadence = value
    return identifier(field, code), instance(field, cadence, Cadence, "use careplan.Cadence(...)")


def _by_level(field: str, value: object) -> tuple[tuple[str, Cadence], ...]:
    """Level code (or ``"*"``) to cadence, from a mapping or pairs, as pairs."""
    pairs = tuple(value.items()) if isinstance(value, Mapping) else value
    return tuple_converted(field, pairs, _cadence_pair, "(level code, cadence) pairs")


def _reviews(
    value: Mapping[str, Cadence] | Iterable[tuple[str, Cadence]],
) -> tuple[tuple[str, Cadence], ...]:
    return _by_level("ReviewPolicy.reviews", value)


def _certifications(
    value: Mapping[str, Cadence] | Iterable[tuple[str, Cadence]],
) -> tuple[tuple[str, Cadence], ...]:
    return _by_level("ReviewPolicy.certifications", value)


def _signer(field: str, value: object) -> SignerRole:
    return choice(field, cast(SignerRole, value), SignerRole, "a signer's role")


def _signers(value: Iterable[SignerRole]) -> tuple[SignerRole, ...]:
    return tuple_converted("ReviewPolicy.signatures", value, _signer, "signer roles")


@attrs.frozen
class ReviewPolicy:
    """How often a plan of care is reviewed and recertified, and who signs it first.

    Cadences are given per level code; ``"*"`` stands for every other level.

    Attributes:
        name: What the policy is ("Medicare PHP and IOP").
        reviews: Level code (or ``"*"``) to the review :class:`Cadence`,
            counted from the plan's start, then from each review.
        certifications: Level code (or ``"*"``) to the physician
            recertification :class:`Cadence`, counted from the first day at
            the level, then from each recertification.
        signatures: The roles that must sign the plan before services are
            delivered; a guardian's signature stands for the client's.
        due_soon_days: How many days ahead ``review.due_soon`` warns.
        measure_every_days: The longest interval between two measurements of
            an instrument the plan measures or targets; ``None`` not to check.

    >>> MEDICARE_REVIEW.certification_cadence("PHP")
    Cadence(every=30, unit='days', first=17)
    >>> CLINIC_REVIEW.review_cadence("OP"), CLINIC_REVIEW.review_cadence("IOP")
    (Cadence(every=90, unit='days', first=None), Cadence(every=30, unit='days', first=None))
    """

    name: str
    reviews: tuple[tuple[str, Cadence], ...] = attrs.field(default=(), converter=_reviews)
    certifications: tuple[tuple[str, Cadence], ...] = attrs.field(
        default=(), converter=_certifications
    )
    signatures: tuple[SignerRole, ...] = attrs.field(default=(), converter=_signers)
    due_soon_days: int = 7
    measure_every_days: int | None = 30

    def __attrs_post_init__(self) -> None:
        text("ReviewPolicy.name", self.name, multiline=True, blank=False)
        whole("ReviewPolicy.due_soon_days", self.due_soon_days, 0, LARGEST)
        optional_whole("ReviewPolicy.measure_every_days", self.measure_every_days, 1, LARGEST)

    def review_cadence(self, level_code: str) -> Cadence | None:
        """How often a plan is reviewed at the level, or ``None``."""
        return _lookup(self.reviews, level_code)

    def certification_cadence(self, level_code: str) -> Cadence | None:
        """How often a physician recertifies the level, or ``None``."""
        return _lookup(self.certifications, level_code)

    def __repr__(self) -> str:
        return shape_repr("ReviewPolicy", name=self.name)

    @property
    def levels(self) -> tuple[str, ...]:
        """The level codes (and ``"*"``) the policy names."""
        codes = [code for code, _ in (*self.reviews, *self.certifications)]
        return tuple(dict.fromkeys(codes))


def _lookup(table: tuple[tuple[str, Cadence], ...], code: str) -> Cadence | None:
    found = dict(table)
    return found.get(code, found.get("*"))


_PHP = Cadence(30, first=17)
_IOP = Cadence(2, "months")

#: Medicare's certification cadences for partial hospitalization (level code
#: ``PHP``) and intensive outpatient (``IOP``): a physician certifies before
#: services and recertifies PHP by the 18th day and then every 30 days, IOP
#: every other month. Reviews follow the recertifications, which restate the
#: plan. For other level codes (ASAM's 2.5, say) build your own with
#: ``attrs.evolve(MEDICARE_REVIEW, reviews=..., certifications=...)``.
MEDICARE_REVIEW = ReviewPolicy(
    "Medicare PHP and IOP",
    reviews={"PHP": _PHP, "IOP": _IOP},
    certifications={"PHP": _PHP, "IOP": _IOP},
    signatures=("physician",),
)

#: careplan's default: review every 30 days (every 90 in outpatient care,
#: level code ``OP``), client (or guardian) and clinician sign before
#: services, each measured instrument repeated at least every 30 days.
CLINIC_REVIEW = ReviewPolicy(
    "Clinic default",
    reviews={"OP": Cadence(90), "*": Cadence(30)},
    signatures=("client", "clinician"),
)
