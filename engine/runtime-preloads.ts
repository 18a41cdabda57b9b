/**
 * What the runtime process is started with besides `cmd/run`'s own flags: the preloads that defer the
 * SDK's promise stack traces, remember resources' mapped stack traces, widen the monitor client's receive
 * window and drop unread debug log lines (engine/runtime-preload.ts), keep its error formatting from
 * looping (engine/runtime-error-preload.ts) and load the SDK's large, seldom used dependencies (closure
 * serializer, tracing) at their first use (engine/deferred-requires.ts), and the modules they patch,
 * resolved from the program folder as `cmd/run` itself is.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFER_REQUIRES_ENV } from "./deferred-requires";
import { LOOPBACK_WINDOW_BYTES, pulumiPath } from "./pulumi-modules";

export interface RuntimePreloads {
  /** Node flags, before the entry point. */
  readonly args: string[];
  readonly env: Record<string, string>;
}

/**
 * The preload flags; none when the engine runs from its TypeScript sources (no compiled preload beside it).
 * `showDebug`: the engine shows the program's debug log lines (`--verbose`), so they must still be sent.
 */
export function runtimePreloads(programDir: string, showDebug = false): RuntimePreloads {
  const preload = path.join(__dirname, "runtime-preload.js");
  const errorPreload = path.join(__dirname, "runtime-error-preload.js");
  const deferPreload = path.join(__dirname, "deferred-requires.js");
  if (![preload, errorPreload, deferPreload].every((f) => fs.existsSync(f))) return { args: [], env: {} };
  return {
    args: ["--require", deferPreload, "--require", preload, "--require", errorPreload],
    env: {
      [DEFER_REQUIRES_ENV]: "1",
      PULUMI_ROOMS_DEBUGGABLE: pulumiPath("runtime/debuggable", programDir),
      PULUMI_ROOMS_RUN_ERROR: pulumiPath("cmd/run/error", programDir),
      PULUMI_ROOMS_GRPC_WINDOW: String(LOOPBACK_WINDOW_BYTES),
      ...(showDebug ? {} : { PULUMI_ROOMS_DROP_DEBUG_LOGS: "1" }),
    },
  };
}
