/**
 * A stack's secrets, in the format of Pulumi's passphrase secrets provider (engine/passphrase.ts), so that
 * `export` is accepted by `pulumi stack import` and `secure:` values written by `pulumi config set --secret`
 * are read. In the checkpoint a secret is `{<sig>: <secret sig>, ciphertext}` where the ciphertext encrypts
 * the JSON of the value, and a secret nested in it is sealed with no encryption (`ciphertext` = its JSON),
 * as pkg/resource/stack/deployment.go SerializePropertyValue does; the salt state goes in
 * `secrets_providers: {type: "passphrase", state: {salt}}`.
 *
 * The passphrase is PULUMI_CONFIG_PASSPHRASE, else PULUMI_CONFIG_PASSPHRASE_FILE, else the engine's own
 * `passphrase` file beside the checkpoint (mode 0600, created with the first secret and named once in the
 * output). The key derivation is slow by design, so it runs only when a secret is read or written, at most
 * once per salt for the life of this object (one operation), and never for a stack without secrets.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  crypterFromState,
  IncorrectPassphraseError,
  INCORRECT_PASSPHRASE,
  newSaltState,
  PASSPHRASE_NOT_SET,
  PASSPHRASE_TYPE,
  passphraseFromEnv,
  type Passphrase,
  type SymmetricCrypter,
} from "./passphrase";
import { isObject, isSecret, SECRET_SIG, SIG_KEY } from "./wire";

/** The engine's passphrase file in a stack's state folder. */
const PASSPHRASE_FILE = "passphrase";

export interface StackSecretsOptions {
  /** Receives the one-time notices (the passphrase file created, a migration). Default: standard error. */
  notice?: (message: string) => void;
  /** Where PULUMI_CONFIG_PASSPHRASE(_FILE) are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** `encryptionsalt` of Pulumi.<stack>.yaml: adopted for the checkpoint's first secret when the passphrase opens it. */
  stackSalt?: string;
}

/** The secrets provider of one stack for one operation. */
export class StackSecrets {
  readonly passphraseFile: string;
  /** The checkpoint's salt state: read from its `secrets_providers`, or made when a first secret is written. */
  salt: string | undefined;
  private readonly crypters = new Map<string, SymmetricCrypter>();
  private passphrase: Passphrase | undefined;
  private derived = 0;

  constructor(
    readonly dir: string,
    private readonly options: StackSecretsOptions = {},
  ) {
    this.passphraseFile = path.join(dir, PASSPHRASE_FILE);
  }

  /** How many keys were derived (each takes about half a second). */
  get derivations(): number {
    return this.derived;
  }

  /** `secrets_providers` of the checkpoint, once it has a salt (no derivation needed). */
  get provider(): { type: string; state: { salt: string } } | undefined {
    return this.salt === undefined ? undefined : { type: PASSPHRASE_TYPE, state: { salt: this.salt } };
  }

  notice(message: string): void {
    (this.options.notice ?? ((m: string) => process.stderr.write(`${m}\n`)))(message);
  }

  /** Replaces every `{sig, value}` with `{sig, ciphertext}` in the checkpoint's salt. */
  encryptAll(value: unknown): unknown {
    return sealSecrets(value, (text) => this.checkpointCrypter().encrypt(text));
  }

  /** Replaces every `{sig, ciphertext}` with `{sig, value}`, decrypting with the checkpoint's salt. */
  decryptAll(value: unknown): unknown {
    return openSecrets(value, (ciphertext) => this.decryptWith(this.salt, ciphertext, "a secret in the checkpoint"));
  }

