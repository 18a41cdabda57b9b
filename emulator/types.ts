/**
 * The contract between the emulator's HTTP server (emulator/server.ts) and each vendor's handler
 * (emulator/tencent/*.ts, emulator/zego/*.ts). The server owns sockets, transport faults (502, reset,
 * latency, lost response), request counting and the state file; a vendor handler owns authentication,
 * rate limits, validation, rooms and its own error envelope.
 */

/** A parsed incoming request, as a vendor handler sees it. */
export interface EmulatorRequest {
  readonly method: string;
  /** Full request URL (http://127.0.0.1:port/path?query). */
  readonly url: URL;
  /** Raw body text ("" when none). */
  readonly rawBody: string;
}

/** What a vendor handler answers. The server serialises `body` as JSON unless it is a string. */
export interface EmulatorReply {
  readonly status: number;
  readonly body: unknown;
  /** The action name used for counters, e.g. "create_room" or "CreateRoom". */
  readonly action: string;
  /** Counter bucket: "ok" or the vendor error code as a string ("100004", "660300001", ...). */
  readonly result: string;
  /**
   * True when the request changed state (a room created, updated or destroyed). The server uses it for
   * the `lostResponse` fault: the change stays committed and the socket is destroyed without an answer.
   */
  readonly committed?: boolean;
  /**
   * When committed: the IDs of the rooms the request changed (created, updated, destroyed, recycled), so the
   * state file records only those; absent, anything of the vendor's state may have changed.
   */
  readonly changedRooms?: readonly string[];
  /** True when the vendor's frequency limit refused the request (the console's request log shows it). */
  readonly rateLimited?: boolean;
}

/** Probability per fault kind (0..1), applied per request, drawn from a PRNG seeded with `seed`. */
export interface FaultPlan {
  readonly seed: number;
  /** Answer HTTP 502 with an HTML body before the handler runs (nothing committed). */
  readonly http502?: number;
  /** Destroy the socket before the handler runs (nothing committed). */
  readonly reset?: number;
  /** Add `latencyMs` before answering. */
  readonly latency?: number;
  readonly latencyMs?: number;
  /** Run the handler (state changes commit), then destroy the socket instead of answering. */
  readonly lostResponse?: number;
  /** Answer the vendor's transient code (Tencent 100001; ZEGO 660000001 or the action's frequency-limit code) without running the handler. */
  readonly vendorTransient?: number;
  /** Only these actions are subject to faults (default: all). */
  readonly actions?: readonly string[];
}

/** Deterministic random source handed to handlers so seeded runs repeat. */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/** One vendor's API inside the emulator. The server picks the first handler whose `matches` is true. */
export interface VendorHandler<State = unknown> {
  readonly vendor: "tencent" | "zego";
  /** True when this request is addressed to this vendor (Tencent: path under /v4/; ZEGO: `?Action=`). */
  matches(req: EmulatorRequest): boolean;
  /** The action name for counters and fault filtering ("create_room", "CreateRoom", ...). */
  actionOf(req: EmulatorRequest): string;
  /** The room the request names (body or query), for the request log; undefined when it names none. */
  roomOf(req: EmulatorRequest): string | undefined;
  /** What a result code means, from the vendor's code table; undefined for an unlisted code. */
  codeMeaning(code: number): string | undefined;
  /** Serve the request: authentication, rate limit, validation, state change, envelope. */
  handle(req: EmulatorRequest): EmulatorReply;
  /** The vendor's transient "please retry" answer, used by the `vendorTransient` fault. Changes nothing. */
  transientReply(req: EmulatorRequest): EmulatorReply;
  /** Plain JSON-safe snapshot of all state (rooms, users, ...), for the state file and inspection. */
  exportState(): State;
  importState(state: State): void;
  /** Puts one room back as `exportState()`'s record of it had it (undefined: the room is gone), for the state file's log. */
  importRoom(roomId: string, record: unknown): void;
  /** Forget all rooms/users and rate-limit windows (configuration stays). */
  reset(): void;
}
