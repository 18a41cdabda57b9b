/**
 * Process-wide pacing. The Pulumi engine runs every independent resource step at once in one provider
 * host process, so without a shared limiter a stack of hundreds of rooms bursts far past the vendors'
 * documented rates. Limiters live in a registry on `globalThis`, keyed by (vendor, app, API) by default
 * (or (vendor, app) in the `app` scope), so every resource of every type in the host shares them, even if
 * two copies of this module are loaded.
 *
 * Each {@link RateLimiter} keeps a FIFO of waiting callers and one timer: no polling, O(1) per grant, and a
 * rate change (adaptive slow-down, new settings) applies at once to every caller still waiting.
 */

/** Where a limiter applies: one per API of an app (each vendor page states its own limit), or one per app. */
export type RateLimitScope = "api" | "app";

/** How a limiter is sized. */
export interface RateSpec {
  /**
   * The documented limit: requests allowed in any window of one second. `0` or less disables the limiter
   * (every take returns at once).
   */
  readonly limit: number;
}

/** Tuning of {@link RateLimiter}; the defaults fit the vendors' "N requests per second" limits. */
export interface LimiterOptions {
  /**
   * The window, in ms, in which at most `limit` requests are granted: one second plus a margin for the
   * time between a grant here and the request's arrival at the vendor, whose clock decides (default 1050).
   */
  readonly windowMs: number;
  /** Factor applied to the rate after a frequency-limit answer (multiplicative decrease, default 0.7). */
  readonly beta: number;
  /** Seconds after a slow-down in which the rate grows back to where it was refused (default 8). */
  readonly recoverSeconds: number;
  /**
   * The rate never goes below this share of the nominal one (default 0.25): a deployment uses a handful
   * of an app's APIs at once, so a quarter each still fits one limit shared by the app, and refusals that
   * are not about rate at all (a vendor's hiccup) cannot starve the stack.
   */
  readonly floorShare: number;
  /**
   * How far ahead of its even-spacing slot a grant may go (default 25 ms): timers fire late, and without
   * this slack every late timer would push the schedule back and the rate would sag under load.
   */
  readonly toleranceMs: number;
  /**
   * How much of its schedule a limiter makes up after the event loop stalled longer than the slack
   * (default 0). Making up sends the stalled requests together, and on a loaded machine requests that
   * leave together arrive bunched: the bench drew more refusals with 100 ms than it gained in rate.
   */
  readonly catchUpMs: number;
}

export const DEFAULT_LIMITER_OPTIONS: LimiterOptions = { windowMs: 1_050, beta: 0.7, recoverSeconds: 8, floorShare: 0.25, toleranceMs: 25, catchUpMs: 0 };

/** What a granted caller gets back: how long it waited, and the grant's time (for {@link RateLimiter.feedback}). */
export interface Permit {
  readonly waitedMs: number;
  readonly grantedAt: number;
}

/** The clock and timer a limiter runs on (tests replace both). */
export interface Timers {
  now(): number;
  schedule(fn: () => void, ms: number): void;
}

const REAL_TIMERS: Timers = {
  now: () => performance.timeOrigin + performance.now(),
  schedule: (fn, ms) => {
    setTimeout(fn, ms);
  },
};

interface Waiter {
  readonly since: number;
  readonly resolve: (permit: Permit) => void;
}

/**
 * A pacing limiter with two rules, both checked before each grant:
 *
 * 1. **Sliding log**: at most `limit` grants in any window of `windowMs` (a ring buffer of the last
 *    `limit` grant times). This is the hard guarantee: no one-second window at the vendor, sliding or
 *    wall-clock, sees more than the limit, whatever the timers do.
 * 2. **Even spacing** (GCRA): one grant every `1000 / rate` ms, where the nominal rate is `limit` per
 *    `windowMs`, so the log rarely has to hold anyone back and requests arrive evenly rather than in
 *    clumps. A grant may run up to `toleranceMs` ahead of its slot, which absorbs late timers without
 *    letting more than a few requests through together.
 *
 * The rate adapts like the AWS SDKs' adaptive retry mode (a CUBIC-style controller): a frequency-limit
 * answer multiplies it by `beta`, and successes let it grow back along a cubic curve that reaches the
 * rate it was refused at after `recoverSeconds`, flattens there, then probes above it up to the nominal
 * rate. A refusal of a request granted before the last slow-down does not slow it down again (that
 * request was sent under the old rate), so a burst of refusals from one overshoot costs one decrease.
 */
export class RateLimiter {
  private spec: RateSpec;
  private readonly options: LimiterOptions;
  private log: number[] = [];
  private logIndex = 0;
  private readonly queue: Waiter[] = [];
  private head = 0;
  private tat = 0; // theoretical time of the next grant (GCRA)
  private timerAt: number | undefined;
  // Adaptive state: the current rate (per second), and the cubic's anchor after the last slow-down.
  private current = 0;
  private lastMax = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private decreases = 0;

