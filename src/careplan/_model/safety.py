"""Suicide-risk values: screens answered item by item, the C-SSRS Screener,
risk assessments, safety plans, a client's safety record and the safety policy.

They are values a :class:`~careplan.CarePlan` holds (its ``safety`` field);
:mod:`careplan.safety` is their public home and the rules that judge them.

A :class:`Questionnaire` is data: its items (each with its LOINC code and
answer range) and the items whose positive answer is a positive suicide-risk
screen. PHQ-9 and GAD-7 are built in; a clinic adds AUDIT-C, the PCL-5 or
its own the same way.

Sources:

- PHQ-9 items and their LOINC codes (panel 44249-1; item 9, "thoughts that
  you would be better off dead, or of hurting yourself", is 44260-8; answers
  0–3, LOINC answer list LL358-3): loinc.org/44249-1.
- GAD-7 items (panel 69737-5, total 70274-6): loinc.org/69737-5.
- C-SSRS Screener with triage (Columbia Lighthouse Project, 2021; free for
  clinical use): questions 1–5 ask about the past month, question 6 about
  suicidal behavior in the lifetime and in the past three months. Triage:
  1 or 2 yes only → low; 3 yes, or behavior more than three months ago →
  moderate; 4 or 5 yes, or behavior within three months → high.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Literal, get_args

import attrs
import pendulum

from careplan._model.care import CareRole
from careplan._model.checks import (
    counts_repr,
    date,
    hidden,
    identifier,
    instance,
    optional_date,
    record_id,
    shape_repr,
    shown,
    text,
    tuple_converted,
    whole,
)
from careplan._model.errors import InvalidValueError
from careplan._model.measures import Measurement
from careplan._model.safety_policy import (
    DEFAULT_SAFETY_POLICY,
    HighRiskScreening,
    ReviewScreening,
    SafetyPolicy,
)

__all__ = [
    "CSSRS_TRIAGE",
    "DEFAULT_SAFETY_POLICY",
    "GAD_7_ITEMS",
    "NO_SAFETY_RECORD",
    "PHQ_9_ITEMS",
    "RISK_LEVELS",
    "CSSRSScreen",
    "HighRiskScreening",
    "Item",
    "ItemAnswers",
    "Questionnaire",
    "ReviewScreening",
    "RiskAssessment",
    "RiskLevel",
    "SafetyPlan",
    "SafetyPolicy",
    "SafetyRecord",
    "Screen",
    "higher_risk",
]


#: Suicide risk, from none found to high.
RiskLevel = Literal["none", "low", "moderate", "high"]
#: The risk levels, lowest first.
RISK_LEVELS: tuple[RiskLevel, ...] = ("none", "low", "moderate", "high")


def higher_risk(a: RiskLevel, b: RiskLevel) -> RiskLevel:
    """The higher of two risk levels."""
    return a if RISK_LEVELS.index(a) >= RISK_LEVELS.index(b) else b


def risk_level(field: str, value: object) -> RiskLevel:
    """``value`` if it is a :data:`RiskLevel`.

    Raises:
        InvalidValueError: Naming ``field`` and the levels.
    """
    for level in RISK_LEVELS:
        if value == level:
            return level
    raise InvalidValueError(
        field, shown(value), "is not a risk level", "use one of: " + ", ".join(RISK_LEVELS)
    )


@attrs.frozen
class Item:
    """One item of a questionnaire.

    Attributes:
        number: Its position, from 1.
        loinc: The LOINC code of the item's answer.
        most: The highest answer (answers run from 0).
    """

    number: int
    loinc: str
    most: int = 3

    def __attrs_post_init__(self) -> None:
        whole("Item.number", self.number, 1, 1000)
        # A FHIR code (no spaces at its ends or doubled): an id's form holds every LOINC code.
        record_id("Item.loinc", self.loinc)
        whole("Item.most", self.most, 1, 1000)


def _items(value: object) -> tuple[Item, ...]:
    def one(field: str, item: object) -> Item:
        if not isinstance(item, Item):
            raise InvalidValueError(field, shown(item), "is not an Item", "use Item(number, loinc)")
        return item

    items = tuple_converted("Questionnaire.items", value, one, "Item values")
    if not items:
        raise InvalidValueError("Questionnaire.items", items, "is empty", "give one item at least")
    if [i.number for i in items] != list(range(1, len(items) + 1)):
        raise InvalidValueError(
            "Questionnaire.items",
            [i.number for i in items],
            "are not numbered 1, 2, 3, … in order",
            "number them so",
        )
    return items


def _item_number(field: str, value: object) -> int:
    return whole(field, value, 1, 1000)


def _item_numbers(value: object) -> tuple[int, ...]:
    return tuple_converted("Questionnaire.suicide_items", value, _item_number, "item numbers")


def _answer(field: str, value: object) -> int:
    return whole(field, value, 0, 1000)


def _answers(value: object) -> tuple[int, ...]:
    return tuple_converted("ItemAnswers.answers", value, _answer, "whole numbers")


def _answered_on(value: object) -> pendulum.Date:
    return date("ItemAnswers.on", value)


def _screened_on(value: object) -> pendulum.Date:
    return date("CSSRSScreen.on", value)


@attrs.frozen
class Questionnaire:
    """A rating scale answered item by item; its total is the sum of the answers.

    Attributes:
        instrument: The code of its total score's :class:`~careplan.Instrument`
            ("PHQ-9"); a measurement of the total uses it.
        items: Its items, numbered from 1.
        suicide_items: The numbers of the items whose answer above 0 is a
            positive suicide-risk screen (PHQ-9: item 9).
    """

    instrument: str
    items: tuple[Item, ...] = attrs.field(converter=_items)
    suicide_items: tuple[int, ...] = attrs.field(default=(), converter=_item_numbers)

    def __attrs_post_init__(self) -> None:
        # The code of its total's Measurement, so an id like the measurement's.
        record_id("Questionnaire.instrument", self.instrument)
        if self.instrument == "C-SSRS":
            raise InvalidValueError(
                "Questionnaire.instrument",
                self.instrument,
                "is the C-SSRS Screener's code",
                "record the screener with CSSRSScreen(...)",
            )
        for number in self.suicide_items:
            if number > len(self.items):
                raise InvalidValueError(
                    "Questionnaire.suicide_items", number, "is not one of the items' numbers"
                )

    @property
    def most(self) -> int:
        """The highest possible total."""
        return sum(i.most for i in self.items)


#: PHQ-9, item by item (LOINC panel 44249-1); item 9 is the suicide item.
PHQ_9_ITEMS = Questionnaire(
    "PHQ-9",
    [
        Item(n, code)
        for n, code in enumerate(
            (
                "44250-9", "44255-8", "44259-0", "44254-1", "44251-7",
                "44258-2", "44252-5", "44253-3", "44260-8",
            ),
            start=1,
        )
    ],
    suicide_items=(9,),
)  # fmt: skip
#: GAD-7, item by item (LOINC panel 69737-5); it has no suicide item.
GAD_7_ITEMS = Questionnaire(
    "GAD-7",
    [
        Item(n, code)
        for n, code in enumerate(
            ("69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"),
            start=1,
        )
    ],
)


@attrs.frozen(repr=False)
class ItemAnswers:
    """A questionnaire answered item by item on a day; the total is their sum.

    Attributes:
        questionnaire: What was answered.
        on: The day it was answered.
        answers: One answer per item, in item order.

    >>> import pendulum
    >>> phq = ItemAnswers(PHQ_9_ITEMS, pendulum.date(2027, 1, 4), (1, 1, 1, 1, 1, 0, 0, 0, 1))
    >>> phq.total, phq.positive
    (6, True)
    """

    questionnaire: Questionnaire
    on: pendulum.Date = attrs.field(converter=_answered_on)
    answers: tuple[int, ...] = attrs.field(converter=_answers)

    def __attrs_post_init__(self) -> None:
        instance("ItemAnswers.questionnaire", self.questionnaire, Questionnaire)
        items = self.questionnaire.items
        if len(self.answers) != len(items):
            raise InvalidValueError(
                "ItemAnswers.answers",
                len(self.answers),
                f"answers are given for {len(items)} items",
                "give one answer per item, in order",
            )
        for item, answer in zip(items, self.answers, strict=True):
            if answer > item.most:
                raise InvalidValueError(
                    f"ItemAnswers.answers[{item.number - 1}]",
                    answer,
                    f"is above the item's highest answer, {item.most}",
                )

    def __repr__(self) -> str:
        # Answers are health information: a repr says what and when only.
        return shape_repr("ItemAnswers", instrument=self.questionnaire.instrument, on=self.on)

    @property
    def instrument(self) -> str:
        """The questionnaire's instrument code."""
        return self.questionnaire.instrument

    @property
    def total(self) -> int:
        """The total score: the sum of the answers."""
        return sum(self.answers)

    @property
    def positive(self) -> bool:
        """True when a suicide item's answer is above 0: a positive suicide-risk screen."""
        return any(self.answers[n - 1] > 0 for n in self.questionnaire.suicide_items)

    @property
    def risk(self) -> RiskLevel | None:
        """``None``: a questionnaire's item finds risk but does not grade it."""
        return None

    def measurement(self) -> Measurement:
        """The total as a :class:`~careplan.Measurement`, for the plan's measurement series."""
        return Measurement(self.instrument, self.total, self.on)


