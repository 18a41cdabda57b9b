/**
 * Hostile server answers through the vendor clients: a loopback server scripted to answer what no vendor
 * should (HTML, truncated or empty JSON, wrong types in the envelope, records missing fields, bodies over
 * 4 MiB, a slow drip, no answer at all, random JSON). Every call must end in a typed RoomApiError (or a
 * well-formed result), never another exception, never a hang past the retry deadline, never a secret.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { RoomApiError } from "../../provider/core/errors";
import { closeAgent, type HttpTimeouts, type RetryPolicy } from "../../provider/core/http";
import { resolveTencentSettings } from "../../provider/tencent/settings";
import { resolveZegoSettings } from "../../provider/zego/settings";
import { TencentClient } from "../../provider/tencent/client";
import { ZegoClient } from "../../provider/zego/client";
import { startScriptedServer, type ScriptedServer, type Step } from "../support/scripted-server";

const TENCENT_SECRET = "hostile-answers-tencent-secret-0001";
const ZEGO_SECRET = "hostile-answers-zego-secret-00002";

/** Two attempts, short timeouts: a hostile server must not cost more than this. */
const RETRY: Partial<RetryPolicy> = { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, deadlineMs: 1_500 };
const TIMEOUTS: Partial<HttpTimeouts> = { attemptMs: 300 };
/** Longest any call may take: the deadline plus scheduling slack. */
const BOUND_MS = 2_500;

/** One vendor call per client, for the same hostile answer. */
interface Target {
  readonly label: string;
  call(): Promise<unknown>;
}

