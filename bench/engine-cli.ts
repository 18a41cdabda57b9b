/**
 * One \`pulumi-rooms-local\` operation as a measured child process for the engine phase (bench/engine.ts):
 * its wall time, the disk writes of its whole process tree, each process's peak memory and its output
 * lines with their times; optionally a CPU profile of every node process it starts.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { diskWrites, TreeSampler } from "./proc-tree";

const REPO = path.resolve(__dirname, "..");
const CLI = path.join(REPO, "dist", "engine", "cli.js");

export interface CliRun {
  readonly exitCode: number | null;
  readonly wallMs: number;
  readonly writeBytes: number;
  readonly cancelledWriteBytes: number;
  readonly sampler: TreeSampler;
  readonly lines: { ms: number; text: string }[];
}

/**
 * Profiles a node process from its start with the inspector and writes `<script>-<pid>.cpuprofile` into
 * BENCH_CPU_PROF_DIR when it exits, including by SIGTERM (how the engine stops the provider host).
 */
const CPU_PROF_PRELOAD = `"use strict";
const inspector = require("node:inspector");
const fs = require("node:fs");
const path = require("node:path");
const dir = process.env.BENCH_CPU_PROF_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    session.post("Profiler.stop", (err, res) => {
      if (err) return;
      const name = path.basename(path.dirname(process.argv[1] || "node")) + "-" + path.basename(process.argv[1] || "node", ".js");
      fs.writeFileSync(path.join(dir, name + "-" + process.pid + ".cpuprofile"), JSON.stringify(res.profile));
    });
  };
  process.on("exit", stop);
  process.once("SIGTERM", () => { stop(); process.exit(143); });
}
`;

/** One CLI operation as a process, sampled while it runs; its output is kept in `<dir>/<label>.log`. */
export async function runCli(
  dir: string,
  stack: string,
  command: string,
  label: string,
  cpuProfDir?: string,
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (cpuProfDir) {
    // Node 20 refuses --cpu-prof in NODE_OPTIONS, but --require passes to every node process of the tree.
    const into = path.join(cpuProfDir, label);
    fs.mkdirSync(into, { recursive: true });
    const preload = path.join(cpuProfDir, "cpu-prof-preload.js");
    fs.writeFileSync(preload, CPU_PROF_PRELOAD);
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require ${preload}`.trim();
    env.BENCH_CPU_PROF_DIR = into;
  }
  const before = diskWrites("self");
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, command, "--cwd", dir, "--stack", stack], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const sampler = new TreeSampler(child.pid as number);
  const lines: { ms: number; text: string }[] = [];
  let buffer = "";
  const collect = (chunk: Buffer): void => {
    buffer += chunk.toString("utf8");
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      lines.push({ ms: performance.now() - started, text: buffer.slice(0, nl) });
      buffer = buffer.slice(nl + 1);
    }
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  const wallMs = performance.now() - started;
  sampler.stop();
  // The engine has been reaped (and had reaped its children): its tree's writes are now ours.
  const after = diskWrites("self");
  fs.writeFileSync(
    path.join(dir, `${label}.log`),
    lines.map((l) => `${l.ms.toFixed(0).padStart(7)} ${l.text}`).join("\n"),
  );
  return {
    exitCode,
    wallMs,
    writeBytes: (after?.writeBytes ?? 0) - (before?.writeBytes ?? 0),
    cancelledWriteBytes: (after?.cancelledWriteBytes ?? 0) - (before?.cancelledWriteBytes ?? 0),
    sampler,
    lines,
  };
}