  constructor(
    spec: RateSpec,
    private readonly timers: Timers = REAL_TIMERS,
    options: Partial<LimiterOptions> = {},
  ) {
    this.options = { ...DEFAULT_LIMITER_OPTIONS, ...options };
    this.spec = { limit: 0 };
    this.configure(spec);
  }

  /** Waits for this caller's turn; resolves with the milliseconds waited and the grant time. */
  take(): Promise<Permit> {
    const now = this.timers.now();
    if (this.spec.limit <= 0) return Promise.resolve({ waitedMs: 0, grantedAt: now });
    return new Promise<Permit>((resolve) => {
      this.queue.push({ since: now, resolve });
      this.pump();
    });
  }

  /**
   * Reports the vendor's answer to a request sent with `permit`: `throttled` for a frequency-limit
   * answer (slows down), otherwise any answer that got past the vendor's limiter (lets the rate grow).
   */
  feedback(permit: Permit, throttled: boolean): void {
    if (this.spec.limit <= 0) return;
    const now = this.timers.now();
    if (throttled) {
      // One slow-down per overshoot: a request granted before the last slow-down was sent under the old rate.
      if (permit.grantedAt <= this.lastDecreaseAt) return;
      // What was actually sent counts, not the ceiling (a limiter that was not saturated was not the
      // problem at its ceiling): the AWS SDKs anchor on the measured send rate too.
      const sent = Math.min(this.current, this.measuredRate(now));
      // Refused again below the last anchor: others share the limit (another API, another process), so
      // anchor lower than where it was refused (CUBIC's "fast convergence"), or every limiter keeps
      // probing back to a sum over the limit.
      this.lastMax = Math.max(this.floor(), sent < this.lastMax ? (sent * (1 + this.options.beta)) / 2 : sent);
      this.current = Math.max(this.floor(), sent * this.options.beta);
      this.lastDecreaseAt = now;
      this.decreases += 1;
      return;
    }
    if (this.current >= this.nominal()) return;
    const t = (now - this.lastDecreaseAt) / 1000;
    const k = this.options.recoverSeconds;
    // Scale the cubic to the anchor so every limit recovers over the same time.
    const c = (this.lastMax * (1 - this.options.beta)) / k ** 3;
    const cubic = this.lastMax + c * (t - k) ** 3;
    this.current = Math.min(this.nominal(), Math.max(this.current, cubic));
  }

  /** Changes the limit (for example when settings are resolved); callers waiting are paced by the new one. */
  configure(spec: RateSpec): void {
    const limit = spec.limit > 0 ? spec.limit : 0;
    const changed = limit !== this.spec.limit;
    this.spec = { limit };
    if (!changed) return;
    const size = Math.max(1, Math.floor(limit));
    // Keep the most recent grants, so a resize never opens a window for a burst.
    const recent = this.recentGrants().slice(-size);
    this.log = [...new Array<number>(size - recent.length).fill(Number.NEGATIVE_INFINITY), ...recent];
    this.logIndex = 0;
    this.current = this.nominal();
    this.lastMax = this.current;
    this.lastDecreaseAt = Number.NEGATIVE_INFINITY;
    if (limit <= 0) this.releaseAll();
    else this.pump();
  }

  get rate(): RateSpec {
    return this.spec;
  }

  /** Whether this limiter granted anything in the last window (it takes part in the app's rate). */
  get busy(): boolean {
    return this.measuredRate(this.timers.now()) > 0;
  }

  /** The current pacing rate per second (the nominal one unless frequency-limit answers slowed it). */
  get currentRate(): number {
    return this.current;
  }

  /** The rate without any slow-down: `limit` per `windowMs`, per second. */
  nominal(): number {
    return this.spec.limit <= 0 ? 0 : (Math.floor(this.spec.limit) * 1000) / this.options.windowMs;
  }

  /** How many times frequency-limit answers slowed this limiter down (for tests and debug output). */
  get slowDowns(): number {
    return this.decreases;
  }

  /** Callers waiting (for tests). */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /**
   * Grants allowed in one window now: the limit, or fewer after a slow-down. Tying the window's cap to
   * the rate makes a slow-down also hold grants back until enough of the last window's grants have aged
   * out, which is when a vendor counting a sliding window has room again.
   */
  private cap(): number {
    return Math.max(1, Math.min(this.log.length, Math.floor((this.current * this.options.windowMs) / 1000)));
  }

  /** The time of the n-th most recent grant (n >= 1), or -Infinity when there were fewer. */
  private nthLatestGrant(n: number): number {
    const size = this.log.length;
    return this.log[(((this.logIndex - n) % size) + size) % size] ?? Number.NEGATIVE_INFINITY;
  }

  /** Grants in the last window, per second. */
  private measuredRate(now: number): number {
    let n = 0;
    for (const t of this.log) if (t > now - this.options.windowMs) n += 1;
    return (n * 1000) / this.options.windowMs;
  }

  private floor(): number {
    return Math.max(this.nominal() * this.options.floorShare, 0.1);
  }

