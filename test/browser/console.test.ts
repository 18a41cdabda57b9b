/**
 * The emulator's web console in a real browser: headless Chromium (Debian's `chromium`, driven by
 * playwright-core) opens the console of an emulator holding rooms of both vendors deployed through the
 * dynamic-provider host, and finds the rooms, the week's meetings, the request log and the controls
 * working; a page of another origin and a DNS-rebound host name cannot drive it. One browser for the file.
 *
 * Set CONSOLE_SCREENSHOTS=1 to refresh docs/console-rooms.png and docs/console-schedule.png.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { TencentRoom, ZegoRoom } from "pulumi-rooms";
import { startEmulator, type Emulator } from "../../emulator";
import { declared, Engine } from "../support/engine";
import { ProviderHost, type Props } from "../support/host";
import { runProgram } from "../support/program";
import { tencentUrl } from "../support/tencent-raw";

const REPO = path.resolve(__dirname, "../..");
const PROJECT = "rooms-console-test";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium";
/** The viewer's zone: UTC+8 all year, so local and UTC times differ and no daylight-saving change moves them. */
const ZONE = "Asia/Shanghai";
const ZONE_OFFSET_MS = 8 * 3600_000;
const SHOTS = process.env.CONSOLE_SCREENSHOTS === "1";

/** Monday 00:00 in ZONE of the week after this one (future times pass the provider's schedule check). */
function nextWeekMonday(): number {
  const local = new Date(Date.now() + ZONE_OFFSET_MS);
  local.setUTCHours(0, 0, 0, 0);
  local.setUTCDate(local.getUTCDate() - ((local.getUTCDay() + 6) % 7) + 7);
  return local.getTime() - ZONE_OFFSET_MS;
}
const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const H = 3600_000;

