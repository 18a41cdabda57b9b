/**
 * The engine phase of `npm run bench`: real programs of N rooms with explicit room IDs through the
 * `pulumi-rooms-local` CLI process (`dist/engine/cli.js`) against its embedded emulator: `up` (create),
 * `up` again twice (no-op), `destroy`, and `up` of an empty stack (the fixed cost every operation pays) in the
 * same run. Each operation's wall time, disk writes of the whole process tree, the peak memory of the
 * engine, runtime and provider host processes, and the checkpoint's size are recorded.
 *
 * The projects live under the repository's ignored `.pulumi-rooms/` so the program resolves `pulumi-rooms`
 * and `@pulumi/pulumi` from the repository's node_modules, as the examples do.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkpointFile, stackDir } from "../engine/checkpoint";
import { runCli, type CliRun } from "./engine-cli";
import { measureSdkFloor, type SdkFloor } from "./sdk-floor";

const REPO = path.resolve(__dirname, "..");
const CLI = path.join(REPO, "dist", "engine", "cli.js");
/** The emulator's default ZEGO room quota (the basic plan): a larger fleet needs it raised. */
const ZEGO_DEFAULT_QUOTA = 50;

export type EngineVendor = "tencent" | "zego";
export type EngineStepName = "empty" | "create" | "no-op" | "destroy";

/** One CLI operation and what it cost. */
export interface EngineStep {
  readonly vendor: EngineVendor | "-";
  readonly n: number;
  readonly step: EngineStepName;
  /** `up` or `destroy`, and the run (the empty stack's `up` runs more than once). */
  readonly command: string;
  readonly exitCode: number | null;
  readonly wallMs: number;
  /** rooms/s over the wall time minus the fixed cost, and that over the documented limit (create, destroy). */
  readonly roomsPerSecond?: number;
  readonly ratio?: number;
  /** (wall time minus the fixed cost) / N (no-op). */
  readonly msPerRoom?: number;
  /** Bytes the whole process tree sent to storage (`write_bytes`, exact), and per room step. */
  readonly writeBytes: number;
  readonly cancelledWriteBytes: number;
  readonly bytesPerRoom?: number;
  /** Peak resident memory (VmHWM) of each process, sampled every 50 ms. */
  readonly enginePeakMiB?: number;
  readonly runtimePeakMiB?: number;
  readonly hostPeakMiB?: number;
  /**
   * CPU time (user + system, s) of the engine (with its emulator), the runtime, the provider host and the
   * rest (the type check), from /proc: what the run cost whatever else shared the machine.
   */
  readonly cpuSeconds?: Partial<Record<"engine" | "runtime" | "host" | "other", number>>;
  readonly checkpointBytes: number;
  /** When the runtime and the host started and were last seen, in ms after the engine started. */
  readonly timeline: Record<string, number>;
  readonly loadAverage: number[];
}

export interface EngineResults {
  readonly documentedPerSecond: Record<EngineVendor, number>;
  /** The empty stack's `up` (median of its warm runs), subtracted from every operation. */
  readonly fixedMs: number;
  /** The empty stack's `destroy`, subtracted from every `destroy`. */
  readonly fixedDestroyMs: number;
  readonly steps: EngineStep[];
  readonly skipped: string[];
  /** The same fleets' declarations under the SDK's own mocks: the floor under every figure above. */
  readonly sdkFloor?: SdkFloor[];
}

export interface EngineOptions {
  readonly tencentN: number;
  readonly zegoN: number;
  /** Rooms of a no-op `up` on a stack seeded by cloning the Tencent checkpoint (0: none). */
  readonly noopN: number;
  /**
   * The stack config key through which the engine raises its emulator's ZEGO room quota (`emulator:zegoRoomQuota`, engine/emulator-settings.ts),
   * or undefined while the engine has none: ZEGO fleets above the default quota are then skipped.
   */
  readonly zegoQuotaKey?: string;
  /** Write V8 CPU profiles of every node process of each operation here (`--cpu-prof-dir`). */
  readonly cpuProfDir?: string;
  readonly log: (line: string) => void;
}

/** The documented limits the ratios divide by (docs/benchmarks.md; the emulator's defaults). */
export const DOCUMENTED_PER_SECOND: Record<EngineVendor, number> = { tencent: 200, zego: 20 };

const PROGRAM: Record<EngineVendor | "-", string> = {
  tencent: "new TencentRoom(`bench-${i}`, { roomId: `bench-${i}`, maxMemberCount: 50 });",
  zego: 'new ZegoRoom(`bench-${i}`, { roomId: `bench-${i}`, attributes: { bench: "1" } });',
  "-": "",
};

/** A project of `rooms` rooms (the count from stack config, so one project serves every size). */
function writeProject(
  dir: string,
  vendor: EngineVendor | "-",
  stack: string,
  config: Record<string, string | number>,
): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: engine-bench\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
  );
  fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "engine-bench", "private": true, "main": "index.ts" }\n');
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    [
      'import * as pulumi from "@pulumi/pulumi";',
      'import { TencentRoom, ZegoRoom } from "pulumi-rooms";',
      "void TencentRoom;",
      "void ZegoRoom;",
      'const rooms = new pulumi.Config().getNumber("rooms") ?? 0;',
      `for (let i = 0; i < rooms; i++) ${PROGRAM[vendor] || "void i;"}`,
      "",
    ].join("\n"),
  );
  const lines = Object.entries(config).map(([k, v]) => `  ${k}: ${JSON.stringify(String(v))}`);
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), `config:\n${lines.join("\n")}\n`);
}

