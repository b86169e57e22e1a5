"""The checks every value runs on its fields, in one place.

Each public value checks every field when it is built, so that whatever a
constructor accepts, every export can write and :func:`careplan.from_json`
can read back. The values use the few helpers here rather than checks of
their own, so a new value (a problem of the plan of care, say) gets the
same rules by calling them:

- :func:`text`, :func:`optional_text`, :func:`identifier`: strings without
  control characters, lone surrogates or line separators (``multiline``
  text may hold tabs and ``\\n``);
- :func:`join_url`: an http(s) link without spaces or line breaks;
- :func:`whole`, :func:`number`: numbers within bounds every export writes;
- :func:`choice`: one of a ``Literal``'s values;
- :func:`record_id`, :func:`record_ids`: the ids plan-of-care records
  refer to each other by;
- :func:`instance`, :func:`optional_instance`: a value of a type;
- :func:`tuple_of`, :func:`tuple_converted`: a collection (any iterable but
  a string or a mapping) checked element by element, as a tuple;
- :func:`date`, :func:`optional_date`: a calendar date in careplan's window.

Each is a plain function with real types, and each field's attrs converter
is a small named function that calls one with the field's name: the attrs
mypy plugin reads the converter's parameter type as the type the
constructor takes, and it refuses generic converter factories.

There are no attrs validators. A field that is converted (a list to a
tuple, text to a date) is checked by its converter; a field kept as given
(a number, a code, a mode), and a check that needs two fields (a session
must end by midnight), is checked by the same helpers in the class's
``__attrs_post_init__``, which a table of field names can drive when
several fields share a rule.

Errors never quote free text: a client's name or a note may be what is
wrong, and errors end up in logs. Every :class:`~careplan.InvalidValueError`
shows its value through :func:`careplan._model.errors.shown` (re-exported
here): numbers, dates and ``None`` as they are, text by its length,
anything else by its type. :func:`hidden` is the same idea for reprs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

import pendulum

from careplan._model.errors import InvalidValueError, Shown, shown
from careplan._model.limits import require_supported_date, supported
from careplan._model.time import require_date

__all__ = [
    "ID_PATTERN",
    "LARGEST",
    "MAX_EVERY_WEEKS",
    "MAX_MINUTES",
    "MAX_TEXT",
    "QUOTED",
    "Form",
    "Shown",
    "choice",
    "date",
    "hidden",
    "identifier",
    "instance",
    "join_url",
    "matching",
    "number",
    "optional_choice",
    "optional_date",
    "optional_instance",
    "optional_matching",
    "optional_number",
    "optional_record_id",
    "optional_text",
    "optional_whole",
    "quoted",
    "record_id",
    "record_ids",
    "shape_repr",
    "shown",
    "text",
    "tuple_converted",
    "tuple_of",
    "unique",
    "whole",
]

T = TypeVar("T")

#: The longest cadence, in weeks: once a year. Calendar clients and FHIR
#: store a recurrence's interval in 32 bits; a year is far beyond any care.
MAX_EVERY_WEEKS = 52
#: The most minutes a day holds, the bound of every length in minutes.
MAX_MINUTES = 24 * 60
#: The longest text a field holds, in characters; a note of a few pages.
MAX_TEXT = 10_000

# Characters no text field holds: C0 and C1 control characters (but tab and
# line feed, which multi-line text allows), the Unicode line and paragraph
# separators (JavaScript and some calendar readers break lines at them), and
# lone surrogates (not encodable as UTF-8, so no export could write them).
_NEVER = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
_SINGLE_LINE = re.compile(rf"[\t\n{_NEVER}]")
_MULTILINE = re.compile(rf"[{_NEVER}]")
# A link is printable ASCII without spaces (RFC 3986): other characters are
# percent-encoded, so iCalendar URI values and FHIR url fields take it as is.
_URL = re.compile(r"[!-~]+")


#: The most characters of a label, title, link or code a message quotes.
QUOTED = 80


def quoted(value: str) -> str:
    """A label, title, link or code cut to :data:`QUOTED` characters, for a message.

    A label may be 10,000 characters long, and a message that quotes two of
    them must still fit a :class:`~careplan.Violation`.
    """
    return value if len(value) <= QUOTED else value[: QUOTED - 1] + "…"


def hidden(value: object) -> str:
    """A field's value as a repr shows it when the field may hold identifying text.

    ``None`` and empty text show as they are, so a repr still tells whether
    the field is filled; anything else shows its shape only.
    """
    if value is None or value == "":
        return repr(value)
    if isinstance(value, tuple):
        return f"<{len(value)} hidden>"
    return "<hidden>"


def _character(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def text(
    field: str,
    value: object,
    *,
    multiline: bool = False,
    blank: bool = True,
) -> str:
    """Refuse anything but text a field can hold, or return it.

    Args:
        field: The field's name, for the error.
        value: The value given.
        multiline: Tabs and line feeds (``"\\n"``) are allowed.
        blank: Empty or all-space text is allowed.

    Errors show the text's length, never the text: any text may identify
    someone.

    Raises:
        InvalidValueError: Not a string, too long, blank where not allowed,
            or holding a control character (but tab and line feed in
            multi-line text), a lone surrogate or a line separator.
    """
    if not isinstance(value, str):
        raise InvalidValueError(field, value, "is not text", "pass a string")
    if len(value) > MAX_TEXT:
        raise InvalidValueError(field, value, f"is longer than {MAX_TEXT}")
    if not blank and not value.strip():
        raise InvalidValueError(field, value, "is empty", "fill it in")
    bad = (_MULTILINE if multiline else _SINGLE_LINE).search(value)
    if bad is not None:
        allowed = "tabs and line feeds (\\n) are" if multiline else "tabs and line breaks are not"
        raise InvalidValueError(
            field,
            value,
            f"holds {_character(bad.group())} at position {bad.start()}",
            f"remove it: control characters, lone surrogates and line separators are "
            f"refused in every text ({allowed} allowed here)",
        )
    return value


def optional_text(
    field: str, value: object, *, multiline: bool = False, blank: bool = True
) -> str | None:
    """``None``, or :func:`text`."""
    return None if value is None else text(field, value, multiline=multiline, blank=blank)


def identifier(field: str, value: object) -> str:
    """A code or an id: non-empty single-line text."""
    return text(field, value, blank=False)


def join_url(field: str, value: object) -> str | None:
    """``None``, or an ``http``/``https`` link with a host, in printable ASCII.

    Raises:
        InvalidValueError: Anything else (errors show the link's length only:
            a personal meeting link is private).
    """
    if value is None:
        return None
    link = text(field, value, blank=False)
    problem = ""
    if not _URL.fullmatch(link):
        problem = "holds spaces, line breaks or characters other than printable ASCII"
    else:
        try:
            parts = urlsplit(link)
            parts.port  # noqa: B018 - reading it checks the port is a number
        except ValueError:
            problem = "is not a valid URL"
        else:
            if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
                problem = "is not an http(s) link with a host"
    if problem:
        raise InvalidValueError(
            field,
            link,
            problem,
            "give the https:// link to join, percent-encoding other characters",
        )
    return link


def whole(field: str, value: object, least: int, most: int, hint: str = "") -> int:
    """Refuse anything but a whole number from ``least`` to ``most``; booleans are refused."""
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
        raise InvalidValueError(field, value, f"is not a whole number from {least} to {most}", hint)
    return value


def number(field: str, value: object, least: float, most: float, hint: str = "") -> float:
    """Refuse anything but a finite number from ``least`` to ``most``; booleans are refused.

    The value is returned as given (an int stays an int).
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        # An int too large for a float is not finite here either.
        or (isinstance(value, int) and value.bit_length() > 1000)
        or not math.isfinite(value)
        or not least <= value <= most
    ):
        raise InvalidValueError(
            field, value, f"is not a finite number from {_num(least)} to {_num(most)}", hint
        )
    return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def instance(field: str, value: object, kind: type[T], hint: str = "") -> T:
    """Refuse anything but an instance of ``kind``."""
    if not isinstance(value, kind):
        raise InvalidValueError(
            field, value, f"is not a {kind.__name__}", hint or f"use {kind.__name__}(...)"
        )
    return value


