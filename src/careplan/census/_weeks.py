"""Candidate weeks: the whole weeks a client of the census may take."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs
import pendulum

from careplan._model.constraints import LifeConstraints
from careplan._model.kinds import TreatmentTrack
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.program import Offering, Program
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._operations.filling import DayOption, WeekBounds, day_options
from careplan._operations.planner import allowed_offerings, feasible
from careplan.census._values import Census, CensusClient, slot_key

# --- candidate weeks ------------------------------------------------------------------

#: A client who can take at most this many offerings gets every feasible week
#: as a candidate (2**10 subsets at most), so small instances are exact.
_ALL_WEEKS_UP_TO = 10
#: The most ways to fill one day listed for a client: past it, a day keeps
#: these and the cheapest way of each total (the enumeration stays bounded).
_DAY_LIMIT = 1024
#: Candidate weeks drawn for each client (at most; fewer when fewer exist).
_RUNS_PER_STREAM = 4
_RUNS_FREE = 8
#: A preference conflict weighs as much as reusing this many offerings
#: already in the client's earlier candidates (diversity against preference).
_CONFLICT_WEIGHT = 4

_Signature = tuple[int, int, int, int, bool]  # light, heavy, average, covers, any


@attrs.frozen
class Week:
    """One candidate week: the offerings taken and their preference conflicts."""

    offerings: tuple[Offering, ...]
    conflicts: int

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(sorted(o.id for o in self.offerings))


@attrs.frozen
class Candidates:
    """A client's candidate weeks; ``weeks`` is empty when no week meets the level."""

    client: CensusClient
    weeks: tuple[Week, ...]
    #: True when ``weeks`` holds every week the client may take.
    complete: bool = False


def signature(option: DayOption) -> _Signature:
    return (option.light, option.heavy, option.average, option.covers, bool(option.offerings))


def stream_of(offering: Offering) -> tuple[str, str] | None:
    """The stream a group day belongs to: its track and modality (``None`` for a slot)."""
    if offering.track is None:
        return None
    return (offering.track.label, offering.sessions[0].modality.kind)


# A state of the week being filled: (days, light, heavy, average, covered mask).
_State = tuple[int, int, int, int, int]
# The week's paths as layers of edges (from-state index, signature, to-state index).
_Layer = list[tuple[int, _Signature, int]]


def week_paths(bounds: WeekBounds, signatures: Sequence[Sequence[_Signature]]) -> list[_Layer]:
    """Every way through the week, a signature a day, whose totals meet ``bounds``.

    The planner's state space: states that pass a maximum or cannot reach a
    minimum are dropped going forward, states that reach no admitted week
    going back. What is left is small and shared by every draw below.
    """
    reach_days = [0] * 8
    reach_light = [0] * 8
    reach_covers = [0] * 8
    for day in range(6, -1, -1):
        sigs = signatures[day]
        reach_days[day] = reach_days[day + 1] + (1 if any(s[4] for s in sigs) else 0)
        reach_light[day] = reach_light[day + 1] + max((s[0] for s in sigs), default=0)
        covered = 0
        for sig in sigs:
            covered |= sig[3]
        reach_covers[day] = reach_covers[day + 1] | covered
    if bounds.max_days < bounds.min_days:
        return []
    states: list[list[_State]] = [[(0, 0, 0, 0, 0)]]
    layers: list[_Layer] = []
    for day in range(7):
        index: dict[_State, int] = {}
        layer: _Layer = []
        for position, (days, light, heavy, average, covers) in enumerate(states[day]):
            for sig in signatures[day]:
                state = (
                    days + sig[4],
                    light + sig[0],
                    heavy + sig[1],
                    average + sig[2],
                    covers | sig[3],
                )
                if (
                    state[0] > bounds.max_days
                    or state[1] > bounds.max_minutes
                    or state[2] > bounds.max_minutes
                    or state[0] + reach_days[day + 1] < bounds.min_days
                    or state[1] + reach_light[day + 1] < bounds.min_minutes
                    or (state[4] | reach_covers[day + 1]) & bounds.required != bounds.required
                ):
                    continue
                layer.append((position, sig, index.setdefault(state, len(index))))
        states.append(list(index))
        layers.append(layer)
    alive = {i for i, state in enumerate(states[7]) if bounds.admits(*state)}
    for day in range(6, -1, -1):
        layers[day] = [edge for edge in layers[day] if edge[2] in alive]
        alive = {edge[0] for edge in layers[day]}
    return layers if alive else []


_Member = tuple[DayOption, tuple[str, ...], frozenset[Any]]  # option, its ids, its streams


