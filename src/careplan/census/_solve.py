"""The census's operations: schedule a census, admit a client, reassign after a change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from careplan.census._bookings import Bookings, first_fit_hint
from careplan.census._build import build_result, previous_staff
from careplan.census._explain import explained
from careplan.census._model import CensusModel, admission_key
from careplan.census._result import (
    CensusResult,
)
from careplan.census._stages import (
    Budget,
    Solved,
    attempt,
    checked_settings,
    solve_stages,
    within_limit,
)
from careplan.census._values import Census, CensusClient
from careplan.census._weeks import Candidates, Week, candidates, fitting_weeks

# --- public operations -----------------------------------------------------------------


_FRESH = ("placed", "priority", "conflicts", "changes", "balance")
_STABLE = ("placed", "priority", "changes", "conflicts", "balance")


def _run(
    census: Census,
    stages: Sequence[str],
    *,
    fixed: Mapping[str, frozenset[str]],
    previous: CensusResult | None,
    budget: Budget,
    around: frozenset[str] | None = None,
    explain: bool = True,
) -> CensusResult | None:
    """Solve ``census`` over candidate weeks, ``stages`` in order, then widen.

    Each client's candidates are their diverse best weeks (:func:`candidate_weeks`),
    or every week when they can take few offerings, their current week, and
    the week a first fit in admission order gives them (:class:`Bookings`).
    The solver starts from the previous result, when there is one, else from
    that first fit. With ``around`` (client ids) it starts from the previous
    result without those clients, and the free clients it leaves without a
    week are fitted around it. Without ``explain`` the unplaced are left for
    :func:`explained`.

    Then the search widens (:func:`_widen`): while some client's week that
    fits around everyone else as they are would improve the result, it joins
    the candidates and the model is solved again, from the result.
    """
    free = [c for c in census.clients if c.id not in fixed]
    staff_before = previous_staff(previous)
    found: dict[str, Candidates] = {}
    for client in sorted(free, key=admission_key):
        # The time limit bounds the candidate weeks too: past it, the clients
        # left (the latest admitted) get none, and the result is unproven.
        late = bool(found) and not budget.left()
        found[client.id] = Candidates(client, ()) if late else candidates(census, client)
    out_of_time = not budget.left()
    pool = {cid: list(choice.weeks) for cid, choice in found.items()}
    complete = not fixed and all(choice.complete for choice in found.values())
    start: dict[str, tuple[str, ...]] = {}
    if previous is not None and (not fixed or around is not None):
        gone = around or frozenset()
        booked = Bookings.of(previous, gone)
        start = {
            p.client.id: tuple(sorted(p.offerings))
            for p in previous.placements
            if p.client.id not in gone
        }
    else:
        booked = Bookings(census)
        for offerings in fixed.values():
            week = Week(tuple(o for o in census.program.offerings() if o.id in offerings), 0)
            booked.book(week)
    if not start or around is not None:
        blocked = booked.blocked()
        for client in sorted(free, key=admission_key):
            if not pool[client.id] or client.id in start:
                continue
            fits = fitting_weeks(census, client, blocked, streams=False)
            if fits:
                booked.book(fits[0])
                blocked = booked.blocked()
                start[client.id] = fits[0].ids
                if all(w.ids != fits[0].ids for w in pool[client.id]):
                    pool[client.id].append(fits[0])
    # The stages but the last (balance) while the search widens; balance once
    # no single-client move improves the rest, on the same model.
    early = tuple(stages[:-1]) if stages[-1] == "balance" else tuple(stages)
    result = None
    while True:
        built = CensusModel(
            census, [Candidates(c, tuple(pool[c.id])) for c in free], fixed, staff_before
        )
        solved = solve_stages(built, early, budget, first_fit_hint(built, start, booked))
        if solved is None:
            if result is None:
                return None
            break  # out of time while widening: the last result stands, unproven
        if out_of_time:
            solved = attrs.evolve(solved, proven=False)
        result = build_result(census, built, solved, fixed, previous, complete=complete)
        if complete or result.status == "feasible" or not _widen(result, free, pool):
            if early != tuple(stages):
                last = solve_stages(built, stages[len(early) :], budget, solved.values)
                if last is not None:
                    solved = Solved(
                        solved.proven and last.proven,
                        last.values,
                        {**solved.objective, **last.objective},
                        {**solved.bound, **last.bound},
                    )
                else:
                    solved = attrs.evolve(solved, proven=False)
                result = build_result(census, built, solved, fixed, previous, complete=complete)
            break
        if not budget.left():
            result = attrs.evolve(result, status="feasible")
            break
        start = {
            p.client.id: tuple(sorted(p.offerings))
            for p in result.placements
            if p.client.id not in fixed
        }
        booked = Bookings.of(result)
    return explained(result, previous) if explain else result


def _widen(result: CensusResult, free: Sequence[CensusClient], pool: dict[str, list[Week]]) -> bool:
    """Add to ``pool`` the weeks single-client moves find: for each free client,
    the week with fewest preference conflicts that fits around everyone else
    as they are (seats, clinicians and rooms), when it would place the client
    or lower their conflicts and is not a candidate yet. Whether any was added.
    """
    census = result.census
    added = False
    everyone: frozenset[str] | None = None  # what a client without a week could not join
    for client in sorted(free, key=admission_key):
        placement = result.placement(client.id)
        if placement is not None and not placement.preference_conflicts:
            continue
        if placement is None:
            everyone = Bookings.of(result).blocked() if everyone is None else everyone
            blocked = everyone
        else:
            blocked = Bookings.of(result, frozenset({client.id})).blocked()
        fits = fitting_weeks(census, client, blocked, streams=False)
        if not fits:
            continue
        week = fits[0]
        better = placement is None or week.conflicts < placement.preference_conflicts
        if better and all(w.ids != week.ids for w in pool[client.id]):
            pool[client.id].append(week)
            added = True
    return added


def schedule_census(
    census: Census,
    *,
    time_limit: float = 10.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """Assign every client of ``census`` a week with a constraint solver.

    Every placed client's week meets their level by the planner's rules
    (:func:`careplan.feasible` accepts it) and fits their constraints; no
    group is over capacity; no clinician or room is double-booked; one-to-one
    and group sessions have a clinician with the right credential; caseloads
    hold. The objective, in order: most clients placed; then the earlier
    admitted, lexicographically in admission order; fewest preference
    conflicts; fewest changes to clients' current weeks (client-days, see
    :class:`CensusChange`); the smallest largest group.

    The solver chooses among candidate weeks for each client (every week
    when the client can take few offerings; else the planner's best, diverse
    good weeks in each track, the current week, and the week a first fit in
    admission order gives), then widens the candidates with single-client
    moves until none improves the result. The status says what was proven:
    ``"optimal"`` over every week, ``"optimal_among_candidates"``, or
    ``"feasible"`` (see :attr:`CensusResult.status`); :attr:`CensusResult.bound`
    says what the solver proved. It never places fewer clients than the
    first fit.

    Args:
        census: The program, clients, staff and rooms.
        time_limit: Seconds the whole call may use, candidate weeks
            included; past it the best assignment found is returned with
            status ``"feasible"``.
        work_limit: Optionally, the work the solver may do in all, in
            CP-SAT's deterministic time (about seconds of one core). A run
            the work limit stops ends at the same point on any machine and
            under any load, so with one worker its answer is always the same;
            one the clock stops may differ from run to run. Give a
            ``time_limit`` well above it, as a safety net.
        seed: The solver's random seed.
        workers: Solver threads; 1 (default) gives the same answer for the
            same input every time the solver finishes within the limits (or
            is stopped by ``work_limit``).

    Returns:
        A :class:`CensusResult` with the solver's status.

    Raises:
        MissingExtraError: OR-Tools is not installed (from a checkout,
            ``pip install -e '.[census]'``).
        InvalidValueError: ``time_limit`` ran out before the solver found any
            assignment (a fraction of a second for sixty clients).
    """
    settings = checked_settings(time_limit, work_limit, seed, workers)
    found = _run(
        census, _FRESH, fixed={}, previous=None, budget=Budget.of(settings, len(census.clients))
    )
    return within_limit(found, settings)


def _placed_census(result: CensusResult) -> Census:
    """The census with each placed client's current week set to their placement."""
    weeks = result.schedules()
    clients = [
        attrs.evolve(c, current=weeks[c.id]) if c.id in weeks else c for c in result.census.clients
    ]
    return attrs.evolve(result.census, clients=clients)


