/**
 * ZegoRoom check, diff and create against the emulator over loopback: the provider class called in
 * process, one `it` per documented rule or return code of CreateRoom and the operator registration, and
 * the retries and pacing of calls. The other hooks are in zego-provider.test.ts.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../../../emulator";
import { RoomApiError, SettingsError } from "../../../provider/core/errors";
import type { ZegoRoomOutputs } from "../../../provider/zego/api";
import { ZegoClient } from "../../../provider/zego/client";
import { ZegoRoomProvider } from "../../../provider/zego/provider";
import { resolveZegoSettings } from "../../../provider/zego/settings";
import { rejection } from "../../support/rejection";
import { ZEGO_EXAMPLE as EXAMPLE, ZEGO_EXAMPLE_OUTPUTS } from "../../support/samples";
import { attrs, checked, providerFor, up, zegoSuite } from "../../support/zego-rooms";

describe("ZegoRoomProvider create (emulator)", function () {
  const t = zegoSuite();

  describe("check and diff", () => {
    it("send no request and need no credentials", async () => {
      const bare = new ZegoRoomProvider({ env: {} });
      const { inputs } = await bare.check({}, EXAMPLE);
      await bare.diff(
        "Room1",
        { ...(inputs as ZegoRoomOutputs), attributeSeq: 2, userCount: 0 },
        { ...EXAMPLE, roomName: "x" },
      );
      await t.p.check({}, { roomId: "bad/id", attributes: { k: 5 } });
      assert.deepEqual(t.emu.counters(), {});
    });
  });

  describe("create", () => {
    it("creates the CreateRoom page's example room, registering the operator first", async () => {
      const { id, outs } = await up(t.p, EXAMPLE);
      assert.equal(id, "Room1");
      assert.deepEqual(outs, ZEGO_EXAMPLE_OUTPUTS);
      const room = t.emu.zego.room("Room1");
      assert.equal(room?.roomName, "RoomName1");
      assert.equal(room?.destroyDelayTime, 3600);
      assert.equal(room?.createdBy, "User1");
      // User1 was unknown to the app: CreateRoom said so (660500002, "operator user not registered"), the provider registered it and retried.
      const c = t.emu.counters();
      assert.deepEqual(c.CreateRoom, { "660500002": 1, ok: 1 });
      assert.deepEqual(c.UserRegister, { ok: 1 });
      assert.ok(t.emu.zego.users().some((u) => u.userId === "User1"));
    });

    it("registers an operator once for many rooms, even concurrently", async () => {
      await Promise.all(["a", "b", "c"].map((roomId) => up(t.p, { roomId, fromUserId: "Operator7" })));
      await up(t.p, { roomId: "d", fromUserId: "Operator7" });
      assert.deepEqual(t.emu.counters().UserRegister, { ok: 1 });
      assert.equal(t.emu.zego.rooms().length, 4);
    });

    it("treats 'user already exists' (660700002) as registered", async () => {
      t.emu.zego.registerUser("User1");
      const config = t.emu.stackConfig();
      await new ZegoClient(resolveZegoSettings({ get: (k) => config[k] }, {})).registerUser("User1");
      assert.deepEqual(t.emu.counters().UserRegister, { "660700002": 1 });
    });

    it("uses zego:fromUserId when fromUserId is not declared, and fails clearly with neither", async () => {
      await up(t.p, { roomId: "r1" });
      assert.equal(t.emu.zego.room("r1")?.createdBy, t.emu.credentials.zego.fromUserId);
      t.emu.resetCounters();
      const noOperator = await providerFor(t.emu, { "zego:fromUserId": undefined });
      const err = await rejection(up(noOperator, { roomId: "r2" }));
      assert.ok(err instanceof SettingsError);
      assert.match(err.message, /fromUserId/);
      assert.match(err.message, /zego:fromUserId/);
      assert.match(err.message, /ZEGO_FROM_USER_ID/);
      assert.deepEqual(t.emu.counters(), {});
    });

    it("adopts an existing room (660300014) and reconciles its attributes with one ModifyRoomAttribute", async () => {
      await up(t.p, { roomId: "Room1", attributes: { k1: "old", extra: "x" } });
      t.emu.resetCounters();
      const { outs } = await up(t.p, EXAMPLE);
      assert.deepEqual(outs.attributes, {
        k1: { value: "v1", autoDelete: false },
        k2: { value: "v2", autoDelete: true },
      });
      assert.deepEqual(attrs(t.emu, "Room1"), outs.attributes);
      assert.equal(t.emu.zego.rooms().length, 1);
      const c = t.emu.counters();
      assert.equal(c.CreateRoom?.["660300014"], 1);
      assert.deepEqual(c.ModifyRoomAttribute, { ok: 1 });
    });

    it("adopts its own room after CreateRoom's answer was lost", async () => {
      t.emu.setFaults({ seed: 1, lostResponse: 1, actions: ["CreateRoom"] });
      const { outs } = await up(t.p, EXAMPLE);
      assert.equal(t.emu.zego.rooms().length, 1);
      assert.deepEqual(attrs(t.emu, "Room1"), outs.attributes);
      assert.deepEqual(outs.attributes, {
        k1: { value: "v1", autoDelete: false },
        k2: { value: "v2", autoDelete: true },
      });
      const c = t.emu.counters();
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
      const wrong = await providerFor(t.emu, { "zego:serverSecret": "0123456789abcdef0123456789abcdef" });
      const err = await rejection(up(wrong, EXAMPLE));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100000005);
      assert.equal(err.attempts, 1);
      assert.match(
        err.message,
        /zego CreateRoom failed: \[100000005\] signature error.*; RequestId: \d+\. Hint: .*zego:serverSecret/,
      );
      assert.deepEqual(t.emu.counters().CreateRoom, { "100000005": 1 });
    });
  });

  describe("retries", () => {
    for (const [fault, plan, prefix] of [
      [
        "vendor 'please retry' codes (660000001, 660300005)",
        { seed: 3, vendorTransient: 0.4 },
        /^fault:6603?0000[0-9]+$/,
      ],
      ["HTTP 502", { seed: 4, http502: 0.4 }, /^fault:502$/],
      ["connection resets", { seed: 5, reset: 0.4 }, /^fault:reset$/],
    ] as const) {
      it(`retries ${fault}`, async () => {
        t.emu.setFaults(plan);
        const { id, outs } = await up(t.p, EXAMPLE);
        const updated = await t.p.update(id, outs, await checked(t.p, { ...EXAMPLE, attributes: { k1: "v9" } }));
        assert.ok(await t.p.read(id, updated.outs));
        await t.p.delete(id, updated.outs);
        t.emu.setFaults(undefined);
        const faults = Object.values(t.emu.counters()).flatMap((byResult) =>
          Object.entries(byResult)
            .filter(([r]) => prefix.test(r))
            .map(([, n]) => n),
        );
        assert.ok(faults.reduce((a, b) => a + b, 0) > 0, `no fault fired: ${JSON.stringify(t.emu.counters())}`);
        assert.equal(t.emu.zego.rooms().length, 0);
      });
    }

    it("paces every call to the documented 20 requests per second", async () => {
      const started = Date.now();
      await Promise.all(Array.from({ length: 30 }, (_, i) => t.p.read(`missing-${i}`, undefined)));
      const elapsed = Date.now() - started;
      assert.equal(t.emu.counters().QueryRoomUserList?.["660300001"], 30);
      // Existence comes from QueryRoomUserList, whose page documents 660300001; QueryRoomAttribute's lists no missing-room code.
      assert.equal(t.emu.counters().QueryRoomAttribute, undefined);
      assert.equal(
        t.emu.counters().QueryRoomUserList?.["660300006"],
        undefined,
        "QueryRoomUserList's frequency code (its page: 660300006)",
      );
      assert.ok(elapsed >= 1_300, `30 calls took ${elapsed} ms`);
    });
  });
});
