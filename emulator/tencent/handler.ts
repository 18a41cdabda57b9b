/**
 * The Tencent Room Engine REST API inside the emulator: `POST /v4/room_engine_http_srv/<command>`, admin
 * UserSig auth in the query, the `{ActionStatus, ErrorInfo, ErrorCode, RequestId}` envelope with HTTP 200
 * (spec: tencent-room-engine-api.md section 2). Order of checks: method -> query parameters -> UserSig
 * -> admin -> the app's frequency limit -> command -> body -> the command's own rules.
 *
 * Where the spec names no code, the emulator picks the common code whose description fits:
 * - a method other than POST: 60002 (HTTP parse error), before anything else;
 * - sdkappid missing or empty: 60012; not a number: 60025; another app: 70020 (SDKAppID does not exist);
 * - identifier/usersig missing, random not a decimal 0..4294967295, contenttype not exactly "json": 60025;
 * - a valid UserSig for an account that is not the App admin: 60010;
 * - more than `ratePerSecond` authenticated requests in one second (rate.ts: per command or per app, over
 *   a sliding or a wall-clock second): per command 60007 "REST API call frequency limit exceeded", per app
 *   60011 "SDKAppID request frequency limit exceeded" (both retryable). Requests refused before that do
 *   not use up the quota;
 * - an unknown command, or another service such as room_engine_http_mic: 60009;
 * - an empty body: 60003 (the spec says to send `{}`); a body that is not a JSON object: 60003;
 * - an owner or invitee missing from `knownAccounts`: 100002 naming the account (the create page lists
 *   "must be an imported account" among the field rules, and 100002 is its "invalid parameter" code).
 */
import { randomBytes } from "node:crypto";
import { WindowRateLimiter, type RateMode } from "../rate";
import type { EmulatorReply, EmulatorRequest, VendorHandler } from "../types";
import { TENCENT_MESSAGES } from "./codes";
import {
  FieldError,
  patchFromUpdate,
  RECYCLE_AFTER_END_SECONDS,
  roomFromCreate,
  roomInfoView,
  type TencentLimits,
  type TencentMemberRecord,
  type TencentRoomRecord,
} from "./rooms";
import { verifyUserSig } from "./usersig";

export type { TencentRoomRecord, TencentMemberRecord } from "./rooms";

/** How the emulated Tencent app behaves. Defaults in brackets. */
export interface TencentEmulatorOptions {
  /** [1400000001] */
  readonly sdkAppId?: number;
  /** Key that signs UserSigs [64 random hex characters, new per start]. */
  readonly secretKey?: string;
  /** The App admin account ["administrator"]. */
  readonly identifier?: string;
  /** Requests per second (per command, or per app: `rateMode.scope`), or false [200, the documented limit]. */
  readonly ratePerSecond?: number | false;
  /** How the limit is counted [per command ("api"), over a sliding second]. */
  readonly rateMode?: Partial<RateMode>;
  /** Accounts imported into Chat; others are refused as owners/invitees [undefined: all accepted]. */
  readonly knownAccounts?: readonly string[];
  /** Room IDs already used by Chat groups: create_room answers 100011 [none]. */
  readonly chatGroupIds?: readonly string[];
  /** The app has a paid package; false makes create_room answer 100007 [true]. */
  readonly paid?: boolean;
  /** MaxMemberCount when not given: the package's limit [20, the trial package]. */
  readonly defaultMaxMemberCount?: number;
  /** Largest MaxMemberCount accepted [300]. */
  readonly packageMaxMemberCount?: number;
  /** Largest MaxSeatCount accepted, and its default [20]. */
  readonly packageMaxSeatCount?: number;
  /**
   * Remove rooms 6 hours after their ScheduleEndTime when nobody is in them, as the backend does
   * [false: rooms stay until destroyed, so sample requests with past schedule times keep working].
   */
  readonly autoRecycle?: boolean;
}

export interface TencentState {
  readonly version: 1;
  readonly rooms: TencentRoomRecord[];
  readonly chatGroupIds: string[];
}

const PREFIX = "/v4/room_engine_http_srv/";
const COMMANDS = ["create_room", "get_room_info", "update_room_info", "destroy_room", "change_room_owner", "get_room_member_list"];

class Fail extends Error {
  constructor(readonly code: number, readonly info: string = TENCENT_MESSAGES[code] ?? "error") {
    super(info);
  }
}

