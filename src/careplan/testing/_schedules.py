"""Session kinds, tracks, modalities, sessions, weekly schedules, programs and a client's week."""

from __future__ import annotations

import pendulum
from hypothesis import strategies as st

from careplan._model.constraints import BusyBlock, LifeConstraints
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.program import AgendaItem, Program, ProgramTrack
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Modality, Session
from careplan.testing._basics import TEXT, texts, timezones

_CODE = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)
# A plan holds one label per code, so declared custom codes (with a label
# made from the code) and undeclared ones (labelled by the code's words) are
# drawn from separate spaces: "x_" starts only the declared ones.
_UNDECLARED_CODE = _CODE.filter(lambda code: not code.startswith("x_"))
_DECLARED_CODE = _CODE.map(lambda code: f"x_{code}")


def _label(code: str) -> str:
    return f"{code[2:].replace('_', ' ').title()} ✓"


# Strategies are built once: building them inside every draw dominates run time.
# Custom kinds and tracks come declared (with a label) and undeclared.
KINDS = st.one_of(
    st.sampled_from(SessionKind.builtins()),
    _UNDECLARED_CODE.map(SessionKind.from_code),
    _DECLARED_CODE.map(lambda code: SessionKind(code, _label(code))),
)
TRACKS = st.one_of(
    st.sampled_from(TreatmentTrack.builtins()),
    _UNDECLARED_CODE.map(TreatmentTrack.from_code),
    _DECLARED_CODE.map(lambda code: TreatmentTrack(code, _label(code))),
)
_URLS = st.from_regex(
    r"https?://[a-z]{1,10}(\.example\.org)?(:[0-9]{2,4})?/[a-zA-Z0-9/?=&%._~-]{0,20}",
    fullmatch=True,
)
_MODALITIES = st.one_of(
    st.builds(Modality.in_person, st.none() | TEXT),
    st.builds(Modality.virtual, st.none() | _URLS),
)
_OPTIONAL_TRACKS = st.none() | TRACKS
_WEEKDAYS = st.sampled_from(list(pendulum.WeekDay))


def session_kinds() -> st.SearchStrategy[SessionKind]:
    """Built-in session kinds and, now and then, a custom one."""
    return KINDS


def treatment_tracks() -> st.SearchStrategy[TreatmentTrack]:
    """Built-in treatment tracks and, now and then, a custom one with its own label."""
    return TRACKS


def modalities() -> st.SearchStrategy[Modality]:
    """In-person and virtual modalities, with or without location and link."""
    return _MODALITIES


