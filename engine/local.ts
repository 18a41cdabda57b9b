/**
 * `pulumi-rooms/local`: the local engine as a library, for integration tests of a program that uses
 * pulumi-rooms, shaped like Pulumi's Automation API (`LocalWorkspace.createOrSelectStack`, a stack with
 * `preview`, `up`, `refresh`, `destroy`, `outputs`, `exportStack`; results with a change summary). Each
 * operation is the one `pulumi-rooms-local` runs (engine/operation.ts): the real program in Pulumi's
 * runtime, the real dynamic-provider host, and the embedded emulator, never a real vendor. The stack keeps
 * one emulator for its life, on the stack's state file, so a test can look at the rooms between operations
 * (`stack.emulator()`); `close()` stops it.
 *
 * @example
 * const stack = await LocalWorkspace.createOrSelectStack({ workDir: projectDir, stackName: "test" });
 * try {
 *   const up = await stack.up();
 *   assert.equal(up.summary.resourceChanges.create, 2);
 *   assert.equal((await stack.emulator()).tencent.rooms()[0]?.RoomName, "Daily stand-up");
 *   await stack.destroy();
 * } finally {
 *   await stack.close();
 * }
 */
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { UsageError } from "./args";
import { defaultParallel } from "./call-limit";
import { Cancellation } from "./cancellation";
import { Checkpoint, emulatorStateFile, stackDir } from "./checkpoint";
import { stackEmulatorOptions } from "./emulator-settings";
import { OperationCancelledError, OperationFailedError, StackClosedError } from "./local-errors";
import {
  changeCounts,
  outputMap,
  resourceSteps,
  type Deployment,
  type DestroyResult,
  type OperationResultOf,
  type OutputMap,
  type PreviewResult,
  type RefreshResult,
  type ResourceStep,
  type UpdateKind,
  type UpdateSummary,
  type UpResult,
} from "./local-results";
import { runOperation, stackOutputs, type OperationResult } from "./operation";
import { loadProject, type Project } from "./project";
import { findProjectRoot } from "./project-root";
import type { Operation } from "./report";
import { getStackConfig, removeStackConfig, setStackConfig } from "./stack-config";
import { emptyStack } from "./state";

export type * from "./local-results";
export { OperationCancelledError, OperationFailedError, StackClosedError } from "./local-errors";
export { RoomsError, type RoomsErrorCode } from "../provider/core/errors";
export { ProjectError } from "./project";
export { UsageError } from "./args";
export { StackLockedError } from "./stack-lock";
export type {
  Emulator,
  TencentRoomRecord,
  TencentMemberRecord,
  ZegoAttributeRecord,
  ZegoRoomRecord,
  ZegoRoomUserRecord,
  ZegoUserRecord,
} from "../emulator";

/** Which project and stack (Pulumi's `LocalProgramArgs`, plus where the state lives). */
/** One config value, as Pulumi's Automation API `ConfigValue`: the text, and whether it is secret. */
export interface ConfigValue {
  readonly value: string;
  readonly secret?: boolean;
}

export interface LocalProgramArgs {
  /** The Pulumi project folder, or a folder inside it (the nearest `Pulumi.yaml` up is the project). */
  readonly workDir: string;
  /** The stack: its config is `Pulumi.<stackName>.yaml` [local]. */
  readonly stackName?: string;
  /**
   * Where the checkpoint, the emulator's rooms and the secrets passphrase file live
   * [`<project>/.pulumi-rooms/<stackName>`, where `pulumi-rooms-local` keeps them]. A temporary folder
   * gives each test run a fresh stack.
   */
  readonly stateDir?: string;
}

/** Options of every operation (Pulumi's `UpOptions` and friends, where the names fit). */
export interface OperationOptions {
  /** Receives each report line as it is written (without its newline), e.g. `(line) => console.log(line)`. */
  readonly onOutput?: (line: string) => void;
  /** Show each changed property, old => new, in the report (the CLI's `--diff`). */
  readonly diff?: boolean;
  /** Provider calls at once (the CLI's `--parallel`) [4 x CPUs]. */
  readonly parallel?: number;
  /**
   * Cancels the operation as the CLI's first Ctrl-C does: no new steps, the ones in flight finish and are
   * recorded; the operation then rejects with an OperationCancelledError.
   */
  readonly signal?: AbortSignal;
}

