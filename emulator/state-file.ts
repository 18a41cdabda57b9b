/**
 * Optional persistence so rooms survive emulator restarts: the vendors' state as JSON (temp file + rename,
 * so a crash never leaves half a file), plus an append-only change log beside it (`<file>.changes.jsonl`)
 * that holds the rooms changed since: a write after a change appends those rooms only, so a fleet of N
 * rooms created one group at a time costs O(N) bytes, not O(N²) (the whole file per group). The log is
 * compacted into the file at start (when one is found), at stop, and whenever it outgrows the file.
 *
 * Log lines: a header `{"changes":1,"generation":<the file's generation>}`, then one room per line,
 * `{"vendor":"tencent","room":"<id>","record":{...}}` (no `record`: the room is gone). Compaction writes the
 * file under a new generation before it removes the log, so a log left by a crash in between names the old
 * generation and is ignored; a torn last line (a write cut short) is skipped.
 */
import { randomBytes } from "node:crypto";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname, resolve } from "node:path";
import { parseJsonObject } from "../provider/core/json";
import { DelayedWrite } from "./delayed-write";

let tempSeq = 0;

/** The log is compacted once it is larger than this and than twice the file. */
const COMPACT_MIN_BYTES = 1024 * 1024;

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
  /** Names this version of the file; the change log names the one it applies to. */
  readonly generation?: string;
}

/** One line of the change log: a room's record as it now is, or none when it is gone. */
export interface RoomChange {
  readonly vendor: string;
  readonly room: string;
  readonly record?: unknown;
}

/** What the state file reads from the running emulator. */
export interface StateSource {
  /** The whole contents (for the file). */
  snapshot(): StateFileContents;
  /** One room's JSON-safe record, or undefined when it does not exist (for the log). */
  room(vendor: string, roomId: string): unknown;
}

/** What `load()` found: the file's contents and the changes logged after them, in order. */
export interface LoadedState {
  readonly contents: StateFileContents | undefined;
  readonly changes: readonly RoomChange[];
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

/** One state file and its change log: load once at start, then record changes (debounced) and compact at stop. */
export class StateFile {
  /** The change log beside the file. */
  readonly logPath: string;
  private readonly writer: DelayedWrite;
  /** The next write rewrites the whole file (no file yet, a whole vendor changed, a log to compact). */
  private whole = false;
  /** Rooms changed since the last write, by vendor. */
  private readonly rooms = new Map<string, Set<string>>();
  private generation = "";
  private fileBytes = 0;
  private logBytes = 0;

  /**
   * @param path the JSON file.
   * @param source reads the emulator's state.
   * @param delayMs coalesces bursts of changes into one write.
   * @param onError receives a failed background write (a timer must not throw and kill the process).
   */
  constructor(
    readonly path: string,
    private readonly source: StateSource,
    delayMs = 100,
    onError: (err: Error) => void = () => undefined,
  ) {
    this.logPath = `${path}.changes.jsonl`;
    this.writer = new DelayedWrite(delayMs, () => this.flush(), onError);
  }

  /**
   * The saved contents (undefined when there is no file yet) and the changes logged after them. Throws,
   * naming the file, on a corrupt one. The next write compacts: it rewrites the whole file.
   */
  load(): LoadedState {
    this.whole = true;
    if (!existsSync(this.path)) return { contents: undefined, changes: [] };
    const text = readFileSync(this.path, "utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
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
    const contents = parsed as StateFileContents;
    this.generation = typeof contents.generation === "string" ? contents.generation : "";
    this.fileBytes = Buffer.byteLength(text);
    const changes = this.readLog();
    // Nothing to compact: the file stays as it is until something changes.
    this.whole = changes.length > 0 || existsSync(this.logPath);
    return { contents, changes };
  }

  /** The next write rewrites the whole file (e.g. the credentials it holds changed). */
  changedAll(): void {
    this.whole = true;
  }

  /**
   * Schedules a write (coalescing bursts of changes). `rooms`: the rooms of `vendor` that changed; none
   * given: anything may have changed (the whole file is rewritten).
   */
  changed(vendor?: string, rooms?: readonly string[]): void {
    if (vendor === undefined || rooms === undefined) this.whole = true;
    else {
      let set = this.rooms.get(vendor);
      if (!set) this.rooms.set(vendor, (set = new Set()));
      for (const id of rooms) set.add(id);
    }
    this.writer.schedule();
  }

  /** Writes what changed now (cancelling a scheduled write): the changed rooms appended to the log. */
  flush(): void {
    this.writer.cancel();
    if (this.whole) return this.compact();
    if (!this.rooms.size) return;
    let lines = "";
    for (const [vendor, ids] of this.rooms) {
      for (const room of ids) {
        const record = this.source.room(vendor, room);
        lines += `${JSON.stringify(record === undefined ? { vendor, room } : { vendor, room, record })}\n`;
      }
    }
    this.append(lines);
    this.rooms.clear();
    if (this.logBytes > Math.max(COMPACT_MIN_BYTES, 2 * this.fileBytes)) this.compact();
  }

  /** Writes what changed and folds the log into the file (at stop). */
  close(): void {
    this.flush();
    if (this.logBytes > 0) this.compact();
  }

  /** Rewrites the whole file under a new generation, then removes the log it now includes. */
  private compact(): void {
    const generation = randomBytes(8).toString("hex");
    const text = `${JSON.stringify({ ...this.source.snapshot(), generation }, null, 2)}\n`;
    // A unique temp name: two emulators sharing a file must not rename each other's half-written temp.
    const temp = `${this.path}.${process.pid}.${++tempSeq}.tmp`;
    writeFileSync(temp, text);
    renameSync(temp, this.path);
    this.generation = generation;
    this.fileBytes = Buffer.byteLength(text);
    this.whole = false;
    this.rooms.clear();
    rmSync(this.logPath, { force: true });
    this.logBytes = 0;
  }

  /**
   * Appends to the log, opened per write (a log removed or replaced meanwhile is started afresh under the
   * file's generation, never written through a stale descriptor).
   */
  private append(lines: string): void {
    const fd = openSync(this.logPath, "a");
    try {
      const header = fstatSync(fd).size === 0 ? `${JSON.stringify({ changes: 1, generation: this.generation })}\n` : "";
      const bytes = Buffer.from(header + lines, "utf8");
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at);
      this.logBytes += bytes.length;
    } finally {
      closeSync(fd);
    }
  }

  /** The log's room changes when it belongs to the file's generation; none otherwise. */
  private readLog(): RoomChange[] {
    if (!existsSync(this.logPath)) return [];
    const lines = readFileSync(this.logPath, "utf8").split("\n");
    const header = parseJsonObject(lines[0] ?? "");
    if (header?.changes !== 1 || header.generation !== this.generation) return [];
    const changes: RoomChange[] = [];
    for (const line of lines.slice(1)) {
      const raw = parseJsonObject(line);
      if (typeof raw?.vendor !== "string" || typeof raw.room !== "string") continue;
      changes.push({ vendor: raw.vendor, room: raw.room, ...("record" in raw ? { record: raw.record } : {}) });
    }
    return changes;
  }
}
