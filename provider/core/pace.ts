/**
 * The pacing limiter. The Pulumi engine runs every independent resource step at once in one provider
 * host process, so without a shared limiter a stack of hundreds of rooms bursts far past the vendors'
 * documented rates; pace-registry.ts shares one limiter per (vendor, app, API) across the process.
 *
 * Each {@link RateLimiter} keeps a FIFO of waiting callers and one timer: no polling, O(1) per grant, and a
 * rate change (adaptive slow-down, new settings) applies at once to every caller still waiting.
 */

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
   * How long, in ms, a request keeps counting after its answer came back: the vendor's one-second window
   * plus a margin for the two clocks' rounding (default 1005). See {@link RateLimiter} for why it counts
   * from the answer, not from the grant.
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
   * (default 250 ms): a host receiving a thousand calls at once fires its timers late for a second or
   * so, and without catching up that time is lost for good. Requests made up leave together, which the
   * held-permit rule makes safe (it does not assume they arrive spaced).
   */
  readonly catchUpMs: number;
  /**
   * A permit never released (a caller that lost it) stops counting this long after its grant (default
   * 120 s, far past any attempt's timeout), so a leak slows the limiter for a while instead of for good.
   */
  readonly holdLimitMs: number;
}

export const DEFAULT_LIMITER_OPTIONS: LimiterOptions = {
  windowMs: 1_005,
  beta: 0.7,
  recoverSeconds: 8,
  floorShare: 0.25,
  toleranceMs: 25,
  catchUpMs: 250,
  holdLimitMs: 120_000,
};

