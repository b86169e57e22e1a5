"""A sample care plan built from the article's intensive outpatient program.

The morning track runs the article's sample day (09:00 check-in and
mindfulness, 09:30 group therapy, 11:00 life skills or psychoeducation, 12:00
individual therapy or a psychiatric consult) three days a week for twelve
weeks in Boston's time zone. ``careplan demo`` writes it out; tests and docs
use it as a realistic plan.

>>> plan = sample_plan()
>>> (plan.level.code, plan.schedule.days_per_week, len(plan.occurrences()))
('IOP', 3, 118)
"""

from __future__ import annotations

import datetime as _dt

import attrs
import pendulum

from careplan._model.calendar import Closure
from careplan._model.care import Coding, Intervention, Problem, Target, TreatmentObjective
from careplan._model.constraints import BusyBlock, LifeConstraints
from careplan._model.continua import DEFAULT
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.measures import Measurement
from careplan._model.plan import CarePlan, CareTeamMember, Client, Goal, RelapsePreventionPlan
from careplan._model.review import Review, Signature
from careplan._model.safety import CSSRSScreen, SafetyRecord
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Modality, Session
from careplan.programs import sample_iop

__all__ = [
    "DEMO_START",
    "sample_outpatient_schedule",
    "sample_plan",
    "sample_plan_of_care",
    "sample_schedule",
    "working_parent",
    "working_parent_plan",
]

#: The Monday the sample plan starts on (fixed so the demo is reproducible).
DEMO_START = pendulum.date(2027, 1, 4)

_CAMPUS = Modality.in_person("Main campus, group room 2")
_OFFICE = Modality.in_person("Main campus, office 14")
_TELEHEALTH = Modality.virtual("https://telehealth.example.org/iop-morning")


def sample_schedule(timezone: str = "America/New_York") -> WeeklySchedule:
    """The morning track of the article's IOP: Monday, Tuesday and Thursday.

    About ten hours a week; Thursday is virtual. The psychiatric consult is
    every other Tuesday.
    """
    morning = []
    for day, group_track, workshop, modality in (
        ("monday", TreatmentTrack.CBT, SessionKind.LIFE_SKILLS, _CAMPUS),
        ("tuesday", TreatmentTrack.DBT, SessionKind.PSYCHOEDUCATION, _CAMPUS),
        ("thursday", TreatmentTrack.RELAPSE_PREVENTION, SessionKind.LIFE_SKILLS, _TELEHEALTH),
    ):
        morning += [
            Session(day, "09:00", 30, SessionKind.CHECK_IN, modality=modality),
            Session(day, "09:30", 90, SessionKind.GROUP_THERAPY, group_track, modality),
            Session(day, "11:00", 60, workshop, modality=modality),
        ]
    morning += [
        Session("monday", "12:00", 50, SessionKind.INDIVIDUAL_THERAPY, modality=_OFFICE),
        Session("tuesday", "12:00", 30, SessionKind.PSYCHIATRIC, modality=_OFFICE, every_weeks=2),
    ]
    return WeeklySchedule(timezone, morning)


def sample_outpatient_schedule(timezone: str = "America/New_York") -> WeeklySchedule:
    """Outpatient therapy after the sample IOP: a 50-minute individual hour, Wednesday 17:30.

    The week to step the sample plan down to (outpatient care is fewer than
    9 hours a week, ASAM level 1):

    >>> from careplan import step_down, validate
    >>> later = step_down(sample_plan(), on=DEMO_START.add(weeks=8), reason="goals_met",
    ...                   schedule=sample_outpatient_schedule())
    >>> later.level.code, validate(later).ok
    ('OP', True)
    """
    return WeeklySchedule(
        timezone,
        [Session("wednesday", "17:30", 50, SessionKind.INDIVIDUAL_THERAPY, modality=_OFFICE)],
    )


