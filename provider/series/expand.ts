/**
 * Recurrence expansion: data in (a validated series), data out (its occurrences, exceptions applied).
 * The calendar work is rrule-temporal's (RFC 5545 on Temporal.ZonedDateTime, so 09:00 in Europe/Berlin
 * stays 09:00 across daylight-saving changes); this module only asks it for occurrences and applies the
 * user's exceptions by local date. See docs/meeting-series.md for why that library.
 */
import { RRuleTemporal } from "rrule-temporal";
import { Temporal } from "temporal-polyfill";
import type { ExceptionOverride, SeriesSpec } from "./schema";

/** One occurrence of a series. */
export interface Occurrence {
  /**
   * The local start the rule produced, `YYYY-MM-DDTHH:MM`: the occurrence's identity (room ID, resource name,
   * RECURRENCE-ID). An exception that moves the meeting does not change it.
   */
  key: string;
  /** Start the rule produced. */
  original: Temporal.ZonedDateTime;
  /** Start after an exception (else the original). */
  start: Temporal.ZonedDateTime;
  end: Temporal.ZonedDateTime;
  /** The exception that changed this occurrence, if any. */
  override?: ExceptionOverride;
}

/** Every occurrence up to a bound, and the skipped ones (for EXDATE). */
export interface Expansion {
  /** The rule in canonical form as the library understood it (UNTIL as UTC), for the RRULE line. */
  rrule: string;
  dtstart: Temporal.ZonedDateTime;
  /** Occurrences that take place, by original start. */
  occurrences: Occurrence[];
  /** Original starts of skipped occurrences. */
  skipped: Temporal.ZonedDateTime[];
}

/** Safety cap on occurrences expanded at once (a daily rule reaches it after about 270 years). */
export const MAX_EXPANDED = 100_000;

/** `YYYY-MM-DDTHH:MM` of a zoned time, in its zone. */
export function localKey(t: Temporal.ZonedDateTime): string {
  return t.toPlainDateTime().toString({ smallestUnit: "minute" });
}

/** A local date-time in a zone; undefined when the clock skips it there (a daylight-saving gap). */
export function zoned(local: Temporal.PlainDateTime, zone: string): Temporal.ZonedDateTime | undefined {
  const t = local.toZonedDateTime(zone, { disambiguation: "compatible" });
  return t.toPlainDateTime().equals(local) ? t : undefined;
}

/**
 * Expands `spec` from its first occurrence to `until` (exclusive), and further when an exception names a
 * later date, so that every exception can be checked against a real occurrence. Returns every problem
 * instead of throwing.
 */
