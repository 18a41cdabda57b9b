/**
 * A local stand-in for both vendor APIs on one loopback port: Tencent Room Engine under `/v4/...` and
 * ZEGO ZIM under `/?Action=...`. Used by the tests, the benchmark and the main job.
 *
 * @example
 * const emu = await startEmulator();
 * // point a stack at it: emu.stackConfig() (Pulumi config keys) or emu.env() (environment fallbacks)
 * await emu.stop();
 */
import { ConsoleRoutes } from "./console/routes";
import type { ConsoleSource } from "./console/view";
import { Declarations, type RoomDeclaration } from "./declarations";
import { RequestLog, type RequestEvent } from "./request-log";
import { persistentRequestLog, requestLogPath } from "./request-log-file";
import { checkStateFolder, StateFile, type StateFileContents } from "./state-file";
import { StateFileLock } from "./state-lock";
import { EmulatorServer, type Counters } from "./server";
import { TencentHandler, type TencentEmulatorOptions, type TencentState } from "./tencent/handler";
import { validateRateMode, type RateMode } from "./rate";
import type { FaultPlan } from "./types";
import { ZegoHandler, type ZegoEmulatorOptions, type ZegoState } from "./zego/handler";

export type { EmulatorRequest, FaultPlan } from "./types";
export { OPTIONS as EMULATOR_CLI_OPTIONS, parseCli as parseEmulatorArgs, type CliRequest } from "./options";
export type { Counters } from "./server";
export type { RequestEvent, InjectedFault } from "./request-log";
export type { RoomDeclaration, DeclaredBy } from "./declarations";
export { requestLogPath } from "./request-log-file";
export { validateFaultPlan } from "./faults";
export { LockFile, type LockHolder } from "./lock-file";
export { validateRateMode, type RateMode, type RateScope, type RateWindow } from "./rate";
export type { TencentEmulatorOptions, TencentRoomRecord, TencentMemberRecord, TencentState } from "./tencent/handler";
export type {
  ZegoAttributeRecord,
  ZegoEmulatorOptions,
  ZegoRoomRecord,
  ZegoRoomUserRecord,
  ZegoUserRecord,
  ZegoState,
} from "./zego/handler";
export { TencentHandler } from "./tencent/handler";
export { ZegoHandler } from "./zego/handler";

/** How to start the emulator; every field is optional. */
export interface EmulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  readonly tencent?: TencentEmulatorOptions;
  readonly zego?: ZegoEmulatorOptions;
  /**
   * How both vendors count their rate limits (a vendor's own `rateMode` wins): per API (default) or per
   * app, over a sliding second (default) or per wall-clock second.
   */
  readonly rateMode?: Partial<RateMode>;
  /** Seeded fault plan applied to every request (default: none). */
  readonly faults?: FaultPlan;
  /**
   * JSON file that keeps rooms across restarts (loaded at start, written after changes and at stop). The
   * emulator holds `<stateFile>.lock` while it runs: a second emulator on the same file is refused. The
   * request log is kept beside it (`requestLogPath(stateFile)`: `emulator.json` -> `emulator.requests.jsonl`),
   * bounded by `requestLogCapacity`.
   */
  readonly stateFile?: string;
  /** Clock in ms (default Date.now), for expiry and rate-window tests. */
  readonly now?: () => number;
  /** Receives one line per request (never credentials). */
  readonly log?: (line: string) => void;
  /**
   * How many vendor requests the request log (console, `requests()`) keeps, in memory and in its file beside
   * the state file; the oldest go first [2000].
   */
  readonly requestLogCapacity?: number;
}

/** The credentials of the emulated apps (throwaway, local). */
export interface EmulatorCredentials {
  readonly tencent: { readonly sdkAppId: number; readonly secretKey: string; readonly identifier: string };
  readonly zego: { readonly appId: number; readonly serverSecret: string; readonly fromUserId: string };
}

