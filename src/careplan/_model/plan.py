"""The care plan and the people and goals it is about."""

from __future__ import annotations

import datetime as _dt
import functools
import uuid
from collections.abc import Iterable
from typing import Any, Protocol

import attrs
import pendulum

from careplan._model.attendance import Attendance, AttendanceStatus, Authorization
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule
from careplan._model.care import (
    CareRevision,
    Goal,
    Intervention,
    PlanOfCare,
    Problem,
    TreatmentObjective,
)
from careplan._model.checks import (
    date,
    hidden,
)
from careplan._model.constraints import LifeConstraints, ObjectiveName
from careplan._model.errors import InvalidValueError, MissingExtraError, UnknownLevelError
from careplan._model.expansion import occurrences
from careplan._model.hooks import Hook
from careplan._model.kinds import (
    SessionKind,
    TreatmentTrack,
    one_label_per_code,
)
from careplan._model.levels import Continuum, LevelOfCare
from careplan._model.measures import BUILTIN_INSTRUMENTS, Instrument, Measurement
from careplan._model.occurrence import Occurrence
from careplan._model.people import CareTeamMember, Client, RelapsePreventionPlan
from careplan._model.plan_fields import (
    to_attendance,
    to_authorizations,
    to_cancellations,
    to_care_team,
    to_client,
    to_closures,
    to_continuum,
    to_diagnoses,
    to_end,
    to_goals,
    to_holds,
    to_id,
    to_instruments,
    to_interventions,
    to_length,
    to_level,
    to_measurements,
    to_objectives,
    to_part2,
    to_principal,
    to_problems,
    to_readmission_of,
    to_relapse,
    to_reschedules,
    to_reviews,
    to_revisions,
    to_safety,
    to_schedule,
    to_signatures,
    to_start,
    to_tracks,
    to_transitions,
)
from careplan._model.program import Program
from careplan._model.review import Review, Signature
from careplan._model.safety import NO_SAFETY_RECORD, ItemAnswers, SafetyRecord
from careplan._model.schedule import WeeklySchedule
from careplan._model.time import Disambiguate, require_date
from careplan._model.transition import (
    Episode,
    Transition,
    TransitionReason,
    check_history,
    episodes_of,
)

__all__ = [
    "PLAN_HTML",
    "PLAN_WEEK",
    "CarePlan",
    # Defined beside the plan of care and the people; many modules import
    # them from here, with the plan.
    "CareRevision",
    "CareTeamMember",
    "Client",
    "Goal",
    "PlanOfCare",
    "RelapsePreventionPlan",
]


class _Planned(Protocol):
    @property
    def schedule(self) -> WeeklySchedule: ...


class _PlanWeek(Protocol):
    def __call__(
        self,
        program: Program,
        level: LevelOfCare,
        constraints: LifeConstraints,
        *,
        tracks: tuple[TreatmentTrack, ...],
        objective: ObjectiveName,
        continuum: Continuum,
    ) -> _Planned: ...


#: :func:`careplan.plan_week`, whose schedule :meth:`CarePlan.from_program` takes.
PLAN_WEEK: Hook[_PlanWeek] = Hook("careplan.plan_week")


class _PlanHtml(Protocol):
    def __call__(self, plan: CarePlan, constraints: LifeConstraints | None = None) -> str: ...


#: The notebook view of a plan (the display adapter), for :meth:`CarePlan.to_html`.
PLAN_HTML: Hook[_PlanHtml] = Hook("careplan display")


def labelled(plan: CarePlan) -> list[SessionKind | TreatmentTrack | TransitionReason]:
    """Every kind, track and transition reason of ``plan``, wherever it appears.

    The sessions of the schedule and of every earlier one (a transition's,
    a discharge's included), the continuum's required kinds, the plan's
    tracks, the kinds of every intervention and target (in the plan of care
    and in each of its revisions), and the reasons of the transitions. The
    JSON document writes the labels of all of them; :func:`_check_labels`
    refuses two labels for one code among them.
    """
    sessions = [
        *plan.schedule.sessions,
        *(s for t in plan.transitions for s in t.previous_schedule.sessions),
    ]
    found: list[SessionKind | TreatmentTrack | TransitionReason] = [s.kind for s in sessions]
    found += [r.kind for level in plan.continuum for r in level.required]
    for interventions, objectives in (
        (plan.interventions, plan.objectives),
        *((r.previous.interventions, r.previous.objectives) for r in plan.revisions),
    ):
        found += [k for i in interventions for k in i.kinds]
        found += [k for o in objectives if o.target is not None for k in o.target.kinds]
    found += [s.track for s in sessions if s.track is not None]
    found += plan.tracks
    found += [t.reason for t in plan.transitions]
    return found


