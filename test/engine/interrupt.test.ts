/**
 * pulumi-rooms-local interrupted, as the real CLI process on the room-fleet fixture: Ctrl-C, a closed
 * output pipe, SIGKILL at seeded journal records (PULUMI_ROOMS_LOCAL_KILL_AT) during up and destroy, the
 * stale lock that leaves and `cancel`, and the pending operations the next run settles (the room exists:
 * adopted; no room: dropped). After each: every room the emulator holds is in the state exactly once, and
 * no child process is left.
 */
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHILD_MARKER } from "../../engine/child-guard";
import { CLI, REPO, Workspace } from "../support/local-engine";

const FLEET = path.join(REPO, "test", "fixtures", "room-fleet");

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** The CLI as a process; `on(stderr, child)` sees the output as it grows (to signal it, or close its pipe). */
function run(
  ws: Workspace,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  on?: (stderr: string, child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  const child = spawn(process.execPath, [CLI, ...args, "--cwd", ws.dir, "--stack", ws.stack], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c.toString();
    on?.(stderr, child);
  });
  child.stderr.on("error", () => undefined);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal, stderr })));
}

/** Our children (the runtime, the provider host) still running from this workspace. */
function leftovers(ws: Workspace): number[] {
  const out: number[] = [];
  for (const pid of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      if (
        fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(CHILD_MARKER) &&
        fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(ws.dir)
      )
        out.push(Number(pid));
    } catch {
      // Ended meanwhile.
    }
  }
  return out;
}

/** Waits (bounded) for the children of an ended engine to notice and exit. */
async function noLeftovers(ws: Workspace): Promise<void> {
  for (let i = 0; i < 40 && leftovers(ws).length; i++) await new Promise((r) => setTimeout(r, 250));
  assert.deepEqual(leftovers(ws), [], "no child process outlives the engine");
}

/** Every room the emulator holds is in the state exactly once, and the state names no other room. */
async function consistent(ws: Workspace): Promise<string[]> {
  const state = ws.checkpoint();
  const ids = [...state.resources.values(), ...state.pendingDeletes]
    .filter((r) => r.custom && r.id && !r.type?.startsWith("pulumi:providers:"))
    .map((r) => r.id);
  const rooms = await ws.withEmulator((e) => e.tencent.rooms().map((r) => r.RoomId));
  assert.equal(new Set(ids).size, ids.length, `a room twice in the state: ${ids.join(", ")}`);
  assert.deepEqual([...ids].sort(), [...rooms].sort());
  return rooms;
}

/** Runs `args` to completion (exit 0), then checks the state against the emulator; returns the state's room ids. */
async function rerun(ws: Workspace, args: string[]): Promise<string[]> {
  const r = ws.cli(args);
  assert.equal(r.code, 0, r.stderr);
  return consistent(ws);
}

