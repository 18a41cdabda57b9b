/**
 * Server-side frequency limits as the vendors document them ("N requests per second"), in both readings
 * a client must survive: counted per API (each vendor page states the limit for its own command/action,
 * the default) or for all of an app's requests together; over any sliding one-second window (the
 * default, the stricter count) or per wall-clock second (a gateway's fixed counter, which lets up to
 * twice the limit through across a second boundary).
 */

/** Whose requests share one count: each API of an app, or the whole app. */
export type RateScope = "api" | "app";
/** How a second is counted: any window of 1000 ms ending at the request, or the wall-clock second. */
export type RateWindow = "sliding" | "fixed";

/** How the limits of an emulated vendor are counted. */
export interface RateMode {
  readonly scope: RateScope;
  readonly window: RateWindow;
}

export const DEFAULT_RATE_MODE: RateMode = { scope: "api", window: "sliding" };

/** A vendor's rate-limit options (each vendor's handler documents its default). */
export interface RateOptions {
  /** Requests per second (per API, or per app: `rateMode.scope`), or false for no limit [the vendor's documented rate]. */
  readonly ratePerSecond?: number | false;
  /** How the limit is counted [per API, over a sliding second]. */
  readonly rateMode?: Partial<RateMode>;
}

const SCOPES: readonly RateScope[] = ["api", "app"];
const WINDOWS: readonly RateWindow[] = ["sliding", "fixed"];

/** Checks a (partial) mode from outside (CLI, admin endpoint); throws naming the field and its values. */
export function validateRateMode(input: unknown): Partial<RateMode> {
  if (input === null || typeof input !== "object" || Array.isArray(input))
    throw new Error("the rate mode must be an object");
  const { scope, window, ...rest } = input as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) throw new Error(`unknown rate mode field ${JSON.stringify(unknown[0])} (fields: scope, window)`);
  if (scope !== undefined && !SCOPES.includes(scope as RateScope))
    throw new Error(`scope must be "api" or "app", not ${JSON.stringify(scope)}`);
  if (window !== undefined && !WINDOWS.includes(window as RateWindow))
    throw new Error(`window must be "sliding" or "fixed", not ${JSON.stringify(window)}`);
  return {
    ...(scope === undefined ? {} : { scope: scope as RateScope }),
    ...(window === undefined ? {} : { window: window as RateWindow }),
  };
}

/**
 * Counts requests per app, or per app and API, as its scope says, and refuses those over the limit.
 * Refused requests do not count: the vendors reject them before they run.
 */
export class WindowRateLimiter {
  private windowStart = -1;
  private readonly counts = new Map<string, number>();
  // Sliding: per key, the times of the last `limit` accepted requests (a ring, oldest at `next`).
  private readonly logs = new Map<string, { times: number[]; next: number }>();
  private countScope: RateScope;
  private countWindow: RateWindow;

  /** @param limitPerSecond requests allowed per key per second; `false` turns the limit off. */
  constructor(
    private limitPerSecond: number | false,
    private readonly now: () => number = Date.now,
    mode: Partial<RateMode> = {},
  ) {
    this.countScope = mode.scope ?? DEFAULT_RATE_MODE.scope;
    this.countWindow = mode.window ?? DEFAULT_RATE_MODE.window;
  }

  /**
   * Counts one request of `app` to `api`; false when it is over the limit (the request must be refused).
   * Which count it joins (the API's or the whole app's) is the scope's choice.
   */
  tryTake(app: string, api: string): boolean {
    const key = this.countScope === "api" ? `${app}:${api}` : app;
    const limit = this.limitPerSecond;
    if (limit === false) return true;
    if (limit < 1) return false;
    const now = this.now();
    if (this.countWindow === "fixed") {
      const second = Math.floor(now / 1000);
      if (second !== this.windowStart) {
        this.windowStart = second;
        this.counts.clear();
      }
      const used = this.counts.get(key) ?? 0;
      if (used >= limit) return false;
      this.counts.set(key, used + 1);
      return true;
    }
    let log = this.logs.get(key);
    if (!log) {
      log = { times: [], next: 0 };
      this.logs.set(key, log);
    }
    if (log.times.length < limit) {
      log.times.push(now);
      return true;
    }
    // The limit-th most recent accepted request must have left the window (1000 ms ending now).
    if ((log.times[log.next] as number) > now - 1000) return false;
    log.times[log.next] = now;
    log.next = (log.next + 1) % log.times.length;
    return true;
  }

  setLimit(limitPerSecond: number | false): void {
    this.limitPerSecond = limitPerSecond;
    this.reset();
  }

  /** Changes how the limit is counted (per API or per app; sliding or wall-clock second); counts restart. */
  setMode(mode: Partial<RateMode>): void {
    if (mode.scope !== undefined) this.countScope = mode.scope;
    if (mode.window !== undefined) this.countWindow = mode.window;
    this.reset();
  }

  get limit(): number | false {
    return this.limitPerSecond;
  }

  /** The limit and how it is counted. */
  get mode(): { readonly perSecond: number | false } & RateMode {
    return { perSecond: this.limitPerSecond, scope: this.countScope, window: this.countWindow };
  }

  reset(): void {
    this.counts.clear();
    this.logs.clear();
    this.windowStart = -1;
  }
}
