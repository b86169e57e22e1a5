"""A real CalDAV server reads the export: Radicale on 127.0.0.1.

The fixture starts Radicale with htpasswd authentication and a temporary
storage folder, and stops it afterwards, also when a test fails.
"""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import attrs
import caldav
import icalendar
import pendulum
import pytest

import careplan as cp
from careplan.caldav import CalDAVError, sync
from careplan.demo import sample_plan

USERS = {"clinic": "s3cret-clinic", "intruder": "s3cret-intruder"}


@dataclass
class Server:
    url: str

    def request(
        self, method: str, path: str, user: str, body: bytes = b"", **headers: str
    ) -> tuple[int, bytes]:
        token = base64.b64encode(f"{user}:{USERS[user]}".encode()).decode()
        request = urllib.request.Request(
            self.url + path,
            data=body or None,
            method=method,
            headers={"Authorization": f"Basic {token}", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("radicale")
    users = folder / "users"
    users.write_text("".join(f"{name}:{word}\n" for name, word in USERS.items()))
    # The collections in memory where the machine has it: each write ends
    # with an fsync, which a disk makes slow and the tests do not need.
    memory = Path("/dev/shm")
    storage = Path(tempfile.mkdtemp(prefix="radicale-", dir=memory if memory.is_dir() else folder))
    port = _free_port()
    log = (folder / "radicale.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(storage),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(users),
            "--auth-htpasswd-encryption",
            "plain",
            "--rights-type",
            "owner_only",
            "--logging-level",
            "warning",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    message = (folder / "radicale.log").read_text(errors="replace")
                    raise RuntimeError(f"Radicale did not start: {message}") from None
                time.sleep(0.1)
        yield Server(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(storage, ignore_errors=True)


MKCALENDAR = b"""<?xml version="1.0" encoding="utf-8"?>
<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:set><D:prop><D:displayname>Care plan</D:displayname></D:prop></D:set>
</C:mkcalendar>"""


def _expand_query(start: dt.datetime, end: dt.datetime) -> bytes:
    span = f'start="{start:%Y%m%dT%H%M%SZ}" end="{end:%Y%m%dT%H%M%SZ}"'
    return f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data><C:expand {span}/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR">
    <C:comp-filter name="VEVENT"><C:time-range {span}/></C:comp-filter>
  </C:comp-filter></C:filter>
</C:calendar-query>""".encode()


def _instances(body: bytes) -> list[tuple[float, float]]:
    found = []
    for element in ET.fromstring(body).iter("{urn:ietf:params:xml:ns:caldav}calendar-data"):
        calendar = icalendar.Calendar.from_ical(element.text or "")
        for event in calendar.walk("VEVENT"):
            # The end as RFC 5545 defines it: DTEND, or DTSTART plus DURATION.
            found.append((event.start.timestamp(), event.end.timestamp()))
    return sorted(found)


@pytest.mark.parametrize("name", ["demo", "stepped"])
def test_the_server_expands_the_export_to_the_plans_occurrences(radicale, name):
    plan = sample_plan()
    if name == "stepped":
        plan = plan.reschedule(
            "mon-1200-individual_therapy",
            pendulum.date(2027, 1, 11),
            pendulum.datetime(2027, 1, 13, 16, tz="America/New_York"),
        )
        plan = cp.step_down(
            plan, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=plan.schedule
        )
    path = f"/clinic/plan-{name}/"
    # A CalDAV resource holds one UID; PUT on the collection stores the whole
    # file, one resource per series.
    status, _ = radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)
    assert status == 201
    status, _ = radicale.request(
        "PUT", path, "clinic", cp.to_ical(plan), **{"Content-Type": "text/calendar"}
    )
    assert status == 201
    start = dt.datetime(2027, 1, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(2027, 4, 1, tzinfo=dt.timezone.utc)
    status, body = radicale.request(
        "REPORT",
        path,
        "clinic",
        _expand_query(start, end),
        **{"Depth": "1", "Content-Type": "application/xml"},
    )
    assert status == 207
    expected = sorted((o.start.timestamp(), o.end.timestamp()) for o in plan.occurrences())
    assert _instances(body) == expected
    assert len(expected) > 50


def test_another_user_cannot_read_the_calendar(radicale):
    path = "/clinic/private/"
    assert radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)[0] == 201
    status, _ = radicale.request(
        "PUT", path, "clinic", cp.to_ical(sample_plan()), **{"Content-Type": "text/calendar"}
    )
    assert status == 201
    status, body = radicale.request("GET", path, "intruder")
    assert status in (403, 404)
    assert b"VEVENT" not in body
    status, body = radicale.request("GET", path, "clinic")
    assert status == 200
    assert body.count(b"BEGIN:VEVENT") == len(sample_plan().schedule.sessions)


# --- Revisions: the server's calendar follows the plan ------------------------

STAMP = dt.datetime(2027, 1, 2, 9, tzinfo=dt.timezone.utc)
CANCELLED = "CANCELLED"


def _chain() -> list[tuple[str, list[cp.CarePlan]]]:
    """A plan's revisions; each step lists the plans the calendar must show."""
    plan = sample_plan()
    steps = [("published", plan)]
    plan = plan.cancel("mon-0930-group_therapy", pendulum.date(2027, 1, 18))
    steps.append(("a session cancelled", plan))
    plan = plan.reschedule(
        "tue-1100-psychoeducation",
        pendulum.date(2027, 1, 19),
        pendulum.datetime(2027, 1, 20, 16, tz="America/New_York"),
    )
    steps.append(("a session moved", plan))
    plan = plan.with_closures(pendulum.date(2027, 2, 15))
    steps.append(("a day closed", plan))
    plan = plan.cancel("thu-1100-life_skills", pendulum.date(2027, 3, 11))
    steps.append(("a later session cancelled", plan))
    plan = cp.step_down(
        plan, on=pendulum.date(2027, 3, 1), reason="goals_met", schedule=plan.schedule
    )
    steps.append(("stepped down", plan))
    plan = cp.discharge(plan, on=pendulum.date(2027, 3, 1))
    steps.append(("discharged on the step-down day", plan))
    found = [(name, [p]) for name, p in steps]
    again = sample_plan(start=pendulum.date(2027, 4, 5))
    again = attrs.evolve(again, id="readmission-17", readmission_of=plan.id)
    found.append(("readmitted", [plan, again]))
    return found


def _expected(plans: list[cp.CarePlan]) -> list[tuple[float, float]]:
    return sorted((o.start.timestamp(), o.end.timestamp()) for p in plans for o in p.occurrences())


def _shown(server: Server, path: str) -> list[tuple[float, float]]:
    """The server's own expansion, less cancelled events: what a client shows."""
    start = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(2027, 8, 1, tzinfo=dt.timezone.utc)
    status, body = server.request(
        "REPORT",
        path,
        "clinic",
        _expand_query(start, end),
        **{"Depth": "1", "Content-Type": "application/xml"},
    )
    assert status == 207
    found = []
    for element in ET.fromstring(body).iter("{urn:ietf:params:xml:ns:caldav}calendar-data"):
        calendar = icalendar.Calendar.from_ical(element.text or "")
        for event in calendar.walk("VEVENT"):
            if event.get("STATUS") != CANCELLED:
                found.append((event.start.timestamp(), event.end.timestamp()))
    return sorted(found)


def _stored(server: Server, path: str) -> dict[str, icalendar.Calendar]:
    """Every object in the collection, by UID (each object holds one UID)."""
    query = b"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"/></C:filter>
</C:calendar-query>"""
    status, body = server.request(
        "REPORT", path, "clinic", query, **{"Depth": "1", "Content-Type": "application/xml"}
    )
    assert status == 207
    found = {}
    for element in ET.fromstring(body).iter("{urn:ietf:params:xml:ns:caldav}calendar-data"):
        calendar = icalendar.Calendar.from_ical(element.text or "")
        (uid,) = {str(e["UID"]) for e in calendar.walk("VEVENT")}
        assert uid not in found, "two objects hold one UID"
        found[uid] = calendar
    return found


def _split(data: bytes) -> dict[str, bytes]:
    """What a client importing the file does: one object per UID, zones included."""
    calendar = icalendar.Calendar.from_ical(data)
    found = {}
    for uid in {str(e["UID"]) for e in calendar.walk("VEVENT")}:
        single = icalendar.Calendar()
        single.add("prodid", "-//test import//EN")
        single.add("version", "2.0")
        for zone in calendar.walk("VTIMEZONE"):
            single.add_component(zone)
        for event in calendar.walk("VEVENT"):
            if str(event["UID"]) == uid:
                single.add_component(event)
        found[uid] = single.to_ical()
    return found


def _export(plans: list[cp.CarePlan]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for plan in plans:
        found.update(_split(cp.to_ical(plan, stamp=STAMP)))
    return found


def _merged(files: list[bytes]) -> bytes:
    calendars = [icalendar.Calendar.from_ical(data) for data in files]
    merged = calendars[0]
    seen = {str(z["TZID"]) for z in merged.walk("VTIMEZONE")}
    for calendar in calendars[1:]:
        for component in calendar.subcomponents:
            if component.name == "VTIMEZONE" and str(component["TZID"]) in seen:
                continue
            merged.add_component(component)
    return merged.to_ical()


def _put(server: Server, path: str, uid: str, data: bytes) -> None:
    name = urllib.parse.quote(uid, safe="")
    status, _ = server.request(
        "PUT", f"{path}{name}.ics", "clinic", data, **{"Content-Type": "text/calendar"}
    )
    assert status in (201, 204)


def _sequences(stored: dict[str, icalendar.Calendar]) -> dict[str, int]:
    return {
        uid: max(int(e.get("SEQUENCE", 0)) for e in calendar.walk("VEVENT"))
        for uid, calendar in stored.items()
    }


@pytest.mark.parametrize("mode", ["import", "import and delete", "replace"])
def test_a_client_updating_by_each_way_converges_on_the_plan(radicale, mode):
    path = f"/clinic/client-{mode.replace(' ', '-')}/"
    assert radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)[0] == 201
    before: dict[str, int] = {}
    for step, plans in _chain():
        objects = _export(plans)
        if mode == "replace":
            # A PUT on the collection replaces it with the file's objects.
            whole = _merged([cp.to_ical(p, stamp=STAMP) for p in plans])
            status, _ = radicale.request(
                "PUT", path, "clinic", whole, **{"Content-Type": "text/calendar"}
            )
            assert status == 201
        else:
            for uid, data in objects.items():
                _put(radicale, path, uid, data)
            if mode == "import and delete":
                for uid in set(_stored(radicale, path)) - set(objects):
                    name = urllib.parse.quote(uid, safe="")
                    assert radicale.request("DELETE", f"{path}{name}.ics", "clinic")[0] == 200
        stored = _stored(radicale, path)
        assert set(stored) == set(objects), step  # no orphans, no UID missing
        assert _shown(radicale, path) == _expected(plans), step
        sequences = _sequences(stored)
        assert all(sequences[uid] >= old for uid, old in before.items()), step
        before = sequences


def _collection(server: Server, path: str, user: str = "clinic") -> caldav.Calendar:
    client = caldav.DAVClient(url=server.url + "/", username=user, password=USERS[user])
    return client.calendar(url=server.url + path)


@pytest.mark.parametrize("gone", ["cancel", "delete"])
def test_sync_follows_every_revision_and_reports_what_changed(radicale, gone):
    path = f"/clinic/sync-{gone}/"
    assert radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)[0] == 201
    collection = _collection(radicale, path)
    before: dict[str, int] = {}
    previous: set[str] = set()
    for number, (step, plans) in enumerate(_chain()):
        stamp = STAMP + dt.timedelta(days=number)
        report = sync(collection, plans, stamp=stamp, gone=gone)
        wanted = set(_export(plans))
        stored = _stored(radicale, path)
        assert wanted <= set(stored), step
        assert _shown(radicale, path) == _expected(plans), step
        assert set(report.created) == wanted - previous, step
        assert set(report.created + report.updated + report.unchanged) == wanted, step
        left = previous - wanted
        if gone == "delete":
            assert set(report.deleted) == left, step
            assert set(stored) == wanted, step
        else:
            assert set(report.cancelled) == left, step
            for uid in left:
                assert all(e["STATUS"] == CANCELLED for e in stored[uid].walk("VEVENT"))
        sequences = _sequences(stored)
        for uid in report.updated + report.cancelled:
            assert sequences[uid] > before[uid], step
        for uid in report.unchanged:
            assert sequences[uid] == before[uid], step
        # The same plan again changes nothing.
        again = sync(collection, plans, stamp=stamp + dt.timedelta(hours=1), gone=gone)
        assert not again.changed, step
        assert set(again.unchanged) == wanted, step
        before, previous = sequences, wanted | (previous if gone == "cancel" else set())


class _FailingClient:
    """A caldav client whose third PUT fails as a server error would."""

    def __init__(self, client: caldav.DAVClient) -> None:
        self.client = client
        self.puts = 0

    def request(self, url, method="GET", body="", headers=None):
        if method == "PUT":
            self.puts += 1
            if self.puts == 3:
                raise caldav.lib.error.PutError(url=str(url), reason="Insufficient Storage")
        return self.client.request(url, method, body, headers)


def test_a_failed_sync_names_the_url_and_converges_when_run_again(radicale):
    path = "/clinic/interrupted/"
    assert radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)[0] == 201
    collection = _collection(radicale, path)
    chain = _chain()
    sync(collection, chain[0][1], stamp=STAMP)
    plans = chain[-2][1]  # discharged: most series change
    failing = _collection(radicale, path)
    failing.client = _FailingClient(collection.client)
    with pytest.raises(CalDAVError) as info:
        sync(failing, plans, stamp=STAMP)
    assert info.value.method == "PUT"
    assert info.value.url.startswith(radicale.url + path)
    assert isinstance(info.value, cp.CarePlanError)
    report = sync(collection, plans, stamp=STAMP)
    assert len(report.unchanged) == 2  # the two written before the failure
    assert _shown(radicale, path) == _expected(plans)
    assert not sync(collection, plans, stamp=STAMP).changed


def test_server_refusals_become_caldav_errors_with_url_and_status(radicale):
    missing = _collection(radicale, "/clinic/no-such-calendar/")
    with pytest.raises(CalDAVError) as info:
        sync(missing, sample_plan(), stamp=STAMP)
    assert info.value.status == 404
    assert info.value.url == radicale.url + "/clinic/no-such-calendar/"
    path = "/clinic/guarded/"
    assert radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)[0] == 201
    intruder = _collection(radicale, path, user="intruder")
    with pytest.raises(CalDAVError) as info:
        sync(intruder, sample_plan(), stamp=STAMP)
    assert info.value.status in (401, 403)
    assert USERS["intruder"] not in str(info.value)
    assert _stored(radicale, path) == {}


def test_objects_careplan_did_not_write_are_left_alone(radicale):
    path = "/clinic/shared/"
    assert radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)[0] == 201
    own = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:dentist@example.org\r\nDTSTAMP:20270101T000000Z\r\n"
        b"DTSTART:20270105T150000Z\r\nDURATION:PT1H\r\nSUMMARY:Dentist\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    _put(radicale, path, "dentist@example.org", own)
    sync(_collection(radicale, path), sample_plan(), stamp=STAMP, gone="delete")
    stored = _stored(radicale, path)
    assert "dentist@example.org" in stored
    assert "STATUS" not in stored["dentist@example.org"].walk("VEVENT")[0]


def test_sync_refuses_bad_arguments(radicale):
    collection = _collection(radicale, "/clinic/unused/")
    with pytest.raises(cp.InvalidValueError):
        sync(collection, sample_plan(), stamp=STAMP, gone="forget")
    with pytest.raises(cp.NaiveDateTimeError):
        sync(collection, sample_plan(), stamp=dt.datetime(2027, 1, 1))
    with pytest.raises(cp.InvalidValueError):
        sync(collection, [], stamp=STAMP)


def test_without_the_caldav_library_the_error_says_how_to_install():
    code = (
        "import sys; sys.modules['caldav'] = None\n"
        "import careplan\n"
        "try:\n"
        "    import careplan.caldav\n"
        "except careplan.MissingExtraError as error:\n"
        "    print(error.extra, error.package)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["caldav", "caldav"]


def test_a_server_that_does_not_answer_is_a_caldav_error_without_status():
    url = f"http://127.0.0.1:{_free_port()}"
    client = caldav.DAVClient(url=url + "/", username="clinic", password=USERS["clinic"])
    with pytest.raises(CalDAVError) as info:
        sync(client.calendar(url=url + "/clinic/plan/"), sample_plan(), stamp=STAMP)
    assert info.value.status is None
    assert info.value.url == url + "/clinic/plan/"
    assert USERS["clinic"] not in str(info.value)
    error = CalDAVError("PUT", "https://clinic:s3cret@dav.example.org/c/x.ics", 507, "Full")
    assert error.url == "https://dav.example.org/c/x.ics"
    assert "s3cret" not in str(error)
    assert "507" in str(error)


def test_a_series_cancelled_because_it_left_comes_back_when_it_returns(radicale):
    path = "/clinic/returning/"
    assert radicale.request("MKCALENDAR", path, "clinic", MKCALENDAR)[0] == 201
    collection = _collection(radicale, path)
    first, other = sample_plan(), attrs.evolve(sample_plan(), id="another-plan")
    sync(collection, first, stamp=STAMP)
    left = sync(collection, other, stamp=STAMP, gone="cancel")
    assert len(left.cancelled) == len(left.created) == 11
    assert _shown(radicale, path) == _expected([other])
    cancelled = _sequences(_stored(radicale, path))
    back = sync(collection, [first, other], stamp=STAMP, gone="cancel")
    assert set(back.updated) == set(left.cancelled)
    assert _shown(radicale, path) == _expected([first, other])
    restored = _sequences(_stored(radicale, path))
    assert all(restored[uid] > cancelled[uid] for uid in back.updated)