#: How many placed clients :func:`admit` may move before it solves the whole census.
_NEIGHBOURHOOD = 12


def _neighbours(census: Census, result: CensusResult, client: CensusClient) -> frozenset[str]:
    """The placed clients whose weeks stand most in ``client``'s way (at most
    :data:`_NEIGHBOURHOOD`): those with the most offerings that are, or overlap
    in time with, an offering of one of ``client``'s candidate weeks."""
    wanted = {o.id: o for week in candidates(census, client).weeks for o in week.offerings}
    spans: dict[int, list[tuple[int, int]]] = {}
    for offering in wanted.values():
        spans.setdefault(int(offering.weekday), []).append(
            (offering.start_minute, offering.end_minute)
        )
    offerings = {o.id: o for o in census.program.offerings()}
    ranked = []
    for placement in result.placements:
        if placement.client.id == client.id:
            continue
        score = 0
        for oid in placement.offerings:
            offering = offerings[oid]
            if oid in wanted or any(
                offering.start_minute < end and begin < offering.end_minute
                for begin, end in spans.get(int(offering.weekday), ())
            ):
                score += 1
        if score:
            ranked.append((-score, placement.client.id))
    return frozenset(cid for _, cid in sorted(ranked)[:_NEIGHBOURHOOD])


def _place_one(
    result: CensusResult,
    client: CensusClient,
    movable: frozenset[str],
    *,
    budget: Budget,
) -> CensusResult:
    """``client`` placed with everyone else's week kept but the ``movable``
    clients' (the result says whether the client is placed).

    The model holds only the clients not placed, the newcomer and the
    movable clients (whose current week is one of their candidates, so
    keeping everyone is always possible); clinicians and rooms may be
    reassigned. Changes are counted before preferences.
    """
    census = _placed_census(result).with_client(client)
    fixed = {
        p.client.id: frozenset(p.offerings)
        for p in result.placements
        if p.client.id != client.id and p.client.id not in movable
    }
    found = _run(
        census,
        _STABLE,
        fixed=fixed,
        previous=result,
        budget=budget,
        around=frozenset({client.id}),
        explain=False,
    )
    return within_limit(found, budget.settings)


