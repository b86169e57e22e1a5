"""Hypothesis strategies for careplan values, for your own property tests.

Install the ``testing`` extra (from a checkout, ``pip install -e '.[testing]'``). Every
strategy yields valid values (constructors accept them); validation may
still report violations, as it would for a real draft plan.

>>> from hypothesis import given
>>> from careplan.testing import care_plans
>>> @given(care_plans())
... def test_plans_expand(plan):
...     assert list(plan.occurrences()) == sorted(plan.occurrences(), key=lambda o: o.start)
>>> test_plans_expand()
"""

from __future__ import annotations

import datetime as _dt
import typing

from careplan._model.errors import MissingExtraError

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - depends on the environment
    raise MissingExtraError("careplan.testing", "Hypothesis", "testing") from error

import attrs
import pendulum

from careplan._model import safety
from careplan._model.attendance import Attendance, AttendanceStatus, Authorization
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule
from careplan._model.care import (
    Achievement,
    CareRole,
    Coding,
    GoalStatus,
    Intervention,
    Problem,
    Target,
    TreatmentObjective,
)
from careplan._model.constraints import BusyBlock, LifeConstraints
from careplan._model.continua import BUILTIN_CONTINUA
from careplan._model.errors import TransitionError
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.levels import Continuum, Intensity, LevelOfCare, Range, RequiredComponent
from careplan._model.measures import BUILTIN_INSTRUMENTS, Band, Instrument, Measurement
from careplan._model.plan import CarePlan, CareTeamMember, Client, Goal, RelapsePreventionPlan
from careplan._model.program import AgendaItem, Program, ProgramTrack
from careplan._model.review import (
    Review,
    ReviewOutcome,
    Signature,
    SignaturePurpose,
    SignerRole,
)
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Modality, Session
from careplan._model.time import to_instant
from careplan._model.transition import Referral, TransitionReason
from careplan._operations.transitions import (
    change_schedule,
    discharge,
    step_down,
    step_up,
)

__all__ = [
    "DST_ZONES",
    "NO_DST_ZONES",
    "attendance_records",
    "care_plans",
    "continua",
    "dates",
    "histories",
    "instruments",
    "levels_on_continua",
    "life_constraints",
    "modalities",
    "plans_of_care",
    "problems",
    "programs",
    "safety_records",
    "session_kinds",
    "sessions",
    "texts",
    "timezones",
    "treatment_tracks",
    "weekly_schedules",
]

#: Zones with daylight saving time, both hemispheres, including a 30-minute
#: shift (Lord Howe) and a change at midnight (Santiago).
DST_ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/Berlin",
    "Europe/London",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "America/Santiago",
)
#: Zones without daylight saving time.
NO_DST_ZONES = ("UTC", "Asia/Tokyo", "Asia/Kolkata", "America/Sao_Paulo", "Africa/Nairobi")

# What a text field holds: anything but control characters, lone surrogates
# and line separators; multi-line fields also tabs and line feeds.
_CHARACTERS = st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp"))
_TEXT = st.text(_CHARACTERS, min_size=1, max_size=30).filter(lambda s: s.strip() != "")
_MULTILINE = st.text(_CHARACTERS | st.sampled_from("\t\n"), min_size=1, max_size=30).filter(
    lambda s: s.strip() != ""
)


def texts(*, multiline: bool = False, blank: bool = False) -> st.SearchStrategy[str]:
    """Text every text field accepts: any character but control characters, lone
    surrogates and line separators (``multiline``: also tabs and line feeds).

    ``blank`` also draws empty and all-space text, which only some fields take.
    """
    found = _MULTILINE if multiline else _TEXT
    return found | st.sampled_from(("", " ")) if blank else found


def timezones(*, dst: bool | None = None) -> st.SearchStrategy[str]:
    """IANA zone names; ``dst=True`` only zones with DST, ``False`` only without."""
    if dst is True:
        return st.sampled_from(DST_ZONES)
    if dst is False:
        return st.sampled_from(NO_DST_ZONES)
    return st.sampled_from(DST_ZONES + NO_DST_ZONES)


