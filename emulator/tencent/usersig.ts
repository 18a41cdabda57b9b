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

export function verifyUserSig(
  sig: string,
  sdkAppId: number,
  key: string,
  identifier: string,
  nowSec: number,
): UserSigResult {
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
  if (Number(doc["TLS.sdkappid"]) !== sdkAppId) return 70014;
  if (String(doc["TLS.identifier"]) !== identifier) return 70013;
  const time = Number(doc["TLS.time"]);
  const expire = Number(doc["TLS.expire"]);
  if (!Number.isFinite(time) || !Number.isFinite(expire)) return 70003;
  if (nowSec > time + expire) return 70001;
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
  return got.length === expected.length && timingSafeEqual(got, expected) ? 0 : 70009;
}
