/**
 * ZEGO emulation: the frequency limit and the handler contract, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { ZegoHandler } from "../../../emulator/zego/handler";
import { signedUrl } from "../../support/zego-raw";
import {
  OP,
  S,
  SECRET,
  createRoom,
  expectCode,
  fresh,
  get,
  post,
  zegoConformance,
} from "../../support/zego-conformance";

describe("emulator: ZEGO ZIM server API: rate limit and handler contract", () => {
  zegoConformance();

  describe("frequency limit (each action page: QPS 20/s; rate.ts: per action or per app, sliding or wall-clock second)", () => {
    it("the 21st request within one second is refused (QueryRoomUserList: 660300006, its page's code); the next second is free again", async () => {
      fresh({});
      S.handler.registerUser(OP);
      const codes: number[] = [];
      for (let i = 0; i < 25; i++) codes.push((await get("QueryRoomUserList", { RoomId: "none" })).body.Code);
      assert.deepEqual(codes.filter((c) => c === 660300001).length, 20);
      assert.deepEqual(codes.slice(20), [660300006, 660300006, 660300006, 660300006, 660300006]);
      S.clockMs += 1000;
      expectCode(await get("QueryRoomUserList", { RoomId: "none" }), 660300001);
    });
    it("660700001: UserRegister over the limit; 660300005: QueryUserInfos over the limit", async () => {
      fresh({ ratePerSecond: 1 });
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "a" }] }), 0);
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "b" }] }), 660700001);
      expectCode(await post("QueryUserInfos", { UserIds: ["a"] }), 0);
      expectCode(await post("QueryUserInfos", { UserIds: ["a"] }), 660300005);
      assert.deepEqual(
        S.handler.users().map((u) => u.userId),
        ["a"],
        "a refused request changes nothing",
      );
    });
    it("660300005: DestroyRoom over the limit (its page lists no frequency code: a departure, docs/vendor-sources.md)", async () => {
      fresh({ ratePerSecond: 1 });
      S.handler.registerUser(OP);
      expectCode(await get("DestroyRoom", { RoomId: "none" }), 660300001);
      expectCode(await get("DestroyRoom", { RoomId: "none" }), 660300005);
    });
    it('per action by default, or one quota for the app (scope "app"); a sliding second by default, or the wall-clock second', async () => {
      fresh({ ratePerSecond: 2 });
      S.handler.registerUser(OP);
      S.clockMs = Math.floor(S.clockMs / 1000) * 1000 + 900;
      expectCode(await createRoom("r1"), 0);
      expectCode(await createRoom("r2"), 0);
      expectCode(await createRoom("r3"), 660300005);
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 0);
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 0);
      S.clockMs += 100; // a new wall-clock second, the same sliding window
      expectCode(await createRoom("r3"), 660300005);
      S.handler.setRateMode({ scope: "app", window: "fixed" });
      assert.deepEqual(S.handler.rateLimitMode(), { perSecond: 2, scope: "app", window: "fixed" });
      expectCode(await createRoom("r3"), 0);
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 0);
      expectCode(await get("QueryRoomUserList", { RoomId: "r2" }), 660300006);
      S.clockMs += 1000;
      expectCode(await get("QueryRoomUserList", { RoomId: "r2" }), 0);
    });
    it("counts only authenticated requests: bad signatures do not use up the quota", async () => {
      fresh({ ratePerSecond: 2 });
      for (let i = 0; i < 5; i++)
        expectCode(await get("QueryRoomUserList", { RoomId: "r" }, { secret: "f".repeat(32) }), 100000005);
      expectCode(await get("QueryRoomUserList", { RoomId: "r" }), 660300001);
      expectCode(await get("QueryRoomUserList", { RoomId: "r" }), 660300001);
      expectCode(await get("QueryRoomUserList", { RoomId: "r" }), 660300006);
    });
    it("bounds a real-clock burst: of 45 concurrent requests between 20 and 40 pass", async () => {
      fresh({}, Date.now);
      const answers = await Promise.all(Array.from({ length: 45 }, () => get("QueryRoomUserList", { RoomId: "r" })));
      const passed = answers.filter((a) => a.body.Code === 660300001).length;
      const limited = answers.filter((a) => a.body.Code === 660300006).length;
      assert.equal(passed + limited, 45);
      assert.ok(passed >= 20 && passed <= 40, `passed ${passed}`);
    });
    it("is off when configured (ratePerSecond: false) and adjustable at run time", async () => {
      fresh({ ratePerSecond: false });
      const answers = await Promise.all(Array.from({ length: 50 }, () => get("QueryRoomUserList", { RoomId: "r" })));
      assert.ok(answers.every((a) => a.body.Code === 660300001));
      S.handler.setRateLimit(1);
      S.clockMs += 1000;
      expectCode(await get("QueryRoomUserList", { RoomId: "r" }), 660300001);
      expectCode(await get("QueryRoomUserList", { RoomId: "r" }), 660300006);
    });
  });

  describe("handler contract (emulator/types.ts)", () => {
    it("defaults: AppId 1900000001, a random 32-hex ServerSecret per handler, operator pulumi-rooms-admin not registered", () => {
      const a = new ZegoHandler({}, { now: () => S.clockMs });
      const b = new ZegoHandler({}, { now: () => S.clockMs });
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
      await createRoom("r1");
      const req = { method: "POST", url: new URL("/?Action=CreateRoom", "http://127.0.0.1"), rawBody: "{}" };
      const replies = [S.handler.transientReply(req), S.handler.transientReply(req), S.handler.transientReply(req)];
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
      assert.equal(S.handler.rooms().length, 1);
    });
    it("transientReply's frequency code is the one each action's page lists (DestroyRoom: 660300005, a departure)", () => {
      const limitCode = (action: string): number => {
        const req = { method: "GET", url: new URL(`/?Action=${action}`, "http://127.0.0.1"), rawBody: "" };
        const h = fresh();
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
      const url = new URL(signedUrl(S.app, "CreateRoom"));
      const ok = S.handler.handle({ method: "POST", url, rawBody: JSON.stringify({ FromUserId: OP, RoomId: "r1" }) });
      assert.deepEqual([ok.action, ok.result, ok.committed], ["CreateRoom", "ok", true]);
      const again = S.handler.handle({
        method: "POST",
        url: new URL(signedUrl(S.app, "CreateRoom")),
        rawBody: JSON.stringify({ FromUserId: OP, RoomId: "r1" }),
      });
      assert.deepEqual([again.result, again.committed], ["660300014", false]);
    });
    it("exportState is JSON-safe and importState restores it; reset forgets rooms and users but keeps configuration", async () => {
      await createRoom("r1", { DestroyDelayTime: 10, Attributes: [{ Key: "k", Value: "v" }] });
      S.handler.addRoomUser("r1", "u1");
      const state = S.handler.exportState();
      assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
      const credentials = S.handler.credentials();
      const other = new ZegoHandler({ serverSecret: SECRET }, { now: () => S.clockMs });
      other.importState(JSON.parse(JSON.stringify(state)) as typeof state);
      assert.deepEqual(other.exportState(), state);
      assert.throws(() => other.importState({ version: 2 } as unknown as typeof state), /state must be/);
      fresh({ ratePerSecond: false, registeredUsers: ["ops"] });
      S.handler.registerUser("temp");
      await post("CreateRoom", { FromUserId: "ops", RoomId: "r9" });
      S.handler.reset();
      assert.deepEqual(S.handler.rooms(), []);
      assert.deepEqual(
        S.handler.users().map((u) => u.userId),
        ["ops"],
      );
      assert.equal(credentials.serverSecret, SECRET);
    });
  });
});