_EARLIEST = pendulum.date(2024, 1, 1)
_LATEST = pendulum.date(2030, 12, 31)


def dates(
    min_value: _dt.date = _EARLIEST,
    max_value: _dt.date = _LATEST,
) -> st.SearchStrategy[pendulum.Date]:
    """Calendar dates as pendulum Dates."""
    return st.dates(min_value, max_value).map(lambda d: pendulum.Date(d.year, d.month, d.day))


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
_KINDS = st.one_of(
    st.sampled_from(SessionKind.builtins()),
    _UNDECLARED_CODE.map(SessionKind.from_code),
    _DECLARED_CODE.map(lambda code: SessionKind(code, _label(code))),
)
_TRACKS = st.one_of(
    st.sampled_from(TreatmentTrack.builtins()),
    _UNDECLARED_CODE.map(TreatmentTrack.from_code),
    _DECLARED_CODE.map(lambda code: TreatmentTrack(code, _label(code))),
)
_URLS = st.from_regex(
    r"https?://[a-z]{1,10}(\.example\.org)?(:[0-9]{2,4})?/[a-zA-Z0-9/?=&%._~-]{0,20}",
    fullmatch=True,
)
_MODALITIES = st.one_of(
    st.builds(Modality.in_person, st.none() | _TEXT),
    st.builds(Modality.virtual, st.none() | _URLS),
)
_OPTIONAL_TRACKS = st.none() | _TRACKS
_OPTIONAL_TEXT = st.none() | _TEXT
_WEEKDAYS = st.sampled_from(list(pendulum.WeekDay))


def session_kinds() -> st.SearchStrategy[SessionKind]:
    """Built-in session kinds and, now and then, a custom one."""
    return _KINDS


def treatment_tracks() -> st.SearchStrategy[TreatmentTrack]:
    """Built-in treatment tracks and, now and then, a custom one with its own label."""
    return _TRACKS


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
    kind = draw(kinds if kinds is not None else _KINDS)
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


def _range(low: float | None, high: float | None, exclusive: bool) -> Range:
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Range(low, high, "exclusive" if exclusive and high is not None else "inclusive")


_BOUND = st.none() | st.integers(0, 30).map(float)
_RANGES = st.builds(_range, _BOUND, _BOUND, st.booleans())
_INTENSITIES = st.builds(Intensity, _RANGES, _RANGES, _RANGES)
_LEVEL_CODES = st.lists(
    st.from_regex(r"[A-Z][A-Z0-9.]{0,5}", fullmatch=True), min_size=1, max_size=6, unique=True
)
_REQUIRED = st.lists(st.builds(RequiredComponent, _KINDS, st.integers(1, 4)), max_size=3)
_SHORT_TEXTS = st.lists(_TEXT, max_size=2)
_CONTINUUM_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_ -]{0,15}", fullmatch=True)
_BUILTIN_POOL = st.sampled_from(list(BUILTIN_CONTINUA.values()))
_PLAN_TRACKS = st.lists(_TRACKS, max_size=3, unique_by=lambda t: t.code)
_DIAGNOSES = st.lists(st.from_regex(r"[A-Z][0-9]{2}(\.[0-9]{1,2})?", fullmatch=True), max_size=2)
_CARE_TEAMS = st.lists(st.builds(CareTeamMember, _TEXT, _TEXT), max_size=2)
_NOTES = st.lists(_MULTILINE, max_size=2)
_RELAPSE_PLANS = st.none() | st.builds(RelapsePreventionPlan, _NOTES, _NOTES, _NOTES, _NOTES)
_MEASURES = texts(multiline=True, blank=True)
_REASONS = texts(blank=True)


