"""The census against an independent brute force, on small generated censuses.

The brute force is written from the documented rules only (the census
explanation page and :func:`careplan.census.schedule_census`), never from the
census's code:

- a client's week is a set of whole offerings (a track's day in one
  modality, or a slot), each of whose group sessions is of one of the
  client's tracks (or any), which :func:`careplan.feasible` accepts;
- a group day holds at most its track's capacity and its room's seats, runs
  with one facilitator holding the credential its sessions need and at work
  then and, in person, one room open that day; a slot taken by ``n`` clients
  needs ``n`` such clinicians and, in person, ``n`` rooms; no clinician and
  no room is in two places at once; caseloads hold; a slot held every two
  weeks is offered in weeks A and B, and holds its clinician and room only
  in its own weeks (two clients share it in alternate weeks);
- the objective, in order: most clients placed; then the earlier admitted
  (lexicographic in admission order, ties by id); fewest preference
  conflicts; fewest changes (client-days whose offerings differ from the
  current week, every current day of a client left unplaced); the smallest
  largest group.

Every subset of each client's offerings is tried with every combination of
clients, clinicians and rooms by backtracking (partial combinations that
already break a rule, or can no longer reach the best found, are dropped).

Examples: 500 generated censuses (3 to 6 clients, 4 to 8 offerings, three
levels, two tracks in one day part, same-time tracks, biweekly consults (often
one on a group day that the third level needs, so that two clients share it
in weeks A and B), busy blocks across midnight with buffers, staff absences,
closed rooms, caseloads, admission ties, current weeks), and 40 more with
``admit`` into them and ``reassign`` after a clinician's absence: about a minute
in all on a loaded 2-core machine.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import attrs
import pendulum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan.census import (
    Census,
    CensusClient,
    CensusResult,
    Room,
    Staff,
    WorkHours,
    admit,
    reassign,
    schedule_census,
)

LIGHT = cp.LevelOfCare(
    "A",
    "Light",
    1,
    cp.Intensity(cp.Range(1, 2), cp.Range(0.5, 4), cp.Range(1, 6)),
    required=[cp.RequiredComponent(cp.SessionKind.GROUP_THERAPY)],
)
HEAVY = cp.LevelOfCare(
    "B",
    "Heavier",
    2,
    cp.Intensity(cp.Range(2, 3), cp.Range(0.5, 4), cp.Range(2, 9)),
    required=[
        cp.RequiredComponent(cp.SessionKind.GROUP_THERAPY),
        cp.RequiredComponent(cp.SessionKind.INDIVIDUAL_THERAPY),
    ],
)
#: A biweekly consult is required: two such clients can share one prescriber's
#: slot, in weeks A and B.
CONSULTS = cp.LevelOfCare(
    "C",
    "With consults",
    3,
    cp.Intensity(cp.Range(1, 3), cp.Range(0.5, 4), cp.Range(1, 9)),
    required=[
        cp.RequiredComponent(cp.SessionKind.GROUP_THERAPY),
        cp.RequiredComponent(cp.SessionKind.PSYCHIATRIC, every_weeks=2),
    ],
)
LEVELS = cp.Continuum("oracle", [LIGHT, HEAVY, CONSULTS])
DAYS = ["monday", "tuesday", "wednesday"]
MONDAY = pendulum.date(2027, 1, 4)
ROOM = cp.Modality.in_person("Room")
VIDEO = cp.Modality.virtual("https://video.example.org/group")
CREDENTIALS = {
    "group_therapy": "therapist",
    "individual_therapy": "therapist",
    "psychiatric": "prescriber",
}

# --- generated censuses -------------------------------------------------------


@st.composite
def tracks(draw: st.DrawFn) -> list[cp.ProgramTrack]:
    found = []
    for _ in range(draw(st.integers(1, 3))):
        part, start = draw(
            st.sampled_from(
                [
                    ("morning", "09:00"),
                    ("morning", "10:00"),
                    ("evening", "17:00"),
                    ("evening", "19:30"),
                ]
            )
        )
        agenda = [
            cp.AgendaItem(
                start,
                draw(st.sampled_from([60, 90])),
                cp.SessionKind.GROUP_THERAPY,
                draw(st.sampled_from([None, cp.TreatmentTrack.CBT, cp.TreatmentTrack.DBT])),
            )
        ]
        found.append(
            cp.ProgramTrack(
                part,
                draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=2, unique=True)),
                agenda,
                draw(st.sampled_from([[ROOM], [ROOM, VIDEO], [VIDEO]])),
                capacity=draw(st.integers(1, 2)),
                name=f"Group {len(found) + 1}",
            )
        )
    return found


@st.composite
def slots(draw: st.DrawFn) -> list[cp.Session]:
    found = []
    for index in range(draw(st.integers(0, 3))):
        kind = draw(
            st.sampled_from([cp.SessionKind.INDIVIDUAL_THERAPY, cp.SessionKind.PSYCHIATRIC])
        )
        found.append(
            cp.Session(
                draw(st.sampled_from(DAYS)),
                draw(st.sampled_from(["11:00", "12:00", "18:30"])),
                60 if kind == cp.SessionKind.INDIVIDUAL_THERAPY else 30,
                kind,
                modality=draw(st.sampled_from([ROOM, VIDEO])),
                every_weeks=draw(st.sampled_from([1, 2])) if kind.code == "psychiatric" else 1,
                id=f"slot{index}",
            )
        )
    return found


@st.composite
def constraints(draw: st.DrawFn) -> cp.LifeConstraints:
    blocks = []
    for index in range(draw(st.integers(0, 2))):
        start, end = draw(
            st.sampled_from(
                [
                    ("08:00", "10:30"),
                    ("12:00", "16:00"),
                    ("18:00", "23:00"),
                    ("19:00", "07:00"),
                    ("22:00", "09:30"),
                ]
            )
        )
        blocks.append(
            cp.BusyBlock(
                f"busy {index}",
                draw(st.lists(st.sampled_from(DAYS), min_size=1, max_size=3, unique=True)),
                start,
                end,
                draw(st.sampled_from([0, 30])),
            )
        )
    return cp.LifeConstraints(
        blocks,
        draw(st.lists(st.sampled_from(list(cp.DayPart)), max_size=1)),
        draw(st.sampled_from(["either", "either", "in_person", "virtual"])),
    )


@st.composite
def censuses(draw: st.DrawFn) -> Census:
    program = cp.Program("Oracle", "America/New_York", draw(tracks()), draw(slots()))
    # A biweekly slot is offered twice, in weeks A and B.
    count = len(program.offerings()) + sum(s.every_weeks - 1 for s in program.slots)
    if not 4 <= count <= 8:
        program = cp.Program(
            "Oracle",
            "America/New_York",
            program.tracks[:1] if count > 8 else program.tracks,
            program.slots
            + tuple(
                cp.Session(
                    "tuesday", "13:00", 60, cp.SessionKind.INDIVIDUAL_THERAPY, id=f"extra{n}"
                )
                for n in range(max(0, 4 - count))
            ),
        )
    # Often a biweekly consult on a group day, which clients at the consult
    # level need: two of them can share it in weeks A and B.
    consult = len(program.offerings()) + 2 <= 8 and draw(st.booleans())
    if consult:
        day = program.tracks[0].weekdays[0]
        slot = cp.Session(
            day,
            "12:00",
            30,
            cp.SessionKind.PSYCHIATRIC,
            modality=VIDEO,
            every_weeks=2,
            id="consult",
        )
        program = attrs.evolve(program, slots=(*program.slots, slot))
    staff = [
        Staff(
            f"t{n}",
            "therapist",
            ["therapist"],
            [WorkHours(DAYS, draw(st.sampled_from(["08:00", "10:00"])), "21:30")],
            max_caseload=draw(st.sampled_from([None, 1, 2])),
            absent=draw(st.lists(st.sampled_from(DAYS), max_size=1)),
        )
        for n in range(draw(st.integers(1, 2)))
    ]
    staff.append(Staff("doc", "psychiatrist", ["prescriber"], [WorkHours(DAYS, "11:00", "19:00")]))
    rooms = [
        Room(
            f"r{n}",
            draw(st.integers(1, 2)),
            closed=draw(st.lists(st.sampled_from(DAYS), max_size=1)),
        )
        for n in range(draw(st.integers(1, 2)))
    ]
    clients = []
    for index in range(draw(st.integers(3, 6))):
        clients.append(
            CensusClient(
                f"c{index}",
                draw(
                    st.sampled_from(
                        [LIGHT, HEAVY, CONSULTS, CONSULTS] if consult else [LIGHT, LIGHT, HEAVY]
                    )
                ),
                draw(constraints()),
                tracks=draw(st.sampled_from([(), (), ("cbt",)])),
                admitted=draw(st.sampled_from([None, MONDAY, MONDAY.add(days=1)])),
            )
        )
    census = Census(program, clients, staff, rooms, continuum=LEVELS, credentials=CREDENTIALS)
    # Some clients come with a current week: any set of offerings they may take.
    offerings = program.offerings()
    current = []
    for client in census.clients:
        if draw(st.booleans()):
            chosen = draw(
                st.lists(st.sampled_from(offerings), max_size=3, unique_by=lambda o: o.id)
            )
            if chosen and len({o.weekday for o in chosen}) == len(chosen):
                client = attrs.evolve(client, current=census.schedule_of([o.id for o in chosen]))
        current.append(client)
    return attrs.evolve(census, clients=current)


# --- the brute force ----------------------------------------------------------------


def admission_order(census: Census) -> list[CensusClient]:
    return sorted(census.clients, key=lambda c: (c.admitted is None, c.admitted, c.id))


def weeks_of(census: Census, client: CensusClient) -> list[tuple[cp.Offering, ...]]:
    """Every set of offerings the client may take as a week."""
    found = []
    offerings = [
        o
        for o in census.program.offerings()
        if all(not client.tracks or s.track is None or s.track in client.tracks for s in o.sessions)
    ]
    for size in range(1, len(offerings) + 1):
        for chosen in itertools.combinations(offerings, size):
            schedule = cp.WeeklySchedule(
                census.program.timezone, [s for o in chosen for s in o.sessions]
            )
            if cp.feasible(schedule, client.level, client.constraints, continuum=LEVELS):
                found.append(chosen)
    return found


#: Weeks are counted in a cycle of four: the slots here are weekly or biweekly.
CYCLE = 4


def weeks_of_offering(offering: cp.Offering) -> set[int]:
    """The weeks of the cycle an offering is held in: a session every ``n`` weeks
    from week ``week_offset`` (the documented cadence, written out here)."""
    return {
        week
        for week in range(CYCLE)
        for s in offering.sessions
        if week % s.every_weeks == s.week_offset
    }


def every_week_of_the_cadence_is_offered(census: Census) -> bool:
    """The documented rule: a slot held every ``n`` weeks is offered in each of its weeks."""
    slots: dict[tuple[object, ...], set[int]] = {}
    for slot in census.program.slots:
        key = (slot.weekday, slot.start, slot.kind, slot.modality, slot.every_weeks)
        slots.setdefault(key, set()).add(slot.week_offset)
    return all(weeks == set(range(key[4])) for key, weeks in slots.items())


def needed(census: Census, offering: cp.Offering) -> set[str]:
    return {census.credential(s.kind) for s in offering.sessions} - {None}


def staffed(census: Census, heads: dict[str, int]) -> bool:
    """Whether clinicians and rooms can be found for ``heads`` (offering id: clients)."""
    offerings = {o.id: o for o in census.program.offerings()}
    staff_demands = []  # (offering, is one-to-one)
    room_demands = []  # (offering, seats)
    for oid, count in heads.items():
        if not count:
            continue
        offering = offerings[oid]
        in_person = offering.sessions[0].modality.kind == "in_person"
        if offering.is_group:
            if count > (offering.track.capacity or count):
                return False
            if needed(census, offering) and census.staff:
                staff_demands.append((offering, False))
            if in_person and census.rooms:
                room_demands.append((offering, count))
        else:
            if needed(census, offering) and census.staff:
                staff_demands += [(offering, True)] * count
            if in_person and census.rooms:
                room_demands += [(offering, 1)] * count

    def overlaps(a: cp.Offering, b: cp.Offering) -> bool:
        return (
            a.weekday == b.weekday
            and a.start_minute < b.end_minute
            and b.start_minute < a.end_minute
            and bool(weeks_of_offering(a) & weeks_of_offering(b))
        )

    def over_caseload(offering: cp.Offering, held: list[cp.Offering], most: int) -> bool:
        # A caseload is per week: the one-to-one sessions of each week it is held in.
        return any(
            sum(1 for o in held if not o.is_group and week in weeks_of_offering(o)) >= most
            for week in weeks_of_offering(offering)
        )

    def assign_staff(index: int, taken: dict[str, list[cp.Offering]]) -> bool:
        if index == len(staff_demands):
            return True
        offering, one_to_one = staff_demands[index]
        for person in census.staff:
            held = taken.setdefault(person.id, [])
            if (
                needed(census, offering) <= set(person.credentials)
                and person.works(offering.weekday, offering.start_minute, offering.end_minute)
                and not any(overlaps(offering, other) for other in held)
                and not (
                    one_to_one
                    and person.max_caseload is not None
                    and over_caseload(offering, held, person.max_caseload)
                )
            ):
                held.append(offering)
                if assign_staff(index + 1, taken):
                    return True
                held.pop()
        return False

    def assign_rooms(index: int, taken: dict[str, list[cp.Offering]]) -> bool:
        if index == len(room_demands):
            return True
        offering, seats = room_demands[index]
        for room in census.rooms:
            held = taken.setdefault(room.id, [])
            if (
                room.capacity >= seats
                and offering.weekday not in room.closed
                and not any(overlaps(offering, other) for other in held)
            ):
                held.append(offering)
                if assign_rooms(index + 1, taken):
                    return True
                held.pop()
        return False

    return assign_staff(0, {}) and assign_rooms(0, {})


def day_sets(offerings: Sequence[cp.Offering]) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = {}
    for offering in offerings:
        found.setdefault(int(offering.weekday), set()).add(offering.id)
    return {day: frozenset(ids) for day, ids in found.items()}


def current_offerings(census: Census, client: CensusClient) -> list[cp.Offering]:
    if client.current is None:
        return []
    ids = {s.id for s in client.current.sessions}
    return [o for o in census.program.offerings() if all(s.id in ids for s in o.sessions)]


def brute_force(census: Census) -> tuple[int, tuple[bool, ...], int, int, int]:
    """The best (placed, placed in admission order, conflicts, changes, largest group)."""
    clients = admission_order(census)
    options = [weeks_of(census, c) for c in clients]
    now = [day_sets(current_offerings(census, c)) for c in clients]
    best: list[tuple[int, tuple[bool, ...], int, int, int] | None] = [None]
    memo: dict[frozenset[tuple[str, int]], bool] = {}

    def fits(heads: dict[str, int]) -> bool:
        key = frozenset((k, v) for k, v in heads.items() if v)
        if key not in memo:
            memo[key] = staffed(census, heads)
        return memo[key]

    def better(found: tuple[int, tuple[bool, ...], int, int, int]) -> bool:
        kept = best[0]
        if kept is None:
            return True
        return (found[0], found[1], -found[2], -found[3], -found[4]) > (
            kept[0],
            kept[1],
            -kept[2],
            -kept[3],
            -kept[4],
        )

    def walk(
        index: int, chosen: list[tuple[cp.Offering, ...] | None], heads: dict[str, int]
    ) -> None:
        placed = sum(1 for w in chosen if w is not None)
        kept = best[0]
        if kept is not None:
            most = placed + len(clients) - index
            prefix = tuple(w is not None for w in chosen)
            if most < kept[0] or (most == kept[0] and prefix < kept[1][:index]):
                return
        if index == len(clients):
            conflicts = sum(
                c.constraints.conflicts(s)
                for c, w in zip(clients, chosen, strict=True)
                for o in w or ()
                for s in o.sessions
            )
            changes = 0
            for before, w in zip(now, chosen, strict=True):
                after = day_sets(w or ())
                if w is None:
                    changes += len(before)
                elif before:
                    changes += sum(1 for d in range(7) if before.get(d) != after.get(d))
            largest = max(
                (heads[o.id] for o in census.program.offerings() if o.is_group and heads.get(o.id)),
                default=0,
            )
            found = (placed, tuple(w is not None for w in chosen), conflicts, changes, largest)
            if better(found):
                best[0] = found
            return
        for week in [*options[index], None]:
            grown = dict(heads)
            for offering in week or ():
                grown[offering.id] = grown.get(offering.id, 0) + 1
            if week is not None and not fits(grown):
                continue
            walk(index + 1, [*chosen, week], grown)

    walk(0, [], {})
    assert best[0] is not None
    return best[0]


def achieved(result: CensusResult) -> tuple[int, tuple[bool, ...], int, int, int]:
    order = admission_order(result.census)
    return (
        result.objective.placed,
        tuple(result.placement(c.id) is not None for c in order),
        result.objective.preference_conflicts,
        result.objective.changes,
        result.objective.largest_group,
    )


def check_placements(result: CensusResult) -> None:
    """Every placed week meets the level by the planner's rules and validates."""
    for plan in result.plans(start=MONDAY, weeks=2).values():
        assert cp.validate(plan).errors == ()
    for placement in result.placements:
        client = placement.client
        assert cp.feasible(placement.schedule, client.level, client.constraints, continuum=LEVELS)
    heads = {r.offering: len(r.clients) for r in result.rosters}
    assert staffed(result.census, heads)