export class TencentHandler implements VendorHandler<TencentState> {
  readonly vendor = "tencent" as const;
  /** The commands it implements (the console offers them as fault targets). */
  readonly actions: readonly string[] = COMMANDS;
  readonly sdkAppId: number;
  readonly secretKey: string;
  readonly identifier: string;
  private readonly limits: TencentLimits;
  private readonly paid: boolean;
  private readonly autoRecycle: boolean;
  private readonly limiter: WindowRateLimiter;
  private readonly initialChatGroups: readonly string[];
  private store = new Map<string, TencentRoomRecord>();
  private chatGroups = new Set<string>();
  private lastCreate = new Map<string, number>();
  private seq = 0;

  constructor(options: TencentEmulatorOptions = {}, private readonly deps: { readonly now: () => number } = { now: Date.now }) {
    this.sdkAppId = options.sdkAppId ?? 1400000001;
    this.secretKey = options.secretKey ?? randomBytes(32).toString("hex");
    this.identifier = options.identifier ?? "administrator";
    this.paid = options.paid ?? true;
    this.autoRecycle = options.autoRecycle ?? false;
    this.limits = {
      defaultMaxMemberCount: options.defaultMaxMemberCount ?? 20,
      packageMaxMemberCount: options.packageMaxMemberCount ?? 300,
      packageMaxSeatCount: options.packageMaxSeatCount ?? 20,
      knownAccounts: options.knownAccounts,
    };
    this.limiter = new WindowRateLimiter(options.ratePerSecond ?? 200, deps.now, options.rateMode);
    this.initialChatGroups = options.chatGroupIds ?? [];
    this.chatGroups = new Set(this.initialChatGroups);
  }

  credentials(): { sdkAppId: number; secretKey: string; identifier: string } {
    return { sdkAppId: this.sdkAppId, secretKey: this.secretKey, identifier: this.identifier };
  }

  matches(req: EmulatorRequest): boolean {
    return req.url.pathname.startsWith("/v4/");
  }

  actionOf(req: EmulatorRequest): string {
    const command = req.url.pathname.startsWith(PREFIX) ? req.url.pathname.slice(PREFIX.length) : "";
    return COMMANDS.includes(command) ? command : "unknown";
  }

  transientReply(req: EmulatorRequest): EmulatorReply {
    return this.envelope(this.actionOf(req), new Fail(100001));
  }

  handle(req: EmulatorRequest): EmulatorReply {
    const action = this.actionOf(req);
    let recycled = false;
    try {
      if (req.method !== "POST") throw new Fail(60002, "only POST is supported");
      this.authenticate(req.url.searchParams);
      if (!this.limiter.tryTake(String(this.sdkAppId), action)) {
        return { ...this.envelope(action, new Fail(this.limiter.mode.scope === "api" ? 60007 : 60011)), rateLimited: true };
      }
      if (action === "unknown") throw new Fail(60009, `unknown command ${req.url.pathname}`);
      const body = parseBody(req.rawBody);
      recycled = this.autoRecycle && this.recycleEndedRooms().length > 0;
      const { response, committed } = this.run(action, body);
      return { ...this.envelope(action, undefined, response), committed: committed || recycled };
    } catch (err) {
      // A recycled room is a committed change even when the command itself then fails (e.g. 100004).
      if (err instanceof Fail) return { ...this.envelope(action, err), committed: recycled };
      if (err instanceof FieldError) return { ...this.envelope(action, new Fail(100002, err.message)), committed: recycled };
      throw err;
    }
  }

  roomOf(req: EmulatorRequest): string | undefined {
    const body = jsonObject(req.rawBody);
    const info = body?.RoomInfo;
    const id = body?.RoomId ?? (info !== null && typeof info === "object" ? (info as Record<string, unknown>).RoomId : undefined);
    return typeof id === "string" && id !== "" ? id : undefined;
  }

  codeMeaning(code: number): string | undefined {
    // 100002 has no table entry (its ErrorInfo is always the broken field rule); the pages call it
    // "Invalid parameter" (spec: tencent-room-engine-api.md, common Room Engine codes).
    return code === 100002 ? "Invalid parameter (see ErrorInfo)" : TENCENT_MESSAGES[code];
  }

  /** The frequency limit in force (requests per second), or false when it is off (the console shows it). */
  get rateLimit(): number | false {
    return this.limiter.limit;
  }

