"""Where in a document a problem is, and what an error shows of the refused value.

One helper maps every error raised while a document is read to a
:class:`~careplan.DocumentError` at its path: :class:`at`. The JSON reader
and the FHIR reader use it (the FHIR reader with ``foreign``: a Bundle's
element names are not the model's):

>>> from careplan import Session, SessionKind
>>> with at("sessions[2]", {"Session.duration": "duration_minutes"}):
...     Session("monday", "09:00", 0, SessionKind.GROUP_THERAPY)
Traceback (most recent call last):
...
careplan.DocumentError: sessions[2].duration_minutes: Duration() is not above zero; ...

Errors never quote what was refused when it may be free text (a name, a
goal, a note): :func:`show` gives numbers as they are, text by its length,
lists and objects by their kind and size.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TypeVar

from careplan._model.checks import shown
from careplan._model.errors import (
    CarePlanError,
    DocumentError,
    InvalidValueError,
    UnknownLevelError,
)

__all__ = ["at", "join", "show"]


def show(value: object) -> str:
    """What an error shows of ``value``: never its text, only its kind and size.

    >>> show(5), show("Jane Doe"), show(["a", "b"]), show({"x": 1}), show(None)
    ('5', '<text of 8 characters>', '<list of 2 items>', '<object of 1 key>', 'None')
    """
    # The sizes come from the built-in types: a subclass's own len() is not run.
    if isinstance(value, dict):
        return _sized("object", dict.__len__(value), "key")
    if isinstance(value, (list, tuple)):
        size = list.__len__(value) if isinstance(value, list) else tuple.__len__(value)
        return _sized(type(value).__name__, size, "item")
    return repr(shown(value))


def _sized(kind: str, size: int, unit: str) -> str:
    return f"<{kind} of {size} {unit}{'' if size == 1 else 's'}>"


def join(path: str, name: str) -> str:
    """``path.name``, or ``name`` at the top of the document."""
    return f"{path}.{name}" if path else name


D = TypeVar("D")
T = TypeVar("T")

#: The model names a record's day ``on``; the document names it ``date``.
ON_IS_DATE = {"on": "date"}


def each(
    name: str,
    docs: Sequence[D],
    build: Callable[[D, str], T],
    renames: Mapping[str, str] | None = None,
) -> list[T]:
    """``build(doc, path)`` for every record of the list ``name``, each at its
    path (``name[i]``), so an error names the record and its field."""
    found = []
    for index, doc in enumerate(docs):
        where = f"{name}[{index}]"
        with at(where, renames):
            found.append(build(doc, where))
    return found


class at:
    """Turn an error raised inside into a :class:`~careplan.DocumentError` at ``path``.

    An :class:`~careplan.InvalidValueError` names the model's field
    (``Session.duration``, ``CarePlan.transitions[1].on``): what follows
    the class name is appended to ``path``, so a value built from the object
    at ``path`` reports the field it was given. ``renames`` maps the
    model's names where the document's differ, by the whole field
    (``"Session.duration": "duration_minutes"``) or by its first name
    (``"on": "date"``). With ``whole``, ``path`` is the value itself (a code,
    a date) and nothing is appended. With ``foreign`` (a document whose
    element names are not the model's, a FHIR Bundle), nothing is appended
    either, and the message names the model's field instead
    (``Session.duration: 0 is not above zero``).

    An unknown level is reported by the codes it could have been; any other
    :class:`~careplan.CarePlanError` at ``path`` with its message. The
    exception classes in ``unreadable`` (a reader of foreign data may pass
    ``(KeyError, TypeError, ValueError)``) become "cannot be read", by
    their class name only: their messages may quote the data.

    A class rather than ``@contextmanager``: a document enters one per
    record, and a generator each cost a tenth of reading it.
    """

    __slots__ = ("foreign", "path", "renames", "unreadable", "whole")

    def __init__(
        self,
        path: str,
        renames: Mapping[str, str] | None = None,
        *,
        whole: bool = False,
        foreign: bool = False,
        unreadable: tuple[type[Exception], ...] = (),
    ) -> None:
        self.path = path
        self.renames = renames
        self.whole = whole
        self.foreign = foreign
        self.unreadable = unreadable

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if error is None or isinstance(error, DocumentError):
            return
        if isinstance(error, InvalidValueError):
            problem = f"{show(error.value)} {error.problem}"
            if self.foreign:
                problem = f"{error.field}: {problem}"
            raise DocumentError(
                self.where(error.field), f"{problem}; {error.hint}" if error.hint else problem
            ) from None
        if isinstance(error, UnknownLevelError):
            raise DocumentError(
                self.path,
                f"{show(error.code)} is not a level of the continuum; "
                f"use one of: {', '.join(error.known)}",
            ) from None
        if isinstance(error, CarePlanError):
            raise DocumentError(self.path, str(error)) from None
        if self.unreadable and isinstance(error, self.unreadable):
            raise DocumentError(self.path, f"cannot be read ({type(error).__name__})") from None

    def where(self, field: str) -> str:
        """The document path of the model's ``field`` raised inside."""
        if self.whole or self.foreign:
            return self.path
        owner, dot, rest = field.partition(".")
        if not dot or not owner.isidentifier():
            return self.path  # not a field of a value ("CarePlan session kind 'x'")
        renames = self.renames or {}
        if field in renames:
            return join(self.path, renames[field])
        name = rest.split(".", 1)[0].split("[", 1)[0]
        if name in renames:
            rest = renames[name] + rest[len(name) :]
        return join(self.path, rest)
