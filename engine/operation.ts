/**
 * One operation of pulumi-rooms-local (preview, up, refresh, destroy) from start to end: the project and
 * checkpoint are read, the embedded emulator is started on its state file beside the checkpoint and the
 * stack is pointed at it, the provider host and the monitor are started, the program runs in the real
 * runtime (preview and up), the steps are reported as they end. Every operation that changes state first
 * takes the stack's lock (engine/stack-lock.ts), compacts a journal left by an earlier run and settles the
 * operations it left pending (engine/pending.ts); each state record goes to the journal (engine/journal.ts),
 * and the checkpoint is compacted from it at the end, however the operation ends. A cancellation (Ctrl-C,
 * SIGTERM, a closed pipe: engine/cancellation.ts) stops new steps and lets the ones in flight finish.
 *
 * Emulator only: vendor connection settings from the stack file are replaced by the
 * emulator's, and vendor credential variables are never passed on; real deployments need the Pulumi CLI.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { CONNECTION_CONFIG_KEYS, SECRET_CONFIG_KEYS } from "../provider/config-keys";
import type { Cancellation } from "./cancellation";
import { Checkpoint, checkpointFile, emulatorStateFile, stackDir } from "./checkpoint";
import { useColor } from "./color";
import { checkConfigKeys } from "./config-key";
import { Journal, type Pending } from "./journal";
import { settlePending } from "./pending";
import type { ProviderHost } from "./provider-host";
import { decryptConfig, loadProject, programMentions, type Project } from "./project";
import { Progress, type ProgressStream } from "./progress";
import { Report, stateAfterFailure, type Operation } from "./report";
import { runWithMonitor } from "./program-run";
import { roomDeclarations } from "./declarations";
import { DecisionMemo } from "./decision-memo";
import { OperationHost } from "./operation-host";
import { Deployment } from "./deployment";
import { stackEmulatorOptions } from "./emulator-settings";
import { StackSecrets } from "./secrets";
import { StackLock } from "./stack-lock";
import type { Step, StepObserver } from "./step";
import { StateChanges, type StateChange } from "./state-changes";
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
  /**
   * A running emulator on this stack's state file (`<stateDir>/emulator.json`) to use instead of starting
   * one: the caller owns it (pulumi-rooms/local keeps one per stack), so the operation never stops it.
   * Preview runs without an emulator either way.
   */
  emulator?: Emulator;
  /** Receives each report line (default: standard error). */
  write?: (line: string) => void;
  /** Asks the operation to cancel (the CLI routes signals and a closed pipe to it). */
  cancel?: Cancellation;
  /** `--parallel`: provider calls at once (default: unbounded). */
  parallel?: number;
  /** The command line's `--emulator-<option>` flags (they win over the stack's `emulator:*` config). */
  emulatorFlags?: ReadonlyMap<string, string | true>;
  /**
   * Where a person reads the report (the CLI's standard error): a live progress line is kept there, on a
   * terminal, and the report's lines go through it. Not used in preview.
   */
  progressStream?: ProgressStream;
}

export interface OperationResult {
  ok: boolean;
  steps: Step[];
  /** The stack outputs (wire form: secrets wrapped). */
  outputs: Props;
  stateDir: string;
  /** The emulator, still running, when keepEmulator was set. */
  emulator?: Emulator;
  /** Why the operation was cancelled, when it was. */
  cancelled?: string;
}

/** How each operation names itself when cancelled ("update cancelled"). */
const NOUN = { preview: "preview", up: "update", refresh: "refresh", destroy: "destroy" } as const;

export async function runOperation(options: OperationOptions): Promise<OperationResult> {
  const project = loadProject(options.cwd, options.stack);
  checkConfigKeys(project);
  const dir = options.stateDir ?? stackDir(project.root, options.stack);
  // First of all (before the emulator's own lock on its state file): one operation per stack.
  const lock = options.operation === "preview" ? undefined : StackLock.acquire(dir, options.operation, options.stack);
  if (lock) options.cancel?.beforeForce(() => lock.release());
  const host = new OperationHost({
    cwd: project.programDir,
    project: project.name,
    env: { PULUMI_NODEJS_STACK: options.stack },
  });
  if (roomsLikely(project, dir, options.operation)) host.warm();
  try {
    return await locked(options, project, dir, host);
  } finally {
    await host.stop();
    lock?.release();
  }
}

