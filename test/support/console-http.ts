/** Raw HTTP against the emulator's console: any headers (fetch cannot set Host), the page's token, the data document. */
import assert from "node:assert/strict";
import { request as httpRequest, type OutgoingHttpHeaders } from "node:http";
import type { ConsoleView } from "../../emulator/console/view";
import { startEmulator, type Emulator } from "../../emulator";
import { tencentCall } from "./tencent-raw";

/** A raw answer: status, headers and body text. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A raw HTTP request with any headers (fetch cannot set Host). */
export function raw(
  emu: Emulator,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: emu.port, method, path, headers: { host: `127.0.0.1:${emu.port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** The token the console page embeds for its own control requests. */
export async function tokenOf(emu: Emulator): Promise<string> {
  const page = await raw(emu, "GET", "/");
  const token = /<meta name="emulator-token" content="([0-9a-f]{32})"\s*\/?>/.exec(page.text)?.[1];
  assert.ok(token, "the page embeds its token");
  return token;
}

/** The console's data document, with the request log from `since`. */
export async function view(emu: Emulator, since = 0): Promise<ConsoleView> {
  const res = await fetch(`${emu.url}/_emulator/console?since=${since}`);
  assert.equal(res.status, 200);
  return (await res.json()) as ConsoleView;
}

/**
 * A fresh emulator for each test (ZEGO's operator registered, one Tencent room "keep-me" created), stopped
 * after it; `use` receives it.
 */
export function emulatorPerTest(use: (emu: Emulator) => void): void {
  let emu: Emulator | undefined;
  beforeEach(async () => {
    emu = await startEmulator({ zego: { preRegisterOperator: true } });
    use(emu);
    const created = await tencentCall({ baseUrl: emu.url, ...emu.credentials.tencent }, "create_room", {
      RoomInfo: { RoomId: "keep-me", RoomType: "Conference" },
    });
    assert.equal(created.body.ErrorCode, 0);
  });
  afterEach(async () => {
    await emu?.stop();
  });
}
