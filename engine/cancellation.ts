/**
 * Ctrl-C, SIGTERM (what CI sends when a job is cancelled), a lost terminal (SIGHUP) and a closed output
 * pipe (EPIPE), as the Pulumi CLI treats its first and second Ctrl-C: the first asks the operation to
 * cancel (no new steps; the calls in flight finish and are recorded; the checkpoint is compacted; the engine
 * exits non-zero); a second signal ends the engine at once, its children killed: the journal already holds
 * every call begun (engine/journal.ts), so the next operation settles what was in flight.
 */
import { killChildren } from "./child-guard";

/** The exit code of a process ended by each signal (128 + its number), as shells report it. */
export const SIGNAL_EXIT: Record<"SIGINT" | "SIGTERM" | "SIGHUP", number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** A request to cancel the running operation, shared by the CLI (which hears signals) and the operation. */
export class Cancellation {
  private why: string | undefined;
  private readonly onRequest: ((reason: string) => void)[] = [];
  private readonly onForce: (() => void)[] = [];

  /** Why the operation was asked to cancel, once it was. */
  get reason(): string | undefined {
    return this.why;
  }

  /** Asks to cancel; returns false when that was already asked. */
  request(reason: string): boolean {
    if (this.why !== undefined) return false;
    this.why = reason;
    for (const fn of this.onRequest) fn(reason);
    return true;
  }

  /** Called at the first request (at once, when it was already made). */
  whenRequested(fn: (reason: string) => void): void {
    this.onRequest.push(fn);
    if (this.why !== undefined) fn(this.why);
  }

  /** Called right before the engine ends at once (second signal): last writes that must reach the disk. */
  beforeForce(fn: () => void): void {
    this.onForce.push(fn);
  }

  /** Runs the last writes, the latest registered first (a lock taken first is released last), then kills the children. */
  force(): void {
    for (const fn of [...this.onForce].reverse()) {
      try {
        fn();
      } catch {
        // Ending anyway: the journal's begin records already cover what was in flight.
      }
    }
    killChildren();
  }
}

/**
 * Routes the signals and a closed output pipe to `cancel`. `silence()` is called when the output pipe
 * closed (nothing more may be written to it). Returns a function that removes the handlers.
 */
export function installSignalHandlers(cancel: Cancellation, silence: () => void): () => void {
  const handlers: [NodeJS.Signals, () => void][] = [];
  for (const signal of Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[]) {
    const handler = (): void => {
      if (signal === "SIGHUP") silence();
      if (cancel.request(signal === "SIGHUP" ? "the terminal was lost (SIGHUP)" : `${signal} received`)) return;
      cancel.force();
      process.exit(SIGNAL_EXIT[signal]);
    };
    process.on(signal, handler);
    handlers.push([signal, handler]);
  }
  const onPipeError = (error: NodeJS.ErrnoException): void => {
    if (error.code !== "EPIPE") throw error;
    silence();
    cancel.request("the output pipe closed");
  };
  process.stdout.on("error", onPipeError);
  process.stderr.on("error", onPipeError);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
    process.stdout.off("error", onPipeError);
    process.stderr.off("error", onPipeError);
  };
}
