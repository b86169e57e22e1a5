"""The built-in continua of care, as data.

Only codes, names and numeric thresholds are shipped: the text of the ASAM
Criteria and of LOCUS is copyrighted. A threshold the sources do not state
stays open (``Range()``) rather than invented. Sources are listed in
``docs/explanation/levels-of-care.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from careplan._model.kinds import SessionKind
from careplan._model.levels import Continuum, Intensity, LevelOfCare, Range, RequiredComponent

__all__ = ["ASAM_3", "ASAM_4", "BUILTIN_CONTINUA", "DEFAULT", "LOCUS", "MEDICARE"]

#: ASAM: a patient stepping down from IOP may fall below its weekly minimum
#: for one to two weeks and still count as IOP.
_ASAM_IOP_GRACE_WEEKS = 2

_WEEKLY_CORE = (
    RequiredComponent(SessionKind.GROUP_THERAPY),
    RequiredComponent(SessionKind.INDIVIDUAL_THERAPY),
)

#: The article's five levels (Greater Boston Behavioral Health, "How IOP helps
#: you heal while living your life"). IOP's 9–20 h/week is the product of its
#: stated 3–5 days and 3–4 h/day. Required components are careplan's default
#: reading of the article ("individual and group therapy, medication
#: management and psychiatric care"); the psychiatric cadence is a clinic
#: choice, not a published number: build your own continuum to change it.
DEFAULT = Continuum(
    "DEFAULT",
    (
        LevelOfCare(
            "OP",
            "Outpatient Therapy",
            1,
            Intensity(hours_per_week=Range(1, 2)),
            best_for=("maintenance and follow-up care",),
        ),
        LevelOfCare(
            "IOP",
            "Intensive Outpatient Program",
            2,
            Intensity(
                days_per_week=Range(3, 5),
                hours_per_day=Range(3, 4),
                hours_per_week=Range(9, 20),
            ),
            best_for=("structured therapy with part-time flexibility",),
            required=(*_WEEKLY_CORE, RequiredComponent(SessionKind.PSYCHIATRIC, every_weeks=2)),
            step_down_grace_weeks=_ASAM_IOP_GRACE_WEEKS,
        ),
        LevelOfCare(
            "PHP",
            "Partial Hospitalization Program",
            3,
            Intensity(hours_per_day=Range(5, 6)),
            best_for=("intensive, full-day treatment",),
            required=(*_WEEKLY_CORE, RequiredComponent(SessionKind.PSYCHIATRIC)),
        ),
        LevelOfCare(
            "RES",
            "Residential Treatment Program",
            4,
            overnight=True,
            best_for=("extended treatment in a live-in therapeutic setting",),
        ),
        LevelOfCare(
            "INP",
            "Inpatient Treatment Program",
            5,
            overnight=True,
            best_for=("psychiatric emergencies", "detox", "suicidal ideation"),
        ),
    ),
)


def _hours(week: Range) -> Intensity:
    return Intensity(hours_per_week=week)


#: ASAM Criteria, 3rd edition (2013), adult hours per week. Adolescent
#: thresholds differ (level 1 < 6 h, 2.1 from 6 h): build a continuum for them.
ASAM_3 = Continuum(
    "ASAM_3",
    (
        LevelOfCare("0.5", "Early Intervention", 0.5),
        LevelOfCare("1", "Outpatient Services", 1, _hours(Range(max=9, upper="exclusive"))),
        LevelOfCare(
            "2.1",
            "Intensive Outpatient Services",
            2.1,
            _hours(Range(9, 19)),
            step_down_grace_weeks=_ASAM_IOP_GRACE_WEEKS,
        ),
        LevelOfCare("2.5", "Partial Hospitalization Services", 2.5, _hours(Range(20))),
        LevelOfCare(
            "3.1",
            "Clinically Managed Low-Intensity Residential Services",
            3.1,
            _hours(Range(5)),
            overnight=True,
        ),
        LevelOfCare(
            "3.3",
            "Clinically Managed Population-Specific High-Intensity Residential Services",
            3.3,
            overnight=True,
        ),
        LevelOfCare(
            "3.5", "Clinically Managed High-Intensity Residential Services", 3.5, overnight=True
        ),
        LevelOfCare("3.7", "Medically Monitored Intensive Inpatient Services", 3.7, overnight=True),
        LevelOfCare("4", "Medically Managed Intensive Inpatient Services", 4, overnight=True),
    ),
)

#: ASAM Criteria, 4th edition (2023, adults). Hours for 2.7 and the
#: residential and inpatient levels are not verified and stay open.
ASAM_4 = Continuum(
    "ASAM_4",
    (
        LevelOfCare("1.0", "Long-Term Remission Monitoring", 1.0),
        LevelOfCare("1.5", "Outpatient Therapy", 1.5, _hours(Range(max=9, upper="exclusive"))),
        LevelOfCare("1.7", "Medically Managed Outpatient", 1.7),
        LevelOfCare(
            "2.1",
            "Intensive Outpatient",
            2.1,
            _hours(Range(9, 19)),
            step_down_grace_weeks=_ASAM_IOP_GRACE_WEEKS,
        ),
        LevelOfCare("2.5", "High-Intensity Outpatient", 2.5, _hours(Range(20))),
        LevelOfCare("2.7", "Medically Managed Intensive Outpatient", 2.7),
        LevelOfCare("3.1", "Clinically Managed Low-Intensity Residential", 3.1, overnight=True),
        LevelOfCare("3.5", "Clinically Managed High-Intensity Residential", 3.5, overnight=True),
        LevelOfCare("3.7", "Medically Managed Residential", 3.7, overnight=True),
        LevelOfCare("4.0", "Medically Managed Inpatient", 4.0, overnight=True),
    ),
)

#: Medicare: PHP needs at least 20 h/week (42 CFR 410.43); IOP, a benefit
#: since 1 January 2024, at least 9 h/week (CY2024 OPPS final rule).
MEDICARE = Continuum(
    "MEDICARE",
    (
        LevelOfCare("IOP", "Intensive Outpatient Program", 2, _hours(Range(9))),
        LevelOfCare("PHP", "Partial Hospitalization Program", 3, _hours(Range(20))),
    ),
)

#: LOCUS (Level of Care Utilization System) levels: names and numbers only.
LOCUS = Continuum(
    "LOCUS",
    (
        LevelOfCare("0", "Basic Services", 0),
        LevelOfCare("1", "Recovery Maintenance and Health Management", 1),
        LevelOfCare("2", "Low Intensity Community Based Services", 2),
        LevelOfCare("3", "High Intensity Community Based Services", 3),
        LevelOfCare("4", "Medically Monitored Non-Residential Services", 4),
        LevelOfCare("5", "Medically Monitored Residential Services", 5, overnight=True),
        LevelOfCare("6", "Medically Managed Residential Services", 6, overnight=True),
    ),
)

#: The built-in continua by name; a careplan document names these instead of
#: embedding them.
BUILTIN_CONTINUA: Mapping[str, Continuum] = MappingProxyType(
    {c.name: c for c in (DEFAULT, ASAM_3, ASAM_4, MEDICARE, LOCUS)}
)
