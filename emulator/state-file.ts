/**
 * Optional persistence so the main job's rooms survive emulator restarts: the vendors' state is written
 * as JSON (temp file + rename, so a crash never leaves half a file), debounced after changes and
 * flushed at stop.
 */
import { accessSync, constants, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

let tempSeq = 0;

/** What the state file holds. */
export interface StateFileContents {
  readonly version: 1;
  /** Each vendor handler's `exportState()`, by vendor name. */
  readonly vendors: Record<string, unknown>;
  /**
   * The apps' credentials, so a restarted emulator accepts the stacks configured against it before
   * (otherwise each start would draw new random keys and every request would fail to authenticate).
   */
  readonly credentials?: {
    readonly tencent?: { readonly sdkAppId: number; readonly secretKey: string; readonly identifier: string };
    readonly zego?: { readonly appId: number; readonly serverSecret: string; readonly fromUserId: string };
  };
}

/**
 * Throws at start, naming the folder, when the state file could never be written (its folder is missing,
 * not a folder, or read-only): otherwise the emulator would run and fail only at its first change.
 */
export function checkStateFolder(path: string): void {
  const folder = dirname(resolve(path));
  let isFolder: boolean;
  try {
    isFolder = statSync(folder).isDirectory();
  } catch {
    throw new Error(
      `emulator state file ${path}: the folder ${folder} does not exist; create it first (mkdir -p ${folder}) or choose another path`,
    );
  }
  if (!isFolder) throw new Error(`emulator state file ${path}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    throw new Error(`emulator state file ${path}: the folder ${folder} is not writable`);
  }
}

/** One state file: load once at start, then write after changes (debounced) and at stop. */
export class StateFile {
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param path the JSON file.
   * @param snapshot produces the current contents.
   * @param delayMs coalesces bursts of changes into one write.
   * @param onError receives a failed background write (a timer must not throw and kill the process).
   */
  constructor(
    readonly path: string,
    private readonly snapshot: () => StateFileContents,
    private readonly delayMs = 100,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  /** The saved contents, or undefined when there is no file yet. Throws, naming the file, on a corrupt one. */
  load(): StateFileContents | undefined {
    if (!existsSync(this.path)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, "utf8"));
    } catch (err) {
      throw new Error(
        `emulator state file ${this.path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    if (parsed === null || typeof parsed !== "object" || (parsed as { version?: unknown }).version !== 1) {
      throw new Error(`emulator state file ${this.path} is not a version 1 state file`);
    }
    const vendors = (parsed as { vendors?: unknown }).vendors;
    if (vendors === null || typeof vendors !== "object" || Array.isArray(vendors)) {
      throw new Error(`emulator state file ${this.path} has no "vendors" object`);
    }
    return parsed as StateFileContents;
  }

  /** Schedules a write (coalescing bursts of changes). */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush();
      } catch (err) {
        this.onError(err instanceof Error ? err : new Error(String(err)));
      }
    }, this.delayMs);
    // A pending write must not keep a finished test process alive; stop() flushes anyway.
    this.timer.unref();
  }

  /** Writes now (cancelling a scheduled write). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    // A unique temp name: two emulators sharing a file must not rename each other's half-written temp.
    const temp = `${this.path}.${process.pid}.${++tempSeq}.tmp`;
    writeFileSync(temp, `${JSON.stringify(this.snapshot(), null, 2)}\n`);
    renameSync(temp, this.path);
  }
}
