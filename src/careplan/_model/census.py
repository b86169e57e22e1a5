"""A program's whole week: staff, rooms, the clients in care, and who goes where.

These are the values of census scheduling; :func:`careplan.census.schedule_census`
(``_operations/census.py``) assigns them with a constraint solver.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

import attrs
import pendulum

from careplan._model.calendar import Closure
from careplan._model.checks import identifier, tuple_converted, tuple_of
from careplan._model.constraints import LifeConstraints
from careplan._model.continua import DEFAULT
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.plan import CarePlan, CareTeamMember, Client
from careplan._model.program import Program
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Modality, Session
from careplan._model.time import (
    format_wall_time,
    minute_of_day,
    require_date,
    wall_time,
    weekday_name,
    weekdays_from,
)

__all__ = [
    "DEFAULT_CREDENTIALS",
    "Assignment",
    "Census",
    "CensusChange",
    "CensusClient",
    "CensusObjective",
    "CensusResult",
    "Placement",
    "Room",
    "Roster",
    "SolverStatus",
    "Staff",
    "Unplaced",
    "WorkHours",
]

#: Which credential a staff member needs to lead each kind of session, by
#: kind code. Kinds not named (check-in, life skills) need no one of their
#: own: a track's day is led by the facilitator its group therapy needs.
DEFAULT_CREDENTIALS: Mapping[str, str] = {
    "group_therapy": "therapist",
    "individual_therapy": "therapist",
    "family_therapy": "therapist",
    "psychiatric": "prescriber",
}

#: How far the solver got: ``"optimal"`` (proven best) or ``"feasible"``
#: (valid, the best found within the time limit).
SolverStatus = Literal["optimal", "feasible"]


def _unique(field: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise InvalidValueError(field, value, "is used twice", "give each an id of its own")
        seen.add(value)


@attrs.frozen
class WorkHours:
    """Weekly hours a staff member works.

    Attributes:
        weekdays: The days.
        start: Wall-clock start.
        end: Wall-clock end (after the start).

    >>> WorkHours(["monday"], "09:00", "17:00").covers(pendulum.WeekDay.MONDAY, 600, 660)
    True
    """

    weekdays: tuple[pendulum.WeekDay, ...] = attrs.field(converter=weekdays_from)
    start: pendulum.Time = attrs.field(converter=wall_time)
    end: pendulum.Time = attrs.field(converter=wall_time)

    def __attrs_post_init__(self) -> None:
        if minute_of_day(self.end) <= minute_of_day(self.start):
            raise InvalidValueError(
                "WorkHours.end",
                format_wall_time(self.end),
                f"is not after the start {format_wall_time(self.start)}",
                "split hours that cross midnight into two",
            )

    def covers(self, weekday: pendulum.WeekDay, begin: int, end: int) -> bool:
        """True when the minutes ``begin`` to ``end`` of ``weekday`` are within these hours."""
        return (
            weekday in self.weekdays
            and minute_of_day(self.start) <= begin
            and end <= minute_of_day(self.end)
        )


def _hours(value: Iterable[WorkHours]) -> tuple[WorkHours, ...]:
    return tuple_of("Staff.hours", value, WorkHours)


def _texts(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(tuple_converted("Staff.credentials", value, identifier, "codes"))))


def _tracks(value: Iterable[TreatmentTrack]) -> tuple[TreatmentTrack, ...]:
    return tuple_of("CensusClient.tracks", value, TreatmentTrack)


def _clients(value: Iterable[CensusClient]) -> tuple[CensusClient, ...]:
    return tuple_of("Census.clients", value, CensusClient)


def _staff(value: Iterable[Staff]) -> tuple[Staff, ...]:
    return tuple_of("Census.staff", value, Staff)


def _rooms(value: Iterable[Room]) -> tuple[Room, ...]:
    return tuple_of("Census.rooms", value, Room)


def _optional_positive(field: str) -> Any:
    def check(_instance: object, _attribute: object, value: object) -> None:
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 1
        ):
            raise InvalidValueError(field, value, "is not a positive whole number")

    return check


@attrs.frozen
class Staff:
    """A clinician who leads groups or sees clients one to one.

    Attributes:
        id: An identifier; calendars and rosters name staff by it.
        role: Their role ("therapist", "psychiatrist").
        credentials: What they may do (see :data:`DEFAULT_CREDENTIALS`):
            ``"therapist"``, ``"prescriber"``.
        hours: When they work each week.
        max_caseload: The most one-to-one sessions (individual,
            psychiatric, family) they hold a week, or ``None``.
        absent: Weekdays they are away this week (leave, sickness).
    """

    id: str
    role: str
    credentials: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    hours: tuple[WorkHours, ...] = attrs.field(default=(), converter=_hours)
    max_caseload: int | None = attrs.field(
        default=None, validator=_optional_positive("Staff.max_caseload")
    )
    absent: tuple[pendulum.WeekDay, ...] = attrs.field(default=(), converter=weekdays_from)

    def works(self, weekday: pendulum.WeekDay, begin: int, end: int) -> bool:
        """True when they are at work from minute ``begin`` to ``end`` of ``weekday``."""
        return weekday not in self.absent and any(h.covers(weekday, begin, end) for h in self.hours)


@attrs.frozen
class Room:
    """A room for in-person sessions.

    Attributes:
        id: An identifier; rosters and calendars name rooms by it.
        capacity: How many clients it seats.
        name: A display name.
        closed: Weekdays it cannot be used this week.
    """

    id: str
    capacity: int = attrs.field(validator=_optional_positive("Room.capacity"))
    name: str | None = None
    closed: tuple[pendulum.WeekDay, ...] = attrs.field(default=(), converter=weekdays_from)


def _optional_date(value: _dt.date | None) -> pendulum.Date | None:
    return None if value is None else require_date("CensusClient.admitted", value)


@attrs.frozen
class CensusClient:
    """A client in the program's census.

    Attributes:
        id: The client's identifier.
        level: The level of care their week must meet.
        constraints: Their busy blocks and preferences.
        tracks: Only group sessions of these treatment tracks (or any).
        current: Their current weekly schedule, if they are placed; the
            solver changes it only when it must.
        admitted: Admission date: when not everyone fits, the earlier
            admitted keep their places, and the waitlist follows it.
    """

    id: str
    level: LevelOfCare
    constraints: LifeConstraints = attrs.field(factory=LifeConstraints)
    tracks: tuple[TreatmentTrack, ...] = attrs.field(default=(), converter=_tracks)
    current: WeeklySchedule | None = None
    admitted: pendulum.Date | None = attrs.field(default=None, converter=_optional_date)


def _credentials(value: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(dict(value).items()))


@attrs.frozen
class Census:
    """Everything a program's week is planned from.

    Attributes:
        program: What the clinic offers; its tracks' ``capacity`` caps groups.
        clients: The clients in care (ids unique).
        staff: The clinicians.
        rooms: The rooms for in-person sessions.
        continuum: The levels' continuum (default :data:`careplan.DEFAULT`).
        credentials: Session kind code to the credential that leads it.
    """

    program: Program
    clients: tuple[CensusClient, ...] = attrs.field(default=(), converter=_clients)
    staff: tuple[Staff, ...] = attrs.field(default=(), converter=_staff)
    rooms: tuple[Room, ...] = attrs.field(default=(), converter=_rooms)
    continuum: Continuum | None = None
    credentials: tuple[tuple[str, str], ...] = attrs.field(
        default=DEFAULT_CREDENTIALS, converter=_credentials
    )

    def __attrs_post_init__(self) -> None:
        _unique("Census.clients", (c.id for c in self.clients))
        _unique("Census.staff", (s.id for s in self.staff))
        _unique("Census.rooms", (r.id for r in self.rooms))
        for client in self.clients:
            if self.program.levels and client.level.code not in self.program.levels:
                raise InvalidValueError(
                    f"Census.clients[{client.id!r}].level",
                    client.level.code,
                    f"is not a level {self.program.name} runs",
                    f"use one of: {', '.join(self.program.levels)}",
                )

    @property
    def levels(self) -> Continuum:
        """The continuum the clients' levels are on."""
        return self.continuum or DEFAULT

    def credential(self, kind: SessionKind) -> str | None:
        """The credential that leads sessions of ``kind``, or ``None``."""
        return dict(self.credentials).get(kind.code)

    def client(self, client_id: str) -> CensusClient:
        """The client with ``client_id``."""
        for client in self.clients:
            if client.id == client_id:
                return client
        raise InvalidValueError("client_id", client_id, "is not in the census")

    def with_client(self, client: CensusClient) -> Census:
        """A copy with ``client`` added (or replacing the one with its id)."""
        others = tuple(c for c in self.clients if c.id != client.id)
        return attrs.evolve(self, clients=(*others, client))

    def without_staff(
        self, staff_id: str, weekdays: Iterable[pendulum.WeekDay | str] | None = None
    ) -> Census:
        """A copy in which staff member ``staff_id`` is away (all week, or on ``weekdays``)."""
        days = tuple(pendulum.WeekDay) if weekdays is None else weekdays_from(weekdays)
        found = [s for s in self.staff if s.id == staff_id]
        if not found:
            raise InvalidValueError("staff_id", staff_id, "is not on the staff")
        away = attrs.evolve(found[0], absent=tuple(sorted({*found[0].absent, *days})))
        return attrs.evolve(self, staff=[away if s.id == staff_id else s for s in self.staff])

    def close_room(
        self, room_id: str, weekdays: Iterable[pendulum.WeekDay | str] | None = None
    ) -> Census:
        """A copy in which room ``room_id`` is closed (all week, or on ``weekdays``)."""
        days = tuple(pendulum.WeekDay) if weekdays is None else weekdays_from(weekdays)
        found = [r for r in self.rooms if r.id == room_id]
        if not found:
            raise InvalidValueError("room_id", room_id, "is not a room of the census")
        shut = attrs.evolve(found[0], closed=tuple(sorted({*found[0].closed, *days})))
        return attrs.evolve(self, rooms=[shut if r.id == room_id else r for r in self.rooms])


