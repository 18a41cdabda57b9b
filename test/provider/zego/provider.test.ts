/**
 * ZegoRoom read, update and delete against the emulator over loopback: the provider class called in
 * process, one `describe` per hook, one `it` per documented rule or return code. Create is in
 * zego-create.test.ts.
 */
import assert from "node:assert/strict";
import { PartialFailureError, RoomApiError, SettingsError } from "../../../provider/core/errors";
import type { ZegoRoomOutputs } from "../../../provider/zego/api";
import { ZegoRoomProvider } from "../../../provider/zego/provider";
import { rejection } from "../../support/rejection";
import { ZEGO_EXAMPLE as EXAMPLE } from "../../support/samples";
import { attrs, checked, FAST_RETRY, providerFor, up, zegoSuite, type Props } from "../../support/zego-rooms";

describe("ZegoRoomProvider (emulator)", function () {
  const t = zegoSuite();

  describe("read", () => {
    it("returns outputs and inputs as the API holds them", async () => {
      const { id, outs } = await up(t.p, EXAMPLE);
      const res = await t.p.read(id, outs);
      assert.deepEqual(res.props, outs);
      const { attributeSeq: _s, userCount: _u, ...inputs } = outs;
      assert.deepEqual(res.inputs, inputs);
    });

    it("shows attributes changed, added and deleted behind our back, keeping roomName and destroyDelayTime", async () => {
      const { id, outs } = await up(t.p, EXAMPLE);
      t.emu.zego.setAttribute(id, "k1", "changed");
      t.emu.zego.setAttribute(id, "k3", "added", true);
      t.emu.zego.deleteAttribute(id, "k2");
      t.emu.zego.addRoomUser(id, "guest");
      const res = await t.p.read(id, outs);
      const props = res.props as ZegoRoomOutputs;
      const drifted = { k1: { value: "changed", autoDelete: false }, k3: { value: "added", autoDelete: true } };
      assert.deepEqual(props.attributes, drifted);
      assert.deepEqual((res.inputs as Props).attributes, drifted);
      assert.equal(props.attributeSeq, outs.attributeSeq + 3);
      assert.equal(props.userCount, 1);
      assert.equal(props.roomName, "RoomName1");
      assert.equal(props.destroyDelayTime, 3600);

      // The next up sees the drift and puts it right in one call, deleting the key added behind our back.
      const news = await checked(t.p, EXAMPLE);
      assert.deepEqual(await t.p.diff(id, props, news), { changes: true, replaces: [], deleteBeforeReplace: false });
      t.emu.resetCounters();
      const { outs: fixed } = await t.p.update(id, props, news);
      assert.deepEqual((fixed as ZegoRoomOutputs).attributes, outs.attributes);
      assert.deepEqual(attrs(t.emu, id), outs.attributes);
      assert.deepEqual(t.emu.counters().ModifyRoomAttribute, { ok: 1 });
    });

    it("reports a room destroyed behind our back as gone", async () => {
      const { id, outs } = await up(t.p, EXAMPLE);
      t.emu.zego.destroyRoom(id);
      assert.deepEqual(await t.p.read(id, outs), {});
    });

    it("keeps a room in delayed destruction (660300008) with userCount 0", async () => {
      const { id, outs } = await up(t.p, EXAMPLE);
      t.emu.zego.addRoomUser(id, "guest");
      t.emu.zego.setDelayedDestruction(id, 600);
      const res = await t.p.read(id, outs);
      assert.equal(res.id, id);
      assert.equal((res.props as ZegoRoomOutputs).userCount, 0);
      assert.equal(t.emu.counters().QueryRoomUserList?.["660300008"], 1);
    });
  });

  describe("update", () => {
    it("adds, changes and removes attributes with exactly one ModifyRoomAttribute", async () => {
      const { id, outs } = await up(t.p, { roomId: "r1", attributes: { a: "1", b: "2", c: "3" } });
      t.emu.resetCounters();
      const { outs: next } = await t.p.update(
        id,
        outs,
        await checked(t.p, { roomId: "r1", attributes: { a: "1", b: { value: "2x", autoDelete: true }, d: "4" } }),
      );
      const expected = {
        a: { value: "1", autoDelete: false },
        b: { value: "2x", autoDelete: true },
        d: { value: "4", autoDelete: false },
      };
      assert.deepEqual(attrs(t.emu, "r1"), expected);
      assert.deepEqual((next as ZegoRoomOutputs).attributes, expected);
      assert.equal((next as ZegoRoomOutputs).attributeSeq, outs.attributeSeq + 3);
      assert.deepEqual(t.emu.counters().ModifyRoomAttribute, { ok: 1 });
    });

    it("records a new operator without calling the API, and later calls use it", async () => {
      const { id, outs } = await up(t.p, EXAMPLE);
      t.emu.resetCounters();
      const { outs: next } = await t.p.update(id, outs, await checked(t.p, { ...EXAMPLE, fromUserId: "User2" }));
      assert.deepEqual(t.emu.counters(), {});
      assert.deepEqual(next, { ...outs, fromUserId: "User2" });
      await t.p.delete(id, next);
      assert.deepEqual(t.emu.counters().DestroyRoom, { "660500002": 1, ok: 1 });
      assert.ok(t.emu.zego.users().some((u) => u.userId === "User2"));
    });

    it("fails on a partial ErrKeyList, naming the failed keys, their SubCodes and the applied keys, with what the room holds now", async () => {
      const { id, outs } = await up(t.p, { roomId: "r1", fromUserId: "User1", attributes: { a: "1" } });
      t.emu.zego.failKeys(id, ["b"], 660300012);
      const news = await checked(t.p, { roomId: "r1", fromUserId: "User1", attributes: { a: "2", b: "new" } });
      const err = await rejection(
        t.p.update(id, { ...outs, __provider: "shim" } as ZegoRoomOutputs, { ...news, __provider: "shim" }),
      );
      assert.ok(err instanceof PartialFailureError, String(err));
      assert.ok(err.error instanceof RoomApiError && err.error.code === "PARTIAL_FAILURE");
      assert.match(err.message, /1 of 2 attribute changes failed: "b" \(SubCode 660300012\); applied: "a"/);
      assert.match(err.message, /RequestId: \d+/);
      assert.match(err.message, /nothing is lost/);
      assert.deepEqual(err.reasons, [err.message]);
      assert.equal(err.id, id);
      // The properties the engine records: the room as it is now, the operator, and the shim.
      assert.deepEqual(err.properties, {
        ...outs,
        attributes: { a: { value: "2", autoDelete: false } },
        attributeSeq: 2,
        __provider: "shim",
      });
      assert.deepEqual(attrs(t.emu, id), { a: { value: "2", autoDelete: false } });
      // Once the key can be written the next up (from the recorded outputs) completes the change.
      t.emu.zego.failKeys(id, []);
      await t.p.update(id, err.properties, news);
      assert.deepEqual(attrs(t.emu, id), {
        a: { value: "2", autoDelete: false },
        b: { value: "new", autoDelete: false },
      });
    });

    it("keeps the vendor error when the room cannot be read back after a partial failure", async () => {
      const { id, outs } = await up(t.p, { roomId: "r1", attributes: { a: "1" } });
      t.emu.zego.failKeys(id, ["b"], 660300012);
      t.emu.setFaults({ seed: 1, http502: 1, actions: ["QueryRoomUserList"] });
      try {
        const err = await rejection(
          t.p.update(id, outs, await checked(t.p, { roomId: "r1", attributes: { a: "2", b: "new" } })),
        );
        assert.ok(err instanceof RoomApiError && err.code === "PARTIAL_FAILURE", String(err));
      } finally {
        t.emu.setFaults(undefined);
      }
    });

    it("names the failed keys when every change failed", async () => {
      const { id, outs } = await up(t.p, { roomId: "r1", attributes: { a: "1" } });
      t.emu.zego.failKeys(id, ["a"], 660000002);
      const err = await rejection(t.p.update(id, outs, await checked(t.p, { roomId: "r1", attributes: { a: "2" } })));
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 660000002);
      assert.match(err.message, /failed keys: "a" \(SubCode 660000002\)/);
    });
  });

  describe("delete", () => {
    it("destroys the room", async () => {
      const { id, outs } = await up(t.p, EXAMPLE);
      await t.p.delete(id, outs);
      assert.equal(t.emu.zego.room(id), undefined);
      assert.deepEqual(t.emu.counters().DestroyRoom, { ok: 1 });
    });

    it("treats a missing room (660300001) as deleted", async () => {
      await t.p.delete("never-created", { roomId: "never-created" } as ZegoRoomOutputs);
      // The default operator was registered on the way (660500002, then UserRegister and one retry).
      assert.deepEqual(t.emu.counters().DestroyRoom, { "660500002": 1, "660300001": 1 });
    });
  });

  describe("settings", () => {
    it("names a missing zego:serverSecret with ZEGO_SERVER_SECRET and sends nothing", async () => {
      const missing = await providerFor(t.emu, { "zego:serverSecret": undefined });
      const err = await rejection(up(missing, EXAMPLE));
      assert.ok(err instanceof SettingsError);
      assert.match(err.message, /zego:serverSecret is not set/);
      assert.match(err.message, /ZEGO_SERVER_SECRET/);
      assert.deepEqual(t.emu.counters(), {});
    });

    it("falls back to the ZEGO_* environment variables", async () => {
      const fromEnv = new ZegoRoomProvider({ env: t.emu.env(), retry: FAST_RETRY });
      await fromEnv.configure({ config: { get: () => undefined, require: () => assert.fail() } });
      const { id } = await up(fromEnv, { roomId: "env-room" });
      assert.equal(t.emu.zego.room(id)?.createdBy, t.emu.credentials.zego.fromUserId);
    });
  });

  describe("secrets", () => {
    it("never shows the server secret or a signature in outputs, errors or stderr", async () => {
      const secret = t.emu.credentials.zego.serverSecret;
      const seen: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      const previousDebug = process.env.PULUMI_ROOMS_DEBUG;
      process.env.PULUMI_ROOMS_DEBUG = "1";
      // Captured, not passed through: the debug lines would clutter the test report.
      process.stderr.write = (chunk: string | Uint8Array) => {
        seen.push(String(chunk));
        return true;
      };
      try {
        t.emu.setFaults({ seed: 9, http502: 0.3, reset: 0.2, vendorTransient: 0.2 });
        const { id, outs } = await up(t.p, EXAMPLE);
        seen.push(JSON.stringify(outs));
        const { outs: next } = await t.p.update(id, outs, await checked(t.p, { ...EXAMPLE, attributes: { k9: "v" } }));
        seen.push(JSON.stringify(next));
        seen.push(JSON.stringify(await t.p.read(id, next)));
        t.emu.setFaults(undefined);
        t.emu.zego.failKeys(id, ["bad"]);
        seen.push(
          (
            await rejection(
              t.p.update(id, next as ZegoRoomOutputs, await checked(t.p, { ...EXAMPLE, attributes: { bad: "x" } })),
            )
          ).message,
        );
        const wrong = await providerFor(t.emu, { "zego:serverSecret": "fedcba9876543210fedcba9876543210" });
        seen.push((await rejection(up(wrong, { roomId: "other" }))).message);
        const unreachable = await providerFor(t.emu, { "zego:endpoint": "http://127.0.0.1:9" });
        const transport = await rejection(up(unreachable, { roomId: "other" }));
        seen.push(transport.message, String((transport as { cause?: unknown }).cause));
        await t.p.delete(id, next);
      } finally {
        process.stderr.write = write;
        if (previousDebug === undefined) delete process.env.PULUMI_ROOMS_DEBUG;
        else process.env.PULUMI_ROOMS_DEBUG = previousDebug;
      }
      assert.ok(
        seen.some((line) => line.includes("retrying")),
        "expected debug lines about retries",
      );
      for (const line of seen) {
        assert.ok(!line.includes(secret), `secret in: ${line}`);
        assert.ok(!line.includes("fedcba9876543210fedcba9876543210"), `wrong secret in: ${line}`);
        assert.doesNotMatch(line, /Signature=(?!\[REDACTED\])/i, `signature in: ${line}`);
        assert.doesNotMatch(line, /\b[0-9a-f]{32}\b/, `something like a signature in: ${line}`);
      }
    });
  });
});
