/**
 * One writer per emulator state file. Each emulator writes its whole state over the file on every change
 * and at stop, so a second emulator on the same file (say one started by hand while `pulumi-rooms-local up`
 * runs its own) would write its stale copy over the other's changes. The first emulator therefore holds
 * `<stateFile>.lock`, created with O_EXCL (the one atomic "create if absent" a file system offers) and
 * holding its pid, host and start time; a second one is refused naming the holder. A lock left by a
 * process that died without stopping (SIGKILL, a crash) is taken over: on this host, a pid that no longer
 * exists (signal 0 answers ESRCH) cannot be writing.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";

/** Who holds a state file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601. */
  readonly startedAt: string;
}

/** A held lock on one state file; `release()` gives it up. */
export class StateFileLock {
  private released = false;

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Takes the lock on `stateFile`, or throws naming the holder and what to do.
   * @param note receives one line when a stale lock (its process gone) is taken over.
   */
  static acquire(stateFile: string, note: (line: string) => void): StateFileLock {
    const path = `${stateFile}.lock`;
    const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    // Two rounds: the second follows the removal of a stale lock (another process may win the race then).
    for (let round = 0; round < 2; round++) {
      if (create(path, holder)) return new StateFileLock(path, holder);
      const text = readText(path);
      if (text === undefined) continue; // removed between our attempt and the read: try again
      if (text === "")
        throw new Error(
          `emulator state file ${stateFile} is being taken by another emulator starting now (${path}); stop it first`,
        );
      const other = parseHolder(text);
      if (!other) {
        throw new Error(
          `emulator state file ${stateFile}: its lock ${path} is unreadable; if no emulator runs on this file, delete the lock and start again`,
        );
      }
      if (other.host !== holder.host) {
        throw new Error(
          `emulator state file ${stateFile} is in use by pid ${other.pid} on host ${other.host} (since ${other.startedAt}); ` +
            `stop that emulator first, or delete ${path} if it no longer runs`,
        );
      }
      if (isAlive(other.pid)) {
        throw new Error(
          `emulator state file ${stateFile} is in use by pid ${other.pid} (since ${other.startedAt}): one emulator writes a state file at a time; ` +
            `stop that one (kill ${other.pid}, or end the pulumi-rooms-local operation that started it) or use another --state-file`,
        );
      }
      // Remove only the lock we read: if it changed meanwhile, another emulator took it over first.
      if (readText(path) === text) {
        unlinkQuietly(path);
        note(
          `emulator: took over the lock on ${stateFile}: its holder, pid ${other.pid} (since ${other.startedAt}), is no longer running`,
        );
      }
    }
    throw new Error(
      `emulator state file ${stateFile}: another emulator took its lock ${path} while this one started; stop it first`,
    );
  }

  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const current = parseHolder(readText(this.path) ?? "");
    if (
      current &&
      current.pid === this.holder.pid &&
      current.host === this.holder.host &&
      current.startedAt === this.holder.startedAt
    ) {
      unlinkQuietly(this.path);
    }
  }
}

/** Creates the lock file with our holder; false when it exists already. */
function create(path: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  }
  try {
    writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder> | null;
    if (
      v &&
      Number.isInteger(v.pid) &&
      (v.pid as number) > 0 &&
      typeof v.host === "string" &&
      typeof v.startedAt === "string"
    )
      return v as LockHolder;
  } catch {
    // not JSON: unreadable
  }
  return undefined;
}

/** Whether a process with this pid exists on this host (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}