# --- results ------------------------------------------------------------------


@attrs.frozen
class Assignment:
    """Who leads one of a client's sessions, and where.

    Attributes:
        session_id: The session, in the client's schedule.
        staff: The staff member's id, or ``None`` when none is needed.
        room: The room's id for an in-person session, or ``None``.
    """

    session_id: str
    staff: str | None = None
    room: str | None = None


@attrs.frozen
class Placement:
    """A placed client's week.

    Attributes:
        client: The client.
        schedule: Their weekly sessions.
        offerings: The ids of the program offerings they attend.
        assignments: Staff and room of each session.
        preference_conflicts: Sessions outside their preferred day parts.
    """

    client: CensusClient
    schedule: WeeklySchedule
    offerings: tuple[str, ...]
    assignments: tuple[Assignment, ...]
    preference_conflicts: int = 0

    def assignment(self, session_id: str) -> Assignment:
        """The staff and room of session ``session_id``."""
        for found in self.assignments:
            if found.session_id == session_id:
                return found
        return Assignment(session_id)


@attrs.frozen
class Roster:
    """One group's day: who attends, who leads, where. Also one-to-one sessions.

    Attributes:
        offering: The offering's id.
        title: "Evening group", an individual slot's title.
        weekday: Its weekday.
        start: Wall-clock start.
        end: Wall-clock end.
        modality: ``"in_person"`` or ``"virtual"``.
        kind: The kind of its main session (group therapy for a group).
        group: True for a group; False for a one-to-one slot.
        clients: The ids of the clients attending.
        staff: Who leads it: the facilitator of a group; for a slot, the
            clinician of each client in :attr:`clients`, in order.
        rooms: Where: the group's room; for a slot, each client's room.
        capacity: The group's capacity, or ``None``.
    """

    offering: str
    title: str
    weekday: pendulum.WeekDay
    start: pendulum.Time
    end: pendulum.Time
    modality: str
    kind: SessionKind
    group: bool
    clients: tuple[str, ...]
    staff: tuple[str, ...] = ()
    rooms: tuple[str, ...] = ()
    capacity: int | None = None

    @property
    def label(self) -> str:
        """A label naming no client: "Evening group — 9 clients"."""
        count = len(self.clients)
        return f"{self.title} — {count} client{'s' if count != 1 else ''}"


