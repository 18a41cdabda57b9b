/**
 * MeetingSeries arguments that decide which rooms exist (recurrence, first start, zone, duration, horizon,
 * keep, exceptions): plain values, validated when the program runs, every problem named with its field.
 * The room template's values are `pulumi.Input`s and are checked by TencentRoom's own check.
 */
import { Temporal } from "temporal-polyfill";
import * as z from "zod";
import { ProblemsError } from "../core/errors";
import { INPUT_NAMES, MAX_MEETING_SECONDS, MIN_MEETING_SECONDS } from "../tencent/schema";
import { canonicalRule, ruleProblems } from "./rule";

/** Default look-ahead: rooms exist for occurrences starting in the next 14 days. */
export const DEFAULT_HORIZON = "14d";
/**
 * Default keep: the vendor recycles an ended, empty room 6 hours after its end (create_room page,
 * https://trtc.io/document/60707: "the backend will try to recycle the room 6 hours after the meeting ends").
 */
export const DEFAULT_KEEP = "6h";
/** Horizon bounds: at least an hour, at most a year (every occurrence in it is a room). */
export const MIN_HORIZON_SECONDS = 3600;
export const MAX_HORIZON_SECONDS = 366 * 86400;
/** Keep bounds: 0 (drop a room as soon as its meeting ends) .. 7 days. */
export const MAX_KEEP_SECONDS = 7 * 86400;

/** Room inputs the series sets itself, so neither the template nor an exception may. */
export const SERIES_OWNED_INPUTS = ["roomId", "scheduleStartTime", "scheduleEndTime"] as const;
/** Room inputs a template or an exception may set. */
export const TEMPLATE_INPUTS: readonly string[] = INPUT_NAMES.filter(
  (k) => !(SERIES_OWNED_INPUTS as readonly string[]).includes(k),
);

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const LOCAL_TIME = /^\d{2}:\d{2}$/;
const SPAN = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;

/** Seconds of a span like `15m`, `1h30m`, `14d`, `2w`; undefined when the text is not one. */
export function spanSeconds(text: string): number | undefined {
  const m = SPAN.exec(text);
  if (!m || text === "") return undefined;
  const [w, d, h, min] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  return ((w * 7 + d) * 24 + h) * 3600 + min * 60;
}

