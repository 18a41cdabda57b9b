/**
 * Secret values in the checkpoint. The CLI stores a secret as `{<sig>: <secret sig>, ciphertext}`,
 * encrypted by the stack's secrets provider (spec: pulumi-engine-protocol.md §5). This engine has no
 * passphrase or cloud KMS, so it is its own small provider: AES-256-GCM with a random key kept in a separate
 * file beside the checkpoint (mode 0600, created only when a first secret must be written). The checkpoint
 * and `export` hold ciphertext only, never plaintext; the key file is what a reader would need as well.
 * Room credentials never reach either: the provider reads them through `configure`, not from state.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { isObject, isSecret, SECRET_SIG, SIG_KEY } from "./wire";

const PREFIX = "v1:";

export class SecretBox {
  private key: Buffer | undefined;

  constructor(readonly keyFile: string) {}

  /** True once a key exists (some secret was written). */
  get exists(): boolean {
    return this.key !== undefined || fs.existsSync(this.keyFile);
  }

  /** Replaces every `{sig, value}` with `{sig, ciphertext}`. */
  encryptAll(value: unknown): unknown {
    if (isSecret(value)) return { [SIG_KEY]: SECRET_SIG, ciphertext: this.encrypt(JSON.stringify(value.value ?? null)) };
    if (Array.isArray(value)) return value.map((v) => this.encryptAll(v));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.encryptAll(v)]));
    return value;
  }

  /** Replaces every `{sig, ciphertext}` with `{sig, value}`. */
  decryptAll(value: unknown): unknown {
    if (isObject(value) && value[SIG_KEY] === SECRET_SIG && typeof value.ciphertext === "string") {
      return { [SIG_KEY]: SECRET_SIG, value: JSON.parse(this.decrypt(value.ciphertext)) as unknown };
    }
    if (Array.isArray(value)) return value.map((v) => this.decryptAll(v));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.decryptAll(v)]));
    return value;
  }

  private encrypt(text: string): string {
    const key = this.loadKey(true);
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const body = Buffer.concat([cipher.update(text, "utf8"), cipher.final()]);
    return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
  }

  private decrypt(ciphertext: string): string {
    if (!ciphertext.startsWith(PREFIX)) throw new Error(`a secret in the checkpoint is not in this engine's format (${PREFIX}...)`);
    const raw = Buffer.from(ciphertext.slice(PREFIX.length), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.loadKey(false), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  }

  private loadKey(create: boolean): Buffer {
    if (this.key) return this.key;
    if (fs.existsSync(this.keyFile)) {
      this.key = Buffer.from(fs.readFileSync(this.keyFile, "utf8").trim(), "base64");
      if (this.key.length !== 32) throw new Error(`${this.keyFile} is not a 32-byte base64 key`);
    } else if (create) {
      this.key = randomBytes(32);
      fs.writeFileSync(this.keyFile, `${this.key.toString("base64")}\n`, { mode: 0o600 });
    } else {
      throw new Error(`the checkpoint holds secrets but their key file ${this.keyFile} is missing`);
    }
    return this.key;
  }
}
