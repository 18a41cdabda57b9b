/**
 * Room IDs and resource names of a series' occurrences: stable per occurrence (the series' prefix and the
 * occurrence's original local date and time), so a template edit updates the same rooms, a moved exception
 * replaces exactly its own room, and the rolling window adds and drops one room per occurrence.
 */
import { scopeHash } from "../core/naming";
import { ROOM_ID_MAX_BYTES } from "../tencent/schema";

/** Hex characters of the stack-scoped hash in an automatic prefix. */
export const PREFIX_HASH_LENGTH = 6;
/** `-YYYYMMDD-HHMM`: what an occurrence adds to the prefix. */
const SUFFIX_BYTES = "-20270301-0900".length;
/** The longest prefix that leaves room for the suffix in a Tencent room ID. */
export const MAX_PREFIX_BYTES = ROOM_ID_MAX_BYTES - SUFFIX_BYTES;

/**
 * The room-ID prefix: the user's `roomIdPrefix`, or `<series>-<scopeHash(project, stack, series, 6)>`, so
 * the same series in two stacks (or projects) on one Tencent app never shares a room.
 */
export function seriesPrefix(
  series: string,
  project: string,
  stack: string,
  explicit?: string,
): { prefix: string; problems: string[] } {
  const prefix = explicit ?? `${series}-${scopeHash(project, stack, series, PREFIX_HASH_LENGTH)}`;
  const bytes = Buffer.byteLength(prefix, "utf8");
  if (bytes <= MAX_PREFIX_BYTES) return { prefix, problems: [] };
  const example = `${prefix}-20270301-0900`;
  const fix = explicit
    ? `shorten roomIdPrefix to at most ${MAX_PREFIX_BYTES} bytes`
    : `shorten the series name to at most ${MAX_PREFIX_BYTES - 1 - PREFIX_HASH_LENGTH} bytes, or set a roomIdPrefix of at most ${MAX_PREFIX_BYTES} bytes`;
  return {
    prefix,
    problems: [
      `${explicit ? "roomIdPrefix" : "name"}: room IDs such as ${JSON.stringify(example)} would be ${Buffer.byteLength(example, "utf8")} bytes, over Tencent's ${ROOM_ID_MAX_BYTES}: ${fix}`,
    ],
  };
}

/** `<prefix>-YYYYMMDD-HHMM` for the occurrence whose original local start is `key` (`YYYY-MM-DDTHH:MM`). */
export function occurrenceRoomId(prefix: string, key: string): string {
  return `${prefix}-${key.slice(0, 10).replace(/-/g, "")}-${key.slice(11).replace(":", "")}`;
}

/** `<series>-YYYY-MM-DDTHHMM`: the child resource's name (unique within the series' parent). */
export function occurrenceResourceName(series: string, key: string): string {
  return `${series}-${key.replace(":", "")}`;
}
