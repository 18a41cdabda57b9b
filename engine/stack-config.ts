/**
 * A stack's config in `Pulumi.<stack>.yaml`, read and written as the Pulumi CLI does (`pulumi config
 * set|get|rm`, `pulumi stack init`): a `config:` map of `<namespace>:<name>` keys (a bare name is the
 * project's), plain values as strings, secret values as `{secure: <ciphertext>}` of the passphrase secrets
 * provider with the file's `encryptionsalt` at the top (pkg/secrets/passphrase in pulumi/pulumi;
 * engine/passphrase.ts). The file is edited as a YAML document, so its comments, its order and its other
 * keys stay. The passphrase is the one operations use (engine/secrets.ts): PULUMI_CONFIG_PASSPHRASE(_FILE),
 * else the `passphrase` file in the stack's state folder, made with the first secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Document, isMap, isNode, isScalar, parseDocument, type Pair, type YAMLMap } from "yaml";
import { stackDir } from "./checkpoint";
import { qualifyConfigKey, unknownConfigKey } from "./config-key";
import { emulatorOptions, isEmulatorKey } from "./emulator-settings";
import { decryptConfig, loadProject, ProjectError, type Project } from "./project";
import { UsageError } from "./args";
import { StackSecrets } from "./secrets";
import { writeFileAtomically } from "./atomic-write";

/** Where the secrets passphrase is found or made, as for the stack's operations. */
export interface StackConfigOptions {
  /** The stack's state folder, holding the engine's passphrase file [`<project>/.pulumi-rooms/<stack>`]. */
  readonly stateDir?: string;
  /** Where PULUMI_CONFIG_PASSPHRASE(_FILE) are read [process.env]. */
  readonly env?: NodeJS.ProcessEnv;
  /** Receives the one-time notice that a passphrase file was made [standard error]. */
  readonly notice?: (message: string) => void;
}

/** One config value as the program receives it: plain text (a structured value as JSON), and whether it is secret. */
export interface StackConfigValue {
  readonly value: string;
  readonly secret: boolean;
}

/** The stack file of a stack: the existing `Pulumi.<stack>.yaml` (or `.yml`), else the path it would have. */
export function stackFilePath(projectRoot: string, stack: string): string {
  const yml = path.join(projectRoot, `Pulumi.${stack}.yml`);
  const yaml = path.join(projectRoot, `Pulumi.${stack}.yaml`);
  return !fs.existsSync(yaml) && fs.existsSync(yml) ? yml : yaml;
}

/**
 * Creates the stack file of a new stack with an empty config, as `pulumi stack init` does; returns its path,
 * or undefined when the stack already has one.
 */
export function initStackFile(projectRoot: string, stack: string): string | undefined {
  const file = stackFilePath(projectRoot, stack);
  if (fs.existsSync(file)) return undefined;
  writeFileAtomically(file, "config: {}\n");
  return file;
}

/**
 * The stack file of a stack never used before (no stack file, no state folder) made as {@link initStackFile}
 * does, in a folder that is a project; returns its path, or undefined when the stack is not new.
 */
export function initNewStack(projectRoot: string, stack: string): string | undefined {
  const project = loadProject(projectRoot, stack);
  if (project.stackFile || fs.existsSync(stackDir(project.root, stack))) return undefined;
  return initStackFile(project.root, stack);
}

/**
 * Sets one key, as `pulumi config set [--secret] KEY VALUE` does; a key of this package's namespaces must be
 * one it reads, and an `emulator:` setting must be valid.
 * @throws UsageError for an unknown key (with the nearest known one) or a bad emulator setting.
 */
export function setStackConfig(
  projectRoot: string,
  stack: string,
  key: string,
  value: string,
  options: StackConfigOptions & { readonly secret?: boolean } = {},
): void {
  const project = loadProject(projectRoot, stack);
  const qualified = qualifyConfigKey(key, project.name);
  const problem = unknownConfigKey(qualified, project.name);
  if (problem) throw new UsageError(problem);
  const file = stackFilePath(project.root, stack);
  if (isEmulatorKey(qualified)) emulatorOptions({ [qualified]: value }, new Map(), path.basename(file));
  const doc = readDocument(file);
  const config = configMap(doc, file, true);
  let node: unknown = value;
  if (options.secret) {
    const salt = doc.get("encryptionsalt");
    const sealed = secretsOf(project, stack, options).encryptForStackFile(
      typeof salt === "string" ? salt : undefined,
      value,
    );
    if (sealed.state !== salt) setFirst(doc, "encryptionsalt", sealed.state);
    node = { secure: sealed.ciphertext };
  }
  const existing = findPair(config, qualified, project.name);
  if (existing) {
    const made = doc.createNode(node);
    // A comment on the old value stays with the new one.
    if (isNode(existing.value))
      [made.comment, made.commentBefore] = [existing.value.comment, existing.value.commentBefore];
    existing.value = made;
  } else {
    // At the end: a comment above the first key stays with it.
    config.items.push(doc.createPair(qualified, node));
  }
  config.flow = false;
  writeFileAtomically(file, doc.toString({ lineWidth: 0 }));
}

