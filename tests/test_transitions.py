"""Moving along the continuum: step up, step down, discharge, and episodes."""

from __future__ import annotations

import itertools
import json

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careplan as cp
from careplan import DEFAULT, Modality, Session, SessionKind, WeeklySchedule
from careplan.demo import sample_schedule
from careplan.testing import care_plans

ROOM = Modality.in_person("Room 1")
GROUP, INDIVIDUAL, PSYCH = (
    SessionKind.GROUP_THERAPY,
    SessionKind.INDIVIDUAL_THERAPY,
    SessionKind.PSYCHIATRIC,
)
START = pendulum.date(2027, 1, 4)


def weekly_therapy() -> WeeklySchedule:
    return WeeklySchedule(
        "America/New_York", [Session("wednesday", "17:00", 60, INDIVIDUAL, modality=ROOM)]
    )


def php_schedule() -> WeeklySchedule:
    return WeeklySchedule(
        "America/New_York",
        # Five days of 5 hours: group, life skills, then an individual,
        # psychiatric or psychoeducation hour.
        [
            session
            for day, last in (
                ("monday", INDIVIDUAL),
                ("tuesday", SessionKind.PSYCHOEDUCATION),
                ("wednesday", PSYCH),
                ("thursday", SessionKind.PSYCHOEDUCATION),
                ("friday", INDIVIDUAL),
            )
            for session in (
                Session(day, "09:00", 180, GROUP, modality=ROOM),
                Session(day, "12:00", 60, SessionKind.LIFE_SKILLS, modality=ROOM),
                Session(day, "13:00", 60, last, modality=ROOM),
            )
        ],
    )


def plan_at(level: str, schedule: WeeklySchedule, weeks: int = 16) -> cp.CarePlan:
    return cp.CarePlan(
        cp.Client("c-9"),
        DEFAULT[level],
        schedule,
        START,
        START.add(weeks=weeks).subtract(days=1),
        id="history",
    )


def test_php_steps_down_to_iop_then_outpatient():
    plan = plan_at("PHP", php_schedule())
    iop = cp.step_down(
        plan, on=pendulum.date(2027, 2, 1), reason="stabilised", schedule=sample_schedule()
    )
    op = cp.step_down(
        iop, on=pendulum.date(2027, 3, 29), reason="goals_met", schedule=weekly_therapy()
    )
    assert [e.level.code for e in op.episodes] == ["PHP", "IOP", "OP"]
    assert [(str(e.start), str(e.end)) for e in op.episodes] == [
        ("2027-01-04", "2027-01-31"),
        ("2027-02-01", "2027-03-28"),
        ("2027-03-29", "2027-04-25"),
    ]
    assert op.level == DEFAULT["OP"]
    assert op.schedule == weekly_therapy()
    assert [e.reason_in for e in op.episodes] == [
        None,
        cp.TransitionReason.STABILISED,
        cp.TransitionReason.GOALS_MET,
    ]
    assert op.episodes[0].reason_out == cp.TransitionReason.STABILISED
    assert op.level_on(pendulum.date(2027, 3, 28)) == DEFAULT["IOP"]
    assert op.level_on(pendulum.date(2027, 3, 29)) == DEFAULT["OP"]
    assert op.level_on(pendulum.date(2026, 12, 31)) is None
    # The original plans are untouched values.
    assert plan.transitions == ()
    assert len(iop.transitions) == 1
    report = cp.validate(op)
    assert report.ok, str(report)


def test_outpatient_steps_up_to_iop_on_relapse_risk():
    plan = plan_at("OP", weekly_therapy())
    stepped = cp.step_up(
        plan,
        on=pendulum.date(2027, 2, 15),
        reason=cp.TransitionReason.RELAPSE_RISK,
        schedule=sample_schedule(),
        note="cravings after job loss",
    )
    (transition,) = stepped.transitions
    assert (transition.from_level, transition.to_level, transition.direction) == (
        "OP",
        "IOP",
        "step_up",
    )
    assert transition.previous_schedule == weekly_therapy()
    found = stepped.occurrences()
    cut = pendulum.date(2027, 2, 15)
    assert all(o.session.id == "wed-1700-individual_therapy" for o in found if o.date < cut)
    assert all(o.session in sample_schedule().sessions for o in found if o.date >= cut)
    assert {o.episode for o in found} == {0, 1}