@attrs.frozen(eq=False)
class WeekSpace:
    """Every week a client may take, compactly: the day options and the paths through them.

    The weeks are of the program with one slot for all the weeks of a
    biweekly slot's cadence (:func:`phases`): weeks A and B meet a client's
    level and life alike, so they are listed once and told apart after
    (:func:`in_every_week`, with :attr:`variants`).
    """

    classes: tuple[Mapping[_Signature, tuple[_Member, ...]], ...]  # per weekday
    layers: tuple[_Layer, ...]
    streams: tuple[tuple[str, str], ...]
    #: What each slot's offering stands for in the census's program (:func:`phases`).
    variants: Mapping[str, tuple[Offering, ...]]
    #: How many offerings the client may take.
    size: int
    #: False when some day had too many ways to fill it to list them all.
    complete: bool = True

    def best(
        self,
        stream: tuple[str, str] | None,
        weight: int,
        penalty: Mapping[str, int],
        blocked: frozenset[str] = frozenset(),
    ) -> Week | None:
        """The cheapest week: conflicts times ``weight`` plus each offering's ``penalty``.

        Only group days of ``stream`` (when given) and no ``blocked`` offering.
        """
        cheapest: list[dict[_Signature, tuple[int, tuple[str, ...], DayOption]]] = []
        for grouped in self.classes:
            options: dict[_Signature, tuple[int, tuple[str, ...], DayOption]] = {}
            for sig, members in grouped.items():
                for option, ids, streams_of in members:
                    if stream is not None and streams_of and streams_of != {stream}:
                        continue
                    if blocked and not blocked.isdisjoint(ids):
                        continue
                    cost = option.cost[0] * weight
                    for oid in ids:
                        cost += penalty.get(oid, 0)
                    kept = options.get(sig)
                    if kept is None or (cost, ids) < kept[:2]:
                        options[sig] = (cost, ids, option)
            cheapest.append(options)
        reached: dict[int, tuple[int, tuple[DayOption, ...]]] = {0: (0, ())}
        for day, layer in enumerate(self.layers):
            following: dict[int, tuple[int, tuple[DayOption, ...]]] = {}
            choice = cheapest[day]
            for source, sig, target in layer:
                here = reached.get(source)
                got = choice.get(sig)
                if here is None or got is None:
                    continue
                total = here[0] + got[0]
                best = following.get(target)
                if best is None or total < best[0]:
                    following[target] = (total, (*here[1], got[2]))
            reached = following
        if not reached:
            return None
        _, picked = min(reached.values(), key=lambda value: value[0])
        offerings = tuple(o for option in picked for o in option.offerings)
        return Week(offerings, sum(option.cost[0] for option in picked))

    def draw(
        self,
        found: dict[tuple[str, ...], Week],
        stream: tuple[str, str] | None,
        weight: int,
        penalty: dict[str, int],
        blocked: frozenset[str] = frozenset(),
    ) -> None:
        """Add the cheapest week to ``found`` and make its offerings dearer next time."""
        week = self.best(stream, weight, penalty, blocked)
        if week is None:
            return
        found.setdefault(week.ids, week)
        for offering in week.offerings:
            penalty[offering.id] = penalty.get(offering.id, 0) + 1


class Asked(NamedTuple):
    """What a client's weeks depend on, hashable: the caches below are keyed by it."""

    program: Program
    level: LevelOfCare
    continuum: Continuum | None
    constraints: LifeConstraints
    tracks: tuple[TreatmentTrack, ...]

    @classmethod
    def of(cls, census: Census, client: CensusClient) -> Asked:
        continuum = census.levels if client.level in census.levels else None
        return cls(
            census.program, client.level, continuum, client.constraints, tuple(client.tracks)
        )


def phases(program: Program) -> tuple[Program, Mapping[str, tuple[Offering, ...]]]:
    """``program`` with each slot once for all the weeks of its cadence, and for each
    offering of that the program's offerings it stands for (itself first).

    A slot offered in several weeks (:func:`every_week_of_cadence`) is the
    same slot but for its id and its ``week_offset``.
    """
    first: dict[tuple[object, ...], Session] = {}
    others: dict[str, list[str]] = {}
    for slot in program.slots:
        kept = first.setdefault(slot_key(slot), slot)
        others.setdefault(kept.id, []).append(f"slot-{slot.id}")
    if len(first) == len(program.slots):
        return program, {}
    offerings = {o.id: o for o in program.offerings()}
    variants = {
        f"slot-{kept}": tuple(offerings[oid] for oid in ids) for kept, ids in others.items()
    }
    return attrs.evolve(program, slots=tuple(first.values())), variants