# --- the comparisons ----------------------------------------------------------------


@settings(max_examples=500, deadline=None, suppress_health_check=list(HealthCheck))
@given(censuses())
def test_the_census_equals_the_brute_force(census):
    assert every_week_of_the_cadence_is_offered(census)
    result = schedule_census(census, time_limit=30)
    check_placements(result)
    assert result.status == "optimal"
    assert achieved(result) == brute_force(census)
    assert result.bound == result.objective
    assert result.objective.changes == sum(c.days for c in result.changes)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(censuses(), constraints(), st.sampled_from([LIGHT, HEAVY]))
def test_admitting_does_at_least_as_well_as_waitlisting_and_better_when_possible(
    census, life, level
):
    before = schedule_census(census, time_limit=30)
    newcomer = CensusClient("new", level, life, admitted=MONDAY.add(days=2))
    after = admit(before, newcomer, time_limit=30)
    check_placements(after)
    changed = {c.client for c in after.changes}
    for placement in before.placements:
        if after.placement(placement.client.id) is None:
            assert placement.client.id in changed
    # Keeping everyone and waitlisting the newcomer is always possible: admit
    # does at least as well, and better whenever some arrangement is (that
    # arrangement places the newcomer, the earlier result being optimal).
    whole = after.census
    order = admission_order(whole)
    keep = (before.objective.placed, tuple(before.placement(c.id) is not None for c in order))
    best = brute_force(
        attrs.evolve(whole, clients=[attrs.evolve(c, current=None) for c in whole.clients])
    )[:2]
    found = achieved(after)[:2]
    assert keep <= found <= best
    if keep < best:
        assert keep < found
    assert after.objective.changes == sum(c.days for c in after.changes)
    # A clinician away: everyone still meets the rules, and every change is counted.
    away = reassign(after, whole.without_staff(whole.staff[0].id), time_limit=30)
    check_placements(away)
    assert all(whole.staff[0].id not in r.staff for r in away.rosters)
    assert away.objective.changes == sum(c.days for c in away.changes)
    for placement in after.placements:
        if away.placement(placement.client.id) is None:
            assert any(c.client == placement.client.id for c in away.changes)
