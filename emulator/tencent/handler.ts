/**
 * The Tencent Room Engine REST API inside the emulator: `POST /v4/room_engine_http_srv/<command>`, admin
 * UserSig auth in the query, the `{ActionStatus, ErrorInfo, ErrorCode, RequestId}` envelope with HTTP 200
 * (Chat REST conventions, tencentcloud.com/document/product/1047/34620, and the Room REST overview,
 * trtc.io/document/60703). Order of checks: method -> query parameters -> UserSig -> admin -> the app's
 * frequency limit -> command -> body -> the command's own rules (commands.ts).
 *
 * Where no page names a code, the emulator picks the common code whose description fits:
 * - a method other than POST: 60002 (HTTP parse error), before anything else;
 * - sdkappid missing or empty: 60012; not a number: 60025; another app: 70020 (SDKAppID does not exist);
 * - identifier/usersig missing, random not a decimal 0..4294967295, contenttype not exactly "json": 60025;
 * - a valid UserSig for an account that is not the App admin: 60010;
 * - more than `ratePerSecond` authenticated requests in one second (rate.ts: per command or per app, over
 *   a sliding or a wall-clock second): per command 60007 "REST API call frequency limit exceeded", per app
 *   60011 "SDKAppID request frequency limit exceeded" (both retryable). Requests refused before that do
 *   not use up the quota;
 * - an unknown command, or another service such as room_engine_http_mic: 60009;
 * - an empty body: 60003 (60703 says to send `{}`); a body that is not a JSON object: 60003;
 * - an owner or invitee missing from `knownAccounts`: 100002 naming the account (the create page lists
 *   "must be an imported account" among the field rules, and 100002 is its "invalid parameter" code).
 */
import { randomBytes } from "node:crypto";
import { VendorHandlerBase } from "../handler-base";
import type { RateOptions } from "../rate";
import type { EmulatorReply, EmulatorRequest } from "../types";
import { TENCENT_MESSAGES, TencentFail } from "./codes";
import { TENCENT_COMMANDS, type TencentCommand } from "./commands";
import type { TencentLimits } from "./fields";
import { TencentRoomStore, type TencentMemberRecord, type TencentRoomRecord } from "./store";
import { UserSigVerifier } from "./usersig";
import { VendorRefusal } from "../vendor-error";

export type { TencentRoomRecord, TencentMemberRecord } from "./store";

/**
 * How the emulated Tencent app behaves. Defaults in brackets; the rate limit is 200 requests a second per
 * command [the documented limit].
 */
export interface TencentEmulatorOptions extends RateOptions {
  /** [1400000001] */
  readonly sdkAppId?: number;
  /** Key that signs UserSigs [64 random hex characters, new per start]. */
  readonly secretKey?: string;
  /** The App admin account ["administrator"]. */
  readonly identifier?: string;
  /** Accounts imported into Chat; others are refused as owners/invitees [undefined: all accepted]. */
  readonly knownAccounts?: readonly string[];
  /** Room IDs already used by Chat groups: create_room answers 100011 [none]. */
  readonly chatGroupIds?: readonly string[];
  /** The app has a paid package; false makes create_room answer 100007 [true]. */
  readonly paid?: boolean;
  /** MaxMemberCount when not given: the package's limit [20, the trial package]. */
  readonly defaultMaxMemberCount?: number;
  /** Largest MaxMemberCount accepted: the package's member limit [300]. */
  readonly packageMaxMemberCount?: number;
  /** Largest MaxSeatCount accepted, and its default: the package's seat limit [20]. */
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

/** What a client needs to call the Tencent app. */
export interface TencentCredentials {
  sdkAppId: number;
  secretKey: string;
  identifier: string;
}

/** Tencent's side of the emulator: see `VendorHandler`. Test hooks change state "behind the client's back". */
export class TencentHandler extends VendorHandlerBase<TencentState, TencentRoomRecord, TencentCredentials> {
  readonly vendor = "tencent" as const;
  readonly actions: readonly string[] = [...TENCENT_COMMANDS.keys()];
  readonly sdkAppId: number;
  readonly secretKey: string;
  private readonly userSigs: UserSigVerifier;
  readonly identifier: string;
  private readonly limits: TencentLimits;
  private readonly paid: boolean;
  private readonly autoRecycle: boolean;
  private readonly store: TencentRoomStore;
  private seq = 0;

