/**
 * The ZEGO emulator conformance suites' bench: a fresh emulated app per test on a frozen clock behind one
 * loopback server, and the request and assertion helpers the part files under test/emulator/zego/ share.
 */
import assert from "node:assert/strict";
import { ZegoHandler, type ZegoEmulatorOptions } from "../../emulator/zego/handler";
import { serveVendor, type VendorServer } from "./vendor-server";
import { zegoGet, zegoPost, type SignOptions, type ZegoAnswer, type ZegoTarget } from "./zego-raw";

export const START_MS = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
export const SECRET = "0123456789abcdef0123456789abcdef";
export const OP = "pulumi-rooms-admin";

/**
 * The ZEGO conformance suites' bench: a new emulated app (a handler) per test on a frozen clock, behind one
 * loopback server for the suite; requests go to the current app, signed with the bench's clock.
 */
export class ZegoBench {
  clockMs = START_MS;
  handler = new ZegoHandler({ serverSecret: SECRET }, { now: () => START_MS });
  private server: VendorServer | undefined;
  app: ZegoTarget = { baseUrl: "", appId: 0, serverSecret: "", nowSec: () => 0 };

  /** A new emulated app (rate limit off unless asked for), reached through the loopback server. */
  fresh(options: ZegoEmulatorOptions = { ratePerSecond: false }, now: () => number = () => this.clockMs): ZegoHandler {
    this.handler = new ZegoHandler({ serverSecret: SECRET, ...options }, { now });
    const { appId, serverSecret } = this.handler.credentials();
    assert.ok(this.server, "the loopback server is up");
    this.app = { baseUrl: this.server.url, appId, serverSecret, nowSec: () => Math.floor(now() / 1000) };
    return this.handler;
  }

  post(action: string, body: unknown, options?: SignOptions & { rawBody?: string; method?: string }) {
    return zegoPost(this.app, action, body, options);
  }

  get(action: string, query: Record<string, string | number> = {}, options?: SignOptions): Promise<ZegoAnswer> {
    return zegoGet(this.app, action, query, options);
  }

  createRoom(roomId: string, extra: Record<string, unknown> = {}): Promise<ZegoAnswer> {
    return this.post("CreateRoom", { FromUserId: OP, RoomId: roomId, ...extra });
  }

  modify(roomId: string, attributes: unknown[]): Promise<ZegoAnswer> {
    return this.post("ModifyRoomAttribute", { FromUserId: OP, RoomId: roomId, Attributes: attributes });
  }

  /** Registers the hooks (call inside the file's describe); returns the bench. */
  register(): this {
    before(async () => {
      this.server = await serveVendor(() => this.handler);
    });
    after(() => this.server?.stop());
    beforeEach(() => {
      this.clockMs = START_MS;
      this.fresh();
      this.handler.registerUser(OP);
    });
    return this;
  }
}

/** The title every ZEGO part file"s suite starts with. */
const TITLE = "emulator: ZEGO ZIM server API";

/** A ZEGO part file"s suite: `describe("<TITLE>: <part>")` with the bench"s hooks; `body` declares its tests. */
export function zegoSuite(part: string, body: (bench: ZegoBench) => void): void {
  describe(`${TITLE}: ${part}`, () => body(new ZegoBench().register()));
}

/** CreateRoom's or a change's `Attributes` from a map of key to value (AutoDelete left out). */
export function attributes(map: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(map).map(([Key, Value]) => ({ Key, Value }));
}

export function expectCode(answer: ZegoAnswer, code: number, messagePart?: string): void {
  assert.equal(answer.status, 200, "ZEGO answers errors with HTTP 200");
  assert.equal(answer.body.Code, code, `Code ${answer.body.Code}: ${answer.body.Message}`);
  if (messagePart !== undefined)
    assert.match(answer.body.Message, new RegExp(messagePart.replace(/[[\]().*+?^$|\\]/g, "\\$&")));
}
