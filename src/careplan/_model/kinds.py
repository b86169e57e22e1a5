"""Session kinds and treatment tracks: small open vocabularies.

Both are values with a machine ``code`` and a human ``label`` rather than
enums, because every clinic adds its own (art therapy, a veterans' track):
``SessionKind("art_therapy", "Art therapy")`` is as good as a built-in one.
Equality and hashing use the code only.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import ClassVar, TypeVar

import attrs

from careplan._model.checks import Form, matching, text
from careplan._model.errors import InvalidValueError

__all__ = [
    "SessionKind",
    "TreatmentTrack",
    "Vocabulary",
    "one_label_per_code",
    "optional_track",
    "session_kind",
    "treatment_track",
]

_CODE = Form(
    re.compile(r"[a-z][a-z0-9_]*"),
    "a valid code",
    "use lower-case letters, digits and underscores, starting with a letter",
)


def vocabulary_code(field: str, value: object) -> str:
    """A kind's, track's or reason's code: lower-case letters, digits and underscores."""
    return matching(field, value, _CODE)


V = TypeVar("V", bound="Vocabulary")


class Vocabulary:
    """What a kind, a track and a transition reason share: a code, a label, built-ins.

    Each vocabulary is a frozen attrs class on this base; it sets
    ``_builtin`` (and ``_by_code``) once, after its built-in values are made. Equality and
    hashing use the code only (the subclasses say so in their fields).
    """

    __slots__ = ()

    code: str
    label: str
    #: What the vocabulary is called in messages ("session kind").
    what: ClassVar[str] = "vocabulary entry"
    _builtin: ClassVar[tuple[Vocabulary, ...]] = ()
    _by_code: ClassVar[dict[str, Vocabulary]] = {}

    @classmethod
    def _declare(cls, *values: Vocabulary) -> None:
        """Make ``values`` the built-in ones, in display order, each also a class
        attribute named by its code in capitals (``SessionKind.GROUP_THERAPY``)."""
        for value in values:
            setattr(cls, value.code.upper(), value)
        cls._builtin = values
        cls._by_code = {value.code: value for value in reversed(values)}

    @classmethod
    def builtins(cls: type[V]) -> tuple[V, ...]:
        """The values careplan knows by name, in display order."""
        return cls._builtin  # type: ignore[return-value]

    @classmethod
    def builtin(cls: type[V], code: str) -> V | None:
        """The built-in value with ``code``, or ``None``."""
        if not isinstance(code, str):
            return None
        return cls._by_code.get(code)  # type: ignore[return-value]

    @classmethod
    def near(cls, code: str) -> str | None:
        """The built-in code closest to ``code`` (a likely typo of it), if any is close."""
        close = difflib.get_close_matches(code, [item.code for item in cls.builtins()], n=1)
        return close[0] if close else None

    def __str__(self) -> str:
        return self.label


