/**
 * Process-wide pacing. The Pulumi engine runs every independent resource step at once in one provider
 * host process, so without a shared limiter a stack of hundreds of rooms bursts far past the vendors'
 * documented rates. Limiters live in a registry on `globalThis`, keyed by (vendor, app), so every resource
 * of every type in the host shares them, even if two copies of this module are loaded.
 *
 * Each call reserves a time slot (a GCRA-style schedule) and sleeps once until it: no polling, O(1) per
 * call, and the rate holds for any number of concurrent callers.
 */

/** How a limiter is sized. */
export interface RateSpec {
  /** Sustained requests per second. `0` or less disables the limiter (every take returns at once). */
  readonly perSecond: number;
  /** Requests that may go back to back before pacing starts (at least 1). */
  readonly burst: number;
}

/**
 * A token-bucket limiter: at most `burst` requests at once, then one every `1000 / perSecond` ms.
 * In any window of one second it lets through at most `perSecond + burst` requests.
 */
export class RateLimiter {
  private nextFree = 0; // theoretical arrival time of the next request (ms)
  private spec: RateSpec;

  constructor(spec: RateSpec, private readonly now: () => number = Date.now) {
    this.spec = normalise(spec);
  }

  /** Waits for this caller's slot; resolves with the milliseconds waited. */
  take(): Promise<number> {
    const { perSecond, burst } = this.spec;
    if (perSecond <= 0) return Promise.resolve(0);
    const interval = 1000 / perSecond;
    const now = this.now();
    const tolerance = (burst - 1) * interval;
    const slot = Math.max(now, this.nextFree - tolerance);
    this.nextFree = Math.max(this.nextFree, now) + interval;
    const wait = slot - now;
    return wait <= 0 ? Promise.resolve(0) : delay(wait).then(() => wait);
  }

  /** Changes the rate (for example when settings are resolved); slots already handed out stand. */
  configure(spec: RateSpec): void {
    this.spec = normalise(spec);
  }

  get rate(): RateSpec {
    return this.spec;
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

const REGISTRY = Symbol.for("pulumi-rooms.pace.v1");

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= { limiters: new Map(), spacing: new Map() };
  return holder[REGISTRY];
}

/**
 * The shared limiter for `key` (e.g. `tencent:1400000001`), created with `spec` on first use and
 * re-sized to `spec` on later calls so a changed setting takes effect.
 */
export function limiterFor(key: string, spec: RateSpec): RateLimiter {
  const limiters = registry().limiters;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new RateLimiter(spec);
    limiters.set(key, limiter);
  } else if (limiter.rate.perSecond !== spec.perSecond || limiter.rate.burst !== spec.burst) {
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

/**
 * The limiter size for a vendor's documented rate: a little under the limit with a small burst, so that
 * in any one-second window the requests sent stay at or under `documentedPerSecond` even when timers
 * fire late. `0` disables pacing.
 */
export function paceForLimit(documentedPerSecond: number, headroom = 0.95): RateSpec {
  if (documentedPerSecond <= 0) return { perSecond: 0, burst: 1 };
  const perSecond = documentedPerSecond * headroom;
  const burst = Math.max(1, Math.floor(documentedPerSecond - perSecond));
  return { perSecond, burst };
}

function normalise(spec: RateSpec): RateSpec {
  return { perSecond: spec.perSecond, burst: Math.max(1, Math.floor(spec.burst)) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
