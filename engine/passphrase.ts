/**
 * Pulumi's passphrase secrets provider, byte for byte, so that a checkpoint or a `secure:` config value
 * written by one side is read by the other (pulumi/pulumi on GitHub):
 * - sdk/go/common/resource/config/crypt.go: the key is PBKDF2-HMAC-SHA256(passphrase, salt, 1,000,000
 *   iterations, 32 bytes); a value is AES-256-GCM with a random 12-byte nonce, written
 *   `v1:<base64 nonce>:<base64 ciphertext and 16-byte tag>` (standard base64, with padding).
 * - pkg/secrets/passphrase/manager.go: the provider's state is `v1:<base64 8-byte salt>:<"pulumi" encrypted
 *   with the key>`, stored as `encryptionsalt` in Pulumi.<stack>.yaml and as
 *   `secrets_providers: {type: "passphrase", state: {salt}}` in a deployment; a passphrase is right when that
 *   check value decrypts to "pulumi". The passphrase comes from PULUMI_CONFIG_PASSPHRASE (set, even empty) or
 *   else the file named by PULUMI_CONFIG_PASSPHRASE_FILE (trimmed), as readPassphrase reads them.
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { RoomsError } from "../provider/core/errors";

/** The provider's `type` in a deployment's `secrets_providers`. */
export const PASSPHRASE_TYPE = "passphrase";
/** crypt.go NewSymmetricCrypterFromPassphrase: slow on purpose (about half a second here). */
const PBKDF2_ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** manager.go NewPassphraseSecretsManager: the salt is 8 random bytes. */
const SALT_BYTES = 8;
/** The value encrypted into the state to check a passphrase. */
const CHECK_VALUE = "pulumi";

/** The CLI's words when the passphrase does not open the state (manager.go errorCrypter). */
export const INCORRECT_PASSPHRASE =
  "incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase";
/** The CLI's words when no passphrase is given and it cannot prompt (manager.go readPassphrase). */
export const PASSPHRASE_NOT_SET =
  "passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables";

/** A passphrase that does not open a salt state. */
export class IncorrectPassphraseError extends RoomsError<"PASSPHRASE_INCORRECT"> {
  static override readonly errorName: string = "IncorrectPassphraseError";

  constructor(message: string) {
    super("PASSPHRASE_INCORRECT", message);
  }
}

/** AES-256-GCM with one derived key: crypt.go symmetricCrypter. */
export class SymmetricCrypter {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error("AES-256-GCM needs a 32 byte key");
  }

  encrypt(plaintext: string): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    // Go's gcm.Seal appends the tag to the ciphertext.
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
  }

  /** Throws on a malformed value or when the key does not authenticate it. */
  decrypt(value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3) throw new Error("bad value");
    if (parts[0] !== "v1") throw new Error("unknown value version");
    const nonce = Buffer.from(parts[1] ?? "", "base64");
    const sealed = Buffer.from(parts[2] ?? "", "base64");
    if (nonce.length !== NONCE_BYTES) throw new Error("bad value: nonce size is incorrect");
    if (sealed.length < TAG_BYTES) throw new Error("bad value: too short");
    const decipher = createDecipheriv("aes-256-gcm", this.key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  }
}

/** PBKDF2-HMAC-SHA256 as crypt.go derives the key (the passphrase's UTF-8 bytes). */
function deriveKey(passphrase: string, salt: Buffer): Buffer {
  return pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, PBKDF2_ITERATIONS, KEY_BYTES, "sha256");
}

/** The salt bytes of a state `v1:<salt>:<check value>`; throws on another shape. */
function saltOf(state: string): Buffer {
  const parts = state.split(":");
  if (parts.length < 3) throw new Error("malformed state value");
  if (parts[0] !== "v1") throw new Error("unknown state version");
  return Buffer.from(parts[1] ?? "", "base64");
}

/** A new state for a passphrase (manager.go NewPassphraseSecretsManager), and its crypter. */
export function newSaltState(passphrase: string): { state: string; crypter: SymmetricCrypter } {
  const salt = randomBytes(SALT_BYTES);
  const crypter = new SymmetricCrypter(deriveKey(passphrase, salt));
  return { state: `v1:${salt.toString("base64")}:${crypter.encrypt(CHECK_VALUE)}`, crypter };
}

/** The crypter of a state (manager.go symmetricCrypterFromPhraseAndState); throws IncorrectPassphraseError. */
export function crypterFromState(passphrase: string, state: string): SymmetricCrypter {
  const crypter = new SymmetricCrypter(deriveKey(passphrase, saltOf(state)));
  // Everything after the second ':' is the check value (itself `v1:<nonce>:<ciphertext>`).
  const check = state.split(":").slice(2).join(":");
  let opened: string | undefined;
  try {
    opened = crypter.decrypt(check);
  } catch {
    opened = undefined;
  }
  if (opened !== CHECK_VALUE) throw new IncorrectPassphraseError(INCORRECT_PASSPHRASE);
  return crypter;
}

/** Where a passphrase came from, for messages. */
export interface Passphrase {
  phrase: string;
  /** `PULUMI_CONFIG_PASSPHRASE`, `PULUMI_CONFIG_PASSPHRASE_FILE (<file>)` or the engine's file. */
  source: string;
}

/** The passphrase from the environment as the CLI reads it, or undefined when neither variable is set. */
export function passphraseFromEnv(env: NodeJS.ProcessEnv): Passphrase | undefined {
  const phrase = env.PULUMI_CONFIG_PASSPHRASE;
  if (phrase !== undefined) return { phrase, source: "PULUMI_CONFIG_PASSPHRASE" };
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file === undefined || file === "") return undefined;
  const full = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(full, "utf8");
  } catch (err) {
    throw new Error(
      `unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
  return { phrase: text.trim(), source: `PULUMI_CONFIG_PASSPHRASE_FILE (${full})` };
}
