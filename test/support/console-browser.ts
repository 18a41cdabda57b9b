/**
 * The console browser tests' stack: an emulator holding rooms of both vendors deployed through the
 * dynamic-provider host (a week of Tencent meetings in the viewer's zone, two ZEGO rooms with attributes),
 * and headless Chromium (Debian's `chromium`, driven by playwright-core) showing its console. One per file.
 */
import { strict as assert } from "node:assert";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { TencentRoom, ZegoRoom } from "pulumi-rooms";
import { startEmulator, type Emulator } from "../../emulator";
import { declared, Engine } from "./engine";
import { ProviderHost, type Props } from "./host";
import { runProgram } from "./program";

const REPO = path.resolve(__dirname, "../..");
const PROJECT = "rooms-console-test";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium";
/** The viewer's zone: UTC+8 all year, so local and UTC times differ and no daylight-saving change moves them. */
const ZONE = "Asia/Shanghai";
/** ZONE's offset from UTC. */
export const ZONE_OFFSET_MS = 8 * 3600_000;
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

/** The deployed stack and the browser page on its console; `start` in `before`, `stop` in `after`. */
export class ConsoleStack {
  readonly adminLines: string[] = [];
  readonly pageErrors: string[] = [];
  readonly week = nextWeekMonday();
  /** The week's Monday as YYYY-MM-DD in ZONE. */
  readonly weekParam = new Date(this.week + ZONE_OFFSET_MS).toISOString().slice(0, 10);
  /** The stack: a week of Tencent meetings (times in ZONE) and two ZEGO rooms with attributes. */
  readonly tencentRooms: Record<string, Props>;
  private readonly t0 = performance.now();
  private emu?: Emulator;
  private host?: ProviderHost;
  private browser?: Browser;

  constructor(private readonly label: string) {
    const week = this.week;
    this.tencentRooms = {
      ...Object.fromEntries(
        [0, 1, 2, 3, 4].map((d) => [
          `standup-${d}`,
          {
            roomId: `standup-${d}`,
            roomName: "Daily stand-up",
            ownerAccount: "lead",
            scheduleStartTime: iso(week + d * 24 * H + 9 * H),
            scheduleEndTime: iso(week + d * 24 * H + 9.25 * H),
            scheduleInvitees: ["ana", "bo"],
          },
        ]),
      ),
      planning: {
        roomId: "sprint-planning",
        roomName: "Sprint planning",
        ownerAccount: "lead",
        maxMemberCount: 50,
        scheduleStartTime: iso(week + 2 * 24 * H + 14 * H),
        scheduleEndTime: iso(week + 2 * 24 * H + 15.5 * H),
        customInfo: "room 4.01",
      },
      retro: {
        roomId: "retro",
        roomName: "Retrospective",
        ownerAccount: "lead",
        isCloudRecordingDisabled: true,
        scheduleStartTime: iso(week + 4 * 24 * H + 16 * H),
        scheduleEndTime: iso(week + 4 * 24 * H + 17 * H),
      },
    };
  }

  /** Registers the suite's hooks: start before its tests (handing `use` the emulator and page), stop after. */
  suite(use: (emu: Emulator, page: Page) => void): this {
    before(async () => {
      const { emu, page } = await this.start();
      use(emu, page);
    });
    after(() => this.stop());
    return this;
  }

  /** Starts the browser while the host deploys (both take seconds); opens the console in a page. */
  async start(): Promise<{ emu: Emulator; page: Page }> {
    const launching = launchChromium();
    let emu: Emulator;
    let browser: Browser;
    try {
      emu = this.emu = await startEmulator({
        log: (line) => line.startsWith("emulator: refused") && this.adminLines.push(line),
      });
      const host = (this.host = await ProviderHost.start({ cwd: REPO, project: PROJECT }));
      await host.configure(emu.stackConfig(), ["tencent:secretKey", "zego:serverSecret"]);
      await this.deploy(new Engine(host), "welcome");
      // A client changes one attribute afterwards: its sequence number moves past the others'.
      emu.zego.setAttribute("lobby", "topic", "agenda");
    } finally {
      browser = this.browser = await launching;
    }
    const page = await openConsole(browser, emu, this.pageErrors);
    return { emu, page };
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.host?.stop();
    await this.emu?.stop();
    console.log(
      `      (${this.label}: ${((performance.now() - this.t0) / 1000).toFixed(1)} s including the host deployment and Chromium start)`,
    );
  }

  private zegoRooms(topic: string): Record<string, Props> {
    return {
      lobby: {
        roomId: "lobby",
        roomName: "Lobby",
        destroyDelayTime: 600,
        attributes: { topic, stage: { value: "open", autoDelete: true } },
      },
      townhall: { roomId: "townhall", roomName: "Town hall", attributes: { agenda: "Q1 results", host: "ceo" } },
    };
  }

  private async deploy(engine: Engine, topic: string): Promise<void> {
    const run = await runProgram(
      () => {
        for (const [name, args] of Object.entries(this.tencentRooms)) new TencentRoom(name, args);
        for (const [name, args] of Object.entries(this.zegoRooms(topic))) new ZegoRoom(name, args);
      },
      { project: PROJECT },
    );
    await engine.up(declared(run.registrations));
  }
}

/**
 * Launches headless Chromium (the system's, or CHROMIUM_PATH); throws at once, naming how to install it,
 * when it is missing. The returned promise never goes unhandled while the caller does other work first.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the console tests need it. Install it with \`${INSTALL}\` (as root; .ci/run does this) or set CHROMIUM_PATH.`,
    );
  }
  const launching = chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives the browser a fresh profile (--user-data-dir) per launch. The resolver rules
    // give the origin-guard test two foreign host names that lead to loopback.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP evil.test 127.0.0.1, MAP rebind.test 127.0.0.1",
    ],
  });
  launching.catch(() => undefined); // awaited by the caller; a failure must not go unhandled meanwhile
  return launching;
}

/** A page on the emulator's console in the viewer's zone; page errors are pushed to `errors`. */
export async function openConsole(browser: Browser, emu: Emulator, errors: string[]): Promise<Page> {
  const context = await browser.newContext({
    timezoneId: ZONE,
    locale: "en-GB",
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (err) => errors.push(err.message));
  await page.goto(emu.consoleUrl);
  return page;
}

/** Waits until the page shows exactly `n` elements matching `selector` (the page polls once a second). */
export async function count(page: Page, selector: string, n: number): Promise<void> {
  await page.waitForFunction(`document.querySelectorAll(${JSON.stringify(selector)}).length === ${n}`);
}

/** Saves a screenshot: to docs/ with CONSOLE_SCREENSHOTS=1, else to a temporary folder (rendering still runs). */
export async function shoot(page: Page, file: string): Promise<void> {
  const dir = SHOTS ? path.join(REPO, "docs") : mkdtempSync(path.join(tmpdir(), "console-shot-"));
  try {
    const png = await page.screenshot({ path: path.join(dir, file), fullPage: false });
    assert.ok(png.length > 10_000, `${file} is a real picture (${png.length} bytes)`);
  } finally {
    if (!SHOTS) rmSync(dir, { recursive: true, force: true });
  }
}
