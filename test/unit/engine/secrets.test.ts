/**
 * The engine's secrets in the format of Pulumi's passphrase secrets provider, checked against an independent
 * implementation written from pulumi/pulumi's source (test/support/pulumi-passphrase.ts) and against
 * Pulumi's own test data: the state of pkg/secrets/passphrase/manager_test.go (passphrase "password") and
 * the CLI-written stack file of tests/roundtrip/roundtrip_test.go TestConfigRoundtripComments (passphrase
 * "TestConfigRoundtripComments", `foo:d` = "secret-value"). Each key derivation takes about half a second.
 */
import { strict as assert } from "node:assert";
import { createCipheriv, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Checkpoint } from "../../../engine/checkpoint";
import { runOperation } from "../../../engine/operation";
import {
  crypterFromState,
  IncorrectPassphraseError,
  newSaltState,
  passphraseFromEnv,
} from "../../../engine/passphrase";
import { decryptConfig, loadProject } from "../../../engine/project";
import { StackSecrets } from "../../../engine/secrets";
import { emptyStack, type StackState } from "../../../engine/state";
import { makeUrn, secret } from "../../../engine/wire";
import { customEntry, stackEntry } from "../../support/fake-provider";
import {
  pulumiDecrypt,
  pulumiEncrypt,
  pulumiImportCheck,
  pulumiKey,
  pulumiOpenState,
  SECRET,
  SIG,
} from "../../support/pulumi-passphrase";

/** pkg/secrets/passphrase/manager_test.go `state`, made with the passphrase "password". */
const MANAGER_TEST_SALT = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
/** tests/roundtrip/roundtrip_test.go TestConfigRoundtripComments: the stack file the CLI wrote (comments trimmed). */
const ROUNDTRIP_PASSPHRASE = "TestConfigRoundtripComments";
const ROUNDTRIP_SALT = "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==";
const ROUNDTRIP_SECURE = "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==";
const ROUNDTRIP_STACK_FILE = `
encryptionsalt: ${ROUNDTRIP_SALT}
config:
  foo:a: some-value
  foo:c:
    a: A
  foo:d:
    secure: ${ROUNDTRIP_SECURE} # comment on secret
`;

const STACK = "dev";
const stackUrn = makeUrn(STACK, "demo", "pulumi:pulumi:Stack", "demo-dev");
const providerUrn = makeUrn(STACK, "demo", "pulumi:providers:pulumi-nodejs", "default");
const roomUrn = makeUrn(STACK, "demo", "pulumi-nodejs:dynamic/rooms:ZegoRoom", "lobby", stackUrn);

/** A stack with secret config exported as a secret output and a room with additionalSecretOutputs. */
function stackWithSecrets(): StackState {
  const state = emptyStack();
  state.resources.set(stackUrn, stackEntry(stackUrn, { token: secret("tok-91c2"), plain: 1 }));
  state.resources.set(providerUrn, customEntry(providerUrn, "prov-1"));
  state.resources.set(
    roomUrn,
    customEntry(roomUrn, "lobby", {
      parent: stackUrn,
      provider: `${providerUrn}::prov-1`,
      inputs: { roomName: secret("quiet-55"), nested: secret({ inner: secret("deep-77"), n: 2 }) },
      outputs: { roomName: secret("quiet-55"), attributeSeq: secret(4) },
      additionalSecretOutputs: ["attributeSeq"],
    }),
  );
  return state;
}

