/**
 * The package.json of a new project (`pulumi-rooms-local new`), merged into the one already there: the user
 * usually installed the pulumi-rooms tarball first (`npm install ../pulumi-rooms-0.1.0.tgz`), which wrote a
 * package.json naming it, and that dependency must keep working. The versions of `@pulumi/pulumi`,
 * TypeScript, ts-node and the Node types are the ones this package is built and tested with (its own
 * package.json), so a new project compiles as the examples do.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./args";
import { isObject } from "./wire";

/** This package's folder (dist/engine/.. /.. or engine/..). */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");
const SELF = "pulumi-rooms";

/** The npm scripts a new project gets: the operations through the installed bin, and the test. */
export const SCRIPTS: Readonly<Record<string, string>> = {
  preview: "pulumi-rooms-local preview",
  up: "pulumi-rooms-local up",
  refresh: "pulumi-rooms-local refresh",
  destroy: "pulumi-rooms-local destroy",
  test: "tsc --noEmit && node --test --require ts-node/register/transpile-only test/rooms.test.ts",
};

/** What `npm init -y` writes as the test script: replaced without asking. */
const NPM_INIT_TEST = 'echo "Error: no test specified" && exit 1';

/** A package.json as read: any JSON object. */
type PackageJson = Record<string, unknown>;

/** The merged package.json and what in the old one it would change (refused unless forced). */
export interface PackagePlan {
  readonly json: PackageJson;
  readonly conflicts: string[];
  /** How the pulumi-rooms dependency was chosen, when it is worth saying. */
  readonly note?: string;
}

/** The package.json to write into `dir` for project `name`. */
export function planPackageJson(dir: string, name: string): PackagePlan {
  const file = path.join(dir, "package.json");
  const old: PackageJson = fs.existsSync(file) ? readJson(file) : {};
  const own = readJson(path.join(PACKAGE_ROOT, "package.json"));
  const ownDev = isObject(own.devDependencies) ? own.devDependencies : {};
  const pinned = (dep: string): string => {
    const spec = ownDev[dep];
    return typeof spec === "string" ? spec : "*";
  };
  const conflicts: string[] = [];
  const json: PackageJson = { ...old };
  json.name ??= name.toLowerCase();
  json.private ??= true;
  if (json.main !== undefined && json.main !== "index.ts")
    conflicts.push(`package.json "main" (${JSON.stringify(json.main)})`);
  json.main = "index.ts";
  const scripts: Record<string, unknown> = isObject(old.scripts) ? { ...old.scripts } : {};
  for (const [script, command] of Object.entries(SCRIPTS)) {
    const had = scripts[script];
    if (had !== undefined && had !== command && !(script === "test" && had === NPM_INIT_TEST))
      conflicts.push(`package.json script "${script}" (${JSON.stringify(had)})`);
    scripts[script] = command;
  }
  json.scripts = scripts;
  const self = selfSpec(dir);
  const deps: Record<string, unknown> = isObject(old.dependencies) ? { ...old.dependencies } : {};
  const devDeps: Record<string, unknown> = isObject(old.devDependencies) ? { ...old.devDependencies } : {};
  if (deps[SELF] === undefined && devDeps[SELF] === undefined) deps[SELF] = self.spec;
  if (deps["@pulumi/pulumi"] === undefined && devDeps["@pulumi/pulumi"] === undefined)
    deps["@pulumi/pulumi"] = pinned("@pulumi/pulumi");
  for (const dep of ["typescript", "ts-node", "@types/node"])
    if (deps[dep] === undefined && devDeps[dep] === undefined) devDeps[dep] = pinned(dep);
  json.dependencies = sortKeys(deps);
  json.devDependencies = sortKeys(devDeps);
  // npm's usual order for the fields written here; the others follow as they were.
  const order = ["name", "private", "main", "scripts", "dependencies", "devDependencies"];
  const ordered = Object.fromEntries([
    ...order.map((k) => [k, json[k]] as const),
    ...Object.entries(json).filter(([k]) => !order.includes(k)),
  ]);
  return { json: ordered, conflicts, ...(self.note ? { note: self.note } : {}) };
}

/**
 * How the new project depends on pulumi-rooms: as the nearest package.json at or above `dir` names it (a
 * `file:` path made relative to `dir`, so a tarball installed next door keeps resolving); else as the
 * install that runs this command records it (its lock file's `resolved`); else this copy's folder, or its
 * version with a note when it sits in an npm cache.
 */
export function selfSpec(dir: string): { spec: string; note?: string } {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const file = path.join(at, "package.json");
    const spec = fs.existsSync(file) ? dependencySpec(readJson(file)) : undefined;
    if (spec !== undefined) return { spec: rebase(spec, at, dir) };
    if (path.dirname(at) === at) break;
  }
  const modules = path.dirname(PACKAGE_ROOT);
  if (path.basename(modules) === "node_modules") {
    const lock = path.join(modules, ".package-lock.json");
    const packages = fs.existsSync(lock) ? readJson(lock).packages : undefined;
    const entry = isObject(packages) ? packages[`node_modules/${SELF}`] : undefined;
    const resolved = isObject(entry) ? entry.resolved : undefined;
    if (typeof resolved === "string" && resolved.startsWith("file:"))
      return { spec: rebase(resolved, path.dirname(modules), dir) };
    const version = readJson(path.join(PACKAGE_ROOT, "package.json")).version;
    return {
      spec: String(version),
      note: `pulumi-rooms: no package.json here or above names it, so package.json asks for version ${String(version)}; until it is on the npm registry, install the tarball instead (npm install <path>/pulumi-rooms-${String(version)}.tgz)`,
    };
  }
  return { spec: rebase(`file:${PACKAGE_ROOT}`, PACKAGE_ROOT, dir) };
}

function dependencySpec(json: PackageJson): string | undefined {
  for (const field of ["dependencies", "devDependencies"]) {
    const deps = json[field];
    if (isObject(deps) && typeof deps[SELF] === "string") return deps[SELF];
  }
  return undefined;
}

/** A `file:` spec written in `from`, as seen from `to` (POSIX separators, as npm writes them). */
function rebase(spec: string, from: string, to: string): string {
  if (!spec.startsWith("file:")) return spec;
  const target = path.resolve(from, spec.slice("file:".length));
  const rel = path.relative(path.resolve(to), target).split(path.sep).join("/");
  return `file:${rel === "" ? "." : rel}`;
}

function readJson(file: string): PackageJson {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isObject(value)) throw new UsageError(`${file} must hold a JSON object`);
  return value;
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