def test_inpatient_steps_down_to_php():
    plan = plan_at("INP", php_schedule())
    # The default target is the neighbour (residential); PHP is named.
    assert (
        cp.step_down(plan, on=pendulum.date(2027, 1, 18), reason="stabilised").level.code == "RES"
    )
    stepped = cp.step_down(plan, on=pendulum.date(2027, 1, 18), reason="stabilised", to="PHP")
    assert stepped.level.code == "PHP"
    assert stepped.episodes[0].level.code == "INP"
    assert "transition.skipped_levels" in cp.validate(stepped).codes


def test_discharge_ends_the_plan_and_nothing_follows():
    plan = plan_at("OP", weekly_therapy())
    done = cp.discharge(plan, on=pendulum.date(2027, 3, 3), reason="treatment_completed")
    assert done.discharged
    assert done.end == pendulum.date(2027, 3, 3)
    assert max(o.date for o in done.occurrences()) <= done.end
    assert done.episodes[-1].reason_out == cp.TransitionReason.TREATMENT_COMPLETED
    with pytest.raises(cp.TransitionError, match="discharged on 2027-03-03"):
        cp.step_up(done, on=pendulum.date(2027, 3, 10), reason="relapse_risk")
    with pytest.raises(cp.TransitionError, match="discharged"):
        cp.discharge(done, on=pendulum.date(2027, 3, 10))
    with pytest.raises(cp.InvalidValueError, match="discharge date"):
        attrs.evolve(done, end=pendulum.date(2027, 4, 1))


def test_a_late_discharge_extends_the_plan():
    plan = plan_at("OP", weekly_therapy(), weeks=4)
    late = cp.discharge(plan, on=pendulum.date(2027, 2, 14), reason="treatment_completed")
    assert late.end == pendulum.date(2027, 2, 14)


def test_transition_errors_say_what_to_do():
    plan = plan_at("IOP", sample_schedule())
    later = cp.step_down(
        plan, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=weekly_therapy()
    )
    with pytest.raises(cp.TransitionError, match="backdated") as info:
        cp.step_up(later, on=pendulum.date(2027, 2, 1), reason="relapse_risk")
    assert info.value.hint
    with pytest.raises(cp.TransitionError, match="after the plan's end"):
        cp.step_up(plan, on=pendulum.date(2028, 1, 1), reason="relapse_risk")
    with pytest.raises(cp.TransitionError, match="explains a step down, not a step up"):
        cp.step_up(plan, on=pendulum.date(2027, 2, 1), reason="goals_met")
    with pytest.raises(cp.TransitionError, match="is a step down, not a step up"):
        cp.step_up(plan, on=pendulum.date(2027, 2, 1), reason="relapse_risk", to="OP")
    with pytest.raises(cp.UnknownLevelError):
        cp.step_up(plan, on=pendulum.date(2027, 2, 1), reason="relapse_risk", to="2.5")
    with pytest.raises(cp.TransitionError, match="at the bottom"):
        cp.step_down(
            plan_at("OP", weekly_therapy()), on=pendulum.date(2027, 2, 1), reason="goals_met"
        )
    with pytest.raises(cp.InvalidValueError, match="not a known transition reason"):
        cp.step_up(plan, on=pendulum.date(2027, 2, 1), reason="bored")
    assert plan.transitions == ()


def test_jumping_levels_needs_an_explicit_target_and_is_a_warning():
    plan = plan_at("OP", weekly_therapy())
    jumped = cp.step_up(
        plan,
        on=pendulum.date(2027, 2, 1),
        reason="safety_concern",
        to="INP",
        schedule=php_schedule(),
    )
    assert jumped.level.code == "INP"
    report = cp.validate(jumped)
    (skipped,) = [v for v in report.violations if v.code == "transition.skipped_levels"]
    assert skipped.severity == "warning"
    assert "skipping 3 level(s)" in skipped.message


def test_a_schedule_change_is_a_lateral_transition():
    plan = plan_at("IOP", sample_schedule())
    evening = WeeklySchedule(
        "America/New_York",
        [
            attrs.evolve(s, start=pendulum.Time(s.start.hour + 8, s.start.minute), id=f"eve-{s.id}")
            for s in sample_schedule().sessions
        ],
    )
    moved = cp.change_schedule(plan, on=pendulum.date(2027, 2, 1), schedule=evening)
    assert [e.level.code for e in moved.episodes] == ["IOP", "IOP"]
    assert moved.transitions[0].direction == "lateral"
    assert moved.transitions[0].reason == cp.TransitionReason.SCHEDULE_CHANGE


