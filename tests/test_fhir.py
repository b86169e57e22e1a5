"""FHIR R5 export, checked by fhir.resources and for the code values it does not check."""

from __future__ import annotations

import json

import pendulum
import pytest
from fhir.resources.bundle import Bundle
from hypothesis import given

import careplan as cp
from careplan.demo import sample_plan
from careplan.fhir import CODE_SYSTEM_BASE, to_fhir
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
    references = [a["plannedActivityReference"]["reference"] for a in care_plan["activity"]]
    references += [g["reference"] for g in care_plan["goal"]]
    assert set(references) <= urls


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
    plan = cp.step_down(sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met")
    plan = cp.discharge(plan, on=pendulum.date(2027, 3, 20))
    bundle = to_fhir(plan, validate=True)
    episodes = resources(bundle, "EpisodeOfCare")
    assert [(e["type"][0]["coding"][0]["code"], e["status"]) for e in episodes] == [
        ("IOP", "finished"),
        ("OP", "finished"),
    ]
    assert episodes[1]["period"] == {"start": "2027-03-01", "end": "2027-03-20"}
    assert resources(bundle, "CarePlan")[0]["status"] == "completed"


@given(care_plans())
def test_every_generated_plan_is_a_valid_bundle(plan):
    bundle = to_fhir(plan, validate=True)
    check_codes(bundle)
    assert json.loads(json.dumps(bundle)) == bundle


def test_validation_needs_the_extra(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_fhir(name, *args, **kwargs):
        if name.startswith("fhir.resources"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fhir)
    with pytest.raises(ImportError, match=r"careplan\[fhir\]"):
        to_fhir(sample_plan(), validate=True)
    assert to_fhir(sample_plan())["resourceType"] == "Bundle"
