"""Where a plan's safety records show, and where they never do (issue 34).

``careplan report --safety`` and ``--progress`` show dates, instruments,
levels and PHQ-9 item 9 when asked; calendars, reprs and the command's
default output never show anything of the records.
"""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.cli import main
from careplan.safety import (
    PHQ_9_ITEMS,
    CSSRSScreen,
    ItemAnswers,
    RiskAssessment,
    SafetyPlan,
    SafetyRecord,
)
from safety_cases import PLAN, SECRET, START, day

WORDS = ("Jane", "heroin", "Lily")
STAMP = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)


def _record(item9: int = 1) -> SafetyRecord:
    return SafetyRecord(
        [
            ItemAnswers(PHQ_9_ITEMS, START, (2, 2, 1, 1, 1, 0, 0, 0, item9)),
            CSSRSScreen(day(1), True, True, method=True, intent=False, plan=False),
        ],
        [RiskAssessment(day(1), "psychiatrist", "moderate", note=SECRET)],
        [SafetyPlan(day(3), warning_signs=[SECRET], reasons_for_living=[SECRET])],
    )


def _write(tmp_path, plan: cp.CarePlan) -> str:
    path = tmp_path / "plan.json"
    path.write_text(cp.to_json(plan), encoding="utf-8")
    return str(path)


def test_report_safety_prints_findings_and_the_current_risk(tmp_path, capsys) -> None:
    source = _write(tmp_path, attrs.evolve(PLAN, safety=_record()))
    assert main(["report", source, "--safety", "--today", str(day(3))]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:5] == [
        "Safety on 2027-01-07",
        "  current risk: moderate",
        "  screens: 2; latest C-SSRS on 2027-01-05 (positive)",
        "  risk assessments: 1; latest on 2027-01-05 (moderate, by psychiatrist)",
        "  safety plans: 1; latest written 2027-01-07",
    ]
    # The PHQ-9 of Monday, graded moderate by Tuesday's assessment, needed a
    # safety plan by Tuesday's session; the C-SSRS of Tuesday by Thursday's.
    assert out.splitlines()[5:] == [
        "Findings",
        "  error safety.plan_missing: the PHQ-9 of 2027-01-04 is a positive suicide-risk "
        "screen (moderate risk) and no safety plan is on file by the next session, "
        "2027-01-05; write one with the client",
    ]
    for word in WORDS:
        assert word not in out
    assert "2, 2, 1" not in out  # no item answers


