"""Decoding a document: JSON text to plain values, then to the document's classes.

Two guards the ``json`` module lacks run while the text is decoded: a key
given twice in one object, and a whole number of more than :data:`MAX_DIGITS`
digits, are refused with their path; ``NaN`` and ``Infinity`` are refused.
Then a strict cattrs converter structures the values into the classes of
:mod:`careplan.document.shape`: text must be a string, a count a whole
number (not ``true``, not ``1.0``), a list a list; every wrong field is
reported with its path, and its value only as :func:`~careplan.document.paths.show`
describes it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError, IterableValidationError

from careplan._model.errors import DocumentError
from careplan.document.paths import join, show
from careplan.document.shape import ADDED, ContinuumDoc

__all__ = ["CONVERTER", "FORMAT", "MAX_DIGITS", "loads", "structure"]

#: The format tag of the documents this version reads and writes.
FORMAT = "careplan/1"

T = TypeVar("T")


class _WrongType(Exception):
    """A JSON value of the wrong type (turned into a DocumentError)."""


# A subclass's value is read as the plain value (str.__str__ and int.__int__
# copy it), so equal documents build identical values, whatever a caller of
# plan_from_data passed.


def _strict_str(value: object, _type: object) -> str:
    if type(value) is str:
        return value
    if not isinstance(value, str):
        raise _WrongType(f"{show(value)} is not a string")
    return str.__str__(value)


def _strict_int(value: object, _type: object) -> int:
    if type(value) is int:
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _WrongType(f"{show(value)} is not a whole number")
    return int.__int__(value)


def _strict_float(value: object, _type: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _WrongType(f"{show(value)} is not a number")
    try:
        number = float(value)
    except OverflowError:
        raise _WrongType(f"{show(value)} is too large") from None
    if not math.isfinite(number):
        raise _WrongType(f"{show(value)} is not a finite number")
    return number


def _strict_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise _WrongType(f"{show(value)} is not true or false")
    return value


def _only(kind: type, what: str, structure: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """``structure``, after refusing a JSON value that is not a ``kind`` (``what``)."""

    def checked(value: object, type_: object) -> Any:
        if not isinstance(value, kind):
            raise _WrongType(f"{show(value)} is not {what}")
        return structure(value, type_)

    return checked


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(detailed_validation=True, forbid_extra_keys=True)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(bool, _strict_bool)

    def is_list(type_: Any) -> bool:
        return get_origin(type_) is list

    def list_hook(type_: Any) -> Callable[[Any, Any], Any]:
        return _only(list, "a list", cattrs.cols.list_structure_factory(type_, converter))

    def is_dict(type_: Any) -> bool:
        return get_origin(type_) is dict

    def dict_hook(type_: Any) -> Callable[[Any, Any], Any]:
        value_type = get_args(type_)[1]

        def items(value: dict[str, object], _type: object) -> Any:
            return {key: converter.structure(item, value_type) for key, item in value.items()}

        return _only(dict, "an object", items)

    def is_optional(type_: Any) -> bool:
        args = get_args(type_)
        return len(args) == 2 and type(None) in args

    def optional_hook(type_: Any) -> Callable[[Any, Any], Any]:
        # cattrs's own hook looks the inner type's hook up on every value.
        inner = next(arg for arg in get_args(type_) if arg is not type(None))
        structure = converter.get_structure_hook(inner)

        def optional(value: object, _type: object) -> Any:
            return None if value is None else structure(value, inner)

        return optional

    def attrs_hook(type_: Any) -> Callable[[Any, Any], Any]:
        return _only(dict, "an object", cattrs.gen.make_dict_structure_fn(type_, converter))

    def continuum_union(value: object, _type: object) -> str | ContinuumDoc:
        if isinstance(value, str):
            return value
        return converter.structure(value, ContinuumDoc)

    def unstructure_hook(type_: Any) -> Callable[[Any], Any]:
        # A field added after the format's first release is left out at its default.
        omitted = {
            field.name: cattrs.gen.override(omit_if_default=True)
            for field in attrs.fields(type_)
            if field.metadata == ADDED
        }
        unstructure: Callable[[Any], Any] = cattrs.gen.make_dict_unstructure_fn(
            type_,
            converter,
            **omitted,  # type: ignore[arg-type]
        )
        return unstructure

    converter.register_unstructure_hook_factory(attrs.has, unstructure_hook)
    converter.register_structure_hook_factory(is_list, list_hook)
    converter.register_structure_hook_factory(is_dict, dict_hook)
    converter.register_structure_hook_factory(attrs.has, attrs_hook)
    converter.register_structure_hook_factory(is_optional, optional_hook)
    converter.register_structure_hook(str | ContinuumDoc, continuum_union)
    return converter


#: The converter between plain JSON values and the document's classes.
CONVERTER = _make_converter()


def structure(data: object, type_: type[T]) -> T:
    """``data`` as the document class ``type_``, or a DocumentError at the first bad field."""
    try:
        return CONVERTER.structure(data, type_)
    except (ClassValidationError, IterableValidationError, _WrongType) as error:
        path, problem = next(_problems(error, ""), ("", "is not valid"))
        raise DocumentError(path, problem) from None


def _problems(error: BaseException, path: str) -> Iterator[tuple[str, str]]:
    """Flatten a cattrs error tree into (path, problem) pairs."""
    if isinstance(error, ForbiddenExtraKeysError):
        # Keys of a Python dict need not be text, nor of one type.
        for key in sorted(map(str, error.extra_fields)):
            yield join(path, key), f"is not a field of the {FORMAT} format"
        return
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        with_notes, without_notes = error.group_exceptions()
        for inner, note in with_notes:
            name = getattr(note, "name", None)
            step = (
                join(path, name) if name is not None else f"{path}[{getattr(note, 'index', '?')}]"
            )
            yield from _problems(inner, step)
        for inner in without_notes:
            yield from _problems(inner, path)
        return
    if isinstance(error, KeyError):
        yield path, "is missing"
    elif isinstance(error, _WrongType):
        yield path, str(error)
    else:  # what a caller's own value raised (its hash, say): its message may quote it
        yield path, f"is not valid ({type(error).__name__})"


#: The most digits a whole number in a document may have. Python refuses to
#: read more than 4,300; careplan's numbers (minutes, weeks, units) need few.
MAX_DIGITS = 30


class _Duplicates(dict[str, object]):
    """A JSON object that gave some keys more than once (found after decoding)."""

    repeated: tuple[str, ...] = ()


class _LongNumber:
    """A whole number with too many digits, kept as its digit count."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


