/**
 * The ZEGOCLOUD ZIM server API inside the emulator: `/?Action=...` requests, signed with the app's
 * ServerSecret, answered in ZEGO's `{Code, Message, RequestId, ...}` envelope with HTTP 200
 * (zegocloud.com/docs/zim-server/accessing-server-apis). The order of checks: common parameters and
 * signature -> the app's frequency limit -> method -> body -> the action's own rules (actions.ts).
 */
import { randomBytes } from "node:crypto";
import { VendorHandlerBase } from "../handler-base";
import { DEFAULT_RATE_MODE, type RateMode, type RateOptions } from "../rate";
import type { EmulatorReply, EmulatorRequest } from "../types";
import { PLAN_OPTIONS, ZEGO_ACTIONS, type ActionContext, type ActionResult, type ZegoAction } from "./actions";
import { ZEGO_MESSAGES, ZegoCode, zegoMessage } from "./codes";
import { idProblem, isObject, type JsonObject } from "./fields";
import { ZegoRoomStore, type LeaveOutcome, type ZegoRoomRecord } from "./store";
import { verifyCommonParams } from "./signature";
import { VendorRefusal } from "../vendor-error";
import { ZegoUserRegistry, type ZegoUserRecord } from "./users";

export type { ZegoAttributeRecord, ZegoRoomRecord, ZegoRoomUserRecord, LeaveOutcome } from "./store";
export type { ZegoUserRecord } from "./users";

/**
 * How the emulated ZEGO app behaves. Every field is optional; defaults in brackets; the rate limit is 20
 * requests a second per action [the documented QPS].
 */
export interface ZegoEmulatorOptions extends RateOptions {
  /** The app's AppId, a uint32 [1900000001]. */
  readonly appId?: number;
  /** ServerSecret that signs requests [32 random hex characters, new per handler]. */
  readonly serverSecret?: string;
  /** The operator the emulator's printed credentials suggest ["pulumi-rooms-admin"]. */
  readonly fromUserId?: string;
  /**
   * Rooms the app may hold at once; CreateRoom beyond it answers 660300015 [50: the Signaling and Pro plans'
   * quota, which ZEGOCLOUD raises on request; Free holds 10, Enterprise has no limit].
   */
  readonly roomQuota?: number;
  /** Attributes per room [20, the CreateRoom page, which says support can raise it]. */
  readonly maxAttributes?: number;
  /** Room actions need a registered FromUserId, else 660500002 "operator user not registered" [true]. */
  readonly requireRegisteredOperator?: boolean;
  /** Users registered at start and after `reset()` [none]. */
  readonly registeredUsers?: readonly string[];
  /**
   * Register `fromUserId` at start [false: a fresh app knows no users, so a client must run its
   * "ensure registered" step, as against a real new app].
   */
  readonly preRegisterOperator?: boolean;
  /** QueryRoomUserList on any empty room answers 660300008, not only in delayed destruction [false: Code 0, Count 0]. */
  readonly emptyRoomUserListError?: boolean;
}

/** What a client needs to call the ZEGO app. */
export interface ZegoCredentials {
  appId: number;
  serverSecret: string;
  fromUserId: string;
}

/** The handler's JSON-safe state: what the state file holds. */
export interface ZegoState {
  readonly version: 1;
  readonly rooms: ZegoRoomRecord[];
  readonly users: ZegoUserRecord[];
}

/** Options with defaults applied. */
type Settings = Required<Omit<ZegoEmulatorOptions, "registeredUsers" | "rateMode">> & {
  readonly registeredUsers: readonly string[];
  readonly rateMode: RateMode;
};

const UINT32_MAX = 4294967295;

function settingsFrom(options: ZegoEmulatorOptions): Settings {
  const s: Settings = {
    appId: options.appId ?? 1900000001,
    serverSecret: options.serverSecret ?? randomBytes(16).toString("hex"),
    fromUserId: options.fromUserId ?? "pulumi-rooms-admin",
    ratePerSecond: options.ratePerSecond ?? 20,
    rateMode: { ...DEFAULT_RATE_MODE, ...options.rateMode },
    roomQuota: options.roomQuota ?? 50,
    maxAttributes: options.maxAttributes ?? 20,
    requireRegisteredOperator: options.requireRegisteredOperator ?? true,
    registeredUsers: options.registeredUsers ?? [],
    preRegisterOperator: options.preRegisterOperator ?? false,
    emptyRoomUserListError: options.emptyRoomUserListError ?? false,
  };
  if (!Number.isInteger(s.appId) || s.appId < 0 || s.appId > UINT32_MAX)
    throw new Error("zego emulator: appId must be a uint32");
  if (s.serverSecret === "") throw new Error("zego emulator: serverSecret must not be empty");
  for (const id of [s.fromUserId, ...s.registeredUsers]) {
    const problem = idProblem(id);
    if (problem) throw new Error(`zego emulator: user ID ${JSON.stringify(id)} ${problem}`);
  }
  for (const [name, n] of [
    ["roomQuota", s.roomQuota],
    ["maxAttributes", s.maxAttributes],
  ] as const) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`zego emulator: ${name} must be a non-negative integer`);
  }
  return s;
}

