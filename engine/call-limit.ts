/**
 * `--parallel`: at most N resource operations at once (create, update, delete, read), as the Pulumi CLI's
 * step executor bounds them (default 4 x the CPU count, pulumi/pulumi#15016). Check and Diff decide a step
 * (the CLI's step generator makes them) and do not take these slots: a program registers its whole fleet
 * at once, and with them in the same queue every create waited behind the checks of all the other rooms, so
 * no room reached the vendor (and its pacer) until every room had been checked. (The deployment decides a
 * few registrations at a time on its own: engine/deployment.ts.) Each call holds a slot only
 * while it runs (no nesting, no deadlock).
 */
import * as os from "node:os";
import type { ResourceProvider } from "./step";

/** The variable that sets the default, as for the Pulumi CLI (pulumi/pulumi#18782). */
export const PARALLEL_ENV = "PULUMI_PARALLEL";

/**
 * The CLI's default parallelism: `PULUMI_PARALLEL` when set, else 4 x the number of CPUs (pulumi/pulumi#15016,
 * chosen in #14989 to bound the CLI's memory). A value that is not a whole number >= 1 is refused by name.
 */
export function defaultParallel(env: NodeJS.ProcessEnv = process.env): number {
  const set = env[PARALLEL_ENV];
  if (set !== undefined && set !== "") return parseParallel(set, PARALLEL_ENV);
  return 4 * Math.max(1, os.cpus().length);
}

/** A parallelism as written (`--parallel N`, `PULUMI_PARALLEL`): a whole number >= 1, or refused naming `source`. */
export function parseParallel(value: string, source: string): number {
  if (!/^[1-9]\d{0,5}$/.test(value))
    throw new RangeError(`${source} must be a whole number >= 1, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** A counting semaphore: `run` waits for a free slot, first come first served. */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1)
      throw new RangeError(`parallelism must be a whole number >= 1, not ${size}`);
    this.free = size;
  }

  /** Calls in flight. */
  get busy(): number {
    return this.size - this.free;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await call();
    } finally {
      // The slot passes straight to the next waiter (never freed and retaken, so nobody jumps the queue).
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** The calls that carry out steps: the ones `--parallel` bounds. */
const OPERATIONS = ["create", "read", "update", "delete"] as const;

/** The provider with every resource operation going through `slots` (check and diff as they are). */
export function limitCalls(provider: ResourceProvider, slots: Slots): ResourceProvider {
  const limited: Record<string, unknown> = {
    check: provider.check.bind(provider),
    diff: provider.diff.bind(provider),
  };
  for (const method of OPERATIONS) {
    const call = provider[method] as (...args: unknown[]) => Promise<unknown>;
    limited[method] = (...args: unknown[]) => slots.run(() => call.apply(provider, args));
  }
  return limited as ResourceProvider;
}
