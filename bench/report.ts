/**
 * The benchmark's figures as Markdown tables (what `npm run bench` prints and docs/benchmarks.md shows),
 * and the issue's goals checked against them.
 */
import type { ColdStart, ProviderCost, StorageCost } from "./costs";
import type { EngineResults } from "./engine";
import { renderEngineTable } from "./engine-report";
import type { PhaseResult, ScaleResult } from "./scale";

export interface Machine {
  readonly nproc: number;
  readonly memoryGiB: number;
  readonly cpu: string;
  readonly node: string;
  readonly platform: string;
}

export interface BenchResults {
  readonly date: string;
  readonly command: string;
  readonly machine: Machine;
  readonly notes: string[];
  /** 1, 5 and 15 minute load averages when the run started and ended (the machine may be shared). */
  readonly loadAverage: { readonly start: number[]; readonly end: number[] };
  readonly scale: Omit<ScaleResult, "stateAfterCreate">[];
  readonly providerCost: ProviderCost[];
  readonly storage: StorageCost[];
  readonly coldStart: ColdStart[];
  /** The host's peak memory for the largest paced run's calls with a no-op provider (the host's own cost). */
  /**
   * The host's own cost of the largest paced per-API run's traffic: `peakMiB` is the median peak of a
   * host with a no-op provider carrying it (`bareRunsMiB`), `peaksMiB` our host's peaks over repeated runs.
   */
  readonly bareHostUnderLoad?: {
    readonly vendor: string;
    readonly n: number;
    readonly peakMiB: number | undefined;
    readonly peaksMiB?: readonly number[];
    readonly bareRunsMiB?: readonly number[];
  };
  /** The engine phase (`pulumi-rooms-local` end to end), when it ran. */
  readonly engine?: EngineResults;
  readonly totalSeconds: number;
}

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);

/** Requests over the time from the first vendor request to the end of the phase (what pacing governs). */
export function vendorBoundRatio(p: PhaseResult, limit: number): number {
  const seconds = (p.wallMs - p.headMs) / 1000;
  return seconds > 0 ? p.requests / seconds / limit : 0;
}

function surfaced(p: PhaseResult): string {
  const entries = Object.entries(p.surfaced);
  return entries.length ? entries.map(([code, n]) => `${n}× ${code}`).join(", ") : "0";
}

const VENDOR_PHASES = new Set(["create", "read", "delete"]);

/** Our memory share: the host's peak in a run over the bare host's (the host with `@pulumi/pulumi` alone). */
export function memoryShare(
  r: Pick<BenchResults, "coldStart">,
  s: Pick<ScaleResult, "hostPeakMiB">,
): number | undefined {
  const bare = Math.max(...r.coldStart.map((c) => c.bareHostMiB ?? Number.NaN));
  return s.hostPeakMiB === undefined || !Number.isFinite(bare) ? undefined : s.hostPeakMiB - bare;
}

