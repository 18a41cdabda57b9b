/**
 * No child process (the program's runtime, the provider host) outlives the engine. Each is a `node` process
 * started with `GUARD_ARGS`: a preload that exits it once its parent is gone (its parent pid changes: the
 * engine ended, SIGKILL included), polled every 500 ms on an unref'd timer. The engine also kills every
 * child it tracks on each ending it sees (`killChildren`).
 */
import type { ChildProcess } from "node:child_process";

/** Marks our children in their command line (tests find leftovers by it in /proc). */
export const CHILD_MARKER = "pulumi-rooms-local-child";

const PRELOAD = `/*${CHILD_MARKER}*/const p=process.ppid;setInterval(()=>{if(process.ppid!==p)process.exit(129)},500).unref();`;

/** Node flags for a guarded child, before its script. */
export const GUARD_ARGS: readonly string[] = ["--import", `data:text/javascript,${encodeURIComponent(PRELOAD)}`];

const children = new Set<ChildProcess>();

/** Tracks a child until it exits. */
export function trackChild(child: ChildProcess): void {
  children.add(child);
  child.once("exit", () => children.delete(child));
}

/** Ends every tracked child at once (SIGKILL). */
export function killChildren(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}
