/**
 * TencentRoom against the emulator over loopback: the provider class called in process, one `describe`
 * per hook, one `it` per documented rule or error code (the "Error Codes" of create_room,
 * https://trtc.io/document/60707, and of get_room_info, update_room_info and destroy_room: 60704, 60705, 60706).
 */
import assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator, type TencentRoomRecord } from "../emulator";
import { seededRandom } from "../emulator/faults";
import { verifyUserSig } from "../emulator/tencent/usersig";
import { RoomApiError, SettingsError } from "../provider/core/errors";
import { closeAgent } from "../provider/core/http";
import { scopeHash } from "../provider/core/naming";
import { resolveTencentSettings } from "../provider/tencent/settings";
import { adminUserSig, USERSIG_RENEW_BEFORE_SECONDS, USERSIG_TTL_SECONDS } from "../provider/tencent/client";
import { TencentRoomProvider, type TencentRoomProviderOptions } from "../provider/tencent/provider";
import type { TencentRoomOutputs } from "../provider/tencent/api";
import { runProgram } from "./support/program";
import { defaultTencentRoomInfo, TENCENT_SAMPLE } from "./support/samples";
import { rejection } from "./support/rejection";

type Props = Record<string, unknown>;

/** The create_room page's sample request, invitees out of order (state must hold them sorted). */
const SAMPLE: Props = { ...TENCENT_SAMPLE, scheduleInvitees: ["user3", "user1", "user2"] };

/** Short backoff so the fault tests stay fast. */
const FAST: TencentRoomProviderOptions = { retry: { baseDelayMs: 5, maxDelayMs: 20 }, env: {} };

async function providerFor(emu: Emulator, config: Record<string, string> = {}, options: TencentRoomProviderOptions = FAST): Promise<TencentRoomProvider> {
  const p = new TencentRoomProvider({ env: {}, ...options });
  const all: Record<string, string> = { ...emu.stackConfig(), ...config };
  await p.configure({ config: { get: (k: string) => all[k], require: (k: string) => all[k] ?? assert.fail(`missing config ${k}`) } } as pulumi.dynamic.ConfigureRequest);
  return p;
}

async function checked(p: TencentRoomProvider, raw: Props): Promise<Props> {
  const { inputs, failures } = await p.check({}, raw);
  assert.deepEqual(failures ?? [], []);
  return inputs as Props;
}

/** check, then create: what `pulumi up` does for a new resource. */
async function up(p: TencentRoomProvider, raw: Props): Promise<{ id: string; outs: TencentRoomOutputs; inputs: Props }> {
  const inputs = await checked(p, raw);
  const { id, outs } = await p.create(inputs);
  return { id, outs: outs as TencentRoomOutputs, inputs };
}


/** A room put straight into the emulator, as the console or another tool would have created it. */
function plant(emu: Emulator, roomId: string, fields: Partial<TencentRoomRecord> = {}): TencentRoomRecord {
  const now = Math.floor(Date.now() / 1000);
  const room: TencentRoomRecord = {
    ...defaultTencentRoomInfo(roomId, emu.credentials.tencent.identifier, now),
    Invitees: [],
    Members: [],
    ...fields,
  };
  const state = emu.tencent.exportState();
  emu.tencent.importState({ ...state, rooms: [...state.rooms, room] });
  return room;
}

/** Every (string) value inside `value`, for "no undefined" and secret scans. */
function walk(value: unknown, visit: (v: unknown, path: string) => void, path = ""): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}[${i}]`));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}.${k}`);
}

/** Requests of `action` that got `result` (or all results). */
function count(emu: Emulator, action: string, result?: string): number {
  const byResult = emu.counters()[action] ?? {};
  return result === undefined ? Object.values(byResult).reduce((a, b) => a + b, 0) : (byResult[result] ?? 0);
}

const FAULT_ORDER = ["reset", "http502", "vendorTransient", "latency", "lostResponse"] as const;

/**
 * A seed under which the plan `{ [kind]: p }` fires on the n-th request it applies to exactly when
 * `pattern[n]` is true (the emulator draws every kind, in FAULT_ORDER, for every request).
 */
