/**
 * The emulator framework suites' bench (emulator-bench.ts): rate limits off and the ZEGO operator
 * registered, raw senders for both vendors on its clock, and the admin and socket helpers the part files
 * share.
 */
import { connect } from "node:net";
import { resolve } from "node:path";
import type { Emulator } from "../../emulator";
import { EmulatorBench } from "./emulator-bench";
import { tencentUrl, type TencentSignOptions, type TencentTarget } from "./tencent-raw";
import { signedUrl, type ZegoTarget } from "./zego-raw";

export const ROOT = resolve(__dirname, "../..");
/** The require hook that runs TypeScript in a child process (`node -r TRANSPILE file.ts`). */
export const TRANSPILE = resolve(__dirname, "esbuild-register.cjs");
export const SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
export const ZEGO_SECRET = "00112233445566778899aabbccddeeff";

/** A raw answer, which may be HTML (fault 502). */
export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

/** The framework's bench: emulators with both vendors' rate limits off and the ZEGO operator registered. */
export class FrameworkBench extends EmulatorBench {
  constructor() {
    super((options = {}) => ({
      ...options,
      tencent: { secretKey: SECRET, ratePerSecond: false, ...options.tencent },
      zego: { serverSecret: ZEGO_SECRET, ratePerSecond: false, preRegisterOperator: true, ...options.zego },
    }));
  }

  tencentOf(e: Emulator): TencentTarget {
    return { baseUrl: e.url, ...e.credentials.tencent };
  }

  zegoOf(e: Emulator): ZegoTarget {
    const { appId, serverSecret } = e.credentials.zego;
    return { baseUrl: e.url, appId, serverSecret, nowSec: () => Math.floor(this.clockMs / 1000) };
  }

  tSend(e: Emulator, command: string, body: unknown, options?: TencentSignOptions): Promise<RawAnswer> {
    return rawPost(tencentUrl(this.tencentOf(e), command, options), JSON.stringify(body));
  }

  zSend(e: Emulator, action: string, body: unknown): Promise<RawAnswer> {
    return rawPost(signedUrl(this.zegoOf(e), action), JSON.stringify(body));
  }

  tCreate(e: Emulator, roomId: string): Promise<RawAnswer> {
    return this.tSend(e, "create_room", { RoomInfo: { RoomId: roomId, RoomType: "Conference" } });
  }

  tGet(e: Emulator, roomId: string): Promise<RawAnswer> {
    return this.tSend(e, "get_room_info", { RoomId: roomId });
  }

  zCreate(e: Emulator, roomId: string): Promise<RawAnswer> {
    return this.zSend(e, "CreateRoom", { FromUserId: e.credentials.zego.fromUserId, RoomId: roomId });
  }

  /** A request to the current emulator's admin endpoints. */
  async admin(method: string, path: string, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${this.running().url}${path}`, {
      method,
      body,
      headers: body === undefined ? {} : { "content-type": "application/json" },
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }
}

/** The title every framework part file"s suite starts with. */
const TITLE = "emulator: framework (server, faults, counters, state file, admin, CLI)";

/** A framework part file"s suite: `describe("<TITLE>: <part>")` with the bench"s hooks; `body` declares its tests. */
export function frameworkSuite(part: string, body: (bench: FrameworkBench) => void): void {
  describe(`${TITLE}: ${part}`, () => body(new FrameworkBench().register()));
}

/** What a client saw: "socket error", "http <status>", or the vendor code. */
export async function outcome(request: Promise<RawAnswer>): Promise<string> {
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
export async function rawPost(url: string, body: string, method = "POST"): Promise<RawAnswer> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
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
