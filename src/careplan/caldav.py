"""Publish a plan to a CalDAV collection and keep it in step with the plan.

Needs the ``caldav`` extra (the `caldav <https://pypi.org/project/caldav/>`_
client library). The caller opens the collection with its own credentials;
:func:`sync` then writes one calendar object per series (RFC 4791: one UID
per resource) and, on later revisions, writes only what changed::

    import caldav
    from careplan.caldav import sync

    client = caldav.DAVClient(url, username=user, password=secret)
    collection = client.calendar(url=url + "client-17/")
    report = sync(collection, plan, stamp=now)      # the first time: publish
    report = sync(collection, later_plan, stamp=now) # after each revision

Each object careplan writes carries ``X-CAREPLAN-FINGERPRINT``, a digest of
what it wrote. An object whose fingerprint matches the plan's export is left
alone; every other one of careplan's objects is rewritten, with a SEQUENCE
above the one on the server. Objects careplan did not write (no
fingerprint) are never touched. An object whose UID is no longer in the
plan's export (a readmission's new plan, another ``uid_key``) is cancelled
or deleted, as the caller chooses. Every request is one object, so a sync
that fails half-way leaves each object either old or new; run it again and
it converges.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from http import HTTPStatus
from typing import Any, Literal
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import attrs
import icalendar

from careplan._adapters.ical import Detail, to_ical
from careplan._model.checks import shown
from careplan._model.errors import CarePlanError, InvalidValueError, MissingExtraError
from careplan._model.plan import CarePlan
from careplan._model.time import require_aware

try:
    from caldav.lib.error import DAVError
except ImportError:
    raise MissingExtraError("careplan.caldav", "caldav", "caldav") from None

__all__ = ["CalDAVError", "Gone", "SyncReport", "sync"]

#: What :func:`sync` does with careplan's objects whose UID left the export:
#: ``"cancel"`` rewrites them with ``STATUS:CANCELLED`` and a higher
#: SEQUENCE (clients show them as cancelled, invitations are withdrawn);
#: ``"delete"`` removes them; ``"keep"`` leaves them as they are.
Gone = Literal["cancel", "delete", "keep"]

_GONE = ("cancel", "delete", "keep")
_FINGERPRINT = "X-CAREPLAN-FINGERPRINT"
_DAV = "{DAV:}"
_CALDAV = "{urn:ietf:params:xml:ns:caldav}"
_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT"/></C:comp-filter>
  </C:filter>
</C:calendar-query>"""
_DTSTAMP = re.compile(rb"^DTSTAMP[:;].*\r\n", re.MULTILINE)
_PHRASES = {status.phrase.lower(): status.value for status in HTTPStatus}
_UNFOLD = re.compile(r"\r?\n[ \t]")


class CalDAVError(CarePlanError):
    """The CalDAV server refused a request, or could not be reached.

    Nothing already written is undone: run :func:`sync` again once the cause
    is fixed and the collection converges.

    Attributes:
        url: The URL of the request, without any user name or password.
        status: The HTTP status, or ``None`` when no answer came.
        method: The HTTP method (``PUT``, ``DELETE``, ``REPORT``).
    """

    def __init__(self, method: str, url: str, status: int | None, reason: str = "") -> None:
        self.method = method
        self.url = _without_credentials(url)
        self.status = status
        answer = "no answer" if status is None else f"status {status}"
        detail = f" ({reason})" if reason and status is not None else ""
        super().__init__(
            f"CalDAV {method} {self.url}: {answer}{detail}; "
            "check the collection's URL and credentials, then sync again"
        )


@attrs.frozen
class SyncReport:
    """What one :func:`sync` changed on the server, by UID.

    Attributes:
        url: The collection.
        created: Series written for the first time.
        updated: Series rewritten because they changed.
        unchanged: Series already as the plan says.
        cancelled: Objects whose UID left the export, now cancelled.
        deleted: Objects whose UID left the export, now deleted.
    """

    url: str
    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        """True when the sync wrote or deleted anything."""
        return bool(self.created or self.updated or self.cancelled or self.deleted)


@attrs.frozen
class _Stored:
    """One object on the server, as far as a sync needs to know it."""

    url: str
    text: str
    fingerprint: str | None
    sequence: int
    cancelled: bool


