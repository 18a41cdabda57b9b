/**
 * Stack config without the Pulumi CLI, through the real `pulumi-rooms-local` process on
 * test/fixtures/missing-config (a program that requires `topic`): a new stack gets its stack file with one
 * line saying so; a missing required value fails naming the key and the command that sets it here; `config
 * set|get|rm` and the list; unknown keys of the package's namespaces refused at `config set` and when an
 * operation loads the stack file. Runs dist/engine/cli.js: `npm run build` first.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLI, REPO, Workspace } from "../support/local-engine";

describe("pulumi-rooms-local config: set, get, rm, new stacks and missing values", function () {
  this.timeout(300_000);
  const project = new Workspace(path.join(REPO, "test", "fixtures", "missing-config"), "dev");
  const stackFile = path.join(project.dir, "Pulumi.dev.yaml");
  const env = { ...process.env, PULUMI_CONFIG_PASSPHRASE: "config-cli-test" };
  const run = (...args: string[]) => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [CLI, ...args, "--cwd", project.dir], { encoding: "utf8", env });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (Date.now() - started) / 1000 };
  };

  after(function () {
    project.remove();
  });

  it("a new stack: its stack file is made, said in one line; the missing required value names the key and the command", function () {
    assert.ok(!fs.existsSync(stackFile));
    const r = run("preview", "--stack", "dev");
    console.log(`      [config-cli] preview with a missing required value failed in ${r.seconds.toFixed(1)}s`);
    assert.equal(r.code, 1, r.stderr);
    assert.equal(
      r.stderr.split("\n")[0],
      'created Pulumi.dev.yaml: a new stack "dev", its config empty (set values with `pulumi-rooms-local config set KEY VALUE --stack dev`)',
    );
    assert.equal(fs.readFileSync(stackFile, "utf8"), "config: {}\n");
    assert.match(r.stderr, /error: Missing required configuration variable 'missing-config:topic'\n/);
    assert.match(
      r.stderr,
      /please set a value using the command `npx pulumi-rooms-local config set topic <value> --stack dev` \(in the project folder; it writes Pulumi\.dev\.yaml\)/,
    );
    assert.doesNotMatch(r.stderr, /`pulumi config set/);
    assert.equal(run("preview", "--stack", "dev").stderr.split("\n")[0]?.startsWith("created"), false, "said once");
  });

  it("config set, get, rm and the list write and read Pulumi.<stack>.yaml; secrets encrypted", function () {
    assert.equal(run("config", "set", "topic", "welcome", "--stack", "dev").code, 0);
    assert.deepEqual(run("config", "get", "topic", "--stack", "dev").stdout, "welcome\n");
    const secret = run("config", "set", "--secret", "zego:serverSecret", "zs-secret", "--stack", "dev");
    assert.equal(secret.code, 0, secret.stderr);
    const text = fs.readFileSync(stackFile, "utf8");
    assert.match(
      text,
      /^encryptionsalt: v1:\S+\nconfig:\n {2}missing-config:topic: welcome\n {2}zego:serverSecret:\n {4}secure: v1:\S+\n$/,
    );
    assert.ok(!text.includes("zs-secret"));
    const list = run("config", "--stack", "dev");
    assert.equal(list.stdout, "KEY                VALUE\ntopic              welcome\nzego:serverSecret  [secret]\n");
    assert.equal(run("config", "get", "zego:serverSecret", "--stack", "dev").stdout, "zs-secret\n");
    assert.deepEqual(JSON.parse(run("config", "--json", "--show-secrets", "--stack", "dev").stdout), {
      "missing-config:topic": { value: "welcome", secret: false },
      "zego:serverSecret": { value: "zs-secret", secret: true },
    });
    assert.equal(run("config", "rm", "zego:serverSecret", "--stack", "dev").code, 0);
    const gone = run("config", "get", "zego:serverSecret", "--stack", "dev");
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /configuration key "zego:serverSecret" not found for stack "dev"/);
  });

  it("refuses keys of the package's namespaces that it does not read, at config set and when an operation loads them", function () {
    const set = run("config", "set", "tencent:sdkAppID", "1400000001", "--stack", "dev");
    assert.equal(set.code, 2);
    assert.match(
      set.stderr,
      /unknown config key tencent:sdkAppID \(did you mean tencent:sdkAppId\?\); the tencent keys pulumi-rooms reads: tencent:sdkAppId, /,
    );
    assert.doesNotMatch(fs.readFileSync(stackFile, "utf8"), /sdkAppID/);
    fs.appendFileSync(stackFile, "  pulumi-rooms:asof: '2027-03-22'\n");
    const op = run("preview", "--stack", "dev");
    assert.equal(op.code, 1);
    assert.match(
      op.stderr,
      /Pulumi\.dev\.yaml: unknown config key pulumi-rooms:asof \(did you mean pulumi-rooms:asOf\?\)/,
    );
  });

  it("with the value set, the program runs and receives it", function () {
    assert.equal(run("config", "rm", "pulumi-rooms:asof", "--stack", "dev").code, 0);
    const r = run("up", "--stack", "dev");
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(run("output", "--json", "--stack", "dev").stdout), {
      lobbyRoomId: "config-lobby",
      lobbyTopic: "welcome",
    });
  });
});
