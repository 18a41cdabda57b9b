/**
 * Where a V8 CPU profile's time went: self time by function and by file, from `.cpuprofile` files that
 * `node --cpu-prof` writes (e.g. from `npm run bench -- engine --cpu-prof-dir DIR`).
 *
 *   node -r ts-node/register/transpile-only bench/cpu-profile.ts FILE.cpuprofile [--top 25] [--match REGEX]
 *
 * `--match` adds the inclusive (self + callees) time of the functions whose "name  file:line" matches.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";

interface ProfileNode {
  readonly id: number;
  readonly children?: number[];
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

/** Inclusive time (ms) of each function whose key matches: a sample counts once per matching frame on its stack. */
function inclusive(profile: Profile, keyOf: (n: ProfileNode) => string, match: RegExp): [string, number][] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const keys = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (node && match.test(keyOf(node))) keys.add(keyOf(node));
    }
    for (const key of keys) totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]);
}

/** The package a file belongs to (the folder under node_modules), or the file's folder. */
function packageOf(url: string): string {
  const file = shortFile(url);
  if (!url) return file;
  if (!url.includes("node_modules/"))
    return file.startsWith("node:") ? "node:*" : file.split("/").slice(0, -1).join("/") || file;
  const parts = file.split("/");
  return parts[0]?.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? file);
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
export function summarize(file: string, top: number, match?: RegExp): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const pct = (ms: number) => `${((100 * ms) / totalMs).toFixed(1)} %`;
  const out = [`${file}: ${(totalMs / 1000).toFixed(2)} s profiled`];
  out.push("  self time by file:");
  for (const [key, ms] of tally(profile, (n) => shortFile(n.callFrame.url)).slice(0, top))
    out.push(`    ${ms.toFixed(0).padStart(7)} ms ${pct(ms).padStart(7)}  ${key}`);
  out.push("  self time by package:");
  for (const [key, ms] of tally(profile, (n) => packageOf(n.callFrame.url)).slice(0, top))
    out.push(`    ${ms.toFixed(0).padStart(7)} ms ${pct(ms).padStart(7)}  ${key}`);
  out.push("  self time by function:");
  const fn = (n: ProfileNode) =>
    `${n.callFrame.functionName || "(anonymous)"}  ${shortFile(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  for (const [key, ms] of tally(profile, fn).slice(0, top))
    out.push(`    ${ms.toFixed(0).padStart(7)} ms ${pct(ms).padStart(7)}  ${key}`);
  if (match) {
    out.push(`  inclusive time of functions matching ${match}:`);
    for (const [key, ms] of inclusive(profile, fn, match).slice(0, top))
      out.push(`    ${ms.toFixed(0).padStart(7)} ms ${pct(ms).padStart(7)}  ${key}`);
  }
  return out.join("\n");
}

if (require.main === module) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: "string", default: "20" }, match: { type: "string" } },
  });
  const match = values.match ? new RegExp(values.match) : undefined;
  for (const file of positionals) process.stdout.write(`${summarize(file, Number(values.top), match)}\n\n`);
}
