"""Reading and writing a plan's suicide-risk records: the document's ``safety`` object.

Added to ``careplan/1`` by issue 34; a plan without safety records writes no
``safety`` key, so its document is the one earlier versions wrote. The
built-in questionnaires (PHQ-9, GAD-7) are named by their instrument code;
any other travels in ``questionnaires``. A C-SSRS screen is a screen whose
instrument is ``"C-SSRS"``, with its answers in ``cssrs``.
"""

from __future__ import annotations

from careplan._model.errors import DocumentError
from careplan._model.safety import (
    GAD_7_ITEMS,
    PHQ_9_ITEMS,
    CSSRSScreen,
    Item,
    ItemAnswers,
    Questionnaire,
    RiskAssessment,
    SafetyPlan,
    SafetyRecord,
    Screen,
)
from careplan.document.fields import date, optional_date
from careplan.document.paths import ON_IS_DATE, at, join, show
from careplan.document.shape import (
    CSSRSDoc,
    QuestionnaireDoc,
    QuestionnaireItemDoc,
    RiskAssessmentDoc,
    SafetyDoc,
    SafetyPlanDoc,
    ScreenDoc,
)

__all__ = ["safety_doc", "safety_record"]

_BUILTIN = {q.instrument: q for q in (PHQ_9_ITEMS, GAD_7_ITEMS)}
_CSSRS = "C-SSRS"


def _iso(day: object) -> str | None:
    return None if day is None else str(day)


def _screen_doc(screen: Screen) -> ScreenDoc:
    if isinstance(screen, ItemAnswers):
        return ScreenDoc(screen.on.isoformat(), screen.instrument, list(screen.answers))
    return ScreenDoc(
        screen.on.isoformat(),
        _CSSRS,
        cssrs=CSSRSDoc(
            screen.wish_to_be_dead,
            screen.suicidal_thoughts,
            screen.method,
            screen.intent,
            screen.plan,
            screen.behavior,
            screen.behavior_past_3_months,
        ),
    )


def safety_doc(record: SafetyRecord) -> SafetyDoc | None:
    """The ``safety`` object of a plan's record; ``None`` when nothing is on file."""
    if not record:
        return None
    return SafetyDoc(
        questionnaires=[
            QuestionnaireDoc(
                q.instrument,
                [QuestionnaireItemDoc(i.number, i.loinc, i.most) for i in q.items],
                list(q.suicide_items),
            )
            for q in record.questionnaires
            if _BUILTIN.get(q.instrument) != q
        ],
        screens=[_screen_doc(s) for s in record.screens],
        assessments=[
            RiskAssessmentDoc(
                a.on.isoformat(), a.role, a.level, a.method, _iso(a.next_screening), a.note
            )
            for a in record.assessments
        ],
        plans=[
            SafetyPlanDoc(
                p.on.isoformat(),
                list(p.warning_signs),
                list(p.coping_strategies),
                list(p.distractions),
                list(p.people_to_ask),
                list(p.professionals),
                list(p.safe_environment),
                list(p.reasons_for_living),
                client_signed=_iso(p.client_signed),
                clinician_signed=_iso(p.clinician_signed),
                reviewed=[d.isoformat() for d in p.reviewed],
            )
            for p in record.plans
        ],
    )


def _questionnaires(docs: list[QuestionnaireDoc], path: str) -> dict[str, Questionnaire]:
    found: dict[str, Questionnaire] = {}
    for i, q in enumerate(docs):
        where = join(path, f"questionnaires[{i}]")
        items = []
        for j, item in enumerate(q.items):
            with at(f"{where}.items[{j}]"):
                items.append(Item(item.number, item.loinc, item.most))
        with at(where):
            questionnaire = Questionnaire(q.instrument, items, q.suicide_items)
        if questionnaire.instrument in found:
            raise DocumentError(
                f"{where}.instrument", "is the code of an earlier questionnaire; give each once"
            )
        found[questionnaire.instrument] = questionnaire
    return found


def _screen(doc: ScreenDoc, where: str, questionnaires: dict[str, Questionnaire]) -> Screen:
    if doc.instrument == _CSSRS:
        if doc.cssrs is None or doc.answers:
            raise DocumentError(
                where, "a C-SSRS screen gives its answers in cssrs, and no item answers"
            )
        c = doc.cssrs
        with at(where, ON_IS_DATE):
            return CSSRSScreen(
                date(f"{where}.date", doc.date),
                c.wish_to_be_dead,
                c.suicidal_thoughts,
                method=c.method,
                intent=c.intent,
                plan=c.plan,
                behavior=c.behavior,
                behavior_past_3_months=c.behavior_past_3_months,
            )
    if doc.cssrs is not None:
        raise DocumentError(f"{where}.cssrs", "is given for a screen that is not the C-SSRS")
    questionnaire = questionnaires.get(doc.instrument, _BUILTIN.get(doc.instrument))
    if questionnaire is None:
        raise DocumentError(
            f"{where}.instrument",
            f"{show(doc.instrument)} is neither C-SSRS, a built-in questionnaire "
            f"({', '.join(_BUILTIN)}) nor one of the document's questionnaires",
        )
    with at(where, ON_IS_DATE):
        return ItemAnswers(questionnaire, date(f"{where}.date", doc.date), doc.answers)


def _plan(doc: SafetyPlanDoc, where: str) -> SafetyPlan:
    reviewed = [date(f"{where}.reviewed[{i}]", d) for i, d in enumerate(doc.reviewed)]
    with at(where, ON_IS_DATE):
        return SafetyPlan(
            date(f"{where}.date", doc.date),
            doc.warning_signs,
            doc.coping_strategies,
            doc.distractions,
            doc.people_to_ask,
            doc.professionals,
            doc.safe_environment,
            doc.reasons_for_living,
            client_signed=optional_date(f"{where}.client_signed", doc.client_signed),
            clinician_signed=optional_date(f"{where}.clinician_signed", doc.clinician_signed),
            reviewed=reviewed,
        )


def safety_record(doc: SafetyDoc | None, path: str = "safety") -> SafetyRecord:
    """The plan's safety record from its ``safety`` object, errors at their paths."""
    if doc is None:
        return SafetyRecord()
    questionnaires = _questionnaires(doc.questionnaires, path)
    screens = [
        _screen(s, join(path, f"screens[{i}]"), questionnaires) for i, s in enumerate(doc.screens)
    ]
    assessments = []
    for i, a in enumerate(doc.assessments):
        where = join(path, f"assessments[{i}]")
        next_screening = optional_date(f"{where}.next_screening", a.next_screening)
        with at(where, ON_IS_DATE):
            assessments.append(
                RiskAssessment(
                    date(f"{where}.date", a.date),
                    a.role,
                    a.level,
                    a.method,
                    next_screening,
                    a.note,
                )
            )
    plans = [_plan(p, join(path, f"plans[{i}]")) for i, p in enumerate(doc.plans)]
    with at(path):
        return SafetyRecord(screens, assessments, plans)
