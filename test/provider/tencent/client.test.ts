/**
 * The Tencent Room Engine client on the wire, against a scripted loopback server: the request every call
 * sends (the Chat REST conventions, https://www.tencentcloud.com/document/product/1047/34620), which codes
 * are retried and which fail at once (codes.ts, citing the vendor pages' tables), answers that are not the vendor's envelope, the UserSig cache key,
 * and the per-room spacing of create_room (100012).
 */
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { inspect } from "node:util";
import { verifyUserSig } from "../../../emulator/tencent/usersig";
import { RoomApiError } from "../../../provider/core/errors";
import { redact } from "../../../provider/core/redact";
import type { TencentSettings } from "../../../provider/tencent/settings";
import {
  adminUserSig,
  TencentClient,
  userSigCacheKey,
  userSigCacheKeys,
  USERSIG_TTL_SECONDS,
} from "../../../provider/tencent/client";
import { RETRYABLE_CODES } from "../../../provider/tencent/codes";
import { scriptedServerPerTest, type ScriptedServer, type Step } from "../../support/scripted-server";
import { rejection } from "../../support/rejection";
import { defaultTencentRoomInfo } from "../../support/samples";

const KEY = "5f4dcc3b5aa765d61d8327deb882cf99aabbccddeeff00112233445566778899";
let app = 1400000100;

/** Settings for a fresh app per test (its own limiter and spacing), pacing off unless asked. */
function settingsFor(server: ScriptedServer, requestsPerSecond = 0): TencentSettings {
  return {
    sdkAppId: ++app,
    secretKey: KEY,
    identifier: "administrator",
    region: "singapore",
    requestsPerSecond,
    rateLimitScope: "api",
    baseUrl: server.url,
  };
}

const FAST = { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, deadlineMs: 5_000 } };

const ok = (response?: unknown): Step => ({
  kind: "json",
  body: {
    ActionStatus: "OK",
    ErrorCode: 0,
    ErrorInfo: "",
    RequestId: "Id-ok-O-Seq-1",
    ...(response ? { Response: response } : {}),
  },
});
const fail = (code: number, info = `vendor message ${code}`): Step => ({
  kind: "json",
  body: { ActionStatus: "FAIL", ErrorCode: code, ErrorInfo: info, RequestId: `Id-${code}-O-Seq-2` },
});

const ROOM_INFO = {
  ...defaultTencentRoomInfo("r1", "administrator", 1800000000),
  RoomStatus: "NotStarted",
  CreateTime: 1799990000,
  MemberCount: 0,
};