#: The C-SSRS Screener's triage as data: the risk each "yes" points to
#: (Columbia Lighthouse Project, screener with triage, 2021).
CSSRS_TRIAGE: Mapping[str, RiskLevel] = MappingProxyType(
    {
        "wish_to_be_dead": "low",
        "suicidal_thoughts": "low",
        "method": "moderate",
        "intent": "high",
        "plan": "high",
        "behavior_over_3_months_ago": "moderate",
        "behavior_past_3_months": "high",
    }
)


def _refuse_non_bool(name: str, value: object, *, optional: bool) -> None:
    if not isinstance(value, bool) and not (optional and value is None):
        raise InvalidValueError(
            f"CSSRSScreen.{name}",
            shown(value),
            "is not True, False or None" if optional else "is not True or False",
        )


@attrs.frozen(repr=False)
class CSSRSScreen:
    """The C-SSRS Screener's six yes/no questions, answered on a day.

    Questions 1–5 ask about the past month. When question 2 is "no",
    questions 3–5 are skipped (leave them ``None``). Question 6 asks about
    suicidal behavior in the lifetime; when "yes", whether it was within the
    past three months.

    Attributes:
        on: The day of the screen.
        wish_to_be_dead: Question 1.
        suicidal_thoughts: Question 2 (non-specific active suicidal thoughts).
        method: Question 3 (thoughts with a method, without intent).
        intent: Question 4 (some intent to act, without a specific plan).
        plan: Question 5 (a specific plan and intent).
        behavior: Question 6 (suicidal behavior, lifetime).
        behavior_past_3_months: Question 6's follow-up; ``None`` when
            ``behavior`` is false.

    >>> import pendulum
    >>> CSSRSScreen(pendulum.date(2027, 1, 4), True, True, method=True, intent=False,
    ...             plan=False, behavior=False).risk
    'moderate'
    """

    on: pendulum.Date = attrs.field(converter=_screened_on)
    wish_to_be_dead: bool
    suicidal_thoughts: bool
    method: bool | None = attrs.field(default=None, kw_only=True)
    intent: bool | None = attrs.field(default=None, kw_only=True)
    plan: bool | None = attrs.field(default=None, kw_only=True)
    behavior: bool = attrs.field(default=False, kw_only=True)
    behavior_past_3_months: bool | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        for name in ("wish_to_be_dead", "suicidal_thoughts", "behavior"):
            _refuse_non_bool(name, getattr(self, name), optional=False)
        for name in ("method", "intent", "plan", "behavior_past_3_months"):
            _refuse_non_bool(name, getattr(self, name), optional=True)
        if not self.suicidal_thoughts:
            for name in ("method", "intent", "plan"):
                if getattr(self, name):
                    raise InvalidValueError(
                        f"CSSRSScreen.{name}",
                        True,
                        "is answered though question 2 is no",
                        "when question 2 is no, the screener skips to question 6",
                    )
        elif None in (self.method, self.intent, self.plan):
            raise InvalidValueError(
                "CSSRSScreen.method",
                (self.method, self.intent, self.plan),
                "are not all answered though question 2 is yes",
                "answer method, intent and plan with True or False",
            )
        if self.behavior and self.behavior_past_3_months is None:
            raise InvalidValueError(
                "CSSRSScreen.behavior_past_3_months",
                None,
                "is unanswered though question 6 is yes",
                "say whether the behavior was within the past three months",
            )
        if not self.behavior and self.behavior_past_3_months:
            raise InvalidValueError(
                "CSSRSScreen.behavior_past_3_months",
                True,
                "is yes though question 6 is no",
                "set behavior=True, or leave this None",
            )

    def __repr__(self) -> str:
        # The answers are health information: a repr says what and when only.
        return shape_repr("CSSRSScreen", on=self.on)

    @property
    def instrument(self) -> str:
        """``"C-SSRS"``."""
        return "C-SSRS"

    @property
    def yes(self) -> tuple[str, ...]:
        """The triage keys answered yes (see :data:`CSSRS_TRIAGE`)."""
        found = [
            name
            for name in ("wish_to_be_dead", "suicidal_thoughts", "method", "intent", "plan")
            if getattr(self, name)
        ]
        if self.behavior:
            found.append(
                "behavior_past_3_months"
                if self.behavior_past_3_months
                else "behavior_over_3_months_ago"
            )
        return tuple(found)

    @property
    def risk(self) -> RiskLevel:
        """The triage: the highest risk any "yes" points to; ``"none"`` with no "yes"."""
        level: RiskLevel = "none"
        for key in self.yes:
            level = higher_risk(level, CSSRS_TRIAGE[key])
        return level

    @property
    def positive(self) -> bool:
        """True at moderate or high risk: a clinician assesses the risk next."""
        return self.risk in ("moderate", "high")