/** A running emulator. */
export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** The web console: rooms, schedule, request log and controls (`${url}/`). */
  readonly consoleUrl: string;
  readonly port: number;
  readonly credentials: EmulatorCredentials;
  /** The Tencent app: inspection (rooms(), room(id)) and changes behind the provider's back. */
  readonly tencent: TencentHandler;
  /** The ZEGO app: inspection (rooms(), room(id), users()) and changes behind the provider's back. */
  readonly zego: ZegoHandler;
  /** Pulumi stack config that points both resources here (keys such as `tencent:endpoint`). */
  stackConfig(): Record<string, string>;
  /** The equivalent environment fallbacks (TENCENT_*, ZEGO_*). */
  env(): Record<string, string>;
  /** Requests by action and result ("ok", a vendor code, or "fault:<kind>"). */
  counters(): Counters;
  /** The last vendor requests, oldest first (a bounded log; see `requestLogCapacity`), or those after `seq`. */
  requests(afterSeq?: number): RequestEvent[];
  resetCounters(): void;
  /** Replaces the fault plan (undefined: no faults) and restarts its PRNG; throws on an invalid plan. */
  setFaults(plan: FaultPlan | undefined): void;
  /**
   * Changes the rate limits (requests per second, false: off) and how both vendors count them (scope
   * `api` | `app`, window `sliding` | `fixed`); counts start afresh. Throws on an invalid value.
   */
  setRateLimits(limits: RateLimitChange): void;
  /** The rate limits now in force, per vendor. */
  rateLimits(): RateLimitsView;
  /** Forgets all rooms, users, counters and the request log (not the declarations: they describe stacks). */
  reset(): void;
  /**
   * Records which rooms `stack`'s state holds and the URN of the resource that declared each (replacing what
   * that stack declared before; an empty list forgets it). The console shows them beside the rooms (they are
   * not written to the state file). pulumi-rooms-local calls this after each operation and in `console`.
   * @throws Error naming the field when a declaration is malformed.
   */
  setDeclarations(stack: string, rooms: readonly RoomDeclaration[]): void;
  /** What each stack declared, by stack name. */
  declarations(): Record<string, RoomDeclaration[]>;
  /**
   * Writes the changes not yet saved now (no-op without a state file), e.g. before a caller records what it
   * just created: the changed rooms are appended to the file's change log, which stop() folds into the file.
   */
  flushState(): void;
  /** Stops listening, drops open connections, flushes the state file and releases its lock. Safe to call twice. */
  stop(): Promise<void>;
}

/** A change of the rate limits: any subset of the fields. */
export interface RateLimitChange {
  readonly tencent?: number | false;
  readonly zego?: number | false;
  readonly scope?: RateMode["scope"];
  readonly window?: RateMode["window"];
}

/** The rate limits in force. */
export type RateLimitsView = Record<"tencent" | "zego", { readonly perSecond: number | false } & RateMode>;

/** Checks a rate-limit change from outside (admin endpoint); throws naming the field and the rule. */
function validateRateLimitChange(input: unknown): RateLimitChange {
  if (input === null || typeof input !== "object" || Array.isArray(input))
    throw new Error("the body must be a JSON object");
  const { tencent, zego, ...mode } = input as Record<string, unknown>;
  const limit = (name: string, v: unknown): number | false | undefined => {
    if (v === undefined || v === false) return v;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1)
      throw new Error(
        `${name} must be a whole number of requests per second >= 1, or false (off), not ${JSON.stringify(v)}`,
      );
    return v;
  };
  return { tencent: limit("tencent", tencent), zego: limit("zego", zego), ...validateRateMode(mode) };
}

