/**
 * The document the console page polls (`GET /_emulator/console?since=<seq>`): the rooms of both vendors
 * with every field and the stack and resource (URN) that declared each, the new request-log events,
 * per-second counts per API, the limits and the fault plan.
 * It is built only from the emulator's own inspection API, so the page is no second source of truth, and
 * it never holds a secret: the Tencent secret key and the ZEGO server secret appear masked.
 */
import type { DeclaredRooms } from "../declarations";
import type { RateBucket, RequestEvent } from "../request-log";
import type { TencentRoomRecord } from "../tencent/store";
import type { FaultPlan } from "../types";
import type { ZegoRoomRecord } from "../zego/store";
import type { ZegoUserRecord } from "../zego/users";
import { validateRateMode, type RateMode } from "../rate";

/** What the page shows instead of a secret. */
export const MASK = "••••••••";

/**
 * The documented per-API limits the chart draws: "200 times per second" on each Room Engine command page
 * (e.g. trtc.io/document/60707), "QPS limit 20/s" on each ZIM action page (e.g. zegocloud.com/docs/zim-server/room/create-a-room).
 */
const DOCUMENTED_PER_SECOND = { tencent: 200, zego: 20 } as const;

export type Vendor = "tencent" | "zego";

/** The emulator as the console sees it (wired in emulator/index.ts from the programmatic API). */
export interface ConsoleSource {
  /** The emulator's clock (ms), the clock the request log and the rate limits use. */
  now(): number;
  tencent: {
    rooms(): TencentRoomRecord[];
    credentials(): { sdkAppId: number; identifier: string };
    actions: readonly string[];
    rateLimit(): number | false;
  };
  zego: {
    rooms(): ZegoRoomRecord[];
    users(): ZegoUserRecord[];
    credentials(): { appId: number; fromUserId: string };
    actions: readonly string[];
    rateLimit(): number | false;
  };
  faults(): FaultPlan | undefined;
  requests(since: number): { latestSeq: number; clearedAfter: number; events: RequestEvent[] };
  rates(): RateBucket[];
  /** Which stack and resource declared each room, as the local engine told the emulator. */
  declarations(): DeclaredRooms;
}

/** The console document; see {@link consoleView}. */
export interface ConsoleView {
  readonly now: number;
  readonly apps: {
    readonly tencent: { readonly sdkAppId: number; readonly identifier: string; readonly secretKey: string };
    readonly zego: { readonly appId: number; readonly fromUserId: string; readonly serverSecret: string };
  };
  readonly rooms: { readonly tencent: TencentRoomRecord[]; readonly zego: ZegoRoomRecord[] };
  /** Per vendor, room ID -> the stacks and URNs that declared it (rooms no stack declared are absent). */
  readonly declaredBy: DeclaredRooms;
  readonly zegoUsers: ZegoUserRecord[];
  readonly requests: { readonly latestSeq: number; readonly clearedAfter: number; readonly events: RequestEvent[] };
  readonly rates: RateBucket[];
  readonly limits: Record<Vendor, { readonly inForce: number | false; readonly documentedPerApi: number }>;
  readonly actions: Record<Vendor, readonly string[]>;
  readonly faults: FaultPlan | null;
}

/** Builds the console document; `since` is the last request-log seq the page already has. */
export function consoleView(source: ConsoleSource, since: number): ConsoleView {
  const t = source.tencent.credentials();
  const z = source.zego.credentials();
  return {
    now: source.now(),
    // Only the identifying fields are copied, and the secrets are replaced, never passed through.
    apps: {
      tencent: { sdkAppId: t.sdkAppId, identifier: t.identifier, secretKey: MASK },
      zego: { appId: z.appId, fromUserId: z.fromUserId, serverSecret: MASK },
    },
    rooms: { tencent: source.tencent.rooms(), zego: source.zego.rooms() },
    declaredBy: source.declarations(),
    zegoUsers: source.zego.users(),
    requests: source.requests(since),
    rates: source.rates(),
    limits: {
      tencent: { inForce: source.tencent.rateLimit(), documentedPerApi: DOCUMENTED_PER_SECOND.tencent },
      zego: { inForce: source.zego.rateLimit(), documentedPerApi: DOCUMENTED_PER_SECOND.zego },
    },
    actions: { tencent: source.tencent.actions, zego: source.zego.actions },
    faults: source.faults() ?? null,
  };
}

/**
 * Checks a `POST /_emulator/rate-limits` body: `{"tencent"?: n | false, "zego"?: n | false, "scope"?, "window"?}` with n a
 * positive integer (requests per second). Throws an Error naming the field and the rule.
 */
export function parseRateLimits(
  value: unknown,
): { tencent?: number | false; zego?: number | false } & Partial<RateMode> {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new Error('rate limits must be a JSON object such as {"tencent": 200, "zego": false}');
  const body = value as Record<string, unknown>;
  const out: { tencent?: number | false; zego?: number | false } = {};
  for (const key of Object.keys(body)) {
    if (key === "scope" || key === "window") continue;
    if (key !== "tencent" && key !== "zego")
      throw new Error(`rate limits: unknown field ${JSON.stringify(key)} (tencent, zego, scope, window)`);
    const v = body[key];
    if (v !== false && !(typeof v === "number" && Number.isInteger(v) && v >= 1)) {
      throw new Error(`rate limits: ${key} must be a positive integer (requests per second) or false (off)`);
    }
    out[key] = v;
  }
  // How the limits are counted (emulator/rate.ts): per API or per app, sliding or wall-clock second.
  return { ...out, ...validateRateMode({ scope: body.scope, window: body.window }) };
}