#: A screen the safety rules read: a questionnaire by item, or the C-SSRS Screener.
Screen = ItemAnswers | CSSRSScreen


def _role(value: object) -> CareRole:
    for role in get_args(CareRole):
        if value == role:
            return role  # type: ignore[no-any-return]
    raise InvalidValueError(
        "RiskAssessment.role", shown(value), "is not a care role",
        "use one of: " + ", ".join(get_args(CareRole)),
    )  # fmt: skip


def _assessed_on(value: object) -> pendulum.Date:
    return date("RiskAssessment.on", value)


def _level(value: object) -> RiskLevel:
    return risk_level("RiskAssessment.level", value)


def _next_screening(value: object) -> pendulum.Date | None:
    return optional_date("RiskAssessment.next_screening", value)


def _written_on(value: object) -> pendulum.Date:
    return date("SafetyPlan.on", value)


def _client_signed(value: object) -> pendulum.Date | None:
    return optional_date("SafetyPlan.client_signed", value)


def _clinician_signed(value: object) -> pendulum.Date | None:
    return optional_date("SafetyPlan.clinician_signed", value)


def _reviewed(value: object) -> tuple[pendulum.Date, ...]:
    return tuple(sorted(tuple_converted("SafetyPlan.reviewed", value, date, "dates")))