def _check_labels(plan: CarePlan) -> None:
    """Refuse two labels for one kind, track or reason code in a plan (see :func:`labelled`)."""
    one_label_per_code("CarePlan", labelled(plan))


def _new_id() -> str:
    return uuid.uuid4().hex


@attrs.frozen(repr=False)
class CarePlan:
    """A personalized care plan: who, at which level, on which weekly schedule, when.

    A plan is a value: change it with :func:`attrs.evolve` or its methods,
    which return a new plan. The constructor refuses only what can never be
    meaningful (a level that is not on the plan's continuum); anything a
    draft may get wrong is reported by :func:`careplan.validate`.

    Every field is checked when the plan is built (see
    ``docs/reference/limits.md``); collections are given as any iterable and
    kept as tuples. The repr shows the plan's shape, never the client's
    data; :func:`careplan.summary` gives a readable view.

    Attributes:
        client: Who the plan is for.
        level: The level of care, or its code (``"IOP"``); must be on
            ``continuum``.
        schedule: The weekly sessions and their time zone.
        start: The first day of the plan.
        end: The last day of the plan (included). Instead of it, the
            constructor takes ``weeks``, the plan's length in whole weeks
            from ``start``: ``CarePlan(client, "IOP", week, start, weeks=12)``.
        continuum: The catalog ``level`` comes from; ``None`` (the default)
            means :data:`careplan.DEFAULT`.
        tracks: The clinical focus of treatment (tracks or their codes).
        goals: SMART goals.
        diagnoses: Diagnosis codes as plain strings (e.g. ICD-10 "F33.1").
        care_team: The clinicians involved.
        relapse_prevention: The relapse prevention plan, if written.
        closures: Days without sessions (holidays); a date stands for a
            closure without a reason.
        cancellations: Single occurrences that will not happen.
        reschedules: Single occurrences moved to another time.
        transitions: The history of step ups, step downs, schedule changes
            and discharge, in date order. ``level`` and ``schedule`` are
            those of the last episode; see :attr:`episodes`.
        attendance: What happened at occurrences (see :class:`Attendance`);
            at most one record per occurrence.
        authorizations: Payers' approvals of levels of care.
        id: An opaque identifier (random by default) that careplan uses to
            derive calendar UIDs; it carries nothing about the client.
        holds: Leaves of absence (see :class:`Hold`): days away with no
            sessions, not judged as missed care.
        readmission_of: The :attr:`id` of the plan this one readmits the
            client after, so readmissions can be counted; ``None`` for a
            first admission.
        problems: The plan of care's problems (see :class:`Problem`).
        objectives: Measurable steps toward the goals
            (see :class:`TreatmentObjective`).
        interventions: What the team does, through which sessions
            (see :class:`Intervention`).
        reviews: Reviews of the plan of care, in date order.
        signatures: Signatures on the plan and physicians' (re)certifications.
        measurements: Scores of instruments (see :class:`Measurement`).
        instruments: The plan's own instruments, beside the built-in
            PHQ-9 and GAD-7.
        revisions: Earlier versions of the plan of care, in date order (see
            :meth:`revise` and :meth:`plan_of_care_on`).
        principal_diagnosis: The code of the condition chiefly responsible
            for the care (it may be one of ``diagnoses`` or a problem's),
            or ``None``; it chooses psychiatric or chemical dependency
            billing codes (see :func:`careplan.substance_use`).
        part2_program: Whether the program is a 42 CFR Part 2 program
            (federally assisted, holding itself out as providing substance
            use disorder treatment): ``True``, ``False``, or ``None``
            (unstated: decided from the plan's codes, erring toward privacy).
        safety: The client's suicide-risk screens, risk assessments and
            safety plans (see :mod:`careplan.safety`); empty by default.
            Private: never in a repr, a calendar or the CLI's default output.
    """

    client: Client = attrs.field(converter=to_client)
    level: LevelOfCare = attrs.field(converter=to_level)
    schedule: WeeklySchedule = attrs.field(converter=to_schedule)
    start: pendulum.Date = attrs.field(converter=to_start)
    end: pendulum.Date = attrs.field(default=None, converter=to_end)
    continuum: Continuum = attrs.field(default=None, converter=to_continuum)
    tracks: tuple[TreatmentTrack, ...] = attrs.field(default=(), converter=to_tracks)
    goals: tuple[Goal, ...] = attrs.field(default=(), converter=to_goals)
    diagnoses: tuple[str, ...] = attrs.field(default=(), converter=to_diagnoses)
    care_team: tuple[CareTeamMember, ...] = attrs.field(default=(), converter=to_care_team)
    relapse_prevention: RelapsePreventionPlan | None = attrs.field(
        default=None, converter=to_relapse
    )
    closures: tuple[Closure, ...] = attrs.field(default=(), converter=to_closures)
    cancellations: tuple[Cancellation, ...] = attrs.field(default=(), converter=to_cancellations)
    reschedules: tuple[Reschedule, ...] = attrs.field(default=(), converter=to_reschedules)
    transitions: tuple[Transition, ...] = attrs.field(default=(), converter=to_transitions)
    attendance: tuple[Attendance, ...] = attrs.field(default=(), converter=to_attendance)
    authorizations: tuple[Authorization, ...] = attrs.field(default=(), converter=to_authorizations)
    id: str = attrs.field(factory=_new_id, converter=to_id)
    holds: tuple[Hold, ...] = attrs.field(default=(), converter=to_holds)
    readmission_of: str | None = attrs.field(default=None, converter=to_readmission_of)
    problems: tuple[Problem, ...] = attrs.field(default=(), converter=to_problems)
    objectives: tuple[TreatmentObjective, ...] = attrs.field(default=(), converter=to_objectives)
    interventions: tuple[Intervention, ...] = attrs.field(default=(), converter=to_interventions)
    reviews: tuple[Review, ...] = attrs.field(default=(), converter=to_reviews)
    signatures: tuple[Signature, ...] = attrs.field(default=(), converter=to_signatures)
    measurements: tuple[Measurement, ...] = attrs.field(default=(), converter=to_measurements)
    instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=to_instruments)
    revisions: tuple[CareRevision, ...] = attrs.field(default=(), converter=to_revisions)
    # CarePlan(..., weeks=12): the plan's length instead of its end. Only an
    # argument: the end is set from it and it is cleared (see weeks).
    _length: int | None = attrs.field(
        default=None, alias="weeks", kw_only=True, converter=to_length, eq=False, repr=False
    )
    principal_diagnosis: str | None = attrs.field(default=None, converter=to_principal, repr=hidden)
    part2_program: bool | None = attrs.field(default=None, converter=to_part2)
    safety: SafetyRecord = attrs.field(default=NO_SAFETY_RECORD, converter=to_safety)

    def __attrs_post_init__(self) -> None:
        if self._length is not None:
            if self.end is not None:
                raise InvalidValueError(
                    "CarePlan.weeks",
                    self._length,
                    "is given with an end",
                    "give end or weeks, not both (attrs.evolve(plan, end=None, weeks=8))",
                )
            end = date("CarePlan.end", self.start.add(weeks=self._length).subtract(days=1))
            object.__setattr__(self, "end", end)
            object.__setattr__(self, "_length", None)
        elif self.end is None:
            raise InvalidValueError(
                "CarePlan.end", None, "is missing", "give the last day (end=...) or weeks=..."
            )
        if isinstance(self.level, str):
            # A level given by its code (see to_level); frozen, so set once here.
            object.__setattr__(self, "level", self.continuum[self.level])
        found = self.continuum.get(self.level.code)
        if found is not self.level and found != self.level:
            raise UnknownLevelError(self.level.code, self.continuum.name, self.continuum.codes)
        for index, authorization in enumerate(self.authorizations):
            if authorization.level not in self.continuum:
                raise InvalidValueError(
                    f"CarePlan.authorizations[{index}].level",
                    authorization.level,
                    f"is not a level of the {self.continuum.name} continuum",
                    f"use one of: {', '.join(self.continuum.codes)}",
                )
        _check_labels(self)
        if self.readmission_of == self.id:
            raise InvalidValueError(
                "CarePlan.readmission_of",
                self.readmission_of,
                "is not the id of another plan",
                "give the id of the plan the client was discharged from, or None",
            )
        check_history(self)
        seen: set[tuple[str, pendulum.Date]] = set()
        for index, record in enumerate(self.attendance):
            if record.key in seen:
                raise InvalidValueError(
                    f"CarePlan.attendance[{index}].on",
                    record.on,
                    "is recorded twice for the session's occurrence that day",
                    "keep one record per occurrence (remove_attendance, then record again)",
                )
            seen.add(record.key)
        self._check_plan_of_care()

    def _check_item_totals(self) -> None:
        """A measurement of a day the safety record answers item by item is their total.

        (Progress shows the suicide item beside that day's total: one administration.)
        """
        totals: dict[tuple[str, pendulum.Date], set[int]] = {}
        for screen in self.safety.screens:
            if isinstance(screen, ItemAnswers):
                totals.setdefault((screen.instrument, screen.on), set()).add(screen.total)
        for index, measurement in enumerate(self.measurements if totals else ()):
            sums = totals.get((measurement.instrument, measurement.on))
            if sums is not None and measurement.score not in sums:
                raise InvalidValueError(
                    f"CarePlan.measurements[{index}].score",
                    "(hidden)",
                    f"is not the total of the {measurement.instrument} answered item by item "
                    "that day",
                    "record the answers' total (ItemAnswers.measurement()), or correct the answers",
                )

    def _check_plan_of_care(self) -> None:
        try:
            care = PlanOfCare(self.problems, self.goals, self.objectives, self.interventions)
        except InvalidValueError as error:
            # The plan's own fields are what is wrong: name them.
            field = error.field.replace("PlanOfCare.", "CarePlan.", 1)
            raise InvalidValueError(field, error.value, error.problem, error.hint) from None
        # Kept for plan_of_care (a cached property): built and checked once.
        object.__setattr__(self, "plan_of_care", care)
        known = dict(BUILTIN_INSTRUMENTS)
        for index, instrument in enumerate(self.instruments):
            if instrument.code in known or instrument.code == "attendance":
                raise InvalidValueError(
                    f"CarePlan.instruments[{index}].code",
                    instrument.code,
                    "is already an instrument (or the attendance measure)",
                    "give the instrument its own code",
                )
            known[instrument.code] = instrument
        for index, measurement in enumerate(self.measurements):
            found = known.get(measurement.instrument)
            if found is None:
                raise InvalidValueError(
                    f"CarePlan.measurements[{index}].instrument",
                    measurement.instrument,
                    "is not a known instrument",
                    f"use one of: {', '.join(known)}, or add it to the plan's instruments",
                )
            if not found.in_range(measurement.score):
                raise InvalidValueError(
                    f"CarePlan.measurements[{index}].score",
                    "(hidden)",
                    f"is outside the {found.code} range",
                    f"{found.code} scores run from {found.minimum:g} to {found.maximum:g}",
                )
        self._check_item_totals()
        for index, objective in enumerate(self.objectives):
            target = objective.target
            if target is not None and not target.is_attendance and target.measure not in known:
                raise InvalidValueError(
                    f"CarePlan.objectives[{index}].target.measure",
                    target.measure,
                    "is not a known instrument",
                    f"use one of: {', '.join(known)}, attendance, or add it to the instruments",
                )
        for index, revision in enumerate(self.revisions):
            if index and revision.on < self.revisions[index - 1].on:
                raise InvalidValueError(
                    f"CarePlan.revisions[{index}].on",
                    revision.on.isoformat(),
                    "is before the revision above it",
                    "keep revisions in date order",
                )

    @functools.cached_property
    def plan_of_care(self) -> PlanOfCare:
        """The plan of care as it stands: problems, goals, objectives, interventions.

        Built and checked once, when the plan is; a change through
        :func:`attrs.evolve` or :meth:`revise` builds the new plan's.
        """
        # Reached only on a plan that was copied or unpickled: the
        # constructor kept the one it built.
        return PlanOfCare(self.problems, self.goals, self.objectives, self.interventions)

    def plan_of_care_on(self, day: _dt.date) -> PlanOfCare:
        """What the plan of care said on ``day`` (at the end of it), for audits.

        The first revision that takes effect after ``day`` holds the version
        in force on it; with none, the plan of care as it stands.

        >>> import pendulum
        >>> from careplan import Problem
        >>> from careplan.demo import sample_plan
        >>> plan = sample_plan().revise(
        ...     pendulum.date(2027, 2, 1), problems=[Problem("mood", "Depressed mood")]
        ... )
        >>> len(plan.plan_of_care_on(pendulum.date(2027, 1, 31)).problems)
        0
        >>> len(plan.plan_of_care_on(pendulum.date(2027, 2, 1)).problems)
        1
        """
        when = require_date("day", day)
        return next((r.previous for r in self.revisions if r.on > when), self.plan_of_care)

    def revise(
        self,
        on: _dt.date,
        *,
        note: str = "",
        problems: Iterable[Problem] | None = None,
        goals: Iterable[Goal] | None = None,
        objectives: Iterable[TreatmentObjective] | None = None,
        interventions: Iterable[Intervention] | None = None,
    ) -> CarePlan:
        """A copy whose plan of care changes on ``on``, keeping the version it replaces.

        ``problems``, ``goals``, ``objectives`` and ``interventions`` are
        the new ones (any of them; ``None`` keeps what the plan has). The
        replaced version is kept as a :class:`CareRevision`, so
        :meth:`plan_of_care_on` answers for any earlier day.

        Raises:
            InvalidValueError: A record refers to one that is not there, or
                ``on`` is before the last revision.
        """
        given = {
            "problems": problems,
            "goals": goals,
            "objectives": objectives,
            "interventions": interventions,
        }
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        revision = CareRevision(on, self.plan_of_care, note)
        return attrs.evolve(self, revisions=(*self.revisions, revision), **changes)

    def instrument(self, code: str) -> Instrument:
        """The instrument with ``code``: a built-in or one of the plan's own.

        Raises:
            InvalidValueError: The plan knows no such instrument.
        """
        found = {**BUILTIN_INSTRUMENTS, **{i.code: i for i in self.instruments}}.get(code)
        if found is None:
            raise InvalidValueError("instrument", code, "is not a known instrument")
        return found

    def __repr__(self) -> str:
        schedule = self.schedule
        return (
            f"CarePlan(id={self.id!r}, level={self.level.code!r}, "
            f"continuum={self.continuum.name!r}, period='{self.start}..{self.end}', "
            f"timezone={schedule.timezone!r}, weekly_sessions={len(schedule.sessions)}, "
            f"hours_per_week={schedule.hours_per_week:.4g}, "
            f"transitions={len(self.transitions)}, attendance={len(self.attendance)}, "
            "client, goals, diagnoses and care team hidden)"
        )

    @property
    def episodes(self) -> tuple[Episode, ...]:
        """The stays at one level, first to last; contiguous, covering the period.

        >>> import pendulum
        >>> from careplan import step_down
        >>> from careplan.demo import sample_outpatient_schedule, sample_plan
        >>> plan = step_down(sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met",
        ...                  schedule=sample_outpatient_schedule())
        >>> [(e.level.code, str(e.start), str(e.end)) for e in plan.episodes]
        [('IOP', '2027-01-04', '2027-02-28'), ('OP', '2027-03-01', '2027-03-28')]
        >>> plan.episode_on(pendulum.date(2027, 3, 1)).level.code
        'OP'
        """
        return self._episodes

    @functools.cached_property
    def _episodes(self) -> tuple[Episode, ...]:
        # Derived once per plan: rules, expansion and exports all ask for it.
        return episodes_of(self)

    @property
    def discharged(self) -> bool:
        """True when the history ends with a discharge."""
        return bool(self.transitions) and self.transitions[-1].direction == "discharge"

    @property
    def held_days(self) -> frozenset[pendulum.Date]:
        """Every day of the plan's holds (leaves of absence)."""
        return frozenset(day for hold in self.holds for day in hold.days)

    def episode_on(self, day: _dt.date) -> Episode | None:
        """The episode that covers ``day``, or ``None`` outside the plan."""
        when = require_date("day", day)
        return next((e for e in self.episodes if e.contains(when)), None)

    def level_on(self, day: _dt.date) -> LevelOfCare | None:
        """The level of care on ``day``, or ``None`` outside the plan's period."""
        episode = self.episode_on(day)
        return None if episode is None else episode.level

    @property
    def timezone(self) -> str:
        """The schedule's IANA time zone."""
        return self.schedule.timezone

    @property
    def weeks(self) -> float:
        """The plan's length in weeks: a whole number (an ``int``) when it is one.

        >>> from careplan.demo import sample_plan
        >>> sample_plan().weeks
        12
        """
        days = (self.end - self.start).days + 1
        return days // 7 if days % 7 == 0 else days / 7

    @classmethod
    def from_program(
        cls,
        client: Client,
        program: Program,
        level: LevelOfCare | str,
        constraints: LifeConstraints,
        *,
        start: _dt.date,
        weeks: int,
        continuum: Continuum | None = None,
        tracks: Iterable[TreatmentTrack] = (),
        objective: ObjectiveName = "fit",
        **fields: Any,
    ) -> CarePlan:
        """A plan whose weekly schedule :func:`careplan.plan_week` builds.

        The program, the level and the client's week come in the order
        :func:`careplan.plan_week` takes them, after the client. The period
        runs ``weeks`` whole weeks from ``start``; the program's closures
        inside it become the plan's. Other fields (goals, care team, ...)
        pass through ``fields``.

        Raises:
            Infeasible: The level cannot be scheduled around ``constraints``.
        """
        tracks = to_tracks(tracks)
        continuum = to_continuum(continuum)
        level = continuum.resolve(level)
        schedule = PLAN_WEEK()(
            program, level, constraints, tracks=tracks, objective=objective, continuum=continuum
        ).schedule
        begin = require_date("start", start)
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            raise InvalidValueError("weeks", weeks, "is not a positive whole number of weeks")
        end = begin.add(weeks=weeks).subtract(days=1)
        closures = [c for c in program.closures if begin <= c.on <= end]
        return cls(
            client=client,
            level=level,
            schedule=schedule,
            start=begin,
            end=end,
            continuum=continuum,
            tracks=tracks,
            closures=(*closures, *fields.pop("closures", ())),
            **fields,
        )

    def occurrences(self, *, disambiguate: Disambiguate = "compatible") -> tuple[Occurrence, ...]:
        """Every concrete session of the plan; see :func:`careplan.occurrences`."""
        return occurrences(self, disambiguate=disambiguate)

    def to_dataframe(self, *, disambiguate: Disambiguate = "compatible") -> Any:
        """The plan's occurrences as a pandas DataFrame, one row per session.

        Columns: ``session_id``, ``date``, ``weekday``, ``start``, ``end``,
        ``minutes``, ``kind``, ``title``, ``track``, ``modality``, ``level``,
        ``episode``, ``moved``. The columns are typed: ``date`` is a
        ``datetime64[ns]`` column at midnight (pandas' date type, with the
        ``.dt`` accessor), ``start`` and ``end`` are ``datetime64[ns]`` in
        the plan's time zone, ``minutes`` and ``episode`` are ``int64``,
        ``moved`` is ``bool`` and the rest are pandas strings (``track`` is
        ``<NA>`` where a session has none). Needs pandas, the ``pandas``
        extra: from a checkout, ``pip install -e '.[pandas]'``.
        """
        try:
            import pandas
        except ImportError:
            raise MissingExtraError("CarePlan.to_dataframe", "pandas", "pandas") from None
        episodes = self.episodes
        rows = [
            {
                "session_id": o.session.id,
                "date": o.date,
                "weekday": o.start.format("dddd"),
                "start": o.start,
                "end": o.end,
                "minutes": o.minutes,
                "kind": o.session.kind.code,
                "title": o.session.display_title,
                "track": None if o.session.track is None else o.session.track.code,
                "modality": o.session.modality.kind,
                "level": episodes[o.episode].level.code,
                "episode": o.episode,
                "moved": o.moved,
            }
            for o in self.occurrences(disambiguate=disambiguate)
        ]
        columns = [
            "session_id", "date", "weekday", "start", "end", "minutes", "kind",
            "title", "track", "modality", "level", "episode", "moved",
        ]  # fmt: skip
        frame = pandas.DataFrame(rows, columns=columns)
        texts = ("session_id", "weekday", "kind", "title", "track", "modality", "level")
        frame = frame.astype(
            {**dict.fromkeys(texts, "string"), "minutes": "int64", "episode": "int64"}
        ).astype({"moved": "bool"})
        # One unit on every pandas version (careplan's dates end before 2262).
        frame["date"] = pandas.to_datetime(frame["date"].map(str)).dt.as_unit("ns")
        for name in ("start", "end"):
            instants = pandas.to_datetime(frame[name], utc=True)
            frame[name] = instants.dt.tz_convert(self.timezone).dt.as_unit("ns")
        return frame

    def to_html(self, constraints: LifeConstraints | None = None) -> str:
        """Each episode's week as an HTML grid, captioned with its dates and level.

        ``constraints`` (the client's week) adds their busy time, hatched.
        A notebook shows a plan this way without ``constraints``.
        """
        return PLAN_HTML()(self, constraints)

    def _repr_html_(self) -> str:
        return self.to_html()

    def record_attendance(
        self,
        session_id: str,
        on: _dt.date,
        status: AttendanceStatus = "attended",
        *,
        minutes: int = 0,
        note: str = "",
    ) -> CarePlan:
        """A copy with what happened at the occurrence of ``session_id`` scheduled ``on``.

        A record already there for that occurrence is replaced.

        Raises:
            InvalidValueError: No such occurrence in the plan.
        """
        return self.with_attendance(
            Attendance(session_id, require_date("on", on), status, minutes, note)
        )

    def with_attendance(self, *records: Attendance) -> CarePlan:
        """A copy with ``records`` added, each replacing the record of its occurrence.

        All records are checked against one expansion of the plan, so this
        is the way to import many records at once (from an EHR, say):
        calling :meth:`record_attendance` once per record expands the plan
        every time. Of two records for the same occurrence, the later wins.

        Raises:
            InvalidValueError: A record is not an :class:`Attendance`, or
                names no occurrence of the plan.

        >>> import datetime as dt
        >>> from careplan import Attendance
        >>> from careplan.demo import sample_plan
        >>> monday = dt.date(2027, 1, 4)
        >>> plan = sample_plan().with_attendance(
        ...     Attendance("mon-0900-check_in", monday),
        ...     Attendance("mon-0930-group_therapy", monday, "late", minutes=10),
        ... )
        >>> [record.status for record in plan.attendance]
        ['attended', 'late']
        """
        for record in records:
            if not isinstance(record, Attendance):
                raise InvalidValueError(
                    "attendance", record, "is not an Attendance", "use careplan.Attendance(...)"
                )
        known = {o.key for o in self.occurrences()}
        for record in records:
            if record.key not in known:
                raise InvalidValueError(
                    "attendance",
                    record.on,
                    "is not an occurrence of the plan for the record's session",
                    "use the session id and the date it was scheduled for",
                )
        added: dict[tuple[str, pendulum.Date], Attendance] = {}
        for record in records:
            # Re-inserted, so the order is the one recording one by one gives.
            added.pop(record.key, None)
            added[record.key] = record
        kept = tuple(r for r in self.attendance if r.key not in added)
        return attrs.evolve(self, attendance=(*kept, *added.values()))

    def remove_attendance(self, session_id: str, on: _dt.date) -> CarePlan:
        """A copy without the record of the occurrence of ``session_id`` scheduled ``on``."""
        day = require_date("on", on)
        return attrs.evolve(
            self, attendance=tuple(r for r in self.attendance if r.key != (session_id, day))
        )

    def with_closures(self, *closures: Closure | _dt.date) -> CarePlan:
        """A copy with ``closures`` added."""
        return attrs.evolve(self, closures=(*self.closures, *closures))

    def cancel(self, session_id: str, on: _dt.date, reason: str = "") -> CarePlan:
        """A copy with the occurrence of ``session_id`` scheduled ``on`` cancelled.

        >>> import datetime as dt
        >>> from careplan.demo import sample_plan
        >>> plan = sample_plan()
        >>> fewer = plan.cancel("mon-0930-group_therapy", dt.date(2027, 1, 11), "snow day")
        >>> len(plan.occurrences()) - len(fewer.occurrences())
        1
        """
        self.schedule.session(session_id)
        return attrs.evolve(
            self, cancellations=(*self.cancellations, Cancellation(session_id, on, reason))
        )

    def reschedule(
        self,
        session_id: str,
        on: _dt.date,
        start: _dt.datetime,
        duration: int | _dt.timedelta | None = None,
        reason: str = "",
    ) -> CarePlan:
        """A copy with the occurrence of ``session_id`` scheduled ``on`` moved to ``start``."""
        self.schedule.session(session_id)
        change = Reschedule(session_id, on, start, duration, reason)
        return attrs.evolve(self, reschedules=(*self.reschedules, change))
