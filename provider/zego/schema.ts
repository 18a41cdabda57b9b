/**
 * ZegoRoom inputs: the zod schema (every rule of the CreateRoom page and the room-attribute limits, lengths
 * in UTF-8 bytes), its normalisation (attributes in one canonical shape) and the change rule of each
 * field. The mapping to and from the ZIM server API's field names is in api.ts.
 * Sources: https://www.zegocloud.com/docs/zim-server/room/create-a-room and the room attribute pages
 * (query-room-attributes, update-room-attributes) beside it.
 */
import * as z from "zod";
import { containsUnknown, normaliseKnownFields } from "../core/check";
import type { ChangeRule } from "../core/lifecycle";
import type { RoomInputRules } from "../core/room-provider";
import { ROOM_ID_FROM_NAME } from "../core/naming";
import { byteLength, gotBytes, maxBytes, typeError } from "../core/rules";

/** RoomId and FromUserId: `maxLength: 32` in every room yaml. */
export const ID_MAX_BYTES = 32;
/**
 * One character of RoomId and FromUserId: digits, letters and `! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _`
 * (every page lists these) plus space `, { } | ~` (the extras the pages list, inconsistently).
 */
export const ID_CHAR = /^[A-Za-z0-9!#$%&()+\-:;<=.>?@[\]^_ ,{}|~]$/;
/** The ID characters as messages list them. */
export const ID_CHARS_TEXT = "digits, letters and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ space , { } | ~";
/** RoomName: "The maximum length is 64 bytes". */
export const ROOM_NAME_MAX_BYTES = 64;
/** DestroyDelayTime: "The maximum room delay destruction time is 10800 seconds by default". */
export const DESTROY_DELAY_MAX_SECONDS = 10800;
/** "A room can set up to 20 room attributes." (CreateRoom; a newer note says 16, the server has the last word.) */
export const MAX_ATTRIBUTES = 20;
/** Room attributes: "The maximum length of `Key` is 16 bytes". */
export const ATTRIBUTE_KEY_MAX_BYTES = 16;
/** "the maximum length of `Value` is 1024 bytes". */
export const ATTRIBUTE_VALUE_MAX_BYTES = 1024;
/** "the total length of all properties must not exceed 5120 bytes" (keys and values). */
export const ATTRIBUTES_TOTAL_MAX_BYTES = 5120;

const id = (what: string) =>
  z
    .string({ error: typeError(what, "string") })
    .min(1, `${what} must not be empty`)
    .superRefine(maxBytes(what, ID_MAX_BYTES))
    .superRefine((s, ctx) => {
      const bad = [...new Set([...s].filter((c) => !ID_CHAR.test(c)))];
      if (bad.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `${what} may contain only ${ID_CHARS_TEXT}, got ${bad.map((c) => JSON.stringify(c)).join(", ")}`,
        });
    });

/** One attribute in canonical form: what state holds and diff compares. */
export interface ZegoRoomAttribute {
  value: string;
  /** Delete the attribute when the operator leaves the room (AutoDelete 1). */
  autoDelete: boolean;
}

/** Attributes keyed by attribute key. */
export type ZegoRoomAttributes = Record<string, ZegoRoomAttribute>;

/** `"v"` and `{ value: "v" }` both become `{ value: "v", autoDelete: false }`, so equal meanings compare equal. */
const attribute = z.preprocess(
  (raw) => (typeof raw === "string" ? { value: raw } : raw),
  z.strictObject(
    {
      value: z
        .string({ error: typeError("attribute value", "string") })
        .superRefine(maxBytes("attribute value", ATTRIBUTE_VALUE_MAX_BYTES)),
      autoDelete: z.boolean({ error: typeError("autoDelete", "boolean") }).default(false),
    },
    // Only a wrong type gets this text; an unrecognised key keeps zod's own message, which names it.
    {
      error: (issue) =>
        issue.code === "invalid_type"
          ? typeError("each attribute", "string", "a string or { value, autoDelete }")(issue)
          : undefined,
    },
  ),
);

/** The value of an attribute as given, for the size rules that run even when the attribute itself failed. */
function rawValue(raw: unknown): string {
  if (typeof raw === "string") return raw;
  const value = raw !== null && typeof raw === "object" ? (raw as { value?: unknown }).value : undefined;
  return typeof value === "string" ? value : "";
}