/**
 * Starts the emulator on 127.0.0.1. Rejects on an invalid fault plan, a corrupt state file, a state file
 * another running emulator holds, or a port in use.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  if (options.stateFile) checkStateFolder(options.stateFile);
  // One writer per state file: a second emulator on it would write its stale copy over this one's changes.
  const lock = options.stateFile
    ? StateFileLock.acquire(options.stateFile, options.log ?? ((line) => process.stderr.write(`${line}\n`)))
    : undefined;
  try {
    return await serve(options, lock);
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** The emulator itself, once its state file (if any) is locked; `stop()` releases the lock. */
async function serve(options: EmulatorOptions, lock: StateFileLock | undefined): Promise<Emulator> {
  const now = options.now ?? Date.now;
  // The state file is read first: its saved credentials are the defaults, explicit options win.
  // (The snapshot runs only after the handlers below exist.)
  const snapshot = (): StateFileContents => ({
    version: 1,
    vendors: { tencent: tencent.exportState(), zego: zego.exportState() },
    credentials: { tencent: tencent.credentials(), zego: zego.credentials() },
  });
  const room = (vendor: string, roomId: string): unknown =>
    vendor === "tencent" ? tencent.room(roomId) : vendor === "zego" ? zego.room(roomId) : undefined;
  const stateFile = options.stateFile
    ? new StateFile(options.stateFile, { snapshot, room }, 100, (err) =>
        options.log?.(`emulator: could not write the state file: ${err.message}`),
      )
    : undefined;
  const loaded = stateFile?.load();
  const saved = loaded?.contents;
  const rateMode = (own: Partial<RateMode> | undefined) => ({ ...options.rateMode, ...own });
  const tencent = new TencentHandler(
    { ...saved?.credentials?.tencent, ...options.tencent, rateMode: rateMode(options.tencent?.rateMode) },
    { now },
  );
  const zego = new ZegoHandler(
    { ...saved?.credentials?.zego, ...options.zego, rateMode: rateMode(options.zego?.rateMode) },
    { now },
  );
  const setRateLimits = (limits: RateLimitChange) => {
    const checked = validateRateLimitChange(limits);
    if (checked.tencent !== undefined) tencent.setRateLimit(checked.tencent);
    if (checked.zego !== undefined) zego.setRateLimit(checked.zego);
    if (checked.scope === undefined && checked.window === undefined) return;
    for (const handler of [tencent, zego]) handler.setRateMode({ scope: checked.scope, window: checked.window });
  };
  const rateLimits = (): RateLimitsView => ({ tencent: tencent.rateLimitMode(), zego: zego.rateLimitMode() });
  if (saved?.vendors.tencent) tencent.importState(saved.vendors.tencent as TencentState);
  if (saved?.vendors.zego) zego.importState(saved.vendors.zego as ZegoState);
  const declarations = new Declarations();
  for (const change of loaded?.changes ?? []) {
    if (change.vendor === "tencent") tencent.importRoom(change.room, change.record);
    else if (change.vendor === "zego") zego.importRoom(change.room, change.record);
  }
  tencent.onChange((rooms) => stateFile?.changed("tencent", rooms));
  zego.onChange((rooms) => stateFile?.changed("zego", rooms));
  // Credentials given as options (or drawn afresh) that the file does not hold yet are saved at the first write.
  const credentialsNow = { tencent: tencent.credentials(), zego: zego.credentials() };
  if (stateFile && JSON.stringify(saved?.credentials) !== JSON.stringify(credentialsNow)) stateFile.changedAll();

  // The request log outlives the process beside the state file (request-log-file.ts), bounded the same way.
  const kept = options.stateFile
    ? persistentRequestLog(
        requestLogPath(options.stateFile),
        options.requestLogCapacity,
        (err) => options.log?.(`emulator: could not write the request log: ${err.message}`),
        (line) => options.log?.(line),
      )
    : undefined;
  const requestLog = kept?.log ?? new RequestLog(options.requestLogCapacity);
  const reset = () => {
    tencent.reset();
    zego.reset();
    server.resetCounters();
    requestLog.clear();
    stateFile?.changed();
  };
  // The console reads through the same inspection API as tests do (no second source of truth).
  const consoleSource: ConsoleSource = {
    now,
    tencent: {
      rooms: () => tencent.rooms(),
      credentials: () => tencent.credentials(),
      actions: tencent.actions,
      rateLimit: () => tencent.rateLimit,
    },
    zego: {
      rooms: () => zego.rooms(),
      users: () => zego.users(),
      credentials: () => zego.credentials(),
      actions: zego.actions,
      rateLimit: () => zego.rateLimit,
    },
    faults: () => server.faults.current,
    requests: (since) => ({
      latestSeq: requestLog.latestSeq,
      clearedAfter: requestLog.clearedAfter,
      events: requestLog.since(since),
    }),
    rates: () => requestLog.rates(),
    declarations: () => declarations.byRoom(),
  };
  const server: EmulatorServer = new EmulatorServer({
    handlers: [tencent, zego],
    faults: options.faults,
    onCommit: (vendor, rooms) => stateFile?.changed(vendor, rooms),
    inspect: () => ({
      tencent: { rooms: tencent.rooms() },
      zego: { rooms: zego.rooms(), users: zego.users() },
      counters: server.snapshotCounters(),
      rateLimits: rateLimits(),
    }),
    reset,
    rateLimits,
    log: options.log,
    requestLog,
    now,
    console: new ConsoleRoutes(consoleSource, { setRateLimits }),
  });
  const port = await server.listen(options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  let stopped = false;
  const credentials: EmulatorCredentials = { tencent: tencent.credentials(), zego: zego.credentials() };

  return {
    url,
    consoleUrl: `${url}/`,
    port,
    credentials,
    tencent,
    zego,
    stackConfig: () => ({
      "tencent:sdkAppId": String(credentials.tencent.sdkAppId),
      "tencent:secretKey": credentials.tencent.secretKey,
      "tencent:identifier": credentials.tencent.identifier,
      "tencent:endpoint": url,
      "zego:appId": String(credentials.zego.appId),
      "zego:serverSecret": credentials.zego.serverSecret,
      "zego:endpoint": url,
      "zego:fromUserId": credentials.zego.fromUserId,
    }),
    env: () => ({
      TENCENT_SDKAPPID: String(credentials.tencent.sdkAppId),
      TENCENT_SECRET_KEY: credentials.tencent.secretKey,
      TENCENT_IDENTIFIER: credentials.tencent.identifier,
      TENCENT_ENDPOINT: url,
      ZEGO_APP_ID: String(credentials.zego.appId),
      ZEGO_SERVER_SECRET: credentials.zego.serverSecret,
      ZEGO_ENDPOINT: url,
      ZEGO_FROM_USER_ID: credentials.zego.fromUserId,
    }),
    counters: () => server.snapshotCounters(),
    resetCounters: () => server.resetCounters(),
    setFaults: (plan) => server.faults.set(plan),
    requests: (afterSeq) => requestLog.since(afterSeq),
    setRateLimits,
    rateLimits,
    reset,
    setDeclarations: (stack, rooms) => declarations.set(stack, rooms),
    declarations: () => declarations.all(),
    flushState: () => stateFile?.flush(),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.close();
      try {
        stateFile?.close();
        kept?.file.flush();
      } finally {
        lock?.release();
      }
    },
  };
}
