/**
 * An exclusive lock file, for "one writer at a time" on this machine: created with O_EXCL (the one atomic
 * "create if absent" a file system offers), holding its holder as one JSON line (pid, host and what the
 * owner adds, such as the start time), and removed by that holder only. A holder on this host whose pid no
 * longer exists (signal 0 answers ESRCH) is gone, so its lock is stale; on another host nothing can be told.
 * Used by the emulator's state-file lock (state-lock.ts) and, through the emulator's index, by the engine's
 * stack lock (engine/stack-lock.ts); each decides what a stale lock means for it.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";

/** Who holds a lock: its process and host, and what the owner adds (`Extra`). */
export type LockHolder<Extra extends object = object> = { readonly pid: number; readonly host: string } & Extra;

/** A lock file this process holds (`create`), and the reading of anyone's lock file (the static helpers). */
export class LockFile<Extra extends object = object> {
  private released = false;

  private constructor(
    readonly path: string,
    readonly holder: LockHolder<Extra>,
    private readonly text: string,
  ) {}

  /** This process as a holder, with `extra` (e.g. its start time). */
  static thisProcess<Extra extends object>(extra: Extra): LockHolder<Extra> {
    return { pid: process.pid, host: hostname(), ...extra };
  }

  /** Creates the lock file holding `holder`; undefined when a lock file is there already. */
  static create<Extra extends object>(path: string, holder: LockHolder<Extra>): LockFile<Extra> | undefined {
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") return undefined;
      throw err;
    }
    const text = `${JSON.stringify(holder)}\n`;
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return new LockFile(path, holder, text);
  }

  /** The lock file's text; undefined when there is no lock file. */
  static read(path: string): string | undefined {
    try {
      return readFileSync(path, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  /**
   * The holder a lock file's text names; undefined when it names none (empty: its creator is still writing
   * it; not JSON; no positive whole pid or no host).
   */
  static holderIn(text: string): LockHolder<Record<string, unknown>> | undefined {
    try {
      const v = JSON.parse(text) as Record<string, unknown> | null;
      if (v && typeof v === "object" && Number.isInteger(v.pid) && (v.pid as number) > 0 && typeof v.host === "string")
        return v as LockHolder<Record<string, unknown>>;
    } catch {
      // not JSON: names no holder
    }
    return undefined;
  }

  /**
   * Whether the holder's process is gone: it ran on this host and no process has its pid (EPERM means one
   * exists under another user). A holder on another host is never taken for gone.
   */
  static gone(holder: LockHolder): boolean {
    if (holder.host !== hostname()) return false;
    try {
      process.kill(holder.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  }

  /** Removes a lock file (a stale one, or our own); one already gone is fine. */
  static remove(path: string): void {
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    }
  }

  /** Removes the lock file if it is still ours (what we wrote is still there). Safe to call twice. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (LockFile.read(this.path) === this.text) LockFile.remove(this.path);
  }
}
