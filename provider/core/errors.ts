/**
 * Typed errors. Every error the package throws is a {@link RoomsError} with a `code` from a closed union,
 * recognised by `instanceof` even across two loaded copies of this module (the host bundle in dist/host
 * and tsc's dist/provider both load in one process). Messages pass through `redact` (./redact.ts).
 */
import { describe, redact } from "./redact";

/**
 * Names of the vendor APIs, filled by each vendor folder through declaration merging
 * (`declare module "../core/errors" { interface VendorNames { acme: true } }`), so core names none.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VendorNames {}

/** Which vendor API an error came from. */
export type Vendor = Extract<keyof VendorNames, string>;

/**
 * What went wrong, coarsely:
 * - `vendor`: the API answered with a non-zero error code in its envelope;
 * - `transport`: no usable HTTP answer (connection refused or reset, timeout, HTTP 5xx);
 * - `protocol`: an answer arrived but was not the vendor's envelope (HTML page, empty or truncated body,
 *   wrong field types);
 * - `deadline`: retries were still failing when the overall deadline ran out.
 */
export type ErrorKind = "vendor" | "transport" | "protocol" | "deadline";

/**
 * The code of a failed call that got no vendor answer: ours (`ETIMEDOUT` for an attempt timeout,
 * `HTTP_502`, `BAD_JSON`, `EMPTY_BODY`, `BODY_TOO_LARGE`, `BAD_ENVELOPE`, `CLIENT_ERROR`,
 * `NETWORK_ERROR`) or Node's own (`ECONNREFUSED`, `ERR_SSL_WRONG_VERSION_NUMBER`, ...).
 */
export type TransportCode =
  | "ETIMEDOUT"
  | `HTTP_${number}`
  | "BAD_JSON"
  | "EMPTY_BODY"
  | "BODY_TOO_LARGE"
  | "BAD_ENVELOPE"
  | "CLIENT_ERROR"
  | "NETWORK_ERROR"
  | NodeErrorCode;

/** A Node.js or OpenSSL error code (`ECONNRESET`, `CERT_HAS_EXPIRED`): always upper case. */
export type NodeErrorCode = Uppercase<string>;

/** A vendor's numeric error code, or a {@link TransportCode}. */
export type ApiErrorCode = number | TransportCode;

/**
 * The code of every {@link RoomsError}: an API call's code, or one of the package's own failures.
 * `INPUTS_INVALID` is a room's inputs refused by the provider's check ({@link RoomInputsError}). The
 * local engine's (engine/) are `PROJECT_INVALID` (Pulumi.yaml or the stack file), `USAGE` (command line),
 * `PASSPHRASE_INCORRECT`, `STACK_LOCKED` (another operation holds the stack), and those of its
 * programmatic API (`pulumi-rooms/local`): `OPERATION_FAILED`, `OPERATION_CANCELLED` and `STACK_CLOSED`.
 */
export type RoomsErrorCode =
  | ApiErrorCode
  | "SETTINGS_INVALID"
  | "PARTIAL_FAILURE"
  | "SERIES_ARGUMENTS_INVALID"
  | "BODY_TOO_LARGE"
  | "PROJECT_INVALID"
  | "USAGE"
  | "PASSPHRASE_INCORRECT"
  | "STACK_LOCKED"
  | "INPUTS_INVALID"
  | "OPERATION_FAILED"
  | "OPERATION_CANCELLED"
  | "STACK_CLOSED";

// One symbol for every copy of this module (Symbol.for), as undici brands its errors (lib/core/errors.js).
const BRAND = Symbol.for("pulumi-rooms.error");

interface Branded {
  readonly [BRAND]?: readonly string[];
}

/**
 * The base of every error this package throws. `instanceof` checks a brand (the list of class names the
 * error was built as) instead of the prototype chain, so an error thrown by one loaded copy of the package
 * is recognised by another. Subclasses set a static `errorName` (bundlers may rename classes).
 */
export class RoomsError<C extends RoomsErrorCode = RoomsErrorCode> extends Error {
  /** The name this class answers `instanceof` to. */
  static readonly errorName: string = "RoomsError";

  readonly code: C;

  constructor(code: C, message: string) {
    super(message);
    this.code = code;
    const names: string[] = [];
    for (let c: unknown = new.target; typeof c === "function" && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.hasOwn(c, "errorName")) names.push((c as typeof RoomsError).errorName);
    }
    Object.defineProperty(this, BRAND, { value: names, enumerable: false });
    this.name = new.target.errorName;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (value === null || typeof value !== "object") return false;
    const names = (value as Branded)[BRAND];
    return Array.isArray(names) && names.includes(this.errorName);
  }
}

