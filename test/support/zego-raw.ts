/**
 * Raw ZEGO ZIM server API calls for emulator conformance tests: builds the signed `/?Action=...` URL with
 * its own md5 (independent of the emulator's signer) and lets a test drop or override any common parameter.
 */
import { createHash, randomBytes } from "node:crypto";

/** Where and as whom to call. `nowSec` is the clock the request is signed with (a test's fake clock). */
export interface ZegoTarget {
  readonly baseUrl: string;
  readonly appId: number;
  readonly serverSecret: string;
  readonly nowSec: () => number;
}

export type CommonName = "Action" | "AppId" | "Timestamp" | "SignatureNonce" | "Signature" | "SignatureVersion";

export interface SignOptions {
  /** Business parameters for the query (GET actions). */
  readonly query?: Readonly<Record<string, string | number>>;
  /** Sign with this Timestamp instead of the clock's. */
  readonly timestamp?: number;
  /** Sign with another secret. */
  readonly secret?: string;
  /** Replace a common parameter after signing (string) or drop it (null). */
  readonly common?: Partial<Record<CommonName, string | null>>;
}

/** md5(AppId + SignatureNonce + ServerSecret + Timestamp), lower-case hex (https://www.zegocloud.com/docs/zim-server/accessing-server-apis). */
export function md5Signature(
  appId: number | string,
  nonce: string,
  secret: string,
  timestamp: number | string,
): string {
  return createHash("md5").update(`${appId}${nonce}${secret}${timestamp}`).digest("hex");
}

/** The full signed URL for `action`. */
export function signedUrl(target: ZegoTarget, action: string, options: SignOptions = {}): string {
  const timestamp = options.timestamp ?? target.nowSec();
  const nonce = randomBytes(8).toString("hex");
  const common: Record<CommonName, string> = {
    Action: action,
    AppId: String(target.appId),
    SignatureNonce: nonce,
    Timestamp: String(timestamp),
    Signature: md5Signature(target.appId, nonce, options.secret ?? target.serverSecret, timestamp),
    SignatureVersion: "2.0",
  };
  const url = new URL("/", target.baseUrl);
  for (const name of Object.keys(common) as CommonName[]) {
    const override = options.common?.[name];
    if (override === null) continue;
    url.searchParams.set(name, override ?? common[name]);
  }
  for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.set(name, String(value));
  return url.toString();
}

/** A ZEGO answer: the HTTP status and the JSON envelope. */
export interface ZegoAnswer {
  readonly status: number;
  readonly body: { Code: number; Message: string; RequestId: string } & Record<string, unknown>;
}

async function send(url: string, init: RequestInit): Promise<ZegoAnswer> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as ZegoAnswer["body"] };
}

/** A GET action with business parameters in the query. */
export function zegoGet(
  target: ZegoTarget,
  action: string,
  query: Readonly<Record<string, string | number>> = {},
  options: SignOptions = {},
): Promise<ZegoAnswer> {
  return send(signedUrl(target, action, { ...options, query }), { method: "GET" });
}

/** A POST action with a JSON body (`rawBody` sends the string as is). */
export function zegoPost(
  target: ZegoTarget,
  action: string,
  body: unknown,
  options: SignOptions & { rawBody?: string; method?: string } = {},
): Promise<ZegoAnswer> {
  return send(signedUrl(target, action, options), {
    method: options.method ?? "POST",
    headers: { "content-type": "application/json" },
    body: options.rawBody ?? JSON.stringify(body),
  });
}
