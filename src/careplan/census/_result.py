"""What a census solve gives: placements, rosters, changes, the unplaced and why."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any, Literal

import attrs
import pendulum

from careplan._model.calendar import Closure
from careplan._model.errors import InvalidValueError, MissingExtraError
from careplan._model.kinds import SessionKind
from careplan._model.plan import CarePlan, CareTeamMember, Client
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import Modality, Session
from careplan._model.time import format_wall_time, minute_of_day, require_date, weekday_name
from careplan.census._values import Census, CensusClient

__all__ = [
    "Assignment",
    "CensusChange",
    "CensusObjective",
    "CensusResult",
    "Placement",
    "Roster",
    "SolverStatus",
    "Unplaced",
    "UnplacedReason",
]

#: What the solver proved (see :attr:`CensusResult.status`):
#: ``"optimal"``, ``"optimal_among_candidates"`` or ``"feasible"``.
SolverStatus = Literal["optimal", "optimal_among_candidates", "feasible"]


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


#: Why a client is not placed, as a stable code (see :class:`UnplacedReason`).
ReasonCode = Literal[
    "level_out_of_reach", "group_full", "no_clinician_working", "clinicians_booked", "places_taken"
]


@attrs.frozen
class UnplacedReason:
    """One reason a client is not placed: a stable code, its fields, and the message.

    Codes: ``"level_out_of_reach"`` (the client's own week rules the level
    out, whatever the census holds; the message is the planner's reason),
    ``"group_full"`` (:attr:`offering` is at capacity),
    ``"no_clinician_working"`` (no one with :attr:`credential` works on
    :attr:`weekday` at the times the client's week leaves),
    ``"clinicians_booked"`` (everyone with :attr:`credential` who works then
    is booked), ``"places_taken"`` (the seats, clinicians and rooms the
    client's weeks could use are taken, in no one way alone).

    Attributes:
        code: The code.
        message: The reason in a clinician's words.
        offering: The offering it is about, if any.
        credential: The credential it is about, if any.
        weekday: The weekday it is about, if any.
    """

    code: ReasonCode
    message: str
    offering: str | None = None
    credential: str | None = None
    weekday: pendulum.WeekDay | None = None


@attrs.frozen
class Unplaced:
    """A client the census could not place, and why.

    Attributes:
        client: The client.
        reasons: Why, each with a stable code and a clinician's sentence.
        alternatives: What would place them (another track, attending
            virtually, a lower level…), each checked against the census: a
            week of the changed client fits around everyone as they are.
            The last is always their waitlist position.
        waitlist: Their position on the waitlist (1 first), by admission.
    """

    client: CensusClient
    reasons: tuple[UnplacedReason, ...]
    alternatives: tuple[str, ...]
    waitlist: int


#: What happened to a client between two census results.
ChangeKind = Literal["placed", "unplaced", "moved", "staff"]


@attrs.frozen
class CensusChange:
    """One client's week changed between two results.

    A change is a client-day: a weekday whose offerings differ from the
    client's current week (every current day of a client who loses their
    place), or a day kept as it was on which a one-to-one session has
    another clinician. The solver minimises their number, which
    :attr:`CensusObjective.changes` reports.

    Attributes:
        client: The client's id.
        kind: ``"placed"`` (no current week; no day changed),
            ``"unplaced"``, ``"moved"`` (other sessions on some days) or
            ``"staff"`` (same sessions, another clinician).
        description: What changed, in words.
        days: The client-days changed (what the client adds to
            :attr:`CensusObjective.changes`).
    """

    client: str
    kind: ChangeKind
    description: str
    days: int = 0


@attrs.frozen(order=True)
class CensusObjective:
    """What a census assignment achieves, in the order it is optimised.

    Attributes:
        placed: Clients placed at their level (more is better).
        preference_conflicts: Sessions outside clients' preferred day parts.
        changes: Client-days changed from clients' current weeks (see
            :class:`CensusChange`): the sum of :attr:`CensusResult.changes`' days.
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
        status: What the solver proved. ``"optimal"``: no assignment of
            any weeks the clients could take beats :attr:`objective` (every
            client's every week was a candidate, each stage proven).
            ``"optimal_among_candidates"``: each stage proven over the
            candidate weeks (see the census explanation), and no single
            client's move to another week, everyone else held as they are,
            improves it. ``"feasible"``: a valid assignment, the best found
            before the limits ran out.
        objective: What it achieves.
        placements: The placed clients' weeks, by client id.
        unplaced: The clients not placed, with reasons, by waitlist.
        rosters: Every group day and one-to-one slot in use.
        changes: What changed from the clients' current weeks, one entry
            per client (see :class:`CensusChange`).
        bound: Level by level, what the solver proved no assignment over
            the candidate weeks can beat, each level given the levels before
            it as found; a level it did not prove carries the trivial bound
            (every client placed, zero otherwise). Equal to :attr:`objective`
            whenever the status is ``"optimal"``.
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
        # A slot's cadence is its session's (weeks A and B of a biweekly
        # consult); a track's day is held every week.
        cadence = {o.id: o.sessions[0] for o in self.census.program.offerings()}
        sessions = [
            Session(
                roster.weekday,
                roster.start,
                minute_of_day(roster.end) - minute_of_day(roster.start),
                roster.kind,
                title=roster.label if roster.group else roster.title,
                modality=Modality(roster.modality),  # type: ignore[arg-type]
                every_weeks=cadence[roster.offering].every_weeks,
                id=roster.offering,
                week_offset=cadence[roster.offering].week_offset,
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
            raise MissingExtraError("CensusResult.to_dataframe", "pandas", "pandas") from None
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
