/**
 * The program's type check, in a process of its own (started by engine/type-check.ts) while the runtime
 * runs the program transpile-only. It does what `@pulumi/pulumi`'s `cmd/run` (cmd/run/run.js, CommonJS
 * path) has ts-node do as the program is required: the same `typescript` and `ts-node` (resolved from the
 * SDK's `tsutils`, as `typeScriptRequireStrings` does), the same options (the tsconfig's compilerOptions
 * over cmd/run's defaults), the entry point found the same way, then each local module compiled with type
 * checking in the order `require` would reach them (the entry, then its imports, depth first). The first
 * file with errors throws ts-node's own `TSError`, whose text it prints as cmd/run's uncaught-exception
 * handler does, so the operation fails with the message a type-checking runtime gives.
 *
 *   node type-check-child.js <@pulumi/pulumi tsutils.js> <program folder> <entry>
 *
 * Prints one JSON line: `{"ok":true,"files":[...],"dirs":[...]}` (the files and folders the check read, for
 * engine/type-check.ts's cache), `{"ok":true,"skipped":"<why>"}`, or `{"ok":false,"message":"..."}`.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

/** The result line. */
export type TypeCheckAnswer =
  { ok: true; files: string[]; dirs: string[] } | { ok: true; skipped: string } | { ok: false; message: string };

interface TsNode {
  register(options: Record<string, unknown>): TsService;
}
interface TsService {
  compile(code: string, fileName: string): string;
  /** ts-node 8+; the SDK's vendored ts-node 7 has no such method. */
  ignored?(fileName: string): boolean;
}
interface Ts {
  version: string;
  parseConfigFileTextToJson(name: string, text: string): { config?: { compilerOptions?: Record<string, unknown> } };
  preProcessFile(text: string, readImports: boolean, detectJs: boolean): { importedFiles: { fileName: string }[] };
  sys: { getDirectories(dir: string): string[]; readFile(file: string): string | undefined };
}
interface Manifest {
  searchupPackageManifest(dir: string): string | undefined;
  readPackageManifest(dir: string): { data: Record<string, unknown> };
}

