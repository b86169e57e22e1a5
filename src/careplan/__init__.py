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
    from careplan._adapters.ical import (
        Detail,
        to_ical,
    )
    from careplan._adapters.payer_packs import (
        PAYER_FORMAT,
        payer_rules_from_data,
        payer_rules_from_json,
        payer_rules_to_data,
        payer_rules_to_json,
    )
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
    from careplan._model.calendar import (
        Cancellation,
        Closure,
        Hold,
        Reschedule,
    )
    from careplan._model.care import (
        Achievement,
        CareRole,
        Coding,
        Comparison,
        GoalStatus,
        Intervention,
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
    from careplan._model.plan import (
        CarePlan,
        CareRevision,
        CareTeamMember,
        Client,
        Goal,
        PlanOfCare,
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
    from careplan._model.substance_use import SubstanceUse, is_substance_use_code, substance_use
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
        AuthorizationBilling,
        BillableDay,
        BillingWeek,
        ClaimLine,
        ServiceLine,
        authorization_billing,
        billing,
        billing_certification,
        billing_lines,
        billing_weeks,
        claim_lines,
        rendering_role,
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
    from careplan._version import (
        __version__,
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
    "score",
    "step_down",
    "step_up",
    "substance_use",
    "summary",
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
    "BUILTIN_INSTRUMENTS": "careplan._model.measures",
    "BUILTIN_PAYERS": "careplan._model.payers",
    "CLINIC_REVIEW": "careplan._model.review",
    "COMMERCIAL": "careplan._model.payers",
    "DEFAULT": "careplan._model.continua",
    "EARLIEST_DATE": "careplan._model.limits",
    "FORMAT": "careplan.document",
    "GAD_7": "careplan._model.measures",
    "LATEST_DATE": "careplan._model.limits",
    "LOCUS": "careplan._model.continua",
    "MAX_PLAN_YEARS": "careplan._model.limits",
    "MEDICARE": "careplan._model.continua",
    "MEDICARE_2024": "careplan._model.payers",
    "MEDICARE_REVIEW": "careplan._model.review",
    "PAYER_FORMAT": "careplan._adapters.payer_packs",
    "PHQ_9": "careplan._model.measures",
    "Achievement": "careplan._model.care",
    "AgendaItem": "careplan._model.program",
    "Alternative": "careplan._operations.planner",
    "AmbiguousTimeError": "careplan._model.errors",
    "Attendance": "careplan._model.attendance",
    "AttendanceStatus": "careplan._model.attendance",
    "Authorization": "careplan._model.attendance",
    "AuthorizationStatus": "careplan._model.attendance",
    "AuthorizationUnit": "careplan._model.attendance",
    "AuthorizationUse": "careplan._operations.delivery",
    "Band": "careplan._model.measures",
    "BillableDay": "careplan._operations.billing",
    "BillingCode": "careplan._model.payer",
    "BillingWeek": "careplan._operations.billing",
    "BusyBlock": "careplan._model.constraints",
    "Cadence": "careplan._model.review",
    "CadenceUnit": "careplan._model.review",
    "Cancellation": "careplan._model.calendar",
    "CarePlan": "careplan._model.plan",
    "CarePlanError": "careplan._model.errors",
    "CareRevision": "careplan._model.plan",
    "CareRole": "careplan._model.care",
    "CareTeamMember": "careplan._model.plan",
    "Client": "careplan._model.plan",
    "Closure": "careplan._model.calendar",
    "Coding": "careplan._model.care",
    "Comparison": "careplan._model.care",
    "CompliancePolicy": "careplan._model.policy",
    "Continuum": "careplan._model.levels",
    "CyclePlan": "careplan._operations.planner",
    "DayPart": "careplan._model.session",
    "Detail": "careplan._adapters.ical",
    "Direction": "careplan._model.transition",
    "Disambiguate": "careplan._model.time",
    "DocumentError": "careplan._model.errors",
    "Episode": "careplan._model.transition",
    "Goal": "careplan._model.plan",
    "GoalStatus": "careplan._model.care",
    "Hold": "careplan._model.calendar",
    "Infeasible": "careplan._operations.planner",
    "Instrument": "careplan._model.measures",
    "Intensity": "careplan._model.levels",
    "Intervention": "careplan._model.care",
    "InvalidValueError": "careplan._model.errors",
    "LevelOfCare": "careplan._model.levels",
    "LevelRules": "careplan._model.payer",
    "LifeConstraints": "careplan._model.constraints",
    "Measurement": "careplan._model.measures",
    "MissingExtraError": "careplan._model.errors",
    "Modality": "careplan._model.session",
    "ModalityPreference": "careplan._model.constraints",
    "NaiveDateTimeError": "careplan._model.errors",
    "NonexistentTimeError": "careplan._model.errors",
    "Objective": "careplan._operations.planner",
    "ObjectiveName": "careplan._model.constraints",
    "ObjectiveProgress": "careplan._operations.progress",
    "Occurrence": "careplan._model.occurrence",
    "Offering": "careplan._model.program",
    "PayerRules": "careplan._model.payer",
    "PlanOfCare": "careplan._model.plan",
    "PlanResult": "careplan._operations.planner",
    "Problem": "careplan._model.care",
    "Program": "careplan._model.program",
    "ProgramTrack": "careplan._model.program",
    "Range": "careplan._model.levels",
    "Referral": "careplan._model.transition",
    "RelapsePreventionPlan": "careplan._model.plan",
    "Report": "careplan._model.report",
    "RequiredComponent": "careplan._model.levels",
    "Reschedule": "careplan._model.calendar",
    "Review": "careplan._model.review",
    "ReviewOutcome": "careplan._model.review",
    "ReviewPolicy": "careplan._model.review",
    "Rule": "careplan._operations.context",
    "RuleContext": "careplan._operations.context",
    "Session": "careplan._model.session",
    "SessionKind": "careplan._model.kinds",
    "Severity": "careplan._model.report",
    "Signature": "careplan._model.review",
    "SignaturePurpose": "careplan._model.review",
    "SignerRole": "careplan._model.review",
    "Target": "careplan._model.care",
    "TEDS_D_REASONS": "careplan._model.transition",
    "Tier": "careplan._model.payer",
    "TimeZoneError": "careplan._model.errors",
    "Transition": "careplan._model.transition",
    "TransitionError": "careplan._model.errors",
    "TransitionReason": "careplan._model.transition",
    "TreatmentObjective": "careplan._model.care",
    "TreatmentTrack": "careplan._model.kinds",
    "Trend": "careplan._operations.progress",
    "UnknownLevelError": "careplan._model.errors",
    "ValidationError": "careplan._model.report",
    "Violation": "careplan._model.report",
    "WeekDelivery": "careplan._operations.delivery",
    "WeekFigures": "careplan._operations.weeks",
    "WeeklySchedule": "careplan._model.schedule",
    "__version__": "careplan._version",
    "authorization_use": "careplan._operations.delivery",
    "billing": "careplan._operations.billing",
    "AuthorizationBilling": "careplan._operations.billing",
    "ClaimLine": "careplan._operations.billing",
    "ServiceCode": "careplan._model.payer",
    "ServiceLine": "careplan._operations.billing",
    "SubstanceUse": "careplan._model.substance_use",
    "authorization_billing": "careplan._operations.billing",
    "billing_certification": "careplan._operations.billing",
    "billing_dataframe": "careplan._adapters.tables",
    "billing_lines": "careplan._operations.billing",
    "billing_lines_dataframe": "careplan._adapters.tables",
    "billing_weeks": "careplan._operations.billing",
    "change_schedule": "careplan._operations.transitions",
    "claim_lines": "careplan._operations.billing",
    "claims_dataframe": "careplan._adapters.tables",
    "continuum_from_data": "careplan.document",
    "continuum_from_json": "careplan.document",
    "continuum_to_data": "careplan.document",
    "default_role": "careplan._model.payer",
    "delivered": "careplan._operations.delivery",
    "discharge": "careplan._operations.transitions",
    "expand": "careplan._operations.expansion",
    "feasible": "careplan._operations.planner",
    "from_json": "careplan.document",
    "is_substance_use_code": "careplan._model.substance_use",
    "json_schema": "careplan.document",
    "occurrences": "careplan._operations.expansion",
    "payer_rules_from_data": "careplan._adapters.payer_packs",
    "payer_rules_from_json": "careplan._adapters.payer_packs",
    "payer_rules_to_data": "careplan._adapters.payer_packs",
    "payer_rules_to_json": "careplan._adapters.payer_packs",
    "plan_cycle": "careplan._operations.planner",
    "plan_from_data": "careplan.document",
    "plan_to_data": "careplan.document",
    "plan_week": "careplan._operations.planner",
    "progress": "careplan._operations.progress",
    "rendering_role": "careplan._operations.billing",
    "replan": "careplan._operations.planner",
    "rules": "careplan._operations.validation",
    "score": "careplan._operations.planner",
    "step_down": "careplan._operations.transitions",
    "step_up": "careplan._operations.transitions",
    "substance_use": "careplan._model.substance_use",
    "summary": "careplan._adapters.summary",
    "to_ical": "careplan._adapters.ical",
    "to_json": "careplan.document",
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


_OWN = ("careplan._", "careplan.document")


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
        if isinstance(value, (type, _FunctionType)) and value.__module__.startswith(_OWN):
            value.__module__ = __name__
        namespace[name] = value
