/**
 * The ZIM server actions the emulator implements: request shape and parameter rules, then the room or user
 * store, then the action's response fields (the room and user pages under zegocloud.com/docs/zim-server/, e.g. room/create-a-room).
 * Each action throws `ParamError` for a request-level violation; the handler turns it into the envelope.
 */
import { allFailedCode, ZegoCode, zegoMessage } from "./codes";
import {
  ATTRIBUTE_KEY_MAX_BYTES,
  ATTRIBUTE_VALUE_MAX_BYTES,
  ATTRIBUTES_TOTAL_MAX_BYTES,
  DESTROY_DELAY_MAX_SECONDS,
  ROOM_NAME_MAX_BYTES,
  USER_LIST_MAX_LIMIT,
  ParamError,
  itemObject,
  optionalFlag,
  optionalId,
  optionalInt,
  optionalString,
  queryInt,
  queryRecord,
  requireArray,
  requireId,
  requireString,
  withinItem,
  type JsonObject,
} from "./fields";
import { attributesTotalBytes, type AttributeChange, type ChangeOutcome, type ZegoRoomStore } from "./store";
import type { ZegoUserRegistry } from "./users";
import { QueryUserInfos, UserRegister } from "./user-actions";

/** What an action needs from the handler. */
export interface ActionContext {
  readonly rooms: ZegoRoomStore;
  readonly users: ZegoUserRegistry;
  readonly now: () => number;
  readonly maxAttributes: number;
  /** Rooms the app may hold at once (the plan's quota). */
  readonly roomQuota: number;
  readonly requireRegisteredOperator: boolean;
  readonly emptyRoomUserListError: boolean;
}

/** The request as an action reads it: GET actions use `query`, POST actions the JSON object `body`. */
export interface ActionInput {
  readonly query: URLSearchParams;
  readonly body: JsonObject;
}

/** An action's answer: the code, an optional Message, the fields after Code/Message/RequestId. */
export interface ActionResult {
  readonly code: number;
  readonly message?: string;
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly committed?: boolean;
}

export interface ZegoAction {
  /** zegocloud.com/docs/zim-server/accessing-server-apis: GET actions carry business parameters in the query, POST actions in a JSON body. */
  readonly method: "GET" | "POST";
  /**
   * Code for "over the frequency limit": the one the action's page lists (UserRegister 660700001,
   * QueryRoomUserList 660300006, the other room actions 660300005; DestroyRoom's page lists none).
   */
  readonly rateLimitCode: number;
  run(ctx: ActionContext, input: ActionInput): ActionResult;
}

/**
 * The emulator options (programmatic / CLI flag) behind the limits of the app's plan, named in the errors
 * they cause so a user on a bigger plan knows how to rehearse it.
 */
export const PLAN_OPTIONS = {
  roomQuota: "zego.roomQuota / --zego-room-quota",
  maxAttributes: "zego.maxAttributes / --zego-max-attributes",
  ratePerSecond: "zego.ratePerSecond / --zego-rate",
} as const;

const failure = (code: number, detail?: string): ActionResult => ({ code, message: zegoMessage(code, detail) });

/** 660300001: the room the request names does not exist. */
const noRoom = (roomId: string): ActionResult => failure(ZegoCode.RoomNotExist, `RoomId ${JSON.stringify(roomId)}`);

/** The operator and the room a room action's body names, checked in that order. */
function operatorAndRoom(body: JsonObject): { fromUserId: string; roomId: string } {
  return { fromUserId: requireId(body, "FromUserId"), roomId: requireId(body, "RoomId") };
}

/**
 * The operator must be registered (Room/*.yaml: FromUserId "must be in registered status"). No room page
 * names the code; the emulator answers 660500002 "Operator user not registered" (Return codes.mdx; the
 * Chinese action pages: "FromUserId 未注册"), after the request's own parameter checks.
 */
function requireRegistered(ctx: ActionContext, userId: string, field: string): void {
  if (ctx.requireRegisteredOperator && !ctx.users.has(userId)) {
    throw new ParamError(
      field,
      `${JSON.stringify(userId)} is not a registered user (UserRegister it first)`,
      ZegoCode.OperatorNotRegistered,
    );
  }
}