@st.composite
def continua(draw: st.DrawFn) -> Continuum:
    """A user-defined continuum of one to six levels with unique codes and ranks.

    Some levels name default step targets (any level ranked beyond them, or none).
    """
    codes = draw(_LEVEL_CODES)
    ranks = draw(
        st.lists(st.integers(0, 100), min_size=len(codes), max_size=len(codes), unique=True)
    )
    levels = [
        LevelOfCare(
            code,
            draw(_TEXT),
            float(rank),
            draw(_INTENSITIES),
            overnight=draw(st.booleans()),
            best_for=draw(_SHORT_TEXTS),
            required=draw(_REQUIRED),
        )
        for code, rank in zip(codes, ranks, strict=False)
    ]
    # Some levels name their default moves: any level beyond them that way, or none.
    down: dict[str, str | None] = {}
    up: dict[str, str | None] = {}
    for level in levels:
        lower = [other.code for other in levels if other.rank < level.rank]
        higher = [other.code for other in levels if other.rank > level.rank]
        if draw(st.booleans()):
            down[level.code] = draw(st.none() | st.sampled_from(lower)) if lower else None
        if draw(st.booleans()):
            up[level.code] = draw(st.none() | st.sampled_from(higher)) if higher else None
    return Continuum(draw(_CONTINUUM_NAMES), levels, down, up)


@st.composite
def levels_on_continua(draw: st.DrawFn, *, custom: bool = True) -> tuple[Continuum, LevelOfCare]:
    """A continuum (built-in, or generated when ``custom``) and one of its levels."""
    continuum = draw(_BUILTIN_POOL | continua() if custom else _BUILTIN_POOL)
    return continuum, draw(st.sampled_from(continuum.levels))


