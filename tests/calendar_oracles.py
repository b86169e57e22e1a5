"""Independent calendar engines that expand an exported file, for the tests.

Each oracle reads a file with only its own VTIMEZONEs (the tests rename the
TZIDs first) and returns the instances it would show as sorted
``(start, end)`` Unix seconds:

- ``vobject`` (Python, the parser behind Radicale), in-process;
- ``libical`` (C, through GObject introspection: Evolution-class clients),
  run by a system Python that has PyGObject (Debian: python3-gi,
  gir1.2-ical-3.0);
- ``ical.js`` (JavaScript: Thunderbird, Nextcloud), run by Node with the
  package ``make test`` installs into ``build/oracles``.

An oracle that is not installed is skipped with a message that says how to
install it, except where ``CAREPLAN_REQUIRE_ORACLES`` is set (``.ci/run``
sets it): there a missing oracle fails the test.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent / "oracles"
ROOT = Path(__file__).parent.parent
ICALJS = ROOT / "build" / "oracles" / "node_modules" / "ical.js"

Instances = list[tuple[int, int]]


def _missing(what: str, how: str) -> None:
    message = f"{what} is not installed ({how}); the calendar is not checked against it"
    if os.environ.get("CAREPLAN_REQUIRE_ORACLES"):
        pytest.fail(message)
    pytest.skip(message)


def vobject_expand(data: bytes, start: int, end: int) -> Instances:
    """The instances vobject shows in [start, end)."""
    try:
        import vobject
    except ImportError:
        _missing("vobject", "pip install vobject")
    calendar = vobject.readOne(data.decode("utf-8"))
    masters, overrides = {}, {}
    for event in getattr(calendar, "vevent_list", []):
        uid = event.uid.value
        if hasattr(event, "recurrence_id"):
            overrides[(uid, event.recurrence_id.value.timestamp())] = event
        else:
            masters[uid] = event
    found: Instances = []
    for uid, event in masters.items():
        begin = event.dtstart.value
        length = event.duration.value if hasattr(event, "duration") else event.dtend.value - begin
        for instant in event.getrruleset(addRDate=True) or [begin]:
            stamp = instant.timestamp()
            if stamp > end + 7 * 86400:
                break
            override = overrides.get((uid, stamp))
            if override is not None:
                pair = (override.dtstart.value.timestamp(), override.dtend.value.timestamp())
            else:
                pair = (stamp, (instant + length).timestamp())
            if start <= pair[0] < end:
                found.append((int(pair[0]), int(pair[1])))
    return sorted(found)


@functools.cache
def _gi_python() -> str | None:
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and Path(candidate).exists():
            probe = subprocess.run(
                [
                    candidate,
                    "-c",
                    "import gi; gi.require_version('ICalGLib', '3.0'); "
                    "from gi.repository import ICalGLib",
                ],
                capture_output=True,
                check=False,
            )
            if probe.returncode == 0:
                return candidate
    return None


def libical_expand(data: bytes, start: int, end: int) -> Instances:
    """The instances libical shows in [start, end)."""
    python = _gi_python()
    if python is None:
        _missing("libical", "Debian: apt-get install python3-gi gir1.2-ical-3.0")
    return _run([python, str(HERE / "libical_expand.py"), str(start), str(end)], data)


def icaljs_expand(data: bytes, start: int, end: int) -> Instances:
    """The instances ical.js shows in [start, end)."""
    node = shutil.which("node")
    if node is None or not ICALJS.exists():
        _missing("ical.js", "install Node.js; make test runs npm install ical.js")
    return _run(
        [node, str(HERE / "icaljs_expand.cjs"), str(start), str(end)],
        data,
        env={**os.environ, "ICALJS_PATH": str(ICALJS)},
    )


def vobject_status(data: bytes) -> dict[str, str]:
    """Each series' STATUS as vobject reads it, by UID ("NONE" without one)."""
    try:
        import vobject
    except ImportError:
        _missing("vobject", "pip install vobject")
    calendar = vobject.readOne(data.decode("utf-8"))
    return {
        event.uid.value: event.status.value if hasattr(event, "status") else "NONE"
        for event in getattr(calendar, "vevent_list", [])
        if not hasattr(event, "recurrence_id")
    }


def libical_status(data: bytes) -> dict[str, str]:
    """Each series' STATUS as libical reads it, by UID."""
    python = _gi_python()
    if python is None:
        _missing("libical", "Debian: apt-get install python3-gi gir1.2-ical-3.0")
    return _run_json([python, str(HERE / "libical_expand.py"), "status"], data)


def icaljs_status(data: bytes) -> dict[str, str]:
    """Each series' STATUS as ical.js reads it, by UID."""
    node = shutil.which("node")
    if node is None or not ICALJS.exists():
        _missing("ical.js", "install Node.js; make test runs npm install ical.js")
    return _run_json(
        [node, str(HERE / "icaljs_expand.cjs"), "status"],
        data,
        env={**os.environ, "ICALJS_PATH": str(ICALJS)},
    )


def _run_json(command: list[str], data: bytes, env: dict[str, str] | None = None) -> Any:
    done = subprocess.run(command, input=data, capture_output=True, check=False, env=env)
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def _run(command: list[str], data: bytes, env: dict[str, str] | None = None) -> Instances:
    done = subprocess.run(command, input=data, capture_output=True, check=False, env=env)
    assert done.returncode == 0, done.stderr.decode()
    return sorted((int(a), int(b)) for a, b in json.loads(done.stdout))


ORACLES: dict[str, Callable[[bytes, int, int], Instances]] = {
    "vobject": vobject_expand,
    "libical": libical_expand,
    "ical.js": icaljs_expand,
}

#: Each series' STATUS as each engine reads it: cancelled series must read as
#: cancelled.
STATUSES: dict[str, Callable[[bytes], dict[str, str]]] = {
    "vobject": vobject_status,
    "libical": libical_status,
    "ical.js": icaljs_status,
}


def window(days: list[dt.date]) -> tuple[int, int]:
    """Unix seconds from two days before the first day to three after the last."""
    begin = dt.datetime.combine(min(days) - dt.timedelta(days=2), dt.time(0), dt.timezone.utc)
    end = dt.datetime.combine(max(days) + dt.timedelta(days=3), dt.time(0), dt.timezone.utc)
    return int(begin.timestamp()), int(end.timestamp())
