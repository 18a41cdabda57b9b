/**
 * Loaded with `--require` into the program's runtime process (engine/runtime.ts), as runtime-preload.ts is.
 *
 * `cmd/run` formats every uncaught error with `util.inspect(err, { colors: true })` (its
 * `defaultErrorMessage`, cmd/run/error.js), even a RunError whose message it has already logged, such as
 * the ConfigMissingError of `config.require("key")`. Node's colouring of stack lines (markNodeModules in
 * https://github.com/nodejs/node/blob/v20.x/lib/internal/util/inspect.js) never ends on a line where a
 * `node_modules` path has no separator after the package name, e.g. the SDK's source-mapped frame
 * `node_modules/@pulumi/config.ts:301:19`: it appends to a string until V8's maximum string length, then
 * throws a RangeError that the SDK catches. Gigabytes of garbage and half a minute or more pass before the
 * program's error even reaches the engine. This preload replaces `defaultErrorMessage` (which the SDK reads
 * from the module's exports at each call) with the same function that formats such an error without
 * colours; every other error is formatted as before.
 *
 * The module is the one `cmd/run` will load: its path comes in `PULUMI_ROOMS_RUN_ERROR`.
 */
import * as util from "node:util";

interface ErrorModule {
  defaultErrorMessage: (err: unknown) => string;
}

/** Whether colouring this stack text would not end (see the module comment): a line whose package name never ends. */
export function colouringLoops(stack: string): boolean {
  for (const line of stack.split("\n")) {
    let from = 0;
    for (;;) {
      const at = line.indexOf("node_modules", from);
      if (at < 0) break;
      const separator = line[at - 1];
      const after = line[at + "node_modules".length];
      if ((separator !== "/" && separator !== "\\") || (after !== "/" && after !== "\\")) {
        from = at + 1;
        continue;
      }
      // As markNodeModules finds the package's end: the next separator, the one after for a scoped package.
      const start = at + "node_modules/".length;
      let end = line.indexOf(separator, start);
      if (line[start] === "@") end = line.indexOf(separator, end + 1);
      if (end < start) return true;
      from = end;
    }
  }
  return false;
}

/** Whether inspecting `err` with colours would meet such a line: in its stack or a cause's. */
export function inspectWouldLoop(err: unknown, depth = 0): boolean {
  if (depth > 8 || !(err instanceof Error)) return false;
  if (typeof err.stack === "string" && colouringLoops(err.stack)) return true;
  const nested: unknown[] = [err.cause, ...(err instanceof AggregateError ? (err.errors as unknown[]) : [])];
  return nested.some((e) => inspectWouldLoop(e, depth + 1));
}

/** Patches the error module at `file`; returns false when it does not look as expected. */
export function patchErrorMessage(file: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the program's own @pulumi/pulumi, found at run time
  const mod = require(file) as ErrorModule;
  const original = mod.defaultErrorMessage;
  if (typeof original !== "function") return false;
  mod.defaultErrorMessage = (err: unknown): string => (inspectWouldLoop(err) ? util.inspect(err) : original(err));
  return true;
}

const target = process.env.PULUMI_ROOMS_RUN_ERROR;
if (target) {
  try {
    patchErrorMessage(target);
  } catch {
    // An SDK laid out differently: run it as it is.
  }
}
