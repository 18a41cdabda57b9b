/**
 * The emulator framework suites' bench: a fresh emulator per test on a frozen clock (rate limits off, the ZEGO
 * operator registered), raw senders for both vendors, and the admin and socket helpers the part files share.
 */
import assert from "node:assert/strict";
import { connect } from "node:net";
import { resolve } from "node:path";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { tencentUrl, type TencentSignOptions, type TencentTarget } from "./tencent-raw";
import { signedUrl, type ZegoTarget } from "./zego-raw";

/** The suite's mutable state, shared by the part files. */
export const S: {
  clockMs: number;
  emu: Emulator | undefined;
} = {
  clockMs: 0,
  emu: undefined,
};

export const ROOT = resolve(__dirname, "../..");
export const SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
export const ZEGO_SECRET = "00112233445566778899aabbccddeeff";

export const extra: Emulator[] = [];

/** A fresh emulator on a frozen clock, rate limits off, the ZEGO operator registered. */
export async function fresh(options: EmulatorOptions = {}): Promise<Emulator> {
  await S.emu?.stop();
  S.emu = await start(options);
  return S.emu;
}

export async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({
    now: () => S.clockMs,
    ...options,
    tencent: { secretKey: SECRET, ratePerSecond: false, ...options.tencent },
    zego: { serverSecret: ZEGO_SECRET, ratePerSecond: false, preRegisterOperator: true, ...options.zego },
  });
}

export function running(): Emulator {
  assert.ok(S.emu, "no emulator running");
  return S.emu;
}

export const tencentOf = (e: Emulator): TencentTarget => ({ baseUrl: e.url, ...e.credentials.tencent });
export const zegoOf = (e: Emulator): ZegoTarget => ({
  baseUrl: e.url,
  appId: e.credentials.zego.appId,
  serverSecret: e.credentials.zego.serverSecret,
  nowSec: () => Math.floor(S.clockMs / 1000),
});

/** What a client saw: "socket error", "http <status>", or the vendor code. */
export async function outcome(
  request: Promise<{ status: number; contentType: string; text: string }>,
): Promise<string> {
  try {
    const r = await request;
    if (r.status !== 200) return `http ${r.status}`;
    const body = JSON.parse(r.text) as { ErrorCode?: number; Code?: number };
    return String(body.ErrorCode ?? body.Code);
  } catch (err) {
    if (err instanceof TypeError && /fetch failed/.test(err.message)) return "socket error";
    throw err;
  }
}

/** A raw request whose answer may be HTML (fault 502) or fail at the socket. */
export async function rawPost(
  url: string,
  body: string,
  method = "POST",
): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

export const tSend = (e: Emulator, command: string, body: unknown, options?: TencentSignOptions) =>
  rawPost(tencentUrl(tencentOf(e), command, options), JSON.stringify(body));
export const zSend = (e: Emulator, action: string, body: unknown) =>
  rawPost(signedUrl(zegoOf(e), action), JSON.stringify(body));
export const tCreate = (e: Emulator, roomId: string) =>
  tSend(e, "create_room", { RoomInfo: { RoomId: roomId, RoomType: "Conference" } });
export const tGet = (e: Emulator, roomId: string) => tSend(e, "get_room_info", { RoomId: roomId });
export const zCreate = (e: Emulator, roomId: string) =>
  zSend(e, "CreateRoom", { FromUserId: e.credentials.zego.fromUserId, RoomId: roomId });

export async function admin(
  method: string,
  path: string,
  body?: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${running().url}${path}`, {
    method,
    body,
    headers: body === undefined ? {} : { "content-type": "application/json" },
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Resolves true when a TCP connection to host:port opens, false when it is refused or unreachable. */
export function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once("error", () => resolvePromise(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolvePromise(false);
    });
  });
}

/** Registers the suite's hooks (call inside each part file's describe). */
export function frameworkSuite(): void {
  beforeEach(async () => {
    S.clockMs = Math.floor(Date.now() / 1000) * 1000;
    await fresh();
  });
  afterEach(async () => {
    for (const e of extra.splice(0)) await e.stop();
  });
  after(async () => {
    await S.emu?.stop();
    S.emu = undefined;
  });
}