def _seq(value: object) -> tuple[str, ...]:
    # A section's list as a tuple; __attrs_post_init__ then checks it under
    # the section's own name (anything not a list is left for it to refuse).
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, bytearray, Mapping)):
        return tuple(value)
    return value  # type: ignore[return-value]


#: The sections of a safety plan, in the intervention's order.
_SECTIONS = (
    "warning_signs",
    "coping_strategies",
    "distractions",
    "people_to_ask",
    "professionals",
    "safe_environment",
    "reasons_for_living",
)


@attrs.frozen(repr=False)
class RiskAssessment:
    """A clinician's suicide-risk assessment.

    Attributes:
        on: The day of the assessment.
        role: Who assessed (a care role: "psychiatrist", "therapist", …).
        level: The risk level found.
        method: How it was assessed, as a code ("clinical_interview",
            "cssrs_full", …).
        next_screening: When to screen again, if set.
        note: Free text; private (never in a repr, a message or a calendar).
    """

    on: pendulum.Date = attrs.field(converter=_assessed_on)
    role: CareRole = attrs.field(converter=_role)
    level: RiskLevel = attrs.field(converter=_level)
    method: str = "clinical_interview"
    next_screening: pendulum.Date | None = attrs.field(default=None, converter=_next_screening)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        identifier("RiskAssessment.method", self.method)
        text("RiskAssessment.note", self.note, multiline=True)

    def __repr__(self) -> str:
        return shape_repr(
            "RiskAssessment", on=self.on, role=self.role, level=self.level, note=hidden(self.note)
        )


