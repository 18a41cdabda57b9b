/**
 * ZEGO emulation: QueryRoomUserList and the room attribute actions, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { OP, attributes, expectCode, zegoSuite } from "../../support/zego-conformance";

zegoSuite("room users and attributes", (bench) => {
  describe("QueryRoomUserList (room/obtain-information-about-users-in-a-room)", () => {
    it("660300001: the room does not exist", async () =>
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "none" }), 660300001));
    it('a created, never-joined room: Code 0, Count 0, NextFlag "0", empty UserList', async () => {
      await bench.createRoom("r1");
      const r = await bench.get("QueryRoomUserList", { RoomId: "r1" });
      expectCode(r, 0);
      assert.deepEqual([r.body.Count, r.body.NextFlag, r.body.UserList], [0, "0", []]);
    });
    it("pages by Limit with NextFlag, ascending (Mode 0) or descending (Mode 1) by join time", async () => {
      await bench.createRoom("r1");
      for (const u of ["u1", "u2", "u3", "u4", "u5"]) bench.handler.addRoomUser("r1", u, u.toUpperCase());
      const ids: string[] = [];
      let flag = "";
      const flags: string[] = [];
      do {
        const r = await bench.get("QueryRoomUserList", { RoomId: "r1", Limit: 2, NextFlag: flag });
        expectCode(r, 0);
        assert.equal(r.body.Count, 5);
        ids.push(...(r.body.UserList as { UserId: string }[]).map((u) => u.UserId));
        flag = r.body.NextFlag as string;
        flags.push(flag);
      } while (flag !== "0" && flag !== "");
      assert.deepEqual(ids, ["u1", "u2", "u3", "u4", "u5"]);
      assert.deepEqual(flags, ["2", "4", "0"]);
      const desc = await bench.get("QueryRoomUserList", { RoomId: "r1", Mode: 1, Limit: 3 });
      assert.deepEqual(desc.body.UserList, [
        { UserId: "u5", UserName: "U5" },
        { UserId: "u4", UserName: "U4" },
        { UserId: "u3", UserName: "U3" },
      ]);
    });
    it("Limit over 500 means 500; a non-numeric Limit, Mode or NextFlag is 660000002", async () => {
      await bench.createRoom("r1");
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1", Limit: 1000 }), 0);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1", Limit: "many" }), 660000002, "Limit");
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1", Mode: 2 }), 660000002, "Mode");
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1", NextFlag: "abc" }), 660000002, "NextFlag");
    });
    it("660300008: a room in delayed destruction; 660300001 once the delay has run out", async () => {
      await bench.createRoom("r1", { DestroyDelayTime: 60 });
      bench.handler.addRoomUser("r1", "u1");
      bench.handler.setDelayedDestruction("r1");
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1" }), 660300008);
      bench.clockMs += 60_000;
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1" }), 660300001);
    });
    it("the last user leaving: destroyed at once without DestroyDelayTime, delayed with it, revived by a join", async () => {
      await bench.createRoom("now");
      bench.handler.addRoomUser("now", "u1");
      assert.equal(bench.handler.removeRoomUser("now", "u1"), "destroyed");
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "now" }), 660300001);
      await bench.createRoom("later", { DestroyDelayTime: 30 });
      bench.handler.addRoomUser("later", "u1");
      assert.equal(bench.handler.removeRoomUser("later", "u1"), "delayed");
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "later" }), 660300008);
      bench.handler.addRoomUser("later", "u2");
      bench.clockMs += 31_000;
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "later" }), 0);
    });
    it("emptyRoomUserListError: any empty room answers 660300008", async () => {
      bench.fresh({ ratePerSecond: false, emptyRoomUserListError: true, preRegisterOperator: true });
      await bench.createRoom("r1");
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1" }), 660300008);
    });
  });

  describe("QueryRoomAttribute (room/query-room-attributes)", () => {
    it("returns AttributeSeq and Attributes with Key, Value, Seq, AutoDelete", async () => {
      await bench.createRoom("r1", {
        Attributes: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2", AutoDelete: 1 },
        ],
      });
      const r = await bench.post("QueryRoomAttribute", { FromUserId: OP, RoomId: "r1" });
      expectCode(r, 0);
      assert.equal(r.body.AttributeSeq, 2);
      assert.deepEqual(r.body.Attributes, [
        { Key: "a", Value: "1", Seq: 1, AutoDelete: 0 },
        { Key: "b", Value: "2", Seq: 2, AutoDelete: 1 },
      ]);
    });
    // A departure: the page lists no missing-room code; 660300001 is Return codes.mdx's (docs/vendor-sources.md).
    it("660300001: the room does not exist", async () =>
      expectCode(await bench.post("QueryRoomAttribute", { FromUserId: OP, RoomId: "none" }), 660300001));
    it("660500002: FromUserId not registered; 660000002: FromUserId missing", async () => {
      await bench.createRoom("r1");
      expectCode(await bench.post("QueryRoomAttribute", { FromUserId: "stranger", RoomId: "r1" }), 660500002);
      expectCode(await bench.post("QueryRoomAttribute", { RoomId: "r1" }), 660000002);
    });
  });

  describe("ModifyRoomAttribute (room/update-room-attributes)", () => {
    it("Action 0 upserts, Action 1 deletes; AttributeSeq +1 per change; SuccKeyList carries each key's Seq", async () => {
      await bench.createRoom("r1", { Attributes: attributes({ a: "1", b: "2" }) });
      const r = await bench.modify("r1", [
        { Action: 0, Key: "a", Value: "one" },
        { Action: 0, Key: "c", Value: "3", AutoDelete: 1 },
        { Action: 1, Key: "b", Value: "" },
      ]);
      expectCode(r, 0);
      assert.equal(r.body.AttributeSeq, 5);
      assert.deepEqual(r.body.SuccKeyList, [
        { Key: "a", Seq: 3 },
        { Key: "c", Seq: 4 },
        { Key: "b", Seq: 5 },
      ]);
      assert.equal(r.body.ErrKeyList, undefined, "ErrKeyList only on failure");
      const q = await bench.post("QueryRoomAttribute", { FromUserId: OP, RoomId: "r1" });
      assert.deepEqual(q.body.Attributes, [
        { Key: "a", Value: "one", Seq: 3, AutoDelete: 0 },
        { Key: "c", Value: "3", Seq: 4, AutoDelete: 1 },
      ]);
    });
    it("deleting a key that is not there succeeds without a change (idempotent)", async () => {
      await bench.createRoom("r1", { Attributes: [{ Key: "a", Value: "1" }] });
      const r = await bench.modify("r1", [{ Action: 1, Key: "gone" }]);
      expectCode(r, 0);
      assert.deepEqual([r.body.AttributeSeq, r.body.SuccKeyList], [1, [{ Key: "gone", Seq: 1 }]]);
    });
    // The same departure as QueryRoomAttribute's (docs/vendor-sources.md).
    it("660300001: the room does not exist", async () =>
      expectCode(await bench.modify("none", [{ Action: 0, Key: "a", Value: "1" }]), 660300001));
    it("660500002: FromUserId not registered", async () => {
      await bench.createRoom("r1");
      expectCode(
        await bench.post("ModifyRoomAttribute", {
          FromUserId: "stranger",
          RoomId: "r1",
          Attributes: [{ Action: 0, Key: "a", Value: "1" }],
        }),
        660500002,
      );
    });
    it("660000002: Attributes missing or empty, an item without Action or Key, Action not 0|1", async () => {
      await bench.createRoom("r1");
      expectCode(
        await bench.post("ModifyRoomAttribute", { FromUserId: OP, RoomId: "r1" }),
        660000002,
        "Attributes is required",
      );
      expectCode(await bench.modify("r1", []), 660000002);
      expectCode(await bench.modify("r1", [{ Key: "a", Value: "1" }]), 660000002, "Attributes[0].Action is required");
      expectCode(await bench.modify("r1", [{ Action: 2, Key: "a", Value: "1" }]), 660000002, "Attributes[0].Action");
      expectCode(await bench.modify("r1", [{ Action: 0, Value: "1" }]), 660000002, "Attributes[0].Key");
    });
    it("ErrKeyList partial failure with Code 0: a new key beyond maxAttributes, key over 16 bytes, value over 1024 bytes", async () => {
      bench.fresh({ ratePerSecond: false, maxAttributes: 2, preRegisterOperator: true });
      await bench.createRoom("r1", { Attributes: [{ Key: "a", Value: "1" }] });
      const r = await bench.modify("r1", [
        { Action: 0, Key: "b", Value: "2" },
        { Action: 0, Key: "c", Value: "3" },
        { Action: 0, Key: "k".repeat(17), Value: "x" },
        { Action: 0, Key: "a", Value: "v".repeat(1025) },
        { Action: 0, Key: "a", Value: "updated" },
      ]);
      expectCode(r, 0);
      assert.deepEqual(r.body.SuccKeyList, [
        { Key: "b", Seq: 2 },
        { Key: "a", Seq: 3 },
      ]);
      assert.deepEqual(r.body.ErrKeyList, [
        { SubCode: 660000002, Key: "c" },
        { SubCode: 660000002, Key: "k".repeat(17) },
        { SubCode: 660000002, Key: "a" },
      ]);
      assert.deepEqual(
        bench.handler.room("r1")?.attributes.map((a) => [a.key, a.value]),
        [
          ["a", "updated"],
          ["b", "2"],
        ],
      );
    });
    it("ErrKeyList: a write that would take keys and values over 5120 bytes in total", async () => {
      const four = Array.from({ length: 4 }, (_, i) => ({ Key: `k${i}`, Value: "v".repeat(1024) }));
      await bench.createRoom("r1", { Attributes: four });
      const r = await bench.modify("r1", [
        { Action: 0, Key: "k4", Value: "v".repeat(1024) },
        { Action: 0, Key: "k5", Value: "v" },
      ]);
      expectCode(r, 0);
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000002, Key: "k4" }]);
      assert.deepEqual(r.body.SuccKeyList, [{ Key: "k5", Seq: 5 }]);
    });
    it("660000002 as the Code when every item failed, with the ErrKeyList", async () => {
      await bench.createRoom("r1");
      const r = await bench.modify("r1", [{ Action: 0, Key: "k".repeat(17), Value: "x" }]);
      expectCode(r, 660000002, "ErrKeyList");
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000002, Key: "k".repeat(17) }]);
      assert.equal(r.body.SuccKeyList, undefined);
    });
    it("StopOnError 1 stops at the first error and keeps the updates before it", async () => {
      await bench.createRoom("r1");
      bench.handler.failKeys("r1", ["bad"]);
      const r = await bench.modify("r1", [
        { Action: 0, Key: "a", Value: "1", StopOnError: 1 },
        { Action: 0, Key: "bad", Value: "2", StopOnError: 1 },
        { Action: 0, Key: "c", Value: "3", StopOnError: 1 },
      ]);
      expectCode(r, 0);
      assert.deepEqual(r.body.SuccKeyList, [{ Key: "a", Seq: 1 }]);
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000002, Key: "bad" }]);
      assert.deepEqual(
        bench.handler.room("r1")?.attributes.map((a) => a.key),
        ["a"],
      );
      const carryOn = await bench.modify("r1", [
        { Action: 0, Key: "bad", Value: "2" },
        { Action: 0, Key: "c", Value: "3" },
      ]);
      assert.deepEqual(carryOn.body.SuccKeyList, [{ Key: "c", Seq: 2 }], "without StopOnError every item is tried");
    });
    it("failKeys forces a SubCode for chosen keys until cleared; all failing with one SubCode makes it the Code", async () => {
      await bench.createRoom("r1");
      bench.handler.failKeys("r1", ["x", "y"], 660000001);
      const r = await bench.modify("r1", [
        { Action: 0, Key: "x", Value: "1" },
        { Action: 1, Key: "y" },
      ]);
      expectCode(r, 660000001);
      assert.deepEqual(r.body.ErrKeyList, [
        { SubCode: 660000001, Key: "x" },
        { SubCode: 660000001, Key: "y" },
      ]);
      bench.handler.failKeys("r1", []);
      expectCode(await bench.modify("r1", [{ Action: 0, Key: "x", Value: "1" }]), 0);
    });
    it("AutoDelete attributes go when their writer leaves the room", async () => {
      await bench.createRoom("r1", { DestroyDelayTime: 60 });
      bench.handler.addRoomUser("r1", OP);
      bench.handler.addRoomUser("r1", "other");
      await bench.modify("r1", [
        { Action: 0, Key: "mine", Value: "1", AutoDelete: 1 },
        { Action: 0, Key: "kept", Value: "2" },
      ]);
      assert.equal(bench.handler.removeRoomUser("r1", OP), "removed");
      const room = bench.handler.room("r1");
      assert.deepEqual(
        room?.attributes.map((a) => a.key),
        ["kept"],
      );
      assert.equal(room?.attributeSeq, 3);
    });
  });
});
