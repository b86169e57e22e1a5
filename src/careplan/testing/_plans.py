"""Continua and their levels, care plans, their histories of moves and their attendance."""

from __future__ import annotations

import typing

import pendulum
from hypothesis import strategies as st

from careplan._model.attendance import Attendance, AttendanceStatus, Authorization
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule
from careplan._model.continua import BUILTIN_CONTINUA
from careplan._model.errors import TransitionError
from careplan._model.levels import Continuum, Intensity, LevelOfCare, Range, RequiredComponent
from careplan._model.plan import CarePlan, CareTeamMember, Client, Goal, RelapsePreventionPlan
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import to_instant
from careplan._model.transition import Referral, TransitionReason
from careplan._operations.transitions import (
    change_schedule,
    discharge,
    step_down,
    step_up,
)
from careplan.testing._basics import MULTILINE, TEXT, dates, texts
from careplan.testing._schedules import KINDS, TRACKS, weekly_schedules

_OPTIONAL_TEXT = st.none() | TEXT


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
_REQUIRED = st.lists(st.builds(RequiredComponent, KINDS, st.integers(1, 4)), max_size=3)
_SHORT_TEXTS = st.lists(TEXT, max_size=2)
_CONTINUUM_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_ -]{0,15}", fullmatch=True)
_BUILTIN_POOL = st.sampled_from(list(BUILTIN_CONTINUA.values()))
_PLAN_TRACKS = st.lists(TRACKS, max_size=3, unique_by=lambda t: t.code)
_DIAGNOSES = st.lists(st.from_regex(r"[A-Z][0-9]{2}(\.[0-9]{1,2})?", fullmatch=True), max_size=2)
_CARE_TEAMS = st.lists(st.builds(CareTeamMember, TEXT, TEXT), max_size=2)
_NOTES = st.lists(MULTILINE, max_size=2)
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
            draw(TEXT),
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
        client=Client(draw(TEXT), draw(_OPTIONAL_TEXT)),
        level=level,
        schedule=schedule,
        start=start,
        end=end,
        continuum=continuum,
        tracks=draw(_PLAN_TRACKS),
        goals=draw(
            st.lists(
                st.builds(Goal, st.none(), MULTILINE, _MEASURES, st.none() | period), max_size=2
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