  /** One value encrypted under a salt state (a checkpoint's or a stack file's); errors start with `where`. */
  decryptWith(state: string | undefined, ciphertext: string, where: string): string {
    if (state === undefined) throw new Error(`${where} is encrypted but no passphrase salt state goes with it`);
    const crypter = this.crypterFor(state, where);
    try {
      return crypter.decrypt(ciphertext);
    } catch (err) {
      throw new Error(`${where} could not be decrypted: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }

  /**
   * One value encrypted for a stack file under its `encryptionsalt` (`state`), or under a new salt state
   * when the file has none, as `pulumi config set --secret` makes one; returns the state to write with it.
   */
  encryptForStackFile(state: string | undefined, plaintext: string): { state: string; ciphertext: string } {
    if (state !== undefined)
      return { state, ciphertext: this.crypterFor(state, "the stack file's encryptionsalt").encrypt(plaintext) };
    const made = newSaltState((this.knownPassphrase() ?? this.createPassphraseFile()).phrase);
    this.derived++;
    this.crypters.set(made.state, made.crypter);
    return { state: made.state, ciphertext: made.crypter.encrypt(plaintext) };
  }

  private crypterFor(state: string, where: string): SymmetricCrypter {
    try {
      return this.open(state, this.knownPassphrase() ?? failNoPassphrase(where, this.passphraseFile));
    } catch (err) {
      if (!(err instanceof IncorrectPassphraseError)) throw err;
      throw new Error(
        `${where}: failed to decrypt with the passphrase from ${this.passphrase?.source ?? "?"}: ${INCORRECT_PASSPHRASE}`,
        {
          cause: err,
        },
      );
    }
  }

  private open(state: string, passphrase: Passphrase): SymmetricCrypter {
    let crypter = this.crypters.get(state);
    if (!crypter) {
      this.derived++;
      crypter = crypterFromState(passphrase.phrase, state);
      this.crypters.set(state, crypter);
    }
    return crypter;
  }

  /** The crypter for the checkpoint, making its salt (and, without any passphrase, the passphrase file) first. */
  private checkpointCrypter(): SymmetricCrypter {
    if (this.salt !== undefined) return this.crypterFor(this.salt, "the checkpoint's secrets");
    const known = this.knownPassphrase();
    const stackSalt = this.options.stackSalt;
    if (known && stackSalt !== undefined) {
      // One salt for the stack file and the checkpoint, as the CLI keeps them: one derivation, not two.
      try {
        const crypter = this.open(stackSalt, known);
        this.salt = stackSalt;
        return crypter;
      } catch (err) {
        if (!(err instanceof IncorrectPassphraseError)) throw err;
      }
    }
    const { state, crypter } = newSaltState((known ?? this.createPassphraseFile()).phrase);
    this.derived++;
    this.salt = state;
    this.crypters.set(state, crypter);
    return crypter;
  }

  /** The passphrase from the environment or the engine's file, read once. */
  private knownPassphrase(): Passphrase | undefined {
    if (this.passphrase) return this.passphrase;
    this.passphrase = passphraseFromEnv(this.options.env ?? process.env);
    if (!this.passphrase && fs.existsSync(this.passphraseFile)) {
      this.passphrase = { phrase: fs.readFileSync(this.passphraseFile, "utf8").trim(), source: this.passphraseFile };
    }
    return this.passphrase;
  }

  private createPassphraseFile(): Passphrase {
    fs.mkdirSync(this.dir, { recursive: true });
    const phrase = randomBytes(24).toString("base64url");
    // "wx": never overwrite a passphrase that secrets may already depend on.
    fs.writeFileSync(this.passphraseFile, `${phrase}\n`, { mode: 0o600, flag: "wx" });
    this.passphrase = { phrase, source: this.passphraseFile };
    this.notice(
      `secrets: created ${this.passphraseFile} (owner-only), the passphrase of this stack's secrets; keep it, ` +
        `and give it to the Pulumi CLI as PULUMI_CONFIG_PASSPHRASE_FILE=${this.passphraseFile}`,
    );
    return this.passphrase;
  }
}

function failNoPassphrase(where: string, file: string): never {
  throw new Error(`${where}: ${PASSPHRASE_NOT_SET} (or the file ${file})`);
}

/** `{sig, value}` -> `{sig, ciphertext}`; a secret inside a secret is sealed unencrypted (its JSON). */
function sealSecrets(value: unknown, encrypt: (plaintext: string) => string): unknown {
  if (isSecret(value))
    return { [SIG_KEY]: SECRET_SIG, ciphertext: encrypt(JSON.stringify(sealSecrets(value.value ?? null, (t) => t))) };
  if (Array.isArray(value)) return value.map((v) => sealSecrets(v, encrypt));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sealSecrets(v, encrypt)]));
  return value;
}

/** `{sig, ciphertext}` (or an export's `{sig, plaintext}`) -> `{sig, value}`, inner secrets unsealed as plain JSON. */
export function openSecrets(value: unknown, decrypt: (ciphertext: string) => string): unknown {
  if (isObject(value) && value[SIG_KEY] === SECRET_SIG && !("value" in value)) {
    const text =
      typeof value.ciphertext === "string"
        ? decrypt(value.ciphertext)
        : typeof value.plaintext === "string"
          ? value.plaintext
          : undefined;
    if (text === undefined)
      throw new Error("malformed secret value: exactly one of `ciphertext` or `plaintext` must be supplied");
    return { [SIG_KEY]: SECRET_SIG, value: openSecrets(JSON.parse(text) as unknown, (t) => t) };
  }
  if (Array.isArray(value)) return value.map((v) => openSecrets(v, decrypt));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, openSecrets(v, decrypt)]));
  return value;
}
