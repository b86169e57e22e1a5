"""A real CalDAV server reads the export: Radicale on 127.0.0.1.

The fixture starts Radicale with htpasswd authentication and a temporary
storage folder, and stops it afterwards, also when a test fails.
"""

from __future__ import annotations

import base64
import datetime as dt
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import icalendar
import pendulum
import pytest

import careplan as cp
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
            str(folder / "collections"),
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
