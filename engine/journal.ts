/**
 * The stack's journal: an append-only `journal.jsonl` beside checkpoint.json holding the state records of
 * the running operation (engine/state-changes.ts), so that the checkpoint is rewritten once per operation,
 * not once per step, as the Pulumi CLI's journaling backends do (pulumi/pulumi pkg/backend/diy/journal.go:
 * entries batched by count or time, a manifest naming the base checkpoint's hash so that recovery can tell
 * entries not yet consolidated from stale ones, consolidation idempotent).
 *
 * Lines: a header `{"journal":1,"base":<checkpoint manifest.time or "">}`, then one record per line, as
 * the StateChanges listener received it, secrets encrypted (`salt`: the passphrase salt state they were
 * encrypted under), long strings written once and referred to after (engine/journal-texts.ts). `base` marks the generation: compaction writes a checkpoint with a new manifest time,
 * so a journal left behind by a crash between the checkpoint's rename and the journal's removal no longer
 * matches and is ignored; replay is idempotent besides (records set or remove whole entries).
 *
 * Durability: `begin` lines are written (writeSync) before the provider call starts, so a SIGKILL never
 * loses a pending operation. The records that settle operations are group-committed: buffered for a few
 * milliseconds (GROUP_MS), then, after the embedded emulator flushed its rooms to disk, written together and
 * fsync'd in the background (an fsync per record cost 2.8 ms here, over a second per second at 400 records/s:
 * the bottleneck; a synchronous one per group still blocked the event loop 1.2 s per 1000 creates). A crash
 * before that leaves the operation pending, and the next operation settles it by reading the room: the
 * state never names a room the emulator's file forgot.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { restoreTexts, textDefinition, TextTable } from "./journal-texts";
import type { StackSecrets } from "./secrets";
import { applyChange, type ProviderCall, type StateChange } from "./state-changes";
import type { ResourceState, StackState } from "./state";
import { SECRET_SIG } from "./wire";
import { parseJsonObject } from "../provider/core/json";

export const JOURNAL_FILE = "journal.jsonl";
/**
 * Seeded crash tests: `<n>` makes the engine SIGKILL itself right after writing its n-th journal record;
 * `begin:<n>` right after its n-th `begin` (before that provider call is made).
 */
export const KILL_AT_ENV = "PULUMI_ROOMS_LOCAL_KILL_AT";
/** How long settle records wait for companions before one fsync covers them all. */
const GROUP_MS = 20;

/** A provider call begun and not settled when the journal ended. */
export interface Pending {
  call: ProviderCall;
  entry: ResourceState;
}

export interface JournalOptions {
  /** Runs before settle records are written (the emulator flushes its rooms). */
  beforeSettle?: () => void;
  /** Seeded crash point (default: KILL_AT_ENV). */
  killAt?: string;
}

/** The writer of one operation's journal; the file is created with its first record. */
export class Journal {
  readonly file: string;
  private fd: number | undefined;
  private buffer: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lines = 0;
  private begins = 0;
  private readonly killAt: { begins: boolean; n: number };
  private readonly texts = new TextTable();
  private saltWritten = false;
  /** Written since the last fsync started; an fsync in flight; another wanted after it. */
  private unsynced = false;
  private syncing = false;
  private syncAgain = false;
  /** Bytes and fsyncs written, for the bench. */
  readonly stats = { bytes: 0, fsyncs: 0, records: 0 };

  constructor(
    dir: string,
    private readonly secrets: StackSecrets,
    private readonly base: string,
    private readonly options: JournalOptions = {},
  ) {
    this.file = path.join(dir, JOURNAL_FILE);
    const seed = /^(begin:)?(\d+)$/.exec(options.killAt ?? process.env[KILL_AT_ENV] ?? "");
    this.killAt = { begins: seed?.[1] !== undefined, n: Number(seed?.[2] ?? 0) };
  }

  /** The listener of StateChanges: begins on disk now, settles group-committed. */
  append(change: StateChange): void {
    const line = this.encode(change);
    this.stats.records++;
    if (change.kind === "begin") {
      this.write([line], false);
      if (this.killAt.begins && ++this.begins === this.killAt.n) process.kill(process.pid, "SIGKILL");
      return;
    }
    this.buffer.push(line);
    this.timer ??= setTimeout(() => this.flush(), GROUP_MS);
  }

