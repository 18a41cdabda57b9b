/**
 * pulumi-rooms-local beyond the examples: a component whose ZegoRoom attributes are computed from a
 * TencentRoom's outputs (real values flow back), a crash in the middle of an `up` (the process killed)
 * and the rerun that converges, `output --json` and `export` from the CLI process, secrets kept out of the
 * checkpoint, the resource options it honours and one it refuses, and its strict command line.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SECRET_SIG, SIG_KEY } from "../../engine/wire";
import type { Step } from "../../engine/step";
import { CLI, descendants, REPO, spawnCli, Workspace } from "../support/local-engine";
import { pulumiEncrypt, pulumiImportCheck, pulumiOpenState, type CheckpointResource } from "../support/pulumi-passphrase";
import { spawnSync } from "node:child_process";

const FIXTURES = path.join(REPO, "test", "fixtures");

type ExportedResource = Omit<CheckpointResource, "delete"> & { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> };

async function waitFor(what: string, test: () => boolean, log: () => string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the engine said:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("pulumi-rooms-local: linked rooms, a crash mid-up, output and export, options", function () {
  this.timeout(600_000);
  const linked = new Workspace(path.join(FIXTURES, "linked-rooms"));
  const options = new Workspace(path.join(FIXTURES, "room-options"));
  const seen: Record<string, unknown> = {};

  /** Kills `up` while the program waits between the two rooms, then reruns it. */
  async function crashAndRerun(): Promise<void> {
    linked.config({ delayMs: 120_000 });
    const child = spawnCli(["up", "--cwd", linked.dir, "--stack", linked.stack]);
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    await waitFor("the Tencent room in the state (checkpoint + journal)", () => fs.existsSync(path.join(linked.stateDir, "journal.jsonl")) && [...linked.checkpoint().resources.values()].some((r) => r.id === "linked-a"), () => stderr);
    const started = descendants(child.pid as number);
    child.kill("SIGKILL");
    for (const pid of started) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone with its parent.
      }
    }
    await exited;
    seen.afterCrash = { checkpoint: [...linked.checkpoint().resources.values()].map((r) => r.urn.split("::").pop()), rooms: await linked.withEmulator((e) => ({ t: e.tencent.rooms(), z: e.zego.rooms() })) };
    linked.config({ delayMs: 0 });
    seen.cancel = linked.cli(["cancel"]);
    seen.rerun = linked.cli(["up"]);
    seen.roomsAfter = await linked.withEmulator((e) => ({ t: e.tencent.rooms(), z: e.zego.rooms(), credentials: e.credentials }));
    seen.output = linked.cli(["output", "--json"]);
    seen.outputText = linked.cli(["output"]);
    seen.export = linked.cli(["export"]);
    seen.checkpointText = linked.checkpointText();
    seen.again = await linked.run("up");
    // The new name as `pulumi config set --secret` writes it with the stack's passphrase (Pulumi's format).
    const phrase = stackPassphrase();
    const salt = String((JSON.parse(linked.checkpointText()) as { deployment: { secrets_providers: { state: { salt: string } } } }).deployment.secrets_providers.state.salt);
    const secure = pulumiEncrypt(pulumiOpenState(phrase, salt), "Source renamed");
    fs.writeFileSync(path.join(linked.dir, `Pulumi.${linked.stack}.yaml`), `encryptionsalt: ${salt}\nconfig:\n  linked-rooms:delayMs: 0\n  linked-rooms:roomName:\n    secure: ${secure}\n`);
    seen.edit = await linked.run("up");
    seen.destroy = linked.cli(["destroy"]);
  }

  /** The passphrase the engine uses for the linked stack: the variable when set, else the file it created. */
  function stackPassphrase(): string {
    const file = process.env.PULUMI_CONFIG_PASSPHRASE_FILE || path.join(linked.stateDir, "passphrase");
    return process.env.PULUMI_CONFIG_PASSPHRASE ?? fs.readFileSync(file, "utf8").trim();
  }

  async function optionsLifecycle(): Promise<void> {
    seen.optUp = await options.run("up");
    options.config({ topic: "second" });
    seen.optIgnored = await options.run("up");
    seen.optIgnoredRooms = await options.withEmulator((e) => e.zego.rooms().map((r) => [r.roomId, r.attributes.map((a) => `${a.key}=${a.value}`)]));
    seen.optDestroy = await options.run("destroy");
    seen.optAfterDestroy = { state: [...options.checkpoint().resources.values()].map((r) => r.urn.split("::").pop()), rooms: await options.withEmulator((e) => [...e.tencent.rooms().map((r) => r.RoomId), ...e.zego.rooms().map((r) => r.roomId)].sort()) };
    options.config({ useImport: true, chatRoom: true });
    await options.withEmulator((e) => e.tencent.addChatGroup("opt-chat"));
    seen.optImport = await options.run("up");
    options.config({ boom: true });
    seen.optBoom = await options.run("preview");
  }

  before(async function () {
    const started = Date.now();
    await Promise.all([crashAndRerun(), optionsLifecycle()]);
    console.log(`      [engine-local] crash + reruns and options lifecycle in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  after(function () {
    linked.remove();
    options.remove();
  });

  it("a crash mid-up keeps what was created; the rerun converges without re-creating it", function () {
    const crash = seen.afterCrash as { checkpoint: string[]; rooms: { t: { RoomId: string; CreateTime: number }[]; z: unknown[] } };
    assert.ok(crash.checkpoint.includes("pair-source"), `checkpoint after the kill: ${crash.checkpoint.join(", ")}`);
    assert.ok(!crash.checkpoint.includes("pair-mirror"));
    assert.deepEqual(crash.rooms.t.map((r) => r.RoomId), ["linked-a"]);
    assert.equal(crash.rooms.z.length, 0);
    const rerun = seen.rerun as { code: number; stdout: string; stderr: string };
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(rerun.stdout, "", "progress goes to standard error");
    assert.match(rerun.stderr, /\+ {3}pulumi-nodejs:dynamic\/rooms:ZegoRoom +pair-mirror +created/);
    assert.doesNotMatch(rerun.stderr, /pair-source +created/);
    const after = seen.roomsAfter as { t: { RoomId: string; CreateTime: number }[]; z: { roomId: string }[] };
    assert.equal(after.t.length, 1);
    assert.equal(after.t[0]?.CreateTime, crash.rooms.t[0]?.CreateTime, "the Tencent room was not re-created");
    assert.deepEqual(after.z.map((z) => z.roomId), ["mirror-a"]);
    const again = seen.again as { ok: boolean; steps: Step[] };
    assert.ok(again.ok);
    assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"]);
  });

  it("a ZegoRoom attribute computed from a TencentRoom output holds the real value", function () {
    const after = seen.roomsAfter as { t: { CreateTime: number; RoomStatus?: string }[]; z: { attributes: { key: string; value: string }[] }[] };
    const attributes = Object.fromEntries((after.z[0]?.attributes ?? []).map((a) => [a.key, a.value]));
    assert.equal(attributes.sourceCreated, String(after.t[0]?.CreateTime));
    assert.equal(attributes.sourceStatus, "NotStarted");
    // Editing the source (its name a `secure:` value in Pulumi's format) updates it in place; the mirror's inputs do not change.
    const edit = seen.edit as { ok: boolean; steps: Step[] };
    assert.ok(edit.ok);
    assert.deepEqual(edit.steps.filter((s) => s.op !== "same").map((s) => `${s.urn.split("::").pop()}:${s.op}`), ["pair-source:update"]);
  });

  it("output --json prints only JSON: the real outputs, secrets as [secret]", function () {
    const out = seen.output as { code: number; stdout: string; stderr: string };
    assert.equal(out.code, 0, out.stderr);
    const outputs = JSON.parse(out.stdout) as Record<string, unknown>;
    const after = seen.roomsAfter as { t: { CreateTime: number }[] };
    assert.equal(outputs.sourceRoomId, "linked-a");
    assert.equal(outputs.sourceCreateTime, after.t[0]?.CreateTime);
    assert.deepEqual(outputs.mirrorAttributes, { sourceCreated: { value: String(after.t[0]?.CreateTime), autoDelete: false }, sourceStatus: { value: "NotStarted", autoDelete: false } });
    assert.equal(outputs.note, "[secret]");
    const text = seen.outputText as { code: number; stdout: string };
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^Current stack outputs \(4\):\n {4}OUTPUT +VALUE\n/);
    assert.match(text.stdout, /sourceRoomId +linked-a/);
  });

  it("export prints a version 3 deployment: stack, component, default provider, rooms with parent and dependencies", function () {
    const ex = seen.export as { code: number; stdout: string; stderr: string };
    assert.equal(ex.code, 0, ex.stderr);
    const doc = JSON.parse(ex.stdout) as { version: number; deployment: { manifest: { time: string; magic: string; version: string }; resources: ExportedResource[]; metadata: object } };
    assert.equal(doc.version, 3);
    assert.ok(doc.deployment.manifest.magic.match(/^[0-9a-f]{64}$/));
    assert.deepEqual(doc.deployment.metadata, {});
    const byName = (n: string) => doc.deployment.resources.find((r) => r.urn.endsWith(`::${n}`)) as ExportedResource;
    const stack = byName("linked-rooms-test");
    const pair = byName("pair");
    const source = byName("pair-source");
    const mirror = byName("pair-mirror");
    const provider = byName("default");
    assert.equal(stack.type, "pulumi:pulumi:Stack");
    assert.deepEqual([pair.type, pair.custom, pair.parent], ["rooms-test:index:RoomPair", false, stack.urn]);
    assert.ok(pair.outputs?.sourceCreateTime, "the component's registerOutputs are recorded");
    assert.equal(source.urn, "urn:pulumi:test::linked-rooms::rooms-test:index:RoomPair$pulumi-nodejs:dynamic/rooms:TencentRoom::pair-source");
    assert.deepEqual([source.custom, source.id, source.parent], [true, "linked-a", pair.urn]);
    assert.equal(provider.type, "pulumi:providers:pulumi-nodejs");
    assert.equal(source.provider, `${provider.urn}::${provider.id}`);
    assert.ok(mirror.dependencies?.includes(source.urn));
    const index = (r: ExportedResource) => doc.deployment.resources.indexOf(r);
    assert.ok(index(stack) < index(pair) && index(pair) < index(source) && index(source) < index(mirror), "each resource after what it needs");
    // The secret input and its output are ciphertext; no plaintext secret and no credential anywhere.
    for (const value of [source.inputs?.customInfo, source.outputs?.customInfo]) {
      assert.equal((value as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
      assert.match(String((value as Record<string, unknown>).ciphertext), /^v1:/);
    }
    // `pulumi stack import` would take it with the stack's passphrase, and Pulumi's format opens the secret.
    assert.ok(pulumiImportCheck(doc, linked.stack, stackPassphrase()).includes('"note-7f3a9c"'));
    if (process.env.PULUMI_CONFIG_PASSPHRASE === undefined && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
      assert.equal(fs.statSync(path.join(linked.stateDir, "passphrase")).mode & 0o777, 0o600, "the engine's passphrase file is owner-only");
    }
    const creds = (seen.roomsAfter as { credentials: { tencent: { secretKey: string }; zego: { serverSecret: string } } }).credentials;
    for (const text of [ex.stdout, seen.checkpointText as string]) {
      assert.ok(!text.includes("note-7f3a9c"), "a secret in plain text");
      assert.ok(!text.includes(creds.tencent.secretKey) && !text.includes(creds.zego.serverSecret), "a credential in the checkpoint");
    }
  });

  it("destroy from the CLI removes every room", function () {
    const d = seen.destroy as { code: number; stderr: string };
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stderr, /- 4 deleted/);
    assert.match(d.stderr, /ZegoRoom +pair-mirror +deleted[^]*TencentRoom +pair-source +deleted[^]*RoomPair +pair +deleted[^]*Stack +linked-rooms-test +deleted/, "dependents first");
  });

  it("honours retainOnDelete, protect and ignoreChanges", function () {
    const up = seen.optUp as { ok: boolean; steps: Step[] };
    assert.ok(up.ok);
    const ignored = seen.optIgnored as { ok: boolean; steps: Step[] };
    assert.ok(ignored.ok);
    assert.deepEqual([...new Set(ignored.steps.map((s) => s.op))], ["same"], "ignoreChanges keeps the old attributes");
    assert.deepEqual((seen.optIgnoredRooms as [string, string[]][]).find(([id]) => id === "opt-tuned")?.[1], ["topic=first"]);
    const destroy = seen.optDestroy as { ok: boolean; steps: Step[]; lines: string[] };
    assert.equal(destroy.ok, false, "a protected resource fails the destroy");
    assert.match(destroy.steps.find((s) => s.urn.endsWith("::guarded"))?.error?.message ?? "", /protected/);
    const after = seen.optAfterDestroy as { state: string[]; rooms: string[] };
    assert.ok(after.state.includes("guarded") && !after.state.includes("kept") && !after.state.includes("tuned"), after.state.join(","));
    assert.deepEqual(after.rooms, ["opt-guarded", "opt-kept"], "retainOnDelete leaves the room; the protected one stays");
  });

  it("refuses an option it cannot honour, naming it", function () {
    const imp = seen.optImport as { ok: boolean; steps: Step[]; lines: string[] };
    assert.equal(imp.ok, false);
    const step = imp.steps.find((s) => s.urn.endsWith("::imported"));
    assert.match(step?.error?.message ?? "", /resource option import cannot be honoured by pulumi-rooms-local/);
    assert.ok(imp.lines.some((l) => /error: .*import cannot be honoured/.test(l)));
  });

  it("a vendor refusal fails the step with the vendor code, RequestId and hint; the others still land", function () {
    const imp = seen.optImport as { ok: boolean; steps: Step[]; lines: string[] };
    const chat = imp.steps.find((s) => s.urn.endsWith("::chat"));
    assert.equal(chat?.op, "create");
    const line = imp.lines.find((l) => l.includes("100011")) ?? "";
    assert.match(line, /^ {4}error: .*100011.*RequestId/, imp.lines.join("\n"));
    assert.match(line, /Chat group/);
    assert.ok(imp.steps.some((s) => s.urn.endsWith("::kept") && s.op === "create" && !s.error), "the retained room, dropped from state by destroy, is adopted again");
    assert.ok(imp.lines.some((l) => /^error: up failed/.test(l)));
  });

  it("a program that throws fails the operation with its message", function () {
    const boom = seen.optBoom as { ok: boolean; lines: string[] };
    assert.equal(boom.ok, false);
    assert.ok(boom.lines.some((l) => l.includes("boom: the program failed before registering everything")), boom.lines.join("\n"));
  });

  describe("command line", function () {
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 30_000 });

    it("refuses an unknown flag, listing the valid ones", function () {
      const r = cli("up", "--destory");
      assert.equal(r.status, 2);
      assert.match(r.stderr, /unknown flag --destory; valid flags: --cwd DIR, --stack NAME, --help, --diff, --verbose/);
    });

    it("refuses an unknown command and a missing value", function () {
      assert.match(cli("deploy").stderr, /unknown command "deploy"; commands: preview, up, refresh, destroy, output, export/);
      const r = cli("up", "--cwd");
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--cwd needs a value/);
    });

    it("output of a stack never deployed says to run up first; a folder without Pulumi.yaml is named", function () {
      const r = cli("output", "--json", "--cwd", path.join(REPO, "examples", "gitops"), "--stack", "never-deployed");
      assert.equal(r.status, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /has no checkpoint .* run `pulumi-rooms-local up` first/);
      const bad = cli("preview", "--cwd", path.join(REPO, "docs"));
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /no Pulumi.yaml in .*docs: --cwd must be a Pulumi project folder/);
      assert.ok(!fs.existsSync(path.join(REPO, "examples", "gitops", ".pulumi-rooms", "never-deployed")));
    });
  });
});
