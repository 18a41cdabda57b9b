/**
 * What the console shows of the traffic: the last vendor requests (a ring buffer, so a long benchmark
 * cannot grow memory) and requests per second per API over the last minutes (one small bucket per second).
 */

/** Which fault the server injected into a request (see FaultPlan). */
export type InjectedFault = "reset" | "http502" | "vendorTransient" | "latency" | "lostResponse";

/** One vendor request as the server saw it. Never holds the query or body (signatures, UserSigs). */
export interface RequestEvent {
  /** 1, 2, 3... per emulator start; the console asks for events after the last one it has. */
  readonly seq: number;
  /** Emulator clock (ms) when the request arrived: the clock the rate limits count with. */
  readonly at: number;
  readonly vendor: "tencent" | "zego";
  readonly method: string;
  /** "create_room", "CreateRoom", ... ("unknown" / "UnknownAction" for names the vendor does not have). */
  readonly action: string;
  /** The room the request names, when it names one. */
  readonly roomId?: string;
  /** HTTP status of the answer; absent when the socket was dropped instead (reset, lost response). */
  readonly status?: number;
  /** The vendor's result code (0 = success); absent when the vendor handler gave no answer. */
  readonly code?: number;
  /** What the code means, from the emulator's code tables (absent for 0 or an unlisted code). */
  readonly meaning?: string;
  /** Real time from the request's arrival to its answer (or dropped socket), in ms. */
  readonly latencyMs: number;
  /** The fault injected, if any. */
  readonly fault?: InjectedFault;
  /** True when the vendor's frequency limit refused the request (not a fault). */
  readonly rateLimited: boolean;
}

/** Requests of one API in one second. */
export interface RateSample {
  readonly total: number;
  /** Refused by the frequency limit. */
  readonly rateLimited: number;
}

/** Per-second counts: `second` is floor(at / 1000); `byApi` is keyed "vendor/action". */
export interface RateBucket {
  readonly second: number;
  readonly byApi: Readonly<Record<string, RateSample>>;
}

/** Events kept by default: enough for a minute of a paced deployment's log, small in memory (~300 B each). */
const DEFAULT_LOG_CAPACITY = 2000;
/** Seconds of per-API counts kept for the chart. */
export const RATE_HISTORY_SECONDS = 300;

/** Told of each event and of each clear (emulator/request-log-file.ts keeps the log on disk this way). */
export interface RequestLogListener {
  recorded(event: RequestEvent): void;
  cleared(): void;
}

/** A fixed-capacity log of vendor requests plus per-second counts per API. */
export class RequestLog {
  private readonly ring: (RequestEvent | undefined)[];
  private next = 0;
  private size = 0;
  private lastSeq = 0;
  private clearedAt = 0;
  private buckets = new Map<number, Map<string, { total: number; rateLimited: number }>>();
  private newestSecond = Number.NEGATIVE_INFINITY;

  constructor(
    readonly capacity: number = DEFAULT_LOG_CAPACITY,
    private readonly listener?: RequestLogListener,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`requestLogCapacity must be a positive integer (requests kept), not ${capacity}`);
    this.ring = new Array<RequestEvent | undefined>(capacity);
  }

  /** Appends an event (its seq is assigned here) and returns it. The oldest event goes when full. */
  record(event: Omit<RequestEvent, "seq">): RequestEvent {
    const full: RequestEvent = { seq: ++this.lastSeq, ...event };
    this.keep(full);
    this.listener?.recorded(full);
    return full;
  }

  /**
   * Puts back the events of an earlier run (oldest first, as `since()` gives them), keeping their seq
   * numbers: the new events continue after the last one. Only the newest `capacity` stay.
   */
  restore(events: readonly RequestEvent[]): void {
    for (const e of events) {
      if (e.seq <= this.lastSeq) continue;
      this.lastSeq = e.seq;
      this.keep(e);
    }
  }

  private keep(event: RequestEvent): void {
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    this.countPerSecond(event);
  }

  /** Events with seq > `after`, oldest first (at most `capacity`). */
  since(after = 0): RequestEvent[] {
    const out: RequestEvent[] = [];
    for (let i = 0; i < this.size; i++) {
      const e = this.ring[(this.next - this.size + i + this.capacity) % this.capacity];
      if (e && e.seq > after) out.push(e);
    }
    return out;
  }

  /** The seq of the newest event (0 when none was recorded since start or clear). */
  get latestSeq(): number {
    return this.lastSeq;
  }

  /** The newest seq when the log was last cleared (0: never): a console drops what it holds up to it. */
  get clearedAfter(): number {
    return this.clearedAt;
  }

  /** Per-second counts per API, oldest second first, for the last {@link RATE_HISTORY_SECONDS} seconds kept. */
  rates(): RateBucket[] {
    return [...this.buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([second, byApi]) => ({ second, byApi: Object.fromEntries([...byApi].map(([k, v]) => [k, { ...v }])) }));
  }

  /** Forgets every event and count. Seq numbers keep rising, so a console polling with `since` sees the gap. */
  clear(): void {
    this.ring.fill(undefined);
    this.clearedAt = this.lastSeq;
    this.next = 0;
    this.size = 0;
    this.buckets.clear();
    this.newestSecond = Number.NEGATIVE_INFINITY;
    this.listener?.cleared();
  }

  private countPerSecond(e: RequestEvent): void {
    const second = Math.floor(e.at / 1000);
    // Memory stays bounded even with a clock that jumps (tests inject one): only the window behind the
    // newest second seen is kept.
    if (second <= this.newestSecond - RATE_HISTORY_SECONDS) return;
    let byApi = this.buckets.get(second);
    if (!byApi) {
      byApi = new Map();
      this.buckets.set(second, byApi);
      if (second > this.newestSecond) {
        this.newestSecond = second;
        for (const s of this.buckets.keys()) if (s <= second - RATE_HISTORY_SECONDS) this.buckets.delete(s);
      }
    }
    const key = `${e.vendor}/${e.action}`;
    const sample = byApi.get(key) ?? { total: 0, rateLimited: 0 };
    sample.total += 1;
    if (e.rateLimited) sample.rateLimited += 1;
    byApi.set(key, sample);
  }
}