function seedFor(kind: (typeof FAULT_ORDER)[number], p: number, pattern: readonly boolean[]): number {
  const at = FAULT_ORDER.indexOf(kind);
  for (let seed = 1; seed < 1_000_000; seed++) {
    const r = seededRandom(seed);
    const fires = pattern.map(() => FAULT_ORDER.map(() => r.next())[at]! < p);
    if (fires.every((f, i) => f === pattern[i])) return seed;
  }
  return assert.fail("no seed found");
}

describe("TencentRoom lifecycle (emulator)", function () {
  let emu: Emulator;
  let p: TencentRoomProvider;

  before(async function () {
    emu = await startEmulator();
    p = await providerFor(emu);
  });

  beforeEach(function () {
    emu.reset();
    emu.setFaults(undefined);
    emu.setRateLimits({ tencent: 200, scope: "api", window: "sliding" });
  });

  after(async function () {
    await emu?.stop();
    await closeAgent();
  });

  describe("create", function () {
    it("creates the sample room and outputs every field as the API holds it, with ISO times, status and creation time", async function () {
      const before = Math.floor(Date.now() / 1000);
      const { id, outs } = await up(p, SAMPLE);
      assert.equal(id, "room-test");
      const room = emu.tencent.room("room-test");
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
      const { outs } = await up(p, { roomId: "json-safe" });
      walk(outs, (v, path) => assert.notEqual(v, undefined, `undefined at ${path}`));
      assert.deepEqual(JSON.parse(JSON.stringify(outs)), outs);
      assert.equal("takeSeatMode" in outs, false, "no seat mode ('None') is an absent output, not undefined");
      assert.equal(outs.roomStatus, "Running");
      assert.equal(Number(outs.scheduleEndTime) - Number(outs.scheduleStartTime), 3600, "the vendor's default length");
    });

    it("adopts a room that exists and is owned by the admin (100010), reconciling changed fields with one update_room_info", async function () {
      plant(emu, "adopt-10", { RoomName: "old name", CustomInfo: "old", IsAudioDisabled: true, MaxMemberCount: 50 });
      emu.resetCounters();
      const { outs } = await up(p, { roomId: "adopt-10", roomName: "new name", customInfo: "new", maxMemberCount: 50 });
      assert.equal(count(emu, "create_room", "100010"), 1);
      assert.equal(count(emu, "update_room_info"), 1);
      assert.equal(count(emu, "update_room_info", "ok"), 1);
      const room = emu.tencent.room("adopt-10");
      assert.equal(room?.RoomName, "new name");
      assert.equal(room?.CustomInfo, "new");
      assert.equal(room?.IsAudioDisabled, false, "a defaulted switch is reconciled too");
      assert.equal(outs.roomName, "new name");
      assert.equal(outs.isAudioDisabled, false);
    });

    it("adopts without an update when the existing room already matches", async function () {
      plant(emu, "adopt-same");
      emu.resetCounters();
      await up(p, { roomId: "adopt-same" });
      assert.equal(count(emu, "update_room_info"), 0);
    });

    it("adopts a room owned by the declared owner (100003 with the same Owner_Account)", async function () {
      plant(emu, "adopt-03", { Owner_Account: "user2", CustomInfo: "drifted" });
      emu.resetCounters();
      const { outs } = await up(p, { roomId: "adopt-03", ownerAccount: "user2" });
      assert.equal(count(emu, "create_room", "100003"), 1);
      assert.equal(outs.ownerAccount, "user2");
      assert.equal(emu.tencent.room("adopt-03")?.CustomInfo, "", "reconciled to the declared default");
    });

    it("refuses a room of another owner (100003) with the code, RequestId and a hint, and changes nothing", async function () {
      const planted = plant(emu, "foreign", { Owner_Account: "mallory", CustomInfo: "theirs" });
      emu.resetCounters();
      const err = await rejection(up(p, { roomId: "foreign", customInfo: "ours" }));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100003);
      assert.match(err.message, /\[100003\]/);
      assert.match(err.message, /owned by mallory/);
      assert.match(err.message, /RequestId: Id-/);
      assert.match(err.message, /Hint: .*not ours/);
      assert.deepEqual(emu.tencent.room("foreign"), planted);
      assert.equal(count(emu, "update_room_info"), 0);
    });

    it("refuses to adopt a room whose create-only fields differ, naming them, and changes nothing", async function () {
      const planted = plant(emu, "immutable", { IsSeatEnabled: true, MaxSeatCount: 10 });
      emu.resetCounters();
      const err = await rejection(up(p, { roomId: "immutable", isSeatEnabled: true, maxSeatCount: 16, customInfo: "x" }));
      assert.ok(err instanceof RoomApiError);
      assert.match(err.message, /different maxSeatCount/);
      assert.match(err.message, /maxSeatCount: 10/, "the hint shows the value the room has");
      assert.deepEqual(emu.tencent.room("immutable"), planted);
      assert.equal(count(emu, "update_room_info"), 0);
    });

    it("survives a lost create_room response: exactly one room, adopted on the retry", async function () {
      emu.setFaults({ seed: 1, lostResponse: 1, actions: ["create_room"] });
      const { outs } = await up(p, { roomId: "lost", customInfo: "once" });
      assert.equal(emu.tencent.rooms().length, 1);
      assert.equal(count(emu, "create_room", "fault:lost"), 1);
      assert.equal(count(emu, "create_room", "100010"), 1);
      assert.equal(count(emu, "create_room", "100012"), 0, "the retry waited out the once-per-second rule");
      assert.equal(outs.customInfo, "once");
    });

    it("survives a create_room that times out but commits later: the retry adopts it", async function () {
      const slow = await providerFor(emu, {}, { ...FAST, timeouts: { attemptMs: 40 } });
      emu.setFaults({ seed: seedFor("latency", 0.5, [true, false, false, false]), latency: 0.5, latencyMs: 80, actions: ["create_room"] });
      const { outs } = await up(slow, { roomId: "slow" });
      assert.equal(outs.roomId, "slow");
      assert.equal(emu.tencent.rooms().length, 1);
      assert.equal(count(emu, "create_room", "ok"), 1);
      assert.equal(count(emu, "create_room", "100010"), 1);
    });

    it("fails on 100011 (the room ID is a Chat group) with a hint", async function () {
      emu.tencent.addChatGroup("chat-taken");
      const err = await rejection(up(p, { roomId: "chat-taken" }));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100011);
      assert.match(err.message, /\[100011\]/);
      assert.match(err.message, /Hint: .*Chat group/);
      assert.equal(emu.tencent.room("chat-taken"), undefined);
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
      const [a, b] = [await providerFor(emu), await providerFor(emu)];
      const results = await Promise.all([up(a, { roomId: "twice" }), up(b, { roomId: "twice" })]);
      assert.deepEqual(results.map((r) => r.id), ["twice", "twice"]);
      assert.equal(count(emu, "create_room", "ok"), 1);
      assert.equal(count(emu, "create_room", "100010"), 1);
      assert.equal(count(emu, "create_room", "100012"), 0);
    });

    for (const [what, kind, result] of [
      ["the vendor's retry code 100001", "vendorTransient", "fault:100001"],
      ["HTTP 502 with an HTML body", "http502", "fault:502"],
      ["a connection reset", "reset", "fault:reset"],
    ] as const) {
      it(`retries ${what} to success (create, read, update, delete)`, async function () {
        // The first create_room and the first get_room_info fail, their retries succeed, then no faults.
        const pattern = [true, false, true, false, false, false, false, false, false, false];
        emu.setFaults({ seed: seedFor(kind, 0.5, pattern), [kind]: 0.5 });
        const { outs, inputs } = await up(p, { roomId: `fault-${kind}` });
        const { outs: updated } = await p.update(outs.roomId, outs, { ...inputs, customInfo: "v2" });
        assert.equal(updated?.customInfo, "v2");
        await p.delete(outs.roomId);
        assert.equal(count(emu, "create_room", result), 1);
        assert.equal(count(emu, "get_room_info", result), 1);
        assert.equal(count(emu, "create_room", "ok"), 1, "nothing committed twice");
        assert.equal(count(emu, "destroy_room", "ok"), 1);
        assert.equal(emu.tencent.rooms().length, 0);
      });
    }

    it("succeeds under latency (answers slower than usual but within the attempt timeout)", async function () {
      emu.setFaults({ seed: 3, latency: 1, latencyMs: 50 });
      const { outs } = await up(p, { roomId: "latent" });
      assert.equal(outs.roomId, "latent");
      assert.equal(count(emu, "create_room", "ok"), 1);
    });

    it("retries the per-command frequency limit (60007) until every create succeeds", async function () {
      emu.setRateLimits({ tencent: 8 });
      const unpaced = await providerFor(emu, { "tencent:requestsPerSecond": "0" }, { env: {}, retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 20 } });
      const ids = Array.from({ length: 12 }, (_, i) => `burst-${i}`);
      await Promise.all(ids.map((id) => up(unpaced, { roomId: id })));
      assert.equal(emu.tencent.rooms().length, ids.length);
      assert.ok(count(emu, "create_room", "60007") > 0, "the burst was not limited: the test proves nothing");
    });

    it("retries the app frequency limit (60011, a vendor counting per app) until every create succeeds", async function () {
      emu.setRateLimits({ tencent: 8, scope: "app" });
      const unpaced = await providerFor(emu, { "tencent:requestsPerSecond": "0" }, { env: {}, retry: { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 20 } });
      const ids = Array.from({ length: 8 }, (_, i) => `burst-${i}`);
      const rooms = await Promise.all(ids.map((id) => up(unpaced, { roomId: id })));
      assert.equal(rooms.length, ids.length);
      assert.equal(emu.tencent.rooms().length, ids.length);
      assert.ok(count(emu, "create_room", "60011") + count(emu, "get_room_info", "60011") > 0, "the burst was not limited: the test proves nothing");
    });

    it("paces its requests under each command's rate, so the server never answers 60007", async function () {
      emu.setRateLimits({ tencent: 20 });
      const paced = await providerFor(emu, { "tencent:requestsPerSecond": "20" });
      await Promise.all(Array.from({ length: 30 }, (_, i) => up(paced, { roomId: `paced-${i}` })));
      assert.equal(count(emu, "create_room", "60007") + count(emu, "get_room_info", "60007"), 0);
      assert.equal(emu.tencent.rooms().length, 30);
    });

    it("with rateLimitScope app, paces all commands in one limiter, so a vendor counting per app never answers 60011", async function () {
      emu.setRateLimits({ tencent: 20, scope: "app" });
      const paced = await providerFor(emu, { "tencent:requestsPerSecond": "20", "tencent:rateLimitScope": "app", "tencent:sdkAppId": String(emu.credentials.tencent.sdkAppId) });
      await Promise.all(Array.from({ length: 10 }, (_, i) => up(paced, { roomId: `paced-${i}` })));
      assert.equal(count(emu, "create_room", "60011") + count(emu, "get_room_info", "60011"), 0);
      assert.equal(emu.tencent.rooms().length, 10);
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
        await Promise.all([up(a, { roomId: "spaced" }), up(b, { roomId: "spaced" }), up(a, { roomId: "spaced-2" }), up(a, { roomId: "spaced-3" })]);
        // 8, or 9 when a's create of "spaced" waited in the create_room limiter (still holding the last
        // test's grants) long enough for b's to hear 100012 once and wait it out.
        assert.ok(arrivals.length === 8 || arrivals.length === 9, `${arrivals.length} requests`);
        for (const [command, times] of byCommand) {
          const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
          assert.ok(gaps.length === 0 || Math.min(...gaps) >= 120, `${command} requests left closer together than the rate allows: gaps ${gaps.map(Math.round).join(", ")} ms`);
        }
      } finally {
        await logged.stop();
      }
    });

    it("fails at once on a non-retryable code (100002) with the code, ErrorInfo, RequestId and hint", async function () {
      const err = await rejection(up(p, { roomId: "too-big", maxMemberCount: 1000 }));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100002);
      assert.match(err.message, /\[100002\] MaxMemberCount must be between 1 and 300/);
      assert.match(err.message, /RequestId: Id-\w+/);
      assert.match(err.message, /Hint: a field was rejected/);
      assert.equal(err.attempts, 1);
      assert.equal(count(emu, "create_room"), 1);
    });
  });

  describe("update", function () {
    it("sends only the changed fields and returns outputs read back from the API", async function () {
      const { outs: olds } = await up(p, { roomId: "upd", roomName: "declared", customInfo: "v1" });
      // Someone renames the room behind our back; the update below must not send RoomName.
      emu.tencent.mutateRoom("upd", { RoomName: "renamed-in-console" });
      emu.resetCounters();
      const news = await checked(p, { roomId: "upd", roomName: "declared", customInfo: "v2", isVideoDisabled: true });
      const diff = await p.diff("upd", olds, news);
      assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
      const { outs } = await p.update("upd", olds, news);
      assert.equal(count(emu, "update_room_info", "ok"), 1);
      const room = emu.tencent.room("upd");
      assert.equal(room?.CustomInfo, "v2");
      assert.equal(room?.IsVideoDisabled, true);
      assert.equal(room?.RoomName, "renamed-in-console", "an unchanged field was sent");
      assert.equal(outs?.roomName, "renamed-in-console", "outputs are read back, not echoed");
      assert.equal(outs?.customInfo, "v2");
    });

    it("updates takeSeatMode and maxMemberCount in place", async function () {
      const { outs: olds } = await up(p, { roomId: "upd-seat", isSeatEnabled: true, takeSeatMode: "FreeToTake", maxMemberCount: 10 });
      const { outs } = await p.update("upd-seat", olds, await checked(p, { roomId: "upd-seat", isSeatEnabled: true, takeSeatMode: "ApplyToTake", maxMemberCount: 12 }));
      assert.equal(outs?.takeSeatMode, "ApplyToTake");
      assert.equal(outs?.maxMemberCount, 12);
      assert.equal(emu.tencent.room("upd-seat")?.TakeSeatMode, "ApplyToTake");
    });

    it("fails with 100004 and a refresh hint when the room was destroyed behind our back", async function () {
      const { outs: olds } = await up(p, { roomId: "upd-gone" });
      emu.tencent.destroyRoom("upd-gone");
      const err = await rejection(p.update("upd-gone", olds, await checked(p, { roomId: "upd-gone", customInfo: "x" })));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100004);
      assert.match(err.message, /Hint: .*pulumi refresh/);
    });
  });

  describe("read", function () {
    it("shows drift made behind our back in outputs and inputs, so the next diff updates it back", async function () {
      const declared = { roomId: "drift", customInfo: "declared", maxMemberCount: 20 };
      const { outs } = await up(p, declared);
      emu.tencent.mutateRoom("drift", { CustomInfo: "console edit", MaxMemberCount: 99, IsVideoDisabled: true });
      const read = await p.read("drift", outs);
      assert.equal(read.id, "drift");
      assert.equal(read.props?.customInfo, "console edit");
      assert.equal(read.props?.maxMemberCount, 99);
      assert.equal(read.props?.isVideoDisabled, true);
      assert.equal(read.inputs?.customInfo, "console edit");
      assert.equal(read.inputs?.maxMemberCount, 99);
      walk(read, (v, path) => assert.notEqual(v, undefined, `undefined at ${path}`));
      const diff = await p.diff("drift", read.props as TencentRoomOutputs, await checked(p, declared));
      assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("returns no id when the room was destroyed behind our back", async function () {
      const { outs } = await up(p, { roomId: "vanished" });
      emu.tencent.destroyRoom("vanished");
      assert.deepEqual(await p.read("vanished", outs), {});
    });

    it("keeps the invitees from the old outputs (the API cannot return them), so they never show as drift", async function () {
      const { outs } = await up(p, { roomId: "invited", scheduleInvitees: ["bob", "alice"] });
      const read = await p.read("invited", outs);
      assert.deepEqual(read.props?.scheduleInvitees, ["alice", "bob"]);
      assert.deepEqual(read.inputs?.scheduleInvitees, ["alice", "bob"]);
      const diff = await p.diff("invited", read.props as TencentRoomOutputs, await checked(p, { roomId: "invited", scheduleInvitees: ["alice", "bob"] }));
      assert.equal(diff.changes, false);
    });
  });

  describe("delete", function () {
    it("destroys the room", async function () {
      await up(p, { roomId: "doomed" });
      await p.delete("doomed");
      assert.equal(emu.tencent.room("doomed"), undefined);
      assert.equal(count(emu, "destroy_room", "ok"), 1);
    });

    it("succeeds when the room is already gone (100004)", async function () {
      await up(p, { roomId: "gone" });
      emu.tencent.destroyRoom("gone");
      emu.resetCounters();
      await p.delete("gone");
      assert.equal(count(emu, "destroy_room", "100004"), 1);
    });
  });

  describe("settings", function () {
    it("an unconfigured provider fails to create with a SettingsError naming tencent:secretKey and TENCENT_SECRET_KEY, sending nothing", async function () {
      const bare = new TencentRoomProvider({ env: {} });
      emu.resetCounters();
      const err = await rejection(bare.create({ roomId: "nope" }));
      assert.ok(err instanceof SettingsError, String(err));
      assert.match(err.message, /tencent:secretKey/);
      assert.match(err.message, /TENCENT_SECRET_KEY/);
      assert.match(err.message, /tencent:sdkAppId/);
      assert.deepEqual(emu.counters(), {});
    });

    it("falls back to the environment when the stack config has no tencent keys", async function () {
      const fromEnv = new TencentRoomProvider({ ...FAST, env: emu.env() });
      await fromEnv.configure({ config: { get: () => undefined, require: (k: string) => assert.fail(k) } } as pulumi.dynamic.ConfigureRequest);
      const { outs } = await up(fromEnv, { roomId: "env-room" });
      assert.equal(outs.roomId, "env-room");
    });
  });

  describe("admin UserSig", function () {
    it("is cached while valid, renewed after renewAt, and verifies against the emulator", function () {
      const settings = resolveTencentSettings({ get: (k) => emu.stackConfig()[k] }, {});
      // Its own cache entry (another identifier), so the stand-in signatures never reach a real call.
      const isolated = { ...settings, identifier: "usersig-cache-test" };
      let generated = 0;
      const generate = () => `stand-in-usersig-${++generated}`;
      const t0 = Date.now();
      const renewAt = t0 + (USERSIG_TTL_SECONDS - USERSIG_RENEW_BEFORE_SECONDS) * 1000;
      const first = adminUserSig(isolated, t0, generate);
      assert.equal(adminUserSig(isolated, t0 + 60_000, generate), first);
      assert.equal(adminUserSig(isolated, renewAt - 1, generate), first);
      assert.equal(generated, 1, "a valid cached UserSig was generated again");
      const renewed = adminUserSig(isolated, renewAt, generate);
      assert.equal(generated, 2, "a UserSig close to expiry was not renewed");
      assert.notEqual(renewed, first);
      assert.equal(adminUserSig(isolated, renewAt + 1, generate), renewed);
      // The real one (tls-sig-api-v2) is what the emulator verifies, like Tencent: HMAC, app, identifier, expiry.
      const real = adminUserSig(settings);
      const { sdkAppId, secretKey, identifier } = emu.credentials.tencent;
      assert.equal(verifyUserSig(real, sdkAppId, secretKey, identifier, Math.floor(Date.now() / 1000)), 0);
      assert.equal(verifyUserSig(real, sdkAppId, secretKey, identifier, Math.floor(Date.now() / 1000) + USERSIG_TTL_SECONDS + 60), 70001, "valid for 24 hours only");
    });
  });

  describe("resource", function () {
    it("registers pulumi-nodejs:dynamic/rooms:TencentRoom with a small, identical, secret-free require shim", async function () {
      const { TencentRoom } = await import("../provider/tencent/resource");
      const secretKey = "tencent-resource-test-secret-0123456789";
      const run = await runProgram(
        () => {
          new TencentRoom("standup", { ownerAccount: "user2", scheduleStartTime: "2026-12-01T09:00:00Z" });
          new TencentRoom("retro", { roomId: "retro-room" });
        },
        { config: { "tencent:secretKey": secretKey }, secretKeys: ["tencent:secretKey"] },
      );
      const byName = new Map(run.registrations.map((r) => [r.name, r]));
      const [standup, retro] = [byName.get("standup"), byName.get("retro")];
      assert.ok(standup && retro);
      assert.equal(standup.type, "pulumi-nodejs:dynamic/rooms:TencentRoom");
      assert.deepEqual(standup.inputs, { roomId: `standup-${scopeHash("rooms-test", "test", "standup")}`, roomIdSource: "name", ownerAccount: "user2", scheduleStartTime: "2026-12-01T09:00:00Z" });
      assert.deepEqual(retro.inputs, { roomId: "retro-room" });
      const text = standup.provider;
      assert.ok(text);
      assert.ok(Buffer.byteLength(text) < 2048, `__provider is ${Buffer.byteLength(text)} bytes`);
      assert.ok(text.includes('require("pulumi-rooms/tencent")'), text);
      assert.equal(retro.provider, text, "every TencentRoom serializes the same shim");
      assert.equal(text.includes(secretKey), false);
      assert.equal(standup.providerWasSecret, false);
    });
  });
});

