/**
 * The web console while you work (engine/console.ts), through the real CLI on test/fixtures/linked-rooms:
 * `up --serve` keeps the stack's emulator and console running until SIGINT, `console` serves them later on
 * the stack's state file (with the request log of the earlier run) until SIGTERM, each names the stack and
 * URN that declared every room, and the stack stays locked while they serve (an operation is refused naming
 * the console; a console is refused naming a running operation).
 */
import { strict as assert } from "node:assert";
import type { ChildProcessByStdio } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import type { ConsoleView } from "../../emulator/console/view";
import { roomDeclarations } from "../../engine/declarations";
import { StackLock } from "../../engine/stack-lock";
import { REPO, spawnCli, Workspace } from "../support/local-engine";

/** A CLI process that serves the console: its URL once printed, its output so far, its exit. */
class Serving {
  output = "";
  readonly exit: Promise<number | null>;

  constructor(readonly child: ChildProcessByStdio<null, Readable, Readable>) {
    child.stdout.on("data", (c: Buffer) => (this.output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (this.output += c.toString()));
    this.exit = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  }

  /** The console URL, once the process printed it (fails if the process ends first). */
  async url(): Promise<string> {
    for (;;) {
      const url = /^console: (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(this.output)?.[1];
      if (url) return url;
      if (this.child.exitCode !== null)
        assert.fail(`the CLI ended (${this.child.exitCode}) before serving:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("pulumi-rooms-local: up --serve and console", function () {
  this.timeout(240_000);
  const ws = new Workspace(path.join(REPO, "test", "fixtures", "linked-rooms"));
  const serving: Serving[] = [];
  const serve = (...args: string[]): Serving => {
    const s = new Serving(spawnCli([...args, "--cwd", ws.dir, "--stack", ws.stack]));
    serving.push(s);
    return s;
  };
  const view = async (url: string): Promise<ConsoleView> =>
    (await (await fetch(`${url}_emulator/console`)).json()) as ConsoleView;
  /** The declarations as the console shows them, from the stack's checkpoint. */
  const fromCheckpoint = (): ConsoleView["declaredBy"] => {
    const out: ConsoleView["declaredBy"] = { tencent: {}, zego: {} };
    for (const d of roomDeclarations(ws.checkpoint())) out[d.vendor][d.roomId] = [{ stack: ws.stack, urn: d.urn }];
    return out;
  };

  after(function () {
    for (const s of serving) if (s.child.exitCode === null) s.child.kill("SIGKILL");
    ws.remove();
  });

  it("up --serve: after the up, serves the console (each room with the stack and URN that declared it) until SIGINT; an up meanwhile is refused naming the console", async function () {
    const up = serve("up", "--serve");
    const url = await up.url();
    assert.match(up.output, /\+ 4 created/);
    const data = await view(url);
    assert.deepEqual(
      data.rooms.tencent.map((r) => r.RoomId),
      ["linked-a"],
    );
    assert.deepEqual(
      data.rooms.zego.map((r) => r.roomId),
      ["mirror-a"],
    );
    assert.deepEqual(data.declaredBy, {
      tencent: {
        "linked-a": [
          {
            stack: "test",
            urn: "urn:pulumi:test::linked-rooms::rooms-test:index:RoomPair$pulumi-nodejs:dynamic/rooms:TencentRoom::pair-source",
          },
        ],
      },
      zego: {
        "mirror-a": [
          {
            stack: "test",
            urn: "urn:pulumi:test::linked-rooms::rooms-test:index:RoomPair$pulumi-nodejs:dynamic/rooms:ZegoRoom::pair-mirror",
          },
        ],
      },
    });
    assert.deepEqual(data.declaredBy, fromCheckpoint());

    const meanwhile = ws.cli(["up"]);
    assert.equal(meanwhile.code, 1, meanwhile.stderr);
    assert.match(meanwhile.stderr, /stack "test" is locked by `console` \(pid \d+/);

    up.child.kill("SIGINT");
    assert.equal(await up.exit, 0, up.output);
    assert.match(up.output, /console stopped \(SIGINT\)/);
    await assert.rejects(fetch(url), "the emulator stopped with the console");
    assert.equal(fs.existsSync(path.join(ws.stateDir, "lock.json")), false, "the stack lock is released");
    assert.equal(fs.existsSync(path.join(ws.stateDir, "emulator.json.lock")), false, "so is the state file's");
  });

  it("console: serves the stack's emulator on its state file, with the earlier run's request log and the declarations, until SIGTERM", async function () {
    const served = serve("console");
    const url = await served.url();
    const data = await view(url);
    assert.deepEqual(data.declaredBy, fromCheckpoint());
    // (ZEGO's first CreateRoom registers the operator, then tries again: only the successful creates are compared.)
    const created = data.requests.events.filter(
      (e) => (e.action === "create_room" || e.action === "CreateRoom") && e.code === 0,
    );
    assert.deepEqual(created.map((e) => [e.action, e.roomId, e.code]).sort(), [
      ["CreateRoom", "mirror-a", 0],
      ["create_room", "linked-a", 0],
    ]);
    assert.match(served.output, /stack "test": 2 room\(s\) at the emulator/);
    served.child.kill("SIGTERM");
    assert.equal(await served.exit, 0, served.output);
    assert.match(served.output, /console stopped \(SIGTERM\)/);
    assert.equal(fs.existsSync(path.join(ws.stateDir, "lock.json")), false);
  });

  it("console while an operation holds the stack names it; a stack never deployed names `up`; --port is checked", function () {
    const lock = StackLock.acquire(ws.stateDir, "up", ws.stack);
    try {
      const refused = ws.cli(["console"]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        new RegExp(
          `\`up\` \\(pid ${process.pid}\\) is running on stack "test" and its emulator holds the state file: its console is at the URL that operation printed`,
        ),
      );
    } finally {
      lock.release();
    }
    const fresh = new Workspace(path.join(REPO, "test", "fixtures", "linked-rooms"), "never");
    try {
      const none = fresh.cli(["console"]);
      assert.equal(none.code, 2, none.stderr);
      assert.match(
        none.stderr,
        /stack "never" of linked-rooms has no emulator state in .*: run `pulumi-rooms-local up --stack never` first/,
      );
    } finally {
      fresh.remove();
    }
    const port = ws.cli(["console", "--port", "http"]);
    assert.equal(port.code, 2);
    assert.match(port.stderr, /--port must be a port number \(0-65535\), not "http"/);
    const preview = ws.cli(["preview", "--serve"]);
    assert.equal(preview.code, 2, "--serve belongs to up");
    assert.match(preview.stderr, /unknown flag --serve/);
  });
});
