/**
 * The ZEGO ZIM client on the wire, against a scripted loopback server that answers as the published pages
 * do (ZEGOCLOUD/docs_all, core_products/zim/en/docs_zim_server/): operator registration on every documented
 * "not registered" code (660500002 first: Return codes.mdx, "Operator user not registered") followed by one
 * retry of the original call, and UserRegister judged by its ErrorList sub-codes
 * (User/batch-register-users.yaml), whatever the top-level Code.
 */
import assert from "node:assert/strict";
import { RoomApiError } from "../../../provider/core/errors";
import { resolveZegoSettings, type ZegoSettings } from "../../../provider/zego/settings";
import { ZegoClient } from "../../../provider/zego/client";
import { HINTS, OPERATOR_NOT_REGISTERED, RETRYABLE_CODES } from "../../../provider/zego/codes";
import { scriptedServerPerTest, type ScriptedServer, type Step } from "../../support/scripted-server";
import { rejection } from "../../support/rejection";

let app = 1900100000;

/** A fresh AppId per test: the client remembers registered operators per app for the whole process. */
function settingsFor(server: ScriptedServer): ZegoSettings {
  const config: Record<string, string> = {
    "zego:appId": String(++app),
    "zego:serverSecret": "scripted-zego-secret-0123456789ab",
    "zego:endpoint": server.url,
    "zego:requestsPerSecond": "0",
  };
  return resolveZegoSettings({ get: (k) => config[k] }, {});
}

const FAST = { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, deadlineMs: 5_000 } };

const answer = (Code: number, fields: Record<string, unknown> = {}): Step => ({
  kind: "json",
  body: { Code, Message: Code === 0 ? "success" : `vendor message ${Code}`, RequestId: `req-${Code}`, ...fields },
});
const exists = (userId: string) => ({ UserId: userId, SubCode: 660700002, SubMessage: "user already exists" });

