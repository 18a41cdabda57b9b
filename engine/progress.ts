/**
 * Progress people can follow during a long operation. On a terminal: one live line (done/total per kind
 * of step, rooms/s, time left at that rate) kept below the finished lines, redrawn by a timer at most
 * ~10 times a second (never per step) with `\r` and an ANSI erase, and erased before each finished line is
 * printed. Without a terminal, or with `NO_COLOR`: no escapes, the finished lines as they come plus a count
 * line every few seconds while steps run.
 */
import type { Op, Step } from "./step";

/** Where the progress goes: standard error, or a fake in the tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Runs `tick` every `ms` until the returned function is called (default setInterval, unref'd). */
  every?: (tick: () => void, ms: number) => () => void;
  /** NO_COLOR is set: no escapes even on a terminal. */
  noColor?: boolean;
  /** Redraw period of the live line (default 100 ms). */
  redrawMs?: number;
  /** Period of the count line without a terminal (default 5000 ms). */
  countMs?: number;
}

type Kind = "create" | "update" | "replace" | "delete" | "refresh";
const KIND: Partial<Record<Op, Kind>> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  "refresh-update": "refresh",
  "refresh-delete": "refresh",
};
const DONE: Record<Kind, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  delete: "deleted",
  refresh: "refreshed",
};
const ERASE = "\r\x1b[2K";

const defaultEvery = (tick: () => void, ms: number): (() => void) => {
  const timer = setInterval(tick, ms);
  timer.unref();
  return () => clearInterval(timer);
};

export class Progress {
  private readonly live: boolean;
  private readonly now: () => number;
  private readonly counts = new Map<Kind, { started: number; done: number }>();
  private first: number | undefined;
  private shown = "";
  private lastCount = "";
  private readonly stopTimer: () => void;

  constructor(
    private readonly stream: ProgressStream,
    options: ProgressOptions = {},
  ) {
    this.live = stream.isTTY === true && !options.noColor;
    this.now = options.now ?? Date.now;
    const every = options.every ?? defaultEvery;
    this.stopTimer = this.live
      ? every(() => this.redraw(), options.redrawMs ?? 100)
      : every(() => this.count(), options.countMs ?? 5000);
  }

  /** Writes one finished line (the live line is erased first and redrawn by the next tick). */
  readonly write = (line: string): void => {
    if (this.live && this.shown) {
      this.stream.write(`${ERASE}${line}\n`);
      this.shown = "";
    } else {
      this.stream.write(`${line}\n`);
    }
  };

  /** A step that calls the provider has started. */
  started(op: Op): void {
    const kind = KIND[op];
    if (!kind) return;
    this.first ??= this.now();
    this.entry(kind).started++;
  }

  /** A step has ended (failed ones count as done: nothing is left to wait for). */
  finished(step: Step): void {
    const kind = KIND[step.op];
    if (kind) this.entry(kind).done++;
  }

  /** The progress text: `created 340/1000, deleted 2/5, 198 rooms/s, about 4s left`; "" before any step. */
  text(): string {
    if (this.first === undefined) return "";
    const parts = [...this.counts].map(([kind, c]) => `${DONE[kind]} ${c.done}/${c.started}`);
    let done = 0;
    let started = 0;
    for (const c of this.counts.values()) {
      done += c.done;
      started += c.started;
    }
    const seconds = (this.now() - this.first) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} rooms/s`);
    if (rate > 0 && started > done) parts.push(`about ${Math.ceil((started - done) / rate)}s left`);
    return parts.join(", ");
  }

  /** Erases the live line and stops the timer (before the summary). */
  stop(): void {
    this.stopTimer();
    if (this.live && this.shown) this.stream.write(ERASE);
    this.shown = "";
  }

  private entry(kind: Kind): { started: number; done: number } {
    let c = this.counts.get(kind);
    if (!c) this.counts.set(kind, (c = { started: 0, done: 0 }));
    return c;
  }

  private redraw(): void {
    const text = this.text();
    if (!text || text === this.shown) return;
    this.stream.write(`${ERASE}    ${text}`);
    this.shown = text;
  }

  private count(): void {
    // Only while steps move: a stalled count is said once, not every few seconds.
    const key = [...this.counts.values()].map((c) => `${c.done}/${c.started}`).join(",");
    if (this.first === undefined || key === this.lastCount) return;
    this.lastCount = key;
    this.stream.write(`    ... ${this.text()}\n`);
  }
}