describe("TencentRoom secrets", function () {
  const SECRET_KEY = "tencent-SECRET-key-d0-not-leak-7f3e9a1c5b";
  let emu: Emulator;

  before(async function () {
    emu = await startEmulator({ tencent: { secretKey: SECRET_KEY } });
  });

  after(async function () {
    await emu?.stop();
  });

  it("no output, error message or log line carries the secret key or a UserSig", async function () {
    const texts: string[] = [];
    const keep = (v: unknown) => texts.push(typeof v === "string" ? v : JSON.stringify(v) ?? String(v));
    const keepError = (err: unknown) => {
      keep(String(err));
      if (err instanceof Error) {
        keep(err.stack);
        keep(err.message);
        keep({ ...err });
        keep(String((err as { cause?: unknown }).cause));
      }
    };
    const writes = { out: process.stdout.write, err: process.stderr.write };
    const capture = (chunk: unknown) => {
      texts.push(String(chunk));
      return true;
    };
    const debug = process.env.PULUMI_ROOMS_DEBUG;
    process.env.PULUMI_ROOMS_DEBUG = "1";
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    let sig = "";
    try {
      const p = await providerFor(emu);
      sig = adminUserSig(resolveTencentSettings({ get: (k) => emu.stackConfig()[k] }, {}));
      emu.setFaults({ seed: 11, http502: 0.3, reset: 0.2 });
      const { inputs, outs } = await up(p, { ...SAMPLE, roomId: "secret-scan" });
      keep(inputs);
      keep(outs);
      keep(await p.diff("secret-scan", outs, { ...inputs, customInfo: "v2" }));
      keep(await p.update("secret-scan", outs, { ...inputs, customInfo: "v2" }));
      keep(await p.read("secret-scan", outs));
      emu.setFaults(undefined);
      // Failing calls: a rejected field, a foreign room, a wrong key, a malformed setting.
      await p.create({ roomId: "bad", roomType: "Conference", maxMemberCount: 1000 }).catch(keepError);
      plant(emu, "theirs", { Owner_Account: "mallory" });
      await p.create((await checked(p, { roomId: "theirs" })) as Props).catch(keepError);
      const wrongKey = await providerFor(emu, { "tencent:secretKey": `${SECRET_KEY}-wrong` });
      await wrongKey.create({ roomId: "wrong-key", roomType: "Conference" }).catch(keepError);
      const badId = await providerFor(emu, { "tencent:sdkAppId": SECRET_KEY });
      await badId.create({ roomId: "bad-id", roomType: "Conference" }).catch(keepError);
      await p.delete("secret-scan");
    } finally {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      if (debug === undefined) delete process.env.PULUMI_ROOMS_DEBUG;
      else process.env.PULUMI_ROOMS_DEBUG = debug;
    }
    assert.ok(sig.length > 20);
    assert.ok(texts.some((t) => t.includes("[pulumi-rooms]")), "debug logging was not exercised");
    assert.ok(texts.some((t) => t.includes("70009")), "the wrong-key failure was not captured");
    for (const text of texts) {
      assert.ok(!text.includes(SECRET_KEY), `the secret key leaked into: ${text.slice(0, 300)}`);
      assert.ok(!text.includes(sig), `a UserSig leaked into: ${text.slice(0, 300)}`);
      assert.doesNotMatch(text, /usersig=(?!\[REDACTED\])[^&\s"]+/i, `a usersig parameter leaked into: ${text.slice(0, 300)}`);
    }
  });
});
