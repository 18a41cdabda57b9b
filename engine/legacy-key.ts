/**
 * The secrets format of earlier versions of this engine, read only to migrate it: `secrets_providers.type`
 * "pulumi-rooms-local", a random 32-byte key (base64) in `secrets.key` beside the checkpoint, and values
 * `v1:<base64 of nonce(12) + tag(16) + ciphertext>` (AES-256-GCM). Pulumi's CLI cannot read it, so a
 * checkpoint in this format is rewritten in the passphrase format on first load (engine/checkpoint.ts).
 */
import { createDecipheriv } from "node:crypto";
import * as fs from "node:fs";

/** The `secrets_providers.type` this engine used to write. */
export const LEGACY_TYPE = "pulumi-rooms-local";
/** The key file's name beside the checkpoint. */
export const LEGACY_KEY_FILE = "secrets.key";

/** Decrypts the old format with the key in `keyFile` (read once, on the first value). */
export class LegacyKey {
  private key: Buffer | undefined;

  constructor(readonly keyFile: string) {}

  decrypt(ciphertext: string): string {
    if (!ciphertext.startsWith("v1:"))
      throw new Error(`a secret in the checkpoint is not in the format of ${this.keyFile} (v1:...)`);
    const raw = Buffer.from(ciphertext.slice(3), "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.load(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
  }

  private load(): Buffer {
    if (this.key) return this.key;
    if (!fs.existsSync(this.keyFile))
      throw new Error(`the checkpoint holds secrets but their key file ${this.keyFile} is missing`);
    const key = Buffer.from(fs.readFileSync(this.keyFile, "utf8").trim(), "base64");
    if (key.length !== 32) throw new Error(`${this.keyFile} is not a 32-byte base64 key`);
    this.key = key;
    return key;
  }
}
