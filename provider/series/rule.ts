/**
 * The RRULE parts a MeetingSeries takes, and the form of each value (RFC 5545 §3.3.10). This only names
 * what is wrong with a rule's text; what the rule *means* (which dates it produces) is left entirely to the
 * recurrence library in expand.ts. Checked here because the library silently drops parts it does not know
 * (`FOO=1`), and a rule that quietly means something else than written is worse than an error.
 */

/** Weekday codes, in RFC 5545 order. */
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

type PartCheck = (value: string, parts: ReadonlyMap<string, string>) => string | undefined;

const intList =
  (min: number, max: number, signed: boolean): PartCheck =>
  (value) => {
    for (const item of value.split(",")) {
      const n = /^[+-]?\d{1,3}$/.test(item) ? Number(item) : NaN;
      const abs = Math.abs(n);
      if (!Number.isInteger(n) || abs < min || abs > max || (!signed && n < 0) || (signed && n === 0)) {
        return `${JSON.stringify(item)} is not ${signed ? `±${min}..${max}` : `${min}..${max}`} (a comma-separated list)`;
      }
    }
    return undefined;
  };

const positive =
  (what: string): PartCheck =>
  (value) =>
    /^[1-9]\d{0,5}$/.test(value)
      ? undefined
      : `must be a positive whole number of ${what}, got ${JSON.stringify(value)}`;

/**
 * The parts a series takes. BYSECOND is left out (rooms are scheduled to the minute and room IDs carry
 * hh:mm), HOURLY and finer frequencies too (a meeting room per hour is not a meeting series; BYHOUR with a
 * DAILY rule covers several meetings a day), and RSCALE/SKIP (RFC 7529) because calendar subscribers
 * rarely understand them.
 */
const PARTS: Record<string, PartCheck> = {
  FREQ: (v) => (FREQS.includes(v) ? undefined : `must be one of ${FREQS.join(", ")}, got ${JSON.stringify(v)}`),
  INTERVAL: positive("periods"),
  COUNT: positive("occurrences"),
  UNTIL: (v) =>
    /^\d{8}$/.test(v) || /^\d{8}T\d{6}Z$/.test(v)
      ? undefined
      : `must be a date (YYYYMMDD, the last day, inclusive, in the series' time zone) or a UTC date-time (YYYYMMDDTHHMMSSZ), got ${JSON.stringify(v)}`,
  BYDAY: (v, parts) => {
    const ordinalsAllowed = parts.get("FREQ") === "MONTHLY" || parts.get("FREQ") === "YEARLY";
    for (const item of v.split(",")) {
      const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
      if (!m || !WEEKDAYS.includes(m[2] ?? ""))
        return `${JSON.stringify(item)} is not a weekday (${WEEKDAYS.join(", ")}, optionally with an ordinal like 2TU or -1FR)`;
      if (m[1] !== undefined) {
        if (!ordinalsAllowed) return `${JSON.stringify(item)}: an ordinal weekday needs FREQ=MONTHLY or FREQ=YEARLY`;
        const n = Number(m[1]);
        if (n === 0 || Math.abs(n) > 53) return `${JSON.stringify(item)}: the ordinal must be ±1..53`;
      }
    }
    return undefined;
  },
  BYMONTHDAY: intList(1, 31, true),
  BYYEARDAY: intList(1, 366, true),
  BYWEEKNO: (v, parts) => (parts.get("FREQ") === "YEARLY" ? intList(1, 53, true)(v, parts) : "needs FREQ=YEARLY"),
  BYMONTH: intList(1, 12, false),
  BYSETPOS: intList(1, 366, true),
  BYHOUR: intList(0, 23, false),
  BYMINUTE: intList(0, 59, false),
  WKST: (v) =>
    WEEKDAYS.includes(v) ? undefined : `must be a weekday (${WEEKDAYS.join(", ")}), got ${JSON.stringify(v)}`,
};

/** Parts that exist in RFC 5545 but a series does not take, with the reason given to the user. */
const REFUSED: Record<string, string> = {
  BYSECOND: "rooms are scheduled to the minute: leave BYSECOND out",
  DTSTART: "the first occurrence is `startsAt` (local time in `timeZone`), not part of the rule",
  RSCALE: "non-Gregorian recurrence (RFC 7529) is not supported",
  SKIP: "non-Gregorian recurrence (RFC 7529) is not supported",
};

/** The rule's parts, upper-cased, without an optional `RRULE:` prefix; or the problems with its text. */
export function ruleProblems(text: string): { parts: Map<string, string>; problems: string[] } {
  const problems: string[] = [];
  const parts = new Map<string, string>();
  const body = text.trim().replace(/^RRULE:/i, "");
  if (body === "") return { parts, problems: ["must be an RRULE such as FREQ=WEEKLY;BYDAY=MO,WE,FR"] };
  if (/[\r\n]/.test(body))
    return {
      parts,
      problems: ["must be one RRULE line (put the first occurrence in startsAt and exceptions in exceptions)"],
    };
  for (const raw of body.split(";")) {
    const eq = raw.indexOf("=");
    const key = (eq < 0 ? raw : raw.slice(0, eq)).trim().toUpperCase();
    const value =
      eq < 0
        ? ""
        : raw
            .slice(eq + 1)
            .trim()
            .toUpperCase();
    if (key === "") continue;
    if (eq < 0 || value === "") problems.push(`rule part ${JSON.stringify(raw)} has no value (write NAME=VALUE)`);
    else if (parts.has(key)) problems.push(`rule part ${key} appears twice`);
    else parts.set(key, value);
  }
  for (const [key, value] of parts) {
    const refused = REFUSED[key];
    const check = PARTS[key];
    if (refused) problems.push(`rule part ${key}: ${refused}`);
    else if (!check)
      problems.push(`unknown rule part ${JSON.stringify(key)} (a series takes ${Object.keys(PARTS).join(", ")})`);
    else {
      const problem = check(value, parts);
      if (problem) problems.push(`rule part ${key} ${problem}`);
    }
  }
  if (!parts.has("FREQ")) problems.push("rule part FREQ is required (DAILY, WEEKLY, MONTHLY or YEARLY)");
  // RFC 5545: "The UNTIL or COUNT rule parts are OPTIONAL, but they MUST NOT occur in the same 'recur'."
  if (parts.has("COUNT") && parts.has("UNTIL"))
    problems.push("rule parts COUNT and UNTIL must not both be given (RFC 5545)");
  return { parts, problems };
}

/** The rule as one canonical line (upper case, no prefix), for the library and for the ics output. */
export function canonicalRule(parts: ReadonlyMap<string, string>): string {
  return [...parts].map(([k, v]) => `${k}=${v}`).join(";");
}