  private authenticate(q: URLSearchParams): void {
    const sdkappid = q.get("sdkappid");
    if (sdkappid === null || sdkappid === "") throw new Fail(60012);
    if (!/^\d+$/.test(sdkappid)) throw new Fail(60025, "sdkappid must be a number");
    if (Number(sdkappid) !== this.sdkAppId) throw new Fail(70020);
    const identifier = q.get("identifier");
    const usersig = q.get("usersig");
    const random = q.get("random");
    if (!identifier) throw new Fail(60025, "identifier is missing");
    if (usersig === null) throw new Fail(60025, "usersig is missing");
    if (random === null || !/^\d{1,10}$/.test(random) || Number(random) > 4294967295) {
      throw new Fail(60025, "random must be a 32-bit unsigned integer");
    }
    if (q.get("contenttype") !== "json") throw new Fail(60025, "contenttype must be json");
    const verdict = verifyUserSig(usersig, this.sdkAppId, this.secretKey, identifier, Math.floor(this.deps.now() / 1000));
    if (verdict !== 0) throw new Fail(verdict);
    // The signature is valid and matches `identifier` (verifyUserSig checked that), but the REST API is
    // for the App admin only (spec §2.1): another account gets 60010.
    if (identifier !== this.identifier) throw new Fail(60010);
  }

  private run(action: string, body: Record<string, unknown>): { response?: Record<string, unknown>; committed: boolean } {
    const nowMs = this.deps.now();
    const nowSec = Math.floor(nowMs / 1000);
    switch (action) {
      case "create_room": {
        const info = body.RoomInfo as Record<string, unknown> | undefined;
        const roomId = typeof info?.RoomId === "string" ? info.RoomId : undefined;
        // spec: 100012 "the same room ID can only be created once per second". Every attempt that gets
        // past this check opens the window, whatever its later outcome (100002, 100003, ok, ...); an
        // attempt refused here does not, so a client pacing itself at 1/s is never locked out.
        if (roomId !== undefined) {
          const last = this.lastCreate.get(roomId);
          if (last !== undefined && nowMs - last < 1000) throw new Fail(100012);
          this.lastCreate.set(roomId, nowMs);
        }
        const room = roomFromCreate(body, this.identifier, nowSec, this.limits);
        // An app without a package can create nothing, so 100007 comes before the ID's own checks.
        if (!this.paid) throw new Fail(100007);
        if (this.chatGroups.has(room.RoomId)) throw new Fail(100011);
        const existing = this.store.get(room.RoomId);
        // spec: 100010 "the operator is the home owner, you can use it directly"; the operator is the admin.
        if (existing) throw new Fail(existing.Owner_Account === this.identifier ? 100010 : 100003);
        this.store.set(room.RoomId, room);
        return { committed: true };
      }
      case "get_room_info":
        return { response: { RoomInfo: roomInfoView(this.mustRoom(body), nowSec) }, committed: false };
      case "update_room_info": {
        const info = body.RoomInfo;
        if (info === null || typeof info !== "object" || Array.isArray(info)) throw new FieldError("RoomInfo is mandatory and must be an object");
        const fields = info as Record<string, unknown>;
        if (typeof fields.RoomId !== "string" || fields.RoomId === "") throw new FieldError("RoomInfo.RoomId is mandatory");
        // Parameters are checked before the room is looked up, and all of them before anything changes.
        const patch = patchFromUpdate(fields, this.limits);
        Object.assign(this.mustRoom(fields), patch);
        return { committed: true };
      }
      case "destroy_room": {
        const room = this.mustRoom(body);
        this.store.delete(room.RoomId);
        return { committed: true };
      }
      case "change_room_owner": {
        const room = this.mustRoom(body);
        const from = body.From_Account;
        const to = body.NewOwner_Account;
        if (typeof from !== "string" || typeof to !== "string" || !from || !to) throw new FieldError("From_Account and NewOwner_Account are mandatory strings");
        if (from !== room.Owner_Account) throw new Fail(100006);
        // spec §1.4: the new owner must be a room member (so an idle room cannot change hands).
        const member = room.Members.find((m) => m.Member_Account === to);
        if (!member) throw new Fail(100005);
        for (const m of room.Members) if (m.Role === "Owner") m.Role = "Member";
        member.Role = "Owner";
        room.Owner_Account = to;
        return { committed: true };
      }
      case "get_room_member_list": {
        const room = this.mustRoom(body);
        const count = body.Count === undefined ? 50 : body.Count;
        if (typeof count !== "number" || !Number.isInteger(count) || count < 1 || count > 100) throw new FieldError("Count must be an integer between 1 and 100");
        const next = body.Next === undefined || body.Next === "" ? 0 : Number(body.Next);
        if (!Number.isInteger(next) || next < 0) throw new FieldError("Next must be a value returned by a previous call");
        const page = room.Members.slice(next, next + count);
        const more = next + count < room.Members.length;
        return { response: { Next: more ? String(next + count) : "", MemberList: page }, committed: false };
      }
      default:
        throw new Fail(60009);
    }
  }

