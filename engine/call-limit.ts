/**
 * `--parallel`: at most N provider calls at once, as the Pulumi CLI bounds its resource operations
 * (default 4 x the CPU count, pulumi/pulumi#15016). Each call holds a slot only while it runs, so a
 * step's check, diff and create never wait on one another (no nesting, no deadlock).
 */
import * as os from "node:os";
import type { ResourceProvider } from "./step";

/** The CLI's default parallelism: 4 x the number of CPUs. */
export function defaultParallel(): number {
  return 4 * Math.max(1, os.cpus().length);
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

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/** The provider with every call going through `slots`. */
export function limitCalls(provider: ResourceProvider, slots: Slots): ResourceProvider {
  const limited = {} as Record<(typeof METHODS)[number], unknown>;
  for (const method of METHODS) {
    const call = provider[method] as (...args: unknown[]) => Promise<unknown>;
    limited[method] = (...args: unknown[]) => slots.run(() => call.apply(provider, args));
  }
  return limited as ResourceProvider;
}
