"""Census scheduling: seats, staff and rooms never over-booked, and the optimum on small cases."""

from __future__ import annotations

import itertools

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.census import (
    Census,
    CensusClient,
    Room,
    Staff,
    WorkHours,
    admit,
    reassign,
    schedule_census,
)
from careplan.programs import sample_census
from careplan.testing import life_constraints

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]
MONDAY = pendulum.date(2027, 1, 4)
LOOSE = cp.LevelOfCare(
    "L1",
    "Loose weekly",
    1,
    cp.Intensity(cp.Range(1, 3), cp.Range(1, 5), cp.Range(1, 12)),
    required=[cp.RequiredComponent(cp.SessionKind.GROUP_THERAPY)],
)
LEVELS = cp.Continuum("census-test", [LOOSE])


def small_program(capacity: int = 1) -> cp.Program:
    """Two tracks on two days, each group one seat: clients compete for them."""
    agenda = [cp.AgendaItem("09:00", 60, cp.SessionKind.GROUP_THERAPY)]
    evening = [cp.AgendaItem("18:00", 60, cp.SessionKind.GROUP_THERAPY)]
    room = [cp.Modality.in_person("Room 1")]
    return cp.Program(
        "Small",
        "America/New_York",
        [
            cp.ProgramTrack("morning", ["monday", "wednesday"], agenda, room, capacity=capacity),
            cp.ProgramTrack("evening", ["tuesday"], evening, room, capacity=capacity),
        ],
        [cp.Session("monday", "12:00", 60, cp.SessionKind.INDIVIDUAL_THERAPY, id="one-to-one")],
    )


def check_resources(result) -> None:
    """No group over capacity or room size; nobody and no room in two places."""
    census = result.census
    rooms = {r.id: r for r in census.rooms}
    busy: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for roster in result.rosters:
        begin = roster.start.hour * 60 + roster.start.minute
        end = roster.end.hour * 60 + roster.end.minute or 24 * 60
        if roster.group:
            if roster.capacity is not None:
                assert len(roster.clients) <= roster.capacity
            for room in roster.rooms:
                assert len(roster.clients) <= rooms[room].capacity
            holders = [*roster.staff, *roster.rooms]
        else:
            assert len(set(roster.staff)) == len(roster.staff)
            assert len(set(roster.rooms)) == len(roster.rooms)
            holders = [*roster.staff, *roster.rooms]
        for holder in holders:
            busy.setdefault((holder, int(roster.weekday)), []).append((begin, end))
    for spans in busy.values():
        spans.sort()
        for (_, end), (begin, _) in itertools.pairwise(spans):
            assert end <= begin
    for placement in result.placements:
        client = placement.client
        assert cp.feasible(
            placement.schedule, client.level, client.constraints, continuum=census.continuum
        )


def test_the_sample_census_places_everyone_it_can_and_books_no_one_twice():
    census = sample_census(6)
    result = schedule_census(census, time_limit=20)
    assert result.status == "optimal"
    check_resources(result)
    plans = result.plans(start=MONDAY, weeks=4)
    for plan in plans.values():
        assert cp.validate(plan).errors == ()
    assert len(plans) + len(result.unplaced) == 6
    assert schedule_census(census, time_limit=20) == result  # deterministic
    frame = result.to_dataframe()
    assert set(frame["client"]) == set(plans)
    # Staff calendars name no client.
    for person in census.staff:
        week = result.staff_schedule(person.id)
        assert not any("client-" in (s.title or "") for s in week.sessions)