def in_every_week(
    week: Week,
    variants: Mapping[str, tuple[Offering, ...]],
    blocked: frozenset[str] | None = None,
) -> list[Week]:
    """``week`` (of the program :func:`phases` gives) in every week of its slots'
    cadences; with ``blocked``, only the first one that uses no blocked offering."""
    choices = [variants.get(o.id, (o,)) for o in week.offerings]
    if blocked is not None:
        choices = [tuple(o for o in choice if o.id not in blocked)[:1] for choice in choices]
    return [Week(tuple(taken), week.conflicts) for taken in itertools.product(*choices)]


@functools.lru_cache(maxsize=1024)
def week_space(asked: Asked) -> WeekSpace:
    _, level, continuum, constraints, tracks = asked
    program, variants = phases(asked.program)
    allowed = allowed_offerings(program, constraints, tracks)
    bounds = WeekBounds.of(level, continuum, constraints)
    classes: list[dict[_Signature, tuple[_Member, ...]]] = []
    complete = True
    for day in pendulum.WeekDay:
        grouped: dict[_Signature, list[_Member]] = {}
        offerings = [o for o in allowed if o.weekday == day]
        options = day_options(level, constraints, offerings, "fit", merge=False, limit=_DAY_LIMIT)
        if len(options) > _DAY_LIMIT:
            # Too many ways to fill the day to list: the first ones, and the
            # cheapest of every signature, so every week total stays reachable.
            complete = False
            seen = {tuple(o.id for o in option.offerings) for option in options[:_DAY_LIMIT]}
            options = options[:_DAY_LIMIT] + [
                option
                for option in day_options(level, constraints, offerings, "fit")
                if tuple(o.id for o in option.offerings) not in seen
            ]
        for option in options:
            streams_of = frozenset(stream_of(o) for o in option.offerings) - {None}
            ids = tuple(o.id for o in option.offerings)
            grouped.setdefault(signature(option), []).append((option, ids, streams_of))
        classes.append({sig: tuple(members) for sig, members in grouped.items()})
    layers = week_paths(bounds, [sorted(c) for c in classes])
    streams = sorted({s for o in allowed if (s := stream_of(o)) is not None})
    return WeekSpace(
        tuple(classes), tuple(layers), tuple(streams), variants, len(allowed), complete
    )


def candidate_weeks(asked: Asked) -> tuple[Week, ...]:
    """A client's candidate weeks, best first; empty when no week meets the level.

    The first is the planner's fewest-conflict week (exact: every way to fill
    each day, grouped by what it adds to the week's totals, through every
    path of totals that meets :class:`WeekBounds`), in each of its slots'
    weeks. The others are the best weeks when offerings already in earlier
    candidates cost a little (diversity: other slots, other days), first
    within each stream (a track in one modality), then across streams, each
    in one of its slots' weeks, in turn (as many candidates as weeks drawn,
    but one, so the model stays small; the widening finds another week when
    one fits).
    """
    space = week_space(asked)
    if not space.layers:
        return ()
    found: dict[tuple[str, ...], Week] = {}
    penalty: dict[str, int] = {}
    space.draw(found, None, 1, penalty)  # the fewest conflicts: the planner's optimum
    for stream in space.streams:
        penalty.clear()
        for _ in range(_RUNS_PER_STREAM):
            space.draw(found, stream, _CONFLICT_WEIGHT, penalty)
    penalty.clear()
    for _ in range(_RUNS_FREE):
        space.draw(found, None, _CONFLICT_WEIGHT, penalty)
    weeks: list[Week] = []
    for index, week in enumerate(found.values()):
        phased = in_every_week(week, space.variants)
        weeks.extend(phased if index == 0 else phased[index % len(phased) :][:1])
    return tuple(weeks)


def any_week(census: Census, client: CensusClient, blocked: frozenset[str]) -> bool:
    """Whether some week of ``client`` meets the level with no ``blocked`` offering.

    What ``bool(fitting_weeks(census, client, blocked, streams=False))`` says, for
    the relaxed clients of an explanation ("attend virtually"), each asked
    once: instead of every way through each day, cached, the walk leaves
    the blocked offerings out from the start, and only the day options'
    totals are kept.
    """
    continuum = census.levels if client.level in census.levels else None
    constraints = client.constraints
    allowed = [
        o
        for o in client_offerings(census.program, constraints, tuple(client.tracks))
        if o.id not in blocked
    ]
    bounds = WeekBounds.of(client.level, continuum, constraints)
    signatures = [
        sorted(
            {
                signature(option)
                for option in day_options(
                    client.level, constraints, [o for o in allowed if o.weekday == day], "fit"
                )
            }
        )
        for day in pendulum.WeekDay
    ]
    return bool(week_paths(bounds, signatures))


