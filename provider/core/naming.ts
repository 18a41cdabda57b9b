/**
 * Stack-scoped naming: what makes a room ID that two stacks (or two projects) on one vendor app never share.
 */
import { createHash } from "node:crypto";

/**
 * A short, stable hex digest of (project, stack, name): the same for every run of one stack, different
 * across stacks and projects. Visible in preview because it needs nothing from the engine but the names.
 *
 * @param project - the Pulumi project (`pulumi.getProject()`)
 * @param stack - the Pulumi stack (`pulumi.getStack()`)
 * @param name - the resource (or component) name
 * @param length - hex characters, 4..64 (default 8: 32 bits, far from a collision for the rooms of one app)
 */
export function scopeHash(project: string, stack: string, name: string, length = 8): string {
  if (!Number.isInteger(length) || length < 4 || length > 64) {
    throw new RangeError(`scopeHash length must be an integer from 4 to 64, got ${length}`);
  }
  // NUL separators: ("a-b", "c") and ("a", "b-c") must not hash alike.
  return createHash("sha256").update(`${project}\u0000${stack}\u0000${name}`).digest("hex").slice(0, length);
}

/** Hex characters of the stack-scoped suffix of an auto-named room ID. */
export const AUTO_ID_HASH_LENGTH = 8;

/**
 * The marker input the resource classes add when they derive `roomId` from the resource name, so check can
 * tell a failure of a derived ID (the user never wrote it) from one of a declared ID. A plain string:
 * JSON-safe in state, and pure to test.
 */
export const ROOM_ID_FROM_NAME = "name";

/** The root stack's type: a resource parented to it explicitly is named as a top-level one. */
const STACK_TYPE = "pulumi:pulumi:Stack";

/** A vendor's room ID rules that auto-naming must meet. */
export interface RoomIdRules {
  /** Longest room ID in UTF-8 bytes (the vendor's limit). */
  readonly maxBytes: number;
}

/**
 * The room ID a resource gets when `roomId` is not declared: `<name>-<scopeHash(project, stack, name)>`,
 * as Pulumi's own providers auto-name (stable across runs of one stack, distinct across stacks and
 * projects, known in preview). The name part is cut at a character boundary to fit `maxBytes`; the hash is
 * always whole and hashes the whole name, so two long names with one prefix still differ. Characters the
 * vendor does not allow are kept: check reports them against the resource name.
 *
 * @param parentType - the type of the resource's `parent` option, when one is given (`pulumi.resourceType`)
 */
export function autoRoomId(
  name: string,
  project: string,
  stack: string,
  rules: RoomIdRules,
  parentType?: string,
): string {
  // Pulumi lets two resources share a name under parents of different types (their URNs differ), so a
  // parent's type joins the hash; a top-level resource hashes its name alone.
  const scoped = parentType === undefined || parentType === STACK_TYPE ? name : `${parentType}$${name}`;
  const suffix = `-${scopeHash(project, stack, scoped, AUTO_ID_HASH_LENGTH)}`;
  return `${truncateUtf8(name, rules.maxBytes - suffix.length)}${suffix}`;
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that ends on a whole character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = "";
  for (const char of text) {
    const size = Buffer.byteLength(char, "utf8");
    if (bytes + size > maxBytes) break;
    bytes += size;
    out += char;
  }
  return out;
}

/** The resource-name part of an auto-named room ID (what the user wrote, possibly cut to fit). */
export function namePartOf(roomId: string): string {
  return roomId.length > AUTO_ID_HASH_LENGTH + 1 ? roomId.slice(0, -(AUTO_ID_HASH_LENGTH + 1)) : roomId;
}

/** How check explains an auto-named room ID that breaks the vendor's rules. */
export interface DerivedIdRules {
  /** The vendor, as messages name it (its own spelling of its name). */
  readonly vendor: string;
  /** One character a room ID may hold; characters failing it are named. */
  readonly allowedChar?: RegExp;
  /** The allowed characters, for the message. */
  readonly allowedText?: string;
}

/**
 * The failure for a room ID the user never wrote: it names the resource name, the characters the vendor
 * refuses, and the two fixes. `reasons` are the schema's own failures of that ID (used when no character
 * is at fault, e.g. a rule against leading whitespace).
 */
export function derivedIdReason(roomId: string, reasons: readonly string[], rules: DerivedIdRules): string {
  const name = namePartOf(roomId);
  const bad = rules.allowedChar ? [...new Set([...name].filter((c) => !rules.allowedChar?.test(c)))] : [];
  const what =
    bad.length > 0
      ? `it holds ${bad.map((c) => JSON.stringify(c)).join(", ")}, which ${rules.vendor} room IDs cannot hold${rules.allowedText ? ` (allowed: ${rules.allowedText})` : ""}`
      : reasons.map((r) => r.replace(/^roomId\b/, "the ID")).join("; ");
  return `the resource name ${JSON.stringify(name)} cannot make a ${rules.vendor} room ID: ${what}. roomId is not declared, so it is derived from the resource name (${JSON.stringify(roomId)}); rename the resource, or declare roomId`;
}
