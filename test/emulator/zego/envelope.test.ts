/**
 * ZEGO emulation: request signing and the method and body rules (accessing-server-apis), over loopback HTTP.
 */
import assert from "node:assert/strict";
import { zegoSignature } from "../../../emulator/zego/signature";
import { signedUrl } from "../../support/zego-raw";
import { OP, SECRET, expectCode, zegoSuite } from "../../support/zego-conformance";

zegoSuite("signing and envelope", (bench) => {
  describe("request signing (accessing-server-apis)", () => {
    it("computes the page's test vector", () => {
      assert.equal(
        zegoSignature(12345, "4fd24687296dd9f3", "9193cc662a4c0ec135ec71fb57194b38", 1615186943),
        "43e5cfcca828314675f91b001390566a",
      );
    });
    it("accepts a correctly signed request: HTTP 200, Code 0, Message success, decimal RequestId", async () => {
      const r = await bench.post("QueryUserInfos", { UserIds: [OP] });
      expectCode(r, 0);
      assert.equal(r.body.Message, "success");
      assert.match(r.body.RequestId, /^\d+$/);
      const again = await bench.post("QueryUserInfos", { UserIds: [OP] });
      assert.notEqual(again.body.RequestId, r.body.RequestId);
    });
    it("100000001: AppId missing", async () =>
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: null } }), 100000001));
    it("100000001: AppId not a decimal uint32", async () => {
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: "abc" } }), 100000001);
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: "4294967296" } }), 100000001);
    });
    it("3 (authentication failed): a well-formed AppId that is not this app's", async () => {
      expectCode(
        await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { AppId: "42" } }),
        3,
        "unknown AppId",
      );
    });
    it("100000002: Timestamp missing", async () =>
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { Timestamp: null } }), 100000002));
    it("100000003: Timestamp not an integer", async () => {
      expectCode(
        await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { Timestamp: "1615186943.5" } }),
        100000003,
      );
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { Timestamp: "soon" } }), 100000003);
    });
    it("100000004: Timestamp more than 600 s from server time, either way; 600 s is still accepted", async () => {
      const nowSec = Math.floor(bench.clockMs / 1000);
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec - 600 }), 0);
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec + 600 }), 0);
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec - 601 }), 100000004);
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { timestamp: nowSec + 601 }), 100000004);
    });
    it("100000004: a signed URL expires when the server clock moves on", async () => {
      const url = signedUrl(bench.app, "DestroyRoom", { query: { RoomId: "r1" } });
      bench.clockMs += 601_000;
      const res = await fetch(url);
      assert.equal(((await res.json()) as { Code: number }).Code, 100000004);
    });
    it("100000005: signed with another ServerSecret", async () => {
      const r = await bench.post("QueryUserInfos", { UserIds: [OP] }, { secret: "ffffffffffffffffffffffffffffffff" });
      expectCode(r, 100000005);
      assert.ok(!r.body.Message.includes(SECRET), "the Message never carries the secret");
    });
    it("100000005: Signature not 32 lower-case hex (an upper-case copy of the right one)", async () => {
      const url = new URL(signedUrl(bench.app, "QueryRoomUserList", { query: { RoomId: "r1" } }));
      url.searchParams.set("Signature", (url.searchParams.get("Signature") ?? "").toUpperCase());
      const res = await fetch(url);
      assert.equal(((await res.json()) as { Code: number }).Code, 100000005);
    });
    it("100000005: SignatureNonce changed after signing", async () => {
      expectCode(
        await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureNonce: "0000000000000000" } }),
        100000005,
      );
    });
    it("100000006: Action empty", async () =>
      expectCode(await bench.post("QueryUserInfos", {}, { common: { Action: "" } }), 100000006));
    it("100000007: Action not supported", async () => expectCode(await bench.post("QueryRoomInfo", {}), 100000007));
    it("100000008: SignatureNonce missing", async () =>
      expectCode(
        await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureNonce: null } }),
        100000008,
      ));
    it("100000009: Signature missing", async () =>
      expectCode(await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { Signature: null } }), 100000009));
    it("100000013: SignatureVersion missing", async () =>
      expectCode(
        await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureVersion: null } }),
        100000013,
      ));
    it("100000014: SignatureVersion other than 2.0", async () =>
      expectCode(
        await bench.post("QueryUserInfos", { UserIds: [OP] }, { common: { SignatureVersion: "1.0" } }),
        100000014,
      ));
    it("matches only `/` with an Action query parameter", () => {
      const req = (path: string) => ({ method: "GET", url: new URL(path, "http://127.0.0.1"), rawBody: "" });
      assert.equal(bench.handler.matches(req("/?Action=CreateRoom")), true);
      assert.equal(bench.handler.matches(req("/")), false);
      assert.equal(bench.handler.matches(req("/v4/room_engine_http_srv/create_room?Action=CreateRoom")), false);
      assert.equal(bench.handler.actionOf(req("/?Action=CreateRoom")), "CreateRoom");
      assert.equal(bench.handler.actionOf(req("/?Action=Nope")), "UnknownAction");
    });
  });

  describe("method and body (accessing-server-apis)", () => {
    it("660000002: a POST action sent as GET", async () =>
      expectCode(await bench.get("CreateRoom", { FromUserId: OP, RoomId: "r1" }), 660000002, "must be sent with POST"));
    it("660000002: a GET action sent as POST", async () =>
      expectCode(await bench.post("DestroyRoom", { RoomId: "r1" }), 660000002, "must be sent with GET"));
    it("660000002: a body that is not JSON, not an object, or empty", async () => {
      expectCode(await bench.post("CreateRoom", null, { rawBody: "{not json" }), 660000002, "not valid JSON");
      expectCode(await bench.post("CreateRoom", [{ RoomId: "r1" }]), 660000002, "JSON object");
      expectCode(await bench.post("CreateRoom", null, { rawBody: "" }), 660000002, "JSON object");
    });
    it("POST business parameters are read from the body only, not the query", async () => {
      expectCode(await bench.post("QueryUserInfos", {}, { query: { UserIds: OP } }), 660000002, "UserIds is required");
    });
  });
});
