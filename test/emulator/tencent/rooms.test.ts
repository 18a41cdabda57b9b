/**
 * Tencent emulation: get/update/destroy, owner change, member list and recycling, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { ADMIN, UPDATABLE, expectCode, tencentSuite } from "../../support/tencent-conformance";

tencentSuite("room commands after create", (bench) => {
  describe("get_room_info (trtc.io/document/60704)", () => {
    it("100004: a room that never existed", async () => {
      const r = await bench.call("get_room_info", { RoomId: "nope" });
      expectCode(r, 100004);
      assert.equal(r.body.Response, undefined);
    });
    it("100002: RoomId missing", async () => expectCode(await bench.call("get_room_info", {}), 100002, "RoomId"));
    it("RoomStatus NotStarted before ScheduleStartTime, Running from it; MemberCount counts members", async () => {
      const start = Math.floor(bench.clockMs / 1000) + 600;
      expectCode(await bench.create({ RoomId: "r1", ScheduleStartTime: start }), 0);
      assert.equal((await bench.roomInfo("r1")).RoomStatus, "NotStarted");
      bench.clockMs = start * 1000;
      assert.equal((await bench.roomInfo("r1")).RoomStatus, "Running");
      bench.running().tencent.addMember("r1", "user5");
      bench.running().tencent.addMember("r1", "user5");
      assert.equal((await bench.roomInfo("r1")).MemberCount, 1, "a member counts once");
    });
    it("a room with a password answers IsPasswordEnabled and Password, as the Chinese sample (1690/102881) does; one without carries neither", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      const plain = await bench.roomInfo("r1");
      assert.equal("IsPasswordEnabled" in plain || "Password" in plain, false);
      bench.running().tencent.mutateRoom("r1", { Password: "123456" });
      const locked = await bench.roomInfo("r1");
      assert.equal(locked.IsPasswordEnabled, true);
      assert.equal(locked.Password, "123456");
    });
  });

  describe("update_room_info (trtc.io/document/60705)", () => {
    for (const [field, value] of Object.entries(UPDATABLE)) {
      it(`updates ${field} alone; nothing else changes`, async () => {
        expectCode(
          await bench.create({ RoomId: "r1", MaxMemberCount: 100, TakeSeatMode: "ApplyToTake", CustomInfo: "c" }),
          0,
        );
        const before = await bench.roomInfo("r1");
        expectCode(await bench.call("update_room_info", { RoomInfo: { RoomId: "r1", [field]: value } }), 0);
        assert.deepEqual(await bench.roomInfo("r1"), { ...before, [field]: value });
      });
    }
    it("updates several fields at once", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(await bench.call("update_room_info", { RoomInfo: { RoomId: "r1", ...UPDATABLE } }), 0);
      const info = await bench.roomInfo("r1");
      for (const [field, value] of Object.entries(UPDATABLE)) assert.deepEqual(info[field], value, field);
    });
    /** update_room_info of r1 with `field` set to `value` (and a new name): 100002 naming the field. */
    const refusedUpdate = async (field: string, value: unknown) =>
      expectCode(
        await bench.call("update_room_info", { RoomInfo: { RoomId: "r1", RoomName: "changed", [field]: value } }),
        100002,
        field,
      );
    for (const [field, value] of Object.entries({
      RoomType: "Conference",
      ScheduleStartTime: 1693271355,
      ScheduleEndTime: 1693272355,
      IsSeatEnabled: true,
      MaxSeatCount: 4,
      Owner_Account: "user2",
      ScheduleInviteeList_Account: ["user1"],
    })) {
      it(`100002: ${field} cannot be updated (named in ErrorInfo); nothing changes`, async () => {
        expectCode(await bench.create({ RoomId: "r1" }), 0);
        const before = await bench.roomInfo("r1");
        await refusedUpdate(field, value);
        assert.deepEqual(await bench.roomInfo("r1"), before);
      });
    }
    it("100002: the create rules apply to updated values; nothing changes", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      const before = await bench.roomInfo("r1");
      const bad: [string, unknown][] = [
        ["RoomName", "n".repeat(101)],
        ["MaxMemberCount", 0],
        ["MaxMemberCount", 301],
        ["CustomInfo", "c".repeat(501)],
        ["TakeSeatMode", "None"],
        ["IsAudioDisabled", "yes"],
      ];
      for (const [field, value] of bad) {
        await refusedUpdate(field, value);
      }
      assert.deepEqual(await bench.roomInfo("r1"), before);
    });
    it("100002: RoomInfo missing, or RoomId missing inside it", async () => {
      expectCode(await bench.call("update_room_info", { RoomId: "r1", RoomName: "n" }), 100002, "RoomInfo");
      expectCode(await bench.call("update_room_info", { RoomInfo: { RoomName: "n" } }), 100002, "RoomId");
    });
    it("100002 before 100004: parameters are checked before the room is looked up", async () => {
      expectCode(
        await bench.call("update_room_info", { RoomInfo: { RoomId: "nope", MaxSeatCount: 4 } }),
        100002,
        "MaxSeatCount",
      );
    });
    it("100004: the room does not exist", async () => {
      expectCode(await bench.call("update_room_info", { RoomInfo: { RoomId: "nope", RoomName: "n" } }), 100004);
      assert.deepEqual(bench.running().tencent.rooms(), []);
    });
  });

  describe("destroy_room (trtc.io/document/60706)", () => {
    it("destroys the room; get_room_info and a second destroy_room then answer 100004", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(await bench.call("destroy_room", { RoomId: "r1" }), 0);
      assert.equal(bench.running().tencent.room("r1"), undefined);
      expectCode(await bench.call("get_room_info", { RoomId: "r1" }), 100004);
      expectCode(await bench.call("destroy_room", { RoomId: "r1" }), 100004);
    });
    it("100002: RoomId missing", async () => expectCode(await bench.call("destroy_room", {}), 100002, "RoomId"));
  });

  describe("change_room_owner (trtc.io/document/60713)", () => {
    it("100004: the room does not exist", async () => {
      expectCode(
        await bench.call("change_room_owner", { RoomId: "nope", From_Account: ADMIN, NewOwner_Account: "user4" }),
        100004,
      );
    });
    it("100006: From_Account is not the current owner", async () => {
      expectCode(await bench.create({ RoomId: "r1", Owner_Account: "user2" }), 0);
      bench.running().tencent.addMember("r1", "user4");
      expectCode(
        await bench.call("change_room_owner", { RoomId: "r1", From_Account: "user3", NewOwner_Account: "user4" }),
        100006,
      );
      assert.equal(bench.running().tencent.room("r1")?.Owner_Account, "user2");
    });
    it("100005: the new owner is not a room member (an idle room)", async () => {
      expectCode(await bench.create({ RoomId: "r1", Owner_Account: "user2" }), 0);
      expectCode(
        await bench.call("change_room_owner", { RoomId: "r1", From_Account: "user2", NewOwner_Account: "user4" }),
        100005,
      );
      assert.equal(bench.running().tencent.room("r1")?.Owner_Account, "user2");
    });
    it("100002: From_Account or NewOwner_Account missing", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(
        await bench.call("change_room_owner", { RoomId: "r1", NewOwner_Account: "user4" }),
        100002,
        "From_Account",
      );
      expectCode(
        await bench.call("change_room_owner", { RoomId: "r1", From_Account: ADMIN }),
        100002,
        "NewOwner_Account",
      );
    });
    it("succeeds once the new owner is a member (addMember): owner and roles change", async () => {
      expectCode(await bench.create({ RoomId: "r1", Owner_Account: "user2" }), 0);
      bench.running().tencent.addMember("r1", "user2");
      bench.running().tencent.addMember("r1", "user4");
      expectCode(
        await bench.call("change_room_owner", { RoomId: "r1", From_Account: "user2", NewOwner_Account: "user4" }),
        0,
      );
      assert.equal((await bench.roomInfo("r1")).Owner_Account, "user4");
      const list = await bench.call("get_room_member_list", { RoomId: "r1" });
      assert.deepEqual(
        (list.body.Response?.MemberList as { Member_Account: string; Role: string }[]).map((m) => [
          m.Member_Account,
          m.Role,
        ]),
        [
          ["user2", "Member"],
          ["user4", "Owner"],
        ],
      );
    });
  });

  describe("get_room_member_list (trtc.io/document/60715)", () => {
    it("pages with Count and Next until Next is empty", async () => {
      expectCode(await bench.create({ RoomId: "r1", Owner_Account: "user0" }), 0);
      for (let i = 0; i <= 6; i++) bench.running().tencent.addMember("r1", `user${i}`);
      const seen: string[] = [];
      const nexts: string[] = [];
      let next = "";
      do {
        const r = await bench.call("get_room_member_list", { RoomId: "r1", Count: 3, Next: next });
        expectCode(r, 0);
        const page = r.body.Response as { Next: string; MemberList: { Member_Account: string }[] };
        assert.ok(page.MemberList.length <= 3);
        seen.push(...page.MemberList.map((m) => m.Member_Account));
        next = page.Next;
        nexts.push(next);
      } while (next !== "");
      assert.deepEqual(seen, ["user0", "user1", "user2", "user3", "user4", "user5", "user6"]);
      assert.equal(nexts.length, 3);
    });
    it("Count defaults to 50; members carry Member_Account, Role, NameCard, CustomInfo, Marks", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      bench.running().tencent.addMember("r1", ADMIN);
      for (let i = 1; i <= 59; i++) bench.running().tencent.addMember("r1", `user${i}`);
      const first = await bench.call("get_room_member_list", { RoomId: "r1" });
      const page = first.body.Response as { Next: string; MemberList: Record<string, unknown>[] };
      assert.equal(page.MemberList.length, 50);
      assert.notEqual(page.Next, "");
      assert.deepEqual(page.MemberList[0], {
        Member_Account: ADMIN,
        Role: "Owner",
        NameCard: "",
        CustomInfo: "",
        Marks: [],
      });
      const rest = await bench.call("get_room_member_list", { RoomId: "r1", Next: page.Next });
      const last = rest.body.Response as { Next: string; MemberList: unknown[] };
      assert.deepEqual([last.MemberList.length, last.Next], [10, ""]);
    });
    it("a room created over REST has no members, not even its owner", async () => {
      expectCode(await bench.create({ RoomId: "r1", Owner_Account: "user2" }), 0);
      const r = await bench.call("get_room_member_list", { RoomId: "r1" });
      expectCode(r, 0);
      assert.deepEqual(r.body.Response, { Next: "", MemberList: [] });
      assert.equal((await bench.roomInfo("r1")).MemberCount, 0);
    });
    it("100004: the room does not exist", async () =>
      expectCode(await bench.call("get_room_member_list", { RoomId: "nope" }), 100004));
    it("100002: Count not a positive integer, or a Next that was never returned", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      for (const count of [0, -1, 2.5, "10"])
        expectCode(await bench.call("get_room_member_list", { RoomId: "r1", Count: count }), 100002, "Count");
      expectCode(await bench.call("get_room_member_list", { RoomId: "r1", Next: "abc" }), 100002, "Next");
    });
  });

  describe("recycling (create page: 6 hours after the meeting ends, when nobody is in the room)", () => {
    it("recycleEndedRooms removes empty rooms 6 h after ScheduleEndTime and keeps occupied or younger ones", async () => {
      const start = Math.floor(bench.clockMs / 1000);
      expectCode(await bench.create({ RoomId: "empty", ScheduleStartTime: start, ScheduleEndTime: start + 600 }), 0);
      expectCode(await bench.create({ RoomId: "busy", ScheduleStartTime: start, ScheduleEndTime: start + 600 }), 0);
      expectCode(await bench.create({ RoomId: "later", ScheduleStartTime: start, ScheduleEndTime: start + 7200 }), 0);
      bench.running().tencent.addMember("busy", "user1");
      bench.clockMs = (start + 600 + 6 * 3600 - 1) * 1000;
      assert.deepEqual(bench.running().tencent.recycleEndedRooms(), []);
      bench.clockMs += 1000;
      assert.deepEqual(bench.running().tencent.recycleEndedRooms(), ["empty"]);
      assert.deepEqual(
        bench
          .running()
          .tencent.rooms()
          .map((r) => r.RoomId),
        ["busy", "later"],
      );
      assert.equal(bench.running().tencent.removeMember("busy", "user1"), true);
      assert.deepEqual(bench.running().tencent.recycleEndedRooms(), ["busy"]);
    });
    it("is off by default; autoRecycle applies it on every request", async () => {
      const start = Math.floor(bench.clockMs / 1000);
      expectCode(await bench.create({ RoomId: "r1", ScheduleStartTime: start, ScheduleEndTime: start + 600 }), 0);
      bench.clockMs += (600 + 6 * 3600) * 1000;
      assert.equal((await bench.roomInfo("r1")).RoomStatus, "Running", "rooms stay until destroyed");
      bench.clockMs = start * 1000;
      await bench.fresh({ autoRecycle: true });
      expectCode(await bench.create({ RoomId: "r1", ScheduleStartTime: start, ScheduleEndTime: start + 600 }), 0);
      bench.clockMs += (600 + 6 * 3600) * 1000;
      expectCode(await bench.call("get_room_info", { RoomId: "r1" }), 100004);
    });
  });
});
