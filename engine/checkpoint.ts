/**
 * One checkpoint per stack, in the format of `pulumi stack export` (deployment version 3; spec:
 * pulumi-engine-protocol.md §5, pulumi@v3.248.0 sdk/go/common/apitype/core.go ResourceV3). Written
 * atomically (temp file, fsync, rename) after every step, so a crash loses nothing already done. Secret
 * values are stored as ciphertext of Pulumi's passphrase provider (engine/secrets.ts); a checkpoint of an
 * earlier version of this engine (its own provider and `secrets.key`) is rewritten in that format on first load.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { LEGACY_KEY_FILE, LEGACY_TYPE, LegacyKey } from "./legacy-key";
import { PASSPHRASE_TYPE } from "./passphrase";
import { openSecrets, StackSecrets } from "./secrets";
import { emptyStack, ordered, type ResourceState, type StackState } from "./state";
import { isObject, type Props } from "./wire";

/** The engine's name and version in `manifest.version` (this is not the Pulumi CLI). */
const ENGINE_VERSION = `v${(JSON.parse(fs.readFileSync(require.resolve("pulumi-rooms/package.json"), "utf8")) as { version: string }).version}-pulumi-rooms-local`;

/** `ResourceV3` as JSON (fields omitted when empty, except urn, custom and type). */
export interface ResourceV3 {
  urn: string;
  custom: boolean;
  delete?: boolean;
  id?: string;
  type: string;
  inputs?: Props;
  outputs?: Props;
  parent?: string;
  protect?: boolean;
  retainOnDelete?: boolean;
  dependencies?: string[];
  initErrors?: string[];
  provider?: string;
  propertyDependencies?: Record<string, string[]>;
  additionalSecretOutputs?: string[];
  ignoreChanges?: string[];
  created?: string;
  modified?: string;
}

export interface DeploymentV3 {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers?: { type: string; state: Props };
    resources?: ResourceV3[];
    metadata: Props;
  };
}

/** Where a stack's files live: `<project>/.pulumi-rooms/<stack>/`. */
export function stackDir(projectRoot: string, stack: string): string {
  return path.join(projectRoot, ".pulumi-rooms", stack);
}

export class Checkpoint {
  readonly file: string;

  constructor(
    readonly dir: string,
    readonly secrets: StackSecrets = new StackSecrets(dir),
  ) {
    this.file = path.join(dir, "checkpoint.json");
  }

  get exists(): boolean {
    return fs.existsSync(this.file);
  }

  /** The stack's state (empty without a checkpoint). Throws naming the file when it is not a v3 deployment. */
  load(): StackState {
    const stack = emptyStack();
    if (!this.exists) return stack;
    const doc = this.read();
    const legacy = this.secretsProvider(doc);
    const decrypt = legacy ? (c: string) => legacy.decrypt(c) : undefined;
    for (const r of doc.deployment.resources ?? []) {
      const entry = fromV3((decrypt ? openSecrets(r, decrypt) : this.secrets.decryptAll(r)) as ResourceV3);
      if (r.delete) stack.pendingDeletes.push(entry);
      else stack.resources.set(entry.urn, entry);
    }
    if (legacy) {
      // Written first, key removed after: a crash in between leaves a readable checkpoint either way.
      this.save(stack);
      fs.rmSync(legacy.keyFile, { force: true });
      this.secrets.notice(`secrets: ${this.file} migrated from ${LEGACY_KEY_FILE} to Pulumi's passphrase format; ${legacy.keyFile} removed`);
    }
    return stack;
  }

  /** The export document, in the passphrase format even when the stored one is still in the old format. */
  readForExport(): DeploymentV3 {
    if (this.read().deployment.secrets_providers?.type === LEGACY_TYPE) this.load();
    return this.read();
  }

  /** Takes the checkpoint's salt state; returns the old key when the checkpoint is in the old format. */
  private secretsProvider(doc: DeploymentV3): LegacyKey | undefined {
    const provider = doc.deployment.secrets_providers;
    if (!provider) return undefined;
    if (provider.type === LEGACY_TYPE) return new LegacyKey(path.join(this.dir, LEGACY_KEY_FILE));
    if (provider.type !== PASSPHRASE_TYPE) {
      throw new Error(`checkpoint ${this.file}: secrets provider "${provider.type}" is not supported; pulumi-rooms-local uses "${PASSPHRASE_TYPE}"`);
    }
    const salt = (provider.state as Props | undefined)?.salt;
    if (typeof salt !== "string") throw new Error(`checkpoint ${this.file}: the passphrase secrets provider has no salt state`);
    this.secrets.salt = salt;
    return undefined;
  }

