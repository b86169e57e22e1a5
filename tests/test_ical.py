"""The calendar export, checked by independent consumers of iCalendar."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo

import attrs
import icalendar
import pendulum
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

import careplan as cp
from careplan import Modality, Session, SessionKind, WeeklySchedule
from careplan.demo import sample_plan, sample_schedule
from careplan.testing import DST_ZONES, care_plans, timezones, weekly_schedules


def expand_file(data: bytes, plan: cp.CarePlan) -> list[tuple[float, float]]:
    """What a calendar client shows: recurring_ical_events (dateutil) expansion."""
    calendar = icalendar.Calendar.from_ical(data)
    # Moved sessions may land outside the plan's period (validation flags it).
    days = [plan.start, plan.end, *(o.date for o in plan.occurrences())]
    begin = dt.datetime.combine(min(days) - dt.timedelta(days=2), dt.time(0))
    end = dt.datetime.combine(max(days) + dt.timedelta(days=3), dt.time(0))
    shown = recurring_ical_events.of(calendar).between(begin, end)
    return sorted((e["DTSTART"].dt.timestamp(), e["DTEND"].dt.timestamp()) for e in shown)


def expected(plan: cp.CarePlan) -> list[tuple[float, float]]:
    return sorted((o.start.timestamp(), o.end.timestamp()) for o in plan.occurrences())


_PLANS = care_plans(schedules=weekly_schedules(max_sessions=5), max_weeks=12)


@given(_PLANS)
def test_calendar_clients_see_exactly_the_plans_occurrences(plan):
    assert expand_file(cp.to_ical(plan), plan) == expected(plan)


_renamed = itertools.count()


def _rename_zones(data: bytes) -> bytes:
    """Give every zone a name no parser knows, so it must use the VTIMEZONE.

    The name is new on every call: icalendar caches zones by TZID, and a zone
    cached from another file would hide a wrong VTIMEZONE in this one.
    """
    suffix = str(next(_renamed)).encode()
    return re.sub(
        rb"TZID([:=])([A-Za-z_]+)/([A-Za-z_/+-]+)", rb"TZID\1Careplan/\2-\3-" + suffix, data
    )


@given(_PLANS.filter(lambda p: p.timezone != "UTC"))
def test_the_embedded_vtimezone_alone_gives_the_same_instants(plan):
    data = cp.to_ical(plan)
    renamed = _rename_zones(data)
    assert b"America/New_York" not in renamed or b"Careplan/" in renamed
    assert expand_file(renamed, plan) == expected(plan)


@pytest.mark.parametrize("zone", [*DST_ZONES, "Asia/Tokyo", "America/Sao_Paulo"])
@pytest.mark.parametrize("year", [2019, 2027])
def test_vtimezone_offsets_match_zoneinfo_around_every_change(zone, year):
    week = WeeklySchedule(zone, [Session("monday", "10:00", 60, SessionKind.GROUP_THERAPY)])
    plan = cp.CarePlan(
        cp.Client("z"), cp.DEFAULT["OP"], week, dt.date(year, 1, 1), dt.date(year, 12, 31)
    )
    calendar = icalendar.Calendar.from_ical(cp.to_ical(plan))
    (vtimezone,) = calendar.walk("VTIMEZONE")
    assert "RDATE" not in vtimezone.to_ical().decode()
    embedded = vtimezone.to_tz(lookup_tzid=False)
    real = ZoneInfo(zone)
    moment = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)
    changes = []
    while moment.year == year:
        following = moment + dt.timedelta(hours=6)
        if moment.astimezone(real).utcoffset() != following.astimezone(real).utcoffset():
            changes.append(moment)
        moment = following
    checked = 0
    for change in changes:
        for hour in range(-12, 13):
            instant = change + dt.timedelta(hours=hour)
            assert instant.astimezone(embedded).utcoffset() == instant.astimezone(real).utcoffset()
            checked += 1
    assert checked == 25 * len(changes)
    if year == 2027:  # São Paulo still changed clocks in February 2019
        assert bool(changes) == (zone in DST_ZONES)


def test_the_file_has_the_required_properties():
    data = cp.to_ical(sample_plan()).decode()
    calendar = icalendar.Calendar.from_ical(data)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"].startswith("-//careplan//")
    events = calendar.walk("VEVENT")
    assert all(e.get("DTSTAMP") and e.get("UID") for e in events)
    assert {e["CLASS"] for e in events} == {"PRIVATE"}
    tzids = set(re.findall(r"TZID[=:]([^:;\r\n]+)", data))
    assert tzids == {"America/New_York"}
    first = next(e for e in events if "EXDATE" in e)
    assert "EXDATE;TZID=America/New_York:" in first.to_ical().decode()


def test_privacy_by_default_and_detail_on_request():
    plan = sample_plan()
    minimal = cp.to_ical(plan).decode()
    for secret in ("Alex", "Rivera", "F33.1", "client-0001", "demo-plan", "Morgan", "DBT", "CBT"):
        assert secret not in minimal
    summaries = set(re.findall(r"SUMMARY:(.*)\r", minimal))
    assert summaries == {"Group session", "Individual session"}
    sessions = cp.to_ical(plan, detail="sessions").decode()
    assert "SUMMARY:Psychiatric / medication management" in sessions
    assert "Track: Dialectical behavior therapy (DBT)" in sessions
    assert "Alex" not in sessions
    full = cp.to_ical(plan, detail="full").decode()
    assert "X-WR-CALNAME:Care plan: Alex Rivera" in full
    assert "Level of care: Intensive Outpatient Program (IOP)" in full
    with pytest.raises(cp.InvalidValueError, match="level of detail"):
        cp.to_ical(plan, detail="everything")


def test_virtual_sessions_carry_the_link_in_url_conference_and_description():
    calendar = icalendar.Calendar.from_ical(cp.to_ical(sample_plan()))
    virtual = [e for e in calendar.walk("VEVENT") if "URL" in e]
    assert len(virtual) == 3
    for event in virtual:
        link = "https://telehealth.example.org/iop-morning"
        assert str(event["URL"]) == link
        assert str(event["CONFERENCE"]) == link
        assert event["CONFERENCE"].params["FEATURE"] == "VIDEO"
        assert link in str(event["DESCRIPTION"])
        assert "LOCATION" not in event


def test_uids_are_stable_opaque_and_keyed():
    plan = sample_plan()
    uids = lambda data: re.findall(rb"UID:(\S+)", data)  # noqa: E731
    first = uids(cp.to_ical(plan))
    assert first == uids(cp.to_ical(plan))
    assert len(set(first)) == len(first)
    cancelled = plan.cancel("mon-0930-group_therapy", pendulum.date(2027, 1, 11))
    assert set(uids(cp.to_ical(cancelled))) == set(first)
    assert set(uids(cp.to_ical(plan, uid_key="clinic secret"))).isdisjoint(first)
    assert all(re.fullmatch(rb"[0-9a-f]{32}@careplan", uid) for uid in first)


def test_sequence_rises_when_a_series_changes():
    plan = sample_plan()

    def sequence_of(data, session_title_line):
        calendar = icalendar.Calendar.from_ical(data)
        return {str(e["UID"]): int(e["SEQUENCE"]) for e in calendar.walk("VEVENT")}

    before = sequence_of(cp.to_ical(plan), None)
    after = sequence_of(
        cp.to_ical(plan.cancel("tue-0930-group_therapy", pendulum.date(2027, 1, 12))), None
    )
    raised = [uid for uid in before if after[uid] > before[uid]]
    assert len(raised) == 1
    assert all(after[uid] == before[uid] for uid in before if uid not in raised)
    stepped = cp.step_down(
        plan, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=plan.schedule
    )
    assert all(
        v > before[k] for k, v in sequence_of(cp.to_ical(stepped), None).items() if k in before
    )


def test_each_series_counts_its_instances_up_to_the_transition_that_ends_it():
    stepped = cp.step_down(
        sample_plan(), on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=sample_schedule()
    )
    calendar = icalendar.Calendar.from_ical(cp.to_ical(stepped))
    counts = sorted(
        (e["RRULE"]["INTERVAL"][0], e["RRULE"]["COUNT"][0])
        for e in calendar.walk("VEVENT")
        if "RRULE" in e
    )
    # Eight weeks of IOP, then four of OP; the biweekly session half as often.
    assert counts == sorted([(1, 8)] * 10 + [(2, 4)] + [(1, 4)] * 10 + [(2, 2)])
    assert all("UNTIL" not in e["RRULE"] for e in calendar.walk("VEVENT") if "RRULE" in e)


def _clear_export_caches():
    from careplan._adapters.ical import content, export

    content._content_lines.cache_clear()
    export._vtimezone_bytes.cache_clear()


@given(_PLANS, _PLANS, st.sampled_from(["minimal", "sessions", "full"]))
def test_an_export_does_not_depend_on_what_was_exported_before(first, second, detail):
    _clear_export_caches()
    alone = cp.to_ical(second, detail=detail, reminders=[15])
    cp.to_ical(first, detail="full", reminders=[15])
    assert cp.to_ical(second, detail=detail, reminders=[15]) == alone


def test_the_same_wall_time_in_two_zones_keeps_each_zone():
    new_york = sample_plan()
    chicago = attrs_evolve_zone(new_york, "America/Chicago")
    cp.to_ical(new_york)
    data = cp.to_ical(chicago).decode()
    assert "America/New_York" not in data
    assert expand_file(data.encode(), chicago) == expected(chicago)


def test_moved_sessions_become_overrides_of_their_series():
    plan = sample_plan().reschedule(
        "mon-1200-individual_therapy",
        pendulum.date(2027, 1, 11),
        pendulum.datetime(2027, 1, 12, 15, 30, tz="America/New_York"),
    )
    calendar = icalendar.Calendar.from_ical(cp.to_ical(plan))
    (override,) = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override["RECURRENCE-ID"].dt == dt.datetime(
        2027, 1, 11, 12, tzinfo=ZoneInfo("America/New_York")
    )
    assert override["DTSTART"].dt.isoformat() == "2027-01-12T15:30:00-05:00"
    assert expand_file(cp.to_ical(plan), plan) == expected(plan)


def test_reminders_are_off_by_default_and_added_on_request():
    plan = sample_plan()
    assert b"VALARM" not in cp.to_ical(plan)
    calendar = icalendar.Calendar.from_ical(
        cp.to_ical(plan, reminders=[30, dt.timedelta(hours=24)])
    )
    alarms = calendar.walk("VALARM")
    assert {a["TRIGGER"].dt for a in alarms} == {dt.timedelta(minutes=-30), dt.timedelta(days=-1)}
    with pytest.raises(cp.InvalidValueError):
        cp.to_ical(plan, reminders=[-5])


def test_stamp_must_be_aware():
    with pytest.raises(cp.NaiveDateTimeError):
        cp.to_ical(sample_plan(), stamp=dt.datetime(2027, 1, 1))
    data = cp.to_ical(sample_plan(), stamp=pendulum.datetime(2026, 12, 1, 8, tz="Europe/Paris"))
    assert b"DTSTAMP:20261201T070000Z" in data


_NASTY = st.sampled_from(
    [
        "line\r\nBEGIN:VEVENT\r\nUID:evil",
        "semi;colon,comma:colon",
        "back\\slash \\N newline",
        "END:VCALENDAR",
        "Ünïcødé 🙂 セッション",
        "x" * 500,
        "\nDESCRIPTION:injected",
    ]
)


@given(st.one_of(_NASTY, st.text(min_size=1, max_size=200)), st.one_of(_NASTY, st.text(min_size=1)))
def test_user_text_cannot_inject_properties_or_components(title, location):
    try:
        session = Session(
            "monday",
            "10:00",
            60,
            SessionKind.GROUP_THERAPY,
            modality=Modality.in_person(location),
            title=title,
        )
    except cp.InvalidValueError as error:
        # Line breaks and control characters are refused where the text is given.
        refused = error.field
        assert refused in ("Session.title", "Modality.location")
        assert re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]", title + location)
        return
    week = WeeklySchedule("Europe/Berlin", [session])
    plan = cp.CarePlan(
        cp.Client("c"), cp.DEFAULT["OP"], week, dt.date(2027, 1, 4), dt.date(2027, 1, 31)
    )
    calendar = icalendar.Calendar.from_ical(cp.to_ical(plan, detail="sessions"))
    (event,) = calendar.walk("VEVENT")
    assert len(calendar.walk("VEVENT")) == 1
    assert len(calendar.walk("VCALENDAR")) == 1

    # TEXT values carry line breaks as "\n" (a CR cannot be represented) and
    # no control characters.
    def unix(text):
        breaks = text.replace("\r\n", "\n").translate(
            str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
        )
        return re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", breaks)

    assert str(event["SUMMARY"]) == unix(title)
    assert str(event["LOCATION"]) == unix(location)
    assert "DESCRIPTION" in event
    assert "injected" not in str(event["DESCRIPTION"])
    assert sorted(event) == sorted(
        [
            "SUMMARY",
            "DTSTART",
            "DURATION",
            "DTSTAMP",
            "UID",
            "SEQUENCE",
            "RRULE",
            "CLASS",
            "DESCRIPTION",
            "LOCATION",
        ]
    )


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe"])
def test_sessions_at_dst_edges_agree_with_clients(zone):
    week = WeeklySchedule(
        zone,
        [
            Session("sunday", "01:30", 90, SessionKind.CHECK_IN, id="night"),
            Session("sunday", "02:15", 30, SessionKind.CHECK_IN, id="gap"),
        ],
    )
    plan = cp.CarePlan(
        cp.Client("n"), cp.DEFAULT["RES"], week, dt.date(2027, 1, 1), dt.date(2027, 12, 31)
    )
    assert expand_file(cp.to_ical(plan), plan) == expected(plan)
    assert expand_file(_rename_zones(cp.to_ical(plan)), plan) == expected(plan)


def test_a_session_ending_in_the_repeated_hour_ends_at_its_instant_in_utc():
    # 00:00 to 03:00 of elapsed time on the night Berlin falls back ends at
    # the second 02:00 (CET); the local time alone would read as the first.
    week = WeeklySchedule(
        "Europe/Berlin", [Session("sunday", "00:00", 180, SessionKind.CHECK_IN, id="night")]
    )
    plan = cp.CarePlan(
        cp.Client("n"), cp.DEFAULT["OP"], week, dt.date(2024, 8, 4), dt.date(2024, 10, 27)
    )
    calendar = icalendar.Calendar.from_ical(cp.to_ical(plan))
    (override,) = [e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" in e]
    assert override["DTEND"].dt == dt.datetime(2024, 10, 27, 1, tzinfo=dt.timezone.utc)
    assert expand_file(cp.to_ical(plan), plan) == expected(plan)


@given(timezones(), st.integers(0, 3))
def test_export_is_deterministic(zone, weeks):
    plan = attrs_evolve_zone(sample_plan(), zone)
    assert cp.to_ical(plan) == cp.to_ical(plan)


def attrs_evolve_zone(plan, zone):
    import attrs

    return attrs.evolve(plan, schedule=attrs.evolve(plan.schedule, timezone=zone))


def test_the_calendar_name_needs_no_unescaping():
    # Readers show X-WR-CALNAME as written: a "\," would appear as such.
    plan = attrs.evolve(sample_plan(), client=cp.Client("c", "Rivera, Alex; \\ Jr. II"))
    data = cp.to_ical(plan, detail="full").decode()
    (line,) = re.findall(r"X-WR-CALNAME:(.*)\r\n", data)
    assert line == "Care plan: Rivera Alex Jr. II"


@pytest.mark.parametrize(
    "title",
    [
        "bell\x07 and escape\x1b",
        "line\u2028separator\u2029paragraph\x85next",
        "lone \ud800 surrogate",
        "tab\tin a title",
        "line\nbreak",
    ],
)
def test_text_values_carry_no_control_characters(title):
    # Refused where the text is given, so no export can carry them; the
    # calendar export would also drop them (a second line of defence).
    with pytest.raises(cp.InvalidValueError) as info:
        Session("monday", "10:00", 60, SessionKind.GROUP_THERAPY, title=title)
    assert info.value.field == "Session.title"
    assert title not in str(info.value)


def test_series_lengths_are_durations_and_start_on_an_ordinary_day():
    # The episode starts on the night New York falls back; the master event
    # is the next week's instance and the first one an RDATE in UTC.
    week = WeeklySchedule(
        "America/New_York", [Session("sunday", "01:30", 60, SessionKind.GROUP_THERAPY)]
    )
    plan = cp.CarePlan(
        cp.Client("c"), cp.DEFAULT["OP"], week, dt.date(2027, 11, 7), dt.date(2027, 11, 21)
    )
    (event,) = icalendar.Calendar.from_ical(cp.to_ical(plan)).walk("VEVENT")
    assert "DTEND" not in event
    assert event["DURATION"].dt == dt.timedelta(hours=1)
    assert event["DTSTART"].dt.replace(tzinfo=None) == dt.datetime(2027, 11, 14, 1, 30)
    assert event["RRULE"]["COUNT"] == [2]
    (rdate,) = event["RDATE"].dts
    first = plan.occurrences()[0]
    assert rdate.dt == first.start.in_tz("UTC")
    assert rdate.dt.tzinfo is not None
    assert rdate.dt.utcoffset() == dt.timedelta(0)


def test_the_calendar_can_be_given_its_own_name():
    plan = sample_plan()
    data = cp.to_ical(plan, detail="full", name="Alex, IOP; evenings").decode()
    (line,) = re.findall(r"X-WR-CALNAME:(.*)\r\n", data)
    assert line == "Alex IOP evenings"  # nothing a reader would show escaped
    unnamed = cp.to_ical(plan).decode()
    assert unnamed.replace("X-WR-CALNAME:Care plan", "X-WR-CALNAME:Alex IOP evenings") == (
        cp.to_ical(plan, name="Alex IOP evenings").decode()
    )


@pytest.mark.parametrize("name", ["", "   ", "two\nlines", 7, ";,", "\\ ;"])
def test_a_calendar_name_that_is_no_single_line_text_is_refused(name):
    with pytest.raises(cp.InvalidValueError) as info:
        cp.to_ical(sample_plan(), name=name)
    assert info.value.field == "name"


def _masters(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e}


def _shown_by_uid(data: bytes, plan: cp.CarePlan) -> dict[str, list[tuple[float, float]]]:
    """Per UID, the instances a client shows (recurring_ical_events)."""
    calendar = icalendar.Calendar.from_ical(data)
    begin = dt.datetime.combine(plan.start - dt.timedelta(days=30), dt.time(0))
    end = dt.datetime.combine(plan.end + dt.timedelta(days=400), dt.time(0))
    found: dict[str, list[tuple[float, float]]] = {str(u): [] for u in _masters(data)}
    for event in recurring_ical_events.of(calendar).between(begin, end):
        if event.get("STATUS") != "CANCELLED":
            pair = (event["DTSTART"].dt.timestamp(), event["DTEND"].dt.timestamp())
            found[str(event["UID"])].append(pair)
    return {uid: sorted(pairs) for uid, pairs in found.items()}


def _discharged_on_the_step_down_day() -> list[cp.CarePlan]:
    plan = sample_plan()
    cancelled = plan.cancel("mon-0930-group_therapy", pendulum.date(2027, 3, 8))
    closed = cancelled.with_closures(pendulum.date(2027, 3, 3))
    # The IOP week kept on purpose: the export must follow whatever the plan says.
    stepped = cp.step_down(
        closed, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=closed.schedule
    )
    discharged = cp.discharge(stepped, on=pendulum.date(2027, 3, 1))
    return [plan, cancelled, closed, stepped, discharged]


def test_a_series_that_loses_every_instance_stays_as_a_cancelled_event():
    revisions = _discharged_on_the_step_down_day()
    seen: set[str] = set()
    for plan in revisions:
        data = cp.to_ical(plan)
        masters = _masters(data)
        assert seen <= set(masters), "a UID left the export"
        seen |= set(masters)
        shown = _shown_by_uid(data, plan)
        assert sorted(p for pairs in shown.values() for p in pairs) == expected(plan)
        for uid, event in masters.items():
            assert (event.get("STATUS") == "CANCELLED") == (not shown[uid])
    # recurring-ical-events shows no instance of a cancelled series at all.
    calendar = icalendar.Calendar.from_ical(cp.to_ical(revisions[-1]))
    begin, end = dt.datetime(2026, 12, 1), dt.datetime(2027, 6, 1)
    shown_events = recurring_ical_events.of(calendar).between(begin, end)
    assert not [e for e in shown_events if e.get("STATUS") == "CANCELLED"]
    final = _masters(cp.to_ical(revisions[-1]))
    # Discharged on the first day of OP: of its eleven series, only the
    # sessions of that Monday still happen (four of them).
    cancelled = [uid for uid, e in final.items() if e.get("STATUS") == "CANCELLED"]
    assert len(final) == 22
    assert len(cancelled) == 7


def test_sequence_rises_for_every_changed_series_and_holds_for_the_rest():
    revisions = _discharged_on_the_step_down_day()
    for before, after in itertools.pairwise(revisions):
        old, new = cp.to_ical(before), cp.to_ical(after)
        old_seq = {u: int(e["SEQUENCE"]) for u, e in _masters(old).items()}
        new_seq = {u: int(e["SEQUENCE"]) for u, e in _masters(new).items()}
        old_shown, new_shown = _shown_by_uid(old, before), _shown_by_uid(new, after)
        for uid, sequence in old_seq.items():
            if old_shown[uid] != new_shown[uid]:
                assert new_seq[uid] > sequence
            else:
                assert new_seq[uid] == sequence


def test_dtstamp_is_given_or_derived_from_the_plans_records_never_from_the_clock():
    revisions = _discharged_on_the_step_down_day()
    stamps = [_masters(cp.to_ical(plan)).popitem()[1]["DTSTAMP"].dt for plan in revisions]
    assert stamps == sorted(set(stamps)), "the default rises with every recorded change"
    assert all(s < dt.datetime(1970, 1, 2, tzinfo=dt.timezone.utc) for s in stamps)
    given_stamp = dt.datetime(2027, 3, 1, 12, tzinfo=dt.timezone.utc)
    data = cp.to_ical(revisions[-1], stamp=given_stamp)
    assert {e["DTSTAMP"].dt for e in _masters(data).values()} == {given_stamp}


def test_itip_messages_request_what_happens_and_cancel_what_does_not():
    plan = _discharged_on_the_step_down_day()[-1]
    addresses = {
        "organizer": "mailto:clinic@example.org",
        "attendees": ["mailto:client@example.org"],
    }
    request = icalendar.Calendar.from_ical(cp.to_ical(plan, method="REQUEST", **addresses))
    cancel = icalendar.Calendar.from_ical(cp.to_ical(plan, method="CANCEL", **addresses))
    assert request["METHOD"] == "REQUEST"
    assert cancel["METHOD"] == "CANCEL"
    published = _masters(cp.to_ical(plan))
    requested = {str(e["UID"]) for e in request.walk("VEVENT")}
    withdrawn = {str(e["UID"]) for e in cancel.walk("VEVENT")}
    assert requested.isdisjoint(withdrawn)
    assert requested | withdrawn == set(published)
    assert all(e["STATUS"] == "CANCELLED" for e in cancel.walk("VEVENT"))
    for event in [*request.walk("VEVENT"), *cancel.walk("VEVENT")]:
        assert str(event["ORGANIZER"]) == "mailto:clinic@example.org"
        assert str(event["ATTENDEE"]) == "mailto:client@example.org"
    assert b"ORGANIZER" not in cp.to_ical(plan)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"sequence": 10**30}, "sequence"),
        ({"sequence": True}, "sequence"),
        ({"sequence": 2**31 - 1}, "sequence"),
        (
            {"stamp": dt.datetime(9999, 12, 31, 23, tzinfo=dt.timezone(-dt.timedelta(hours=14)))},
            "stamp",
        ),
        ({"stamp": dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14)))}, "stamp"),
        ({"stamp": "2027-01-01T00:00:00Z"}, "stamp"),
        ({"uid_key": 5}, "uid_key"),
        ({"uid_key": "key \ud800"}, "uid_key"),
        ({"uid_key": ""}, "uid_key"),
        ({"name": "Care \udfff plan"}, "name"),
        ({"reminders": None}, "reminders"),
        ({"reminders": 15}, "reminders"),
        ({"reminders": [15] * 17}, "reminders"),
        ({"disambiguate": "bogus"}, "disambiguate"),
        ({"disambiguate": None}, "disambiguate"),
        ({"detail": ["full"]}, "detail"),
        ({"method": "PUBLISH\r\nX"}, "method"),
        ({"method": "REQUEST"}, "attendees"),
        ({"method": "CANCEL", "organizer": "clinic", "attendees": ["mailto:a@b"]}, "organizer"),
        ({"organizer": "mailto:clinic@example.org"}, "organizer"),
        ({"attendees": ["mailto:client@example.org"]}, "attendees"),
        ({"method": "REQUEST", "organizer": "mailto:a@b", "attendees": "mailto:c@d"}, "attendees"),
    ],
)
def test_every_bad_argument_is_an_invalid_value_that_names_it(arguments, field):
    with pytest.raises(cp.InvalidValueError) as info:
        cp.to_ical(sample_plan(), **arguments)
    assert info.value.field == field
    assert "\ud800" not in str(info.value)
    assert "clinic" not in str(info.value)


_EDITS = st.lists(
    st.tuples(
        st.sampled_from(["cancel", "move", "close", "hold", "step_down", "step_up", "discharge"]),
        st.integers(0, 10),  # which session
        st.integers(0, 83),  # which day of the twelve weeks
        st.integers(-180, 180),  # minutes to move by, or days to hold
    ),
    min_size=1,
    max_size=5,
)


def _edited(plan: cp.CarePlan, edit: tuple[str, int, int, int]) -> cp.CarePlan:
    kind, which, offset, amount = edit
    day = plan.start.add(days=offset)
    session = plan.schedule.sessions[which % len(plan.schedule.sessions)]
    scheduled = day.add(days=(session.weekday - day.weekday()) % 7)
    if kind == "cancel":
        return plan.cancel(session.id, scheduled)
    if kind == "move":
        wall = pendulum.datetime(
            scheduled.year, scheduled.month, scheduled.day, 12, tz=plan.timezone
        ).add(minutes=amount)
        return plan.reschedule(session.id, scheduled, wall)
    if kind == "close":
        return plan.with_closures(day)
    if kind == "hold":
        return attrs.evolve(plan, holds=(*plan.holds, cp.Hold(day, day.add(days=abs(amount) % 9))))
    if kind == "discharge":
        return cp.discharge(plan, on=day)
    move = cp.step_down if kind == "step_down" else cp.step_up
    reason = "goals_met" if kind == "step_down" else "relapse_risk"
    return move(plan, on=day, reason=reason, schedule=plan.schedule)


@settings(max_examples=40, deadline=None)
@given(_EDITS)
def test_for_any_edits_changed_series_rise_and_no_uid_leaves(edits):
    plan = sample_plan()
    data = cp.to_ical(plan)
    for edit in edits:
        try:
            after = _edited(plan, edit)
        except cp.CarePlanError:
            continue
        new = cp.to_ical(after)
        old_masters, new_masters = _masters(data), _masters(new)
        assert set(old_masters) <= set(new_masters)
        old_shown, new_shown = _shown_by_uid(data, plan), _shown_by_uid(new, after)
        assert sorted(p for pairs in new_shown.values() for p in pairs) == expected(after)
        for uid, event in old_masters.items():
            old_sequence, new_sequence = int(event["SEQUENCE"]), int(new_masters[uid]["SEQUENCE"])
            if old_shown[uid] != new_shown[uid]:
                assert new_sequence > old_sequence
            else:
                assert new_sequence >= old_sequence
        plan, data = after, new


_WEEK_B = WeeklySchedule(
    "America/New_York",
    [Session("tuesday", "12:00", 30, SessionKind.PSYCHIATRIC, every_weeks=2, week_offset=1)],
)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        # No key: the UIDs would be keyed by nothing, the same for every caller.
        ({"uid_key": None}, "uid_key"),
        ({"uid_key": ""}, "uid_key"),
        ({"uid_key": 5}, "uid_key"),
        ({"name": ""}, "name"),
        ({"detail": "bogus"}, "detail"),
        ({"end": pendulum.date(2027, 1, 3)}, "end"),
        ({"start": dt.datetime(2027, 1, 4, 9)}, "start"),
        ({"start": "2027-01-04"}, "start"),
        ({"stamp": dt.datetime(2027, 1, 1)}, "stamp"),
        ({"closures": ["2027-01-12"]}, "closures"),
    ],
)
def test_every_bad_argument_of_a_schedule_calendar_is_an_invalid_value_that_names_it(
    arguments, field
):
    given_arguments = {
        "start": pendulum.date(2027, 1, 4),
        "end": pendulum.date(2027, 1, 31),
        "name": "Dr A",
        "uid_key": "clinic",
        **arguments,
    }
    with pytest.raises(cp.InvalidValueError) as info:
        cp.schedule_to_ical(_WEEK_B, **given_arguments)
    assert info.value.field == field


_WALL_TIMES = st.datetimes(
    min_value=dt.datetime(1900, 1, 2), max_value=dt.datetime(2199, 12, 30, 23, 59, 59)
)


def _icalendar_line(name: str, value, **parameters: str) -> bytes:
    """The line as the icalendar library writes it, folded, with CRLF."""
    value.params.update(parameters)
    line = icalendar.parser.Contentline.from_parts(name, value.params, value, sorted=False)
    return line.to_ical() + b"\r\n"


@given(
    walls=st.lists(_WALL_TIMES, min_size=1, max_size=12),
    zone=st.sampled_from([*DST_ZONES, "UTC", "Asia/Kolkata", "America/Argentina/Buenos_Aires"]),
    minutes=st.integers(1, 24 * 60),
    interval=st.integers(1, 52),
    weekday=st.integers(0, 6),
    count=st.integers(1, 16000),
)
def test_lines_of_numbers_and_instants_are_the_lines_icalendar_writes(
    walls, zone, minutes, interval, weekday, count
):
    # careplan formats these lines itself (no text, nothing to escape);
    # byte for byte they are what icalendar writes for the same values.
    from icalendar.prop import vDDDLists

    from careplan._adapters.ical import lines

    utc = [wall.replace(tzinfo=dt.timezone.utc) for wall in walls]
    assert lines.utc_line("RDATE", utc[0]) == _icalendar_line("RDATE", icalendar.vDDDTypes(utc[0]))
    if zone == "UTC":
        # No TZID on UTC times (RFC 5545 section 3.2.19): they end in Z.
        expected = _icalendar_line("EXDATE", vDDDLists(utc))
    else:
        expected = _icalendar_line("EXDATE", vDDDLists(walls), TZID=zone)
    assert lines.local_line("EXDATE", zone, *walls) == expected
    single = _icalendar_line("DTSTART", icalendar.vDDDTypes(walls[0]), TZID=zone)
    assert lines.local_line("DTSTART", zone, walls[0]) == single
    byday = pendulum.WeekDay(weekday).name[:2]
    rule = icalendar.vRecur(freq="weekly", count=count, interval=interval, byday=byday)
    assert lines.weekly_rule(interval, weekday, count) == _icalendar_line("RRULE", rule)
    length = icalendar.vDuration(dt.timedelta(minutes=minutes))
    assert lines.duration_line(minutes) == _icalendar_line("DURATION", length)
    assert lines.sequence_line(count) == _icalendar_line("SEQUENCE", icalendar.vInt(count))
