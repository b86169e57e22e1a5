"""careplan: typed planning of behavioral-health and addiction care.

Levels of care on a continuum, weekly schedules that fit around work, school
and family, personalized care plans, their validation, and export to JSON
and calendars. Everything public is importable from here.
"""

# Layer 1: values.
# Layer 3: adapters.
from careplan._adapters import display as _display  # noqa: F401  (fills the display hooks)
from careplan._adapters.document import (
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
from careplan._adapters.ical import Detail, to_ical
from careplan._adapters.summary import summary
from careplan._model.attendance import (
    Attendance,
    AttendanceStatus,
    Authorization,
    AuthorizationStatus,
    AuthorizationUnit,
)
from careplan._model.calendar import Cancellation, Closure, Hold, Reschedule
from careplan._model.constraints import (
    BusyBlock,
    LifeConstraints,
    ModalityPreference,
    ObjectiveName,
)
from careplan._model.continua import ASAM_3, ASAM_4, BUILTIN_CONTINUA, DEFAULT, LOCUS, MEDICARE
from careplan._model.errors import (
    AmbiguousTimeError,
    CarePlanError,
    DocumentError,
    InvalidValueError,
    NaiveDateTimeError,
    NonexistentTimeError,
    TimeZoneError,
    TransitionError,
    UnknownLevelError,
)
from careplan._model.kinds import SessionKind, TreatmentTrack
from careplan._model.levels import Continuum, Intensity, LevelOfCare, Range, RequiredComponent
from careplan._model.limits import EARLIEST_DATE, LATEST_DATE, MAX_PLAN_YEARS
from careplan._model.occurrence import Occurrence
from careplan._model.plan import CarePlan, CareTeamMember, Client, Goal, RelapsePreventionPlan
from careplan._model.policy import CompliancePolicy
from careplan._model.program import AgendaItem, Offering, Program, ProgramTrack
from careplan._model.report import Report, Severity, ValidationError, Violation
from careplan._model.schedule import WeeklySchedule
from careplan._model.session import DayPart, Modality, Session
from careplan._model.time import Disambiguate
from careplan._model.transition import Direction, Episode, Referral, Transition, TransitionReason

# Layer 2: operations on values (importing them also fills the model's hooks).
from careplan._operations.context import Rule, RuleContext
from careplan._operations.delivery import (
    AuthorizationUse,
    WeekDelivery,
    authorization_use,
    delivered,
)
from careplan._operations.expansion import expand, occurrences
from careplan._operations.planner import (
    Alternative,
    Infeasible,
    Objective,
    PlanResult,
    feasible,
    plan_week,
    replan,
    score,
)
from careplan._operations.transitions import change_schedule, discharge, step_down, step_up
from careplan._operations.validation import rules, validate
from careplan._operations.weeks import WeekFigures
from careplan._version import __version__

__all__ = [
    "ASAM_3",
    "ASAM_4",
    "BUILTIN_CONTINUA",
    "DEFAULT",
    "EARLIEST_DATE",
    "FORMAT",
    "LATEST_DATE",
    "LOCUS",
    "MAX_PLAN_YEARS",
    "MEDICARE",
    "AgendaItem",
    "Alternative",
    "AmbiguousTimeError",
    "Attendance",
    "AttendanceStatus",
    "Authorization",
    "AuthorizationStatus",
    "AuthorizationUnit",
    "AuthorizationUse",
    "BusyBlock",
    "Cancellation",
    "CarePlan",
    "CarePlanError",
    "CareTeamMember",
    "Client",
    "Closure",
    "CompliancePolicy",
    "Continuum",
    "DayPart",
    "Detail",
    "Direction",
    "Disambiguate",
    "DocumentError",
    "Episode",
    "Goal",
    "Hold",
    "Infeasible",
    "Intensity",
    "InvalidValueError",
    "LevelOfCare",
    "LifeConstraints",
    "Modality",
    "ModalityPreference",
    "NaiveDateTimeError",
    "NonexistentTimeError",
    "Objective",
    "ObjectiveName",
    "Occurrence",
    "Offering",
    "PlanResult",
    "Program",
    "ProgramTrack",
    "Range",
    "Referral",
    "RelapsePreventionPlan",
    "Report",
    "RequiredComponent",
    "Reschedule",
    "Rule",
    "RuleContext",
    "Session",
    "SessionKind",
    "Severity",
    "TimeZoneError",
    "Transition",
    "TransitionError",
    "TransitionReason",
    "TreatmentTrack",
    "UnknownLevelError",
    "ValidationError",
    "Violation",
    "WeekDelivery",
    "WeekFigures",
    "WeeklySchedule",
    "__version__",
    "authorization_use",
    "change_schedule",
    "continuum_from_data",
    "continuum_from_json",
    "continuum_to_data",
    "delivered",
    "discharge",
    "expand",
    "feasible",
    "from_json",
    "json_schema",
    "occurrences",
    "plan_from_data",
    "plan_to_data",
    "plan_week",
    "replan",
    "rules",
    "score",
    "step_down",
    "step_up",
    "summary",
    "to_ical",
    "to_json",
    "validate",
]

from types import FunctionType as _FunctionType

# Public classes and functions present themselves as careplan.X (in reprs, tracebacks and
# the API docs) rather than by the private module that defines them.
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, (type, _FunctionType)) and _value.__module__.startswith("careplan._"):
        _value.__module__ = __name__
del _name, _value, _FunctionType
