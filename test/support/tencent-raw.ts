/**
 * Raw Tencent Room Engine REST calls for emulator conformance tests: builds the
 * `/v4/<service>/<command>?sdkappid&identifier&usersig&random&contenttype` URL with a UserSig from the real
 * `tls-sig-api-v2` package (independent of the emulator's verifier), and lets a test drop or override any
 * query parameter, sign as someone else, with another key or app, or tamper with the signature document.
 */
import { deflateSync, inflateSync } from "node:zlib";
import { Api } from "tls-sig-api-v2";

/** Where and as whom to call. */
export interface TencentTarget {
  readonly baseUrl: string;
  readonly sdkAppId: number;
  readonly secretKey: string;
  /** The App admin account. */
  readonly identifier: string;
}

export type QueryName = "sdkappid" | "identifier" | "usersig" | "random" | "contenttype";

export interface TencentSignOptions {
  /** `identifier` in the query [the target's admin]. */
  readonly identifier?: string;
  /** The account the UserSig is generated for [the query identifier]. */
  readonly sigIdentifier?: string;
  /** Sign with this key [the target's]. */
  readonly key?: string;
  /** Generate the UserSig for this SDKAppID [the target's]. */
  readonly sigSdkAppId?: number;
  /** UserSig validity in seconds [86400]. */
  readonly expire?: number;
  /** Use this UserSig as is (no generation). */
  readonly usersig?: string;
  /** Replace a query parameter after signing (string) or drop it (null). */
  readonly query?: Partial<Record<QueryName, string | null>>;
  /** Service part of the path ["room_engine_http_srv"]. */
  readonly service?: string;
}

/** A UserSig from the vendor's own generator. */
export function genUserSig(sdkAppId: number, key: string, identifier: string, expire = 86400): string {
  return new Api(sdkAppId, key).genSig(identifier, expire);
}

/** The signature document inside a UserSig (undo the base64 variant, inflate, parse). */
export function decodeUserSig(sig: string): Record<string, unknown> {
  const base64 = sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "=");
  return JSON.parse(inflateSync(Buffer.from(base64, "base64")).toString("utf8")) as Record<string, unknown>;
}

/** Re-encodes a signature document the way tls-sig-api-v2 does (deflate, base64, `+/=` -> `*-_`). */
export function encodeUserSig(doc: Record<string, unknown>): string {
  return deflateSync(Buffer.from(JSON.stringify(doc)))
    .toString("base64")
    .replace(/\+/g, "*")
    .replace(/\//g, "-")
    .replace(/=/g, "_");
}

/** Decodes a UserSig, lets `edit` change the document, and encodes it again. */
export function tamperUserSig(sig: string, edit: (doc: Record<string, unknown>) => void): string {
  const doc = decodeUserSig(sig);
  edit(doc);
  return encodeUserSig(doc);
}

/** The full signed URL for `command`. */
export function tencentUrl(target: TencentTarget, command: string, options: TencentSignOptions = {}): string {
  const identifier = options.identifier ?? target.identifier;
  const usersig =
    options.usersig ??
    genUserSig(
      options.sigSdkAppId ?? target.sdkAppId,
      options.key ?? target.secretKey,
      options.sigIdentifier ?? identifier,
      options.expire ?? 86400,
    );
  const params: Record<QueryName, string> = {
    sdkappid: String(target.sdkAppId),
    identifier,
    usersig,
    random: String(Math.floor(Math.random() * 4294967296)),
    contenttype: "json",
  };
  const url = new URL(`/v4/${options.service ?? "room_engine_http_srv"}/${command}`, target.baseUrl);
  for (const name of Object.keys(params) as QueryName[]) {
    const override = options.query?.[name];
    if (override === null) continue;
    url.searchParams.set(name, override ?? params[name]);
  }
  return url.toString();
}

/** A Tencent answer: the HTTP status and the JSON envelope. */
export interface TencentAnswer {
  readonly status: number;
  readonly body: {
    ActionStatus: string;
    ErrorCode: number;
    ErrorInfo: string;
    RequestId: string;
    Response?: Record<string, unknown>;
  } & Record<string, unknown>;
}

/** POSTs `body` as JSON (`rawBody` sends the string as is; `method` overrides POST). */
export async function tencentCall(
  target: TencentTarget,
  command: string,
  body: unknown,
  options: TencentSignOptions & { readonly rawBody?: string; readonly method?: string } = {},
): Promise<TencentAnswer> {
  const method = options.method ?? "POST";
  const hasBody = method !== "GET" && method !== "HEAD";
  const res = await fetch(tencentUrl(target, command, options), {
    method,
    headers: hasBody ? { "content-type": "application/json" } : {},
    body: hasBody ? (options.rawBody ?? JSON.stringify(body)) : undefined,
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`Tencent ${command}: HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
  }
  return { status: res.status, body: parsed as TencentAnswer["body"] };
}
