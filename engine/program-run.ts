/**
 * One run of the program: the monitor (engine/monitor.ts) serves its registrations to the deployment while
 * the program runs in Pulumi's Node runtime (engine/runtime.ts); the program's log lines go to the report.
 */
import type { Deployment } from "./deployment";
import { startMonitor, type LogLevel } from "./monitor";
import type { loadProject } from "./project";
import type { Report } from "./report";
import { runProgram } from "./runtime";

/** The program in the runtime against our monitor; false when the program itself failed. */
export async function runWithMonitor(
  project: ReturnType<typeof loadProject>,
  stack: string,
  deployment: Deployment,
  config: Record<string, string>,
  secretKeys: string[],
  report: Report,
  run: { parallel?: number; showDebug?: boolean } = {},
): Promise<boolean> {
  let errors = 0;
  const monitor = await startMonitor({
    project: project.name,
    projectRoot: project.root,
    stack,
    deployment,
    onLog: (level: LogLevel, message: string, urn: string) => {
      if (level === "error") errors++;
      report.log(level, message, urn);
    },
    onWarning: (message) => report.log("warning", message),
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
      onOutput: (line) => report.log("info", line),
    });
    await monitor.idle();
    // 32: the program failed and already said why (Engine.Log); other codes were not reported yet.
    if (code !== 0 && code !== 32) report.log("error", `the program exited with code ${code}`);
    return code === 0 && errors === 0;
  } finally {
    await monitor.stop();
  }
}
