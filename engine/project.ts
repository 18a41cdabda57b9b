/**
 * A Pulumi project folder as the CLI reads it: `Pulumi.yaml` (name, nodejs runtime and its options, main,
 * project config defaults) and the stack's `Pulumi.<stack>.yaml` (plain config values). Config keys without
 * a namespace belong to the project, as `pulumi config set key value` writes them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { isObject } from "./wire";

export interface Project {
  /** The folder holding Pulumi.yaml (`--root-directory`). */
  root: string;
  name: string;
  /** The program folder (root + `main`), the runtime's cwd and `--pwd`. */
  programDir: string;
  /** The entry point passed to cmd/run: `.` or a file name inside programDir. */
  entry: string;
  /** `runtime.options.typescript` (default true). */
  typescript: boolean;
  tsconfig?: string;
  nodeargs?: string;
  /** Namespaced config (`meeting-rooms:scheduleStart`, `zego:appId`) as strings. */
  config: Record<string, string>;
  /** The stack file read, when there is one. */
  stackFile?: string;
}

/** A project or stack file that cannot be used, naming the file and the rule. */
export class ProjectError extends Error {
  override readonly name = "ProjectError";
}

export function loadProject(cwd: string, stack: string): Project {
  const root = path.resolve(cwd);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
  if (!file) throw new ProjectError(`no Pulumi.yaml in ${root}: --cwd must be a Pulumi project folder`);
  const doc = readYaml(file);
  const name = doc.name;
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name)) throw new ProjectError(`${file}: "name" must be a project name (letters, digits, '.', '_', '-')`);
  const runtime = isObject(doc.runtime) ? doc.runtime : { name: doc.runtime };
  if (runtime.name !== "nodejs") throw new ProjectError(`${file}: runtime "${String(runtime.name)}" is not supported; pulumi-rooms-local runs nodejs programs`);
  const opts = isObject(runtime.options) ? runtime.options : {};
  const main = typeof doc.main === "string" ? doc.main : ".";
  const target = path.resolve(root, main);
  if (!fs.existsSync(target)) throw new ProjectError(`${file}: main "${main}" does not exist`);
  const isFile = fs.statSync(target).isFile();
  const config: Record<string, string> = {};
  // Project-level config: `config: { key: value }` or `{ key: { default: value } }` / `{ value: ... }`.
  if (isObject(doc.config)) {
    for (const [key, raw] of Object.entries(doc.config)) {
      const value = isObject(raw) ? (raw.value ?? raw.default) : raw;
      if (value !== undefined) config[qualify(key, name)] = configString(value, `${file}: config ${key}`);
    }
  }
  const stackFile = ["yaml", "yml"].map((ext) => path.join(root, `Pulumi.${stack}.${ext}`)).find((f) => fs.existsSync(f));
  if (stackFile) {
    const stackDoc = readYaml(stackFile);
    if (stackDoc.config !== undefined && !isObject(stackDoc.config)) throw new ProjectError(`${stackFile}: "config" must be a map`);
    for (const [key, raw] of Object.entries(isObject(stackDoc.config) ? stackDoc.config : {})) {
      config[qualify(key, name)] = configString(raw, `${stackFile}: config ${key}`);
    }
  }
  return {
    root,
    name,
    programDir: isFile ? path.dirname(target) : target,
    entry: isFile ? path.basename(target) : ".",
    typescript: opts.typescript !== false && opts.typescript !== "false",
    ...(typeof opts.tsconfig === "string" ? { tsconfig: opts.tsconfig } : {}),
    ...(typeof opts.nodeargs === "string" ? { nodeargs: opts.nodeargs } : {}),
    config,
    ...(stackFile ? { stackFile } : {}),
  };
}

function readYaml(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new ProjectError(`${file} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!isObject(doc)) throw new ProjectError(`${file} must hold a YAML map`);
  return doc;
}

function qualify(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/** Config values are strings on the wire; structured values travel as JSON (`getObject` parses them). */
function configString(value: unknown, where: string): string {
  if (isObject(value) && "secure" in value) {
    throw new ProjectError(`${where} is encrypted ("secure:"): pulumi-rooms-local has no secrets provider; give a plain value for the emulator, or use the Pulumi CLI`);
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