def test_report_safety_without_records(tmp_path, capsys) -> None:
    assert main(["report", _write(tmp_path, PLAN), "--safety", "--today", str(day(3))]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Safety on 2027-01-07",
        "  no suicide-risk screens, assessments or safety plans on file",
        "  current risk: not graded",
        "Findings",
        "  error safety.screening_due: no suicide-risk screen from 2026-12-28 to 2027-01-05 "
        "(admission on 2027-01-04); screen with a validated tool (C-SSRS or PHQ-9) and "
        "record it (policy: from 7 day(s) before admission to 1 day(s) after)",
    ]
    # Before the admission window has passed, nothing is due yet.
    assert main(["report", _write(tmp_path, PLAN), "--safety", "--today", str(START)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "  no findings"


@pytest.mark.parametrize("form", ["text", "json"])
def test_validate_counts_safety_findings_and_lists_them_only_when_asked(
    tmp_path, capsys, form
) -> None:
    # The finding says "positive suicide-risk screen (moderate risk)": health
    # information, so `validate` lists it only with --safety; the exit code and
    # the counts hold it either way.
    source = _write(tmp_path, attrs.evolve(PLAN, safety=_record()))
    asked = ["validate", source, "--today", str(day(3)), "--format", form]
    assert main(asked) == 1
    hidden = capsys.readouterr().out
    assert main([*asked, "--safety"]) == 1
    shown = capsys.readouterr().out
    assert "safety.plan_missing" in shown
    assert "moderate risk" in shown
    assert "safety." not in hidden
    assert "risk)" not in hidden
    if form == "json":
        hidden_data, shown_data = json.loads(hidden), json.loads(shown)
        assert hidden_data["errors"] == shown_data["errors"] >= 1
        assert hidden_data["hidden_safety_findings"] == sum(
            v["code"].startswith("safety.") for v in shown_data["violations"]
        )
        assert "hidden_safety_findings" not in shown_data
    else:
        assert hidden.splitlines()[0] == shown.splitlines()[0]
        assert hidden.splitlines()[-1].endswith(
            "suicide-risk safety finding(s) not listed: add --safety, "
            "or run careplan report FILE --safety"
        )


def _with_objective(plan: cp.CarePlan) -> cp.CarePlan:
    plan = plan.revise(
        START,
        goals=[cp.Goal("mood", "Feel better")],
        objectives=[
            cp.TreatmentObjective(
                "phq", "mood", "PHQ-9 below 10", target=cp.Target.score("PHQ-9", below=10)
            )
        ],
    )
    answers = plan.safety.screens[0]
    assert isinstance(answers, ItemAnswers)
    return attrs.evolve(plan, measurements=[answers.measurement()])


def test_progress_shows_item_9_beside_the_total(tmp_path, capsys) -> None:
    plan = _with_objective(attrs.evolve(PLAN, safety=_record(item9=2)))
    (found,) = cp.progress(plan, today=day(3))
    assert (found.latest, found.suicide_items) == (9, ((9, 2),))
    assert main(["report", _write(tmp_path, plan), "--progress", "--today", str(day(3))]) == 0
    out = capsys.readouterr().out
    assert "latest 9 on 2027-01-04" in out
    assert "item 9: 2" in out
    assert "  PHQ-9: 9 (2027-01-04; item 9: 2)" in out
    # Without item answers, the total alone, as before.
    plain = attrs.evolve(plan, safety=SafetyRecord())
    (found,) = cp.progress(plain, today=day(3))
    assert found.suicide_items == ()
    assert main(["report", _write(tmp_path, plain), "--progress", "--today", str(day(3))]) == 0
    assert "item 9" not in capsys.readouterr().out


# --- privacy ------------------------------------------------------------------


@pytest.mark.parametrize("detail", ["minimal", "sessions", "full"])
def test_no_calendar_carries_anything_of_the_records(detail: str) -> None:
    with_records = attrs.evolve(PLAN, safety=_record())
    shown = cp.to_ical(with_records, detail=detail, stamp=STAMP)
    assert shown == cp.to_ical(PLAN, detail=detail, stamp=STAMP)
    for word in (*WORDS, "safety", "PHQ", "C-SSRS", "risk"):
        assert word.encode() not in shown


def test_the_default_outputs_of_the_command_show_nothing_of_the_records(
    tmp_path,
    capsys,
) -> None:
    source = _write(tmp_path, attrs.evolve(PLAN, safety=_record()))
    for argv in (
        ["validate", source],
        ["validate", source, "--format", "json"],
        ["report", source, "--today", str(day(3))],
        ["report", source, "--week", str(day(3))],
        ["ics", source, "-o", "-"],
        ["fhir", source, "-o", "-"],
    ):
        main(argv)
        out = capsys.readouterr()
        printed = out.out + out.err
        words = (*WORDS, "safety", "C-SSRS", "risk", "item 9", "44260-8", "RiskAssessment")
        # The sample plan's FHIR export names the PHQ-9 of its plan of care.
        words += () if argv[0] == "fhir" else ("PHQ-9",)
        for word in words:
            assert word not in printed, (argv, word)


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 3), st.sampled_from(["none", "low", "moderate", "high"]))
def test_no_repr_shows_the_records(item9: int, level: str) -> None:
    record = SafetyRecord(
        [ItemAnswers(PHQ_9_ITEMS, START, (3, 3, 3, 3, 3, 3, 3, 3, item9))],
        [RiskAssessment(START, "therapist", level, note=SECRET)],
        [SafetyPlan(START, warning_signs=[SECRET], people_to_ask=[SECRET])],
    )
    plan = attrs.evolve(PLAN, safety=record)
    shown = repr(plan) + repr(record) + repr(record.screens) + repr(record.plans)
    shown += repr(record.assessments) + repr(cp.progress(plan, today=START))
    for word in (*WORDS, "3, 3"):
        assert word not in shown
    assert "safety" not in repr(plan)


def test_the_fhir_command_writes_the_records_only_when_asked(tmp_path, capsys) -> None:
    source = _write(tmp_path, attrs.evolve(PLAN, safety=_record()))
    assert main(["fhir", source, "-o", "-", "--safety"]) == 0
    out = capsys.readouterr().out
    assert '"RiskAssessment"' in out
    assert '"QuestionnaireResponse"' in out  # the safety plan
    assert '"44260-8"' in out  # PHQ-9 item 9
    # The note and the client's words are in their own records only (the
    # clinical record), never in a narrative or another resource.
    for entry in json.loads(out)["entry"]:
        resource = entry["resource"]
        own = resource["resourceType"] in ("RiskAssessment", "QuestionnaireResponse")
        for word in WORDS:
            assert word not in resource["text"]["div"]
            assert own or word not in json.dumps(resource, ensure_ascii=False)