describe("emulator console in Chromium (rooms, schedule, requests, controls, origin guard)", function () {
  this.timeout(60_000);
  const t0 = performance.now();
  const adminLines: string[] = [];
  const pageErrors: string[] = [];
  const week = nextWeekMonday();
  const weekParam = new Date(week + ZONE_OFFSET_MS).toISOString().slice(0, 10);
  let emu: Emulator;
  let host: ProviderHost;
  let browser: Browser;
  let page: Page;

  /** The stack: a week of Tencent meetings (times in ZONE) and two ZEGO rooms with attributes. */
  const tencentRooms: Record<string, Props> = {
    ...Object.fromEntries(
      [0, 1, 2, 3, 4].map((d) => [
        `standup-${d}`,
        { roomId: `standup-${d}`, roomName: "Daily stand-up", ownerAccount: "lead", scheduleStartTime: iso(week + d * 24 * H + 9 * H), scheduleEndTime: iso(week + d * 24 * H + 9.25 * H), scheduleInvitees: ["ana", "bo"] },
      ]),
    ),
    planning: { roomId: "sprint-planning", roomName: "Sprint planning", ownerAccount: "lead", maxMemberCount: 50, scheduleStartTime: iso(week + 2 * 24 * H + 14 * H), scheduleEndTime: iso(week + 2 * 24 * H + 15.5 * H), customInfo: "room 4.01" },
    retro: { roomId: "retro", roomName: "Retrospective", ownerAccount: "lead", isCloudRecordingDisabled: true, scheduleStartTime: iso(week + 4 * 24 * H + 16 * H), scheduleEndTime: iso(week + 4 * 24 * H + 17 * H) },
  };
  const zegoRooms = (topic: string): Record<string, Props> => ({
    lobby: { roomId: "lobby", roomName: "Lobby", destroyDelayTime: 600, attributes: { topic, stage: { value: "open", autoDelete: true } } },
    townhall: { roomId: "townhall", roomName: "Town hall", attributes: { agenda: "Q1 results", host: "ceo" } },
  });
  const deploy = async (engine: Engine, topic: string): Promise<void> => {
    const run = await runProgram(() => {
      for (const [name, args] of Object.entries(tencentRooms)) new TencentRoom(name, args);
      for (const [name, args] of Object.entries(zegoRooms(topic))) new ZegoRoom(name, args);
    }, { project: PROJECT });
    await engine.up(declared(run.registrations));
  };

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: the console tests need it. Install it with \`${INSTALL}\` (as root; .ci/run does this) or set CHROMIUM_PATH.`);
    }
    // The browser starts while the host deploys (both take seconds).
    const launching = chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // playwright-core gives the browser a fresh profile (--user-data-dir) per launch. The resolver rules
      // give the origin-guard test two foreign host names that lead to loopback.
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP evil.test 127.0.0.1, MAP rebind.test 127.0.0.1"],
    });
    launching.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    try {
      emu = await startEmulator({ log: (line) => line.startsWith("emulator: refused") && adminLines.push(line) });
      host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
      await host.configure(emu.stackConfig(), ["tencent:secretKey", "zego:serverSecret"]);
      await deploy(new Engine(host), "welcome");
      // A client changes one attribute afterwards: its sequence number moves past the others'.
      emu.zego.setAttribute("lobby", "topic", "agenda");
    } finally {
      browser = await launching;
    }
    const context = await browser.newContext({ timezoneId: ZONE, locale: "en-GB", viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    page.on("console", (m) => m.type() === "error" && pageErrors.push(m.text()));
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await page.goto(emu.consoleUrl);
  });

  after(async function () {
    await browser?.close();
    await host?.stop();
    await emu?.stop();
    console.log(`      (console browser tests: ${((performance.now() - t0) / 1000).toFixed(1)} s including the host deployment and Chromium start)`);
  });

  it("Rooms: every field of both vendors' rooms, ZEGO attributes with their sequence numbers; search and vendor filter", async function () {
    const standup = page.locator('[data-room="tencent:standup-0"]');
    await standup.waitFor();
    const record = emu.tencent.room("standup-0");
    assert.ok(record);
    for (const [field, value] of Object.entries(record)) {
      if (field === "Invitees" || field === "Members") continue;
      const cell = standup.locator(`[data-field="${field}"]`);
      assert.equal(await cell.count(), 1, `Tencent field ${field} is shown`);
      if (typeof value === "string" && value !== "") assert.equal(await cell.textContent(), value, field);
    }
    assert.equal(await standup.locator('[data-list="invitees"]').textContent(), "ana, bo");
    // Times in the viewer's zone, the raw value and UTC on hover.
    assert.equal(await standup.locator('[data-field="ScheduleStartTime"]').textContent(), `${weekParam} 09:00`);
    assert.match((await standup.locator('[data-field="ScheduleStartTime"]').getAttribute("title")) ?? "", new RegExp(`^${record.ScheduleStartTime} \\(${weekParam} 01:00 UTC\\)$`));
    assert.equal(await page.locator('[data-room="tencent:sprint-planning"] [data-field="MaxMemberCount"]').textContent(), "50");
    assert.equal(await page.locator('[data-room="tencent:retro"] [data-field="IsCloudRecordingDisabled"]').textContent(), "true");

    const lobby = page.locator('[data-room="zego:lobby"]');
    const zegoRecord = emu.zego.room("lobby");
    assert.ok(zegoRecord);
    for (const field of Object.keys(zegoRecord)) {
      if (field !== "attributes" && field !== "users") assert.equal(await lobby.locator(`[data-field="${field}"]`).count(), 1, `ZEGO field ${field} is shown`);
    }
    for (const attr of zegoRecord.attributes) {
      const row = lobby.locator(`[data-attr="${attr.key}"]`);
      assert.equal(await row.locator(".value").textContent(), attr.value);
      assert.equal(await row.locator(".seq").textContent(), String(attr.seq));
    }
    const seqs = zegoRecord.attributes.map((a) => a.seq);
    assert.equal(new Set(seqs).size, seqs.length, "each write has its own seq");
    assert.equal(zegoRecord.attributes.find((a) => a.key === "topic")?.seq, zegoRecord.attributeSeq, "the changed attribute has the room's latest seq");
    assert.equal(await lobby.locator('[data-attr="topic"] .value').textContent(), "agenda");

    await page.fill("#room-search", "q1 results");
    await count(page, "[data-room]", 1);
    assert.equal(await page.locator("[data-room]").getAttribute("data-room"), "zego:townhall");
    await page.fill("#room-search", "");
    await page.selectOption("#room-vendor", "tencent");
    await count(page, "[data-room]", 7);
    assert.equal(await page.locator('[data-room^="zego:"]').count(), 0);
    await page.selectOption("#room-vendor", "");
    await count(page, "[data-room]", 9);

    // The page and its data show the apps' IDs but never a secret.
    const data = await page.evaluate(async () => (await fetch("/_emulator/console")).text());
    for (const text of [await page.content(), data]) {
      assert.ok(!text.includes(emu.credentials.tencent.secretKey), "the Tencent secret key is masked");
      assert.ok(!text.includes(emu.credentials.zego.serverSecret), "the ZEGO server secret is masked");
    }
    assert.ok((await page.locator("#apps").textContent())?.includes(String(emu.credentials.zego.appId)));
    await shoot(page, "console-rooms.png");
  });

  it("Schedule: the week's meetings in the viewer's local time, with UTC on hover", async function () {
    // Opened without a week, the timeline shows this week, or the next meeting's week when this one has none.
    await page.click('nav a[data-view="schedule"]');
    await page.locator('[data-meeting="standup-0"]').waitFor();
    await page.goto(`${emu.consoleUrl}#schedule?week=${weekParam}`);
    const monday = page.locator(`[data-day="${weekParam}"]`);
    await monday.locator('[data-meeting="standup-0"]').waitFor();
    const block = monday.locator('[data-meeting="standup-0"]');
    assert.equal(await block.locator(".when").textContent(), "09:00–09:15");
    assert.equal(await block.locator("strong").textContent(), "Daily stand-up");
    const title = (await block.getAttribute("title")) ?? "";
    assert.match(title, new RegExp(`${weekParam} 01:00 UTC – ${weekParam} 01:15 UTC`));
    await block.hover();
    // Every meeting of the week is on the timeline, on its own day.
    for (const [name, args] of Object.entries(tencentRooms)) {
      const start = Date.parse(String(args.scheduleStartTime));
      const day = new Date(start + ZONE_OFFSET_MS).toISOString().slice(0, 10);
      assert.equal(await page.locator(`[data-day="${day}"] [data-meeting="${String(args.roomId)}"]`).count(), 1, `${name} on ${day}`);
    }
    assert.match((await page.locator("#week-outside").textContent()) ?? "", /^7 of 7 Tencent meetings fall in this week/);
    assert.match((await page.locator("#week-zone").textContent()) ?? "", /Asia\/Shanghai \(UTC\+08:00\)/);
    await shoot(page, "console-schedule.png");
    await page.click("#week-next");
    await count(page, "[data-meeting]", 0);
  });

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
    const get = () => fetch(tencentUrl(t, "get_room_info"), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ RoomId: "retro" }) });
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
    const codes = await Promise.all([get(), get(), get()].map(async (r) => ((await (await r).json()) as { ErrorCode: number }).ErrorCode));
    assert.ok(codes.includes(60007), `codes ${codes.join(", ")}`);
    await page.click('nav a[data-view="requests"]');
    const limited = page.locator("#log tr", { hasText: "refused by rate limit" }).first();
    await limited.waitFor();
    assert.match((await limited.locator(".result").textContent()) ?? "", /^60007 REST API call frequency limit exceeded/);
    // The chart draws each API against its documented limit.
    await page.locator("#chart-tencent canvas").waitFor();
    const legend = (await page.locator("#chart-tencent").textContent()) ?? "";
    for (const label of ["create_room", "get_room_info", "documented 200/s per API", "limit in force 1/s"]) assert.ok(legend.includes(label), `chart legend has ${label}: ${legend}`);

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
      const status = await other.evaluate(async () => (await fetch("/_emulator/reset", { method: "POST", body: "{}" })).status);
      assert.equal(status, 403, "a rebound page cannot reset");
      await other.close();
    } finally {
      await new Promise((resolve) => evil.server.close(resolve));
    }
    assert.equal(emu.tencent.rooms().length, 7, "no cross-origin request reset the emulator");
    assert.equal(emu.zego.rooms().length, 2);
    assert.ok(adminLines.some((l) => /refused POST \/_emulator\/reset: cross-origin request from "http:\/\/evil\.test:\d+"/.test(l)), adminLines.join("\n"));
    assert.ok(adminLines.some((l) => /refused POST \/_emulator\/faults: cross-origin/.test(l)), adminLines.join("\n"));
    assert.ok(adminLines.some((l) => /refused GET \/: Host "rebind\.test:\d+"/.test(l)), adminLines.join("\n"));

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

