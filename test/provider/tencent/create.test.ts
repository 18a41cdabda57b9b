/**
 * TencentRoom create against the emulator over loopback, the provider class called in process: one `it`
 * per documented rule or error code of create_room (its "Error Codes", https://trtc.io/document/60707):
 * adoption, faults and retries, pacing. The other hooks are in tencent-lifecycle.test.ts.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../../../emulator";
import { RoomApiError } from "../../../provider/core/errors";
import { rejection } from "../../support/rejection";
import { TENCENT_SAMPLE } from "../../support/samples";
import { count, FAST, plant, providerFor, SAMPLE, seedFor, up, walk, tencentSuite } from "../../support/tencent-rooms";

describe("TencentRoom create (emulator)", function () {
  const t = tencentSuite();

  it("creates the sample room and outputs every field as the API holds it, with ISO times, status and creation time", async function () {
    const before = Math.floor(Date.now() / 1000);
    const { id, outs } = await up(t.p, SAMPLE);
    assert.equal(id, "room-test");
    const room = t.emu.tencent.room("room-test");
    assert.ok(room, "the emulator holds the room");
    assert.deepEqual(room.Invitees, ["user1", "user2", "user3"]);
    assert.ok(outs.createTime >= before && outs.createTime <= before + 5);
    // TENCENT_SAMPLE lists the invitees sorted, as outputs hold them.
    assert.deepEqual(outs, {
      ...TENCENT_SAMPLE,
      scheduleStartTimeIso: "2023-08-29T01:09:15.000Z",
      scheduleEndTimeIso: "2023-08-29T01:25:55.000Z",
      roomStatus: "Running",
      createTime: outs.createTime,
      createTimeIso: new Date(outs.createTime * 1000).toISOString(),
      memberCount: room.Members.length,
    });
  });

  it("outputs are JSON-safe: no undefined anywhere, and a JSON round trip changes nothing", async function () {
    const { outs } = await up(t.p, { roomId: "json-safe" });
    walk(outs, (v, path) => assert.notEqual(v, undefined, `undefined at ${path}`));
    assert.deepEqual(JSON.parse(JSON.stringify(outs)), outs);
    assert.equal("takeSeatMode" in outs, false, "no seat mode ('None') is an absent output, not undefined");
    assert.equal(outs.roomStatus, "Running");
    assert.equal(Number(outs.scheduleEndTime) - Number(outs.scheduleStartTime), 3600, "the vendor's default length");
  });

  it("adopts a room that exists and is owned by the admin (100010), reconciling changed fields with one update_room_info", async function () {
    plant(t.emu, "adopt-10", { RoomName: "old name", CustomInfo: "old", IsAudioDisabled: true, MaxMemberCount: 50 });
    t.emu.resetCounters();
    const { outs } = await up(t.p, { roomId: "adopt-10", roomName: "new name", customInfo: "new", maxMemberCount: 50 });
    assert.equal(count(t.emu, "create_room", "100010"), 1);
    assert.equal(count(t.emu, "update_room_info"), 1);
    assert.equal(count(t.emu, "update_room_info", "ok"), 1);
    const room = t.emu.tencent.room("adopt-10");
    assert.equal(room?.RoomName, "new name");
    assert.equal(room?.CustomInfo, "new");
    assert.equal(room?.IsAudioDisabled, false, "a defaulted switch is reconciled too");
    assert.equal(outs.roomName, "new name");
    assert.equal(outs.isAudioDisabled, false);
  });

  it("adopts without an update when the existing room already matches", async function () {
    plant(t.emu, "adopt-same");
    t.emu.resetCounters();
    await up(t.p, { roomId: "adopt-same" });
    assert.equal(count(t.emu, "update_room_info"), 0);
  });

  it("adopts a room owned by the declared owner (100003 with the same Owner_Account)", async function () {
    plant(t.emu, "adopt-03", { Owner_Account: "user2", CustomInfo: "drifted" });
    t.emu.resetCounters();
    const { outs } = await up(t.p, { roomId: "adopt-03", ownerAccount: "user2" });
    assert.equal(count(t.emu, "create_room", "100003"), 1);
    assert.equal(outs.ownerAccount, "user2");
    assert.equal(t.emu.tencent.room("adopt-03")?.CustomInfo, "", "reconciled to the declared default");
  });

  it("refuses a room of another owner (100003) with the code, RequestId and a hint, and changes nothing", async function () {
    const planted = plant(t.emu, "foreign", { Owner_Account: "mallory", CustomInfo: "theirs" });
    t.emu.resetCounters();
    const err = await rejection(up(t.p, { roomId: "foreign", customInfo: "ours" }));
    assert.ok(err instanceof RoomApiError);
    assert.equal(err.code, 100003);
    assert.match(err.message, /\[100003\]/);
    assert.match(err.message, /owned by mallory/);
    assert.match(err.message, /RequestId: Id-/);
    assert.match(err.message, /Hint: .*not ours/);
    assert.deepEqual(t.emu.tencent.room("foreign"), planted);
    assert.equal(count(t.emu, "update_room_info"), 0);
  });

  it("refuses to adopt a room whose create-only fields differ, naming them, and changes nothing", async function () {
    const planted = plant(t.emu, "immutable", { IsSeatEnabled: true, MaxSeatCount: 10 });
    t.emu.resetCounters();
    const err = await rejection(
      up(t.p, { roomId: "immutable", isSeatEnabled: true, maxSeatCount: 16, customInfo: "x" }),
    );
    assert.ok(err instanceof RoomApiError);
    assert.match(err.message, /different maxSeatCount/);
    assert.match(err.message, /maxSeatCount: 10/, "the hint shows the value the room has");
    assert.deepEqual(t.emu.tencent.room("immutable"), planted);
    assert.equal(count(t.emu, "update_room_info"), 0);
  });

  it("survives a lost create_room response: exactly one room, adopted on the retry", async function () {
    t.emu.setFaults({ seed: 1, lostResponse: 1, actions: ["create_room"] });
    const { outs } = await up(t.p, { roomId: "lost", customInfo: "once" });
    assert.equal(t.emu.tencent.rooms().length, 1);
    assert.equal(count(t.emu, "create_room", "fault:lost"), 1);
    assert.equal(count(t.emu, "create_room", "100010"), 1);
    assert.equal(count(t.emu, "create_room", "100012"), 0, "the retry waited out the once-per-second rule");
    assert.equal(outs.customInfo, "once");
  });

  it("survives a create_room that times out but commits later: the retry adopts it", async function () {
    const slow = await providerFor(t.emu, {}, { ...FAST, timeouts: { attemptMs: 40 } });
    t.emu.setFaults({
      seed: seedFor("latency", 0.5, [true, false, false, false]),
      latency: 0.5,
      latencyMs: 80,
      actions: ["create_room"],
    });
    const { outs } = await up(slow, { roomId: "slow" });
    assert.equal(outs.roomId, "slow");
    assert.equal(t.emu.tencent.rooms().length, 1);
    assert.equal(count(t.emu, "create_room", "ok"), 1);
    assert.equal(count(t.emu, "create_room", "100010"), 1);
  });

  it("fails on 100011 (the room ID is a Chat group) with a hint", async function () {
    t.emu.tencent.addChatGroup("chat-taken");
    const err = await rejection(up(t.p, { roomId: "chat-taken" }));
    assert.ok(err instanceof RoomApiError);
    assert.equal(err.code, 100011);
    assert.match(err.message, /\[100011\]/);
    assert.match(err.message, /Hint: .*Chat group/);
    assert.equal(t.emu.tencent.room("chat-taken"), undefined);
  });

  it("fails on 100007 (no paid package) with a hint", async function () {
    const unpaid = await startEmulator({ tencent: { paid: false } });
    try {
      const err = await rejection(up(await providerFor(unpaid), { roomId: "unpaid" }));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100007);
      assert.match(err.message, /\[100007\]/);
      assert.match(err.message, /Hint: .*paid TUIRoomKit package/);
    } finally {
      await unpaid.stop();
    }
  });

  it("never trips 100012: two providers creating the same room ID at once both succeed (one creates, one adopts)", async function () {
    const [a, b] = [await providerFor(t.emu), await providerFor(t.emu)];
    const results = await Promise.all([up(a, { roomId: "twice" }), up(b, { roomId: "twice" })]);
    assert.deepEqual(
      results.map((r) => r.id),
      ["twice", "twice"],
    );
    assert.equal(count(t.emu, "create_room", "ok"), 1);
    assert.equal(count(t.emu, "create_room", "100010"), 1);
    assert.equal(count(t.emu, "create_room", "100012"), 0);
  });

  for (const [what, kind, result] of [
    ["the vendor's retry code 100001", "vendorTransient", "fault:100001"],
    ["HTTP 502 with an HTML body", "http502", "fault:502"],
    ["a connection reset", "reset", "fault:reset"],
  ] as const) {
    it(`retries ${what} to success (create, read, update, delete)`, async function () {
      // The first create_room and the first get_room_info fail, their retries succeed, then no faults.
      const pattern = [true, false, true, false, false, false, false, false, false, false];
      t.emu.setFaults({ seed: seedFor(kind, 0.5, pattern), [kind]: 0.5 });
      const { outs, inputs } = await up(t.p, { roomId: `fault-${kind}` });
      const { outs: updated } = await t.p.update(outs.roomId, outs, { ...inputs, customInfo: "v2" });
      assert.equal(updated?.customInfo, "v2");
      await t.p.delete(outs.roomId);
      assert.equal(count(t.emu, "create_room", result), 1);
      assert.equal(count(t.emu, "get_room_info", result), 1);
      assert.equal(count(t.emu, "create_room", "ok"), 1, "nothing committed twice");
      assert.equal(count(t.emu, "destroy_room", "ok"), 1);
      assert.equal(t.emu.tencent.rooms().length, 0);
    });
  }

  it("succeeds under latency (answers slower than usual but within the attempt timeout)", async function () {
    t.emu.setFaults({ seed: 3, latency: 1, latencyMs: 50 });
    const { outs } = await up(t.p, { roomId: "latent" });
    assert.equal(outs.roomId, "latent");
    assert.equal(count(t.emu, "create_room", "ok"), 1);
  });

  it("retries the per-command frequency limit (60007) until every create succeeds", async function () {
    t.emu.setRateLimits({ tencent: 8 });
    const unpaced = await providerFor(
      t.emu,
      { "tencent:requestsPerSecond": "0" },
      { env: {}, retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 20 } },
    );
    const ids = Array.from({ length: 12 }, (_, i) => `burst-${i}`);
    await Promise.all(ids.map((id) => up(unpaced, { roomId: id })));
    assert.equal(t.emu.tencent.rooms().length, ids.length);
    assert.ok(count(t.emu, "create_room", "60007") > 0, "the burst was not limited: the test proves nothing");
  });

  it("retries the app frequency limit (60011, a vendor counting per app) until every create succeeds", async function () {
    t.emu.setRateLimits({ tencent: 8, scope: "app" });
    const unpaced = await providerFor(
      t.emu,
      { "tencent:requestsPerSecond": "0" },
      { env: {}, retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 20 } },
    );
    const ids = Array.from({ length: 8 }, (_, i) => `burst-${i}`);
    const rooms = await Promise.all(ids.map((id) => up(unpaced, { roomId: id })));
    assert.equal(rooms.length, ids.length);
    assert.equal(t.emu.tencent.rooms().length, ids.length);
    assert.ok(
      count(t.emu, "create_room", "60011") + count(t.emu, "get_room_info", "60011") > 0,
      "the burst was not limited: the test proves nothing",
    );
  });

  it("paces its requests under each command's rate, so the server never answers 60007", async function () {
    t.emu.setRateLimits({ tencent: 20 });
    const paced = await providerFor(t.emu, { "tencent:requestsPerSecond": "20" });
    await Promise.all(Array.from({ length: 30 }, (_, i) => up(paced, { roomId: `paced-${i}` })));
    assert.equal(count(t.emu, "create_room", "60007") + count(t.emu, "get_room_info", "60007"), 0);
    assert.equal(t.emu.tencent.rooms().length, 30);
  });

  it("with rateLimitScope app, paces all commands in one limiter, so a vendor counting per app never answers 60011", async function () {
    t.emu.setRateLimits({ tencent: 20, scope: "app" });
    const paced = await providerFor(t.emu, {
      "tencent:requestsPerSecond": "20",
      "tencent:rateLimitScope": "app",
      "tencent:sdkAppId": String(t.emu.credentials.tencent.sdkAppId),
    });
    await Promise.all(Array.from({ length: 10 }, (_, i) => up(paced, { roomId: `paced-${i}` })));
    assert.equal(count(t.emu, "create_room", "60011") + count(t.emu, "get_room_info", "60011"), 0);
    assert.equal(t.emu.tencent.rooms().length, 10);
  });

  it("sends every request in its own rate slot, also a create that waited out the same-room spacing", async function () {
    const arrivals: number[] = [];
    const byCommand = new Map<string, number[]>();
    const logged = await startEmulator({
      log: (line) => {
        const t = performance.now();
        arrivals.push(t);
        const command = / tencent (\S+) /.exec(line)?.[1] ?? "?";
        byCommand.set(command, [...(byCommand.get(command) ?? []), t]);
      },
    });
    try {
      // 5/s per command: one request of a command every ~200 ms, and a sixth only a second after an answer.
      const config = { "tencent:requestsPerSecond": "5" };
      const [a, b] = [await providerFor(logged, config), await providerFor(logged, config)];
      // b's create of "spaced" waits a second for a's; the other rooms keep the limiter busy meanwhile.
      await Promise.all([
        up(a, { roomId: "spaced" }),
        up(b, { roomId: "spaced" }),
        up(a, { roomId: "spaced-2" }),
        up(a, { roomId: "spaced-3" }),
      ]);
      // 8, or 9 when a's create of "spaced" waited in the create_room limiter (still holding the last
      // test's grants) long enough for b's to hear 100012 once and wait it out.
      assert.ok(arrivals.length === 8 || arrivals.length === 9, `${arrivals.length} requests`);
      for (const [command, times] of byCommand) {
        const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
        assert.ok(
          gaps.length === 0 || Math.min(...gaps) >= 120,
          `${command} requests left closer together than the rate allows: gaps ${gaps.map(Math.round).join(", ")} ms`,
        );
      }
    } finally {
      await logged.stop();
    }
  });

  it("fails at once on a non-retryable code (100002) with the code, ErrorInfo, RequestId and hint", async function () {
    const err = await rejection(up(t.p, { roomId: "too-big", maxMemberCount: 1000 }));
    assert.ok(err instanceof RoomApiError);
    assert.equal(err.code, 100002);
    assert.match(err.message, /\[100002\] MaxMemberCount must be between 1 and 300/);
    assert.match(err.message, /RequestId: Id-\w+/);
    assert.match(err.message, /Hint: a field was rejected/);
    assert.equal(err.attempts, 1);
    assert.equal(count(t.emu, "create_room"), 1);
  });
});