/**
 * One key's value as the program would receive it (the stack file's, else the project's default from
 * `Pulumi.yaml`), secrets decrypted; undefined when it is not set.
 */
export function getStackConfig(
  projectRoot: string,
  stack: string,
  key: string,
  options: StackConfigOptions = {},
): StackConfigValue | undefined {
  const project = loadProject(projectRoot, stack);
  const qualified = qualifyConfigKey(key, project.name);
  if (qualified in project.secureConfig)
    return { value: decryptConfig(project, qualified, secretsOf(project, stack, options)), secret: true };
  const value = project.config[qualified];
  return value === undefined ? undefined : { value, secret: false };
}

/** Removes one key from the stack file, as `pulumi config rm` does; false when the file did not set it. */
export function removeStackConfig(projectRoot: string, stack: string, key: string): boolean {
  const project = loadProject(projectRoot, stack);
  const qualified = qualifyConfigKey(key, project.name);
  const file = stackFilePath(project.root, stack);
  if (!fs.existsSync(file)) return false;
  const doc = readDocument(file);
  const config = configMap(doc, file, false);
  const pair = config && findPair(config, qualified, project.name);
  if (!config || !pair) return false;
  config.items.splice(config.items.indexOf(pair), 1);
  writeFileAtomically(file, doc.toString({ lineWidth: 0 }));
  return true;
}

/**
 * Every key the program would receive (qualified, sorted), as `pulumi config` lists them. Secret values are
 * decrypted only with `showSecrets` (which needs the passphrase); otherwise their value is `[secret]`.
 */
export function listStackConfig(
  projectRoot: string,
  stack: string,
  options: StackConfigOptions & { readonly showSecrets?: boolean } = {},
): Record<string, StackConfigValue> {
  const project = loadProject(projectRoot, stack);
  const secrets = options.showSecrets ? secretsOf(project, stack, options) : undefined;
  const out: Record<string, StackConfigValue> = {};
  const keys = [...Object.keys(project.config), ...Object.keys(project.secureConfig)].sort();
  for (const key of keys) {
    const plain = project.config[key];
    out[key] =
      plain !== undefined
        ? { value: plain, secret: false }
        : { value: secrets ? decryptConfig(project, key, secrets) : "[secret]", secret: true };
  }
  return out;
}

function secretsOf(project: Project, stack: string, options: StackConfigOptions): StackSecrets {
  return new StackSecrets(options.stateDir ?? stackDir(project.root, stack), {
    ...(options.env ? { env: options.env } : {}),
    ...(options.notice ? { notice: options.notice } : {}),
  });
}

function readDocument(file: string): Document {
  if (!fs.existsSync(file)) return new Document({});
  const doc = parseDocument(fs.readFileSync(file, "utf8"));
  if (doc.errors.length > 0) throw new ProjectError(`${file} is not valid YAML: ${doc.errors[0]?.message ?? ""}`);
  if (doc.contents === null) {
    // Only comments (or nothing): a map to write into, under the same comments.
    const fresh = new Document({});
    [fresh.commentBefore, fresh.comment] = [doc.commentBefore, doc.comment];
    return fresh;
  }
  if (!isMap(doc.contents)) throw new ProjectError(`${file} must hold a YAML map`);
  return doc;
}

function configMap(doc: Document, file: string, create: true): YAMLMap;
function configMap(doc: Document, file: string, create: false): YAMLMap | undefined;
function configMap(doc: Document, file: string, create: boolean): YAMLMap | undefined {
  const node = doc.get("config", true);
  if (isMap(node)) return node;
  if (node !== undefined && !(isScalar(node) && node.value === null))
    throw new ProjectError(`${file}: "config" must be a map`);
  if (!create) return undefined;
  const made = doc.createNode({});
  doc.set("config", made);
  return made;
}

/** The entry for a key, written bare or qualified (`topic` and `my-project:topic` are one key). */
function findPair(config: YAMLMap, qualified: string, project: string): Pair | undefined {
  return config.items.find((pair) => {
    const text = keyText(pair);
    try {
      return qualifyConfigKey(text, project) === qualified;
    } catch {
      return false;
    }
  });
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** Sets a top-level key, placing a new one first (where the CLI writes `encryptionsalt`). */
function setFirst(doc: Document, key: string, value: string): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  if (root.has(key)) root.set(key, value);
  else root.items.unshift(doc.createPair(key, value));
}
