/**
 * Runs pulumi-rooms-local for the end-to-end tests: on copies of example or fixture projects placed inside
 * the repository (so `pulumi-rooms` and `@pulumi/pulumi` resolve from its node_modules, as for the examples),
 * in-process through `runOperation` (steps and report lines at hand) or as the real CLI process.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { Checkpoint } from "../../engine/checkpoint";
import { runOperation, type OperationResult } from "../../engine/operation";
import type { Operation } from "../../engine/report";
import type { StackState } from "../../engine/state";

export const REPO = path.resolve(__dirname, "..", "..");
export const CLI = path.join(REPO, "dist", "engine", "cli.js");
/** The program's TypeScript is type-checked by test/host/examples-projects.test.ts; here ts-node only transpiles. */
process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
let seq = 0;

/** A copy of a project folder inside the repository's ignored `.pulumi-rooms/`, removed by `remove()`. */
export class Workspace {
  readonly dir: string;

  constructor(
    source: string,
    readonly stack = "test",
  ) {
    this.dir = path.join(REPO, ".pulumi-rooms", `e2e-${process.pid}-${++seq}-${path.basename(source)}`);
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    for (const f of fs.readdirSync(source)) {
      if (f === "node_modules" || f === ".pulumi-rooms" || f.startsWith(".")) continue;
      fs.cpSync(path.join(source, f), path.join(this.dir, f), { recursive: true });
    }
  }

  get stateDir(): string {
    return path.join(this.dir, ".pulumi-rooms", this.stack);
  }

  /** Writes `Pulumi.<stack>.yaml` (plain values, keys as `pulumi config set` writes them). */
  config(values: Record<string, string | number | boolean>): void {
    const lines = Object.entries(values).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
    fs.writeFileSync(path.join(this.dir, `Pulumi.${this.stack}.yaml`), `config:\n${lines.join("\n")}\n`);
  }

  /** Edits the program text. */
  edit(file: string, from: string, to: string): void {
    const p = path.join(this.dir, file);
    const text = fs.readFileSync(p, "utf8");
    if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
    fs.writeFileSync(p, text.replace(from, to));
  }

  /** One operation in-process; the report lines are kept on the result. */
  async run(operation: Operation, options: { diff?: boolean } = {}): Promise<OperationResult & { lines: string[] }> {
    const lines: string[] = [];
    const result = await runOperation({
      operation,
      cwd: this.dir,
      stack: this.stack,
      write: (l) => lines.push(l),
      ...options,
    });
    return { ...result, lines };
  }

  /** The CLI as a process (`node dist/engine/cli.js <args> --cwd <dir> --stack <stack>`). */
  cli(args: string[]): { code: number | null; stdout: string; stderr: string } {
    const run = spawnSync(process.execPath, [CLI, ...args, "--cwd", this.dir, "--stack", this.stack], {
      encoding: "utf8",
      timeout: 120_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  checkpoint(): StackState {
    return new Checkpoint(this.stateDir).load();
  }

  checkpointText(): string {
    const file = path.join(this.stateDir, "checkpoint.json");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  }

  /** The emulator on the stack's state file, for a look (or a change behind Pulumi's back); stopped after. */
  async withEmulator<T>(fn: (emu: Emulator) => T | Promise<T>): Promise<T> {
    const emu = await startEmulator({ port: 0, stateFile: path.join(this.stateDir, "emulator.json") });
    try {
      return await fn(emu);
    } finally {
      await emu.stop();
    }
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Spawns the CLI without waiting (the crash test kills it). */
export function spawnCli(args: string[]) {
  return spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

/** The process ids under a parent (from /proc), to end exactly the processes a killed engine started. */
export { descendantsOf as descendants } from "../../bench/proc-tree";
