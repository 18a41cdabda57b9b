/**
 * An independent implementation of Pulumi's passphrase secrets provider, written for the tests from
 * pulumi/pulumi's source (node:crypto only, nothing from engine/): sdk/go/common/resource/config/crypt.go
 * (PBKDF2-HMAC-SHA256, 1,000,000 iterations, 32-byte key; AES-256-GCM `v1:<b64 nonce>:<b64 sealed>`, the
 * 16-byte tag at the end as Go's gcm.Seal writes it) and pkg/secrets/passphrase/manager.go (the state
 * `v1:<b64 salt>:<"pulumi" encrypted>`). It also mirrors the checks `pulumi stack import` makes on a
 * deployment: pkg/backend/secrets/providers.go (known provider types), pkg/resource/stack/deployment.go
 * (schema versions 1..4, secret envelopes with exactly one of ciphertext/plaintext), and
 * pkg/resource/stack/snapshot/integrity.go plus pkg/cmd/pulumi/stack/io.go SaveSnapshot (magic cookie,
 * urn/type, ids, provider references, parents and dependencies before their users, the target stack).
 */
import { createCipheriv, createDecipheriv, createHash, pbkdf2Sync, randomBytes } from "node:crypto";

export const SIG = "4dabf18193072939515e22adb298388d";
export const SECRET = "1b47061264138c4ac30d75fd1eb44270";

export function pulumiKey(passphrase: string, state: string): Buffer {
  const salt = Buffer.from(state.split(":")[1] ?? "", "base64");
  return pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256");
}

export function pulumiDecrypt(key: Buffer, value: string): string {
  const [version, nonce, sealed] = value.split(":");
  if (version !== "v1" || nonce === undefined || sealed === undefined) throw new Error(`not a v1 value: ${value}`);
  const bytes = Buffer.from(sealed, "base64");
  const d = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
  d.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([d.update(bytes.subarray(0, bytes.length - 16)), d.final()]).toString("utf8");
}

export function pulumiEncrypt(key: Buffer, plaintext: string): string {
  const nonce = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([c.update(plaintext, "utf8"), c.final(), c.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** The key for a state, after checking the passphrase against its "pulumi" value as manager.go does. */
export function pulumiOpenState(passphrase: string, state: string): Buffer {
  const key = pulumiKey(passphrase, state);
  const check = state.split(":").slice(2).join(":");
  let opened: string | undefined;
  try {
    opened = pulumiDecrypt(key, check);
  } catch {
    opened = undefined;
  }
  if (opened !== "pulumi") throw new Error("incorrect passphrase");
  return key;
}

/** A resource of a Pulumi checkpoint (`deployment.resources[]`), the fields these tests read. */
export interface CheckpointResource {
  urn: string;
  custom: boolean;
  id?: string;
  type: string;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  delete?: boolean;
}

/**
 * What `pulumi stack import` checks before it accepts a deployment into `stack`, with the passphrase; returns
 * every secret's plaintext JSON, decrypted with this file's implementation. Throws with the CLI's reason.
 */
export function pulumiImportCheck(untyped: unknown, stack: string, passphrase: string): string[] {
  const doc = untyped as {
    version: number;
    deployment: {
      manifest: { magic: string; version: string };
      secrets_providers?: { type: string; state?: { salt?: unknown } };
      resources?: CheckpointResource[];
    };
  };
  if (doc.version > 4) throw new Error("this stack's deployment version is too new");
  if (doc.version < 1) throw new Error("this stack's deployment is too old");
  const d = doc.deployment;
  let key: Buffer | undefined;
  const sp = d.secrets_providers;
  if (sp && sp.type !== "") {
    if (!["passphrase", "service", "cloud"].includes(sp.type))
      throw new Error(`no known secrets provider for type "${sp.type}"`);
    if (sp.type !== "passphrase") throw new Error(`this check knows only the passphrase provider, not ${sp.type}`);
    if (typeof sp.state?.salt !== "string") throw new Error("passphrase state without salt");
    key = pulumiOpenState(passphrase, sp.state.salt);
  }
  const version = d.manifest.version;
  const magic = version === "" ? "" : createHash("sha256").update(version).digest("hex");
  if (d.manifest.magic !== magic) throw new Error("magic cookie mismatch: possible tampering/corruption detected");
  const secrets: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== "object") return;
    const o = v as Record<string, unknown>;
    if (o[SIG] === SECRET) {
      const c = typeof o.ciphertext === "string" ? o.ciphertext : undefined;
      const p = typeof o.plaintext === "string" ? o.plaintext : undefined;
      if ((c === undefined) === (p === undefined))
        throw new Error("malformed secret value: exactly one of `ciphertext` or `plaintext` must be supplied");
      if (c !== undefined && !key)
        throw new Error("deployment uses a SecretsProvider but no SecretsProvider was provided");
      const text = c !== undefined && key ? pulumiDecrypt(key, c) : (p as string);
      JSON.parse(text);
      secrets.push(text);
      return;
    }
    Object.values(o).forEach(walk);
  };
  const seen = new Set<string>();
  const providers = new Set<string>();
  for (const [i, r] of (d.resources ?? []).entries()) {
    if (!r.urn) throw new Error(`resource at index ${i} missing required 'urn' field`);
    if (!r.type) throw new Error(`resource '${r.urn}' missing required 'type' field`);
    if (!r.custom && r.id) throw new Error(`resource '${r.urn}' has 'custom false but non-empty ID`);
    if (r.urn.split("::")[0] !== `urn:pulumi:${stack}`)
      throw new Error(`resource '${r.urn}' is from a different stack`);
    if (r.provider && !providers.has(r.provider))
      throw new Error(`resource ${r.urn} refers to unknown provider ${r.provider}`);
    if (r.parent && !seen.has(r.parent))
      throw new Error(`child resource ${r.urn}'s parent ${r.parent} comes after it or is missing`);
    for (const dep of r.dependencies ?? [])
      if (!seen.has(dep)) throw new Error(`resource ${r.urn}'s dependency ${dep} comes after it or is missing`);
    if (r.type.startsWith("pulumi:providers:")) providers.add(`${r.urn}::${r.id ?? ""}`);
    seen.add(r.urn);
    walk(r);
  }
  return secrets;
}
