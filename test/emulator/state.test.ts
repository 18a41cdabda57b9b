/**
 * The emulator framework: counters, reset and the state file, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../../emulator";
import { tencentCall } from "../support/tencent-raw";
import { frameworkSuite, outcome } from "../support/emulator-framework";

frameworkSuite("counters, reset and the state file", (bench) => {
  describe("counters and reset", () => {
    it("count requests by action and result; resetCounters clears them", async () => {
      const e = bench.running();
      await bench.tCreate(e, "r1");
      await bench.tCreate(e, "r1");
      await bench.tGet(e, "r1");
      await bench.tGet(e, "none");
      await bench.tSend(e, "get_room_info", { RoomId: "r1" }, { key: "wrong" });
      await bench.tSend(e, "no_such_command", {});
      await bench.zCreate(e, "z1");
      await bench.zCreate(e, "z1");
      assert.deepEqual(e.counters(), {
        create_room: { ok: 1, "100012": 1 },
        get_room_info: { ok: 1, "100004": 1, "70009": 1 },
        unknown: { "60009": 1 },
        CreateRoom: { ok: 1, "660300014": 1 },
      });
      const snapshot = e.counters();
      snapshot.create_room = {};
      assert.deepEqual(e.counters().create_room, { ok: 1, "100012": 1 }, "counters() hands out a copy");
      e.resetCounters();
      assert.deepEqual(e.counters(), {});
      assert.ok(e.tencent.room("r1"), "resetCounters keeps rooms");
    });
    it("reset() forgets rooms of both vendors, users and counters; configuration and credentials stay", async () => {
      const e = await bench.fresh({ zego: { registeredUsers: ["ops"] } });
      const credentials = e.credentials;
      await bench.tCreate(e, "r1");
      await bench.zCreate(e, "z1");
      e.zego.registerUser("temp");
      e.reset();
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms(), e.counters()], [[], [], {}]);
      assert.deepEqual(
        e.zego
          .users()
          .map((u) => u.userId)
          .sort(),
        ["ops", "pulumi-rooms-admin"],
      );
      assert.deepEqual(e.credentials, credentials);
      bench.clockMs += 1000;
      assert.equal(await outcome(bench.tCreate(e, "r1")), "0");
    });
  });

  describe("state file", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "emu-state-"));
    });
    afterEach(async () => {
      await bench.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("a state file in a missing folder is refused at start, naming the folder", async () => {
      const folder = join(dir, "missing");
      await assert.rejects(bench.start({ stateFile: join(folder, "state.json") }), {
        message: `emulator state file ${join(folder, "state.json")}: the folder ${folder} does not exist; create it first (mkdir -p ${folder}) or choose another path`,
      });
      writeFileSync(join(dir, "file"), "");
      await assert.rejects(bench.start({ stateFile: join(dir, "file", "state.json") }), /is not a folder/);
    });
    it("keeps the apps' credentials, so stacks configured before a restart still authenticate", async () => {
      const file = join(dir, "state.json");
      // startEmulator directly: bench.fresh() pins the secrets, and this is about the random per-start ones.
      const first = await startEmulator({ stateFile: file });
      const config = first.stackConfig();
      await first.stop();
      const second = await startEmulator({ stateFile: file });
      try {
        for (const key of [
          "tencent:sdkAppId",
          "tencent:secretKey",
          "tencent:identifier",
          "zego:appId",
          "zego:serverSecret",
          "zego:fromUserId",
        ]) {
          assert.equal(second.stackConfig()[key], config[key], key);
        }
        // A request signed with the first run's key is accepted by the second.
        assert.equal(await outcome(bench.tCreate(second, "after-restart")), "0");
      } finally {
        await second.stop();
      }
      // Explicit options still win over the saved ones.
      const third = await startEmulator({ stateFile: file, tencent: { secretKey: "explicit-key" } });
      try {
        assert.equal(third.credentials.tencent.secretKey, "explicit-key");
        assert.equal(third.credentials.zego.serverSecret, config["zego:serverSecret"]);
      } finally {
        await third.stop();
      }
    });

    it("round trip: rooms of both vendors are back after stop and start with the same file", async () => {
      const file = join(dir, "state.json");
      const first = await bench.fresh({ stateFile: file });
      assert.equal(await outcome(bench.tCreate(first, "t1")), "0");
      assert.equal(
        await outcome(
          bench.tSend(first, "create_room", { RoomInfo: { RoomId: "t2", RoomType: "Conference", RoomName: "Two" } }),
        ),
        "0",
      );
      assert.equal(
        await outcome(
          bench.zSend(first, "CreateRoom", {
            FromUserId: first.credentials.zego.fromUserId,
            RoomId: "z1",
            RoomName: "Zed",
          }),
        ),
        "0",
      );
      first.tencent.addMember("t1", "user9");
      const tencentBefore = first.tencent.rooms();
      const zegoBefore = first.zego.rooms();
      await first.stop();
      bench.forget();
      const saved = JSON.parse(readFileSync(file, "utf8")) as { version: number; vendors: Record<string, unknown> };
      assert.equal(saved.version, 1);
      assert.deepEqual(Object.keys(saved.vendors).sort(), ["tencent", "zego"]);

      const second = await bench.fresh({ stateFile: file });
      assert.deepEqual(second.tencent.rooms(), tencentBefore);
      assert.deepEqual(second.zego.rooms(), zegoBefore);
      const info = await tencentCall(bench.tencentOf(second), "get_room_info", { RoomId: "t2" });
      assert.equal((info.body.Response as { RoomInfo: { RoomName: string } }).RoomInfo.RoomName, "Two");
      assert.equal(await outcome(bench.zCreate(second, "z1")), "660300014");
    });
    it("is written after a change without waiting for stop", async () => {
      const file = join(dir, "state.json");
      const e = await bench.fresh({ stateFile: file });
      await bench.tCreate(e, "t1");
      const deadline = Date.now() + 2000;
      while (!(existsSync(file) && readFileSync(file, "utf8").includes('"t1"')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(readFileSync(file, "utf8").includes('"t1"'), "the state file holds the new room");
    });
    it("a missing file starts empty; a corrupt one is refused with the file named", async () => {
      const missing = await bench.fresh({ stateFile: join(dir, "none.json") });
      assert.deepEqual(missing.tencent.rooms(), []);
      const bad = join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ version: 9 }));
      await assert.rejects(
        bench.start({ stateFile: bad }),
        new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}.*version 1`),
      );
      writeFileSync(bad, "{ not json");
      await assert.rejects(
        bench.start({ stateFile: bad }),
        (err: Error) => err.message.includes(bad) && /not valid JSON/.test(err.message),
      );
      writeFileSync(bad, JSON.stringify({ version: 1 }));
      await assert.rejects(
        bench.start({ stateFile: bad }),
        (err: Error) => err.message.includes(bad) && /vendors/.test(err.message),
      );
    });
    it("a background write that fails is logged, does not crash the process, and the next write recovers", async () => {
      const sub = join(dir, "sub");
      mkdirSync(sub);
      const file = join(sub, "state.json");
      const lines: string[] = [];
      const e = await bench.fresh({ stateFile: file, log: (line) => lines.push(line) });
      rmSync(sub, { recursive: true });
      assert.equal(await outcome(bench.tCreate(e, "t1")), "0");
      // The debounced write (100 ms) fails: the directory is gone. A throw from the timer would be an uncaught exception.
      const deadline = Date.now() + 2000;
      while (!lines.some((l) => l.includes("could not write the state file")) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(
        lines.some((l) => l.includes("could not write the state file")),
        lines.join("\n"),
      );
      mkdirSync(sub);
      await e.stop();
      bench.forget();
      assert.match(readFileSync(file, "utf8"), /"RoomId": "t1"/);
    });
    it("reset() is saved too", async () => {
      const file = join(dir, "state.json");
      const e = await bench.fresh({ stateFile: file });
      await bench.tCreate(e, "t1");
      e.reset();
      await e.stop();
      bench.forget();
      const again = await bench.fresh({ stateFile: file });
      assert.deepEqual(again.tencent.rooms(), []);
    });
  });
});
