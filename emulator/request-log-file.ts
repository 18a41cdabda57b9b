/**
 * The request log on disk, beside the state file, so the console shows the requests of earlier runs (the
 * `up` before this `console`): one event per line (JSON Lines), appended as requests are answered
 * (buffered, written within {@link WRITE_DELAY_MS} and at stop), and rewritten with only the newest
 * `capacity` events once it holds twice that many, so the file stays as bounded as the log in memory
 * (`requestLogCapacity`). Its own file rather than the state file: the state file is rewritten whole after
 * every change (and the local engine flushes it before recording each step), and a log of 2000 events in it
 * would make every such write larger. Events never hold a query or body (see request-log.ts), so the file
 * holds no credential. A line a crash cut short, or any line that is not an event, is skipped on load.
 */
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { RequestLog, type InjectedFault, type RequestEvent, type RequestLogListener } from "./request-log";
import { DelayedWrite } from "./delayed-write";

/** How long appended events may wait in memory before they are written. */
const WRITE_DELAY_MS = 200;

/** `emulator.json` -> `emulator.requests.jsonl` (a name without `.json` gets `.requests.jsonl` added). */
export function requestLogPath(stateFile: string): string {
  return `${stateFile.replace(/\.json$/, "")}.requests.jsonl`;
}

/**
 * A request log kept in `path`: the file's events loaded into it now, and each new event and clear written.
 * @param capacity `requestLogCapacity` (default: the log's own).
 * @param onError receives a failed write (the log goes on in memory).
 * @param note receives one line when the file had lines that could not be read.
 */
export function persistentRequestLog(
  path: string,
  capacity: number | undefined,
  onError: (err: Error) => void,
  note: (line: string) => void,
): { log: RequestLog; file: RequestLogFile } {
  const file: RequestLogFile = new RequestLogFile(path, () => log, onError);
  const log = new RequestLog(capacity, file);
  const { events, skipped } = file.load();
  log.restore(events);
  if (skipped) note(`emulator: skipped ${skipped} unreadable lines of the request log ${path}`);
  return { log, file };
}

/** One request log file; the emulator's RequestLog tells it of each event and clear. */
export class RequestLogFile implements RequestLogListener {
  private pending: string[] = [];
  private lines = 0;
  private readonly writer: DelayedWrite;

  /**
   * @param path the JSON Lines file.
   * @param log the log it keeps (its capacity bounds the file; a rewrite keeps its events).
   * @param onError receives a failed background write (a timer must not throw and kill the process).
   */
  constructor(
    readonly path: string,
    private readonly log: () => RequestLog,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.writer = new DelayedWrite(WRITE_DELAY_MS, () => this.flush(), onError);
  }

  /** The newest `capacity` events the file holds, oldest first, and how many lines could not be read. */
  load(): { events: RequestEvent[]; skipped: number } {
    if (!existsSync(this.path)) return { events: [], skipped: 0 };
    const lines = readFileSync(this.path, "utf8").split("\n").filter(Boolean);
    this.lines = lines.length;
    const events: RequestEvent[] = [];
    let skipped = 0;
    for (const line of lines) {
      const event = parseEvent(line);
      if (event && event.seq > (events.at(-1)?.seq ?? 0)) events.push(event);
      else skipped++;
    }
    return { events: events.slice(-this.log().capacity), skipped };
  }

  recorded(event: RequestEvent): void {
    this.pending.push(JSON.stringify(event));
    this.writer.schedule();
  }

  cleared(): void {
    this.pending = [];
    try {
      this.rewrite([]);
    } catch (err) {
      this.onError(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Writes what is pending now; rewrites the file with the newest `capacity` events when it grew past twice that. */
  flush(): void {
    this.writer.cancel();
    if (!this.pending.length) return;
    const lines = this.pending;
    this.pending = [];
    if (this.lines + lines.length > 2 * this.log().capacity) {
      this.rewrite(this.log().since());
      return;
    }
    appendFileSync(this.path, `${lines.join("\n")}\n`);
    this.lines += lines.length;
  }

  /** Replaces the file atomically (temp file + rename) with `events`. */
  private rewrite(events: readonly RequestEvent[]): void {
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, events.map((e) => `${JSON.stringify(e)}\n`).join(""));
    renameSync(temp, this.path);
    this.lines = events.length;
  }
}

const FAULTS: readonly string[] = ["reset", "http502", "vendorTransient", "latency", "lostResponse"] as const;

/** The event a line holds, with only the fields an event has; undefined when it is not one. */
function parseEvent(line: string): RequestEvent | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (v === null || typeof v !== "object") return undefined;
  const e = v as Record<string, unknown>;
  const optionalNumber = (x: unknown) => x === undefined || typeof x === "number";
  const optionalString = (x: unknown) => x === undefined || typeof x === "string";
  if (
    !Number.isInteger(e.seq) ||
    (e.seq as number) < 1 ||
    typeof e.at !== "number" ||
    (e.vendor !== "tencent" && e.vendor !== "zego") ||
    typeof e.method !== "string" ||
    typeof e.action !== "string" ||
    typeof e.latencyMs !== "number" ||
    typeof e.rateLimited !== "boolean" ||
    !optionalString(e.roomId) ||
    !optionalNumber(e.status) ||
    !optionalNumber(e.code) ||
    !optionalString(e.meaning) ||
    !(e.fault === undefined || (typeof e.fault === "string" && FAULTS.includes(e.fault)))
  )
    return undefined;
  return {
    seq: e.seq as number,
    at: e.at,
    vendor: e.vendor,
    method: e.method,
    action: e.action,
    ...(e.roomId === undefined ? {} : { roomId: e.roomId }),
    ...(e.status === undefined ? {} : { status: e.status }),
    ...(e.code === undefined ? {} : { code: e.code }),
    ...(e.meaning === undefined ? {} : { meaning: e.meaning }),
    latencyMs: e.latencyMs,
    ...(e.fault === undefined ? {} : { fault: e.fault as InjectedFault }),
    rateLimited: e.rateLimited,
  };
}
