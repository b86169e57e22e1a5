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
#: for one to two weeks and still count as IOP (payer summaries of ASAM's
#: continued-service criteria, clinical-rules.md).
_ASAM_IOP_GRACE_WEEKS = 2

#: ASAM level 1 / 1.5 outpatient: adults fewer than 9 h/week, no minimum.
_ASAM_OUTPATIENT = Range(max=9, upper="exclusive")
#: ASAM 2.1 intensive outpatient: 9 h/week or more, fewer than 20.
_ASAM_IOP = Range(9, 20, upper="exclusive")
#: ASAM 2.5 (partial hospitalization / high-intensity outpatient): 20 h/week
#: or more; Medicare certifies PHP at the same 20 h (42 CFR 410.43).
_TWENTY_OR_MORE = Range(20)

_WEEKLY_CORE = (
    RequiredComponent(SessionKind.GROUP_THERAPY),
    RequiredComponent(SessionKind.INDIVIDUAL_THERAPY),
)

#: The article's five levels (Greater Boston Behavioral Health, "How IOP helps
#: you heal while living your life"). IOP's 9–20 h/week is the product of its
#: stated 3–5 days and 3–4 h/day. Outpatient's "1–2 hours weekly" describes
#: typical care and is no floor: its only bound is ASAM level 1's "fewer than
#: 9 hours". PHP's "5–6 hours daily" gives its hours per day; its 20 h/week
#: minimum is Medicare's and ASAM 2.5's, and its 5 days a week are careplan's
#: reading of "daily" (a clinic default). Required group and individual
#: therapy come from the article's list of what IOP includes; the psychiatric
#: cadences are clinic defaults (ASAM allows psychiatric needs at 2.1 to be met
#: by consultation and referral), so missing them is a warning. Build your own
#: continuum to change any of it.
DEFAULT = Continuum(
    "DEFAULT",
    (
        LevelOfCare(
            "OP",
            "Outpatient Therapy",
            1,
            Intensity(hours_per_week=_ASAM_OUTPATIENT),
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
            required=(
                *_WEEKLY_CORE,
                RequiredComponent(SessionKind.PSYCHIATRIC, every_weeks=2, severity="warning"),
            ),
            step_down_grace_weeks=_ASAM_IOP_GRACE_WEEKS,
        ),
        LevelOfCare(
            "PHP",
            "Partial Hospitalization Program",
            3,
            Intensity(
                days_per_week=Range(5),
                hours_per_day=Range(5, 6),
                hours_per_week=_TWENTY_OR_MORE,
            ),
            best_for=("intensive, full-day treatment",),
            required=(
                *_WEEKLY_CORE,
                RequiredComponent(SessionKind.PSYCHIATRIC, severity="warning"),
            ),
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


def _asam_2_1(name: str) -> LevelOfCare:
    """ASAM level 2.1, named as its edition names it: the same hours and grace in both."""
    return LevelOfCare(
        "2.1", name, 2.1, _hours(_ASAM_IOP), step_down_grace_weeks=_ASAM_IOP_GRACE_WEEKS
    )


#: ASAM Criteria, 3rd edition (2013), adult hours per week. Adolescent
#: thresholds differ (level 1 < 6 h, 2.1 from 6 h): build a continuum for them.
#: The ladder leaves out 3.3, a population-specific level a client is placed
#: in rather than stepped through, and gives level 1 no default step down:
#: 0.5 (early intervention) comes before treatment, not after it. A step up
#: never lowers the intensity floor: 2.5 (20 h/week or more) steps up to 3.5,
#: not to 3.1 (at least 5 clinical hours a week), which a client steps down
#: into from 3.5 or is placed in.
ASAM_3 = Continuum(
    "ASAM_3",
    (
        LevelOfCare("0.5", "Early Intervention", 0.5),
        LevelOfCare("1", "Outpatient Services", 1, _hours(_ASAM_OUTPATIENT)),
        _asam_2_1("Intensive Outpatient Services"),
        LevelOfCare("2.5", "Partial Hospitalization Services", 2.5, _hours(_TWENTY_OR_MORE)),
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
    step_down_targets={
        "0.5": None,
        "1": None,
        "2.1": "1",
        "2.5": "2.1",
        "3.1": "2.5",
        "3.3": "3.1",
        "3.5": "3.1",
        "3.7": "3.5",
        "4": "3.7",
    },
    step_up_targets={
        "0.5": "1",
        "1": "2.1",
        "2.1": "2.5",
        "2.5": "3.5",
        "3.1": "3.5",
        "3.3": "3.5",
        "3.5": "3.7",
        "3.7": "4",
        "4": None,
    },
)

#: ASAM Criteria, 4th edition (2023, adults). Hours for 2.7 and the
#: residential and inpatient levels are not verified and stay open. Levels
#: ending in .1 and .5 are clinically managed, .7 and 4.0 medically managed:
#: two tracks side by side, so each level steps to the next level of its own
#: track (2.1 down to 1.5, 1.5 up to 2.1, 3.7 down to 2.7). The tracks meet
#: where one ends: 1.7 steps down to 1.5, 3.5 steps up to 3.7. As in the 3rd
#: edition, 2.5 steps up to high-intensity residential (3.5), never to the
#: low-intensity 3.1.
ASAM_4 = Continuum(
    "ASAM_4",
    (
        LevelOfCare("1.0", "Long-Term Remission Monitoring", 1.0),
        LevelOfCare("1.5", "Outpatient Therapy", 1.5, _hours(_ASAM_OUTPATIENT)),
        LevelOfCare("1.7", "Medically Managed Outpatient", 1.7),
        _asam_2_1("Intensive Outpatient"),
        LevelOfCare("2.5", "High-Intensity Outpatient", 2.5, _hours(_TWENTY_OR_MORE)),
        LevelOfCare("2.7", "Medically Managed Intensive Outpatient", 2.7),
        LevelOfCare("3.1", "Clinically Managed Low-Intensity Residential", 3.1, overnight=True),
        LevelOfCare("3.5", "Clinically Managed High-Intensity Residential", 3.5, overnight=True),
        LevelOfCare("3.7", "Medically Managed Residential", 3.7, overnight=True),
        LevelOfCare("4.0", "Medically Managed Inpatient", 4.0, overnight=True),
    ),
    step_down_targets={
        "1.0": None,
        "1.5": "1.0",
        "1.7": "1.5",
        "2.1": "1.5",
        "2.5": "2.1",
        "2.7": "1.7",
        "3.1": "2.5",
        "3.5": "3.1",
        "3.7": "2.7",
        "4.0": "3.7",
    },
    step_up_targets={
        "1.0": "1.5",
        "1.5": "2.1",
        "1.7": "2.7",
        "2.1": "2.5",
        "2.5": "3.5",
        "2.7": "3.7",
        "3.1": "3.5",
        "3.5": "3.7",
        "3.7": "4.0",
        "4.0": None,
    },
)

#: Medicare: PHP needs at least 20 h/week (42 CFR 410.43); IOP, a benefit
#: since 1 January 2024, at least 9 h/week (CY2024 OPPS final rule). The two
#: per-diem benefits are all this continuum holds, so care under 9 h/week is
#: not on it: a documented gap, not an oversight.
MEDICARE = Continuum(
    "MEDICARE",
    (
        LevelOfCare("IOP", "Intensive Outpatient Program", 2, _hours(Range(9))),
        LevelOfCare("PHP", "Partial Hospitalization Program", 3, _hours(_TWENTY_OR_MORE)),
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