def _tapered_iop(taper_weeks: int) -> cp.CarePlan:
    """IOP for 8 weeks, the last ``taper_weeks`` of them at 6 h, then outpatient."""
    full = sample_schedule()
    taper = WeeklySchedule(
        "America/New_York",
        [s for s in full.sessions if s.weekday != pendulum.WeekDay.THURSDAY],
    )
    plan = plan_at("IOP", full, weeks=12)
    taper_from = START.add(weeks=8 - taper_weeks)
    if taper_weeks:
        plan = cp.change_schedule(plan, on=taper_from, schedule=taper)
    return cp.step_down(plan, on=START.add(weeks=8), reason="goals_met", schedule=weekly_therapy())


def test_the_step_down_grace_window_allows_a_two_week_taper():
    report = cp.validate(_tapered_iop(2))
    assert report.ok, str(report)
    grace = [v for v in report.warnings if v.code == "intensity.step_down_grace"]
    assert grace
    assert all(d >= START.add(weeks=6) for v in grace for d in v.dates)


def test_a_three_week_taper_is_an_error_for_the_first_week():
    report = cp.validate(_tapered_iop(3))
    errors = [v for v in report.errors if v.code == "intensity.hours_per_week"]
    assert [d for v in errors for d in v.dates] == [START.add(weeks=5)]


def test_history_round_trips_through_json():
    plan = cp.step_down(
        plan_at("PHP", php_schedule()),
        on=pendulum.date(2027, 2, 1),
        reason=cp.TransitionReason("insurance", "Insurance review", "step_down"),
        schedule=sample_schedule(),
    )
    plan = cp.discharge(plan, on=pendulum.date(2027, 4, 2), reason="client_withdrew")
    text = cp.to_json(plan)
    again = cp.from_json(text)
    assert again == plan
    assert again.transitions[0].reason.label == "Insurance review"
    data = json.loads(text)
    assert data["transitions"][0]["previous_schedule"]["sessions"][0]["weekday"] == "monday"


@pytest.mark.parametrize(
    ("edit", "path", "needle"),
    [
        (lambda d: d["transitions"].reverse(), "transitions[0]", "followed by more transitions"),
        (
            lambda d: d["transitions"][1].update(from_level="PHP"),
            "transitions[1].from_level",
            "does not follow",
        ),
        (
            lambda d: d["transitions"][1].update(on="2027-01-20"),
            "transitions[1].on",
            "is before",
        ),
        (
            lambda d: d["transitions"][0].update(from_level="ICU"),
            "transitions[0].from_level",
            "not a level of the continuum",
        ),
        (
            lambda d: d["transitions"][0].update(direction="step_up"),
            "transitions[0].reason",
            "explains a step down",
        ),
        (
            lambda d: d["transitions"][0].update(direction="sideways"),
            "transitions[0].direction",
            "not a direction",
        ),
        (lambda d: d.update(end="2027-05-01"), "end", "discharge date"),
        (lambda d: d.update(level="PHP"), "level", "not the level the history ends at"),
    ],
)
def test_an_incoherent_history_is_refused_with_its_path(edit, path, needle):
    plan = cp.step_down(
        plan_at("PHP", php_schedule()),
        on=pendulum.date(2027, 2, 1),
        reason="stabilised",
        schedule=sample_schedule(),
    )
    plan = cp.discharge(plan, on=pendulum.date(2027, 3, 1))
    data = json.loads(cp.to_json(plan))
    edit(data)
    with pytest.raises(cp.DocumentError) as info:
        cp.from_json(json.dumps(data))
    assert info.value.path == path
    assert needle in str(info.value)


# --- properties ---------------------------------------------------------------


@given(care_plans(changes=False))
def test_episodes_are_contiguous_and_cover_the_period(plan):
    episodes = plan.episodes
    assert episodes[0].start == plan.start
    assert episodes[-1].end == plan.end
    for before, after in itertools.pairwise(episodes):
        assert after.start == before.end.add(days=1)
        assert before.left_by is after.came_in_by
    assert len(episodes) == 1 + sum(t.direction != "discharge" for t in plan.transitions)
    assert episodes[-1].level == plan.level


