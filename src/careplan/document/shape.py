"""The ``careplan/1`` document's shape: one small frozen class per JSON object.

The document has its own classes instead of dumping the model: the format
is a public, versioned contract that must stay put while the model grows.
The reader structures JSON into these classes (strictly, see
:mod:`careplan.document.decode`), the writer unstructures them, and the JSON
Schema is generated from them, so the three cannot drift apart.
"""

from __future__ import annotations

import attrs

#: The metadata of a field added to the format after its first release. The
#: writer leaves such a field out of a document while it holds its default,
#: so a document that does not use it reads in the versions before it.
ADDED: dict[str, object] = {"careplan.added": True}


@attrs.frozen
class RangeDoc:
    min: float | None = None
    max: float | None = None
    upper: str = "inclusive"


@attrs.frozen
class IntensityDoc:
    days_per_week: RangeDoc = attrs.field(factory=RangeDoc)
    hours_per_day: RangeDoc = attrs.field(factory=RangeDoc)
    hours_per_week: RangeDoc = attrs.field(factory=RangeDoc)


@attrs.frozen
class RequiredDoc:
    kind: str
    every_weeks: int = 1
    severity: str = attrs.field(default="error", metadata=ADDED)


@attrs.frozen
class LevelDoc:
    code: str
    name: str
    rank: float
    intensity: IntensityDoc = attrs.field(factory=IntensityDoc)
    overnight: bool = False
    best_for: list[str] = attrs.field(factory=list)
    required: list[RequiredDoc] = attrs.field(factory=list)
    step_down_grace_weeks: int = 0


@attrs.frozen
class ContinuumDoc:
    name: str
    levels: list[LevelDoc]
    step_down_targets: dict[str, str | None] = attrs.field(factory=dict, metadata=ADDED)
    step_up_targets: dict[str, str | None] = attrs.field(factory=dict, metadata=ADDED)


@attrs.frozen
class SessionDoc:
    id: str
    weekday: str
    start: str
    duration_minutes: int
    kind: str
    modality: str = "in_person"
    location: str | None = None
    join_url: str | None = None
    track: str | None = None
    title: str | None = None
    every_weeks: int = 1
    role: str | None = attrs.field(default=None, metadata=ADDED)
    week_offset: int = attrs.field(default=0, metadata=ADDED)


@attrs.frozen
class ClientDoc:
    id: str
    name: str | None = None


@attrs.frozen
class GoalDoc:
    description: str
    measure: str = ""
    target_date: str | None = None
    id: str | None = attrs.field(default=None, metadata=ADDED)
    problems: list[str] = attrs.field(factory=list, metadata=ADDED)
    status: str | None = attrs.field(default=None, metadata=ADDED)
    achievement: str | None = attrs.field(default=None, metadata=ADDED)
    start: str | None = attrs.field(default=None, metadata=ADDED)


# --- the plan of care (added to careplan/1 by issue 13; every field optional) ---


@attrs.frozen
class CodingDoc:
    system: str
    code: str
    display: str = ""


@attrs.frozen
class ProblemDoc:
    id: str
    description: str
    client_words: str = ""
    condition: CodingDoc | None = None


@attrs.frozen
class TargetDoc:
    measure: str
    comparison: str
    value: float
    kinds: list[str] = attrs.field(factory=list)


@attrs.frozen
class ObjectiveDoc:
    id: str
    goal: str
    description: str
    target_date: str | None = None
    target: TargetDoc | None = None
    status: str = "active"
    achievement: str | None = None
    start: str | None = None


@attrs.frozen
class InterventionDoc:
    id: str
    description: str
    objectives: list[str]
    kinds: list[str] = attrs.field(factory=list)
    times: int = 1
    every_weeks: int = 1
    role: str = "therapist"
    levels: list[str] = attrs.field(factory=list)


@attrs.frozen
class ReviewDoc:
    date: str
    role: str
    outcome: str = "continue"
    reviewer: str = ""
    note: str = ""


@attrs.frozen
class SignatureDoc:
    role: str
    date: str
    name: str = ""
    purpose: str = "plan"


@attrs.frozen
class MeasurementDoc:
    instrument: str
    score: float
    date: str


@attrs.frozen
class BandDoc:
    low: float
    high: float
    label: str


@attrs.frozen
class InstrumentDoc:
    code: str
    name: str
    minimum: float
    maximum: float
    loinc: str | None = None
    bands: list[BandDoc] = attrs.field(factory=list)
    lower_is_better: bool = True
    response_drop: float | None = None
    remission_below: float | None = None
    worsening: float | None = None


@attrs.frozen
class PlanOfCareDoc:
    problems: list[ProblemDoc] = attrs.field(factory=list, metadata=ADDED)
    goals: list[GoalDoc] = attrs.field(factory=list, metadata=ADDED)
    objectives: list[ObjectiveDoc] = attrs.field(factory=list, metadata=ADDED)
    interventions: list[InterventionDoc] = attrs.field(factory=list, metadata=ADDED)


@attrs.frozen
class RevisionDoc:
    date: str
    previous: PlanOfCareDoc
    note: str = ""


@attrs.frozen
class CareTeamDoc:
    name: str
    role: str


@attrs.frozen
class RelapsePreventionDoc:
    triggers: list[str] = attrs.field(factory=list)
    warning_signs: list[str] = attrs.field(factory=list)
    coping_strategies: list[str] = attrs.field(factory=list)
    supports: list[str] = attrs.field(factory=list)


@attrs.frozen
class ClosureDoc:
    date: str
    reason: str = ""


