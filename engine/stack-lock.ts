/**
 * One operation at a time per stack, as the Pulumi CLI locks a stack for the length of an update: an
 * exclusive lock file `lock.json` in the stack's folder, created with O_EXCL before anything else is read or
 * started (so a second operation's refusal comes before the emulator's own lock on its state file), holding
 * `{pid, host, operation, started}`, and removed on every ending of the operation. A lock whose process is
 * gone (same host, `kill(pid, 0)` fails with ESRCH) is stale: `pulumi-rooms-local cancel` removes it. The
 * lock file itself is the emulator's (emulator/lock-file.ts, through its index), shared with its state-file lock.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LockFile, type LockHolder as Holder } from "../emulator";
import { RoomsError } from "../provider/core/errors";

export const LOCK_FILE = "lock.json";

/** What the lock file holds: the process and host, the operation and its start (ISO 8601). */
export type LockHolder = Holder<{ readonly operation: string; readonly started: string }>;

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
  private constructor(private readonly held: LockFile<{ readonly operation: string; readonly started: string }>) {}

  /** Takes the stack's lock or throws StackLockedError naming the holder and what to do. */
  static acquire(dir: string, operation: string, stack: string): StackLock {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, LOCK_FILE);
    const held = LockFile.create(file, LockFile.thisProcess({ operation, started: new Date().toISOString() }));
    if (!held) throw refusal(file, stack);
    return new StackLock(held);
  }

  get holder(): LockHolder {
    return this.held.holder;
  }

  /** The lock file's path. */
  get file(): string {
    return this.held.path;
  }

  /** Removes the lock if it is still ours (once; later calls do nothing). */
  release(): void {
    this.held.release();
  }
}

/** The lock file's holder, or undefined when there is no lock (or it names no holder). */
export function readHolder(file: string): LockHolder | undefined {
  const holder = LockFile.holderIn(LockFile.read(file) ?? "");
  return holder && typeof holder.operation === "string" && typeof holder.started === "string"
    ? (holder as LockHolder)
    : undefined;
}

/** Whether the holder's process is gone (only decidable on the same host). */
export function isStale(holder: LockHolder | undefined): boolean {
  return holder !== undefined && LockFile.gone(holder);
}

/** `pulumi-rooms-local cancel`: removes a stale lock; refuses a live one. Returns what was done. */
export function clearStaleLock(dir: string, stack: string): string {
  const file = path.join(dir, LOCK_FILE);
  if (!fs.existsSync(file)) return `stack "${stack}" is not locked`;
  const holder = readHolder(file);
  if (!isStale(holder)) throw refusal(file, stack);
  LockFile.remove(file);
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
