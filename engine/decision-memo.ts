/**
 * Check and Diff answers of this package's rooms, remembered between operations so an unchanged room
 * needs no provider call. The Pulumi engine calls Check and then Diff for every registration (pkg/resource/
 * deploy/step_generator.go); for a fleet that changed nothing those two gRPC round trips, through the host,
 * were most of the engine's and all of the host's work. Our rooms' `check` and `diff` are pure functions
 * of their arguments (provider/core/room-provider.ts), so an answer given once holds while the arguments
 * and the code are the same:
 * - only resources whose `__provider` is this package's shim (provider/tencent/resource.ts, provider/zego/
 *   resource.ts: every hook a `require("pulumi-rooms/<vendor>")`); any other dynamic provider is called;
 * - the code: the installed `pulumi-rooms/tencent`, `pulumi-rooms/zego` and `@pulumi/pulumi` resolved
 *   from the program folder as the host resolves them, by content; other code forgets all;
 * - the arguments: digests (SHA-256) of the news Check got, of what it answered, and of the old outputs
 *   Diff got; nothing is remembered for a resource holding a secret (engine/step-generator.ts does not ask)
 *   or for an unknown (preview): the file (`decisions.json` in the stack folder) holds digests of values
 *   that are in the checkpoint anyway, never of a secret.
 * Check's answer is remembered when it is given; Diff's only when it found no change (a later operation
 * then skips both). A stale or unreadable file only costs the calls.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomically } from "./atomic-write";
import { SECRET_SIG, UNKNOWN, type Props } from "./wire";

export const DECISION_MEMO = "decisions.json";

/** The hooks of the package's serialized shim, as `@pulumi/pulumi`'s closure serializer writes each. */
const SHIM_HOOK =
  /function __f\d+\(\) \{\n {2}return \(function\(\) \{\n {4}with\(\{ this: undefined, arguments: undefined \}\) \{\n\nreturn \(\.\.\.a\) => require\("pulumi-rooms\/(?:tencent|zego)"\)\.(?:configure|check|diff|create|read|update|delete)\(\.\.\.a\);\n\n {4}\}\n {2}\}\)\.apply\(undefined, undefined\)\.apply\(this, arguments\);\n\}\n\n/g;
/** What is left of the shim once its seven hooks are taken out. */
const SHIM_FRAME =
  "exports.handler = __f0;\n\nvar __provider = {configure: __f1, check: __f2, diff: __f3, create: __f4, read: __f5, update: __f6, delete: __f7};\n\n" +
  "function __f0() {\n  return (function() {\n    with({ provider: __provider, this: undefined, arguments: undefined }) {\n\nreturn () => provider;\n\n    }\n  }).apply(undefined, undefined).apply(this, arguments);\n}\n";

/** Whether a serialized provider is exactly this package's shim (one vendor's seven hooks, nothing else). */
export function isRoomShim(text: unknown): boolean {
  if (typeof text !== "string" || text.length > 4096) return false;
  const vendors = new Set([...text.matchAll(/require\("pulumi-rooms\/(tencent|zego)"\)/g)].map((m) => m[1]));
  const hooks = text.match(SHIM_HOOK) ?? [];
  return vendors.size === 1 && hooks.length === 7 && text.replace(SHIM_HOOK, "") === SHIM_FRAME;
}

interface Entry {
  /** Digest of the news Check got, and of the inputs it answered. */
  news: string;
  checked: string;
  /** Digest of the old outputs with which Diff (given `checked`) found no change. */
  same?: string;
}

interface MemoFile {
  version: 1;
  code: string;
  entries: Record<string, Entry>;
}

/** A value's digest, or undefined when it may not be remembered (it holds a secret or an unknown). */
function digestOf(value: Props): string | undefined {
  const text = JSON.stringify(value);
  if (text.includes(SECRET_SIG) || text.includes(UNKNOWN)) return undefined;
  return createHash("sha256").update(text).digest("base64url").slice(0, 22);
}

/**
 * The installed code that answers Check and Diff, as the host resolves it from the program folder: a digest
 * of each vendor's host bundle (one file each, its dependencies inlined) and of the SDK's manifest. Contents,
 * not times: installs and image layers may keep a rebuilt file's size and time.
 */
