/**
 * pulumi-rooms-local beyond the examples, on a linked pair: a component whose ZegoRoom attributes are
 * computed from a TencentRoom's outputs (real values flow back), a crash in the middle of an `up` (the process
 * killed) and the rerun that converges, `output --json` and `export` from the CLI process, and secrets kept
 * out of the checkpoint. Resource options and the command line are in local-options.test.ts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { SECRET_SIG, SIG_KEY } from "../../engine/wire";
import type { Step } from "../../engine/step";
import { descendants, REPO, spawnCli, Workspace } from "../support/local-engine";
import {
  pulumiEncrypt,
  pulumiImportCheck,
  pulumiOpenState,
  type CheckpointResource,
} from "../support/pulumi-passphrase";

const FIXTURES = path.join(REPO, "test", "fixtures");

type ExportedResource = Omit<CheckpointResource, "delete"> & {
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
};

async function waitFor(what: string, test: () => boolean, log: () => string, ms = 120_000): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; the engine said:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("pulumi-rooms-local: linked rooms, a crash mid-up, output and export", function () {
  this.timeout(600_000);
  const linked = new Workspace(path.join(FIXTURES, "linked-rooms"));
  const seen: Record<string, unknown> = {};

  /** Kills `up` while the program waits between the two rooms, then reruns it. */
  async function crashAndRerun(): Promise<void> {
    linked.config({ delayMs: 120_000 });
    const child = spawnCli(["up", "--cwd", linked.dir, "--stack", linked.stack]);
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    await waitFor(
      "the Tencent room in the state (checkpoint + journal)",
      () =>
        fs.existsSync(path.join(linked.stateDir, "journal.jsonl")) &&
        [...linked.checkpoint().resources.values()].some((r) => r.id === "linked-a"),
      () => stderr,
    );
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
    seen.afterCrash = {
      checkpoint: [...linked.checkpoint().resources.values()].map((r) => r.urn.split("::").pop()),
      rooms: await linked.withEmulator((e) => ({ t: e.tencent.rooms(), z: e.zego.rooms() })),
    };
    linked.config({ delayMs: 0 });
    seen.cancel = linked.cli(["cancel"]);
    seen.rerun = linked.cli(["up"]);
    seen.roomsAfter = await linked.withEmulator((e) => ({
      t: e.tencent.rooms(),
      z: e.zego.rooms(),
      credentials: e.credentials,
    }));
    seen.output = linked.cli(["output", "--json"]);
    seen.outputText = linked.cli(["output"]);
    seen.export = linked.cli(["export"]);
    seen.checkpointText = linked.checkpointText();
    seen.again = await linked.run("up");
    // The new name as `pulumi config set --secret` writes it with the stack's passphrase (Pulumi's format).
    const phrase = stackPassphrase();
    const salt = String(
      (JSON.parse(linked.checkpointText()) as { deployment: { secrets_providers: { state: { salt: string } } } })
        .deployment.secrets_providers.state.salt,
    );
    const secure = pulumiEncrypt(pulumiOpenState(phrase, salt), "Source renamed");
    fs.writeFileSync(
      path.join(linked.dir, `Pulumi.${linked.stack}.yaml`),
      `encryptionsalt: ${salt}\nconfig:\n  linked-rooms:delayMs: 0\n  linked-rooms:roomName:\n    secure: ${secure}\n`,
    );
    seen.edit = await linked.run("up");
    seen.destroy = linked.cli(["destroy"]);
  }

  /** The passphrase the engine uses for the linked stack: the variable when set, else the file it created. */
  function stackPassphrase(): string {
    const file = process.env.PULUMI_CONFIG_PASSPHRASE_FILE || path.join(linked.stateDir, "passphrase");
    return process.env.PULUMI_CONFIG_PASSPHRASE ?? fs.readFileSync(file, "utf8").trim();
  }

  before(async function () {
    const started = Date.now();
    await crashAndRerun();
    console.log(`      [engine-local] crash + reruns in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  after(function () {
    linked.remove();
  });

  it("a crash mid-up keeps what was created; the rerun converges without re-creating it", function () {
    const crash = seen.afterCrash as {
      checkpoint: string[];
      rooms: { t: { RoomId: string; CreateTime: number }[]; z: unknown[] };
    };
    assert.ok(crash.checkpoint.includes("pair-source"), `checkpoint after the kill: ${crash.checkpoint.join(", ")}`);
    assert.ok(!crash.checkpoint.includes("pair-mirror"));
    assert.deepEqual(
      crash.rooms.t.map((r) => r.RoomId),
      ["linked-a"],
    );
    assert.equal(crash.rooms.z.length, 0);
    const rerun = seen.rerun as { code: number; stdout: string; stderr: string };
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(rerun.stdout, "", "progress goes to standard error");
    assert.match(rerun.stderr, /\+ {3}pulumi-nodejs:dynamic\/rooms:ZegoRoom +pair-mirror +created/);
    assert.doesNotMatch(rerun.stderr, /pair-source +created/);
    const after = seen.roomsAfter as { t: { RoomId: string; CreateTime: number }[]; z: { roomId: string }[] };
    assert.equal(after.t.length, 1);
    assert.equal(after.t[0]?.CreateTime, crash.rooms.t[0]?.CreateTime, "the Tencent room was not re-created");
    assert.deepEqual(
      after.z.map((z) => z.roomId),
      ["mirror-a"],
    );
    const again = seen.again as { ok: boolean; steps: Step[] };
    assert.ok(again.ok);
    assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"]);
  });

  it("a ZegoRoom attribute computed from a TencentRoom output holds the real value", function () {
    const after = seen.roomsAfter as {
      t: { CreateTime: number; RoomStatus?: string }[];
      z: { attributes: { key: string; value: string }[] }[];
    };
    const attributes = Object.fromEntries((after.z[0]?.attributes ?? []).map((a) => [a.key, a.value]));
    assert.equal(attributes.sourceCreated, String(after.t[0]?.CreateTime));
    assert.equal(attributes.sourceStatus, "NotStarted");
    // Editing the source (its name a `secure:` value in Pulumi's format) updates it in place; the mirror's inputs do not change.
    const edit = seen.edit as { ok: boolean; steps: Step[] };
    assert.ok(edit.ok);
    assert.deepEqual(
      edit.steps.filter((s) => s.op !== "same").map((s) => `${s.urn.split("::").pop()}:${s.op}`),
      ["pair-source:update"],
    );
  });

  it("output --json prints only JSON: the real outputs, secrets as [secret]", function () {
    const out = seen.output as { code: number; stdout: string; stderr: string };
    assert.equal(out.code, 0, out.stderr);
    const outputs = JSON.parse(out.stdout) as Record<string, unknown>;
    const after = seen.roomsAfter as { t: { CreateTime: number }[] };
    assert.equal(outputs.sourceRoomId, "linked-a");
    assert.equal(outputs.sourceCreateTime, after.t[0]?.CreateTime);
    assert.deepEqual(outputs.mirrorAttributes, {
      sourceCreated: { value: String(after.t[0]?.CreateTime), autoDelete: false },
      sourceStatus: { value: "NotStarted", autoDelete: false },
    });
    assert.equal(outputs.note, "[secret]");
    const text = seen.outputText as { code: number; stdout: string };
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^Current stack outputs \(4\):\n {4}OUTPUT +VALUE\n/);
    assert.match(text.stdout, /sourceRoomId +linked-a/);
  });

  it("export prints a version 3 deployment: stack, component, default provider, rooms with parent and dependencies", function () {
    const ex = seen.export as { code: number; stdout: string; stderr: string };
    assert.equal(ex.code, 0, ex.stderr);
    const doc = JSON.parse(ex.stdout) as {
      version: number;
      deployment: {
        manifest: { time: string; magic: string; version: string };
        resources: ExportedResource[];
        metadata: object;
      };
    };
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
    assert.equal(
      source.urn,
      "urn:pulumi:test::linked-rooms::rooms-test:index:RoomPair$pulumi-nodejs:dynamic/rooms:TencentRoom::pair-source",
    );
    assert.deepEqual([source.custom, source.id, source.parent], [true, "linked-a", pair.urn]);
    assert.equal(provider.type, "pulumi:providers:pulumi-nodejs");
    assert.equal(source.provider, `${provider.urn}::${provider.id}`);
    assert.ok(mirror.dependencies?.includes(source.urn));
    const index = (r: ExportedResource) => doc.deployment.resources.indexOf(r);
    assert.ok(
      index(stack) < index(pair) && index(pair) < index(source) && index(source) < index(mirror),
      "each resource after what it needs",
    );
    // The secret input and its output are ciphertext; no plaintext secret and no credential anywhere.
    for (const value of [source.inputs?.customInfo, source.outputs?.customInfo]) {
      assert.equal((value as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
      assert.match(String((value as Record<string, unknown>).ciphertext), /^v1:/);
    }
    // `pulumi stack import` would take it with the stack's passphrase, and Pulumi's format opens the secret.
    assert.ok(pulumiImportCheck(doc, linked.stack, stackPassphrase()).includes('"note-7f3a9c"'));
    if (process.env.PULUMI_CONFIG_PASSPHRASE === undefined && !process.env.PULUMI_CONFIG_PASSPHRASE_FILE) {
      assert.equal(
        fs.statSync(path.join(linked.stateDir, "passphrase")).mode & 0o777,
        0o600,
        "the engine's passphrase file is owner-only",
      );
    }
    const creds = (
      seen.roomsAfter as { credentials: { tencent: { secretKey: string }; zego: { serverSecret: string } } }
    ).credentials;
    for (const text of [ex.stdout, seen.checkpointText as string]) {
      assert.ok(!text.includes("note-7f3a9c"), "a secret in plain text");
      assert.ok(
        !text.includes(creds.tencent.secretKey) && !text.includes(creds.zego.serverSecret),
        "a credential in the checkpoint",
      );
    }
  });

  it("destroy from the CLI removes every room", function () {
    const d = seen.destroy as { code: number; stderr: string };
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stderr, /- 4 deleted/);
    assert.match(
      d.stderr,
      /ZegoRoom +pair-mirror +deleted[^]*TencentRoom +pair-source +deleted[^]*RoomPair +pair +deleted[^]*Stack +linked-rooms-test +deleted/,
      "dependents first",
    );
  });
});
