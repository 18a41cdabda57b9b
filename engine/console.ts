/**
 * The web console while you work. `pulumi-rooms-local console` starts the stack's emulator on its state
 * file (the rooms and the request log as the last operation left them, and which resource declared each
 * room, from the checkpoint) and serves it until Ctrl-C or SIGTERM; `up --serve` keeps serving the
 * emulator the up used. While it serves, the console holds the stack's lock (engine/stack-lock.ts), so an
 * operation started meanwhile is refused naming it, rather than failing on the emulator's own lock on its
 * state file (emulator/state-lock.ts: one writer per state file).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { UsageError, type FlagSpec } from "./args";
import { Checkpoint, emulatorStateFile, stackDir } from "./checkpoint";
import { roomDeclarations } from "./declarations";
import { EMULATOR_FLAGS, stackEmulatorOptions } from "./emulator-settings";
import type { OperationResult } from "./operation";
import { loadProject } from "./project";
import { StackLock, StackLockedError } from "./stack-lock";

/** `up --serve`. */
export const SERVE_FLAG: FlagSpec = {
  name: "serve",
  help: "after the up, keep the stack's emulator and its web console running until Ctrl-C (pulumi-rooms-local console does so later)",
};

/** The `console` command's own flags (besides --cwd, --stack, --help). */
export const CONSOLE_FLAGS: FlagSpec[] = [
  { name: "port", value: "N", help: "the emulator's port on 127.0.0.1 (default: a free one)" },
  ...EMULATOR_FLAGS,
];

/** The lock's name for a serving console. */
const HOLDER = "console";

export interface ConsoleOptions {
  /** The project folder (found already). */
  cwd: string;
  stack: string;
  /** The command line's flags (`--port`, `--emulator-<option>`). */
  flags: ReadonlyMap<string, string | true>;
  /** Receives each line for the user (the CLI's standard error). */
  write: (line: string) => void;
}

/**
 * `pulumi-rooms-local console`: serves the stack's emulator until a signal; resolves with the exit code.
 * @throws UsageError when the stack has no state yet, or `--port` is not a port.
 * @throws StackLockedError when an operation (or another console) holds the stack.
 */
export async function runConsole(options: ConsoleOptions): Promise<number> {
  const project = loadProject(options.cwd, options.stack);
  const dir = stackDir(project.root, options.stack);
  const stateFile = emulatorStateFile(dir);
  if (!fs.existsSync(stateFile))
    throw new UsageError(
      `stack "${options.stack}" of ${project.name} has no emulator state in ${dir}: run \`pulumi-rooms-local up --stack ${options.stack}\` first (\`up --serve\` serves the console after the up)`,
    );
  const port = portOf(options.flags.get("port"));
  const settings = stackEmulatorOptions(project, options.flags);
  const lock = lockForConsole(dir, options.stack);
  try {
    const emulator = await startEmulator({ ...settings, port, stateFile, log: notesTo(options.write) });
    try {
      try {
        emulator.setDeclarations(options.stack, roomDeclarations(new Checkpoint(dir).load()));
      } catch (error) {
        options.write(
          `warning: which resource declared each room is not shown: the checkpoint could not be read (${error instanceof Error ? error.message : String(error)})`,
        );
      }
      return await serve(emulator, options.stack, options.write, lock);
    } finally {
      await emulator.stop();
    }
  } finally {
    lock.release();
  }
}

/**
 * `up --serve`: after the operation, serves the emulator it kept (unless the operation was cancelled: a
 * Ctrl-C during the up asks to stop, not to serve), then stops it. Resolves with the exit code.
 */
export async function serveAfterOperation(
  result: OperationResult,
  stack: string,
  write: (line: string) => void,
): Promise<number> {
  const code = result.ok ? 0 : 1;
  const emulator = result.emulator;
  if (!emulator) return code;
  try {
    if (result.cancelled) return code;
    const lock = lockForConsole(result.stateDir, stack);
    try {
      await serve(emulator, stack, write, lock);
    } finally {
      lock.release();
    }
    return code;
  } finally {
    await emulator.stop();
  }
}

/** Prints where the console is, then waits for Ctrl-C, SIGTERM or a lost terminal. */
async function serve(emulator: Emulator, stack: string, write: (line: string) => void, lock: StackLock): Promise<0> {
  const rooms = emulator.tencent.rooms().length + emulator.zego.rooms().length;
  write(`console: ${emulator.consoleUrl}`);
  write(
    `  stack "${stack}": ${rooms} room(s) at the emulator ${emulator.url}; serving until Ctrl-C (the stack stays locked meanwhile: ${lock.file})`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
    const handler = (received: NodeJS.Signals): void => {
      for (const s of signals) process.off(s, handler);
      resolve(received);
    };
    for (const s of signals) process.on(s, handler);
  });
  write(`console stopped (${signal}); the rooms and the request log stay in ${path.dirname(lock.file)}`);
  return 0;
}

/** Takes the stack's lock for the console; an operation holding it is named, with what to do instead. */
function lockForConsole(dir: string, stack: string): StackLock {
  try {
    return StackLock.acquire(dir, HOLDER, stack);
  } catch (error) {
    if (!(error instanceof StackLockedError) || error.stale || !error.holder) throw error;
    const { operation, pid } = error.holder;
    const doing =
      operation === HOLDER
        ? `another console (pid ${pid}) serves stack "${stack}": open the URL it printed, or stop it first`
        : `\`${operation}\` (pid ${pid}) is running on stack "${stack}" and its emulator holds the state file: its console is at the URL that operation printed while it runs; start \`console\` again once it ends (or run \`up --serve\` next time)`;
    throw new StackLockedError(doing, error.holder, false);
  }
}

function portOf(value: string | true | undefined): number {
  if (value === undefined) return 0;
  if (value === true || !/^\d{1,5}$/.test(value) || Number(value) > 65535)
    throw new UsageError(`--port must be a port number (0-65535), not ${JSON.stringify(value)}`);
  return Number(value);
}

/** The emulator's own notes (a stale lock taken over, a write that failed, a refused request), not one line per request. */
function notesTo(write: (line: string) => void): (line: string) => void {
  return (line) => {
    if (line.startsWith("emulator: ")) write(line);
  };
}