@attrs.frozen
class Unplaced:
    """A client the census could not place, and why.

    Attributes:
        client: The client.
        reasons: Why, in a clinician's words, one sentence each.
        alternatives: What would place them (another track, attending
            virtually, a lower level), each checked against the census.
        waitlist: Their position on the waitlist (1 first), by admission.
    """

    client: CensusClient
    reasons: tuple[str, ...]
    alternatives: tuple[str, ...]
    waitlist: int


#: What happened to a client between two census results.
ChangeKind = Literal["placed", "unplaced", "moved", "staff"]


@attrs.frozen
class CensusChange:
    """One client's week changed between two results.

    Attributes:
        client: The client's id.
        kind: ``"placed"``, ``"unplaced"``, ``"moved"`` (other sessions) or
            ``"staff"`` (same sessions, another clinician or room).
        description: What changed, in words.
    """

    client: str
    kind: ChangeKind
    description: str


@attrs.frozen(order=True)
class CensusObjective:
    """What a census assignment achieves, in the order it is optimised.

    Attributes:
        placed: Clients placed at their level (more is better).
        preference_conflicts: Sessions outside clients' preferred day parts.
        changes: Client-days whose sessions changed from their current
            schedule, plus one-to-one sessions with another clinician.
        largest_group: The size of the largest group (balance).
    """

    placed: int
    preference_conflicts: int
    changes: int
    largest_group: int


