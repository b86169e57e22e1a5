"""Sample programs, built from the article's intensive outpatient program.

>>> program = sample_iop()
>>> sorted({o.sessions[0].day_part.value for o in program.offerings()})
['afternoon', 'evening', 'morning']
"""

from __future__ import annotations

import random

import pendulum

from careplan._model.constraints import BusyBlock, LifeConstraints
from careplan._model.continua import DEFAULT
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.program import AgendaItem, Program, ProgramTrack
from careplan._model.session import DayPart, Modality, Session
from careplan.census._values import Census, CensusClient, Room, Staff, WorkHours

__all__ = ["census_program", "sample_census", "sample_iop"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _block(start_hour: int, group_track: TreatmentTrack, workshop: SessionKind) -> list[AgendaItem]:
    """The article's sample day shifted to ``start_hour``: check-in, group, workshop."""
    return [
        AgendaItem(f"{start_hour:02d}:00", 30, SessionKind.CHECK_IN),
        AgendaItem(f"{start_hour:02d}:30", 90, SessionKind.GROUP_THERAPY, group_track),
        AgendaItem(f"{start_hour + 2:02d}:00", 60, workshop),
    ]


def _individual(day: str, time: str, office: Modality, video: Modality) -> list[Session]:
    """One-hour individual therapy at ``time``, in the office and by video."""
    return [
        Session(
            day,
            time,
            60,
            SessionKind.INDIVIDUAL_THERAPY,
            modality=modality,
            id=f"individual-{day[:3]}-{time.replace(':', '')}-{where}",
        )
        for modality, where in ((office, "office"), (video, "video"))
    ]


def _consults(day: str, time: str, office: Modality, video: Modality) -> list[Session]:
    """Fortnightly 30-minute psychiatric consults at ``time``: by video, and in the
    office before 21:00 (the evening consult is by video only: the doctor is not on site).
    """
    places = [(video, "video")] + ([(office, "office")] if time < "21:00" else [])
    return [
        Session(
            day,
            time,
            30,
            SessionKind.PSYCHIATRIC,
            modality=modality,
            every_weeks=2,
            id=f"psychiatric-{day[:3]}-{time.replace(':', '')}-{where}",
        )
        for modality, where in places
    ]


def sample_iop(timezone: str = "America/New_York") -> Program:
    """An IOP with morning, afternoon and evening tracks, in person and online.

    - Morning track 09:00–12:00 and afternoon track 13:00–16:00, Monday to
      Friday; evening track 18:00–21:00, Monday to Thursday. Each is a
      check-in, a 90-minute group and a life-skills or psychoeducation hour,
      offered in person and by video.
    - Individual therapy (60 minutes) right after each track, in person or
      by video; psychiatric consults (30 minutes, every other week) after
      each track on Tuesday and Thursday, in person or by video (evenings by
      video only).
    """
    room = Modality.in_person("Main campus, group room 2")
    office = Modality.in_person("Main campus, office 14")
    video = Modality.virtual("https://telehealth.example.org/iop")
    tracks = [
        ProgramTrack(
            DayPart.MORNING,
            _WEEKDAYS,
            _block(9, TreatmentTrack.CBT, SessionKind.LIFE_SKILLS),
            [room, video],
        ),
        ProgramTrack(
            DayPart.AFTERNOON,
            _WEEKDAYS,
            _block(13, TreatmentTrack.DBT, SessionKind.PSYCHOEDUCATION),
            [room, video],
        ),
        ProgramTrack(
            DayPart.EVENING,
            _WEEKDAYS[:4],
            _block(18, TreatmentTrack.RELAPSE_PREVENTION, SessionKind.LIFE_SKILLS),
            [room, video],
        ),
    ]
    slots = []
    for day in _WEEKDAYS:
        for time in ("12:00", "16:00") + (("21:00",) if day != "friday" else ()):
            slots += _individual(day, time, office, video)
    for day in ("tuesday", "thursday"):
        for time in ("12:00", "16:00", "21:00"):
            slots += _consults(day, time, office, video)
    return Program(
        "Sample IOP",
        timezone,
        tracks,
        slots,
        levels=("OP", "IOP"),
        opens="08:00",
        closes="22:00",
    )


def census_program(timezone: str = "America/New_York", *, capacity: int = 12) -> Program:
    """An IOP sized for a census: three tracks of ``capacity`` seats, many one-to-one slots.

    The morning (09:00–12:00), afternoon (13:00–16:00) and evening
    (18:00–21:00) tracks of :func:`sample_iop`, Monday to Friday, in person
    and by video; individual therapy (60 minutes) at 12:00, 16:00 and 21:00
    and psychiatric consults (30 minutes) at 12:00, 12:30, 16:00, 16:30 and
    21:00 (evenings by video only), Monday to Friday.
    """
    base = sample_iop(timezone)
    tracks = [
        ProgramTrack(
            track.day_part,
            _WEEKDAYS,
            track.agenda,
            track.modalities,
            capacity=capacity,
            name=f"{track.day_part.value.capitalize()} group",
        )
        for track in base.tracks
    ]
    office = Modality.in_person("Main campus, office 14")
    video = Modality.virtual("https://telehealth.example.org/iop")
    slots = []
    for day in _WEEKDAYS:
        for time in ("12:00", "16:00", "21:00"):
            slots += _individual(day, time, office, video)
        for time in ("12:00", "12:30", "16:00", "16:30", "21:00"):
            slots += _consults(day, time, office, video)
    return Program(
        "Census IOP", timezone, tracks, slots, levels=("OP", "IOP"), opens="08:00", closes="22:00"
    )


def sample_census(clients: int = 40, *, seed: int = 0, capacity: int = 12) -> Census:
    """A census of ``clients`` IOP clients, six therapists, two prescribers and four rooms.

    Clients' weeks are drawn from a few common shapes (day jobs, morning
    classes, school pickups, evenings with children, none) by a seeded
    generator, so the same arguments always give the same census.

    >>> census = sample_census(12)
    >>> (len(census.clients), len(census.staff), len(census.rooms))
    (12, 8, 4)
    """
    draw = random.Random(seed)
    weekdays = list(_WEEKDAYS)
    shapes = [
        [],
        [BusyBlock("work", weekdays, "09:00", "17:00", 30)],
        [BusyBlock("classes", weekdays, "08:00", "12:00", 30)],
        [BusyBlock("school pickup", weekdays, "15:00", "19:30", 15)],
        [BusyBlock("work", weekdays, "12:30", "20:00", 30)],
        [BusyBlock("night shift", ["monday", "tuesday", "wednesday"], "19:00", "07:00", 30)],
    ]
    parts = [(), (DayPart.MORNING,), (DayPart.EVENING,), (DayPart.AFTERNOON,)]
    people = []
    for index in range(clients):
        people.append(
            CensusClient(
                f"client-{index + 1:03d}",
                DEFAULT["IOP"],
                LifeConstraints(
                    draw.choice(shapes),
                    draw.choice(parts),
                    draw.choice(("either", "either", "in_person", "virtual")),
                ),
                admitted=pendulum.date(2027, 1, 4).subtract(days=clients - index),
            )
        )
    full_time = [WorkHours(weekdays, "08:30", "17:00")]
    late = [WorkHours(weekdays, "12:00", "22:00")]
    staff = [
        Staff(f"therapist-{n}", "therapist", ["therapist"], full_time if n <= 3 else late)
        for n in range(1, 7)
    ]
    staff += [
        Staff(
            "psychiatrist", "psychiatrist", ["prescriber"], [WorkHours(weekdays, "11:30", "17:00")]
        ),
        Staff("nurse-practitioner", "psychiatric nurse practitioner", ["prescriber"], late),
    ]
    rooms = [
        Room("group-a", capacity, "Group room A"),
        Room("group-b", capacity, "Group room B"),
        Room("office-14", 1, "Office 14"),
        Room("office-15", 1, "Office 15"),
    ]
    return Census(census_program(capacity=capacity), people, staff, rooms)
