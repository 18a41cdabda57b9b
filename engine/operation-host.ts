/**
 * The dynamic-provider host of one operation (engine/operation.ts): spawned as soon as it is likely to be
 * needed, configured once the stack config is known, and ended with the operation. Loading its modules is
 * most of a host's start (about 0.5 s of CPU), so it is spawned before the state and the emulator load (at
 * 1000 rooms about 0.25 s) when the stack folder or the program says rooms are likely (`warm`); a host
 * that no call needed (no rooms after all, every room unchanged: engine/decision-memo.ts, a failed type
 * check) is ended unused.
 */
import { ProviderHost, type HostOptions } from "./provider-host";

export class OperationHost {
  private spawned: Promise<ProviderHost> | undefined;
  private configured: Promise<ProviderHost> | undefined;
  private config: { values: Record<string, string>; secretKeys: string[] } | undefined;
  /** Whether a provider call asked for the host (one only warmed is ended unused). */
  private needed = false;
  private readonly abort = new AbortController();
  private stopped: Promise<string[]> | undefined;

  constructor(private readonly options: Omit<HostOptions, "signal">) {}

  /** Spawns the process now, if not yet; configuring waits for `configure`. A failed start is told by the first call. */
  warm(): void {
    if (this.spawned) return;
    this.spawned = ProviderHost.start({ ...this.options, signal: this.abort.signal });
    this.spawned.catch(() => undefined);
  }

  /** Whether the process was spawned (`warm`, or a call). */
  get warmed(): boolean {
    return this.spawned !== undefined;
  }

  /** The stack config every call needs (Configure); given once it is known. */
  configure(values: Record<string, string>, secretKeys: string[]): void {
    this.config = { values, secretKeys };
  }

  /** Warmed and configured, without a call needing it yet (the first custom registration). */
  ready(): Promise<ProviderHost> {
    const config = this.config;
    if (!config) return Promise.reject(new Error("the provider host was asked for before the stack config was known"));
    this.warm();
    const spawned = this.spawned as Promise<ProviderHost>;
    this.configured ??= spawned.then(async (h) => {
      await h.configure(config.values, config.secretKeys);
      return h;
    });
    return this.configured;
  }

  /** The host for a provider call. */
  readonly get = (): Promise<ProviderHost> => {
    this.needed = true;
    return this.ready();
  };

  /** Ends the host (once; later calls wait for the same end): one no call needed is ended at once. Its output lines. */
  stop(): Promise<string[]> {
    this.stopped ??= (async () => {
      if (!this.spawned) return [];
      if (!this.needed) this.abort.abort();
      const h = await this.spawned.catch(() => undefined);
      await h?.stop();
      return h?.output ?? [];
    })();
    return this.stopped;
  }
}
