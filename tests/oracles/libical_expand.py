"""Expand an iCalendar file with libical (the engine of Evolution-class clients).

Run by a Python that has PyGObject and libical's GObject bindings (Debian:
python3-gi and gir1.2-ical-3.0), usually the system's ``/usr/bin/python3``.
Reads the file on stdin and the window [start, end) as Unix seconds in argv;
prints a JSON list of [start, end] Unix seconds, one per instance shown. The
zones come from the file's own VTIMEZONEs. With the single argument
``status``, prints each series' STATUS as libical reads it, by UID.
"""

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib  # noqa: E402


def statuses() -> None:
    calendar = ICalGLib.Component.new_from_string(sys.stdin.read())
    found = {}
    for event in _children(calendar, ICalGLib.ComponentKind.VEVENT_COMPONENT):
        if event.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY) is None:
            prop = event.get_first_property(ICalGLib.PropertyKind.STATUS_PROPERTY)
            cancelled = prop is not None and prop.get_status() == ICalGLib.PropertyStatus.CANCELLED
            found[event.get_uid()] = "CANCELLED" if cancelled else "NONE"
    print(json.dumps(found))


def main() -> None:
    if sys.argv[1:] == ["status"]:
        statuses()
        return
    window_start, window_end = (int(value) for value in sys.argv[1:3])
    calendar = ICalGLib.Component.new_from_string(sys.stdin.read())
    zones = {}
    for zone_component in _children(calendar, ICalGLib.ComponentKind.VTIMEZONE_COMPONENT):
        zone = ICalGLib.Timezone.new()
        zone.set_component(zone_component.clone())
        zones[zone.get_tzid()] = zone
    events = list(_children(calendar, ICalGLib.ComponentKind.VEVENT_COMPONENT))
    overrides = {}
    for event in events:
        recurrence = event.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY)
        if recurrence is not None:
            when = _instant(recurrence.get_recurrenceid(), recurrence, zones)
            overrides[(event.get_uid(), when)] = event
    found = []
    for event in events:
        if event.get_first_property(ICalGLib.PropertyKind.RECURRENCEID_PROPERTY) is not None:
            continue
        start = _property_instant(event, ICalGLib.PropertyKind.DTSTART_PROPERTY, zones)
        length = _length(event, start, zones)
        for instant in _instances(event, start, zones, window_end):
            override = overrides.get((event.get_uid(), instant))
            if override is not None:
                begin = _property_instant(override, ICalGLib.PropertyKind.DTSTART_PROPERTY, zones)
                end = _property_instant(override, ICalGLib.PropertyKind.DTEND_PROPERTY, zones)
            else:
                begin, end = instant, instant + length
            if window_start <= begin < window_end:
                found.append([begin, end])
    found.sort()
    print(json.dumps(found))


def _children(parent, kind):
    child = parent.get_first_component(kind)
    while child is not None:
        yield child
        child = parent.get_next_component(kind)


def _zone_of(prop, zones):
    parameter = prop.get_first_parameter(ICalGLib.ParameterKind.TZID_PARAMETER)
    return None if parameter is None else zones[parameter.get_tzid()]


def _instant(value, prop, zones):
    zone = _zone_of(prop, zones)
    if zone is not None and not value.is_utc():
        return value.as_timet_with_zone(zone)
    return value.as_timet()


def _property_instant(event, kind, zones):
    prop = event.get_first_property(kind)
    if kind == ICalGLib.PropertyKind.DTSTART_PROPERTY:
        value = prop.get_dtstart()
    else:
        value = prop.get_dtend()
    return _instant(value, prop, zones)


def _length(event, start, zones):
    if event.get_first_property(ICalGLib.PropertyKind.DTEND_PROPERTY) is not None:
        return _property_instant(event, ICalGLib.PropertyKind.DTEND_PROPERTY, zones) - start
    duration = event.get_first_property(ICalGLib.PropertyKind.DURATION_PROPERTY)
    return duration.get_duration().as_int()


def _instances(event, start, zones, window_end):
    """Every instance start of the series: RRULE and RDATE, less EXDATE."""
    dtstart_prop = event.get_first_property(ICalGLib.PropertyKind.DTSTART_PROPERTY)
    dtstart = dtstart_prop.get_dtstart()
    zone = _zone_of(dtstart_prop, zones)
    if zone is not None:
        dtstart.set_timezone(zone)
    starts = {start}
    rule = event.get_first_property(ICalGLib.PropertyKind.RRULE_PROPERTY)
    if rule is not None:
        iterator = ICalGLib.RecurIterator.new(rule.get_rrule(), dtstart)
        following = iterator.next()
        while following is not None and not following.is_null_time():
            instant = following.as_timet_with_zone(zone) if zone else following.as_timet()
            if instant > window_end + 7 * 86400:
                break
            starts.add(instant)
            following = iterator.next()
    for prop in _properties(event, ICalGLib.PropertyKind.RDATE_PROPERTY):
        starts.add(_instant(prop.get_rdate().get_time(), prop, zones))
    for prop in _properties(event, ICalGLib.PropertyKind.EXDATE_PROPERTY):
        starts.discard(_instant(prop.get_exdate(), prop, zones))
    return sorted(starts)


def _properties(component, kind):
    prop = component.get_first_property(kind)
    while prop is not None:
        yield prop
        prop = component.get_next_property(kind)


if __name__ == "__main__":
    main()
