"""The planner: schedules that fit a person's week, and the proof they are the best."""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan import DEFAULT, BusyBlock, DayPart, LifeConstraints
from careplan.programs import sample_iop
from careplan.testing import life_constraints, programs

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
IOP = DEFAULT["IOP"]
MONDAY = pendulum.date(2027, 1, 4)


def parts(result: cp.PlanResult) -> set[DayPart]:
    groups = [s for s in result.schedule.sessions if s.kind == cp.SessionKind.GROUP_THERAPY]
    return {s.day_part for s in groups}


def as_plan(result: cp.PlanResult, weeks: int = 4) -> cp.CarePlan:
    level = result.level
    continuum = DEFAULT if DEFAULT.get(level.code) == level else cp.Continuum("one", [level])
    return cp.CarePlan(
        cp.Client("p"),
        level,
        result.schedule,
        MONDAY,
        MONDAY.add(weeks=weeks).subtract(days=1),
        continuum=continuum,
    )


def test_a_full_time_worker_gets_the_evening_track():
    work = LifeConstraints([BusyBlock("work", WEEKDAYS, "09:00", "17:00", buffer_minutes=30)])
    result = cp.plan_week(sample_iop(), IOP, work)
    assert parts(result) == {DayPart.EVENING}
    assert result.schedule.days_per_week == 3
    assert cp.validate(as_plan(result)).ok


def test_a_student_with_morning_classes_gets_afternoons():
    classes = LifeConstraints([BusyBlock("classes", WEEKDAYS, "08:00", "12:00", 30)])
    result = cp.plan_week(sample_iop(), IOP, classes)
    assert parts(result) == {DayPart.AFTERNOON}


def test_a_parent_with_a_three_oclock_pickup_gets_mornings():
    pickup = LifeConstraints(
        [BusyBlock("school pickup and homework", WEEKDAYS, "15:00", "20:00", 15)]
    )
    result = cp.plan_week(sample_iop(), IOP, pickup)
    assert parts(result) == {DayPart.MORNING}
    assert all(s.start_minute + s.minutes <= 14 * 60 + 45 for s in result.schedule.sessions)


def test_preferences_are_honoured_and_counted():
    evenings = LifeConstraints(preferred_day_parts=[DayPart.EVENING])
    result = cp.plan_week(sample_iop(), IOP, evenings)
    assert parts(result) == {DayPart.EVENING}
    assert result.objective.preference_conflicts == 0


def test_two_free_evenings_are_not_enough_for_iop_and_the_reasons_say_why():
    busy = LifeConstraints(
        [
            BusyBlock("work", WEEKDAYS, "08:00", "17:30"),
            BusyBlock("children", ["tuesday", "thursday", "friday"], "17:30", "22:00"),
        ],
        modality="in_person",
    )
    with pytest.raises(cp.Infeasible) as info:
        cp.plan_week(sample_iop(), IOP, busy)
    error = info.value
    assert error.level == IOP
    text = str(error)
    assert "evenings on Mon, Wed" in text
    assert "at most 2 day(s) and about 6.0 h/week" in text
    assert "needs 3–5 days/week and 9–20 h/week" in text
    assert [a.description for a in error.alternatives] == ["a lower level: Outpatient Therapy"]
    assert error.alternatives[0].result.level == DEFAULT["OP"]
    assert isinstance(error, cp.CarePlanError)


def test_the_alternatives_include_another_modality():
    weekends_only_virtual = LifeConstraints(
        [BusyBlock("work", WEEKDAYS, "08:00", "17:30")], modality="virtual"
    )
    assert cp.plan_week(sample_iop(), IOP, weekends_only_virtual).schedule.days_per_week == 3
    in_person_only = LifeConstraints(modality="in_person", max_days_per_week=2)
    with pytest.raises(cp.Infeasible) as info:
        cp.plan_week(sample_iop(), IOP, in_person_only)
    assert "lift the cap on days a week" in [a.description for a in info.value.alternatives]


def test_bad_arguments():
    with pytest.raises(cp.InvalidValueError, match="not a level Sample IOP runs"):
        cp.plan_week(sample_iop(), DEFAULT["PHP"], LifeConstraints())
    with pytest.raises(cp.InvalidValueError, match="not an objective"):
        cp.plan_week(sample_iop(), IOP, LifeConstraints(), objective="cheapest")
    with pytest.raises(cp.InvalidValueError, match="is the start"):
        BusyBlock("work", ["monday"], "17:00", "17:00")
    with pytest.raises(cp.InvalidValueError, match="anchor"):
        BusyBlock("rota", ["monday"], "09:00", "17:00", every_weeks=2)


