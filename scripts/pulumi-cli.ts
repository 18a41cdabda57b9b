/**
 * Finds a Pulumi CLI to run, and says exactly what was tried when there is none. Used by the main job
 * (`npm start`) and by the CLI end-to-end tests.
 *
 * Where a CLI may be, in order: `$PULUMI_CLI` (an explicit path), `pulumi` on PATH, the official
 * installer's `~/.pulumi/bin` (or `$PULUMI_HOME/bin`), the cache shared by the `pulumi` npm package and
 * the Automation API (`~/.pulumi/versions/<v>/bin`), and finally, when allowed, `npx --yes pulumi@<v>`:
 * the official `pulumi` npm package is a 1 KB launcher that downloads the CLI from get.pulumi.com on first
 * use, so it only helps on a machine that can reach that host.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** The `pulumi` npm launcher version `npx` would run (it installs the CLI of the same version). */
const PULUMI_NPM_VERSION = "3.265.0";

export interface CliAttempt {
  readonly how: string;
  readonly result: string;
}

export interface PulumiCli {
  /** Absolute path of the binary. */
  readonly bin: string;
  readonly version: string;
  /** Where it was found (one of the attempts). */
  readonly via: string;
  /** PATH with the CLI's folder first, so its language hosts (pulumi-language-nodejs) are found. */
  readonly path: string;
}

export interface FindOptions {
  /** Try `npx --yes pulumi@<PULUMI_NPM_VERSION>` as the last resort (needs the network). Default false. */
  readonly allowNpx?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Upper bound for the npx attempt (it downloads the CLI). */
  readonly npxTimeoutMs?: number;
}

export interface FindResult {
  readonly cli?: PulumiCli;
  readonly attempts: CliAttempt[];
}

/** Looks for a working Pulumi CLI; never throws. */
export function findPulumiCli(options: FindOptions = {}): FindResult {
  const env = options.env ?? process.env;
  const attempts: CliAttempt[] = [];
  const tryBin = (how: string, bin: string): PulumiCli | undefined => {
    const probe = spawnSync(bin, ["version"], {
      encoding: "utf8",
      timeout: 30_000,
      env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    if (probe.error) {
      const code = (probe.error as NodeJS.ErrnoException).code;
      attempts.push({ how, result: code === "ENOENT" ? "not found" : `could not run it: ${probe.error.message}` });
      return undefined;
    }
    if (probe.status !== 0) {
      attempts.push({
        how,
        result: `\`${bin} version\` exited ${probe.status}: ${firstLine(probe.stderr || probe.stdout)}`,
      });
      return undefined;
    }
    const resolved = bin.includes(path.sep) ? path.resolve(bin) : (whichOnPath(bin, env.PATH ?? "") ?? bin);
    const version = probe.stdout.trim().replace(/^v/, "");
    attempts.push({ how, result: `found v${version} at ${resolved}` });
    return { bin: resolved, version, via: how, path: `${path.dirname(resolved)}${path.delimiter}${env.PATH ?? ""}` };
  };

  if (env.PULUMI_CLI) {
    const cli = tryBin(`$PULUMI_CLI (${env.PULUMI_CLI})`, env.PULUMI_CLI);
    if (cli) return { cli, attempts };
  }
  const exe = process.platform === "win32" ? "pulumi.exe" : "pulumi";
  if (whichOnPath(exe, env.PATH ?? "")) {
    const cli = tryBin("`pulumi` on PATH", exe);
    if (cli) return { cli, attempts };
  } else {
    attempts.push({ how: "`pulumi` on PATH", result: "not found" });
  }
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  const installed = path.join(home, "bin", exe);
  if (isFile(installed)) {
    const cli = tryBin(`official installer location ${installed}`, installed);
    if (cli) return { cli, attempts };
  } else {
    attempts.push({ how: `official installer location ${installed}`, result: "not found" });
  }
  const versions = path.join(home, "versions");
  const cached = listVersions(versions)
    .map((v) => path.join(versions, v, "bin", exe))
    .filter(isFile);
  if (cached.length === 0) attempts.push({ how: `npm/Automation API cache ${versions}`, result: "empty" });
  for (const bin of cached) {
    const cli = tryBin(`npm/Automation API cache ${bin}`, bin);
    if (cli) return { cli, attempts };
  }
  if (!options.allowNpx) {
    attempts.push({ how: `npx --yes pulumi@${PULUMI_NPM_VERSION}`, result: "not tried (disabled)" });
  } else {
    const how = `npx --yes pulumi@${PULUMI_NPM_VERSION} (downloads the CLI from get.pulumi.com)`;
    const npx = process.platform === "win32" ? "npx.cmd" : "npx";
    const run = spawnSync(npx, ["--yes", `pulumi@${PULUMI_NPM_VERSION}`, "version"], {
      encoding: "utf8",
      timeout: options.npxTimeoutMs ?? 300_000,
      env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    const bin = path.join(versions, PULUMI_NPM_VERSION, "bin", exe);
    if (run.status === 0 && isFile(bin)) {
      const cli = tryBin(how, bin);
      if (cli) return { cli, attempts };
    } else {
      const why = run.error ? run.error.message : lastMeaningfulLine(run.stderr) || `exit ${run.status}`;
      const offline = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|network/i.test(why);
      attempts.push({ how, result: `failed: ${why}${offline ? " (no network access to get.pulumi.com?)" : ""}` });
    }
  }
  return { attempts };
}

/** A multi-line explanation for a user who has no CLI. */
export function explainMissingCli(attempts: readonly CliAttempt[]): string {
  return [
    "No Pulumi CLI could be found or installed. Tried:",
    ...attempts.map((a) => `  - ${a.how}: ${a.result}`),
    "",
    "Get the CLI in one of these ways, then run this again:",
    "  - curl -fsSL https://get.pulumi.com | sh            (installs into ~/.pulumi/bin; add it to PATH)",
    `  - npx --yes pulumi@${PULUMI_NPM_VERSION} version      (the npm launcher; downloads the CLI on first use)`,
    "  - brew install pulumi/tap/pulumi, or see https://www.pulumi.com/docs/iac/download-install/",
    "  - or point PULUMI_CLI at an existing binary.",
    "The package itself is fully tested without the CLI: `npm test` drives the real dynamic-provider host over gRPC.",
  ].join("\n");
}

function whichOnPath(exe: string, pathVar: string): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Version folder names, newest first. */
function listVersions(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((v) => /^\d+\.\d+\.\d+/.test(v))
      .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
  } catch {
    return [];
  }
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? "";
}

function lastMeaningfulLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^npm warn/i.test(l));
  return lines[lines.length - 1] ?? "";
}
