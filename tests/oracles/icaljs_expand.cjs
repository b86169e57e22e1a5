// Expand an iCalendar file with ical.js (the engine of Thunderbird and Nextcloud).
// Reads the file on stdin and the window [start, end) as Unix seconds in argv;
// prints a JSON list of [start, end] Unix seconds, one per instance shown.
// Only the file's own VTIMEZONEs are registered: ical.js has no zone database.
// With the single argument "status", prints each series' STATUS by UID instead.
"use strict";
const loaded = require(process.env.ICALJS_PATH || "ical.js");
const ICAL = loaded.default || loaded;

const text = require("fs").readFileSync(0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(text));
if (process.argv[2] === "status") {
  const statuses = {};
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    if (vevent.hasProperty("recurrence-id")) continue;
    const event = new ICAL.Event(vevent);
    statuses[event.uid] = event.component.getFirstPropertyValue("status") || "NONE";
  }
  process.stdout.write(JSON.stringify(statuses));
  process.exit(0);
}
const [windowStart, windowEnd] = process.argv.slice(2).map(Number);
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(zone));
}
const byUid = new Map();
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const uid = vevent.getFirstPropertyValue("uid");
  if (!byUid.has(uid)) byUid.set(uid, { master: null, exceptions: [] });
  const entry = byUid.get(uid);
  if (vevent.hasProperty("recurrence-id")) entry.exceptions.push(vevent);
  else entry.master = vevent;
}
const found = [];
for (const { master, exceptions } of byUid.values()) {
  // Exceptions passed explicitly: otherwise ical.js relates every exception in
  // the file, whatever its UID (a CalDAV resource holds one UID; the tests
  // merge many plans into one file).
  const event = new ICAL.Event(master, { exceptions });
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    if (next.toUnixTime() >= windowEnd + 86400 * 7) break;
    const details = event.getOccurrenceDetails(next);
    const start = details.startDate.toUnixTime();
    if (start >= windowStart && start < windowEnd) {
      found.push([start, details.endDate.toUnixTime()]);
    }
  }
}
found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
process.stdout.write(JSON.stringify(found));
