/** Drives a RateLimiter or a paced call on the simulated clock and collects its grants. */
import assert from "node:assert/strict";
import type { RateLimiter } from "../../provider/core/pace";
import type { SimClock } from "./pace-sim";

/**
 * Grants `callers` permits that all ask at `askAt(i)` and hands each back `tripMs(i)` after its grant (the
 * vendor's answer); resolves with every grant time.
 */
export async function grants(
  limiter: RateLimiter,
  clock: SimClock,
  callers: number,
  askAt: (i: number) => number = () => 0,
  tripMs: (i: number) => number = () => 2,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < callers; i++) {
    clock.at(
      askAt(i),
      () =>
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
export async function paced<C extends { pace(): Promise<number> }>(clock: SimClock, call: C): Promise<C> {
  const waiting = call.pace();
  await clock.run();
  await waiting;
  return call;
}