  /** Writes the buffered settle records (after the emulator's flush) with one fsync. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.buffer.length) return;
    const lines = this.buffer;
    this.buffer = [];
    this.options.beforeSettle?.();
    this.write(lines, true);
  }

  /** Flushes and closes (the file stays for compaction), after one last fsync. */
  close(): void {
    this.flush();
    if (this.fd !== undefined) {
      if (this.unsynced) fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    }
    this.fd = undefined;
  }

  private write(lines: string[], sync: boolean): void {
    if (this.fd === undefined) {
      // Truncated: a journal found at the start was compacted then, unless it named another generation
      // (stale), and records appended after a stale header would never be replayed.
      this.fd = fs.openSync(this.file, "w");
      this.raw(`${JSON.stringify({ journal: 1, base: this.base })}\n`);
    }
    if (this.killAt.n > 0 && !this.killAt.begins) {
      for (const line of lines) {
        this.raw(line);
        if (++this.lines === this.killAt.n) {
          if (sync) fs.fsyncSync(this.fd);
          process.kill(process.pid, "SIGKILL");
        }
      }
    } else this.raw(lines.join(""));
    this.unsynced = true;
    if (sync) this.sync();
  }

  /**
   * fsync in the background (libuv's thread pool), one at a time, again after it when more was written
   * meanwhile. The records are in the file when `write` returns, so a killed process loses none of them;
   * the fsync guards against a machine crash, and made synchronously it blocked the engine's event loop
   * (which also serves the monitor and the embedded emulator) about 2.7 ms per group commit.
   */
  private sync(): void {
    const fd = this.fd;
    if (fd === undefined) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    this.unsynced = false;
    fs.fsync(fd, () => {
      // An error (the file closed by close() meanwhile) needs nothing: close() fsyncs synchronously.
      this.syncing = false;
      this.stats.fsyncs++;
      if (this.syncAgain && this.fd === fd) {
        this.syncAgain = false;
        this.sync();
      }
    });
  }

  private raw(text: string): void {
    const bytes = Buffer.from(text, "utf8");
    let at = 0;
    while (at < bytes.length) at += fs.writeSync(this.fd as number, bytes, at);
    this.stats.bytes += bytes.length;
  }

  /** The record's line (secrets sealed, long strings by reference), after the definitions it needs. */
  private encode(change: StateChange): string {
    const sealed = this.secrets.encryptAll(change) as Record<string, unknown>;
    const defs = this.texts.intern(sealed);
    const text = JSON.stringify(sealed);
    // The salt goes with the first record that holds ciphertext: a replay may need it before any checkpoint has one.
    const salt = this.secrets.salt;
    if (salt === undefined || this.saltWritten || !text.includes(SECRET_SIG)) return `${defs}${text}\n`;
    this.saltWritten = true;
    return `${defs}${text.slice(0, -1)},"salt":${JSON.stringify(salt)}}\n`;
  }
}

/** What a replay found: whether the journal applied, and the operations it left pending. */
export interface Replay {
  applied: boolean;
  records: number;
  pending: Pending[];
}

/**
 * Replays a journal onto a loaded state. `base` is the loaded checkpoint's manifest time; a journal of
 * another generation (already compacted) is ignored. A torn last line (a write cut short) is skipped.
 */
export function replayJournal(file: string, stack: StackState, base: string, secrets: StackSecrets): Replay {
  const none: Replay = { applied: false, records: 0, pending: [] };
  if (!fs.existsSync(file)) return none;
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const header = parseJsonObject(lines[0] ?? "");
  if (!header || header.journal !== 1 || header.base !== base) return none;
  const pending = new Map<number, Pending>();
  const texts = new Map<number, string>();
  let records = 0;
  for (const text of lines.slice(1)) {
    const raw = parseJsonObject(text);
    if (!raw) continue;
    const definition = textDefinition(raw);
    if (definition) {
      texts.set(...definition);
      continue;
    }
    restoreTexts(raw, texts);
    if (typeof raw.salt === "string" && secrets.salt === undefined) secrets.salt = raw.salt;
    const { salt: _salt, ...rest } = raw;
    const change = secrets.decryptAll(rest) as StateChange;
    records++;
    if (change.kind === "begin") pending.set(change.seq, { call: change.call, entry: change.entry });
    else if (change.settles !== undefined) pending.delete(change.settles);
    if (change.kind === "replace") {
      // Idempotent: a replayed replace must not queue the old half twice.
      const old = change.replaced;
      if (stack.pendingDeletes.some((p) => p.urn === old.urn && p.id === old.id)) {
        stack.resources.set(change.entry.urn, change.entry);
        continue;
      }
    }
    applyChange(stack, change);
  }
  return { applied: true, records, pending: [...pending.values()] };
}