@st.composite
def care_plans(
    draw: st.DrawFn,
    *,
    schedules: st.SearchStrategy[WeeklySchedule] | None = None,
    max_weeks: int = 16,
    custom_continua: bool = True,
    changes: bool = True,
    history: bool = True,
) -> CarePlan:
    """A care plan with a generated schedule, period, closures and changes.

    Args:
        schedules: Where the weekly schedule comes from.
        max_weeks: The longest period generated.
        custom_continua: Also draw user-defined continua.
        changes: Also draw cancellations and reschedules of real occurrences.
        history: Also draw valid step ups, step downs, schedule changes and a
            discharge.
    """
    schedule = draw(schedules if schedules is not None else weekly_schedules())
    continuum, level = draw(levels_on_continua(custom=custom_continua))
    start = draw(dates())
    end = start.add(days=draw(st.integers(0, max_weeks * 7)))
    period = st.integers(0, (end - start).days).map(lambda n: start.add(days=n))
    closures = [
        Closure(day, draw(_REASONS)) for day in draw(st.lists(period, max_size=3, unique=True))
    ]
    holds = [
        Hold(first, first.add(days=draw(st.integers(0, 10))), draw(_REASONS))
        for first in draw(st.lists(period, max_size=1))
    ]
    cancellations: list[Cancellation] = []
    reschedules: list[Reschedule] = []
    if changes and schedule.sessions:
        base = schedule.occurrences(start, end, closures=closures)
        if base:
            picked = draw(st.lists(st.sampled_from(base), max_size=3, unique_by=lambda o: o.key))
            for occurrence in picked:
                if draw(st.booleans()):
                    cancellations.append(
                        Cancellation(occurrence.session.id, occurrence.scheduled_on, draw(_REASONS))
                    )
                else:
                    day = draw(period)
                    minute = draw(st.integers(6 * 12, 20 * 12)) * 5
                    moved_to = to_instant(
                        day, pendulum.Time(minute // 60, minute % 60), schedule.timezone
                    )
                    minutes = draw(st.none() | st.integers(1, 180))
                    reschedules.append(
                        Reschedule(
                            occurrence.session.id,
                            occurrence.scheduled_on,
                            moved_to,
                            minutes,
                            draw(_REASONS),
                        )
                    )
    plan = CarePlan(
        client=Client(draw(_TEXT), draw(_OPTIONAL_TEXT)),
        level=level,
        schedule=schedule,
        start=start,
        end=end,
        continuum=continuum,
        tracks=draw(_PLAN_TRACKS),
        goals=draw(
            st.lists(
                st.builds(Goal, st.none(), _MULTILINE, _MEASURES, st.none() | period), max_size=2
            )
        ),
        diagnoses=draw(_DIAGNOSES),
        care_team=draw(_CARE_TEAMS),
        relapse_prevention=draw(_RELAPSE_PLANS),
        closures=closures,
        cancellations=cancellations,
        reschedules=reschedules,
        id=draw(st.uuids()).hex,
        holds=holds,
        readmission_of=draw(st.none() | st.uuids().map(lambda u: u.hex)),
        authorizations=draw(_authorizations(continuum, start, end)),
    )
    return draw(histories(plan)) if history else plan


def _authorizations(
    continuum: Continuum, start: pendulum.Date, end: pendulum.Date
) -> st.SearchStrategy[list[Authorization]]:
    days = st.integers(0, (end - start).days).map(lambda n: start.add(days=n))
    one = st.builds(
        lambda level, first, length, units, unit, status, payer, reference: Authorization(
            level, first, first.add(days=length), units, unit, status, payer, reference
        ),
        st.sampled_from(continuum.codes),
        days,
        st.integers(0, 60),
        st.integers(0, 200),
        st.sampled_from(("days", "sessions")),
        st.sampled_from(("active", "pending", "denied", "expired")),
        _REASONS,
        _REASONS,
    )
    return st.lists(one, max_size=2)


_MOVES = st.sampled_from(("step_up", "step_down", "lateral", "discharge"))


@st.composite
def histories(draw: st.DrawFn, plan: CarePlan, *, max_moves: int = 3) -> CarePlan:
    """``plan`` after a generated sequence of valid transitions.

    Each move takes effect on the day of the one before or later (several
    moves on one day happen in order); moves that cannot apply (a step up at
    the top of the continuum) are skipped. A discharge may refer the client
    to a level of the continuum.
    """
    for _ in range(draw(st.integers(0, max_moves))):
        if plan.discharged:
            break
        last = plan.transitions[-1].on if plan.transitions else plan.start
        room = (plan.end - last).days
        if room < 0:
            break
        day = last.add(days=draw(st.integers(0, room)))
        move = draw(_MOVES)
        schedule = draw(
            st.none() | weekly_schedules(timezone=st.just(plan.timezone), max_sessions=5)
        )
        try:
            if move == "discharge":
                referral = draw(
                    st.none()
                    | st.builds(
                        Referral,
                        st.sampled_from(plan.continuum.codes),
                        _REASONS,
                    )
                )
                plan = discharge(
                    plan,
                    on=day,
                    reason=draw(_reasons("discharge")),
                    referral=referral,
                    note=draw(_MEASURES),
                )
            elif move == "lateral":
                plan = change_schedule(
                    plan,
                    on=day,
                    schedule=schedule or plan.schedule,
                    reason="schedule_change",
                    note=draw(_MEASURES),
                )
            else:
                step = step_up if move == "step_up" else step_down
                plan = step(
                    plan,
                    on=day,
                    reason=draw(_reasons(move)),
                    schedule=schedule,
                    note=draw(_MEASURES),
                )
        except TransitionError:
            continue
    return plan


def _reasons(direction: str) -> st.SearchStrategy[TransitionReason]:
    return st.sampled_from([r for r in TransitionReason.builtins() if r.direction == direction])


_STATUSES: tuple[AttendanceStatus, ...] = typing.get_args(AttendanceStatus)


@st.composite
def attendance_records(draw: st.DrawFn, plan: CarePlan) -> CarePlan:
    """``plan`` with attendance recorded for some of its occurrences, any status.

    Late arrivals and early departures miss up to the whole session.
    """
    found = plan.occurrences()
    if not found:
        return plan
    picked = draw(st.lists(st.sampled_from(found), max_size=40, unique_by=lambda o: o.key))
    records = []
    for occurrence in picked:
        status = draw(st.sampled_from(_STATUSES))
        minutes = (
            draw(st.integers(0, occurrence.minutes)) if status in ("late", "left_early") else 0
        )
        records.append(
            Attendance(
                occurrence.session.id, occurrence.scheduled_on, status, minutes, draw(_MEASURES)
            )
        )
    return plan.with_attendance(*records)


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


# --- the plan of care --------------------------------------------------------

_IDS = st.from_regex(r"[a-z][a-z0-9\-]{0,8}", fullmatch=True)
_CLINICAL_TEXT = st.sampled_from(
    ("Depressed mood", "Alcohol use", "Sleep", "Anxiety before work", "Cravings at night")
)
_CODINGS = st.none() | st.builds(
    Coding,
    st.sampled_from(("ICD-10-CM", "SNOMED CT")),
    st.sampled_from(("F33.1", "F10.20", "F41.1", "35489007")),
)


@st.composite
def problems(draw: st.DrawFn, *, id: st.SearchStrategy[str] = _IDS) -> Problem:
    """A problem with a generated id, text, and now and then a coded condition."""
    return Problem(
        draw(id),
        draw(_CLINICAL_TEXT),
        draw(st.sampled_from(("", "I feel stuck"))),
        draw(_CODINGS),
    )


@st.composite
def instruments(draw: st.DrawFn) -> Instrument:
    """A user-defined instrument: a score range, bands across it, response and worsening."""
    low = draw(st.integers(0, 5))
    high = low + draw(st.integers(4, 40))
    middle = draw(st.integers(low, high - 1))
    return Instrument(
        draw(st.from_regex(r"X[A-Z]{1,4}-[0-9]{1,2}", fullmatch=True)),
        "A clinic's own scale",
        low,
        high,
        loinc=draw(st.none() | st.just("99999-9")),
        bands=(Band(low, middle, "lower"), Band(middle + 1, high, "higher")),
        lower_is_better=draw(st.booleans()),
        response_drop=draw(st.none() | st.sampled_from((0.5, 0.3))),
        remission_below=draw(st.none() | st.just(float(middle))),
        worsening=draw(st.none() | st.integers(1, 5).map(float)),
    )


_GOAL_STATUSES: tuple[GoalStatus, ...] = ("proposed", "active", "on_hold", "completed", "cancelled")
_ACHIEVEMENTS: tuple[Achievement, ...] = ("in_progress", "improving", "achieved", "not_achieved")
_ROLES: tuple[CareRole, ...] = (
    "therapist",
    "psychiatrist",
    "case_manager",
    "peer_support",
    "nurse",
)
_OUTCOMES: tuple[ReviewOutcome, ...] = ("continue", "revise", "step_up", "step_down", "discharge")
_SIGNERS: tuple[SignerRole, ...] = ("client", "guardian", "clinician", "physician")


@st.composite
def plans_of_care(draw: st.DrawFn, plan: CarePlan, *, max_records: int = 4) -> CarePlan:
    """``plan`` with a generated plan of care whose references all hold.

    Problems, goals (linked to problems), objectives (some with PHQ-9, GAD-7,
    user-instrument or attendance targets), interventions through the
    session kinds of the plan's schedules (and now and then another kind),
    reviews, signatures, measurements within each instrument's range, and
    now and then a revision. Links may be missing (a goal with no objective):
    those are what the golden-thread rules report.
    """
    period = st.integers(0, max((plan.end - plan.start).days, 0)).map(
        lambda n: plan.start.add(days=n)
    )
    own = draw(st.lists(instruments(), max_size=1, unique_by=lambda i: i.code))
    known = {**BUILTIN_INSTRUMENTS, **{i.code: i for i in own}}
    found_problems = draw(st.lists(problems(), max_size=max_records, unique_by=lambda p: p.id))
    problem_ids = [p.id for p in found_problems]
    goal_ids = draw(st.lists(_IDS, min_size=0, max_size=max_records, unique=True))
    goals = [
        Goal(
            goal_id,
            draw(_CLINICAL_TEXT),
            "",
            draw(st.none() | period),
            problems=draw(st.lists(st.sampled_from(problem_ids), max_size=2, unique=True))
            if problem_ids
            else (),
            status=draw(st.none() | st.sampled_from(_GOAL_STATUSES)),
            achievement=draw(st.none() | st.sampled_from(_ACHIEVEMENTS)),
        )
        for goal_id in goal_ids
    ]
    kinds = list(dict.fromkeys(s.kind for e in plan.episodes for s in e.schedule.sessions)) or [
        SessionKind.GROUP_THERAPY
    ]
    objectives = []
    if goal_ids:
        for objective_id in draw(st.lists(_IDS, max_size=max_records, unique=True)):
            measure = draw(st.sampled_from([*known, "attendance", "none"]))
            target = None
            if measure == "attendance":
                target = Target.attendance(
                    at_least=draw(st.integers(50, 100)),
                    kinds=draw(st.lists(st.sampled_from(kinds), max_size=2, unique=True)),
                )
            elif measure != "none":
                instrument = known[measure]
                value = draw(st.integers(int(instrument.minimum), int(instrument.maximum)))
                target = Target(
                    measure, draw(st.sampled_from(("below", "at_most", "at_least", "above"))), value
                )
            objectives.append(
                TreatmentObjective(
                    objective_id,
                    draw(st.sampled_from(goal_ids)),
                    "An observable step",
                    draw(st.none() | period),
                    target,
                    draw(st.sampled_from(_GOAL_STATUSES)),
                )
            )
    objective_ids = [o.id for o in objectives]
    levels = list(plan.continuum.codes)
    interventions = [
        Intervention(
            intervention_id,
            "What the team does",
            draw(st.lists(st.sampled_from(objective_ids), max_size=2, unique=True))
            if objective_ids
            else (),
            kinds=draw(
                st.lists(
                    st.sampled_from([*kinds, SessionKind.FAMILY_THERAPY]), max_size=2, unique=True
                )
            ),
            times=draw(st.integers(1, 4)),
            every_weeks=draw(st.integers(1, 2)),
            role=draw(st.sampled_from(_ROLES)),
            levels=draw(st.lists(st.sampled_from(levels), max_size=1)),
        )
        for intervention_id in draw(st.lists(_IDS, max_size=max_records, unique=True))
    ]
    measurements = []
    for code in draw(st.lists(st.sampled_from(list(known)), max_size=2, unique=True)):
        instrument = known[code]
        for day in draw(st.lists(period, max_size=4, unique=True)):
            score = draw(st.integers(int(instrument.minimum), int(instrument.maximum)))
            measurements.append(Measurement(code, score, day))
    reviews = [
        Review(day, draw(st.sampled_from(_ROLES)), draw(st.sampled_from(_OUTCOMES)))
        for day in sorted(draw(st.lists(period, max_size=2)))
    ]
    signatures = []
    for role in draw(st.lists(st.sampled_from(_SIGNERS), max_size=3, unique=True)):
        purpose: SignaturePurpose = (
            draw(st.sampled_from(("plan", "certification"))) if role == "physician" else "plan"
        )
        signatures.append(Signature(draw(period), role, purpose=purpose))
    result = attrs.evolve(
        plan,
        problems=found_problems,
        goals=goals,
        objectives=objectives,
        interventions=interventions,
        measurements=measurements,
        reviews=reviews,
        signatures=signatures,
        instruments=own,
    )
    if draw(st.booleans()) and objectives:
        # A revision: the last objective was added on a day of the plan.
        result = attrs.evolve(
            result,
            objectives=objectives[:-1],
            interventions=[
                attrs.evolve(i, objectives=tuple(o for o in i.objectives if o != objectives[-1].id))
                for i in interventions
            ],
        ).revise(draw(period), objectives=objectives, interventions=interventions)
    return result


# --- suicide-risk records ------------------------------------------------------


@st.composite
def _questionnaires(draw: st.DrawFn) -> safety.Questionnaire:
    """A clinic's own questionnaire: one to four items, now and then a suicide item."""
    items = [
        safety.Item(number, f"9999{number}-{number}", draw(st.integers(1, 5)))
        for number in range(1, draw(st.integers(1, 4)) + 1)
    ]
    suicide = draw(st.lists(st.sampled_from([i.number for i in items]), max_size=1))
    return safety.Questionnaire(draw(st.from_regex(r"X[A-Z]{1,4}", fullmatch=True)), items, suicide)


@st.composite
def _cssrs(draw: st.DrawFn, on: pendulum.Date) -> safety.CSSRSScreen:
    thoughts = draw(st.booleans())
    behavior = draw(st.booleans())
    method, intent, plan = (draw(st.booleans()) if thoughts else None for _ in range(3))
    return safety.CSSRSScreen(
        on,
        draw(st.booleans()),
        thoughts,
        method=method,
        intent=intent,
        plan=plan,
        behavior=behavior,
        behavior_past_3_months=draw(st.booleans()) if behavior else None,
    )


@st.composite
def safety_records(
    draw: st.DrawFn, *, start: _dt.date = _EARLIEST, days: int = 90, blank: bool = False
) -> safety.SafetyRecord:
    """A client's suicide-risk records on the ``days`` days from ``start``.

    Screens (PHQ-9 and GAD-7 by item, a clinic's own questionnaire, the
    C-SSRS Screener), risk assessments (with and without a next screening
    day and a note) and safety plans (entries in some sections, signatures,
    reviews). ``blank`` also draws all-space notes and entries, which some
    formats do not carry (FHIR has no blank strings).
    """
    first = pendulum.Date(start.year, start.month, start.day)
    on = st.integers(0, days).map(lambda n: first.add(days=n))
    own = draw(_questionnaires())
    screens: list[safety.ItemAnswers | safety.CSSRSScreen] = []
    for kind in draw(st.lists(st.sampled_from(("PHQ-9", "GAD-7", "own", "C-SSRS")), max_size=4)):
        if kind == "C-SSRS":
            screens.append(draw(_cssrs(draw(on))))
            continue
        questionnaire = {"PHQ-9": safety.PHQ_9_ITEMS, "GAD-7": safety.GAD_7_ITEMS}.get(kind, own)
        answers = [draw(st.integers(0, item.most)) for item in questionnaire.items]
        screens.append(safety.ItemAnswers(questionnaire, draw(on), answers))
    notes = st.just("") | texts(multiline=True, blank=blank)
    entries = st.lists(texts(blank=blank), max_size=2)
    assessments = [
        safety.RiskAssessment(
            draw(on),
            draw(st.sampled_from(_ROLES)),
            draw(st.sampled_from(safety.RISK_LEVELS)),
            draw(st.sampled_from(("clinical_interview", "cssrs_full"))),
            draw(st.none() | on),
            draw(notes),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    plans = [
        safety.SafetyPlan(
            draw(on),
            warning_signs=draw(entries),
            coping_strategies=draw(entries),
            distractions=draw(entries),
            people_to_ask=draw(entries),
            professionals=draw(entries),
            safe_environment=draw(entries),
            reasons_for_living=draw(entries),
            client_signed=draw(st.none() | on),
            clinician_signed=draw(st.none() | on),
            reviewed=draw(st.lists(on, max_size=2)),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return safety.SafetyRecord(screens, assessments, plans)