function fileSize(file: string): number {
  return fs.existsSync(file) ? fs.statSync(file).size : 0;
}

/** Milestones of an operation in ms after the engine started: output lines, runtime and host start and end. */
function timelineOf(run: CliRun): Record<string, number> {
  const at = (re: RegExp) => run.lines.find((l) => re.test(l.text))?.ms;
  const out: Record<string, number | undefined> = {
    firstOutput: run.lines[0]?.ms,
    emulatorUp: at(/emulator http/),
    runtimeStart: run.sampler.first("runtime")?.startMs,
    runtimeLastSeen: run.sampler.first("runtime")?.lastSeenMs,
    hostStart: run.sampler.first("host")?.startMs,
    hostLastSeen: run.sampler.first("host")?.lastSeenMs,
    exit: run.wallMs,
  };
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, number] => e[1] !== undefined));
}

function stepOf(
  vendor: EngineVendor | "-",
  n: number,
  step: EngineStepName,
  command: string,
  run: CliRun,
  checkpoint: string,
  fixedMs: number,
): EngineStep {
  const beyond = Math.max(1, run.wallMs - fixedMs) / 1000;
  const limit = vendor === "-" ? undefined : DOCUMENTED_PER_SECOND[vendor];
  const paced = (step === "create" || step === "destroy") && limit !== undefined;
  return {
    vendor,
    n,
    step,
    command,
    exitCode: run.exitCode,
    wallMs: run.wallMs,
    ...(paced ? { roomsPerSecond: n / beyond, ratio: n / beyond / limit } : {}),
    ...(step === "no-op" && n > 0 ? { msPerRoom: (beyond * 1000) / n } : {}),
    writeBytes: run.writeBytes,
    cancelledWriteBytes: run.cancelledWriteBytes,
    ...(n > 0 && step !== "no-op" ? { bytesPerRoom: run.writeBytes / n } : {}),
    enginePeakMiB: run.sampler.peakMiB("engine"),
    runtimePeakMiB: run.sampler.peakMiB("runtime"),
    hostPeakMiB: run.sampler.peakMiB("host"),
    cpuSeconds: Object.fromEntries(
      (["engine", "runtime", "host", "other"] as const)
        .map((role) => [role, run.sampler.cpuSeconds(role)] as const)
        .filter((e): e is readonly [(typeof e)[0], number] => e[1] !== undefined),
    ),
    checkpointBytes: fileSize(checkpoint),
    timeline: timelineOf(run),
    loadAverage: os.loadavg(),
  };
}

/**
 * Seeds a stack of `n` rooms for a no-op `up` by cloning a created stack's rooms (renumbering `bench-<i>`):
 * creating 10,000 rooms through the engine itself would take far longer than the no-op being measured.
 */
function seedClones(fromCheckpoint: string, toDir: string, n: number): void {
  const doc = JSON.parse(fs.readFileSync(fromCheckpoint, "utf8")) as {
    deployment: { resources: { type: string; urn: string }[] };
  };
  const all = doc.deployment.resources;
  const rooms = all.filter((r) => /::bench-\d+$/.test(r.urn));
  const template = rooms[0];
  if (!template) throw new Error(`${fromCheckpoint} holds no bench rooms to clone`);
  const text = JSON.stringify(template);
  const clones = Array.from(
    { length: n },
    (_, i) => JSON.parse(text.replace(/bench-\d+/g, `bench-${i}`)) as { type: string; urn: string },
  );
  const cloned = new Set(rooms);
  doc.deployment.resources = [...all.filter((r) => !cloned.has(r)), ...clones];
  fs.mkdirSync(toDir, { recursive: true });
  fs.writeFileSync(checkpointFile(toDir), `${JSON.stringify(doc, null, 2)}\n`);
  const key = path.join(path.dirname(fromCheckpoint), "secrets.key");
  if (fs.existsSync(key)) fs.copyFileSync(key, path.join(toDir, "secrets.key"));
}

