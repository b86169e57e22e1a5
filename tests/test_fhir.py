"""FHIR R5 export, checked by fhir.resources and for the code values it does not check."""

from __future__ import annotations

import json
import re

import attrs
import pendulum
import pytest
from fhir.resources.bundle import Bundle
from hypothesis import given
from hypothesis import strategies as st

import careplan as cp
from careplan.demo import sample_plan, sample_plan_of_care, sample_schedule
from careplan.fhir import CODE_SYSTEM_BASE, to_fhir
from careplan.fhir._codes import TZ_CODE
from careplan.testing import care_plans

CARE_PLAN_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}
EPISODE_STATUS = {
    "planned",
    "waitlist",
    "active",
    "onhold",
    "finished",
    "cancelled",
    "entered-in-error",
}
APPOINTMENT_STATUS = {
    "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
    "entered-in-error", "checked-in", "waitlist",
}  # fmt: skip
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def check_codes(bundle):
    """The code values fhir.resources does not check."""
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["status"] in CARE_PLAN_STATUS
    assert care_plan["intent"] == "plan"
    for episode in resources(bundle, "EpisodeOfCare"):
        assert episode["status"] in EPISODE_STATUS
        assert episode["type"][0]["coding"][0]["system"].startswith(CODE_SYSTEM_BASE)
    for appointment in resources(bundle, "Appointment"):
        assert appointment["status"] in APPOINTMENT_STATUS
        if "recurrenceTemplate" not in appointment:
            # A moved occurrence: an exception to its series.
            assert appointment["occurrenceChanged"] is True
            assert appointment["recurrenceId"] >= 1
            continue
        (template,) = appointment["recurrenceTemplate"]
        weekly = template["weeklyTemplate"]
        assert set(weekly) - {"weekInterval"} == DAYS
        assert sum(weekly[day] for day in DAYS) == 1
        assert template["recurrenceType"]["coding"][0] == {
            "system": "http://unitsofmeasure.org",
            "code": "wk",
            "display": "week",
        }
    urls = {e["fullUrl"] for e in bundle["entry"]}
    references = [a["plannedActivityReference"]["reference"] for a in care_plan.get("activity", ())]
    references += [g["reference"] for g in care_plan.get("goal", ())]
    references += [r["subject"]["reference"] for r in resources(bundle, "Goal")]
    references += [r["patient"]["reference"] for r in resources(bundle, "EpisodeOfCare")]
    references.append(care_plan["subject"]["reference"])
    assert set(references) <= urls
    for entry in bundle["entry"]:
        assert FHIR_ID.fullmatch(entry["resource"]["id"])