@attrs.frozen
class CensusResult:
    """Who goes where in the program's week.

    Attributes:
        census: The census it was solved for.
        status: ``"optimal"`` or ``"feasible"`` (see :data:`SolverStatus`).
        objective: What it achieves.
        placements: The placed clients' weeks, by client id.
        unplaced: The clients not placed, with reasons, by waitlist.
        rosters: Every group day and one-to-one slot in use.
        changes: What changed from the clients' current schedules.
        bound: What the solver proved no assignment over the candidate
            weeks can beat, level by level (each given the levels before it
            as found): equal to :attr:`objective` when the status is
            ``"optimal"``; otherwise how far the result may be from it.
    """

    census: Census
    status: SolverStatus
    objective: CensusObjective
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    rosters: tuple[Roster, ...]
    changes: tuple[CensusChange, ...] = ()
    bound: CensusObjective | None = None

    def placement(self, client_id: str) -> Placement | None:
        """The placement of ``client_id``, or ``None`` when not placed."""
        for found in self.placements:
            if found.client.id == client_id:
                return found
        return None

    def schedules(self) -> dict[str, WeeklySchedule]:
        """Each placed client's weekly schedule, by client id."""
        return {p.client.id: p.schedule for p in self.placements}

    def plans(self, *, start: _dt.date, weeks: int) -> dict[str, CarePlan]:
        """A :class:`CarePlan` for each placed client, from ``start`` for ``weeks`` weeks.

        The program's closures carry over; the care team lists the staff
        who lead the client's one-to-one sessions.
        """
        begin = require_date("start", start)
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            raise InvalidValueError("weeks", weeks, "is not a positive number of weeks")
        staff = {s.id: s for s in self.census.staff}
        closures: tuple[Closure, ...] = self.census.program.closures
        plans = {}
        for placement in self.placements:
            team = sorted(
                {
                    (a.staff, staff[a.staff].role)
                    for a in placement.assignments
                    if a.staff is not None and _one_to_one(placement.schedule, a.session_id)
                }
            )
            client = placement.client
            plans[client.id] = CarePlan(
                Client(client.id),
                client.level,
                placement.schedule,
                begin,
                begin.add(weeks=weeks).subtract(days=1),
                continuum=self.census.levels,
                tracks=client.tracks,
                care_team=[CareTeamMember(name, role) for name, role in team],
                closures=closures,
            )
        return plans

    def staff_schedule(self, staff_id: str) -> WeeklySchedule:
        """The week of staff member ``staff_id``, naming no client.

        Groups read "Evening group — 9 clients"; one-to-one sessions carry
        the kind's label only.
        """
        return self._schedule_of(lambda roster: roster.staff, staff_id)

    def room_schedule(self, room_id: str) -> WeeklySchedule:
        """The week of room ``room_id``, naming no client."""
        return self._schedule_of(lambda roster: roster.rooms, room_id)

    def _schedule_of(
        self, holders: Callable[[Roster], tuple[str, ...]], holder: str
    ) -> WeeklySchedule:
        sessions = [
            Session(
                roster.weekday,
                roster.start,
                minute_of_day(roster.end) - minute_of_day(roster.start),
                roster.kind,
                title=roster.label if roster.group else roster.title,
                modality=Modality(roster.modality),  # type: ignore[arg-type]
                id=roster.offering,
            )
            for roster in self.rosters
            if holder in holders(roster)
        ]
        sessions.sort(key=lambda s: (s.weekday, s.start_minute, s.id))
        return WeeklySchedule(self.census.program.timezone, sessions)

    def to_dataframe(self) -> Any:
        """One row per client and offering, for notebooks (needs pandas).

        Columns: ``client``, ``offering``, ``weekday``, ``start``, ``end``,
        ``title``, ``modality``, ``staff``, ``room``.
        """
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "CensusResult.to_dataframe needs pandas; install it with "
                "pip install 'careplan[pandas]'"
            ) from None
        rows = [
            {
                "client": client,
                "offering": roster.offering,
                "weekday": weekday_name(roster.weekday),
                "start": format_wall_time(roster.start),
                "end": format_wall_time(roster.end),
                "title": roster.title,
                "modality": roster.modality,
                "staff": _at(roster.staff, 0 if roster.group else index),
                "room": _at(roster.rooms, 0 if roster.group else index),
            }
            for roster in self.rosters
            for index, client in enumerate(roster.clients)
        ]
        columns = ["client", "offering", "weekday", "start", "end", "title", "modality"]
        return pandas.DataFrame(rows, columns=[*columns, "staff", "room"])


def _at(values: tuple[str, ...], index: int) -> str | None:
    return values[index] if index < len(values) else None


def _one_to_one(schedule: WeeklySchedule, session_id: str) -> bool:
    return not any(
        s.id == session_id and s.kind == SessionKind.GROUP_THERAPY for s in schedule.sessions
    )