function check(tsutilsPath: string, pwd: string, entry: string): TypeCheckAnswer {
  const fromSdk = createRequire(tsutilsPath);
  const sdkDir = path.dirname(tsutilsPath);
  // typeScriptRequireStrings: the SDK's `require("typescript")`, else its vendored copy (same for ts-node).
  const resolveOr = (name: string, vendored: string): string => {
    try {
      return fromSdk.resolve(name);
    } catch {
      return path.join(sdkDir, "vendor", vendored);
    }
  };
  const typescriptPath = resolveOr("typescript", path.join("typescript@3.8.3", "typescript.js"));
  const tsnodePath = resolveOr("ts-node", "ts-node@7.0.1");
  const ts = fromSdk(typescriptPath) as Ts;
  const tsn = fromSdk(tsnodePath) as TsNode;
  const manifest = fromSdk("./runtime/manifest") as Manifest;

  process.chdir(pwd);
  const tsConfigPath = process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json";
  const skipProject = !fs.existsSync(tsConfigPath);
  // loadTypeScriptCompilerOptions: a tsconfig that cannot be read gives no options.
  let compilerOptions: Record<string, unknown>;
  try {
    compilerOptions =
      ts.parseConfigFileTextToJson(tsConfigPath, fs.readFileSync(tsConfigPath, "utf8")).config?.compilerOptions ?? {};
  } catch {
    compilerOptions = {};
  }
  if (compilerOptions.noCheck === true) return { ok: true, skipped: "the tsconfig sets noCheck" };

  const program = entryOf(entry, manifest);
  const [major = 0, minor = 0] = ts.version.split(".").map(Number);
  const nodeNext = major > 4 || (major === 4 && minor >= 7);
  const files = new Set<string>();
  const dirs = new Set<string>();
  // Before register: its language service host takes `getDirectories` (the @types folders it lists) then.
  const getDirectories = ts.sys.getDirectories.bind(ts.sys);
  ts.sys.getDirectories = (dir: string) => {
    dirs.add(path.resolve(dir));
    return getDirectories(dir);
  };
  const service = tsn.register({
    compiler: typescriptPath,
    transpileOnly: false,
    project: tsConfigPath,
    skipProject,
    compilerOptions: {
      target: "ES2020",
      module: nodeNext ? "nodenext" : "commonjs",
      moduleResolution: nodeNext ? "nodenext" : "node",
      sourceMap: "true",
      ...compilerOptions,
    },
    readFile: (file: string) => {
      files.add(path.resolve(file));
      return ts.sys.readFile(file);
    },
  });
  const requireFrom = createRequire(path.join(pwd, "noop.js"));
  // ts-node 7 (vendored by the SDK, used when the project has no ts-node) skips what its default ignore,
  // the pattern "/node_modules/", matches: https://github.com/TypeStrong/ts-node/blob/v7.0.1/src/index.ts
  const ignored = (file: string): boolean =>
    service.ignored ? service.ignored(file) : /\/node_modules\//.test(file.replace(/\\/g, "/"));
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || ignored(file)) return;
    seen.add(file);
    const code = fs.readFileSync(file, "utf8");
    files.add(file);
    // The modules the emitted JavaScript requires: imports used only as types are not loaded at run time.
    const emitted = service.compile(code, file);
    for (const spec of ts.preProcessFile(emitted, true, true).importedFiles) {
      if (!spec.fileName.startsWith(".") && !path.isAbsolute(spec.fileName)) continue;
      let target: string;
      try {
        target = createRequire(file).resolve(spec.fileName);
      } catch {
        continue; // Not found: `require` fails at run time, reported by the runtime.
      }
      visit(target);
    }
  };
  try {
    visit(requireFrom.resolve(program));
  } catch (err) {
    if (!(err instanceof Error) || err.name !== "TSError") throw err;
    // cmd/run's uncaughtHandler: a TSError's stack up to its message, then the message, without frames.
    const parts = (err.stack ?? "").split(err.message);
    const shown = parts.length === 2 ? `${parts[0] ?? ""}${err.message}` : err.message;
    return { ok: false, message: `Running program '${program}' failed with an unhandled exception:\n${shown}` };
  }
  if (!skipProject) files.add(path.resolve(tsConfigPath));
  files.add(typescriptPath);
  return { ok: true, files: [...files], dirs: [...dirs] };
}

/** The program path as cmd/run computes it (`program` in its messages), for an entry given as on its command line. */
function entryOf(entry: string, manifest: Manifest): string {
  let program = path.isAbsolute(entry) ? entry : path.join(process.cwd(), entry);
  if (entry === ".") {
    const isDir = fs.existsSync(program) && fs.lstatSync(program).isDirectory();
    const found = manifest.searchupPackageManifest(isDir ? program : path.dirname(program));
    const root = found === undefined ? (isDir ? program : path.dirname(program)) : path.dirname(found);
    let pkg: Record<string, unknown>;
    try {
      pkg = manifest.readPackageManifest(root).data;
    } catch {
      pkg = {};
    }
    const exportsField = pkg.exports;
    const main = typeof pkg.main === "string" ? pkg.main : undefined;
    const resolveEntry = (to: unknown): string =>
      typeof to === "string" && fs.existsSync(path.join(root, to)) ? path.join(root, to) : program;
    if (typeof exportsField === "string") program = resolveEntry(exportsField);
    else if (exportsField !== null && typeof exportsField === "object") {
      const dot = (exportsField as Record<string, unknown>)["."];
      if (typeof dot === "string") program = resolveEntry(dot);
      else if (dot !== null && typeof dot === "object") {
        const d = dot as Record<string, unknown>;
        program = resolveEntry(d.default || d.require || d.import);
      }
    } else if (main) program = resolveEntry(main);
  }
  if (fs.existsSync(program) && fs.lstatSync(program).isDirectory() && !program.endsWith("/")) program += "/";
  return program;
}

if (require.main === module) {
  const [tsutilsPath = "", pwd = ".", entry = "."] = process.argv.slice(2);
  let answer: TypeCheckAnswer;
  try {
    answer = check(tsutilsPath, pwd, entry);
  } catch (err) {
    answer = {
      ok: false,
      message: `type check failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
