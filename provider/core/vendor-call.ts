/**
 * One call of a vendor's API, wired the same way for every vendor: the process-wide limiter of (vendor,
 * app, API) at the settings' rate (pace-registry.ts), retries under the deadline with the client's policy
 * (http.ts), a debug line per retry (log.ts), and the endpoint's origin for connection errors. The client
 * brings what differs: the request of each attempt and the reading of its envelope.
 */
import { RoomApiError, type Vendor } from "./errors";
import { callWithRetry, type HttpCall, type HttpTimeouts, type JsonResponse, type RetryPolicy } from "./http";
import { logRetry } from "./log";
import { pacedCall, type RateLimitScope } from "./pace-registry";
import type { Origin } from "./settings";

/** A vendor client's options (tests shorten the retries and timeouts). */
export interface VendorClientOptions {
  readonly retry?: Partial<RetryPolicy>;
  readonly timeouts?: Partial<HttpTimeouts>;
}

/** The settings a call is paced by. */
export interface PacingSettings extends Origin {
  /** Requests per second (0: pacing off). */
  readonly requestsPerSecond: number;
  readonly rateLimitScope: RateLimitScope;
}

/** What differs from vendor to vendor in one call. */
export interface VendorCall<T> {
  readonly vendor: Vendor;
  /** The app the vendor counts the rate of. */
  readonly app: string | number;
  /** The API (command or action) called. */
  readonly operation: string;
  /** Vendor codes that slow this API's limiter down, and those of the app's own limit (all APIs together). */
  readonly codes: { readonly slowDown: ReadonlySet<number>; readonly appWide: ReadonlySet<number> };
  /** A wait that comes before the rate slot, e.g. a same-room spacing. */
  readonly before?: () => Promise<number>;
  /** The request of each attempt (signed afresh). */
  readonly build: () => HttpCall | Promise<HttpCall>;
  /** The result, or a RoomApiError from the vendor's envelope. */
  readonly parse: (response: JsonResponse) => T;
}

/** Sends `call` paced by `settings`, retried by `options`. */
export function callVendor<T>(settings: PacingSettings, options: VendorClientOptions, call: VendorCall<T>): Promise<T> {
  const { vendor, operation } = call;
  return callWithRetry({
    vendor,
    operation,
    endpoint: settings.endpointOrigin,
    // An extra wait (`before`) comes first: a rate slot taken before it would be used only after it, and
    // requests released together from that wait would burst past the rate.
    ...pacedCall({
      vendor,
      app: call.app,
      api: operation,
      scope: settings.rateLimitScope,
      limit: settings.requestsPerSecond,
      slowDown: call.codes.slowDown,
      appWide: call.codes.appWide,
      before: call.before,
    }),
    build: call.build,
    parse: call.parse,
    retry: options.retry,
    timeouts: options.timeouts,
    onRetry: logRetry(vendor, operation),
  });
}

/** An answer that is not the vendor's envelope: a protocol error, never retried. */
export function badEnvelope(vendor: Vendor, operation: string, message: string, requestId?: string): RoomApiError {
  return new RoomApiError({
    vendor,
    operation,
    kind: "protocol",
    code: "BAD_ENVELOPE",
    vendorMessage: message,
    requestId,
    retryable: false,
  });
}
