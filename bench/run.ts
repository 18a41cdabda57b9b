/**
 * `npm run bench`: how fast a stack of many rooms deploys under the vendors' documented rate limits, and
 * what pacing buys. Runs the real dynamic-provider host against the emulator (in its own process, with
 * the documented limits on), prints Markdown tables and writes bench/results.json.
 *
 *   npm run bench                      Tencent N=200,1000; ZEGO N=100,300 (paced, per-API emulator), the largest
 *                                      N of each again against the shared per-app emulator, unpaced at the smallest ZEGO N
 *   npm run bench -- --quick           Tencent N=200; ZEGO N=60 (a smoke run, about a minute)
 *   npm run bench -- --tencent-n 200,1000 --zego-n 200,500 --unpaced all --no-shared --out /tmp/r.json
 *   npm run bench -- engine            the engine phase alone (bench/engine.ts, with the SDK floor of
 *                                      bench/sdk-floor.ts), merged into --out's file
 *   npm run bench -- engine --engine-tencent-n 1000 --engine-zego-n 300 --engine-noop-n 10000
 *                      --zego-quota-key KEY --cpu-prof-dir DIR      (--no-engine leaves it out of a full run)
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { closeAgent } from "../provider/core/http";
import { runEngineBench, type EngineResults } from "./engine";
import { renderEngineTable } from "./engine-report";
import {
  bareHostUnderLoad,
  coldStart,
  providerCost,
  storageCost,
  type ColdStart,
  type ProviderCost,
  type StorageCost,
} from "./costs";
import { TENCENT, ZEGO, type VendorProfile } from "./fleet";
import { medianOf, renderTables, type BenchResults } from "./report";
import { REPO, runScale, type EmulatorScope, type ScaleResult } from "./scale";

const COST_ROOMS = 1000;
const COLD_START_RUNS = 5;
/**
 * Runs behind the memory figure: a host's peak resident memory moves by 20-30 MiB from run to run with
 * the garbage collector's timing, so the largest paced per-API run is repeated and the no-op host
 * measured as often, and the goal is judged on the medians.
 */
const MEMORY_RUNS = 3;