describe("pulumi-rooms-local interrupted: Ctrl-C, closed pipe, SIGKILL, pending operations, the stack lock", function () {
  this.timeout(600_000);
  const fleet = new Workspace(FLEET);
  const single = new Workspace(FLEET);
  after(function () {
    fleet.remove();
    single.remove();
  });

  it("Ctrl-C: no new steps, the ones in flight are saved, 'update cancelled', exit 1; a second operation meanwhile is refused", async function () {
    fleet.config({ count: 40, delayMs: 200 });
    let signalled = false;
    let refused: Run | undefined;
    const done = run(fleet, ["up"], {}, (stderr, child) => {
      if (signalled || !/TencentRoom\s+room-\d+\s+created/.test(stderr)) return;
      signalled = true;
      // A second operation while this one runs, then Ctrl-C once it was refused.
      void run(fleet, ["destroy"]).then((second) => {
        refused = second;
        child.kill("SIGINT");
      });
    });
    const r = await done;
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /SIGINT received: cancelling: waiting for \d+ operations in flight/);
    assert.match(r.stderr, /error: update cancelled/);
    assert.equal(refused?.code, 1);
    assert.match(refused?.stderr ?? "", /stack "test" is locked by `up` \(pid \d+/);
    assert.ok(!fs.existsSync(path.join(fleet.stateDir, "lock.json")), "the lock is released");
    assert.ok(!fs.existsSync(path.join(fleet.stateDir, "journal.jsonl")), "the journal is compacted");
    await noLeftovers(fleet);
    const rooms = await consistent(fleet);
    assert.ok(rooms.length < 40, `cancelled before the end (${rooms.length} rooms)`);
  });

  it("a closed output pipe is handled like Ctrl-C", async function () {
    let closed = false;
    const r = await run(fleet, ["up"], {}, (stderr, child) => {
      if (closed || !/TencentRoom\s+room-\d+\s+created/.test(stderr)) return;
      closed = true;
      child.stderr?.destroy();
    });
    assert.equal(r.code, 1);
    await noLeftovers(fleet);
    await consistent(fleet);
  });

  it("a second signal stops at once (exit 130/143): lock released, no child left, the rerun converges", async function () {
    fleet.config({ count: 20, delayMs: 200 });
    let signalled = false;
    const r = await run(fleet, ["up"], {}, (stderr, child) => {
      if (signalled || !/TencentRoom\s+room-\d+\s+created/.test(stderr)) return;
      signalled = true;
      // Two different signals, so that the kernel cannot merge them into one.
      child.kill("SIGINT");
      child.kill("SIGTERM");
    });
    assert.ok(r.code === 130 || r.code === 143, `${r.code}: ${r.stderr}`);
    assert.ok(!fs.existsSync(path.join(fleet.stateDir, "lock.json")), "the lock is released");
    await noLeftovers(fleet);
    // The rerun needs no time between the rooms (it is not interrupted): 20 x 200 ms less to wait.
    fleet.config({ count: 20 });
    assert.equal((await rerun(fleet, ["up"])).length, 20);
  });

  it("SIGKILL at seeded journal records of up and destroy: after cancel and a rerun, the state matches the emulator", async function () {
    fleet.config({ count: 12 });
    for (const [op, seed] of [
      ["destroy", "3"],
      ["up", "5"],
      ["up", "begin:2"],
      ["destroy", "9"],
    ] as const) {
      const killed = await run(fleet, [op], { PULUMI_ROOMS_LOCAL_KILL_AT: seed });
      if (killed.signal !== "SIGKILL") continue; // The operation had fewer records than the seed.
      await noLeftovers(fleet);
      const stale = fleet.cli([op]);
      assert.match(stale.stderr, /stale lock: `(up|destroy)` \(pid \d+/, stale.stderr);
      assert.match(fleet.cli(["cancel"]).stderr, /removed the stale lock/);
      await rerun(fleet, [op]);
    }
    assert.equal((await rerun(fleet, ["up"])).length, 12);
  });

  it("pending operations: no room -> dropped; the room exists -> adopted; kept as pending_operations meanwhile", async function () {
    single.config({ count: 1 });
    const killed = await run(single, ["up"], { PULUMI_ROOMS_LOCAL_KILL_AT: "begin:1" });
    assert.equal(killed.signal, "SIGKILL");
    await noLeftovers(single);
    single.cli(["cancel"]);
    const dropped = single.cli(["up"]);
    assert.equal(dropped.code, 0, dropped.stderr);
    assert.match(dropped.stderr, /settled pending create of room-0: no room fleet-0, dropped/);
    const created = await consistent(single);
    assert.deepEqual(created, ["fleet-0"]);

    // The room exists but the state lost it with its create pending (a kill after the call returned).
    const file = path.join(single.stateDir, "checkpoint.json");
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as {
      deployment: { resources: { urn: string; id?: string; outputs?: unknown }[]; pending_operations?: unknown[] };
    };
    const at = doc.deployment.resources.findIndex((r) => r.urn.endsWith("::room-0"));
    const [room] = doc.deployment.resources.splice(at, 1);
    delete room?.id;
    delete room?.outputs;
    doc.deployment.pending_operations = [{ resource: room, type: "creating" }];
    fs.writeFileSync(file, JSON.stringify(doc));
    const exported = JSON.parse(single.cli(["export"]).stdout) as {
      deployment: { pending_operations?: { type: string }[] };
    };
    assert.deepEqual(
      exported.deployment.pending_operations?.map((o) => o.type),
      ["creating"],
    );
    const adopted = single.cli(["up"]);
    assert.equal(adopted.code, 0, adopted.stderr);
    assert.match(adopted.stderr, /settled pending create of room-0: the room fleet-0 exists, adopted into state/);
    assert.doesNotMatch(adopted.stderr, /\+ 1 created/);
    assert.deepEqual(await consistent(single), ["fleet-0"]);
    assert.equal(
      (JSON.parse(single.cli(["export"]).stdout) as { deployment: { pending_operations?: unknown } }).deployment
        .pending_operations,
      undefined,
    );
  });

  it("stack outputs never name a room that is gone: a refresh that finds rooms deleted drops them", async function () {
    assert.match(single.cli(["output", "--json"]).stdout, /fleet-0/);
    await single.withEmulator((e) => e.tencent.destroyRoom("fleet-0"));
    const refresh = single.cli(["refresh"]);
    assert.equal(refresh.code, 0, refresh.stderr);
    assert.match(refresh.stderr, /stack outputs dropped/);
    assert.deepEqual(JSON.parse(single.cli(["output", "--json"]).stdout), {});
    assert.deepEqual(await consistent(single), []);
  });
});
