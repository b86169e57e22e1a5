"""A first fit in admission order: seats, clinicians and rooms booked one by one."""

from __future__ import annotations

from collections.abc import Mapping

from careplan._model.program import Offering
from careplan.census._model import CensusModel, held_weeks, needs
from careplan.census._result import (
    CensusResult,
)
from careplan.census._values import Census
from careplan.census._weeks import Week


class Bookings:
    """Seats, clinicians and rooms taken so far: who else fits, and a week booked.

    Clinicians and rooms go first come, first served. :func:`_run` starts
    the solver from the weeks of a first fit in admission order booked
    here, so it never places fewer clients than that.
    """

    def __init__(self, census: Census) -> None:
        self.census = census
        self.count: dict[str, int] = {}
        self.cap: dict[str, int] = {}  # a running group's seats (track and room)
        #: The weeks of the cycle each offering is held in.
        self.held = held_weeks(census.program)
        # (holder, weekday) -> (begin, end, weeks of the cycle) taken
        self.busy: dict[tuple[str, int], list[tuple[int, int, frozenset[int]]]] = {}
        self.load: dict[tuple[str, int], int] = {}  # (clinician, week of the cycle)
        self.staff: dict[str, list[str]] = {}  # offering -> clinicians (one per client in a slot)
        self.rooms: dict[str, list[str]] = {}

    @classmethod
    def of(cls, result: CensusResult, without: frozenset[str] = frozenset()) -> Bookings:
        """The bookings of ``result``, but for the clients in ``without``."""
        booked = cls(result.census)
        offerings = {o.id: o for o in result.census.program.offerings()}
        for placement in result.placements:
            if placement.client.id in without:
                continue
            for oid in placement.offerings:
                offering = offerings[oid]
                if oid in booked.cap:  # a running group: one more seat
                    booked.count[oid] += 1
                    continue
                made = placement.assignment(offering.sessions[0].id)
                booked._hold(
                    offering,
                    [made.staff] if made.staff else [],
                    [made.room] if made.room else [],
                    1,
                )
        return booked

    def _free(self, holder: str, offering: Offering, begin: int, end: int) -> bool:
        """Whether ``holder`` is free for ``offering`` (from minute ``begin`` to
        ``end``) in every week of the cycle it is held in."""
        weeks = self.held[offering.id]
        return all(
            end <= b or e <= begin or weeks.isdisjoint(held)
            for b, e, held in self.busy.get((holder, int(offering.weekday)), [])
        )

    def _clinician(self, offering: Offering) -> str | None:
        """A free qualified clinician ("" when none is needed), or ``None``."""
        census = self.census
        needed = needs(census, offering)
        if not needed or not census.staff:
            return ""
        begin, end = offering.start_minute, offering.end_minute
        for person in census.staff:
            if (
                needed <= set(person.credentials)
                and person.works(offering.weekday, begin, end)
                and self._free(person.id, offering, begin, end)
                and (
                    offering.is_group
                    or person.max_caseload is None
                    or all(
                        self.load.get((person.id, week), 0) < person.max_caseload
                        for week in self.held[offering.id]
                    )
                )
            ):
                return person.id
        return None

    def _room(self, offering: Offering) -> str | None:
        """A free room ("" when none is needed), or ``None``."""
        census = self.census
        if offering.sessions[0].modality.kind != "in_person" or not census.rooms:
            return ""
        begin, end = offering.start_minute, offering.end_minute
        for room in census.rooms:
            if offering.weekday not in room.closed and self._free(room.id, offering, begin, end):
                return room.id
        return None

    def blocked(self) -> frozenset[str]:
        """The offerings one more client could not join."""
        found = set()
        for offering in self.census.program.offerings():
            if offering.id in self.cap:
                if self.count[offering.id] >= self.cap[offering.id]:
                    found.add(offering.id)
            elif self._clinician(offering) is None or self._room(offering) is None:
                found.add(offering.id)
        return frozenset(found)

    def book(self, week: Week) -> None:
        """Take ``week``'s seats, clinicians and rooms (it must fit)."""
        for offering in week.offerings:
            if offering.id in self.cap:
                self.count[offering.id] += 1
                continue
            person, room = self._clinician(offering), self._room(offering)
            self._hold(offering, [person] if person else [], [room] if room else [], 1)

    def _hold(self, offering: Offering, staff: list[str], rooms: list[str], count: int) -> None:
        day = int(offering.weekday)
        weeks = self.held[offering.id]
        for holder in (*staff, *rooms):
            self.busy.setdefault((holder, day), []).append(
                (offering.start_minute, offering.end_minute, weeks)
            )
        self.staff.setdefault(offering.id, []).extend(staff)
        self.rooms.setdefault(offering.id, []).extend(rooms)
        self.count[offering.id] = self.count.get(offering.id, 0) + count
        if offering.is_group:
            assert offering.track is not None
            seats = [r.capacity for r in self.census.rooms if r.id in rooms]
            limits = [c for c in (offering.track.capacity, *seats) if c]
            self.cap[offering.id] = min(limits) if limits else len(self.census.clients) + 1
        else:
            for person in staff:
                for week in weeks:
                    self.load[person, week] = self.load.get((person, week), 0) + 1


def first_fit_hint(
    built: CensusModel, weeks: Mapping[str, tuple[str, ...]], booked: Bookings
) -> dict[str, int]:
    """Solver values for clients in the weeks ``weeks`` (ids) with ``booked``'s staff and rooms."""
    hint: dict[str, int] = {}
    for choice in built.choices:
        cid = choice.client.id
        wanted = weeks.get(cid)
        hint[f"placed[{cid}]"] = 0
        for index, week in enumerate(choice.weeks):
            chosen = wanted is not None and week.ids == wanted
            hint[f"w[{cid},{index}]"] = int(chosen)
            if chosen:
                hint[f"placed[{cid}]"] = 1
    largest = 0
    for oid, count in booked.count.items():
        hint[f"count[{oid}]"] = count
        hint[f"runs[{oid}]"] = int(count > 0)
        if oid in booked.cap:
            largest = max(largest, count)
    for variables, pools, held in (
        (built.lead, built.staff_pools, booked.staff),
        (built.room, built.room_pools, booked.rooms),
    ):
        for (oid, key), var in variables.items():
            members = {m.id for m in pools[key]}
            hint[var.name] = sum(1 for h in held.get(oid, ()) if h in members)
    hint["largest"] = largest
    return hint
