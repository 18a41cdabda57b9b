/**
 * JSON over HTTP for both vendors: one keep-alive undici Agent per process, per-attempt timeouts, a body
 * size cap, and a retry loop with exponential backoff and full jitter under an overall deadline.
 * Which answers are retryable is the caller's decision (its `parse` throws a {@link RoomApiError} with
 * `retryable` set); transport failures (network errors, timeouts, HTTP 5xx) always are.
 */
import type { Agent, Dispatcher } from "undici";
import { classifyConnectionError, originText, type EndpointOrigin } from "./connection";
import { BodyTooLargeError, RoomApiError, type TransportCode, type Vendor } from "./errors";
import { describe, redact } from "./redact";

/** TCP/TLS connect timeout of the shared pool. The vendors' servers give up at 3 s; we wait longer. */
export const CONNECT_TIMEOUT_MS = 5_000;

/** Timeouts of one HTTP attempt. */
export interface HttpTimeouts {
  /** Whole attempt, from sending to the last body byte (default 10 s); also bounds a slow-drip body. */
  readonly attemptMs: number;
}

/** Retry policy: exponential backoff with full jitter, bounded by attempts and an overall deadline. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  /** First backoff ceiling; attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Total time for all attempts and backoffs, excluding time spent queued in the rate limiter. */
  readonly deadlineMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { attemptMs: 10_000 };
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 5_000, deadlineMs: 60_000 };

/** Largest response body accepted; vendor answers are a few KB. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** One HTTP exchange, as the vendor client describes it. */
export interface HttpCall {
  readonly method: "GET" | "POST";
  /** Absolute URL including any signed query string (never logged unredacted). */
  readonly url: string;
  /** JSON body for POST. */
  readonly body?: unknown;
}

/** A response whose body parsed as JSON. */
export interface JsonResponse {
  readonly status: number;
  readonly body: unknown;
}

/** Everything the retry loop needs to run one vendor operation. */
export interface CallSpec<T> {
  readonly vendor: Vendor;
  readonly operation: string;
  /** Builds the request for each attempt, so signatures, nonces and timestamps are fresh. */
  readonly build: () => HttpCall | Promise<HttpCall>;
  /** Called before every attempt to wait for the rate limiter; resolves with the milliseconds waited. */
  readonly pace?: () => Promise<number>;
  /** Told how each attempt ended (undefined: success), e.g. to slow the limiter down on a frequency limit. */
  readonly onAttempt?: (error: RoomApiError | undefined) => void;
  /** Turns the JSON answer into a result or throws a RoomApiError whose `retryable` the vendor decided. */
  readonly parse: (response: JsonResponse) => T;
  readonly retry?: Partial<RetryPolicy>;
  readonly timeouts?: Partial<HttpTimeouts>;
  /** Where the base URL came from, so a connection failure names the setting to fix. */
  readonly endpoint?: EndpointOrigin;
  /** Told about each failed attempt that will be retried (for debug logging). */
  readonly onRetry?: (error: RoomApiError, attempt: number, delayMs: number) => void;
}

let sharedAgent: Agent | undefined;
let undiciModule: typeof import("undici") | undefined;

/**
 * undici, loaded on the first request: check and diff (and so every `pulumi preview`) never send one,
 * and loading it costs about as much as the rest of the package, in every host's cold start.
 */
function undici(): typeof import("undici") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  undiciModule ??= require("undici") as typeof import("undici");
  return undiciModule;
}

let preloading = false;

/**
 * Starts loading undici on a later turn of the event loop, for a host that was configured with
 * credentials: its first request then finds it loaded instead of blocking the loop (and the pacing
 * permits it holds) for the length of a synchronous require. Preview without credentials never calls this.
 */
export function preloadHttp(): void {
  if (undiciModule || preloading) return;
  preloading = true;
  setImmediate(() => {
    try {
      undici();
    } catch {
      // The first request loads it again and reports why it cannot.
    }
  });
}

/** The process-wide keep-alive pool (one per host process, shared by every resource and vendor). */
export function agent(): Dispatcher {
  sharedAgent ??= new (undici().Agent)({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connections: 64,
    connect: { timeout: CONNECT_TIMEOUT_MS },
  });
  return sharedAgent;
}

/** Closes the shared pool (tests and the benchmark call this so the process can exit promptly). */
export async function closeAgent(): Promise<void> {
  const a = sharedAgent;
  sharedAgent = undefined;
  await a?.close();
}

/**
 * Sends one request and parses the JSON body. Throws a {@link RoomApiError} of kind `transport` (retryable)
 * for network errors, timeouts and HTTP 5xx, and of kind `protocol` for a body that is not JSON.
 */