def _admission_screen(on: pendulum.Date) -> SafetyRecord:
    # Every client is screened for suicide risk at admission (NPSG 15.01.01);
    # a demo plan without one would show that finding instead of the point it makes.
    return SafetyRecord(screens=[CSSRSScreen(on, wish_to_be_dead=False, suicidal_thoughts=False)])


def sample_plan(start: _dt.date = DEMO_START, weeks: int = 12) -> CarePlan:
    """A twelve-week IOP plan for a sample client on the morning track.

    Args:
        start: The first day (a Monday is best: the plan runs whole weeks).
        weeks: The plan's length in weeks.
    """
    begin = pendulum.Date(start.year, start.month, start.day)
    end = begin.add(weeks=weeks).subtract(days=1)
    holidays = [
        Closure(day, reason)
        for day, reason in (
            (pendulum.date(2027, 1, 18), "Martin Luther King Jr. Day"),
            (pendulum.date(2027, 2, 15), "Presidents' Day"),
        )
        if begin <= day <= end
    ]
    return CarePlan(
        client=Client("client-0001", "Alex Rivera"),
        level=DEFAULT["IOP"],
        schedule=sample_schedule(),
        start=begin,
        end=end,
        tracks=(TreatmentTrack.CBT, TreatmentTrack.DBT, TreatmentTrack.RELAPSE_PREVENTION),
        goals=(
            Goal(None, "Reduce depressive symptoms", "PHQ-9 below 10", end),
            Goal(
                None,
                "Use a coping skill when cravings arise",
                "craving log shows a skill used on 5 of 7 days",
                begin.add(weeks=6),
            ),
        ),
        diagnoses=("F33.1", "F10.20"),
        care_team=(
            CareTeamMember("Dr. Morgan Lee", "psychiatrist"),
            CareTeamMember("Sam Patel, LICSW", "therapist"),
        ),
        relapse_prevention=RelapsePreventionPlan(
            triggers=("end-of-week stress at work", "being alone on Friday evenings"),
            warning_signs=("skipping meals", "isolating from family"),
            coping_strategies=("urge surfing", "call a support person", "evening walk"),
            supports=("sponsor", "sister", "IOP group"),
        ),
        closures=holidays,
        safety=_admission_screen(begin),
        id="demo-plan-0001",
    )


