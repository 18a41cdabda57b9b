/**
 * Seeded fault injection. Every request draws each fault kind from one PRNG in a fixed order, so a seed
 * replays the same faults for the same sequence of requests.
 */
import { nearest } from "../provider/core/nearest";
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
  /** 0 when no latency fault fires. */
  readonly latencyMs: number;
  readonly lostResponse: boolean;
}

/** Latency added when a plan enables `latency` without saying how much. */
const DEFAULT_LATENCY_MS = 200;

const PROBABILITIES = ["reset", "http502", "vendorTransient", "latency", "lostResponse"] as const;
/** Every key a plan may hold: an unknown one (`http_502`) would otherwise inject nothing, silently. */
const FAULT_PLAN_KEYS = [
  "seed",
  ...PROBABILITIES,
  "latencyMs",
  "actions",
] as const satisfies readonly (keyof FaultPlan)[];
const NONE: FaultDecision = { reset: false, http502: false, vendorTransient: false, latencyMs: 0, lostResponse: false };

/**
 * Checks that `value` is a usable {@link FaultPlan} and returns it; throws an Error naming the first bad
 * field. A plan arrives from JSON (admin endpoint, CLI) as often as from code, so it is checked at run time:
 * a typo such as `"http502": "1"` would otherwise silently inject nothing.
 */
export function validateFaultPlan(value: unknown): FaultPlan {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new Error("a fault plan must be a JSON object");
  const plan = value as Record<string, unknown>;
  for (const key of Object.keys(plan)) {
    if ((FAULT_PLAN_KEYS as readonly string[]).includes(key)) continue;
    const near = nearest(key, FAULT_PLAN_KEYS);
    throw new Error(
      `fault plan: unknown key ${JSON.stringify(key)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}; valid keys: ${FAULT_PLAN_KEYS.join(", ")}`,
    );
  }
  if (typeof plan.seed !== "number" || !Number.isFinite(plan.seed))
    throw new Error("a fault plan needs a numeric seed");
  for (const kind of PROBABILITIES) {
    const p = plan[kind];
    if (p !== undefined && (typeof p !== "number" || !(p >= 0 && p <= 1)))
      throw new Error(`fault plan: ${kind} must be a probability between 0 and 1`);
  }
  const ms = plan.latencyMs;
  if (ms !== undefined && (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0))
    throw new Error("fault plan: latencyMs must be a number of milliseconds >= 0");
  const actions = plan.actions;
  if (actions !== undefined && (!Array.isArray(actions) || !actions.every((a) => typeof a === "string"))) {
    throw new Error("fault plan: actions must be an array of action names");
  }
  return plan as unknown as FaultPlan;
}

/** Decides per request which faults of the current plan fire. */
export class FaultInjector {
  private plan: FaultPlan | undefined;
  private random: Random = seededRandom(0);

  /** @param plan initial plan (validated); undefined means no faults. */
  constructor(plan?: FaultPlan) {
    this.set(plan);
  }

  /** Replaces the plan (undefined turns faults off) and restarts the PRNG from the plan's seed. Throws on an invalid plan. */
  set(plan: FaultPlan | undefined): void {
    this.plan = plan === undefined ? undefined : validateFaultPlan(plan);
    this.random = seededRandom(plan?.seed ?? 0);
  }

  /** The plan in force, if any. */
  get current(): FaultPlan | undefined {
    return this.plan;
  }

  /** The faults for the next request of `action`. Requests of actions outside `plan.actions` draw nothing. */
  decide(action: string): FaultDecision {
    const plan = this.plan;
    if (!plan || (plan.actions && !plan.actions.includes(action))) return NONE;
    // Draw every kind every time, in a fixed order, so one kind's probability doesn't shift the others'
    // draws and a seed replays exactly even when an earlier kind fires and the later ones don't matter.
    const draw = (p: number | undefined) => this.random.next() < (p ?? 0);
    const reset = draw(plan.reset);
    const http502 = draw(plan.http502);
    const vendorTransient = draw(plan.vendorTransient);
    const latency = draw(plan.latency);
    const lostResponse = draw(plan.lostResponse);
    return {
      reset,
      http502,
      vendorTransient,
      latencyMs: latency ? (plan.latencyMs ?? DEFAULT_LATENCY_MS) : 0,
      lostResponse,
    };
  }
}
