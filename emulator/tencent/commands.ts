/**
 * The Room Engine commands the emulator implements (`room_engine_http_srv/<command>`): each reads its JSON
 * body, applies the command's rules against the room store and answers its `Response` fields. Pages:
 * create_room trtc.io/document/60707, get_room_info 60704, update_room_info 60705, destroy_room 60706,
 * change_room_owner 60713, get_room_member_list 60715. A command throws `TencentFail` for an error code or
 * `FieldError` for a broken field rule (100002); the handler turns either into the envelope.
 */
import { TENCENT_MESSAGES, TencentFail } from "./codes";
import { FieldError, patchFromUpdate, roomFromCreate, roomInfoView, type TencentLimits } from "./fields";
import type { TencentRoomRecord, TencentRoomStore } from "./store";

/** What a command needs from the handler. */
export interface CommandContext {
  readonly store: TencentRoomStore;
  /** The App admin account: the operator of every REST call. */
  readonly identifier: string;
  readonly limits: TencentLimits;
  /** The app has a paid package (create_room answers 100007 without one). */
  readonly paid: boolean;
  readonly nowMs: number;
}

/** A command's answer: the `Response` object (when the command has one) and whether state changed. */
export interface CommandResult {
  readonly response?: Record<string, unknown>;
  readonly committed: boolean;
}

export type TencentCommand = (ctx: CommandContext, body: Record<string, unknown>) => CommandResult;

/** The room a body's RoomId names; 100004 when there is none. */
function mustRoom(store: TencentRoomStore, body: Record<string, unknown>): TencentRoomRecord {
  const roomId = body.RoomId;
  if (typeof roomId !== "string" || roomId === "") throw new FieldError("RoomId is mandatory");
  const room = store.live(roomId);
  if (!room) throw new TencentFail(100004);
  return room;
}

const createRoom: TencentCommand = (ctx, body) => {
  const info = body.RoomInfo as Record<string, unknown> | undefined;
  const roomId = typeof info?.RoomId === "string" ? info.RoomId : undefined;
  // 100012 "the same room ID can only be created once per second" comes first (see tryCreateWindow).
  if (roomId !== undefined && !ctx.store.tryCreateWindow(roomId, ctx.nowMs)) throw new TencentFail(100012);
  const room = roomFromCreate(body, ctx.identifier, Math.floor(ctx.nowMs / 1000), ctx.limits);
  // An app without a package can create nothing, so 100007 comes before the ID's own checks.
  if (!ctx.paid)
    throw new TencentFail(
      100007,
      `${TENCENT_MESSAGES[100007]} (emulated app without a package: emulator option tencent.paid / --tencent-unpaid)`,
    );
  if (ctx.store.isChatGroup(room.RoomId)) throw new TencentFail(100011);
  const existing = ctx.store.live(room.RoomId);
  // 100010 "the operator is the home owner, you can use it directly" (60707); the operator is the admin.
  if (existing) throw new TencentFail(existing.Owner_Account === ctx.identifier ? 100010 : 100003);
  ctx.store.add(room);
  return { committed: true };
};

const getRoomInfo: TencentCommand = (ctx, body) => ({
  response: { RoomInfo: roomInfoView(mustRoom(ctx.store, body), Math.floor(ctx.nowMs / 1000)) },
  committed: false,
});

const updateRoomInfo: TencentCommand = (ctx, body) => {
  const info = body.RoomInfo;
  if (info === null || typeof info !== "object" || Array.isArray(info))
    throw new FieldError("RoomInfo is mandatory and must be an object");
  const fields = info as Record<string, unknown>;
  if (typeof fields.RoomId !== "string" || fields.RoomId === "") throw new FieldError("RoomInfo.RoomId is mandatory");
  // Parameters are checked before the room is looked up, and all of them before anything changes.
  const patch = patchFromUpdate(fields, ctx.limits);
  Object.assign(mustRoom(ctx.store, fields), patch);
  return { committed: true };
};

const destroyRoom: TencentCommand = (ctx, body) => {
  ctx.store.destroy(mustRoom(ctx.store, body).RoomId);
  return { committed: true };
};

const changeRoomOwner: TencentCommand = (ctx, body) => {
  const room = mustRoom(ctx.store, body);
  const from = body.From_Account;
  const to = body.NewOwner_Account;
  if (typeof from !== "string" || typeof to !== "string" || !from || !to)
    throw new FieldError("From_Account and NewOwner_Account are mandatory strings");
  if (from !== room.Owner_Account) throw new TencentFail(100006);
  // The new owner must be a room member (60713: 100005 "non-room member"), so an idle room cannot change hands.
  const member = room.Members.find((m) => m.Member_Account === to);
  if (!member) throw new TencentFail(100005);
  for (const m of room.Members) if (m.Role === "Owner") m.Role = "Member";
  member.Role = "Owner";
  room.Owner_Account = to;
  return { committed: true };
};

const getRoomMemberList: TencentCommand = (ctx, body) => {
  const room = mustRoom(ctx.store, body);
  const count = body.Count === undefined ? 50 : body.Count;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 100)
    throw new FieldError("Count must be an integer between 1 and 100");
  const next = body.Next === undefined || body.Next === "" ? 0 : Number(body.Next);
  if (!Number.isInteger(next) || next < 0) throw new FieldError("Next must be a value returned by a previous call");
  const page = room.Members.slice(next, next + count);
  const more = next + count < room.Members.length;
  return { response: { Next: more ? String(next + count) : "", MemberList: page }, committed: false };
};

/** The commands by name, in the order the console lists them as fault targets. */
export const TENCENT_COMMANDS: ReadonlyMap<string, TencentCommand> = new Map([
  ["create_room", createRoom],
  ["get_room_info", getRoomInfo],
  ["update_room_info", updateRoomInfo],
  ["destroy_room", destroyRoom],
  ["change_room_owner", changeRoomOwner],
  ["get_room_member_list", getRoomMemberList],
]);
