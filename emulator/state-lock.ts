/**
 * One writer per emulator state file. Each emulator writes its whole state over the file on every change
 * and at stop, so a second emulator on the same file (say one started by hand while `pulumi-rooms-local up`
 * runs its own) would write its stale copy over the other's changes. The first emulator therefore holds
 * `<stateFile>.lock`, created with O_EXCL (the one atomic "create if absent" a file system offers) and
 * holding its pid, host and start time; a second one is refused naming the holder. A lock left by a
 * process that died without stopping (SIGKILL, a crash) is taken over: on this host, a pid that no longer
 * exists (signal 0 answers ESRCH) cannot be writing. The lock file itself is lock-file.ts's, shared with
 * the engine's stack lock.
 */
import { LockFile, type LockHolder } from "./lock-file";

/** Who holds a state file: its process and host, and since when (ISO 8601). */
export type StateLockHolder = LockHolder<{ readonly startedAt: string }>;

/** A held lock on one state file; `release()` gives it up. */
export class StateFileLock {
  private constructor(private readonly held: LockFile<{ readonly startedAt: string }>) {}

  get path(): string {
    return this.held.path;
  }

  get holder(): StateLockHolder {
    return this.held.holder;
  }

  /**
   * Takes the lock on `stateFile`, or throws naming the holder and what to do.
   * @param note receives one line when a stale lock (its process gone) is taken over.
   */
  static acquire(stateFile: string, note: (line: string) => void): StateFileLock {
    const path = `${stateFile}.lock`;
    const holder = LockFile.thisProcess({ startedAt: new Date().toISOString() });
    // Two rounds: the second follows the removal of a stale lock (another process may win the race then).
    for (let round = 0; round < 2; round++) {
      const held = LockFile.create(path, holder);
      if (held) return new StateFileLock(held);
      const text = LockFile.read(path);
      if (text === undefined) continue; // removed between our attempt and the read: try again
      if (text === "")
        throw new Error(
          `emulator state file ${stateFile} is being taken by another emulator starting now (${path}); stop it first`,
        );
      const other = LockFile.holderIn(text);
      if (!other || typeof other.startedAt !== "string") {
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
      if (!LockFile.gone(other)) {
        throw new Error(
          `emulator state file ${stateFile} is in use by pid ${other.pid} (since ${other.startedAt}): one emulator writes a state file at a time; ` +
            `stop that one (kill ${other.pid}, or end the pulumi-rooms-local operation that started it) or use another --state-file`,
        );
      }
      // Remove only the lock we read: if it changed meanwhile, another emulator took it over first.
      if (LockFile.read(path) === text) {
        LockFile.remove(path);
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
    this.held.release();
  }
}
