/**
 * Loaded with `--require` into the program's runtime process (engine/runtime.ts), before `cmd/run`.
 *
 * `@pulumi/pulumi`'s `debuggablePromise` (runtime/debuggable.js) stores `new Error().stack` on every
 * promise it wraps, several per resource. Reading `.stack` formats every frame, and under ts-node each
 * frame goes through the source-map support: most of the program's evaluation time for a program of
 * a thousand rooms. The id, context and stack it stores are read only to explain a leaked promise
 * (`promiseDebugString`), which the SDK does only when `PULUMI_DEBUG_PROMISE_LEAKS` is set. This preload
 * replaces the exported function (the SDK calls it as `debuggable_1.debuggablePromise(...)`, a property
 * read per call) with the same function, except that it stores them only when leaks are debugged
 * (capturing even an unformatted stack walks the promise's async frames and keeps them alive, and three
 * property definitions per promise change its shape), and then `_debugStackTrace` is a getter: the Error
 * is made at the same place (same frames), and V8 formats its stack only when the getter is first read.
 * Leak detection (the count and the failed exit) is unchanged.
 *
 * The module is the one `cmd/run` will load: its path comes in `PULUMI_ROOMS_DEBUGGABLE`. The same
 * preload remembers each resource's mapped stack trace per raw call stack (`memoizeStackTraces`), lets the
 * engine send answers ahead (`widenMonitorWindow`) and drops the SDK's debug log lines when nobody reads
 * them (`dropDebugLogs` below).
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
    if (debuggable.debugPromiseLeaks) {
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
    }
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

/**
 * Makes the SDK's `log.debug` drop its message, as the SDK itself does when it runs without an engine
 * (log/index.js). The runtime sends each debug line to the engine as an `Engine.Log` call, one after
 * another: three per resource registration (registering, prepared, finished). The engine shows debug
 * lines only with `--verbose`, so a run without it sets `PULUMI_ROOMS_DROP_DEBUG_LOGS` and those calls
 * are not made. `log` is the SDK's log module; every caller reads `log.debug` from it at each call.
 */
export function dropDebugLogs(file: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own @pulumi/pulumi, found at run time
  const log = require(file) as { debug?: unknown };
  if (typeof log.debug !== "function") return false;
  log.debug = (): Promise<void> => Promise.resolve();
  return true;
}

/** A frame as `Resource.stackTrace` returns it (resource.js), or undefined for a frame without a position. */
type Frame = Record<string, unknown> | undefined;

interface ResourceClass {
  stackTrace: (this: unknown, skip: number) => Frame[];
}

/** Characters of raw stacks remembered (keys hold whole stacks); past it the memo starts afresh. */
const STACK_MEMO_CHARS = 4_000_000;

/**
 * Remembers `Resource.stackTrace` (resource.js) per raw call stack. The SDK calls it in every resource's
 * constructor with `Error.stackTraceLimit` set to Infinity, then parses `new Error().stack`, so that the
 * source-map support ts-node installs maps every frame: about 0.4 ms a room, and the same answer for every
 * room a loop declares. The raw frames (V8's own formatting, no source maps) cost a fraction of that, and
 * the SDK's answer follows from them and from the `Error.prepareStackTrace` hook in place, whose identity
 * is part of the key (a program that installs its own hook gets that hook's answers). Not told apart: two
 * scripts that name themselves alike with `//# sourceURL` and map differently. The same raw stack gets the
 * same frames, as fresh objects. `resource` is the SDK's resource module; its constructor reads
 * `Resource.stackTrace` at each call.
 */
export function memoizeStackTraces(file: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own @pulumi/pulumi, found at run time
  const resource = require(file) as { Resource?: ResourceClass };
  const Resource = resource.Resource;
  if (typeof Resource?.stackTrace !== "function") return false;
  const original = Resource.stackTrace;
  const memo = new Map<string, Frame[]>();
  const hooks = new WeakMap<object, number>();
  let nextHook = 1;
  let chars = 0;
  Resource.stackTrace = function stackTrace(this: unknown, skip: number): Frame[] {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- only its identity is read
    const hook = Error.prepareStackTrace;
    let hookId = hook ? hooks.get(hook) : 0;
    if (hookId === undefined) {
      // A hook seen for the first time (`hook` is set: without one the id is 0).
      hookId = nextHook++;
      hooks.set(hook as object, hookId);
    }
    const key = `${skip} ${hookId}\n${rawStack()}`;
    let frames = memo.get(key);
    if (frames === undefined) {
      // One frame more than the SDK's own call: this function's.
      frames = original.call(this, skip + 1);
      if (chars + key.length > STACK_MEMO_CHARS) {
        memo.clear();
        chars = 0;
      }
      memo.set(key, frames);
      chars += key.length;
    }
    return frames.map((f) => f && { ...f });
  };
  return true;
}

/** The whole current stack as V8 formats it without any `prepareStackTrace` hook. */
function rawStack(): string {
  const limit = Error.stackTraceLimit;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- a hook V8 calls itself; kept only to put back
  const prepare = Error.prepareStackTrace;
  Error.stackTraceLimit = Number.POSITIVE_INFINITY;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- V8's CallSite has its own toString: the frame as V8 prints it
  Error.prepareStackTrace = (_error, sites) => sites.map((site) => site.toString()).join("\n");
  try {
    return String(new Error().stack);
  } finally {
    Error.prepareStackTrace = prepare;
    Error.stackTraceLimit = limit;
  }
}

/**
 * Lets the engine send the program's answers ahead: the SDK's clients of the monitor and engine take their
 * options from `grpcClientOptions` (runtime/settings.js) when first made, after this preload, and grpc-js
 * reads the receive window from `grpc-node.flow_control_window`. The window is the engine's own
 * (LOOPBACK_WINDOW_BYTES in engine/pulumi-modules.ts), passed in `PULUMI_ROOMS_GRPC_WINDOW`. A window the
 * program's own options already set is kept.
 */
export function widenMonitorWindow(file: string, bytes: number): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own @pulumi/pulumi, found at run time
  const settings = require(file) as { grpcClientOptions?: Record<string, unknown> };
  const options = settings.grpcClientOptions;
  if (typeof options !== "object" || options === null || !(bytes > 0)) return false;
  options["grpc-node.flow_control_window"] ??= bytes;
  return true;
}

const target = process.env.PULUMI_ROOMS_DEBUGGABLE;
if (target) {
  const runtime = path.dirname(target);
  const patches: (() => unknown)[] = [
    () => patchDebuggable(target),
    () => memoizeStackTraces(path.join(runtime, "..", "resource")),
    () => widenMonitorWindow(path.join(runtime, "settings"), Number(process.env.PULUMI_ROOMS_GRPC_WINDOW)),
    () => process.env.PULUMI_ROOMS_DROP_DEBUG_LOGS && dropDebugLogs(path.join(runtime, "..", "log")),
  ];
  for (const patch of patches) {
    try {
      patch();
    } catch {
      // An SDK laid out differently: that part runs as it is.
    }
  }
}
