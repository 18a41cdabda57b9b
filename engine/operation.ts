/**
 * One operation of pulumi-rooms-local (preview, up, refresh, destroy) from start to end: the project and
 * checkpoint are read, the embedded emulator is started on its state file beside the checkpoint and the
 * stack is pointed at it, the provider host and the monitor are started, the program runs in the real
 * runtime (preview and up), the steps are reported as they end and the checkpoint is written after each
 * change of the state.
 *
 * Emulator only (design invariant 11): vendor connection settings from the stack file are replaced by the
 * emulator's, and vendor credential variables are never passed on; real deployments need the Pulumi CLI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { CONNECTION_CONFIG_KEYS, SECRET_CONFIG_KEYS } from "../provider/config-keys";
import { Checkpoint, stackDir } from "./checkpoint";
import { ProviderHost } from "./provider-host";
import { startMonitor, type LogLevel } from "./monitor";
import { decryptConfig, loadProject } from "./project";
import { Progress } from "./progress";
import { Report, type Operation } from "./report";
import { runProgram } from "./runtime";
import { Deployment } from "./deployment";
import { emulatorOptions } from "./emulator-settings";
import { StackSecrets } from "./secrets";
import type { Step, StepObserver } from "./step";
import { changesState, StateChanges } from "./state-changes";
import { isProvider, type StackState } from "./state";
import type { Props } from "./wire";


export interface OperationOptions {
  operation: Operation;
  /** The Pulumi project folder. */
  cwd: string;
  stack: string;
  /** `--diff`: show changed properties. */
  diff?: boolean;
  /** Show the program's debug logs and the provider host's output. */
  verbose?: boolean;
  /** Where the checkpoint, emulator state and secrets passphrase file live (default `<cwd>/.pulumi-rooms/<stack>`). */
  stateDir?: string;
  /** Leave the emulator running and return it (for `npm start -- --serve`). */
  keepEmulator?: boolean;
  /** Receives each report line (default: standard error). */
  write?: (line: string) => void;
  /** `--parallel`: provider calls at once (default: unbounded). */
  parallel?: number;
  /** The command line's `--emulator-<option>` flags (they win over the stack's `emulator:*` config). */
  emulatorFlags?: ReadonlyMap<string, string | true>;
}

export interface OperationResult {
  ok: boolean;
  steps: Step[];
  /** The stack outputs (wire form: secrets wrapped). */
  outputs: Props;
  stateDir: string;
  /** The emulator, still running, when keepEmulator was set. */
  emulator?: Emulator;
}

