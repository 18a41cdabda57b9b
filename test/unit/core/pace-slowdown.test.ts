/** core/pace: the RateLimiter's slow-down on frequency-limit answers, its recovery, and pacedBy. */
import assert from "node:assert/strict";
import { RoomApiError } from "../../../provider/core/errors";
import { RateLimiter, type Permit } from "../../../provider/core/pace";
import { pacedBy } from "../../../provider/core/pace-registry";
import { grants, paced } from "../../support/pace-grants";
import { maxInWindow, SimClock } from "../../support/pace-sim";

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
          else
            clock.at(clock.now() + clock.random() * Math.min(5000, 200 * 2 ** attempt), () =>
              send(limiter, attempt + 1),
            );
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
    it("slows down once per overshoot on a frequency-limit answer, and recovers along the cubic on success", async () => {
      const clock = new SimClock();
      const limiter = new RateLimiter({ limit: 20 }, clock, { recoverSeconds: 8 });
      const nominal = limiter.nominal();
      // Saturated: the measured send rate is the nominal one, so the slow-down is to 0.7 of it.
      const times = await grants(limiter, clock, 40);
      const last = { waitedMs: 0, grantedAt: Math.max(...times) };
      limiter.feedback(last, true);
      assert.ok(
        Math.abs(limiter.currentRate - 0.7 * nominal) < 0.05 * nominal,
        `${limiter.currentRate} after one slow-down`,
      );
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
      for (let i = 1; i < rates.length; i++)
        assert.ok((rates[i] as number) >= (rates[i - 1] as number), `not monotonic: ${rates.join(", ")}`);
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
      const times = await grants(
        limiter,
        clock,
        3,
        () => 10_000,
        () => 2,
      );
      limiter.feedback({ waitedMs: 0, grantedAt: Math.max(...times) }, true);
      assert.ok(
        Math.abs(limiter.currentRate - 0.7 * 20) < 0.1 * 20,
        `${limiter.currentRate.toFixed(2)}/s after the refusal`,
      );
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
      for (const [limit, apis, perApi, seed] of [
        [20, 2, 300, 1],
        [200, 2, 1000, 2],
      ] as const) {
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
      const [create, info, destroy] = [
        new RateLimiter({ limit: 20 }, clock),
        new RateLimiter({ limit: 20 }, clock),
        new RateLimiter({ limit: 20 }, clock),
      ];
      const refusal = (code: number) =>
        new RoomApiError({
          vendor: "tencent",
          operation: "create_room",
          kind: "vendor",
          code,
          vendorMessage: "limit",
          retryable: true,
        });
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
      quiet.onAttempt(
        new RoomApiError({
          vendor: "tencent",
          operation: "destroy_room",
          kind: "transport",
          code: "ECONNRESET",
          vendorMessage: "reset",
          retryable: true,
        }),
      );
      assert.equal(destroy.slowDowns, 0);
      // ...but its permit is handed back: it counts for one window from the failure, then not at all.
      assert.equal(destroy.holding, 1);
      clock.at(clock.now() + 1005, () => undefined);
      await clock.run();
      assert.equal(destroy.holding, 0);
    });
  });
});