def fitting_weeks(
    census: Census, client: CensusClient, blocked: frozenset[str], *, streams: bool = True
) -> list[Week]:
    """Weeks of ``client`` that use no ``blocked`` offering: the best, and one per stream.

    A slot is blocked only when it is blocked in every week of its cadence;
    each week found takes the first of a slot's weeks that is free.
    """
    space = week_space(Asked.of(census, client))
    if not space.layers:
        return []
    variants = space.variants
    whole = frozenset(
        oid for oid, ways in variants.items() if all(o.id in blocked for o in ways)
    ) | (blocked - {o.id for ways in variants.values() for o in ways})
    found: dict[tuple[str, ...], Week] = {}
    space.draw(found, None, 1, {}, whole)
    for stream in space.streams if streams else ():
        space.draw(found, stream, 1, {}, whole)
    return [phased for week in found.values() for phased in in_every_week(week, variants, blocked)]


@functools.lru_cache(maxsize=1024)
def client_offerings(
    program: Program, constraints: LifeConstraints, tracks: tuple[TreatmentTrack, ...]
) -> tuple[Offering, ...]:
    """The offerings a client may take at all (the planner's ``_allowed``), once per client."""
    return tuple(allowed_offerings(program, constraints, tracks))


def all_weeks(asked: Asked) -> tuple[Week, ...] | None:
    """Every week that meets the level, fewest conflicts first, in every week of
    its slots' cadences; ``None`` when the client may take too many offerings
    to try them all, or a day has too many ways to fill it to list.

    Every path of :func:`week_paths` with every way to fill each of its days
    (the weeks :func:`careplan.feasible` accepts, without trying every subset).
    """
    space = week_space(asked)
    if space.size > _ALL_WEEKS_UP_TO or not space.complete:
        return None
    found: list[Week] = []

    def walk(day: int, state: int, picked: tuple[DayOption, ...]) -> None:
        if day == len(space.layers):
            offerings = tuple(
                sorted((o for option in picked for o in option.offerings), key=lambda o: o.id)
            )
            found.append(Week(offerings, sum(option.cost[0] for option in picked)))
            return
        for source, sig, target in space.layers[day]:
            if source == state:
                for option, _, _ in space.classes[day][sig]:
                    walk(day + 1, target, (*picked, option))

    if space.layers:
        walk(0, 0, ())
    found.sort(key=lambda w: (w.conflicts, w.ids))
    return tuple(phased for week in found for phased in in_every_week(week, space.variants))


@functools.lru_cache(maxsize=1024)
def listed_weeks(asked: Asked) -> tuple[tuple[Week, ...], bool]:
    """A client's weeks for the model, and whether they are every week the client
    may take: :func:`all_weeks` when there are few, else :func:`candidate_weeks`."""
    every = all_weeks(asked)
    return (candidate_weeks(asked), False) if every is None else (every, True)


def candidates(census: Census, client: CensusClient) -> Candidates:
    asked = Asked.of(census, client)
    continuum = asked.continuum
    listed, complete = listed_weeks(asked)
    weeks = list(listed)
    if client.current is not None and weeks:
        # The current week is always a candidate when it still meets the level.
        taken = tuple(sorted(offerings_of(census, client.current), key=lambda o: o.id))
        ids = tuple(o.id for o in taken)
        if taken and all(w.ids != ids for w in weeks):
            allowed = {
                o.id
                for o in client_offerings(census.program, client.constraints, tuple(client.tracks))
            }
            schedule = WeeklySchedule(
                census.program.timezone, [s for o in taken for s in o.sessions]
            )
            if set(ids) <= allowed and feasible(
                schedule, client.level, client.constraints, continuum=continuum
            ):
                conflicts = sum(client.constraints.conflicts(s) for s in schedule.sessions)
                weeks.append(Week(taken, conflicts))
    return Candidates(client, tuple(weeks), complete)


def offerings_of(census: Census, schedule: WeeklySchedule) -> list[Offering]:
    ids = {s.id for s in schedule.sessions}
    return [o for o in census.program.offerings() if all(s.id in ids for s in o.sessions)]


def day_ids(offerings: Iterable[Offering]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = {}
    for offering in offerings:
        found.setdefault(int(offering.weekday), []).append(offering.id)
    return {day: tuple(sorted(ids)) for day, ids in found.items()}
