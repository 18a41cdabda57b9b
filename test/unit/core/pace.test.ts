import assert from "node:assert/strict";
import { RoomApiError } from "../../../provider/core/errors";
import { RateLimiter, type Permit } from "../../../provider/core/pace";
import { limiterFor, limiterKey, limitersOfApp, pacedBy, spacingFor } from "../../../provider/core/pace-registry";
import { KeySpacing } from "../../../provider/core/pace-spacing";
import { maxInWindow, SimClock } from "../../support/pace-sim";

/**
 * Grants `callers` permits that all ask at `askAt(i)` and hands each back `tripMs(i)` after its grant (the
 * vendor's answer); resolves with every grant time.
 */
async function grants(limiter: RateLimiter, clock: SimClock, callers: number, askAt: (i: number) => number = () => 0, tripMs: (i: number) => number = () => 2): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < callers; i++) {
    clock.at(askAt(i), () =>
      void limiter.take().then((p) => {
        times.push(p.grantedAt);
        clock.at(p.grantedAt + tripMs(i), () => limiter.feedback(p, false));
      }),
    );
  }
  await clock.run();
  assert.equal(times.length, callers);
  return times;
}

/** Runs a paced call's wait on the simulated clock; resolves with the call, its permit taken. */
async function paced<C extends { pace(): Promise<number> }>(clock: SimClock, call: C): Promise<C> {
  const waiting = call.pace();
  await clock.run();
  await waiting;
  return call;
}

/**
 * A vendor that counts every request of an app in one sliding one-second window (the strict reading),
 * fed by several per-API limiters whose requests are refused and retried with backoff, like the client.
 */
async function sharedVendorRun(opts: { limit: number; apis: number; perApi: number; seed: number }) {
  const clock = new SimClock(4, opts.seed);
  const accepted: number[] = [];
  let refused = 0;
  let done = 0;
  const limiters = Array.from({ length: opts.apis }, () => new RateLimiter({ limit: opts.limit }, clock));
  const send = (limiter: RateLimiter, attempt: number) =>
    void limiter.take().then((permit: Permit) => {
      const arrival = clock.now() + 1 + clock.random() * 3;
      clock.at(arrival, () => {
        const ok = accepted.filter((t) => t > arrival - 1000).length < opts.limit;
        if (ok) accepted.push(arrival);
        else refused += 1;
        clock.at(arrival + 1 + clock.random() * 3, () => {
          limiter.feedback(permit, !ok);
          if (ok) done += 1;
          // Full-jitter backoff as core/http does (200 ms base), then the limiter again.
          else clock.at(clock.now() + clock.random() * Math.min(5000, 200 * 2 ** attempt), () => send(limiter, attempt + 1));
        });
      });
    });
  for (const limiter of limiters) for (let i = 0; i < opts.perApi; i++) send(limiter, 0);
  await clock.run();
  const total = opts.apis * opts.perApi;
  assert.equal(done, total);
  return { refused, requests: total + refused, seconds: clock.now() / 1000, accepted, limiters };
}

