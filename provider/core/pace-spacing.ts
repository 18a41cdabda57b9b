/**
 * Minimum spacing between operations on the same key (a vendor that refuses the same room ID created
 * twice in one second), shared process-wide through pace-registry.ts.
 */

/**
 * Minimum spacing between operations on the same key, e.g. "the same room ID can be created at most once
 * per second". Each call reserves the key's next slot.
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
    const forget = setTimeout(
      () => {
        if (this.last.get(key) === slot) this.last.delete(key);
      },
      slot - now + intervalMs,
    );
    forget.unref();
    const wait = slot - now;
    return wait <= 0 ? Promise.resolve(0) : delay(wait).then(() => wait);
  }

  /** Keys currently remembered (for tests). */
  get size(): number {
    return this.last.size;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