const attributes = z
  .record(z.string(), attribute, { error: typeError("attributes", "map", "a map of attribute key to value") })
  .superRefine(
    (map, ctx) => {
      // Runs even when an attribute failed (so every failure is reported): read the map defensively.
      if (map === null || typeof map !== "object" || Array.isArray(map)) return;
      const entries = Object.entries(map as Record<string, unknown>);
      let total = 0;
      for (const [key, raw] of entries) {
        if (key === "") ctx.addIssue({ code: "custom", path: [key], message: "attribute key must not be empty" });
        if (byteLength(key) > ATTRIBUTE_KEY_MAX_BYTES)
          ctx.addIssue({
            code: "custom",
            path: [key],
            message: `attribute key must be at most ${ATTRIBUTE_KEY_MAX_BYTES} bytes (UTF-8), ${gotBytes(key)}`,
          });
        total += byteLength(key) + byteLength(rawValue(raw));
      }
      if (entries.length > MAX_ATTRIBUTES)
        ctx.addIssue({
          code: "custom",
          message: `attributes must have at most ${MAX_ATTRIBUTES} keys (a room holds at most ${MAX_ATTRIBUTES}), got ${entries.length}`,
        });
      if (total > ATTRIBUTES_TOTAL_MAX_BYTES)
        ctx.addIssue({
          code: "custom",
          message: `attribute keys and values must total at most ${ATTRIBUTES_TOTAL_MAX_BYTES} bytes (UTF-8), not ${total}`,
        });
    },
    { when: () => true },
  )
  .transform((map): ZegoRoomAttributes => sortedAttributes(map));

/** The ZegoRoom input schema. Output: normalised inputs, as stored in state and compared by diff. */
export const ZegoRoomSchema = z.strictObject({
  roomId: id("roomId"),
  /**
   * Set by the resource class (never by hand) when `roomId` was derived from the resource name, so check
   * blames the name for an ID the user never wrote. Not a vendor field; a change to it changes nothing.
   */
  roomIdSource: z.literal(ROOM_ID_FROM_NAME).optional(),
  roomName: z
    .string({ error: typeError("roomName", "string") })
    .superRefine(maxBytes("roomName", ROOM_NAME_MAX_BYTES))
    .optional(),
  fromUserId: id("fromUserId").optional(),
  destroyDelayTime: z
    .number({ error: typeError("destroyDelayTime", "number", "a number of seconds") })
    .int("destroyDelayTime must be whole seconds")
    .min(0, "destroyDelayTime must not be negative")
    .max(DESTROY_DELAY_MAX_SECONDS, `destroyDelayTime must be at most ${DESTROY_DELAY_MAX_SECONDS} seconds (3 hours)`)
    .optional(),
  attributes: attributes.optional(),
});

/** The input names a program writes, for "did you mean" on a misspelled one (not the internal marker). */
export const INPUT_NAMES = (Object.keys(ZegoRoomSchema.shape) as (keyof typeof ZegoRoomSchema.shape)[]).filter(
  (name) => name !== "roomIdSource",
);

/**
 * Preview: each known field normalised on its own (see core's normaliseKnownFields). An attribute map with
 * some values unknown has each known attribute normalised (`"v"` -> `{ value: "v", autoDelete: false }`),
 * so only the attributes that are really unknown differ from state.
 */
export function normaliseKnownInputs(raw: Record<string, unknown>): Record<string, unknown> {
  const out = normaliseKnownFields(ZegoRoomSchema.shape, raw);
  const map = raw.attributes;
  if (map !== null && typeof map === "object" && !Array.isArray(map) && containsUnknown(map)) {
    const each: Record<string, unknown> = {};
    for (const key of Object.keys(map).sort()) {
      const value = (map as Record<string, unknown>)[key];
      const parsed = containsUnknown(value) ? undefined : attribute.safeParse(value);
      each[key] = parsed?.success ? parsed.data : value;
    }
    out.attributes = each;
  }
  return out;
}

/** What a program may pass (before normalisation), as plain values. */
export type ZegoRoomInput = z.input<typeof ZegoRoomSchema>;
/** Normalised inputs: what check returns and diff/create/update receive. */
export type ZegoRoomInputs = z.output<typeof ZegoRoomSchema>;

/**
 * How each input changes: ModifyRoomAttribute sets and deletes attributes; no action changes (or returns)
 * RoomName or DestroyDelayTime, so those replace the room. The operator only chooses who makes later
 * calls: an update that calls nothing and records it.
 */
export const CHANGE_RULES: Readonly<Record<keyof ZegoRoomInputs, ChangeRule>> = {
  roomId: "replace",
  roomIdSource: "ignore",
  roomName: "replace",
  fromUserId: "update",
  destroyDelayTime: "replace",
  attributes: "update",
};

/** Attributes with their keys in sorted order, so equal maps compare (and serialize) equal. */
export function sortedAttributes(map: Readonly<Record<string, ZegoRoomAttribute>>): ZegoRoomAttributes {
  const out: ZegoRoomAttributes = {};
  for (const key of Object.keys(map).sort()) out[key] = map[key] as ZegoRoomAttribute;
  return out;
}

/** The ZegoRoom's inputs as the provider's check and diff see them. */
export const ZEGO_ROOM_RULES: RoomInputRules = {
  schema: ZegoRoomSchema,
  check: {
    inputNames: INPUT_NAMES,
    resource: "ZegoRoom",
    derivedId: { vendor: "ZEGO", allowedChar: ID_CHAR, allowedText: ID_CHARS_TEXT },
    normaliseKnown: normaliseKnownInputs,
  },
  changeRules: CHANGE_RULES,
};
