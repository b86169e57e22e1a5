"""Reading single values of a document: dates, times, lengths, and labelled codes.

A kind, track or transition reason is written as its code; a label the code
alone would not give back travels in the document's ``labels`` object, and
every place a code appears is read with it (see
:func:`careplan.document.write.labels_doc` for the writing side).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping

import pendulum

from careplan._model.errors import DocumentError
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.limits import EARLIEST_DATE, LATEST_DATE, supported
from careplan._model.transition import Direction, TransitionReason
from careplan.document.paths import show

__all__ = ["date", "datetime", "kind", "minutes", "optional_date", "reason", "track"]

_OUTSIDE = f"is outside the dates careplan works with ({EARLIEST_DATE} to {LATEST_DATE})"


def date(path: str, text: str) -> pendulum.Date:
    """The date ``text`` (``YYYY-MM-DD``) at ``path``, within careplan's window."""
    # fromisoformat reads other ISO forms too ("20270104", "2027-W01-1"):
    # only ten characters with dashes at 4 and 7 reach it, and it takes
    # ASCII digits only.
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError
        parsed = _dt.date.fromisoformat(text)
    except ValueError:
        raise DocumentError(path, f"{show(text)} is not a date (YYYY-MM-DD)") from None
    day = pendulum.Date(parsed.year, parsed.month, parsed.day)
    if not supported(day):
        raise DocumentError(path, f"{show(text)} {_OUTSIDE}")
    return day


def optional_date(path: str, text: str | None) -> pendulum.Date | None:
    """:func:`date`, or ``None`` for a field left empty."""
    return None if text is None else date(path, text)


def datetime(path: str, text: str) -> pendulum.DateTime:
    """The instant ``text`` (ISO 8601 with a UTC offset) at ``path``."""
    try:
        value = _dt.datetime.fromisoformat(text)
    except ValueError:
        raise DocumentError(
            path, f"{show(text)} is not a date and time (YYYY-MM-DDTHH:MM±HH:MM)"
        ) from None
    if value.tzinfo is None:
        raise DocumentError(path, f"{show(text)} has no UTC offset; add one (e.g. -05:00)")
    if not supported(value.date()):
        raise DocumentError(path, f"{show(text)} {_OUTSIDE}")
    return pendulum.instance(value)


def minutes(path: str, value: int) -> int:
    """A length in minutes at ``path``: 1 to 1440."""
    if not 0 < value <= 24 * 60:
        raise DocumentError(path, f"{show(value)} is not a length between 1 and 1440 minutes")
    return value


def kind(code: str, labels: Mapping[str, str]) -> SessionKind:
    """The session kind of ``code``, with its label from the document when it has one."""
    return SessionKind(code, labels[code]) if code in labels else SessionKind.from_code(code)


def track(code: str, labels: Mapping[str, str]) -> TreatmentTrack:
    """The treatment track of ``code``, with its label from the document when it has one."""
    return TreatmentTrack(code, labels[code]) if code in labels else TreatmentTrack.from_code(code)


def reason(code: str, direction: Direction, labels: Mapping[str, str]) -> TransitionReason:
    """The transition reason of ``code``: built in, or custom with its label."""
    builtin = TransitionReason.builtin(code)
    if builtin is not None and code not in labels:
        return builtin
    return TransitionReason(code, labels.get(code, code.replace("_", " ").capitalize()), direction)