// Pulumi's Node.js runtime prints an unhandled error that passes `RunError.isInstance` (a true
// `__pulumiRunError` property: https://github.com/pulumi/pulumi/blob/master/sdk/nodejs/errors.ts) as its
// message alone, where any other error gets its stack trace. A RoomsError thrown by a program (a
// MeetingSeries argument, a setting) is the user's to fix and its message says how: no stack trace.
// Not enumerable, so util.inspect does not list it.
Object.defineProperty(RoomsError.prototype, "__pulumiRunError", { value: true });

/** Fields of a {@link RoomApiError}. */
export interface RoomApiErrorInit {
  readonly vendor: Vendor;
  /** The API operation, e.g. `create_room` or `CreateRoom`. */
  readonly operation: string;
  readonly kind: ErrorKind;
  /** Vendor error code, or a transport code such as `ETIMEDOUT`, `HTTP_502`, `BAD_JSON`. */
  readonly code: ApiErrorCode;
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
export class RoomApiError extends RoomsError<ApiErrorCode> {
  static override readonly errorName: string = "RoomApiError";
  readonly vendor: Vendor;
  readonly operation: string;
  readonly kind: ErrorKind;
  readonly vendorMessage: string;
  readonly requestId: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly attempts: number;

  constructor(init: RoomApiErrorInit) {
    const vendorMessage = redact(init.vendorMessage);
    super(init.code, formatMessage({ ...init, vendorMessage }));
    this.vendor = init.vendor;
    this.operation = init.operation;
    this.kind = init.kind;
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

/** An error that names every problem found at once: a headline, then one problem a line. */
export class ProblemsError<C extends RoomsErrorCode> extends RoomsError<C> {
  constructor(
    code: C,
    headline: string,
    readonly problems: readonly string[],
  ) {
    super(code, `${headline}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** An error in credentials or endpoint settings, listing every problem and how to fix it. */
export class SettingsError extends ProblemsError<"SETTINGS_INVALID"> {
  static override readonly errorName: string = "SettingsError";

  constructor(
    readonly vendor: Vendor,
    problems: readonly string[],
  ) {
    super("SETTINGS_INVALID", `${vendor} settings are incomplete or invalid`, problems);
  }
}

/**
 * A create or update that changed the room only in part (a vendor that applies attribute changes key by
 * key). The dynamic-provider host turns an error with `id` and `properties` into the engine's
 * ErrorResourceInitFailed: the engine records these outputs (what the room holds now) with the reasons,
 * shows the error, and updates the resource again on the next `pulumi up`. Without it, state would keep
 * outputs the room no longer has, or (on create) lose track of a room that exists. `properties` must hold
 * `__provider`, which the host adds only on success, or later refresh and destroy could not run.
 */
export class PartialFailureError extends RoomsError<"PARTIAL_FAILURE"> {
  static override readonly errorName: string = "PartialFailureError";
  /** What the engine shows as the resource's initialization errors. */
  readonly reasons: string[];

  constructor(
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly error: RoomApiError,
  ) {
    super("PARTIAL_FAILURE", error.message);
    this.reasons = [error.message];
  }
}

/** A response body over the size cap (core/http.ts turns it into a RoomApiError of kind `protocol`). */
export class BodyTooLargeError extends RoomsError<"BODY_TOO_LARGE"> {
  static override readonly errorName: string = "BodyTooLargeError";

  constructor(readonly maxBytes: number) {
    super("BODY_TOO_LARGE", `response body larger than ${maxBytes} bytes`);
  }
}

/** One broken rule of a room's inputs, as Pulumi's `CheckFailure`: the property path ("" for the resource itself) and why. */
export interface InputFailure {
  /** The property path as Pulumi shows it: `roomName`, `scheduleInvitees[3]`, `attributes.topic`; "" for the resource. */
  readonly property: string;
  /** The rule, the value's size or type, and how to fix it, word for word as `pulumi preview` reports it. */
  readonly reason: string;
}

/**
 * A room's inputs refused by the provider's check (the rules `pulumi preview` applies): every failure with
 * its property path. Thrown by the input checks the package exports for unit tests (provider/check-inputs.ts).
 */
export class RoomInputsError extends RoomsError<"INPUTS_INVALID"> {
  static override readonly errorName: string = "RoomInputsError";

  constructor(
    /** The resource type, as messages name it. */
    readonly resource: string,
    /** Every broken rule, in the order the check found them. */
    readonly failures: readonly InputFailure[],
    /** The resource's name, when the caller gave it. */
    readonly resourceName?: string,
  ) {
    super(
      "INPUTS_INVALID",
      `${resource}${resourceName ? ` "${resourceName}"` : ""} inputs are invalid:\n${failures
        .map((f) => `  - ${f.property ? `${f.property}: ` : ""}${f.reason}`)
        .join("\n")}`,
    );
  }
}