def _placeable(
    census: Census,
    around: CensusResult,
    client: CensusClient,
    *,
    budget: Budget,
) -> bool:
    """Whether some choice of everyone's candidate weeks places ``client`` and
    is as good as ``around`` (a census that places it not, and ``client`` in
    it) in most placed, then earlier admitted (lexicographically): ``False``
    only when the solver proves there is none.

    The model is the one of a fresh census (clinicians and rooms pooled, no
    stability stages): it only asks whether such a week exists.
    """
    offerings = {o.id: o for o in census.program.offerings()}
    choices = []
    for other in census.clients:
        weeks = list(candidates(census, other).weeks)
        held = around.placement(other.id)
        if held is not None and all(w.ids != tuple(sorted(held.offerings)) for w in weeks):
            weeks.append(Week(tuple(offerings[oid] for oid in sorted(held.offerings)), 0))
        choices.append(Candidates(other, tuple(weeks)))
    built = CensusModel(census, choices, {}, {})
    model = built.model
    model.add(built.placed[client.id] == 1)
    # As good: more placed, or as many and, in admission order, placed
    # wherever ``around`` is until the first client it leaves out that this
    # one places. ``same`` says the order so far agrees with ``around``.
    placed = built.objective_terms["placed"]
    count = len(around.placements)
    more = model.new_bool_var("more placed")
    model.add(placed >= count + 1).only_enforce_if(more)
    model.add(placed >= count)
    same = None
    for cid in built.order:
        var = built.placed[cid]
        if around.placement(cid) is not None:
            if same is None:
                model.add(var == 1).only_enforce_if(~more)
            else:
                model.add(var >= same).only_enforce_if(~more)
            continue
        agree = model.new_bool_var(f"agree[{cid}]")
        model.add(agree <= 1 - var)
        if same is not None:
            model.add(agree <= same)
            model.add(agree >= same - var)
        else:
            model.add(agree >= 1 - var)
        same = agree
    if same is not None:
        # Agreeing all along would not place ``client``, whom ``around`` leaves out.
        model.add(same == 0).only_enforce_if(~more)
    # The objective only steers the search (its linear relaxation proves "no"
    # several times faster); the first solution found answers "yes".
    model.maximize(placed)
    # Probing the variables in the presolve took a third of the time the
    # proof of "no" takes on the sample censuses, and shortened nothing.
    _, status = attempt(built, "admit: placeable", budget, first=True, probe=False)
    return bool(status != built.cp.INFEASIBLE)


