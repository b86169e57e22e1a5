"""careplan: typed planning of behavioral-health and addiction care.

Levels of care on a continuum, weekly schedules that fit around work, school
and family, personalized care plans, their validation, and export to JSON
and calendars. Everything public is importable from here.

The model and its operations are imported with the package (about a tenth
of a second); the JSON document (cattrs) and calendar export (icalendar)
load when one of their names is first used. Importing the package also
imports the planner and the notebook views, which fill the model's
:mod:`hooks <careplan._model.hooks>` (``CarePlan.from_program``,
``CarePlan.to_html``, ``WeeklySchedule.grid``): Python imports this package
before any of its modules, so every value's method finds them.
"""

import importlib as _importlib
from typing import TYPE_CHECKING

# The notebook views, for the hooks of CarePlan.to_html and WeeklySchedule.grid.
from careplan._adapters import display as _display  # noqa: F401
from careplan._adapters.summary import (
    summary,
)
from careplan._adapters.tables import (
    billing_dataframe,
    billing_lines_dataframe,
    claims_dataframe,
)
from careplan._model.attendance import (
    Attendance,
    AttendanceStatus,
    Authorization,
    AuthorizationStatus,
    AuthorizationUnit,
)
from careplan._model.billing import (
    AuthorizationBilling,
    BillableDay,
    BillingWeek,
    ClaimLine,
    ServiceLine,
)
from careplan._model.calendar import (
    Cancellation,
    Closure,
    Hold,
    Reschedule,
)
from careplan._model.care import (
    Achievement,
    CareRevision,
    CareRole,
    Coding,
    Comparison,
    Goal,
    GoalStatus,
    Intervention,
    PlanOfCare,
    Problem,
    Target,
    TreatmentObjective,
)
from careplan._model.constraints import (
    BusyBlock,
    LifeConstraints,
    ModalityPreference,
    ObjectiveName,
)
from careplan._model.continua import (
    ASAM_3,
    ASAM_4,
    BUILTIN_CONTINUA,
    DEFAULT,
    LOCUS,
    MEDICARE,
)
from careplan._model.errors import (
    AmbiguousTimeError,
    CarePlanError,
    DocumentError,
    InvalidValueError,
    MissingExtraError,
    NaiveDateTimeError,
    NonexistentTimeError,
    TimeZoneError,
    TransitionError,
    UnknownLevelError,
)
from careplan._model.expansion import (
    expand,
    occurrences,
)
from careplan._model.kinds import (
    SessionKind,
    TreatmentTrack,
)
from careplan._model.levels import (
    Continuum,
    Intensity,
    LevelOfCare,
    Range,
    RequiredComponent,
)
from careplan._model.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_PLAN_YEARS,
)
from careplan._model.measures import (
    BUILTIN_INSTRUMENTS,
    GAD_7,
    PHQ_9,
    Band,
    Instrument,
    Measurement,
)
from careplan._model.occurrence import (
    Occurrence,
)
from careplan._model.payer import (
    BillingCode,
    LevelRules,
    PayerRules,
    ServiceCode,
    Tier,
    default_role,
)
from careplan._model.payers import (
    BUILTIN_PAYERS,
    COMMERCIAL,
    MEDICARE_2024,
)
from careplan._model.people import (
    CareTeamMember,
    Client,
    RelapsePreventionPlan,
)
from careplan._model.plan import (
    CarePlan,
)
from careplan._model.policy import (
    CompliancePolicy,
)
from careplan._model.program import (
    AgendaItem,
    Offering,
    Program,
    ProgramTrack,
)
from careplan._model.report import (
    Report,
    Severity,
    ValidationError,
    Violation,
)
from careplan._model.review import (
    CLINIC_REVIEW,
    MEDICARE_REVIEW,
    Cadence,
    CadenceUnit,
    Review,
    ReviewOutcome,
    ReviewPolicy,
    Signature,
    SignaturePurpose,
    SignerRole,
)
from careplan._model.schedule import (
    WeeklySchedule,
)
from careplan._model.session import (
    DayPart,
    Modality,
    Session,
)
from careplan._model.substance_use import (
    SubstanceUse,
    is_substance_use_code,
    substance_use,
)
from careplan._model.time import (
    Disambiguate,
)
from careplan._model.transition import (
    TEDS_D_REASONS,
    Direction,
    Episode,
    Referral,
    Transition,
    TransitionReason,
)
from careplan._operations.billing import (
    billing,
    billing_certification,
    billing_lines,
    claim_lines,
    rendering_role,
)
from careplan._operations.billing_totals import (
    authorization_billing,
    billing_weeks,
)
from careplan._operations.context import (
    Rule,
    RuleContext,
)
from careplan._operations.delivery import (
    AuthorizationUse,
    WeekDelivery,
    authorization_use,
    delivered,
)
from careplan._operations.planner import (
    Alternative,
    CyclePlan,
    Infeasible,
    Objective,
    PlanResult,
    feasible,
    plan_cycle,
    plan_week,
    replan,
    score,
)
from careplan._operations.progress import (
    ObjectiveProgress,
    Trend,
    progress,
)
from careplan._operations.transitions import (
    change_schedule,
    discharge,
    step_down,
    step_up,
)
from careplan._operations.validation import (
    rules,
    validate,
)
from careplan._operations.weeks import (
    WeekFigures,
)
from careplan._version import __version__