  /** The export document as stored (secrets as ciphertext). */
  read(): DeploymentV3 {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch (err) {
      throw new Error(`checkpoint ${this.file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!isObject(doc) || doc.version !== 3 || !isObject(doc.deployment)) throw new Error(`checkpoint ${this.file} is not a version 3 deployment`);
    return doc as unknown as DeploymentV3;
  }

  /** The export document for a state (secrets encrypted). */
  toDeployment(stack: StackState): DeploymentV3 {
    const live = ordered(stack.resources.values());
    const resources: ResourceV3[] = [];
    for (const r of live) {
      // The old half of a replacement sits just before its successor, as in the CLI's snapshots.
      for (const p of stack.pendingDeletes.filter((d) => d.urn === r.urn)) resources.push({ ...toV3(p), delete: true });
      resources.push(toV3(r));
    }
    for (const p of stack.pendingDeletes.filter((d) => !stack.resources.has(d.urn))) resources.push({ ...toV3(p), delete: true });
    // Encrypted before `provider` is read: the first secret makes the salt.
    const encrypted = resources.map((r) => this.secrets.encryptAll(r) as ResourceV3);
    const provider = this.secrets.provider;
    return {
      version: 3,
      deployment: {
        manifest: { time: new Date().toISOString(), magic: createHash("sha256").update(ENGINE_VERSION).digest("hex"), version: ENGINE_VERSION },
        ...(provider ? { secrets_providers: provider } : {}),
        ...(resources.length ? { resources: encrypted } : {}),
        metadata: {},
      },
    };
  }

  /** Writes the state atomically: a reader (or a crash) sees the old file or the new one, never half. */
  save(stack: StackState): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const text = `${JSON.stringify(this.toDeployment(stack), null, 2)}\n`;
    const tmp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}

function toV3(r: ResourceState): ResourceV3 {
  const has = (o: Props | undefined): o is Props => o !== undefined && Object.keys(o).length > 0;
  return {
    urn: r.urn,
    custom: r.custom === true,
    ...(r.id ? { id: r.id } : {}),
    type: r.type ?? r.urn.split("::")[2]?.split("$").pop() ?? "",
    ...(has(r.inputs) ? { inputs: r.inputs } : {}),
    ...(has(r.outputs) ? { outputs: r.outputs } : {}),
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.protect ? { protect: true } : {}),
    ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(r.dependencies?.length ? { dependencies: r.dependencies } : {}),
    ...(r.initErrors?.length ? { initErrors: r.initErrors } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    ...(r.propertyDependencies && Object.keys(r.propertyDependencies).length ? { propertyDependencies: r.propertyDependencies } : {}),
    ...(r.additionalSecretOutputs?.length ? { additionalSecretOutputs: r.additionalSecretOutputs } : {}),
    ...(r.ignoreChanges?.length ? { ignoreChanges: r.ignoreChanges } : {}),
    ...(r.created ? { created: r.created } : {}),
    ...(r.modified ? { modified: r.modified } : {}),
  };
}

function fromV3(r: ResourceV3): ResourceState {
  return {
    urn: r.urn,
    custom: r.custom,
    type: r.type,
    id: r.id ?? "",
    inputs: r.inputs ?? {},
    outputs: r.outputs ?? {},
    ...(r.parent ? { parent: r.parent } : {}),
    ...(r.dependencies ? { dependencies: r.dependencies } : {}),
    ...(r.propertyDependencies ? { propertyDependencies: r.propertyDependencies } : {}),
    ...(r.provider ? { provider: r.provider } : {}),
    ...(r.protect ? { protect: true } : {}),
    ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(r.initErrors ? { initErrors: r.initErrors } : {}),
    ...(r.additionalSecretOutputs ? { additionalSecretOutputs: r.additionalSecretOutputs } : {}),
    ...(r.ignoreChanges ? { ignoreChanges: r.ignoreChanges } : {}),
    ...(r.created ? { created: r.created } : {}),
    ...(r.modified ? { modified: r.modified } : {}),
  };
}