  private pump(): void {
    const now = this.timers.now();
    while (this.head < this.queue.length) {
      const oldest = this.nthLatestGrant(this.cap());
      const earliest = Math.max(this.tat - this.options.toleranceMs, oldest + this.options.windowMs);
      if (earliest > now) {
        this.compact();
        this.wakeAt(earliest, now);
        return;
      }
      const waiter = this.queue[this.head] as Waiter;
      this.head += 1;
      this.log[this.logIndex] = now;
      this.logIndex = (this.logIndex + 1) % this.log.length;
      // Catch up only on time lost while this caller waited: an idle limiter starts its schedule afresh.
      this.tat = Math.max(this.tat, waiter.since, now - this.options.catchUpMs) + 1000 / this.current;
      waiter.resolve({ waitedMs: now - waiter.since, grantedAt: now });
    }
    this.compact();
  }

  /** Drops the served prefix of the queue now and then, so the array does not grow without bound. */
  private compact(): void {
    if (this.head === 0 || (this.head < 1024 && this.head < this.queue.length)) return;
    this.queue.splice(0, this.head);
    this.head = 0;
  }

  private wakeAt(at: number, now: number): void {
    if (this.timerAt !== undefined && this.timerAt <= at) return;
    this.timerAt = at;
    this.timers.schedule(() => {
      if (this.timerAt === at) this.timerAt = undefined;
      this.pump();
    }, at - now);
  }

  private releaseAll(): void {
    const now = this.timers.now();
    for (let i = this.head; i < this.queue.length; i++) {
      const waiter = this.queue[i] as Waiter;
      waiter.resolve({ waitedMs: now - waiter.since, grantedAt: now });
    }
    this.queue.length = 0;
    this.head = 0;
  }

  private recentGrants(): number[] {
    const ordered = [...this.log.slice(this.logIndex), ...this.log.slice(0, this.logIndex)];
    return ordered.filter((t) => t !== Number.NEGATIVE_INFINITY);
  }
}

/**
 * Minimum spacing between operations on the same key, e.g. Tencent's "the same room ID can be created
 * at most once per second" (create_room 100012). Each call reserves the key's next slot.
 */
export class KeySpacing {
  private readonly last = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Waits until at least `intervalMs` after the previous call for `key`; resolves with the ms waited. */
  take(key: string, intervalMs: number): Promise<number> {
    const now = this.now();
    const previous = this.last.get(key);
    const slot = previous === undefined ? now : Math.max(now, previous + intervalMs);
    this.last.set(key, slot);
    // Forget the key once its slot is old enough not to matter, so the map stays small.
    const forget = setTimeout(() => {
      if (this.last.get(key) === slot) this.last.delete(key);
    }, slot - now + intervalMs);
    forget.unref();
    const wait = slot - now;
    return wait <= 0 ? Promise.resolve(0) : delay(wait).then(() => wait);
  }

  /** Keys currently remembered (for tests). */
  get size(): number {
    return this.last.size;
  }
}

interface Registry {
  limiters: Map<string, RateLimiter>;
  spacing: Map<string, KeySpacing>;
}

// v2: the limiter's interface changed (permits, feedback); a v1 copy of this module keeps its own.
const REGISTRY = Symbol.for("pulumi-rooms.pace.v2");

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= { limiters: new Map(), spacing: new Map() };
  return holder[REGISTRY];
}

/**
 * The registry key of the limiter for one request: `<vendor>:<app>:<api>` in the `api` scope,
 * `<vendor>:<app>` in the `app` scope.
 */
export function limiterKey(vendor: string, app: string | number, api: string, scope: RateLimitScope): string {
  return scope === "api" ? `${vendor}:${app}:${api}` : `${vendor}:${app}`;
}

/**
 * Every limiter of one app (`<vendor>:<app>`), whatever its API: when the vendor says its app-wide limit
 * was hit, all of them share the blame.
 */
export function limitersOfApp(vendor: string, app: string | number): RateLimiter[] {
  const prefix = `${vendor}:${app}`;
  return [...registry().limiters].filter(([key]) => key === prefix || key.startsWith(`${prefix}:`)).map(([, limiter]) => limiter);
}

/**
 * The shared limiter for `key` (see {@link limiterKey}), created with `spec` on first use and re-sized to
 * `spec` on later calls so a changed setting takes effect.
 */
export function limiterFor(key: string, spec: RateSpec): RateLimiter {
  const limiters = registry().limiters;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new RateLimiter(spec);
    limiters.set(key, limiter);
  } else if (limiter.rate.limit !== spec.limit) {
    limiter.configure(spec);
  }
  return limiter;
}

/** The shared per-key spacing for `scope` (e.g. `tencent:1400000001:create_room`). */
export function spacingFor(scope: string): KeySpacing {
  const spacing = registry().spacing;
  let s = spacing.get(scope);
  if (!s) {
    s = new KeySpacing();
    spacing.set(scope, s);
  }
  return s;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
