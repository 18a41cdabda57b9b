/**
 * One run of the program: the monitor (engine/monitor.ts) serves its registrations to the deployment while
 * the program runs in Pulumi's Node runtime (engine/runtime.ts); the program's log lines go to the report.
 * A TypeScript program's type check runs beside it (engine/type-check.ts): until it passes, the program
 * runs and its registrations are decided, but no step changes anything or is reported and the program's
 * output is held (Deployment.holdUntil); when it fails, the program is stopped, nothing it registered is
 * stepped, its held output is dropped, and the error reported as the type-checking runtime would have.
 */
import { explainMissingConfig } from "./config-key";
import type { Deployment } from "./deployment";
import { startMonitor, type LogLevel } from "./monitor";
import type { loadProject } from "./project";
import type { Report } from "./report";
import { runProgram } from "./runtime";
import { startTypeCheck, TYPE_CHECK_CACHE } from "./type-check";

export interface RunOptions {
  /** `--parallel` as passed on to the runtime. */
  parallel?: number;
  /** `--verbose`: the program's debug lines are shown. */
  showDebug?: boolean;
  /** The stack's folder, where a passed type check is remembered. */
  stateDir: string;
  /** Starts the provider host at the first custom registration, however long registrations wait. */
  warmProvider?: () => void;
}

/** The program in the runtime against our monitor; false when the program itself failed. */
export async function runWithMonitor(
  project: ReturnType<typeof loadProject>,
  stack: string,
  deployment: Deployment,
  config: Record<string, string>,
  secretKeys: string[],
  report: Report,
  run: RunOptions,
): Promise<boolean> {
  let errors = 0;
  const check = startTypeCheck(project, run.stateDir);
  const checked = check?.result;
  // Until the check passes, what the program says waits; if it fails, it was never said.
  let held: (() => void)[] | undefined = checked ? [] : undefined;
  const say = (line: () => void): void => {
    if (held) held.push(line);
    else line();
  };
  const stopProgram = new AbortController();
  const ready = checked?.then((result) => {
    const lines = held ?? [];
    held = undefined;
    if (!result.ok) {
      errors++;
      report.log("error", result.message);
      stopProgram.abort();
      return false;
    }
    report.log(
      "debug",
      result.cached ? `type check: no file changed since it passed (${TYPE_CHECK_CACHE})` : "type check: passed",
    );
    for (const line of lines) line();
    return true;
  });
  if (ready) deployment.holdUntil(ready);
  const monitor = await startMonitor({
    project: project.name,
    projectRoot: project.root,
    stack,
    deployment,
    onLog: (level: LogLevel, message: string, urn: string) =>
      say(() => {
        if (level === "error") errors++;
        report.log(level, level === "error" ? explainMissingConfig(message, project.name, stack) : message, urn);
      }),
    onWarning: (message) => say(() => report.log("warning", message)),
    ...(run.warmProvider ? { onCustom: run.warmProvider } : {}),
  });
  try {
    const code = await runProgram({
      project,
      stack,
      monitor: monitor.address,
      dryRun: deployment.preview,
      config,
      secretKeys,
      ...(run.parallel ? { parallel: run.parallel } : {}),
      showDebug: run.showDebug === true,
      transpileOnly: check !== undefined,
      signal: stopProgram.signal,
      onOutput: (line) => say(() => report.log("info", line)),
    });
    const passed = (await ready) ?? true;
    await monitor.idle();
    await deployment.settled();
    if (!passed) return false;
    // 32: the program failed and already said why (Engine.Log); other codes were not reported yet.
    if (code !== 0 && code !== 32) report.log("error", `the program exited with code ${code}`);
    return code === 0 && errors === 0;
  } finally {
    await monitor.stop();
  }
}