export function codeIdentity(programDir: string): string {
  const hash = createHash("sha256");
  for (const id of ["pulumi-rooms/tencent", "pulumi-rooms/zego", "@pulumi/pulumi/package.json"]) {
    try {
      const file = require.resolve(id, { paths: [programDir] });
      hash.update(`${file}\0`).update(fs.readFileSync(file)).update("\0");
    } catch {
      return ""; // Not installed where the host looks: nothing is remembered.
    }
  }
  return hash.digest("base64url");
}

export class DecisionMemo {
  private dirty = false;
  private codeKnown: string | undefined;
  /** `__provider` texts found to be the shim: every room of a type sends the same one (one per vendor). */
  private readonly shims = new Set<unknown>();

  private constructor(
    private readonly file: string,
    private readonly programDir: string,
    private readonly entries: Map<string, Entry>,
  ) {}

  /** The stack's memo, empty when the file is missing, unreadable or written for other code. */
  static load(stateDir: string, programDir: string): DecisionMemo {
    const memo = new DecisionMemo(path.join(stateDir, DECISION_MEMO), programDir, new Map());
    try {
      const read = JSON.parse(fs.readFileSync(memo.file, "utf8")) as MemoFile;
      if (read.version === 1 && memo.code && read.code === memo.code)
        for (const [urn, e] of Object.entries(read.entries)) memo.entries.set(urn, e);
    } catch {
      // No memo yet: every room is checked.
    }
    return memo;
  }

  /** `codeIdentity`, read once and only when needed (a stack without a memo or rooms never reads the bundles). */
  private get code(): string {
    return (this.codeKnown ??= codeIdentity(this.programDir));
  }

  private usable(shim: unknown): boolean {
    if (!this.shims.has(shim)) {
      if (!isRoomShim(shim)) return false;
      this.shims.add(shim);
    }
    return this.code !== "";
  }

  /** Check's answer for these news, when it was given before and the old inputs are that answer. */
  // Stored digests are of values that could be remembered: an undefined digest never equals one.
  checked(urn: string, news: Props, oldInputs: Props | undefined): Props | undefined {
    const e = this.entries.get(urn);
    if (!e || !oldInputs || !this.usable(news.__provider)) return undefined;
    return e.news === digestOf(news) && e.checked === digestOf(oldInputs) ? oldInputs : undefined;
  }

  /** Whether Diff found no change between these old outputs and the checked inputs before. */
  same(urn: string, oldOutputs: Props, checked: Props): boolean {
    const e = this.entries.get(urn);
    return (
      e !== undefined && e.same !== undefined && e.checked === digestOf(checked) && e.same === digestOf(oldOutputs)
    );
  }

  rememberCheck(urn: string, news: Props, checked: Props): void {
    if (!this.usable(news.__provider)) return;
    const entry = { news: digestOf(news), checked: digestOf(checked) };
    if (entry.news === undefined || entry.checked === undefined) return;
    const e = this.entries.get(urn);
    if (e && e.news === entry.news && e.checked === entry.checked) return;
    this.entries.set(urn, { news: entry.news, checked: entry.checked });
    this.dirty = true;
  }

  rememberSame(urn: string, oldOutputs: Props, checked: Props): void {
    const e = this.entries.get(urn);
    if (!e || e.checked !== digestOf(checked)) return;
    const same = digestOf(oldOutputs);
    if (same === undefined || e.same === same) return;
    e.same = same;
    this.dirty = true;
  }

  /** Writes the memo of the resources still in the state (when anything changed). */
  save(urns: ReadonlySet<string>): void {
    for (const urn of this.entries.keys()) {
      if (!urns.has(urn)) {
        this.entries.delete(urn);
        this.dirty = true;
      }
    }
    if (!this.dirty) return;
    this.dirty = false;
    if (this.entries.size === 0) return fs.rmSync(this.file, { force: true });
    // Entries exist only for code that was known (`usable`, or matched at load).
    const out: MemoFile = { version: 1, code: this.code, entries: Object.fromEntries(this.entries) };
    writeFileAtomically(this.file, JSON.stringify(out));
  }
}
