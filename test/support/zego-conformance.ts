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

/** The suite's mutable state, shared by the part files. */
export const S: {
  clockMs: number;
  handler: ZegoHandler;
  server: VendorServer | undefined;
  app: ZegoTarget;
} = {
  clockMs: START_MS,
  handler: new ZegoHandler({ serverSecret: SECRET }, { now: () => START_MS }),
  server: undefined,
  app: { baseUrl: "", appId: 0, serverSecret: "", nowSec: () => 0 },
};

/** A new emulated app (rate limit off unless asked for), reached through the loopback server. */
export function fresh(
  options: ZegoEmulatorOptions = { ratePerSecond: false },
  now: () => number = () => S.clockMs,
): ZegoHandler {
  S.handler = new ZegoHandler({ serverSecret: SECRET, ...options }, { now });
  const { appId, serverSecret } = S.handler.credentials();
  assert.ok(S.server, "the loopback server is up");
  S.app = { baseUrl: S.server.url, appId, serverSecret, nowSec: () => Math.floor(now() / 1000) };
  return S.handler;
}

export const post = (
  action: string,
  body: unknown,
  options?: SignOptions & { rawBody?: string; method?: string },
): Promise<ZegoAnswer> => zegoPost(S.app, action, body, options);
export const get = (
  action: string,
  query: Record<string, string | number> = {},
  options?: SignOptions,
): Promise<ZegoAnswer> => zegoGet(S.app, action, query, options);

export function expectCode(answer: ZegoAnswer, code: number, messagePart?: string): void {
  assert.equal(answer.status, 200, "ZEGO answers errors with HTTP 200");
  assert.equal(answer.body.Code, code, `Code ${answer.body.Code}: ${answer.body.Message}`);
  if (messagePart !== undefined)
    assert.match(answer.body.Message, new RegExp(messagePart.replace(/[[\]().*+?^$|\\]/g, "\\$&")));
}

export function createRoom(roomId: string, extra: Record<string, unknown> = {}): Promise<ZegoAnswer> {
  return post("CreateRoom", { FromUserId: OP, RoomId: roomId, ...extra });
}

export function modify(roomId: string, attributes: unknown[]): Promise<ZegoAnswer> {
  return post("ModifyRoomAttribute", { FromUserId: OP, RoomId: roomId, Attributes: attributes });
}

/** Registers the suite's hooks (call inside each part file's describe). */
export function zegoConformance(): void {
  before(async () => {
    S.server = await serveVendor(() => S.handler);
  });
  after(() => S.server?.stop());
  beforeEach(() => {
    S.clockMs = START_MS;
    fresh();
    S.handler.registerUser(OP);
  });
}
