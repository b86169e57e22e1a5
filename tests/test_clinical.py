"""The clinical facts of issue 12, each pinned with its source.

Sources are those of ``docs/explanation/levels-of-care.md`` (the shared
reference notes ``levels-of-care.md`` and ``clinical-rules.md``): the
article of the DEFAULT continuum, the ASAM Criteria (3rd and 4th edition, as
summarised by payers and the Medicaid IAP overview), 42 CFR 410.43 and the
CY2024 OPPS final rule for Medicare, SAMHSA's TEDS discharge types, FHIR R5.
"""

from __future__ import annotations

import json

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import careplan as cp
from careplan import ASAM_3, ASAM_4, DEFAULT, Range, SessionKind
from careplan._operations.weeks import week_figures
from careplan.demo import sample_plan, sample_schedule
from careplan.testing import attendance_records, care_plans, continua, levels_on_continua

MONDAY = pendulum.date(2027, 1, 4)
ZONE = "America/New_York"
ROOM = cp.Modality.in_person("Room 1")
GROUP, INDIVIDUAL, PSYCH = (
    SessionKind.GROUP_THERAPY,
    SessionKind.INDIVIDUAL_THERAPY,
    SessionKind.PSYCHIATRIC,
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def plan_at(code, sessions, *, continuum=DEFAULT, weeks=4, start=MONDAY, **fields):
    return cp.CarePlan(
        cp.Client("c-12"),
        continuum[code],
        cp.WeeklySchedule(ZONE, sessions),
        start,
        start.add(weeks=weeks).subtract(days=1),
        continuum=continuum,
        id="issue-12",
        **fields,
    )


def groups(minutes_by_day):
    """One group session a day, of the given minutes (a group may run all day)."""
    return [
        cp.Session(day, "08:00", minutes, GROUP, modality=ROOM)
        for day, minutes in minutes_by_day.items()
    ]


def codes(report, severity=None):
    return sorted(v.code for v in report.violations if severity in (None, v.severity))


# --- 1. no gaps between levels ---------------------------------------------------

#: Gaps in the weekly hours of a built-in continuum that its source documents.
#: MEDICARE holds the two per-diem benefits only: fewer than 9 h/week is not
#: Medicare IOP (CY2024 OPPS final rule), and outpatient therapy is not on it.
DOCUMENTED_GAPS = {"MEDICARE": Range(0, 9, upper="exclusive")}


@pytest.mark.parametrize("continuum", list(cp.BUILTIN_CONTINUA.values()), ids=lambda c: c.name)
def test_every_weekly_total_fits_a_level_with_a_stated_range(continuum):
    """ASAM 3rd/4th ed.: level 1 (1.5) fewer than 9 h, 2.1 from 9 to fewer than 20, 2.5 from 20.

    Every weekly total from 0 to 60 h in quarter hours is in the
    ``hours_per_week`` range (the one ``intensity.hours_per_week`` judges
    by) of a level that is not 24-hour care and states a range, unless the
    source documents the gap. A continuum stating no range (LOCUS) has
    nothing to cover.
    """
    stated = [
        level.intensity.hours_per_week
        for level in continuum
        if not level.overnight and not level.intensity.hours_per_week.is_open
    ]
    gap = DOCUMENTED_GAPS.get(continuum.name)
    for quarter in range(60 * 4 + 1):
        hours = quarter / 4
        if stated and not (gap is not None and gap.contains(hours)):
            assert any(bounds.contains(hours) for bounds in stated), (continuum.name, hours)
        # Whatever the ranges, some level that is not 24-hour care takes it.
        assert gap is not None or any(
            level.intensity.hours_per_week.contains(hours)
            for level in continuum
            if not level.overnight
        )


@pytest.mark.parametrize("continuum", [ASAM_3, ASAM_4], ids=lambda c: c.name)
def test_a_week_of_19_and_a_half_hours_is_intensive_outpatient(continuum):
    """ASAM 2.1 is "9 or more, fewer than 20" h/week; 2.5 is "20 or more" (clinical-rules.md)."""
    iop, php = continuum["2.1"].intensity.hours_per_week, continuum["2.5"].intensity.hours_per_week
    assert iop == Range(9, 20, upper="exclusive")
    assert php == Range(20)
    assert iop.contains(19.5)
    assert not iop.contains(20)
    assert php.contains(20)
    # Three days of 6.5 h: 19.5 h/week at 2.1 is judged in range.
    plan = plan_at("2.1", groups(dict.fromkeys(WEEKDAYS[:3], 390)), continuum=continuum)
    assert "intensity.hours_per_week" not in cp.validate(plan).codes


# --- 2. continua are ladders -----------------------------------------------------


def test_asam_4_steps_along_its_own_track():
    """ASAM 4th ed.: .1 and .5 levels are clinically managed, .7 and 4 medically managed;
    two tracks side by side, not one ladder (clinical-rules.md)."""
    assert ASAM_4.below("2.1").code == "1.5"
    assert ASAM_4.above("1.5").code == "2.1"
    assert ASAM_4.below("3.7").code == "2.7"
    assert ASAM_4.above("1.7").code == "2.7"
    assert ASAM_4.above("2.5").code == "3.5"  # issue 29, item 7
    assert ASAM_4.below("1.0") is None
    assert ASAM_4.above("4.0") is None


def test_asam_3_steps_down_from_3_5_to_3_1_not_to_the_population_specific_3_3():
    """ASAM 3rd ed.: 3.3 is population-specific high-intensity residential (clinical-rules.md)."""
    assert ASAM_3.below("3.5").code == "3.1"
    assert ASAM_3.above("3.1").code == "3.5"
    assert ASAM_3.distance("3.5", "3.1") == -1
    assert ASAM_3.below("1") is None  # 0.5 early intervention comes before treatment


def test_the_default_step_down_from_2_1_is_1_5_and_skips_nothing():
    """ASAM 4th ed.: an ordinary 2.1 -> 1.5 step down is one step (clinical-rules.md)."""
    iop = groups(dict.fromkeys(WEEKDAYS[:3], 200))
    plan = plan_at("2.1", iop, continuum=ASAM_4, weeks=8)
    weekly = [cp.Session("wednesday", "17:00", 50, INDIVIDUAL, modality=ROOM)]
    stepped = cp.step_down(
        plan,
        on=MONDAY.add(weeks=4),
        reason="stabilised",
        schedule=cp.WeeklySchedule(ZONE, weekly),
    )
    assert stepped.level.code == "1.5"
    assert "transition.skipped_levels" not in cp.validate(stepped).codes
    up = cp.step_up(
        plan_at("1.5", weekly, continuum=ASAM_4), on=MONDAY.add(weeks=1), reason="relapse_risk"
    )
    assert up.level.code == "2.1"
    far = cp.step_down(plan, on=MONDAY.add(weeks=4), reason="goals_met", to="1.0")
    (skipped,) = [v for v in cp.validate(far).warnings if v.code == "transition.skipped_levels"]
    assert "skipping 1 level(s)" in skipped.message


def test_outpatient_at_iop_intensity_is_judged_against_its_step_up_target():
    """ASAM 4th ed.: 1.5 is fewer than 9 h/week; 9 h is 2.1, its step-up target, not 1.7."""
    plan = plan_at("1.5", groups(dict.fromkeys(WEEKDAYS[:3], 180)), continuum=ASAM_4)
    (fit,) = [v for v in cp.validate(plan).errors if v.code == "level_fit.too_intense"]
    assert "the intensity of Intensive Outpatient (from 9 h/week)" in fit.message


@given(st.sampled_from(list(cp.BUILTIN_CONTINUA.values())) | continua())
def test_default_step_targets_are_on_the_continuum_and_step_the_right_way(continuum):
    for level in continuum:
        up, down = continuum.above(level), continuum.below(level)
        assert up is None or (up in continuum and up.rank > level.rank)
        assert down is None or (down in continuum and down.rank < level.rank)
        if up is not None:
            assert continuum.distance(level, up) == 1
        if down is not None:
            assert continuum.distance(level, down) == -1


def test_a_step_target_in_the_wrong_direction_or_off_the_continuum_is_refused():
    levels = [cp.LevelOfCare("A", "A", 1), cp.LevelOfCare("B", "B", 2)]
    with pytest.raises(cp.InvalidValueError, match="is not below"):
        cp.Continuum("x", levels, step_down_targets={"A": "B"})
    with pytest.raises(cp.InvalidValueError, match="not a level of the continuum"):
        cp.Continuum("x", levels, step_up_targets={"A": "C"})
    with pytest.raises(cp.InvalidValueError, match="not a level of the continuum"):
        cp.Continuum("x", levels, step_up_targets={"Z": "B"})


def test_step_targets_travel_as_data_and_older_continua_still_read():
    data = cp.continuum_to_data(ASAM_4)
    assert data["step_down_targets"]["2.1"] == "1.5"
    assert data["step_up_targets"]["4.0"] is None
    assert cp.continuum_from_data(data) == ASAM_4
    older = {"name": "Old", "levels": [{"code": "A", "name": "A", "rank": 1}]}
    assert cp.continuum_from_data(older).step_down_targets == {}
    assert "step_down_targets" not in cp.continuum_to_data(cp.continuum_from_data(older))
    bad = {**data, "step_down_targets": {"2.1": "2.5"}}
    with pytest.raises(cp.DocumentError) as info:
        cp.continuum_from_data(bad)
    assert info.value.path == "step_down_targets.2.1"


# --- 3. DEFAULT PHP has a weekly minimum and its days ---------------------------


def test_three_five_hour_days_are_not_partial_hospitalization():
    """Medicare certifies PHP at 20 h/week or more (42 CFR 410.43); ASAM 2.5 is 20 h or more;
    the article's PHP runs daily, 5–6 h a day (5 days a week is careplan's reading)."""
    php = DEFAULT["PHP"].intensity
    assert php.hours_per_week == Range(20)
    assert php.days_per_week == Range(5)
    report = cp.validate(plan_at("PHP", groups(dict.fromkeys(WEEKDAYS[:3], 300))))
    assert {"intensity.hours_per_week", "intensity.days_per_week"} <= set(codes(report, "error"))
    full = groups(dict.fromkeys(WEEKDAYS, 300))
    full += [
        cp.Session(d, "13:30", 30, k, modality=ROOM)
        for d, k in (("monday", INDIVIDUAL), ("tuesday", PSYCH))
    ]
    assert "intensity.hours_per_week" not in cp.validate(plan_at("PHP", full)).codes


# --- 4. outpatient has no floor --------------------------------------------------


@pytest.mark.parametrize("every_weeks", [1, 2])
def test_a_weekly_or_biweekly_therapy_hour_is_ordinary_outpatient_care(every_weeks):
    """ASAM level 1: fewer than 9 h/week, no minimum; the article's "1–2 hours weekly"
    describes outpatient care, it is no floor."""
    session = cp.Session(
        "thursday", "17:00", 50, INDIVIDUAL, modality=ROOM, every_weeks=every_weeks
    )
    report = cp.validate(plan_at("OP", [session], weeks=8))
    assert report.violations == ()


def test_too_much_outpatient_care_stays_a_finding():
    """ASAM level 1 is fewer than 9 h/week: 9 h is intensive outpatient."""
    report = cp.validate(plan_at("OP", groups(dict.fromkeys(WEEKDAYS[:3], 180))))
    assert {"intensity.hours_per_week", "level_fit.too_intense"} <= set(codes(report, "error"))


# --- 5. 24-hour care is not asked for five days -----------------------------------


def test_a_halfway_house_with_two_evening_groups_meets_asam_3_1():
    """ASAM 3.1: at least 5 h/week of clinical services, 24-hour setting; no source sets days."""
    evenings = [
        cp.Session(day, "18:00", 150, GROUP, modality=ROOM) for day in ("tuesday", "thursday")
    ]
    report = cp.validate(plan_at("3.1", evenings, continuum=ASAM_3))
    assert report.ok
    assert report.violations == ()
    short = cp.validate(plan_at("3.1", evenings[:1], continuum=ASAM_3))
    assert "intensity.hours_per_week" in codes(short, "error")


# --- 6. required components carry a severity ---------------------------------------


def test_a_missing_psychiatric_consult_at_iop_is_a_warning():
    """ASAM 2.1: psychiatric needs may be met through consultation and referral (payer
    summaries); DEFAULT IOP's consult every two weeks is a clinic default."""
    plan = sample_plan()
    without = cp.WeeklySchedule(ZONE, [s for s in plan.schedule.sessions if s.kind != PSYCH])
    report = cp.validate(attrs.evolve(plan, schedule=without))
    assert report.ok
    (missing,) = [
        v for v in report.warnings if v.code == "required.missing" and "psychiatric" in v.message
    ]
    assert "the schedule from 2027-01-04 has none" in missing.message
    group_free = cp.WeeklySchedule(ZONE, [s for s in plan.schedule.sessions if s.kind != GROUP])
    assert "required.missing" in codes(
        cp.validate(attrs.evolve(plan, schedule=group_free)), "error"
    )


def test_component_severity_travels_in_json():
    levels = [
        cp.LevelOfCare("X", "X", 1, required=[cp.RequiredComponent(PSYCH, 2, severity="warning")])
    ]
    continuum = cp.Continuum("Mine", levels)
    data = cp.continuum_to_data(continuum)
    assert data["levels"][0]["required"] == [
        {"kind": "psychiatric", "every_weeks": 2, "severity": "warning"}
    ]
    assert cp.continuum_from_data(data) == continuum
    with pytest.raises(cp.InvalidValueError):
        cp.RequiredComponent(PSYCH, severity="fatal")


# --- 7. authorization units count delivered care ---------------------------------


def _authorized(plan, units, unit="days"):
    return attrs.evolve(
        plan, authorizations=[cp.Authorization(plan.level.code, plan.start, plan.end, units, unit)]
    )


def test_no_shows_and_program_cancellations_use_no_units():
    """A payer counts billed days: days with care delivered (clinical-rules.md, claims)."""
    plan = _authorized(sample_plan(), 40)
    first_week = [o for o in plan.occurrences() if o.date <= MONDAY.add(days=6)]
    statuses = {0: "attended", 1: "absent_unexcused", 2: "cancelled_by_program"}
    days = sorted({o.date for o in first_week})
    records = [
        cp.Attendance(o.session.id, o.scheduled_on, statuses[days.index(o.date) % 3])
        for o in first_week
    ]
    plan = plan.with_attendance(*records)
    (use,) = cp.authorization_use(plan)
    assert use.used == 1  # only the day with care delivered
    assert use.pace == pytest.approx(1 / 2)  # the cancelled day is no unit at all
    sessions = _authorized(plan, 40, "sessions")
    (by_session,) = cp.authorization_use(sessions)
    assert by_session.used == sum(r.status == "attended" for r in records)


def test_units_used_beyond_the_grant_are_an_error_and_the_run_out_date_is_projected():
    plan = sample_plan()
    until = MONDAY.add(weeks=2).subtract(days=1)
    attended = [
        cp.Attendance(o.session.id, o.scheduled_on) for o in plan.occurrences() if o.date <= until
    ]
    over = _authorized(plan, 3).with_attendance(*attended)
    assert "authorization.units_exceeded" in codes(cp.validate(over, today=until), "error")
    enough = _authorized(plan, 20).with_attendance(*attended)
    (use,) = cp.authorization_use(enough)
    assert use.runs_out_on is not None
    (warning,) = [
        v
        for v in cp.validate(enough, today=until).warnings
        if v.code == "authorization.units_run_out"
    ]
    assert str(use.runs_out_on) in warning.message
    lasting = _authorized(plan, 100).with_attendance(*attended)
    assert cp.authorization_use(lasting)[0].runs_out_on is None


@given(care_plans(history=False).flatmap(attendance_records), st.sampled_from(["days", "sessions"]))
def test_units_used_never_exceed_delivered_days_or_sessions(plan, unit):
    plan = attrs.evolve(
        plan,
        authorizations=[cp.Authorization(plan.level.code, plan.start, plan.end, 5, unit)],
    )
    present = {r.key for r in plan.attendance if r.present}
    # A billed day is the day care was delivered: a moved session's new date.
    dates = {o.date for o in plan.occurrences() if o.key in present}
    delivered = len(dates) if unit == "days" else len(present)
    (use,) = cp.authorization_use(plan)
    assert 0 <= use.used <= delivered
    assert use.used <= use.scheduled


# --- 8. poor attendance is not stability ----------------------------------------------


def test_attendance_below_minimum_points_to_engagement_not_a_step_down():
    """Poor attendance is not evidence of stability (ASAM continued-service criteria)."""
    plan = sample_plan()
    records = [
        cp.Attendance(o.session.id, o.scheduled_on, "absent_unexcused")
        for o in plan.occurrences()
        if o.date < MONDAY.add(weeks=2)
    ]
    report = cp.validate(plan.with_attendance(*records), today=MONDAY.add(weeks=2))
    (low,) = [v for v in report.warnings if v.code == "attendance.below_minimum"]
    assert "step down" not in low.message
    assert "barriers" in low.message
    assert "reassess" in low.message


# --- 9. same-day moves -----------------------------------------------------------------


def test_admitted_and_discharged_the_same_day():
    """A client who leaves against professional advice on day 1 (TEDS discharge types)."""
    plan = sample_plan()
    gone = cp.discharge(plan, on=plan.start, reason="left_against_advice")
    assert gone.end == gone.start == MONDAY
    assert [(e.level.code, e.days) for e in gone.episodes] == [("IOP", 1)]
    assert cp.from_json(cp.to_json(gone)) == gone
    cp.validate(gone)
    assert cp.to_ical(gone)
    assert all(o.date == MONDAY for o in gone.occurrences())


def test_stepped_up_and_transferred_out_the_same_day():
    plan = sample_plan()
    day = MONDAY.add(weeks=3)
    ward = cp.WeeklySchedule(ZONE)
    moved = cp.step_up(plan, on=day, reason="safety_concern", to="INP", schedule=ward)
    moved = cp.discharge(moved, on=day, reason="transferred")
    assert [(e.level.code, str(e.start), str(e.end)) for e in moved.episodes] == [
        ("IOP", "2027-01-04", "2027-01-24"),
        ("INP", "2027-01-25", "2027-01-25"),
    ]
    assert moved.level_on(day).code == "INP"
    assert cp.from_json(cp.to_json(moved)) == moved


def test_admitted_at_one_level_and_moved_the_same_day_leaves_an_empty_episode():
    """Several transitions on one date happen in history order; the level in between has no days."""
    plan = sample_plan()
    php_week = cp.WeeklySchedule(ZONE, groups(dict.fromkeys(WEEKDAYS, 300)))
    moved = cp.step_up(plan, on=plan.start, reason="worsening_symptoms", schedule=php_week)
    moved = cp.step_up(
        moved, on=plan.start, reason="safety_concern", schedule=cp.WeeklySchedule(ZONE)
    )
    moved = cp.step_down(
        moved, on=plan.start.add(weeks=1), reason="stabilised", to="PHP", schedule=php_week
    )
    first, second, third, fourth = moved.episodes
    assert (first.level.code, first.days, second.level.code, second.days) == ("IOP", 0, "PHP", 0)
    assert (third.level.code, third.days, fourth.level.code) == ("RES", 7, "PHP")
    assert moved.level_on(plan.start).code == "RES"
    assert all(o.episode in (2, 3) for o in moved.occurrences())
    assert {w.episode for w in week_figures(moved)} == {2, 3}
    report = cp.validate(moved)
    # Nothing is judged for the levels left on the day they began.
    assert not any(
        v.dates == (plan.start,) and v.code.startswith(("intensity", "required"))
        for v in report.violations
    )
    assert cp.from_json(cp.to_json(moved)) == moved
    assert cp.to_ical(moved)
    assert moved.to_dataframe()["episode"].isin([2, 3]).all()


def test_a_transition_before_the_last_one_is_refused():
    plan = cp.step_up(sample_plan(), on=MONDAY.add(weeks=2), reason="relapse_risk")
    with pytest.raises(cp.TransitionError, match="is before the last transition"):
        cp.step_down(plan, on=MONDAY.add(weeks=2).subtract(days=1), reason="stabilised")
    with pytest.raises(cp.TransitionError, match="is before the plan's start"):
        cp.step_up(sample_plan(), on=MONDAY.subtract(days=1), reason="relapse_risk")


# --- 10. discharge: reasons, referral, taper, readmission, holds -------------------------


def test_discharge_reasons_follow_the_teds_discharge_types():
    """SAMHSA TEDS discharge types (clinical-rules.md, "Discharge reasons")."""
    codes_ = {r.code for r in cp.TransitionReason.builtins() if r.direction == "discharge"}
    assert {
        "treatment_completed",
        "left_against_advice",
        "terminated_by_facility",
        "transferred",
        "incarcerated",
        "death",
        "moved",
        "other",
    } <= codes_
    assert cp.TransitionReason.from_code("treatment_completed").completes_treatment
    assert not cp.TransitionReason.from_code("left_against_advice").completes_treatment


def _tapering_iop(weeks=8):
    """An IOP plan whose last two weeks fall to 6 h (a taper before leaving)."""
    plan = sample_plan(weeks=weeks)
    taper = cp.WeeklySchedule(ZONE, groups({"monday": 180, "wednesday": 180}))
    return cp.change_schedule(plan, on=MONDAY.add(weeks=weeks - 2), schedule=taper)


def test_a_discharge_referring_to_a_lower_level_allows_the_asam_taper():
    """ASAM: leaving 2.1, a client may fall below its weekly minimum for one to two weeks
    (payer summaries of continued-service criteria); the taper is about leaving for a lower
    level, in the plan or elsewhere."""
    plan = _tapering_iop()
    last = plan.end
    referred = cp.discharge(
        plan, on=last, reason="transferred", referral=cp.Referral("OP", "Elm Clinic")
    )
    report = cp.validate(referred)
    assert "intensity.step_down_grace" in codes(report, "warning")
    assert "intensity.hours_per_week" not in codes(report, "error")
    unreferred = cp.validate(cp.discharge(plan, on=last, reason="left_against_advice"))
    assert "intensity.hours_per_week" in codes(unreferred, "error")
    upward = cp.discharge(plan, on=last, reason="transferred", referral=cp.Referral("RES"))
    assert "intensity.hours_per_week" in codes(cp.validate(upward), "error")
    assert cp.from_json(cp.to_json(referred)) == referred
    with pytest.raises(cp.UnknownLevelError):
        cp.discharge(plan, on=last, referral=cp.Referral("2.1"))


def test_a_referral_belongs_to_a_discharge_only():
    with pytest.raises(cp.InvalidValueError, match="only meaningful for a discharge"):
        cp.Transition(
            MONDAY,
            "IOP",
            "OP",
            "step_down",
            cp.TransitionReason.STABILISED,
            sample_schedule(),
            referral=cp.Referral("OP"),
        )


def test_a_readmission_names_the_plan_it_follows():
    first = cp.discharge(sample_plan(), on=MONDAY.add(weeks=2), reason="left_against_advice")
    again = attrs.evolve(
        sample_plan(start=MONDAY.add(weeks=6)), id="readmitted", readmission_of=first.id
    )
    assert cp.from_json(cp.to_json(again)).readmission_of == first.id
    assert sum(p.readmission_of is not None for p in (first, again)) == 1
    with pytest.raises(cp.InvalidValueError, match="another plan"):
        attrs.evolve(first, readmission_of=first.id)


def test_a_leave_of_absence_is_not_missed_care():
    plan = sample_plan()
    leave = cp.Hold(MONDAY.add(weeks=3), MONDAY.add(weeks=4, days=2), "inpatient medical stay")
    held = attrs.evolve(plan, holds=[leave])
    assert not any(leave.start <= o.date <= leave.end for o in held.occurrences())
    report = cp.validate(held)
    assert report.ok
    held_weeks = {leave.start, leave.start.add(weeks=1)}
    assert not any(held_weeks & set(v.dates) for v in report.violations)
    records = [
        cp.Attendance(o.session.id, o.scheduled_on)
        for o in held.occurrences()
        if o.date < MONDAY.add(weeks=6)
    ]
    later = cp.validate(held.with_attendance(*records), today=MONDAY.add(weeks=6))
    assert "attendance.below_minimum" not in later.codes
    assert b"EXDATE" in cp.to_ical(held)
    data = json.loads(cp.to_json(held))
    assert data["holds"] == [
        {"start": "2027-01-25", "end": "2027-02-03", "reason": "inpatient medical stay"}
    ]
    assert cp.from_json(cp.to_json(held)) == held
    with pytest.raises(cp.InvalidValueError):
        cp.Hold(MONDAY, MONDAY.subtract(days=1))


def test_documents_without_the_new_fields_still_read_and_plain_plans_do_not_write_them():
    data = json.loads(cp.to_json(sample_plan()))
    for added in ("holds", "readmission_of"):
        assert added not in data
    assert cp.from_json(json.dumps(data)) == sample_plan()


# --- Issue 29: the clinical truth of the plan of care --------------------------------------


def _medicare_php(*signatures):
    from careplan.demo import sample_plan_of_care

    plan = sample_plan_of_care()
    certified = cp.Signature(plan.start, "physician", "Dr. Lee", "certification")
    return attrs.evolve(plan, level=DEFAULT["PHP"], reviews=(), signatures=(certified, *signatures))


def test_a_recertification_is_a_review_of_the_plan_of_treatment():
    """42 CFR 424.24(e): the physician recertifies PHP as of the 18th day, then at least every
    30 days, stating the patient's response to treatment and the treatment goals: the
    recertification reviews the plan of treatment, so reviews follow it (issue 29, item 2)."""
    medicare = {"review_policy": cp.MEDICARE_REVIEW}
    day_18 = MONDAY.add(days=17)
    recertified = _medicare_php(cp.Signature(day_18, "physician", "Dr. Lee", "recertification"))
    later = cp.validate(recertified, today=day_18.add(days=11), **medicare)
    assert "review.overdue" not in later.codes
    assert "review.certification_lapsed" not in later.codes
    # Unrecertified, the review is overdue and the certification lapsed.
    lapsed = cp.validate(_medicare_php(), today=day_18.add(days=11), **medicare)
    assert {"review.overdue", "review.certification_lapsed"} <= set(lapsed.codes)
    # The next recertification (and review) falls due 30 days later: one reminder for the day.
    next_due = day_18.add(days=30)
    soon = cp.validate(recertified, today=next_due.subtract(days=3), **medicare)
    reminders = [v for v in soon.violations if v.code == "review.due_soon"]
    assert [v.dates for v in reminders] == [(next_due,)]
    assert "recertification" in reminders[0].message


def _program_day(day, minutes=180):
    return [
        cp.Session(day, "09:00", 30, "check_in", modality=ROOM),
        cp.Session(day, "09:30", minutes - 30, GROUP, modality=ROOM),
    ]


def test_hours_per_day_describe_the_programs_days_not_a_standalone_appointment():
    """H0015 describes intensive outpatient as "a treatment program operating at least 3 hours
    a day and at least 3 days a week"; the article's IOP day is 3-4 hours of check-in, groups
    and skills. A 53-minute individual session on a day without the program is an appointment,
    not a short program day (issue 29, item 3)."""
    program = [s for day in ("monday", "wednesday", "friday") for s in _program_day(day)]
    standalone = cp.Session("tuesday", "17:00", 53, INDIVIDUAL, modality=ROOM)
    report = cp.validate(plan_at("IOP", [*program, standalone]))
    assert "intensity.hours_per_day" not in report.codes
    assert report.ok
    # A program day under 3 hours is still an error, with or without an appointment.
    short = [*program[:-1], cp.Session("friday", "09:30", 90, GROUP, modality=ROOM), standalone]
    found = [
        v for v in cp.validate(plan_at("IOP", short)).errors if v.code == "intensity.hours_per_day"
    ]
    assert [d.format("dddd") for v in found for d in v.dates][:1] == ["Friday"]
    assert all(d.format("dddd") == "Friday" for v in found for d in v.dates)
    # And an appointment day is still held to the level's daily maximum.
    long_day = cp.Session("tuesday", "09:00", 300, INDIVIDUAL, modality=ROOM)
    assert "intensity.hours_per_day" in cp.validate(plan_at("IOP", [*program, long_day])).codes


def _stepped_down_plan_of_care():
    from careplan.demo import sample_plan_of_care

    weekly = cp.WeeklySchedule(
        "America/New_York", [cp.Session("wednesday", "17:30", 50, INDIVIDUAL, modality=ROOM)]
    )
    plan = sample_plan_of_care()
    on = plan.start.add(weeks=8)
    return cp.step_down(plan, on=on, reason="goals_met", schedule=weekly), on


def test_a_level_change_asks_for_a_plan_of_care_update_not_more_sessions():
    """The plan of care is revised when the level of care changes: ASAM's continued-service and
    transfer criteria re-plan treatment at each move, and accreditors (CARF, the Joint
    Commission) audit that the plan matches the care delivered (docs/explanation/
    golden-thread.md). Until the revision, the interventions written for IOP are not
    judged against the outpatient week (issue 29, item 4)."""
    stepped, on = _stepped_down_plan_of_care()
    report = cp.validate(stepped)
    due = [v for v in report.violations if v.code == "care.update_due"]
    assert [(v.severity, v.dates) for v in due] == [("warning", (on,))]
    assert "care.frequency_unmet" not in report.codes
    assert report.ok
    # Before the day of the change, nothing is due yet; from it on, one finding.
    before = cp.validate(stepped, today=on.subtract(days=1))
    assert "care.update_due" not in before.codes
    assert "care.frequency_unmet" not in before.codes
    assert "care.update_due" in cp.validate(stepped, today=on.add(days=3)).codes
    # The revision ends the finding, and its interventions are judged against the OP week.
    weekly_therapy = cp.Intervention(
        "individual", "Individual CBT", ["phq9-below-10"], kinds=[INDIVIDUAL], times=2
    )
    revised = stepped.revise(
        on.add(days=2), interventions=[weekly_therapy], objectives=stepped.objectives[:1]
    )
    later = cp.validate(revised)
    assert "care.update_due" not in later.codes
    unmet = [v for v in later.errors if v.code == "care.frequency_unmet"]
    assert [v.dates for v in unmet] == [(on,)]
    # The IOP episode is judged against the plan of care as it stood then: no finding for it.
    assert not [v for v in later.violations if v.dates == (stepped.start,)]
    assert cp.validate(
        stepped.revise(
            on,
            interventions=[attrs.evolve(weekly_therapy, times=1)],
            objectives=stepped.objectives[:1],
        )
    ).ok


def test_each_discharge_reason_maps_to_its_teds_d_code():
    """SAMHSA TEDS-D public-use codebook, REASON (reason for discharge, transfer or
    discontinuance of treatment): 1 completed, 2 dropped out, 3 terminated by facility,
    4 transferred, 5 incarcerated, 6 death, 7 other. "Moved" is a state's type (Oklahoma 63)
    that TEDS-D records as other (issue 29, item 6)."""
    assert dict(cp.TEDS_D_REASONS) == {
        1: "Treatment completed",
        2: "Dropped out of treatment",
        3: "Terminated by facility",
        4: "Transferred to another treatment program or facility",
        5: "Incarcerated",
        6: "Death",
        7: "Other",
    }
    by_code = {r.code: r.teds_d for r in cp.TransitionReason.builtins()}
    assert by_code["moved"] == by_code["other"] == 7
    assert by_code["left_against_advice"] == by_code["client_withdrew"] == 2
    assert by_code["terminated_by_facility"] == by_code["administrative"] == 3
    discharges = [r for r in cp.TransitionReason.builtins() if r.direction == "discharge"]
    assert all(r.teds_d in cp.TEDS_D_REASONS for r in discharges)
    assert {r.teds_d for r in discharges} == set(cp.TEDS_D_REASONS)
    assert all(r.teds_d is None for r in cp.TransitionReason.builtins() if r not in discharges)
    assert cp.TransitionReason("payer_ended", "Payer ended", "discharge").teds_d is None
    # A step down IOP -> OP within the provider is a TEDS transfer: the IOP service's
    # discharge record carries 4, and the treatment episode goes on.
    down = cp.step_down(
        sample_plan(),
        on=MONDAY.add(weeks=6),
        reason="goals_met",
        schedule=cp.WeeklySchedule(
            ZONE, [cp.Session("wednesday", "17:30", 50, INDIVIDUAL, modality=ROOM)]
        ),
    )
    done = cp.discharge(down, on=down.end, reason="moved")
    assert [t.teds_d for t in done.transitions] == [4, 7]
    lateral = cp.change_schedule(sample_plan(), on=MONDAY.add(weeks=2), schedule=sample_schedule())
    assert lateral.transitions[-1].teds_d is None


@pytest.mark.parametrize("continuum", [ASAM_3, ASAM_4], ids=lambda c: c.name)
def test_the_default_step_up_from_2_5_is_high_intensity_residential(continuum):
    """ASAM 3rd ed.: 2.5 partial hospitalization is 20 h/week or more, 3.1 low-intensity
    residential at least 5 clinical hours a week; a client getting worse in 2.5 needs 3.5 or
    3.7 (clinical-rules.md, "ASAM levels of care"; issue 29, item 7)."""
    assert continuum.above("2.5").code in ("3.5", "3.7")
    plan = plan_at("2.5", groups(dict.fromkeys(WEEKDAYS, 240)), continuum=continuum)
    up = cp.step_up(
        plan, on=MONDAY.add(weeks=2), reason="worsening_symptoms", schedule=cp.WeeklySchedule(ZONE)
    )
    assert up.level.code == "3.5"
    assert "transition.skipped_levels" not in cp.validate(up).codes


@given(levels_on_continua(custom=False))
def test_step_up_targets_never_lower_the_intensity_floor(found):
    """A step up is to more intensive care: its target's weekly minimum, where a source states
    one, is never below the level it leaves (ASAM 3 hours; issue 29, item 7)."""
    continuum, level = found
    target = continuum.above(level)
    if target is None:
        return
    floor, target_floor = level.intensity.hours_per_week.min, target.intensity.hours_per_week.min
    assert target.rank > level.rank
    if floor is not None and target_floor is not None:
        assert target_floor >= floor
    if floor is not None and target_floor is None:
        assert target.overnight  # 24-hour care, whose hours no source states
    assert target.overnight or not level.overnight


def _medicare_iop(weeks=8, **fields):
    """Medicare IOP in person: three 3-hour program days and an individual hour, 10 h a week."""
    sessions = [
        cp.Session(day, start, 60, kind, modality=ROOM)
        for day in ("monday", "wednesday", "friday")
        for start, kind in (("09:00", GROUP), ("10:00", GROUP), ("11:00", "psychoeducation"))
    ]
    sessions.append(cp.Session("tuesday", "12:00", 60, INDIVIDUAL, modality=ROOM))
    return plan_at("IOP", sessions, continuum=cp.MEDICARE, weeks=weeks, **fields)


def _short_weeks(report):
    return {
        (v.severity, d)
        for v in report.violations
        if v.code == "billing.week_below_certified_minimum"
        for d in v.dates
    }


def test_medicare_weekly_hours_are_certification_criteria_a_short_week_is_a_warning():
    """Medicare certifies the need for at least 9 h a week of IOP (42 CFR 424.24, CY2024 OPPS
    final rule) and 20 h of PHP (42 CFR 410.43): criteria about the need for services, not a
    condition of each week's payment; a short week for a holiday or an illness is expected
    (clinical-rules.md, "Medicare"). A pattern of short weeks is an error (issue 29, item 10)."""
    payer = {"payer": cp.MEDICARE_2024}
    plan = _medicare_iop()
    assert not _short_weeks(cp.validate(plan, **payer))
    holiday = attrs.evolve(plan, closures=[cp.Closure(MONDAY.add(weeks=2), "holiday")])
    assert _short_weeks(cp.validate(holiday, **payer)) == {("warning", MONDAY.add(weeks=2))}
    # The schedule's own hours judged the same way: a closure week is a warning.
    assert "intensity.hours_per_week" not in codes(cp.validate(holiday), "error")
    # Two weeks in a row (the policy's below_minimum_weeks) are a pattern: an error.
    two = attrs.evolve(
        plan,
        closures=[cp.Closure(MONDAY.add(weeks=w, days=2), "closed") for w in (4, 5)]
        + [cp.Closure(MONDAY.add(weeks=2), "holiday")],
    )
    found = _short_weeks(cp.validate(two, **payer))
    assert found == {
        ("warning", MONDAY.add(weeks=2)),
        ("error", MONDAY.add(weeks=4)),
        ("error", MONDAY.add(weeks=5)),
    }
    lenient = cp.validate(two, policy=cp.CompliancePolicy(below_minimum_weeks=3), **payer)
    assert {s for s, _ in _short_weeks(lenient)} == {"warning"}
    # A schedule short every week is the clearest pattern.
    thin = _medicare_iop(closures=[])
    thin = attrs.evolve(
        thin,
        schedule=cp.WeeklySchedule(ZONE, [s for s in thin.schedule.sessions if s.weekday != 4]),
    )
    assert {s for s, _ in _short_weeks(cp.validate(thin, **payer))} == {"error"}
    assert "intensity.hours_per_week" in codes(cp.validate(thin), "error")
