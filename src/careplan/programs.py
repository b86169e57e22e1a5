"""Sample programs, built from the article's intensive outpatient program.

>>> program = sample_iop()
>>> sorted({o.sessions[0].day_part.value for o in program.offerings()})
['afternoon', 'evening', 'morning']
"""

from __future__ import annotations

from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.program import AgendaItem, Program, ProgramTrack
from careplan._model.session import DayPart, Modality, Session

__all__ = ["sample_iop"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _block(start_hour: int, group_track: TreatmentTrack, workshop: SessionKind) -> list[AgendaItem]:
    """The article's sample day shifted to ``start_hour``: check-in, group, workshop."""
    return [
        AgendaItem(f"{start_hour:02d}:00", 30, SessionKind.CHECK_IN),
        AgendaItem(f"{start_hour:02d}:30", 90, SessionKind.GROUP_THERAPY, group_track),
        AgendaItem(f"{start_hour + 2:02d}:00", 60, workshop),
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
            for modality, where in ((office, "office"), (video, "video")):
                slots.append(
                    Session(
                        day,
                        time,
                        60,
                        SessionKind.INDIVIDUAL_THERAPY,
                        modality=modality,
                        id=f"individual-{day[:3]}-{time.replace(':', '')}-{where}",
                    )
                )
    for day in ("tuesday", "thursday"):
        for time in ("12:00", "16:00", "21:00"):
            # The evening consult is by video only: the doctor is not on site.
            places = [(video, "video")] + ([(office, "office")] if time != "21:00" else [])
            for modality, where in places:
                slots.append(
                    Session(
                        day,
                        time,
                        30,
                        SessionKind.PSYCHIATRIC,
                        modality=modality,
                        every_weeks=2,
                        id=f"psychiatric-{day[:3]}-{time.replace(':', '')}-{where}",
                    )
                )
    return Program(
        "Sample IOP",
        timezone,
        tracks,
        slots,
        levels=("OP", "IOP"),
        opens="08:00",
        closes="22:00",
    )
