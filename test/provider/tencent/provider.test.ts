/**
 * TencentRoomProvider against the emulator, the cases test/provider/tencent/lifecycle.test.ts leaves out: check
 * sends nothing for bad input in any field and reports every failure at once; 100012 provoked by the
 * server and waited out; a retryable code given up on after the attempt limit; refresh right after up
 * shows no drift, a drifted create-only field replaces; updates back to a documented default and no-op
 * updates; replacement in place (delete, then create) and with a new ID; a lost destroy_room answer; a
 * secret key of another app (70009).
 */
import assert from "node:assert/strict";
import { request } from "undici";
import { Api } from "tls-sig-api-v2";
import { startEmulator, type Emulator } from "../../../emulator";
import { RoomApiError } from "../../../provider/core/errors";
import { closeAgent, type RetryPolicy } from "../../../provider/core/http";
import { TencentRoomProvider } from "../../../provider/tencent/provider";
import type { TencentRoomOutputs } from "../../../provider/tencent/api";
import { TENCENT_SAMPLE as SAMPLE } from "../../support/samples";
import { rejection } from "../../support/rejection";
import { configuredFor } from "../../support/emulated-suite";
import { checked, up } from "../../support/tencent-rooms";

type Props = Record<string, unknown>;

/** Short backoff so fault tests stay fast. */
const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 10_000 };

// create_room is spaced per room ID for the whole process (1.1 s): tests use fresh IDs to stay fast.
let serial = 0;
const fresh = (prefix = "room") => `${prefix}-${process.pid}-${++serial}`;

async function providerFor(
  emu: Emulator,
  config: Record<string, string | undefined> = {},
  env: NodeJS.ProcessEnv = {},
  retry = FAST_RETRY,
): Promise<TencentRoomProvider> {
  return configuredFor(new TencentRoomProvider({ env, retry }), emu, config);
}

/** A vendor error with its code, the vendor's message, a RequestId and a hint, after `attempts` attempts. */
function assertVendorError(err: Error, code: number, attempts = 1): asserts err is RoomApiError {
  assert.ok(err instanceof RoomApiError, err.message);
  assert.equal(err.kind, "vendor");
  assert.equal(err.code, code);
  assert.equal(err.attempts, attempts);
  assert.match(err.message, new RegExp(`\\[${code}\\] \\S`));
  assert.match(err.message, /RequestId: Id-[0-9a-f]+-O-Seq-\d+/);
  assert.match(err.message, /Hint: \S/);
}

