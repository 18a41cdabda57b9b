/**
 * The journal (engine/journal.ts), its compaction into the checkpoint (engine/checkpoint.ts), the stack
 * lock (engine/stack-lock.ts) and a failed delete-before-replace replacement, without processes: records
 * from a real Deployment over a fake provider are journaled, and a fresh load must equal the live state.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Checkpoint } from "../../engine/checkpoint";
import { Deployment } from "../../engine/deployment";
import { Journal, JOURNAL_FILE, replayJournal } from "../../engine/journal";
import { StackSecrets } from "../../engine/secrets";
import { clearStaleLock, LOCK_FILE, StackLock, StackLockedError } from "../../engine/stack-lock";
import { StateChanges } from "../../engine/state-changes";
import { emptyStack, type StackState } from "../../engine/state";
import type { Goal } from "../../engine/step";
import { secret, type Props } from "../../engine/wire";
import { entry, FakeProvider, stackOf, urnOf } from "../support/fake-provider";

const ENV = { PULUMI_CONFIG_PASSPHRASE: "journal-test" };

function goal(name: string, inputs: Props): Goal {
  return { urn: urnOf(name), type: "pulumi-nodejs:dynamic:Resource", custom: true, inputs };
}

/** A state as JSON keeps it, in a stable order. */
function plain(stack: StackState): unknown {
  const resources = [...stack.resources.values()].sort((a, b) => a.urn.localeCompare(b.urn));
  return JSON.parse(JSON.stringify({ resources, pending: stack.pendingDeletes })) as unknown;
}

