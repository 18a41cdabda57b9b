/**
 * One writer per emulator state file (emulator/state-lock.ts): while an emulator runs on a state file, a
 * second one on the same file is refused naming the holder's pid (it would write its stale copy over the
 * first one's changes at stop); a lock left by a process that is gone is taken over with a note; stop and
 * a failed start release the lock. The lock file underneath (emulator/lock-file.ts) is tested on its own too.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { LockFile, startEmulator, type Emulator } from "../../emulator";
import { tencentCall } from "../support/tencent-raw";

/** Creates a Tencent room through the API; the ErrorCode. */
async function createRoom(emu: Emulator, roomId: string): Promise<number> {
  const answer = await tencentCall({ baseUrl: emu.url, ...emu.credentials.tencent }, "create_room", {
    RoomInfo: { RoomId: roomId, RoomType: "Conference" },
  });
  return answer.body.ErrorCode;
}

/** A process that does nothing until killed: a live pid that is not ours. */
function idleProcess(): ChildProcess {
  return spawn(process.execPath, ["-e", "setInterval(() => undefined, 1000)"], { stdio: "ignore" });
}

/** The pid of a process that has exited (so signal 0 answers ESRCH). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolveExit) => child.on("exit", resolveExit));
  return child.pid as number;
}

describe("emulator: one writer per state file (<stateFile>.lock)", () => {
  let dir: string;
  let file: string;
  const running: Emulator[] = [];
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emu-lock-"));
    file = join(dir, "emulator.json");
  });
  afterEach(async () => {
    for (const emu of running.splice(0)) await emu.stop();
    for (const child of children.splice(0))
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a second emulator on a file in use, naming the holder's pid; the first keeps its changes; stop releases the lock", async () => {
    const first = await startEmulator({ stateFile: file });
    running.push(first);
    const held = JSON.parse(readFileSync(`${file}.lock`, "utf8")) as { pid: number; host: string; startedAt: string };
    assert.deepEqual({ pid: held.pid, host: held.host }, { pid: process.pid, host: hostname() });
    assert.ok(!Number.isNaN(Date.parse(held.startedAt)), held.startedAt);

    await assert.rejects(startEmulator({ stateFile: file }), (err: Error) => {
      assert.match(err.message, new RegExp(`in use by pid ${process.pid} `));
      assert.match(err.message, /stop that one .* or use another --state-file/);
      return true;
    });
    // The refused emulator wrote nothing: the first one's room is what the file keeps.
    assert.equal(await createRoom(first, "made-by-the-first"), 0);
    await first.stop();
    running.splice(0);
    assert.equal(existsSync(`${file}.lock`), false, "stop removes the lock");
    assert.match(readFileSync(file, "utf8"), /"RoomId": "made-by-the-first"/);

    const second = await startEmulator({ stateFile: file });
    running.push(second);
    assert.deepEqual(
      second.tencent.rooms().map((r) => r.RoomId),
      ["made-by-the-first"],
    );
  });

  it("a lock held by another live process refuses; once that process is gone its lock is taken over with a note", async () => {
    const holder = idleProcess();
    children.push(holder);
    await new Promise((resolveSpawn) => holder.once("spawn", resolveSpawn));
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: holder.pid, host: hostname(), startedAt: "2026-01-01T00:00:00.000Z" }),
    );
    await assert.rejects(
      startEmulator({ stateFile: file }),
      new RegExp(`in use by pid ${holder.pid} \\(since 2026-01-01T00:00:00.000Z\\)`),
    );

    holder.kill("SIGKILL");
    await new Promise((resolveExit) => holder.once("exit", resolveExit));
    const notes: string[] = [];
    const emu = await startEmulator({ stateFile: file, log: (line) => notes.push(line) });
    running.push(emu);
    assert.deepEqual(notes, [
      `emulator: took over the lock on ${file}: its holder, pid ${holder.pid} (since 2026-01-01T00:00:00.000Z), is no longer running`,
    ]);
    assert.equal((JSON.parse(readFileSync(`${file}.lock`, "utf8")) as { pid: number }).pid, process.pid);
  });

  it("a stale lock (a pid that no longer exists on this host, e.g. after SIGKILL) is taken over", async () => {
    const pid = await deadPid();
    writeFileSync(`${file}.lock`, JSON.stringify({ pid, host: hostname(), startedAt: new Date().toISOString() }));
    const notes: string[] = [];
    const emu = await startEmulator({ stateFile: file, log: (line) => notes.push(line) });
    running.push(emu);
    assert.equal(notes.length, 1);
    assert.match(notes[0] ?? "", new RegExp(`pid ${pid} .*no longer running`));
    await emu.stop();
    running.splice(0);
    assert.equal(existsSync(`${file}.lock`), false);
  });

  it("a lock from another host is refused (its pid cannot be checked here), naming the host and the lock to delete", async () => {
    writeFileSync(
      `${file}.lock`,
      JSON.stringify({ pid: 4242, host: "elsewhere.example", startedAt: "2026-01-01T00:00:00.000Z" }),
    );
    await assert.rejects(
      startEmulator({ stateFile: file }),
      (err: Error) =>
        err.message.includes("in use by pid 4242 on host elsewhere.example") &&
        err.message.includes(`delete ${file}.lock`),
    );
  });

  it("a start that fails after taking the lock (a corrupt state file) releases it", async () => {
    writeFileSync(file, "{ not json");
    await assert.rejects(startEmulator({ stateFile: file }), /not valid JSON/);
    assert.equal(existsSync(`${file}.lock`), false);
  });

  it("emulators without a state file, or on different files, run side by side", async () => {
    running.push(await startEmulator(), await startEmulator());
    running.push(await startEmulator({ stateFile: file }), await startEmulator({ stateFile: join(dir, "other.json") }));
    assert.equal(running.length, 4);
  });
});

describe("emulator: the lock file itself (emulator/lock-file.ts, also the engine's stack lock)", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "emu-lockfile-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("one holder at a time; release removes only a lock that is still ours", () => {
    const path = join(dir, "x.lock");
    const held = LockFile.create(path, LockFile.thisProcess({ startedAt: "t1" }));
    assert.ok(held);
    assert.equal(LockFile.create(path, LockFile.thisProcess({ startedAt: "t2" })), undefined, "a second holder");
    assert.deepEqual(LockFile.holderIn(LockFile.read(path) ?? ""), {
      pid: process.pid,
      host: hostname(),
      startedAt: "t1",
    });
    // Another holder took the file over (say after deciding this one was gone): releasing must leave it.
    const other = `${JSON.stringify({ pid: 1, host: hostname(), startedAt: "t3" })}\n`;
    writeFileSync(path, other);
    held.release();
    assert.equal(readFileSync(path, "utf8"), other);
    LockFile.remove(path);
    LockFile.remove(path);
    assert.equal(LockFile.read(path), undefined);
  });

  it("names no holder for a lock being written, not JSON, or without a positive pid or a host", () => {
    for (const text of ["", "{", "null", '{"pid":0,"host":"h"}', '{"pid":1.5,"host":"h"}', '{"pid":7}'])
      assert.equal(LockFile.holderIn(text), undefined, text);
  });

  it("a holder is gone only on this host, when no process has its pid", async () => {
    assert.equal(LockFile.gone({ pid: process.pid, host: hostname() }), false);
    assert.equal(LockFile.gone({ pid: await deadPid(), host: hostname() }), true);
    assert.equal(LockFile.gone({ pid: await deadPid(), host: `not-${hostname()}` }), false, "another host: unknown");
  });
});
