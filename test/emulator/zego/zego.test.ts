/**
 * ZEGO ZIM server API emulation, read against the pages under zegocloud.com/docs/zim-server/: one `it` per
 * documented rule or code, over loopback HTTP, with an injected clock for expiry and rate windows.
 */
import assert from "node:assert/strict";
import { ZegoHandler, type ZegoEmulatorOptions } from "../../../emulator/zego/handler";
import { zegoSignature } from "../../../emulator/zego/signature";
import { serveVendor, type VendorServer } from "../../support/vendor-server";
import { signedUrl, zegoGet, zegoPost, type SignOptions, type ZegoAnswer, type ZegoTarget } from "../../support/zego-raw";

const START_MS = Date.UTC(2026, 10, 23, 12, 0, 0, 0);
const SECRET = "0123456789abcdef0123456789abcdef";
const OP = "pulumi-rooms-admin";

let clockMs = START_MS;
let handler: ZegoHandler;
let server: VendorServer;
let app: ZegoTarget;

/** A new emulated app (rate limit off unless asked for), reached through the loopback server. */
function fresh(options: ZegoEmulatorOptions = { ratePerSecond: false }, now: () => number = () => clockMs): ZegoHandler {
  handler = new ZegoHandler({ serverSecret: SECRET, ...options }, { now });
  const { appId, serverSecret } = handler.credentials();
  app = { baseUrl: server.url, appId, serverSecret, nowSec: () => Math.floor(now() / 1000) };
  return handler;
}

const post = (action: string, body: unknown, options?: SignOptions & { rawBody?: string; method?: string }): Promise<ZegoAnswer> => zegoPost(app, action, body, options);
const get = (action: string, query: Record<string, string | number> = {}, options?: SignOptions): Promise<ZegoAnswer> => zegoGet(app, action, query, options);

function expectCode(answer: ZegoAnswer, code: number, messagePart?: string): void {
  assert.equal(answer.status, 200, "ZEGO answers errors with HTTP 200");
  assert.equal(answer.body.Code, code, `Code ${answer.body.Code}: ${answer.body.Message}`);
  if (messagePart !== undefined) assert.match(answer.body.Message, new RegExp(messagePart.replace(/[[\]().*+?^$|\\]/g, "\\$&")));
}

function createRoom(roomId: string, extra: Record<string, unknown> = {}): Promise<ZegoAnswer> {
  return post("CreateRoom", { FromUserId: OP, RoomId: roomId, ...extra });
}

function modify(roomId: string, attributes: unknown[]): Promise<ZegoAnswer> {
  return post("ModifyRoomAttribute", { FromUserId: OP, RoomId: roomId, Attributes: attributes });
}

