"""Labels travel with every kind, track and reason of a careplan/1 document (issue 28, 3-6).

Labels are not compared by ``==``, so these tests compare them place by
place: a test's own walk over every place a label can live.
"""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.demo import sample_plan, sample_plan_of_care
from careplan.testing import care_plans, plans_of_care, texts


def _places(plan):
    """Every (place, code, label) of a kind, track or reason in ``plan``."""
    found = []

    def schedule(where, value):
        for i, s in enumerate(value.sessions):
            found.append((f"{where}[{i}].kind", s.kind.code, s.kind.label))
            if s.track is not None:
                found.append((f"{where}[{i}].track", s.track.code, s.track.label))

    def care(where, interventions, objectives):
        for i, v in enumerate(interventions):
            found.extend((f"{where}interventions[{i}]", k.code, k.label) for k in v.kinds)
        for i, o in enumerate(objectives):
            if o.target is not None:
                found.extend(
                    (f"{where}objectives[{i}].target", k.code, k.label) for k in o.target.kinds
                )

    schedule("sessions", plan.schedule)
    for n, t in enumerate(plan.transitions):
        schedule(f"transitions[{n}].previous_schedule", t.previous_schedule)
        found.append((f"transitions[{n}].reason", t.reason.code, t.reason.label))
    found.extend((f"tracks[{i}]", t.code, t.label) for i, t in enumerate(plan.tracks))
    for level in plan.continuum:
        found.extend((f"continuum.{level.code}", r.kind.code, r.kind.label) for r in level.required)
    care("", plan.interventions, plan.objectives)
    for n, r in enumerate(plan.revisions):
        care(f"revisions[{n}].", r.previous.interventions, r.previous.objectives)
    return found


def _round_trip(plan):
    again = cp.from_json(cp.to_json(plan))
    assert again == plan
    assert _places(again) == _places(plan)
    return again


@st.composite
def labelled_plans(draw):
    """Plans with custom labels in every place one can live, one label per code."""
    plan = draw(care_plans(max_weeks=12).flatmap(plans_of_care))
    kind = cp.SessionKind("zz_kind", draw(texts()))
    track = cp.TreatmentTrack("zz_track", draw(texts()))
    reason_label = draw(texts())
    transitions = []
    for t in plan.transitions:
        previous = t.previous_schedule
        if previous.sessions and draw(st.booleans()):
            first = attrs.evolve(previous.sessions[0], kind=kind, track=track)
            previous = cp.WeeklySchedule(previous.timezone, [first, *previous.sessions[1:]])
        reason = t.reason
        if draw(st.booleans()):
            reason = cp.TransitionReason("zz_reason", reason_label, t.direction)
        transitions.append(attrs.evolve(t, previous_schedule=previous, reason=reason))

    def with_kind(interventions, objectives):
        interventions = [
            attrs.evolve(v, kinds=(*v.kinds, kind)) if draw(st.booleans()) else v
            for v in interventions
        ]
        objectives = [
            attrs.evolve(o, target=attrs.evolve(o.target, kinds=(*o.target.kinds, kind)))
            if o.target is not None and o.target.measure == "attendance" and draw(st.booleans())
            else o
            for o in objectives
        ]
        return interventions, objectives

    interventions, objectives = with_kind(plan.interventions, plan.objectives)
    revisions = []
    for r in plan.revisions:
        earlier_interventions, earlier_objectives = with_kind(
            r.previous.interventions, r.previous.objectives
        )
        previous = attrs.evolve(
            r.previous, interventions=earlier_interventions, objectives=earlier_objectives
        )
        revisions.append(attrs.evolve(r, previous=previous))
    return attrs.evolve(
        plan,
        transitions=transitions,
        interventions=interventions,
        objectives=objectives,
        revisions=revisions,
    )


@settings(max_examples=100, deadline=None)
@given(labelled_plans())
def test_every_label_comes_back_from_every_place(plan):
    _round_trip(plan)


def _discharged_with(previous_kind):
    plan = cp.discharge(sample_plan(), on=pendulum.date(2027, 2, 1))
    last = plan.transitions[-1]
    first = attrs.evolve(plan.schedule.sessions[0], kind=previous_kind, id="earlier")
    previous = cp.WeeklySchedule(plan.timezone, [first])
    return attrs.evolve(plan, transitions=[attrs.evolve(last, previous_schedule=previous)])


