/**
 * Tencent emulation: create_room's field rules and codes (trtc.io/document/60707), over loopback HTTP.
 */
import assert from "node:assert/strict";
import { ADMIN, SAMPLE, expectCode, tencentSuite } from "../../support/tencent-conformance";
import { defaultTencentRoomInfo } from "../../support/samples";

tencentSuite("create_room", (bench) => {
  describe("create_room (trtc.io/document/60707)", () => {
    it("accepts the create page's sample request; get_room_info answers every documented field", async () => {
      expectCode(await bench.call("create_room", SAMPLE), 0);
      const info = await bench.roomInfo("room-test");
      // The sample's schedule lies in the past, so the room is Running; creating over REST enters nobody.
      assert.deepEqual(info, {
        ...SAMPLE.RoomInfo,
        RoomStatus: "Running",
        CreateTime: Math.floor(bench.clockMs / 1000),
        MemberCount: 0,
      });
      assert.deepEqual(
        Object.keys(info).sort(),
        [
          "CreateTime",
          "CustomInfo",
          "IsAudioDisabled",
          "IsCloudRecordingDisabled",
          "IsMessageDisabled",
          "IsScreenSharingDisabled",
          "IsSeatEnabled",
          "IsVideoDisabled",
          "MaxMemberCount",
          "MaxSeatCount",
          "MemberCount",
          "Owner_Account",
          "RoomId",
          "RoomName",
          "RoomStatus",
          "RoomType",
          "ScheduleEndTime",
          "ScheduleStartTime",
          "TakeSeatMode",
        ],
        "exactly the fields of the get_room_info page's table (60704)",
      );
    });
    it("defaults: RoomName = RoomId, Owner_Account = the admin, MaxMemberCount 20, end = start + 3600, switches false", async () => {
      expectCode(await bench.create({ RoomId: "plain" }), 0);
      const now = Math.floor(bench.clockMs / 1000);
      assert.deepEqual(await bench.roomInfo("plain"), {
        ...defaultTencentRoomInfo("plain", ADMIN, now),
        RoomStatus: "Running",
        MemberCount: 0,
      });
    });
    it("defaults: ScheduleEndTime is one hour after a given ScheduleStartTime; MaxMemberCount follows defaultMaxMemberCount", async () => {
      await bench.fresh({ defaultMaxMemberCount: 50 });
      const start = Math.floor(bench.clockMs / 1000) + 7200;
      expectCode(await bench.create({ RoomId: "later", ScheduleStartTime: start }), 0);
      const info = await bench.roomInfo("later");
      assert.deepEqual(
        [info.ScheduleStartTime, info.ScheduleEndTime, info.RoomStatus, info.MaxMemberCount],
        [start, start + 3600, "NotStarted", 50],
      );
    });
    it("100002: RoomInfo missing or not an object", async () => {
      expectCode(await bench.call("create_room", {}), 100002, "RoomInfo");
      expectCode(await bench.call("create_room", { RoomInfo: "room-test" }), 100002, "RoomInfo");
      expectCode(await bench.call("create_room", { RoomInfo: ["room-test"] }), 100002, "RoomInfo");
    });
    it("100002: RoomId missing, empty or not a string", async () => {
      await bench.expectFieldError({}, "RoomId");
      await bench.expectFieldError({ RoomId: "" }, "RoomId");
      await bench.expectFieldError({ RoomId: 42 }, "RoomId");
    });
    it("100002: RoomId over 48 bytes, counted in UTF-8 (48 bytes pass)", async () => {
      await bench.expectFieldError({ RoomId: "a".repeat(49) }, "RoomId");
      await bench.expectFieldError({ RoomId: "房".repeat(16) + "a" }, "RoomId");
      await bench.expectFieldError({ RoomId: "房".repeat(17) }, "RoomId");
      await bench.expectCreated({ RoomId: "a".repeat(48) });
      await bench.expectCreated({ RoomId: "房".repeat(16) });
      assert.equal((await bench.roomInfo("房".repeat(16))).RoomId, "房".repeat(16));
    });
    it("100002: RoomName over 100 bytes (100 pass), or not a string", async () => {
      await bench.expectFieldError({ RoomId: "r1", RoomName: "n".repeat(101) }, "RoomName");
      await bench.expectFieldError({ RoomId: "r1", RoomName: "名".repeat(34) }, "RoomName");
      await bench.expectFieldError({ RoomId: "r1", RoomName: 7 }, "RoomName");
      await bench.expectCreated({ RoomId: "r1", RoomName: "名".repeat(33) + "n" });
    });
    it("100002: RoomType missing or other than Conference", async () => {
      bench.clockMs += 1000;
      expectCode(await bench.call("create_room", { RoomInfo: { RoomId: "r1" } }), 100002, "RoomType");
      for (const type of ["Live", "conference", "Meeting", ""])
        await bench.expectFieldError({ RoomId: "r1", RoomType: type }, "RoomType");
    });
    it("100002: MaxMemberCount not an integer, 0, or over the package (300; configurable)", async () => {
      for (const bad of [1.5, "20", 0, -1, 301, true])
        await bench.expectFieldError({ RoomId: "r1", MaxMemberCount: bad }, "MaxMemberCount");
      await bench.expectCreated({ RoomId: "r1", MaxMemberCount: 300 });
      await bench.expectCreated({ RoomId: "r2", MaxMemberCount: 1 });
      await bench.fresh({ packageMaxMemberCount: 50 });
      await bench.expectFieldError({ RoomId: "r3", MaxMemberCount: 51 }, "MaxMemberCount");
      await bench.expectCreated({ RoomId: "r3", MaxMemberCount: 50 });
    });
    it("100002: MaxSeatCount not an integer in 1..the package's seat limit", async () => {
      for (const bad of [0, 21, 2.5, "16"])
        await bench.expectFieldError({ RoomId: "r1", MaxSeatCount: bad }, "MaxSeatCount");
      await bench.expectCreated({ RoomId: "r1", MaxSeatCount: 20 });
    });
    it("100002: a meeting shorter than 5 minutes (300 s pass) or longer than 24 hours (86400 s pass)", async () => {
      const start = Math.floor(bench.clockMs / 1000) + 60;
      await bench.expectFieldError(
        { RoomId: "r1", ScheduleStartTime: start, ScheduleEndTime: start + 299 },
        "ScheduleEndTime",
      );
      await bench.expectFieldError(
        { RoomId: "r1", ScheduleStartTime: start, ScheduleEndTime: start - 3600 },
        "ScheduleEndTime",
      );
      await bench.expectFieldError(
        { RoomId: "r1", ScheduleStartTime: start, ScheduleEndTime: start + 86401 },
        "ScheduleEndTime",
      );
      await bench.expectFieldError(
        { RoomId: "r1", ScheduleEndTime: Math.floor(bench.clockMs / 1000) + 100 },
        "ScheduleEndTime",
      );
      await bench.expectCreated({ RoomId: "r1", ScheduleStartTime: start, ScheduleEndTime: start + 300 });
      await bench.expectCreated({ RoomId: "r2", ScheduleStartTime: start, ScheduleEndTime: start + 86400 });
    });
    it("100002: schedule times that are not integers", async () => {
      await bench.expectFieldError({ RoomId: "r1", ScheduleStartTime: "1693271355" }, "ScheduleStartTime");
      await bench.expectFieldError({ RoomId: "r1", ScheduleEndTime: 1693272355.5 }, "ScheduleEndTime");
    });
    it("100002: CustomInfo over 500 bytes (500 pass), counted in UTF-8", async () => {
      await bench.expectFieldError({ RoomId: "r1", CustomInfo: "c".repeat(501) }, "CustomInfo");
      await bench.expectFieldError({ RoomId: "r1", CustomInfo: "é".repeat(251) }, "CustomInfo");
      await bench.expectCreated({ RoomId: "r1", CustomInfo: "é".repeat(250) });
    });
    it("100002: a Bool field sent with another JSON type", async () => {
      // The sample sets every Bool field of RoomInfo (the five switches and IsSeatEnabled) to true.
      const switches = Object.keys(SAMPLE.RoomInfo).filter(
        (k) => typeof SAMPLE.RoomInfo[k as keyof typeof SAMPLE.RoomInfo] === "boolean",
      );
      assert.equal(switches.length, 6);
      for (const field of switches) {
        for (const bad of ["true", 1, 0, null]) await bench.expectFieldError({ RoomId: "r1", [field]: bad }, field);
      }
      await bench.expectCreated({ RoomId: "r1", ...Object.fromEntries(switches.map((f) => [f, true])) });
    });
    it("100002: TakeSeatMode other than FreeToTake or ApplyToTake", async () => {
      for (const bad of ["None", "freeToTake", "", 1])
        await bench.expectFieldError({ RoomId: "r1", TakeSeatMode: bad }, "TakeSeatMode");
      await bench.expectCreated({ RoomId: "r1", TakeSeatMode: "FreeToTake" });
      await bench.expectCreated({ RoomId: "r2", TakeSeatMode: "ApplyToTake" });
    });
    it("100002: more than 300 scheduled invitees (300 pass)", async () => {
      const list = (n: number) => Array.from({ length: n }, (_, i) => `user${i}`);
      await bench.expectFieldError({ RoomId: "r1" }, "ScheduleInviteeList_Account", {
        ScheduleInviteeList_Account: list(301),
      });
      await bench.expectCreated({ RoomId: "r1" }, { ScheduleInviteeList_Account: list(300) });
      assert.equal(bench.running().tencent.room("r1")?.Invitees.length, 300);
    });
    it("100002: scheduled invitees that are not an array of account strings", async () => {
      for (const bad of ["user1", ["user1", 2], [""], [null], { user1: true }]) {
        await bench.expectFieldError({ RoomId: "r1" }, "ScheduleInviteeList_Account", {
          ScheduleInviteeList_Account: bad,
        });
      }
    });
    it("100002 with knownAccounts: an owner or invitee that is not an imported account", async () => {
      await bench.fresh({ knownAccounts: [ADMIN, "user1", "user2"] });
      await bench.expectFieldError({ RoomId: "r1", Owner_Account: "stranger" }, "Owner_Account");
      await bench.expectFieldError({ RoomId: "r1", Owner_Account: "user1" }, "ScheduleInviteeList_Account", {
        ScheduleInviteeList_Account: ["user2", "stranger"],
      });
      await bench.expectCreated({ RoomId: "r1", Owner_Account: "user1" }, { ScheduleInviteeList_Account: ["user2"] });
    });
    it("100002: Owner_Account empty or not a string", async () => {
      await bench.expectFieldError({ RoomId: "r1", Owner_Account: "" }, "Owner_Account");
      await bench.expectFieldError({ RoomId: "r1", Owner_Account: ["user2"] }, "Owner_Account");
    });
    it("100003: the room ID exists and belongs to another owner", async () => {
      await bench.expectCreated({ RoomId: "r1", Owner_Account: "user2" });
      bench.clockMs += 1000;
      expectCode(await bench.create({ RoomId: "r1", Owner_Account: "user2" }), 100003);
      bench.clockMs += 1000;
      expectCode(await bench.create({ RoomId: "r1" }), 100003, "already exists");
      assert.equal(bench.running().tencent.room("r1")?.Owner_Account, "user2");
    });
    it("100010: the room ID exists and the operator (the admin) is its owner", async () => {
      await bench.expectCreated({ RoomId: "r1" });
      bench.clockMs += 1000;
      expectCode(await bench.create({ RoomId: "r1", RoomName: "other" }), 100010);
      assert.equal(bench.running().tencent.room("r1")?.RoomName, "r1", "the existing room is untouched");
    });
    it("100011: the room ID is used by a Chat group (chatGroupIds, addChatGroup)", async () => {
      await bench.fresh({ chatGroupIds: ["group-1"] });
      expectCode(await bench.create({ RoomId: "group-1" }), 100011);
      bench.running().tencent.addChatGroup("group-2");
      expectCode(await bench.create({ RoomId: "group-2" }), 100011);
      assert.deepEqual(bench.running().tencent.rooms(), []);
    });
    it("100007: an app without a paid package (paid: false)", async () => {
      await bench.fresh({ paid: false });
      expectCode(await bench.create({ RoomId: "r1" }), 100007);
      assert.deepEqual(bench.running().tencent.rooms(), []);
    });
    it("100012: the same room ID created twice within one second; allowed again after a second", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(await bench.call("destroy_room", { RoomId: "r1" }), 0);
      bench.clockMs += 999;
      expectCode(await bench.create({ RoomId: "r1" }), 100012);
      assert.equal(bench.running().tencent.room("r1"), undefined);
      expectCode(await bench.create({ RoomId: "r2" }), 0); // other room IDs are not affected
      bench.clockMs += 1;
      expectCode(await bench.create({ RoomId: "r1" }), 0);
    });
    it("100012: a refused attempt does not extend the one-second window", async () => {
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(await bench.call("destroy_room", { RoomId: "r1" }), 0);
      bench.clockMs += 600;
      expectCode(await bench.create({ RoomId: "r1" }), 100012);
      bench.clockMs += 400;
      expectCode(await bench.create({ RoomId: "r1" }), 0); // one second after the creation, not after the refusal
    });
    it("100012: any attempt that passes the check opens the window, whatever its outcome (here 100002)", async () => {
      expectCode(await bench.create({ RoomId: "r1", MaxMemberCount: 0 }), 100002);
      bench.clockMs += 500;
      expectCode(await bench.create({ RoomId: "r1" }), 100012);
      bench.clockMs += 500;
      expectCode(await bench.create({ RoomId: "r1" }), 0);
    });
    it("scheduled invitees are stored but never returned by get_room_info", async () => {
      expectCode(await bench.create({ RoomId: "r1" }, { ScheduleInviteeList_Account: ["user1", "user3"] }), 0);
      assert.deepEqual(bench.running().tencent.room("r1")?.Invitees, ["user1", "user3"]);
      const r = await bench.call("get_room_info", { RoomId: "r1" });
      assert.ok(!JSON.stringify(r.body).includes("user3"), "no invitee in the answer");
      assert.ok(!JSON.stringify(r.body).includes("Invitee"));
    });
  });
});
