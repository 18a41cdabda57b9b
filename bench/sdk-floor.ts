/**
 * The floor under the engine: what Pulumi's own Node.js SDK costs per room when nothing else runs. A child
 * process declares N rooms of the built package (`dist/provider`) under the SDK's own mocks
 * (`pulumi.runtime.setMocks`, which answers each registration in process: no engine, no gRPC, no provider
 * host, no vendor), once with the preload pulumi-rooms-local puts into every program's runtime
 * (engine/runtime-preload.ts) and once with the SDK as shipped. It records the program's loop of `new`
 * calls, when the first registration reached the monitor (no create can start before it), and when every
 * room's outputs had resolved. The engine's own figures (bench/engine.ts) can go no lower than these.
 *
 * The loop runs in this file, compiled by ts-node as the engine's runtime compiles a program, so the SDK
 * maps stack frames through the same source-map support.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import type * as Pulumi from "@pulumi/pulumi";
import { medianOf } from "./report";

const REPO = path.resolve(__dirname, "..");
const RUNS = 3;

/** The resource classes a floor is measured for (the engine phase's two fleets). */
export type FloorResource = "TencentRoom" | "ZegoRoom";

/** One child's figures. */
export interface FloorRun {
  readonly resource: FloorResource;
  readonly n: number;
  /** With the preload pulumi-rooms-local loads into each program's runtime (true), or the SDK as shipped. */
  readonly patched: boolean;
  /**
   * Whether the preload's per-room patches were in place in the run: the SDK's `debuggablePromise` and
   * `Resource.stackTrace` were the preload's (each patch fails on its own inside the preload).
   */
  readonly preloadTook: boolean;
  /** Registrations the mock monitor received (must equal `n`). */
  readonly registrations: number;
  /** Output properties on one room (each a set of promises the SDK makes and resolves). */
  readonly outputsPerRoom: number;
  /** The program's loop of `new` calls, per room. */
  readonly loopMsPerRoom: number;
  /** From the loop's start to the first registration the monitor received. */
  readonly firstRegistrationMs: number;
  /** From the loop's start until every room's outputs resolved, per room. */
  readonly settledMsPerRoom: number;
  /** CPU time (user + system, every thread: the garbage collector's helpers too) over the same span, per room. */
  readonly cpuMsPerRoom: number;
}

/** The median of each figure over the runs of one resource, size and mode. */
export interface SdkFloor extends FloorRun {
  readonly runs: number;
}

/** Declares `n` rooms under the SDK's mocks and prints one FloorRun as JSON (the child's side). */
async function child(resource: FloorResource, n: number, patched: boolean): Promise<void> {
  // Required, not imported: the SDK's index loads after the preload, as in the engine's runtime. The two
  // modules the preload patches load first, to tell its functions from the SDK's: the preload replaces
  // their exported properties, which the SDK reads at each call.
  const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: unknown };
  const resourceModule = require("@pulumi/pulumi/resource") as { Resource: { stackTrace: unknown } };
  const shipped = [debuggable.debuggablePromise, resourceModule.Resource.stackTrace];
  if (patched) {
    process.env.PULUMI_ROOMS_DEBUGGABLE = require.resolve("@pulumi/pulumi/runtime/debuggable", { paths: [REPO] });
    process.env.PULUMI_ROOMS_DROP_DEBUG_LOGS = "1";
    require(path.join(REPO, "dist", "engine", "runtime-preload.js"));
  }
  const pulumi = require("@pulumi/pulumi") as typeof Pulumi;
  const rooms = require(path.join(REPO, "dist", "provider")) as typeof import("../provider");
  let first: number | undefined;
  let registrations = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        first ??= performance.now();
        registrations++;
        return { id: args.name, state: args.inputs as Record<string, unknown> };
      },
      call: () => ({}),
    },
    "bench",
    "floor",
    false,
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const declared: Pulumi.CustomResource[] = [];
  for (let i = 0; i < n; i++)
    declared.push(
      resource === "TencentRoom"
        ? new rooms.TencentRoom(`bench-${i}`, { roomId: `bench-${i}`, maxMemberCount: 50 })
        : new rooms.ZegoRoom(`bench-${i}`, { roomId: `bench-${i}`, attributes: { bench: "1" } }),
    );
  const loopMs = performance.now() - t0;
  // The SDK resolves a registration's urn and id first, then its other outputs in one synchronous loop in
  // declaration order (runtime/resource.js resolveOutputs): the last declared one marks the room's end. It
  // is read through the Output's own `promise()`, internal to the SDK's typings (apply would add Outputs).
  const outputsOf = (r: object) => Object.values(r).filter((v) => pulumi.Output.isInstance(v));
  type Awaitable = { promise(): Promise<unknown> };
  await Promise.all(declared.map((r) => (outputsOf(r).at(-1) as unknown as Awaitable).promise()));
  const settledMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const run: FloorRun = {
    resource,
    n,
    patched,
    preloadTook: debuggable.debuggablePromise !== shipped[0] && resourceModule.Resource.stackTrace !== shipped[1],
    registrations,
    outputsPerRoom: declared[0] ? outputsOf(declared[0]).length : 0,
    loopMsPerRoom: loopMs / n,
    firstRegistrationMs: first === undefined ? Number.NaN : first - t0,
    settledMsPerRoom: settledMs / n,
    cpuMsPerRoom: (cpu.user + cpu.system) / 1000 / n,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

/** Runs one child and returns its figures. */
export function floorRun(resource: FloorResource, n: number, patched: boolean): Promise<FloorRun> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [
        "-r",
        "ts-node/register/transpile-only",
        __filename,
        "--child",
        resource,
        String(n),
        patched ? "patched" : "as-shipped",
      ],
      {
        cwd: REPO,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, TS_NODE_PROJECT: path.join(REPO, "tsconfig.json") },
      },
    );
    let out = "";
    let err = "";
    proc.stdout.on("data", (c: Buffer) => (out += c.toString("utf8")));
    proc.stderr.on("data", (c: Buffer) => (err += c.toString("utf8")));
    proc.once("error", reject);
    // "close": the child's output is all read (its "exit" can come first).
    proc.once("close", (code) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      const what = `SDK floor child (${resource} N=${n}, ${patched ? "patched" : "as shipped"})`;
      if (code !== 0 || !line.startsWith("{")) return reject(new Error(`${what} exited ${code}: ${err.trim()}`));
      const run = JSON.parse(line) as FloorRun;
      // A run that did not measure what it says is refused, not averaged in.
      if (run.registrations !== n) return reject(new Error(`${what}: ${run.registrations} registrations, not ${n}`));
      if (run.preloadTook !== patched)
        return reject(new Error(`${what}: the preload's patches were ${run.preloadTook ? "" : "not "}in place`));
      if (!Number.isFinite(run.firstRegistrationMs)) return reject(new Error(`${what}: no first registration`));
      resolve(run);
    });
  });
}