function readCreateAttributes(
  body: JsonObject,
  maxAttributes: number,
): { key: string; value: string; autoDelete: boolean }[] {
  if (body.Attributes === undefined || body.Attributes === null) return [];
  if (Array.isArray(body.Attributes) && body.Attributes.length > maxAttributes) {
    throw new ParamError(
      "Attributes",
      `must have at most ${maxAttributes} items (the room attribute limit: emulator option ${PLAN_OPTIONS.maxAttributes})`,
    );
  }
  const items = requireArray(body, "Attributes", 0, maxAttributes);
  const seen = new Set<string>();
  const attributes = items.map((raw, i) =>
    withinItem(`Attributes[${i}]`, () => {
      const item = itemObject(raw, `Attributes[${i}]`);
      const key = requireString(item, "Key", ATTRIBUTE_KEY_MAX_BYTES);
      if (key === "") throw new ParamError("Key", "must not be empty");
      if (seen.has(key)) throw new ParamError("Key", `duplicates key ${JSON.stringify(key)}`);
      seen.add(key);
      const value = requireString(item, "Value", ATTRIBUTE_VALUE_MAX_BYTES);
      return { key, value, autoDelete: optionalFlag(item, "AutoDelete") };
    }),
  );
  if (attributesTotalBytes(attributes) > ATTRIBUTES_TOTAL_MAX_BYTES) {
    throw new ParamError("Attributes", `keys and values must total at most ${ATTRIBUTES_TOTAL_MAX_BYTES} bytes`);
  }
  return attributes;
}

const CreateRoom: ZegoAction = {
  method: "POST",
  rateLimitCode: ZegoCode.AppFrequencyLimit,
  run(ctx, { body }) {
    const { fromUserId, roomId } = operatorAndRoom(body);
    const roomName = optionalString(body, "RoomName", ROOM_NAME_MAX_BYTES) ?? "";
    const destroyDelayTime = optionalInt(body, "DestroyDelayTime", 0, DESTROY_DELAY_MAX_SECONDS) ?? 0;
    const attributes = readCreateAttributes(body, ctx.maxAttributes);
    requireRegistered(ctx, fromUserId, "FromUserId");
    const created = ctx.rooms.create({ roomId, roomName, destroyDelayTime, createdBy: fromUserId, attributes });
    if (created.code === ZegoCode.RoomQuotaExceeded) {
      return failure(
        created.code,
        `room quota ${ctx.roomQuota} reached (emulator option ${PLAN_OPTIONS.roomQuota}); RoomId ${JSON.stringify(roomId)}`,
      );
    }
    if (created.code !== ZegoCode.Ok) return failure(created.code, `RoomId ${JSON.stringify(roomId)}`);
    return { code: ZegoCode.Ok, fields: { AttributeSeq: created.attributeSeq }, committed: true };
  },
};

const DestroyRoom: ZegoAction = {
  method: "GET",
  // A departure: Room/destroy-the-room.yaml states "QPS Limit 20 times/s" but lists no frequency code, so
  // the emulator answers the one Return codes.mdx gives for any interface at the AppID level (docs/vendor-sources.md).
  rateLimitCode: ZegoCode.AppFrequencyLimit,
  run(ctx, { query }) {
    const q = queryRecord(query);
    const roomId = requireId(q, "RoomId");
    const fromUserId = optionalId(q, "FromUserId");
    if (fromUserId !== undefined) requireRegistered(ctx, fromUserId, "FromUserId");
    if (!ctx.rooms.destroy(roomId)) return noRoom(roomId);
    return { code: ZegoCode.Ok, committed: true };
  },
};