@st.composite
def sessions(
    draw: st.DrawFn,
    *,
    kinds: st.SearchStrategy[SessionKind] | None = None,
    max_every_weeks: int = 4,
    session_id: str | None = None,
) -> Session:
    """A weekly session that does not cross midnight, on a 5-minute grid.

    Sessions every few weeks get any week of their cadence (``week_offset``).
    """
    weekday = draw(_WEEKDAYS)
    start = draw(st.integers(0, 24 * 12 - 1)) * 5
    duration = draw(st.integers(1, min(48, (24 * 60 - start) // 5))) * 5
    kind = draw(kinds if kinds is not None else KINDS)
    extra = {} if session_id is None else {"id": session_id}
    every = draw(st.integers(1, max_every_weeks))
    return Session(
        weekday,
        pendulum.Time(start // 60, start % 60),
        duration,
        kind,
        track=draw(_OPTIONAL_TRACKS),
        modality=draw(_MODALITIES),
        title=draw(st.none() | texts(blank=True)),
        every_weeks=every,
        week_offset=draw(st.integers(0, every - 1)),
        **extra,
    )


@st.composite
def weekly_schedules(
    draw: st.DrawFn,
    *,
    timezone: st.SearchStrategy[str] | None = None,
    min_sessions: int = 0,
    max_sessions: int = 8,
    max_every_weeks: int = 4,
) -> WeeklySchedule:
    """A schedule with uniquely named sessions in a generated zone."""
    count = draw(st.integers(min_sessions, max_sessions))
    found = [
        draw(sessions(session_id=f"s{index}", max_every_weeks=max_every_weeks))
        for index in range(count)
    ]
    return WeeklySchedule(draw(timezone if timezone is not None else timezones()), found)


_GRID = st.integers(7 * 2, 21 * 2 - 1).map(lambda half_hours: half_hours * 30)


@st.composite
def programs(
    draw: st.DrawFn, *, max_tracks: int = 2, max_slots: int = 3, max_days: int = 3
) -> Program:
    """A small program: a few tracks on a few weekdays, and a few slots.

    Small enough that every subset of its offerings can be enumerated, which
    is what the planner's optimality test does.
    """
    weekdays = list(pendulum.WeekDay)[:5]
    tracks = []
    for part_index in range(draw(st.integers(1, max_tracks))):
        part = (DayPart.MORNING, DayPart.AFTERNOON, DayPart.EVENING)[part_index % 3]
        begin = {DayPart.MORNING: 9 * 60, DayPart.AFTERNOON: 13 * 60, DayPart.EVENING: 18 * 60}[
            part
        ]
        agenda = [
            AgendaItem(
                pendulum.Time(begin // 60, 0), 60 * draw(st.integers(1, 2)), SessionKind.CHECK_IN
            )
        ]
        group_start = begin + agenda[0].duration_minutes
        agenda.append(
            AgendaItem(
                pendulum.Time(group_start // 60, group_start % 60),
                draw(st.sampled_from((60, 90, 120))),
                SessionKind.GROUP_THERAPY,
            )
        )
        days = draw(st.lists(st.sampled_from(weekdays), min_size=1, max_size=max_days, unique=True))
        modes = draw(
            st.sampled_from(
                [
                    (Modality.in_person("Room 1"),),
                    (Modality.virtual("https://video.example.org/g"),),
                    (Modality.in_person("Room 1"), Modality.virtual("https://video.example.org/g")),
                ]
            )
        )
        tracks.append(ProgramTrack(part, days, agenda, modes))
    slots = []
    for index in range(draw(st.integers(0, max_slots))):
        minute = draw(_GRID)
        kind = draw(st.sampled_from((SessionKind.INDIVIDUAL_THERAPY, SessionKind.PSYCHIATRIC)))
        slots.append(
            Session(
                draw(st.sampled_from(weekdays)),
                pendulum.Time(minute // 60, minute % 60),
                draw(st.sampled_from((30, 60))),
                kind,
                modality=draw(
                    st.sampled_from(
                        (
                            Modality.in_person("Office 1"),
                            Modality.virtual("https://video.example.org/s"),
                        )
                    )
                ),
                every_weeks=draw(st.integers(1, 2)),
                id=f"slot{index}",
            )
        )
    return Program("Generated", draw(timezones()), tracks, slots, opens="06:00", closes="23:30")


@st.composite
def life_constraints(draw: st.DrawFn) -> LifeConstraints:
    """A client's week: a few busy blocks, preferences, modality and caps."""
    weekdays = list(pendulum.WeekDay)
    blocks = []
    for index in range(draw(st.integers(0, 3))):
        begin = draw(_GRID)
        length = draw(st.integers(1, 16)) * 30
        end = min(begin + length, 23 * 60 + 30)
        blocks.append(
            BusyBlock(
                f"busy {index}",
                draw(st.lists(st.sampled_from(weekdays), min_size=1, max_size=5, unique=True)),
                pendulum.Time(begin // 60, begin % 60),
                pendulum.Time(end // 60, end % 60),
                draw(st.sampled_from((0, 15, 30))),
            )
        )
    return LifeConstraints(
        blocks,
        draw(st.lists(st.sampled_from(list(DayPart)), max_size=2, unique=True)),
        draw(st.sampled_from(("either", "in_person", "virtual"))),
        draw(st.lists(st.sampled_from(weekdays), max_size=2, unique=True)),
        draw(st.none() | st.integers(2, 5)),
    )
