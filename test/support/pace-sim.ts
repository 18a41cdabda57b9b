/**
 * A simulated clock for the pacer: timers fire in order of due time (plus a seeded lateness, as a busy
 * event loop's do), and promise callbacks run between events, so seconds of pacing run in milliseconds
 * and every run is the same.
 */
import type { Timers } from "../../provider/core/pace";

export class SimClock implements Timers {
  private time = 0;
  private seq = 0;
  private readonly events: { at: number; seq: number; fn: () => void }[] = [];
  private seed: number;

  /** @param maxLatenessMs each timer fires up to this much late (seeded). */
  constructor(
    private readonly maxLatenessMs = 0,
    seed = 1,
  ) {
    this.seed = seed;
  }

  now(): number {
    return this.time;
  }

  schedule(fn: () => void, ms: number): void {
    this.at(this.time + Math.max(0, ms) + this.random() * this.maxLatenessMs, fn);
  }

  /** Runs `fn` at absolute time `at` (exactly, without lateness). */
  at(at: number, fn: () => void): void {
    this.events.push({ at, seq: this.seq++, fn });
  }

  /** A seeded number in [0, 1) (mulberry32). */
  random(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = this.seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Runs events until none is left (or `until` is passed), letting promise callbacks run after each. */
  async run(until = Number.POSITIVE_INFINITY): Promise<void> {
    await flush();
    while (this.events.length > 0) {
      let best = 0;
      for (let i = 1; i < this.events.length; i++) {
        const e = this.events[i] as { at: number; seq: number };
        const b = this.events[best] as { at: number; seq: number };
        if (e.at < b.at || (e.at === b.at && e.seq < b.seq)) best = i;
      }
      if ((this.events[best] as { at: number }).at > until) break;
      const [event] = this.events.splice(best, 1);
      if (!event) break;
      this.time = Math.max(this.time, event.at);
      event.fn();
      await flush();
    }
  }
}

function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Largest number of timestamps inside any window of `windowMs` (each window opens at a timestamp). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}
