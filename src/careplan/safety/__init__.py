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

from careplan._model import safety as _values
from careplan._model.safety import *  # noqa: F403  (the values' public home)
from careplan._operations.safety import check_safety, current_risk

__all__ = [*_values.__all__, "check_safety", "current_risk"]
