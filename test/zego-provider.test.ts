/**
 * ZegoRoom lifecycle against the emulator over loopback: the provider class called in process, one
 * `describe` per hook, one `it` per documented rule or return code.
 */
import assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../emulator";
import { PartialFailureError, RoomApiError, SettingsError } from "../provider/core/errors";
import { closeAgent, type RetryPolicy } from "../provider/core/http";
import { resolveZegoSettings } from "../provider/zego/settings";
import { ZegoClient } from "../provider/zego/client";
import { ZegoRoomProvider } from "../provider/zego/provider";
import type { ZegoRoomOutputs } from "../provider/zego/api";
import { ZEGO_EXAMPLE as EXAMPLE } from "./support/samples";
import { rejection } from "./support/rejection";

type Props = Record<string, unknown>;

/** Short backoff so fault tests stay fast. */
const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 10_000 };

async function providerFor(emu: Emulator, config: Record<string, string | undefined> = {}, env: NodeJS.ProcessEnv = {}): Promise<ZegoRoomProvider> {
  const p = new ZegoRoomProvider({ env, retry: FAST_RETRY });
  const all: Record<string, string | undefined> = { ...emu.stackConfig(), ...config };
  const get = (key: string) => all[key];
  const require = (key: string) => get(key) ?? assert.fail(`missing config ${key}`);
  await p.configure({ config: { get, require } } as pulumi.dynamic.ConfigureRequest);
  return p;
}

/** check, then create: what `pulumi up` does for a new resource. */
async function up(p: ZegoRoomProvider, raw: Props): Promise<{ id: string; outs: ZegoRoomOutputs; inputs: Props }> {
  const { inputs, failures } = await p.check({}, raw);
  assert.deepEqual(failures, []);
  const { id, outs } = await p.create(inputs as Props);
  return { id, outs: outs as ZegoRoomOutputs, inputs: inputs as Props };
}

async function checked(p: ZegoRoomProvider, raw: Props): Promise<Props> {
  const { inputs, failures } = await p.check({}, raw);
  assert.deepEqual(failures, []);
  return inputs as Props;
}


const attrs = (emu: Emulator, roomId: string) =>
  Object.fromEntries((emu.zego.room(roomId)?.attributes ?? []).map((a) => [a.key, { value: a.value, autoDelete: a.autoDelete }]));

