/**
 * Server-side frequency limit as the vendors document it ("N requests per second"): a fixed window per
 * wall-clock second per key. Fixed windows are what a gateway counter does; a well-paced client stays
 * under them, a burst does not.
 */
export class WindowRateLimiter {
  private windowStart = -1;
  private readonly counts = new Map<string, number>();

  /** @param limitPerSecond requests allowed per key per second; `false` turns the limit off. */
  constructor(
    private limitPerSecond: number | false,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request for `key`; false when it is over the limit (the request must be refused). */
  tryTake(key: string): boolean {
    if (this.limitPerSecond === false) return true;
    const second = Math.floor(this.now() / 1000);
    if (second !== this.windowStart) {
      this.windowStart = second;
      this.counts.clear();
    }
    const used = this.counts.get(key) ?? 0;
    if (used >= this.limitPerSecond) return false;
    this.counts.set(key, used + 1);
    return true;
  }

  setLimit(limitPerSecond: number | false): void {
    this.limitPerSecond = limitPerSecond;
  }

  get limit(): number | false {
    return this.limitPerSecond;
  }

  reset(): void {
    this.counts.clear();
    this.windowStart = -1;
  }
}
