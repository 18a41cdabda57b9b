/**
 * The emulator's web console in a real browser, its controls: headless Chromium opens the console of an
 * emulator holding rooms deployed through the dynamic-provider host, and finds the request log and the
 * controls working; a page of another origin and a DNS-rebound host name cannot drive it. One browser for
 * the file.
 */
import { strict as assert } from "node:assert";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Page } from "playwright-core";
import type { Emulator } from "../../emulator";
import { ConsoleStack, count } from "../support/console-browser";
import { tencentUrl } from "../support/tencent-raw";

describe("emulator console in Chromium (requests, controls, origin guard)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let page: Page;
  const stack = new ConsoleStack("console control tests").suite((e, p) => ((emu = e), (page = p)));
  const { adminLines, pageErrors } = stack;

  it("Controls: a fault plan set in the page refuses the next request, the log shows it; clear and rate limits work too", async function () {
    await page.goto(`${emu.consoleUrl}#controls`);
    await page.locator('#fault-actions input[value="get_room_info"]').waitFor();
    await page.fill('#fault-form [name="seed"]', "7");
    await page.fill('#fault-form [name="http502"]', "1");
    await page.check('#fault-actions input[value="get_room_info"]');
    await page.click("#fault-apply");
    await page.waitForSelector("#control-status.done");
    assert.match((await page.locator("#fault-current").textContent()) ?? "", /"http502": 1/);

    const t = { baseUrl: emu.url, ...emu.credentials.tencent };
    const get = () =>
      fetch(tencentUrl(t, "get_room_info"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ RoomId: "retro" }),
      });
    assert.equal((await get()).status, 502, "the fault plan from the page is in force");

    await page.click('nav a[data-view="requests"]');
    const faulted = page.locator("#log tr", { hasText: "HTTP 502" }).first();
    await faulted.waitFor();
    assert.equal(await faulted.locator(".api").textContent(), "get_room_info");
    assert.equal(await faulted.locator(".room").textContent(), "retro");
    assert.equal(await faulted.locator(".fault").textContent(), "HTTP 502");

    await page.click('nav a[data-view="controls"]');
    await page.click("#fault-clear");
    await page.locator("#fault-current", { hasText: /^no fault plan in force$/ }).waitFor();
    assert.equal((await get()).status, 200, "clearing the plan lets requests through");

    // Rate limit 1/s from the page: of three requests at once at least one is refused with 60007 (the
    // emulator counts each command's own limit by default, as the Room Engine pages state it).
    await page.fill('#rate-form [name="tencent"]', "1");
    await page.click("#rate-apply");
    await page.locator("#rate-current", { hasText: "Tencent 1/s" }).waitFor();
    const codes = await Promise.all(
      [get(), get(), get()].map(async (r) => ((await (await r).json()) as { ErrorCode: number }).ErrorCode),
    );
    assert.ok(codes.includes(60007), `codes ${codes.join(", ")}`);
    await page.click('nav a[data-view="requests"]');
    const limited = page.locator("#log tr", { hasText: "refused by rate limit" }).first();
    await limited.waitFor();
    assert.match(
      (await limited.locator(".result").textContent()) ?? "",
      /^60007 REST API call frequency limit exceeded/,
    );
    // The chart draws each API against its documented limit.
    await page.locator("#chart-tencent canvas").waitFor();
    const legend = (await page.locator("#chart-tencent").textContent()) ?? "";
    for (const label of ["create_room", "get_room_info", "documented 200/s per API", "limit in force 1/s"])
      assert.ok(legend.includes(label), `chart legend has ${label}: ${legend}`);

    await page.click('nav a[data-view="controls"]');
    await page.click("#rate-documented");
    await page.locator("#rate-current", { hasText: "Tencent 200/s, ZEGO 20/s. Documented" }).waitFor();
    assert.equal(((await (await get()).json()) as { ErrorCode: number }).ErrorCode, 0);
  });

  it("refuses a page of another origin and a DNS-rebound host name; the console's own reset works", async function () {
    const evil = await serveEvilPage(emu.url);
    try {
      const other = await page.context().newPage();
      await other.goto(`http://evil.test:${evil.port}/`);
      await other.waitForFunction('document.title === "sent"');
      // A DNS-rebinding page: the browser thinks rebind.test is its own origin, so it could read answers.
      const rebound = await other.goto(`http://rebind.test:${emu.port}/`);
      assert.equal(rebound?.status(), 403, "the console is not served under a foreign host name");
      const status = await other.evaluate(
        async () => (await fetch("/_emulator/reset", { method: "POST", body: "{}" })).status,
      );
      assert.equal(status, 403, "a rebound page cannot reset");
      await other.close();
    } finally {
      await new Promise((resolve) => evil.server.close(resolve));
    }
    assert.equal(emu.tencent.rooms().length, 7, "no cross-origin request reset the emulator");
    assert.equal(emu.zego.rooms().length, 2);
    assert.ok(
      adminLines.some((l) =>
        /refused POST \/_emulator\/reset: cross-origin request from "http:\/\/evil\.test:\d+"/.test(l),
      ),
      adminLines.join("\n"),
    );
    assert.ok(
      adminLines.some((l) => /refused POST \/_emulator\/faults: cross-origin/.test(l)),
      adminLines.join("\n"),
    );
    assert.ok(
      adminLines.some((l) => /refused GET \/: Host "rebind\.test:\d+"/.test(l)),
      adminLines.join("\n"),
    );

    page.once("dialog", (d) => void d.accept());
    await page.goto(`${emu.consoleUrl}#controls`);
    await page.locator("#reset").waitFor();
    await page.click("#reset");
    await page.waitForSelector("#control-status.done");
    assert.equal(emu.tencent.rooms().length + emu.zego.rooms().length, 0, "the console's own reset went through");
    await page.click('nav a[data-view="rooms"]');
    await count(page, "[data-room]", 0);
  });

  it("the console page logged no error", function () {
    assert.deepEqual(pageErrors, []);
  });
});

/** A page on another origin that tries the controls the ways a hostile site could (no-cors form-like posts). */
async function serveEvilPage(target: string): Promise<{ server: Server; port: number }> {
  const script = `
    const t = ${JSON.stringify(target)};
    Promise.allSettled([
      fetch(t + "/_emulator/reset", { method: "POST", mode: "no-cors", body: "{}" }),
      fetch(t + "/_emulator/faults", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: '{"seed":1,"http502":1}' }),
    ]).then(() => { document.title = "sent"; });`;
  const server = createServer((_req, res) =>
    res
      .writeHead(200, { "content-type": "text/html" })
      .end(`<!doctype html><title>evil</title><script>${script}</script>`),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}
