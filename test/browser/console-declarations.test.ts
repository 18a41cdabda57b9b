/**
 * The console shows which stack and resource declared each room: `pulumi-rooms-local up` (in-process,
 * emulator kept as `up --serve` keeps it) on test/fixtures/linked-rooms, then headless Chromium on its
 * console finds each room's URN beside it, a room made behind the stack's back marked as declared by no
 * stack, and the search finding a room by its resource name. One browser for the file.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { Emulator } from "../../emulator";
import { roomDeclarations } from "../../engine/declarations";
import { runOperation } from "../../engine/operation";
import { launchChromium, openConsole } from "../support/console-browser";
import { REPO, Workspace } from "../support/local-engine";
import { tencentCall } from "../support/tencent-raw";

describe("emulator console in Chromium (which stack and resource declared each room)", function () {
  this.timeout(180_000);
  const ws = new Workspace(path.join(REPO, "test", "fixtures", "linked-rooms"), "dev");
  const pageErrors: string[] = [];
  let emu: Emulator | undefined;
  let browser: Browser | undefined;
  let page: Page;

  before(async function () {
    const launching = launchChromium();
    try {
      const up = await runOperation({
        operation: "up",
        cwd: ws.dir,
        stack: ws.stack,
        keepEmulator: true,
        write: () => undefined,
      });
      emu = up.emulator;
      assert.ok(up.ok && emu, "the up succeeded and kept its emulator");
      // A room the stack does not declare (made through the vendor API, behind the stack's back).
      await tencentCall({ baseUrl: emu.url, ...emu.credentials.tencent }, "create_room", {
        RoomInfo: { RoomId: "by-hand", RoomType: "Conference" },
      });
    } finally {
      browser = await launching;
    }
    page = await openConsole(browser, emu, pageErrors);
  });

  after(async function () {
    await browser?.close();
    await emu?.stop();
    ws.remove();
  });

  it("each room's card names the stack and the URN of the resource that declared it", async function () {
    const declared = roomDeclarations(ws.checkpoint());
    assert.equal(declared.length, 2);
    for (const { vendor, roomId, urn } of declared) {
      const card = page.locator(`[data-room="${vendor}:${roomId}"]`);
      await card.locator("[data-declared] [data-urn]").waitFor();
      assert.equal(await card.locator("[data-declared] [data-urn]").textContent(), urn);
      assert.equal(await card.locator("[data-declared] .muted").textContent(), "stack dev");
    }
    assert.match(
      (await page.locator('[data-room="zego:mirror-a"] [data-urn]').textContent()) ?? "",
      /^urn:pulumi:dev::linked-rooms::rooms-test:index:RoomPair\$pulumi-nodejs:dynamic\/rooms:ZegoRoom::pair-mirror$/,
    );
  });

  it("a room no stack declared says so; the search finds a room by its resource's name", async function () {
    const byHand = page.locator('[data-room="tencent:by-hand"] [data-declared="none"]');
    await byHand.waitFor();
    assert.equal(await byHand.textContent(), "not declared by stack dev");
    await page.fill("#room-search", "pair-mirror");
    await page.waitForFunction(`document.querySelectorAll("#rooms [data-room]").length === 1`);
    assert.equal(await page.locator("#rooms [data-room]").getAttribute("data-room"), "zego:mirror-a");
    await page.fill("#room-search", "");
    assert.deepEqual(pageErrors, []);
  });
});
