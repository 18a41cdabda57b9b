/**
 * Loaded with `--require` into the program's runtime process (engine/runtime.ts), before `cmd/run`.
 *
 * `@pulumi/pulumi`'s `debuggablePromise` (runtime/debuggable.js) stores `new Error().stack` on every
 * promise it wraps, several per resource. Reading `.stack` formats every frame, and under ts-node each
 * frame goes through the source-map support: most of the program's evaluation time for a program of
 * a thousand rooms. The stack is read only to explain a leaked promise (`promiseDebugString`) when
 * `PULUMI_DEBUG_PROMISE_LEAKS` is set. This preload replaces the exported function (the SDK calls it
 * as `debuggable_1.debuggablePromise(...)`, a property read per call) with the same function, except
 * that `_debugStackTrace` is a getter: the Error is made at the same place (same frames), and V8 formats
 * its stack only when the getter is first read. Leak detection is unchanged.
 *
 * The module is the one `cmd/run` will load: its path comes in `PULUMI_ROOMS_DEBUGGABLE`.
 */
import * as path from "node:path";

interface Debuggable {
  debugPromiseLeaks: boolean;
  leakedPromises(): [Set<Promise<unknown>>, string];
  debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
}

interface Store {
  leakCandidates: Set<Promise<unknown>>;
  terminated?: boolean;
}

/** Patches the debuggable module at `file`; returns false when it does not look as expected. */
export function patchDebuggable(file: string): boolean {
  /* eslint-disable @typescript-eslint/no-require-imports -- modules of the program's own @pulumi/pulumi, found at run time */
  const debuggable = require(file) as Debuggable;
  const state = require(path.join(path.dirname(file), "state")) as { getStore(): Store };
  const log = require(path.join(path.dirname(file), "..", "log")) as { hasErrors(): boolean };
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (
    typeof debuggable.debuggablePromise !== "function" ||
    typeof debuggable.leakedPromises !== "function" ||
    typeof state.getStore !== "function"
  )
    return false;

  let promiseId = 0;
  let leakDetectorScheduled = false;
  debuggable.debuggablePromise = function debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T> {
    const localStore = state.getStore();
    const origin = new Error();
    let trace: string | undefined;
    // The promise as a plain object: these are property writes, not a promise to await.
    const target: object = p;
    Object.defineProperty(target, "_debugId", { writable: true, value: promiseId });
    Object.defineProperty(target, "_debugCtx", { writable: true, value: ctx });
    Object.defineProperty(target, "_debugStackTrace", {
      get: () => (trace ??= origin.stack),
      set: (value: string) => {
        trace = value;
      },
    });
    promiseId++;
    if (!leakDetectorScheduled) {
      // As the original: report leaks only on a normal exit of a program that logged no error.
      process.on("exit", () => {
        if ((process.exitCode === undefined || process.exitCode === 0) && !log.hasErrors() && !localStore.terminated) {
          const [leaks, message] = debuggable.leakedPromises();
          if (leaks.size === 0) return;
          if (!debuggable.debugPromiseLeaks) console.error(message);
          process.exitCode = 1;
        }
      });
      leakDetectorScheduled = true;
    }
    localStore.leakCandidates.add(p);
    return p
      .then((val) => {
        localStore.leakCandidates.delete(p);
        return val;
      })
      .catch((err: unknown) => {
        localStore.leakCandidates.delete(p);
        (err as { promise?: unknown }).promise = p;
        throw err;
      });
  };
  return true;
}

const target = process.env.PULUMI_ROOMS_DEBUGGABLE;
if (target) {
  try {
    patchDebuggable(target);
  } catch {
    // An SDK laid out differently: run it as it is.
  }
}