/** The stack names `pulumi-rooms-local --stack` accepts. */
const STACK_NAME = /^[A-Za-z0-9._-]+$/;

/** Opens stacks of a project on disk (Pulumi's `LocalWorkspace`, for this engine). */
export class LocalWorkspace {
  private constructor() {}

  /**
   * The stack of the project at `args.workDir`: its state is used when there is some (an earlier `up`), or
   * starts empty. Reads `Pulumi.yaml` and the stack file now, so a project mistake fails here.
   *
   * @throws ProjectError naming the file and the rule when the folder is not a usable Pulumi project.
   * @throws UsageError when `stackName` is not a stack name.
   */
  static async createOrSelectStack(args: LocalProgramArgs): Promise<LocalStack> {
    const stackName = args.stackName ?? "local";
    if (!STACK_NAME.test(stackName))
      throw new UsageError(`stackName "${stackName}" is not a stack name (letters, digits, '.', '_', '-')`);
    const root = findProjectRoot(args.workDir);
    const project = loadProject(root, stackName);
    return new LocalStack(stackName, root, path.resolve(args.stateDir ?? stackDir(project.root, stackName)));
  }
}

/**
 * One stack of a project (Pulumi's `Stack`, for this engine). Operations on one stack run one at a time
 * (a second `up` while one runs is refused with StackLockedError, as the CLI refuses it); call `close()`
 * when done, to stop the stack's emulator.
 */
export class LocalStack {
  private emulatorStarting: Promise<Emulator> | undefined;
  private closed = false;

  /** @internal Use LocalWorkspace.createOrSelectStack. */
  constructor(
    /** The stack's name. */
    readonly name: string,
    /** The project folder (the one holding `Pulumi.yaml`). */
    readonly workDir: string,
    /** Where the stack's checkpoint and the emulator's rooms (`emulator.json`) live. */
    readonly stateDir: string,
  ) {}

  /** What `up` would do, counted; no room is touched and no emulator is needed. */
  async preview(options: OperationOptions = {}): Promise<PreviewResult> {
    const ran = await this.run("preview", options);
    return settle("preview", ran, { ...reported(ran), changeSummary: changeCounts(ran.result.steps) });
  }

  /** Creates, updates or replaces the declared rooms and deletes the ones no longer declared. */
  async up(options: OperationOptions = {}): Promise<UpResult> {
    const ran = await this.run("up", options);
    return settle("up", ran, {
      ...reported(ran),
      summary: summary("update", ran),
      outputs: outputMap(ran.result.outputs),
    });
  }

  /** Reads every room back from the emulator and records what it holds. */
  async refresh(options: OperationOptions = {}): Promise<RefreshResult> {
    const ran = await this.run("refresh", options);
    return settle("refresh", ran, { ...reported(ran), summary: summary("refresh", ran) });
  }

  /** Deletes every resource of the stack. */
  async destroy(options: OperationOptions = {}): Promise<DestroyResult> {
    const ran = await this.run("destroy", options);
    return settle("destroy", ran, { ...reported(ran), summary: summary("destroy", ran) });
  }

  /** The stack outputs of the last complete `up` (empty before the first). */
  async outputs(): Promise<OutputMap> {
    this.assertOpen();
    const checkpoint = new Checkpoint(this.stateDir);
    return checkpoint.exists ? outputMap(stackOutputs(checkpoint.load())) : {};
  }

  /** The stack's state as `pulumi stack export` writes it (version 3; secrets as ciphertext). */
  async exportStack(): Promise<Deployment> {
    this.assertOpen();
    const checkpoint = new Checkpoint(this.stateDir);
    return checkpoint.exists ? checkpoint.readForExport() : checkpoint.toDeployment(emptyStack());
  }

  /**
   * Sets one config value in `Pulumi.<stack>.yaml`, as `pulumi config set [--secret]` does (a secret is
   * encrypted with the passphrase secrets provider; the passphrase as for the stack's operations). A key of
   * the package's namespaces it does not read is refused with the nearest known one (UsageError).
   */
  async setConfig(key: string, value: ConfigValue): Promise<void> {
    this.assertOpen();
    setStackConfig(this.workDir, this.name, key, value.value, { stateDir: this.stateDir, secret: value.secret });
  }

  /** One config value as the program receives it (secrets decrypted); undefined when it is not set. */
  async getConfig(key: string): Promise<ConfigValue | undefined> {
    this.assertOpen();
    return getStackConfig(this.workDir, this.name, key, { stateDir: this.stateDir });
  }

