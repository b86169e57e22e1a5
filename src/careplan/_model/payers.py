"""The built-in payer rule packs, each number with its source.

Payer rules change every year; a pack names the year it reflects, and a
clinic checks it against the payer's current manual before relying on it
(see the payer reference page). Users build their own packs in code or in
JSON (:func:`careplan.payer_rules_from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import pendulum

from careplan._model.payer import BillingCode, LevelRules, PayerRules, ServiceCode, Tier
from careplan._model.review import MEDICARE_REVIEW

__all__ = ["BUILTIN_PAYERS", "COMMERCIAL", "MEDICARE_2024"]

# Services a PHP or IOP day can bill: individual and group therapy, family
# counselling, patient training and education, activity therapies and the
# physician's services (SSA 1861(ff)(2)); a check-in is not one.
_SERVICES = (
    "group_therapy",
    "individual_therapy",
    "family_therapy",
    "psychiatric",
    "psychoeducation",
    "life_skills",
)

# Rendering roles whose services are "separately covered and not paid as
# partial hospitalization services" (42 CFR 410.43(b); the IOP rule, 410.44,
# follows it): physicians (a psychiatrist is one), physician assistants,
# nurse practitioners, clinical nurse specialists, qualified psychologists.
_PROFESSIONALS = (
    "physician",
    "psychiatrist",
    "physician_assistant",
    "nurse_practitioner",
    "clinical_nurse_specialist",
    "psychologist",
)

_CH4 = "CMS Claims Processing Manual (Pub. 100-04) ch. 4, sec. 260.1 (PHP and IOP billing)"
_CPT_TIME = "CPT time rule: a timed code is reported once the midpoint of its time is passed"


def _medicare_services() -> tuple[ServiceCode, ...]:
    """Each PHP/IOP service on its own line: revenue code and HCPCS code (the tier is not coded)."""
    return (
        ServiceCode(
            ["group_therapy"],
            "0915",
            "G0410",
            "Group psychotherapy in a PHP or IOP, approximately 45 to 50 minutes",
            unit="minutes",
            unit_minutes=45,
            rounding="whole",
            source=f"HCPCS G0410 descriptor (a unit per 45-50 minutes); revenue code 0915; {_CH4}",
        ),
        ServiceCode(
            ["individual_therapy"],
            "0914",
            "90832",
            "Psychotherapy, 30 minutes (16-37 minutes)",
            min_minutes=16,
            max_minutes=37,
            source=f"CPT 90832; {_CPT_TIME}; revenue code 0914; {_CH4}",
        ),
        ServiceCode(
            ["individual_therapy"],
            "0914",
            "90834",
            "Psychotherapy, 45 minutes (38-52 minutes)",
            min_minutes=38,
            max_minutes=52,
            source=f"CPT 90834; {_CPT_TIME}; revenue code 0914; {_CH4}",
        ),
        ServiceCode(
            ["individual_therapy"],
            "0914",
            "90837",
            "Psychotherapy, 60 minutes (53 minutes or more)",
            min_minutes=53,
            source=f"CPT 90837; {_CPT_TIME}; revenue code 0914; {_CH4}",
        ),
        ServiceCode(
            ["family_therapy"],
            "0916",
            "90847",
            "Family psychotherapy with the patient present, 50 minutes (26 or more)",
            min_minutes=26,
            source=f"CPT 90847; {_CPT_TIME}; revenue code 0916; {_CH4}",
        ),
        ServiceCode(
            ["psychoeducation", "life_skills"],
            "0942",
            "G0177",
            "Training and educational services, per session (45 minutes or more)",
            min_minutes=45,
            source=f"HCPCS G0177 descriptor; revenue code 0942; {_CH4}",
        ),
    )


def _medicare_level(
    levels: tuple[str, str], hours: int, condition: BillingCode, source: str
) -> LevelRules:
    """Medicare's rules for IOP or PHP: they differ in hours, condition code and source."""
    return LevelRules(
        levels=levels,
        billable_kinds=_SERVICES,
        min_services=3,
        min_hours_per_week=hours,
        virtual="excluded",
        tiers=(
            Tier("3 services", 3, 3),
            Tier("4 or more services", 4),
        ),
        codes=(condition,),
        recertification=MEDICARE_REVIEW.certification_cadence(levels[0]),
        services=_medicare_services(),
        professional_roles=_PROFESSIONALS,
        type_of_bill="13X",
        source=source,
    )