def test_a_care_plan_from_a_program_in_one_call():
    parent = LifeConstraints([BusyBlock("kids", WEEKDAYS, "08:00", "17:30")])
    plan = cp.CarePlan.from_program(
        cp.Client("client-0100"),
        sample_iop(),
        IOP,
        parent,
        start=MONDAY,
        weeks=12,
        goals=[cp.Goal(None, "Fewer panic attacks", "diary", MONDAY.add(weeks=8))],
    )
    assert plan.end == pendulum.date(2027, 3, 28)
    assert {s.day_part for s in plan.schedule.sessions} == {DayPart.EVENING}
    assert cp.validate(plan).ok


def test_stepping_down_replans_and_keeps_the_day_part():
    work = LifeConstraints([BusyBlock("work", WEEKDAYS, "09:00", "17:00", 30)])
    plan = cp.CarePlan.from_program(cp.Client("c"), sample_iop(), IOP, work, start=MONDAY, weeks=16)
    stepped = cp.step_down(
        plan,
        on=MONDAY.add(weeks=8),
        reason="goals_met",
        program=sample_iop(),
        constraints=work,
    )
    assert stepped.level.code == "OP"
    assert {s.day_part for s in stepped.schedule.sessions} == {DayPart.EVENING}
    assert cp.validate(stepped).ok


# --- properties ---------------------------------------------------------------

# The article's levels, and two looser ones that small generated programs can
# often meet, so the properties see many feasible weeks, not only refusals.
_LOOSE = cp.LevelOfCare(
    "L1",
    "Loose weekly",
    1,
    cp.Intensity(cp.Range(1, 4), cp.Range(1, 5), cp.Range(1, 12)),
    required=[cp.RequiredComponent(cp.SessionKind.GROUP_THERAPY)],
)
_LOOSE_BIWEEKLY = cp.LevelOfCare(
    "L2",
    "Loose with consults",
    2,
    cp.Intensity(cp.Range(1, 5), cp.Range(1, 6), cp.Range(2, 20)),
    required=[cp.RequiredComponent(cp.SessionKind.PSYCHIATRIC, every_weeks=2)],
)
_LEVELS = st.sampled_from([DEFAULT["OP"], DEFAULT["IOP"], DEFAULT["PHP"], _LOOSE, _LOOSE_BIWEEKLY])


def _continuum(level):
    return DEFAULT if DEFAULT.get(level.code) == level else None


def _touches(session: cp.Session, block: BusyBlock) -> bool:
    if session.weekday not in block.weekdays:
        return False
    begin = session.start.hour * 60 + session.start.minute
    end = begin + session.minutes
    busy_from = block.start.hour * 60 + block.start.minute - block.buffer_minutes
    busy_to = block.end.hour * 60 + block.end.minute + block.buffer_minutes
    return begin < busy_to and busy_from < end


@settings(max_examples=200)
@given(programs(), _LEVELS, life_constraints())
def test_a_planned_week_validates_and_never_touches_a_busy_block(program, level, constraints):
    try:
        result = cp.plan_week(program, level, constraints)
    except cp.Infeasible:
        return
    for session in result.schedule.sessions:
        assert not any(_touches(session, block) for block in constraints.busy)
        assert session.weekday not in constraints.unavailable_days
    report = cp.validate(as_plan(result))
    assert report.errors == (), str(report)
    assert result.objective == cp.score(result.schedule, constraints)


def _brute_force(program, level, constraints, objective="fit"):
    offerings = program.offerings()
    best = None
    for size in range(len(offerings) + 1):
        for chosen in itertools.combinations(offerings, size):
            schedule = cp.WeeklySchedule(program.timezone, [s for o in chosen for s in o.sessions])
            if cp.feasible(schedule, level, constraints, continuum=_continuum(level)):
                key = cp.score(schedule, constraints).key(objective)
                best = key if best is None or key < best else best
    return best


_SMALL = programs(max_tracks=2, max_slots=2, max_days=2)


