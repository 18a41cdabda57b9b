/**
 * The engine phase's figures as a Markdown table (what `npm run bench` prints and docs/benchmarks.md shows).
 */
import type { EngineResults, EngineStep } from "./engine";
import { createCeiling, type SdkFloor } from "./sdk-floor";

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const mib = (x: number | undefined) => (x === undefined ? "-" : f1(x));
const bytes = (x: number) =>
  x >= 1024 ** 3
    ? `${f2(x / 1024 ** 3)} GiB`
    : x >= 1024 ** 2
      ? `${f1(x / 1024 ** 2)} MiB`
      : x >= 1024
        ? `${f1(x / 1024)} KiB`
        : `${x} B`;

/** The CPU seconds of the engine, runtime, host and type check ("-" for a process that did not run). */
const cpu = (s: EngineStep): string =>
  (["engine", "runtime", "host", "other"] as const)
    .map((role) => (s.cpuSeconds?.[role] === undefined ? "-" : f1(s.cpuSeconds[role])))
    .join(" / ");

const LABEL: Record<EngineStep["vendor"], string> = { tencent: "TencentRoom", zego: "ZegoRoom", "-": "(empty stack)" };

/** One row per CLI operation, then the skipped fleets and the run's load averages. */
export function renderEngineTable(r: EngineResults): string {
  const lines = [
    `Engine: \`pulumi-rooms-local\` as a process against its embedded emulator (documented limits on: Tencent ${r.documentedPerSecond.tencent}/s per API, ZEGO ${r.documentedPerSecond.zego}/s per action). ` +
      `Fixed cost = the empty stack's warm \`up\` (${f2(r.fixedMs / 1000)} s) or \`destroy\` (${f2(r.fixedDestroyMs / 1000)} s), subtracted before the ratios and the no-op cost. ` +
      "Disk writes: `write_bytes` of the whole process tree (engine with its emulator, runtime, host), exact; memory: peak VmHWM per process, and CPU time (user + system) per process, sampled every 50 ms.",
    "",
    "| resource | N | step | command | exit | wall s | rooms/s beyond fixed | ÷ limit | no-op ms/room beyond fixed | disk written | per room | engine peak MiB | runtime peak MiB | host peak MiB | CPU s engine / runtime / host / check | checkpoint | load (1 min) |",
    "|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const s of r.steps) {
    lines.push(
      `| ${LABEL[s.vendor]} | ${s.n} | ${s.step} | ${s.command} | ${s.exitCode ?? "signal"} | ${f2(s.wallMs / 1000)} | ${s.roomsPerSecond === undefined ? "-" : f1(s.roomsPerSecond)} | ${s.ratio === undefined ? "-" : f2(s.ratio)} | ` +
        `${s.msPerRoom === undefined ? "-" : f2(s.msPerRoom)} | ${bytes(s.writeBytes)} | ${s.bytesPerRoom === undefined ? "-" : bytes(s.bytesPerRoom)} | ${mib(s.enginePeakMiB)} | ${mib(s.runtimePeakMiB)} | ${mib(s.hostPeakMiB)} | ${cpu(s)} | ${bytes(s.checkpointBytes)} | ${f1(s.loadAverage[0] ?? 0)} |`,
    );
  }
  for (const reason of r.skipped) lines.push(`\nSkipped: ${reason}.`);
  if (r.sdkFloor?.length) lines.push("", renderSdkFloorTable(r.sdkFloor, r.documentedPerSecond));
  return lines.join("\n");
}

/**
 * The SDK's own cost of the same fleets with nothing else running (bench/sdk-floor.ts), and the best create
 * ratio it leaves an engine that would cost nothing.
 */
export function renderSdkFloorTable(floors: SdkFloor[], perSecond: EngineResults["documentedPerSecond"]): string {
  const lines = [
    "The floor: the same declarations under the SDK's own mocks (`pulumi.runtime.setMocks`: no engine, no gRPC, no host, no vendor), " +
      "with the preload pulumi-rooms-local loads into every program's runtime and with the SDK as shipped; medians of the runs. " +
      "Best create ÷ limit = N ÷ (first registration + N ÷ limit) ÷ limit: no create can start before the first registration.",
    "",
    "| resource | N | SDK | runs | outputs per room | loop ms/room | first registration s | all outputs resolved, ms/room | CPU ms/room | best create ÷ limit |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const f of floors) {
    const limit = f.resource === "TencentRoom" ? perSecond.tencent : perSecond.zego;
    lines.push(
      `| ${f.resource} | ${f.n} | ${f.patched ? "with the engine's preload" : "as shipped"} | ${f.runs} | ${f.outputsPerRoom} | ${f2(f.loopMsPerRoom)} | ` +
        `${f2(f.firstRegistrationMs / 1000)} | ${f2(f.settledMsPerRoom)} | ${f2(f.cpuMsPerRoom)} | ${f2(createCeiling(f, limit))} |`,
    );
  }
  return lines.join("\n");
}