@attrs.frozen
class HoldDoc:
    start: str
    end: str
    reason: str = ""


@attrs.frozen
class ReferralDoc:
    level: str
    provider: str = ""


@attrs.frozen
class CancellationDoc:
    session_id: str
    date: str
    reason: str = ""


@attrs.frozen
class RescheduleDoc:
    session_id: str
    date: str
    start: str
    duration_minutes: int | None = None
    reason: str = ""


@attrs.frozen
class LabelsDoc:
    kinds: dict[str, str] = attrs.field(factory=dict)
    tracks: dict[str, str] = attrs.field(factory=dict)
    reasons: dict[str, str] = attrs.field(factory=dict)


@attrs.frozen
class AttendanceDoc:
    session_id: str
    date: str
    status: str = "attended"
    minutes: int = 0
    note: str = ""


@attrs.frozen
class AuthorizationDoc:
    level: str
    start: str
    end: str
    units: int
    unit: str = "days"
    status: str = "active"
    payer: str = ""
    reference: str = ""


@attrs.frozen
class ScheduleDoc:
    timezone: str
    sessions: list[SessionDoc]


@attrs.frozen
class TransitionDoc:
    on: str
    from_level: str
    to_level: str | None
    direction: str
    reason: str
    previous_schedule: ScheduleDoc
    note: str = ""
    referral: ReferralDoc | None = attrs.field(default=None, metadata=ADDED)


# --- suicide-risk records (added to careplan/1 by issue 34; all optional) ---


@attrs.frozen
class QuestionnaireItemDoc:
    number: int
    loinc: str
    most: int = 3


@attrs.frozen
class QuestionnaireDoc:
    instrument: str
    items: list[QuestionnaireItemDoc]
    suicide_items: list[int] = attrs.field(factory=list)


@attrs.frozen
class CSSRSDoc:
    wish_to_be_dead: bool
    suicidal_thoughts: bool
    method: bool | None = None
    intent: bool | None = None
    plan: bool | None = None
    behavior: bool = False
    behavior_past_3_months: bool | None = None


@attrs.frozen
class ScreenDoc:
    date: str
    instrument: str
    answers: list[int] = attrs.field(factory=list)
    cssrs: CSSRSDoc | None = None


@attrs.frozen
class RiskAssessmentDoc:
    date: str
    role: str
    level: str
    method: str = "clinical_interview"
    next_screening: str | None = None
    note: str = ""


@attrs.frozen
class SafetyPlanDoc:
    date: str
    warning_signs: list[str] = attrs.field(factory=list)
    coping_strategies: list[str] = attrs.field(factory=list)
    distractions: list[str] = attrs.field(factory=list)
    people_to_ask: list[str] = attrs.field(factory=list)
    professionals: list[str] = attrs.field(factory=list)
    safe_environment: list[str] = attrs.field(factory=list)
    reasons_for_living: list[str] = attrs.field(factory=list)
    client_signed: str | None = None
    clinician_signed: str | None = None
    reviewed: list[str] = attrs.field(factory=list)


@attrs.frozen
class SafetyDoc:
    questionnaires: list[QuestionnaireDoc] = attrs.field(factory=list)
    screens: list[ScreenDoc] = attrs.field(factory=list)
    assessments: list[RiskAssessmentDoc] = attrs.field(factory=list)
    plans: list[SafetyPlanDoc] = attrs.field(factory=list)


@attrs.frozen
class PlanDoc:
    format: str
    id: str
    client: ClientDoc
    continuum: str | ContinuumDoc
    level: str
    timezone: str
    start: str
    end: str
    sessions: list[SessionDoc]
    closures: list[ClosureDoc] = attrs.field(factory=list)
    cancellations: list[CancellationDoc] = attrs.field(factory=list)
    reschedules: list[RescheduleDoc] = attrs.field(factory=list)
    tracks: list[str] = attrs.field(factory=list)
    goals: list[GoalDoc] = attrs.field(factory=list)
    diagnoses: list[str] = attrs.field(factory=list)
    care_team: list[CareTeamDoc] = attrs.field(factory=list)
    relapse_prevention: RelapsePreventionDoc | None = None
    transitions: list[TransitionDoc] = attrs.field(factory=list)
    attendance: list[AttendanceDoc] = attrs.field(factory=list)
    authorizations: list[AuthorizationDoc] = attrs.field(factory=list)
    labels: LabelsDoc = attrs.field(factory=LabelsDoc)
    holds: list[HoldDoc] = attrs.field(factory=list, metadata=ADDED)
    readmission_of: str | None = attrs.field(default=None, metadata=ADDED)
    problems: list[ProblemDoc] = attrs.field(factory=list, metadata=ADDED)
    objectives: list[ObjectiveDoc] = attrs.field(factory=list, metadata=ADDED)
    interventions: list[InterventionDoc] = attrs.field(factory=list, metadata=ADDED)
    reviews: list[ReviewDoc] = attrs.field(factory=list, metadata=ADDED)
    signatures: list[SignatureDoc] = attrs.field(factory=list, metadata=ADDED)
    measurements: list[MeasurementDoc] = attrs.field(factory=list, metadata=ADDED)
    instruments: list[InstrumentDoc] = attrs.field(factory=list, metadata=ADDED)
    revisions: list[RevisionDoc] = attrs.field(factory=list, metadata=ADDED)
    principal_diagnosis: str | None = attrs.field(default=None, metadata=ADDED)
    part2_program: bool | None = attrs.field(default=None, metadata=ADDED)
    safety: SafetyDoc | None = attrs.field(default=None, metadata=ADDED)
