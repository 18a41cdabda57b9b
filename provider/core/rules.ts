/**
 * Check messages that say what arrived and what to do, shared by both vendors' schemas: byte limits with
 * the actual count, type failures with the value and its likely fix, and unknown inputs with the valid
 * ones, the nearest one, and a note when the input belongs to the other vendor's resource.
 * Pure: no network, no credentials (check must stay so).
 */
import type * as z from "zod";
import { nearest } from "./nearest";

/** Length in UTF-8 bytes, as both vendors count it. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** `got 102 bytes (34 characters)`, or `got 101 bytes` when every character is one byte. */
export function gotBytes(text: string): string {
  const bytes = byteLength(text);
  const chars = [...text].length;
  return chars === bytes ? `got ${bytes} bytes` : `got ${bytes} bytes (${chars} characters)`;
}

/** The at-most-`max`-bytes rule with the actual size in its message. */
export function maxBytes(what: string, max: number): (text: string, ctx: z.RefinementCtx) => void {
  return (text, ctx) => {
    if (typeof text === "string" && byteLength(text) > max)
      ctx.addIssue({ code: "custom", message: `${what} must be at most ${max} bytes (UTF-8), ${gotBytes(text)}` });
  };
}

/** A value as a message names it: `the string "50"`, `the number 3`, `a list`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  switch (typeof value) {
    case "string":
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case "number":
    case "bigint":
      return `the number ${String(value)}`;
    case "boolean":
      return `the boolean ${String(value)}`;
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

/** What a type rule expects, for {@link typeError}. */
export type Expected = "string" | "number" | "boolean" | "list" | "map";

const EXPECTED_TEXT: Record<Expected, string> = {
  string: "a string",
  number: "a number",
  boolean: "true or false",
  list: "a list",
  map: "a map",
};

/** The likely cause of a wrong type, as a fix (most often a stack config value read as text). */
function likelyFix(expected: Expected, value: unknown): string {
  if (typeof value === "string") {
    if (expected === "number" && value.trim() !== "" && Number.isFinite(Number(value)))
      return "; use config.requireNumber (or Number(...)) for a number from stack config";
    if (expected === "boolean" && /^(true|false)$/i.test(value.trim()))
      return "; use config.requireBoolean for a boolean from stack config";
    if (expected === "list" || expected === "map") return "; use config.requireObject for structured stack config";
  }
  if (expected === "string" && (typeof value === "number" || typeof value === "boolean"))
    return "; pass it as text, e.g. String(...)";
  return "";
}

/**
 * A zod `error` option for a wrong type: `maxMemberCount must be a number, got the string "50"; use
 * config.requireNumber ...`. Other issues keep their own messages.
 */
export function typeError(what: string, expected: Expected, expectation: string = EXPECTED_TEXT[expected]) {
  return (issue: { code?: string; input?: unknown }): string | undefined => {
    if (
      issue.code !== undefined &&
      issue.code !== "invalid_type" &&
      issue.code !== "invalid_union" &&
      issue.code !== "invalid_value"
    )
      return undefined;
    if (issue.input === undefined) return `${what} is missing: it must be ${expectation}`;
    return `${what} must be ${expectation}, got ${describeValue(issue.input)}${likelyFix(expected, issue.input)}`;
  };
}

/** The inputs of the other vendor's resource, so a misplaced one is named as such. */
export interface ForeignInputs {
  /** The other resource's type name. */
  readonly resource: string;
  readonly names: readonly string[];
}

/** How {@link unknownInput} describes the resource's own inputs. */
export interface KnownInputs {
  /** The resource's type name. */
  readonly resource?: string;
  readonly names: readonly string[];
  readonly foreign?: ForeignInputs;
}

/**
 * `unknown input "scheduleStart" (did you mean "scheduleStartTime"?); <Resource> inputs: roomId, ...`.
 * An input of the other vendor's resource says so; the list of valid inputs is always given.
 */
export function unknownInput(key: string, known: KnownInputs): string {
  const own = known.names;
  const foreign = known.foreign;
  let text = `unknown input ${JSON.stringify(key)}`;
  const near = nearest(key, own);
  if (foreign && foreign.names.includes(key) && !own.includes(key)) {
    text += ` (that is an input of ${foreign.resource}${known.resource ? `, not ${known.resource}` : ""}${near ? `; did you mean ${JSON.stringify(near)}?` : ""})`;
  } else if (near) {
    text += ` (did you mean ${JSON.stringify(near)}?)`;
  } else {
    const other = foreign
      ? nearest(
          key,
          foreign.names.filter((n) => !own.includes(n)),
        )
      : undefined;
    if (other && foreign)
      text += ` (close to ${foreign.resource}'s ${JSON.stringify(other)}${known.resource ? `, which ${known.resource} does not have` : ""})`;
  }
  if (own.length > 0) text += `; ${known.resource ? `${known.resource} inputs` : "valid inputs"}: ${own.join(", ")}`;
  return text;
}