describe("emulator: ZEGO ZIM server API", () => {
  before(async () => {
    server = await serveVendor(() => handler);
  });
  after(() => server.stop());
  beforeEach(() => {
    clockMs = START_MS;
    fresh();
    handler.registerUser(OP);
  });

  describe("request signing (accessing-server-apis)", () => {
    it("computes the page's test vector", () => {
      assert.equal(zegoSignature(12345, "4fd24687296dd9f3", "9193cc662a4c0ec135ec71fb57194b38", 1615186943), "43e5cfcca828314675f91b001390566a");
    });
    it("accepts a correctly signed request: HTTP 200, Code 0, Message success, decimal RequestId", async () => {
      const r = await post("QueryUserInfos", { UserIds: [OP] });
      expectCode(r, 0);
      assert.equal(r.body.Message, "success");
      assert.match(r.body.RequestId, /^\d+$/);
      const again = await post("QueryUserInfos", { UserIds: [OP] });
      assert.notEqual(again.body.RequestId, r.body.RequestId);
    });
    it("100000001: AppId missing", async () => expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: null } }), 100000001));
    it("100000001: AppId not a decimal uint32", async () => {
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: "abc" } }), 100000001);
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: "4294967296" } }), 100000001);
    });
    it("3 (authentication failed): a well-formed AppId that is not this app's", async () => {
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: "42" } }), 3, "unknown AppId");
    });
    it("100000002: Timestamp missing", async () => expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { Timestamp: null } }), 100000002));
    it("100000003: Timestamp not an integer", async () => {
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { Timestamp: "1615186943.5" } }), 100000003);
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { Timestamp: "soon" } }), 100000003);
    });
    it("100000004: Timestamp more than 600 s from server time, either way; 600 s is still accepted", async () => {
      const nowSec = Math.floor(clockMs / 1000);
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec - 600 }), 0);
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec + 600 }), 0);
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec - 601 }), 100000004);
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec + 601 }), 100000004);
    });
    it("100000004: a signed URL expires when the server clock moves on", async () => {
      const url = signedUrl(app, "DestroyRoom", { query: { RoomId: "r1" } });
      clockMs += 601_000;
      const res = await fetch(url);
      assert.equal(((await res.json()) as { Code: number }).Code, 100000004);
    });
    it("100000005: signed with another ServerSecret", async () => {
      const r = await post("QueryUserInfos", { UserIds: [OP] }, { secret: "ffffffffffffffffffffffffffffffff" });
      expectCode(r, 100000005);
      assert.ok(!r.body.Message.includes(SECRET), "the Message never carries the secret");
    });
    it("100000005: Signature not 32 lower-case hex (an upper-case copy of the right one)", async () => {
      const url = new URL(signedUrl(app, "QueryRoomUserList", { query: { RoomId: "r1" } }));
      url.searchParams.set("Signature", (url.searchParams.get("Signature") ?? "").toUpperCase());
      const res = await fetch(url);
      assert.equal(((await res.json()) as { Code: number }).Code, 100000005);
    });
    it("100000005: SignatureNonce changed after signing", async () => {
      expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureNonce: "0000000000000000" } }), 100000005);
    });
    it("100000006: Action empty", async () => expectCode(await post("QueryUserInfos", {}, { common: { Action: "" } }), 100000006));
    it("100000007: Action not supported", async () => expectCode(await post("QueryRoomInfo", {}), 100000007));
    it("100000008: SignatureNonce missing", async () => expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureNonce: null } }), 100000008));
    it("100000009: Signature missing", async () => expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { Signature: null } }), 100000009));
    it("100000013: SignatureVersion missing", async () => expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureVersion: null } }), 100000013));
    it("100000014: SignatureVersion other than 2.0", async () => expectCode(await post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureVersion: "1.0" } }), 100000014));
    it("matches only `/` with an Action query parameter", () => {
      const req = (path: string) => ({ method: "GET", url: new URL(path, "http://127.0.0.1"), rawBody: "" });
      assert.equal(handler.matches(req("/?Action=CreateRoom")), true);
      assert.equal(handler.matches(req("/")), false);
      assert.equal(handler.matches(req("/v4/room_engine_http_srv/create_room?Action=CreateRoom")), false);
      assert.equal(handler.actionOf(req("/?Action=CreateRoom")), "CreateRoom");
      assert.equal(handler.actionOf(req("/?Action=Nope")), "UnknownAction");
    });
  });

  describe("frequency limit (each action page: QPS 20/s; rate.ts: per action or per app, sliding or wall-clock second)", () => {
    it("the 21st request within one second is refused (QueryRoomUserList: 660300006, its page's code); the next second is free again", async () => {
      fresh({});
      handler.registerUser(OP);
      const codes: number[] = [];
      for (let i = 0; i < 25; i++) codes.push((await get("QueryRoomUserList", { RoomId: "none" })).body.Code);
      assert.deepEqual(codes.filter((c) => c === 660300001).length, 20);
      assert.deepEqual(codes.slice(20), [660300006, 660300006, 660300006, 660300006, 660300006]);
      clockMs += 1000;
      expectCode(await get("QueryRoomUserList", { RoomId: "none" }), 660300001);
    });
    it("660700001: UserRegister over the limit; 660300005: QueryUserInfos over the limit", async () => {
      fresh({ ratePerSecond: 1 });
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "a" }] }), 0);
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "b" }] }), 660700001);
      expectCode(await post("QueryUserInfos", { UserIds: ["a"] }), 0);
      expectCode(await post("QueryUserInfos", { UserIds: ["a"] }), 660300005);
      assert.deepEqual(handler.users().map((u) => u.userId), ["a"], "a refused request changes nothing");
    });
    it("per action by default, or one quota for the app (scope \"app\"); a sliding second by default, or the wall-clock second", async () => {
      fresh({ ratePerSecond: 2 });
      handler.registerUser(OP);
      clockMs = Math.floor(clockMs / 1000) * 1000 + 900;
      expectCode(await createRoom("r1"), 0);
      expectCode(await createRoom("r2"), 0);
      expectCode(await createRoom("r3"), 660300005);
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 0);
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 0);
      clockMs += 100; // a new wall-clock second, the same sliding window
      expectCode(await createRoom("r3"), 660300005);
      handler.setRateMode({ scope: "app", window: "fixed" });
      assert.deepEqual(handler.rateLimitMode(), { perSecond: 2, scope: "app", window: "fixed" });
      expectCode(await createRoom("r3"), 0);
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 0);
      expectCode(await get("QueryRoomUserList", { RoomId: "r2" }), 660300006);
      clockMs += 1000;
      expectCode(await get("QueryRoomUserList", { RoomId: "r2" }), 0);
    });
    it("counts only authenticated requests: bad signatures do not use up the quota", async () => {
      fresh({ ratePerSecond: 2 });
      for (let i = 0; i < 5; i++) expectCode(await get("QueryRoomUserList", { RoomId: "r" }, { secret: "f".repeat(32) }), 100000005);
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
      handler.setRateLimit(1);
      clockMs += 1000;
      expectCode(await get("QueryRoomUserList", { RoomId: "r" }), 660300001);
      expectCode(await get("QueryRoomUserList", { RoomId: "r" }), 660300006);
    });
  });

  describe("method and body (accessing-server-apis)", () => {
    it("660000002: a POST action sent as GET", async () => expectCode(await get("CreateRoom", { FromUserId: OP, RoomId: "r1" }), 660000002, "must be sent with POST"));
    it("660000002: a GET action sent as POST", async () => expectCode(await post("DestroyRoom", { RoomId: "r1" }), 660000002, "must be sent with GET"));
    it("660000002: a body that is not JSON, not an object, or empty", async () => {
      expectCode(await post("CreateRoom", null, { rawBody: "{not json" }), 660000002, "not valid JSON");
      expectCode(await post("CreateRoom", [{ RoomId: "r1" }]), 660000002, "JSON object");
      expectCode(await post("CreateRoom", null, { rawBody: "" }), 660000002, "JSON object");
    });
    it("POST business parameters are read from the body only, not the query", async () => {
      expectCode(await post("QueryUserInfos", {}, { query: { UserIds: OP } }), 660000002, "UserIds is required");
    });
  });

  describe("UserRegister (user/batch-register-users)", () => {
    it("registers users: Code 0, empty ErrorList", async () => {
      const r = await post("UserRegister", { UserInfo: [{ UserId: "alice", UserName: "Alice", UserAvatar: "https://a/x.png" }, { UserId: "bob" }] });
      expectCode(r, 0);
      assert.deepEqual(r.body.ErrorList, []);
      assert.deepEqual(handler.users().map((u) => [u.userId, u.userName, u.userAvatar]), [[OP, "", ""], ["alice", "Alice", "https://a/x.png"], ["bob", "", ""]]);
    });
    it("660700002 per user when some already exist, Code 0 when at least one registered", async () => {
      const r = await post("UserRegister", { UserInfo: [{ UserId: OP }, { UserId: "carol" }] });
      expectCode(r, 0);
      assert.deepEqual((r.body.ErrorList as { UserId: string; SubCode: number }[]).map((e) => [e.UserId, e.SubCode]), [[OP, 660700002]]);
    });
    it("660700002 as the Code when every user already exists", async () => {
      const r = await post("UserRegister", { UserInfo: [{ UserId: OP }] });
      expectCode(r, 660700002);
      assert.deepEqual((r.body.ErrorList as { SubCode: number }[]).map((e) => e.SubCode), [660700002]);
    });
    it("660000012: UserId longer than 32 bytes", async () => {
      const r = await post("UserRegister", { UserInfo: [{ UserId: "u".repeat(33) }] });
      expectCode(r, 660000012);
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "u".repeat(32) }] }), 0);
    });
    it("660700006: UserName longer than 256 bytes (bytes, not characters)", async () => {
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "n1", UserName: "名".repeat(86) }] }), 660700006);
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "n2", UserName: "n".repeat(256) }] }), 0);
    });
    it("660700007: UserAvatar longer than 500 bytes", async () => {
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "a1", UserAvatar: "x".repeat(501) }] }), 660700007);
    });
    it("660000002: a UserId outside the allowed characters; every documented character is accepted", async () => {
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "a/b" }] }), 660000002);
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "é" }] }), 660000002);
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: "aZ9!#$%&()+-:;<=.>?@[]^_ ,{}|~" }] }), 0);
    });
    it("660000002: UserInfo missing, empty, over 100 items, or an item without a string UserId", async () => {
      expectCode(await post("UserRegister", {}), 660000002, "UserInfo is required");
      expectCode(await post("UserRegister", { UserInfo: [] }), 660000002);
      expectCode(await post("UserRegister", { UserInfo: Array.from({ length: 101 }, (_, i) => ({ UserId: `u${i}` })) }), 660000002, "at most 100");
      expectCode(await post("UserRegister", { UserInfo: [{ UserId: 7 }] }), 660000002, "UserInfo[0].UserId");
    });
  });

  describe("QueryUserInfos (its user page)", () => {
    it("Result for registered users, ErrorList 660700015 for the others, Code 0", async () => {
      handler.registerUser("dave", "Dave", "https://d");
      const r = await post("QueryUserInfos", { UserIds: ["dave", "nobody"] });
      expectCode(r, 0);
      assert.deepEqual(r.body.Result, [{ UserId: "dave", UserName: "Dave", UserAvatar: "https://d", Extra: "" }]);
      assert.deepEqual(r.body.ErrorList, [{ UserId: "nobody", SubCode: 660700015 }]);
    });
    it("660700015 as the Code when no user is registered", async () => {
      const r = await post("QueryUserInfos", { UserIds: ["nobody"] });
      expectCode(r, 660700015);
      assert.deepEqual(r.body.ErrorList, [{ UserId: "nobody", SubCode: 660700015 }]);
    });
    it("660000002: more than 100 UserIds, or an ID over 64 bytes", async () => {
      expectCode(await post("QueryUserInfos", { UserIds: Array.from({ length: 101 }, (_, i) => `u${i}`) }), 660000002);
      expectCode(await post("QueryUserInfos", { UserIds: ["x".repeat(65)] }), 660000002);
    });
  });

  describe("CreateRoom (room/create-a-room)", () => {
    it("creates a room: Code 0 and AttributeSeq = the number of attributes, each key's Seq in order", async () => {
      const r = await createRoom("r1", { RoomName: "Lobby", DestroyDelayTime: 3600, Attributes: [{ Key: "k1", Value: "v1", AutoDelete: 0 }, { Key: "k2", Value: "v2", AutoDelete: 1 }] });
      expectCode(r, 0);
      assert.equal(r.body.AttributeSeq, 2);
      const room = handler.room("r1");
      assert.equal(room?.roomName, "Lobby");
      assert.equal(room?.destroyDelayTime, 3600);
      assert.deepEqual(room?.attributes.map((a) => [a.key, a.seq, a.autoDelete]), [["k1", 1, false], ["k2", 2, true]]);
      assert.deepEqual(room?.users, [], "FromUserId is not added to the room");
    });
    it("660500002 (Return codes: operator user not registered): FromUserId not registered (unless requireRegisteredOperator is false)", async () => {
      expectCode(await post("CreateRoom", { FromUserId: "stranger", RoomId: "r1" }), 660500002, "FromUserId");
      fresh({ ratePerSecond: false, requireRegisteredOperator: false });
      expectCode(await post("CreateRoom", { FromUserId: "stranger", RoomId: "r1" }), 0);
    });
    it("the default operator is not pre-registered unless preRegisterOperator; registeredUsers are", async () => {
      fresh({ ratePerSecond: false });
      expectCode(await createRoom("r1"), 660500002);
      fresh({ ratePerSecond: false, preRegisterOperator: true, registeredUsers: ["ops"] });
      expectCode(await createRoom("r1"), 0);
      expectCode(await post("CreateRoom", { FromUserId: "ops", RoomId: "r2" }), 0);
    });
    it("660300014: the room already exists", async () => {
      expectCode(await createRoom("r1"), 0);
      expectCode(await createRoom("r1"), 660300014);
    });
    it("660300015: room count at the quota; destroyed rooms stop counting; an existing room still answers 660300014", async () => {
      fresh({ ratePerSecond: false, roomQuota: 2 });
      handler.registerUser(OP);
      expectCode(await createRoom("r1"), 0);
      expectCode(await createRoom("r2"), 0);
      expectCode(await createRoom("r3"), 660300015);
      expectCode(await createRoom("r1"), 660300014);
      handler.destroyRoom("r2");
      expectCode(await createRoom("r3"), 0);
    });
    it("660000002: FromUserId or RoomId missing, over 32 bytes, or outside the allowed characters", async () => {
      expectCode(await post("CreateRoom", { FromUserId: OP }), 660000002, "RoomId is required");
      expectCode(await post("CreateRoom", { RoomId: "r1" }), 660000002, "FromUserId is required");
      expectCode(await createRoom("r".repeat(33)), 660000002, "RoomId must be at most 32 bytes");
      expectCode(await createRoom("room/1"), 660000002, "RoomId may contain only");
      expectCode(await createRoom(""), 660000002);
      expectCode(await createRoom("r".repeat(32)), 0);
    });
    it("660000002: RoomName over 64 bytes (counted in UTF-8)", async () => {
      expectCode(await createRoom("r1", { RoomName: "会".repeat(22) }), 660000002, "RoomName must be at most 64 bytes");
      expectCode(await createRoom("r1", { RoomName: "会".repeat(21) }), 0);
    });
    it("660000002: DestroyDelayTime not an integer in 0..10800", async () => {
      for (const bad of [10801, -1, 1.5, "3600"]) expectCode(await createRoom("r1", { DestroyDelayTime: bad }), 660000002, "DestroyDelayTime");
      expectCode(await createRoom("r1", { DestroyDelayTime: 10800 }), 0);
    });
    it("660000002: more attributes than maxAttributes (20 by default, configurable)", async () => {
      const attrs = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
      expectCode(await createRoom("r1", { Attributes: attrs(21) }), 660000002, "Attributes must have at most 20 items");
      expectCode(await createRoom("r1", { Attributes: attrs(20) }), 0);
      fresh({ ratePerSecond: false, maxAttributes: 16 });
      handler.registerUser(OP);
      expectCode(await createRoom("r2", { Attributes: attrs(17) }), 660000002);
    });
    it("660000002: attribute Key empty or over 16 bytes, Value over 1024 bytes, AutoDelete not 0|1", async () => {
      expectCode(await createRoom("r1", { Attributes: [{ Key: "", Value: "v" }] }), 660000002, "Attributes[0].Key must not be empty");
      expectCode(await createRoom("r1", { Attributes: [{ Key: "ok", Value: "v" }, { Key: "k".repeat(17), Value: "v" }] }), 660000002, "Attributes[1].Key must be at most 16 bytes");
      expectCode(await createRoom("r1", { Attributes: [{ Key: "k", Value: "v".repeat(1025) }] }), 660000002, "Attributes[0].Value");
      expectCode(await createRoom("r1", { Attributes: [{ Key: "k", Value: "v", AutoDelete: 2 }] }), 660000002, "Attributes[0].AutoDelete");
      expectCode(await createRoom("r1", { Attributes: [{ Key: "k" }] }), 660000002, "Attributes[0].Value is required");
    });
    it("660000002: duplicate attribute keys", async () => {
      expectCode(await createRoom("r1", { Attributes: [{ Key: "k", Value: "1" }, { Key: "k", Value: "2" }] }), 660000002, "duplicates");
    });
    it("660000002: keys and values totalling over 5120 bytes", async () => {
      const big = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `key${i}`.padEnd(16, "x"), Value: "v".repeat(1009) }));
      expectCode(await createRoom("r1", { Attributes: big(5) }), 660000002, "5120");
      expectCode(await createRoom("r1", { Attributes: big(4) }), 0);
    });
    it("no room is left behind by a refused CreateRoom", async () => {
      await createRoom("r1", { Attributes: [{ Key: "k", Value: "v".repeat(1025) }] });
      assert.equal(handler.room("r1"), undefined);
    });
  });

  describe("DestroyRoom (room/destroy-the-room)", () => {
    it("destroys a room (GET, RoomId in the query)", async () => {
      await createRoom("r1");
      expectCode(await get("DestroyRoom", { RoomId: "r1" }), 0);
      assert.equal(handler.room("r1"), undefined);
    });
    it("660300001: the room does not exist (a second DestroyRoom)", async () => {
      await createRoom("r1");
      await get("DestroyRoom", { RoomId: "r1" });
      expectCode(await get("DestroyRoom", { RoomId: "r1" }), 660300001);
    });
    it("660000002: RoomId missing", async () => expectCode(await get("DestroyRoom"), 660000002, "RoomId is required"));
    it("660500002: an optional FromUserId that is not registered", async () => {
      await createRoom("r1");
      expectCode(await get("DestroyRoom", { RoomId: "r1", FromUserId: "stranger" }), 660500002);
      expectCode(await get("DestroyRoom", { RoomId: "r1", FromUserId: OP }), 0);
    });
  });

  describe("QueryRoomUserList (room/obtain-information-about-users-in-a-room)", () => {
    it("660300001: the room does not exist", async () => expectCode(await get("QueryRoomUserList", { RoomId: "none" }), 660300001));
    it("a created, never-joined room: Code 0, Count 0, NextFlag \"0\", empty UserList", async () => {
      await createRoom("r1");
      const r = await get("QueryRoomUserList", { RoomId: "r1" });
      expectCode(r, 0);
      assert.deepEqual([r.body.Count, r.body.NextFlag, r.body.UserList], [0, "0", []]);
    });
    it("pages by Limit with NextFlag, ascending (Mode 0) or descending (Mode 1) by join time", async () => {
      await createRoom("r1");
      for (const u of ["u1", "u2", "u3", "u4", "u5"]) handler.addRoomUser("r1", u, u.toUpperCase());
      const ids: string[] = [];
      let flag = "";
      const flags: string[] = [];
      do {
        const r = await get("QueryRoomUserList", { RoomId: "r1", Limit: 2, NextFlag: flag });
        expectCode(r, 0);
        assert.equal(r.body.Count, 5);
        ids.push(...(r.body.UserList as { UserId: string }[]).map((u) => u.UserId));
        flag = r.body.NextFlag as string;
        flags.push(flag);
      } while (flag !== "0" && flag !== "");
      assert.deepEqual(ids, ["u1", "u2", "u3", "u4", "u5"]);
      assert.deepEqual(flags, ["2", "4", "0"]);
      const desc = await get("QueryRoomUserList", { RoomId: "r1", Mode: 1, Limit: 3 });
      assert.deepEqual(desc.body.UserList, [{ UserId: "u5", UserName: "U5" }, { UserId: "u4", UserName: "U4" }, { UserId: "u3", UserName: "U3" }]);
    });
    it("Limit over 500 means 500; a non-numeric Limit, Mode or NextFlag is 660000002", async () => {
      await createRoom("r1");
      expectCode(await get("QueryRoomUserList", { RoomId: "r1", Limit: 1000 }), 0);
      expectCode(await get("QueryRoomUserList", { RoomId: "r1", Limit: "many" }), 660000002, "Limit");
      expectCode(await get("QueryRoomUserList", { RoomId: "r1", Mode: 2 }), 660000002, "Mode");
      expectCode(await get("QueryRoomUserList", { RoomId: "r1", NextFlag: "abc" }), 660000002, "NextFlag");
    });
    it("660300008: a room in delayed destruction; 660300001 once the delay has run out", async () => {
      await createRoom("r1", { DestroyDelayTime: 60 });
      handler.addRoomUser("r1", "u1");
      handler.setDelayedDestruction("r1");
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 660300008);
      clockMs += 60_000;
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 660300001);
    });
    it("the last user leaving: destroyed at once without DestroyDelayTime, delayed with it, revived by a join", async () => {
      await createRoom("now");
      handler.addRoomUser("now", "u1");
      assert.equal(handler.removeRoomUser("now", "u1"), "destroyed");
      expectCode(await get("QueryRoomUserList", { RoomId: "now" }), 660300001);
      await createRoom("later", { DestroyDelayTime: 30 });
      handler.addRoomUser("later", "u1");
      assert.equal(handler.removeRoomUser("later", "u1"), "delayed");
      expectCode(await get("QueryRoomUserList", { RoomId: "later" }), 660300008);
      handler.addRoomUser("later", "u2");
      clockMs += 31_000;
      expectCode(await get("QueryRoomUserList", { RoomId: "later" }), 0);
    });
    it("emptyRoomUserListError: any empty room answers 660300008", async () => {
      fresh({ ratePerSecond: false, emptyRoomUserListError: true, preRegisterOperator: true });
      await createRoom("r1");
      expectCode(await get("QueryRoomUserList", { RoomId: "r1" }), 660300008);
    });
  });

  describe("QueryRoomAttribute (room/query-room-attributes)", () => {
    it("returns AttributeSeq and Attributes with Key, Value, Seq, AutoDelete", async () => {
      await createRoom("r1", { Attributes: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2", AutoDelete: 1 }] });
      const r = await post("QueryRoomAttribute", { FromUserId: OP, RoomId: "r1" });
      expectCode(r, 0);
      assert.equal(r.body.AttributeSeq, 2);
      assert.deepEqual(r.body.Attributes, [{ Key: "a", Value: "1", Seq: 1, AutoDelete: 0 }, { Key: "b", Value: "2", Seq: 2, AutoDelete: 1 }]);
    });
    it("660300001: the room does not exist", async () => expectCode(await post("QueryRoomAttribute", { FromUserId: OP, RoomId: "none" }), 660300001));
    it("660500002: FromUserId not registered; 660000002: FromUserId missing", async () => {
      await createRoom("r1");
      expectCode(await post("QueryRoomAttribute", { FromUserId: "stranger", RoomId: "r1" }), 660500002);
      expectCode(await post("QueryRoomAttribute", { RoomId: "r1" }), 660000002);
    });
  });

  describe("ModifyRoomAttribute (room/update-room-attributes)", () => {
    it("Action 0 upserts, Action 1 deletes; AttributeSeq +1 per change; SuccKeyList carries each key's Seq", async () => {
      await createRoom("r1", { Attributes: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] });
      const r = await modify("r1", [{ Action: 0, Key: "a", Value: "one" }, { Action: 0, Key: "c", Value: "3", AutoDelete: 1 }, { Action: 1, Key: "b", Value: "" }]);
      expectCode(r, 0);
      assert.equal(r.body.AttributeSeq, 5);
      assert.deepEqual(r.body.SuccKeyList, [{ Key: "a", Seq: 3 }, { Key: "c", Seq: 4 }, { Key: "b", Seq: 5 }]);
      assert.equal(r.body.ErrKeyList, undefined, "ErrKeyList only on failure");
      const q = await post("QueryRoomAttribute", { FromUserId: OP, RoomId: "r1" });
      assert.deepEqual(q.body.Attributes, [{ Key: "a", Value: "one", Seq: 3, AutoDelete: 0 }, { Key: "c", Value: "3", Seq: 4, AutoDelete: 1 }]);
    });
    it("deleting a key that is not there succeeds without a change (idempotent)", async () => {
      await createRoom("r1", { Attributes: [{ Key: "a", Value: "1" }] });
      const r = await modify("r1", [{ Action: 1, Key: "gone" }]);
      expectCode(r, 0);
      assert.deepEqual([r.body.AttributeSeq, r.body.SuccKeyList], [1, [{ Key: "gone", Seq: 1 }]]);
    });
    it("660300001: the room does not exist", async () => expectCode(await modify("none", [{ Action: 0, Key: "a", Value: "1" }]), 660300001));
    it("660500002: FromUserId not registered", async () => {
      await createRoom("r1");
      expectCode(await post("ModifyRoomAttribute", { FromUserId: "stranger", RoomId: "r1", Attributes: [{ Action: 0, Key: "a", Value: "1" }] }), 660500002);
    });
    it("660000002: Attributes missing or empty, an item without Action or Key, Action not 0|1", async () => {
      await createRoom("r1");
      expectCode(await post("ModifyRoomAttribute", { FromUserId: OP, RoomId: "r1" }), 660000002, "Attributes is required");
      expectCode(await modify("r1", []), 660000002);
      expectCode(await modify("r1", [{ Key: "a", Value: "1" }]), 660000002, "Attributes[0].Action is required");
      expectCode(await modify("r1", [{ Action: 2, Key: "a", Value: "1" }]), 660000002, "Attributes[0].Action");
      expectCode(await modify("r1", [{ Action: 0, Value: "1" }]), 660000002, "Attributes[0].Key");
    });
    it("ErrKeyList partial failure with Code 0: a new key beyond maxAttributes, key over 16 bytes, value over 1024 bytes", async () => {
      fresh({ ratePerSecond: false, maxAttributes: 2, preRegisterOperator: true });
      await createRoom("r1", { Attributes: [{ Key: "a", Value: "1" }] });
      const r = await modify("r1", [
        { Action: 0, Key: "b", Value: "2" },
        { Action: 0, Key: "c", Value: "3" },
        { Action: 0, Key: "k".repeat(17), Value: "x" },
        { Action: 0, Key: "a", Value: "v".repeat(1025) },
        { Action: 0, Key: "a", Value: "updated" },
      ]);
      expectCode(r, 0);
      assert.deepEqual(r.body.SuccKeyList, [{ Key: "b", Seq: 2 }, { Key: "a", Seq: 3 }]);
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000002, Key: "c" }, { SubCode: 660000002, Key: "k".repeat(17) }, { SubCode: 660000002, Key: "a" }]);
      assert.deepEqual(handler.room("r1")?.attributes.map((a) => [a.key, a.value]), [["a", "updated"], ["b", "2"]]);
    });
    it("ErrKeyList: a write that would take keys and values over 5120 bytes in total", async () => {
      const four = Array.from({ length: 4 }, (_, i) => ({ Key: `k${i}`, Value: "v".repeat(1024) }));
      await createRoom("r1", { Attributes: four });
      const r = await modify("r1", [{ Action: 0, Key: "k4", Value: "v".repeat(1024) }, { Action: 0, Key: "k5", Value: "v" }]);
      expectCode(r, 0);
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000002, Key: "k4" }]);
      assert.deepEqual(r.body.SuccKeyList, [{ Key: "k5", Seq: 5 }]);
    });
    it("660000002 as the Code when every item failed, with the ErrKeyList", async () => {
      await createRoom("r1");
      const r = await modify("r1", [{ Action: 0, Key: "k".repeat(17), Value: "x" }]);
      expectCode(r, 660000002, "ErrKeyList");
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000002, Key: "k".repeat(17) }]);
      assert.equal(r.body.SuccKeyList, undefined);
    });
    it("StopOnError 1 stops at the first error and keeps the updates before it", async () => {
      await createRoom("r1");
      handler.failKeys("r1", ["bad"]);
      const r = await modify("r1", [
        { Action: 0, Key: "a", Value: "1", StopOnError: 1 },
        { Action: 0, Key: "bad", Value: "2", StopOnError: 1 },
        { Action: 0, Key: "c", Value: "3", StopOnError: 1 },
      ]);
      expectCode(r, 0);
      assert.deepEqual(r.body.SuccKeyList, [{ Key: "a", Seq: 1 }]);
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000002, Key: "bad" }]);
      assert.deepEqual(handler.room("r1")?.attributes.map((a) => a.key), ["a"]);
      const carryOn = await modify("r1", [{ Action: 0, Key: "bad", Value: "2" }, { Action: 0, Key: "c", Value: "3" }]);
      assert.deepEqual(carryOn.body.SuccKeyList, [{ Key: "c", Seq: 2 }], "without StopOnError every item is tried");
    });
    it("failKeys forces a SubCode for chosen keys until cleared; all failing with one SubCode makes it the Code", async () => {
      await createRoom("r1");
      handler.failKeys("r1", ["x", "y"], 660000001);
      const r = await modify("r1", [{ Action: 0, Key: "x", Value: "1" }, { Action: 1, Key: "y" }]);
      expectCode(r, 660000001);
      assert.deepEqual(r.body.ErrKeyList, [{ SubCode: 660000001, Key: "x" }, { SubCode: 660000001, Key: "y" }]);
      handler.failKeys("r1", []);
      expectCode(await modify("r1", [{ Action: 0, Key: "x", Value: "1" }]), 0);
    });
    it("AutoDelete attributes go when their writer leaves the room", async () => {
      await createRoom("r1", { DestroyDelayTime: 60 });
      handler.addRoomUser("r1", OP);
      handler.addRoomUser("r1", "other");
      await modify("r1", [{ Action: 0, Key: "mine", Value: "1", AutoDelete: 1 }, { Action: 0, Key: "kept", Value: "2" }]);
      assert.equal(handler.removeRoomUser("r1", OP), "removed");
      const room = handler.room("r1");
      assert.deepEqual(room?.attributes.map((a) => a.key), ["kept"]);
      assert.equal(room?.attributeSeq, 3);
    });
  });

  describe("handler contract (emulator/types.ts)", () => {
    it("defaults: AppId 1900000001, a random 32-hex ServerSecret per handler, operator pulumi-rooms-admin not registered", () => {
      const a = new ZegoHandler({}, { now: () => clockMs });
      const b = new ZegoHandler({}, { now: () => clockMs });
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
    it("transientReply alternates 660000001 and 660300005 and changes nothing", async () => {
      await createRoom("r1");
      const req = { method: "POST", url: new URL("/?Action=CreateRoom", "http://127.0.0.1"), rawBody: "{}" };
      const replies = [handler.transientReply(req), handler.transientReply(req), handler.transientReply(req)];
      assert.deepEqual(replies.map((r) => (r.body as { Code: number }).Code), [660000001, 660300005, 660000001]);
      assert.deepEqual(replies.map((r) => [r.status, r.action, r.result, r.committed]), [[200, "CreateRoom", "660000001", false], [200, "CreateRoom", "660300005", false], [200, "CreateRoom", "660000001", false]]);
      assert.equal(handler.rooms().length, 1);
    });
    it("replies carry action, result and committed for the server's counters and lost-response fault", () => {
      const url = new URL(signedUrl(app, "CreateRoom"));
      const ok = handler.handle({ method: "POST", url, rawBody: JSON.stringify({ FromUserId: OP, RoomId: "r1" }) });
      assert.deepEqual([ok.action, ok.result, ok.committed], ["CreateRoom", "ok", true]);
      const again = handler.handle({ method: "POST", url: new URL(signedUrl(app, "CreateRoom")), rawBody: JSON.stringify({ FromUserId: OP, RoomId: "r1" }) });
      assert.deepEqual([again.result, again.committed], ["660300014", false]);
    });
    it("exportState is JSON-safe and importState restores it; reset forgets rooms and users but keeps configuration", async () => {
      await createRoom("r1", { DestroyDelayTime: 10, Attributes: [{ Key: "k", Value: "v" }] });
      handler.addRoomUser("r1", "u1");
      const state = handler.exportState();
      assert.deepEqual(JSON.parse(JSON.stringify(state)), state);
      const credentials = handler.credentials();
      const other = new ZegoHandler({ serverSecret: SECRET }, { now: () => clockMs });
      other.importState(JSON.parse(JSON.stringify(state)) as typeof state);
      assert.deepEqual(other.exportState(), state);
      assert.throws(() => other.importState({ version: 2 } as unknown as typeof state), /state must be/);
      fresh({ ratePerSecond: false, registeredUsers: ["ops"] });
      handler.registerUser("temp");
      await post("CreateRoom", { FromUserId: "ops", RoomId: "r9" });
      handler.reset();
      assert.deepEqual(handler.rooms(), []);
      assert.deepEqual(handler.users().map((u) => u.userId), ["ops"]);
      assert.equal(credentials.serverSecret, SECRET);
    });
  });
});
