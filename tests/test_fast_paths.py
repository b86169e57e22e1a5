"""The fast paths of issue 19 give exactly the values of the plain reference code.

tests/reference.py keeps the straightforward implementations; these
properties run both on generated plans and schedules (DST zones, moves,
cancellations, closures, holds, transitions) and compare every value.
"""

from __future__ import annotations

import datetime as dt
import json

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
import reference
from careplan._operations.expansion import occurrences_and_regular
from careplan._operations.weeks import week_figures as cp_week_figures
from careplan.testing import attendance_records, care_plans, dates, timezones, weekly_schedules

EXAMPLES = settings(max_examples=150, deadline=None)


@st.composite
def with_authorizations(draw, plan):
    """``plan`` with a few overlapping authorizations of its level, some not active."""
    import attrs

    period = st.integers(-10, max(0, (plan.end - plan.start).days) + 10).map(
        lambda n: plan.start.add(days=n)
    )
    found = []
    for _ in range(draw(st.integers(0, 4))):
        first = draw(period)
        found.append(
            cp.Authorization(
                plan.level.code,
                first,
                first.add(days=draw(st.integers(0, 60))),
                draw(st.integers(0, 40)),
                draw(st.sampled_from(["days", "sessions"])),
                draw(st.sampled_from(["active", "active", "pending"])),
            )
        )
    return attrs.evolve(plan, authorizations=found)


def _same(found, expected):
    """Equal values, and the same wall times, offsets and folds (== alone ignores fold)."""
    assert found == expected
    for mine, theirs in zip(found, expected, strict=True):
        for a, b in ((mine.start, theirs.start), (mine.end, theirs.end)):
            assert (a.isoformat(), a.fold, a.timezone_name) == (
                b.isoformat(),
                b.fold,
                b.timezone_name,
            )
        assert type(mine.scheduled_on) is type(theirs.scheduled_on)


@EXAMPLES
@given(care_plans(max_weeks=60), st.sampled_from(["compatible", "earlier", "later"]))
def test_plan_expansion_matches_the_reference(plan, disambiguate):
    _same(
        plan.occurrences(disambiguate=disambiguate),
        reference.occurrences(plan, disambiguate=disambiguate),
    )


@EXAMPLES
@given(care_plans(max_weeks=60))
def test_occurrences_carry_their_minutes_and_date(plan):
    # The expansion sets them; they are what the instants say.
    for o in plan.occurrences():
        assert o.minutes == int(o.end.timestamp() - o.start.timestamp()) // 60
        assert o.date == o.start.date()
        assert type(o.date) is pendulum.Date


@EXAMPLES
@given(
    weekly_schedules(),
    dates(),
    st.integers(0, 400),
    st.integers(0, 20),
    st.sampled_from(["compatible", "earlier", "later", "raise"]),
)
def test_schedule_expansion_matches_the_reference(schedule, start, days, shift, disambiguate):
    end = start.add(days=days)
    cadence = start.subtract(days=shift)
    try:
        expected = reference.expand(
            schedule, start, end, cadence_start=cadence, disambiguate=disambiguate
        )
    except cp.CarePlanError as error:
        expected_error = error
    else:
        expected_error = None
    if expected_error is not None:
        with pytest.raises(type(expected_error)) as raised:
            cp.expand(schedule, start, end, cadence_start=cadence, disambiguate=disambiguate)
        assert str(raised.value) == str(expected_error)
        return
    _same(
        cp.expand(schedule, start, end, cadence_start=cadence, disambiguate=disambiguate), expected
    )


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Lord_Howe"])
@pytest.mark.parametrize("wall", ["00:00", "00:30", "01:30", "02:00", "02:30", "23:00"])
def test_sessions_at_every_awkward_time_of_a_dst_year(zone, wall):
    sessions = [
        cp.Session(day, wall, minutes, cp.SessionKind.GROUP_THERAPY, id=f"{day}-{minutes}")
        for day in ("saturday", "sunday")
        for minutes in sorted({30, 60, 24 * 60 - int(wall[:2]) * 60 - int(wall[3:])})
    ]
    schedule = cp.WeeklySchedule(zone, sessions)
    start, end = pendulum.date(2026, 1, 1), pendulum.date(2027, 12, 31)
    for disambiguate in ("compatible", "earlier", "later"):
        _same(
            cp.expand(schedule, start, end, disambiguate=disambiguate),
            reference.expand(schedule, start, end, disambiguate=disambiguate),
        )