/** ZEGO's side of the emulator: see `VendorHandler`. Test hooks change state "behind the client's back". */
export class ZegoHandler extends VendorHandlerBase<ZegoState, ZegoRoomRecord, ZegoCredentials> {
  readonly vendor = "zego" as const;
  readonly actions: readonly string[] = [...ZEGO_ACTIONS.keys()];
  private readonly settings: Settings;
  private readonly roomStore: ZegoRoomStore;
  private readonly userRegistry = new ZegoUserRegistry();
  private readonly requestIdBase: number;
  private requestCount = 0;
  private transientCount = 0;

  constructor(
    options: ZegoEmulatorOptions = {},
    private readonly deps: { readonly now: () => number } = { now: Date.now },
  ) {
    const settings = settingsFrom(options);
    super(settings.ratePerSecond, deps.now, settings.rateMode);
    this.settings = settings;
    this.roomStore = new ZegoRoomStore(() => this.settings, deps.now);
    // RequestIds look like the vendor's (decimal strings) and do not repeat across restarts.
    this.requestIdBase = Math.floor(deps.now()) * 1000;
    this.seedUsers();
  }

  matches(req: EmulatorRequest): boolean {
    return (req.url.pathname === "/" || req.url.pathname === "") && req.url.searchParams.has("Action");
  }

  actionOf(req: EmulatorRequest): string {
    const action = req.url.searchParams.get("Action") ?? "";
    return ZEGO_ACTIONS.has(action) ? action : "UnknownAction";
  }

  handle(req: EmulatorRequest): EmulatorReply {
    const actionName = this.actionOf(req);
    const common = verifyCommonParams(
      req.url.searchParams,
      { ...this.settings, isKnownAction: (a) => ZEGO_ACTIONS.has(a) },
      this.deps.now(),
    );
    if (!common.ok) return this.reply(actionName, { code: common.code, message: common.message });
    const action = ZEGO_ACTIONS.get(common.common.action) as ZegoAction;
    // After authentication, so unsigned or mis-signed requests cannot use up the app's quota.
    // Per action (each action's page states "QPS limit: 20 requests/second") or per app; the code is the
    // action's own either way (660300005 "AppID-level", UserRegister 660700001).
    if (!this.limiter.tryTake(String(common.common.appId), common.common.action)) {
      const { perSecond, scope } = this.limiter.mode;
      const detail = `emulator limit ${String(perSecond)}/s per ${scope === "api" ? "action" : "app"} (option ${PLAN_OPTIONS.ratePerSecond})`;
      return {
        ...this.reply(actionName, { code: action.rateLimitCode, message: zegoMessage(action.rateLimitCode, detail) }),
        rateLimited: true,
      };
    }
    if (req.method.toUpperCase() !== action.method) {
      // The vendor does not document a wrong-method answer; a parameter error says "fix the request".
      return this.reply(actionName, {
        code: ZegoCode.ParamError,
        message: zegoMessage(ZegoCode.ParamError, `${actionName} must be sent with ${action.method}`),
      });
    }
    const body = action.method === "POST" ? parseBody(req.rawBody) : {};
    if (typeof body === "string")
      return this.reply(actionName, { code: ZegoCode.ParamError, message: zegoMessage(ZegoCode.ParamError, body) });
    try {
      const reply = this.reply(actionName, action.run(this.context(), { query: req.url.searchParams, body }));
      // A room action changes the room it names and nothing else; one naming none (UserRegister) may change anything.
      const room = reply.committed ? this.roomOf(req) : undefined;
      return room === undefined ? reply : { ...reply, changedRooms: [room] };
    } catch (err) {
      if (!(err instanceof VendorRefusal)) throw err;
      return this.reply(actionName, { code: err.code, message: zegoMessage(err.code, err.message) });
    }
  }

  roomOf(req: EmulatorRequest): string | undefined {
    const fromQuery = req.url.searchParams.get("RoomId");
    if (fromQuery) return fromQuery;
    const body = parseBody(req.rawBody);
    return typeof body !== "string" && typeof body.RoomId === "string" && body.RoomId !== "" ? body.RoomId : undefined;
  }

  codeMeaning(code: number): string | undefined {
    return ZEGO_MESSAGES[code];
  }

  /**
   * Alternates 660000001 (server error, "Please try again") and the action's own frequency-limit code
   * (QueryRoomUserList 660300006, UserRegister 660700001, the others 660300005), so both kinds occur.
   */
  transientReply(req: EmulatorRequest): EmulatorReply {
    const actionName = this.actionOf(req);
    const limitCode = ZEGO_ACTIONS.get(actionName)?.rateLimitCode ?? ZegoCode.AppFrequencyLimit;
    const code = this.transientCount++ % 2 === 0 ? ZegoCode.ServerError : limitCode;
    return this.reply(actionName, { code });
  }

  exportState(): ZegoState {
    return { version: 1, rooms: this.roomStore.list(), users: this.userRegistry.list() };
  }

