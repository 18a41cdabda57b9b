/**
 * TencentRoom against the emulator over loopback: the provider class called in process, one `describe`
 * per hook, one `it` per documented rule or error code (get_room_info, update_room_info and destroy_room:
 * https://trtc.io/document/60704, 60705, 60706). create is in tencent-create.test.ts.
 */
import assert from "node:assert/strict";
import { startEmulator, type Emulator } from "../../../emulator";
import { verifyUserSig } from "../../../emulator/tencent/usersig";
import { RoomApiError, SettingsError } from "../../../provider/core/errors";
import { scopeHash } from "../../../provider/core/naming";
import { adminUserSig, USERSIG_RENEW_BEFORE_SECONDS, USERSIG_TTL_SECONDS } from "../../../provider/tencent/client";
import { TencentRoomProvider } from "../../../provider/tencent/provider";
import { resolveTencentSettings } from "../../../provider/tencent/settings";
import { runProgram } from "../../support/program";
import { rejection } from "../../support/rejection";
import { checked, count, FAST, plant, providerFor, SAMPLE, up, walk, tencentSuite } from "../../support/tencent-rooms";

describe("TencentRoom lifecycle (emulator)", function () {
  const t = tencentSuite();

  describe("update", function () {
    it("sends only the changed fields and returns outputs read back from the API", async function () {
      const { outs: olds } = await up(t.p, { roomId: "upd", roomName: "declared", customInfo: "v1" });
      // Someone renames the room behind our back; the update below must not send RoomName.
      t.emu.tencent.mutateRoom("upd", { RoomName: "renamed-in-console" });
      t.emu.resetCounters();
      const news = await checked(t.p, { roomId: "upd", roomName: "declared", customInfo: "v2", isVideoDisabled: true });
      const diff = await t.p.diff("upd", olds, news);
      assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
      const { outs } = await t.p.update("upd", olds, news);
      assert.equal(count(t.emu, "update_room_info", "ok"), 1);
      const room = t.emu.tencent.room("upd");
      assert.equal(room?.CustomInfo, "v2");
      assert.equal(room?.IsVideoDisabled, true);
      assert.equal(room?.RoomName, "renamed-in-console", "an unchanged field was sent");
      assert.equal(outs?.roomName, "renamed-in-console", "outputs are read back, not echoed");
      assert.equal(outs?.customInfo, "v2");
    });

    it("updates takeSeatMode and maxMemberCount in place", async function () {
      const { outs: olds } = await up(t.p, {
        roomId: "upd-seat",
        isSeatEnabled: true,
        takeSeatMode: "FreeToTake",
        maxMemberCount: 10,
      });
      const { outs } = await t.p.update(
        "upd-seat",
        olds,
        await checked(t.p, {
          roomId: "upd-seat",
          isSeatEnabled: true,
          takeSeatMode: "ApplyToTake",
          maxMemberCount: 12,
        }),
      );
      assert.equal(outs?.takeSeatMode, "ApplyToTake");
      assert.equal(outs?.maxMemberCount, 12);
      assert.equal(t.emu.tencent.room("upd-seat")?.TakeSeatMode, "ApplyToTake");
    });

    it("fails with 100004 and a refresh hint when the room was destroyed behind our back", async function () {
      const { outs: olds } = await up(t.p, { roomId: "upd-gone" });
      t.emu.tencent.destroyRoom("upd-gone");
      const err = await rejection(
        t.p.update("upd-gone", olds, await checked(t.p, { roomId: "upd-gone", customInfo: "x" })),
      );
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100004);
      assert.match(err.message, /Hint: .*pulumi refresh/);
    });
  });

  describe("read", function () {
    it("shows drift made behind our back in outputs and inputs, so the next diff updates it back", async function () {
      const declared = { roomId: "drift", customInfo: "declared", maxMemberCount: 20 };
      const { outs } = await up(t.p, declared);
      t.emu.tencent.mutateRoom("drift", { CustomInfo: "console edit", MaxMemberCount: 99, IsVideoDisabled: true });
      const read = await t.p.read("drift", outs);
      assert.equal(read.id, "drift");
      assert.equal(read.props?.customInfo, "console edit");
      assert.equal(read.props?.maxMemberCount, 99);
      assert.equal(read.props?.isVideoDisabled, true);
      assert.equal(read.inputs?.customInfo, "console edit");
      assert.equal(read.inputs?.maxMemberCount, 99);
      walk(read, (v, path) => assert.notEqual(v, undefined, `undefined at ${path}`));
      const diff = await t.p.diff("drift", read.props, await checked(t.p, declared));
      assert.deepEqual(diff, { changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("returns no id when the room was destroyed behind our back", async function () {
      const { outs } = await up(t.p, { roomId: "vanished" });
      t.emu.tencent.destroyRoom("vanished");
      assert.deepEqual(await t.p.read("vanished", outs), {});
    });

    it("keeps the invitees from the old outputs (the API cannot return them), so they never show as drift", async function () {
      const { outs } = await up(t.p, { roomId: "invited", scheduleInvitees: ["bob", "alice"] });
      const read = await t.p.read("invited", outs);
      assert.deepEqual(read.props?.scheduleInvitees, ["alice", "bob"]);
      assert.deepEqual(read.inputs?.scheduleInvitees, ["alice", "bob"]);
      const diff = await t.p.diff(
        "invited",
        read.props,
        await checked(t.p, { roomId: "invited", scheduleInvitees: ["alice", "bob"] }),
      );
      assert.equal(diff.changes, false);
    });
  });

  describe("delete", function () {
    it("destroys the room", async function () {
      await up(t.p, { roomId: "doomed" });
      await t.p.delete("doomed");
      assert.equal(t.emu.tencent.room("doomed"), undefined);
      assert.equal(count(t.emu, "destroy_room", "ok"), 1);
    });

    it("succeeds when the room is already gone (100004)", async function () {
      await up(t.p, { roomId: "gone" });
      t.emu.tencent.destroyRoom("gone");
      t.emu.resetCounters();
      await t.p.delete("gone");
      assert.equal(count(t.emu, "destroy_room", "100004"), 1);
    });
  });

  describe("settings", function () {
    it("an unconfigured provider fails to create with a SettingsError naming tencent:secretKey and TENCENT_SECRET_KEY, sending nothing", async function () {
      const bare = new TencentRoomProvider({ env: {} });
      t.emu.resetCounters();
      const err = await rejection(bare.create({ roomId: "nope" }));
      assert.ok(err instanceof SettingsError, String(err));
      assert.match(err.message, /tencent:secretKey/);
      assert.match(err.message, /TENCENT_SECRET_KEY/);
      assert.match(err.message, /tencent:sdkAppId/);
      assert.deepEqual(t.emu.counters(), {});
    });

    it("falls back to the environment when the stack config has no tencent keys", async function () {
      const fromEnv = new TencentRoomProvider({ ...FAST, env: t.emu.env() });
      await fromEnv.configure({ config: { get: () => undefined, require: (k: string) => assert.fail(k) } });
      const { outs } = await up(fromEnv, { roomId: "env-room" });
      assert.equal(outs.roomId, "env-room");
    });
  });

  describe("admin UserSig", function () {
    it("is cached while valid, renewed after renewAt, and verifies against the emulator", function () {
      const settings = resolveTencentSettings({ get: (k) => t.emu.stackConfig()[k] }, {});
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
      const { sdkAppId, secretKey, identifier } = t.emu.credentials.tencent;
      assert.equal(verifyUserSig(real, sdkAppId, secretKey, identifier, Math.floor(Date.now() / 1000)), 0);
      assert.equal(
        verifyUserSig(real, sdkAppId, secretKey, identifier, Math.floor(Date.now() / 1000) + USERSIG_TTL_SECONDS + 60),
        70001,
        "valid for 24 hours only",
      );
    });
  });

  describe("resource", function () {
    it("registers pulumi-nodejs:dynamic/rooms:TencentRoom with a small, identical, secret-free require shim", async function () {
      const { TencentRoom } = await import("../../../provider/tencent/resource");
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
      assert.deepEqual(standup.inputs, {
        roomId: `standup-${scopeHash("rooms-test", "test", "standup")}`,
        roomIdSource: "name",
        ownerAccount: "user2",
        scheduleStartTime: "2026-12-01T09:00:00Z",
      });
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
    const keep = (v: unknown) => texts.push(typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)));
    const keepError = (err: unknown) => {
      keep(String(err));
      if (err instanceof Error) {
        keep(err.stack);
        keep(err.message);
        keep({ ...err });
        keep(String((err as { cause?: unknown }).cause));
      }
    };
    // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back as they were
    const writes = { out: process.stdout.write, err: process.stderr.write };
    const capture = (chunk: unknown) => {
      texts.push(String(chunk));
      return true;
    };
    const debug = process.env.PULUMI_ROOMS_DEBUG;
    process.env.PULUMI_ROOMS_DEBUG = "1";
    process.stdout.write = capture;
    process.stderr.write = capture;
    let sig: string | undefined;
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
      await p.create(await checked(p, { roomId: "theirs" })).catch(keepError);
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
    assert.ok(sig !== undefined && sig.length > 20);
    assert.ok(
      texts.some((t) => t.includes("[pulumi-rooms]")),
      "debug logging was not exercised",
    );
    assert.ok(
      texts.some((t) => t.includes("70009")),
      "the wrong-key failure was not captured",
    );
    for (const text of texts) {
      assert.ok(!text.includes(SECRET_KEY), `the secret key leaked into: ${text.slice(0, 300)}`);
      assert.ok(!text.includes(sig), `a UserSig leaked into: ${text.slice(0, 300)}`);
      assert.doesNotMatch(
        text,
        /usersig=(?!\[REDACTED\])[^&\s"]+/i,
        `a usersig parameter leaked into: ${text.slice(0, 300)}`,
      );
    }
  });
});
