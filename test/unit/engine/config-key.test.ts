/**
 * Config keys (engine/config-key.ts): parsed as the Pulumi CLI parses them, a key of the package's
 * namespaces that it does not read refused with the nearest known one (case-insensitively), before an
 * operation runs anything, and the SDK's "missing required configuration" message naming the command that
 * sets the key here.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  checkConfigKeys,
  displayConfigKey,
  explainMissingConfig,
  qualifyConfigKey,
  unknownConfigKey,
} from "../../../engine/config-key";
import { loadProject, ProjectError } from "../../../engine/project";
import { PACKAGE_CONFIG_KEYS } from "../../../provider/config-keys";

describe("unit: engine config keys", function () {
  it("qualifies keys as the CLI does: a bare name is the project's, ns:config:name is ns:name", function () {
    assert.equal(qualifyConfigKey("topic", "proj"), "proj:topic");
    assert.equal(qualifyConfigKey("zego:appId", "proj"), "zego:appId");
    assert.equal(qualifyConfigKey("aws:config:region", "proj"), "aws:region");
    for (const bad of ["a:b:c", ":x", "x:", "a::b"])
      assert.throws(() => qualifyConfigKey(bad, "proj"), /could not parse .* as a configuration key/);
    assert.equal(displayConfigKey("proj:topic", "proj"), "topic");
    assert.equal(displayConfigKey("zego:appId", "proj"), "zego:appId");
  });

  it("knows every key the package reads: both vendors' settings and pulumi-rooms:asOf", function () {
    assert.deepEqual(Object.keys(PACKAGE_CONFIG_KEYS).sort(), ["pulumi-rooms", "tencent", "zego"]);
    assert.deepEqual(PACKAGE_CONFIG_KEYS["pulumi-rooms"], ["pulumi-rooms:asOf"]);
    for (const key of [
      ...Object.values(PACKAGE_CONFIG_KEYS).flat(),
      "proj:anything",
      "emulator:whatever",
      "aws:region",
    ])
      assert.equal(unknownConfigKey(key, "proj"), undefined, key);
  });

  it("names the nearest known key for a misspelt one, case-insensitively too", function () {
    const cases: [string, string][] = [
      ["tencent:sdkAppID", "tencent:sdkAppId"],
      ["pulumi-rooms:asof", "pulumi-rooms:asOf"],
      ["pulumi-rooms:asOff", "pulumi-rooms:asOf"],
      ["zego:serverSecrett", "zego:serverSecret"],
      ["zego:fromUserID", "zego:fromUserId"],
      ["tencent:requestsPerSec", "tencent:requestsPerSecond"],
    ];
    for (const [key, near] of cases)
      assert.match(
        unknownConfigKey(key, "proj") ?? "",
        new RegExp(
          `^unknown config key ${key} \\(did you mean ${near}\\?\\); the \\w[\\w-]* keys pulumi-rooms reads: `,
        ),
        key,
      );
    assert.match(
      unknownConfigKey("tencent:colour", "proj") ?? "",
      /^unknown config key tencent:colour; the tencent keys pulumi-rooms reads: tencent:sdkAppId, tencent:secretKey/,
    );
  });

  it("catches a namespace one typo away, but leaves other namespaces and the project's own alone", function () {
    assert.match(unknownConfigKey("Tencent:sdkAppId", "proj") ?? "", /did you mean tencent:sdkAppId\?/);
    assert.match(unknownConfigKey("zgeo:appId", "proj") ?? "", /did you mean zego:appId\?/);
    assert.match(unknownConfigKey("pulumi-room:asOf", "proj") ?? "", /did you mean pulumi-rooms:asOf\?/);
    assert.equal(unknownConfigKey("tencent-rooms:region", "proj"), undefined, "another package's namespace");
    assert.equal(unknownConfigKey("tencent:region", "tencent"), undefined);
    assert.equal(unknownConfigKey("zeg:appId", "zeg"), undefined, "the project's own namespace");
    assert.equal(unknownConfigKey("zgeo:colour", "proj"), undefined, "not one of the namespace's keys");
  });

  it("refuses a stack file with an unknown key before an operation, naming the file", function () {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-config-key-"));
    try {
      fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: proj\nruntime: nodejs\n");
      fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  proj:topic: x\n  tencent:sdkAppId: '1'\n");
      checkConfigKeys(loadProject(root, "dev"));
      fs.writeFileSync(path.join(root, "Pulumi.dev.yaml"), "config:\n  pulumi-rooms:asof: '2027-01-01'\n");
      assert.throws(
        () => checkConfigKeys(loadProject(root, "dev")),
        (e: Error) =>
          e instanceof ProjectError &&
          /^Pulumi\.dev\.yaml: unknown config key pulumi-rooms:asof \(did you mean pulumi-rooms:asOf\?\)/.test(
            e.message,
          ),
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("turns the SDK's missing-config message into the command that sets the key here", function () {
    const sdk = (key: string, secret = false) =>
      `Missing required configuration variable '${key}'\n\tplease set a value using the command \`pulumi config set${secret ? " --secret " : " "}${key} <value>\``;
    assert.equal(
      explainMissingConfig(sdk("proj:topic"), "proj", "local"),
      "Missing required configuration variable 'proj:topic'\n\tplease set a value using the command `npx pulumi-rooms-local config set topic <value>` (in the project folder; it writes Pulumi.local.yaml)",
    );
    assert.match(
      explainMissingConfig(sdk("tencent:secretKey", true), "proj", "dev"),
      /`npx pulumi-rooms-local config set --secret tencent:secretKey <value> --stack dev` \(in the project folder; it writes Pulumi\.dev\.yaml\)$/,
    );
    assert.equal(explainMissingConfig("something else", "proj", "dev"), "something else");
  });
});