describe("engine secrets: Pulumi's passphrase provider", function () {
  this.timeout(60_000);
  let tmp: string;
  let notices: string[];
  const secretsIn = (dir: string, env: NodeJS.ProcessEnv = {}, stackSalt?: string): StackSecrets =>
    new StackSecrets(dir, { env, notice: (m) => notices.push(m), ...(stackSalt ? { stackSalt } : {}) });

  beforeEach(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-secrets-"));
    notices = [];
  });
  afterEach(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("the independent implementation opens Pulumi's own test data", function () {
    pulumiOpenState("password", MANAGER_TEST_SALT);
    assert.throws(() => pulumiOpenState("password123", MANAGER_TEST_SALT));
    assert.equal(
      pulumiDecrypt(pulumiOpenState(ROUNDTRIP_PASSPHRASE, ROUNDTRIP_SALT), ROUNDTRIP_SECURE),
      "secret-value",
    );
  });

  it("engine/passphrase opens the same data, refuses a wrong passphrase, and makes states Pulumi's code opens", function () {
    assert.equal(crypterFromState(ROUNDTRIP_PASSPHRASE, ROUNDTRIP_SALT).decrypt(ROUNDTRIP_SECURE), "secret-value");
    assert.throws(
      () => crypterFromState("password123", MANAGER_TEST_SALT),
      (e: Error) => e instanceof IncorrectPassphraseError && /PULUMI_CONFIG_PASSPHRASE_FILE/.test(e.message),
    );
    const made = newSaltState("round trip");
    assert.match(
      made.state,
      /^v1:[A-Za-z0-9+/]{11}=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/,
      "8-byte salt, 12-byte nonce",
    );
    const key = pulumiOpenState("round trip", made.state);
    const text = 'ünïcode & <json> "quotes"';
    assert.equal(pulumiDecrypt(key, made.crypter.encrypt(text)), text);
    assert.equal(made.crypter.decrypt(pulumiEncrypt(key, text)), text);
  });

  it("reads the passphrase as the CLI does: the variable even when empty, else the file trimmed", function () {
    const file = path.join(tmp, "phrase.txt");
    fs.writeFileSync(file, "  from-file \n");
    assert.deepEqual(
      passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: file })?.phrase,
      "",
    );
    assert.equal(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: file })?.phrase, "from-file");
    assert.equal(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: "" }), undefined);
    assert.throws(
      () => passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: path.join(tmp, "none") }),
      /unable to read PULUMI_CONFIG_PASSPHRASE_FILE/,
    );
  });

  it("an export with secrets passes `pulumi stack import`'s checks and every secret decrypts independently", function () {
    const dir = path.join(tmp, STACK);
    const secrets = secretsIn(dir, { PULUMI_CONFIG_PASSPHRASE: "correct horse" });
    const cp = new Checkpoint(dir, secrets);
    cp.save(stackWithSecrets());
    const text = fs.readFileSync(cp.file, "utf8");
    for (const plain of ["tok-91c2", "quiet-55", "deep-77"]) assert.ok(!text.includes(plain), `${plain} in plain text`);
    const doc = cp.readForExport();
    assert.deepEqual(Object.keys(doc.deployment.secrets_providers ?? {}), ["type", "state"]);
    assert.equal(doc.deployment.secrets_providers?.type, "passphrase");
    const found = pulumiImportCheck(JSON.parse(JSON.stringify(doc)), STACK, "correct horse").sort();
    // A secret inside a secret is sealed unencrypted in its parent's plaintext, as SerializePropertyValue does.
    const nested = JSON.stringify({ inner: { [SIG]: SECRET, ciphertext: JSON.stringify("deep-77") }, n: 2 });
    assert.deepEqual(found, ['"quiet-55"', '"quiet-55"', '"tok-91c2"', "4", nested].sort());
    assert.throws(() => pulumiImportCheck(doc, STACK, "wrong horse"), /incorrect passphrase/);
    assert.throws(() => pulumiImportCheck(doc, "prod", "correct horse"), /from a different stack/);
    assert.equal(secrets.derivations, 1, "one key derivation for the whole save");
    assert.equal(notices.length, 0, "no passphrase file when the variable gives one");
    assert.ok(!fs.existsSync(secrets.passphraseFile));

    const back = new Checkpoint(dir, secretsIn(dir, { PULUMI_CONFIG_PASSPHRASE: "correct horse" })).load();
    assert.deepEqual(back.resources.get(roomUrn)?.inputs, stackWithSecrets().resources.get(roomUrn)?.inputs);
    assert.deepEqual(back.resources.get(stackUrn)?.outputs, { token: secret("tok-91c2"), plain: 1 });
  });

  it("reads a deployment the CLI wrote: its salt state and a ciphertext from Pulumi's own encryption", function () {
    const dir = path.join(tmp, STACK);
    fs.mkdirSync(dir);
    const key = pulumiKey(ROUNDTRIP_PASSPHRASE, ROUNDTRIP_SALT);
    const doc = {
      version: 3,
      deployment: {
        manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "" },
        secrets_providers: { type: "passphrase", state: { salt: ROUNDTRIP_SALT } },
        resources: [
          {
            urn: stackUrn,
            custom: false,
            type: "pulumi:pulumi:Stack",
            outputs: {
              a: { [SIG]: SECRET, ciphertext: pulumiEncrypt(key, '"s3"') },
              b: { [SIG]: SECRET, plaintext: "[1]" },
            },
          },
        ],
      },
    };
    fs.writeFileSync(path.join(dir, "checkpoint.json"), JSON.stringify(doc));
    const wrong = new Checkpoint(dir, secretsIn(dir, { PULUMI_CONFIG_PASSPHRASE: "nope" }));
    assert.throws(() => wrong.load(), /incorrect passphrase.*PULUMI_CONFIG_PASSPHRASE/);
    const none = new Checkpoint(dir, secretsIn(dir));
    assert.throws(
      () => none.load(),
      /passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE/,
    );
    const state = new Checkpoint(dir, secretsIn(dir, { PULUMI_CONFIG_PASSPHRASE: ROUNDTRIP_PASSPHRASE })).load();
    assert.deepEqual(state.resources.get(stackUrn)?.outputs, { a: secret("s3"), b: secret([1]) });
  });

  it("reads `secure:` values of a stack file the CLI wrote, as secret config, and names the variable when the passphrase is wrong", function () {
    fs.writeFileSync(path.join(tmp, "Pulumi.yaml"), "name: foo\nruntime: nodejs\nconfig:\n  d: default\n");
    fs.writeFileSync(path.join(tmp, "Pulumi.test.yaml"), ROUNDTRIP_STACK_FILE);
    const project = loadProject(tmp, "test");
    assert.deepEqual(project.config, { "foo:a": "some-value", "foo:c": '{"a":"A"}' });
    assert.deepEqual(Object.keys(project.secureConfig), ["foo:d"]);
    assert.equal(project.encryptionSalt, ROUNDTRIP_SALT);
    const dir = path.join(tmp, ".pulumi-rooms", "test");
    const right = secretsIn(dir, { PULUMI_CONFIG_PASSPHRASE: ROUNDTRIP_PASSPHRASE }, project.encryptionSalt);
    assert.equal(decryptConfig(project, "foo:d", right), "secret-value");
    assert.throws(
      () => decryptConfig(project, "foo:d", secretsIn(dir, { PULUMI_CONFIG_PASSPHRASE: "wrong" })),
      /Pulumi\.test\.yaml: config foo:d: failed to decrypt with the passphrase from PULUMI_CONFIG_PASSPHRASE: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase/,
    );

    // A structured value with a secure leaf reaches the program as JSON with the leaf decrypted (object.go).
    fs.writeFileSync(
      path.join(tmp, "Pulumi.test.yaml"),
      `encryptionsalt: ${ROUNDTRIP_SALT}\nconfig:\n  foo:o:\n    k:\n      secure: ${ROUNDTRIP_SECURE}\n    n: 1\n`,
    );
    assert.equal(decryptConfig(loadProject(tmp, "test"), "foo:o", right), '{"k":"secret-value","n":1}');
    // The checkpoint's first secret takes the stack file's salt: one derivation serves both.
    const cp = new Checkpoint(dir, right);
    cp.save(stackWithSecrets());
    assert.equal(cp.read().deployment.secrets_providers?.state.salt, ROUNDTRIP_SALT);
    assert.equal(right.derivations, 1);
  });

  it("an operation with a wrong passphrase for a `secure:` value fails before the program runs, naming the variable", async function () {
    fs.writeFileSync(path.join(tmp, "Pulumi.yaml"), "name: foo\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(tmp, "index.js"), "throw new Error('the program must not run');\n");
    fs.writeFileSync(path.join(tmp, "Pulumi.test.yaml"), ROUNDTRIP_STACK_FILE);
    const saved = { phrase: process.env.PULUMI_CONFIG_PASSPHRASE, file: process.env.PULUMI_CONFIG_PASSPHRASE_FILE };
    process.env.PULUMI_CONFIG_PASSPHRASE = "wrong";
    try {
      await assert.rejects(
        runOperation({ operation: "preview", cwd: tmp, stack: "test", write: () => undefined }),
        /Pulumi\.test\.yaml: config foo:d: failed to decrypt with the passphrase from PULUMI_CONFIG_PASSPHRASE: incorrect passphrase/,
      );
    } finally {
      for (const [name, value] of [
        ["PULUMI_CONFIG_PASSPHRASE", saved.phrase],
        ["PULUMI_CONFIG_PASSPHRASE_FILE", saved.file],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it("an old-format checkpoint (its own provider and secrets.key) is migrated on first load, and says so once", function () {
    const dir = path.join(tmp, STACK);
    fs.mkdirSync(dir);
    const oldKey = randomBytes(32);
    fs.writeFileSync(path.join(dir, "secrets.key"), `${oldKey.toString("base64")}\n`, { mode: 0o600 });
    const oldSeal = (text: string): string => {
      const iv = randomBytes(12);
      const c = createCipheriv("aes-256-gcm", oldKey, iv);
      const body = Buffer.concat([c.update(text, "utf8"), c.final()]);
      return `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString("base64")}`;
    };
    const old = {
      version: 3,
      deployment: {
        manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "" },
        secrets_providers: { type: "pulumi-rooms-local", state: { keyFile: "secrets.key" } },
        resources: [
          {
            urn: stackUrn,
            custom: false,
            type: "pulumi:pulumi:Stack",
            outputs: { token: { [SIG]: SECRET, ciphertext: oldSeal('"old-tok"') }, plain: "p" },
          },
        ],
      },
    };
    fs.writeFileSync(path.join(dir, "checkpoint.json"), JSON.stringify(old));
    const state = new Checkpoint(dir, secretsIn(dir)).load();
    assert.deepEqual(state.resources.get(stackUrn)?.outputs, { token: secret("old-tok"), plain: "p" });
    assert.ok(!fs.existsSync(path.join(dir, "secrets.key")), "the old key is removed");
    assert.equal(fs.statSync(path.join(dir, "passphrase")).mode & 0o777, 0o600);
    assert.equal(notices.length, 2, "the passphrase file and the migration, each named once");
    assert.match(
      notices.join("\n"),
      /created .*passphrase[\s\S]*migrated from secrets\.key to Pulumi's passphrase format/,
    );
    const phrase = fs.readFileSync(path.join(dir, "passphrase"), "utf8").trim();
    const migrated = new Checkpoint(dir, secretsIn(dir)).readForExport();
    assert.deepEqual(pulumiImportCheck(migrated, STACK, phrase), ['"old-tok"']);
    notices = [];
    new Checkpoint(dir, secretsIn(dir)).load();
    assert.deepEqual(notices, [], "nothing more to say on the next load");
  });

  it("derives no key for a stack without secrets, and creates no passphrase file", function () {
    const dir = path.join(tmp, STACK);
    const secrets = secretsIn(dir);
    const cp = new Checkpoint(dir, secrets);
    const state = emptyStack();
    state.resources.set(stackUrn, stackEntry(stackUrn, { plain: "x" }));
    cp.save(state);
    cp.load();
    cp.save(cp.load());
    assert.equal(secrets.derivations, 0);
    assert.equal(cp.read().deployment.secrets_providers, undefined);
    assert.deepEqual(fs.readdirSync(dir), ["checkpoint.json"]);
    // A stack file's salt alone costs nothing either: a secure value is decrypted only when asked for.
    fs.writeFileSync(path.join(tmp, "Pulumi.yaml"), "name: foo\nruntime: nodejs\n");
    fs.writeFileSync(path.join(tmp, `Pulumi.${STACK}.yaml`), ROUNDTRIP_STACK_FILE);
    const project = loadProject(tmp, STACK);
    const lazy = secretsIn(dir, {}, project.encryptionSalt);
    new Checkpoint(dir, lazy).save(state);
    assert.equal(lazy.derivations, 0);
  });

  it("keeps the passphrase file it made for later operations, and names the variable when it is overridden wrongly", function () {
    const dir = path.join(tmp, STACK);
    new Checkpoint(dir, secretsIn(dir)).save(stackWithSecrets());
    assert.equal(notices.length, 1);
    const again = new Checkpoint(dir, secretsIn(dir)).load();
    assert.deepEqual(again.resources.get(stackUrn)?.outputs.token, secret("tok-91c2"));
    assert.equal(notices.length, 1, "the file is named once, when created");
    assert.throws(
      () => new Checkpoint(dir, secretsIn(dir, { PULUMI_CONFIG_PASSPHRASE: "other" })).load(),
      /incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE/,
    );
  });
});
