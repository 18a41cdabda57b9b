/**
 * Runs a program in `@pulumi/pulumi`'s own Node.js language runtime (`cmd/run`), launched the way
 * `pulumi-language-nodejs` does it (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs): flags before the entry point
 * (minimist stopEarly), config in `PULUMI_CONFIG` with keys as `<ns>:config:<name>`, secret keys in
 * `PULUMI_CONFIG_SECRET_KEYS`, TypeScript through the runtime's ts-node support.
 */
import { spawn } from "node:child_process";
import * as os from "node:os";
import { GUARD_ARGS, trackChild } from "./child-guard";
import type { Project } from "./project";
import { pulumiPath } from "./pulumi-modules";
import { runtimePreloads } from "./runtime-preloads";

export interface RunProgramOptions {
  project: Project;
  stack: string;
  /** `127.0.0.1:<port>` of the monitor (which also serves the Engine service). */
  monitor: string;
  dryRun: boolean;
  /** Namespaced config (plain text; secret ones listed in secretKeys). */
  config: Record<string, string>;
  secretKeys: readonly string[];
  /** `--parallel` as the CLI passes it on (default: the CLI's, 4 x CPUs). */
  parallel?: number;
  /** Compile without type checking: the engine checks the program itself (engine/type-check.ts). */
  transpileOnly?: boolean;
  /** Stops the program (SIGTERM) when aborted. */
  signal?: AbortSignal;
  /** The engine shows debug log lines (`--verbose`): the program must send them. */
  showDebug?: boolean;
  /** Each line the program prints (stdout and stderr). */
  onOutput(line: string): void;
}

/** Credential variables the provider would fall back to: never passed to a run against the emulator. */
export const VENDOR_ENV = /^(TENCENT|ZEGO)_/;

/** Runs the program to its end; resolves with its exit code (32: an error it already reported). */
export function runProgram(options: RunProgramOptions): Promise<number> {
  const { project } = options;
  const script = pulumiPath("cmd/run", project.programDir);
  const pulumiConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config)) {
    const at = key.indexOf(":");
    pulumiConfig[`${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
  }
  const preloads = runtimePreloads(project.programDir, options.showDebug);
  const env: NodeJS.ProcessEnv = { ...preloads.env };
  for (const [k, v] of Object.entries(process.env))
    if (!VENDOR_ENV.test(k) && !k.startsWith("PULUMI_NODEJS_")) env[k] = v;
  Object.assign(env, {
    PULUMI_CONFIG: JSON.stringify(pulumiConfig),
    PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys),
    PULUMI_NODEJS_TYPESCRIPT: String(project.typescript),
    ...(project.tsconfig ? { PULUMI_NODEJS_TSCONFIG_PATH: project.tsconfig } : {}),
    ...(process.env.PULUMI_NODEJS_TRANSPILE_ONLY
      ? { PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY }
      : {}),
    ...(options.transpileOnly ? { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : {}),
  });
  const args = [
    ...GUARD_ARGS,
    ...(project.nodeargs ? project.nodeargs.split(/\s+/).filter(Boolean) : []),
    ...preloads.args,
    script,
    "--monitor",
    options.monitor,
    "--engine",
    options.monitor,
    "--organization",
    "organization",
    "--project",
    project.name,
    "--root-directory",
    project.root,
    "--stack",
    options.stack,
    "--pwd",
    project.programDir,
    ...(options.dryRun ? ["--dry-run"] : []),
    // As the CLI passes it on; the SDK serializes its registrations only at 1.
    "--parallel",
    String(options.parallel ?? 4 * Math.max(1, os.cpus().length)),
    project.entry,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: project.programDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    trackChild(child);
    const lines = (stream: NodeJS.ReadableStream | null): void => {
      let buf = "";
      stream?.on("data", (chunk: Buffer) => {
        buf += chunk.toString("utf8");
        let nl: number;
        while ((nl = buf.indexOf("\n")) >= 0) {
          options.onOutput(buf.slice(0, nl).replace(/\r$/, ""));
          buf = buf.slice(nl + 1);
        }
      });
      stream?.on("end", () => {
        if (buf) options.onOutput(buf);
      });
    };
    lines(child.stdout);
    lines(child.stderr);
    // An abort (options.signal) ends the child and reports an AbortError here; its exit code follows.
    child.once("error", (err) => {
      if (err.name !== "AbortError") reject(err);
    });
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