class _Decoding:
    """The json hooks of one decoding; they note whether anything needs refusing.

    The decoded value is walked for repeated keys and long numbers (to name
    their path) only when a hook saw one: most documents have neither.
    """

    def __init__(self) -> None:
        self.suspect = False

    def object(self, pairs: list[tuple[str, object]]) -> dict[str, object]:
        found = dict(pairs)
        if len(found) == len(pairs):
            return found
        self.suspect = True
        seen: set[str] = set()
        repeated = []
        for key, _ in pairs:
            if key in seen and key not in repeated:
                repeated.append(key)
            seen.add(key)
        marked = _Duplicates(found)
        marked.repeated = tuple(repeated)
        return marked

    def integer(self, text: str) -> int | _LongNumber:
        if len(text) <= MAX_DIGITS:
            return int(text)
        digits = len(text.lstrip("-"))
        if digits > MAX_DIGITS:
            self.suspect = True
            return _LongNumber(digits)
        return int(text)


def _refuse_constant(name: str) -> object:
    raise DocumentError("", f"{name} is not allowed in a careplan document")


def _check_decoded(data: object) -> None:
    """Refuse repeated keys and overlong numbers, naming their path.

    Walks the decoded value once, without recursion.
    """
    pending: list[tuple[str, object]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, _LongNumber):
            raise DocumentError(
                path,
                f"is a whole number of {value.digits} digits; numbers in a careplan "
                f"document have at most {MAX_DIGITS}",
            )
        if isinstance(value, dict):
            if isinstance(value, _Duplicates):
                raise DocumentError(
                    join(path, value.repeated[0]),
                    "is given more than once in the same object; keep one (a later "
                    "value would silently replace the earlier)",
                )
            pending.extend(reversed([(join(path, key), item) for key, item in value.items()]))
        elif isinstance(value, list):
            pending.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))


def loads(text: str | bytes) -> object:
    """Decode JSON text, or bytes in UTF-8 (RFC 8259), with or without a byte-order mark.

    Raises:
        DocumentError: Anything but a readable JSON document without repeated
            keys or overlong numbers.
    """
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as error:
            raise DocumentError(
                "",
                f"the bytes are not UTF-8 (byte 0x{text[error.start]:02x} at position "
                f"{error.start}); save the document as UTF-8",
            ) from None
    if not isinstance(text, str):
        raise DocumentError("", f"the document is {type(text).__name__}, not text or bytes")
    text = text.removeprefix("\ufeff")
    decoding = _Decoding()
    try:
        data = json.loads(
            text,
            object_pairs_hook=decoding.object,
            parse_int=decoding.integer,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        raise DocumentError("", f"the text is not JSON ({error})") from None
    except (UnicodeDecodeError, RecursionError) as error:
        problem = "nests too deeply" if isinstance(error, RecursionError) else str(error)
        raise DocumentError("", f"the text is not readable JSON ({problem})") from None
    except ValueError as error:  # pragma: no cover - a limit of the json module itself
        raise DocumentError("", f"the text is not readable JSON ({error})") from None
    if decoding.suspect:
        _check_decoded(data)
    return data
