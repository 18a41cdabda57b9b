/**
 * What the console shows across runs, at the emulator's level: the request log kept beside the state file
 * (`emulator.requests.jsonl`, bounded by `requestLogCapacity`, loaded at start, emptied by reset), and the
 * rooms' declarations (which stack and resource declared each room: `setDeclarations`, served in the
 * console's data document). The engine's side is test/engine/console.test.ts; the page's
 * is test/browser/console-declarations.test.ts.
 */
import assert from "node:assert/strict";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requestLogPath, startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { view } from "../support/console-http";
import { tencentCall } from "../support/tencent-raw";
import { tempDirPerTest } from "../support/temp-dir";

const URN = (name: string) => `urn:pulumi:dev::my-rooms::pulumi-nodejs:dynamic/rooms:TencentRoom::${name}`;

describe("emulator: the console across runs (request log file, declarations)", () => {
  let dir: string;
  tempDirPerTest("rooms-console-persist-", (d) => (dir = d));
  const stateFile = () => join(dir, "emulator.json");
  const logFile = () => join(dir, "emulator.requests.jsonl");
  const lines = () => readFileSync(logFile(), "utf8").split("\n").filter(Boolean);
  const start = (options: EmulatorOptions = {}) => startEmulator({ stateFile: stateFile(), ...options });
  const create = (emu: Emulator, roomId: string) =>
    tencentCall({ baseUrl: emu.url, ...emu.credentials.tencent }, "create_room", {
      RoomInfo: { RoomId: roomId, RoomType: "Conference" },
    });
  const get = (emu: Emulator, roomId: string) =>
    tencentCall({ baseUrl: emu.url, ...emu.credentials.tencent }, "get_room_info", { RoomId: roomId });
  const pick = (emu: Emulator) => emu.requests().map((e) => [e.seq, e.action, e.roomId, e.code]);

  it("the request log file sits beside the state file", () => {
    assert.equal(requestLogPath("/x/.pulumi-rooms/dev/emulator.json"), "/x/.pulumi-rooms/dev/emulator.requests.jsonl");
    assert.equal(requestLogPath("/x/rooms.state"), "/x/rooms.state.requests.jsonl");
  });

  it("survives a restart: the same events with their seq numbers, in requests() and the console; new ones follow", async () => {
    const first = await start();
    await create(first, "kept");
    await get(first, "missing");
    const before = pick(first);
    assert.deepEqual(before, [
      [1, "create_room", "kept", 0],
      [2, "get_room_info", "missing", 100004],
    ]);
    const firstEvents = first.requests();
    await first.stop();
    assert.equal(lines().length, 2);

    const second = await start();
    try {
      assert.deepEqual(second.requests(), JSON.parse(JSON.stringify(firstEvents)), "every field kept");
      const data = await view(second);
      assert.deepEqual(
        data.requests.events.map((e) => e.seq),
        [1, 2],
      );
      assert.equal(data.requests.latestSeq, 2);
      const counted = data.rates.reduce((n, b) => n + Object.values(b.byApi).reduce((m, s) => m + s.total, 0), 0);
      assert.equal(counted, 2, "the per-second counts are rebuilt from the loaded events");
      await get(second, "kept");
      assert.deepEqual(pick(second).at(-1), [3, "get_room_info", "kept", 0]);
    } finally {
      await second.stop();
    }
    assert.equal(lines().length, 3);
  });

  it("stays bounded by requestLogCapacity, in memory and in the file, across runs", async () => {
    for (const run of [0, 1, 2]) {
      const emu = await start({ requestLogCapacity: 3 });
      try {
        for (let i = 0; i < 5; i++) await get(emu, `r${run}-${i}`);
        assert.deepEqual(
          emu.requests().map((e) => e.roomId),
          [`r${run}-2`, `r${run}-3`, `r${run}-4`],
        );
        assert.equal(emu.requests().at(-1)?.seq, 5 * (run + 1), "seq numbers go on across runs");
      } finally {
        await emu.stop();
      }
      assert.ok(lines().length <= 6, `the file holds ${lines().length} events, at most twice the capacity`);
    }
    const last = await start({ requestLogCapacity: 3 });
    try {
      assert.deepEqual(
        last.requests().map((e) => e.seq),
        [13, 14, 15],
      );
    } finally {
      await last.stop();
    }
  });

  it("reset() empties the file too; a line a crash cut short and lines that are not events are skipped with a note", async () => {
    const emu = await start();
    await create(emu, "a");
    emu.reset();
    await emu.stop();
    assert.deepEqual(lines(), []);

    const seen: string[] = [];
    const good = JSON.stringify({
      seq: 7,
      at: Date.now(),
      vendor: "zego",
      method: "POST",
      action: "CreateRoom",
      roomId: "lobby",
      status: 200,
      code: 0,
      latencyMs: 1.5,
      rateLimited: false,
    });
    writeFileSync(logFile(), `${good}\n{"seq": 8, "at": 1, "vendor": "agora"}\nnot json\n`);
    appendFileSync(logFile(), '{"seq":9,"at":17000000000');
    const again = await start({ log: (line) => seen.push(line) });
    try {
      assert.deepEqual(pick(again), [[7, "CreateRoom", "lobby", 0]]);
      assert.deepEqual(seen, [`emulator: skipped 3 unreadable lines of the request log ${logFile()}`]);
    } finally {
      await again.stop();
    }
  });

  it("an emulator without a state file keeps no request log file", async () => {
    const emu = await startEmulator();
    await create(emu, "a");
    await emu.stop();
    assert.equal(existsSync(logFile()), false);
  });

  describe("declarations (which stack and resource declared each room)", () => {
    it("setDeclarations: the console's data names the stack and URN per room; an empty list forgets a stack, reset does not", async () => {
      const emu = await start();
      await create(emu, "standup");
      emu.setDeclarations("dev", [
        { vendor: "tencent", roomId: "standup", urn: URN("standup") },
        { vendor: "zego", roomId: "lobby", urn: URN("lobby").replace("TencentRoom", "ZegoRoom") },
      ]);
      emu.setDeclarations("prod", [
        { vendor: "tencent", roomId: "standup", urn: URN("standup").replace("dev", "prod") },
      ]);
      const expected = {
        tencent: {
          standup: [
            { stack: "dev", urn: URN("standup") },
            { stack: "prod", urn: URN("standup").replace("dev", "prod") },
          ],
        },
        zego: { lobby: [{ stack: "dev", urn: URN("lobby").replace("TencentRoom", "ZegoRoom") }] },
      };
      try {
        assert.deepEqual((await view(emu)).declaredBy, expected);
        emu.setDeclarations("prod", []);
        assert.deepEqual(Object.keys(emu.declarations()), ["dev"], "an empty list forgets the stack");
        emu.reset();
        assert.deepEqual(Object.keys(emu.declarations()), ["dev"], "reset forgets rooms, not what stacks declare");
        assert.deepEqual((await view(emu)).declaredBy.tencent, { standup: [{ stack: "dev", urn: URN("standup") }] });
      } finally {
        await emu.stop();
      }
      assert.doesNotMatch(
        readFileSync(stateFile(), "utf8"),
        /urn:pulumi/,
        "the checkpoint is their record, not the state file",
      );
    });

    it("a malformed declaration is refused naming the field, and nothing is recorded", async () => {
      const emu = await start();
      try {
        assert.throws(
          () => emu.setDeclarations("dev", [{ vendor: "agora" as "zego", roomId: "x", urn: URN("x") }]),
          /setDeclarations: stack "dev", room 0: vendor must be "tencent" or "zego", not "agora"/,
        );
        assert.throws(
          () => emu.setDeclarations("dev", [{ vendor: "zego", roomId: "x", urn: "standup" }]),
          /urn must be a Pulumi URN \(urn:pulumi:\.\.\.\), not "standup"/,
        );
        assert.throws(
          () => emu.setDeclarations("dev", [{ vendor: "tencent" } as never]),
          /setDeclarations: stack "dev", room 0: roomId must be a non-empty string/,
        );
        assert.deepEqual(emu.declarations(), {}, "nothing was recorded");
      } finally {
        await emu.stop();
      }
    });
  });
});
