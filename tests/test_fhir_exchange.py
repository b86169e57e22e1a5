"""FHIR both ways: R4 with US Core beside R5, 42 CFR Part 2 labels, and from_fhir."""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest
from fhir.resources.R4B.bundle import Bundle as R4Bundle
from hypothesis import HealthCheck, assume, given, settings

import careplan as cp
from careplan._model.expansion import series_dates
from careplan.cli import main
from careplan.demo import sample_plan, sample_plan_of_care, sample_schedule
from careplan.fhir import from_fhir, to_fhir
from careplan.testing import care_plans, plans_of_care
from test_fhir import empty_elements

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition"


def resources(bundle, kind):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def references(value):
    """Every ``reference`` string in ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)


def stepped_plan():
    plan = cp.step_down(
        sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=sample_schedule()
    )
    plan = plan.cancel("mon-0930-group_therapy", pendulum.date(2027, 1, 11))
    return plan.reschedule(
        "mon-1200-individual_therapy",
        pendulum.date(2027, 1, 25),
        pendulum.datetime(2027, 1, 26, 15, tz="America/New_York"),
    )


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_every_reference_resolves_inside_the_bundle(version):
    bundle = to_fhir(stepped_plan(), version=version, diagnoses=True, validate=True)
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    inside = [r for r in references(bundle) if r.startswith("urn:uuid:")]
    assert inside
    assert set(inside) <= urls
    assert list(empty_elements(bundle)) == []


def test_r4_is_valid_and_claims_us_core_where_it_applies():
    bundle = to_fhir(stepped_plan(), version="r4", diagnoses=True)
    R4Bundle.model_validate(bundle)
    profiles = {
        r["resourceType"]: r["meta"]["profile"][0]
        for e in bundle["entry"]
        if "profile" in (r := e["resource"]).get("meta", {})
    }
    assert profiles == {
        "Patient": f"{US_CORE}/us-core-patient|6.1.0",
        "CarePlan": f"{US_CORE}/us-core-careplan|6.1.0",
        "Goal": f"{US_CORE}/us-core-goal|6.1.0",
        "Condition": f"{US_CORE}/us-core-condition-problems-health-concerns|6.1.0",
    }
    (patient,) = resources(bundle, "Patient")
    # US Core: an identifier with a system, a name and a gender; a minimal
    # export says the name is withheld and the gender unknown.
    assert patient["identifier"] == [{"system": "urn:careplan:client", "value": "client-0001"}]
    assert patient["name"][0]["extension"][0]["valueCode"] == "masked"
    assert patient["gender"] == "unknown"
    assert "Alex" not in json.dumps(bundle)
    (care_plan,) = resources(bundle, "CarePlan")
    assert care_plan["text"]["status"] == "generated"
    assert care_plan["category"][0]["coding"][0]["code"] == "assess-plan"
    conditions = resources(bundle, "Condition")
    assert [c["code"]["coding"][0]["code"] for c in conditions] == ["F33.1", "F10.20"]
    assert len(care_plan["addresses"]) == 2


def test_r4_has_an_appointment_per_occurrence_with_its_real_times():
    plan = stepped_plan()
    bundle = to_fhir(plan, version="r4")
    appointments = resources(bundle, "Appointment")
    assert len(appointments) == len(plan.occurrences())
    assert sorted((a["start"], a["end"]) for a in appointments) == sorted(
        (o.start.isoformat(), o.end.isoformat()) for o in plan.occurrences()
    )
    moved = [a for a in appointments if a["start"].startswith("2027-01-26T15:00")]
    assert len(moved) == 1


def test_r5_appointments_are_based_on_the_plan_and_moves_are_exceptions():
    bundle = to_fhir(stepped_plan(), validate=True)
    (care_plan,) = resources(bundle, "CarePlan")
    plan_url = next(e["fullUrl"] for e in bundle["entry"] if e["resource"] is care_plan)
    appointments = resources(bundle, "Appointment")
    assert all(a["basedOn"] == [{"reference": plan_url}] for a in appointments)
    (moved,) = [a for a in appointments if a.get("occurrenceChanged")]
    assert moved["start"] == "2027-01-26T15:00:00-05:00"
    assert moved["recurrenceId"] == 4  # the 4th Monday of the series: 25 January
    series_url = moved["originatingAppointment"]["reference"]
    (series,) = [e["resource"] for e in bundle["entry"] if e["fullUrl"] == series_url]
    assert "recurrenceTemplate" in series


def test_a_series_starting_on_a_clock_change_day_ends_after_its_duration():
    # 02:30 does not exist on 14 March 2027 in New York: the occurrence starts
    # at 03:30 and lasts its 60 minutes, which the Appointment says too.
    week = cp.WeeklySchedule(
        "America/New_York", [cp.Session("sunday", "02:30", 60, "group_therapy")]
    )
    plan = cp.CarePlan(
        cp.Client("c"),
        cp.DEFAULT["OP"],
        week,
        pendulum.date(2027, 3, 14),
        pendulum.date(2027, 4, 4),
    )
    (appointment,) = resources(to_fhir(plan), "Appointment")
    assert appointment["start"] == "2027-03-14T03:30:00-04:00"
    assert appointment["end"] == "2027-03-14T04:30:00-04:00"
    assert appointment["extension"][0]["valueTime"] == "02:30:00"
    assert from_fhir(to_fhir(plan)).schedule == week


def _labels(bundle):
    found = [e["resource"].get("meta", {}).get("security") for e in bundle["entry"]]
    return found, bundle.get("meta", {}).get("security")


def test_substance_use_treatment_is_labelled_42_cfr_part_2():
    # sample_plan has F10.20 (alcohol dependence) among its diagnoses; the
    # label applies whether or not the diagnoses are exported.
    for version in ("r4", "r5"):
        per_resource, on_bundle = _labels(to_fhir(sample_plan(), version=version))
        codes = {label["code"] for label in on_bundle}
        assert codes == {"42CFRPart2", "ETH", "R"}
        assert all(labels == on_bundle for labels in per_resource)


def test_asam_care_is_labelled_and_other_mental_health_care_is_not():
    depression_only = attrs.evolve(sample_plan(), diagnoses=("F33.1",))
    assert _labels(to_fhir(depression_only)) == (
        [None] * len(to_fhir(depression_only)["entry"]),
        None,
    )
    asam = cp.CarePlan(
        cp.Client("c"),
        cp.ASAM_4["2.1"],
        sample_plan().schedule,
        pendulum.date(2027, 1, 4),
        pendulum.date(2027, 2, 28),
        continuum=cp.ASAM_4,
    )
    assert _labels(to_fhir(asam))[1] is not None


def _occurring(episode):
    """The zone and the sessions of an episode that happen in it at least once.

    A session with no date in its episode (an episode of zero days, or too
    short for the session's weekday) has no Appointment in R5.
    """
    sessions = tuple(
        s
        for s in episode.schedule.sessions
        if series_dates(s, episode.start, episode.end, episode.start)
    )
    return episode.schedule.timezone, sessions


def _goal_carried(number, goal):
    description = goal.description if goal.description.strip() else f"Goal {number + 1}"
    return description, goal.measure if goal.measure.strip() else "", goal.target_date


def _carried(plan):
    """What FHIR carries of a plan, for the round trip."""
    return (
        plan.id,
        plan.client.id,
        plan.start,
        plan.end,
        plan.continuum.name,
        [(e.level.code, e.start, e.end, _occurring(e)) for e in plan.episodes],
        [(t.reason.code, t.direction, t.on) for t in plan.transitions],
        # FHIR has no blank strings: a blank measure is left out, a blank
        # description written as "Goal n".
        [_goal_carried(n, g) for n, g in enumerate(plan.goals)],
        plan.diagnoses,
        plan.occurrences(),
    )


@pytest.mark.parametrize("version", ["r4", "r5"])
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(plan=care_plans(custom_continua=False))
def test_from_fhir_reads_back_what_to_fhir_wrote(version, plan):
    # FHIR has no blank strings: a blank session title is not carried.
    assume(all(s.title is None or s.title.strip() for e in plan.episodes
               for s in e.schedule.sessions))  # fmt: skip
    bundle = json.loads(json.dumps(to_fhir(plan, version=version, diagnoses=True)))
    assert _carried(from_fhir(bundle)) == _carried(plan)


def test_a_custom_continuum_must_be_given():
    levels = cp.DEFAULT.levels
    custom = cp.Continuum("Clinic ladder", levels)
    plan = attrs.evolve(sample_plan(), continuum=custom, level=custom["IOP"])
    bundle = to_fhir(plan)
    with pytest.raises(cp.DocumentError, match="continuum="):
        from_fhir(bundle)
    assert from_fhir(bundle, continuum=custom).occurrences() == plan.occurrences()


@pytest.mark.parametrize(
    ("bundle", "path"),
    [
        ({"resourceType": "Patient"}, ""),
        ({"resourceType": "Bundle"}, "entry"),
        ({"resourceType": "Bundle", "entry": []}, "entry"),
    ],
)
def test_what_is_not_a_plan_is_a_document_error_with_a_path(bundle, path):
    with pytest.raises(cp.DocumentError) as caught:
        from_fhir(bundle)
    assert caught.value.path == path


def test_a_reference_outside_the_bundle_is_reported():
    bundle = to_fhir(sample_plan())
    care_plan = next(e for e in bundle["entry"] if e["resource"]["resourceType"] == "CarePlan")
    care_plan["resource"]["subject"] = {"reference": "Patient/elsewhere"}
    with pytest.raises(cp.DocumentError, match="not in the Bundle") as caught:
        from_fhir(bundle)
    assert caught.value.path == "entry[0].resource.subject"


def test_the_command_line_writes_r4_and_imports_it_back(tmp_path, capsys):
    plan_file, bundle_file, back_file = (tmp_path / n for n in ("p.json", "b.json", "back.json"))
    plan_file.write_text(cp.to_json(stepped_plan()), encoding="utf-8")
    assert main(["fhir", str(plan_file), "--fhir-version", "r4", "-o", str(bundle_file)]) == 0
    bundle = json.loads(bundle_file.read_text(encoding="utf-8"))
    assert resources(bundle, "Patient")[0]["meta"]["profile"] == [
        f"{US_CORE}/us-core-patient|6.1.0"
    ]
    assert main(["import-fhir", str(bundle_file), "-o", str(back_file)]) == 0
    back = cp.from_json(back_file.read_text(encoding="utf-8"))
    assert back.occurrences() == stepped_plan().occurrences()
    (bundle_file).write_text("not json", encoding="utf-8")
    assert main(["import-fhir", str(bundle_file), "-o", str(tmp_path / "x.json")]) == 2
    assert "not JSON" in capsys.readouterr().err


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_the_care_team_only_when_asked(version):
    assert not resources(to_fhir(sample_plan(), version=version), "CareTeam")
    bundle = to_fhir(sample_plan(), version=version, care_team=True, validate=True)
    (team,) = resources(bundle, "CareTeam")
    names = sorted(p["name"][0]["text"] for p in resources(bundle, "Practitioner"))
    assert names == ["Dr. Morgan Lee", "Sam Patel, LICSW"]
    roles = [p["role"] for p in team["participant"]]
    # R5 has one role per participant; R4 a list.
    expected = {"text": "psychiatrist"} if version == "r5" else [{"text": "psychiatrist"}]
    assert roles[0] == expected
    (care_plan,) = resources(bundle, "CarePlan")
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert care_plan["careTeam"][0]["reference"] in urls


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_a_plan_of_care_exports_valid_fhir_and_reads_back_its_schedule(version):
    from careplan.demo import sample_plan_of_care

    plan = sample_plan_of_care()
    bundle = to_fhir(plan, version=version, diagnoses=True, care_team=True, validate=True)
    kinds = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"ServiceRequest", "Observation", "Condition"} <= kinds
    urls = {entry["fullUrl"] for entry in bundle["entry"]}
    assert {r for r in references(bundle) if r.startswith("urn:uuid:")} <= urls
    back = from_fhir(json.loads(json.dumps(bundle)))
    assert back.occurrences() == plan.occurrences()
    # Diagnosis codes come back; the problems of the plan of care are not diagnoses.
    assert back.diagnoses == plan.diagnoses


def _narratives(bundle):
    return [e["resource"]["text"]["div"] for e in bundle["entry"]]


@pytest.mark.parametrize("version", ["r4", "r5"])
def test_every_resource_has_a_narrative_without_identifying_text(version):
    secret = "Jane Q Doe"
    plan = sample_plan_of_care()
    plan = attrs.evolve(
        plan,
        client=cp.Client(plan.client.id, secret),
        goals=[attrs.evolve(g, description=f"{secret} stays sober") for g in plan.goals],
    )
    bundle = to_fhir(plan, version=version, diagnoses=True)
    divs = _narratives(bundle)
    assert len(divs) == len(bundle["entry"])
    assert all(d.startswith('<div xmlns="http://www.w3.org/1999/xhtml">') for d in divs)
    assert not any(secret in d for d in divs)
    # The name is in the Patient's narrative only when it is asked for.
    named = to_fhir(plan, version=version, client_name=True)
    assert [d for d in _narratives(named) if secret in d] == [
        resources(named, "Patient")[0]["text"]["div"]
    ]


def test_r4_conditions_are_us_core_problems_without_duplicates():
    # sample_plan_of_care codes its problems F33.1 and F10.20, which are
    # also among its diagnoses: one Condition each, marked as a diagnosis.
    plan = sample_plan_of_care()
    bundle = to_fhir(plan, version="r4", diagnoses=True)
    conditions = resources(bundle, "Condition")
    codes = [c["code"]["coding"][0]["code"] for c in conditions]
    assert len(codes) == len(set(codes))
    assert set(codes) == set(plan.diagnoses)
    for condition in conditions:
        assert condition["verificationStatus"]["coding"][0]["code"] == "confirmed"
        assert condition["recordedDate"] == plan.start.isoformat()
    assert from_fhir(bundle).diagnoses == plan.diagnoses


@pytest.mark.parametrize("client_name", [False, True])
def test_the_r4_patient_meets_us_core_6(client_name):
    """us-core-6: a name has a family or given part, or says why not (data-absent-reason)."""
    bundle = to_fhir(sample_plan(), version="r4", client_name=client_name)
    (name,) = resources(bundle, "Patient")[0]["name"]
    has_parts = "family" in name or "given" in name
    absent = [e for e in name.get("extension", ()) if e["url"].endswith("/data-absent-reason")]
    assert has_parts != bool(absent)
    assert ("text" in name) == client_name


def _status_kept(plan, goal):
    """A goal's own status comes back; one the export derived (unset, or still
    open at discharge) comes back as what the export wrote."""
    return goal.status is not None and not (plan.discharged and goal.open)


def _kept(plan):
    """Everything a round trip keeps of a plan of care exported with its diagnoses
    (docs/how-to/fhir-r4.md lists what it does not)."""
    return (
        _carried(plan),
        plan.readmission_of,
        [
            (
                g.id,
                g.start,
                g.problems,
                g.status if _status_kept(plan, g) else None,
                g.achievement if _status_kept(plan, g) else None,
            )
            for g in plan.goals
        ],
        [(p.id, p.description, p.condition) for p in plan.problems],
        [m for m in plan.measurements if m.instrument in cp.BUILTIN_INSTRUMENTS],
    )


def _kept_read_back(plan, original):
    kept = _kept(plan)
    goals = [
        (*carried[:3], *(carried[3:] if _status_kept(original, g) else (None, None)))
        for carried, g in zip(kept[2], original.goals, strict=True)
    ]
    return (*kept[:2], goals, *kept[3:])


@pytest.mark.parametrize("version", ["r4", "r5"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=care_plans(custom_continua=False).flatmap(plans_of_care))
def test_a_plan_of_care_comes_back_as_far_as_fhir_carries_it(version, plan):
    assume(all(s.title is None or s.title.strip() for e in plan.episodes
               for s in e.schedule.sessions))  # fmt: skip
    assume(all(p.condition is None or p.condition.system not in cp.Coding.SYSTEMS.values()
               for p in plan.problems))  # fmt: skip
    bundle = json.loads(json.dumps(to_fhir(plan, version=version, diagnoses=True)))
    again = from_fhir(bundle)
    assert _kept_read_back(again, plan) == _kept(plan)
