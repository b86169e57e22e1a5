"""The built-in continua carry exactly the reference numbers."""

from __future__ import annotations

import pytest

import careplan as cp
from careplan import ASAM_3, ASAM_4, DEFAULT, LOCUS, MEDICARE, Range, SessionKind


def test_default_has_the_articles_five_levels_in_order():
    assert [(level.code, level.name) for level in DEFAULT] == [
        ("OP", "Outpatient Therapy"),
        ("IOP", "Intensive Outpatient Program"),
        ("PHP", "Partial Hospitalization Program"),
        ("RES", "Residential Treatment Program"),
        ("INP", "Inpatient Treatment Program"),
    ]


def test_default_numbers_match_the_article():
    iop, php, op = DEFAULT["IOP"], DEFAULT["PHP"], DEFAULT["OP"]
    assert iop.intensity.days_per_week == Range(3, 5)
    assert iop.intensity.hours_per_day == Range(3, 4)
    assert iop.intensity.hours_per_week == Range(9, 20)
    assert php.intensity.hours_per_day == Range(5, 6)
    # The article's "1–2 hours weekly" describes outpatient care; it is no
    # floor. ASAM level 1's "fewer than 9" is the only bound.
    assert op.intensity.hours_per_week == Range(max=9, upper="exclusive")
    assert [level.code for level in DEFAULT if level.overnight] == ["RES", "INP"]
    assert not iop.overnight
    assert not php.overnight


def test_iop_requires_group_individual_and_psychiatric_care():
    required = {(r.kind, r.every_weeks, r.severity) for r in DEFAULT["IOP"].required}
    assert required == {
        (SessionKind.GROUP_THERAPY, 1, "error"),
        (SessionKind.INDIVIDUAL_THERAPY, 1, "error"),
        (SessionKind.PSYCHIATRIC, 2, "warning"),
    }


@pytest.mark.parametrize(
    ("code", "hours"),
    [
        ("1", Range(max=9, upper="exclusive")),
        ("2.1", Range(9, 20, upper="exclusive")),
        ("2.5", Range(20)),
        ("3.1", Range(5)),
        ("0.5", Range()),
        ("3.3", Range()),
        ("4", Range()),
    ],
)
def test_asam_3_hours_per_week(code, hours):
    assert ASAM_3[code].intensity.hours_per_week == hours


def test_asam_3_residential_and_inpatient_are_overnight():
    assert [level.code for level in ASAM_3 if level.overnight] == ["3.1", "3.3", "3.5", "3.7", "4"]


def test_asam_4_has_no_level_3_3_and_leaves_unverified_hours_open():
    assert "3.3" not in ASAM_4
    assert ASAM_4.codes == ("1.0", "1.5", "1.7", "2.1", "2.5", "2.7", "3.1", "3.5", "3.7", "4.0")
    assert ASAM_4["1.5"].intensity.hours_per_week == Range(max=9, upper="exclusive")
    assert ASAM_4["2.1"].intensity.hours_per_week == Range(9, 20, upper="exclusive")
    assert ASAM_4["2.5"].intensity.hours_per_week == Range(20)
    for code in ("2.7", "3.1", "3.5", "3.7", "4.0"):
        assert ASAM_4[code].intensity.hours_per_week.is_open


def test_medicare_minimums():
    assert MEDICARE["PHP"].intensity.hours_per_week == Range(20)
    assert MEDICARE["IOP"].intensity.hours_per_week == Range(9)
    assert MEDICARE.above("IOP") == MEDICARE["PHP"]


def test_locus_names_only():
    assert LOCUS.codes == ("0", "1", "2", "3", "4", "5", "6")
    assert all(level.intensity == cp.Intensity() for level in LOCUS)


def test_neighbours_and_distance():
    assert DEFAULT.above("OP").code == "IOP"
    assert DEFAULT.below("IOP").code == "OP"
    assert DEFAULT.above("INP") is None
    assert DEFAULT.distance("PHP", "OP") == -2


def test_unknown_level_says_which_exist():
    with pytest.raises(cp.UnknownLevelError) as info:
        DEFAULT["ICU"]
    assert info.value.code == "ICU"
    assert "OP, IOP, PHP, RES, INP" in str(info.value)
    assert isinstance(info.value, cp.CarePlanError)
    assert isinstance(info.value, ValueError)


def test_range_bounds():
    asam_1 = Range(max=9, upper="exclusive")
    assert asam_1.contains(8.9)
    assert not asam_1.contains(9)
    assert Range(3, 5).contains(3)
    assert Range(3, 5).contains(5)
    assert not Range(3, 5).contains(5.5)
    assert str(Range(3, 5)) == "3–5"
    assert str(Range(20)) == "≥ 20"
    assert str(asam_1) == "< 9"


@pytest.mark.parametrize(
    ("args", "field"),
    [((5, 3), "Range"), ((-1, None), "Range.min"), ((float("nan"), None), "Range.min")],
)
def test_range_refuses_meaningless_bounds(args, field):
    with pytest.raises(cp.InvalidValueError) as info:
        Range(*args)
    assert info.value.field == field


def test_continuum_refuses_duplicate_codes_and_ranks():
    a = cp.LevelOfCare("A", "A", 1)
    with pytest.raises(cp.InvalidValueError, match="used by two levels"):
        cp.Continuum("x", [a, cp.LevelOfCare("A", "B", 2)])
    with pytest.raises(cp.InvalidValueError, match="rank of two levels"):
        cp.Continuum("x", [a, cp.LevelOfCare("B", "B", 1)])
    with pytest.raises(cp.InvalidValueError, match="no levels"):
        cp.Continuum("x", [])


def test_continuum_from_plain_data_orders_by_rank():
    continuum = cp.continuum_from_data(
        {
            "name": "Clinic",
            "levels": [
                {
                    "code": "HI",
                    "name": "High",
                    "rank": 2,
                    "intensity": {"hours_per_week": {"min": 12}},
                    "required": [{"kind": "group_therapy"}],
                },
                {"code": "LO", "name": "Low", "rank": 1, "overnight": False},
            ],
        }
    )
    assert continuum.codes == ("LO", "HI")
    assert continuum["HI"].intensity.hours_per_week == Range(12)
    assert continuum["HI"].required == (cp.RequiredComponent(SessionKind.GROUP_THERAPY),)
    assert cp.continuum_from_data(cp.continuum_to_data(continuum)) == continuum
    assert cp.continuum_from_json(
        '{"name": "Solo", "levels": [{"code": "A", "name": "A", "rank": 1}]}'
    ).codes == ("A",)


def test_continuum_from_bad_data_names_the_path():
    with pytest.raises(cp.DocumentError) as info:
        cp.continuum_from_data(
            {"name": "x", "levels": [{"code": "A", "name": "A", "rank": "high"}]}
        )
    assert info.value.path == "levels[0].rank"
    with pytest.raises(cp.DocumentError) as info:
        cp.continuum_from_data(
            {
                "name": "x",
                "levels": [
                    {
                        "code": "A",
                        "name": "A",
                        "rank": 1,
                        "intensity": {"hours_per_day": {"min": 5, "max": 2}},
                    }
                ],
            }
        )
    assert info.value.path.startswith("levels[0].intensity.hours_per_day")