const span = (what: string, min: number, max: number, bounds: string) =>
  z.string({ message: `${what} must be a span such as "15m", "1h30m", "14d" or "2w"` }).transform((text, ctx) => {
    const seconds = spanSeconds(text);
    if (seconds === undefined) {
      ctx.addIssue({
        code: "custom",
        message: `${what} must be a span such as "15m", "1h30m", "14d" or "2w" (units w, d, h, m in that order), got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }
    if (seconds < min || seconds > max) {
      ctx.addIssue({ code: "custom", message: `${what} must be ${bounds}, got ${JSON.stringify(text)}` });
      return z.NEVER;
    }
    return seconds;
  });

/** Parses `text` when it matches `pattern`, calendar-checked (`2027-02-30` is refused, not rolled over). */
function strictly<T>(pattern: RegExp, text: string, parse: (text: string) => T): T | undefined {
  if (!pattern.test(text)) return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

/** A calendar-checked local date-time (`2027-02-30T09:00` is refused, not rolled over). */
function plainDateTime(text: string): Temporal.PlainDateTime | undefined {
  return strictly(LOCAL_DATE_TIME, text, (t) => Temporal.PlainDateTime.from(t, { overflow: "reject" }));
}

function plainDate(text: string): Temporal.PlainDate | undefined {
  return strictly(LOCAL_DATE, text, (t) => Temporal.PlainDate.from(t, { overflow: "reject" }));
}

/** The canonical IANA name of a zone, or undefined when the time-zone database does not know it. */
export function canonicalZone(name: string): string | undefined {
  // Offsets such as +01:00 are valid Temporal zones but have no daylight-saving rules: not what a series means.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return undefined;
  try {
    return Temporal.PlainDate.from("2000-01-01").toZonedDateTime(name).timeZoneId;
  } catch {
    return undefined;
  }
}

const localDateTime = (what: string) =>
  z.string({ message: `${what} must be a local date-time such as "2027-03-01T09:00"` }).transform((text, ctx) => {
    const value = plainDateTime(text);
    if (!value) {
      const hint = /[zZ]$|[+-]\d{2}:?\d{2}$/.test(text) ? " without a zone or offset (the zone is timeZone)" : "";
      ctx.addIssue({
        code: "custom",
        message: `${what} must be a local date-time YYYY-MM-DDTHH:MM${hint} that exists in the calendar, got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }
    return value;
  });

/** An exception's new start: `HH:MM` on the occurrence's own date, or a local date-time to move it. */
const overrideStart = z
  .string({ message: 'startsAt must be "HH:MM" or a local date-time "YYYY-MM-DDTHH:MM"' })
  .transform((text, ctx) => {
    if (LOCAL_TIME.test(text)) {
      try {
        return { time: Temporal.PlainTime.from(text, { overflow: "reject" }) };
      } catch {
        /* reported below */
      }
    }
    const moved = plainDateTime(text);
    if (moved) return { date: moved.toPlainDate(), time: moved.toPlainTime() };
    ctx.addIssue({
      code: "custom",
      message: `startsAt must be "HH:MM" (same day) or a local date-time "YYYY-MM-DDTHH:MM", got ${JSON.stringify(text)}`,
    });
    return z.NEVER;
  });

const durationSpan = (what: string) =>
  span(what, MIN_MEETING_SECONDS, MAX_MEETING_SECONDS, "from 5 minutes to 24 hours (the Room Engine's meeting length)");

/** An exception that changes one occurrence: a new start, a new length and/or any room input. */
const Override = z
  .looseObject({ startsAt: overrideStart.optional(), duration: durationSpan("duration").optional() })
  .transform((o) => {
    const { startsAt, duration, ...room } = o;
    return {
      ...(startsAt ? { startsAt } : {}),
      ...(duration !== undefined ? { durationSeconds: duration } : {}),
      room,
    };
  });

/** Keys an override may not hold, each with its reason (checked apart, so they show next to bad values). */
function overrideKeyProblems(value: object): { key: string; message: string }[] {
  return Object.keys(value)
    .filter((key) => key !== "startsAt" && key !== "duration" && !TEMPLATE_INPUTS.includes(key))
    .map((key) => ({
      key,
      message: (SERIES_OWNED_INPUTS as readonly string[]).includes(key)
        ? `${key} is set by the series (use startsAt and duration)`
        : `${key} is not a room input (startsAt, duration, ${TEMPLATE_INPUTS.join(", ")})`,
    }));
}

export type ExceptionOverride = z.output<typeof Override>;

/**
 * "skip" or an override. Not a z.union: a union that fails reports only "no option matched", and the
 * user must see which override field is wrong.
 */
const OverrideOrSkip = z.unknown().transform((value, ctx): "skip" | ExceptionOverride => {
  if (value === "skip") return "skip";
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    ctx.addIssue({
      code: "custom",
      message: `an exception must be "skip" or an object of overrides (startsAt, duration, room inputs), got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  const keyProblems = overrideKeyProblems(value);
  for (const { key, message } of keyProblems) ctx.addIssue({ code: "custom", path: [key], message });
  const parsed = Override.safeParse(value);
  if (parsed.success && keyProblems.length === 0) return parsed.data;
  for (const issue of parsed.error?.issues ?? [])
    ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  return z.NEVER;
});

/** Exceptions by local date (`YYYY-MM-DD`: every occurrence that day) or date and time (`YYYY-MM-DDTHH:MM`: one). */
const Exceptions = z.record(
  z.string().refine((key) => plainDate(key) !== undefined || plainDateTime(key) !== undefined, {
    error: (issue) =>
      `exception key ${JSON.stringify(issue.input)} must be a local date YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM that exists in the calendar`,
  }),
  OverrideOrSkip,
);

/** The plain (program-time) arguments of a MeetingSeries, before defaults. */
export const SeriesSpecSchema = z.strictObject(
  {
    recurrence: z
      .string({ message: "recurrence must be an RRULE string such as FREQ=WEEKLY;BYDAY=MO" })
      .transform((text, ctx) => {
        const { parts, problems } = ruleProblems(text);
        for (const p of problems) ctx.addIssue({ code: "custom", message: `recurrence: ${p}` });
        return problems.length ? z.NEVER : { rule: canonicalRule(parts), parts };
      }),
    startsAt: localDateTime("startsAt"),
    timeZone: z
      .string({ message: "timeZone must be an IANA time-zone name such as Europe/Berlin" })
      .transform((name, ctx) => {
        const zone = canonicalZone(name);
        if (!zone) {
          ctx.addIssue({
            code: "custom",
            message: `timeZone ${JSON.stringify(name)} is not a time zone the IANA database knows (e.g. Europe/Berlin, America/New_York, UTC)`,
          });
          return z.NEVER;
        }
        return zone;
      }),
    duration: durationSpan("duration"),
    horizon: span("horizon", MIN_HORIZON_SECONDS, MAX_HORIZON_SECONDS, "from 1 hour to 366 days").prefault(
      DEFAULT_HORIZON,
    ),
    keep: span("keep", 0, MAX_KEEP_SECONDS, 'from "0m" to 7 days').prefault(DEFAULT_KEEP),
    exceptions: Exceptions.default({}),
    roomIdPrefix: z
      .string({ message: "roomIdPrefix must be a string" })
      .refine((s) => s.length > 0 && s.trim() === s, "roomIdPrefix must not be empty or start or end with whitespace")
      .optional(),
  },
  {
    // A misspelt argument (`horizen`) would otherwise be ignored and the default used without a word.
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `unknown argument${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")} (a series takes recurrence, startsAt, timeZone, duration, horizon, keep, exceptions, room, roomIdPrefix)`
        : undefined,
  },
);

/** Validated plain arguments, with defaults. */
export type SeriesSpec = z.output<typeof SeriesSpecSchema>;

/** A MeetingSeries whose arguments break rules; the message lists every problem with its field. */
export class SeriesArgumentError extends ProblemsError<"SERIES_ARGUMENTS_INVALID"> {
  static override readonly errorName: string = "SeriesArgumentError";

  constructor(
    readonly series: string,
    problems: readonly string[],
  ) {
    super("SERIES_ARGUMENTS_INVALID", `MeetingSeries ${JSON.stringify(series)} has invalid arguments`, problems);
  }
}

/** Zod issues as "field: message" lines (the field path in the user's terms). */
export function issueLines(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((raw) => {
    // A bad record key arrives wrapped ("Invalid key in record"); its own message says what is wrong.
    const issue = raw.code === "invalid_key" ? { ...raw, message: raw.issues.map((i) => i.message).join("; ") } : raw;
    const field = issue.path
      .map((p, i) =>
        typeof p === "number"
          ? `[${p}]`
          : i === 0
            ? String(p)
            : i === 1 && issue.path[0] === "exceptions"
              ? `[${JSON.stringify(p)}]`
              : `.${String(p)}`,
      )
      .join("");
    const last = issue.path[issue.path.length - 1];
    // "startsAt must be ..." under exceptions["2027-03-12"] reads best as 'exceptions["2027-03-12"].startsAt must be ...'.
    if (typeof last === "string" && issue.message.startsWith(`${last} `) && field.endsWith(`.${last}`))
      return `${field}${issue.message.slice(last.length)}`;
    return issue.message.startsWith(`${field}`) || field === "" ? issue.message : `${field}: ${issue.message}`;
  });
}

/** Parses the plain arguments, or collects every problem. */
export function parseSpec(raw: unknown): { spec: SeriesSpec; problems: [] } | { spec: undefined; problems: string[] } {
  const parsed = SeriesSpecSchema.safeParse(raw);
  return parsed.success
    ? { spec: parsed.data, problems: [] }
    : { spec: undefined, problems: issueLines(parsed.error.issues) };
}