def optional_instance(field: str, value: object, kind: type[T], hint: str = "") -> T | None:
    """``None``, or :func:`instance`."""
    return None if value is None else instance(field, value, kind, hint)


def _iterable(field: str, value: object, what: str) -> Iterable[object]:
    if type(value) is tuple or type(value) is list:  # the usual case, without ABC checks
        return value
    if isinstance(value, (str, bytes, bytearray, Mapping)) or not isinstance(value, Iterable):
        raise InvalidValueError(field, value, "is not a list", f"pass a list or tuple of {what}")
    return value


def tuple_of(field: str, value: object, kind: type[T], hint: str = "") -> tuple[T, ...]:
    """A collection of ``kind`` values as a tuple, each element checked.

    Raises:
        InvalidValueError: ``value`` is a string, a mapping or not iterable,
            or an element is not a ``kind``; the field names its index
            (``CarePlan.goals[1]``).
    """
    if type(value) is tuple or type(value) is list:  # the usual case, no message to build
        items = tuple(value)
    else:
        items = tuple(_iterable(field, value, f"{kind.__name__} values"))
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            instance(f"{field}[{index}]", item, kind, hint)
    return items  # every element was checked above


def tuple_converted(
    field: str, value: object, convert: Callable[[str, object], T], what: str
) -> tuple[T, ...]:
    """A collection as a tuple, each element through ``convert(field[index], element)``."""
    items = _iterable(field, value, what)
    if type(items) is not tuple and type(items) is not list:
        items = tuple(items)  # a generator would be spent by the first pass
    try:
        return tuple(convert(field, item) for item in items)
    except InvalidValueError:
        # Rare: convert again with each element's name, to say which is wrong.
        return tuple(convert(f"{field}[{index}]", item) for index, item in enumerate(items))