def admit(
    result: CensusResult,
    client: CensusClient,
    *,
    time_limit: float = 10.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """Place ``client`` into the census of ``result`` with the least disruption.

    A search that widens only when it must, each step solving a small model
    with the objective in the order most placed (then earlier admitted),
    fewest changes to others' weeks, fewest preference conflicts, balance:

    1. the client is fitted around everyone as they are: no placed client's
       sessions move, only clinicians and rooms may be reassigned (the
       waitlisted may be placed too);
    2. when that fails, one question about the whole census: does any choice
       of everyone's candidate weeks place the client with as many placed, as
       early admitted? When the solver proves not, the client is waitlisted
       and the result of step 1 stands (no one moves);
    3. otherwise the placed clients whose weeks stand most in the client's
       way (at most 12: those holding the most offerings that are, or overlap
       in time with, the client's candidate offerings) may move too;
    4. when that fails too, the whole census is solved again.

    The status of the result is that of the step that made it: after step 1
    or 3 at best ``"optimal_among_candidates"`` (proven best with everyone
    else held as they are); ``"feasible"`` when the limits ran out first.
    :attr:`CensusResult.changes` lists every client whose week or clinician
    changed, and anyone unplaced (never silently).

    Args:
        result: The census as it stands.
        client: The new client (an id not in the census, or a replacement).
        time_limit: Seconds the whole call may use, every step included.
        work_limit: Optionally, the solver's deterministic work for the
            whole call (see :func:`schedule_census`).
        seed: The solver's random seed.
        workers: Solver threads (1: deterministic).
    """
    settings = checked_settings(time_limit, work_limit, seed, workers)
    budget = Budget.of(settings, len(result.census.clients) + 1)
    # Nobody else's week moves; then, if moving anyone can help, only the
    # neighbours' weeks; then anyone's.
    found = _place_one(result, client, frozenset(), budget=budget)
    census = _placed_census(result).with_client(client)
    if found.placement(client.id) is not None or not candidates(census, client).weeks:
        return explained(found, result)  # placed, or no week meets the level whatever it holds
    if not _placeable(census, found, client, budget=budget):
        return explained(found, result)  # no one moving, however far, places the client
    movable = _neighbours(census, result, client)
    if movable and budget.left():
        found = _place_one(result, client, movable, budget=budget)
        if found.placement(client.id) is not None:
            return explained(found, result)
    solved = (
        _run(census, _STABLE, fixed={}, previous=result, budget=budget) if budget.left() else None
    )
    # Out of time before the whole census was solved again: the last step stands, unproven.
    return (
        solved if solved is not None else explained(attrs.evolve(found, status="feasible"), result)
    )


def reassign(
    result: CensusResult,
    census: Census,
    *,
    time_limit: float = 10.0,
    work_limit: float | None = None,
    seed: int = 0,
    workers: int = 1,
) -> CensusResult:
    """``result`` carried over to a changed ``census``, changing only what it must.

    Use it after a staff absence (:meth:`Census.without_staff`) or a room
    closure (:meth:`Census.close_room`). First every client keeps their
    sessions and only clinicians and rooms move; when that is impossible,
    the census is solved again with changes counted before preferences.
    :attr:`CensusResult.changes` says who changed. ``time_limit`` and
    ``work_limit`` bound the whole call (see :func:`schedule_census`).
    """
    settings = checked_settings(time_limit, work_limit, seed, workers)
    budget = Budget.of(settings, len(census.clients))
    weeks = result.schedules()
    census = attrs.evolve(
        census,
        clients=[
            attrs.evolve(c, current=weeks[c.id]) if c.id in weeks else c for c in census.clients
        ],
    )
    known = {c.id for c in census.clients}
    fixed = {p.client.id: frozenset(p.offerings) for p in result.placements if p.client.id in known}
    kept = (
        _run(
            census,
            ("changes", "balance"),
            fixed=fixed,
            previous=result,
            budget=budget,
        )
        if len(fixed) == len(known)
        else None
    )
    if kept is not None:
        return kept
    found = _run(
        census,
        _STABLE,
        fixed={},
        previous=result,
        budget=budget,
    )
    return within_limit(found, settings)