  constructor(
    options: TencentEmulatorOptions = {},
    private readonly deps: { readonly now: () => number } = { now: Date.now },
  ) {
    super(options.ratePerSecond ?? 200, deps.now, options.rateMode);
    this.sdkAppId = options.sdkAppId ?? 1400000001;
    this.secretKey = options.secretKey ?? randomBytes(32).toString("hex");
    this.userSigs = new UserSigVerifier(this.secretKey);
    this.identifier = options.identifier ?? "administrator";
    this.paid = options.paid ?? true;
    this.autoRecycle = options.autoRecycle ?? false;
    this.limits = {
      defaultMaxMemberCount: options.defaultMaxMemberCount ?? 20,
      packageMaxMemberCount: options.packageMaxMemberCount ?? 300,
      packageMaxSeatCount: options.packageMaxSeatCount ?? 20,
      knownAccounts: options.knownAccounts,
    };
    for (const name of ["defaultMaxMemberCount", "packageMaxMemberCount", "packageMaxSeatCount"] as const) {
      const n = this.limits[name];
      if (!Number.isInteger(n) || n < 1)
        throw new Error(`tencent emulator: ${name} must be a whole number >= 1, not ${JSON.stringify(n)}`);
    }
    this.store = new TencentRoomStore(options.chatGroupIds ?? []);
  }

  credentials(): TencentCredentials {
    return { sdkAppId: this.sdkAppId, secretKey: this.secretKey, identifier: this.identifier };
  }

  matches(req: EmulatorRequest): boolean {
    return req.url.pathname.startsWith("/v4/");
  }

  actionOf(req: EmulatorRequest): string {
    const command = req.url.pathname.startsWith(PREFIX) ? req.url.pathname.slice(PREFIX.length) : "";
    return TENCENT_COMMANDS.has(command) ? command : "unknown";
  }

  transientReply(req: EmulatorRequest): EmulatorReply {
    return this.envelope(this.actionOf(req), new TencentFail(100001));
  }

  handle(req: EmulatorRequest): EmulatorReply {
    const action = this.actionOf(req);
    let recycled: string[] = [];
    try {
      if (req.method !== "POST") throw new TencentFail(60002, "only POST is supported");
      this.authenticate(req.url.searchParams);
      if (!this.limiter.tryTake(String(this.sdkAppId), action))
        return { ...this.envelope(action, this.rateLimitFail()), rateLimited: true };
      const command = TENCENT_COMMANDS.get(action);
      if (!command) throw new TencentFail(60009, `unknown command ${req.url.pathname}`);
      const body = parseBody(req.rawBody);
      if (this.autoRecycle) recycled = this.recycleEndedRooms();
      const { response, committed } = this.run(command, body);
      // A command that changes something changes the room its body names (none named: anything may have).
      const room = committed ? roomIdOf(body) : undefined;
      const changedRooms = !committed ? recycled : room === undefined ? undefined : [...recycled, room];
      return {
        ...this.envelope(action, undefined, response),
        committed: committed || recycled.length > 0,
        ...(changedRooms ? { changedRooms } : {}),
      };
    } catch (err) {
      // A recycled room is a committed change even when the command itself then fails (e.g. 100004).
      if (err instanceof VendorRefusal)
        return { ...this.envelope(action, err), committed: recycled.length > 0, changedRooms: recycled };
      throw err;
    }
  }

  roomOf(req: EmulatorRequest): string | undefined {
    const body = jsonObject(req.rawBody);
    return body && roomIdOf(body);
  }

  codeMeaning(code: number): string | undefined {
    // 100002 has no table entry (its ErrorInfo is always the broken field rule); the command pages call
    // it "Invalid parameter" (e.g. trtc.io/document/60707).
    return code === 100002 ? "Invalid parameter (see ErrorInfo)" : TENCENT_MESSAGES[code];
  }

  /** 60007 per command, 60011 per app; the ErrorInfo names the emulator's limit and the option that sets it. */
  private rateLimitFail(): TencentFail {
    const { perSecond, scope } = this.limiter.mode;
    const code = scope === "api" ? 60007 : 60011;
    return new TencentFail(
      code,
      `${TENCENT_MESSAGES[code]} (emulator limit ${String(perSecond)}/s per ${scope === "api" ? "command" : "app"}: option tencent.ratePerSecond / --tencent-rate)`,
    );
  }

  private authenticate(q: URLSearchParams): void {
    const sdkappid = q.get("sdkappid");
    if (sdkappid === null || sdkappid === "") throw new TencentFail(60012);
    if (!/^\d+$/.test(sdkappid)) throw new TencentFail(60025, "sdkappid must be a number");
    if (Number(sdkappid) !== this.sdkAppId) throw new TencentFail(70020);
    const identifier = q.get("identifier");
    const usersig = q.get("usersig");
    const random = q.get("random");
    if (!identifier) throw new TencentFail(60025, "identifier is missing");
    if (usersig === null) throw new TencentFail(60025, "usersig is missing");
    if (random === null || !/^\d{1,10}$/.test(random) || Number(random) > 4294967295) {
      throw new TencentFail(60025, "random must be a 32-bit unsigned integer");
    }
    if (q.get("contenttype") !== "json") throw new TencentFail(60025, "contenttype must be json");
    const verdict = this.userSigs.verify(usersig, this.sdkAppId, identifier, Math.floor(this.deps.now() / 1000));
    if (verdict !== 0) throw new TencentFail(verdict);
    // The signature is valid and matches `identifier` (the UserSig check covered that), but the REST API is
    // for the App admin only (tencentcloud.com/document/product/1047/34620): another account gets 60010.
    if (identifier !== this.identifier) throw new TencentFail(60010);
  }

