"""careplan: typed planning of behavioral-health and addiction care.

Levels of care on a continuum, weekly schedules that fit around work, school
and family, personalized care plans, their validation, and export to JSON
and calendars. Everything public is importable from here.

Names load when first used (a module-level ``__getattr__``): ``import
careplan`` costs next to nothing, the model and operations load with the
first value, and the JSON document (cattrs), calendar export (icalendar),
FHIR and pandas parts only when a program uses them. The model's hooks
(``careplan._model.hooks``) are told here which module fills each, so a
value's method such as ``CarePlan.occurrences`` or ``WeeklySchedule.grid``
loads what it needs however the value was made.
"""

from __future__ import annotations

import importlib as _importlib
import sys as _sys
from types import FunctionType as _FunctionType
from typing import TYPE_CHECKING

from careplan._model import hooks as _hooks
from careplan._version import __version__

if TYPE_CHECKING:
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
    from careplan._adapters.ical import (
        Detail,
        to_ical,
    )
    from careplan._model.attendance import (
        Attendance,
        AttendanceStatus,
        Authorization,
        AuthorizationStatus,
        AuthorizationUnit,
    )
    from careplan._model.calendar import (
        Cancellation,
        Closure,
        Hold,
        Reschedule,
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
        NaiveDateTimeError,
        NonexistentTimeError,
        TimeZoneError,
        TransitionError,
        UnknownLevelError,
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
    from careplan._model.occurrence import (
        Occurrence,
    )
    from careplan._model.plan import (
        CarePlan,
        CareTeamMember,
        Client,
        Goal,
        RelapsePreventionPlan,
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
    from careplan._model.schedule import (
        WeeklySchedule,
    )
    from careplan._model.session import (
        DayPart,
        Modality,
        Session,
    )
    from careplan._model.time import (
        Disambiguate,
    )
    from careplan._model.transition import (
        Direction,
        Episode,
        Referral,
        Transition,
        TransitionReason,
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
    from careplan._operations.expansion import (
        expand,
        occurrences,
    )
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
    from careplan._version import (
        __version__,
    )

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
    "to_ical",
    "to_json",
    "validate",
]

# Where each public name lives. A test checks this against __all__ and the
# imports above, which are for type checkers only.
_EXPORTS: dict[str, str] = {
    "ASAM_3": "careplan._model.continua",
    "ASAM_4": "careplan._model.continua",
    "BUILTIN_CONTINUA": "careplan._model.continua",
    "DEFAULT": "careplan._model.continua",
    "LOCUS": "careplan._model.continua",
    "MEDICARE": "careplan._model.continua",
    "EARLIEST_DATE": "careplan._model.limits",
    "LATEST_DATE": "careplan._model.limits",
    "MAX_PLAN_YEARS": "careplan._model.limits",
    "FORMAT": "careplan._adapters.document",
    "continuum_from_data": "careplan._adapters.document",
    "continuum_from_json": "careplan._adapters.document",
    "continuum_to_data": "careplan._adapters.document",
    "from_json": "careplan._adapters.document",
    "json_schema": "careplan._adapters.document",
    "plan_from_data": "careplan._adapters.document",
    "plan_to_data": "careplan._adapters.document",
    "to_json": "careplan._adapters.document",
    "AgendaItem": "careplan._model.program",
    "Offering": "careplan._model.program",
    "Program": "careplan._model.program",
    "ProgramTrack": "careplan._model.program",
    "Alternative": "careplan._operations.planner",
    "Infeasible": "careplan._operations.planner",
    "Objective": "careplan._operations.planner",
    "PlanResult": "careplan._operations.planner",
    "feasible": "careplan._operations.planner",
    "plan_week": "careplan._operations.planner",
    "replan": "careplan._operations.planner",
    "score": "careplan._operations.planner",
    "AmbiguousTimeError": "careplan._model.errors",
    "CarePlanError": "careplan._model.errors",
    "DocumentError": "careplan._model.errors",
    "InvalidValueError": "careplan._model.errors",
    "NaiveDateTimeError": "careplan._model.errors",
    "NonexistentTimeError": "careplan._model.errors",
    "TimeZoneError": "careplan._model.errors",
    "TransitionError": "careplan._model.errors",
    "UnknownLevelError": "careplan._model.errors",
    "Attendance": "careplan._model.attendance",
    "AttendanceStatus": "careplan._model.attendance",
    "Authorization": "careplan._model.attendance",
    "AuthorizationStatus": "careplan._model.attendance",
    "AuthorizationUnit": "careplan._model.attendance",
    "AuthorizationUse": "careplan._operations.delivery",
    "WeekDelivery": "careplan._operations.delivery",
    "authorization_use": "careplan._operations.delivery",
    "delivered": "careplan._operations.delivery",
    "BusyBlock": "careplan._model.constraints",
    "LifeConstraints": "careplan._model.constraints",
    "ModalityPreference": "careplan._model.constraints",
    "ObjectiveName": "careplan._model.constraints",
    "Cancellation": "careplan._model.calendar",
    "Closure": "careplan._model.calendar",
    "Hold": "careplan._model.calendar",
    "Reschedule": "careplan._model.calendar",
    "CarePlan": "careplan._model.plan",
    "CareTeamMember": "careplan._model.plan",
    "Client": "careplan._model.plan",
    "Goal": "careplan._model.plan",
    "RelapsePreventionPlan": "careplan._model.plan",
    "CompliancePolicy": "careplan._model.policy",
    "Continuum": "careplan._model.levels",
    "Intensity": "careplan._model.levels",
    "LevelOfCare": "careplan._model.levels",
    "Range": "careplan._model.levels",
    "RequiredComponent": "careplan._model.levels",
    "DayPart": "careplan._model.session",
    "Modality": "careplan._model.session",
    "Session": "careplan._model.session",
    "Detail": "careplan._adapters.ical",
    "to_ical": "careplan._adapters.ical",
    "Direction": "careplan._model.transition",
    "Episode": "careplan._model.transition",
    "Referral": "careplan._model.transition",
    "Transition": "careplan._model.transition",
    "TransitionReason": "careplan._model.transition",
    "Disambiguate": "careplan._model.time",
    "Occurrence": "careplan._model.occurrence",
    "Report": "careplan._model.report",
    "Severity": "careplan._model.report",
    "ValidationError": "careplan._model.report",
    "Violation": "careplan._model.report",
    "Rule": "careplan._operations.context",
    "RuleContext": "careplan._operations.context",
    "SessionKind": "careplan._model.kinds",
    "TreatmentTrack": "careplan._model.kinds",
    "WeekFigures": "careplan._operations.weeks",
    "WeeklySchedule": "careplan._model.schedule",
    "__version__": "careplan._version",
    "change_schedule": "careplan._operations.transitions",
    "discharge": "careplan._operations.transitions",
    "step_down": "careplan._operations.transitions",
    "step_up": "careplan._operations.transitions",
    "expand": "careplan._operations.expansion",
    "occurrences": "careplan._operations.expansion",
    "rules": "careplan._operations.validation",
    "validate": "careplan._operations.validation",
}

# The module that fills each of the model's hooks (by the hook's name).
_hooks.load_from(
    {
        "careplan.expand": "careplan._operations.expansion",
        "careplan.occurrences": "careplan._operations.expansion",
        "careplan.plan_week": "careplan._operations.planner",
        "careplan display": "careplan._adapters.display",
    }
)


def __getattr__(name: str) -> object:
    """Load a public name's module on first use, then keep the name here."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _importlib.import_module(module)
    _relabel()
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _relabel() -> None:
    """Keep the public names of every loaded module here, labelled as careplan's.

    Public classes and functions present themselves as careplan.X (in reprs,
    tracebacks and the API docs) rather than by the private module that
    defines them. Modules load one another, so every loaded one is done.
    """
    namespace = globals()
    for name, module_name in _EXPORTS.items():
        if name in namespace:
            continue
        module = _sys.modules.get(module_name)
        if module is None or not hasattr(module, name):
            continue  # not loaded yet, or loading now (a cycle through this package)
        value = getattr(module, name)
        if isinstance(value, (type, _FunctionType)) and value.__module__.startswith("careplan._"):
            value.__module__ = __name__
        namespace[name] = value