@settings(max_examples=200)
@given(_SMALL, _LEVELS, life_constraints(), st.sampled_from(["fit", "fewest_days", "compact"]))
def test_the_planner_finds_the_brute_force_optimum(program, level, constraints, objective):
    expected = _brute_force(program, level, constraints, objective)
    try:
        result = cp.plan_week(program, level, constraints, objective=objective)
    except cp.Infeasible:
        assert expected is None
        return
    assert expected is not None
    assert result.objective.key(objective) == expected
    assert cp.feasible(result.schedule, level, constraints, continuum=_continuum(level))


# --- the weeks people really have ------------------------------------------------


def test_a_night_shift_is_one_block_across_midnight():
    nights = BusyBlock("night shift", ["monday"], "19:00", "07:00", buffer_minutes=30)
    late = cp.Session("monday", "18:00", 60, cp.SessionKind.GROUP_THERAPY)
    early = cp.Session("tuesday", "07:00", 60, cp.SessionKind.GROUP_THERAPY)
    later = cp.Session("tuesday", "08:00", 60, cp.SessionKind.GROUP_THERAPY)
    constraints = LifeConstraints([nights])
    assert not constraints.allows(late)  # the buffer before the shift
    assert not constraints.allows(early)  # the shift runs into Tuesday
    assert constraints.allows(later)
    sunday = BusyBlock("night shift", ["sunday"], "22:00", "06:00")
    assert not LifeConstraints([sunday]).allows(
        cp.Session("monday", "05:00", 30, cp.SessionKind.CHECK_IN)
    )


def test_a_rotating_roster_counts_only_in_its_weeks():
    rota = BusyBlock(
        "day shifts", WEEKDAYS, "08:00", "20:00", every_weeks=2, anchor=MONDAY.add(days=2)
    )
    constraints = LifeConstraints([rota])
    morning = cp.Session("monday", "09:00", 60, cp.SessionKind.GROUP_THERAPY)
    assert not constraints.allows(morning)  # a weekly schedule must fit both weeks
    assert not constraints.allows(morning, MONDAY)
    assert constraints.allows(morning, MONDAY.add(weeks=1))
    assert constraints.cycle_weeks == 2
    assert not constraints.weekly
    court = BusyBlock.once("court", MONDAY.add(days=1), "09:00", "12:00")
    tuesday = cp.Session("tuesday", "10:00", 60, cp.SessionKind.GROUP_THERAPY)
    assert not LifeConstraints([court]).allows(tuesday, MONDAY)
    assert LifeConstraints([court]).allows(tuesday, MONDAY.add(weeks=1))


def test_a_nurse_on_alternating_weeks_gets_a_cycle_that_meets_the_level_every_week():
    nights = BusyBlock(
        "nights", ["monday", "tuesday", "wednesday"], "19:00", "07:00", every_weeks=2, anchor=MONDAY
    )
    days = BusyBlock(
        "days", ["thursday", "friday"], "07:00", "19:00", every_weeks=2, anchor=MONDAY.add(weeks=1)
    )
    constraints = LifeConstraints([nights, days])
    cycle = cp.plan_cycle(sample_iop(), IOP, constraints, start=MONDAY)
    assert len(cycle.weeks) == 2
    for index, week in enumerate(cycle.weeks):
        monday = MONDAY.add(weeks=index)
        assert cp.feasible(week.schedule, IOP, constraints.for_week(monday), continuum=DEFAULT)
    assert cycle.week_of(MONDAY.add(weeks=3)) == cycle.weeks[1]


_ROTATIONS = st.builds(
    lambda blocks, anchor_days: LifeConstraints(
        [
            attrs.evolve(block, every_weeks=2, anchor=MONDAY.add(days=anchor_days))
            for block in blocks.busy
        ],
        blocks.preferred_day_parts,
        blocks.modality,
        blocks.unavailable_days,
        blocks.max_days_per_week,
    ),
    life_constraints(),
    st.integers(0, 13),
)