describe("TencentClient", function () {
  this.timeout(10_000);
  const scripted = scriptedServerPerTest();

  async function serve(
    script: Step[],
  ): Promise<{ client: TencentClient; settings: TencentSettings; server: ScriptedServer }> {
    const server = await scripted.serve(script);
    const settings = settingsFor(server);
    return { client: new TencentClient(settings, FAST), settings, server };
  }

  describe("requests", () => {
    it("POSTs each command with sdkappid, identifier, a valid usersig, a fresh uint32 random per attempt and contenttype=json", async () => {
      const {
        client,
        settings,
        server: s,
      } = await serve([ok(), ok({ RoomInfo: ROOM_INFO }), ok(), fail(100001), ok()]);
      await client.createRoom({ RoomInfo: { RoomId: "r1", RoomType: "Conference" } });
      await client.getRoomInfo("r1");
      await client.updateRoomInfo({ RoomInfo: { RoomId: "r1", CustomInfo: "x" } });
      await client.destroyRoom("r1");
      const commands = s.requests.map((r) => new URL(r.url, "http://x").pathname);
      assert.deepEqual(commands, [
        "/v4/room_engine_http_srv/create_room",
        "/v4/room_engine_http_srv/get_room_info",
        "/v4/room_engine_http_srv/update_room_info",
        "/v4/room_engine_http_srv/destroy_room",
        "/v4/room_engine_http_srv/destroy_room",
      ]);
      const randoms = new Set<string>();
      for (const r of s.requests) {
        assert.equal(r.method, "POST");
        const q = new URL(r.url, "http://x").searchParams;
        assert.deepEqual([...q.keys()].sort(), ["contenttype", "identifier", "random", "sdkappid", "usersig"]);
        assert.equal(q.get("sdkappid"), String(settings.sdkAppId));
        assert.equal(q.get("identifier"), "administrator");
        assert.equal(q.get("contenttype"), "json");
        const random = q.get("random") ?? "";
        assert.match(random, /^\d{1,10}$/);
        assert.ok(Number(random) <= 4294967295);
        randoms.add(random);
        assert.equal(
          verifyUserSig(q.get("usersig") ?? "", settings.sdkAppId, KEY, "administrator", Math.floor(Date.now() / 1000)),
          0,
        );
        // The REST conventions (1047/34620): the body is JSON and never empty.
        assert.ok(r.body.length > 2);
        assert.equal(typeof JSON.parse(r.body), "object");
      }
      assert.equal(randoms.size, s.requests.length, "random repeated between attempts");
      assert.deepEqual(JSON.parse(s.requests[1]?.body ?? ""), { RoomId: "r1" });
      assert.deepEqual(JSON.parse(s.requests[2]?.body ?? ""), { RoomInfo: { RoomId: "r1", CustomInfo: "x" } });
      // The retry (request 5) resends the same body with a new random.
      assert.equal(s.requests[4]?.body, s.requests[3]?.body);
    });
  });

  describe("retries", () => {
    it("retries exactly the documented retry and frequency-limit codes: 100001, 60007, 60011, 60018, 60019, 70169, 70500", () => {
      assert.deepEqual([...RETRYABLE_CODES].sort(), [100001, 60007, 60011, 60018, 60019, 70169, 70500].sort());
    });

    for (const code of [100001, 60007, 60011, 60018, 60019, 70169, 70500]) {
      it(`retries ${code}, then succeeds`, async () => {
        const { client, server: s } = await serve([fail(code), ok()]);
        await client.destroyRoom("r1");
        assert.equal(s.requests.length, 2);
      });
    }

    it("retries HTTP 502, 503 and a connection reset", async () => {
      const { client, server: s } = await serve([
        { kind: "raw", status: 502, body: "<html>Bad Gateway</html>" },
        { kind: "json", status: 503, body: {} },
        { kind: "reset" },
        ok(),
      ]);
      await client.destroyRoom("r1");
      assert.equal(s.requests.length, 4);
    });

    it("gives up on HTTP 5xx after the attempt limit, as a transport error", async () => {
      const { client, server: s } = await serve([{ kind: "raw", status: 500, body: "oops" }]);
      const err = await rejection(client.destroyRoom("r1"), RoomApiError);
      assert.equal(err.kind, "transport");
      assert.equal(err.code, "HTTP_500");
      assert.equal(err.attempts, 4);
      assert.equal(s.requests.length, 4);
    });

    it("waits out 100012 on create_room: the retry for the same room ID comes a second or more later", async () => {
      const { client, server: s } = await serve([fail(100012), ok()]);
      await client.createRoom({ RoomInfo: { RoomId: "again", RoomType: "Conference" } });
      assert.equal(s.requests.length, 2);
      const [first, second] = s.requests;
      assert.ok((second?.at ?? 0) - (first?.at ?? 0) >= 1000, "the retry did not wait out the one-per-second rule");
    });

    it("does not retry 100012 outside create_room (it is create_room's own rule)", async () => {
      const { client, server: s } = await serve([fail(100012), ok()]);
      const err = await rejection(client.destroyRoom("r1"), RoomApiError);
      assert.equal(err.code, 100012);
      assert.equal(s.requests.length, 1);
    });

    for (const code of [
      100002, 100003, 100004, 100006, 100007, 100010, 100011, 60010, 60026, 70001, 70009, 70107, 99999,
    ]) {
      it(`fails at once on ${code} with the code, the vendor's message, the RequestId and a hint`, async () => {
        const { client, server: s } = await serve([fail(code, `the vendor says ${code}`), ok()]);
        const err = await rejection(client.destroyRoom("r1"), RoomApiError);
        assert.equal(s.requests.length, 1);
        assert.equal(err.kind, "vendor");
        assert.equal(err.code, code);
        assert.equal(err.retryable, false);
        assert.equal(err.requestId, `Id-${code}-O-Seq-2`);
        assert.ok(err.hint && err.hint.length > 10, `no hint for ${code}`);
        assert.match(
          err.message,
          new RegExp(
            `^tencent destroy_room failed: \\[${code}\\] the vendor says ${code}; RequestId: Id-${code}-O-Seq-2\\. Hint: `,
          ),
        );
      });
    }
  });

  describe("answers that are not the envelope", () => {
    const CASES: [string, Step, string][] = [
      [
        "an HTML page with HTTP 200",
        { kind: "raw", body: "<html>maintenance</html>", contentType: "text/html" },
        "BAD_JSON",
      ],
      ["an empty body", { kind: "raw", body: "" }, "EMPTY_BODY"],
      ["JSON without ErrorCode", { kind: "json", body: { ActionStatus: "OK" } }, "BAD_ENVELOPE"],
      [
        "ErrorCode as text",
        { kind: "json", body: { ActionStatus: "OK", ErrorCode: "0", ErrorInfo: "" } },
        "BAD_ENVELOPE",
      ],
      ["a JSON array", { kind: "json", body: [1, 2] }, "BAD_ENVELOPE"],
    ];
    for (const [what, step, code] of CASES) {
      it(`fails as a protocol error, without a retry or a crash: ${what}`, async () => {
        const { client, server: s } = await serve([step, ok()]);
        const err = await rejection(client.destroyRoom("r1"), RoomApiError);
        assert.equal(err.kind, "protocol");
        assert.equal(err.code, code);
        assert.equal(s.requests.length, 1);
      });
    }

    it("fails as a protocol error when get_room_info's Response.RoomInfo is missing or mistyped", async () => {
      const { client } = await serve([ok(), ok({ RoomInfo: { ...ROOM_INFO, MaxMemberCount: "20" } })]);
      const missing = await rejection(client.getRoomInfo("r1"), RoomApiError);
      assert.equal(missing.kind, "protocol");
      assert.match(missing.message, /Response\.RoomInfo is malformed/);
      assert.match(missing.message, /RequestId: Id-ok-O-Seq-1/);
      const mistyped = await rejection(client.getRoomInfo("r1"), RoomApiError);
      assert.equal(mistyped.kind, "protocol");
      assert.match(mistyped.message, /Response\.RoomInfo is malformed: MaxMemberCount: /, "names the field");
    });

    it("drops a room password (IsPasswordEnabled, Password: the Chinese get_room_info sample) from the result, and keeps it out of a protocol error", async () => {
      const password = "pw-LEAKCANARY-7391";
      const locked = { ...ROOM_INFO, IsPasswordEnabled: true, Password: password };
      const { client } = await serve([ok({ RoomInfo: locked }), ok({ RoomInfo: { ...locked, MaxMemberCount: "20" } })]);
      const info = await client.getRoomInfo("r1");
      assert.deepEqual(
        Object.keys(info).filter((k) => /password/i.test(k)),
        [],
      );
      assert.equal(JSON.stringify(info).includes(password), false);
      const err = await rejection(client.getRoomInfo("r1"), RoomApiError);
      assert.equal(err.kind, "protocol");
      for (const text of [err.message, String(err.stack), JSON.stringify(err), inspect(err.cause)])
        assert.equal(text.includes(password), false, text);
    });

    it("treats ActionStatus FAIL with ErrorCode 0 as a failure, not a success", async () => {
      const { client } = await serve([
        { kind: "json", body: { ActionStatus: "FAIL", ErrorCode: 0, ErrorInfo: "odd", RequestId: "Id-x" } },
      ]);
      const err = await rejection(client.destroyRoom("r1"), RoomApiError);
      assert.equal(err.kind, "vendor");
      assert.equal(err.retryable, false);
    });
  });

  describe("admin UserSig", () => {
    it("is valid for 24 hours, cached under app + identifier + a hash of the key (never the key), and redacted", () => {
      const settings = {
        sdkAppId: 1400000999,
        secretKey: KEY,
        identifier: "administrator",
        region: "singapore",
        requestsPerSecond: 0,
        rateLimitScope: "api",
        baseUrl: "http://127.0.0.1:9",
      } as TencentSettings;
      const sig = adminUserSig(settings);
      const doc = JSON.parse(
        inflateSync(Buffer.from(sig.replace(/\*/g, "+").replace(/-/g, "/").replace(/_/g, "="), "base64")).toString(
          "utf8",
        ),
      ) as Record<string, unknown>;
      assert.equal(doc["TLS.expire"], USERSIG_TTL_SECONDS);
      assert.equal(USERSIG_TTL_SECONDS, 86400);
      const key = userSigCacheKey(settings);
      assert.match(key, /^1400000999:administrator:[0-9a-f]{16}$/);
      for (const k of userSigCacheKeys()) assert.ok(!k.includes(KEY) && !k.includes(KEY.slice(0, 16)), k);
      // A rotated key is a new cache entry, so the next call signs with it.
      assert.notEqual(userSigCacheKey({ ...settings, secretKey: `${KEY}0` }), key);
      assert.equal(redact(`GET /x?usersig=abc and ${sig} in text`), "GET /x?usersig=[REDACTED] and [REDACTED] in text");
    });
  });

  describe("pacing", () => {
    it("spaces create_room for one room ID by more than a second, and not different room IDs", async () => {
      const server = await scripted.serve([ok()]);
      const client = new TencentClient(settingsFor(server), FAST);
      const body = (roomId: string) => ({ RoomInfo: { RoomId: roomId, RoomType: "Conference" } });
      await Promise.all([
        client.createRoom(body("same")),
        client.createRoom(body("same")),
        client.createRoom(body("other")),
      ]);
      const at = (roomId: string) => server.requests.filter((r) => r.body.includes(`"${roomId}"`)).map((r) => r.at);
      const [a, b] = at("same");
      assert.ok(Math.abs((b ?? 0) - (a ?? 0)) >= 1000, "two create_room for one room ID within a second");
      const [other] = at("other");
      assert.ok(Math.abs((other ?? 0) - Math.min(a ?? 0, b ?? 0)) < 500, "a different room ID was held back");
    });

    it("paces every call of an app to tencent:requestsPerSecond", async () => {
      const server = await scripted.serve([ok()]);
      const client = new TencentClient(settingsFor(server, 20), FAST);
      const started = Date.now();
      await Promise.all(Array.from({ length: 10 }, (_, i) => client.destroyRoom(`r${i}`)));
      // 20/s is paced at 19/s with a burst of 1: ten calls span at least 9 intervals of ~53 ms.
      assert.ok(Date.now() - started >= 400, `10 calls in ${Date.now() - started} ms`);
    });
  });
});
