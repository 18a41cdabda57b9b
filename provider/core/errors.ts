/**
 * Typed errors and redaction. Every message the package produces passes through {@link redact}, so a
 * UserSig, a ZEGO signature or a configured secret can never reach a Pulumi log, diagnostic or state file.
 */

/** Which vendor API an error came from. */
export type Vendor = "tencent" | "zego";

/**
 * What went wrong, coarsely:
 * - `vendor`: the API answered with a non-zero error code in its envelope;
 * - `transport`: no usable HTTP answer (connection refused or reset, timeout, HTTP 5xx);
 * - `protocol`: an answer arrived but was not the vendor's envelope (HTML page, empty or truncated body,
 *   wrong field types);
 * - `deadline`: retries were still failing when the overall deadline ran out.
 */
export type ErrorKind = "vendor" | "transport" | "protocol" | "deadline";

/** Fields of a {@link RoomApiError}. */
export interface RoomApiErrorInit {
  readonly vendor: Vendor;
  /** The API operation, e.g. `create_room` or `CreateRoom`. */
  readonly operation: string;
  readonly kind: ErrorKind;
  /** Vendor error code, or a transport code such as `ETIMEDOUT`, `HTTP_502`, `BAD_JSON`. */
  readonly code: number | string;
  /** The vendor's own message (already redacted by the constructor). */
  readonly vendorMessage: string;
  readonly requestId?: string;
  readonly httpStatus?: number;
  /** Safe to retry the same request. */
  readonly retryable: boolean;
  /** What the user can do about it. */
  readonly hint?: string;
  /** Attempts made before giving up (set by the retry loop). */
  readonly attempts?: number;
  readonly cause?: unknown;
}

/**
 * An error from a vendor API call. Carries the vendor code, message and RequestId (what vendor support
 * asks for) and a hint; its message never contains a credential.
 */
export class RoomApiError extends Error {
  readonly vendor: Vendor;
  readonly operation: string;
  readonly kind: ErrorKind;
  readonly code: number | string;
  readonly vendorMessage: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly attempts: number;

  constructor(init: RoomApiErrorInit) {
    const vendorMessage = redact(init.vendorMessage);
    super(formatMessage({ ...init, vendorMessage }));
    this.name = "RoomApiError";
    this.vendor = init.vendor;
    this.operation = init.operation;
    this.kind = init.kind;
    this.code = init.code;
    this.vendorMessage = vendorMessage;
    this.requestId = init.requestId;
    this.httpStatus = init.httpStatus;
    this.retryable = init.retryable;
    this.hint = init.hint;
    this.attempts = init.attempts ?? 1;
    // The cause (an undici error) can carry the request URL with its signature: keep only a redacted text.
    if (init.cause !== undefined) {
      Object.defineProperty(this, "cause", { value: redact(describe(init.cause)), enumerable: false });
    }
  }

  /** A copy with another attempt count (and kind), used when the retry loop gives up. */
  withAttempts(attempts: number, kind: ErrorKind = this.kind): RoomApiError {
    return new RoomApiError({ ...this.init(), attempts, kind });
  }

  private init(): RoomApiErrorInit {
    return {
      vendor: this.vendor,
      operation: this.operation,
      kind: this.kind,
      code: this.code,
      vendorMessage: this.vendorMessage,
      requestId: this.requestId,
      httpStatus: this.httpStatus,
      retryable: this.retryable,
      hint: this.hint,
      attempts: this.attempts,
    };
  }
}

function formatMessage(e: RoomApiErrorInit): string {
  const parts = [`${e.vendor} ${e.operation} failed: [${e.code}] ${e.vendorMessage || "(no message)"}`];
  if (e.requestId) parts.push(`RequestId: ${e.requestId}`);
  if (e.attempts && e.attempts > 1) parts.push(`after ${e.attempts} attempts`);
  let text = parts.join("; ");
  if (e.kind === "deadline") text += " (retry deadline exceeded)";
  if (e.hint) text += `. Hint: ${e.hint}`;
  return text;
}

/** An error in credentials or endpoint settings, listing every problem and how to fix it. */
export class SettingsError extends Error {
  constructor(
    readonly vendor: Vendor,
    readonly problems: readonly string[],
  ) {
    super(`${vendor} settings are incomplete or invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "SettingsError";
  }
}

/**
 * A create or update that changed the room only in part (ZEGO applies attribute changes key by key). The
 * dynamic-provider host turns an error with `id` and `properties` into the engine's
 * ErrorResourceInitFailed: the engine records these outputs (what the room holds now) with the reasons,
 * shows the error, and updates the resource again on the next `pulumi up`. Without it, state would keep
 * outputs the room no longer has, or (on create) lose track of a room that exists. `properties` must hold
 * `__provider`, which the host adds only on success, or later refresh and destroy could not run.
 */
export class PartialFailureError extends Error {
  /** What the engine shows as the resource's initialization errors. */
  readonly reasons: string[];

  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly error: RoomApiError,
  ) {
    super(error.message);
    this.name = "PartialFailureError";
    this.reasons = [error.message];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------------------------------------

/** Query/JSON keys whose values are credentials, matched case-insensitively. */
// Not plain "key": ZEGO attribute keys are ordinary data and appear in messages.
const SECRET_KEYS = ["usersig", "signature", "secretkey", "secret_key", "serversecret", "server_secret", "secret", "tls.sig"];

const QUERY_PARAM = new RegExp(`([?&;](?:${SECRET_KEYS.map(escape).join("|")})=)[^&#\\s"']*`, "gi");
const JSON_FIELD = new RegExp(`("(?:${SECRET_KEYS.map(escape).join("|")})"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");
const KEY_VALUE = new RegExp(`\\b((?:${SECRET_KEYS.map(escape).join("|")})\\s*[=:]\\s*)[^\\s,;&"'}]+`, "gi");

/** Secrets the process has resolved; exact occurrences are removed wherever they appear. */
const knownSecrets = new Set<string>();

/** Marker that replaces every removed value. */
export const REDACTED = "[REDACTED]";

/**
 * Registers a credential value (a secret key, server secret or generated UserSig) so that {@link redact}
 * removes it verbatim from any text, even where it appears without a recognisable key name.
 */
export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; real secrets are long.
  if (value && value.length >= 8) knownSecrets.add(value);
}

/**
 * Removes credentials from a string or URL: values of `usersig`, `Signature`, `secretKey`, `serverSecret`
 * (and similar) in query strings, JSON and `key=value` text, plus every registered secret verbatim and
 * URL-encoded.
 */
export function redact(text: string): string {
  let out = text;
  for (const secret of knownSecrets) {
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out
    .replace(QUERY_PARAM, `$1${REDACTED}`)
    .replace(JSON_FIELD, `$1"${REDACTED}"`)
    .replace(KEY_VALUE, (match: string, prefix: string) =>
      match.slice(prefix.length) === REDACTED ? match : `${prefix}${REDACTED}`,
    );
}

/** Text of any thrown value, for messages (not redacted: callers redact). */
export function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
