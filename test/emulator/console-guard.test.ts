/**
 * The emulator's console over HTTP, without a browser: who may use the controls (origin, Host, token), and
 * the page and its locally served files (no secret). The page itself is tested in Chromium
 * (test/browser/console-views.test.ts, console-controls.test.ts).
 */
import assert from "node:assert/strict";
import { MASK } from "../../emulator/console/view";
import { startEmulator, type Emulator } from "../../emulator";
import { emulatorPerTest, raw, tokenOf, view } from "../support/console-http";
import { tencentCall } from "../support/tencent-raw";

describe("emulator console over HTTP (guard, page)", () => {
  let emu: Emulator;
  const tencent = () => ({ baseUrl: emu.url, ...emu.credentials.tencent });
  const createTencent = (roomId: string) =>
    tencentCall(tencent(), "create_room", { RoomInfo: { RoomId: roomId, RoomType: "Conference" } });

  emulatorPerTest((e) => (emu = e));

  describe("who may use the controls", () => {
    it("a cross-origin POST /_emulator/reset is refused (403) and changes nothing; so is /_emulator/faults", async () => {
      for (const origin of [
        "http://evil.example",
        "null",
        `http://127.0.0.1:${emu.port + 1}`,
        `https://127.0.0.1:${emu.port}`,
      ]) {
        const res = await raw(emu, "POST", "/_emulator/reset", { origin, "content-type": "text/plain" }, "{}");
        assert.equal(res.status, 403, origin);
        assert.match((JSON.parse(res.text) as { error: string }).error, /cross-origin request from/);
        const faults = await raw(emu, "POST", "/_emulator/faults", { origin }, '{"seed":1,"http502":1}');
        assert.equal(faults.status, 403, origin);
      }
      assert.equal(emu.tencent.rooms().length, 1, "nothing was reset");
      assert.equal((await view(emu)).faults, null, "no fault plan was set");
    });

    it("a browser request without Origin but with Sec-Fetch-Site cross-site, or without the page's token, is refused", async () => {
      assert.equal((await raw(emu, "POST", "/_emulator/reset", { "sec-fetch-site": "cross-site" }, "{}")).status, 403);
      assert.equal((await raw(emu, "POST", "/_emulator/reset", { "sec-fetch-site": "same-site" }, "{}")).status, 403);
      const sameOrigin = { origin: `http://127.0.0.1:${emu.port}`, "sec-fetch-site": "same-origin" };
      const noToken = await raw(emu, "POST", "/_emulator/reset", sameOrigin, "{}");
      assert.equal(noToken.status, 403);
      assert.match((JSON.parse(noToken.text) as { error: string }).error, /x-emulator-token/);
      assert.equal(
        (await raw(emu, "POST", "/_emulator/reset", { ...sameOrigin, "x-emulator-token": "0".repeat(32) }, "{}"))
          .status,
        403,
        "a guessed token",
      );
      assert.equal(emu.tencent.rooms().length, 1);
      const token = await tokenOf(emu);
      assert.equal(
        (await raw(emu, "POST", "/_emulator/reset", { ...sameOrigin, "x-emulator-token": token }, "{}")).status,
        200,
        "the console's own request",
      );
      assert.equal(emu.tencent.rooms().length, 0);
    });

    it("a foreign Host name (DNS rebinding) can neither read the console, its data or state, nor post", async () => {
      const rebound = { host: `attacker.example:${emu.port}` };
      for (const [method, path] of [
        ["GET", "/"],
        ["GET", "/console/console.js"],
        ["GET", "/_emulator/console"],
        ["GET", "/_emulator/state"],
        ["POST", "/_emulator/reset"],
      ] as const) {
        const res = await raw(emu, method, path, rebound, method === "POST" ? "{}" : undefined);
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.match((JSON.parse(res.text) as { error: string }).error, /DNS rebinding/);
        assert.ok(!res.text.includes("emulator-token"), "no token in a refusal");
      }
      assert.equal(
        (await raw(emu, "GET", "/", { host: `127.0.0.1:${emu.port + 1}` })).status,
        403,
        "another port is another origin",
      );
      assert.equal(emu.tencent.rooms().length, 1);
    });

    it("programs keep working: no Origin, Host 127.0.0.1 or localhost, no token (tests, curl, the programmatic API)", async () => {
      assert.equal((await raw(emu, "GET", "/_emulator/state", { host: `localhost:${emu.port}` })).status, 200);
      assert.equal(
        (await fetch(`${emu.url}/_emulator/faults`, { method: "POST", body: '{"seed":1,"http502":0}' })).status,
        200,
      );
      assert.equal((await fetch(`${emu.url}/_emulator/reset`, { method: "POST" })).status, 200);
      assert.equal(emu.tencent.rooms().length, 0);
      // Vendor APIs are not behind the guard: their own signatures protect them.
      assert.equal((await createTencent("again")).body.ErrorCode, 0);
    });
  });

  describe("the page and its files", () => {
    it("GET / serves the console with a strict CSP and no framing; scripts, styles and uPlot come from this server", async () => {
      const page = await raw(emu, "GET", "/");
      assert.equal(page.status, 200);
      assert.match(String(page.headers["content-type"]), /^text\/html/);
      assert.match(String(page.headers["content-security-policy"]), /default-src 'self'.*frame-ancestors 'none'/);
      assert.equal(page.headers["x-frame-options"], "DENY");
      const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)]
        .map((m) => m[1] as string)
        .filter((r) => !r.startsWith("#") && !r.startsWith("data:"));
      assert.deepEqual(
        refs.filter((r) => !r.startsWith("/")),
        [],
        "no URL to another host: the console works offline",
      );
      for (const ref of refs.filter((r) => r.startsWith("/console/"))) {
        const res = await raw(emu, "GET", ref);
        assert.equal(res.status, 200, ref);
        assert.ok(res.text.length > 500, `${ref} has content`);
      }
      assert.ok(refs.includes("/console/uPlot.iife.min.js"));
      assert.equal((await raw(emu, "GET", "/console/nothing.js")).status, 404);
      assert.equal((await raw(emu, "POST", "/")).status, 404, "POST / is no console route (and no vendor API)");
    });

    it("each start has its own token; the page and the data never hold a secret", async () => {
      const other = await startEmulator();
      try {
        assert.notEqual(await tokenOf(emu), await tokenOf(other));
      } finally {
        await other.stop();
      }
      const secrets = [emu.credentials.tencent.secretKey, emu.credentials.zego.serverSecret];
      const page = (await raw(emu, "GET", "/")).text;
      const data = await view(emu);
      for (const text of [page, JSON.stringify(data)])
        for (const s of secrets) assert.ok(!text.includes(s), "a secret leaked");
      assert.deepEqual(data.apps, {
        tencent: {
          sdkAppId: emu.credentials.tencent.sdkAppId,
          identifier: emu.credentials.tencent.identifier,
          secretKey: MASK,
        },
        zego: { appId: emu.credentials.zego.appId, fromUserId: emu.credentials.zego.fromUserId, serverSecret: MASK },
      });
    });
  });
});