export async function sendJson(
  call: HttpCall,
  ctx: { vendor: Vendor; operation: string; endpoint?: EndpointOrigin },
  timeouts: HttpTimeouts = DEFAULT_TIMEOUTS,
): Promise<JsonResponse> {
  const fail = (init: {
    kind: "transport" | "protocol";
    code: TransportCode;
    message: string;
    status?: number;
    retryable: boolean;
    cause?: unknown;
    hint?: string;
  }) =>
    new RoomApiError({
      vendor: ctx.vendor,
      operation: ctx.operation,
      kind: init.kind,
      code: init.code,
      vendorMessage: init.message,
      httpStatus: init.status,
      retryable: init.retryable,
      cause: init.cause,
      hint:
        init.hint ??
        (init.kind === "transport"
          ? `check that the ${ctx.vendor} endpoint is reachable${ctx.endpoint ? `; the URL comes from ${originText(ctx.endpoint)}` : ""}`
          : undefined),
    });

  const signal = AbortSignal.timeout(timeouts.attemptMs);
  let status: number;
  let text: string;
  try {
    const res = await undici().request(call.url, {
      method: call.method,
      dispatcher: agent(),
      signal,
      headers:
        call.body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      headersTimeout: timeouts.attemptMs,
      bodyTimeout: timeouts.attemptMs,
    });
    status = res.statusCode;
    text = await readCapped(res.body, MAX_BODY_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      throw fail({ kind: "protocol", code: "BODY_TOO_LARGE", message: err.message, retryable: false });
    }
    const timedOut = signal.aborted || /timeout/i.test(describe(err));
    if (timedOut)
      throw fail({
        kind: "transport",
        code: "ETIMEDOUT",
        message: `no answer within ${timeouts.attemptMs} ms`,
        retryable: true,
        cause: err,
      });
    const failure = classifyConnectionError(err, call.url, ctx.endpoint);
    throw fail({
      kind: "transport",
      code: failure.code,
      message: failure.message,
      retryable: failure.retryable,
      hint: failure.hint,
      cause: err,
    });
  }

  if (status >= 500) {
    throw fail({
      kind: "transport",
      code: `HTTP_${status}`,
      message: `HTTP ${status}: ${snippet(text)}`,
      status,
      retryable: true,
    });
  }
  if (text.trim() === "") {
    throw fail({
      kind: "protocol",
      code: "EMPTY_BODY",
      message: `HTTP ${status} with an empty body`,
      status,
      retryable: false,
    });
  }
  try {
    return { status, body: JSON.parse(text) as unknown };
  } catch {
    throw fail({
      kind: "protocol",
      code: "BAD_JSON",
      message: `HTTP ${status}, body is not JSON: ${snippet(text)}`,
      status,
      retryable: false,
    });
  }
}

/**
 * Runs a vendor operation with pacing, fresh signing per attempt, and retries of retryable failures with
 * exponential backoff and full jitter, until success, a non-retryable error, the attempt limit or the
 * deadline. Time spent waiting for the rate limiter does not count against the deadline: a stack of a
 * thousand rooms queues for its turn without being failed for it.
 */
export async function callWithRetry<T>(spec: CallSpec<T>, random: () => number = Math.random): Promise<T> {
  const policy = { ...DEFAULT_RETRY, ...spec.retry };
  const timeouts = { ...DEFAULT_TIMEOUTS, ...spec.timeouts };
  let deadline = Date.now() + policy.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    if (spec.pace) deadline += await spec.pace();
    let error: RoomApiError;
    try {
      // Whole milliseconds: the limiter's waits are fractional, and AbortSignal.timeout rejects fractions.
      const remaining = Math.max(1, Math.ceil(deadline - Date.now()));
      const call = await spec.build();
      const response = await sendJson(call, spec, { ...timeouts, attemptMs: Math.min(timeouts.attemptMs, remaining) });
      const result = spec.parse(response);
      spec.onAttempt?.(undefined);
      return result;
    } catch (err) {
      error = asRoomApiError(err, spec);
    }
    spec.onAttempt?.(error);
    if (!error.retryable) throw attempt > 1 ? error.withAttempts(attempt) : error;
    if (attempt >= policy.maxAttempts) throw error.withAttempts(attempt);
    const delay = backoffMs(attempt, policy, random);
    if (Date.now() + delay >= deadline) throw error.withAttempts(attempt, "deadline");
    spec.onRetry?.(error, attempt, delay);
    await sleep(delay);
  }
}

/** Full-jitter backoff for the given 1-based attempt number. */
export function backoffMs(
  attempt: number,
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function asRoomApiError(err: unknown, ctx: { vendor: Vendor; operation: string }): RoomApiError {
  if (err instanceof RoomApiError) return err;
  // A bug in a parser or builder is not a vendor answer: fail at once, with the text redacted.
  return new RoomApiError({
    vendor: ctx.vendor,
    operation: ctx.operation,
    kind: "protocol",
    code: "CLIENT_ERROR",
    vendorMessage: describe(err),
    retryable: false,
    cause: err,
  });
}

async function readCapped(
  body: AsyncIterable<Buffer | Uint8Array> & { destroy?: (err?: Error) => unknown },
  max: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy?.();
      throw new BodyTooLargeError(max);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return redact(flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || "(empty)");
}