describe("core/pace", () => {
  describe("RateLimiter", () => {
    it("never grants more than the limit in any sliding second, with late timers and callers arriving at random", async () => {
      for (const [limit, seed] of [[20, 1], [200, 2], [7, 3]] as const) {
        const clock = new SimClock(30, seed);
        const limiter = new RateLimiter({ limit }, clock);
        const times = await grants(limiter, clock, limit * 8, (i) => (i < limit * 4 ? 0 : 2000 + clock.random() * 6000));
        assert.ok(maxInWindow(times, 1000) <= limit, `limit ${limit}: a second held ${maxInWindow(times, 1000)}`);
      }
    });

    it("keeps every vendor-side second within the limit however long and uneven the trips are (arrival anywhere between grant and answer)", async () => {
      for (const [limit, maxTrip, seed] of [[20, 300, 4], [200, 120, 5], [20, 900, 6]] as const) {
        const clock = new SimClock(20, seed);
        const limiter = new RateLimiter({ limit }, clock);
        const arrivals: number[] = [];
        for (let i = 0; i < limit * 6; i++) {
          clock.at(0, () =>
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
        assert.ok(maxInWindow(arrivals, 1000) <= limit, `limit ${limit}, trips up to ${maxTrip} ms: ${maxInWindow(arrivals, 1000)} arrived within one second`);
      }
    });

    it("counts a request's window from its answer: a slow trip holds its slot until a second after the answer", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 2 }, clock);
      // The first request's trip takes 800 ms, the others' 1 ms.
      const times = await grants(limiter, clock, 4, () => 0, (i) => (i === 0 ? 800 : 1));
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
      for (const [lateness, seed, catchUpMs] of [[4, 9, 0], [20, 11, 0], [60, 10, 100]] as const) {
        const clock = new SimClock(lateness, seed);
        const limiter = new RateLimiter({ limit: 200 }, clock, { catchUpMs });
        const times = await grants(limiter, clock, 1000);
        const rate = 999 / ((Math.max(...times) - Math.min(...times)) / 1000);
        assert.ok(rate >= 0.95 * limiter.nominal(), `${rate.toFixed(1)}/s with timers up to ${lateness} ms late`);
        assert.ok(maxInWindow(times, 1000) <= 200);
      }
    });

    it("slows down once per overshoot on a frequency-limit answer, and recovers along the cubic on success", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 20 }, clock, { recoverSeconds: 8 });
      const nominal = limiter.nominal();
      // Saturated: the measured send rate is the nominal one, so the slow-down is to 0.7 of it.
      const times = await grants(limiter, clock, 40);
      const last = { waitedMs: 0, grantedAt: Math.max(...times) };
      limiter.feedback(last, true);
      assert.ok(Math.abs(limiter.currentRate - 0.7 * nominal) < 0.05 * nominal, `${limiter.currentRate} after one slow-down`);
      // A second refusal of a request sent before the slow-down is the same overshoot.
      limiter.feedback(last, true);
      assert.equal(limiter.slowDowns, 1);
      const start = clock.now();
      const rates: number[] = [];
      for (const t of [1000, 3000, 8000, 9000, 12000, 20000]) {
        clock.at(start + t, () => undefined);
        await clock.run();
        limiter.feedback({ waitedMs: 0, grantedAt: clock.now() }, false);
        rates.push(limiter.currentRate);
      }
      for (let i = 1; i < rates.length; i++) assert.ok((rates[i] as number) >= (rates[i - 1] as number), `not monotonic: ${rates.join(", ")}`);
      assert.ok((rates[0] as number) < 0.9 * nominal, `recovered too fast: ${rates[0]}`);
      // After recoverSeconds the rate is back where it was refused, and later at the nominal rate.
      assert.ok(Math.abs((rates[2] as number) - nominal) < 0.05 * nominal, `at 8 s: ${rates[2]}`);
      assert.equal(rates[5], nominal);
      // A refusal of a request granted after the slow-down counts again.
      limiter.feedback({ waitedMs: 0, grantedAt: clock.now() }, true);
      assert.equal(limiter.slowDowns, 2);
    });

    it("a limiter refused in its first moments (others filled the vendor's window) slows to 0.7 of its rate, not to the floor", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 20 }, clock);
      clock.at(10_000, () => undefined);
      await clock.run();
      // Three grants 50 ms apart, then the third is refused: 20/s is what it was sending.
      const times = await grants(limiter, clock, 3, () => 10_000, () => 2);
      limiter.feedback({ waitedMs: 0, grantedAt: Math.max(...times) }, true);
      assert.ok(Math.abs(limiter.currentRate - 0.7 * 20) < 0.1 * 20, `${limiter.currentRate.toFixed(2)}/s after the refusal`);
    });

    it("applies a slow-down to callers already waiting, and holds them until the last window has room", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 20 }, clock);
      const nominal = limiter.nominal();
      const times: number[] = [];
      for (let i = 0; i < 80; i++) {
        void limiter.take().then((p) => {
          times.push(p.grantedAt);
          // Handed back without a success, which would start the recovery: this test is about the slow-down.
          clock.at(p.grantedAt + 2, () => limiter.release(p));
        });
      }
      // Refused at the 30th grant (about 1.5 s in): the 50 callers still queued go at the lower rate.
      clock.at(1520, () => limiter.feedback({ waitedMs: 0, grantedAt: 1520 }, true));
      await clock.run();
      const after = times.filter((t) => t > 1520);
      const rate = (after.length - 1) / ((Math.max(...after) - Math.min(...after)) / 1000);
      assert.ok(Math.abs(rate - 0.7 * nominal) < 0.1 * nominal, `${rate.toFixed(2)}/s after the slow-down`);
      assert.ok(maxInWindow(times, 1000) <= 20);
    });

    it("against a vendor that counts all APIs in one sliding second: every request ends ok, refusals <= 2 %", async function () {
      this.timeout(60_000);
      for (const [limit, apis, perApi, seed] of [[20, 2, 300, 1], [200, 2, 1000, 2]] as const) {
        const run = await sharedVendorRun({ limit, apis, perApi, seed });
        assert.ok(run.refused <= 0.02 * run.requests, `limit ${limit}: ${run.refused} of ${run.requests} refused`);
        assert.ok(maxInWindow(run.accepted, 1000) <= limit);
        // The shared limit is still mostly used: at least 70 % of it over the run.
        const achieved = (apis * perApi) / run.seconds;
        assert.ok(achieved >= 0.7 * limit, `limit ${limit}: ${achieved.toFixed(1)}/s`);
      }
    });

    it("pacedBy: an API's own limit slows its limiter; the app's limit slows every busy limiter of the app, idle ones not", async () => {
      const clock = new SimClock();
      const [create, info, destroy] = [new RateLimiter({ limit: 20 }, clock), new RateLimiter({ limit: 20 }, clock), new RateLimiter({ limit: 20 }, clock)];
      const refusal = (code: number) => new RoomApiError({ vendor: "tencent", operation: "create_room", kind: "vendor", code, vendorMessage: "limit", retryable: true });
      await grants(create, clock, 10);
      await grants(info, clock, 10);
      const appWide = { codes: new Set([60011]), limiters: () => [create, info, destroy] };
      const call = await paced(clock, pacedBy(create, new Set([60007, 60011]), undefined, appWide));
      call.onAttempt(refusal(60007));
      assert.deepEqual([create.slowDowns, info.slowDowns, destroy.slowDowns], [1, 0, 0]);
      clock.at(clock.now() + 10, () => undefined);
      await clock.run();
      const again = await paced(clock, pacedBy(info, new Set([60007, 60011]), undefined, appWide));
      again.onAttempt(refusal(60011));
      assert.deepEqual([create.slowDowns, info.slowDowns, destroy.slowDowns], [2, 1, 0]);
      assert.equal(destroy.currentRate, destroy.nominal(), "an idle limiter took no part in the overshoot");
      // Transport failures say nothing about the rate; any vendor answer lets the rate recover.
      const quiet = await paced(clock, pacedBy(destroy, new Set([60007])));
      quiet.onAttempt(new RoomApiError({ vendor: "tencent", operation: "destroy_room", kind: "transport", code: "ECONNRESET", vendorMessage: "reset", retryable: true }));
      assert.equal(destroy.slowDowns, 0);
      // ...but its permit is handed back: it counts for one window from the failure, then not at all.
      assert.equal(destroy.holding, 1);
      clock.at(clock.now() + 1005, () => undefined);
      await clock.run();
      assert.equal(destroy.holding, 0);
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
