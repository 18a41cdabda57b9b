/**
 * The Tencent Room Engine REST client: admin UserSig (cached per process until shortly before expiry),
 * signed URLs with a fresh `random` per attempt, the `{ActionStatus, ErrorCode, ErrorInfo, RequestId}`
 * envelope, adaptive pacing per command (each Room Engine page: "Maximum calling frequency: 200 times per
 * second", e.g. https://www.tencentcloud.com/document/product/647/60706) or per app, and per room ID for
 * create_room, and retries of the codes in codes.ts.
 */
import { createHash, randomInt } from "node:crypto";
import { Api } from "tls-sig-api-v2";
import * as z from "zod";
import { RoomApiError } from "../core/errors";
import type { JsonResponse } from "../core/http";
import { spacingFor } from "../core/pace-registry";
import { badEnvelope, callVendor, type VendorClientOptions } from "../core/vendor-call";
import { registerSecret } from "../core/redact";
import { ApiRoomInfoSchema, type ApiRoomInfo } from "./api";
import { APP_WIDE_LIMIT_CODES, hintFor, isRetryable, SLOW_DOWN_CODES } from "./codes";
import { TENCENT_API_PATH, type TencentSettings } from "./settings";

/** UserSig validity requested from tls-sig-api-v2. */
export const USERSIG_TTL_SECONDS = 24 * 60 * 60;
/** A cached UserSig is replaced when less than this remains. */
export const USERSIG_RENEW_BEFORE_SECONDS = 5 * 60;
/** Spacing between create_room attempts for one room ID: the API allows one per second (100012). */
export const SAME_ROOM_CREATE_SPACING_MS = 1_100;

const EnvelopeSchema = z.object({
  ActionStatus: z.string(),
  ErrorCode: z.number(),
  ErrorInfo: z.string().optional(),
  RequestId: z.string().optional(),
  Response: z.unknown().optional(),
});

/** get_room_info's `Response`: only the room fields the provider uses survive (no password). */
const RoomInfoAnswerSchema = z.object({ RoomInfo: ApiRoomInfoSchema });

/** Options for tests and tuning; production uses the defaults. */
export type TencentClientOptions = VendorClientOptions;

interface CachedSig {
  readonly sig: string;
  readonly renewAt: number;
}

// Process-wide, keyed without the secret itself.
const userSigCache = new Map<string, CachedSig>();

/**
 * The cache key of the admin UserSig: app, identifier and a short hash of the secret key (so a rotated key
 * gets a new signature), never the key itself.
 */
export function userSigCacheKey(settings: Pick<TencentSettings, "sdkAppId" | "identifier" | "secretKey">): string {
  const keyHash = createHash("sha256").update(settings.secretKey).digest("hex").slice(0, 16);
  return `${settings.sdkAppId}:${settings.identifier}:${keyHash}`;
}

/** Signs with the vendor's own generator (tls-sig-api-v2). */
function generateUserSig(settings: TencentSettings): string {
  return new Api(settings.sdkAppId, settings.secretKey).genSig(settings.identifier, USERSIG_TTL_SECONDS);
}

/**
 * The admin UserSig for these settings, from the process-wide cache while it has more than 5 minutes of
 * its 24 hours left. Every generated UserSig is registered for redaction. `generate` is for tests.
 */
export function adminUserSig(
  settings: TencentSettings,
  now: number = Date.now(),
  generate: (s: TencentSettings) => string = generateUserSig,
): string {
  const cacheKey = userSigCacheKey(settings);
  const cached = userSigCache.get(cacheKey);
  if (cached && cached.renewAt > now) return cached.sig;
  const sig = generate(settings);
  registerSecret(sig);
  userSigCache.set(cacheKey, { sig, renewAt: now + (USERSIG_TTL_SECONDS - USERSIG_RENEW_BEFORE_SECONDS) * 1000 });
  return sig;
}