@attrs.frozen
class _Open(Vocabulary):
    """An open vocabulary: a value built with no label is labelled from its code.

    A code that is not built in and came without a label is *undeclared*
    (it may be a typo); see :attr:`declared`. Errors name the field by the
    vocabulary's class (``SessionKind.code``).
    """

    code: str
    label: str = attrs.field(default="", eq=False)
    _declared: bool = attrs.field(init=False, default=True, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        owner = type(self).__name__
        vocabulary_code(f"{owner}.code", self.code)
        text(f"{owner}.label", self.label)
        _fill_label(self)

    @property
    def declared(self) -> bool:
        """True when the value was given a label (every built-in one was)."""
        return self._declared

    @classmethod
    def from_code(cls: type[OpenT], code: str) -> OpenT:
        """The built-in value with ``code``, or a new one labelled from the code."""
        return cls.builtin(code) or cls(code)


OpenT = TypeVar("OpenT", bound=_Open)


def _fill_label(value: _Open) -> None:
    """Label a value built without one from its code, and remember it was not declared.

    A kind or track whose code is not built in and that was given no label
    may be a misspelt built-in one; validation warns about it
    (``vocabulary.undeclared``). An empty label counts as none.
    """
    if value.label == "":
        # Frozen values are filled in once, while being built. A built-in
        # code takes its built-in label, so it is the built-in value.
        builtin = type(value).builtin(value.code)
        label = value.code.replace("_", " ").capitalize() if builtin is None else builtin.label
        object.__setattr__(value, "label", label)
        object.__setattr__(value, "_declared", builtin is not None)


@attrs.frozen
class SessionKind(_Open):
    """What happens in a session: group therapy, individual therapy, ...

    Attributes:
        code: Stable machine code, e.g. ``"group_therapy"``; used in JSON.
        label: Human name; defaults to the code in words. A kind with a code
            that is not built in is *declared* by giving it a label;
            validation warns about an undeclared one, which may be a typo
            (``"group_therpy"``).

    >>> SessionKind.GROUP_THERAPY.label
    'Group therapy'
    >>> SessionKind("art_therapy") == SessionKind("art_therapy", "Art studio")
    True
    >>> SessionKind("art_therapy").label, SessionKind("art_therapy").declared
    ('Art therapy', False)
    """

    what: ClassVar[str] = "session kind"

    CHECK_IN: ClassVar[SessionKind]
    GROUP_THERAPY: ClassVar[SessionKind]
    INDIVIDUAL_THERAPY: ClassVar[SessionKind]
    PSYCHIATRIC: ClassVar[SessionKind]
    LIFE_SKILLS: ClassVar[SessionKind]
    PSYCHOEDUCATION: ClassVar[SessionKind]
    FAMILY_THERAPY: ClassVar[SessionKind]


SessionKind._declare(
    SessionKind("check_in", "Check-in and mindfulness"),
    SessionKind("group_therapy", "Group therapy"),
    SessionKind("individual_therapy", "Individual therapy"),
    SessionKind("psychiatric", "Psychiatric / medication management"),
    SessionKind("life_skills", "Life skills"),
    SessionKind("psychoeducation", "Psychoeducation"),
    SessionKind("family_therapy", "Family therapy"),
)


@attrs.frozen
class TreatmentTrack(_Open):
    """A clinical focus of treatment: CBT, DBT, trauma recovery, ...

    Not to be confused with the article's morning/afternoon/evening "tracks",
    which careplan calls :class:`~careplan.DayPart`.

    Attributes:
        code: Stable machine code, e.g. ``"dbt"``; used in JSON.
        label: Human name; defaults to the code in words. As for
            :class:`SessionKind`, a track with a code that is not built in is
            declared by giving it a label.

    >>> TreatmentTrack.DUAL_DIAGNOSIS.label
    'Dual diagnosis'
    """

    what: ClassVar[str] = "treatment track"

    CBT: ClassVar[TreatmentTrack]
    DBT: ClassVar[TreatmentTrack]
    TRAUMA_RECOVERY: ClassVar[TreatmentTrack]
    RELAPSE_PREVENTION: ClassVar[TreatmentTrack]
    ANGER_MANAGEMENT: ClassVar[TreatmentTrack]
    DEPRESSION: ClassVar[TreatmentTrack]
    DUAL_DIAGNOSIS: ClassVar[TreatmentTrack]
    FAMILY: ClassVar[TreatmentTrack]


TreatmentTrack._declare(
    TreatmentTrack("cbt", "Cognitive behavioral therapy (CBT)"),
    TreatmentTrack("dbt", "Dialectical behavior therapy (DBT)"),
    TreatmentTrack("trauma_recovery", "Trauma recovery"),
    TreatmentTrack("relapse_prevention", "Relapse prevention"),
    TreatmentTrack("anger_management", "Anger management"),
    TreatmentTrack("depression", "Depression"),
    TreatmentTrack("dual_diagnosis", "Dual diagnosis"),
    TreatmentTrack("family", "Family"),
)


def _entry(field: str, value: object, kind: type[OpenT], hint: str) -> OpenT:
    """A ``kind`` value, or the one with that code (built in, else custom, undeclared)."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str) and _CODE.pattern.fullmatch(value):
        return kind.from_code(value)
    raise InvalidValueError(field, value, f"is not a {kind.__name__}", hint)


def session_kind(field: str, value: object) -> SessionKind:
    """A :class:`SessionKind`, or the kind with that code (built in, else custom, undeclared).

    Raises:
        InvalidValueError: Neither a kind nor a valid code, naming ``field``.
    """
    return _entry(
        field, value, SessionKind, "use e.g. SessionKind.GROUP_THERAPY or its code 'group_therapy'"
    )


def treatment_track(field: str, value: object) -> TreatmentTrack:
    """A :class:`TreatmentTrack`, or the track with that code (built in, else custom, undeclared).

    Raises:
        InvalidValueError: Neither a track nor a valid code, naming ``field``.
    """
    return _entry(field, value, TreatmentTrack, "use e.g. TreatmentTrack.CBT or its code 'cbt'")


def optional_track(field: str, value: object) -> TreatmentTrack | None:
    """``None``, or :func:`treatment_track`."""
    return None if value is None else treatment_track(field, value)


def one_label_per_code(owner: str, used: Iterable[Vocabulary]) -> None:
    """Refuse two labels for one kind, track or reason code among ``used``.

    A document keeps one label per code, so a plan with two could not be
    read back as it was written. That holds for a label derived from the
    code too (a custom kind built without one): it would come back as the
    declared label of the same code.

    Raises:
        InvalidValueError: Naming the code (a code, not free text) in the field.
    """
    labels: dict[tuple[type, str], str] = {}
    for item in used:
        label = labels.setdefault((type(item), item.code), item.label)
        if label != item.label:
            raise InvalidValueError(
                f"{owner} {item.what} {item.code!r}",
                item.label,
                "is a second label for the code",
                "give each code one label throughout the plan",
            )