describe("fuzz: hostile server answers through the vendor clients", function () {
  this.timeout(60_000);
  let server: ScriptedServer;
  let next: Step = { kind: "reset" };
  let targets: Target[];

  before(async function () {
    server = await startScriptedServer(() => next);
    // Pacing off (rate 0) so the scripted answers, not the limiter, set the pace.
    const tencent = new TencentClient(
      resolveTencentSettings(
        {
          get: (k) =>
            ({
              "tencent:sdkAppId": "1400999001",
              "tencent:secretKey": TENCENT_SECRET,
              "tencent:endpoint": server.url,
              "tencent:requestsPerSecond": "0",
            })[k],
        },
        {},
      ),
      { retry: RETRY, timeouts: TIMEOUTS },
    );
    const zego = new ZegoClient(
      resolveZegoSettings(
        {
          get: (k) =>
            ({
              "zego:appId": "1900999001",
              "zego:serverSecret": ZEGO_SECRET,
              "zego:endpoint": server.url,
              "zego:requestsPerSecond": "0",
            })[k],
        },
        {},
      ),
      { retry: RETRY, timeouts: TIMEOUTS },
    );
    targets = [
      { label: "tencent get_room_info", call: () => tencent.getRoomInfo("r1") },
      { label: "tencent create_room", call: () => tencent.createRoom({ RoomInfo: { RoomId: `r-${Math.random()}` } }) },
      { label: "zego QueryRoomUserList", call: () => zego.roomUserCount("r1") },
      { label: "zego QueryRoomAttribute", call: () => zego.queryRoomAttribute("op1", "r1") },
      {
        label: "zego ModifyRoomAttribute",
        call: () => zego.modifyRoomAttribute("op1", "r1", [{ Action: 0, Key: "k", Value: "v", AutoDelete: 0 }]),
      },
      { label: "zego DestroyRoom", call: () => zego.destroyRoom("r1", undefined) },
    ];
  });

  after(async function () {
    await closeAgent();
    await server?.stop();
  });

  /** Runs `target` against the current script; returns the error (undefined on success) and the time taken. */
  async function attempt(target: Target): Promise<{ error?: RoomApiError; ms: number }> {
    const started = Date.now();
    try {
      await target.call();
      return { ms: Date.now() - started };
    } catch (err) {
      const ms = Date.now() - started;
      assert.ok(
        err instanceof RoomApiError,
        `${target.label}: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
      );
      assert.equal(err.vendor, target.label.split(" ")[0]);
      for (const secret of [TENCENT_SECRET, ZEGO_SECRET]) assert.ok(!err.message.includes(secret), err.message);
      return { error: err, ms };
    }
  }

  const HOSTILE: { name: string; step: Step; kind: RoomApiError["kind"] | "transport-or-deadline"; code?: RegExp }[] = [
    {
      name: "an HTML page with HTTP 200",
      step: { kind: "raw", body: "<html><body>Welcome to nginx</body></html>", contentType: "text/html" },
      kind: "protocol",
      code: /^BAD_JSON$/,
    },
    {
      name: "truncated JSON",
      step: { kind: "raw", body: '{"ActionStatus":"OK","ErrorCode":0,"Code":0,"Resp', contentType: "application/json" },
      kind: "protocol",
      code: /^BAD_JSON$/,
    },
    { name: "an empty body", step: { kind: "raw", body: "" }, kind: "protocol", code: /^EMPTY_BODY$/ },
    {
      name: "the error code as a string",
      step: { kind: "json", body: { ActionStatus: "OK", ErrorCode: "0", Code: "0", Message: "ok" } },
      kind: "protocol",
      code: /^BAD_ENVELOPE$/,
    },
    { name: "a JSON array", step: { kind: "json", body: [1, 2, 3] }, kind: "protocol", code: /^BAD_ENVELOPE$/ },
    {
      name: "JSON null",
      step: { kind: "raw", body: "null", contentType: "application/json" },
      kind: "protocol",
      code: /^BAD_ENVELOPE$/,
    },
    {
      name: "a body over 4 MiB",
      step: { kind: "raw", body: `{"pad":"${"x".repeat(4 * 1024 * 1024 + 16)}"}`, contentType: "application/json" },
      kind: "protocol",
      code: /^BODY_TOO_LARGE$/,
    },
    {
      name: "a 502 gateway page (retried, then given up)",
      step: { kind: "raw", status: 502, body: "<h1>502 Bad Gateway</h1>", contentType: "text/html" },
      kind: "transport-or-deadline",
      code: /^HTTP_502$/,
    },
    { name: "a reset connection (retried, then given up)", step: { kind: "reset" }, kind: "transport-or-deadline" },
    {
      name: "a body that drips a byte every 100 ms",
      step: { kind: "drip", chunk: " ", everyMs: 100, count: 100 },
      kind: "transport-or-deadline",
      code: /^ETIMEDOUT$/,
    },
    { name: "no answer at all", step: { kind: "hang" }, kind: "transport-or-deadline", code: /^ETIMEDOUT$/ },
  ];

  for (const h of HOSTILE) {
    it(`${h.name}: a typed RoomApiError within the deadline, from every call`, async function () {
      next = h.step;
      for (const target of targets) {
        const { error, ms } = await attempt(target);
        assert.ok(error, `${target.label} accepted ${h.name}`);
        if (h.kind === "transport-or-deadline")
          assert.ok(error.kind === "transport" || error.kind === "deadline", `${target.label}: ${error.kind}`);
        else assert.equal(error.kind, h.kind, `${target.label}: ${error.message}`);
        if (h.code) assert.match(String(error.code), h.code, `${target.label}: ${error.message}`);
        assert.ok(ms < BOUND_MS, `${target.label} took ${ms} ms on ${h.name}`);
      }
    });
  }

  it("records with missing or mistyped fields are protocol errors, not crashes", async function () {
    const partialRoom = { ActionStatus: "OK", ErrorCode: 0, Response: { RoomInfo: { RoomId: "r1", RoomName: 7 } } };
    next = { kind: "json", body: partialRoom };
    const tencent = await attempt(targets[0] as Target);
    assert.equal(tencent.error?.kind, "protocol");
    assert.match(tencent.error?.message ?? "", /RoomInfo is malformed/);
    next = { kind: "json", body: { Code: 0, Message: "ok", RequestId: "1", Attributes: [{ Key: "k", Value: 5 }] } };
    const zego = await attempt(targets[3] as Target);
    assert.equal(zego.error?.kind, "protocol");
    next = { kind: "json", body: { Code: 0, Message: "ok", RequestId: "1", Count: "3" } };
    assert.equal((await attempt(targets[2] as Target)).error?.kind, "protocol");
    next = { kind: "json", body: { Code: 0, Message: "ok", RequestId: "1", ErrKeyList: "all" } };
    assert.equal((await attempt(targets[4] as Target)).error?.kind, "protocol");
  });

  it("random JSON answers: a result or a typed RoomApiError, never another exception or a hang", async function () {
    const code = fc.oneof(fc.constant(0), fc.integer(), fc.string({ maxLength: 4 }), fc.constant(null), fc.double());
    const envelope = fc.record(
      {
        ActionStatus: fc.oneof(fc.constantFrom("OK", "FAIL"), fc.anything({ maxDepth: 1 })),
        ErrorCode: code,
        ErrorInfo: fc.oneof(fc.string(), fc.anything({ maxDepth: 1 })),
        Code: code,
        Message: fc.oneof(fc.string(), fc.anything({ maxDepth: 1 })),
        RequestId: fc.oneof(fc.string(), fc.integer()),
        Response: fc.oneof(fc.constant({ RoomInfo: { RoomId: "r1" } }), fc.jsonValue({ maxDepth: 2 })),
        Count: fc.oneof(fc.integer(), fc.string()),
        Attributes: fc.oneof(
          fc.constant([{ Key: "k", Value: "v", Seq: 1, AutoDelete: 0 }]),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        AttributeSeq: fc.oneof(fc.integer(), fc.string()),
        ErrKeyList: fc.oneof(fc.constant(null), fc.constant([{ Key: "k", SubCode: 2 }]), fc.jsonValue({ maxDepth: 2 })),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(envelope, fc.jsonValue({ maxDepth: 3 })),
        fc.integer({ min: 0, max: targets.length - 1 }),
        async (body, which) => {
          next = { kind: "json", body };
          const { ms } = await attempt(targets[which] as Target);
          assert.ok(ms < BOUND_MS, `took ${ms} ms`);
        },
      ),
      { numRuns: 600, seed: 777 },
    );
  });
});