/** The cache's keys (for tests: they must not contain a secret). */
export function userSigCacheKeys(): string[] {
  return [...userSigCache.keys()];
}

export class TencentClient {
  constructor(
    private readonly settings: TencentSettings,
    private readonly options: TencentClientOptions = {},
  ) {}

  /** create_room. Each attempt for a room ID waits its turn so the same ID is never sent twice in a second. */
  createRoom(body: Record<string, unknown>): Promise<void> {
    const roomId = (body.RoomInfo as { RoomId?: string } | undefined)?.RoomId ?? "";
    const spacing = spacingFor(`tencent:${this.settings.sdkAppId}:create_room`);
    return this.call(
      "create_room",
      body,
      () => undefined,
      () => spacing.take(roomId, SAME_ROOM_CREATE_SPACING_MS),
    );
  }

  /**
   * get_room_info: the room as the API holds it, without its password. The answer may carry the room's
   * `Password` in clear (cloud.tencent.com/document/product/1690/102881): parsing keeps only the fields
   * ApiRoomInfoSchema names, and a malformed answer is reported by field path and rule, never by value.
   */
  getRoomInfo(roomId: string): Promise<ApiRoomInfo> {
    return this.call("get_room_info", { RoomId: roomId }, (response, requestId) => {
      const parsed = RoomInfoAnswerSchema.safeParse(response);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue && issue.path.length > 1 ? `${issue.path.slice(1).map(String).join(".")}: ` : "";
        throw this.protocolError(
          "get_room_info",
          `Response.RoomInfo is malformed: ${field}${issue?.message ?? "?"}`,
          requestId,
        );
      }
      return parsed.data.RoomInfo;
    });
  }

  /** update_room_info with a RoomInfo holding RoomId and only the fields to change. */
  updateRoomInfo(body: Record<string, unknown>): Promise<void> {
    return this.call("update_room_info", body, () => undefined);
  }

  destroyRoom(roomId: string): Promise<void> {
    return this.call("destroy_room", { RoomId: roomId }, () => undefined);
  }

  private url(command: string): string {
    const q = new URLSearchParams({
      sdkappid: String(this.settings.sdkAppId),
      identifier: this.settings.identifier,
      usersig: adminUserSig(this.settings),
      random: String(randomInt(0, 2 ** 32)),
      contenttype: "json",
    });
    return `${this.settings.baseUrl}${TENCENT_API_PATH}/${command}?${q.toString()}`;
  }

  private call<T>(
    command: string,
    body: Record<string, unknown>,
    onResponse: (response: unknown, requestId: string | undefined) => T,
    extraPace?: () => Promise<number>,
  ): Promise<T> {
    return callVendor(this.settings, this.options, {
      vendor: "tencent",
      app: this.settings.sdkAppId,
      operation: command,
      codes: { slowDown: SLOW_DOWN_CODES, appWide: APP_WIDE_LIMIT_CODES },
      before: extraPace,
      build: () => ({ method: "POST", url: this.url(command), body }),
      parse: (res: JsonResponse) => {
        const envelope = EnvelopeSchema.safeParse(res.body);
        if (!envelope.success)
          throw this.protocolError(command, `the answer is not a Room Engine envelope (HTTP ${res.status})`);
        const { ErrorCode: code, ErrorInfo: info, RequestId: requestId, ActionStatus: status } = envelope.data;
        if (code !== 0 || status !== "OK") {
          throw new RoomApiError({
            vendor: "tencent",
            operation: command,
            kind: "vendor",
            code,
            vendorMessage: info ?? "",
            requestId,
            httpStatus: res.status,
            retryable: isRetryable(command, code),
            hint: hintFor(code),
          });
        }
        return onResponse(envelope.data.Response, requestId);
      },
    });
  }

  private protocolError(command: string, message: string, requestId?: string): RoomApiError {
    return badEnvelope("tencent", command, message, requestId);
  }
}
