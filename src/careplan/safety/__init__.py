"""Suicide-risk screening, risk assessments, safety plans and the rules that follow them.

The records live on the plan (:attr:`CarePlan.safety
<careplan.CarePlan.safety>`), and :func:`careplan.validate` runs these rules
when given a ``today``. Screens are answered item by item (:class:`ItemAnswers`, for PHQ-9's item 9)
or with the C-SSRS Screener (:class:`CSSRSScreen`, whose triage is data in
:data:`CSSRS_TRIAGE`); a clinician records a :class:`RiskAssessment` and a
:class:`SafetyPlan`; :func:`check_safety` follows each positive screen to an
assessment, a safety plan and an individual contact in the plan's week.

These records are health information of the most sensitive kind: reprs show
dates and levels only, messages never quote them, and no export writes them
(calendars never will). careplan supports clinical judgement and does not
replace it.
"""

from careplan._model.safety import (
    CSSRS_TRIAGE,
    DEFAULT_SAFETY_POLICY,
    GAD_7_ITEMS,
    NO_SAFETY_RECORD,
    PHQ_9_ITEMS,
    RISK_LEVELS,
    CSSRSScreen,
    Item,
    ItemAnswers,
    Questionnaire,
    RiskAssessment,
    RiskLevel,
    SafetyPlan,
    SafetyPolicy,
    SafetyRecord,
    Screen,
    higher_risk,
)
from careplan._operations.safety import check_safety, current_risk

__all__ = [
    "CSSRS_TRIAGE",
    "DEFAULT_SAFETY_POLICY",
    "GAD_7_ITEMS",
    "NO_SAFETY_RECORD",
    "PHQ_9_ITEMS",
    "RISK_LEVELS",
    "CSSRSScreen",
    "Item",
    "ItemAnswers",
    "Questionnaire",
    "RiskAssessment",
    "RiskLevel",
    "SafetyPlan",
    "SafetyPolicy",
    "SafetyRecord",
    "Screen",
    "check_safety",
    "current_risk",
    "higher_risk",
]