/** Runs the engine phase; the projects are removed afterwards (the CPU profiles, when asked for, are kept). */
export async function runEngineBench(options: EngineOptions): Promise<EngineResults> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const root = path.join(REPO, ".pulumi-rooms", `bench-engine-${process.pid}`);
  fs.rmSync(root, { recursive: true, force: true });
  const steps: EngineStep[] = [];
  const skipped: string[] = [];
  const { log } = options;
  const run = async (dir: string, stack: string, command: string, label: string) => {
    log(`  ${label}: pulumi-rooms-local ${command}`);
    const r = await runCli(dir, stack, command, label, options.cpuProfDir);
    log(`  ${label}: ${(r.wallMs / 1000).toFixed(1)} s, exit ${r.exitCode}`);
    return r;
  };
  try {
    // The fixed cost: an empty stack's `up`, three times (the first also creates the stack's files).
    const emptyDir = path.join(root, "empty");
    writeProject(emptyDir, "-", "bench", { rooms: 0 });
    const empties: CliRun[] = [];
    for (let i = 1; i <= 3; i++) empties.push(await run(emptyDir, "bench", "up", `empty-${i}`));
    const warm = empties
      .slice(1)
      .map((r) => r.wallMs)
      .sort((a, b) => a - b);
    const fixedMs = warm[0] === undefined ? 0 : (warm[0] + (warm[warm.length - 1] ?? warm[0])) / 2;
    const emptyCheckpoint = checkpointFile(stackDir(emptyDir, "bench"));
    empties.forEach((r, i) => steps.push(stepOf("-", 0, "empty", `up #${i + 1}`, r, emptyCheckpoint, 0)));
    // `destroy` runs no program: its fixed cost is the empty stack's own `destroy`.
    const emptyDestroy = await run(emptyDir, "bench", "destroy", "empty-destroy");
    steps.push(stepOf("-", 0, "empty", "destroy", emptyDestroy, emptyCheckpoint, 0));
    const fixedDestroyMs = emptyDestroy.wallMs;

    const fleets: [EngineVendor, number][] = [
      ["tencent", options.tencentN],
      ["zego", options.zegoN],
    ];
    for (const [vendor, n] of fleets) {
      if (n <= 0) continue;
      const config: Record<string, string | number> = { rooms: n };
      if (vendor === "zego" && n > ZEGO_DEFAULT_QUOTA) {
        const reason = zegoQuotaUnavailable(options.zegoQuotaKey);
        if (reason) {
          skipped.push(`ZegoRoom N=${n}: ${reason}`);
          log(`  skipped: ZegoRoom N=${n}: ${reason}`);
          continue;
        }
        config[options.zegoQuotaKey as string] = n + 10;
      }
      const dir = path.join(root, vendor);
      writeProject(dir, vendor, "bench", config);
      const checkpoint = checkpointFile(stackDir(dir, "bench"));
      steps.push(
        stepOf(vendor, n, "create", "up", await run(dir, "bench", "up", `${vendor}-${n}-create`), checkpoint, fixedMs),
      );
      steps.push(
        stepOf(vendor, n, "no-op", "up", await run(dir, "bench", "up", `${vendor}-${n}-noop`), checkpoint, fixedMs),
      );
      // Once more: the first no-op after a create still asks the host's Diff of every room; from the next,
      // the engine remembers that answer too (engine/decision-memo.ts), as for any stack run again unchanged.
      steps.push(
        stepOf(
          vendor,
          n,
          "no-op",
          "up (again)",
          await run(dir, "bench", "up", `${vendor}-${n}-noop-again`),
          checkpoint,
          fixedMs,
        ),
      );
      if (vendor === "tencent" && options.noopN > 0) {
        // The seeded stack's no-op; its rooms are in the checkpoint only (a no-op asks the vendor nothing).
        const big = path.join(root, "seeded");
        writeProject(big, "tencent", "bench", { rooms: options.noopN });
        seedClones(checkpoint, stackDir(big, "bench"), options.noopN);
        const seeded = checkpointFile(stackDir(big, "bench"));
        steps.push(
          stepOf(
            vendor,
            options.noopN,
            "no-op",
            "up (seeded)",
            await run(big, "bench", "up", `tencent-${options.noopN}-noop-seeded`),
            seeded,
            fixedMs,
          ),
        );
      }
      steps.push(
        stepOf(
          vendor,
          n,
          "destroy",
          "destroy",
          await run(dir, "bench", "destroy", `${vendor}-${n}-destroy`),
          checkpoint,
          fixedDestroyMs,
        ),
      );
    }
    const sdkFloor = await measureSdkFloor({ TencentRoom: options.tencentN, ZegoRoom: options.zegoN }, log);
    return { documentedPerSecond: DOCUMENTED_PER_SECOND, fixedMs, fixedDestroyMs, steps, skipped, sdkFloor };
  } finally {
    if (process.env.BENCH_ENGINE_KEEP) log(`  projects and logs kept in ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Why the engine cannot raise its emulator's ZEGO room quota, or undefined when it can. */
function zegoQuotaUnavailable(key: string | undefined): string | undefined {
  if (!key)
    return `the engine's emulator allows ${ZEGO_DEFAULT_QUOTA} ZEGO rooms and no stack config key to raise it is known (set BENCH_ENGINE_ZEGO_QUOTA_KEY or --zego-quota-key to the key the engine reads)`;
  const engineText = fs
    .readdirSync(path.dirname(CLI))
    .filter((f) => f.endsWith(".js"))
    .map((f) => fs.readFileSync(path.join(path.dirname(CLI), f), "utf8"))
    .join("\n");
  const bare = key.slice(key.indexOf(":") + 1);
  if (!engineText.includes(bare))
    return `dist/engine does not read "${key}" (not built yet?): the emulator would refuse rooms beyond ${ZEGO_DEFAULT_QUOTA}`;
  return undefined;
}