describe("ZegoClient", function () {
  this.timeout(10_000);
  const scripted = scriptedServerPerTest();

  async function serve(script: Step[]): Promise<{ client: ZegoClient; server: ScriptedServer }> {
    const server = await scripted.serve(script);
    return { client: new ZegoClient(settingsFor(server), FAST), server };
  }

  const actions = (s: ScriptedServer) => s.requests.map((r) => new URL(r.url, "http://x").searchParams.get("Action"));

  // Return codes.mdx, "Suggested actions": what the vendor says to do decides retry or fail (docs/vendor-sources.md).
  describe("retry or fail, as Return codes.mdx suggests", () => {
    it("retries exactly the codes whose suggested action is to try again (less 100000004/100000005)", () => {
      assert.deepEqual(
        [...RETRYABLE_CODES].sort((a, b) => a - b),
        [1, 7, 660000001, 660000003, 660300005, 660300006, 660700001, 100000008, 100000009, 100000013].sort(
          (a, b) => a - b,
        ),
      );
    });

    for (const code of [100000008, 100000009, 100000013]) {
      it(`${code} ("Please try again") is retried`, async () => {
        const { client, server: s } = await serve([answer(code), answer(0, { Count: 1 })]);
        assert.equal(await client.roomUserCount("r1"), 1);
        assert.equal(s.requests.length, 2);
      });
    }

    for (const code of [105001, 100000010, 100000011, 100000012, 100000015, 660300007]) {
      it(`${code} ("contact technical support") fails at once with that advice and the RequestId`, async () => {
        const { client, server: s } = await serve([answer(code), answer(0, { Count: 1 })]);
        const err = await rejection(client.roomUserCount("r1"), RoomApiError);
        assert.equal(err.code, code);
        assert.equal(err.retryable, false);
        assert.equal(err.requestId, `req-${code}`);
        assert.match(err.hint ?? "", /contact ZEGOCLOUD technical support/);
        assert.equal(s.requests.length, 1);
      });
    }

    for (const code of [100000004, 100000005]) {
      it(`${code} is not retried although the table says "Please try again": a fresh signature fails the same way`, async () => {
        const { client, server: s } = await serve([answer(code), answer(0, { Count: 1 })]);
        assert.equal((await rejection(client.roomUserCount("r1"), RoomApiError)).retryable, false);
        assert.equal(s.requests.length, 1);
      });
    }

    it("a retried code that never clears fails with its hint after the last attempt", async () => {
      const { client, server: s } = await serve([
        answer(660000003),
        answer(660000003),
        answer(660000003),
        answer(660000003),
      ]);
      const err = await rejection(client.roomUserCount("r1"), RoomApiError);
      assert.equal(err.code, 660000003);
      assert.equal(err.hint, HINTS[660000003]);
      assert.equal(s.requests.length, 4);
    });
  });

  describe("operator registration", () => {
    it("treats 660500002, 660700015, 660700012 and 660200001 as 'operator not registered'", () => {
      assert.deepEqual([...OPERATOR_NOT_REGISTERED].sort(), [660200001, 660500002, 660700012, 660700015]);
    });

    for (const code of [660500002, 660700015, 660700012, 660200001]) {
      it(`CreateRoom answered ${code}: registers the operator, then retries CreateRoom once`, async () => {
        const { client, server: s } = await serve([
          answer(code),
          answer(0, { ErrorList: [] }),
          answer(0, { AttributeSeq: 0 }),
        ]);
        await client.createRoom("ops-bot", { RoomId: "r1" });
        assert.deepEqual(actions(s), ["CreateRoom", "UserRegister", "CreateRoom"]);
        assert.deepEqual(JSON.parse(s.requests[1]?.body ?? ""), { UserInfo: [{ UserId: "ops-bot" }] });
        assert.equal(s.requests[2]?.body, s.requests[0]?.body, "the retry is the same CreateRoom");
      });
    }

    it("retries the original call only once: a second 660500002 fails with its code and a hint", async () => {
      const { client, server: s } = await serve([answer(660500002), answer(0, { ErrorList: [] }), answer(660500002)]);
      const err = await rejection(client.queryRoomAttribute("ops-bot", "r1"), RoomApiError);
      assert.equal(err.code, 660500002);
      assert.match(err.hint ?? "", /not a registered ZIM user/);
      assert.deepEqual(actions(s), ["QueryRoomAttribute", "UserRegister", "QueryRoomAttribute"]);
    });

    it("registers on a refused DestroyRoom with an operator too", async () => {
      const { client, server: s } = await serve([
        answer(660500002),
        answer(660700002, { ErrorList: [exists("ops-bot")] }),
        answer(0),
      ]);
      await client.destroyRoom("r1", "ops-bot");
      assert.deepEqual(actions(s), ["DestroyRoom", "UserRegister", "DestroyRoom"]);
    });
  });

  describe("UserRegister, judged by the ErrorList sub-codes", () => {
    it("Code 0 with an empty ErrorList: registered", async () => {
      const { client } = await serve([answer(0, { ErrorList: [] })]);
      await client.registerUser("u1");
    });

    // The page: "Code is not 0 ... ErrorList is not empty, indicating that all users failed to register and
    // all are existing users", without naming the Code: any Code then means "already registered".
    for (const code of [660700002, 660000002, 1, 660000001]) {
      it(`Code ${code} with every ErrorList SubCode 660700002: already registered, so success (no retry)`, async () => {
        const { client, server: s } = await serve([answer(code, { ErrorList: [exists("u1")] }), answer(0)]);
        await client.registerUser("u1");
        assert.equal(s.requests.length, 1);
      });
    }

    it("Code 660700002 without an ErrorList: already registered", async () => {
      const { client } = await serve([answer(660700002)]);
      await client.registerUser("u1");
    });

    it("Code 0 with the user's own failure in ErrorList: fails with that SubCode and SubMessage", async () => {
      const { client } = await serve([
        answer(0, { ErrorList: [{ UserId: "u1", SubCode: 660000012, SubMessage: "user length limit" }] }),
      ]);
      const err = await rejection(client.registerUser("u1"), RoomApiError);
      assert.equal(err.code, 660000012);
      assert.match(err.message, /user length limit/);
    });

    it("a non-zero Code with a failing SubCode in ErrorList fails with the SubCode", async () => {
      const { client } = await serve([
        answer(660000002, { ErrorList: [{ UserId: "u1", SubCode: 660700006, SubMessage: "name too long" }] }),
      ]);
      assert.equal((await rejection(client.registerUser("u1"), RoomApiError)).code, 660700006);
    });

    it("a non-zero Code with an empty ErrorList is a request-level failure: 660000002 fails at once", async () => {
      const { client, server: s } = await serve([answer(660000002, { ErrorList: [] })]);
      assert.equal((await rejection(client.registerUser("u1"), RoomApiError)).code, 660000002);
      assert.equal(s.requests.length, 1);
    });

    it("the UserRegister frequency limit (660700001, no ErrorList) is retried", async () => {
      const { client, server: s } = await serve([answer(660700001), answer(0, { ErrorList: [] })]);
      await client.registerUser("u1");
      assert.equal(s.requests.length, 2);
    });

    it("a malformed ErrorList is a protocol error", async () => {
      const { client } = await serve([answer(660700002, { ErrorList: [{ UserId: 7 }] })]);
      assert.equal((await rejection(client.registerUser("u1"), RoomApiError)).kind, "protocol");
    });
  });
});