describe("ZegoRoomProvider (emulator)", function () {
  this.timeout(20_000);
  let emu: Emulator;
  let p: ZegoRoomProvider;

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
    p = await providerFor(emu);
  });

  describe("check and diff", () => {
    it("send no request and need no credentials", async () => {
      const bare = new ZegoRoomProvider({ env: {} });
      const { inputs } = await bare.check({}, EXAMPLE);
      await bare.diff("Room1", { ...(inputs as ZegoRoomOutputs), attributeSeq: 2, userCount: 0 }, { ...EXAMPLE, roomName: "x" });
      await p.check({}, { roomId: "bad/id", attributes: { k: 5 } });
      assert.deepEqual(emu.counters(), {});
    });
  });

  describe("create", () => {
    it("creates the CreateRoom page's example room, registering the operator first", async () => {
      const { id, outs } = await up(p, EXAMPLE);
      assert.equal(id, "Room1");
      assert.deepEqual(outs, {
        roomId: "Room1",
        roomName: "RoomName1",
        fromUserId: "User1",
        destroyDelayTime: 3600,
        attributes: { k1: { value: "v1", autoDelete: false }, k2: { value: "v2", autoDelete: true } },
        attributeSeq: 2,
        userCount: 0,
      });
      const room = emu.zego.room("Room1");
      assert.equal(room?.roomName, "RoomName1");
      assert.equal(room?.destroyDelayTime, 3600);
      assert.equal(room?.createdBy, "User1");
      // User1 was unknown to the app: CreateRoom said so (660500002, "operator user not registered"), the provider registered it and retried.
      const c = emu.counters();
      assert.deepEqual(c.CreateRoom, { "660500002": 1, ok: 1 });
      assert.deepEqual(c.UserRegister, { ok: 1 });
      assert.ok(emu.zego.users().some((u) => u.userId === "User1"));
    });

    it("registers an operator once for many rooms, even concurrently", async () => {
      await Promise.all(["a", "b", "c"].map((roomId) => up(p, { roomId, fromUserId: "Operator7" })));
      await up(p, { roomId: "d", fromUserId: "Operator7" });
      assert.deepEqual(emu.counters().UserRegister, { ok: 1 });
      assert.equal(emu.zego.rooms().length, 4);
    });

    it("treats 'user already exists' (660700002) as registered", async () => {
      emu.zego.registerUser("User1");
      const config = emu.stackConfig();
      await new ZegoClient(resolveZegoSettings({ get: (k) => config[k] }, {})).registerUser("User1");
      assert.deepEqual(emu.counters().UserRegister, { "660700002": 1 });
    });

    it("uses zego:fromUserId when fromUserId is not declared, and fails clearly with neither", async () => {
      await up(p, { roomId: "r1" });
      assert.equal(emu.zego.room("r1")?.createdBy, emu.credentials.zego.fromUserId);
      emu.resetCounters();
      const noOperator = await providerFor(emu, { "zego:fromUserId": undefined });
      const err = await rejection(up(noOperator, { roomId: "r2" }));
      assert.ok(err instanceof SettingsError);
      assert.match(err.message, /fromUserId/);
      assert.match(err.message, /zego:fromUserId/);
      assert.match(err.message, /ZEGO_FROM_USER_ID/);
      assert.deepEqual(emu.counters(), {});
    });

    it("adopts an existing room (660300014) and reconciles its attributes with one ModifyRoomAttribute", async () => {
      await up(p, { roomId: "Room1", attributes: { k1: "old", extra: "x" } });
      emu.resetCounters();
      const { outs } = await up(p, EXAMPLE);
      assert.deepEqual(outs.attributes, { k1: { value: "v1", autoDelete: false }, k2: { value: "v2", autoDelete: true } });
      assert.deepEqual(attrs(emu, "Room1"), outs.attributes);
      assert.equal(emu.zego.rooms().length, 1);
      const c = emu.counters();
      assert.equal(c.CreateRoom?.["660300014"], 1);
      assert.deepEqual(c.ModifyRoomAttribute, { ok: 1 });
    });

    it("adopts its own room after CreateRoom's answer was lost", async () => {
      emu.setFaults({ seed: 1, lostResponse: 1, actions: ["CreateRoom"] });
      const { outs } = await up(p, EXAMPLE);
      assert.equal(emu.zego.rooms().length, 1);
      assert.deepEqual(attrs(emu, "Room1"), outs.attributes);
      assert.deepEqual(outs.attributes, { k1: { value: "v1", autoDelete: false }, k2: { value: "v2", autoDelete: true } });
      const c = emu.counters();
      assert.equal(c.CreateRoom?.["fault:lost"], 1);
      assert.equal(c.CreateRoom?.["660300014"], 1);
      // The attributes were already right: nothing to modify.
      assert.equal(c.ModifyRoomAttribute, undefined);
    });

    it("fails on the room quota (660300015) with code, message, RequestId and hint", async () => {
      const small = await startEmulator({ zego: { roomQuota: 1 } });
      try {
        const q = await providerFor(small);
        await up(q, { roomId: "first" });
        const err = await rejection(up(q, { roomId: "second" }));
        assert.ok(err instanceof RoomApiError);
        assert.equal(err.code, 660300015);
        assert.match(err.message, /\[660300015\] room number exceeds the upper limit/);
        assert.match(err.message, /RequestId: \d+/);
        assert.match(err.message, /Hint: .*quota/);
        // The first CreateRoom also registered the app's default operator (660500002, then UserRegister).
        assert.deepEqual(small.counters().CreateRoom, { "660500002": 1, ok: 1, "660300015": 1 });
      } finally {
        await small.stop();
      }
    });

    it("fails at once on a non-retryable code (100000005) with code, message, RequestId and hint", async () => {
      const wrong = await providerFor(emu, { "zego:serverSecret": "0123456789abcdef0123456789abcdef" });
      const err = await rejection(up(wrong, EXAMPLE));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100000005);
      assert.equal(err.attempts, 1);
      assert.match(err.message, /zego CreateRoom failed: \[100000005\] signature error.*; RequestId: \d+\. Hint: .*zego:serverSecret/);
      assert.deepEqual(emu.counters().CreateRoom, { "100000005": 1 });
    });
  });

  describe("retries", () => {
    for (const [fault, plan, prefix] of [
      ["vendor 'please retry' codes (660000001, 660300005)", { seed: 3, vendorTransient: 0.4 }, /^fault:6603?0000[0-9]+$/],
      ["HTTP 502", { seed: 4, http502: 0.4 }, /^fault:502$/],
      ["connection resets", { seed: 5, reset: 0.4 }, /^fault:reset$/],
    ] as const) {
      it(`retries ${fault}`, async () => {
        emu.setFaults(plan);
        const { id, outs } = await up(p, EXAMPLE);
        const updated = await p.update(id, outs, await checked(p, { ...EXAMPLE, attributes: { k1: "v9" } }));
        assert.ok(await p.read(id, updated.outs as ZegoRoomOutputs));
        await p.delete(id, updated.outs as ZegoRoomOutputs);
        emu.setFaults(undefined);
        const faults = Object.values(emu.counters()).flatMap((byResult) => Object.entries(byResult).filter(([r]) => prefix.test(r)).map(([, n]) => n));
        assert.ok(faults.reduce((a, b) => a + b, 0) > 0, `no fault fired: ${JSON.stringify(emu.counters())}`);
        assert.equal(emu.zego.rooms().length, 0);
      });
    }

    it("paces every call to the documented 20 requests per second", async () => {
      const started = Date.now();
      await Promise.all(Array.from({ length: 30 }, (_, i) => p.read(`missing-${i}`, undefined)));
      const elapsed = Date.now() - started;
      assert.equal(emu.counters().QueryRoomUserList?.["660300001"], 30);
      // Existence comes from QueryRoomUserList, whose page documents 660300001; QueryRoomAttribute's lists no missing-room code.
      assert.equal(emu.counters().QueryRoomAttribute, undefined);
      assert.equal(emu.counters().QueryRoomUserList?.["660300006"], undefined, "QueryRoomUserList's frequency code (its page: 660300006)");
      assert.ok(elapsed >= 1_300, `30 calls took ${elapsed} ms`);
    });
  });

  describe("read", () => {
    it("returns outputs and inputs as the API holds them", async () => {
      const { id, outs } = await up(p, EXAMPLE);
      const res = await p.read(id, outs);
      assert.deepEqual(res.props, outs);
      const { attributeSeq: _s, userCount: _u, ...inputs } = outs;
      assert.deepEqual(res.inputs, inputs);
    });

    it("shows attributes changed, added and deleted behind our back, keeping roomName and destroyDelayTime", async () => {
      const { id, outs } = await up(p, EXAMPLE);
      emu.zego.setAttribute(id, "k1", "changed");
      emu.zego.setAttribute(id, "k3", "added", true);
      emu.zego.deleteAttribute(id, "k2");
      emu.zego.addRoomUser(id, "guest");
      const res = await p.read(id, outs);
      const props = res.props as ZegoRoomOutputs;
      const drifted = { k1: { value: "changed", autoDelete: false }, k3: { value: "added", autoDelete: true } };
      assert.deepEqual(props.attributes, drifted);
      assert.deepEqual((res.inputs as Props).attributes, drifted);
      assert.equal(props.attributeSeq, outs.attributeSeq + 3);
      assert.equal(props.userCount, 1);
      assert.equal(props.roomName, "RoomName1");
      assert.equal(props.destroyDelayTime, 3600);

      // The next up sees the drift and puts it right in one call, deleting the key added behind our back.
      const news = await checked(p, EXAMPLE);
      assert.deepEqual(await p.diff(id, props, news), { changes: true, replaces: [], deleteBeforeReplace: false });
      emu.resetCounters();
      const { outs: fixed } = await p.update(id, props, news);
      assert.deepEqual((fixed as ZegoRoomOutputs).attributes, outs.attributes);
      assert.deepEqual(attrs(emu, id), outs.attributes);
      assert.deepEqual(emu.counters().ModifyRoomAttribute, { ok: 1 });
    });

    it("reports a room destroyed behind our back as gone", async () => {
      const { id, outs } = await up(p, EXAMPLE);
      emu.zego.destroyRoom(id);
      assert.deepEqual(await p.read(id, outs), {});
    });

    it("keeps a room in delayed destruction (660300008) with userCount 0", async () => {
      const { id, outs } = await up(p, EXAMPLE);
      emu.zego.addRoomUser(id, "guest");
      emu.zego.setDelayedDestruction(id, 600);
      const res = await p.read(id, outs);
      assert.equal(res.id, id);
      assert.equal((res.props as ZegoRoomOutputs).userCount, 0);
      assert.equal(emu.counters().QueryRoomUserList?.["660300008"], 1);
    });
  });

  describe("update", () => {
    it("adds, changes and removes attributes with exactly one ModifyRoomAttribute", async () => {
      const { id, outs } = await up(p, { roomId: "r1", attributes: { a: "1", b: "2", c: "3" } });
      emu.resetCounters();
      const { outs: next } = await p.update(id, outs, await checked(p, { roomId: "r1", attributes: { a: "1", b: { value: "2x", autoDelete: true }, d: "4" } }));
      const expected = { a: { value: "1", autoDelete: false }, b: { value: "2x", autoDelete: true }, d: { value: "4", autoDelete: false } };
      assert.deepEqual(attrs(emu, "r1"), expected);
      assert.deepEqual((next as ZegoRoomOutputs).attributes, expected);
      assert.equal((next as ZegoRoomOutputs).attributeSeq, outs.attributeSeq + 3);
      assert.deepEqual(emu.counters().ModifyRoomAttribute, { ok: 1 });
    });

    it("records a new operator without calling the API, and later calls use it", async () => {
      const { id, outs } = await up(p, EXAMPLE);
      emu.resetCounters();
      const { outs: next } = await p.update(id, outs, await checked(p, { ...EXAMPLE, fromUserId: "User2" }));
      assert.deepEqual(emu.counters(), {});
      assert.deepEqual(next, { ...outs, fromUserId: "User2" });
      await p.delete(id, next as ZegoRoomOutputs);
      assert.deepEqual(emu.counters().DestroyRoom, { "660500002": 1, ok: 1 });
      assert.ok(emu.zego.users().some((u) => u.userId === "User2"));
    });

    it("fails on a partial ErrKeyList, naming the failed keys, their SubCodes and the applied keys, with what the room holds now", async () => {
      const { id, outs } = await up(p, { roomId: "r1", fromUserId: "User1", attributes: { a: "1" } });
      emu.zego.failKeys(id, ["b"], 660300012);
      const news = await checked(p, { roomId: "r1", fromUserId: "User1", attributes: { a: "2", b: "new" } });
      const err = await rejection(p.update(id, { ...outs, __provider: "shim" } as ZegoRoomOutputs, { ...news, __provider: "shim" }));
      assert.ok(err instanceof PartialFailureError, String(err));
      assert.ok(err.error instanceof RoomApiError && err.error.code === "PARTIAL_FAILURE");
      assert.match(err.message, /1 of 2 attribute changes failed: "b" \(SubCode 660300012\); applied: "a"/);
      assert.match(err.message, /RequestId: \d+/);
      assert.match(err.message, /nothing is lost/);
      assert.deepEqual(err.reasons, [err.message]);
      assert.equal(err.id, id);
      // The properties the engine records: the room as it is now, the operator, and the shim.
      assert.deepEqual(err.properties, { ...outs, attributes: { a: { value: "2", autoDelete: false } }, attributeSeq: 2, __provider: "shim" });
      assert.deepEqual(attrs(emu, id), { a: { value: "2", autoDelete: false } });
      // Once the key can be written the next up (from the recorded outputs) completes the change.
      emu.zego.failKeys(id, []);
      await p.update(id, err.properties as ZegoRoomOutputs, news);
      assert.deepEqual(attrs(emu, id), { a: { value: "2", autoDelete: false }, b: { value: "new", autoDelete: false } });
    });

    it("keeps the vendor error when the room cannot be read back after a partial failure", async () => {
      const { id, outs } = await up(p, { roomId: "r1", attributes: { a: "1" } });
      emu.zego.failKeys(id, ["b"], 660300012);
      emu.setFaults({ seed: 1, http502: 1, actions: ["QueryRoomUserList"] });
      try {
        const err = await rejection(p.update(id, outs, await checked(p, { roomId: "r1", attributes: { a: "2", b: "new" } })));
        assert.ok(err instanceof RoomApiError && err.code === "PARTIAL_FAILURE", String(err));
      } finally {
        emu.setFaults(undefined);
      }
    });

    it("names the failed keys when every change failed", async () => {
      const { id, outs } = await up(p, { roomId: "r1", attributes: { a: "1" } });
      emu.zego.failKeys(id, ["a"], 660000002);
      const err = await rejection(p.update(id, outs, await checked(p, { roomId: "r1", attributes: { a: "2" } })));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 660000002);
      assert.match(err.message, /failed keys: "a" \(SubCode 660000002\)/);
    });
  });

  describe("delete", () => {
    it("destroys the room", async () => {
      const { id, outs } = await up(p, EXAMPLE);
      await p.delete(id, outs);
      assert.equal(emu.zego.room(id), undefined);
      assert.deepEqual(emu.counters().DestroyRoom, { ok: 1 });
    });

    it("treats a missing room (660300001) as deleted", async () => {
      await p.delete("never-created", { roomId: "never-created" } as ZegoRoomOutputs);
      // The default operator was registered on the way (660500002, then UserRegister and one retry).
      assert.deepEqual(emu.counters().DestroyRoom, { "660500002": 1, "660300001": 1 });
    });
  });

  describe("settings", () => {
    it("names a missing zego:serverSecret with ZEGO_SERVER_SECRET and sends nothing", async () => {
      const missing = await providerFor(emu, { "zego:serverSecret": undefined });
      const err = await rejection(up(missing, EXAMPLE));
      assert.ok(err instanceof SettingsError);
      assert.match(err.message, /zego:serverSecret is not set/);
      assert.match(err.message, /ZEGO_SERVER_SECRET/);
      assert.deepEqual(emu.counters(), {});
    });

    it("falls back to the ZEGO_* environment variables", async () => {
      const fromEnv = new ZegoRoomProvider({ env: emu.env(), retry: FAST_RETRY });
      await fromEnv.configure({ config: { get: () => undefined, require: () => assert.fail() } } as pulumi.dynamic.ConfigureRequest);
      const { id } = await up(fromEnv, { roomId: "env-room" });
      assert.equal(emu.zego.room(id)?.createdBy, emu.credentials.zego.fromUserId);
    });
  });

  describe("secrets", () => {
    it("never shows the server secret or a signature in outputs, errors or stderr", async () => {
      const secret = emu.credentials.zego.serverSecret;
      const seen: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      const previousDebug = process.env.PULUMI_ROOMS_DEBUG;
      process.env.PULUMI_ROOMS_DEBUG = "1";
      // Captured, not passed through: the debug lines would clutter the test report.
      process.stderr.write = ((chunk: string | Uint8Array) => {
        seen.push(String(chunk));
        return true;
      }) as typeof process.stderr.write;
      try {
        emu.setFaults({ seed: 9, http502: 0.3, reset: 0.2, vendorTransient: 0.2 });
        const { id, outs } = await up(p, EXAMPLE);
        seen.push(JSON.stringify(outs));
        const { outs: next } = await p.update(id, outs, await checked(p, { ...EXAMPLE, attributes: { k9: "v" } }));
        seen.push(JSON.stringify(next));
        seen.push(JSON.stringify(await p.read(id, next as ZegoRoomOutputs)));
        emu.setFaults(undefined);
        emu.zego.failKeys(id, ["bad"]);
        seen.push((await rejection(p.update(id, next as ZegoRoomOutputs, await checked(p, { ...EXAMPLE, attributes: { bad: "x" } })))).message);
        const wrong = await providerFor(emu, { "zego:serverSecret": "fedcba9876543210fedcba9876543210" });
        seen.push((await rejection(up(wrong, { roomId: "other" }))).message);
        const unreachable = await providerFor(emu, { "zego:endpoint": "http://127.0.0.1:9" });
        const transport = await rejection(up(unreachable, { roomId: "other" }));
        seen.push(transport.message, String((transport as { cause?: unknown }).cause));
        await p.delete(id, next as ZegoRoomOutputs);
      } finally {
        process.stderr.write = write;
        if (previousDebug === undefined) delete process.env.PULUMI_ROOMS_DEBUG;
        else process.env.PULUMI_ROOMS_DEBUG = previousDebug;
      }
      assert.ok(seen.some((line) => line.includes("retrying")), "expected debug lines about retries");
      for (const line of seen) {
        assert.ok(!line.includes(secret), `secret in: ${line}`);
        assert.ok(!line.includes("fedcba9876543210fedcba9876543210"), `wrong secret in: ${line}`);
        assert.doesNotMatch(line, /Signature=(?!\[REDACTED\])/i, `signature in: ${line}`);
        assert.doesNotMatch(line, /\b[0-9a-f]{32}\b/, `something like a signature in: ${line}`);
      }
    });
  });
});
