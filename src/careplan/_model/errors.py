"""The exceptions careplan raises.

Every error is a :class:`CarePlanError`, itself a :class:`ValueError`, so a
caller can catch one thing. The leaves carry the offending value and where it
was found as attributes, so a service can turn them into its own responses
without parsing messages.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import pendulum

__all__ = [
    "AmbiguousTimeError",
    "CarePlanError",
    "DocumentError",
    "InvalidValueError",
    "MissingExtraError",
    "NaiveDateTimeError",
    "NonexistentTimeError",
    "Shown",
    "TimeZoneError",
    "TransitionError",
    "UnknownLevelError",
    "shown",
]


class Shown:
    """What an error shows of a refused value, when the value itself may be private."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Shown) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)

    def __reduce__(self) -> tuple[type[Shown], tuple[str]]:
        return (Shown, (self._text,))


def shown(value: object) -> object:
    """``value`` as an error may show it: the one place every message's value is built.

    Numbers (up to 20 digits), booleans, ``None``, dates and times are
    shown as they are; text (any text: a code may be a name typed in the
    wrong field) by its length only; a short tuple or list element by
    element; anything else by its type. A :class:`Shown` is kept.

    >>> shown("Jane Doe"), shown(3), shown((1.5, 2))
    (<text of 8 characters>, 3, (1.5, 2))
    """
    if isinstance(value, Shown):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        # repr of an int of thousands of digits raises ValueError in Python 3.11+.
        return Shown(f"<a whole number of about {int(value.bit_length() * 0.30103) + 1} digits>")
    if value is None or isinstance(
        value, (bool, int, float, _dt.date, _dt.time, _dt.timedelta, pendulum.WeekDay)
    ):
        return value
    if isinstance(value, str):
        return Shown(f"<text of {len(value)} character{'' if len(value) == 1 else 's'}>")
    if isinstance(value, (tuple, list)) and len(value) <= 4:
        items = ", ".join(repr(shown(item)) for item in value)
        return Shown(f"({items})" if isinstance(value, tuple) else f"[{items}]")
    return Shown(f"<{type(value).__name__}>")


class CarePlanError(ValueError):
    """The root of every error careplan raises.

    Catch this to handle any problem with careplan values or documents.
    """

    def __init_subclass__(cls, **kwargs: object) -> None:
        # careplan's own errors name themselves by their public name
        # (careplan.DocumentError), in tracebacks and wherever a user copies
        # the name from; a user's own subclasses keep their module.
        super().__init_subclass__(**kwargs)
        if cls.__module__.startswith("careplan._"):
            cls.__module__ = "careplan"


CarePlanError.__module__ = "careplan"


class InvalidValueError(CarePlanError):
    """A value can never be meaningful where it was given.

    Fix the value named by :attr:`field`; :attr:`hint` says how.

    The error keeps the value as :func:`shown` shows it, never text (which
    may be a client's name or a note), so neither its message nor anything
    built from :attr:`value` (a document path's message, a log line) can
    quote what a user typed.

    Attributes:
        field: Where the value was given, e.g. ``"Session.duration"``.
        value: The offending value as :func:`shown` shows it: numbers,
            dates and ``None`` as they are, text by its length only.
        problem: What is wrong with it.
        hint: How to fix it.
    """

    def __init__(self, field: str, value: object, problem: str, hint: str = "") -> None:
        value = shown(value)
        self.field = field
        self.value = value
        self.problem = problem
        self.hint = hint
        message = f"{field}: {value!r} {problem}"
        if hint:
            message += f"; {hint}"
        super().__init__(message)


class TimeZoneError(InvalidValueError):
    """A time zone is unknown or is not an IANA zone.

    Schedules need a named IANA zone (``"America/New_York"``) because a
    fixed offset such as ``"-05:00"`` cannot follow daylight saving time and
    calendar clients cannot resolve it. Pass the zone's IANA name instead.
    """


