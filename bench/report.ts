/**
 * The benchmark's figures as Markdown tables (what `npm run bench` prints and docs/benchmarks.md shows).
 */
import type { ColdStart, ProviderCost, StorageCost } from "./costs";
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
  readonly scale: Omit<ScaleResult, "stateAfterCreate">[];
  readonly providerCost: ProviderCost[];
  readonly storage: StorageCost[];
  readonly coldStart: ColdStart[];
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

export function renderTables(r: BenchResults): string {
  const lines: string[] = [];
  const m = r.machine;
  lines.push(`Machine: ${m.nproc} CPUs (${m.cpu}), ${f1(m.memoryGiB)} GiB memory, Node ${m.node} on ${m.platform}. Command: \`${r.command}\`. Date: ${r.date}. Total ${f1(r.totalSeconds)} s.`);
  for (const note of r.notes) lines.push(`\n${note}`);

  lines.push("\n### Scale: all calls of a phase in flight at once, through the dynamic-provider host\n");
  lines.push("| resource | pacing | N | phase | wall s | vendor requests | req/s | ratio (wall) | ratio (vendor-bound) | rooms/s | freq-limit answers absorbed | errors surfaced (freq-limit) | failed |");
  lines.push("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---:|");
  for (const s of r.scale) {
    for (const p of s.phases) {
      const vendorPhase = p.requests > 0;
      const absorbed = p.frequencyLimited - p.surfacedFrequency;
      lines.push(
        `| ${s.vendor} | ${s.paced ? "on" : "**off**"} | ${s.n} | ${p.phase} | ${f2(p.wallMs / 1000)} | ${p.requests} | ${vendorPhase ? f1(p.requestsPerSecond) : "-"} | ` +
          `${vendorPhase ? f2(p.ratio) : "-"} | ${vendorPhase ? f2(vendorBoundRatio(p, s.documentedPerSecond)) : "-"} | ${f1(p.roomsPerSecond)} | ${vendorPhase ? absorbed : "-"} | ${surfaced(p)} (${p.surfacedFrequency}) | ${p.failed} |`,
      );
    }
  }
  lines.push("\n| resource | pacing | N | rooms left behind by failed creates | rooms left after destroy | host peak memory (VmHWM) |");
  lines.push("|---|---|---:|---:|---:|---:|");
  for (const s of r.scale) {
    lines.push(`| ${s.vendor} | ${s.paced ? "on" : "**off**"} | ${s.n} | ${s.orphansAfterCreate} | ${s.leftAfterDestroy} | ${s.hostPeakMiB === undefined ? "n/a" : `${f1(s.hostPeakMiB)} MiB`} |`);
  }

  lines.push("\n### Provider cost per resource, in-process (check + diff of unchanged rooms)\n");
  lines.push("| resource | rooms | check µs/room | diff µs/room | vendor requests | changes reported |");
  lines.push("|---|---:|---:|---:|---:|---:|");
  for (const c of r.providerCost) lines.push(`| ${c.vendor} | ${c.rooms} | ${f1(c.checkMicros)} | ${f1(c.diffMicros)} | ${c.httpRequests} | ${c.changes} |`);

  lines.push("\n### What each resource stores\n");
  lines.push("| resource | `__provider` bytes per resource | distinct `__provider` texts | state bytes per resource (inputs + outputs) |");
  lines.push("|---|---:|---:|---:|");
  for (const s of r.storage) lines.push(`| ${s.vendor} | ${s.providerBytes} | ${s.distinctProviders} | ${Math.round(s.stateBytes)} |`);

  lines.push("\n### Host cold start (median ms from spawn)\n");
  lines.push("| first resource | runs | port line | GetPluginInfo answered | Configure + first Check answered |");
  lines.push("|---|---:|---:|---:|---:|");
  for (const c of r.coldStart) lines.push(`| ${c.vendor} | ${c.runs} | ${Math.round(c.portMs)} | ${Math.round(c.pluginInfoMs)} | ${Math.round(c.firstCheckMs)} |`);
  return lines.join("\n");
}