export async function runOperation(options: OperationOptions): Promise<OperationResult> {
  // The live progress only where a person reads standard error: not for a caller's own writer, not in preview.
  const progress = options.write || options.operation === "preview" ? undefined : new Progress(process.stderr, { noColor: Boolean(process.env.NO_COLOR) });
  const write = options.write ?? progress?.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const report = new Report(write, { diff: options.diff, verbose: options.verbose });
  const project = loadProject(options.cwd, options.stack);
  const dir = options.stateDir ?? stackDir(project.root, options.stack);
  fs.mkdirSync(dir, { recursive: true });
  const preview = options.operation === "preview";
  report.header(options.operation, project.name, options.stack);
  const secrets = new StackSecrets(dir, { notice: (m) => report.log("info", m), ...(project.encryptionSalt ? { stackSalt: project.encryptionSalt } : {}) });
  const checkpoint = new Checkpoint(dir, secrets);
  const state = checkpoint.load();

  // Checked in preview too, so a typo in a setting shows before the first up.
  const settings = emulatorOptions(project.config, options.emulatorFlags ?? new Map(), path.basename(project.stackFile ?? "Pulumi.yaml"));
  // Preview makes no vendor request: it runs without the emulator and without any credentials.
  const emulator = preview ? undefined : await startEmulator({ ...settings, port: 0, stateFile: path.join(dir, "emulator.json") });
  // Whatever throws below, the emulator must not outlive the operation: a caller that never receives it
  // could not stop it, and its open server would keep the process alive.
  try {
    const config: Record<string, string> = {};
    for (const key of [...Object.keys(project.config), ...Object.keys(project.secureConfig)]) {
      const value = project.config[key];
      if (!CONNECTION_CONFIG_KEYS.includes(key)) config[key] = value ?? decryptConfig(project, key, secrets);
      else if (!emulator || emulator.stackConfig()[key] !== value) {
        report.log("info", `ignoring ${key} from ${path.basename(project.stackFile ?? "Pulumi.yaml")}: pulumi-rooms-local only talks to its emulator (real deployments need the Pulumi CLI)`);
      }
    }
    if (emulator) {
      Object.assign(config, emulator.stackConfig());
      report.log("info", `emulator ${emulator.url} (rooms kept in ${path.join(dir, "emulator.json")}); real deployments need the Pulumi CLI`);
      report.line();
    }
    const secretKeys = [...SECRET_CONFIG_KEYS, ...Object.keys(project.secureConfig).filter((k) => !CONNECTION_CONFIG_KEYS.includes(k))].filter((k) => k in config);

    let hostStarting: Promise<ProviderHost> | undefined;
    const host = (): Promise<ProviderHost> =>
      (hostStarting ??= (async () => {
        const h = await ProviderHost.start({ cwd: project.programDir, project: project.name, env: { PULUMI_NODEJS_STACK: options.stack } });
        await h.configure(config, secretKeys);
        return h;
      })());
    const persist = (): void => {
      if (preview) return;
      // The emulator's rooms are on disk before the checkpoint says they exist, so a crash never leaves a
      // checkpoint that names rooms the emulator forgot (the reverse is safe: create adopts).
      emulator?.flushState();
      checkpoint.save(state);
    };
    // Every change of the state (not the pending-operation records) is persisted as it happens.
    const changes = new StateChanges(state, (change) => {
      if (changesState(change)) persist();
    });
    const deployment = new Deployment({ changes, provider: host, preview, observer: progressing(report, preview, progress), ...(options.parallel ? { parallel: options.parallel } : {}) });
    // A stack that holds rooms needs the host whatever the program declares: start it while the program
    // loads rather than at the first registration (a failure to start is reported by the first call).
    if ([...state.resources.values()].some((r) => r.custom && !isProvider(r))) void host().catch(() => undefined);

    let programFailed = false;
    try {
      if (options.operation === "preview" || options.operation === "up") {
        programFailed = !(await runWithMonitor(project, options.stack, deployment, config, secretKeys, report, options.parallel));
        if (!programFailed) await deployment.finish();
      } else if (options.operation === "refresh") {
        await deployment.refresh();
      } else {
        await deployment.destroy();
      }
    } finally {
      progress?.stop();
      if (hostStarting) {
        const h = await hostStarting.catch(() => undefined);
        if (h && options.verbose) for (const line of h.output) report.log("debug", `provider host: ${line}`);
        await h?.stop();
      }
      persist();
      if (emulator && !options.keepEmulator) await emulator.stop();
    }
    const outputs = stackOutputs(state);
    const ok = !programFailed && !deployment.failed;
    report.summary(options.operation, deployment.steps, outputs, !ok);
    return { ok, steps: deployment.steps, outputs, stateDir: dir, ...(emulator && options.keepEmulator ? { emulator } : {}) };
  } catch (error) {
    await emulator?.stop();
    throw error;
  }
}

/** The program in the runtime against our monitor; false when the program itself failed. */
async function runWithMonitor(
  project: ReturnType<typeof loadProject>,
  stack: string,
  deployment: Deployment,
  config: Record<string, string>,
  secretKeys: string[],
  report: Report,
  parallel?: number,
): Promise<boolean> {
  let errors = 0;
  const monitor = await startMonitor({
    project: project.name,
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
      ...(parallel ? { parallel } : {}),
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

/** The step observer: each finished step reported, and counted by the progress display. */
function progressing(report: Report, preview: boolean, progress: Progress | undefined): StepObserver {
  return {
    started: (_urn, op) => progress?.started(op),
    finished: (step) => {
      progress?.finished(step);
      report.step(step, preview);
    },
  };
}

/** The stack resource's outputs. */
export function stackOutputs(state: StackState): Props {
  for (const r of state.resources.values()) if (r.type === "pulumi:pulumi:Stack") return r.outputs;
  return {};
}
