/**
 * ZIM server API request signatures: the common query parameters every request carries, signed with md5
 * over the app ID, a fresh nonce, the ServerSecret and the time ("Accessing Server APIs",
 * https://www.zegocloud.com/docs/zim-server/accessing-server-apis).
 */
import { createHash, randomBytes } from "node:crypto";
import type { ZegoSettings } from "./settings";

/** SignatureVersion: the only value the common parameters accept ("2.0"). */
export const SIGNATURE_VERSION = "2.0";

/** `md5(AppId + SignatureNonce + ServerSecret + Timestamp)`, 32 lower-case hex characters. */
export function zegoSignature(
  appId: number | string,
  nonce: string,
  serverSecret: string,
  timestamp: number | string,
): string {
  return createHash("md5").update(`${appId}${nonce}${serverSecret}${timestamp}`).digest("hex");
}

/**
 * The common query parameters of one request: "A new signature needs to be generated for every API
 * request", with a 16-hex-character nonce (8 random bytes) and the Unix time in seconds.
 */
export function commonParams(
  settings: Pick<ZegoSettings, "appId" | "serverSecret">,
  nowMs: number = Date.now(),
  nonce: string = randomBytes(8).toString("hex"),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    AppId: String(settings.appId),
    SignatureNonce: nonce,
    Timestamp: String(timestamp),
    Signature: zegoSignature(settings.appId, nonce, settings.serverSecret, timestamp),
    SignatureVersion: SIGNATURE_VERSION,
  };
}