  /** Removes one key from `Pulumi.<stack>.yaml`, as `pulumi config rm` does; false when it was not set there. */
  async removeConfig(key: string): Promise<boolean> {
    this.assertOpen();
    return removeStackConfig(this.workDir, this.name, key);
  }

  /**
   * The stack's emulator, running on its state file until `close()`: look at the rooms
   * (`tencent.rooms()`, `zego.rooms()`), or change them behind the program's back before a `refresh`.
   * Started on the first call (or the first `up`, `refresh` or `destroy`) with the stack's `emulator:*`
   * settings as they are then.
   */
  async emulator(): Promise<Emulator> {
    this.assertOpen();
    this.emulatorStarting ??= startEmulator({
      ...stackEmulatorOptions(this.project()),
      port: 0,
      stateFile: emulatorStateFile(this.stateDir),
    });
    try {
      return await this.emulatorStarting;
    } catch (error) {
      this.emulatorStarting = undefined;
      throw error;
    }
  }

  /** Stops the stack's emulator (its rooms stay in the state file). Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    const starting = this.emulatorStarting;
    this.emulatorStarting = undefined;
    const emulator = await starting?.catch(() => undefined);
    await emulator?.stop();
  }

  /** The project and this stack's config as they are on disk now. */
  private project(): Project {
    return loadProject(this.workDir, this.name);
  }

  private assertOpen(): void {
    if (this.closed) throw new StackClosedError(this.name);
  }

  /** Runs one operation on the stack's emulator, keeping the report lines. */
  private async run(operation: Operation, options: OperationOptions): Promise<Ran> {
    this.assertOpen();
    const emulator = operation === "preview" ? undefined : await this.emulator();
    const lines: string[] = [];
    const cancel = options.signal && new Cancellation();
    const abort = (): void => void cancel?.request(abortReason(options.signal));
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener("abort", abort, { once: true });
    const startTime = new Date();
    try {
      const result = await runOperation({
        operation,
        cwd: this.workDir,
        stack: this.name,
        stateDir: this.stateDir,
        diff: options.diff ?? false,
        parallel: options.parallel ?? defaultParallel(),
        write: (line) => {
          lines.push(line);
          options.onOutput?.(line);
        },
        ...(cancel ? { cancel } : {}),
        ...(emulator ? { emulator } : {}),
      });
      return { result, lines, startTime };
    } finally {
      options.signal?.removeEventListener("abort", abort);
    }
  }
}

/** One operation as the engine ran it, with its report lines. */
interface Ran {
  readonly result: OperationResult;
  readonly lines: readonly string[];
  readonly startTime: Date;
}

function reported(ran: Ran): { stdout: string; stderr: string; steps: ResourceStep[] } {
  return {
    stdout: ran.lines.length ? `${ran.lines.join("\n")}\n` : "",
    stderr: "",
    steps: resourceSteps(ran.result.steps),
  };
}

function summary(kind: UpdateKind, ran: Ran): UpdateSummary {
  return {
    kind,
    startTime: ran.startTime,
    endTime: new Date(),
    result: ran.result.ok ? "succeeded" : "failed",
    resourceChanges: changeCounts(ran.result.steps),
  };
}

/** The result, or the typed error that carries it when the operation failed or was cancelled. */
function settle<O extends Operation>(operation: O, ran: Ran, result: OperationResultOf<O>): OperationResultOf<O> {
  const { cancelled, ok } = ran.result;
  if (cancelled !== undefined)
    throw new OperationCancelledError(operation, result, failureReport(operation, ran.lines), cancelled);
  if (!ok) throw new OperationFailedError(operation, result, failureReport(operation, ran.lines));
  return result;
}

/**
 * The report's lines about a failure: each failed step (its columns closed up), the errors under it and
 * the program's, and the closing error line.
 */
function failureReport(operation: Operation, lines: readonly string[]): string[] {
  const picked = lines
    .filter((l) => /\*\*[a-z]+ failed\*\*/.test(l) || /^\s*error: /.test(l))
    .map((l) => (/^\s*error: /.test(l) ? l : `  ${l.trim().replace(/\s{2,}/g, " ")}`));
  return [`${operation} failed:`, ...picked];
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (typeof reason === "string" && reason) return reason;
  if (reason instanceof Error && reason.name !== "AbortError") return reason.message;
  return "aborted";
}