@settings(max_examples=40, deadline=None)
@given(_SMALL, _LEVELS, _ROTATIONS)
def test_each_week_of_a_cycle_is_the_brute_force_optimum(program, level, constraints):
    try:
        cycle = cp.plan_cycle(program, level, constraints, start=MONDAY, weeks=2)
    except cp.Infeasible:
        cycle = None
    for index in range(2):
        week = constraints.for_week(MONDAY.add(weeks=index))
        expected = _brute_force(program, level, week)
        if cycle is None:
            continue
        assert expected is not None
        assert cycle.weeks[index].objective.key() == expected
    if cycle is None:
        assert any(
            _brute_force(program, level, constraints.for_week(MONDAY.add(weeks=i))) is None
            for i in range(2)
        )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.sampled_from([5, 30, 60, 90]), st.booleans()),
        min_size=1,
        max_size=9,
    ),
    st.sampled_from(["fit", "fewest_days", "compact"]),
    life_constraints(),
)
def test_the_merged_day_options_are_the_cheapest_of_every_way_to_fill_the_day(
    slots, objective, constraints
):
    # The dynamic programme over a day's offerings keeps, for each total it
    # adds to the week, what the cheapest of every subset does (issue 31,
    # item 8: the walk over every subset was exponential).
    from careplan._operations.filling import day_options

    sessions = [
        cp.Session(
            "monday",
            f"{9 + start * 10 // 60:02d}:{start * 10 % 60:02d}",
            minutes,
            cp.SessionKind.GROUP_THERAPY if group else cp.SessionKind.INDIVIDUAL_THERAPY,
            id=f"s{index}",
        )
        for index, (start, minutes, group) in enumerate(slots)
    ]
    program = cp.Program("Day", "America/New_York", [], sessions)
    level = cp.DEFAULT["IOP"]
    offerings = list(program.offerings())
    order = {"fit": (0, 1, 2), "fewest_days": (1, 0, 2), "compact": (2, 0, 1)}[objective]
    every = day_options(level, constraints, offerings, objective, merge=False)
    expected = {}
    for option in every:
        signature = (
            option.light,
            option.heavy,
            option.average,
            option.covers,
            bool(option.offerings),
        )
        rank = (tuple(option.cost[i] for i in order), tuple(o.id for o in option.offerings))
        if signature not in expected or rank < expected[signature]:
            expected[signature] = rank
    merged = day_options(level, constraints, offerings, objective)
    found = {
        (o.light, o.heavy, o.average, o.covers, bool(o.offerings)): (
            tuple(o.cost[i] for i in order),
            tuple(x.id for x in o.offerings),
        )
        for o in merged
    }
    assert found == expected


def test_a_week_that_breaks_only_a_warning_is_planned_with_the_warning_stated():
    # Issue 29, item 8: IOP's psychiatric consult is a warning-level
    # requirement; a client who can never meet the prescriber still gets the
    # best week that meets every error-level rule, and validation agrees.
    program = sample_iop()
    evenings_only = cp.LifeConstraints(
        [
            cp.BusyBlock(
                "work", ["monday", "tuesday", "wednesday", "thursday", "friday"], "07:00", "17:45"
            )
        ],
        modality="in_person",
    )
    result = cp.plan_week(program, DEFAULT["IOP"], evenings_only)
    assert not any(s.kind == cp.SessionKind.PSYCHIATRIC for s in result.schedule.sessions)
    assert result.warnings == (
        "no psychiatric / medication management session every 2 weeks "
        "(IOP asks for one; a warning, not an error)",
    )
    assert cp.feasible(result.schedule, "IOP", evenings_only)
    plan = cp.CarePlan(
        cp.Client("client-0001"),
        DEFAULT["IOP"],
        result.schedule,
        pendulum.date(2027, 1, 4),
        pendulum.date(2027, 3, 28),
    )
    report = cp.validate(plan)
    assert report.errors == ()
    assert report.warnings
    # With the consult in reach, the week that meets the warning too is preferred.
    either = attrs.evolve(evenings_only, modality="either")
    assert cp.plan_week(program, DEFAULT["IOP"], either).warnings == ()


def test_an_explanation_lists_only_what_blocks():
    # Issue 29, item 8: "at most 5 days and about 15 h/week" is no reason
    # when IOP needs 3-5 days and 9-20 h; a missing warning-level kind is none.
    program = sample_iop()
    capped = cp.LifeConstraints(max_days_per_week=2)
    with pytest.raises(cp.Infeasible) as caught:
        cp.plan_week(program, DEFAULT["IOP"], capped)
    assert caught.value.reasons == (
        "the client can come at most 2 day(s) a week; Intensive Outpatient Program needs 3",
    )