/** Waits until the page shows exactly `n` elements matching `selector` (the page polls once a second). */
async function count(page: Page, selector: string, n: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(selector)}).length === ${n}`);
}

/** A page on another origin that tries the controls the ways a hostile site could (no-cors form-like posts). */
async function serveEvilPage(target: string): Promise<{ server: Server; port: number }> {
  const script = `
    const t = ${JSON.stringify(target)};
    Promise.allSettled([
      fetch(t + "/_emulator/reset", { method: "POST", mode: "no-cors", body: "{}" }),
      fetch(t + "/_emulator/faults", { method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body: '{"seed":1,"http502":1}' }),
    ]).then(() => { document.title = "sent"; });`;
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>evil</title><script>${script}</script>`));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Saves a screenshot: to docs/ with CONSOLE_SCREENSHOTS=1, else to a temporary folder (rendering still runs). */
async function shoot(page: Page, file: string): Promise<void> {
  const dir = SHOTS ? path.join(REPO, "docs") : mkdtempSync(path.join(tmpdir(), "console-shot-"));
  try {
    const png = await page.screenshot({ path: path.join(dir, file), fullPage: false });
    assert.ok(png.length > 10_000, `${file} is a real picture (${png.length} bytes)`);
  } finally {
    if (!SHOTS) rmSync(dir, { recursive: true, force: true });
  }
}