  private mustRoom(body: Record<string, unknown>): TencentRoomRecord {
    const roomId = body.RoomId;
    if (typeof roomId !== "string" || roomId === "") throw new FieldError("RoomId is mandatory");
    const room = this.store.get(roomId);
    if (!room) throw new Fail(100004);
    return room;
  }

  private envelope(action: string, fail?: Fail, response?: Record<string, unknown>): EmulatorReply {
    const body: Record<string, unknown> = {
      ActionStatus: fail ? "FAIL" : "OK",
      ErrorInfo: fail ? fail.info : "",
      ErrorCode: fail ? fail.code : 0,
      RequestId: `Id-${randomBytes(16).toString("hex")}-O-Seq-${++this.seq}`,
    };
    if (response) body.Response = response;
    return { status: 200, body, action, result: fail ? String(fail.code) : "ok" };
  }

  // ---- inspection and "behind our back" changes, for tests and the main job ----

  /** Every room (JSON-safe copies). */
  rooms(): TencentRoomRecord[] {
    return [...this.store.values()].map((r) => structuredClone(r));
  }

  room(roomId: string): TencentRoomRecord | undefined {
    const r = this.store.get(roomId);
    return r && structuredClone(r);
  }

  /** Changes a room directly, as another admin or the console would. */
  mutateRoom(roomId: string, patch: Partial<TencentRoomRecord>): void {
    const r = this.store.get(roomId);
    if (!r) throw new Error(`tencent emulator: no room ${roomId}`);
    Object.assign(r, patch);
  }

  destroyRoom(roomId: string): boolean {
    return this.store.delete(roomId);
  }

  addChatGroup(roomId: string): void {
    this.chatGroups.add(roomId);
  }

  /**
   * Puts `account` in the room, as if it had entered with a client SDK (the REST API cannot). Rooms start
   * empty: creating a room over REST enters nobody, not even the owner. The owner account enters with Role "Owner".
   */
  addMember(roomId: string, account: string, fields: Partial<Omit<TencentMemberRecord, "Member_Account" | "Role">> = {}): void {
    const r = this.store.get(roomId);
    if (!r) throw new Error(`tencent emulator: no room ${roomId}`);
    if (r.Members.some((m) => m.Member_Account === account)) return;
    const role = account === r.Owner_Account ? "Owner" : "Member";
    r.Members.push({ Member_Account: account, Role: role, NameCard: "", CustomInfo: "", Marks: [], ...fields });
  }

  /** Takes `account` out of the room (it left); false when it was not in it. */
  removeMember(roomId: string, account: string): boolean {
    const r = this.store.get(roomId);
    const before = r?.Members.length ?? 0;
    if (r) r.Members = r.Members.filter((m) => m.Member_Account !== account);
    return (r?.Members.length ?? 0) < before;
  }

  /**
   * Recycles rooms the way the backend does (spec: "6 hours after the meeting ends", only when no
   * members are left) and returns their IDs. Runs on every request when `autoRecycle` is on; tests
   * with an injected clock can call it directly.
   */
  recycleEndedRooms(): string[] {
    const nowSec = Math.floor(this.deps.now() / 1000);
    const gone: string[] = [];
    for (const [id, room] of this.store) {
      if (room.Members.length === 0 && nowSec >= room.ScheduleEndTime + RECYCLE_AFTER_END_SECONDS) gone.push(id);
    }
    for (const id of gone) this.store.delete(id);
    return gone;
  }

  setRateLimit(limit: number | false): void {
    this.limiter.setLimit(limit);
  }

  /** Changes how the limit is counted (per command or per app; sliding or wall-clock second). */
  setRateMode(mode: Partial<RateMode>): void {
    this.limiter.setMode(mode);
  }

  /** The limit and how it is counted. */
  rateLimitMode(): { readonly perSecond: number | false } & RateMode {
    return this.limiter.mode;
  }

  exportState(): TencentState {
    return { version: 1, rooms: this.rooms(), chatGroupIds: [...this.chatGroups] };
  }

  importState(state: TencentState): void {
    if (state?.version !== 1 || !Array.isArray(state.rooms)) throw new Error("tencent emulator: malformed state");
    this.store = new Map(state.rooms.map((r) => [r.RoomId, structuredClone(r)]));
    this.chatGroups = new Set(state.chatGroupIds ?? []);
  }

  reset(): void {
    this.store.clear();
    this.lastCreate.clear();
    this.chatGroups = new Set(this.initialChatGroups);
    this.limiter.reset();
  }
}

/** The body as a JSON object, or undefined (for the request log: never throws). */
function jsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === "") throw new Fail(60003, "the request body must not be empty (send {})");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Fail(60003);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Fail(60003, "the request body must be a JSON object");
  return parsed as Record<string, unknown>;
}