  private run(
    command: TencentCommand,
    body: Record<string, unknown>,
  ): { response?: Record<string, unknown>; committed: boolean } {
    return command(
      { store: this.store, identifier: this.identifier, limits: this.limits, paid: this.paid, nowMs: this.deps.now() },
      body,
    );
  }

  private envelope(action: string, fail?: VendorRefusal, response?: Record<string, unknown>): EmulatorReply {
    const body: Record<string, unknown> = {
      ActionStatus: fail ? "FAIL" : "OK",
      ErrorInfo: fail ? fail.message : "",
      ErrorCode: fail ? fail.code : 0,
      RequestId: `Id-${randomBytes(16).toString("hex")}-O-Seq-${++this.seq}`,
    };
    if (response) body.Response = response;
    return { status: 200, body, action, result: fail ? String(fail.code) : "ok" };
  }

  // ---- inspection and "behind our back" changes, for tests and the main job ----

  /** Every room, JSON-safe copies in creation order. */
  rooms(): TencentRoomRecord[] {
    return this.store.list();
  }

  /** The room with this ID (a copy), or undefined. */
  room(roomId: string): TencentRoomRecord | undefined {
    return this.store.get(roomId);
  }

  /** Changes a room directly, as another admin or the console would. */
  mutateRoom(roomId: string, patch: Partial<TencentRoomRecord>): void {
    this.store.mutate(roomId, patch);
    this.changed([roomId]);
  }

  destroyRoom(roomId: string): boolean {
    const gone = this.store.destroy(roomId);
    if (gone) this.changed([roomId]);
    return gone;
  }

  addChatGroup(roomId: string): void {
    this.store.addChatGroup(roomId);
    this.changed();
  }

  /**
   * Puts `account` in the room, as if it had entered with a client SDK (the REST API cannot). Rooms start
   * empty: creating a room over REST enters nobody, not even the owner. The owner account enters with Role "Owner".
   */
  addMember(
    roomId: string,
    account: string,
    fields: Partial<Omit<TencentMemberRecord, "Member_Account" | "Role">> = {},
  ): void {
    this.store.addMember(roomId, account, fields);
    this.changed([roomId]);
  }

  /** Takes `account` out of the room (it left); false when it was not in it. */
  removeMember(roomId: string, account: string): boolean {
    const left = this.store.removeMember(roomId, account);
    if (left) this.changed([roomId]);
    return left;
  }

  /**
   * Recycles rooms the way the backend does ("6 hours after the meeting ends", only when no members are
   * left; trtc.io/document/60707) and returns their IDs. Runs on every request when `autoRecycle` is on;
   * tests with an injected clock can call it directly.
   */
  recycleEndedRooms(): string[] {
    const gone = this.store.recycleEnded(Math.floor(this.deps.now() / 1000));
    if (gone.length) this.changed(gone);
    return gone;
  }

  exportState(): TencentState {
    return { version: 1, rooms: this.rooms(), chatGroupIds: this.store.chatGroupIds() };
  }

  importState(state: TencentState): void {
    const s = state as Partial<TencentState> | null;
    if (s?.version !== 1 || !Array.isArray(s.rooms)) throw new Error("tencent emulator: malformed state");
    this.store.replaceAll(s.rooms, s.chatGroupIds ?? []);
  }

  importRoom(roomId: string, record: unknown): void {
    if (record === undefined) this.store.destroy(roomId);
    else this.store.add(structuredClone(record as TencentRoomRecord));
  }

  reset(): void {
    this.store.clear();
    this.limiter.reset();
  }
}

/** The room a request body names (`RoomId`, or `RoomInfo.RoomId` for create and update), if any. */
function roomIdOf(body: Record<string, unknown>): string | undefined {
  const info = body.RoomInfo;
  const id =
    body.RoomId ?? (info !== null && typeof info === "object" ? (info as Record<string, unknown>).RoomId : undefined);
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** The body as a JSON object, or undefined (for the request log: never throws). */
function jsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function parseBody(raw: string): Record<string, unknown> {
  if (raw.trim() === "") throw new TencentFail(60003, "the request body must not be empty (send {})");
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new TencentFail(60003);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new TencentFail(60003, "the request body must be a JSON object");
  return parsed as Record<string, unknown>;
}