@attrs.frozen(repr=False)
class SafetyPlan:
    """A safety plan in the structure of the safety planning intervention (Stanley and Brown).

    Only the structure is modelled; every entry is the client's own words
    and private. Crisis lines are entries like the others (in the US, the
    988 Suicide & Crisis Lifeline).

    Attributes:
        on: The day it was written.
        warning_signs: Signs that a crisis may be coming.
        coping_strategies: What the client can do alone.
        distractions: People and social settings that distract.
        people_to_ask: People to ask for help.
        professionals: Professionals and agencies to contact in a crisis,
            crisis lines included.
        safe_environment: Steps that make the environment safe (lethal means).
        reasons_for_living: The client's reasons for living.
        client_signed: When the client signed it, if they did.
        clinician_signed: When the clinician signed it, if they did.
        reviewed: The days it was reviewed with the client.
    """

    on: pendulum.Date = attrs.field(converter=_written_on)
    warning_signs: tuple[str, ...] = attrs.field(default=(), converter=_seq)
    coping_strategies: tuple[str, ...] = attrs.field(default=(), converter=_seq)
    distractions: tuple[str, ...] = attrs.field(default=(), converter=_seq)
    people_to_ask: tuple[str, ...] = attrs.field(default=(), converter=_seq)
    professionals: tuple[str, ...] = attrs.field(default=(), converter=_seq)
    safe_environment: tuple[str, ...] = attrs.field(default=(), converter=_seq)
    reasons_for_living: tuple[str, ...] = attrs.field(default=(), converter=_seq)
    client_signed: pendulum.Date | None = attrs.field(default=None, converter=_client_signed)
    clinician_signed: pendulum.Date | None = attrs.field(default=None, converter=_clinician_signed)
    reviewed: tuple[pendulum.Date, ...] = attrs.field(default=(), converter=_reviewed)

    def __attrs_post_init__(self) -> None:
        for name in _SECTIONS:
            tuple_converted(f"SafetyPlan.{name}", getattr(self, name), text, "texts")

    def __repr__(self) -> str:
        return shape_repr(
            "SafetyPlan",
            on=self.on,
            sections=sum(1 for name in _SECTIONS if getattr(self, name)),
            reviewed=len(self.reviewed),
        )  # fmt: skip

    def current_on(self, day: pendulum.Date) -> bool:
        """True when written or reviewed on ``day`` or later."""
        return self.on >= day or any(r >= day for r in self.reviewed)


def _screen(field: str, value: object) -> Screen:
    if not isinstance(value, (ItemAnswers, CSSRSScreen)):
        raise InvalidValueError(
            field, shown(value), "is not a screen", "use ItemAnswers(...) or CSSRSScreen(...)"
        )
    return value


def _day(record: Screen | RiskAssessment | SafetyPlan) -> pendulum.Date:
    return record.on


def _screens(value: object) -> tuple[Screen, ...]:
    return tuple(
        sorted(tuple_converted("SafetyRecord.screens", value, _screen, "screens"), key=_day)
    )


def _assessment(field: str, value: object) -> RiskAssessment:
    return instance(field, value, RiskAssessment)


def _assessments(value: object) -> tuple[RiskAssessment, ...]:
    found = tuple_converted("SafetyRecord.assessments", value, _assessment, "RiskAssessment values")
    return tuple(sorted(found, key=_day))


def _safety_plan(field: str, value: object) -> SafetyPlan:
    return instance(field, value, SafetyPlan)


def _plans(value: object) -> tuple[SafetyPlan, ...]:
    return tuple(
        sorted(
            tuple_converted("SafetyRecord.plans", value, _safety_plan, "SafetyPlan values"),
            key=_day,
        )
    )


@attrs.frozen(repr=False)
class SafetyRecord:
    """A client's screens, risk assessments and safety plans, each kept in date order.

    Attributes:
        screens: PHQ-9 (or other questionnaires) by item, and C-SSRS screens.
        assessments: Clinicians' risk assessments.
        plans: Safety plans.
    """

    screens: tuple[Screen, ...] = attrs.field(default=(), converter=_screens)
    assessments: tuple[RiskAssessment, ...] = attrs.field(default=(), converter=_assessments)
    plans: tuple[SafetyPlan, ...] = attrs.field(default=(), converter=_plans)

    def __attrs_post_init__(self) -> None:
        seen: dict[str, Questionnaire] = {}
        for index, screen in enumerate(self.screens):
            if isinstance(screen, ItemAnswers):
                known = seen.setdefault(screen.instrument, screen.questionnaire)
                if known != screen.questionnaire:
                    raise InvalidValueError(
                        f"SafetyRecord.screens[{index}].questionnaire",
                        screen.instrument,
                        "names a questionnaire another screen answers with other items",
                        "use one questionnaire per instrument code",
                    )

    @property
    def questionnaires(self) -> tuple[Questionnaire, ...]:
        """The questionnaires the screens answer, each once, in the order first answered."""
        found: dict[str, Questionnaire] = {}
        for screen in self.screens:
            if isinstance(screen, ItemAnswers):
                found.setdefault(screen.instrument, screen.questionnaire)
        return tuple(found.values())

    def __bool__(self) -> bool:
        """True when anything is on file."""
        return bool(self.screens or self.assessments or self.plans)

    def __repr__(self) -> str:
        # Counts only: the records are health information.
        return counts_repr(self, "screens", "assessments", "plans")


#: A plan's safety record when nothing is on file (the default).
NO_SAFETY_RECORD = SafetyRecord()