/**
 * A granted request's slot: how long it waited and when it was granted. Hand it back with
 * {@link RateLimiter.feedback} when the vendor answered, or {@link RateLimiter.release} when the attempt
 * ended without an answer; until then it counts as in flight.
 */
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
 * 1. **Held permits**: a request holds a permit from its grant until `windowMs` after its answer came
 *    back, and at most `limit` permits are held at once. The vendor counts a request when it arrives,
 *    which is some time between our grant and our receipt of the answer; so if every earlier request
 *    that could share a one-second window with this one at the vendor (in flight, or answered less
 *    than a second ago) holds a permit, no window at the vendor, sliding or wall-clock, ever sees more
 *    than the limit, however late or bunched the requests travel. A margin counted from the grant (the
 *    first version's 1050 ms) holds only while the trip takes less than the margin, and on a loaded
 *    machine it sometimes did not. The price is one round trip per window: at 5 ms it is 0.5 %.
 * 2. **Even spacing** (GCRA): one grant every `1000 / rate` ms, so requests leave evenly rather than in
 *    clumps. A grant may run up to `toleranceMs` ahead of its slot, which absorbs late timers without
 *    letting more than a few requests through together.
 *
 * The rate adapts like the AWS SDKs' adaptive retry mode (a CUBIC-style controller): a frequency-limit
 * answer multiplies it by `beta` (and the permits with it), and successes let it grow back along a cubic
 * curve that reaches the rate it was refused at after `recoverSeconds`, flattens there, then probes above
 * it up to the nominal rate. A refusal of a request granted before the last slow-down does not slow it
 * down again (that request was sent under the old rate), so a burst of refusals from one overshoot costs
 * one decrease.
 */
export class RateLimiter {
  private spec: RateSpec;
  private readonly options: LimiterOptions;
  /** Permits granted and not yet handed back, in grant order. */
  private readonly open = new Set<Permit>();
  /** When each handed-back permit stops counting; non-decreasing, so a FIFO. */
  private expiries: number[] = [];
  private expiryHead = 0;
  private readonly queue: Waiter[] = [];
  private head = 0;
  private tat = 0; // theoretical time of the next grant (GCRA)
  private timerAt: number | undefined;
  // Adaptive state: the current rate (per second), and the cubic's anchor after the last slow-down.
  private current = 0;
  private lastMax = 0;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private decreases = 0;
  /** When the limiter last went from holding no permit to holding one. */
  private busySince = Number.NEGATIVE_INFINITY;

  constructor(
    spec: RateSpec,
    private readonly timers: Timers = REAL_TIMERS,
    options: Partial<LimiterOptions> = {},
  ) {
    this.options = { ...DEFAULT_LIMITER_OPTIONS, ...options };
    this.spec = { limit: 0 };
    this.configure(spec);
  }

  /** Waits for this caller's turn; resolves with the permit to hand back when the request is over. */
  take(): Promise<Permit> {
    const now = this.timers.now();
    if (this.spec.limit <= 0) return Promise.resolve({ waitedMs: 0, grantedAt: now });
    return new Promise<Permit>((resolve) => {
      this.queue.push({ since: now, resolve });
      this.pump();
    });
  }

  /**
   * Hands back a permit whose request ended without a vendor answer (a transport failure, a timeout):
   * it keeps counting for a window from now, as the request may have reached the vendor. Idempotent.
   */
  release(permit: Permit): void {
    if (!this.open.delete(permit)) return;
    this.expiries.push(this.timers.now() + this.options.windowMs);
    this.pump();
  }

  /**
   * Hands back a permit whose request the vendor answered: `throttled` for a frequency-limit answer
   * (slows down), otherwise any answer that got past the vendor's limiter (lets the rate grow).
   */
  feedback(permit: Permit, throttled: boolean): void {
    this.release(permit);
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
    // A higher rate may hold more permits: let waiting callers use them now.
    this.pump();
  }

  /** Changes the limit (for example when settings are resolved); callers waiting are paced by the new one. */
  configure(spec: RateSpec): void {
    const limit = spec.limit > 0 ? spec.limit : 0;
    const changed = limit !== this.spec.limit;
    this.spec = { limit };
    if (!changed) return;
    // Permits held stay held: a resize never opens room for a burst over the last window.
    this.current = this.nominal();
    this.lastMax = this.current;
    this.lastDecreaseAt = Number.NEGATIVE_INFINITY;
    if (limit <= 0) this.releaseAll();
    else this.pump();
  }

  get rate(): RateSpec {
    return this.spec;
  }

  /** Whether this limiter has a request in flight or answered within the last window (it takes part in the app's rate). */
  get busy(): boolean {
    return this.held(this.timers.now()) > 0;
  }

  /** The current pacing rate per second (the nominal one unless frequency-limit answers slowed it). */
  get currentRate(): number {
    return this.current;
  }

  /** The rate without any slow-down: the limit, per second. */
  nominal(): number {
    return this.spec.limit <= 0 ? 0 : Math.floor(this.spec.limit);
  }

  /** How many times frequency-limit answers slowed this limiter down (for tests and debug output). */
  get slowDowns(): number {
    return this.decreases;
  }

  /** Callers waiting (for tests). */
  get waiting(): number {
    return this.queue.length - this.head;
  }

  /** Permits held now: in flight, or answered within the last window (for tests). */
  get holding(): number {
    return this.held(this.timers.now());
  }

  /**
   * Permits allowed at once now: the limit, or fewer after a slow-down. Tying the cap to the rate makes a
   * slow-down also hold grants back until enough of the last window's requests have aged out, which is
   * when a vendor counting a sliding window has room again.
   */
  private cap(): number {
    return Math.max(1, Math.min(this.nominal(), Math.floor(this.current)));
  }

  /** Drops expired hand-backs and stale permits; returns the permits still held at `now`. */
  private held(now: number): number {
    while (this.expiryHead < this.expiries.length && (this.expiries[this.expiryHead] as number) <= now)
      this.expiryHead += 1;
    if (this.expiryHead > 1024 && this.expiryHead * 2 > this.expiries.length) {
      this.expiries = this.expiries.slice(this.expiryHead);
      this.expiryHead = 0;
    }
    for (const permit of this.open) {
      if (permit.grantedAt + this.options.holdLimitMs > now) break;
      this.open.delete(permit);
      this.expiries.push(now + this.options.windowMs);
    }
    return this.open.size + this.expiries.length - this.expiryHead;
  }

  /** When enough held permits will have expired for one more, or undefined if that waits on an answer. */
  private roomAt(held: number): number | undefined {
    const index = this.expiryHead + held - this.cap();
    const expiry = this.expiries[index];
    if (expiry !== undefined) return expiry;
    // Waiting on answers: wake at the latest when the oldest open permit turns stale.
    const oldest = this.open.values().next();
    return oldest.done ? undefined : oldest.value.grantedAt + this.options.holdLimitMs;
  }

  /**
   * The send rate per second: the permits held (requests in flight or answered within about a second)
   * over the time they span, which is shorter than a window when the limiter has just become busy (a
   * phase's first requests): counting them over a whole window would read a limiter refused in its
   * first tenth of a second as nearly idle, and anchor its recovery at the floor.
   */
  private measuredRate(now: number): number {
    const span = Math.min(1000, now - this.busySince + 1000 / this.current);
    return (this.held(now) * 1000) / span;
  }

  private floor(): number {
    return Math.max(this.nominal() * this.options.floorShare, 0.1);
  }

  private pump(): void {
    const now = this.timers.now();
    while (this.head < this.queue.length) {
      const held = this.held(now);
      // The spacing slot, and when every permit is held, a freed one (an expiry; an answer pumps itself).
      const readyAt = Math.max(
        this.tat - this.options.toleranceMs,
        held >= this.cap() ? (this.roomAt(held) ?? Infinity) : -Infinity,
      );
      if (readyAt > now) {
        this.compact();
        if (readyAt !== Infinity) this.wakeAt(readyAt, now);
        return;
      }
      const waiter = this.queue[this.head] as Waiter;
      this.head += 1;
      if (held === 0) this.busySince = now;
      const permit: Permit = { waitedMs: now - waiter.since, grantedAt: now };
      this.open.add(permit);
      // Catch up only on time lost while this caller waited: an idle limiter starts its schedule afresh.
      this.tat = Math.max(this.tat, waiter.since, now - this.options.catchUpMs) + 1000 / this.current;
      waiter.resolve(permit);
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
}
