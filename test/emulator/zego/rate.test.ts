/**
 * ZEGO emulation: the frequency limit and the handler contract, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { ZegoHandler } from "../../../emulator/zego/handler";
import { signedUrl } from "../../support/zego-raw";
import { OP, SECRET, expectCode, zegoSuite } from "../../support/zego-conformance";

zegoSuite("rate limit and handler contract", (bench) => {
  describe("frequency limit (each action page: QPS 20/s; rate.ts: per action or per app, sliding or wall-clock second)", () => {
    it("the 21st request within one second is refused (QueryRoomUserList: 660300006, its page's code); the next second is free again", async () => {
      bench.fresh({});
      bench.handler.registerUser(OP);
      const codes: number[] = [];
      for (let i = 0; i < 25; i++) codes.push((await bench.get("QueryRoomUserList", { RoomId: "none" })).body.Code);
      assert.deepEqual(codes.filter((c) => c === 660300001).length, 20);
      assert.deepEqual(codes.slice(20), [660300006, 660300006, 660300006, 660300006, 660300006]);
      bench.clockMs += 1000;
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "none" }), 660300001);
    });
    it("660700001: UserRegister over the limit; 660300005: QueryUserInfos over the limit", async () => {
      bench.fresh({ ratePerSecond: 1 });
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: "a" }] }), 0);
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: "b" }] }), 660700001);
      expectCode(await bench.post("QueryUserInfos", { UserIds: ["a"] }), 0);
      expectCode(await bench.post("QueryUserInfos", { UserIds: ["a"] }), 660300005);
      assert.deepEqual(
        bench.handler.users().map((u) => u.userId),
        ["a"],
        "a refused request changes nothing",
      );
    });
    it("660300005: DestroyRoom over the limit (its page lists no frequency code: a departure, docs/vendor-sources.md)", async () => {
      bench.fresh({ ratePerSecond: 1 });
      bench.handler.registerUser(OP);
      expectCode(await bench.get("DestroyRoom", { RoomId: "none" }), 660300001);
      expectCode(await bench.get("DestroyRoom", { RoomId: "none" }), 660300005);
    });
    it('per action by default, or one quota for the app (scope "app"); a sliding second by default, or the wall-clock second', async () => {
      bench.fresh({ ratePerSecond: 2 });
      bench.handler.registerUser(OP);
      bench.clockMs = Math.floor(bench.clockMs / 1000) * 1000 + 900;
      expectCode(await bench.createRoom("r1"), 0);
      expectCode(await bench.createRoom("r2"), 0);
      expectCode(await bench.createRoom("r3"), 660300005);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1" }), 0);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1" }), 0);
      bench.clockMs += 100; // a new wall-clock second, the same sliding window
      expectCode(await bench.createRoom("r3"), 660300005);
      bench.handler.setRateMode({ scope: "app", window: "fixed" });
      assert.deepEqual(bench.handler.rateLimitMode(), { perSecond: 2, scope: "app", window: "fixed" });
      expectCode(await bench.createRoom("r3"), 0);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r1" }), 0);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r2" }), 660300006);
      bench.clockMs += 1000;
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r2" }), 0);
    });
    it("counts only authenticated requests: bad signatures do not use up the quota", async () => {
      bench.fresh({ ratePerSecond: 2 });
      for (let i = 0; i < 5; i++)
        expectCode(await bench.get("QueryRoomUserList", { RoomId: "r" }, { secret: "f".repeat(32) }), 100000005);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r" }), 660300001);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r" }), 660300001);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r" }), 660300006);
    });
    it("bounds a real-clock burst: of 45 concurrent requests between 20 and 40 pass", async () => {
      bench.fresh({}, Date.now);
      const answers = await Promise.all(
        Array.from({ length: 45 }, () => bench.get("QueryRoomUserList", { RoomId: "r" })),
      );
      const passed = answers.filter((a) => a.body.Code === 660300001).length;
      const limited = answers.filter((a) => a.body.Code === 660300006).length;
      assert.equal(passed + limited, 45);
      assert.ok(passed >= 20 && passed <= 40, `passed ${passed}`);
    });
    it("is off when configured (ratePerSecond: false) and adjustable at run time", async () => {
      bench.fresh({ ratePerSecond: false });
      const answers = await Promise.all(
        Array.from({ length: 50 }, () => bench.get("QueryRoomUserList", { RoomId: "r" })),
      );
      assert.ok(answers.every((a) => a.body.Code === 660300001));
      bench.handler.setRateLimit(1);
      bench.clockMs += 1000;
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r" }), 660300001);
      expectCode(await bench.get("QueryRoomUserList", { RoomId: "r" }), 660300006);
    });
  });

  describe("handler contract (emulator/types.ts)", () => {
    it("defaults: AppId 1900000001, a random 32-hex ServerSecret per handler, operator pulumi-rooms-admin not registered", () => {
      const a = new ZegoHandler({}, { now: () => bench.clockMs });
      const b = new ZegoHandler({}, { now: () => bench.clockMs });
      assert.equal(a.credentials().appId, 1900000001);
      assert.match(a.credentials().serverSecret, /^[0-9a-f]{32}$/);
      assert.notEqual(a.credentials().serverSecret, b.credentials().serverSecret);
      assert.equal(a.credentials().fromUserId, "pulumi-rooms-admin");
      assert.deepEqual(a.users(), []);
    });
    it("rejects invalid options", () => {
      assert.throws(() => new ZegoHandler({ appId: 2 ** 32 }, { now: Date.now }), /uint32/);
      assert.throws(() => new ZegoHandler({ serverSecret: "" }, { now: Date.now }), /serverSecret/);
      assert.throws(() => new ZegoHandler({ fromUserId: "a/b" }, { now: Date.now }), /user ID/);
    });
    it("transientReply alternates 660000001 and the frequency code (CreateRoom: 660300005) and changes nothing", async () => {
      await bench.createRoom("r1");
      const req = { method: "POST", url: new URL("/?Action=CreateRoom", "http://127.0.0.1"), rawBody: "{}" };
      const replies = [
        bench.handler.transientReply(req),
        bench.handler.transientReply(req),
        bench.handler.transientReply(req),
      ];
      assert.deepEqual(
        replies.map((r) => (r.body as { Code: number }).Code),
        [660000001, 660300005, 660000001],
      );
      assert.deepEqual(
        replies.map((r) => [r.status, r.action, r.result, r.committed]),
        [
          [200, "CreateRoom", "660000001", false],
          [200, "CreateRoom", "660300005", false],
          [200, "CreateRoom", "660000001", false],
        ],
      );
      assert.equal(bench.handler.rooms().length, 1);
    });
    it("transientReply's frequency code is the one each action's page lists (DestroyRoom: 660300005, a departure)", () => {
      const limitCode = (action: string): number => {
        const req = { method: "GET", url: new URL(`/?Action=${action}`, "http://127.0.0.1"), rawBody: "" };
        const h = bench.fresh();
        h.transientReply(req); // 660000001 first
        return (h.transientReply(req).body as { Code: number }).Code;
      };
      assert.deepEqual(
        [
          "QueryRoomUserList",
          "UserRegister",
          "CreateRoom",
          "QueryRoomAttribute",
          "ModifyRoomAttribute",
          "DestroyRoom",
        ].map(limitCode),
        [660300006, 660700001, 660300005, 660300005, 660300005, 660300005],
      );
    });
    it("replies carry action, result and committed for the server's counters and lost-response fault", () => {
      const url = new URL(signedUrl(bench.app, "CreateRoom"));
      const ok = bench.handler.handle({
        method: "POST",
        url,
        rawBody: JSON.stringify({ FromUserId: OP, RoomId: "r1" }),
      });
      assert.deepEqual([ok.action, ok.result, ok.committed], ["CreateRoom", "ok", true]);
      const again = bench.handler.handle({
        method: "POST",
        url: new URL(signedUrl(bench.app, "CreateRoom")),
        rawBody: JSON.stringify({ FromUserId: OP, RoomId: "r1" }),
      });
      assert.deepEqual([again.result, again.committed], ["660300014", false]);
    });
    it("exportState is JSON-safe and importState restores it; reset forgets rooms and users but keeps configuration", async () => {
      await bench.createRoom("r1", { DestroyDelayTime: 10, Attributes: [{ Key: "k", Value: "v" }] });
      bench.handler.addRoomUser("r1", "u1");
      const state = bench.handler.exportState();
      assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
      const credentials = bench.handler.credentials();
      const other = new ZegoHandler({ serverSecret: SECRET }, { now: () => bench.clockMs });
      other.importState(JSON.parse(JSON.stringify(state)) as typeof state);
      assert.deepEqual(other.exportState(), state);
      assert.throws(() => other.importState({ version: 2 } as unknown as typeof state), /state must be/);
      bench.fresh({ ratePerSecond: false, registeredUsers: ["ops"] });
      bench.handler.registerUser("temp");
      await bench.post("CreateRoom", { FromUserId: "ops", RoomId: "r9" });
      bench.handler.reset();
      assert.deepEqual(bench.handler.rooms(), []);
      assert.deepEqual(
        bench.handler.users().map((u) => u.userId),
        ["ops"],
      );
      assert.equal(credentials.serverSecret, SECRET);
    });
  });
});
