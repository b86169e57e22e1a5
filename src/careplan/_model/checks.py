"""Strict field checks for the plan-of-care values, raising errors that name the field.

Each helper is an attrs validator factory taking the field's public name
(``"Problem.id"``); converters are named functions per field, as mypy's attrs
plugin needs. So a wrong type is an
:class:`~careplan.InvalidValueError` saying where and how to fix it, never an
``AttributeError`` deep in validation.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import typing
from collections.abc import Callable, Iterable
from typing import Any

import pendulum

from careplan._model.errors import InvalidValueError
from careplan._model.time import require_date

__all__ = [
    "ID_PATTERN",
    "as_tuple",
    "checked_choice",
    "checked_id",
    "checked_ids",
    "checked_instance",
    "checked_items",
    "checked_number",
    "checked_text",
    "checked_whole",
    "optional_date",
    "shape_repr",
]

#: What an id of a plan-of-care record looks like: short, no spaces, so it
#: can appear in reports, paths and FHIR ids without escaping.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", flags=re.ASCII)


Validator = Callable[[Any, Any, Any], None]


def checked_text(field: str, *, required: bool = False, optional: bool = False) -> Validator:
    """A validator that accepts only a string (non-blank when ``required``; or ``None``)."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if optional and value is None:
            return
        if not isinstance(value, str):
            raise InvalidValueError(field, value, "is not text", "pass a string")
        if required and not value.strip():
            raise InvalidValueError(field, value, "is blank", "say what it is, in words")

    return check


def _refuse_id(field: str, value: object) -> None:
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value):
        raise InvalidValueError(
            field,
            value,
            "is not an id",
            "use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit",
        )


def checked_id(field: str, *, optional: bool = False) -> Validator:
    """A validator for a record id: 1 to 64 letters, digits, ``_``, ``.`` or ``-``."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if not (optional and value is None):
            _refuse_id(field, value)

    return check


def as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """A converter: a collection to a tuple; anything else is left for the validator.

    The validators below then refuse a string or a non-collection naming the
    field, which a converter cannot do without one function per field.
    """
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        return value  # type: ignore[return-value]
    return tuple(value)


def _refuse_non_tuple(field: str, value: object, what: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValueError(field, value, f"is not a list of {what}", "pass a tuple or list")


def checked_ids(field: str) -> Validator:
    """A validator for a tuple of record ids (with :func:`as_tuple` as the converter)."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        _refuse_non_tuple(field, value, "ids")
        assert isinstance(value, tuple)
        for item in value:
            _refuse_id(field, item)

    return check


def checked_items(field: str, kind: type) -> Validator:
    """A validator for a tuple whose every item is a ``kind``, naming the bad index."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        _refuse_non_tuple(field, value, f"{kind.__name__} values")
        assert isinstance(value, tuple)
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise InvalidValueError(
                    f"{field}[{index}]",
                    item,
                    f"is not a {kind.__name__}",
                    f"use careplan.{kind.__name__}(...)",
                )

    return check


def checked_instance(field: str, kind: type, *, optional: bool = False) -> Validator:
    """A validator for a value that must be a ``kind`` (or ``None`` when ``optional``)."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if optional and value is None:
            return
        if not isinstance(value, kind):
            raise InvalidValueError(
                field, value, f"is not a {kind.__name__}", f"use careplan.{kind.__name__}(...)"
            )

    return check


def checked_choice(field: str, choices: object, what: str, *, optional: bool = False) -> Validator:
    """A validator refusing anything but one of a ``Literal``'s values."""
    allowed = typing.get_args(choices)

    def check(_instance: object, _attribute: object, value: object) -> None:
        if optional and value is None:
            return
        if not isinstance(value, str) or value not in allowed:
            raise InvalidValueError(
                field, value, f"is not {what}", "use one of: " + ", ".join(allowed)
            )

    return check


def checked_number(field: str, *, optional: bool = False) -> Validator:
    """A validator for a finite number (``bool`` refused)."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if optional and value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidValueError(field, value, "is not a number")
        if not math.isfinite(value):
            raise InvalidValueError(field, value, "is not a finite number")

    return check


def checked_whole(field: str, least: int, *, optional: bool = False) -> Validator:
    """A validator for a whole number of at least ``least`` (``bool`` refused)."""

    def check(_instance: object, _attribute: object, value: object) -> None:
        if optional and value is None:
            return
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            raise InvalidValueError(field, value, f"is not a whole number of at least {least}")

    return check


def optional_date(field: str, value: _dt.date | None) -> pendulum.Date | None:
    """``value`` as a pendulum Date or ``None``; for a named converter per field."""
    return None if value is None else require_date(field, value)


def shape_repr(type_name: str, **shown: object) -> str:
    """A repr that shows ids, dates and counts only, never clinical text.

    Plan-of-care records are health information; a repr ends up in logs,
    tracebacks and notebooks, so it carries what identifies the record in
    the plan and the shape of what it holds.
    """
    parts = ", ".join(f"{key}={value!r}" for key, value in shown.items() if value is not None)
    return f"{type_name}({parts})"