if TYPE_CHECKING:
    from careplan._adapters.converter import (
        converter,
    )
    from careplan._adapters.ical import (
        Detail,
        schedule_to_ical,
        to_ical,
    )
    from careplan._adapters.payer_packs import (
        PAYER_FORMAT,
        payer_rules_from_data,
        payer_rules_from_json,
        payer_rules_to_data,
        payer_rules_to_json,
    )
    from careplan.document import (
        FORMAT,
        continuum_from_data,
        continuum_from_json,
        continuum_to_data,
        from_json,
        json_schema,
        plan_from_data,
        plan_to_data,
        to_json,
    )

# The heavy adapters: loaded when one of their names is first used.
_LAZY: dict[str, str] = {
    "Detail": "careplan._adapters.ical",
    "FORMAT": "careplan.document",
    "PAYER_FORMAT": "careplan._adapters.payer_packs",
    "continuum_from_data": "careplan.document",
    "converter": "careplan._adapters.converter",
    "continuum_from_json": "careplan.document",
    "continuum_to_data": "careplan.document",
    "from_json": "careplan.document",
    "json_schema": "careplan.document",
    "payer_rules_from_data": "careplan._adapters.payer_packs",
    "payer_rules_from_json": "careplan._adapters.payer_packs",
    "payer_rules_to_data": "careplan._adapters.payer_packs",
    "payer_rules_to_json": "careplan._adapters.payer_packs",
    "plan_from_data": "careplan.document",
    "plan_to_data": "careplan.document",
    "schedule_to_ical": "careplan._adapters.ical",
    "to_ical": "careplan._adapters.ical",
    "to_json": "careplan.document",
}

#: Every public name: those imported above and the heavy adapters' below.
__all__ = [
    "ASAM_3",
    "ASAM_4",
    "BUILTIN_CONTINUA",
    "BUILTIN_INSTRUMENTS",
    "BUILTIN_PAYERS",
    "CLINIC_REVIEW",
    "COMMERCIAL",
    "DEFAULT",
    "EARLIEST_DATE",
    "FORMAT",
    "GAD_7",
    "LATEST_DATE",
    "LOCUS",
    "MAX_PLAN_YEARS",
    "MEDICARE",
    "MEDICARE_2024",
    "MEDICARE_REVIEW",
    "PAYER_FORMAT",
    "PHQ_9",
    "TEDS_D_REASONS",
    "Achievement",
    "AgendaItem",
    "Alternative",
    "AmbiguousTimeError",
    "Attendance",
    "AttendanceStatus",
    "Authorization",
    "AuthorizationBilling",
    "AuthorizationStatus",
    "AuthorizationUnit",
    "AuthorizationUse",
    "Band",
    "BillableDay",
    "BillingCode",
    "BillingWeek",
    "BusyBlock",
    "Cadence",
    "CadenceUnit",
    "Cancellation",
    "CarePlan",
    "CarePlanError",
    "CareRevision",
    "CareRole",
    "CareTeamMember",
    "ClaimLine",
    "Client",
    "Closure",
    "Coding",
    "Comparison",
    "CompliancePolicy",
    "Continuum",
    "CyclePlan",
    "DayPart",
    "Detail",
    "Direction",
    "Disambiguate",
    "DocumentError",
    "Episode",
    "Goal",
    "GoalStatus",
    "Hold",
    "Infeasible",
    "Instrument",
    "Intensity",
    "Intervention",
    "InvalidValueError",
    "LevelOfCare",
    "LevelRules",
    "LifeConstraints",
    "Measurement",
    "MissingExtraError",
    "Modality",
    "ModalityPreference",
    "NaiveDateTimeError",
    "NonexistentTimeError",
    "Objective",
    "ObjectiveName",
    "ObjectiveProgress",
    "Occurrence",
    "Offering",
    "PayerRules",
    "PlanOfCare",
    "PlanResult",
    "Problem",
    "Program",
    "ProgramTrack",
    "Range",
    "Referral",
    "RelapsePreventionPlan",
    "Report",
    "RequiredComponent",
    "Reschedule",
    "Review",
    "ReviewOutcome",
    "ReviewPolicy",
    "Rule",
    "RuleContext",
    "ServiceCode",
    "ServiceLine",
    "Session",
    "SessionKind",
    "Severity",
    "Signature",
    "SignaturePurpose",
    "SignerRole",
    "SubstanceUse",
    "Target",
    "Tier",
    "TimeZoneError",
    "Transition",
    "TransitionError",
    "TransitionReason",
    "TreatmentObjective",
    "TreatmentTrack",
    "Trend",
    "UnknownLevelError",
    "ValidationError",
    "Violation",
    "WeekDelivery",
    "WeekFigures",
    "WeeklySchedule",
    "__version__",
    "authorization_billing",
    "authorization_use",
    "billing",
    "billing_certification",
    "billing_dataframe",
    "billing_lines",
    "billing_lines_dataframe",
    "billing_weeks",
    "change_schedule",
    "claim_lines",
    "claims_dataframe",
    "continuum_from_data",
    "continuum_from_json",
    "continuum_to_data",
    "converter",
    "default_role",
    "delivered",
    "discharge",
    "expand",
    "feasible",
    "from_json",
    "is_substance_use_code",
    "json_schema",
    "occurrences",
    "payer_rules_from_data",
    "payer_rules_from_json",
    "payer_rules_to_data",
    "payer_rules_to_json",
    "plan_cycle",
    "plan_from_data",
    "plan_to_data",
    "plan_week",
    "progress",
    "rendering_role",
    "replan",
    "rules",
    "schedule_to_ical",
    "score",
    "step_down",
    "step_up",
    "substance_use",
    "summary",
    "to_ical",
    "to_json",
    "validate",
]


def __getattr__(name: str) -> object:
    """Load a heavy adapter's name on first use, then keep it here."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
