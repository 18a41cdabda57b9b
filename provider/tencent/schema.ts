/**
 * TencentRoom inputs: the zod schema (every rule of the create_room page, lengths in UTF-8 bytes), its
 * normalisation (documented defaults, times as Unix seconds, invitees as a sorted set) and the change rule
 * of each field. The mapping to and from the Room Engine API's field names is in api.ts.
 * Sources: Tencent Room Engine "Create a Room" (https://trtc.io/document/60707) and "Update Room Info" (https://trtc.io/document/60705), REST
 * overview https://trtc.io/document/60703.
 */
import * as z from "zod";
import { normaliseKnownFields } from "../core/check";
import type { ChangeRule } from "../core/lifecycle";
import type { RoomInputRules } from "../core/room-provider";
import { ROOM_ID_FROM_NAME } from "../core/naming";
import { maxBytes, typeError } from "../core/rules";

/** RoomId: "up to 48 bytes". */
export const ROOM_ID_MAX_BYTES = 48;
/** RoomName: "up to 100 bytes". */
export const ROOM_NAME_MAX_BYTES = 100;
/** CustomInfo: "maximum 500 bytes". */
export const CUSTOM_INFO_MAX_BYTES = 500;
/** ScheduleInviteeList_Account: "up to 300 members". */
export const MAX_INVITEES = 300;
/** "the minimum meeting time cannot be less than 5 minutes". */
export const MIN_MEETING_SECONDS = 5 * 60;
/** "the maximum time cannot exceed 24h". */
export const MAX_MEETING_SECONDS = 24 * 60 * 60;
/** "default is 1 hour after the start time". */
export const DEFAULT_MEETING_SECONDS = 60 * 60;

const bytes = (max: number, what: string) =>
  z.string({ error: typeError(what, "string") }).superRefine(maxBytes(what, max));

const account = (what: string) =>
  z
    .string({ error: typeError(what, "string") })
    .min(1, `${what} must not be empty`)
    .refine((s) => s.trim() === s, `${what} must not start or end with whitespace`);

/** Largest Unix seconds value: the API's times are 32-bit unsigned integers. */
export const MAX_UNIX_SECONDS = 4294967295;

/** `YYYY-MM-DDThh:mm[:ss[.fff]]` followed by `Z` or an offset `±hh:mm` / `±hhmm`. */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Unix seconds of an ISO-8601 date-time with a zone, or a reason it is not one. `Date.parse` alone is not
 * enough: it rolls `2026-02-30` over to 2 March, so every field is range-checked against the calendar.
 */
function isoToUnixSeconds(text: string): number | { error: string } {
  const m = ISO_8601.exec(text);
  if (!m) {
    if (/^\d+$/.test(text)) return { error: "must be Unix seconds as a number (not text), or an ISO-8601 date-time" };
    if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(text))
      return { error: "must be an ISO-8601 date-time with a zone (Z or ±hh:mm), e.g. 2026-12-01T09:00:00Z" };
    return { error: "must be an ISO-8601 date-time with a zone, e.g. 2026-12-01T09:00:00Z, or Unix seconds" };
  }
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetH = Number(m[10] ?? 0);
  const offsetM = Number(m[11] ?? 0);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetH > 23 ||
    offsetM > 59
  ) {
    return { error: `is not a valid ISO-8601 date-time (no such date, time or zone offset): ${JSON.stringify(text)}` };
  }
  if (m[7] !== undefined && Number(m[7]) !== 0) return { error: "must be whole seconds (the API keeps Unix seconds)" };
  const sign = m[9] === "-" ? -1 : 1;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second) / 1000;
  return utc - sign * (offsetH * 3600 + offsetM * 60);
}

/** A time as ISO-8601 text (with a zone) or Unix seconds; normalised to Unix seconds. */
const time = (what: string) =>
  z
    .union([z.number(), z.string()], { error: typeError(what, "number", "an ISO-8601 string or Unix seconds") })
    .transform((value, ctx) => {
      if (typeof value === "number") {
        if (!Number.isInteger(value) || value < 0 || value > MAX_UNIX_SECONDS) {
          const ms =
            Number.isInteger(value) && value > MAX_UNIX_SECONDS && value / 1000 <= MAX_UNIX_SECONDS
              ? " (this looks like milliseconds: divide by 1000)"
              : "";
          ctx.addIssue({ code: "custom", message: `${what} must be whole Unix seconds (0..${MAX_UNIX_SECONDS})${ms}` });
          return z.NEVER;
        }
        return value;
      }
      const seconds = isoToUnixSeconds(value);
      if (typeof seconds !== "number") {
        ctx.addIssue({ code: "custom", message: `${what} ${seconds.error}` });
        return z.NEVER;
      }
      if (seconds < 0 || seconds > MAX_UNIX_SECONDS) {
        ctx.addIssue({
          code: "custom",
          message: `${what} must lie between 1970 and 2106 (Unix seconds 0..${MAX_UNIX_SECONDS})`,
        });
        return z.NEVER;
      }
      return seconds;
    });

