/**
 * Seeded fault injection. Every request draws each fault kind from one PRNG in a fixed order, so a seed
 * replays the same faults for the same sequence of requests.
 */
import type { FaultPlan, Random } from "./types";

/** mulberry32: small, fast, good enough to spread faults evenly; deterministic per seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** The faults chosen for one request. */
export interface FaultDecision {
  readonly reset: boolean;
  readonly http502: boolean;
  readonly vendorTransient: boolean;
  readonly latencyMs: number;
  readonly lostResponse: boolean;
}

const NONE: FaultDecision = { reset: false, http502: false, vendorTransient: false, latencyMs: 0, lostResponse: false };

/** Decides per request which faults of the current plan fire. */
export class FaultInjector {
  private plan: FaultPlan | undefined;
  private random: Random = seededRandom(0);

  constructor(plan?: FaultPlan) {
    this.set(plan);
  }

  /** Replaces the plan (undefined turns faults off) and restarts the PRNG from the plan's seed. */
  set(plan: FaultPlan | undefined): void {
    this.plan = plan;
    this.random = seededRandom(plan?.seed ?? 0);
  }

  get current(): FaultPlan | undefined {
    return this.plan;
  }

  /** The faults for the next request of `action`. */
  decide(action: string): FaultDecision {
    const plan = this.plan;
    if (!plan || (plan.actions && !plan.actions.includes(action))) return NONE;
    // Draw every kind every time, in a fixed order, so one kind's probability doesn't shift the others.
    const draw = (p: number | undefined) => this.random.next() < (p ?? 0);
    const reset = draw(plan.reset);
    const http502 = draw(plan.http502);
    const vendorTransient = draw(plan.vendorTransient);
    const latency = draw(plan.latency);
    const lostResponse = draw(plan.lostResponse);
    return { reset, http502, vendorTransient, latencyMs: latency ? (plan.latencyMs ?? 200) : 0, lostResponse };
  }
}