def test_zones_with_midnight_changes_and_odd_offsets():
    for zone in ("America/Havana", "Asia/Beirut", "America/Santiago", "Africa/Monrovia"):
        schedule = cp.WeeklySchedule(
            zone,
            [
                cp.Session(day, "00:00", 90, cp.SessionKind.CHECK_IN, id=f"{day}-0")
                for day in ("friday", "saturday", "sunday")
            ],
        )
        start, end = dt.date(1960, 1, 1), dt.date(1975, 12, 31)
        _same(cp.expand(schedule, start, end), reference.expand(schedule, start, end))


@given(timezones(), dates())
def test_week_expansion_in_every_zone(zone, start):
    schedule = cp.WeeklySchedule(zone, [cp.Session("monday", "09:00", 60, cp.SessionKind.CHECK_IN)])
    end = start.add(weeks=30)
    _same(cp.expand(schedule, start, end), reference.expand(schedule, start, end))


@EXAMPLES
@given(
    care_plans(max_weeks=40).flatmap(attendance_records).flatmap(with_authorizations),
    st.integers(-20, 300),
)
def test_validation_matches_the_reference(plan, days):
    today = plan.start.add(days=days)
    assert occurrences_and_regular(plan)[0] == plan.occurrences()
    weeks = reference.week_figures(plan)
    assert cp_week_figures(plan) == weeks
    for fast, plain in zip(cp_week_figures(plan), weeks, strict=True):
        assert fast.actual_minutes_by_day == plain.actual_minutes_by_day
        assert fast.regular_minutes_by_day == plain.regular_minutes_by_day
    for when in (None, today):
        assert cp.validate(plan, today=when) == reference.validate(plan, today=when)
    assert cp.delivered(plan, today=today) == cp.delivered(
        plan, today=today, occurrences=reference.occurrences(plan)
    )
    assert cp.authorization_use(plan) == cp.authorization_use(
        plan, occurrences=reference.occurrences(plan)
    )


@EXAMPLES
@given(care_plans(max_weeks=40, history=False), st.data())
def test_authorization_use_matches_trying_each_authorization(plan, data):
    plan = data.draw(with_authorizations(plan))
    from careplan._operations.delivery import first_covering

    days_by_level = {plan.level.code: {o.date for o in plan.occurrences()}}
    covering = first_covering(plan.authorizations, days_by_level)
    for day in days_by_level[plan.level.code]:
        expected = next(
            (i for i, a in enumerate(plan.authorizations) if a.covers(plan.level.code, day)), None
        )
        assert covering.get((plan.level.code, day)) == expected


def _forget_read_values():
    from careplan._adapters import document

    document._forget_read_values()


@EXAMPLES
@given(care_plans(max_weeks=40).flatmap(attendance_records))
def test_documents_read_the_same_with_or_without_values_seen_before(plan):
    text = cp.to_json(plan)
    _forget_read_values()
    first = cp.from_json(text)
    again = cp.from_json(text)  # the schedule and dates come from the caches now
    assert first == again == cp.from_json(cp.to_json(first))
    assert again.schedule is first.schedule  # shared, since frozen
    assert cp.to_json(again) == cp.to_json(first) == text


