/**
 * ZEGO emulation: CreateRoom and DestroyRoom, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { OP, expectCode, zegoSuite } from "../../support/zego-conformance";

zegoSuite("CreateRoom and DestroyRoom", (bench) => {
  describe("CreateRoom (room/create-a-room)", () => {
    it("creates a room: Code 0 and AttributeSeq = the number of attributes, each key's Seq in order", async () => {
      const r = await bench.createRoom("r1", {
        RoomName: "Lobby",
        DestroyDelayTime: 3600,
        Attributes: [
          { Key: "k1", Value: "v1", AutoDelete: 0 },
          { Key: "k2", Value: "v2", AutoDelete: 1 },
        ],
      });
      expectCode(r, 0);
      assert.equal(r.body.AttributeSeq, 2);
      const room = bench.handler.room("r1");
      assert.equal(room?.roomName, "Lobby");
      assert.equal(room?.destroyDelayTime, 3600);
      assert.deepEqual(
        room?.attributes.map((a) => [a.key, a.seq, a.autoDelete]),
        [
          ["k1", 1, false],
          ["k2", 2, true],
        ],
      );
      assert.deepEqual(room?.users, [], "FromUserId is not added to the room");
    });
    it("660500002 (Return codes: operator user not registered): FromUserId not registered (unless requireRegisteredOperator is false)", async () => {
      expectCode(await bench.post("CreateRoom", { FromUserId: "stranger", RoomId: "r1" }), 660500002, "FromUserId");
      bench.fresh({ ratePerSecond: false, requireRegisteredOperator: false });
      expectCode(await bench.post("CreateRoom", { FromUserId: "stranger", RoomId: "r1" }), 0);
    });
    it("the default operator is not pre-registered unless preRegisterOperator; registeredUsers are", async () => {
      bench.fresh({ ratePerSecond: false });
      expectCode(await bench.createRoom("r1"), 660500002);
      bench.fresh({ ratePerSecond: false, preRegisterOperator: true, registeredUsers: ["ops"] });
      expectCode(await bench.createRoom("r1"), 0);
      expectCode(await bench.post("CreateRoom", { FromUserId: "ops", RoomId: "r2" }), 0);
    });
    it("660300014: the room already exists", async () => {
      expectCode(await bench.createRoom("r1"), 0);
      expectCode(await bench.createRoom("r1"), 660300014);
    });
    it("660300015: room count at the quota; destroyed rooms stop counting; an existing room still answers 660300014", async () => {
      bench.fresh({ ratePerSecond: false, roomQuota: 2 });
      bench.handler.registerUser(OP);
      expectCode(await bench.createRoom("r1"), 0);
      expectCode(await bench.createRoom("r2"), 0);
      expectCode(await bench.createRoom("r3"), 660300015);
      expectCode(await bench.createRoom("r1"), 660300014);
      bench.handler.destroyRoom("r2");
      expectCode(await bench.createRoom("r3"), 0);
    });
    it("660000002: FromUserId or RoomId missing, over 32 bytes, or outside the allowed characters", async () => {
      expectCode(await bench.post("CreateRoom", { FromUserId: OP }), 660000002, "RoomId is required");
      expectCode(await bench.post("CreateRoom", { RoomId: "r1" }), 660000002, "FromUserId is required");
      expectCode(await bench.createRoom("r".repeat(33)), 660000002, "RoomId must be at most 32 bytes");
      expectCode(await bench.createRoom("room/1"), 660000002, "RoomId may contain only");
      expectCode(await bench.createRoom(""), 660000002);
      expectCode(await bench.createRoom("r".repeat(32)), 0);
    });
    it("660000002: RoomName over 64 bytes (counted in UTF-8)", async () => {
      expectCode(
        await bench.createRoom("r1", { RoomName: "会".repeat(22) }),
        660000002,
        "RoomName must be at most 64 bytes",
      );
      expectCode(await bench.createRoom("r1", { RoomName: "会".repeat(21) }), 0);
    });
    it("660000002: DestroyDelayTime not an integer in 0..10800", async () => {
      for (const bad of [10801, -1, 1.5, "3600"])
        expectCode(await bench.createRoom("r1", { DestroyDelayTime: bad }), 660000002, "DestroyDelayTime");
      expectCode(await bench.createRoom("r1", { DestroyDelayTime: 10800 }), 0);
    });
    it("660000002: more attributes than maxAttributes (20 by default, configurable)", async () => {
      const attrs = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
      expectCode(
        await bench.createRoom("r1", { Attributes: attrs(21) }),
        660000002,
        "Attributes must have at most 20 items",
      );
      expectCode(await bench.createRoom("r1", { Attributes: attrs(20) }), 0);
      bench.fresh({ ratePerSecond: false, maxAttributes: 16 });
      bench.handler.registerUser(OP);
      expectCode(await bench.createRoom("r2", { Attributes: attrs(17) }), 660000002);
    });
    it("660000002: attribute Key empty or over 16 bytes, Value over 1024 bytes, AutoDelete not 0|1", async () => {
      expectCode(
        await bench.createRoom("r1", { Attributes: [{ Key: "", Value: "v" }] }),
        660000002,
        "Attributes[0].Key must not be empty",
      );
      expectCode(
        await bench.createRoom("r1", {
          Attributes: [
            { Key: "ok", Value: "v" },
            { Key: "k".repeat(17), Value: "v" },
          ],
        }),
        660000002,
        "Attributes[1].Key must be at most 16 bytes",
      );
      expectCode(
        await bench.createRoom("r1", { Attributes: [{ Key: "k", Value: "v".repeat(1025) }] }),
        660000002,
        "Attributes[0].Value",
      );
      expectCode(
        await bench.createRoom("r1", { Attributes: [{ Key: "k", Value: "v", AutoDelete: 2 }] }),
        660000002,
        "Attributes[0].AutoDelete",
      );
      expectCode(
        await bench.createRoom("r1", { Attributes: [{ Key: "k" }] }),
        660000002,
        "Attributes[0].Value is required",
      );
    });
    it("660000002: duplicate attribute keys", async () => {
      expectCode(
        await bench.createRoom("r1", {
          Attributes: [
            { Key: "k", Value: "1" },
            { Key: "k", Value: "2" },
          ],
        }),
        660000002,
        "duplicates",
      );
    });
    it("660000002: keys and values totalling over 5120 bytes", async () => {
      const big = (n: number) =>
        Array.from({ length: n }, (_, i) => ({ Key: `key${i}`.padEnd(16, "x"), Value: "v".repeat(1009) }));
      expectCode(await bench.createRoom("r1", { Attributes: big(5) }), 660000002, "5120");
      expectCode(await bench.createRoom("r1", { Attributes: big(4) }), 0);
    });
    it("no room is left behind by a refused CreateRoom", async () => {
      await bench.createRoom("r1", { Attributes: [{ Key: "k", Value: "v".repeat(1025) }] });
      assert.equal(bench.handler.room("r1"), undefined);
    });
  });

  describe("DestroyRoom (room/destroy-the-room)", () => {
    it("destroys a room (GET, RoomId in the query)", async () => {
      await bench.createRoom("r1");
      expectCode(await bench.get("DestroyRoom", { RoomId: "r1" }), 0);
      assert.equal(bench.handler.room("r1"), undefined);
    });
    it("660300001: the room does not exist (a second DestroyRoom)", async () => {
      await bench.createRoom("r1");
      await bench.get("DestroyRoom", { RoomId: "r1" });
      expectCode(await bench.get("DestroyRoom", { RoomId: "r1" }), 660300001);
    });
    it("660000002: RoomId missing", async () =>
      expectCode(await bench.get("DestroyRoom"), 660000002, "RoomId is required"));
    it("660500002: an optional FromUserId that is not registered", async () => {
      await bench.createRoom("r1");
      expectCode(await bench.get("DestroyRoom", { RoomId: "r1", FromUserId: "stranger" }), 660500002);
      expectCode(await bench.get("DestroyRoom", { RoomId: "r1", FromUserId: OP }), 0);
    });
  });
});
