/**
 * Tencent emulation: the frequency limit, faults and the handler contract, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../../../emulator";
import { ADMIN, SECRET, expectCode, tencentSuite } from "../../support/tencent-conformance";

tencentSuite("rate limit, faults and handler contract", (bench) => {
  describe("frequency limit (the command pages: 200 requests/second; rate.ts: per command or per app, sliding or wall-clock second)", () => {
    it("default, per command over a sliding second: 60007 for the 201st get_room_info within any 1000 ms", async () => {
      bench.clockMs = Math.floor(bench.clockMs / 1000) * 1000 + 900;
      const answers = await Promise.all(
        Array.from({ length: 210 }, () => bench.call("get_room_info", { RoomId: "none" })),
      );
      assert.equal(answers.filter((a) => a.body.ErrorCode === 100004).length, 200);
      assert.equal(answers.filter((a) => a.body.ErrorCode === 60007).length, 10);
      // A new wall-clock second 100 ms later is not a new window: the last 1000 ms still hold 200.
      bench.clockMs += 100;
      expectCode(await bench.call("get_room_info", { RoomId: "none" }), 60007, "frequency");
      bench.clockMs += 899;
      expectCode(await bench.call("get_room_info", { RoomId: "none" }), 60007);
      bench.clockMs += 1;
      expectCode(await bench.call("get_room_info", { RoomId: "none" }), 100004);
    });
    it("per command, each command has a quota of its own", async () => {
      await bench.fresh({ ratePerSecond: 2 });
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(await bench.create({ RoomId: "r2" }), 0);
      expectCode(await bench.call("get_room_info", { RoomId: "r1" }), 0);
      expectCode(await bench.call("update_room_info", { RoomInfo: { RoomId: "r1", RoomName: "n" } }), 0);
      expectCode(await bench.call("destroy_room", { RoomId: "r1" }), 0);
      expectCode(await bench.call("get_room_info", { RoomId: "r2" }), 0);
      expectCode(await bench.call("get_room_info", { RoomId: "r2" }), 60007);
    });
    it('per app (rateMode.scope "app"): all commands share one quota and the answer is 60011', async () => {
      await bench.fresh({ ratePerSecond: 3, rateMode: { scope: "app" } });
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(await bench.call("get_room_info", { RoomId: "r1" }), 0);
      expectCode(await bench.call("update_room_info", { RoomInfo: { RoomId: "r1", RoomName: "n" } }), 0);
      expectCode(await bench.call("destroy_room", { RoomId: "r1" }), 60011);
      assert.ok(bench.running().tencent.room("r1"), "a limited request changes nothing");
    });
    it('per wall-clock second (rateMode.window "fixed"): the next second is free again at once', async () => {
      await bench.fresh({ ratePerSecond: 5, rateMode: { window: "fixed" } });
      bench.clockMs = Math.floor(bench.clockMs / 1000) * 1000 + 900;
      for (let i = 0; i < 5; i++) expectCode(await bench.call("get_room_info", { RoomId: "none" }), 100004);
      expectCode(await bench.call("get_room_info", { RoomId: "none" }), 60007);
      bench.clockMs += 100;
      for (let i = 0; i < 5; i++) expectCode(await bench.call("get_room_info", { RoomId: "none" }), 100004);
    });
    it("requests refused before authentication passes do not use up the quota", async () => {
      await bench.fresh({ ratePerSecond: 2 });
      for (let i = 0; i < 5; i++)
        expectCode(await bench.call("get_room_info", { RoomId: "r" }, { key: "wrong" }), 70009);
      for (let i = 0; i < 5; i++)
        expectCode(await bench.call("get_room_info", { RoomId: "r" }, { method: "GET" }), 60002);
      expectCode(await bench.call("get_room_info", { RoomId: "r" }), 100004);
      expectCode(await bench.call("get_room_info", { RoomId: "r" }), 100004);
      expectCode(await bench.call("get_room_info", { RoomId: "r" }), 60007);
    });
    it("is off with setRateLimits({ tencent: false }) and can be turned on again", async () => {
      bench.running().setRateLimits({ tencent: false });
      const answers = await Promise.all(
        Array.from({ length: 260 }, () => bench.call("get_room_info", { RoomId: "none" })),
      );
      assert.ok(answers.every((a) => a.body.ErrorCode === 100004));
      bench.running().setRateLimits({ tencent: 1 });
      bench.clockMs += 1000;
      expectCode(await bench.call("get_room_info", { RoomId: "none" }), 100004);
      expectCode(await bench.call("get_room_info", { RoomId: "none" }), 60007);
    });
    it("a running emulator switches scope and window, programmatically and over POST /_emulator/rate-limits", async () => {
      const e = await bench.fresh({ ratePerSecond: 1 });
      bench.running().setRateLimits({ scope: "app" });
      assert.deepEqual(e.rateLimits().tencent, { perSecond: 1, scope: "app", window: "sliding" });
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      expectCode(await bench.call("get_room_info", { RoomId: "r1" }), 60011);
      const post = (body: string) =>
        fetch(`${e.url}/_emulator/rate-limits`, { method: "POST", body }).then(async (r) => ({
          status: r.status,
          body: (await r.json()) as Record<string, unknown>,
        }));
      const ok = await post(JSON.stringify({ scope: "api", window: "fixed", tencent: 2 }));
      assert.equal(ok.status, 200);
      assert.deepEqual(e.rateLimits().tencent, { perSecond: 2, scope: "api", window: "fixed" });
      const read = await fetch(`${e.url}/_emulator/rate-limits`).then(
        (r) => r.json() as Promise<{ rateLimits: { tencent: unknown } }>,
      );
      assert.deepEqual(read.rateLimits.tencent, { perSecond: 2, scope: "api", window: "fixed" });
      expectCode(await bench.call("get_room_info", { RoomId: "r1" }), 0);
      for (const [body, field] of [
        ['{"scope":"room"}', /scope must be "api" or "app"/],
        ['{"window":1}', /window must be "sliding" or "fixed"/],
        ['{"zego":-1}', /zego must be a positive integer/],
        ['{"rate":1}', /unknown field "rate"/],
        ["[1]", /JSON object/],
      ] as const) {
        const bad = await post(body);
        assert.equal(bad.status, 400, body);
        assert.match(String(bad.body.error), field);
      }
      assert.deepEqual(
        e.rateLimits().tencent,
        { perSecond: 2, scope: "api", window: "fixed" },
        "a refused change changes nothing",
      );
    });
    it("is off when started with ratePerSecond: false", async () => {
      await bench.fresh({ ratePerSecond: false });
      const answers = await Promise.all(
        Array.from({ length: 230 }, () => bench.call("get_room_info", { RoomId: "none" })),
      );
      assert.ok(answers.every((a) => a.body.ErrorCode === 100004));
    });
  });

  describe("faults", () => {
    it("vendorTransient: 100001 with HTTP 200, and nothing committed", async () => {
      bench.running().setFaults({ seed: 1, vendorTransient: 1 });
      const r = await bench.create({ RoomId: "r1" });
      expectCode(r, 100001, "retry");
      assert.deepEqual(bench.running().tencent.rooms(), []);
      bench.running().setFaults(undefined);
      bench.clockMs += 1000;
      expectCode(await bench.create({ RoomId: "r1" }), 0);
    });
  });

  describe("handler contract", () => {
    it("defaults: SDKAppID 1400000001, admin `administrator`, a random 64-hex key per start", async () => {
      await bench.stop();
      const a = await startEmulator();
      const b = await startEmulator();
      try {
        assert.equal(a.credentials.tencent.sdkAppId, 1400000001);
        assert.equal(a.credentials.tencent.identifier, ADMIN);
        assert.match(a.credentials.tencent.secretKey, /^[0-9a-f]{64}$/);
        assert.notEqual(a.credentials.tencent.secretKey, b.credentials.tencent.secretKey);
      } finally {
        await a.stop();
        await b.stop();
        bench.forget();
      }
    });
    it("honours sdkAppId, secretKey and identifier options", async () => {
      await bench.fresh({ sdkAppId: 1400123456, identifier: "ops-admin" });
      assert.deepEqual(bench.running().credentials.tencent, {
        sdkAppId: 1400123456,
        secretKey: SECRET,
        identifier: "ops-admin",
      });
      expectCode(await bench.create({ RoomId: "r1" }), 0);
      assert.equal(bench.running().tencent.room("r1")?.Owner_Account, "ops-admin");
      expectCode(await bench.call("get_room_info", { RoomId: "r1" }, { identifier: ADMIN }), 60010);
    });
    it("exportState is JSON-safe and importState restores it; reset forgets rooms and keeps configured chat groups", async () => {
      await bench.fresh({ chatGroupIds: ["g1"] });
      expectCode(await bench.create({ RoomId: "r1" }, { ScheduleInviteeList_Account: ["user1"] }), 0);
      bench.running().tencent.addMember("r1", "user1");
      bench.running().tencent.addChatGroup("g2");
      const state = bench.running().tencent.exportState();
      assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
      const before = bench.running().tencent.rooms();
      bench.running().tencent.reset();
      assert.deepEqual(bench.running().tencent.rooms(), []);
      assert.deepEqual(bench.running().tencent.exportState().chatGroupIds, ["g1"]);
      bench.running().tencent.importState(JSON.parse(JSON.stringify(state)) as typeof state);
      assert.deepEqual(bench.running().tencent.rooms(), before);
      expectCode(await bench.create({ RoomId: "g2" }), 100011);
      assert.throws(() => bench.running().tencent.importState({ version: 2 } as unknown as typeof state), /malformed/);
    });
  });
});