def _one_session_document(**session):
    plan = cp.CarePlan(
        cp.Client("c-1"),
        cp.DEFAULT["IOP"],
        cp.WeeklySchedule(
            "America/New_York",
            [cp.Session("monday", "09:00", 60, cp.SessionKind("peer_support", "Peer support"))],
        ),
        pendulum.date(2027, 1, 4),
        pendulum.date(2027, 3, 28),
        id="plan-1",
    )
    data = json.loads(cp.to_json(plan))
    data["sessions"][0].update(session)
    return data


def test_a_session_seen_before_keeps_each_documents_own_track_label():
    first = _one_session_document(track="peer_recovery")
    first["labels"]["tracks"] = {"peer_recovery": "Peer recovery"}
    second = json.loads(json.dumps(first))
    second["labels"]["tracks"]["peer_recovery"] = "Recovery circle"
    second["sessions"].append({**first["sessions"][0], "id": "other", "weekday": "friday"})
    a = cp.from_json(json.dumps(first))
    b = cp.from_json(json.dumps(second))  # a new schedule, its first session seen before
    assert a.schedule.sessions[0].track.label == "Peer recovery"
    assert [s.track.label for s in b.schedule.sessions] == ["Recovery circle"] * 2


def test_a_schedule_seen_before_keeps_each_documents_own_labels():
    first = _one_session_document()
    second = _one_session_document()
    second["labels"]["kinds"]["peer_support"] = "Recovery coaching"
    a = cp.from_json(json.dumps(first))
    b = cp.from_json(json.dumps(second))
    assert a.schedule.sessions[0].kind.label == "Peer support"
    assert b.schedule.sessions[0].kind.label == "Recovery coaching"


def test_a_bad_session_after_a_good_one_still_names_its_path():
    cp.from_json(json.dumps(_one_session_document()))
    with pytest.raises(cp.DocumentError) as caught:
        cp.from_json(json.dumps(_one_session_document(start="25:00")))
    assert caught.value.path == "sessions[0].start"
    with pytest.raises(cp.DocumentError) as caught:
        cp.from_json(json.dumps(_one_session_document(kind="Not A Code")))
    assert caught.value.path == "sessions[0].kind"
    with pytest.raises(cp.DocumentError) as caught:
        cp.from_json(json.dumps(_one_session_document(location="Room\x002")))
    assert caught.value.path == "sessions[0].location"


@pytest.mark.parametrize("text", ["2027-02-30", "2027-2-03", "1899-12-31"])
def test_a_bad_date_is_refused_every_time_it_is_read(text):
    data = _one_session_document()
    data["closures"] = [{"date": text}]
    for _ in range(2):
        with pytest.raises(cp.DocumentError) as caught:
            cp.from_json(json.dumps(data))
        assert caught.value.path == "closures[0].date"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"date": "2027-02-30"}, "attendance[3].date"),
        ({"status": "asleep"}, "attendance[3].status"),
        ({"minutes": 20}, "attendance[3].minutes"),  # minutes only for late or left early
        ({"session_id": ""}, "attendance[3].session_id"),
    ],
)
def test_records_read_in_one_go_still_name_the_one_refused(change, path):
    data = _one_session_document()
    data["attendance"] = [
        {"session_id": "mon-0900-peer_support", "date": f"2027-01-{day:02d}"}
        for day in (4, 11, 18, 25, 1)
    ]
    data["attendance"][4]["date"] = "2027-02-01"
    cp.from_json(json.dumps(data))  # good as it is
    data["attendance"][3].update(change)
    with pytest.raises(cp.DocumentError) as caught:
        cp.from_json(json.dumps(data))
    assert caught.value.path == path


def test_a_bad_element_in_a_generator_is_refused_naming_its_index():
    with pytest.raises(cp.InvalidValueError) as caught:
        cp.RelapsePreventionPlan(triggers=(t for t in [123, "stress"]))
    assert caught.value.field == "RelapsePreventionPlan.triggers[0]"
    plan = cp.RelapsePreventionPlan(triggers=(t for t in ["stress", "payday"]))
    assert plan.triggers == ("stress", "payday")


