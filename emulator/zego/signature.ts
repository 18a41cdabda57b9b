/**
 * ZEGO server API request signing (zegocloud.com/docs/zim-server/accessing-server-apis) and the emulator's check of the common
 * query parameters every request carries: AppId, Timestamp, SignatureNonce, Signature, SignatureVersion, Action.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { ZegoCode, zegoMessage } from "./codes";

/** accessing-server-apis: "A maximum error of 10 minutes is allowed." */
const SIGNATURE_WINDOW_SECONDS = 600;
/** accessing-server-apis: SignatureVersion enum ["2.0"]. */
export const SIGNATURE_VERSION = "2.0";

const UINT32_MAX = 4294967295;
const LOWER_HEX_32 = /^[0-9a-f]{32}$/;
const DECIMAL_UINT = /^\d{1,10}$/;
const DECIMAL_INT = /^-?\d{1,19}$/;

/**
 * The request signature: lower-case hex md5 of the plain concatenation AppId + SignatureNonce + ServerSecret +
 * Timestamp, with AppId and Timestamp as decimal strings (the page's test vector: 12345, 4fd24687296dd9f3,
 * 9193cc662a4c0ec135ec71fb57194b38, 1615186943 -> 43e5cfcca828314675f91b001390566a).
 */
export function zegoSignature(
  appId: number | string,
  nonce: string,
  serverSecret: string,
  timestamp: number | string,
): string {
  return createHash("md5").update(`${appId}${nonce}${serverSecret}${timestamp}`, "utf8").digest("hex");
}

/** The app the emulator serves and the actions it implements. */
export interface SigningApp {
  readonly appId: number;
  readonly serverSecret: string;
  isKnownAction(action: string): boolean;
}

/** Common parameters that passed every check. */
export interface VerifiedCommon {
  readonly action: string;
  readonly appId: number;
}

/** A failed check: the ZEGO code and Message to answer with. */
export interface CommonFailure {
  readonly code: number;
  readonly message: string;
}

export type CommonCheck =
  { readonly ok: true; readonly common: VerifiedCommon } | ({ readonly ok: false } & CommonFailure);

function fail(code: number, detail?: string): CommonCheck {
  return { ok: false, code, message: zegoMessage(code, detail) };
}

/**
 * Checks the common query parameters in a fixed order, the first failure wins:
 * Action (empty 100000006, unknown 100000007) -> AppId format (100000001) -> Timestamp (empty 100000002,
 * format 100000003) -> SignatureNonce (100000008) -> Signature (100000009) -> SignatureVersion (100000013,
 * 100000014) -> AppId known (3) -> Timestamp window (100000004) -> Signature value (100000005).
 * Presence and format come before the secret is consulted, and the cheap clock check before the hash, as a
 * gateway would do. The expected signature is computed from the canonical decimal AppId and Timestamp (the
 * server parses them as integers, then formats them, per the doc's `%d` sample). Never echoes a signature.
 */
export function verifyCommonParams(query: URLSearchParams, app: SigningApp, nowMs: number): CommonCheck {
  const action = query.get("Action") ?? "";
  if (action === "") return fail(ZegoCode.ActionEmpty);
  if (!app.isKnownAction(action))
    return fail(ZegoCode.ActionUnsupported, `this emulator does not implement ${JSON.stringify(action.slice(0, 64))}`);

  const appIdText = query.get("AppId") ?? "";
  const appId = Number(appIdText);
  if (!DECIMAL_UINT.test(appIdText) || appId > UINT32_MAX)
    return fail(ZegoCode.AppIdFormat, "AppId must be a decimal uint32");

  const timestampText = query.get("Timestamp") ?? "";
  if (timestampText === "") return fail(ZegoCode.TimestampEmpty);
  const timestamp = Number(timestampText);
  if (!DECIMAL_INT.test(timestampText) || !Number.isSafeInteger(timestamp))
    return fail(ZegoCode.TimestampFormat, "Timestamp must be integer Unix seconds");

  const nonce = query.get("SignatureNonce") ?? "";
  if (nonce === "") return fail(ZegoCode.NonceEmpty);
  const signature = query.get("Signature") ?? "";
  if (signature === "") return fail(ZegoCode.SignatureEmpty);
  const version = query.get("SignatureVersion") ?? "";
  if (version === "") return fail(ZegoCode.SignatureVersionEmpty);
  if (version !== SIGNATURE_VERSION)
    return fail(ZegoCode.SignatureVersionUnsupported, `only "${SIGNATURE_VERSION}" is supported`);

  // No page says what answers a well-formed but unknown AppId; "authentication failed" is not retryable and
  // points at the credentials, unlike 100000010/100000011 ("get ServerSecret/App configuration failed").
  if (appId !== app.appId) return fail(ZegoCode.AuthFailed, "unknown AppId");

  const skew = Math.abs(Math.floor(nowMs / 1000) - timestamp);
  if (skew > SIGNATURE_WINDOW_SECONDS)
    return fail(
      ZegoCode.SignatureExpired,
      `Timestamp is ${skew} s away from server time (max ${SIGNATURE_WINDOW_SECONDS} s)`,
    );

  if (!signatureMatches(signature, zegoSignature(appId, nonce, app.serverSecret, timestamp))) {
    return fail(
      ZegoCode.SignatureError,
      "Signature must be the 32 lower-case hex md5 of AppId+SignatureNonce+ServerSecret+Timestamp",
    );
  }
  return { ok: true, common: { action, appId } };
}

/** Constant-time comparison; a value that is not 32 lower-case hex never matches. */
function signatureMatches(given: string, expected: string): boolean {
  if (!LOWER_HEX_32.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, "utf8"), Buffer.from(expected, "utf8"));
}