function sizes(text: string, flag: string): number[] {
  const list = text.split(",").map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`--${flag} takes positive whole numbers separated by commas, not ${JSON.stringify(text)}`);
  return list;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      "no-engine": { type: "boolean", default: false },
      "engine-tencent-n": { type: "string", default: "1000" },
      "engine-zego-n": { type: "string", default: "300" },
      "engine-noop-n": { type: "string", default: "0" },
      // The key pulumi-rooms-local reads (engine/emulator-settings.ts); the variable or flag overrides it.
      "zego-quota-key": {
        type: "string",
        default: process.env.BENCH_ENGINE_ZEGO_QUOTA_KEY ?? "emulator:zegoRoomQuota",
      },
      "cpu-prof-dir": { type: "string" },
      quick: { type: "boolean", default: false },
      "tencent-n": { type: "string" },
      "zego-n": { type: "string" },
      unpaced: { type: "string", default: "smallest-zego" },
      "no-shared": { type: "boolean", default: false },
      out: { type: "string", default: path.join(REPO, "bench", "results.json") },
    },
  });
  const tencentN = sizes(values["tencent-n"] ?? (values.quick ? "200" : "200,1000"), "tencent-n");
  const zegoN = sizes(values["zego-n"] ?? (values.quick ? "60" : "100,300"), "zego-n");
  const unpacedMode = values.unpaced;
  if (!["all", "smallest-zego", "none"].includes(unpacedMode))
    throw new Error("--unpaced is all, smallest-zego or none");

  const started = performance.now();
  const loadAtStart = os.loadavg();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const whole = (text: string, flag: string) => (text === "0" ? 0 : (sizes(text, flag)[0] as number));
  const engine = (): Promise<EngineResults> => {
    log("engine: pulumi-rooms-local end to end");
    return runEngineBench({
      tencentN: whole(values["engine-tencent-n"], "engine-tencent-n"),
      zegoN: whole(values["engine-zego-n"], "engine-zego-n"),
      noopN: whole(values["engine-noop-n"], "engine-noop-n"),
      ...(values["zego-quota-key"] ? { zegoQuotaKey: values["zego-quota-key"] } : {}),
      ...(values["cpu-prof-dir"] ? { cpuProfDir: path.resolve(values["cpu-prof-dir"]) } : {}),
      log,
    });
  };
  if (positionals[0] === "engine") {
    // The engine phase alone: its figures replace the `engine` entry of the results file, the rest stays.
    const results = await engine();
    let previous: Record<string, unknown> = {};
    try {
      previous = JSON.parse(readFileSync(values.out, "utf8")) as Record<string, unknown>;
    } catch {
      // No results yet: the file holds the engine phase only.
    }
    writeFileSync(
      values.out,
      `${JSON.stringify({ ...previous, engine: results, engineLoadAverage: { start: loadAtStart, end: os.loadavg() } }, null, 2)}\n`,
    );
    process.stdout.write(
      `${renderEngineTable(results)}\n\nWrote the engine phase into ${path.relative(process.cwd(), values.out) || values.out}\n`,
    );
    return;
  }
  if (positionals.length)
    throw new Error(`unknown phase ${JSON.stringify(positionals[0])}: the only one that runs alone is "engine"`);
  const plan: { profile: VendorProfile; n: number; paced: boolean; scope: EmulatorScope }[] = [];
  for (const n of tencentN) plan.push({ profile: TENCENT, n, paced: true, scope: "api" });
  for (const n of zegoN) plan.push({ profile: ZEGO, n, paced: true, scope: "api" });
  // The stricter reading (one limit for all of an app's APIs): the adaptive pacer at work.
  if (!values["no-shared"]) {
    plan.push({ profile: TENCENT, n: Math.max(...tencentN), paced: true, scope: "app" });
    plan.push({ profile: ZEGO, n: Math.max(...zegoN), paced: true, scope: "app" });
  }
  if (unpacedMode !== "none") {
    for (const n of tencentN) plan.push({ profile: TENCENT, n, paced: false, scope: "api" });
    for (const n of unpacedMode === "all" ? zegoN : [Math.min(...zegoN)])
      plan.push({ profile: ZEGO, n, paced: false, scope: "api" });
  }

  const scale: ScaleResult[] = [];
  for (const { profile, n, paced, scope } of plan) {
    log(`${profile.label}: ${n} rooms, pacing ${paced ? "on" : "off"}, emulator limit per ${scope}`);
    scale.push(await runScale(profile, n, paced, log, scope));
  }

  // Real states (the largest paced run per vendor) feed the in-process cost and the state size.
  const stateOf = (label: string) =>
    scale.filter((s) => s.vendor === label && s.paced).sort((a, b) => b.n - a.n)[0]?.stateAfterCreate ?? [];
  const providerCosts: ProviderCost[] = [];
  const storage: StorageCost[] = [];
  const cold: ColdStart[] = [];
  for (const profile of [TENCENT, ZEGO]) {
    log(`${profile.label}: provider cost, storage, cold start`);
    providerCosts.push(await providerCost(profile, stateOf(profile.label), COST_ROOMS));
    storage.push(await storageCost(profile, stateOf(profile.label)));
    cold.push(await coldStart(profile, COLD_START_RUNS));
  }
  // The host's own memory for the largest paced per-API run's traffic, with a no-op provider.
  const largest = scale.filter((s) => s.paced && s.emulatorScope === "api").sort((a, b) => b.n - a.n)[0];
  log(`bare host under the same load: ${largest?.vendor ?? "-"} N=${largest?.n ?? 0}`);
  let bareUnderLoad: BenchResults["bareHostUnderLoad"];
  if (largest) {
    const profile = largest.vendor === TENCENT.label ? TENCENT : ZEGO;
    const peaks = [largest.hostPeakMiB];
    const bare = [await bareHostUnderLoad(largest.stateAfterCreate)];
    for (let i = 1; i < MEMORY_RUNS; i++) {
      log(
        `memory, run ${i + 1} of ${MEMORY_RUNS}: ${largest.vendor} N=${largest.n} paced, and the no-op host under the same load`,
      );
      peaks.push((await runScale(profile, largest.n, true, () => undefined, "api")).hostPeakMiB);
      bare.push(await bareHostUnderLoad(largest.stateAfterCreate));
    }
    const known = (xs: (number | undefined)[]) => xs.filter((x): x is number => x !== undefined);
    bareUnderLoad = {
      vendor: largest.vendor,
      n: largest.n,
      peakMiB: medianOf(known(bare)),
      peaksMiB: known(peaks),
      bareRunsMiB: known(bare),
    };
  }
  await closeAgent();
  const engineResults = values["no-engine"] ? undefined : await engine();

  const notes = [
    `Documented limits, enforced by the emulator over any sliding one-second window: Tencent 200 requests/s per command, ZEGO 20 requests/s per action ("per API"); ` +
      `the "per app" runs share one such limit among all of the app's APIs (the stricter reading). Load average at the start: ${loadAtStart.map((l) => l.toFixed(1)).join(", ")} (the machine may be shared). ` +
      `Tencent N = ${tencentN.join(", ")}; ZEGO N = ${zegoN.join(", ")} (scaled down: at 20 requests/s per action a ZEGO room costs 4 requests over its create, read and delete). ` +
      `Pacing off (config \`<vendor>:requestsPerSecond\` = "0") for ${unpacedMode === "all" ? "every N" : unpacedMode === "none" ? "no run" : "every Tencent N and the smallest ZEGO N"}.`,
    "Phases: check = Check of every room at once (a new stack); create = every Create in flight at once; diff = Check + Diff of the unchanged stack (no vendor call); read = Read (refresh); delete = Delete (destroy). " +
      "rooms/s counts rooms whose call succeeded, over the phase's wall time; rooms ÷ limit divides it by the documented per-API limit (what a user waits for, against the vendor's page). " +
      "req/room = vendor requests (emulator counters) per room. The harness issues a phase's calls 50 per event-loop turn (its Node gRPC client serializes each call as it is issued); the rest of its start-up of the phase is in the wall time.",
  ];
  const results: BenchResults = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}`,
    machine: {
      nproc: os.availableParallelism(),
      memoryGiB: os.totalmem() / 1024 ** 3,
      cpu: os.cpus()[0]?.model.trim() ?? "unknown",
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    notes,
    loadAverage: { start: loadAtStart, end: os.loadavg() },
    scale: scale.map(({ stateAfterCreate: _state, ...rest }) => rest),
    providerCost: providerCosts,
    storage,
    coldStart: cold,
    bareHostUnderLoad: bareUnderLoad,
    ...(engineResults ? { engine: engineResults } : {}),
    totalSeconds: (performance.now() - started) / 1000,
  };
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderTables(results)}\n\nWrote ${path.relative(process.cwd(), values.out) || values.out}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
