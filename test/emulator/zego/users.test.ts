/**
 * ZEGO emulation: UserRegister and QueryUserInfos, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { OP, expectCode, zegoSuite } from "../../support/zego-conformance";

zegoSuite("users", (bench) => {
  describe("UserRegister (user/batch-register-users)", () => {
    it("registers users: Code 0, empty ErrorList", async () => {
      const r = await bench.post("UserRegister", {
        UserInfo: [{ UserId: "alice", UserName: "Alice", UserAvatar: "https://a/x.png" }, { UserId: "bob" }],
      });
      expectCode(r, 0);
      assert.deepEqual(r.body.ErrorList, []);
      assert.deepEqual(
        bench.handler.users().map((u) => [u.userId, u.userName, u.userAvatar]),
        [
          [OP, "", ""],
          ["alice", "Alice", "https://a/x.png"],
          ["bob", "", ""],
        ],
      );
    });
    it("660700002 per user when some already exist, Code 0 when at least one registered", async () => {
      const r = await bench.post("UserRegister", { UserInfo: [{ UserId: OP }, { UserId: "carol" }] });
      expectCode(r, 0);
      assert.deepEqual(
        (r.body.ErrorList as { UserId: string; SubCode: number }[]).map((e) => [e.UserId, e.SubCode]),
        [[OP, 660700002]],
      );
    });
    it("660700002 as the Code when every user already exists", async () => {
      const r = await bench.post("UserRegister", { UserInfo: [{ UserId: OP }] });
      expectCode(r, 660700002);
      assert.deepEqual(
        (r.body.ErrorList as { SubCode: number }[]).map((e) => e.SubCode),
        [660700002],
      );
    });
    it("660000012: UserId longer than 32 bytes", async () => {
      const r = await bench.post("UserRegister", { UserInfo: [{ UserId: "u".repeat(33) }] });
      expectCode(r, 660000012);
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: "u".repeat(32) }] }), 0);
    });
    it("660700006: UserName longer than 256 bytes (bytes, not characters)", async () => {
      expectCode(
        await bench.post("UserRegister", { UserInfo: [{ UserId: "n1", UserName: "名".repeat(86) }] }),
        660700006,
      );
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: "n2", UserName: "n".repeat(256) }] }), 0);
    });
    it("660700007: UserAvatar longer than 500 bytes", async () => {
      expectCode(
        await bench.post("UserRegister", { UserInfo: [{ UserId: "a1", UserAvatar: "x".repeat(501) }] }),
        660700007,
      );
    });
    it("660000002: a UserId outside the allowed characters; every documented character is accepted", async () => {
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: "a/b" }] }), 660000002);
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: "é" }] }), 660000002);
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: "aZ9!#$%&()+-:;<=.>?@[]^_ ,{}|~" }] }), 0);
    });
    it("660000002: UserInfo missing, empty, over 100 items, or an item without a string UserId", async () => {
      expectCode(await bench.post("UserRegister", {}), 660000002, "UserInfo is required");
      expectCode(await bench.post("UserRegister", { UserInfo: [] }), 660000002);
      expectCode(
        await bench.post("UserRegister", { UserInfo: Array.from({ length: 101 }, (_, i) => ({ UserId: `u${i}` })) }),
        660000002,
        "at most 100",
      );
      expectCode(await bench.post("UserRegister", { UserInfo: [{ UserId: 7 }] }), 660000002, "UserInfo[0].UserId");
    });
  });

  describe("QueryUserInfos (its user page)", () => {
    it("Result for registered users, ErrorList 660700015 for the others, Code 0", async () => {
      bench.handler.registerUser("dave", "Dave", "https://d");
      const r = await bench.post("QueryUserInfos", { UserIds: ["dave", "nobody"] });
      expectCode(r, 0);
      assert.deepEqual(r.body.Result, [{ UserId: "dave", UserName: "Dave", UserAvatar: "https://d", Extra: "" }]);
      assert.deepEqual(r.body.ErrorList, [{ UserId: "nobody", SubCode: 660700015 }]);
    });
    it("660700015 as the Code when no user is registered", async () => {
      const r = await bench.post("QueryUserInfos", { UserIds: ["nobody"] });
      expectCode(r, 660700015);
      assert.deepEqual(r.body.ErrorList, [{ UserId: "nobody", SubCode: 660700015 }]);
    });
    it("660000002: more than 100 UserIds, or an ID over 64 bytes", async () => {
      expectCode(
        await bench.post("QueryUserInfos", { UserIds: Array.from({ length: 101 }, (_, i) => `u${i}`) }),
        660000002,
      );
      expectCode(await bench.post("QueryUserInfos", { UserIds: ["x".repeat(65)] }), 660000002);
    });
  });
});
