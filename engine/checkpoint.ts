/**
 * One checkpoint per stack, in the format of `pulumi stack export` (deployment version 3,
 * pulumi@v3.248.0 sdk/go/common/apitype/core.go DeploymentV3, ResourceV3, OperationV2). During an operation
 * the steps go to the journal beside it (engine/journal.ts); the checkpoint is compacted from checkpoint +
 * journal atomically (temp file, fsync, rename) at the end of the operation and when one is loaded with a
 * journal present. Operations begun and never settled are kept as `pending_operations`. Secret
 * values are stored as ciphertext of Pulumi's passphrase provider (engine/secrets.ts); a checkpoint of an
 * earlier version of this engine (its own provider and `secrets.key`) is rewritten in that format on first load.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { JOURNAL_FILE, replayJournal, type Pending } from "./journal";
import { LEGACY_KEY_FILE, LEGACY_TYPE, LegacyKey } from "./legacy-key";
import { PASSPHRASE_TYPE } from "./passphrase";
import { openSecrets, StackSecrets } from "./secrets";
import { emptyStack, ordered, type ResourceState, type StackState } from "./state";
import { isObject, setFieldsOf, type Props } from "./wire";
import { writeFileAtomically } from "./atomic-write";

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
  sourcePosition?: string;
  created?: string;
  modified?: string;
}

export interface DeploymentV3 {
  version: 3;
  deployment: {
    manifest: { time: string; magic: string; version: string };
    secrets_providers?: { type: string; state: Props };
    resources?: ResourceV3[];
    pending_operations?: OperationV2[];
    metadata: Props;
  };
}

/** `OperationV2`: a provider call begun and not known to have ended. */
export interface OperationV2 {
  resource: ResourceV3;
  type: "creating" | "updating" | "deleting" | "reading";
}

const OPERATION_TYPES = { create: "creating", update: "updating", delete: "deleting", read: "reading" } as const;

/** Where a stack's files live: `<project>/.pulumi-rooms/<stack>/`. */
export function stackDir(projectRoot: string, stack: string): string {
  return path.join(projectRoot, ".pulumi-rooms", stack);
}

/** The v3 checkpoint in a stack's state folder. */
export function checkpointFile(dir: string): string {
  return path.join(dir, "checkpoint.json");
}

/** The embedded emulator's state file in a stack's state folder. */
export function emulatorStateFile(dir: string): string {
  return path.join(dir, "emulator.json");
}

export class Checkpoint {
  readonly file: string;
  readonly journalFile: string;
  /** After `load()`: the operations left pending (in the checkpoint and the journal). */
  pending: Pending[] = [];
  /** After `load()`: whether a journal was replayed (then the state on disk needs compaction). */
  replayed = false;
  /** The generation journal records are written against: the checkpoint's manifest time. */
  base = "";

  constructor(
    readonly dir: string,
    readonly secrets: StackSecrets = new StackSecrets(dir),
  ) {
    this.file = checkpointFile(dir);
    this.journalFile = path.join(dir, JOURNAL_FILE);
  }

  get exists(): boolean {
    return fs.existsSync(this.file) || fs.existsSync(this.journalFile);
  }

  /**
   * The stack's state (empty without a checkpoint) with the journal replayed, in memory: `compact()` writes
   * it. Throws naming the file when it is not a v3 deployment.
   */
  load(): StackState {
    const stack = this.loadCheckpoint();
    const replay = replayJournal(this.journalFile, stack, this.base, this.secrets);
    this.replayed = replay.applied;
    this.pending.push(...replay.pending);
    return stack;
  }

  /** Writes checkpoint + journal as one checkpoint, then removes the journal (see engine/journal.ts on a crash in between). */
  compact(stack: StackState, pending: readonly Pending[] = this.pending): void {
    this.save(stack, pending);
    fs.rmSync(this.journalFile, { force: true });
    this.replayed = false;
  }

  private loadCheckpoint(): StackState {
    const stack = emptyStack();
    this.pending = [];
    this.base = "";
    if (!fs.existsSync(this.file)) return stack;
    const doc = this.read();
    this.base = doc.deployment.manifest.time;
    const legacy = this.secretsProvider(doc);
    const decrypt = legacy ? (c: string) => legacy.decrypt(c) : undefined;
    for (const r of doc.deployment.resources ?? []) {
      const entry = fromV3((decrypt ? openSecrets(r, decrypt) : this.secrets.decryptAll(r)) as ResourceV3);
      if (r.delete) stack.pendingDeletes.push(entry);
      else stack.resources.set(entry.urn, entry);
    }
    for (const op of doc.deployment.pending_operations ?? []) {
      const call =
        (Object.keys(OPERATION_TYPES) as (keyof typeof OPERATION_TYPES)[]).find(
          (k) => OPERATION_TYPES[k] === op.type,
        ) ?? "read";
      this.pending.push({
        call,
        entry: fromV3(
          (decrypt ? openSecrets(op.resource, decrypt) : this.secrets.decryptAll(op.resource)) as ResourceV3,
        ),
      });
    }
    if (legacy) {
      // Written first, key removed after: a crash in between leaves a readable checkpoint either way.
      this.save(stack, this.pending);
      fs.rmSync(legacy.keyFile, { force: true });
      this.secrets.notice(
        `secrets: ${this.file} migrated from ${LEGACY_KEY_FILE} to Pulumi's passphrase format; ${legacy.keyFile} removed`,
      );
    }
    return stack;
  }

