/**
 * The field rules of create_room and update_room_info (trtc.io/document/60707 and 60705; the same numbers
 * under tencentcloud.com/document/product/647/) and the get_room_info view of a room (60704). A rule broken
 * yields the 100002 ErrorInfo text naming the field and the rule; a limit that belongs to the app's package
 * also names the emulator option that sets it.
 *
 * Choices where the pages are silent:
 * - TakeSeatMode defaults to "None" (one of the values get_room_info documents) whether or not seats are
 *   enabled; "None" cannot be sent, only FreeToTake/ApplyToTake;
 * - RoomStatus is derived from the clock at read time: "NotStarted" before ScheduleStartTime, then "Running"
 *   (a room created with a past start time is Running at once);
 * - rooms start with no members (creating over REST enters nobody, so MemberCount is 0 until a test calls
 *   addMember); scheduled invitees are kept but never returned;
 * - ScheduleStartTime may lie in the past (the create page's own sample does); only the 5 min .. 24 h
 *   duration is checked.
 */

import type { TencentRoomRecord } from "./store";
import { VendorRefusal } from "../vendor-error";

/** Package limits the emulated app has. */
export interface TencentLimits {
  readonly defaultMaxMemberCount: number;
  readonly packageMaxMemberCount: number;
  readonly packageMaxSeatCount: number;
  /** Accounts imported into Chat; undefined = every account counts as imported. */
  readonly knownAccounts?: readonly string[];
}

/** Limits from the create_room page. */
export const ROOM_ID_MAX_BYTES = 48;
export const ROOM_NAME_MAX_BYTES = 100;
export const CUSTOM_INFO_MAX_BYTES = 500;
export const MAX_INVITEES = 300;
export const MIN_MEETING_SECONDS = 5 * 60;
export const MAX_MEETING_SECONDS = 24 * 60 * 60;
export const DEFAULT_MEETING_SECONDS = 60 * 60;

const UPDATABLE_FIELDS = [
  "RoomName",
  "MaxMemberCount",
  "IsVideoDisabled",
  "IsAudioDisabled",
  "IsMessageDisabled",
  "IsScreenSharingDisabled",
  "IsCloudRecordingDisabled",
  "CustomInfo",
  "TakeSeatMode",
] as const;

const SWITCHES = [
  "IsVideoDisabled",
  "IsAudioDisabled",
  "IsMessageDisabled",
  "IsScreenSharingDisabled",
  "IsCloudRecordingDisabled",
  "IsSeatEnabled",
] as const;

/** A broken field rule: answered as 100002 with the text as ErrorInfo. */
export class FieldError extends VendorRefusal {
  constructor(message: string) {
    super(100002, message);
  }
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

function str(info: Record<string, unknown>, field: string, maxBytes: number, required = false): string | undefined {
  const v = info[field];
  if (v === undefined) {
    if (required) throw new FieldError(`${field} is mandatory`);
    return undefined;
  }
  if (typeof v !== "string") throw new FieldError(`${field} must be a string`);
  if (required && v === "") throw new FieldError(`${field} must not be empty`);
  if (bytes(v) > maxBytes) throw new FieldError(`${field} is longer than ${maxBytes} bytes`);
  return v;
}

/**
 * The package limits, each with the emulator option (programmatic / CLI flag) that sets it, so an error
 * caused by the emulated plan says how to rehearse a bigger one.
 */
const PACKAGE_LIMIT_OPTIONS = {
  MaxMemberCount: "the package's member limit: emulator option tencent.packageMaxMemberCount / --tencent-max-members",
  MaxSeatCount: "the package's seat limit: emulator option tencent.packageMaxSeatCount / --tencent-max-seats",
} as const;

/** An optional integer in min..max; above max, `overMax` (the limit's origin) is added to the error. */
function int(
  info: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  overMax?: string,
): number | undefined {
  const v = info[field];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v)) throw new FieldError(`${field} must be an integer`);
  if (v < min || v > max)
    throw new FieldError(`${field} must be between ${min} and ${max}${v > max && overMax ? ` (${overMax})` : ""}`);
  return v;
}

function bool(info: Record<string, unknown>, field: string): boolean | undefined {
  const v = info[field];
  if (v === undefined) return undefined;
  if (typeof v !== "boolean") throw new FieldError(`${field} must be a boolean`);
  return v;
}

function seatMode(info: Record<string, unknown>): "FreeToTake" | "ApplyToTake" | undefined {
  const v = info.TakeSeatMode;
  if (v === undefined) return undefined;
  if (v !== "FreeToTake" && v !== "ApplyToTake") throw new FieldError("TakeSeatMode must be FreeToTake or ApplyToTake");
  return v;
}

function account(limits: TencentLimits, field: string, value: string): void {
  if (limits.knownAccounts && !limits.knownAccounts.includes(value)) {
    throw new FieldError(`${field} ${value} is not an imported account`);
  }
}

/**
 * Validates a create_room body and builds the record (defaults as documented). Throws {@link FieldError}
 * on the first broken rule.
 */
