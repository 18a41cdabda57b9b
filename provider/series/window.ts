/**
 * The rolling window: which occurrences exist as rooms on a given day.
 *
 * "Today" is the start (00:00 UTC) of the current UTC day, or of the day the config `pulumi-rooms:asOf`
 * names, so every run on one day plans the same rooms and a preview repeated that day shows no change.
 * An occurrence exists as a room when it starts before `today + horizon` and has not yet been over for
 * `keep` at the start of today: `start < today + horizon` and `end + keep > today`. With the default keep of
 * 6 hours (the vendor recycles an ended, empty room about 6 hours after its end) a meeting is dropped from
 * the program on the first daily run after the vendor would have recycled it, and its delete finds either
 * the room or nothing (both succeed).
 */
import { Temporal } from "temporal-polyfill";

/** The window of one run. */
export interface SeriesWindow {
  /** 00:00 UTC of the day the run plans for. */
  today: Temporal.Instant;
  /** The day, `YYYY-MM-DD` (UTC). */
  asOf: string;
  /** Occurrences starting at or after this instant do not exist yet. */
  until: Temporal.Instant;
  /** Keep, seconds after an occurrence's end. */
  keepSeconds: number;
}

/** Reads `asOf` (an ISO date) or the clock; a problem when asOf is not a date. */
export function seriesWindow(
  asOf: string | undefined,
  now: Date,
  horizonSeconds: number,
  keepSeconds: number,
): { window?: SeriesWindow; problems: string[] } {
  let day: Temporal.PlainDate;
  if (asOf !== undefined) {
    try {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new RangeError("format");
      day = Temporal.PlainDate.from(asOf, { overflow: "reject" });
    } catch {
      return {
        problems: [
          `config pulumi-rooms:asOf must be a date YYYY-MM-DD (the UTC day to plan for), got ${JSON.stringify(asOf)}`,
        ],
      };
    }
  } else {
    day = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO("UTC").toPlainDate();
  }
  const today = day.toZonedDateTime("UTC").toInstant();
  return {
    window: { today, asOf: day.toString(), until: today.add({ seconds: horizonSeconds }), keepSeconds },
    problems: [],
  };
}

/** Whether an occurrence (actual start and end) exists as a room in the window. */
export function inWindow(o: { start: Temporal.ZonedDateTime; end: Temporal.ZonedDateTime }, w: SeriesWindow): boolean {
  return (
    Temporal.Instant.compare(o.start.toInstant(), w.until) < 0 &&
    Temporal.Instant.compare(o.end.toInstant().add({ seconds: w.keepSeconds }), w.today) > 0
  );
}