def sync(
    collection: Any,
    plans: CarePlan | Sequence[CarePlan],
    *,
    stamp: _dt.datetime,
    gone: Gone = "cancel",
    detail: Detail = "minimal",
    reminders: Sequence[int | _dt.timedelta] = (),
    uid_key: str | bytes | None = None,
) -> SyncReport:
    """Make a CalDAV collection show ``plans``: publish them, or bring them up to date.

    Args:
        collection: A ``caldav.Calendar`` (the caller opened it with its own
            credentials).
        plans: The plan, or several (a discharged plan and the plan that
            readmits the client) whose series share the collection.
        stamp: The time of the sync (aware; careplan never reads the
            clock): every written object's DTSTAMP.
        gone: What to do with careplan's objects whose UID is in none of
            the plans' exports; see :data:`careplan.caldav.Gone`.
        detail: As :func:`careplan.to_ical`.
        reminders: As :func:`careplan.to_ical`.
        uid_key: As :func:`careplan.to_ical`.

    Returns:
        What changed, by UID.

    Raises:
        CalDAVError: The server refused a request or did not answer (with
            the URL and status); what was written before stays, and a new
            sync converges.
        InvalidValueError: A bad argument (as :func:`careplan.to_ical`).
    """
    if gone not in _GONE:
        raise InvalidValueError(
            "gone", shown(gone), "is not a way to treat what left", "use cancel, delete or keep"
        )
    require_aware("stamp", stamp)
    group = (plans,) if isinstance(plans, CarePlan) else tuple(plans)
    if not group or not all(isinstance(plan, CarePlan) for plan in group):
        raise InvalidValueError(
            "plans", shown(plans), "is not a plan or a list of plans", "pass CarePlan values"
        )
    wanted: dict[str, icalendar.Calendar] = {}
    for plan in group:
        data = to_ical(plan, detail=detail, reminders=reminders, uid_key=uid_key, stamp=stamp)
        wanted.update(_objects(data))
    client = collection.client
    base = str(collection.url)
    if not base.endswith("/"):
        base += "/"
    stored = _stored(client, base)
    found: dict[str, list[str]] = {
        "created": [],
        "updated": [],
        "unchanged": [],
        "cancelled": [],
        "deleted": [],
    }
    for uid, single in sorted(wanted.items()):
        fingerprint = _fingerprint(single.to_ical())
        old = stored.get(uid)
        if old is not None and old.fingerprint == fingerprint:
            found["unchanged"].append(uid)
            continue
        body = _with_fingerprint(single, fingerprint, -1 if old is None else old.sequence)
        url = old.url if old is not None else urljoin(base, quote(uid, safe="") + ".ics")
        _put(client, url, body)
        found["created" if old is None else "updated"].append(uid)
    for uid, old in sorted(stored.items()):
        if uid in wanted or old.fingerprint is None or gone == "keep":
            continue
        if gone == "delete":
            _request(client, "DELETE", old.url, "", {})
            found["deleted"].append(uid)
        elif not old.cancelled:
            _put(client, old.url, _cancelled(old, stamp))
            found["cancelled"].append(uid)
    return SyncReport(base, **{key: tuple(value) for key, value in found.items()})


def _objects(data: bytes) -> dict[str, icalendar.Calendar]:
    """The export as one calendar object per UID, each with the zones it uses.

    A CalDAV object holds one UID and no METHOD (RFC 4791 section 4.1).
    """
    calendar = icalendar.Calendar.from_ical(data)
    zones = {str(zone["TZID"]): zone for zone in calendar.walk("VTIMEZONE")}
    events: dict[str, list[icalendar.Component]] = {}
    for event in calendar.walk("VEVENT"):
        events.setdefault(str(event["UID"]), []).append(event)
    found = {}
    for uid, group in events.items():
        single = icalendar.Calendar()
        for name in ("PRODID", "VERSION", "CALSCALE"):
            single.add(name.lower(), calendar[name])
        used = {str(p.params["TZID"]) for e in group for p in _values(e) if "TZID" in p.params}
        for tzid in sorted(used):
            single.add_component(zones[tzid])
        for event in group:
            single.add_component(event)
        found[uid] = single
    return found


def _values(event: icalendar.Component) -> Iterable[Any]:
    for value in event.values():
        yield from value if isinstance(value, list) else [value]