const QueryRoomUserList: ZegoAction = {
  method: "GET",
  // Its page lists 660300006 (room level, "20 times/s") as its frequency code, not 660300005.
  rateLimitCode: ZegoCode.RoomFrequencyLimit,
  run(ctx, { query }) {
    const roomId = requireId(queryRecord(query), "RoomId");
    const descending = queryInt(query, "Mode", 0, 1) === 1;
    const nextFlag = query.get("NextFlag") ?? "";
    // NextFlag is opaque to clients; here it is the offset of the next page ("" or "0" starts over).
    if (nextFlag !== "" && !/^\d{1,9}$/.test(nextFlag))
      throw new ParamError("NextFlag", "must be a value returned by a previous page");
    const offset = nextFlag === "" ? 0 : Number(nextFlag);
    // room/obtain-information-about-users-in-a-room: "empty or >500 means 500"; 0 is read as empty.
    const asked = queryInt(query, "Limit", 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = asked === 0 || asked > USER_LIST_MAX_LIMIT ? USER_LIST_MAX_LIMIT : asked;
    const room = ctx.rooms.get(roomId);
    if (!room) return noRoom(roomId);
    if (room.users.length === 0 && (room.destroyAt !== null || ctx.emptyRoomUserListError))
      return failure(ZegoCode.RoomUserListEmpty);
    const ordered = descending ? [...room.users].reverse() : room.users;
    const page = ordered.slice(offset, offset + limit);
    const end = offset + page.length;
    return {
      code: ZegoCode.Ok,
      // The sample answers "0" when there is no next page; clients treat "" and "0" alike.
      fields: {
        Count: room.users.length,
        NextFlag: end < ordered.length ? String(end) : "0",
        UserList: page.map((u) => ({ UserId: u.userId, UserName: u.userName })),
      },
    };
  },
};

const QueryRoomAttribute: ZegoAction = {
  method: "POST",
  rateLimitCode: ZegoCode.AppFrequencyLimit,
  run(ctx, { body }) {
    const { fromUserId, roomId } = operatorAndRoom(body);
    requireRegistered(ctx, fromUserId, "FromUserId");
    // A departure: Room/query-room-attributes.yaml lists only 660000002 and 660300005 and defers to Return
    // codes.mdx for the rest, whose 660300001 is "the input RoomId does not exist" for any action; DestroyRoom
    // and QueryRoomUserList list it too (docs/vendor-sources.md). Clients probe existence with QueryRoomUserList.
    const room = ctx.rooms.get(roomId);
    if (!room) return noRoom(roomId);
    const attributes = room.attributes.map((a) => ({
      Key: a.key,
      Value: a.value,
      Seq: a.seq,
      AutoDelete: a.autoDelete ? 1 : 0,
    }));
    return { code: ZegoCode.Ok, fields: { AttributeSeq: room.attributeSeq, Attributes: attributes } };
  },
};

function readChanges(body: JsonObject): { changes: AttributeChange[]; stopOnError: boolean } {
  const items = requireArray(body, "Attributes", 1, Number.MAX_SAFE_INTEGER);
  let stopOnError = false;
  const changes = items.map((raw, i) =>
    withinItem(`Attributes[${i}]`, (): AttributeChange => {
      const item = itemObject(raw, `Attributes[${i}]`);
      const action = optionalInt(item, "Action", 0, 1);
      if (action === undefined) throw new ParamError("Action", "is required (0 set, 1 delete)");
      // Key and Value lengths are per-key rules (ErrKeyList), checked by the store, not here.
      const key = requireString(item, "Key", Number.MAX_SAFE_INTEGER);
      if (key === "") throw new ParamError("Key", "must not be empty");
      const value = optionalString(item, "Value", Number.MAX_SAFE_INTEGER) ?? "";
      const autoDelete = optionalFlag(item, "AutoDelete");
      // room/update-room-attributes documents StopOnError per item; any item asking for it makes the request stop at its first error.
      if (optionalFlag(item, "StopOnError")) stopOnError = true;
      return action === 1 ? { action: "delete", key } : { action: "set", key, value, autoDelete };
    }),
  );
  return { changes, stopOnError };
}

const ModifyRoomAttribute: ZegoAction = {
  method: "POST",
  rateLimitCode: ZegoCode.AppFrequencyLimit,
  run(ctx, { body }) {
    const { fromUserId, roomId } = operatorAndRoom(body);
    const { changes, stopOnError } = readChanges(body);
    requireRegistered(ctx, fromUserId, "FromUserId");
    const before = ctx.rooms.get(roomId);
    // The same departure as QueryRoomAttribute: update-room-attributes.yaml names no missing-room code.
    if (!before) return noRoom(roomId);
    const outcomes: ChangeOutcome[] = [];
    for (const change of changes) {
      const outcome = ctx.rooms.applyChange(roomId, change, fromUserId);
      outcomes.push(outcome);
      if (!outcome.ok && stopOnError) break; // updates already applied are kept (room/update-room-attributes: not atomic)
    }
    const succ = outcomes.flatMap((o) => (o.ok ? [{ Key: o.key, Seq: o.seq }] : []));
    const errs = outcomes.flatMap((o) => (o.ok ? [] : [{ SubCode: o.subCode, Key: o.key }]));
    const attributeSeq = ctx.rooms.get(roomId)?.attributeSeq ?? before.attributeSeq;
    const fields = {
      AttributeSeq: attributeSeq,
      ...(succ.length ? { SuccKeyList: succ } : {}),
      ...(errs.length ? { ErrKeyList: errs } : {}),
    };
    const committed = attributeSeq !== before.attributeSeq;
    // The sample shows Code 0 with a non-empty ErrKeyList: partial success. Only all-failed is an error.
    if (succ.length === 0) {
      const code = allFailedCode(errs.map((e) => e.SubCode));
      return { code, message: zegoMessage(code, "no attribute change succeeded, see ErrKeyList"), fields, committed };
    }
    return { code: ZegoCode.Ok, fields, committed };
  },
};

/** Every action the emulator implements; any other Action answers 100000007. */
export const ZEGO_ACTIONS: ReadonlyMap<string, ZegoAction> = new Map(
  Object.entries({
    CreateRoom,
    DestroyRoom,
    QueryRoomUserList,
    QueryRoomAttribute,
    ModifyRoomAttribute,
    UserRegister,
    QueryUserInfos,
  }),
);