def test_a_wall_time_with_fold_set_is_read_as_its_first_instance():
    # occurrence.start.time() on a fall-back day carries fold=1; a session's
    # wall time is the same time of day whatever its fold.
    zone = "America/New_York"
    folded = cp.Session("sunday", pendulum.Time(1, 30, fold=1), 60, cp.SessionKind.GROUP_THERAPY)
    plain = cp.Session("sunday", "01:30", 60, cp.SessionKind.GROUP_THERAPY)
    assert folded.start.fold == 0
    day = pendulum.date(2026, 11, 1)
    found = [cp.expand(cp.WeeklySchedule(zone, [s]), day, day) for s in (folded, plain)]
    assert [o.start.isoformat() for o in found[0]] == [o.start.isoformat() for o in found[1]]
    assert found[0][0].start.isoformat() == "2026-11-01T01:30:00-04:00"


def test_the_readers_caches_keep_no_long_text():
    from careplan._adapters import document
    from careplan._model import time as model_time

    _forget_read_values()
    padded = "09:00" + " " * 1000
    data = _one_session_document(start=padded, title="t" * 9000, location="l" * 9000)
    plan = cp.from_json(json.dumps(data))
    assert plan.schedule.sessions[0].start == pendulum.Time(9, 0)
    assert padded not in model_time._WALL_TIMES
    assert not document._SCHEDULES  # read, not kept
    assert not document._SESSION_DOCS
    assert not document._SESSIONS
    cp.from_json(json.dumps(_one_session_document()))
    assert len(document._SCHEDULES) == len(document._SESSION_DOCS) == len(document._SESSIONS) == 1


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("every_weeks", True, "not a whole number"),
        ("duration_minutes", 60.0, "not a whole number"),
        ("every_weeks", 1.0, "not a whole number"),
    ],
)
def test_a_session_list_seen_before_is_not_mistaken_for_one_equal_in_python(field, value, problem):
    # JSON's true, 1.0 and 1 are equal Python values: the sessions read
    # before must not let a document through that gives them as such.
    good = _one_session_document()
    cp.from_json(json.dumps(good))
    bad = _one_session_document(**{field: value})
    with pytest.raises(cp.DocumentError, match=problem) as info:
        cp.from_json(json.dumps(bad))
    assert info.value.path == f"sessions[0].{field}"


def test_the_sessions_of_a_document_are_its_own_even_when_seen_before():
    text = json.dumps(_one_session_document())
    first, again = cp.from_json(text), cp.from_json(text)
    assert first == again
    first_doc = _structure_plan_doc(text)
    first_doc.sessions.clear()  # what one read holds is not what the next gets
    assert len(_structure_plan_doc(text).sessions) == 1


def _structure_plan_doc(text):
    from careplan._adapters import document

    return document._structure(json.loads(text), document._PlanDoc)


_JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["monday", "09:00", "group_therapy", "virtual", "https://x.example"]),
)


def _outcome(text):
    try:
        return cp.from_json(text)
    except cp.DocumentError as error:
        return (error.path, str(error))


@EXAMPLES
@given(
    care_plans(max_weeks=12, history=False).filter(lambda plan: plan.schedule.sessions),
    st.data(),
    st.sampled_from(
        ["id", "weekday", "start", "duration_minutes", "kind", "modality", "every_weeks", "title"]
    ),
    _JSON_SCALARS,
)
def test_a_changed_session_reads_alike_before_and_after_the_original_was_read(
    plan, data, field, value
):
    # The reader keeps the sessions it has read by their JSON values: a
    # document that differs from one read before in a single value, or only
    # in its type, must read exactly as it does with nothing kept.
    original = json.loads(cp.to_json(plan))
    index = data.draw(st.integers(0, len(original["sessions"]) - 1))
    current = original["sessions"][index][field]
    if type(current) is int:  # or its twins: equal in Python, not in JSON
        twins = [float(current), *([bool(current)] if current in (0, 1) else [])]
        value = data.draw(st.sampled_from([value, *twins]))
    changed = json.loads(json.dumps(original))
    changed["sessions"][index][field] = value
    text = json.dumps(changed)
    _forget_read_values()
    cold = _outcome(text)
    cp.from_json(json.dumps(original))
    assert _outcome(text) == cold


