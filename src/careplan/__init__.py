"""careplan: typed planning of behavioral-health and addiction care.

Levels of care on a continuum, weekly schedules that fit around work, school
and family, personalized care plans, their validation, and export to JSON
and calendars. Everything public is importable from here.
"""

from careplan._attendance import (
    Attendance,
    AttendanceStatus,
    Authorization,
    AuthorizationStatus,
    AuthorizationUnit,
    WeekDelivery,
    delivered,
)
from careplan._calendar import Cancellation, Closure, Reschedule
from careplan._continua import ASAM_3, ASAM_4, BUILTIN_CONTINUA, DEFAULT, LOCUS, MEDICARE
from careplan._document import (
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
from careplan._errors import (
    AmbiguousTimeError,
    CarePlanError,
    DocumentError,
    InvalidValueError,
    NaiveDateTimeError,
    NonexistentTimeError,
    TimeZoneError,
    UnknownLevelError,
    ValidationError,
)
from careplan._ical import Detail, to_ical
from careplan._kinds import SessionKind, TreatmentTrack
from careplan._levels import Continuum, Intensity, LevelOfCare, Range, RequiredComponent
from careplan._occurrences import Occurrence, expand, occurrences
from careplan._plan import CarePlan, CareTeamMember, Client, Goal, RelapsePreventionPlan
from careplan._planner import (
    Alternative,
    Infeasible,
    Objective,
    ObjectiveName,
    PlanResult,
    feasible,
    plan_week,
    replan,
    score,
)
from careplan._policy import CompliancePolicy
from careplan._program import (
    AgendaItem,
    BusyBlock,
    LifeConstraints,
    ModalityPreference,
    Offering,
    Program,
    ProgramTrack,
)
from careplan._schedule import WeeklySchedule
from careplan._session import DayPart, Modality, Session
from careplan._time import Disambiguate
from careplan._transitions import (
    Direction,
    Episode,
    Transition,
    TransitionError,
    TransitionReason,
    change_schedule,
    discharge,
    step_down,
    step_up,
)
from careplan._validation import Report, Rule, RuleContext, Severity, Violation, rules, validate
from careplan._version import __version__
from careplan._week import WeekFigures

__all__ = [
    "ASAM_3",
    "ASAM_4",
    "BUILTIN_CONTINUA",
    "DEFAULT",
    "FORMAT",
    "LOCUS",
    "MEDICARE",
    "AgendaItem",
    "Alternative",
    "AmbiguousTimeError",
    "Attendance",
    "AttendanceStatus",
    "Authorization",
    "AuthorizationStatus",
    "AuthorizationUnit",
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
