/**
 * Stack config without the Pulumi CLI (engine/stack-config.ts): `Pulumi.<stack>.yaml` written as `pulumi
 * config set|rm` writes it, its comments and other keys kept, secrets in the passphrase provider's format
 * checked with the independent implementation in test/support/pulumi-passphrase.ts and against the stack
 * file the CLI wrote in pulumi/pulumi's tests/roundtrip/roundtrip_test.go TestConfigRoundtripComments
 * (passphrase "TestConfigRoundtripComments", `foo:d` = "secret-value"). Each key derivation takes about half
 * a second, so secrets are set in few tests.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { UsageError } from "../../../engine/args";
import {
  getStackConfig,
  initNewStack,
  initStackFile,
  listStackConfig,
  removeStackConfig,
  setStackConfig,
} from "../../../engine/stack-config";
import { pulumiDecrypt, pulumiOpenState } from "../../support/pulumi-passphrase";

const ROUNDTRIP_PASSPHRASE = "TestConfigRoundtripComments";
const ROUNDTRIP_SALT = "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==";
const ROUNDTRIP_SECURE = "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==";

describe("unit: engine stack config (pulumi config set|get|rm)", function () {
  this.timeout(30_000);
  let root: string;
  const file = (stack = "dev") => path.join(root, `Pulumi.${stack}.yaml`);
  const text = (stack = "dev") => fs.readFileSync(file(stack), "utf8");
  const env = (phrase: string) => ({ env: { PULUMI_CONFIG_PASSPHRASE: phrase } });

  beforeEach(function () {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-stack-config-"));
    fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: foo\nruntime: nodejs\nconfig:\n  greeting: hello\n");
  });
  afterEach(function () {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("writes a new stack file as the CLI does: keys qualified with the project, values as strings", function () {
    setStackConfig(root, "dev", "topic", "welcome");
    setStackConfig(root, "dev", "zego:appId", "1234567890");
    setStackConfig(root, "dev", "count", "5");
    assert.equal(text(), 'config:\n  foo:topic: welcome\n  zego:appId: "1234567890"\n  foo:count: "5"\n');
    assert.deepEqual(getStackConfig(root, "dev", "topic"), { value: "welcome", secret: false });
    assert.deepEqual(getStackConfig(root, "dev", "foo:topic"), { value: "welcome", secret: false });
    assert.deepEqual(getStackConfig(root, "dev", "greeting"), { value: "hello", secret: false }, "the project default");
    assert.equal(getStackConfig(root, "dev", "missing"), undefined);
  });

  it("keeps comments, other keys and the spelling of an existing key; rm removes only the key", function () {
    fs.writeFileSync(
      file(),
      "# the dev stack\nconfig:\n  # who owns the rooms\n  topic: old # set by hand\n  zego:fromUserId: ops-bot\nother: kept\n",
    );
    setStackConfig(root, "dev", "foo:topic", "new");
    setStackConfig(root, "dev", "tencent:region", "germany");
    assert.equal(
      text(),
      "# the dev stack\nconfig:\n  # who owns the rooms\n  topic: new # set by hand\n  zego:fromUserId: ops-bot\n  tencent:region: germany\nother: kept\n",
    );
    assert.equal(removeStackConfig(root, "dev", "zego:fromUserId"), true);
    assert.equal(removeStackConfig(root, "dev", "zego:fromUserId"), false);
    assert.equal(
      text(),
      "# the dev stack\nconfig:\n  # who owns the rooms\n  topic: new # set by hand\n  tencent:region: germany\nother: kept\n",
    );
    assert.equal(removeStackConfig(root, "dev", "foo:topic"), true, "the bare key is the project's");
  });

  it("lists every key the program receives, secrets hidden unless asked for", function () {
    fs.writeFileSync(
      file(),
      `encryptionsalt: ${ROUNDTRIP_SALT}\nconfig:\n  foo:a: some-value\n  foo:d:\n    secure: ${ROUNDTRIP_SECURE}\n`,
    );
    assert.deepEqual(listStackConfig(root, "dev"), {
      "foo:a": { value: "some-value", secret: false },
      "foo:d": { value: "[secret]", secret: true },
      "foo:greeting": { value: "hello", secret: false },
    });
    assert.deepEqual(listStackConfig(root, "dev", { showSecrets: true, ...env(ROUNDTRIP_PASSPHRASE) })["foo:d"], {
      value: "secret-value",
      secret: true,
    });
  });

  it("--secret in a CLI-written file: encrypted under its encryptionsalt, which Pulumi's code opens; its comments stay", function () {
    fs.writeFileSync(
      file(),
      `encryptionsalt: ${ROUNDTRIP_SALT}\nconfig:\n  foo:a: some-value\n  foo:c:\n    a: A\n  foo:d:\n    secure: ${ROUNDTRIP_SECURE} # comment on secret\n`,
    );
    setStackConfig(root, "dev", "tencent:secretKey", "s3cr3t", { secret: true, ...env(ROUNDTRIP_PASSPHRASE) });
    const written = text();
    assert.ok(!written.includes("s3cr3t"));
    assert.match(written, /# comment on secret/);
    const doc = parse(written) as { encryptionsalt: string; config: Record<string, unknown> };
    assert.equal(doc.encryptionsalt, ROUNDTRIP_SALT, "the file's salt is kept");
    assert.deepEqual(doc.config["foo:c"], { a: "A" });
    const sealed = doc.config["tencent:secretKey"] as { secure: string };
    assert.equal(pulumiDecrypt(pulumiOpenState(ROUNDTRIP_PASSPHRASE, ROUNDTRIP_SALT), sealed.secure), "s3cr3t");
    assert.deepEqual(getStackConfig(root, "dev", "tencent:secretKey", env(ROUNDTRIP_PASSPHRASE)), {
      value: "s3cr3t",
      secret: true,
    });
  });

  it("--secret in a stack without a salt makes one at the top; without a passphrase, the engine's file", function () {
    const stateDir = path.join(root, ".pulumi-rooms", "dev");
    const notices: string[] = [];
    setStackConfig(root, "dev", "topic", "plain");
    setStackConfig(root, "dev", "zego:serverSecret", "zs-1", {
      secret: true,
      env: {},
      notice: (m) => notices.push(m),
    });
    const written = text();
    assert.match(
      written,
      /^encryptionsalt: v1:[A-Za-z0-9+/]{11}=:v1:\S+\nconfig:\n {2}foo:topic: plain\n {2}zego:serverSecret:\n {4}secure: v1:/,
    );
    const phrase = fs.readFileSync(path.join(stateDir, "passphrase"), "utf8").trim();
    assert.match(notices.join("\n"), /secrets: created .*passphrase/);
    const doc = parse(written) as { encryptionsalt: string; config: Record<string, { secure: string }> };
    const key = pulumiOpenState(phrase, doc.encryptionsalt);
    assert.equal(pulumiDecrypt(key, doc.config["zego:serverSecret"]?.secure ?? ""), "zs-1");
    // The same value set plain again is plain again.
    setStackConfig(root, "dev", "zego:serverSecret", "zs-2", { env: {} });
    assert.deepEqual(getStackConfig(root, "dev", "zego:serverSecret", { env: {} }), { value: "zs-2", secret: false });
  });

  it("refuses a key of the package's namespaces that it does not read, with the nearest one, case-insensitively", function () {
    const refused = (key: string, pattern: RegExp, value = "1") =>
      assert.throws(
        () => setStackConfig(root, "dev", key, value),
        (e: Error) => e instanceof UsageError && pattern.test(e.message),
      );
    refused("tencent:sdkAppID", /unknown config key tencent:sdkAppID \(did you mean tencent:sdkAppId\?\)/);
    refused("pulumi-rooms:asof", /unknown config key pulumi-rooms:asof \(did you mean pulumi-rooms:asOf\?\)/);
    refused("zego:appid", /did you mean zego:appId\?/);
    refused(
      "emulator:zegoRoomQuote",
      /unknown emulator setting emulator:zegoRoomQuote \(did you mean emulator:zegoRoomQuota\?\)/,
    );
    refused("emulator:zegoRoomQuota", /Pulumi.dev.yaml: .*emulator:zegoRoomQuota.*"lots"/, "lots");
    refused("a:b:c", /could not parse "a:b:c" as a configuration key/);
    assert.ok(!fs.existsSync(file()), "nothing written");
    setStackConfig(root, "dev", "pulumi-rooms:asOf", "2027-03-22");
    setStackConfig(root, "dev", "emulator:zegoRoomQuota", "400");
    setStackConfig(root, "dev", "tencent-rooms:region", "x");
    assert.match(text(), /pulumi-rooms:asOf: 2027-03-22\n.*emulator:zegoRoomQuota: "400"/s);
  });

  it("a new stack's file is made with an empty config, as `pulumi stack init`; an existing one is left", function () {
    assert.equal(initNewStack(root, "dev"), file());
    assert.equal(text(), "config: {}\n");
    setStackConfig(root, "dev", "topic", "x");
    assert.equal(text(), "config:\n  foo:topic: x\n");
    assert.equal(initStackFile(root, "dev"), undefined);
    assert.equal(initNewStack(root, "dev"), undefined);
    fs.mkdirSync(path.join(root, ".pulumi-rooms", "used"), { recursive: true });
    assert.equal(initNewStack(root, "used"), undefined, "a stack with state is not new");
    assert.ok(!fs.existsSync(file("used")));
  });
});