def brute_force(census: Census) -> tuple[int, int]:
    """The best (placed, -conflicts) by trying every week of every client."""
    program = census.program
    offerings = program.offerings()
    weeks = []
    for client in census.clients:
        found = [None]
        for size in range(1, len(offerings) + 1):
            for chosen in itertools.combinations(offerings, size):
                schedule = cp.WeeklySchedule(
                    program.timezone, [s for o in chosen for s in o.sessions]
                )
                if cp.feasible(schedule, client.level, client.constraints, continuum=LEVELS):
                    found.append(chosen)
        weeks.append(found)
    best = (0, 0)
    for combination in itertools.product(*weeks):
        seats: dict[str, int] = {}
        for chosen in combination:
            for offering in chosen or ():
                seats[offering.id] = seats.get(offering.id, 0) + 1
        if any(
            o.track is not None and seats.get(o.id, 0) > (o.track.capacity or 99) for o in offerings
        ):
            continue
        placed = sum(1 for chosen in combination if chosen is not None)
        conflicts = sum(
            c.constraints.conflicts(s)
            for c, chosen in zip(census.clients, combination, strict=True)
            for o in chosen or ()
            for s in o.sessions
        )
        best = max(best, (placed, -conflicts))
    return best


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(life_constraints(), min_size=1, max_size=3), st.integers(1, 2))
def test_the_solver_finds_the_brute_force_optimum(constraints, capacity):
    clients = [CensusClient(f"c{i}", LOOSE, c) for i, c in enumerate(constraints)]
    census = Census(small_program(capacity), clients, continuum=LEVELS)
    result = schedule_census(census, time_limit=10)
    assert result.status == "optimal"
    check_resources(result)
    assert (result.objective.placed, -result.objective.preference_conflicts) == brute_force(census)


def test_admitting_a_client_reports_every_change_and_a_full_program_explains():
    census = Census(
        small_program(1),
        [CensusClient("first", LOOSE, admitted=MONDAY)],
        continuum=LEVELS,
    )
    result = schedule_census(census, time_limit=10)
    second = admit(result, CensusClient("second", LOOSE), time_limit=10)
    assert second.placement("first") is not None
    assert second.placement("second") is not None
    check_resources(second)
    # Every seat of the one-seat groups is taken by three clients now.
    third = admit(second, CensusClient("third", LOOSE), time_limit=10)
    third = admit(third, CensusClient("fourth", LOOSE), time_limit=10)
    placed_before = {p.client.id for p in third.placements}
    unplaced = {u.client.id for u in third.unplaced}
    assert placed_before | unplaced == {"first", "second", "third", "fourth"}
    assert unplaced
    for gone in unplaced:
        if gone in {"first", "second", "third"}:
            assert any(c.client == gone and c.kind == "unplaced" for c in third.changes)
    waiting = third.unplaced[0]
    assert any("is full" in reason for reason in waiting.reasons), waiting.reasons
    assert waiting.alternatives[-1] == "waitlist position 1"


def test_a_staff_absence_moves_only_what_it_must():
    census = sample_census(4)
    result = schedule_census(census, time_limit=20)
    used = {s for r in result.rosters for s in r.staff}
    absent = sorted(used)[0]
    after = reassign(result, census.without_staff(absent), time_limit=20)
    check_resources(after)
    assert all(absent not in r.staff for r in after.rosters)
    changed = {c.client for c in after.changes}
    for placement in after.placements:
        if placement.client.id not in changed:
            before = result.placement(placement.client.id)
            assert before is not None
            assert before.offerings == placement.offerings


def test_census_values_refuse_the_meaningless():
    with pytest.raises(cp.InvalidValueError, match="used twice"):
        Census(small_program(), [CensusClient("a", LOOSE), CensusClient("a", LOOSE)])
    with pytest.raises(cp.InvalidValueError, match="positive"):
        Room("r", 0)
    with pytest.raises(cp.InvalidValueError, match="not after the start"):
        WorkHours(["monday"], "17:00", "09:00")
    with pytest.raises(cp.InvalidValueError, match="positive"):
        cp.ProgramTrack("morning", ["monday"], [], [cp.Modality()], capacity=0)
    assert Staff("t", "therapist", ["therapist"]).works(pendulum.WeekDay.MONDAY, 0, 60) is False


def test_without_ortools_the_error_says_how_to_install(monkeypatch):
    import builtins

    real = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.startswith("ortools"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    census = Census(small_program(), [CensusClient("a", LOOSE)], continuum=LEVELS)
    with pytest.raises(cp.MissingExtraError, match=r"pip install -e '\.\[census\]'"):
        schedule_census(census)


def test_a_track_capacity_is_kept_in_offerings():
    program = small_program(3)
    groups = [o for o in program.offerings() if o.is_group]
    assert groups
    assert all(o.track is not None and o.track.capacity == 3 for o in groups)
    assert attrs.evolve(program.tracks[0], name="Evening group A").label == "Evening group A"
