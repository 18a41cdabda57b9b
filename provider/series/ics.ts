/**
 * The series as iCalendar text (RFC 5545) for calendar subscribers: one VEVENT with the RRULE and an EXDATE
 * per skipped occurrence, one VEVENT per changed occurrence (same UID, RECURRENCE-ID = its original start),
 * and a VTIMEZONE for the series' zone. Built with ical-generator; the VTIMEZONE comes from
 * timezones-ical-library (current IANA rules).
 */
import ical, { formatDate } from "ical-generator";
import { tzlib_get_ical_block } from "timezones-ical-library";
import { occurrenceRoomId } from "./ids";
import type { SeriesPlan } from "./plan";

/** What the calendar shows for each occurrence. */
export interface IcsText {
  /** The series' summary (the template's room name, or the series name). */
  summary: string;
  /** Summaries of changed occurrences, by occurrence key, where an exception renames the room. */
  overrides: Readonly<Record<string, string>>;
}

/** The VTIMEZONE block for an IANA zone; null lets ical-generator leave it out (UTC needs none). */
function vtimezone(zone: string): string | null {
  if (zone === "UTC" || zone === "Etc/UTC") return null;
  const block = tzlib_get_ical_block(zone);
  return Array.isArray(block) && typeof block[0] === "string" ? block[0] : null;
}

/** The iCalendar text of a planned series. Deterministic: DTSTAMP is the planned day (00:00 UTC). */
export function seriesIcs(name: string, plan: SeriesPlan, text: IcsText): string {
  const zone = plan.spec.timeZone;
  const { expansion, prefix } = plan;
  // No calendar-level zone: ical-generator would then write DTSTAMP as floating local time; events carry
  // their zone (TZID) and the generator still emits the VTIMEZONE they reference.
  const calendar = ical({
    name,
    prodId: { company: "pulumi-rooms", product: "MeetingSeries", language: "EN" },
    timezone: { name: null, generator: vtimezone },
  });
  const uid = `${prefix}@pulumi-rooms`;
  const stamp = plan.window.today.toZonedDateTimeISO("UTC");
  const exdates = expansion.skipped.map((t) => `EXDATE;TZID=${zone}:${formatDate(zone, t)}`);
  calendar.createEvent({
    id: uid,
    stamp,
    start: expansion.dtstart,
    end: expansion.dtstart.add({ seconds: plan.spec.duration }),
    timezone: zone,
    summary: text.summary,
    description: `One Tencent room per occurrence: ${prefix}-YYYYMMDD-HHMM (the occurrence's local date and start time).`,
    repeating: [`RRULE:${expansion.rrule}`, ...exdates].join("\n"),
  });
  for (const o of expansion.occurrences) {
    if (!o.override) continue;
    calendar.createEvent({
      id: uid,
      stamp,
      start: o.start,
      end: o.end,
      timezone: zone,
      recurrenceId: o.original,
      summary: text.overrides[o.key] ?? text.summary,
      description: `Tencent room ${occurrenceRoomId(prefix, o.key)}.`,
    });
  }
  return calendar.toString();
}
