"""The plan of care: problems, instruments, and a plan's problems to interventions."""

from __future__ import annotations

import attrs
from hypothesis import strategies as st

from careplan._model.care import (
    Achievement,
    CareRole,
    Coding,
    GoalStatus,
    Intervention,
    Problem,
    Target,
    TreatmentObjective,
)
from careplan._model.kinds import SessionKind
from careplan._model.measures import BUILTIN_INSTRUMENTS, Band, Instrument, Measurement
from careplan._model.plan import CarePlan, Goal
from careplan._model.review import (
    Review,
    ReviewOutcome,
    Signature,
    SignaturePurpose,
    SignerRole,
)

_IDS = st.from_regex(r"[a-z][a-z0-9\-]{0,8}", fullmatch=True)
_CLINICAL_TEXT = st.sampled_from(
    ("Depressed mood", "Alcohol use", "Sleep", "Anxiety before work", "Cravings at night")
)
_CODINGS = st.none() | st.builds(
    Coding,
    st.sampled_from(("ICD-10-CM", "SNOMED CT")),
    st.sampled_from(("F33.1", "F10.20", "F41.1", "35489007")),
)


@st.composite
def problems(draw: st.DrawFn, *, id: st.SearchStrategy[str] = _IDS) -> Problem:
    """A problem with a generated id, text, and now and then a coded condition."""
    return Problem(
        draw(id),
        draw(_CLINICAL_TEXT),
        draw(st.sampled_from(("", "I feel stuck"))),
        draw(_CODINGS),
    )


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    """A user-defined instrument: a score range, bands across it, response and worsening."""
    low = draw(st.integers(0, 5))
    high = low + draw(st.integers(4, 40))
    middle = draw(st.integers(low, high - 1))
    return Instrument(
        draw(st.from_regex(r"X[A-Z]{1,4}-[0-9]{1,2}", fullmatch=True)),
        "A clinic's own scale",
        low,
        high,
        loinc=draw(st.none() | st.just("99999-9")),
        bands=(Band(low, middle, "lower"), Band(middle + 1, high, "higher")),
        lower_is_better=draw(st.booleans()),
        response_drop=draw(st.none() | st.sampled_from((0.5, 0.3))),
        remission_below=draw(st.none() | st.just(float(middle))),
        worsening=draw(st.none() | st.integers(1, 5).map(float)),
    )


_GOAL_STATUSES: tuple[GoalStatus, ...] = ("proposed", "active", "on_hold", "completed", "cancelled")
_ACHIEVEMENTS: tuple[Achievement, ...] = ("in_progress", "improving", "achieved", "not_achieved")
ROLES: tuple[CareRole, ...] = (
    "therapist",
    "psychiatrist",
    "case_manager",
    "peer_support",
    "nurse",
)
_OUTCOMES: tuple[ReviewOutcome, ...] = ("continue", "revise", "step_up", "step_down", "discharge")
_SIGNERS: tuple[SignerRole, ...] = ("client", "guardian", "clinician", "physician")