def date(field: str, value: object) -> pendulum.Date:
    """A calendar date (not a datetime) between :data:`careplan.EARLIEST_DATE` and
    :data:`careplan.LATEST_DATE`, as a pendulum Date."""
    if type(value) is pendulum.Date and supported(value):
        return value  # the usual case, checked without building a message
    day = require_date(field, value)
    require_supported_date(field, day)
    return day


def optional_date(field: str, value: object) -> pendulum.Date | None:
    """``None``, or :func:`date`."""
    return None if value is None else date(field, value)


#: What an id of a plan-of-care record looks like: short, no spaces, so it
#: can appear in reports, paths and FHIR ids without escaping.
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}", flags=re.ASCII)
#: Beyond any score, count or cadence a plan of care records.
LARGEST = 1_000_000_000


class Form(NamedTuple):
    """What a code or an id looks like, for :func:`matching`."""

    #: The text must match it whole.
    pattern: re.Pattern[str]
    #: What the text should be, in a message ("an id").
    what: str
    #: How to write one, in a message.
    hint: str


_RECORD_ID = Form(
    ID_PATTERN,
    "an id",
    "use 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit",
)


def matching(field: str, value: object, form: Form) -> str:
    """Refuse anything but text of ``form``, or return it.

    Raises:
        InvalidValueError: Naming ``field``, saying it is not ``form.what``.
    """
    if not isinstance(value, str) or not form.pattern.fullmatch(value):
        raise InvalidValueError(field, value, f"is not {form.what}", form.hint)
    return value


def optional_matching(field: str, value: object, form: Form) -> str | None:
    """``None``, or :func:`matching`."""
    return None if value is None else matching(field, value, form)


def record_id(field: str, value: object) -> str:
    """A plan-of-care record's id: 1 to 64 letters, digits, ``_``, ``.`` or ``-``."""
    return matching(field, value, _RECORD_ID)


def optional_record_id(field: str, value: object) -> str | None:
    """``None``, or :func:`record_id`."""
    return None if value is None else record_id(field, value)


def record_ids(field: str, value: object) -> tuple[str, ...]:
    """A collection of record ids as a tuple (:func:`record_id` each)."""
    return tuple_converted(field, value, record_id, "ids")


def unique(field: str, items: Iterable[object], attribute: str, problem: str, hint: str) -> None:
    """Refuse two ``items`` with the same ``attribute``, naming the second (``field[1].id``)."""
    seen: set[object] = set()
    for index, item in enumerate(items):
        key = getattr(item, attribute)
        if key in seen:
            raise InvalidValueError(f"{field}[{index}].{attribute}", key, problem, hint)
        seen.add(key)


def choice(field: str, value: T, choices: object, what: str) -> T:
    """Refuse anything but one of ``choices`` (a ``Literal`` alias or a tuple), or return it.

    The value comes back with the type it was given (a converter's
    parameter typed with the ``Literal``), once checked.

    Raises:
        InvalidValueError: Naming the field and listing the choices.
    """
    # A Literal's values are its __args__ (typing.get_args costs ten times more).
    allowed = choices if isinstance(choices, tuple) else getattr(choices, "__args__", ())
    if not isinstance(value, str) or value not in allowed:
        raise InvalidValueError(
            field, value, f"is not {what}", "use one of: " + ", ".join(map(str, allowed))
        )
    return value


def optional_choice(field: str, value: T | None, choices: object, what: str) -> T | None:
    """``None``, or :func:`choice`."""
    return None if value is None else choice(field, value, choices, what)


def optional_whole(field: str, value: object, least: int, most: int, hint: str = "") -> int | None:
    """``None``, or :func:`whole`."""
    return None if value is None else whole(field, value, least, most, hint)


def optional_number(
    field: str, value: object, least: float, most: float, hint: str = ""
) -> float | None:
    """``None``, or :func:`number`."""
    return None if value is None else number(field, value, least, most, hint)


def shape_repr(type_name: str, **shown: object) -> str:
    """A repr that shows ids, dates and counts only, never clinical text.

    Plan-of-care records are health information; a repr ends up in logs,
    tracebacks and notebooks, so it carries what identifies the record in
    the plan and the shape of what it holds.
    """
    parts = ", ".join(f"{key}={value!r}" for key, value in shown.items() if value is not None)
    return f"{type_name}({parts})"


def counts_repr(value: object, *fields: str) -> str:
    """A :func:`shape_repr` of how many entries each of ``fields`` of ``value`` holds."""
    return shape_repr(type(value).__name__, **{name: len(getattr(value, name)) for name in fields})