def sample_plan_of_care(start: _dt.date = DEMO_START, weeks: int = 12) -> CarePlan:
    """The sample IOP plan with its plan of care: depression and alcohol use.

    Two problems (coded ICD-10-CM F33.1 and F10.20), a goal for each,
    objectives with a PHQ-9 target, a group attendance target and a coping
    skill the team judges, and interventions through the schedule's group,
    individual, psychiatric, skills and check-in sessions. The client,
    therapist and physician signed on the first day; PHQ-9 was taken every
    four weeks and the plan was reviewed after 30 days. The C-SSRS Screener
    was taken at admission and every four weeks, negative each time (the
    suicide-risk screens the default :class:`~careplan.safety.SafetyPolicy`
    asks for: at admission, at the review, every 30 days).

    >>> from careplan import validate, progress
    >>> plan = sample_plan_of_care()
    >>> validate(plan).ok
    True
    >>> [(p.objective, p.met) for p in progress(plan, today=DEMO_START.add(weeks=9))]
    [('phq9-below-10', True), ('attend-groups', None), ('coping-skill', None)]
    """
    plan = sample_plan(start, weeks)
    begin, end = plan.start, plan.end
    problems = (
        Problem(
            "depression",
            "Major depressive disorder, recurrent, moderate",
            client_words="I can't get out of bed and I've stopped seeing friends",
            condition=Coding("ICD-10-CM", "F33.1"),
        ),
        Problem(
            "alcohol",
            "Alcohol use disorder, moderate",
            client_words="I drink every night to fall asleep",
            condition=Coding("ICD-10-CM", "F10.20"),
        ),
    )
    goals = (
        attrs.evolve(plan.goals[0], id="mood", problems=("depression",), status="active"),
        attrs.evolve(plan.goals[1], id="sobriety", problems=("alcohol",), status="active"),
    )
    objectives = (
        TreatmentObjective(
            "phq9-below-10",
            "mood",
            "PHQ-9 total score below 10",
            target_date=begin.add(weeks=8),
            target=Target.score("PHQ-9", below=10),
        ),
        TreatmentObjective(
            "attend-groups",
            "sobriety",
            "Attends at least 90% of group therapy sessions",
            target_date=begin.add(weeks=6),
            target=Target.attendance(at_least=90, kinds=[SessionKind.GROUP_THERAPY]),
        ),
        TreatmentObjective(
            "coping-skill",
            "sobriety",
            "Uses a coping skill when cravings arise on 5 of 7 days (craving log)",
            target_date=begin.add(weeks=6),
        ),
    )
    interventions = (
        Intervention(
            "cbt-group",
            "CBT, DBT and relapse-prevention process group",
            ("phq9-below-10", "attend-groups", "coping-skill"),
            kinds=(SessionKind.GROUP_THERAPY,),
            times=3,
            role="therapist",
        ),
        Intervention(
            "individual",
            "Individual CBT for depression with motivational interviewing",
            ("phq9-below-10", "coping-skill"),
            kinds=(SessionKind.INDIVIDUAL_THERAPY,),
            role="therapist",
        ),
        Intervention(
            "medication",
            "Medication management: antidepressant and anti-craving medication",
            ("phq9-below-10",),
            kinds=(SessionKind.PSYCHIATRIC,),
            every_weeks=2,
            role="psychiatrist",
        ),
        Intervention(
            "skills",
            "Coping-skills training and psychoeducation on alcohol and mood",
            ("coping-skill",),
            kinds=(SessionKind.LIFE_SKILLS, SessionKind.PSYCHOEDUCATION),
            times=3,
            role="counselor",
        ),
        Intervention(
            "check-in",
            "Morning check-in with mindfulness; craving and mood check",
            ("attend-groups", "coping-skill"),
            kinds=(SessionKind.CHECK_IN,),
            times=3,
            role="nurse",
        ),
    )
    return attrs.evolve(
        plan,
        problems=problems,
        goals=goals,
        objectives=objectives,
        interventions=interventions,
        signatures=(
            Signature(begin, "client", "Alex Rivera"),
            Signature(begin, "clinician", "Sam Patel, LICSW"),
            Signature(begin, "physician", "Dr. Morgan Lee", "certification"),
        ),
        reviews=(Review(begin.add(days=30), "psychiatrist", "continue", "Dr. Morgan Lee"),),
        measurements=tuple(
            Measurement("PHQ-9", score, begin.add(weeks=week))
            for week, score in ((0, 18), (4, 13), (8, 8))
            if begin.add(weeks=week) <= end
        ),
        safety=SafetyRecord(
            screens=[
                CSSRSScreen(begin.add(weeks=week), wish_to_be_dead=False, suicidal_thoughts=False)
                for week in range(0, weeks, 4)
            ]
        ),
    )


def working_parent() -> LifeConstraints:
    """Jordan's week: works 9 to 5 with a half-hour commute, school drop-off at 07:30."""
    weekdays = ("monday", "tuesday", "wednesday", "thursday", "friday")
    return LifeConstraints(
        busy=[
            BusyBlock("work", weekdays, "09:00", "17:00", buffer_minutes=30),
            BusyBlock("school drop-off", weekdays, "07:30", "08:15"),
        ],
        preferred_day_parts=[DayPart.EVENING],
    )


def working_parent_plan(start: _dt.date = DEMO_START, weeks: int = 12) -> CarePlan:
    """The working parent's IOP plan, built by the planner from the sample program."""
    return CarePlan.from_program(
        Client("client-0002", "Jordan Lee"),
        sample_iop(),
        DEFAULT["IOP"],
        working_parent(),
        start=start,
        weeks=weeks,
        safety=_admission_screen(pendulum.Date(start.year, start.month, start.day)),
        id="demo-plan-0002",
    )