def test_a_label_only_in_a_discharges_previous_schedule_comes_back():
    plan = _discharged_with(cp.SessionKind("art_therapy", "Art studio"))
    again = _round_trip(plan)
    assert again.transitions[-1].previous_schedule.sessions[0].kind.label == "Art studio"
    assert json.loads(cp.to_json(plan))["labels"]["kinds"] == {"art_therapy": "Art studio"}


@pytest.mark.parametrize(
    "change",
    ["intervention", "target", "revision"],
)
def test_a_second_label_in_the_plan_of_care_is_refused(change):
    plan = sample_plan_of_care()
    used = plan.schedule.sessions[0].kind
    other = cp.SessionKind(used.code, "Another label")
    if change == "intervention":
        first = attrs.evolve(plan.interventions[0], kinds=(other,))
        changes = {"interventions": [first, *plan.interventions[1:]]}
    elif change == "target":
        target = cp.Target.attendance(at_least=80, kinds=[other])
        first = attrs.evolve(plan.objectives[0], target=target)
        changes = {"objectives": [first, *plan.objectives[1:]]}
    else:
        earlier = attrs.evolve(
            plan.plan_of_care,
            interventions=[attrs.evolve(plan.interventions[0], kinds=(other,))],
        )
        changes = {"revisions": [cp.CareRevision(plan.start, earlier)]}
    with pytest.raises(cp.InvalidValueError, match="second label for the code"):
        attrs.evolve(plan, **changes)


def test_a_relabelled_builtin_kind_used_only_in_an_intervention_round_trips():
    # The schedule and the continuum do not use group therapy: its label is
    # the plan's own, and the document carries it.
    plan = sample_plan_of_care()
    sessions = [s for s in plan.schedule.sessions if s.kind.code != "group_therapy"]
    continuum = cp.Continuum("Clinic", [cp.LevelOfCare("IOP", "Intensive outpatient", 2)])
    process = cp.SessionKind("group_therapy", "Process group")

    def relabelled(kinds):
        return tuple(process if k.code == "group_therapy" else k for k in kinds)

    interventions = [attrs.evolve(v, kinds=relabelled(v.kinds)) for v in plan.interventions]
    interventions[0] = attrs.evolve(interventions[0], kinds=(process,))
    objectives = [
        o
        if o.target is None
        else attrs.evolve(o, target=attrs.evolve(o.target, kinds=relabelled(o.target.kinds)))
        for o in plan.objectives
    ]
    plan = attrs.evolve(
        plan,
        schedule=cp.WeeklySchedule(plan.timezone, sessions),
        continuum=continuum,
        level=continuum["IOP"],
        interventions=interventions,
        objectives=objectives,
        authorizations=[],
        transitions=[],
    )
    again = _round_trip(plan)
    assert again.interventions[0].kinds[0].label == "Process group"


def test_a_relabelled_builtin_kind_beside_the_builtin_continuum_is_refused_when_built():
    # The built-in continuum requires group therapy under its own label: a
    # plan cannot give the code a second one, so to_json never writes what
    # from_json refuses.
    plan = sample_plan_of_care()
    first = attrs.evolve(
        plan.interventions[0], kinds=(cp.SessionKind("group_therapy", "Process group"),)
    )
    with pytest.raises(cp.InvalidValueError, match="second label"):
        attrs.evolve(plan, interventions=[first, *plan.interventions[1:]])


def test_two_labels_for_one_custom_reason_are_refused():
    plan = sample_plan()
    plan = cp.step_down(
        plan, on=pendulum.date(2027, 2, 1), reason=cp.TransitionReason("x_met", "Met", "step_down")
    )
    with pytest.raises(cp.InvalidValueError, match="second label"):
        cp.discharge(
            plan,
            on=pendulum.date(2027, 3, 1),
            reason=cp.TransitionReason("x_met", "Met it", "discharge"),
        )


def test_one_custom_reason_in_two_transitions_round_trips():
    reason = cp.TransitionReason("x_met", "Met their goals", "step_down")
    plan = cp.step_down(sample_plan(), on=pendulum.date(2027, 2, 1), reason=reason)
    plan = cp.change_schedule(
        plan,
        on=pendulum.date(2027, 2, 8),
        schedule=plan.schedule,
        reason=cp.TransitionReason("x_met", "Met their goals", "lateral"),
    )
    again = _round_trip(plan)
    assert [t.reason.label for t in again.transitions] == ["Met their goals"] * 2
