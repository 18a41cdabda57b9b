/**
 * TencentRoom diff, and check with unknowns in preview: pure functions of their arguments (no network, no
 * credentials). One `it` per change rule (update_room_info, https://trtc.io/document/60705).
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../../provider/core/check";
import { TencentRoomProvider } from "../../../provider/tencent/provider";
import type { TencentRoomOutputs } from "../../../provider/tencent/api";
import { TENCENT_SAMPLE as SAMPLE } from "../../support/samples";
import { check, checked, diff, outputsOf, pure, without, type Props } from "../../support/tencent-check";

describe("TencentRoom diff", function () {
  it("reports no change for identical inputs", async function () {
    const olds = await outputsOf(SAMPLE);
    assert.deepEqual(await diff(olds, SAMPLE), { changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("reports no change when the same instant is written another way, or invitees in another order", async function () {
    const olds = await outputsOf(SAMPLE);
    const same = {
      ...SAMPLE,
      scheduleStartTime: "2023-08-29T09:09:15+08:00",
      scheduleInvitees: ["user3", "user2", "user1"],
    };
    assert.equal((await diff(olds, same)).changes, false);
  });

  const UPDATES: Props = {
    roomName: "renamed",
    maxMemberCount: 100,
    isVideoDisabled: false,
    isAudioDisabled: false,
    isMessageDisabled: false,
    isScreenSharingDisabled: false,
    isCloudRecordingDisabled: false,
    customInfo: "changed",
    takeSeatMode: "FreeToTake",
  };
  for (const [field, value] of Object.entries(UPDATES)) {
    it(`updates ${field} in place (update_room_info takes it)`, async function () {
      const olds = await outputsOf(SAMPLE);
      assert.deepEqual(await diff(olds, { ...SAMPLE, [field]: value }), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: false,
      });
    });
  }

  const REPLACES: Props = {
    ownerAccount: "user9",
    scheduleStartTime: 1693271355 - 60,
    scheduleEndTime: 1693272355 + 60,
    isSeatEnabled: false,
    maxSeatCount: 8,
    scheduleInvitees: ["user1"],
  };
  for (const [field, value] of Object.entries(REPLACES)) {
    it(`replaces the room for ${field}, deleting first since the room ID stays`, async function () {
      const olds = await outputsOf(SAMPLE);
      assert.deepEqual(await diff(olds, { ...SAMPLE, [field]: value }), {
        changes: true,
        replaces: [field],
        deleteBeforeReplace: true,
      });
    });
  }

  it("replaces the room for roomType (the only other type an old state could hold)", async function () {
    const olds = { ...(await outputsOf(SAMPLE)), roomType: "Live" } as unknown as TencentRoomOutputs;
    assert.deepEqual(await diff(olds, SAMPLE), { changes: true, replaces: ["roomType"], deleteBeforeReplace: true });
  });

  it("replaces without deleting first when the room ID changes (the new room cannot collide with the old)", async function () {
    const olds = await outputsOf(SAMPLE);
    assert.deepEqual(await diff(olds, { ...SAMPLE, roomId: "room-test-2", maxSeatCount: 8 }), {
      changes: true,
      replaces: ["roomId", "maxSeatCount"],
      deleteBeforeReplace: false,
    });
  });

  it("deletes first when the room ID is not known yet (preview)", async function () {
    const olds = await outputsOf(SAMPLE);
    const result = await pure.diff("room-test", olds, { ...(await checked(SAMPLE)), roomId: UNKNOWN });
    assert.equal(result.deleteBeforeReplace, true);
    assert.deepEqual(result.replaces, ["roomId"]);
  });

  it("treats removing an optional input without a default (maxMemberCount) as no change: it is no longer managed", async function () {
    const olds = await outputsOf(SAMPLE);
    assert.equal((await diff(olds, without({ ...SAMPLE, maxMemberCount: undefined }))).changes, false);
  });

  it("updates a removed defaulted input (customInfo) back to its default", async function () {
    const olds = await outputsOf(SAMPLE);
    assert.deepEqual(await diff(olds, without({ ...SAMPLE, customInfo: undefined })), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("shows an unknown updatable value as an update, not a replacement", async function () {
    const olds = await outputsOf(SAMPLE);
    const result = await pure.diff("room-test", olds, { ...(await checked(SAMPLE)), customInfo: UNKNOWN });
    assert.deepEqual(result, { changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("TencentRoom preview (check and diff with unknowns)", function () {
  it("normalises the known inputs next to an unknown one, so preview's diff matches what up will do", async function () {
    const olds = await outputsOf(SAMPLE);
    // As a program would write it: ISO times, invitees in any order, customInfo left to its default, and a
    // count that comes from another resource's output (unknown until apply).
    const raw = without({
      ...SAMPLE,
      scheduleStartTime: "2023-08-29T09:09:15+08:00",
      scheduleEndTime: "2023-08-29T01:25:55Z",
      scheduleInvitees: ["user3", "user2", "user1"],
      customInfo: undefined,
      maxMemberCount: UNKNOWN,
    });
    const { inputs, failures } = await check(raw);
    assert.deepEqual(failures, []);
    assert.equal(inputs.scheduleStartTime, 1693271355);
    assert.deepEqual(inputs.scheduleInvitees, ["user1", "user2", "user3"]);
    assert.equal(inputs.customInfo, "");
    assert.equal(inputs.maxMemberCount, UNKNOWN);
    assert.deepEqual(await pure.diff("room-test", olds, inputs), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("fills derived defaults next to an unknown: roomName from roomId, the end an hour after the start", async function () {
    const { inputs } = await check({
      roomId: "r",
      scheduleStartTime: "2026-12-01T09:00:00Z",
      isVideoDisabled: UNKNOWN,
    });
    assert.equal(inputs.roomName, "r");
    assert.equal(inputs.scheduleEndTime, 1796119200);
    assert.equal(inputs.isAudioDisabled, false);
    assert.equal(inputs.isVideoDisabled, UNKNOWN);
  });
});

describe("TencentRoom check and diff are pure", function () {
  it("need no credentials: a provider never configured, with an empty environment, checks and diffs", async function () {
    const p = new TencentRoomProvider({ env: {} });
    const { inputs, failures } = await p.check({}, SAMPLE);
    assert.deepEqual(failures, []);
    const result = await p.diff("room-test", await outputsOf(SAMPLE), { ...(inputs as Props), customInfo: "x" });
    assert.equal(result.changes, true);
  });
});