export function roomFromCreate(
  body: Record<string, unknown>,
  operator: string,
  nowSec: number,
  limits: TencentLimits,
): TencentRoomRecord {
  const info = body.RoomInfo;
  if (info === null || typeof info !== "object" || Array.isArray(info))
    throw new FieldError("RoomInfo is mandatory and must be an object");
  const r = info as Record<string, unknown>;
  const roomId = str(r, "RoomId", ROOM_ID_MAX_BYTES, true) as string;
  const roomType = r.RoomType;
  if (roomType === undefined) throw new FieldError("RoomType is mandatory");
  if (roomType !== "Conference") throw new FieldError("RoomType must be Conference");
  // The page gives no length for accounts; 128 bytes only stops absurd values.
  const owner = str(r, "Owner_Account", 128) ?? operator;
  if (owner === "") throw new FieldError("Owner_Account must not be empty");
  account(limits, "Owner_Account", owner);
  const start = int(r, "ScheduleStartTime", 0, 4294967295) ?? nowSec;
  const end = int(r, "ScheduleEndTime", 0, 4294967295) ?? start + DEFAULT_MEETING_SECONDS;
  if (end - start < MIN_MEETING_SECONDS)
    throw new FieldError("ScheduleEndTime must be at least 5 minutes after ScheduleStartTime");
  if (end - start > MAX_MEETING_SECONDS)
    throw new FieldError("the meeting cannot last more than 24 hours (ScheduleEndTime - ScheduleStartTime)");
  const invitees = body.ScheduleInviteeList_Account;
  if (invitees !== undefined) {
    if (!Array.isArray(invitees) || !invitees.every((a) => typeof a === "string" && a !== "")) {
      throw new FieldError("ScheduleInviteeList_Account must be an array of account strings");
    }
    if (invitees.length > MAX_INVITEES)
      throw new FieldError(`ScheduleInviteeList_Account has more than ${MAX_INVITEES} members`);
    for (const a of invitees as string[]) account(limits, "ScheduleInviteeList_Account", a);
  }
  const switches = Object.fromEntries(SWITCHES.map((f) => [f, bool(r, f) ?? false])) as Record<
    (typeof SWITCHES)[number],
    boolean
  >;
  return {
    RoomId: roomId,
    RoomName: str(r, "RoomName", ROOM_NAME_MAX_BYTES) ?? roomId,
    RoomType: "Conference",
    Owner_Account: owner,
    MaxMemberCount:
      int(r, "MaxMemberCount", 1, limits.packageMaxMemberCount, PACKAGE_LIMIT_OPTIONS.MaxMemberCount) ??
      limits.defaultMaxMemberCount,
    MaxSeatCount:
      int(r, "MaxSeatCount", 1, limits.packageMaxSeatCount, PACKAGE_LIMIT_OPTIONS.MaxSeatCount) ??
      limits.packageMaxSeatCount,
    ...switches,
    CustomInfo: str(r, "CustomInfo", CUSTOM_INFO_MAX_BYTES) ?? "",
    ScheduleStartTime: start,
    ScheduleEndTime: end,
    TakeSeatMode: seatMode(r) ?? "None",
    CreateTime: nowSec,
    Invitees: [...((invitees as string[] | undefined) ?? [])],
    Members: [],
  };
}

/** Validates an update_room_info RoomInfo: only updatable fields, same rules as create. */
export function patchFromUpdate(info: Record<string, unknown>, limits: TencentLimits): Partial<TencentRoomRecord> {
  for (const field of Object.keys(info)) {
    if (field !== "RoomId" && !(UPDATABLE_FIELDS as readonly string[]).includes(field)) {
      throw new FieldError(`${field} cannot be updated by update_room_info`);
    }
  }
  const patch: Partial<TencentRoomRecord> = {};
  const name = str(info, "RoomName", ROOM_NAME_MAX_BYTES);
  if (name !== undefined) patch.RoomName = name;
  const max = int(info, "MaxMemberCount", 1, limits.packageMaxMemberCount, PACKAGE_LIMIT_OPTIONS.MaxMemberCount);
  if (max !== undefined) patch.MaxMemberCount = max;
  for (const f of SWITCHES) {
    if (f === "IsSeatEnabled") continue;
    const v = bool(info, f);
    if (v !== undefined) patch[f] = v;
  }
  const custom = str(info, "CustomInfo", CUSTOM_INFO_MAX_BYTES);
  if (custom !== undefined) patch.CustomInfo = custom;
  const mode = seatMode(info);
  if (mode !== undefined) patch.TakeSeatMode = mode;
  return patch;
}

/**
 * The get_room_info view of a record (no invitees or members; status from the clock). A room with a
 * password carries `IsPasswordEnabled: true` and `Password` in clear, as the Chinese sample answer shows;
 * a room without one carries neither field, as the English sample (trtc.io/document/60704) shows.
 */
export function roomInfoView(room: TencentRoomRecord, nowSec: number): Record<string, unknown> {
  const { Invitees: _invitees, Members, Password, ...fields } = room;
  return {
    ...fields,
    RoomStatus: nowSec < room.ScheduleStartTime ? "NotStarted" : "Running",
    MemberCount: Members.length,
    ...(Password ? { IsPasswordEnabled: true, Password } : {}),
  };
}
