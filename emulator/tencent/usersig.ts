/**
 * Verifies a Tencent UserSig the way the vendor's Go reference (`VerifyUserSig`) does: undo the base64url
 * variant, inflate the zlib document, check SDKAppID -> identifier -> expiry -> HMAC-SHA256
 * (github.com/tencentyun/tls-sig-api-v2-golang, TLSSigAPI.go). Each failure maps to the Chat error code that
 * describes it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { inflateSync } from "node:zlib";

/** 0 when valid, else the error code: 70002 empty, 70003 undecodable, 70014 app, 70013 identifier, 70001 expired, 70009 bad HMAC. */
export type UserSigResult = 0 | 70001 | 70002 | 70003 | 70009 | 70013 | 70014;

/** What a UserSig says, decoded and its HMAC checked against one key; or the code of an undecodable one. */
type Decoded = { sdkAppId: number; identifier: string; deadline: number; hmacValid: boolean } | 70002 | 70003;

function decode(sig: string, key: string): Decoded {
  if (sig === "") return 70002;
  const base64 = sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(inflateSync(Buffer.from(base64, "base64")).toString("utf8"));
    if (parsed === null || typeof parsed !== "object") return 70003;
    doc = parsed as Record<string, unknown>;
  } catch {
    return 70003;
  }
  const time = Number(doc["TLS.time"]);
  const expire = Number(doc["TLS.expire"]);
  let content =
    `TLS.identifier:${String(doc["TLS.identifier"])}\nTLS.sdkappid:${String(doc["TLS.sdkappid"])}\n` +
    `TLS.time:${String(doc["TLS.time"])}\nTLS.expire:${String(doc["TLS.expire"])}\n`;
  // The signer writes userbuf and sig as base64 strings; any other value cannot carry a valid HMAC.
  const userbuf = doc["TLS.userbuf"];
  if (userbuf !== undefined && userbuf !== null)
    content += `TLS.userbuf:${typeof userbuf === "string" ? userbuf : JSON.stringify(userbuf)}\n`;
  const expected = createHmac("sha256", key).update(content).digest();
  const sigText = doc["TLS.sig"];
  const got = Buffer.from(typeof sigText === "string" ? sigText : "", "base64");
  return {
    sdkAppId: Number(doc["TLS.sdkappid"]),
    identifier: String(doc["TLS.identifier"]),
    // NaN when either is missing or not a number: undecodable (70003), after the app and identifier checks.
    deadline: Number.isFinite(time) && Number.isFinite(expire) ? time + expire : Number.NaN,
    hmacValid: got.length === expected.length && timingSafeEqual(got, expected),
  };
}

/** The verdict on a decoded UserSig, in the Go reference's order: app, identifier, expiry, HMAC. */
function judge(d: Decoded, sdkAppId: number, identifier: string, nowSec: number): UserSigResult {
  if (typeof d === "number") return d;
  if (d.sdkAppId !== sdkAppId) return 70014;
  if (d.identifier !== identifier) return 70013;
  if (Number.isNaN(d.deadline)) return 70003;
  if (nowSec > d.deadline) return 70001;
  return d.hmacValid ? 0 : 70009;
}

export function verifyUserSig(
  sig: string,
  sdkAppId: number,
  key: string,
  identifier: string,
  nowSec: number,
): UserSigResult {
  return judge(decode(sig, key), sdkAppId, identifier, nowSec);
}

/**
 * `verifyUserSig` with the decoded signatures of one key remembered: a client signs every request with the
 * same UserSig for hours, and inflating and hashing it again per request was a third of the embedded
 * emulator's work per create. Expiry is still judged at each call.
 */
export class UserSigVerifier {
  private readonly decoded = new Map<string, Decoded>();

  constructor(
    private readonly key: string,
    private readonly capacity = 64,
  ) {}

  verify(sig: string, sdkAppId: number, identifier: string, nowSec: number): UserSigResult {
    let d = this.decoded.get(sig);
    if (d === undefined) {
      d = decode(sig, this.key);
      if (this.decoded.size >= this.capacity) this.decoded.clear();
      this.decoded.set(sig, d);
    }
    return judge(d, sdkAppId, identifier, nowSec);
  }
}