/** A guess, before the state loads: the stack holds rooms (a checkpoint past a stack's bare size) or the program names the package. */
function roomsLikely(project: Project, dir: string, operation: OperationOptions["operation"]): boolean {
  let size = 0;
  try {
    size = fs.statSync(checkpointFile(dir)).size;
  } catch {
    // No checkpoint yet.
  }
  if (size > 4096) return true;
  return (operation === "up" || operation === "preview") && programMentions(project, "pulumi-rooms");
}

async function locked(
  options: OperationOptions,
  project: Project,
  dir: string,
  hostProcess: OperationHost,
): Promise<OperationResult> {
  const preview = options.operation === "preview";
  const progress =
    options.progressStream && !preview
      ? new Progress(options.progressStream, { noColor: !useColor(process.env, true) })
      : undefined;
  const write = progress?.write ?? options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Escapes only where a person reads the report on a terminal (or FORCE_COLOR asks for them).
  const color = useColor(process.env, (options.progressStream ?? (options.write ? {} : process.stderr)).isTTY === true);
  const report = new Report(write, { diff: options.diff, verbose: options.verbose, color });
  fs.mkdirSync(dir, { recursive: true });
  report.header(options.operation, project.name, options.stack);
  const secrets = new StackSecrets(dir, {
    notice: (m) => report.log("info", m),
    ...(project.encryptionSalt ? { stackSalt: project.encryptionSalt } : {}),
  });
  const checkpoint = new Checkpoint(dir, secrets);
  const state = checkpoint.load();
  if (!preview && checkpoint.replayed) {
    checkpoint.compact(state);
    report.log(
      "info",
      `journal: the records of an earlier run that did not end were compacted into ${checkpoint.file}`,
    );
  }
  /** Pending operations of earlier runs, until settled; and this run's calls in flight, by seq. */
  let carried: readonly Pending[] = checkpoint.pending;
  const inFlight = new Map<number, Pending>();
  let roomsRemoved = 0;

  // Checked in preview too, so a typo in a setting shows before the first up.
  const settings = stackEmulatorOptions(project, options.emulatorFlags);
  // Preview makes no vendor request: it runs without the emulator and without any credentials.
  const owned = !preview && !options.emulator;
  const emulator = preview
    ? undefined
    : (options.emulator ?? (await startEmulator({ ...settings, port: 0, stateFile: emulatorStateFile(dir) })));
  // Whatever throws below, an emulator started here must not outlive the operation: a caller that never
  // receives it could not stop it, and its open server would keep the process alive.
  try {
    const config: Record<string, string> = {};
    for (const key of [...Object.keys(project.config), ...Object.keys(project.secureConfig)]) {
      const value = project.config[key];
      if (!CONNECTION_CONFIG_KEYS.includes(key)) config[key] = value ?? decryptConfig(project, key, secrets);
      else if (!emulator || emulator.stackConfig()[key] !== value) {
        report.log(
          "info",
          `ignoring ${key} from ${path.basename(project.stackFile ?? "Pulumi.yaml")}: pulumi-rooms-local only talks to its emulator (real deployments need the Pulumi CLI)`,
        );
      }
    }
    if (emulator) {
      Object.assign(config, emulator.stackConfig());
      report.log(
        "info",
        `emulator ${emulator.url} (rooms kept in ${emulatorStateFile(dir)}); real deployments need the Pulumi CLI`,
      );
      report.line();
    }
    const secretKeys = [
      ...SECRET_CONFIG_KEYS,
      ...Object.keys(project.secureConfig).filter((k) => !CONNECTION_CONFIG_KEYS.includes(k)),
    ].filter((k) => k in config);

    hostProcess.configure(config, secretKeys);
    const startHost = (): Promise<ProviderHost> => hostProcess.ready();
    const host = hostProcess.get;
    const journal = preview
      ? undefined
      : new Journal(dir, secrets, checkpoint.base, { beforeSettle: () => emulator?.flushState() });
    const changes = new StateChanges(state, (change: StateChange) => {
      if (change.kind === "begin") inFlight.set(change.seq, { call: change.call, entry: change.entry });
      else if (change.settles !== undefined) inFlight.delete(change.settles);
      if (change.kind === "remove" && change.settles !== undefined) roomsRemoved++;
      journal?.append(change);
    });
    const compact = (): void => {
      if (!journal) return;
      journal.close();
      if (
        !journal.stats.records &&
        carried === checkpoint.pending &&
        !checkpoint.replayed &&
        fs.existsSync(checkpoint.file)
      )
        return;
      // The emulator's rooms reach the disk before the checkpoint names them (the reverse is safe: create adopts).
      emulator?.flushState();
      checkpoint.compact(state, [...carried, ...inFlight.values()]);
    };
    options.cancel?.beforeForce(() => {
      // Ending at once: the rooms and the records of finished calls reach the disk; calls in flight stay pending.
      emulator?.flushState();
      journal?.flush();
    });
    // Loaded for destroy and refresh too, so the rooms they remove leave it.
    const memo = DecisionMemo.load(dir, project.programDir);
    const deployment = new Deployment({
      changes,
      provider: host,
      preview,
      memo,
      observer: progressing(report, preview, progress),
      ...(options.parallel ? { parallel: options.parallel } : {}),
    });
    // A stack holding rooms (known now, where `roomsLikely` guessed), or a program naming the package (which
    // `roomsLikely` already warmed the host for), most likely needs the host: it is started and configured
    // while the program loads rather than at the first registration (the SDK sends a program's
    // registrations once all are prepared: at 1000 rooms 2-3 s after it starts).
    const holdsRooms = [...state.resources.values()].some((r) => r.custom && !isProvider(r));
    if (holdsRooms || hostProcess.warmed) void startHost().catch(() => undefined);

    options.cancel?.whenRequested((reason) => {
      report.log(
        "warning",
        `${reason}: cancelling: waiting for ${inFlight.size} operations in flight (a second signal stops at once)`,
      );
      deployment.cancel();
    });

    let programFailed = false;
    try {
      if (!preview && carried.length) {
        await settlePending(carried, changes, host, (line) => report.log("info", line));
        carried = [];
      }
      if (deployment.cancelled) {
        // Cancelled before the first step: nothing to run.
      } else if (options.operation === "preview" || options.operation === "up") {
        programFailed = !(await runWithMonitor(project, options.stack, deployment, config, secretKeys, report, {
          parallel: options.parallel,
          showDebug: options.verbose === true,
          stateDir: dir,
          warmProvider: () => void startHost().catch(() => undefined),
        }));
        if (!programFailed) await deployment.finish();
      } else if (options.operation === "refresh") {
        await deployment.refresh();
      } else {
        await deployment.destroy();
      }
      if (
        roomsRemoved &&
        (programFailed || deployment.failed || deployment.cancelled || options.operation === "refresh")
      )
        dropStaleOutputs(changes, report);
    } finally {
      progress?.stop();
      // Ended before the state is compacted (one that no call needed is ended at once).
      const hostLines = await hostProcess.stop();
      if (options.verbose) for (const line of hostLines) report.log("debug", `provider host: ${line}`);
      // For the console (up --serve): which resource declared each room.
      emulator?.setDeclarations(options.stack, roomDeclarations(state));
      compact();
      if (!preview) memo.save(new Set(state.resources.keys()));
      if (owned && !options.keepEmulator) await emulator?.stop();
    }
    const outputs = stackOutputs(state);
    const cancelled = options.cancel?.reason;
    const ok = !programFailed && !deployment.failed && !cancelled;
    report.summary(options.operation, deployment.steps, outputs, !ok && !cancelled);
    if (cancelled)
      report.line(
        `error: ${NOUN[options.operation]} cancelled (${cancelled}); ${stateAfterFailure(options.operation)}`,
      );
    return {
      ok,
      steps: deployment.steps,
      outputs,
      stateDir: dir,
      ...(emulator && options.keepEmulator ? { emulator } : {}),
      ...(cancelled ? { cancelled } : {}),
    };
  } catch (error) {
    if (owned) await emulator?.stop();
    throw error;
  }
}

/**
 * The stack outputs are the program's last complete answer. When rooms left the state in a run whose
 * program did not answer again (it failed or was cancelled after a delete, or a refresh found rooms gone),
 * those outputs may name rooms that no longer exist, and which ones cannot be told: they are dropped until
 * the next complete `up` records them again.
 */
function dropStaleOutputs(changes: StateChanges, report: Report): void {
  for (const r of changes.state.resources.values()) {
    if (r.type !== "pulumi:pulumi:Stack" || !Object.keys(r.outputs).length) continue;
    changes.set({ ...r, outputs: {} });
    report.log(
      "warning",
      "stack outputs dropped: rooms they may name were deleted and the program did not complete; the next complete `up` records them again",
    );
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
