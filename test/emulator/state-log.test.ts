/**
 * The state file's change log (emulator/state-file.ts): after the file exists, a change appends only the
 * rooms it changed; the file plus its log as a crash leaves them restore every room; stop and the next
 * start fold the log into the file; a log of an older generation and a torn last line are ignored; a run
 * that changes nothing writes nothing.
 */
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "../../emulator";
import { zegoGet, zegoPost } from "../support/zego-raw";
import { frameworkSuite, outcome } from "../support/emulator-framework";

/** The log's lines after its header, parsed. */
function logLines(file: string): { vendor: string; room: string; record?: unknown }[] {
  return readFileSync(`${file}.changes.jsonl`, "utf8")
    .split("\n")
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { vendor: string; room: string; record?: unknown });
}

/** The files as a SIGKILL would leave them (no stop: no compaction), copied to a second folder. */
function crashCopy(file: string, into: string): string {
  const copy = join(into, "state.json");
  copyFileSync(file, copy);
  if (existsSync(`${file}.changes.jsonl`)) copyFileSync(`${file}.changes.jsonl`, `${copy}.changes.jsonl`);
  return copy;
}

frameworkSuite("the state file's change log", (bench) => {
  let dir: string;
  const others: Emulator[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emu-state-log-"));
  });
  afterEach(async () => {
    for (const e of others.splice(0)) await e.stop();
    await bench.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("appends only the changed rooms once the file exists; the file and its log after a crash restore every room", async () => {
    const file = join(dir, "state.json");
    const e = await bench.fresh({ stateFile: file });
    assert.equal(await outcome(bench.tCreate(e, "t1")), "0");
    e.flushState();
    const first = readFileSync(file, "utf8");
    assert.ok(first.includes('"t1"'), "the first write creates the whole file");
    assert.ok(!existsSync(`${file}.changes.jsonl`));

    assert.equal(await outcome(bench.tCreate(e, "t2")), "0");
    assert.equal(await outcome(bench.zCreate(e, "z1")), "0");
    assert.equal(await outcome(bench.tSend(e, "destroy_room", { RoomId: "t1" })), "0");
    assert.equal(await outcome(bench.tSend(e, "get_room_info", { RoomId: "t2" })), "0", "a read changes nothing");
    e.flushState();
    assert.equal(readFileSync(file, "utf8"), first, "the file itself is not rewritten");
    assert.deepEqual(
      logLines(file).map((l) => [l.vendor, l.room, l.record !== undefined]),
      [
        ["tencent", "t2", true],
        ["tencent", "t1", false],
        ["zego", "z1", true],
      ],
    );

    const crashed = mkdtempSync(join(dir, "crash-"));
    const copy = crashCopy(file, crashed);
    const restored = await bench.start({ stateFile: copy });
    others.push(restored);
    assert.deepEqual(restored.tencent.rooms(), e.tencent.rooms());
    assert.deepEqual(restored.zego.rooms(), e.zego.rooms());
    await restored.stop();
    assert.ok(!existsSync(`${copy}.changes.jsonl`), "the start compacted the log into the file");
    assert.ok(readFileSync(copy, "utf8").includes('"t2"'));
  });

  /** An emulator on state.json in the test's folder, with Tencent rooms created batch by batch, each batch flushed. */
  async function flushedBatches(...batches: string[][]): Promise<{ file: string; e: Emulator }> {
    const file = join(dir, "state.json");
    const e = await bench.fresh({ stateFile: file });
    for (const batch of batches) {
      for (const id of batch) await bench.tCreate(e, id);
      e.flushState();
    }
    return { file, e };
  }

  it("stop folds the log into the file; a log of the older generation (a crash after compaction's rename) is ignored", async () => {
    const { file, e } = await flushedBatches(["t1"], ["t2"]);
    const stale = readFileSync(`${file}.changes.jsonl`, "utf8");
    await e.stop();
    bench.forget();
    assert.ok(!existsSync(`${file}.changes.jsonl`));

    const second = await bench.fresh({ stateFile: file });
    assert.equal(await outcome(bench.tSend(second, "destroy_room", { RoomId: "t2" })), "0");
    await second.stop();
    bench.forget();
    // The log that named t2 comes back, as if the compaction's removal of it had not happened.
    writeFileSync(`${file}.changes.jsonl`, stale);
    const third = await bench.fresh({ stateFile: file });
    assert.deepEqual(
      third.tencent.rooms().map((r) => r.RoomId),
      ["t1"],
    );
  });

  it("saves changes made behind the client's back (the inspection API) like those made by requests", async function () {
    const file = join(dir, "state.json");
    const e = await bench.fresh({ stateFile: file });
    await bench.tCreate(e, "t1");
    await bench.tCreate(e, "t2");
    await bench.zCreate(e, "z1");
    e.flushState();
    e.tencent.destroyRoom("t1");
    e.tencent.addMember("t2", "user9");
    e.zego.setAttribute("z1", "k", "v");
    e.flushState();
    assert.deepEqual(
      logLines(file).map((l) => [l.vendor, l.room]),
      [
        ["tencent", "t1"],
        ["tencent", "t2"],
        ["zego", "z1"],
      ],
    );
    const restored = await bench.start({ stateFile: crashCopy(file, mkdtempSync(join(dir, "crash-"))) });
    others.push(restored);
    assert.deepEqual(restored.tencent.rooms(), e.tencent.rooms());
    assert.deepEqual(restored.zego.rooms(), e.zego.rooms());
  });

  it("skips a torn last line (a write cut short)", async () => {
    const { file } = await flushedBatches(["t1"], ["t2", "t3"]);
    const copy = crashCopy(file, mkdtempSync(join(dir, "crash-")));
    const log = readFileSync(`${copy}.changes.jsonl`, "utf8");
    writeFileSync(`${copy}.changes.jsonl`, log.slice(0, log.length - 20));
    const restored = await bench.start({ stateFile: copy });
    others.push(restored);
    assert.deepEqual(
      restored.tencent.rooms().map((r) => r.RoomId),
      ["t1", "t2"],
    );
  });

  it("a run that changes nothing writes nothing; a change naming no room (UserRegister) rewrites the whole file", async () => {
    const file = join(dir, "state.json");
    const e = await bench.fresh({ stateFile: file });
    await bench.tCreate(e, "t1");
    await e.stop();
    bench.forget();
    const before = { text: readFileSync(file, "utf8"), mtimeMs: statSync(file).mtimeMs };
    const again = await bench.fresh({ stateFile: file });
    assert.equal((await zegoGet(bench.zegoOf(again), "QueryRoomUserList", { RoomId: "none" })).status, 200);
    await again.stop();
    bench.forget();
    assert.deepEqual({ text: readFileSync(file, "utf8"), mtimeMs: statSync(file).mtimeMs }, before);
    assert.ok(!existsSync(`${file}.changes.jsonl`));

    const third = await bench.fresh({ stateFile: file });
    third.flushState();
    assert.equal(readFileSync(file, "utf8"), before.text, "flushing with nothing changed writes nothing");
    const registered = await zegoPost(bench.zegoOf(third), "UserRegister", { UserInfo: [{ UserId: "someone" }] });
    assert.equal(registered.body.Code, 0);
    third.flushState();
    assert.ok(readFileSync(file, "utf8").includes('"someone"'), "a change naming no room rewrites the whole file");
    assert.ok(!existsSync(`${file}.changes.jsonl`));
  });
});