describe("engine journal", function () {
  let dir: string;
  const secrets = (): StackSecrets => new StackSecrets(dir, { env: ENV, notice: () => undefined });
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-journal-"));
  });
  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs one `up` of these goals over the checkpoint in `dir`, journaling; returns the live state. */
  async function up(
    goals: Goal[],
    provider = new FakeProvider(),
    close = true,
  ): Promise<{ live: StackState; journal: Journal }> {
    const checkpoint = new Checkpoint(dir, secrets());
    const live = checkpoint.load();
    const journal = new Journal(dir, checkpoint.secrets, checkpoint.base);
    const changes = new StateChanges(live, (c) => journal.append(c));
    const deployment = new Deployment({ changes, provider: async () => provider, preview: false });
    for (const g of goals) await deployment.register(g);
    await deployment.finish();
    if (close) journal.close();
    return { live, journal };
  }

  it("replays records onto the checkpoint to the live state, secrets encrypted on disk, and replays idempotently", async function () {
    const { live } = await up([goal("a", { title: "x", key: secret("s3cret-a") }), goal("b", { title: "y" })]);
    const text = fs.readFileSync(path.join(dir, JOURNAL_FILE), "utf8");
    assert.ok(!text.includes("s3cret-a"), "no secret in plain text in the journal");
    assert.match(text, /"ciphertext":"v1:/);
    const loaded = new Checkpoint(dir, secrets());
    const state = loaded.load();
    assert.ok(loaded.replayed);
    assert.deepEqual(plain(state), plain(live));
    assert.deepEqual(loaded.pending, []);
    // The same journal again over the replayed state (a crash between compaction's rename and the journal's removal).
    replayJournal(path.join(dir, JOURNAL_FILE), state, loaded.base, loaded.secrets);
    assert.deepEqual(plain(state), plain(live));
  });

  it("compaction writes one checkpoint and removes the journal; a journal of the old generation is ignored", async function () {
    const { live } = await up([goal("a", { title: "x" })]);
    const stale = fs.readFileSync(path.join(dir, JOURNAL_FILE), "utf8");
    const cp = new Checkpoint(dir, secrets());
    cp.compact(cp.load());
    assert.ok(!fs.existsSync(path.join(dir, JOURNAL_FILE)));
    // A crash right after the rename: the old journal is back, but names the previous generation.
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), stale);
    const again = new Checkpoint(dir, secrets());
    assert.deepEqual(plain(again.load()), plain(live));
    assert.equal(again.replayed, false);
  });

  it("writes a long string shared by records once (a dynamic provider's __provider) and replays it in place", async function () {
    const shim = `exports.handler = ${"x".repeat(2000)};`;
    const { live } = await up([
      goal("a", { __provider: shim, title: "x", key: secret("s3cret-a") }),
      goal("b", { __provider: shim, title: "y" }),
    ]);
    const text = fs.readFileSync(path.join(dir, JOURNAL_FILE), "utf8");
    assert.equal(text.split(shim).length - 1, 1, "the shim is written once");
    assert.ok(text.length < 2 * shim.length + 1000, `${text.length} bytes for 4 records naming it 6 times`);
    const loaded = new Checkpoint(dir, secrets());
    assert.deepEqual(plain(loaded.load()), plain(live));
  });

  it("a journal of an older generation left beside the checkpoint is replaced by the next run's, which replays", async function () {
    await up([goal("a", { title: "x" })]);
    const stale = fs.readFileSync(path.join(dir, JOURNAL_FILE), "utf8");
    const cp = new Checkpoint(dir, secrets());
    cp.compact(cp.load());
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), stale);
    // The next run ends without compaction (a crash): its records must be found by the one after.
    const { live } = await up([goal("a", { title: "x" }), goal("b", { title: "y" })]);
    const loaded = new Checkpoint(dir, secrets());
    const state = loaded.load();
    assert.ok(loaded.replayed);
    assert.deepEqual(plain(state), plain(live));
  });

  it("a group commit writes its records at once and fsyncs them in the background, one fsync at a time", async function () {
    const checkpoint = new Checkpoint(dir, secrets());
    const live = checkpoint.load();
    const journal = new Journal(dir, checkpoint.secrets, checkpoint.base);
    const changes = new StateChanges(live, (c) => journal.append(c));
    changes.set(entry("a", "1", { roomId: "room-a" }));
    journal.flush();
    // On disk (a killed process loses nothing) before any fsync has completed.
    assert.equal(new Checkpoint(dir, secrets()).load().resources.size, 1);
    assert.equal(journal.stats.fsyncs, 0);
    changes.set(entry("b", "2", { roomId: "room-b" }));
    journal.flush();
    for (let i = 0; i < 200 && journal.stats.fsyncs < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(journal.stats.fsyncs, 2, "the second group's fsync follows the first");
    journal.close();
  });

  it("a begin without its settle is a pending operation, kept in the checkpoint as pending_operations", async function () {
    const checkpoint = new Checkpoint(dir, secrets());
    const live = checkpoint.load();
    const journal = new Journal(dir, checkpoint.secrets, checkpoint.base);
    const changes = new StateChanges(live, (c) => journal.append(c));
    changes.begin("create", entry("a", "", { roomId: "room-a" }));
    journal.close();
    const cp = new Checkpoint(dir, secrets());
    const state = cp.load();
    assert.deepEqual(
      cp.pending.map((p) => [p.call, p.entry.urn]),
      [["create", urnOf("a")]],
    );
    cp.compact(state);
    const doc = cp.read();
    assert.deepEqual(
      doc.deployment.pending_operations?.map((o) => [o.type, o.resource.urn]),
      [["creating", urnOf("a")]],
    );
    const reloaded = new Checkpoint(dir, secrets());
    reloaded.load();
    assert.deepEqual(
      reloaded.pending.map((p) => p.call),
      ["create"],
    );
  });

  it("unchanged resources write nothing", async function () {
    const p = new FakeProvider();
    await up([goal("a", { title: "x" })], p);
    new Checkpoint(dir, secrets()).compact(new Checkpoint(dir, secrets()).load());
    const { journal } = await up([goal("a", { title: "x" })], p);
    assert.equal(journal.stats.records, 0);
    assert.ok(!fs.existsSync(path.join(dir, JOURNAL_FILE)));
  });

  it("a delete-before-replace whose create fails reports the delete and the failed create, and returns no old outputs", async function () {
    const p = new FakeProvider();
    const old = entry("a", "1", { roomId: "r1" });
    const changes = new StateChanges(stackOf(old));
    const deployment = new Deployment({ changes, provider: async () => p, preview: false });
    p.diffAnswer = { changes: "DIFF_SOME", replaces: ["roomId"], deleteBeforeReplace: true };
    p.failing.set("create", new Error("create refused"));
    const outcome = await deployment.register(goal("a", { roomId: "r2" }));
    assert.deepEqual(
      deployment.steps.map((s) => [s.op, Boolean(s.error)]),
      [
        ["delete", false],
        ["create", true],
      ],
    );
    assert.deepEqual(outcome.outputs, {});
    assert.equal(changes.state.resources.has(urnOf("a")), false);
  });

  describe("stack lock", function () {
    it("a live holder refuses a second operation, naming it, and nothing changes", function () {
      const lock = StackLock.acquire(dir, "up", "dev");
      const before = fs.readFileSync(path.join(dir, LOCK_FILE), "utf8");
      assert.throws(
        () => StackLock.acquire(dir, "destroy", "dev"),
        (e: unknown) => e instanceof StackLockedError && !e.stale && /locked by `up` \(pid \d+/.test(e.message),
      );
      assert.throws(() => clearStaleLock(dir, "dev"), /locked by `up`/);
      assert.equal(fs.readFileSync(path.join(dir, LOCK_FILE), "utf8"), before);
      lock.release();
      assert.ok(!fs.existsSync(path.join(dir, LOCK_FILE)));
    });

    it("a lock whose process is gone is stale, with the command that clears it", function () {
      const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
        encoding: "utf8",
      });
      fs.writeFileSync(
        path.join(dir, LOCK_FILE),
        JSON.stringify({
          pid: Number(gone.stdout),
          host: os.hostname(),
          operation: "up",
          started: new Date().toISOString(),
        }),
      );
      assert.throws(
        () => StackLock.acquire(dir, "up", "dev"),
        (e: unknown) =>
          e instanceof StackLockedError && e.stale && /pulumi-rooms-local cancel --stack dev/.test(e.message),
      );
      assert.match(clearStaleLock(dir, "dev"), /removed the stale lock/);
      StackLock.acquire(dir, "up", "dev").release();
    });
  });

  it("an empty stack with no journal loads empty", function () {
    const cp = new Checkpoint(dir, secrets());
    assert.deepEqual(plain(cp.load()), plain(emptyStack()));
    assert.equal(cp.exists, false);
  });
});
