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

from careplan._model.payer import BillingCode, LevelRules, PayerRules, Tier
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

#: Medicare partial hospitalization and intensive outpatient, as of CY 2024:
#: per diem in two tiers (three services, four or more); certification of a
#: need for 20 h/week (PHP) or 9 h/week (IOP); PHP recertified by the 18th
#: day of services, then at least every 30 days (42 CFR 424.24(e)); IOP at
#: least every other month (42 CFR 410.44, CY 2024 OPPS final rule): the
#: cadences of :data:`careplan.MEDICARE_REVIEW`, stated once; IOP not
#: furnished in the home, so virtual sessions do not
#: count; revenue codes 0905/0906 (IOP) and 0912/0913 (PHP), condition codes
#: 92 (IOP) and 41 (PHP). Verify the codes against the current CMS claims
#: processing manual.
MEDICARE_2024 = PayerRules(
    name="Medicare",
    version="CY2024",
    effective_from=pendulum.date(2024, 1, 1),
    source=(
        "42 CFR 410.43, 410.44, 424.24(e); SSA 1861(ff); CY 2024 OPPS final rule "
        "(CMS fact sheet, 2 Nov 2023)"
    ),
    levels=(
        LevelRules(
            levels=("IOP", "2.1"),
            billable_kinds=_SERVICES,
            min_services=3,
            min_hours_per_week=9,
            virtual="excluded",
            tiers=(
                Tier("3 services", 3, 3),
                Tier("4 or more services", 4),
            ),
            codes=(
                BillingCode(
                    "revenue", "0905", "Intensive outpatient, psychiatric", "mental_health"
                ),
                BillingCode(
                    "revenue", "0906", "Intensive outpatient, chemical dependency", "substance_use"
                ),
                BillingCode("condition", "92", "Intensive outpatient program claim"),
            ),
            recertification=MEDICARE_REVIEW.certification_cadence("IOP"),
        ),
        LevelRules(
            levels=("PHP", "2.5"),
            billable_kinds=_SERVICES,
            min_services=3,
            min_hours_per_week=20,
            virtual="excluded",
            tiers=(
                Tier(
                    "3 services",
                    3,
                    3,
                    (BillingCode("revenue", "0912", "Partial hospitalization, less intensive"),),
                ),
                Tier(
                    "4 or more services",
                    4,
                    None,
                    (BillingCode("revenue", "0913", "Partial hospitalization, intensive"),),
                ),
            ),
            codes=(BillingCode("condition", "41", "Partial hospitalization claim"),),
            recertification=MEDICARE_REVIEW.certification_cadence("PHP"),
        ),
    ),
)

#: A commercial-style pack on the HCPCS codes commonly used for these levels:
#: S9480 (intensive outpatient psychiatric services, per diem), H0015
#: (alcohol and/or drug intensive outpatient: a program of at least 3 hours a
#: day, 3 days a week), H0035 (mental health partial hospitalization, less
#: than 24 hours). Contracts differ: the 3-hour day for S9480 and the 4-hour
#: day for H0035 are clinic defaults, not published rules; virtual sessions
#: count.
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
            min_days_per_week=3,
            codes=(
                BillingCode(
                    "hcpcs", "S9480", "Intensive outpatient psychiatric, per diem", "mental_health"
                ),
                BillingCode(
                    "hcpcs", "H0015", "Alcohol and/or drug intensive outpatient", "substance_use"
                ),
            ),
        ),
        LevelRules(
            levels=("PHP", "2.5"),
            billable_kinds=_SERVICES,
            min_minutes=240,
            codes=(BillingCode("hcpcs", "H0035", "Mental health partial hospitalization"),),
        ),
    ),
)

#: The built-in packs by key (``careplan report --billing KEY``).
BUILTIN_PAYERS: Mapping[str, PayerRules] = MappingProxyType(
    {"medicare-2024": MEDICARE_2024, "commercial": COMMERCIAL}
)
