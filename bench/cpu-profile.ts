/**
 * Where a V8 CPU profile's time went: self time by function and by file, from `.cpuprofile` files that
 * `node --cpu-prof` writes (e.g. from `npm run bench -- engine --cpu-prof-dir DIR`).
 *
 *   node -r ts-node/register/transpile-only bench/cpu-profile.ts FILE.cpuprofile [--top 25]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** Self time (ms) per key, largest first. */
function tally(profile: Profile, keyOf: (n: ProfileNode) => string): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = keyOf(node);
    // A sample's delta is the time since the previous one: it belongs to this sample's frame.
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/** A short file name: the package or repository folder and the file. */
function shortFile(url: string): string {
  if (!url) return "(native/vm)";
  const plain = url.replace(/^file:\/\//, "");
  const nm = plain.lastIndexOf("node_modules/");
  if (nm >= 0) return plain.slice(nm + "node_modules/".length);
  const parts = plain.split(path.sep);
  return parts.slice(-3).join("/");
}

/** The summary of one profile as text. */
export function summarize(file: string, top: number): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)} %`;
  const out = [`${file}: ${(totalMs / 1000).toFixed(2)} s profiled`];
  out.push("  self time by file:");
  for (const [key, ms] of tally(profile, (n) => shortFile(n.callFrame.url)).slice(0, top)) out.push(`    ${ms.toFixed(0).padStart(7)} ms ${pct(ms).padStart(7)}  ${key}`);
  out.push("  self time by function:");
  const fn = (n: ProfileNode) => `${n.callFrame.functionName || "(anonymous)"}  ${shortFile(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  for (const [key, ms] of tally(profile, fn).slice(0, top)) out.push(`    ${ms.toFixed(0).padStart(7)} ms ${pct(ms).padStart(7)}  ${key}`);
  return out.join("\n");
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "20" } } });
  for (const file of positionals) process.stdout.write(`${summarize(file, Number(values.top))}\n\n`);
}
