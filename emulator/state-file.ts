/**
 * Optional persistence so the main job's rooms survive emulator restarts: the vendors' state is written
 * as JSON (temp file + rename, so a crash never leaves half a file), debounced after changes.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

/** What the state file holds. */
export interface StateFileContents {
  readonly version: 1;
  readonly vendors: Record<string, unknown>;
}

export class StateFile {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => StateFileContents,
    private readonly delayMs = 100,
  ) {}

  /** The saved contents, or undefined when there is no file yet. Throws on a corrupt file. */
  load(): StateFileContents | undefined {
    if (!existsSync(this.path)) return undefined;
    const parsed: unknown = JSON.parse(readFileSync(this.path, "utf8"));
    if (parsed === null || typeof parsed !== "object" || (parsed as { version?: unknown }).version !== 1) {
      throw new Error(`emulator state file ${this.path} is not a version 1 state file`);
    }
    return parsed as StateFileContents;
  }

  /** Schedules a write (coalescing bursts of changes). */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  /** Writes now. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
    renameSync(temp, this.path);
  }
}