export function expand(spec: SeriesSpec, until: Temporal.Instant): { expansion?: Expansion; problems: string[] } {
  const problems: string[] = [];
  const zone = spec.timeZone;
  const dtstart = zoned(spec.startsAt, zone);
  if (!dtstart) {
    return {
      problems: [
        `startsAt: ${spec.startsAt.toString({ smallestUnit: "minute" })} does not exist in ${zone} (the clocks skip it for daylight saving time)`,
      ],
    };
  }
  let rule: RRuleTemporal<Temporal.ZonedDateTime>;
  try {
    rule = new RRuleTemporal({
      rruleString: spec.recurrence.rule,
      dtstart,
      temporal: Temporal,
      maxIterations: MAX_EXPANDED,
    });
  } catch (error) {
    return { problems: [`recurrence: ${(error as Error).message}`] };
  }

  // Expand far enough to see every exception's date (they may lie beyond the window), and a week on to name
  // the nearest occurrences when one is not a date of the series.
  let bound = until;
  for (const key of Object.keys(spec.exceptions)) {
    const after = Temporal.PlainDate.from(key.slice(0, 10)).add({ days: 8 }).toZonedDateTime(zone).toInstant();
    if (Temporal.Instant.compare(after, bound) > 0) bound = after;
  }
  let originals: Temporal.ZonedDateTime[];
  try {
    originals = rule
      .between(new Date(dtstart.epochMilliseconds), new Date(bound.epochMilliseconds), true)
      .filter((t) => t.epochMilliseconds < bound.epochMilliseconds);
  } catch (error) {
    return { problems: [`recurrence: ${(error as Error).message}`] };
  }
  if (originals.length > MAX_EXPANDED)
    return {
      problems: [
        `recurrence: more than ${MAX_EXPANDED} occurrences up to ${bound.toString()}; the rule is too dense for a meeting series`,
      ],
    };

  const first = originals[0] ?? rule.next(new Date(dtstart.epochMilliseconds), true);
  // RFC 5545 leaves a DTSTART that the rule would not produce to each calendar (some count it, some do not);
  // requiring the first start to be an occurrence keeps the rooms and every subscriber's calendar the same.
  if (!first || first.epochMilliseconds !== dtstart.epochMilliseconds) {
    const hint = first
      ? ` (its first occurrence from there is ${localKey(first)})`
      : " (it produces no occurrence at all)";
    problems.push(
      `startsAt: ${localKey(dtstart)} is not an occurrence of recurrence ${spec.recurrence.rule}${hint}: start the series on an occurrence`,
    );
  }

  const byKey = new Map(originals.map((t) => [localKey(t), t]));
  const exceptionOf = new Map<string, { key: string; value: "skip" | ExceptionOverride }>();
  for (const [key, value] of Object.entries(spec.exceptions)) {
    const field = `exceptions[${JSON.stringify(key)}]`;
    const hits =
      key.length === 10
        ? originals.filter((t) => localKey(t).startsWith(`${key}T`))
        : byKey.has(key)
          ? [byKey.get(key) as Temporal.ZonedDateTime]
          : [];
    if (hits.length === 0) {
      problems.push(
        `${field}: ${key} is not ${key.length === 10 ? "a date" : "a start"} of the series${nearby(originals, key)}`,
      );
      continue;
    }
    if (hits.length > 1 && value !== "skip" && value.startsAt) {
      problems.push(
        `${field}: ${key} has ${hits.length} occurrences (${hits.map((t) => localKey(t).slice(11)).join(", ")}); key a moved one by date and time, e.g. "${localKey(hits[0] as Temporal.ZonedDateTime)}"`,
      );
      continue;
    }
    for (const t of hits) {
      const k = localKey(t);
      const other = exceptionOf.get(k);
      if (other) problems.push(`${field}: occurrence ${k} already has the exception ${JSON.stringify(other.key)}`);
      else exceptionOf.set(k, { key, value });
    }
  }

  const occurrences: Occurrence[] = [];
  const skipped: Temporal.ZonedDateTime[] = [];
  for (const original of originals) {
    const key = localKey(original);
    const exception = exceptionOf.get(key)?.value;
    if (exception === "skip") {
      skipped.push(original);
      continue;
    }
    let start = original;
    if (exception?.startsAt) {
      const local = (exception.startsAt.date ?? original.toPlainDate()).toPlainDateTime(exception.startsAt.time);
      const moved = zoned(local, zone);
      if (!moved) {
        problems.push(
          `exceptions[${JSON.stringify(exceptionOf.get(key)?.key)}].startsAt: ${local.toString({ smallestUnit: "minute" })} does not exist in ${zone} (the clocks skip it for daylight saving time)`,
        );
        continue;
      }
      start = moved;
    }
    // A meeting lasts its duration in elapsed time, also on the night the clocks change.
    const end = start.add({ seconds: exception?.durationSeconds ?? spec.duration });
    occurrences.push({ key, original, start, end, ...(exception ? { override: exception } : {}) });
  }
  if (problems.length) return { problems };
  const rrule = /RRULE:([^\n]*)/.exec(rule.toString())?.[1] ?? spec.recurrence.rule;
  return { expansion: { rrule, dtstart, occurrences, skipped }, problems };
}

/** " (nearest: a, b)" for an exception that names no occurrence. */
function nearby(originals: readonly Temporal.ZonedDateTime[], key: string): string {
  const keys = originals.map(localKey);
  const after = keys.findIndex((k) => k > key);
  const i = after < 0 ? keys.length : after;
  const near = [keys[i - 1], keys[i]].filter((k): k is string => k !== undefined);
  return near.length ? ` (nearest occurrences: ${near.join(", ")})` : "";
}