/** A create_room straight to the emulator, outside the provider (and its per-room spacing). */
async function rawCreate(emu: Emulator, body: unknown): Promise<{ ErrorCode: number }> {
  const { sdkAppId, secretKey, identifier } = emu.credentials.tencent;
  const usersig = new Api(sdkAppId, secretKey).genSig(identifier, 600);
  const q = new URLSearchParams({ sdkappid: String(sdkAppId), identifier, usersig, random: "7", contenttype: "json" });
  const res = await request(`${emu.url}/v4/room_engine_http_srv/create_room?${q.toString()}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  return (await res.body.json()) as { ErrorCode: number };
}

describe("TencentRoomProvider edge cases (emulator)", function () {
  this.timeout(20_000);
  let emu: Emulator;
  let p: TencentRoomProvider;

  before(async () => {
    emu = await startEmulator();
  });
  after(async () => {
    await emu.stop();
    await closeAgent();
  });
  beforeEach(async () => {
    emu.reset();
    emu.setFaults(undefined);
    emu.setRateLimits({ tencent: 200 });
    p = await providerFor(emu);
  });

  describe("check", () => {
    // One bad value per input, the property it must name and the rule it must state.
    const BAD: [string, unknown, RegExp][] = [
      ["roomId", "", /must not be empty/],
      ["roomName", "€".repeat(34), /at most 100 bytes/],
      ["roomType", "Live", /"Conference"/],
      ["ownerAccount", 42, /must be a string/],
      ["maxMemberCount", 2.5, /whole number/],
      ["scheduleStartTime", "2026-02-30T09:00:00Z", /not a valid ISO-8601/],
      ["scheduleEndTime", -5, /whole Unix seconds/],
      ["isVideoDisabled", "false", /true or false/],
      ["isAudioDisabled", 0, /true or false/],
      ["isMessageDisabled", "no", /true or false/],
      ["isScreenSharingDisabled", 1, /true or false/],
      ["isCloudRecordingDisabled", "true", /true or false/],
      ["customInfo", "ü".repeat(251), /at most 500 bytes/],
      ["isSeatEnabled", "yes", /true or false/],
      ["maxSeatCount", -1, /at least 1/],
      ["takeSeatMode", "Open", /"FreeToTake" or "ApplyToTake"/],
      ["scheduleInvitees", ["user1", "user1"], /twice/],
    ];

    it("rejects bad input in every field, naming the property and the rule, and sends no request", async () => {
      for (const [field, value, reason] of BAD) {
        const { failures } = await p.check({}, { ...SAMPLE, roomId: fresh(), [field]: value });
        assert.ok(
          failures?.some((f) => f.property === field && reason.test(f.reason)),
          `${field}: expected ${String(reason)}, got ${JSON.stringify(failures)}`,
        );
      }
      assert.deepEqual(emu.counters(), {});
    });

    it("reports every failure at once: bad fields, the schedule rule and a typo together", async () => {
      const { failures } = await p.check(
        {},
        { roomId: "r", maxMemberCount: 1.5, scheduleEndTime: 1693272355, customInfo: 5, roomNmae: "x" },
      );
      const byProperty = new Map((failures ?? []).map((f) => [f.property, f.reason]));
      assert.match(byProperty.get("maxMemberCount") ?? "", /whole number/);
      assert.match(byProperty.get("customInfo") ?? "", /must be a string/);
      // The end cannot be checked against a start that defaults to "now" at create time: an error, not a guess.
      assert.match(byProperty.get("scheduleEndTime") ?? "", /needs scheduleStartTime/);
      assert.match(byProperty.get("roomNmae") ?? "", /unknown input "roomNmae" \(did you mean "roomName"\?\)/);
      assert.equal(failures?.length, 4);
    });
  });

  describe("create", () => {
    it("leaves vendor-chosen defaults to the vendor and reports what it chose", async () => {
      const roomId = fresh();
      const now = Math.floor(Date.now() / 1000);
      const { outs, inputs } = await up(p, { roomId });
      for (const unmanaged of [
        "ownerAccount",
        "maxMemberCount",
        "maxSeatCount",
        "scheduleStartTime",
        "scheduleEndTime",
        "takeSeatMode",
      ]) {
        assert.equal(inputs[unmanaged], undefined, unmanaged);
      }
      assert.equal(outs.ownerAccount, emu.credentials.tencent.identifier);
      assert.equal(outs.maxMemberCount, 20);
      assert.equal(outs.maxSeatCount, 20);
      const start = outs.scheduleStartTime ?? assert.fail("no start");
      assert.ok(Math.abs(start - now) <= 5);
      assert.equal(outs.scheduleEndTime, start + 3600);
      assert.equal(outs.roomName, roomId);
      assert.equal(outs.customInfo, "");
      assert.equal(outs.takeSeatMode, undefined);
      assert.equal("scheduleInvitees" in outs, false);
    });

    it("waits out 100012 (the same room ID created within a second) and retries", async () => {
      const roomId = fresh();
      // Someone else's attempt (refused for a missing RoomType) opens the room ID's one-second window.
      assert.equal((await rawCreate(emu, { RoomInfo: { RoomId: roomId } })).ErrorCode, 100002);
      const { id } = await up(p, { roomId });
      assert.equal(id, roomId);
      assert.deepEqual(emu.counters().create_room, { "100002": 1, "100012": 1, ok: 1 });
    });

    it("gives up on a retryable code after the attempt limit, saying how often it tried", async () => {
      emu.setFaults({ seed: 1, vendorTransient: 1, actions: ["get_room_info"] });
      const err = await rejection(p.read("missing", undefined));
      assertVendorError(err, 100001, 8);
      assert.match(err.message, /after 8 attempts/);
      assert.deepEqual(emu.counters().get_room_info, { "fault:100001": 8 });
    });
  });

  describe("read", () => {
    it("maps the room back to the inputs that created it (refresh right after up shows no drift)", async () => {
      const roomId = fresh();
      const { id, outs, inputs } = await up(p, {
        ...SAMPLE,
        roomId,
        scheduleStartTime: "2023-08-29T09:09:15+08:00",
        scheduleInvitees: ["user3", "user1"],
      });
      const read = await p.read(id, outs);
      assert.equal(read.id, roomId);
      assert.deepEqual(read.inputs, inputs);
      assert.deepEqual(read.props, outs);
      const diff = await p.diff(id, read.props, inputs);
      assert.equal(diff.changes, false);
    });

    it('reads the webhook spelling "Meeting" as Conference (no replacement on every up); another type is drift', async () => {
      const roomId = fresh();
      const { id, outs, inputs } = await up(p, { ...SAMPLE, roomId });
      emu.tencent.mutateRoom(roomId, { RoomType: "Meeting" as "Conference" });
      const meeting = await p.read(id, outs);
      assert.equal((meeting.inputs as Props).roomType, "Conference");
      assert.equal((await p.diff(id, meeting.props as TencentRoomOutputs, inputs)).changes, false);
      emu.tencent.mutateRoom(roomId, { RoomType: "Live" as "Conference" });
      const live = await p.read(id, outs);
      assert.deepEqual((await p.diff(id, live.props as TencentRoomOutputs, inputs)).replaces, ["roomType"]);
    });

    it("shows a changed create-only field (the schedule) as drift that replaces", async () => {
      const roomId = fresh();
      const { id, outs, inputs } = await up(p, { ...SAMPLE, roomId });
      emu.tencent.mutateRoom(roomId, { ScheduleStartTime: 1693271355 + 60 });
      const read = await p.read(id, outs);
      assert.equal((read.inputs as Props).scheduleStartTime, 1693271355 + 60);
      const diff = await p.diff(id, read.props as TencentRoomOutputs, inputs);
      assert.deepEqual(diff, { changes: true, replaces: ["scheduleStartTime"], deleteBeforeReplace: true });
    });
  });

  describe("update", () => {
    it('returns a removed defaulted input to its documented default (customInfo back to "")', async () => {
      const roomId = fresh();
      const { id, outs } = await up(p, { roomId, customInfo: "agenda" });
      const news = await checked(p, { roomId });
      assert.equal((await p.diff(id, outs, news)).changes, true);
      await p.update(id, outs, news);
      assert.equal(emu.tencent.room(roomId)?.CustomInfo, "");
    });

    it("makes no update_room_info call when nothing changed", async () => {
      const roomId = fresh();
      const { id, outs, inputs } = await up(p, { roomId });
      emu.resetCounters();
      await p.update(id, outs, inputs);
      assert.deepEqual(emu.counters(), { get_room_info: { ok: 1 } });
    });
  });

  describe("replace", () => {
    it("replaces with the same ID by deleting first, then creating: the new room exists afterwards", async () => {
      const roomId = fresh();
      const { id, outs } = await up(p, { roomId, isSeatEnabled: true, maxSeatCount: 16 });
      const news = await checked(p, { roomId, isSeatEnabled: true, maxSeatCount: 8 });
      const diff = await p.diff(id, outs, news);
      assert.deepEqual(diff, { changes: true, replaces: ["maxSeatCount"], deleteBeforeReplace: true });
      // deleteBeforeReplace: the engine deletes the old resource, then creates the new one.
      await p.delete(id);
      const { outs: next } = await p.create(news);
      assert.equal((next as TencentRoomOutputs).maxSeatCount, 8);
      assert.equal(emu.tencent.room(roomId)?.MaxSeatCount, 8);
      assert.equal(emu.tencent.rooms().length, 1);
    });

    it("replaces without deleting first when the room ID changes", async () => {
      const roomId = fresh();
      const { id, outs } = await up(p, { roomId });
      const diff = await p.diff(id, outs, await checked(p, { roomId: fresh() }));
      assert.deepEqual(diff, { changes: true, replaces: ["roomId"], deleteBeforeReplace: false });
    });
  });

  describe("delete", () => {
    it("succeeds when the answer to destroy_room is lost and the retry finds the room gone", async () => {
      const roomId = fresh();
      const { id } = await up(p, { roomId });
      emu.setFaults({ seed: 2, lostResponse: 1, actions: ["destroy_room"] });
      await p.delete(id);
      assert.deepEqual(emu.counters().destroy_room, { ok: 1, "fault:lost": 1, "100004": 1 });
      assert.equal(emu.tencent.rooms().length, 0);
    });
  });

  describe("settings", () => {
    it("fails at once on a key that does not sign for the app (70009), with a hint and no secret", async () => {
      const wrong = await providerFor(emu, { "tencent:secretKey": "not-the-apps-key-0123456789" });
      const err = await rejection(up(wrong, { roomId: fresh() }));
      assertVendorError(err, 70009);
      assert.match(err.message, /tencent:secretKey does not belong to tencent:sdkAppId/);
      assert.ok(!err.message.includes("not-the-apps-key-0123456789"));
    });
  });
});