class NaiveDateTimeError(InvalidValueError):
    """A datetime without a time zone crossed the public surface.

    A naive datetime is ambiguous: it could mean any instant. Attach a zone,
    e.g. ``pendulum.datetime(2026, 3, 9, 9, tz="America/New_York")``.
    """

    def __init__(self, field: str, value: object) -> None:
        super().__init__(
            field,
            value,
            "is a naive datetime (it has no time zone)",
            "attach one, e.g. pendulum.datetime(..., tz='America/New_York')",
        )


class _WallTimeError(CarePlanError):
    """A wall time that a clock change skips or repeats; the subclass says which."""

    #: The message, with ``{local}`` and ``{timezone}`` to fill in.
    _message = ""

    def __init__(self, local: str, timezone: str) -> None:
        self.local = local
        self.timezone = timezone
        super().__init__(self._message.format(local=local, timezone=timezone))


class NonexistentTimeError(_WallTimeError):
    """A session's wall time does not exist on a day (the clock jumps over it).

    Raised only with the ``"raise"`` policy. Choose another policy
    (``"compatible"`` is the default) or move the session out of the gap.

    Attributes:
        local: The wall time that does not exist, as ``"YYYY-MM-DD HH:MM"``.
        timezone: The zone's IANA name.
    """

    _message = (
        "{local} does not exist in {timezone} (the clocks skip it); "
        "use disambiguate='compatible' to shift it forward, or move the session"
    )


class AmbiguousTimeError(_WallTimeError):
    """A session's wall time happens twice on a day (the clock falls back).

    Raised only with the ``"raise"`` policy. Choose ``"earlier"``,
    ``"later"`` or ``"compatible"``, or move the session.

    Attributes:
        local: The repeated wall time, as ``"YYYY-MM-DD HH:MM"``.
        timezone: The zone's IANA name.
    """

    _message = (
        "{local} happens twice in {timezone} (the clocks fall back); "
        "use disambiguate='earlier' or 'later', or move the session"
    )


class UnknownLevelError(CarePlanError):
    """A level code is not on the continuum it was looked up in.

    Use one of :attr:`known`, or add the level to the continuum.

    Attributes:
        code: The code that was asked for.
        continuum: The continuum's name.
        known: The codes the continuum has.
    """

    def __init__(self, code: str, continuum: str, known: Sequence[str]) -> None:
        self.code = code
        self.continuum = continuum
        self.known = tuple(known)
        super().__init__(
            f"level {shown(code)!r} is not on the {continuum} continuum; "
            f"use one of: {', '.join(self.known)}"
        )


class DocumentError(CarePlanError):
    """A careplan document (JSON) is malformed.

    :attr:`path` names the bad field the way a JSON path does
    (``sessions[2].start``); fix that field, or regenerate the document with
    :func:`careplan.to_json`.

    Attributes:
        path: Where in the document the problem is (``""`` for the whole).
        problem: What is wrong there.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


class TransitionError(CarePlanError):
    """A step up, step down, schedule change or discharge cannot be made.

    The plan it was asked of is unchanged. :attr:`hint` says what to do.

    Attributes:
        problem: What is wrong.
        hint: How to fix it.
    """

    def __init__(self, problem: str, hint: str) -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(f"{problem}; {hint}")


class MissingExtraError(CarePlanError, ImportError):
    """A feature needs an optional dependency that is not installed.

    Install the extra named by :attr:`extra`; :attr:`hint` gives the command.

    Attributes:
        feature: What needs it ("census scheduling").
        package: The missing package ("ortools").
        extra: The careplan extra that installs it ("census").
        hint: How to install it.
    """

    def __init__(self, feature: str, package: str, extra: str) -> None:
        self.feature = feature
        self.package = package
        self.extra = extra
        # careplan is installed from a checkout or a built wheel until it is
        # published, so the hint gives those commands, not a PyPI name.
        self.hint = (
            f"from a checkout, pip install -e '.[{extra}]'; from a wheel, "
            f"pip install 'careplan-<version>-py3-none-any.whl[{extra}]'"
        )
        super().__init__(
            f"{feature} needs {package}, in careplan's {extra!r} extra, which is not installed; "
            f"{self.hint}"
        )