@given(care_plans(changes=False), st.integers(-3, 200))
def test_level_on_agrees_with_the_episodes(plan, offset):
    day = plan.start.add(days=offset)
    expected = next((e.level for e in plan.episodes if e.start <= day <= e.end), None)
    assert plan.level_on(day) == expected


@given(care_plans())
def test_occurrences_never_cross_a_transition(plan):
    episodes = plan.episodes
    for occurrence in plan.occurrences():
        episode = episodes[occurrence.episode]
        assert episode.start <= occurrence.scheduled_on <= episode.end
        assert occurrence.session in episode.schedule.sessions
        if not occurrence.moved:
            assert episode.contains(occurrence.date)


@given(
    care_plans(changes=False), st.sampled_from(["up", "down", "discharge"]), st.integers(-30, 200)
)
def test_a_refused_transition_leaves_the_plan_unchanged(plan, move, offset):
    before = cp.to_json(plan)
    day = plan.start.add(days=offset)
    try:
        if move == "discharge":
            result = cp.discharge(plan, on=day)
        elif move == "up":
            result = cp.step_up(plan, on=day, reason="worsening_symptoms")
        else:
            result = cp.step_down(plan, on=day, reason="stabilised")
    except cp.CarePlanError:
        pass
    else:
        assert result.transitions[:-1] == plan.transitions
        assert result.transitions[-1].on == day
        assert day >= (plan.transitions[-1].on if plan.transitions else plan.start)
    assert cp.to_json(plan) == before


# --- issue 29, item 9: a step down does not keep a week that breaks the new level -----------


def test_a_step_down_refuses_to_keep_a_week_the_new_level_rejects():
    """ASAM 3rd ed.: level 1 outpatient is fewer than 9 h a week (clinical-rules.md); an IOP
    week of 10 h kept after a step down to outpatient care would be an OP episode with errors.
    The refusal says how to fix it."""
    plan = plan_at("IOP", sample_schedule())
    with pytest.raises(cp.TransitionError) as caught:
        cp.step_down(plan, on=START.add(weeks=8), reason="goals_met")
    error = caught.value
    assert "intensity.hours_per_week" in error.problem
    assert "schedule=" in error.hint
    assert "program=" in error.hint
    # The same from PHP to IOP: five 5-hour days are too much for IOP.
    with pytest.raises(cp.TransitionError, match="Intensive Outpatient Program"):
        cp.step_down(plan_at("PHP", php_schedule()), on=START.add(weeks=4), reason="stabilised")
    # A week given for the new level, or re-planned from the program, is accepted.
    given_week = cp.step_down(
        plan, on=START.add(weeks=8), reason="goals_met", schedule=weekly_therapy()
    )
    assert cp.validate(given_week).ok
    from careplan.programs import sample_iop

    replanned = cp.step_down(plan, on=START.add(weeks=8), reason="goals_met", program=sample_iop())
    assert replanned.schedule != plan.schedule
    assert cp.validate(replanned).ok
    # A plan beyond careplan's limits is not expanded to judge the week: validation says why.
    endless = attrs.evolve(plan, end=pendulum.date(2040, 1, 1))
    kept = cp.step_down(endless, on=START.add(weeks=8), reason="goals_met")
    assert cp.validate(kept).codes == {"limits.period_too_long"}


def test_a_taper_within_the_grace_weeks_stays_allowed():
    """ASAM: a client stepping down from IOP may fall below 9 h a week for one to two weeks
    (payer summaries of the continued-service criteria): the lighter week is kept into OP."""
    full = sample_schedule()
    taper = WeeklySchedule(
        "America/New_York", [s for s in full.sessions if s.weekday != pendulum.WeekDay.THURSDAY]
    )
    plan = cp.change_schedule(plan_at("IOP", full, weeks=12), on=START.add(weeks=6), schedule=taper)
    stepped = cp.step_down(plan, on=START.add(weeks=8), reason="goals_met")
    assert stepped.schedule == taper
    report = cp.validate(stepped)
    assert report.ok, str(report)
    assert "intensity.step_down_grace" in report.codes
