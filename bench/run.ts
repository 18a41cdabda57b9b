/**
 * `npm run bench`: how fast a stack of many rooms deploys under the vendors' documented rate limits, and
 * what pacing buys. Runs the real dynamic-provider host against the emulator (in its own process, with
 * the documented limits on), prints Markdown tables and writes bench/results.json.
 *
 *   npm run bench                      Tencent N=200,1000; ZEGO N=100,300 (paced), unpaced at the smallest ZEGO N
 *   npm run bench -- --quick           Tencent N=200; ZEGO N=60 (a smoke run, about a minute)
 *   npm run bench -- --tencent-n 200,1000 --zego-n 200,500 --unpaced all --out /tmp/r.json
 */
import { writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { closeAgent } from "../provider/core/http";
import { coldStart, providerCost, storageCost, type ColdStart, type ProviderCost, type StorageCost } from "./costs";
import { TENCENT, ZEGO, type VendorProfile } from "./fleet";
import { renderTables, type BenchResults } from "./report";
import { REPO, runScale, type ScaleResult } from "./scale";

const COST_ROOMS = 1000;
const COLD_START_RUNS = 5;

function sizes(text: string, flag: string): number[] {
  const list = text.split(",").map((s) => Number(s.trim()));
  if (list.length === 0 || list.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--${flag} takes positive whole numbers separated by commas, not ${JSON.stringify(text)}`);
  return list;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      "tencent-n": { type: "string" },
      "zego-n": { type: "string" },
      unpaced: { type: "string", default: "smallest-zego" },
      out: { type: "string", default: path.join(REPO, "bench", "results.json") },
    },
  });
  const tencentN = sizes(values["tencent-n"] ?? (values.quick ? "200" : "200,1000"), "tencent-n");
  const zegoN = sizes(values["zego-n"] ?? (values.quick ? "60" : "100,300"), "zego-n");
  const unpacedMode = values.unpaced;
  if (!["all", "smallest-zego", "none"].includes(unpacedMode)) throw new Error("--unpaced is all, smallest-zego or none");

  const started = performance.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const plan: { profile: VendorProfile; n: number; paced: boolean }[] = [];
  for (const n of tencentN) plan.push({ profile: TENCENT, n, paced: true });
  for (const n of zegoN) plan.push({ profile: ZEGO, n, paced: true });
  if (unpacedMode !== "none") {
    for (const n of tencentN) plan.push({ profile: TENCENT, n, paced: false });
    for (const n of unpacedMode === "all" ? zegoN : [Math.min(...zegoN)]) plan.push({ profile: ZEGO, n, paced: false });
  }

  const scale: ScaleResult[] = [];
  for (const { profile, n, paced } of plan) {
    log(`${profile.label}: ${n} rooms, pacing ${paced ? "on" : "off"}`);
    scale.push(await runScale(profile, n, paced, log));
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
  await closeAgent();

  const notes = [
    `Documented limits, enforced by the emulator per app and per wall-clock second: Tencent 200 requests/s, ZEGO 20 requests/s. ` +
      `Tencent N = ${tencentN.join(", ")}; ZEGO N = ${zegoN.join(", ")} (scaled down: at 20 requests/s a ZEGO room costs about 6 requests over its create, read and delete, so ZEGO N = 1000 would take over 5 minutes). ` +
      `Pacing off (config \`<vendor>:requestsPerSecond\` = "0") for ${unpacedMode === "all" ? "every N" : unpacedMode === "none" ? "no run" : "every Tencent N and the smallest ZEGO N"}.`,
    "Phases: check = Check of every room at once (a new stack); create = every Create in flight at once; diff = Check + Diff of the unchanged stack (no vendor call); read = Read (refresh); delete = Delete (destroy). " +
      "ratio (wall) = vendor requests (emulator counters) / phase wall time / documented limit; ratio (vendor-bound) uses the time from the first request the emulator saw to the end of the phase, leaving out the harness's start-up of the phase " +
      "(its Node gRPC client serializing N requests at once, a cost the Go engine does not have). rooms/s counts rooms whose call succeeded.",
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
    scale: scale.map(({ stateAfterCreate: _state, ...rest }) => rest),
    providerCost: providerCosts,
    storage,
    coldStart: cold,
    totalSeconds: (performance.now() - started) / 1000,
  };
  writeFileSync(values.out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${renderTables(results)}\n\nWrote ${path.relative(process.cwd(), values.out) || values.out}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
