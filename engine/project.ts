/**
 * A Pulumi project folder as the CLI reads it: `Pulumi.yaml` (name, nodejs runtime and its options, main,
 * project config defaults) and the stack's `Pulumi.<stack>.yaml` (config values, and `secure:` values of
 * Pulumi's passphrase secrets provider with its `encryptionsalt`). Config keys without a namespace belong to
 * the project, as `pulumi config set key value` writes them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { RoomsError } from "../provider/core/errors";
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
  /** Namespaced plain config (`meeting-rooms:scheduleStart`, `zego:appId`) as strings. */
  config: Record<string, string>;
  /** Namespaced stack config holding `secure:` values, as read (still encrypted; see decryptConfig). */
  secureConfig: Record<string, unknown>;
  /** The stack file's `encryptionsalt` (the passphrase provider's salt state), when there is one. */
  encryptionSalt?: string;
  /** The stack file read, when there is one. */
  stackFile?: string;
}

/** A project or stack file that cannot be used, naming the file and the rule. */
export class ProjectError extends RoomsError<"PROJECT_INVALID"> {
  static override readonly errorName: string = "ProjectError";

  constructor(message: string) {
    super("PROJECT_INVALID", message);
  }
}

export function loadProject(cwd: string, stack: string): Project {
  const root = path.resolve(cwd);
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(root, f)).find((f) => fs.existsSync(f));
  if (!file)
    throw new ProjectError(
      `no Pulumi.yaml in ${root} or a folder above it: this is not a Pulumi project. A pulumi-rooms project holds Pulumi.yaml (name, runtime: nodejs), package.json ("main": "index.ts", pulumi-rooms and @pulumi/pulumi as dependencies), tsconfig.json and the program, index.ts; \`pulumi-rooms-local new\` writes one here (or in a folder: pulumi-rooms-local new DIR), and --cwd names an existing project folder`,
    );
  const doc = readYaml(file);
  const name = doc.name;
  if (typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name))
    throw new ProjectError(`${file}: "name" must be a project name (letters, digits, '.', '_', '-')`);
  const runtime = isObject(doc.runtime) ? doc.runtime : { name: doc.runtime };
  if (runtime.name !== "nodejs")
    throw new ProjectError(
      `${file}: runtime "${String(runtime.name)}" is not supported; pulumi-rooms-local runs nodejs programs`,
    );
  const opts = isObject(runtime.options) ? runtime.options : {};
  const main = typeof doc.main === "string" ? doc.main : ".";
  const target = path.resolve(root, main);
  if (!fs.existsSync(target)) throw new ProjectError(`${file}: main "${main}" does not exist`);
  const isFile = fs.statSync(target).isFile();
  const config: Record<string, string> = {};
  const secureConfig: Record<string, unknown> = {};
  let encryptionSalt: string | undefined;
  // Project-level config: `config: { key: value }` or `{ key: { default: value } }` / `{ value: ... }`.
  if (isObject(doc.config)) {
    for (const [key, raw] of Object.entries(doc.config)) {
      const value = isObject(raw) ? (raw.value ?? raw.default) : raw;
      if (value !== undefined) config[qualify(key, name)] = configString(value, `${file}: config ${key}`);
    }
  }
  const stackFile = ["yaml", "yml"]
    .map((ext) => path.join(root, `Pulumi.${stack}.${ext}`))
    .find((f) => fs.existsSync(f));
  if (stackFile) {
    const stackDoc = readYaml(stackFile);
    if (stackDoc.config !== undefined && !isObject(stackDoc.config))
      throw new ProjectError(`${stackFile}: "config" must be a map`);
    for (const [key, raw] of Object.entries(isObject(stackDoc.config) ? stackDoc.config : {})) {
      const qualified = qualify(key, name);
      if (!holdsSecure(raw)) config[qualified] = configString(raw, `${stackFile}: config ${key}`);
      else {
        secureConfig[qualified] = raw;
        delete config[qualified]; // the stack's value wins over a project default
      }
    }
    if (typeof stackDoc.encryptionsalt === "string") encryptionSalt = stackDoc.encryptionsalt;
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
    secureConfig,
    ...(encryptionSalt !== undefined ? { encryptionSalt } : {}),
    ...(stackFile ? { stackFile } : {}),
  };
}

/** What decrypts one value under a salt state (engine/secrets.ts StackSecrets). */
export interface ConfigDecrypter {
  decryptWith(state: string | undefined, ciphertext: string, where: string): string;
}

/**
 * A `secure:` stack config value in plain text, as the CLI gives it to the program: the decrypted string, or
 * for a structured value with secure leaves, its JSON with each leaf decrypted (sdk/go/common/resource/config
 * object.go in pulumi/pulumi). Decrypting is slow (key derivation), so it runs only for the keys used.
 */
export function decryptConfig(project: Project, key: string, decrypter: ConfigDecrypter): string {
  const where = `${project.stackFile ?? "the stack file"}: config ${key}`;
  const salt = project.encryptionSalt;
  if (salt === undefined) {
    throw new ProjectError(
      `${where} is encrypted ("secure:") but the file has no encryptionsalt: pulumi-rooms-local reads values of Pulumi's passphrase secrets provider only (pulumi stack change-secrets-provider passphrase)`,
    );
  }
  const open = (value: unknown): unknown => {
    if (isSecureLeaf(value)) return decrypter.decryptWith(salt, value.secure, where);
    if (Array.isArray(value)) return value.map(open);
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, open(v)]));
    return value;
  };
  const plain = open(project.secureConfig[key]);
  return typeof plain === "string" ? plain : JSON.stringify(plain);
}

/** `{secure: "<ciphertext>"}`, the only form of an encrypted value (object.go: a map with the single key "secure"). */
function isSecureLeaf(value: unknown): value is { secure: string } {
  return isObject(value) && Object.keys(value).length === 1 && typeof value.secure === "string";
}

function holdsSecure(value: unknown): boolean {
  if (isSecureLeaf(value)) return true;
  if (Array.isArray(value)) return value.some(holdsSecure);
  if (isObject(value)) return Object.values(value).some(holdsSecure);
  return false;
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
    throw new ProjectError(
      `${where} is encrypted ("secure:") in a form pulumi-rooms-local does not read: secure values belong in Pulumi.<stack>.yaml, as \`pulumi config set --secret\` writes them`,
    );
  }
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * Whether the program names `pkg`: its package.json depends on it, or its entry file mentions it. A cheap
 * guess made before the program runs (the engine starts the provider host early when it holds), never a
 * decision about what the program declares.
 */
export function programMentions(project: Project, pkg: string): boolean {
  const read = (file: string): string | undefined => {
    try {
      return fs.readFileSync(file, "utf8");
    } catch {
      return undefined;
    }
  };
  const manifest = read(path.join(project.programDir, "package.json"));
  let main: string | undefined;
  if (manifest) {
    try {
      const parsed = JSON.parse(manifest) as Record<string, unknown>;
      for (const key of ["dependencies", "devDependencies"])
        if (isObject(parsed[key]) && pkg in parsed[key]) return true;
      if (typeof parsed.main === "string") main = parsed.main;
    } catch {
      // Not JSON: the runtime will say so.
    }
  }
  const entry = project.entry === "." ? (main ?? "index") : project.entry;
  const base = path.resolve(project.programDir, entry);
  return ["", ".ts", ".js"].some((ext) => read(base + ext)?.includes(pkg) === true);
}