def test_the_readers_session_caches_stay_within_their_bound(monkeypatch):
    from careplan._adapters import document
    from careplan.demo import sample_plan

    monkeypatch.setattr(document, "_MAX_SESSIONS", 4)
    _forget_read_values()
    plan = sample_plan()
    assert len(plan.schedule.sessions) > 4
    assert cp.from_json(cp.to_json(plan)) == plan
    assert 0 < len(document._SESSION_DOCS) <= 4
    assert 0 < len(document._SESSIONS) <= 4


# What a caller of plan_from_data passes may be any Python value. The
# reader's caches must not let one read change how a later document reads.


def _outcome_of(data):
    try:
        return cp.plan_from_data(data)
    except cp.DocumentError as error:
        return (error.path, str(error))


def test_a_dict_subclass_read_before_does_not_make_a_bad_session_good():
    import collections

    class Hiding(dict):
        def keys(self):  # what refusing extra keys looks at
            return [k for k in dict.keys(self) if k != "colour"]

    missing = _one_session_document()
    del missing["sessions"][0]["id"]
    extra = _one_session_document(colour="red")
    _forget_read_values()
    cold = [_outcome_of(missing), _outcome_of(extra)]
    assert [path for path, _ in cold] == ["sessions[0].id", "sessions[0].colour"]
    supplied = json.loads(json.dumps(missing))
    supplied["sessions"][0] = collections.defaultdict(lambda: "s1", supplied["sessions"][0])
    hidden = json.loads(json.dumps(extra))
    hidden["sessions"][0] = Hiding(hidden["sessions"][0])
    for data in (supplied, hidden):
        cp.plan_from_data(data)  # read as the subclass reads
    assert [_outcome_of(missing), _outcome_of(extra)] == cold


def test_subclasses_of_text_and_numbers_are_read_as_plain_values():
    import enum

    class Text(str):
        pass

    class Weeks(enum.IntEnum):
        TWO = 2

    odd = _one_session_document(title=Text("Morning group"), every_weeks=Weeks.TWO)
    plain = _one_session_document(title="Morning group", every_weeks=2)
    plain["sessions"].append({**plain["sessions"][0], "id": "s2", "weekday": "friday"})
    for data in (odd, plain):
        session = cp.plan_from_data(data).schedule.sessions[0]
        assert (type(session.title), type(session.every_weeks)) == (str, int)


def test_a_value_whose_hash_fails_is_refused_as_its_field():
    class Odd:
        def __hash__(self):
            raise ValueError("not hashable")

    with pytest.raises(cp.DocumentError) as info:
        cp.plan_from_data(_one_session_document(title=Odd()))
    assert info.value.path == "sessions[0].title"


def test_long_labels_and_huge_numbers_are_read_not_kept():
    from careplan._adapters import document

    _forget_read_values()
    labelled = _one_session_document(kind="art_therapy", track="peer")
    labelled["labels"] = {"kinds": {"art_therapy": "A" * 10_000}, "tracks": {"peer": "P" * 10_000}}
    cp.plan_from_data(labelled)
    assert not document._SESSIONS
    assert not document._SCHEDULES
    _forget_read_values()
    with pytest.raises(cp.DocumentError, match="about 5001 digits") as info:
        cp.plan_from_data(_one_session_document(duration_minutes=10**5000))
    assert info.value.path == "sessions[0].duration_minutes"
    assert not document._SESSION_DOCS
