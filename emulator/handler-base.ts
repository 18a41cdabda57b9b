/**
 * What both vendor handlers offer beyond serving requests, written once: the frequency limit and its
 * controls, and the inspection API that tests, the console and the main job read (rooms, one room, a room
 * destroyed "behind the client's back", the app's credentials). Each vendor fills in its own room record
 * and credential shapes.
 */
import { WindowRateLimiter, type RateMode } from "./rate";
import type { EmulatorReply, EmulatorRequest, VendorHandler } from "./types";

/** The base of `TencentHandler` and `ZegoHandler`. */
export abstract class VendorHandlerBase<State, Room, Credentials> implements VendorHandler<State> {
  abstract readonly vendor: "tencent" | "zego";
  /** The actions (commands) it implements; the console offers them as fault targets. */
  abstract readonly actions: readonly string[];
  /** Counts the app's requests against its documented frequency limit. */
  protected readonly limiter: WindowRateLimiter;
  private changeListener: ((rooms: readonly string[] | undefined) => void) | undefined;

  /**
   * @param ratePerSecond the limit per second (per API, or per app: `mode.scope`), or false for none.
   * @param now the emulator's clock (ms).
   */
  protected constructor(ratePerSecond: number | false, now: () => number, mode?: Partial<RateMode>) {
    this.limiter = new WindowRateLimiter(ratePerSecond, now, mode);
  }

  abstract matches(req: EmulatorRequest): boolean;
  abstract actionOf(req: EmulatorRequest): string;
  abstract roomOf(req: EmulatorRequest): string | undefined;
  abstract codeMeaning(code: number): string | undefined;
  abstract handle(req: EmulatorRequest): EmulatorReply;
  abstract transientReply(req: EmulatorRequest): EmulatorReply;
  abstract exportState(): State;
  abstract importState(state: State): void;
  abstract importRoom(roomId: string, record: unknown): void;
  abstract reset(): void;

  /** Every room, JSON-safe copies in creation order. */
  abstract rooms(): Room[];
  /** One room (a JSON-safe copy), or undefined. */
  abstract room(roomId: string): Room | undefined;
  /** Destroys a room as another client or the console would; false when it did not exist. */
  abstract destroyRoom(roomId: string): boolean;
  /** What a client needs to call this app. Hand it to code, never to a log. */
  abstract credentials(): Credentials;

  /**
   * Receives the changes made through the methods below (not by requests: the server reports those), with
   * the rooms they changed, or undefined when anything may have changed; the emulator saves them.
   */
  onChange(listener: (rooms: readonly string[] | undefined) => void): void {
    this.changeListener = listener;
  }

  /** Reports a change made outside a request (see `onChange`). */
  protected changed(rooms?: readonly string[]): void {
    this.changeListener?.(rooms);
  }

  /** The frequency limit in force (requests per second), or false when it is off (the console shows it). */
  get rateLimit(): number | false {
    return this.limiter.limit;
  }

  /** Changes the app's frequency limit (requests per second, or false for none); counts restart. */
  setRateLimit(limit: number | false): void {
    this.limiter.setLimit(limit);
  }

  /** Changes how the limit is counted (per API or per app; sliding or wall-clock second); counts restart. */
  setRateMode(mode: Partial<RateMode>): void {
    this.limiter.setMode(mode);
  }

  /** The limit and how it is counted. */
  rateLimitMode(): { readonly perSecond: number | false } & RateMode {
    return this.limiter.mode;
  }
}
