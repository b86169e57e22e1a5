"""The records of moves between levels of care, and the episodes they make.

A plan's history is a sequence of :class:`Transition` values: each records
the day a change took effect, the level before and after, why, and the
weekly schedule that was in effect until then. The plan's own ``level`` and
``schedule`` are the latest ones. :class:`Episode` values (one stay at one
level) are derived from the transitions, never stored.

Several transitions may share a date; they happened in the order of the
history. A step on the day the previous episode began leaves that episode
with no days (admitted to PHP and stepped up to inpatient the same day), and
a discharge on the day of the last step ends a one-day episode (stepped up
and transferred out the same day). A client admitted and discharged the
same day has a plan whose discharge is on its start date.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar, Literal, Protocol

import attrs
import pendulum

from careplan._model.checks import (
    choice,
    date,
    hidden,
    identifier,
    instance,
    optional_instance,
    text,
)
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import Vocabulary, vocabulary_code
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.schedule import WeeklySchedule

__all__ = [
    "TEDS_D_REASONS",
    "Direction",
    "Episode",
    "History",
    "Referral",
    "Transition",
    "TransitionReason",
    "check_history",
    "direction_between",
    "episodes_of",
]

#: Which way a transition moves along the continuum.
Direction = Literal["step_up", "step_down", "lateral", "discharge"]


@attrs.frozen
class TransitionReason(Vocabulary):
    """Why a client moves: a coded reason with the direction it belongs to.

    Attributes:
        code: Stable code used in JSON ("relapse_risk").
        label: Human wording.
        direction: The kind of transition the reason explains.

    >>> TransitionReason.RELAPSE_RISK.direction
    'step_up'
    >>> TransitionReason.from_code("goals_met").label
    'Treatment goals met'
    """

    code: str
    label: str = attrs.field(eq=False)
    direction: Direction

    def __attrs_post_init__(self) -> None:
        vocabulary_code("TransitionReason.code", self.code)
        text("TransitionReason.label", self.label)
        choice("TransitionReason.direction", self.direction, Direction, "a direction")

    what: ClassVar[str] = "transition reason"

    WORSENING_SYMPTOMS: ClassVar[TransitionReason]
    INSTABILITY: ClassVar[TransitionReason]
    RELAPSE_RISK: ClassVar[TransitionReason]
    SAFETY_CONCERN: ClassVar[TransitionReason]
    GOALS_MET: ClassVar[TransitionReason]
    STABILISED: ClassVar[TransitionReason]
    COMPLETED_PROGRAM: ClassVar[TransitionReason]
    SCHEDULE_CHANGE: ClassVar[TransitionReason]
    MODALITY_CHANGE: ClassVar[TransitionReason]
    TREATMENT_COMPLETED: ClassVar[TransitionReason]
    LEFT_AGAINST_ADVICE: ClassVar[TransitionReason]
    TERMINATED_BY_FACILITY: ClassVar[TransitionReason]
    TRANSFERRED: ClassVar[TransitionReason]
    INCARCERATED: ClassVar[TransitionReason]
    DEATH: ClassVar[TransitionReason]
    MOVED: ClassVar[TransitionReason]
    OTHER: ClassVar[TransitionReason]
    CLIENT_WITHDREW: ClassVar[TransitionReason]
    ADMINISTRATIVE: ClassVar[TransitionReason]

    @classmethod
    def from_code(cls, code: str) -> TransitionReason:
        """The built-in reason with ``code`` (either spelling where English has two:
        ``"stabilized"`` is ``"stabilised"``).

        >>> TransitionReason.from_code("stabilized") is TransitionReason.STABILISED
        True

        Raises:
            InvalidValueError: No built-in reason has that code (build a
                :class:`TransitionReason` for your own).
        """
        wanted = _SPELLINGS.get(code, code) if isinstance(code, str) else code
        found = cls.builtin(wanted)
        if found is not None:
            return found
        near = cls.near(code) if isinstance(code, str) else None
        raise InvalidValueError(
            "reason",
            code,
            "is not a known transition reason",
            (f"did you mean {near!r}? " if near else "")
            + f"use one of {', '.join(r.code for r in cls.builtins())}"
            + " or TransitionReason(code, label, direction)",
        )

    @property
    def teds_d(self) -> int | None:
        """The reason's code in SAMHSA's TEDS-D (``REASON``: reason for discharge), if it has one.

        1 treatment completed, 2 dropped out of treatment, 3 terminated by
        facility, 4 transferred to another treatment program or facility,
        5 incarcerated, 6 death, 7 other (:data:`TEDS_D_REASONS`). Every
        built-in discharge reason has one (``moved`` is 7, other); a step or a
        lateral move has none (see :attr:`Transition.teds_d`), nor has a
        reason of your own.

        >>> TransitionReason.MOVED.teds_d, TransitionReason.LEFT_AGAINST_ADVICE.teds_d
        (7, 2)
        """
        return _TEDS_D_BY_REASON.get(self.code) if self.direction == "discharge" else None

    @property
    def completes_treatment(self) -> bool:
        """True for the discharge that ends treatment as planned (``treatment_completed``).

        Every other discharge ends care before completion; FHIR calls such a
        plan ``revoked``.
        """
        return self.code == "treatment_completed"


_R = TransitionReason
_R._declare(
    _R("worsening_symptoms", "Worsening symptoms", "step_up"),
    _R("instability", "Loss of stability", "step_up"),
    _R("relapse_risk", "Relapse or rising relapse risk", "step_up"),
    _R("safety_concern", "Safety concern", "step_up"),
    _R("goals_met", "Treatment goals met", "step_down"),
    _R("stabilised", "Stabilised", "step_down"),
    _R("completed_program", "Completed the program", "step_down"),
    _R("schedule_change", "Schedule change", "lateral"),
    _R("modality_change", "Change of modality", "lateral"),
    # Discharge reasons follow the discharge types of SAMHSA's Treatment Episode
    # Data Set (TEDS), so counts compare with state and national reports.
    _R("treatment_completed", "Treatment completed", "discharge"),
    _R("left_against_advice", "Left against professional advice (dropped out)", "discharge"),
    _R("terminated_by_facility", "Terminated by the facility", "discharge"),
    _R("transferred", "Transferred to another treatment program or facility", "discharge"),
    _R("incarcerated", "Incarcerated", "discharge"),
    _R("death", "Death", "discharge"),
    _R("moved", "Moved", "discharge"),
    _R("other", "Other or unknown", "discharge"),
    # Older codes, still read and written: the TEDS types above say the same more
    # precisely (left_against_advice, terminated_by_facility).
    _R("client_withdrew", "Client withdrew", "discharge"),
    _R("administrative", "Administrative discharge", "discharge"),
)
del _R
#: SAMHSA Treatment Episode Data Set - Discharges (TEDS-D): the codes of its
#: "reason for discharge, transfer, or discontinuance of treatment" (``REASON``
#: in the public-use file's codebook).
TEDS_D_REASONS: Mapping[int, str] = MappingProxyType(
    {
        1: "Treatment completed",
        2: "Dropped out of treatment",
        3: "Terminated by facility",
        4: "Transferred to another treatment program or facility",
        5: "Incarcerated",
        6: "Death",
        7: "Other",
    }
)
#: Each built-in discharge reason's TEDS-D code. ``moved`` is a type on some
#: states' lists (Oklahoma's 63) but not in TEDS-D, which records it as other;
#: the older codes say what their TEDS names say.
_TEDS_D_BY_REASON: Mapping[str, int] = MappingProxyType(
    {
        "treatment_completed": 1,
        "left_against_advice": 2,
        "client_withdrew": 2,
        "terminated_by_facility": 3,
        "administrative": 3,
        "transferred": 4,
        "incarcerated": 5,
        "death": 6,
        "moved": 7,
        "other": 7,
    }
)
#: Other spellings of built-in codes, read as the code itself.
_SPELLINGS = {"stabilized": "stabilised"}


def _to_on(value: _dt.date) -> pendulum.Date:
    return date("Transition.on", value)


def _reason(value: TransitionReason | str) -> TransitionReason:
    if isinstance(value, str):
        return TransitionReason.from_code(value)
    return instance("Transition.reason", value, TransitionReason)


@attrs.frozen
class Referral:
    """Where a discharged client is referred: a level of care elsewhere.

    Attributes:
        level: The level code, on the plan's continuum ("OP" for outpatient
            therapy at a community clinic).
        provider: Who provides it, if known; hidden from the repr.

    >>> Referral("OP", "Eastside Community Clinic").level
    'OP'
    """

    level: str
    provider: str = attrs.field(default="", repr=hidden)

    def __attrs_post_init__(self) -> None:
        if isinstance(self.level, str) and not self.level.strip():
            raise InvalidValueError(
                "Referral.level", self.level, "is empty", "name the level of care referred to"
            )
        identifier("Referral.level", self.level)
        text("Referral.provider", self.provider)


@attrs.frozen
class Transition:
    """One change in a plan's history.

    Attributes:
        on: The day the change takes effect. For a step or a schedule change,
            the first day of the new episode; for a discharge, the last day of
            care. Transitions on the same day happen in history order.
        from_level: The level code before.
        to_level: The level code after (``None`` for a discharge).
        direction: ``"step_up"``, ``"step_down"``, ``"lateral"`` or
            ``"discharge"``.
        reason: Why (a :class:`TransitionReason` or a built-in reason's code).
        previous_schedule: The weekly schedule in effect until ``on``.
        note: Free text for the record (tabs and line feeds allowed); hidden
            from the repr.
        referral: For a discharge, where the client is referred (a level of
            care elsewhere); ``None`` otherwise.
    """

    on: pendulum.Date = attrs.field(converter=_to_on)
    from_level: str
    to_level: str | None
    direction: Direction
    reason: TransitionReason = attrs.field(converter=_reason)
    previous_schedule: WeeklySchedule
    note: str = attrs.field(default="", repr=hidden)
    referral: Referral | None = None

    @property
    def teds_d(self) -> int | None:
        """How TEDS-D records the change (see :data:`TEDS_D_REASONS`), if it records it.

        A step up or down within the provider ends one service (IOP, say) and
        begins another in the same treatment episode: TEDS calls that a
        transfer, and the discharge record of the service left carries 4,
        "transferred to another treatment program or facility". A discharge
        carries its reason's code; a lateral change of schedule is not a
        change of service (``None``).

        >>> import pendulum
        >>> from careplan.demo import sample_schedule
        >>> down = Transition(pendulum.date(2027, 3, 1), "IOP", "OP", "step_down",
        ...                   "goals_met", sample_schedule())
        >>> down.teds_d, TEDS_D_REASONS[down.teds_d]
        (4, 'Transferred to another treatment program or facility')
        """
        if self.direction in ("step_up", "step_down"):
            return 4
        return self.reason.teds_d

    def __attrs_post_init__(self) -> None:
        identifier("Transition.from_level", self.from_level)
        if self.to_level is not None:
            identifier("Transition.to_level", self.to_level)
        choice("Transition.direction", self.direction, Direction, "a direction")
        instance("Transition.previous_schedule", self.previous_schedule, WeeklySchedule)
        text("Transition.note", self.note, multiline=True)
        optional_instance("Transition.referral", self.referral, Referral)
        if self.reason.direction != self.direction:
            raise InvalidValueError(
                "Transition.reason",
                self.reason.code,
                f"explains a {self.reason.direction.replace('_', ' ')}, "
                f"not a {self.direction.replace('_', ' ')}",
                "choose a reason of the same direction",
            )
        if self.referral is not None and self.direction != "discharge":
            raise InvalidValueError(
                "Transition.referral",
                self.referral.level,
                "is only meaningful for a discharge",
                "step to the level instead, or discharge with the referral",
            )
        if (self.direction == "discharge") != (self.to_level is None):
            raise InvalidValueError(
                "Transition.to_level",
                self.to_level,
                "must be None exactly for a discharge",
                "give the target level, or use direction='discharge'",
            )


@attrs.frozen
class Episode:
    """One stay at one level of care, derived from the plan's transitions.

    Attributes:
        level: The level of care.
        schedule: The weekly schedule in effect.
        start: First day.
        end: Last day (included).
        came_in_by: The transition that started it (``None`` for the first).
        left_by: The transition that ended it (``None`` while it runs to the
            plan's end).
    """

    level: LevelOfCare
    schedule: WeeklySchedule
    start: pendulum.Date
    end: pendulum.Date
    came_in_by: Transition | None = None
    left_by: Transition | None = None

    @property
    def reason_in(self) -> TransitionReason | None:
        """Why the client came into this episode."""
        return None if self.came_in_by is None else self.came_in_by.reason

    @property
    def reason_out(self) -> TransitionReason | None:
        """Why the episode ended, if it did before the plan's end."""
        return None if self.left_by is None else self.left_by.reason

    @property
    def days(self) -> int:
        """The episode's length in days: 0 for a level left on the day it began."""
        # Ordinals: subtracting pendulum dates builds an Interval (about 10 us).
        return self.end.toordinal() - self.start.toordinal() + 1

    @property
    def weeks(self) -> float:
        """The episode's length in weeks."""
        return self.days / 7

    def contains(self, day: _dt.date) -> bool:
        """True when ``day`` falls inside the episode."""
        return self.start <= day <= self.end


class History(Protocol):
    """What a plan's history is judged with: the fields of a :class:`~careplan.CarePlan`.

    A protocol, so the plan (which holds a history) and the history's rules
    do not import each other.
    """

    @property
    def start(self) -> pendulum.Date: ...
    @property
    def end(self) -> pendulum.Date: ...
    @property
    def level(self) -> LevelOfCare: ...
    @property
    def schedule(self) -> WeeklySchedule: ...
    @property
    def continuum(self) -> Continuum: ...
    @property
    def transitions(self) -> tuple[Transition, ...]: ...


def check_history(plan: History) -> None:
    """Refuse a history that cannot be meaningful (the plan constructor calls this)."""
    continuum = plan.continuum
    previous_day = plan.start
    current: str | None = None
    for index, transition in enumerate(plan.transitions):
        where = f"CarePlan.transitions[{index}]"
        referred = None if transition.referral is None else transition.referral.level
        for code in (transition.from_level, transition.to_level, referred):
            if code is not None:
                continuum[code]  # raises UnknownLevelError
        if current is not None and transition.from_level != current:
            raise InvalidValueError(
                f"{where}.from_level",
                transition.from_level,
                f"does not follow the level before it ({current})",
                "each transition starts from the level the previous one ended at",
            )
        if transition.on < previous_day:
            raise InvalidValueError(
                f"{where}.on",
                transition.on.isoformat(),
                f"is before {previous_day.isoformat()}",
                "transitions take effect from the plan's start on, in date order",
            )
        if transition.direction == "discharge":
            if index != len(plan.transitions) - 1:
                raise InvalidValueError(
                    where,
                    "discharge",
                    "is followed by more transitions",
                    "nothing follows a discharge",
                )
            if plan.end != transition.on:
                raise InvalidValueError(
                    "CarePlan.end",
                    plan.end.isoformat(),
                    f"is not the discharge date {transition.on.isoformat()}",
                    "a discharged plan ends on its discharge date",
                )
        else:
            assert transition.to_level is not None
            expected = direction_between(
                continuum[transition.from_level], continuum[transition.to_level]
            )
            if transition.direction != expected:
                raise InvalidValueError(
                    f"{where}.direction",
                    transition.direction,
                    f"does not match {transition.from_level} -> {transition.to_level} ({expected})",
                    "use the direction the ranks of the levels give",
                )
            if transition.on > plan.end:
                raise InvalidValueError(
                    f"{where}.on",
                    transition.on.isoformat(),
                    f"is after the plan's end {plan.end.isoformat()}",
                    "extend the plan's end before adding the transition",
                )
        current = transition.from_level if transition.to_level is None else transition.to_level
        previous_day = transition.on
    if current is not None and current != plan.level.code:
        raise InvalidValueError(
            "CarePlan.level",
            plan.level.code,
            f"is not the level the history ends at ({current})",
            "the plan's level is the level of its last episode",
        )


def direction_between(origin: LevelOfCare, target: LevelOfCare) -> Direction:
    if target.rank > origin.rank:
        return "step_up"
    if target.rank < origin.rank:
        return "step_down"
    return "lateral"


def episodes_of(plan: History) -> tuple[Episode, ...]:
    """The plan's episodes, first to last; contiguous and covering its period."""
    moves = [t for t in plan.transitions if t.direction != "discharge"]
    discharge_by = next((t for t in plan.transitions if t.direction == "discharge"), None)
    found = []
    start = plan.start
    came_in_by: Transition | None = None
    for move in moves:
        found.append(
            Episode(
                plan.continuum[move.from_level],
                move.previous_schedule,
                start,
                move.on.subtract(days=1),
                came_in_by,
                move,
            )
        )
        start, came_in_by = move.on, move
    found.append(Episode(plan.level, plan.schedule, start, plan.end, came_in_by, discharge_by))
    return tuple(found)