def empty_elements(value, path="$"):
    """Paths of the empty arrays, objects and strings in ``value``: FHIR JSON forbids them."""
    if value in ("", [], {}):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from empty_elements(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from empty_elements(item, f"{path}[{index}]")


def test_the_demo_plan_as_a_valid_r5_bundle():
    bundle = to_fhir(sample_plan(), validate=True)
    Bundle.model_validate(bundle)
    check_codes(bundle)
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["category"][0]["coding"][0] == {
        "system": f"{CODE_SYSTEM_BASE}/default",
        "code": "IOP",
        "display": "Intensive Outpatient Program",
    }
    assert care_plan["period"] == {"start": "2027-01-04", "end": "2027-03-28"}
    assert len(care_plan["activity"]) == len(sample_plan().schedule.sessions)
    assert "addresses" not in care_plan
    assert "F33.1" not in json.dumps(bundle)
    biweekly = [
        a for a in resources(bundle, "Appointment")
        if a["recurrenceTemplate"][0]["weeklyTemplate"]["weekInterval"] == 2
    ]  # fmt: skip
    assert len(biweekly) == 1
    monday = [
        a for a in resources(bundle, "Appointment")
        if a["recurrenceTemplate"][0]["weeklyTemplate"]["monday"]
    ]  # fmt: skip
    assert all("2027-01-18" in a["recurrenceTemplate"][0]["excludingDate"] for a in monday)


def test_diagnoses_only_on_request():
    bundle = to_fhir(sample_plan(), diagnoses=True, validate=True)
    (care_plan,) = resources(bundle, "CarePlan")
    assert [a["concept"]["coding"][0]["code"] for a in care_plan["addresses"]] == [
        "F33.1",
        "F10.20",
    ]


def test_an_episode_of_care_per_level():
    plan = cp.step_down(
        sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=sample_schedule()
    )
    plan = cp.discharge(plan, on=pendulum.date(2027, 3, 20))
    bundle = to_fhir(plan, validate=True)
    episodes = resources(bundle, "EpisodeOfCare")
    assert [(e["type"][0]["coding"][0]["code"], e["status"]) for e in episodes] == [
        ("IOP", "finished"),
        ("OP", "finished"),
    ]
    assert episodes[1]["period"] == {
        "start": "2027-03-01",
        "_start": {"extension": [{"url": TZ_CODE, "valueCode": "America/New_York"}]},
        "end": "2027-03-20",
    }
    assert resources(bundle, "CarePlan")[0]["status"] == "completed"


@given(care_plans(), st.booleans())
def test_every_generated_plan_is_a_valid_bundle_with_nothing_empty(plan, detail):
    """FHIR JSON forbids empty arrays, objects and strings (FHIR R5, JSON representation)."""
    bundle = to_fhir(plan, diagnoses=detail, client_name=detail, validate=True)
    check_codes(bundle)
    assert json.loads(json.dumps(bundle)) == bundle
    assert list(empty_elements(bundle)) == []
    for episode in resources(bundle, "EpisodeOfCare"):
        assert episode["period"]["start"] <= episode["period"]["end"]


def test_a_plan_without_goals_has_no_empty_goal_array():
    """The Bundle once held ``"goal": []``, which FHIR JSON forbids (issue 12, item 11)."""
    plan = attrs.evolve(sample_plan(), goals=(), diagnoses=())
    bundle = to_fhir(plan, diagnoses=True, validate=True)
    (care_plan,) = resources(bundle, "CarePlan")
    assert "goal" not in care_plan
    assert "addresses" not in care_plan
    assert list(empty_elements(bundle)) == []


@pytest.mark.parametrize(
    ("reason", "plan_status", "goal_status"),
    [
        ("treatment_completed", "completed", "completed"),
        ("left_against_advice", "revoked", "cancelled"),
        ("client_withdrew", "revoked", "cancelled"),
        ("transferred", "revoked", "cancelled"),
        ("death", "revoked", "cancelled"),
    ],
)
def test_a_plan_ended_before_completion_is_revoked(reason, plan_status, goal_status):
    """FHIR R5 CarePlan.status ``revoked``: ended before completion (clinical-rules.md, FHIR)."""
    plan = cp.discharge(sample_plan(), on=pendulum.date(2027, 2, 3), reason=reason)
    bundle = to_fhir(plan, validate=True)
    assert resources(bundle, "CarePlan")[0]["status"] == plan_status
    assert {g["lifecycleStatus"] for g in resources(bundle, "Goal")} == {goal_status}
    assert {e["status"] for e in resources(bundle, "EpisodeOfCare")} == {"finished"}


def test_the_patient_is_in_the_bundle_with_only_what_is_asked_for():
    """Resource ids match [A-Za-z0-9-.]{1,64}; references resolve inside the Bundle (FHIR R5)."""
    plan = attrs.evolve(sample_plan(), client=cp.Client("MRN 00/42", "Maria Lopez"))
    bundle = to_fhir(plan, validate=True)
    (patient,) = resources(bundle, "Patient")
    assert patient["identifier"] == [{"system": "urn:careplan:client", "value": "MRN 00/42"}]
    assert "name" not in patient
    assert "Maria" not in json.dumps(bundle)
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["subject"]["reference"] == next(
        e["fullUrl"] for e in bundle["entry"] if e["resource"] is patient
    )
    assert "Patient/" not in json.dumps(bundle)
    named = to_fhir(plan, client_name=True, validate=True)
    assert resources(named, "Patient")[0]["name"] == [{"text": "Maria Lopez"}]


def test_a_readmission_replaces_the_plan_it_follows():
    first = cp.discharge(sample_plan(), on=pendulum.date(2027, 2, 3), reason="left_against_advice")
    again = attrs.evolve(sample_plan(), id="second-plan", readmission_of=first.id)
    (earlier,) = resources(to_fhir(first), "CarePlan")
    (care_plan,) = resources(to_fhir(again, validate=True), "CarePlan")
    assert care_plan["replaces"] == [
        {
            "reference": f"CarePlan/{earlier['id']}",
            "identifier": {"system": "urn:careplan:plan", "value": first.id},
        }
    ]


def test_a_same_day_move_gives_a_one_date_episode():
    """Admitted to IOP and stepped up to inpatient the same day: no period ends before it starts."""
    plan = sample_plan()
    ward = cp.WeeklySchedule(plan.timezone)  # no outpatient sessions on the ward
    plan = cp.step_up(plan, on=plan.start, reason="safety_concern", to="INP", schedule=ward)
    plan = cp.discharge(plan, on=plan.start, reason="transferred")
    bundle = to_fhir(plan, validate=True)
    episodes = resources(bundle, "EpisodeOfCare")
    zone = {"extension": [{"url": TZ_CODE, "valueCode": plan.timezone}]}
    day = {"start": "2027-01-04", "_start": zone, "end": "2027-01-04"}
    assert [(e["type"][0]["coding"][0]["code"], e["period"]) for e in episodes] == [
        ("IOP", day),
        ("INP", day),
    ]
    assert "activity" not in resources(bundle, "CarePlan")[0]
    assert list(empty_elements(bundle)) == []


def test_validation_needs_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_fhir(name, *args, **kwargs):
        if name.startswith("fhir.resources"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fhir)
    with pytest.raises(ImportError, match=r"pip install -e '\.\[fhir\]'"):
        to_fhir(sample_plan(), validate=True)
    assert to_fhir(sample_plan())["resourceType"] == "Bundle"


def _goal_outcomes(plan):
    return [
        (g["lifecycleStatus"], g.get("achievementStatus", {}).get("coding", [{}])[0].get("code"))
        for g in resources(to_fhir(plan), "Goal")
    ]


@pytest.mark.parametrize("reason", ["treatment_completed", "left_against_advice"])
def test_at_discharge_a_goal_whose_targets_were_met_is_achieved(reason):
    """Issue 29.5: the mood goal's PHQ-9 target (below 10) was met (8 on 03-01).

    The sobriety goal has nothing measured: it follows the discharge,
    completed when treatment was, cancelled when the client left.
    """
    plan = cp.discharge(sample_plan_of_care(), on=pendulum.date(2027, 3, 20), reason=reason)
    follows = "completed" if reason == "treatment_completed" else "cancelled"
    assert _goal_outcomes(plan) == [("completed", "achieved"), (follows, None)]


def test_at_discharge_a_goal_whose_target_was_not_met_is_cancelled():
    plan = sample_plan_of_care()
    last = plan.measurements[-1]
    plan = attrs.evolve(plan, measurements=[*plan.measurements[:-1], attrs.evolve(last, score=14)])
    plan = cp.discharge(plan, on=pendulum.date(2027, 3, 20), reason="treatment_completed")
    assert _goal_outcomes(plan)[0] == ("cancelled", "not-achieved")
    # Before discharge the goals are what the plan says.
    assert _goal_outcomes(sample_plan_of_care()) == [("active", None), ("active", None)]