#: Medicare partial hospitalization and intensive outpatient, as of CY 2024.
#: A day is paid per diem when it has three qualifying services or more, in
#: two tiers (three; four or more) chosen by their number, not by a revenue
#: code (CY 2024 OPPS final rule). Qualifying services are the per diem's
#: (42 CFR 410.43(a)); physicians', psychologists', nurse practitioners',
#: physician assistants' and clinical nurse specialists' services are billed
#: separately and do not count (42 CFR 410.43(b)). Each service goes on its
#: own line with its revenue and HCPCS code, the claim carries condition code
#: 92 (IOP) or 41 (PHP) on type of bill 13X (a CMHC bills 76X). Certification
#: of a need for 9 h/week (IOP) or 20 h/week (PHP); PHP recertified by the
#: 18th day of services, then at least every 30 days (42 CFR 424.24(e)); IOP
#: at least every other month (42 CFR 410.44): the cadences of
#: :data:`careplan.MEDICARE_REVIEW`, stated once; days after a lapse are not
#: payable. IOP is not furnished in the home, so virtual sessions do not
#: count. Verify the codes against the current CMS claims processing manual.
MEDICARE_2024 = PayerRules(
    name="Medicare",
    version="CY2024",
    effective_from=pendulum.date(2024, 1, 1),
    source=(
        "42 CFR 410.43, 410.44, 424.24(e); SSA 1861(ff); CY 2024 OPPS final rule "
        "(CMS fact sheet, 2 Nov 2023); " + _CH4
    ),
    levels=(
        _medicare_level(
            ("IOP", "2.1"),
            9,
            BillingCode("condition", "92", "Intensive outpatient program claim"),
            "42 CFR 410.44, 410.43(b); CY 2024 OPPS final rule; " + _CH4,
        ),
        _medicare_level(
            ("PHP", "2.5"),
            20,
            BillingCode("condition", "41", "Partial hospitalization claim"),
            "42 CFR 410.43, 424.24(e); SSA 1861(ff); " + _CH4,
        ),
    ),
)

#: A commercial-style pack on the HCPCS codes commonly used for these levels,
#: billed per diem: S9480 (intensive outpatient psychiatric services, per
#: diem) with revenue code 0905, or H0015 (alcohol and/or drug intensive
#: outpatient: a program of at least 3 hours a day and at least 3 days a
#: week) with 0906, chosen by :func:`careplan.substance_use`; H0035 (mental
#: health partial hospitalization, less than 24 hours). Contracts differ: the
#: 3-hour day for S9480 and the 4-hour day for H0035 are clinic defaults, not
#: published rules; virtual sessions count, with modifier 95 and place of
#: service 10 (telehealth in the patient's home).
COMMERCIAL = PayerRules(
    name="Commercial (HCPCS)",
    version="2024",
    effective_from=pendulum.date(2024, 1, 1),
    source="HCPCS Level II code descriptors (S9480, H0015, H0035); clinic defaults noted",
    levels=(
        LevelRules(
            levels=("IOP", "2.1"),
            billable_kinds=_SERVICES,
            min_minutes=180,
            codes=(
                BillingCode(
                    "revenue",
                    "0905",
                    "Intensive outpatient, psychiatric",
                    "mental_health",
                    source="NUBC revenue code 0905",
                ),
                BillingCode(
                    "revenue",
                    "0906",
                    "Intensive outpatient, chemical dependency",
                    "substance_use",
                    source="NUBC revenue code 0906",
                ),
                BillingCode(
                    "hcpcs",
                    "S9480",
                    "Intensive outpatient psychiatric, per diem",
                    "mental_health",
                    source="HCPCS S9480 descriptor",
                ),
                BillingCode(
                    "hcpcs",
                    "H0015",
                    "Alcohol and/or drug intensive outpatient",
                    "substance_use",
                    min_minutes=180,
                    min_days_per_week=3,
                    source="HCPCS H0015 descriptor: at least 3 hours a day, 3 days a week",
                ),
            ),
            telehealth_modifiers=("95",),
            telehealth_place_of_service="10",
            source="HCPCS S9480, H0015 descriptors; AMA CPT modifier 95; CMS place of service 10; "
            "the 3-hour day for S9480 is a clinic default",
        ),
        LevelRules(
            levels=("PHP", "2.5"),
            billable_kinds=_SERVICES,
            min_minutes=240,
            codes=(
                BillingCode(
                    "hcpcs",
                    "H0035",
                    "Mental health partial hospitalization",
                    source="HCPCS H0035 descriptor",
                ),
            ),
            telehealth_modifiers=("95",),
            telehealth_place_of_service="10",
            source="HCPCS H0035 descriptor; the 4-hour day is a clinic default",
        ),
    ),
)

#: The built-in packs by key (``careplan report --billing KEY``).
BUILTIN_PAYERS: Mapping[str, PayerRules] = MappingProxyType(
    {"medicare-2024": MEDICARE_2024, "commercial": COMMERCIAL}
)
