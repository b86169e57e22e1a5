"""Suicide-risk records: screens, risk assessments and safety plans."""

from __future__ import annotations

import datetime as _dt

import pendulum
from hypothesis import strategies as st

from careplan._model import safety
from careplan.testing._basics import EARLIEST, texts
from careplan.testing._care import ROLES


@st.composite
def _questionnaires(draw: st.DrawFn) -> safety.Questionnaire:
    """A clinic's own questionnaire: one to four items, now and then a suicide item."""
    items = [
        safety.Item(number, f"9999{number}-{number}", draw(st.integers(1, 5)))
        for number in range(1, draw(st.integers(1, 4)) + 1)
    ]
    suicide = draw(st.lists(st.sampled_from([i.number for i in items]), max_size=1))
    return safety.Questionnaire(draw(st.from_regex(r"X[A-Z]{1,4}", fullmatch=True)), items, suicide)


@st.composite
def _cssrs(draw: st.DrawFn, on: pendulum.Date) -> safety.CSSRSScreen:
    thoughts = draw(st.booleans())
    behavior = draw(st.booleans())
    method, intent, plan = (draw(st.booleans()) if thoughts else None for _ in range(3))
    return safety.CSSRSScreen(
        on,
        draw(st.booleans()),
        thoughts,
        method=method,
        intent=intent,
        plan=plan,
        behavior=behavior,
        behavior_past_3_months=draw(st.booleans()) if behavior else None,
    )


@st.composite
def safety_records(
    draw: st.DrawFn, *, start: _dt.date = EARLIEST, days: int = 90, blank: bool = False
) -> safety.SafetyRecord:
    """A client's suicide-risk records on the ``days`` days from ``start``.

    Screens (PHQ-9 and GAD-7 by item, a clinic's own questionnaire, the
    C-SSRS Screener), risk assessments (with and without a next screening
    day and a note) and safety plans (entries in some sections, signatures,
    reviews). ``blank`` also draws all-space notes and entries, which some
    formats do not carry (FHIR has no blank strings).
    """
    first = pendulum.Date(start.year, start.month, start.day)
    on = st.integers(0, days).map(lambda n: first.add(days=n))
    own = draw(_questionnaires())
    screens: list[safety.ItemAnswers | safety.CSSRSScreen] = []
    for kind in draw(st.lists(st.sampled_from(("PHQ-9", "GAD-7", "own", "C-SSRS")), max_size=4)):
        if kind == "C-SSRS":
            screens.append(draw(_cssrs(draw(on))))
            continue
        questionnaire = {"PHQ-9": safety.PHQ_9_ITEMS, "GAD-7": safety.GAD_7_ITEMS}.get(kind, own)
        answers = [draw(st.integers(0, item.most)) for item in questionnaire.items]
        screens.append(safety.ItemAnswers(questionnaire, draw(on), answers))
    notes = st.just("") | texts(multiline=True, blank=blank)
    entries = st.lists(texts(blank=blank), max_size=2)
    assessments = [
        safety.RiskAssessment(
            draw(on),
            draw(st.sampled_from(ROLES)),
            draw(st.sampled_from(safety.RISK_LEVELS)),
            draw(st.sampled_from(("clinical_interview", "cssrs_full"))),
            draw(st.none() | on),
            draw(notes),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    plans = [
        safety.SafetyPlan(
            draw(on),
            warning_signs=draw(entries),
            coping_strategies=draw(entries),
            distractions=draw(entries),
            people_to_ask=draw(entries),
            professionals=draw(entries),
            safe_environment=draw(entries),
            reasons_for_living=draw(entries),
            client_signed=draw(st.none() | on),
            clinician_signed=draw(st.none() | on),
            reviewed=draw(st.lists(on, max_size=2)),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return safety.SafetyRecord(screens, assessments, plans)
