/**
 * The program's TypeScript check, off the runtime's path. `cmd/run` type-checks each module as it is
 * required, in the runtime process, before any of the program runs: about 1.6 s of every operation's fixed
 * cost for a small program (parsing `@pulumi/pulumi`'s declarations), and a larger heap for the whole run.
 * Here the runtime runs transpile-only (`PULUMI_NODEJS_TRANSPILE_ONLY`, which `cmd/run` honours) while the
 * same check runs in a process of its own (engine/type-check-child.ts); engine/program-run.ts holds the
 * program's registrations and output until it passes, and on a type error stops the program and reports
 * the error `cmd/run` would have reported, before any resource changes.
 *
 * A check that passed is remembered in the stack's folder (`typecheck.json`) with the size and time of
 * every file and folder it read (sources, declarations, tsconfig, the compiler): while none has changed,
 * the next operation needs no check. A file that did not exist then and would now change the outcome
 * (a new module shadowing another) is not seen; adding it changes its folder's time only when the check
 * listed that folder (the `@types` folders).
 *
 * Not used (the runtime checks as before) for JavaScript programs, ES-module packages (`cmd/run`'s ESM
 * loader path), when `PULUMI_NODEJS_TRANSPILE_ONLY` is set by the user (either way), or when the engine
 * runs from its TypeScript sources.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { GUARD_ARGS, trackChild } from "./child-guard";
import type { Project } from "./project";
import { pulumiPath } from "./pulumi-modules";
import { VENDOR_ENV } from "./runtime";
import type { TypeCheckAnswer } from "./type-check-child";
import { writeFileAtomically } from "./atomic-write";

export const TYPE_CHECK_CACHE = "typecheck.json";

/** The check's outcome: passed, or the message the runtime would have logged as an error. */
export type TypeCheckResult = { ok: true; cached: boolean } | { ok: false; message: string };

/** A check under way (or known to have passed). */
export interface TypeCheck {
  readonly result: Promise<TypeCheckResult>;
}

interface CacheFile {
  version: 1;
  key: string;
  files: [string, number, number][];
  dirs: [string, number][];
}

/** Starts the check beside a transpile-only runtime, or returns undefined when the runtime must check itself. */
export function startTypeCheck(project: Project, stateDir: string): TypeCheck | undefined {
  const child = path.join(__dirname, "type-check-child.js");
  if (!project.typescript || process.env.PULUMI_NODEJS_TRANSPILE_ONLY !== undefined || !fs.existsSync(child))
    return undefined;
  if (isEsmPackage(project.programDir)) return undefined;
  const cacheFile = path.join(stateDir, TYPE_CHECK_CACHE);
  const key = JSON.stringify({
    programDir: project.programDir,
    entry: project.entry,
    tsconfig: project.tsconfig ?? "",
    child: fs.statSync(child).mtimeMs,
  });
  if (cacheHolds(cacheFile, key)) return { result: Promise.resolve({ ok: true, cached: true }) };
  return { result: runCheck(child, project, cacheFile, key) };
}

/** Whether the program's package is an ES module (cmd/run then loads it through ts-node's ESM hooks). */
function isEsmPackage(programDir: string): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own manifest reader, as cmd/run uses it
    const manifest = require(pulumiPath("runtime/manifest", programDir)) as {
      searchupPackageManifest(dir: string): string | undefined;
      readPackageManifest(dir: string): { data: Record<string, unknown> };
    };
    const found = manifest.searchupPackageManifest(programDir);
    return found !== undefined && manifest.readPackageManifest(path.dirname(found)).data.type === "module";
  } catch {
    return true; // Unreadable: leave it to the runtime, as before.
  }
}

function cacheHolds(file: string, key: string): boolean {
  let cache: CacheFile;
  try {
    cache = JSON.parse(fs.readFileSync(file, "utf8")) as CacheFile;
  } catch {
    return false;
  }
  if (cache.version !== 1 || cache.key !== key || !Array.isArray(cache.files) || !Array.isArray(cache.dirs))
    return false;
  try {
    for (const [f, mtimeMs, size] of cache.files) {
      const st = fs.statSync(f);
      if (st.mtimeMs !== mtimeMs || st.size !== size) return false;
    }
    for (const [d, mtimeMs] of cache.dirs) if (fs.statSync(d).mtimeMs !== mtimeMs) return false;
  } catch {
    return false;
  }
  return true;
}

function writeCache(file: string, key: string, answer: { files: string[]; dirs: string[] }): void {
  const cache: CacheFile = { version: 1, key, files: [], dirs: [] };
  for (const f of answer.files) {
    try {
      const st = fs.statSync(f);
      cache.files.push([f, st.mtimeMs, st.size]);
    } catch {
      return; // A file read by the check is gone already: remember nothing.
    }
  }
  for (const d of answer.dirs) {
    try {
      cache.dirs.push([d, fs.statSync(d).mtimeMs]);
    } catch {
      return;
    }
  }
  writeFileAtomically(file, JSON.stringify(cache));
}

function runCheck(child: string, project: Project, cacheFile: string, key: string): Promise<TypeCheckResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!VENDOR_ENV.test(k)) env[k] = v;
  if (project.tsconfig) env.PULUMI_NODEJS_TSCONFIG_PATH = project.tsconfig;
  const args = [...GUARD_ARGS, child, pulumiPath("tsutils", project.programDir), project.programDir, project.entry];
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { cwd: project.programDir, env, stdio: ["ignore", "pipe", "pipe"] });
    trackChild(proc);
    let out = "";
    let err = "";
    proc.stdout.on("data", (b: Buffer) => (out += b.toString("utf8")));
    proc.stderr.on("data", (b: Buffer) => (err += b.toString("utf8")));
    proc.once("error", (e) => resolve({ ok: false, message: `the type check could not start: ${e.message}` }));
    proc.once("close", (code, signal) => {
      let answer: TypeCheckAnswer;
      try {
        answer = JSON.parse(out.trim().split("\n").pop() ?? "") as TypeCheckAnswer;
      } catch {
        const why = signal ? `was ended by ${signal}` : `exited with code ${String(code)}`;
        resolve({ ok: false, message: `the type check ${why}${err.trim() ? `: ${err.trim()}` : ""}` });
        return;
      }
      if (!answer.ok) return resolve({ ok: false, message: answer.message });
      if ("files" in answer) {
        try {
          writeCache(cacheFile, key, answer);
        } catch {
          // Only a cache: the next operation checks again.
        }
      }
      resolve({ ok: true, cached: false });
    });
  });
}
