"""The FHIR export judged by validators careplan does not use itself.

FHIR.js, Medplum's validator on the official R4 and R5 definitions and
fhirpath.js evaluating every core invariant (see ``tests/fhir_oracles.py``)
find no error in R4 or R5 over a corpus of varied plans, and every extension
careplan writes has a shipped definition.
"""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest

import careplan as cp
from careplan.demo import sample_plan, sample_plan_of_care, working_parent_plan
from careplan.fhir import to_fhir
from careplan.fhir._definitions import definitions, definitions_dir
from fhir_oracles import errors, validate_many
from test_safety_fhir import PLAN as WITH_SAFETY_RECORDS

MONDAY = pendulum.date(2027, 1, 4)


def op_week() -> cp.WeeklySchedule:
    """An outpatient week: individual therapy on Tuesdays and a group on Thursdays."""
    return cp.WeeklySchedule(
        "America/New_York",
        [
            cp.Session("tuesday", "17:00", 50, cp.SessionKind.INDIVIDUAL_THERAPY),
            cp.Session("thursday", "18:00", 90, cp.SessionKind.GROUP_THERAPY),
        ],
    )


def _stepped() -> cp.CarePlan:
    plan = sample_plan_of_care().cancel("mon-0930-group_therapy", pendulum.date(2027, 1, 11))
    plan = plan.reschedule(
        "mon-1200-individual_therapy",
        pendulum.date(2027, 1, 25),
        pendulum.datetime(2027, 1, 26, 15, tz="America/New_York"),
    )
    return cp.step_down(plan, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=op_week())


def _asam() -> cp.CarePlan:
    return cp.CarePlan(
        cp.Client("asam-client"),
        cp.ASAM_4["2.1"],
        sample_plan().schedule,
        MONDAY,
        pendulum.date(2027, 2, 28),
        continuum=cp.ASAM_4,
        diagnoses=("F11.20",),
    )


def corpus() -> dict[str, tuple[cp.CarePlan, dict[str, bool]]]:
    """Plans and export options that together use every part of the export."""
    first = cp.discharge(sample_plan(), on=MONDAY.add(weeks=2), reason="left_against_advice")
    everything = {"diagnoses": True, "client_name": True, "care_team": True}
    return {
        "demo": (sample_plan(), {}),
        "demo, everything asked": (sample_plan(), everything),
        "working parent": (working_parent_plan(), {}),
        "plan of care with PHQ-9": (sample_plan_of_care(), everything),
        "stepped down, a cancellation and a move": (_stepped(), {"diagnoses": True}),
        "discharged, completed": (
            cp.discharge(sample_plan_of_care(), on=pendulum.date(2027, 3, 20)),
            everything,
        ),
        "discharged against advice": (first, {}),
        "held": (
            attrs.evolve(
                sample_plan(),
                holds=[cp.Hold(MONDAY.add(weeks=3), MONDAY.add(weeks=4, days=2), "stay")],
            ),
            {},
        ),
        "readmitted": (
            attrs.evolve(
                sample_plan(start=MONDAY.add(weeks=6)), id="readmitted", readmission_of=first.id
            ),
            {"diagnoses": True},
        ),
        "ASAM": (_asam(), {"diagnoses": True}),
        # Screens by item, C-SSRS screens, risk assessments and safety plans.
        "safety records": (WITH_SAFETY_RECORDS, {"safety": True, "diagnoses": True}),
        "non-US zone": (
            attrs.evolve(
                sample_plan(),
                schedule=attrs.evolve(sample_plan().schedule, timezone="Europe/Berlin"),
            ),
            {"client_name": True},
        ),
        # The biweekly consult in week B (the week-offset extension in R4).
        "week B": (
            attrs.evolve(
                sample_plan(),
                schedule=attrs.evolve(
                    sample_plan().schedule,
                    sessions=[
                        attrs.evolve(s, week_offset=1) if s.every_weeks == 2 else s
                        for s in sample_plan().schedule.sessions
                    ],
                ),
            ),
            {},
        ),
    }


CASES = [(name, version) for name in corpus() for version in ("r4", "r5")]


@pytest.fixture(scope="module")
def judged():
    """Each corpus plan's findings, per version: one Node process per version."""
    found = {}
    for version in ("r4", "r5"):
        names = list(corpus())
        bundles = [
            json.loads(json.dumps(to_fhir(plan, version=version, **options)))
            for plan, options in corpus().values()
        ]
        for name, result in zip(names, validate_many(bundles, version), strict=True):
            found[(name, version)] = result
    return found


@pytest.mark.parametrize(("name", "version"), CASES)
def test_independent_validators_find_no_error(judged, name, version):
    result = judged[(name, version)]
    assert errors(result) == []
    # Every invariant the definitions hold was evaluated, none skipped.
    assert result["versions"]["fhirpath invariants evaluated"] > 100
    assert result["versions"]["fhirpath invariants not evaluable"] == []
    # Those that call resolve() are left to Medplum (ctm-1 on the CareTeam).
    assert set(result["versions"]["fhirpath invariants left to medplum (resolve())"]) <= {"ctm-1"}
    # Every resource has a narrative (dom-6), and every extension is defined.
    keys = {f["key"] for f in result["findings"]}
    assert "dom-6" not in keys
    assert "extension-unknown" not in keys


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_the_shipped_definitions_are_current(version):
    shipped = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in definitions_dir(version).glob("*.json")
    }
    assert shipped == definitions(version)


def _extension_urls(value):
    if isinstance(value, dict):
        if isinstance(value.get("url"), str):
            yield value["url"]
        for item in value.values():
            yield from _extension_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from _extension_urls(item)


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_every_careplan_extension_written_has_a_shipped_definition(version):
    defined = {d["url"] for d in definitions(version).values()}
    written = {
        url
        for plan, options in corpus().values()
        for url in _extension_urls(to_fhir(plan, version=version, **options))
        if url.startswith("https://careplan.readthedocs.io/")
    }
    assert written == defined
