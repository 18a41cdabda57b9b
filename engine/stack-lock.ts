/**
 * One operation at a time per stack, as the Pulumi CLI locks a stack for the length of an update: an
 * exclusive lock file `lock.json` in the stack's folder, created with O_EXCL before anything else is read or
 * started (so a second operation's refusal comes before the emulator's own lock on its state file), holding
 * `{pid, host, operation, started}`, and removed on every ending of the operation. A lock whose process is
 * gone (same host, `kill(pid, 0)` fails with ESRCH) is stale: `pulumi-rooms-local cancel` removes it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RoomsError } from "../provider/core/errors";

export const LOCK_FILE = "lock.json";

/** What the lock file holds. */
export interface LockHolder {
  pid: number;
  host: string;
  operation: string;
  started: string;
}

/** A refusal: the stack is locked (`stale`: by a process that is gone). */
export class StackLockedError extends RoomsError<"STACK_LOCKED"> {
  static override readonly errorName: string = "StackLockedError";

  constructor(
    message: string,
    readonly holder: LockHolder | undefined,
    readonly stale: boolean,
  ) {
    super("STACK_LOCKED", message);
  }
}

export class StackLock {
  private released = false;

  private constructor(
    readonly file: string,
    readonly holder: LockHolder,
  ) {}

  /** Takes the stack's lock or throws StackLockedError naming the holder and what to do. */
  static acquire(dir: string, operation: string, stack: string): StackLock {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, LOCK_FILE);
    const holder: LockHolder = { pid: process.pid, host: os.hostname(), operation, started: new Date().toISOString() };
    let fd: number;
    try {
      fd = fs.openSync(file, "wx", 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      throw refusal(file, stack);
    }
    try {
      fs.writeSync(fd, `${JSON.stringify(holder)}\n`);
    } finally {
      fs.closeSync(fd);
    }
    return new StackLock(file, holder);
  }

  /** Removes the lock (once; later calls do nothing). */
  release(): void {
    if (this.released) return;
    this.released = true;
    try {
      if (readHolder(this.file)?.pid === this.holder.pid) fs.rmSync(this.file, { force: true });
    } catch {
      // Already gone.
    }
  }
}

/** The lock file's holder, or undefined when there is no lock (or it cannot be read). */
export function readHolder(file: string): LockHolder | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockHolder;
  } catch {
    return undefined;
  }
}

/** Whether the holder's process is gone (only decidable on the same host). */
export function isStale(holder: LockHolder | undefined): boolean {
  if (!holder || holder.host !== os.hostname() || !Number.isInteger(holder.pid)) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** `pulumi-rooms-local cancel`: removes a stale lock; refuses a live one. Returns what was done. */
export function clearStaleLock(dir: string, stack: string): string {
  const file = path.join(dir, LOCK_FILE);
  if (!fs.existsSync(file)) return `stack "${stack}" is not locked`;
  const holder = readHolder(file);
  if (!isStale(holder)) throw refusal(file, stack);
  fs.rmSync(file, { force: true });
  return `removed the stale lock of stack "${stack}" (${describe(holder)}); the next operation settles what it left pending`;
}

function refusal(file: string, stack: string): StackLockedError {
  const holder = readHolder(file);
  const stale = isStale(holder);
  const who = describe(holder);
  const message = stale
    ? `stack "${stack}" has a stale lock: ${who}, and that process is gone. Run \`pulumi-rooms-local cancel --stack ${stack}\` to remove it (${file}); the next operation settles anything left pending`
    : `stack "${stack}" is locked by ${who}: wait for it to end, or stop it (Ctrl-C, or kill ${holder?.pid ?? "its process"}); nothing was changed (lock: ${file})`;
  return new StackLockedError(message, holder, stale);
}

function describe(holder: LockHolder | undefined): string {
  return holder
    ? `\`${holder.operation}\` (pid ${holder.pid} on ${holder.host}, started ${holder.started})`
    : "an unreadable lock file";
}
