/**
 * The room template of a series (`room`) and the room inputs of its exceptions, checked once by TencentRoom's
 * own rules when the program runs: a broken value is one problem with its path in the series' arguments
 * (`room.roomName`, `exceptions["2027-03-12"].roomName`) and the occurrences it reaches, instead of the
 * same check failure on every occurrence's room. Values not known yet (Outputs, promises) are left to each
 * room's check, as in preview. Pure.
 */
import { checkWithSchema, UNKNOWN } from "../core/check";
import { INPUT_NAMES, TencentRoomSchema } from "../tencent/schema";
import { SERIES_OWNED_INPUTS } from "./schema";

/** How many room IDs a problem lists before "and N more". */
const LISTED_ROOMS = 3;

/** An occurrence that exists as a room in this run, as far as the template is concerned. */
export interface TemplateTarget {
  roomId: string;
  /** The room inputs its exception sets, if any (they win over the template's). */
  override?: { room: Record<string, unknown> };
}

/**
 * A value as the check can see it at program time: plain data as it is, anything else (a `pulumi.Output`,
 * a promise) as the engine's placeholder for a value not known yet.
 */
export function knownPart(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(knownPart);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return UNKNOWN;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, knownPart(v)]));
}

/** The failures of `room` alone (the series' own inputs stand in as unknown), as `[field, sentence]`. */
function roomFailures(room: Record<string, unknown>): [string, string][] {
  const candidate = { ...(knownPart(room) as Record<string, unknown>) };
  for (const key of SERIES_OWNED_INPUTS) candidate[key] = UNKNOWN;
  const { failures } = checkWithSchema(TencentRoomSchema, candidate, {
    inputNames: INPUT_NAMES,
    resource: "TencentRoom",
  });
  return failures.map((f) => [f.property, f.reason]);
}

/** `room.roomName must be ...` when the reason starts with the field's name, else `room.x: reason`. */
function at(path: string, field: string, reason: string): string {
  return reason.startsWith(`${field} `)
    ? `${path}.${field}${reason.slice(field.length)}`
    : `${path}.${field}: ${reason}`;
}

/** Which of this run's rooms a template field reaches: those whose exception does not set it. */
function reach(field: string, rooms: readonly TemplateTarget[] | undefined): string {
  if (rooms === undefined) return "";
  if (rooms.length === 0) return " (no occurrence is in the window yet; every one will use it)";
  const using = rooms.filter((o) => o.override?.room[field] === undefined);
  if (using.length === 0)
    return ` (every occurrence in the window sets its own ${field} in exceptions; later ones will use this one)`;
  const ids = using.slice(0, LISTED_ROOMS).map((o) => o.roomId);
  const more = using.length > LISTED_ROOMS ? ` and ${using.length - LISTED_ROOMS} more` : "";
  const which = using.length === rooms.length ? `all ${rooms.length}` : `${using.length} of the ${rooms.length}`;
  return ` (affects ${which} occurrence${rooms.length === 1 ? "" : "s"} in the window: ${ids.join(", ")}${more})`;
}

/**
 * Every problem of the template and of the exceptions' room inputs, one line each. `rooms` are this run's
 * occurrences (undefined when the series' other arguments could not be planned).
 */
export function templateProblems(
  template: Record<string, unknown>,
  exceptions: Readonly<Record<string, "skip" | { room: Record<string, unknown> }>>,
  rooms: readonly TemplateTarget[] | undefined,
): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(template))
    if ((SERIES_OWNED_INPUTS as readonly string[]).includes(key))
      problems.push(`room.${key} is set by the series for each occurrence (use roomIdPrefix, startsAt and duration)`);
  for (const [field, reason] of roomFailures(template))
    if (!(SERIES_OWNED_INPUTS as readonly string[]).includes(field))
      problems.push(`${at("room", field, reason)}${reach(field, rooms)}`);
  for (const [key, exception] of Object.entries(exceptions)) {
    if (exception === "skip") continue;
    // Unknown and series-owned keys of an exception are the schema's problems already (schema.ts).
    for (const [field, reason] of roomFailures(exception.room))
      if (field in exception.room) problems.push(at(`exceptions[${JSON.stringify(key)}]`, field, reason));
  }
  return problems;
}