@st.composite
def plans_of_care(draw: st.DrawFn, plan: CarePlan, *, max_records: int = 4) -> CarePlan:
    """``plan`` with a generated plan of care whose references all hold.

    Problems, goals (linked to problems), objectives (some with PHQ-9, GAD-7,
    user-instrument or attendance targets), interventions through the
    session kinds of the plan's schedules (and now and then another kind),
    reviews, signatures, measurements within each instrument's range, and
    now and then a revision. Links may be missing (a goal with no objective):
    those are what the golden-thread rules report.
    """
    period = st.integers(0, max((plan.end - plan.start).days, 0)).map(
        lambda n: plan.start.add(days=n)
    )
    own = draw(st.lists(instruments(), max_size=1, unique_by=lambda i: i.code))
    known = {**BUILTIN_INSTRUMENTS, **{i.code: i for i in own}}
    found_problems = draw(st.lists(problems(), max_size=max_records, unique_by=lambda p: p.id))
    problem_ids = [p.id for p in found_problems]
    goal_ids = draw(st.lists(_IDS, min_size=0, max_size=max_records, unique=True))
    goals = [
        Goal(
            goal_id,
            draw(_CLINICAL_TEXT),
            "",
            draw(st.none() | period),
            problems=draw(st.lists(st.sampled_from(problem_ids), max_size=2, unique=True))
            if problem_ids
            else (),
            status=draw(st.none() | st.sampled_from(_GOAL_STATUSES)),
            achievement=draw(st.none() | st.sampled_from(_ACHIEVEMENTS)),
        )
        for goal_id in goal_ids
    ]
    kinds = list(dict.fromkeys(s.kind for e in plan.episodes for s in e.schedule.sessions)) or [
        SessionKind.GROUP_THERAPY
    ]
    objectives = []
    if goal_ids:
        for objective_id in draw(st.lists(_IDS, max_size=max_records, unique=True)):
            measure = draw(st.sampled_from([*known, "attendance", "none"]))
            target = None
            if measure == "attendance":
                target = Target.attendance(
                    at_least=draw(st.integers(50, 100)),
                    kinds=draw(st.lists(st.sampled_from(kinds), max_size=2, unique=True)),
                )
            elif measure != "none":
                instrument = known[measure]
                value = draw(st.integers(int(instrument.minimum), int(instrument.maximum)))
                target = Target(
                    measure, draw(st.sampled_from(("below", "at_most", "at_least", "above"))), value
                )
            objectives.append(
                TreatmentObjective(
                    objective_id,
                    draw(st.sampled_from(goal_ids)),
                    "An observable step",
                    draw(st.none() | period),
                    target,
                    draw(st.sampled_from(_GOAL_STATUSES)),
                )
            )
    objective_ids = [o.id for o in objectives]
    levels = list(plan.continuum.codes)
    interventions = [
        Intervention(
            intervention_id,
            "What the team does",
            draw(st.lists(st.sampled_from(objective_ids), max_size=2, unique=True))
            if objective_ids
            else (),
            kinds=draw(
                st.lists(
                    st.sampled_from([*kinds, SessionKind.FAMILY_THERAPY]), max_size=2, unique=True
                )
            ),
            times=draw(st.integers(1, 4)),
            every_weeks=draw(st.integers(1, 2)),
            role=draw(st.sampled_from(ROLES)),
            levels=draw(st.lists(st.sampled_from(levels), max_size=1)),
        )
        for intervention_id in draw(st.lists(_IDS, max_size=max_records, unique=True))
    ]
    measurements = []
    for code in draw(st.lists(st.sampled_from(list(known)), max_size=2, unique=True)):
        instrument = known[code]
        for day in draw(st.lists(period, max_size=4, unique=True)):
            score = draw(st.integers(int(instrument.minimum), int(instrument.maximum)))
            measurements.append(Measurement(code, score, day))
    reviews = [
        Review(day, draw(st.sampled_from(ROLES)), draw(st.sampled_from(_OUTCOMES)))
        for day in sorted(draw(st.lists(period, max_size=2)))
    ]
    signatures = []
    for role in draw(st.lists(st.sampled_from(_SIGNERS), max_size=3, unique=True)):
        purpose: SignaturePurpose = (
            draw(st.sampled_from(("plan", "certification"))) if role == "physician" else "plan"
        )
        signatures.append(Signature(draw(period), role, purpose=purpose))
    result = attrs.evolve(
        plan,
        problems=found_problems,
        goals=goals,
        objectives=objectives,
        interventions=interventions,
        measurements=measurements,
        reviews=reviews,
        signatures=signatures,
        instruments=own,
    )
    if draw(st.booleans()) and objectives:
        # A revision: the last objective was added on a day of the plan.
        result = attrs.evolve(
            result,
            objectives=objectives[:-1],
            interventions=[
                attrs.evolve(i, objectives=tuple(o for o in i.objectives if o != objectives[-1].id))
                for i in interventions
            ],
        ).revise(draw(period), objectives=objectives, interventions=interventions)
    return result
