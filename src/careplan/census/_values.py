"""The values a census is planned from: staff, rooms, the clients in care."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import attrs
import pendulum

from careplan._model.checks import (
    LARGEST,
    identifier,
    instance,
    optional_date,
    optional_instance,
    optional_text,
    optional_whole,
    shown,
    tuple_converted,
    tuple_of,
    whole,
)
from careplan._model.constraints import LifeConstraints
from careplan._model.continua import DEFAULT
from careplan._model.errors import InvalidValueError
from careplan._model.kinds import SessionKind, TreatmentTrack, treatment_track
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.program import Program
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Session
from careplan._model.time import (
    format_wall_time,
    minute_of_day,
    wall_time,
    weekdays_from,
)

__all__ = [
    "DEFAULT_CREDENTIALS",
    "Census",
    "CensusClient",
    "Room",
    "Staff",
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


def _tracks(value: Iterable[TreatmentTrack | str]) -> tuple[TreatmentTrack, ...]:
    return tuple_converted(
        "CensusClient.tracks", value, treatment_track, "TreatmentTrack values or codes"
    )


def _clients(value: Iterable[CensusClient]) -> tuple[CensusClient, ...]:
    return tuple_of("Census.clients", value, CensusClient)


def _staff(value: Iterable[Staff]) -> tuple[Staff, ...]:
    return tuple_of("Census.staff", value, Staff)


def _rooms(value: Iterable[Room]) -> tuple[Room, ...]:
    return tuple_of("Census.rooms", value, Room)


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
    max_caseload: int | None = None
    absent: tuple[pendulum.WeekDay, ...] = attrs.field(default=(), converter=weekdays_from)

    def __attrs_post_init__(self) -> None:
        identifier("Staff.id", self.id)
        identifier("Staff.role", self.role)
        optional_whole(
            "Staff.max_caseload", self.max_caseload, 1, LARGEST, "give a positive number, or None"
        )

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
    capacity: int
    name: str | None = None
    closed: tuple[pendulum.WeekDay, ...] = attrs.field(default=(), converter=weekdays_from)

    def __attrs_post_init__(self) -> None:
        identifier("Room.id", self.id)
        optional_text("Room.name", self.name)
        whole("Room.capacity", self.capacity, 1, LARGEST, "give a positive number of seats")


def _optional_date(value: _dt.date | str | None) -> pendulum.Date | None:
    if isinstance(value, str):
        try:
            value = _dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidValueError(
                "CensusClient.admitted",
                shown(value),
                "is not an ISO date",
                "write it as 2027-01-04, or pass a date",
            ) from None
    return optional_date("CensusClient.admitted", value)


@attrs.frozen
class CensusClient:
    """A client in the program's census.

    Attributes:
        id: The client's identifier.
        level: The level of care their week must meet.
        constraints: Their busy blocks and preferences.
        tracks: Only group sessions of these treatment tracks (or any);
            tracks or their codes.
        current: Their current weekly schedule, if they are placed; the
            solver changes it only when it must.
        admitted: Admission date (a date or ISO text): when not everyone
            fits, the earlier admitted keep their places, and the waitlist
            follows it. Clients without one come after those with one; ties
            go by id.
    """

    id: str
    level: LevelOfCare
    constraints: LifeConstraints = attrs.field(factory=LifeConstraints)
    tracks: tuple[TreatmentTrack, ...] = attrs.field(default=(), converter=_tracks)
    current: WeeklySchedule | None = None
    admitted: pendulum.Date | None = attrs.field(default=None, converter=_optional_date)

    def __attrs_post_init__(self) -> None:
        identifier("CensusClient.id", self.id)
        instance("CensusClient.level", self.level, LevelOfCare)
        instance("CensusClient.constraints", self.constraints, LifeConstraints)
        optional_instance("CensusClient.current", self.current, WeeklySchedule)


def every_week_of_cadence(program: Program) -> Program:
    """``program`` with each slot held every ``n`` weeks offered in each week of its cadence.

    A biweekly consult is two slots at one time: week A (the slot as given,
    ``week_offset`` 0) and week B (``week_offset`` 1, its id and its
    offering's id ending in ``-week2``), so two clients can share it in
    alternate weeks. Slots the program already offers in a week are kept
    as they are, so the program comes back unchanged the second time.

    Raises:
        InvalidValueError: A different slot already has the id a week would get.
    """
    offered = {(slot_key(s), s.week_offset) for s in program.slots}
    added = [
        attrs.evolve(slot, week_offset=week, id=f"{slot.id}-week{week + 1}")
        for slot in program.slots
        if slot.week_offset == 0
        for week in range(1, slot.every_weeks)
        if (slot_key(slot), week) not in offered
    ]
    taken = {slot.id for slot in program.slots}
    for slot in added:
        if slot.id in taken:
            raise InvalidValueError(
                "Census.program",
                slot.id,
                "is the id the census gives another week of a slot held every few weeks, "
                "and a different slot of the program already has it",
                "rename that slot, or offer the other weeks yourself with week_offset",
            )
    return attrs.evolve(program, slots=(*program.slots, *added)) if added else program


def slot_key(slot: Session) -> tuple[object, ...]:
    """A slot but for its id and its week of the cadence."""
    return (
        slot.weekday,
        slot.start,
        slot.duration,
        slot.kind,
        slot.track,
        slot.modality,
        slot.title,
        slot.every_weeks,
        slot.role,
    )


def _program(value: Program) -> Program:
    return every_week_of_cadence(instance("Census.program", value, Program))


def _credential(field: str, value: object) -> tuple[str, str]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InvalidValueError(
            field,
            value,
            "is not a pair of a session kind code and a credential",
            "map kind codes to credentials, as DEFAULT_CREDENTIALS does",
        )
    return identifier(field, value[0]), identifier(field, value[1])


def _credentials(
    value: Mapping[str, str] | Iterable[tuple[str, str]],
) -> tuple[tuple[str, str], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    found = tuple_converted("Census.credentials", pairs, _credential, "pairs")
    return tuple(sorted(dict(found).items()))


@attrs.frozen
class Census:
    """Everything a program's week is planned from.

    Attributes:
        program: What the clinic offers; its tracks' ``capacity`` caps groups.
            A slot held every ``n`` weeks is offered in each week of its
            cadence (:func:`every_week_of_cadence`): a biweekly consult's
            week B is the slot ``<id>-week2``, so two clients share it in
            alternate weeks.
        clients: The clients in care (ids unique).
        staff: The clinicians. Empty: the census plans seats only, and no
            session needs a clinician (give staff to have them checked).
        rooms: The rooms for in-person sessions. Empty: in-person sessions
            need no room (give rooms to have them checked).
        continuum: The levels' continuum (default :data:`careplan.DEFAULT`).
        credentials: Session kind code to the credential that leads it.
    """

    program: Program = attrs.field(converter=_program)
    clients: tuple[CensusClient, ...] = attrs.field(default=(), converter=_clients)
    staff: tuple[Staff, ...] = attrs.field(default=(), converter=_staff)
    rooms: tuple[Room, ...] = attrs.field(default=(), converter=_rooms)
    continuum: Continuum | None = None
    credentials: tuple[tuple[str, str], ...] = attrs.field(
        default=DEFAULT_CREDENTIALS, converter=_credentials
    )

    def __attrs_post_init__(self) -> None:
        optional_instance("Census.continuum", self.continuum, Continuum)
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
        for code, credential in self.credentials:
            if code == kind.code:
                return credential
        return None

    def client(self, client_id: str) -> CensusClient:
        """The client with ``client_id``."""
        for client in self.clients:
            if client.id == client_id:
                return client
        raise InvalidValueError("client_id", client_id, "is not in the census")

    def schedule_of(self, offering_ids: Iterable[str]) -> WeeklySchedule:
        """The weekly schedule of the program's offerings ``offering_ids``:
        a client's :attr:`CensusClient.current` week from the offerings they attend.

        >>> from careplan.programs import census_program
        >>> census = Census(census_program())
        >>> week = census.schedule_of(["morning-in_person-mon", "morning-in_person-wed"])
        >>> len(week.sessions), week.days_per_week
        (6, 2)
        """
        offerings = {o.id: o for o in self.program.offerings()}
        sessions: list[Session] = []
        for oid in offering_ids:
            if oid not in offerings:
                raise InvalidValueError(
                    "offering_ids",
                    shown(oid),
                    f"is not an offering of {self.program.name}",
                    "use the ids of Program.offerings()",
                )
            sessions.extend(offerings[oid].sessions)
        return WeeklySchedule(self.program.timezone, sessions)

    def with_client(self, client: CensusClient) -> Census:
        """A copy with ``client`` added (or replacing the one with its id)."""
        others = tuple(c for c in self.clients if c.id != client.id)
        return attrs.evolve(self, clients=(*others, client))

    def without_staff(
        self, staff_id: str, weekdays: Iterable[pendulum.WeekDay | str] | None = None
    ) -> Census:
        """A copy in which staff member ``staff_id`` is away (all week, or on ``weekdays``)."""
        staff = _days_off(self.staff, ("staff_id", staff_id), "absent", weekdays, "on the staff")
        return attrs.evolve(self, staff=staff)

    def close_room(
        self, room_id: str, weekdays: Iterable[pendulum.WeekDay | str] | None = None
    ) -> Census:
        """A copy in which room ``room_id`` is closed (all week, or on ``weekdays``)."""
        rooms = _days_off(
            self.rooms, ("room_id", room_id), "closed", weekdays, "a room of the census"
        )
        return attrs.evolve(self, rooms=rooms)


_Holder = TypeVar("_Holder", Staff, Room)


def _days_off(
    holders: Sequence[_Holder],
    wanted: tuple[str, str],
    field: str,
    weekdays: Iterable[pendulum.WeekDay | str] | None,
    what: str,
) -> list[_Holder]:
    """``holders`` with the one whose id is ``wanted`` off on ``weekdays`` (all week: None).

    ``wanted`` is the argument's name and the id; ``field`` the holder's
    days-off field (``absent``, ``closed``).

    Raises:
        InvalidValueError: No holder has the id.
    """
    argument, holder_id = wanted
    days: tuple[pendulum.WeekDay, ...] = (
        tuple(pendulum.WeekDay) if weekdays is None else tuple(weekdays_from(weekdays))
    )
    found: list[_Holder] = [h for h in holders if h.id == holder_id]
    if not found:
        raise InvalidValueError(argument, holder_id, f"is not {what}")
    off = tuple(sorted({*getattr(found[0], field), *days}))
    changed = attrs.evolve(found[0], **{field: off})  # type: ignore[arg-type]  # a days field
    return [changed if h.id == holder_id else h for h in holders]
