/** core/pace: the RateLimiter's sliding window and spacing, KeySpacing, and the limiter registry. */
import assert from "node:assert/strict";
import { RateLimiter, type Permit } from "../../../provider/core/pace";
import { limiterFor, limiterKey, limitersOfApp, spacingFor } from "../../../provider/core/pace-registry";
import { KeySpacing } from "../../../provider/core/pace-spacing";
import { grants } from "../../support/pace-grants";
import { maxInWindow, SimClock } from "../../support/pace-sim";

describe("core/pace", () => {
  describe("RateLimiter", () => {
    it("never grants more than the limit in any sliding second, with late timers and callers arriving at random", async () => {
      for (const { limit, seed } of [
        { limit: 20, seed: 1 },
        { limit: 200, seed: 2 },
        { limit: 7, seed: 3 },
      ]) {
        const clock = new SimClock(30, seed);
        const limiter = new RateLimiter({ limit }, clock);
        const times = await grants(limiter, clock, limit * 8, (i) =>
          i < limit * 4 ? 0 : 2000 + clock.random() * 6000,
        );
        assert.ok(maxInWindow(times, 1000) <= limit, `limit ${limit}: a second held ${maxInWindow(times, 1000)}`);
      }
    });

    it("keeps every vendor-side second within the limit however long and uneven the trips are (arrival anywhere between grant and answer)", async () => {
      for (const { limit, maxTrip, seed } of [
        { limit: 20, maxTrip: 300, seed: 4 },
        { limit: 200, maxTrip: 120, seed: 5 },
        { limit: 20, maxTrip: 900, seed: 6 },
      ]) {
        const clock = new SimClock(20, seed);
        const limiter = new RateLimiter({ limit }, clock);
        const arrivals: number[] = [];
        for (let i = 0; i < limit * 6; i++) {
          clock.at(
            0,
            () =>
              void limiter.take().then((p) => {
                // A loaded machine: some requests leave at once, some wait in a busy event loop or a pool.
                const trip = clock.random() < 0.3 ? maxTrip * clock.random() : 1 + clock.random() * 4;
                const arrival = p.grantedAt + trip * clock.random();
                arrivals.push(arrival);
                clock.at(p.grantedAt + trip, () => limiter.feedback(p, false));
              }),
          );
        }
        await clock.run();
        assert.equal(arrivals.length, limit * 6);
        assert.ok(
          maxInWindow(arrivals, 1000) <= limit,
          `limit ${limit}, trips up to ${maxTrip} ms: ${maxInWindow(arrivals, 1000)} arrived within one second`,
        );
      }
    });

    it("counts a request's window from its answer: a slow trip holds its slot until a second after the answer", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 2 }, clock);
      // The first request's trip takes 800 ms, the others' 1 ms.
      const times = await grants(
        limiter,
        clock,
        4,
        () => 0,
        (i) => (i === 0 ? 800 : 1),
      );
      // The third waits for the fast one's answer + 1005 ms, the fourth for the slow one's (800 + 1005).
      assert.ok(Math.abs((times[2] as number) - ((times[1] as number) + 1 + 1005)) < 1e-6, `third at ${times[2]}`);
      assert.ok((times[3] as number) >= 800 + 1005 - 1e-6, `fourth at ${times[3]}`);
    });

    it("holds in-flight requests against the limit; release hands a slot back, and a permit never handed back goes stale", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 3 }, clock, { holdLimitMs: 5_000, toleranceMs: 1_000 });
      const permits: Permit[] = [];
      const taken: number[] = [];
      for (let i = 0; i < 4; i++) void limiter.take().then((p) => (permits.push(p), taken.push(p.grantedAt)));
      clock.at(3000, () => limiter.release(permits[0] as Permit));
      clock.at(3000, () => limiter.release(permits[0] as Permit)); // idempotent
      await clock.run(3500);
      assert.deepEqual(taken.slice(0, 3), [0, 0, 0], "three at once (the slack covers their spacing)");
      await clock.run();
      assert.equal(taken[3], 3000 + 1005, "the fourth waits a window after the first's release");
      // Three permits never handed back (the fourth and two of the first three): the next caller goes once
      // the oldest turns stale (grant + 5 s) and its window has passed.
      let next: number | undefined;
      void limiter.take().then((p) => (next = p.grantedAt));
      await clock.run();
      assert.equal(next, 5_000 + 1_005, `granted at ${next}`);
    });

    it("holds the window on the real clock for hundreds of concurrent callers, and does not busy-wait", async () => {
      const limiter = new RateLimiter({ limit: 100 });
      const cpuBefore = process.cpuUsage();
      const times = await Promise.all(
        Array.from({ length: 250 }, () =>
          limiter.take().then((p) => {
            setTimeout(() => limiter.feedback(p, false), 1);
            return p.grantedAt;
          }),
        ),
      );
      const cpu = process.cpuUsage(cpuBefore);
      assert.ok(maxInWindow(times, 1000) <= 100, `a second held ${maxInWindow(times, 1000)}`);
      // About 2.5 s of waiting: a polling limiter would burn most of it.
      assert.ok(cpu.user + cpu.system < 1_000_000, `used ${(cpu.user + cpu.system) / 1000} ms CPU`);
    });

    it("paces a queue evenly at the limit less one trip per window: at most the 25 ms slack's worth together", async () => {
      const clock = new SimClock(0);
      const limiter = new RateLimiter({ limit: 200 }, clock);
      const times = await grants(limiter, clock, 1000);
      const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
      // 200 per (1005 ms + the 2 ms trip).
      assert.ok(Math.abs(999 / seconds - (200 * 1000) / 1007) < 1.5, `${(999 / seconds).toFixed(1)}/s`);
      assert.equal(limiter.nominal(), 200);
      // 25 ms of slack at 5 ms per grant: about 5 ahead of schedule, plus the 5 due in those 25 ms.
      assert.ok(maxInWindow(times, 25) <= 11, `${maxInWindow(times, 25)} grants within 25 ms`);
    });

    it("an idle limiter starts afresh: a burst of callers is spaced from the first grant (no catch-up)", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 20 }, clock);
      clock.at(5000, () => undefined);
      await clock.run();
      const times = await grants(limiter, clock, 10, () => 5000);
      const span = Math.max(...times) - Math.min(...times);
      // Nine intervals of 50 ms, less the 25 ms slack at most.
      assert.ok(span >= 9 * 50 - 25 - 1e-6, `10 grants within ${span} ms`);
    });

    it("keeps its rate when timers fire late (the slack, or catch-up when set, absorbs the lateness), still within every window", async () => {
      for (const { lateness, seed, catchUpMs } of [
        { lateness: 4, seed: 9, catchUpMs: 0 },
        { lateness: 20, seed: 11, catchUpMs: 0 },
        { lateness: 60, seed: 10, catchUpMs: 100 },
      ]) {
        const clock = new SimClock(lateness, seed);
        const limiter = new RateLimiter({ limit: 200 }, clock, { catchUpMs });
        const times = await grants(limiter, clock, 1000);
        const rate = 999 / ((Math.max(...times) - Math.min(...times)) / 1000);
        assert.ok(rate >= 0.95 * limiter.nominal(), `${rate.toFixed(1)}/s with timers up to ${lateness} ms late`);
        assert.ok(maxInWindow(times, 1000) <= 200);
      }
    });

    it("is disabled by a limit of 0, and a limit set to 0 releases the callers waiting", async () => {
      const off = new RateLimiter({ limit: 0 });
      const waits = await Promise.all(Array.from({ length: 100 }, () => off.take()));
      assert.ok(waits.every((w) => w.waitedMs === 0));
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 1 }, clock);
      const pending = Array.from({ length: 5 }, () => limiter.take());
      await new Promise((r) => setImmediate(r));
      assert.equal(limiter.waiting, 4);
      limiter.configure({ limit: 0 });
      assert.equal((await Promise.all(pending)).length, 5);
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
    it("keys limiters per (vendor, app, API) in the api scope and per (vendor, app) in the app scope", () => {
      assert.equal(limiterKey("zego", 1, "CreateRoom", "api"), "zego:1:CreateRoom");
      assert.equal(limiterKey("zego", 1, "CreateRoom", "app"), "zego:1");
      assert.notEqual(limiterKey("tencent", 1, "create_room", "api"), limiterKey("tencent", 1, "get_room_info", "api"));
    });

    it("shares one limiter per key across callers and resizes it on new settings", () => {
      const a = limiterFor("test:1", { limit: 10 });
      const b = limiterFor("test:1", { limit: 10 });
      assert.equal(a, b);
      limiterFor("test:1", { limit: 50 });
      assert.deepEqual(a.rate, { limit: 50 });
      assert.notEqual(limiterFor("test:2", { limit: 10 }), a);
      assert.equal(spacingFor("s"), spacingFor("s"));
      const api = limiterFor("testvendor:7:A", { limit: 5 });
      const other = limiterFor("testvendor:7:B", { limit: 5 });
      limiterFor("testvendor:70:A", { limit: 5 });
      assert.deepEqual(limitersOfApp("testvendor", 7), [api, other]);
    });
  });
});
