/**
 * Check against a zod schema, vendor-neutral: every broken rule with its property path, preview's unknown
 * values tolerated, an input the resource does not know named with the nearest known one, and a room ID
 * derived from the resource name blamed on the name. Pure: no network, no credentials.
 */
import type * as z from "zod";
import { jsonSafe } from "./json";
import { derivedIdReason, ROOM_ID_FROM_NAME, type DerivedIdRules } from "./naming";
import { unknownInput, type ForeignInputs } from "./rules";

/** The engine's placeholder for a value not known until apply (`pulumi preview`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key under which `dynamic.Resource` stores the serialized provider in inputs and outputs. */
export const PROVIDER_KEY = "__provider";

/** A Pulumi `CheckFailure`. */
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** What `check` returns. */
export interface CheckOutcome<T> {
  readonly inputs: T | Record<string, unknown>;
  readonly failures: CheckFailure[];
}

/** True when `value` is, or contains, the preview placeholder. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsUnknown);
  return false;
}

/** A plain record without `__provider`. */
export function withoutProvider(props: Record<string, unknown> | undefined): Record<string, unknown> {
  const { [PROVIDER_KEY]: _ignored, ...rest } = props ?? {};
  return rest;
}

/** Options of {@link checkWithSchema}. */
export interface CheckOptions {
  /**
   * The resource's input names: an unrecognised top-level key is matched against them ("did you mean")
   * and the message lists them.
   */
  readonly inputNames?: readonly string[];
  /** The resource type as messages name it, e.g. `AcmeRoom`. */
  readonly resource?: string;
  /** The other vendor's resource and its inputs: a misplaced input is named as such. */
  readonly foreign?: ForeignInputs;
  /**
   * Auto-naming: when the inputs mark `roomId` as derived from the resource name (`roomIdSource: "name"`),
   * its failures become one failure of the resource itself (no property), naming the resource name and
   * the characters at fault, since the user never wrote that ID.
   */
  readonly derivedId?: DerivedIdRules;
  /**
   * Normalises the known fields of inputs that still hold preview unknowns (see normaliseKnownFields);
   * without it such inputs are returned as given.
   */
  readonly normaliseKnown?: (raw: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * Validates `news` with `schema` and returns *every* failure with its property path. Issues caused by a
 * value that is still unknown (preview) are not failures; when such values are present the inputs are
 * returned as given, since they cannot be normalised yet. An unrecognised key is a failure of its own
 * (`roomNmae: unknown input "roomNmae" (did you mean "roomName"?)`), whatever else is unknown.
 */
export function checkWithSchema<S extends z.ZodType>(
  schema: S,
  news: Record<string, unknown>,
  options: CheckOptions = {},
): CheckOutcome<z.output<S>> {
  const input = withoutProvider(news);
  const result = schema.safeParse(input);
  // The placeholder is a string, and may pass a string rule: normalising the whole around it would invent
  // values (an unknown attribute would become `{ value: <unknown>, autoDelete: false }`), so inputs holding
  // one are only normalised field by field, by the caller's normaliseKnown.
  const unnormalised = () => (containsUnknown(input) && options.normaliseKnown ? options.normaliseKnown(input) : input);
  if (result.success)
    return {
      inputs: containsUnknown(input) ? unnormalised() : jsonSafe(result.data as Record<string, unknown>),
      failures: [],
    };
  const failures: CheckFailure[] = [];
  const seen = new Set<string>();
  const add = (failure: CheckFailure) => {
    const key = `${failure.property}\u0000${failure.reason}`;
    if (seen.has(key)) return;
    seen.add(key);
    failures.push(failure);
  };
  for (const issue of result.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const reason =
          issue.path.length === 0
            ? unknownInput(key, {
                names: options.inputNames ?? [],
                resource: options.resource,
                foreign: options.foreign,
              })
            : `unknown field ${JSON.stringify(key)}`;
        add({ property: propertyPath([...issue.path, key]), reason });
      }
      continue;
    }
    if (pathTouchesUnknown(input, issue.path)) continue;
    add({ property: propertyPath(pathInInput(input, issue.path)), reason: issue.message });
  }
  return {
    inputs: unnormalised(),
    failures: options.derivedId ? blameResourceName(input, failures, options.derivedId) : failures,
  };
}

/**
 * A derived room ID's failures, told against the resource name: the engine prints a failure without a
 * property as "<type> resource '<name>' has a problem: ...".
 */
function blameResourceName(
  input: Record<string, unknown>,
  failures: CheckFailure[],
  rules: DerivedIdRules,
): CheckFailure[] {
  const roomId = input.roomId;
  if (input.roomIdSource !== ROOM_ID_FROM_NAME || typeof roomId !== "string") return failures;
  const ofId = failures.filter((f) => f.property === "roomId");
  if (ofId.length === 0) return failures;
  return [
    {
      property: "",
      reason: derivedIdReason(
        roomId,
        ofId.map((f) => f.reason),
        rules,
      ),
    },
    ...failures.filter((f) => f.property !== "roomId"),
  ];
}

/**
 * Preview: while some inputs are still unknown the schema cannot run as a whole, and checkWithSchema hands
 * the inputs back as written. Each known field is normalised on its own here (`fields` is the object
 * schema's shape), so diff compares like with like: a value written in another form (an ISO time, a
 * string attribute) or a default left out would otherwise show as a change `up` would never make. A field
 * that is unknown, or fails its rule, stays as written.
 */
export function normaliseKnownFields(
  fields: Readonly<Record<string, z.ZodType>>,
  raw: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...raw };
  for (const [name, field] of Object.entries(fields)) {
    if (containsUnknown(raw[name])) continue;
    const parsed = field.safeParse(raw[name]);
    if (!parsed.success) continue;
    if (parsed.data === undefined) delete out[name];
    else out[name] = parsed.data;
  }
  return out;
}

/**
 * Formats a zod path the way Pulumi shows property paths: `roomName`, `scheduleInvitees[3]`,
 * `attributes.topic.value`, `attributes["key with.dots"]`.
 */
export function propertyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(part))) out += out ? `.${String(part)}` : String(part);
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || "(inputs)";
}

/**
 * The part of an issue path that exists in the raw input. A schema that normalises before validating
 * (an attribute `"v"` -> `{ value: "v" }`) reports paths into the normalised shape (`attributes.k.value`); the
 * user wrote `attributes.k`, so the path stops where the input holds a plain value. A key missing from an
 * object stays (it names a required property that was left out).
 */
function pathInInput(input: unknown, path: readonly PropertyKey[]): readonly PropertyKey[] {
  let cursor: unknown = input;
  for (let i = 0; i < path.length; i++) {
    if (cursor === null || typeof cursor !== "object") return path.slice(0, i);
    cursor = (cursor as Record<PropertyKey, unknown>)[path[i] as PropertyKey];
  }
  return path;
}

function pathTouchesUnknown(input: unknown, path: readonly PropertyKey[]): boolean {
  let cursor: unknown = input;
  if (cursor === UNKNOWN) return true;
  for (const part of path) {
    if (cursor === null || typeof cursor !== "object") return false;
    cursor = (cursor as Record<PropertyKey, unknown>)[part];
    if (cursor === UNKNOWN) return true;
  }
  // An issue on an object (e.g. a cross-field rule) counts as unknown-caused if anything inside is unknown.
  return containsUnknown(cursor);
}
