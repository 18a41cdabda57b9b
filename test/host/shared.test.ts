/**
 * What only shows with many resources in one host process, or across host processes: every resource of a
 * type shares one rate limiter in the host (pacing holds across resources, as the engine creates them all
 * at once), and a host started afresh (as for `pulumi destroy` in a later session) still manages the rooms
 * an earlier host created, because the shim requires the installed code rather than carrying it.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { TencentRoom, ZegoRoom } from "pulumi-rooms";
import { startEmulator, type Emulator } from "../../emulator";
import { declared, Engine } from "../support/engine";
import { ProviderHost } from "../support/host";
import { runProgram } from "../support/program";

const REPO = path.resolve(__dirname, "../..");
const PROJECT = "rooms-shared-test";
const SECRET_KEYS = ["tencent:secretKey", "zego:serverSecret"];

/** Requests the emulator refused with a frequency-limit code, per action. */
function frequencyLimited(emu: Emulator, codes: readonly string[]): number {
  let n = 0;
  for (const byResult of Object.values(emu.counters())) for (const code of codes) n += byResult[code] ?? 0;
  return n;
}

function requests(emu: Emulator): number {
  let n = 0;
  for (const byResult of Object.values(emu.counters())) for (const count of Object.values(byResult)) n += count;
  return n;
}

describe("host: many resources, one process", function () {
  this.timeout(30_000);
  let emu: Emulator;
  let host: ProviderHost;

  afterEach(async function () {
    await host?.stop();
    await emu?.stop();
  });

  it("ZEGO: 30 rooms created at once share one limiter per action: no frequency-limit answer, pace ~ the configured rate", async function () {
    // The emulator enforces 40/s per action and the provider is told the same documented rate (ZEGO's 20/s
    // scaled up together to keep the test short: each create makes about three calls).
    const RATE = 40;
    const ROOMS = 30;
    emu = await startEmulator({ zego: { ratePerSecond: RATE, roomQuota: ROOMS } });
    host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
    await host.configure({ ...emu.stackConfig(), "zego:requestsPerSecond": String(RATE) }, SECRET_KEYS);
    const engine = new Engine(host);
    const run = await runProgram(
      () => {
        for (let i = 0; i < ROOMS; i++)
          new ZegoRoom(`load-${i}`, { roomName: `Load ${i}`, attributes: { n: String(i) } });
      },
      { project: PROJECT },
    );
    emu.resetCounters();
    const started = Date.now();
    await engine.up(declared(run.registrations));
    const elapsed = (Date.now() - started) / 1000;
    const sent = requests(emu);
    assert.equal(emu.zego.rooms().length, ROOMS);
    assert.equal(
      frequencyLimited(emu, ["660300005", "660300006", "660700001"]),
      0,
      `frequency-limited answers: ${JSON.stringify(emu.counters())}`,
    );
    // At most RATE per second may go out per action: an action's N requests need at least (N - RATE) / RATE seconds.
    assert.ok(sent >= ROOMS, `${sent} requests`);
    const busiest = Math.max(
      ...Object.values(emu.counters()).map((byResult) => Object.values(byResult).reduce((a, b) => a + b, 0)),
    );
    const floor = (busiest - RATE) / RATE;
    assert.ok(elapsed >= floor, `${sent} requests in ${elapsed.toFixed(2)} s is faster than ${RATE}/s allows`);
    assert.ok(
      elapsed < floor + 4,
      `${sent} requests took ${elapsed.toFixed(2)} s: pacing is far slower than ${RATE}/s`,
    );
    await engine.destroy();
    assert.equal(emu.zego.rooms().length, 0);
    assert.equal(frequencyLimited(emu, ["660300005", "660300006", "660700001"]), 0);
  });

  /** A fresh emulator and provider host for the test (closed by the suite's afterEach), and an engine on them. */
  async function emulatedEngine(): Promise<Engine> {
    emu = await startEmulator();
    host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
    await host.configure(emu.stackConfig(), SECRET_KEYS);
    return new Engine(host);
  }

  it("Tencent: 60 rooms created at once stay under the 200/s limit of each command (no 60007/60011)", async function () {
    const engine = await emulatedEngine();
    const run = await runProgram(
      () => {
        for (let i = 0; i < 60; i++) new TencentRoom(`load-${i}`, { roomName: `Load ${i}`, maxMemberCount: 10 });
      },
      { project: PROJECT },
    );
    emu.resetCounters();
    await engine.up(declared(run.registrations));
    assert.equal(emu.tencent.rooms().length, 60);
    assert.equal(frequencyLimited(emu, ["60011", "60007", "100012"]), 0, JSON.stringify(emu.counters()));
    await engine.destroy();
    assert.equal(emu.tencent.rooms().length, 0);
  });

  it("a host restarted between up and destroy (a later `pulumi destroy`) still destroys both types", async function () {
    const engine = await emulatedEngine();
    const run = await runProgram(
      () => {
        new TencentRoom("kept-tencent", { roomName: "Kept" });
        new ZegoRoom("kept-zego", { roomName: "Kept", attributes: { a: "1" } });
      },
      { project: PROJECT },
    );
    await engine.up(declared(run.registrations));
    const ids = { tencent: engine.get("kept-tencent").id, zego: engine.get("kept-zego").id };
    assert.ok(emu.tencent.room(ids.tencent) && emu.zego.room(ids.zego));
    const stopped = await host.stop();
    assert.equal(stopped.code === 0 || stopped.signal === "SIGTERM", true);

    // A new process knows nothing: only the stored state (with its __provider text) and fresh config.
    host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
    await host.configure(emu.stackConfig(), SECRET_KEYS);
    engine.host = host;
    const refreshed = await engine.refresh();
    assert.deepEqual(
      refreshed.map((s) => s.op),
      ["refresh-same", "refresh-same"],
    );
    await engine.destroy();
    assert.equal(emu.tencent.room(ids.tencent), undefined);
    assert.equal(emu.zego.room(ids.zego), undefined);
  });
});