const flag = (what: string) => z.boolean({ error: typeError(what, "boolean") }).default(false);

// Not `.int()`: zod aborts the object's cross-field rules after a format failure, and check must report
// every failure at once (a non-integer count next to a too-short meeting).
const positiveInt = (what: string) =>
  z
    .number({ error: typeError(what, "number") })
    .refine((n) => Number.isInteger(n), `${what} must be a whole number`)
    .refine((n) => n >= 1, `${what} must be at least 1`);

/**
 * The TencentRoom inputs, one per create_room field (camelCase). TSDoc quotes the create_room page.
 * Lengths are UTF-8 bytes; times are ISO-8601 with a zone or Unix seconds.
 */
const FIELDS = {
  /** "Room ID, up to 48 bytes" (mandatory). Defaults to the resource name in the resource class. */
  roomId: account("roomId").superRefine(maxBytes("roomId", ROOM_ID_MAX_BYTES)),
  /**
   * Set by the resource class (never by hand) when `roomId` was derived from the resource name, so check
   * blames the name for an ID the user never wrote. Not a vendor field; a change to it changes nothing.
   */
  roomIdSource: z.literal(ROOM_ID_FROM_NAME).optional(),
  /** "Room Name, defaults to Room ID, up to 100 bytes". */
  roomName: bytes(ROOM_NAME_MAX_BYTES, "roomName").optional(),
  /** "Room Type: Conference (Meeting Room)" (mandatory in the API; the only value, so it is the default). */
  roomType: z.literal("Conference", { error: typeError("roomType", "string", '"Conference"') }).default("Conference"),
  /** "Host ID (must be an imported account), defaults to the User ID of the API caller". */
  ownerAccount: account("ownerAccount").optional(),
  /** "Maximum number of room members, default value when not specified: Upper limit of paid package". */
  maxMemberCount: positiveInt("maxMemberCount").optional(),
  /** "Scheduled meeting start time, the default is current time." */
  scheduleStartTime: time("scheduleStartTime").optional(),
  /**
   * "Scheduled meeting end time, default is 1 hour after the start time, the minimum meeting time cannot be
   * less than 5 minutes, and the maximum time cannot exceed 24h."
   */
  scheduleEndTime: time("scheduleEndTime").optional(),
  /** "Mute all video, default false". */
  isVideoDisabled: flag("isVideoDisabled"),
  /** "Mute all audio, default false". */
  isAudioDisabled: flag("isAudioDisabled"),
  /** "Disable all members from sending text messages, default false". */
  isMessageDisabled: flag("isMessageDisabled"),
  /** "Disable screen sharing, default false". */
  isScreenSharingDisabled: flag("isScreenSharingDisabled"),
  /** "Disable cloud recording, default false". */
  isCloudRecordingDisabled: flag("isCloudRecordingDisabled"),
  /** "Custom Information, maximum 500 bytes". */
  customInfo: bytes(CUSTOM_INFO_MAX_BYTES, "customInfo").default(""),
  /** "Whether to support seat position. Not supported by default." */
  isSeatEnabled: flag("isSeatEnabled"),
  /** "Maximum number of seats, default is the package limit (max 20 by default)." */
  maxSeatCount: positiveInt("maxSeatCount").optional(),
  /** "Seat mode: FreeToTake (open mic), ApplyToTake (mic on request)". */
  takeSeatMode: z
    .enum(["FreeToTake", "ApplyToTake"], {
      error: typeError("takeSeatMode", "string", '"FreeToTake" or "ApplyToTake"'),
    })
    .optional(),
  /** ScheduleInviteeList_Account: "Scheduled member list, up to 300 members". Kept as a sorted set. */
  scheduleInvitees: z
    .array(account("each scheduleInvitees entry"), {
      error: typeError("scheduleInvitees", "list", "a list of accounts"),
    })
    // A refinement, not .max(): zod rejects an oversized array before any other rule (even the cross-field
    // ones) runs, which would hide every other failure.
    .superRefine((list, ctx) => {
      if (list.length > MAX_INVITEES)
        ctx.addIssue({
          code: "custom",
          message: `scheduleInvitees must have at most ${MAX_INVITEES} accounts, got ${list.length}`,
        });
      const twice = [...new Set(list.filter((account, i) => list.indexOf(account) !== i))];
      if (twice.length > 0)
        ctx.addIssue({
          code: "custom",
          message: `scheduleInvitees must not list an account twice: ${twice.map((a) => JSON.stringify(a)).join(", ")} ${twice.length === 1 ? "is" : "are"} listed more than once`,
        });
    })
    .transform((list) => [...list].sort())
    .optional(),
};