  importState(state: ZegoState): void {
    const s: unknown = state;
    if (!isObject(s) || s.version !== 1 || !Array.isArray(s.rooms) || !Array.isArray(s.users)) {
      throw new Error("zego emulator: state must be {version: 1, rooms: [...], users: [...]}");
    }
    this.roomStore.replaceAll(state.rooms);
    this.userRegistry.replaceAll(state.users);
  }

  importRoom(roomId: string, record: unknown): void {
    if (record === undefined) this.roomStore.destroy(roomId);
    else this.roomStore.put(record as ZegoRoomRecord);
  }

  /** Forgets rooms, users and rate windows; the configured users are registered again. */
  reset(): void {
    this.roomStore.clear();
    this.userRegistry.clear();
    this.limiter.reset();
    this.seedUsers();
  }

  credentials(): ZegoCredentials {
    return {
      appId: this.settings.appId,
      serverSecret: this.settings.serverSecret,
      fromUserId: this.settings.fromUserId,
    };
  }

  /** Every room, JSON-safe copies in creation order. */
  rooms(): ZegoRoomRecord[] {
    return this.roomStore.list();
  }

  /** The room with this ID (a copy), or undefined. */
  room(roomId: string): ZegoRoomRecord | undefined {
    return this.roomStore.get(roomId);
  }

  /** Every registered user, JSON-safe copies in registration order. */
  users(): ZegoUserRecord[] {
    return this.userRegistry.list();
  }

  /** Test hook: registers a user without a request; false when already registered. */
  registerUser(userId: string, userName = "", userAvatar = ""): boolean {
    const added = this.userRegistry.add(userId, userName, userAvatar, this.deps.now());
    if (added) this.changed();
    return added;
  }

  /** Test hook: upserts an attribute (no limits applied), written by the default operator; returns its Seq. */
  setAttribute(roomId: string, key: string, value: string, autoDelete = false): number {
    const seq = this.roomStore.setAttribute(roomId, key, value, autoDelete, this.settings.fromUserId);
    this.changed([roomId]);
    return seq;
  }

  /** Test hook: deletes an attribute; false when it was not there. */
  deleteAttribute(roomId: string, key: string): boolean {
    const deleted = this.roomStore.deleteAttribute(roomId, key);
    if (deleted) this.changed([roomId]);
    return deleted;
  }

  destroyRoom(roomId: string): boolean {
    const gone = this.roomStore.destroy(roomId);
    if (gone) this.changed([roomId]);
    return gone;
  }

  /** Test hook: a user joins the room (and keeps a room in delayed destruction alive). */
  addRoomUser(roomId: string, userId: string, userName = userId): void {
    this.roomStore.addUser(roomId, userId, userName);
    this.changed([roomId]);
  }

  /** Test hook: a user leaves; the room may then enter delayed destruction or be destroyed. */
  removeRoomUser(roomId: string, userId: string): LeaveOutcome {
    const outcome = this.roomStore.removeUser(roomId, userId);
    if (outcome !== "absent") this.changed([roomId]);
    return outcome;
  }

  /** Test hook: the room empties and waits `seconds` before it goes; QueryRoomUserList answers 660300008. */
  setDelayedDestruction(roomId: string, seconds?: number): void {
    this.roomStore.setDelayedDestruction(roomId, seconds);
    this.changed([roomId]);
  }

  /** Test hook: ModifyRoomAttribute writes of these keys fail with `subCode` until cleared with `[]`. */
  failKeys(roomId: string, keys: readonly string[], subCode: number = ZegoCode.ParamError): void {
    this.roomStore.failKeys(roomId, keys, subCode);
  }

  private seedUsers(): void {
    const now = this.deps.now();
    const ids = this.settings.preRegisterOperator
      ? [this.settings.fromUserId, ...this.settings.registeredUsers]
      : this.settings.registeredUsers;
    for (const id of ids) this.userRegistry.add(id, "", "", now);
  }

  private context(): ActionContext {
    const s = this.settings;
    return {
      rooms: this.roomStore,
      users: this.userRegistry,
      now: this.deps.now,
      maxAttributes: s.maxAttributes,
      roomQuota: s.roomQuota,
      requireRegisteredOperator: s.requireRegisteredOperator,
      emptyRoomUserListError: s.emptyRoomUserListError,
    };
  }

  private reply(action: string, result: ActionResult): EmulatorReply {
    this.requestCount += 1;
    const body = {
      Code: result.code,
      Message: result.message ?? zegoMessage(result.code),
      RequestId: String(this.requestIdBase + this.requestCount),
      ...result.fields,
    };
    return {
      status: 200,
      body,
      action,
      result: result.code === ZegoCode.Ok ? "ok" : String(result.code),
      committed: result.committed === true,
    };
  }
}

/** The JSON object body of a POST action, or the Message detail saying why it is not one. */
function parseBody(rawBody: string): JsonObject | string {
  if (rawBody.trim() === "") return "the request body must be a JSON object with the business parameters";
  let parsed: unknown;
  try {
    parsed = JSON.parse(rawBody);
  } catch {
    return "the request body is not valid JSON";
  }
  return isObject(parsed) ? parsed : "the request body must be a JSON object";
}