/** The figures of one resource, size and mode: the median of each over its runs (all of the same kind). */
export function floorOf(all: readonly FloorRun[]): SdkFloor {
  const [first] = all;
  if (!first) throw new Error("a floor needs at least one run");
  type Figure = "outputsPerRoom" | "loopMsPerRoom" | "firstRegistrationMs" | "settledMsPerRoom" | "cpuMsPerRoom";
  // `all` is not empty: every median is a number.
  const at = (key: Figure) => medianOf(all.map((r) => r[key])) as number;
  return {
    resource: first.resource,
    n: first.n,
    patched: first.patched,
    runs: all.length,
    preloadTook: all.every((r) => r.preloadTook),
    registrations: Math.min(...all.map((r) => r.registrations)),
    outputsPerRoom: at("outputsPerRoom"),
    loopMsPerRoom: at("loopMsPerRoom"),
    firstRegistrationMs: at("firstRegistrationMs"),
    settledMsPerRoom: at("settledMsPerRoom"),
    cpuMsPerRoom: at("cpuMsPerRoom"),
  };
}

/** The floor of each resource at its size, with the engine's preload and without: medians of `runs` children. */
export async function measureSdkFloor(
  sizes: Partial<Record<FloorResource, number>>,
  log: (line: string) => void,
  runs = RUNS,
): Promise<SdkFloor[]> {
  const floors: SdkFloor[] = [];
  for (const [resource, n] of Object.entries(sizes) as [FloorResource, number][]) {
    if (!(n > 0)) continue;
    for (const patched of [true, false]) {
      log(`  SDK floor: ${resource} N=${n} ${patched ? "with the engine's preload" : "SDK as shipped"}, ${runs} runs`);
      const all: FloorRun[] = [];
      // One after another: two children at once would share the machine's cores.
      for (let i = 0; i < runs; i++) all.push(await floorRun(resource, n, patched));
      floors.push(floorOf(all));
    }
  }
  return floors;
}

/**
 * The best create ratio an engine that cost nothing could reach: no create starts before the first
 * registration, and N creates take at least N / limit seconds at the vendor's documented pace.
 */
export function createCeiling(floor: Pick<FloorRun, "n" | "firstRegistrationMs">, perSecond: number): number {
  const seconds = floor.firstRegistrationMs / 1000 + floor.n / perSecond;
  return floor.n / seconds / perSecond;
}

if (require.main === module && process.argv[2] === "--child") {
  const [resource, n, mode] = process.argv.slice(3);
  if ((resource !== "TencentRoom" && resource !== "ZegoRoom") || !(Number(n) > 0))
    throw new Error("usage: sdk-floor.ts --child TencentRoom|ZegoRoom N patched|as-shipped");
  child(resource, Number(n), mode === "patched").catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exitCode = 1;
  });
}