/** The input names a program writes, for "did you mean" on a misspelled one (not the internal marker). */
export const INPUT_NAMES = (Object.keys(FIELDS) as (keyof typeof FIELDS)[]).filter((name) => name !== "roomIdSource");

/** The TencentRoom input schema. Output: normalised inputs, as stored in state and compared by diff. */
export const TencentRoomSchema = z
  .strictObject(FIELDS)
  .superRefine(
    (room, ctx) => {
      // Runs even when other fields failed (so every failure is reported): read the times defensively.
      const start = typeof room.scheduleStartTime === "number" ? room.scheduleStartTime : undefined;
      const end = typeof room.scheduleEndTime === "number" ? room.scheduleEndTime : undefined;
      if (room.scheduleEndTime !== undefined && room.scheduleStartTime === undefined) {
        // The start defaults to "now" at create time, so the 5 min..24 h rule could not be checked here.
        ctx.addIssue({
          code: "custom",
          path: ["scheduleEndTime"],
          message: "scheduleEndTime needs scheduleStartTime (the start would default to the time of creation)",
        });
      }
      if (start !== undefined && end !== undefined) {
        if (end - start < MIN_MEETING_SECONDS)
          ctx.addIssue({
            code: "custom",
            path: ["scheduleEndTime"],
            message: "scheduleEndTime must be at least 5 minutes after scheduleStartTime",
          });
        if (end - start > MAX_MEETING_SECONDS)
          ctx.addIssue({
            code: "custom",
            path: ["scheduleEndTime"],
            message: "scheduleEndTime must be at most 24 hours after scheduleStartTime",
          });
      }
    },
    { when: () => true },
  )
  .transform((room) => ({
    ...room,
    roomName: room.roomName ?? room.roomId,
    scheduleEndTime:
      room.scheduleEndTime ??
      (room.scheduleStartTime === undefined ? undefined : room.scheduleStartTime + DEFAULT_MEETING_SECONDS),
  }));

/**
 * Preview: each known field normalised on its own (see core's normaliseKnownFields), plus the defaults the
 * schema's transform derives, where what they derive from is known.
 */
export function normaliseKnownInputs(raw: Record<string, unknown>): Record<string, unknown> {
  const out = normaliseKnownFields(FIELDS, raw);
  if (out.roomName === undefined && out.roomId !== undefined) out.roomName = out.roomId;
  if (out.scheduleEndTime === undefined && typeof out.scheduleStartTime === "number")
    out.scheduleEndTime = out.scheduleStartTime + DEFAULT_MEETING_SECONDS;
  return out;
}

/** What a program may pass (before defaults), as plain values. */
export type TencentRoomInput = z.input<typeof TencentRoomSchema>;
/** Normalised inputs: what check returns and diff/create/update receive. */
export type TencentRoomInputs = z.output<typeof TencentRoomSchema>;

/**
 * How each input changes: update_room_info accepts RoomName, MaxMemberCount, the five switches, CustomInfo
 * and TakeSeatMode; nothing else can change on an existing room, so those fields replace it.
 */
export const CHANGE_RULES: Readonly<Record<keyof TencentRoomInputs, ChangeRule>> = {
  roomId: "replace",
  roomIdSource: "ignore",
  roomName: "update",
  roomType: "replace",
  ownerAccount: "replace",
  maxMemberCount: "update",
  scheduleStartTime: "replace",
  scheduleEndTime: "replace",
  isVideoDisabled: "update",
  isAudioDisabled: "update",
  isMessageDisabled: "update",
  isScreenSharingDisabled: "update",
  isCloudRecordingDisabled: "update",
  customInfo: "update",
  isSeatEnabled: "replace",
  maxSeatCount: "replace",
  takeSeatMode: "update",
  scheduleInvitees: "replace",
};

/** Fields whose declared value an adopted room must already have, since they cannot be updated. */
export const IMMUTABLE_FIELDS = (Object.keys(CHANGE_RULES) as (keyof TencentRoomInputs)[]).filter(
  (f) => CHANGE_RULES[f] === "replace" && f !== "roomId" && f !== "scheduleInvitees",
);

/** The TencentRoom's inputs as the provider's check and diff see them. */
export const TENCENT_ROOM_RULES: RoomInputRules = {
  schema: TencentRoomSchema,
  check: {
    inputNames: INPUT_NAMES,
    resource: "TencentRoom",
    derivedId: { vendor: "Tencent" },
    normaliseKnown: normaliseKnownInputs,
  },
  changeRules: CHANGE_RULES,
};