def _fingerprint(data: bytes) -> str:
    """A digest of an object as careplan writes it, but its DTSTAMP."""
    return hashlib.sha256(_DTSTAMP.sub(b"", data)).hexdigest()[:32]


def _with_fingerprint(calendar: icalendar.Calendar, fingerprint: str, above: int) -> bytes:
    """The object marked as careplan's, its SEQUENCE above ``above``."""
    for event in calendar.walk("VEVENT"):
        if int(event.get("SEQUENCE", 0)) <= above:
            event["SEQUENCE"] = above + 1
        if "RECURRENCE-ID" not in event:
            event.add(_FINGERPRINT.lower(), fingerprint)
    serialised: bytes = calendar.to_ical()
    return serialised


def _cancelled(old: _Stored, stamp: _dt.datetime) -> bytes:
    """A stored object cancelled: every event CANCELLED, a higher SEQUENCE."""
    calendar = icalendar.Calendar.from_ical(old.text)
    for event in calendar.walk("VEVENT"):
        if _FINGERPRINT in event:
            # Still careplan's, but matching no export: should the UID come
            # back, the next sync writes it again.
            event[_FINGERPRINT] = f"cancelled-{event[_FINGERPRINT]}"
        event["STATUS"] = "CANCELLED"
        event["SEQUENCE"] = old.sequence + 1
        event.pop("DTSTAMP", None)
        event.add("dtstamp", stamp.astimezone(_dt.timezone.utc))
    serialised: bytes = calendar.to_ical()
    return serialised


def _stored(client: Any, base: str) -> dict[str, _Stored]:
    """The collection's objects that hold one UID, by UID."""
    response = _request(client, "REPORT", base, _QUERY, {"Depth": "1"})
    raw = response.raw
    tree = ET.fromstring(raw.encode("utf-8") if isinstance(raw, str) else raw)
    found = {}
    for item in tree.iter(f"{_DAV}response"):
        href = item.findtext(f"{_DAV}href")
        text = item.findtext(f".//{_CALDAV}calendar-data")
        if href and text:
            scanned = _scan(urljoin(base, href), text)
            if scanned is not None:
                found[scanned[0]] = scanned[1]
    return found


def _scan(url: str, text: str) -> tuple[str, _Stored] | None:
    """What a sync needs of an object, read from its content lines alone.

    Parsing every object with icalendar would cost most of a sync; the
    lines a sync reads are simple.
    """
    uids: set[str] = set()
    sequences = [0]
    statuses: list[tuple[bool, str]] = []
    fingerprint = None
    master = True
    for line in _UNFOLD.sub("", text).splitlines():
        head, _, value = line.partition(":")
        name = head.partition(";")[0].upper()
        if name == "BEGIN" and value.upper() == "VEVENT":
            master = True
        elif name == "UID":
            uids.add(value)
        elif name == "SEQUENCE" and value.strip().isdigit():
            sequences.append(int(value))
        elif name == "RECURRENCE-ID":
            master = False
        elif name == "STATUS":
            statuses.append((master, value.strip().upper()))
        elif name == _FINGERPRINT:
            fingerprint = value.strip()
    if len(uids) != 1:
        return None
    masters = [status for is_master, status in statuses if is_master]
    cancelled = bool(masters) and all(status == "CANCELLED" for status in masters)
    return uids.pop(), _Stored(url, text, fingerprint, max(sequences), cancelled)


def _put(client: Any, url: str, body: bytes) -> None:
    _request(client, "PUT", url, body.decode("utf-8"), {"Content-Type": "text/calendar"})


def _request(client: Any, method: str, url: str, body: str, headers: dict[str, str]) -> Any:
    """One request; any failure becomes a :class:`CalDAVError`."""
    try:
        response = client.request(url, method, body, headers)
    except DAVError as error:
        reason = str(error.reason or "")
        # caldav before 3.6 gives the status only as its reason phrase.
        status = getattr(error, "status", None) or _PHRASES.get(reason.strip().lower())
        raise CalDAVError(method, str(error.url or url), status, reason) from None
    except OSError as error:
        raise CalDAVError(method, url, None, type(error).__name__) from None
    status = int(response.status)
    if status >= 300:
        raise CalDAVError(method, url, status, str(getattr(response, "reason", "") or ""))
    return response


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