  /** The export document: the compacted state (journal included), in the passphrase format. */
  readForExport(): DeploymentV3 {
    if (fs.existsSync(this.file) && this.read().deployment.secrets_providers?.type === LEGACY_TYPE) this.load();
    if (!fs.existsSync(this.journalFile)) return this.read();
    const stack = this.load();
    return this.replayed ? this.toDeployment(stack, this.pending) : this.read();
  }

  /** Takes the checkpoint's salt state; returns the old key when the checkpoint is in the old format. */
  private secretsProvider(doc: DeploymentV3): LegacyKey | undefined {
    const provider = doc.deployment.secrets_providers;
    if (!provider) return undefined;
    if (provider.type === LEGACY_TYPE) return new LegacyKey(path.join(this.dir, LEGACY_KEY_FILE));
    if (provider.type !== PASSPHRASE_TYPE) {
      throw new Error(
        `checkpoint ${this.file}: secrets provider "${provider.type}" is not supported; pulumi-rooms-local uses "${PASSPHRASE_TYPE}"`,
      );
    }
    const salt = (provider.state as Props | undefined)?.salt;
    if (typeof salt !== "string")
      throw new Error(`checkpoint ${this.file}: the passphrase secrets provider has no salt state`);
    this.secrets.salt = salt;
    return undefined;
  }

  /** The export document as stored (secrets as ciphertext). */
  read(): DeploymentV3 {
    let doc: unknown;
    try {
      doc = JSON.parse(fs.readFileSync(this.file, "utf8"));
    } catch (err) {
      throw new Error(
        `checkpoint ${this.file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    if (!isObject(doc) || doc.version !== 3 || !isObject(doc.deployment))
      throw new Error(`checkpoint ${this.file} is not a version 3 deployment`);
    return doc as unknown as DeploymentV3;
  }

  /** The export document for a state (secrets encrypted). */
  toDeployment(stack: StackState, pending: readonly Pending[] = []): DeploymentV3 {
    const live = ordered(stack.resources.values());
    const resources: ResourceV3[] = [];
    for (const r of live) {
      // The old half of a replacement sits just before its successor, as in the CLI's snapshots.
      for (const p of stack.pendingDeletes.filter((d) => d.urn === r.urn)) resources.push({ ...toV3(p), delete: true });
      resources.push(toV3(r));
    }
    for (const p of stack.pendingDeletes.filter((d) => !stack.resources.has(d.urn)))
      resources.push({ ...toV3(p), delete: true });
    // Encrypted before `provider` is read: the first secret makes the salt.
    const encrypted = resources.map((r) => this.secrets.encryptAll(r) as ResourceV3);
    const operations: OperationV2[] = pending.map((p) => ({
      resource: this.secrets.encryptAll(toV3(p.entry)) as ResourceV3,
      type: OPERATION_TYPES[p.call],
    }));
    const provider = this.secrets.provider;
    return {
      version: 3,
      deployment: {
        manifest: {
          time: new Date().toISOString(),
          magic: createHash("sha256").update(ENGINE_VERSION).digest("hex"),
          version: ENGINE_VERSION,
        },
        ...(provider ? { secrets_providers: provider } : {}),
        ...(resources.length ? { resources: encrypted } : {}),
        ...(operations.length ? { pending_operations: operations } : {}),
        metadata: {},
      },
    };
  }

  /** Writes the state atomically: a reader (or a crash) sees the old file or the new one, never half. */
  save(stack: StackState, pending: readonly Pending[] = []): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const doc = this.toDeployment(stack, pending);
    // A new generation: a journal written against the old one is never replayed onto this file.
    if (doc.deployment.manifest.time === this.base)
      doc.deployment.manifest.time = new Date(Date.parse(this.base) + 1).toISOString();
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    writeFileAtomically(this.file, text, { fsync: true });
    this.base = doc.deployment.manifest.time;
  }
}

function toV3(r: ResourceState): ResourceV3 {
  return {
    urn: r.urn,
    custom: r.custom === true,
    ...setFieldsOf({ id: r.id }),
    type: r.type ?? r.urn.split("::")[2]?.split("$").pop() ?? "",
    ...setFieldsOf({
      inputs: r.inputs,
      outputs: r.outputs,
      parent: r.parent,
      protect: r.protect,
      retainOnDelete: r.retainOnDelete,
      dependencies: r.dependencies,
      initErrors: r.initErrors,
      provider: r.provider,
      propertyDependencies: r.propertyDependencies,
      additionalSecretOutputs: r.additionalSecretOutputs,
      ignoreChanges: r.ignoreChanges,
      sourcePosition: r.sourcePosition,
      created: r.created,
      modified: r.modified,
    }),
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
    ...(r.sourcePosition ? { sourcePosition: r.sourcePosition } : {}),
    ...(r.created ? { created: r.created } : {}),
    ...(r.modified ? { modified: r.modified } : {}),
  };
}