/** The median, or undefined for no values. */
export function medianOf(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** One goal of the pacing work (docs/benchmarks.md) and whether the figures meet it. */
export interface Goal {
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The goals, checked against the runs they name (when those runs are in the results). */
export function goals(r: BenchResults): Goal[] {
  const out: Goal[] = [];
  const run = (vendor: string, n: number, scope: "api" | "app") =>
    r.scale.find((s) => s.vendor === vendor && s.n === n && s.paced && s.emulatorScope === scope);
  for (const [vendor, n] of [
    ["TencentRoom", 1000],
    ["ZegoRoom", 300],
  ] as const) {
    const s = run(vendor, n, "api");
    if (s) {
      const phases = s.phases.filter((p) => VENDOR_PHASES.has(p.phase));
      const worst = Math.min(...phases.map((p) => p.roomsRatio));
      out.push({
        goal: `${vendor} N=${n}, per-API emulator: create, read, delete each >= 0.90 of the limit in rooms/s`,
        measured: phases.map((p) => `${p.phase} ${f2(p.roomsRatio)}`).join(", "),
        met: worst >= 0.9,
      });
      const refused = phases.reduce((a, p) => a + p.frequencyLimited, 0);
      const failed = phases.reduce((a, p) => a + p.failed, 0);
      out.push({
        goal: `${vendor} N=${n}, per-API emulator: 0 frequency-limit answers, 0 failures`,
        measured: `${refused} answers, ${failed} failed`,
        met: refused === 0 && failed === 0,
      });
    }
    const shared = run(vendor, n, "app");
    if (shared) {
      const requests = shared.phases.reduce((a, p) => a + p.requests, 0);
      const refused = shared.phases.reduce((a, p) => a + p.frequencyLimited, 0);
      const failed = shared.phases.reduce((a, p) => a + p.failed, 0);
      out.push({
        goal: `${vendor} N=${n}, shared per-app emulator: 0 failures, frequency-limit answers <= 2 % of requests`,
        measured: `${failed} failed, ${refused} of ${requests} (${f1((100 * refused) / Math.max(1, requests))} %)`,
        met: failed === 0 && refused <= 0.02 * requests,
      });
    }
  }
  const load = Math.max(...r.coldStart.map((c) => c.ownLoadMs));
  if (Number.isFinite(load))
    out.push({
      goal: "our package's load adds < 100 ms to the host's cold start",
      measured: r.coldStart.map((c) => `${c.vendor} ${Math.round(c.ownLoadMs)} ms`).join(", "),
      met: load < 100,
    });
  const big = run("TencentRoom", 1000, "api");
  const share = big ? memoryShare(r, big) : undefined;
  const loaded = r.bareHostUnderLoad;
  const same =
    big?.hostPeakMiB !== undefined &&
    loaded?.peakMiB !== undefined &&
    loaded.vendor === big.vendor &&
    loaded.n === big.n;
  // Ours: the median of the repeated runs when there were any, else the one run's peak.
  const underLoad = same ? (medianOf(loaded.peaksMiB ?? []) ?? big.hostPeakMiB) - loaded.peakMiB : undefined;
  if (share !== undefined) {
    const runs =
      loaded?.peaksMiB && loaded.bareRunsMiB && loaded.peaksMiB.length > 1
        ? ` (median of ${loaded.peaksMiB.length} runs: ours ${loaded.peaksMiB.map(f1).join(", ")} MiB, no-op ${loaded.bareRunsMiB.map(f1).join(", ")} MiB)`
        : "";
    out.push({
      goal: "our memory share at 1000 rooms < 100 MiB",
      measured: `${underLoad === undefined ? "" : `${f1(underLoad)} MiB over the host carrying the same 1000 rooms' calls with a no-op provider${runs}; `}${f1(share)} MiB over the idle bare host (TencentRoom N=1000, first run)`,
      met: (underLoad ?? share) < 100,
    });
  }
  return out;
}

export function renderTables(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  lines.push(
    `Machine: ${m.nproc} CPUs (${m.cpu}), ${f1(m.memoryGiB)} GiB memory, Node ${m.node} on ${m.platform}. Command: \`${r.command}\`. Date: ${r.date}. Total ${f1(r.totalSeconds)} s. ` +
      `Load average (1/5/15 min): ${load(r.loadAverage.start)} at the start, ${load(r.loadAverage.end)} at the end.`,
  );
  for (const note of r.notes) lines.push(`\n${note}`);

  lines.push("\n### Goals of the pacing work\n");
  lines.push("| goal | measured | met |");
  lines.push("|---|---|---|");
  for (const g of goals(r)) lines.push(`| ${g.goal} | ${g.measured} | ${g.met ? "yes" : "**no**"} |`);

  lines.push("\n### Scale: all calls of a phase in flight at once, through the dynamic-provider host\n");
  lines.push(
    "| resource | emulator limit | pacing | N | phase | wall s | vendor requests | req/room | rooms/s | rooms/s ÷ limit | req/s ÷ limit (vendor-bound) | freq-limit answers absorbed | errors surfaced (freq-limit) | failed |",
  );
  lines.push("|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
  for (const s of r.scale) {
    for (const p of s.phases) {
      const vendorPhase = p.requests > 0;
      const absorbed = p.frequencyLimited - p.surfacedFrequency;
      lines.push(
        `| ${s.vendor} | ${s.emulatorScope === "api" ? "per API" : "**per app**"} | ${s.paced ? "on" : "**off**"} | ${s.n} | ${p.phase} | ${f2(p.wallMs / 1000)} | ${p.requests} | ${vendorPhase ? f2(p.requestsPerRoom) : "-"} | ` +
          `${f1(p.roomsPerSecond)} | ${vendorPhase ? f2(p.roomsRatio) : "-"} | ${vendorPhase ? f2(vendorBoundRatio(p, s.documentedPerSecond)) : "-"} | ${vendorPhase ? absorbed : "-"} | ${surfaced(p)} (${p.surfacedFrequency}) | ${p.failed} |`,
      );
    }
  }

  const shared = r.scale.filter((s) => s.emulatorScope === "app");
  if (shared.length) {
    lines.push("\n### The adaptive pacer against one limit shared by all of an app's APIs\n");
    lines.push(
      "| resource | N | phase | requests | refusals absorbed | refusals / requests | failed | rooms/s | rooms/s ÷ limit |",
    );
    lines.push("|---|---:|---|---:|---:|---:|---:|---:|---:|");
    for (const s of shared) {
      for (const p of s.phases.filter((x) => x.requests > 0)) {
        lines.push(
          `| ${s.vendor} | ${s.n} | ${p.phase} | ${p.requests} | ${p.frequencyLimited - p.surfacedFrequency} | ${f1((100 * p.frequencyLimited) / p.requests)} % | ${p.failed} | ${f1(p.roomsPerSecond)} | ${f2(p.roomsRatio)} |`,
        );
      }
    }
  }

  lines.push(
    "\n| resource | emulator limit | pacing | N | rooms left behind by failed creates | rooms left after destroy | host peak memory (VmHWM) | our share over the bare host |",
  );
  lines.push("|---|---|---|---:|---:|---:|---:|---:|");
  for (const s of r.scale) {
    const share = memoryShare(r, s);
    lines.push(
      `| ${s.vendor} | ${s.emulatorScope === "api" ? "per API" : "per app"} | ${s.paced ? "on" : "**off**"} | ${s.n} | ${s.orphansAfterCreate} | ${s.leftAfterDestroy} | ${s.hostPeakMiB === undefined ? "n/a" : `${f1(s.hostPeakMiB)} MiB`} | ${share === undefined ? "n/a" : `${f1(share)} MiB`} |`,
    );
  }

  const loaded = r.bareHostUnderLoad;
  if (loaded?.peakMiB !== undefined) {
    lines.push(
      `\nThe bare host carrying the same calls (${loaded.vendor} N=${loaded.n}: create, read, delete, all in flight at once) with a no-op provider peaks at ${f1(loaded.peakMiB)} MiB` +
        `${loaded.bareRunsMiB && loaded.bareRunsMiB.length > 1 ? ` (median of ${loaded.bareRunsMiB.map(f1).join(", ")} MiB; our host's peaks at the same N over ${loaded.peaksMiB?.length ?? 0} runs: ${(loaded.peaksMiB ?? []).map(f1).join(", ")} MiB)` : ""}: ` +
        `that much is the host's own cost of the traffic, whatever the provider.`,
    );
  }

  lines.push("\n### Provider cost per resource, in-process (check + diff of unchanged rooms)\n");
  lines.push("| resource | rooms | check µs/room | diff µs/room | vendor requests | changes reported |");
  lines.push("|---|---:|---:|---:|---:|---:|");
  for (const c of r.providerCost)
    lines.push(
      `| ${c.vendor} | ${c.rooms} | ${f1(c.checkMicros)} | ${f1(c.diffMicros)} | ${c.httpRequests} | ${c.changes} |`,
    );

  lines.push("\n### What each resource stores\n");
  lines.push(
    "| resource | `__provider` bytes per resource | distinct `__provider` texts | state bytes per resource (inputs + outputs) |",
  );
  lines.push("|---|---:|---:|---:|");
  for (const s of r.storage)
    lines.push(`| ${s.vendor} | ${s.providerBytes} | ${s.distinctProviders} | ${Math.round(s.stateBytes)} |`);

  lines.push("\n### Host cold start (median ms from spawn) and the bare host's memory\n");
  lines.push(
    "| first resource | runs | port line | GetPluginInfo answered | host start (Configure answered, `@pulumi/pulumi` alone) | our package's load (to the first Check answered) | total | bare host peak memory |",
  );
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const c of r.coldStart) {
    lines.push(
      `| ${c.vendor} | ${c.runs} | ${Math.round(c.portMs)} | ${Math.round(c.pluginInfoMs)} | ${Math.round(c.configuredMs)} | ${Math.round(c.ownLoadMs)} | ${Math.round(c.firstCheckMs)} | ${c.bareHostMiB === undefined ? "n/a" : `${f1(c.bareHostMiB)} MiB`} |`,
    );
  }
  if (r.engine) lines.push(`\n### The engine end to end (pulumi-rooms-local)\n\n${renderEngineTable(r.engine)}`);
  return lines.join("\n");
}
