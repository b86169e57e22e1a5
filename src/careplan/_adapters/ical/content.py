"""What an event shows the client: title, privacy, place, link and reminders.

Everything here is text, written by icalendar with RFC 5545's escaping
(:class:`Text`). How much is shown is the export's ``detail``: generic
titles by default, the session's own title, kind and track with
``"sessions"``, and the level of care and care team with ``"full"``.
"""

from __future__ import annotations

import datetime as _dt
import re
import typing
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

import icalendar

from careplan._adapters.ical.lines import serialise
from careplan._model.kinds import SessionKind
from careplan._model.plan import CarePlan
from careplan._model.session import Session
from careplan._model.transition import Episode

__all__ = ["DETAILS", "Detail", "Text", "calendar_name", "content", "full_lines"]

#: How much a calendar export reveals.
#:
#: - ``"minimal"`` (default): generic titles ("Group session", "Individual
#:   session"), where to go (location or join link), nothing else.
#: - ``"sessions"``: the session's own title, its kind and treatment track.
#: - ``"full"``: also the level of care, the client's name (in the calendar's
#:   name) and the care team.
Detail = Literal["minimal", "sessions", "full"]

#: The values of :data:`Detail`.
DETAILS: tuple[str, ...] = typing.get_args(Detail)

#: The title of a session at ``detail="minimal"``, by its kind's code:
#: "Session" for a kind that is not built in.
_GENERIC_TITLES = {kind.code: "Group session" for kind in SessionKind.builtins()} | {
    SessionKind.INDIVIDUAL_THERAPY.code: "Individual session",
    SessionKind.PSYCHIATRIC.code: "Individual session",
    SessionKind.FAMILY_THERAPY.code: "Family session",
}
_BEGIN_EVENT = b"BEGIN:VEVENT\r\n"
_END_EVENT = b"END:VEVENT\r\n"
# C0 and C1 control characters but tab and line feed: no iCalendar value may
# carry them (RFC 5545 section 3.1), and some readers stop at the first one.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = str.maketrans({"\r": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})


def _plain_text(value: str) -> str:
    """``value`` with every line break a line feed and no control character."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").translate(_LINE_BREAKS))


class Text(icalendar.vText):
    """A TEXT value escaped exactly by RFC 5545 section 3.3.11.

    icalendar's own escaping first turns a literal backslash-N into a line
    break, so a title containing "\\N" would not come back as written. Here
    backslashes are escaped first and nothing else is rewritten, except that
    CR, CRLF and the Unicode line separators become a line break (TEXT has
    no escape for a lone CR), control characters are dropped, and a lone
    surrogate, which UTF-8 cannot carry, becomes "?".
    """

    def to_ical(self) -> bytes:
        """The escaped value, UTF-8 encoded."""
        text = _plain_text(str(self))
        for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(raw, escaped)
        return text.encode("utf-8", "replace")


def calendar_name(name: str) -> Text:
    """The calendar's display name, with nothing a reader would have to unescape.

    ``X-WR-CALNAME`` is not a standard property, and several readers show
    its value as written, backslash escapes included; so the characters
    TEXT escapes (and line breaks) become spaces instead.
    """
    value: Text = Text(" ".join(re.sub(r"[\\;,]", " ", _plain_text(name)).split()))
    return value


def full_lines(plan: CarePlan, episode: Episode) -> tuple[str, ...]:
    """What ``detail="full"`` adds to a plan's event: the level of care and the care team."""
    lines = [f"Level of care: {episode.level.name} ({episode.level.code})"]
    if plan.care_team:
        lines.append("Care team: " + ", ".join(m.name for m in plan.care_team))
    return tuple(lines)


def _description(
    session: Session, detail: Detail, full: Sequence[str], join_url: str | None
) -> str:
    lines = []
    if detail != "minimal":
        lines.append(session.kind.label)
        if session.track is not None:
            lines.append(f"Track: {session.track.label}")
    if detail == "full":
        lines.extend(full)
    if join_url:
        lines.append(f"Join: {join_url}")
    return "\n".join(lines)


def content(
    session: Session, detail: Detail, full: Sequence[str], alarms: tuple[_dt.timedelta, ...]
) -> bytes:
    """The lines an event shows the client: title, privacy, place, reminders
    (and the ``full`` lines at ``detail="full"``)."""
    if detail == "minimal":
        title = _GENERIC_TITLES.get(session.kind.code, "Session")
    else:
        title = session.display_title
    modality = session.modality
    join_url = modality.join_url if modality.is_virtual else None
    description = _description(session, detail, full, join_url)
    return _content_lines(title, description, join_url, modality.location, alarms)


@lru_cache(maxsize=1024)
def _content_lines(
    title: str,
    description: str,
    join_url: str | None,
    location: str | None,
    alarms: tuple[_dt.timedelta, ...],
) -> bytes:
    # Cached: a clinic's plans share their sessions, and these lines depend
    # only on what the session shows, not on the client or the dates.
    event = icalendar.Event()
    event.add("summary", Text(title))
    event.add("class", "PRIVATE")
    if description:
        event.add("description", Text(description))
    if join_url:
        event.add("url", join_url)
        event.add(
            "conference",
            icalendar.vUri(join_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join the session"},
        )
    if location:
        event.add("location", Text(location))
    for before in alarms:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Upcoming session")
        alarm.add("trigger", -before)
        event.add_component(alarm)
    return serialise(event)[len(_BEGIN_EVENT) : -len(_END_EVENT)]
