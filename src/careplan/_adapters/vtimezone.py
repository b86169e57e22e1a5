"""Compact VTIMEZONE components derived from the zone's real transitions.

icalendar's own ``Timezone.from_tzinfo`` writes every transition as an RDATE
list. Outlook reads only RRULE-based rules and ical.js only the first RDATE,
so both would show New York at -05:00 all year. This module finds the
zone's transitions around a span with zoneinfo, groups the ones that follow
one yearly rule ("second Sunday of March at 02:00") and writes each group as
a STANDARD or DAYLIGHT sub-component with an RRULE; a rule that stops in the
window gets an UNTIL, a one-off change a plain DTSTART.
"""

from __future__ import annotations

import calendar
import datetime as _dt
from functools import lru_cache
from typing import NamedTuple

import icalendar

from careplan._model.time import zone_info

__all__ = ["transition_days", "vtimezone"]

_UTC = _dt.timezone.utc
_DAY = _dt.timedelta(days=1)
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ZERO = _dt.timedelta(0)
_UTC_LOOKALIKE_FROM = 2000


class _Change(NamedTuple):
    """One offset change of a zone."""

    at: _dt.datetime  # UTC instant of the change
    before: _dt.timedelta  # UTC offset before
    after: _dt.timedelta  # UTC offset after
    name: str  # abbreviation after ("EDT")
    dst: bool  # daylight saving time after


class _Rule(NamedTuple):
    """The yearly pattern of a change, as an RRULE can say it."""

    month: int
    weekday: int
    nth: int  # 1..4, or -1 for the last
    onset: _dt.time  # wall time before the change
    before: _dt.timedelta
    after: _dt.timedelta
    name: str
    dst: bool


def _offset(zone: _dt.tzinfo, moment: _dt.datetime) -> _dt.timedelta:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


def _changes(timezone: str, first_year: int, last_year: int) -> list[_Change]:
    """Every offset change from 1 January ``first_year`` to the end of ``last_year``."""
    zone = zone_info(timezone)
    moment = _dt.datetime(first_year, 1, 1, tzinfo=_UTC)
    stop = _dt.datetime(last_year + 1, 1, 1, tzinfo=_UTC)
    found = []
    current = _offset(zone, moment)
    while moment < stop:
        following = moment + _DAY
        offset = _offset(zone, following)
        if offset != current:
            # Narrow the change down to the second within this day.
            low, high = moment, following
            while high - low > _dt.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == current:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            found.append(_Change(high, current, offset, local.tzname() or "", bool(local.dst())))
            current = offset
        moment = following
    return found


def _standard_offset(changes: list[_Change]) -> _dt.timedelta:
    """The offset of the zone's standard time, from its changes."""
    return next((change.after for change in changes if not change.dst), changes[0].before)


def _rule(change: _Change) -> _Rule:
    onset = (change.at + change.before).replace(tzinfo=None)
    days_in_month = calendar.monthrange(onset.year, onset.month)[1]
    nth = -1 if onset.day + 7 > days_in_month else (onset.day - 1) // 7 + 1
    return _Rule(
        onset.month,
        onset.weekday(),
        nth,
        onset.time(),
        change.before,
        change.after,
        change.name,
        change.dst,
    )


def _subcomponent(
    first: _Change, rule: _Rule, *, until: _Change | None, repeats: bool
) -> icalendar.Component:
    part = icalendar.TimezoneDaylight() if rule.dst else icalendar.TimezoneStandard()
    part.add("dtstart", (first.at + first.before).replace(tzinfo=None))
    part.add("tzoffsetfrom", rule.before)
    part.add("tzoffsetto", rule.after)
    if rule.name:
        part.add("tzname", rule.name)
    if repeats:
        recurrence = {
            "freq": "yearly",
            "bymonth": rule.month,
            "byday": f"{rule.nth}{_BYDAY[rule.weekday]}",
        }
        if until is not None:
            recurrence["until"] = until.at.replace(tzinfo=None).replace(tzinfo=_UTC)
        part.add("rrule", recurrence)
    return part


def vtimezone(timezone: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """The VTIMEZONE of ``timezone`` valid from ``first_year`` to ``last_year``.

    The window reaches one year further on each side, so every offset in
    effect during the span has a sub-component that starts before it.
    Not cached: the calendar writer keeps each span's bytes
    (``_vtimezone_bytes``), and a component is mutable.
    """
    component = icalendar.Timezone()
    component.add("tzid", timezone)
    changes = _changes(timezone, first_year - 1, last_year + 1)
    if changes and first_year - 1 > _UTC_LOOKALIKE_FROM and _standard_offset(changes) == _ZERO:
        # vobject (and Radicale through it) compares a zone with UTC over
        # 2000-2020 and takes it for UTC when the offsets agree; a zone whose
        # standard time is UTC+0 (London, Lisbon) agrees before its first
        # definition. Its real history from 2000 is short, so write that.
        changes = _changes(timezone, _UTC_LOOKALIKE_FROM, last_year + 1)
    if not changes:
        zone = zone_info(timezone)
        moment = _dt.datetime(first_year, 1, 1, tzinfo=_UTC)
        local = moment.astimezone(zone)
        offset = _offset(zone, moment)
        part = icalendar.TimezoneStandard()
        part.add("dtstart", _dt.datetime(1970, 1, 1))
        part.add("tzoffsetfrom", offset)
        part.add("tzoffsetto", offset)
        part.add("tzname", local.tzname() or timezone)
        component.add_component(part)
        return component
    window_end = _dt.datetime(last_year + 2, 1, 1, tzinfo=_UTC)
    # Runs of consecutive changes (of one kind) that follow the same rule.
    runs: dict[bool, list[tuple[_Rule, list[_Change]]]] = {True: [], False: []}
    for change in changes:
        rule = _rule(change)
        same_kind = runs[rule.dst]
        if same_kind and same_kind[-1][0] == rule:
            same_kind[-1][1].append(change)
        else:
            same_kind.append((rule, [change]))
    for kind_runs in runs.values():
        for index, (rule, members) in enumerate(kind_runs):
            last = members[-1]
            followed = index + 1 < len(kind_runs)
            # A rule stops when a different rule follows, or when a year
            # passes inside the window without its next change.
            stops = followed or last.at + _dt.timedelta(days=370) < window_end
            if len(members) == 1:
                component.add_component(_subcomponent(last, rule, until=None, repeats=False))
            else:
                component.add_component(
                    _subcomponent(members[0], rule, until=last if stops else None, repeats=True)
                )
    return component


@lru_cache(maxsize=512)
def transition_days(timezone: str, first_year: int, last_year: int) -> frozenset[_dt.date]:
    """Local dates on which ``timezone`` changes its offset in the years given."""
    zone = zone_info(timezone)
    days = set()
    for change in _changes(timezone, first_year, last_year):
        days.add(change.at.astimezone(zone).date())
        days.add((change.at + change.before).date())
    return frozenset(days)
