import assert from "node:assert/strict";
import { KeySpacing, RateLimiter, limiterFor, paceForLimit, spacingFor } from "../provider/core/pace";

/** Largest number of timestamps inside any window of `windowMs` (sliding). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] ?? 0) - (sorted[j] ?? 0) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("core/pace", () => {
  describe("RateLimiter", () => {
    it("holds its rate under hundreds of concurrent callers", async () => {
      const limiter = new RateLimiter({ perSecond: 200, burst: 10 });
      const started = Date.now();
      const times = await Promise.all(Array.from({ length: 400 }, () => limiter.take().then(() => Date.now())));
      const elapsed = Date.now() - started;
      // 400 requests at 200/s with a burst of 10 need at least (400 - 10) / 200 s.
      assert.ok(elapsed >= 1_900, `finished too fast: ${elapsed} ms`);
      assert.ok(elapsed < 2_600, `too slow: ${elapsed} ms`);
      // Any one-second window: at most rate + burst (plus one for timer granularity).
      assert.ok(maxInWindow(times, 1_000) <= 211, `window held ${maxInWindow(times, 1_000)}`);
    });

    it("does not busy-wait: callers sleep on timers", async () => {
      const limiter = new RateLimiter({ perSecond: 20, burst: 1 });
      const cpuBefore = process.cpuUsage();
      await Promise.all(Array.from({ length: 20 }, () => limiter.take()));
      const cpu = process.cpuUsage(cpuBefore);
      assert.ok(cpu.user + cpu.system < 300_000, `used ${(cpu.user + cpu.system) / 1000} ms CPU in ~1 s of waiting`);
    });

    it("lets a burst through at once, then paces", async () => {
      let now = 0;
      const limiter = new RateLimiter({ perSecond: 10, burst: 3 }, () => now);
      const waits = await Promise.all([0, 1, 2].map(() => limiter.take()));
      assert.deepEqual(waits, [0, 0, 0]);
      now = 0;
      // The fourth request in the same instant waits one interval (100 ms) past the burst.
      const fourth = limiter.take();
      assert.equal(await fourth, 100);
    });

    it("is disabled by a rate of 0", async () => {
      const limiter = new RateLimiter({ perSecond: 0, burst: 1 });
      const waits = await Promise.all(Array.from({ length: 100 }, () => limiter.take()));
      assert.ok(waits.every((w) => w === 0));
    });
  });

  describe("paceForLimit", () => {
    it("keeps rate + burst within the documented limit", () => {
      for (const limit of [20, 200]) {
        const { perSecond, burst } = paceForLimit(limit);
        assert.ok(perSecond + burst <= limit, `${limit}: ${perSecond} + ${burst}`);
        assert.ok(perSecond >= 0.9 * limit);
      }
      assert.equal(paceForLimit(0).perSecond, 0);
    });
  });

  describe("KeySpacing", () => {
    it("spaces calls on the same key and not across keys", async () => {
      const spacing = new KeySpacing();
      const started = Date.now();
      const [a1, b1, a2] = await Promise.all([spacing.take("a", 150), spacing.take("b", 150), spacing.take("a", 150)]);
      assert.equal(a1, 0);
      assert.equal(b1, 0);
      assert.ok((a2 ?? 0) >= 140, `second call on "a" waited ${a2} ms`);
      assert.ok(Date.now() - started >= 140);
    });

    it("forgets keys once their slot has passed", async () => {
      const spacing = new KeySpacing();
      await spacing.take("x", 20);
      assert.equal(spacing.size, 1);
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(spacing.size, 0);
    });
  });

  describe("registry", () => {
    it("shares one limiter per key across callers and resizes it on new settings", () => {
      const a = limiterFor("test:1", { perSecond: 10, burst: 1 });
      const b = limiterFor("test:1", { perSecond: 10, burst: 1 });
      assert.equal(a, b);
      limiterFor("test:1", { perSecond: 50, burst: 2 });
      assert.deepEqual(a.rate, { perSecond: 50, burst: 2 });
      assert.notEqual(limiterFor("test:2", { perSecond: 10, burst: 1 }), a);
      assert.equal(spacingFor("s"), spacingFor("s"));
    });
  });
});
