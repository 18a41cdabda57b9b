import assert from "node:assert/strict";
import { callWithRetry, sendJson, backoffMs, type JsonResponse } from "../../../provider/core/http";
import { RoomApiError } from "../../../provider/core/errors";
import { startScriptedServer, type ScriptedServer, type Step } from "../../support/scripted-server";

/** A parser like a vendor's: `{code: 0}` is success, any other code is an error, retryable if listed. */
function parser(retryableCodes: number[]) {
  return (res: JsonResponse): unknown => {
    const body = res.body as { code?: number };
    if (body.code === 0) return body;
    throw new RoomApiError({
      vendor: "tencent",
      operation: "op",
      kind: "vendor",
      code: body.code ?? -1,
      vendorMessage: "scripted",
      requestId: "req-1",
      retryable: retryableCodes.includes(body.code ?? -1),
    });
  };
}

const fast = { baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 6, deadlineMs: 5_000 };

describe("core/http", () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  async function run(steps: Step[], retry: Partial<typeof fast> = fast, retryable = [100001]) {
    server = await startScriptedServer(steps);
    const url = `${server.url}/op?usersig=SECRETSIG`;
    return callWithRetry({
      vendor: "tencent",
      operation: "op",
      build: () => ({ method: "POST", url, body: {} }),
      parse: parser(retryable),
      retry,
    });
  }

  describe("sendJson", () => {
    /** A GET to a scripted server that answers `steps`, which must fail: its RoomApiError. */
    async function failedGet(steps: Step[], timeouts?: { attemptMs: number }): Promise<RoomApiError> {
      server = await startScriptedServer(steps);
      const err = await sendJson(
        { method: "GET", url: server.url },
        { vendor: "tencent", operation: "op" },
        timeouts,
      ).catch((e: unknown) => e);
      assert.ok(err instanceof RoomApiError, String(err));
      return err;
    }

    it("parses a JSON body", async () => {
      server = await startScriptedServer([{ kind: "json", body: { code: 0, x: 1 } }]);
      const res = await sendJson({ method: "GET", url: server.url }, { vendor: "zego", operation: "Q" });
      assert.deepEqual(res, { status: 200, body: { code: 0, x: 1 } });
    });

    it("turns an HTML 502 page into a retryable transport error", async () => {
      const err = await failedGet([
        { kind: "raw", status: 502, body: "<html><body>502 Bad Gateway</body></html>", contentType: "text/html" },
      ]);
      assert.equal(err.kind, "transport");
      assert.equal(err.code, "HTTP_502");
      assert.equal(err.retryable, true);
    });

    for (const [name, body, code] of [
      ["an empty body", "", "EMPTY_BODY"],
      ["a non-JSON body", "Service Unavailable", "BAD_JSON"],
      ["a truncated JSON body", '{"ErrorCode":0,"Act', "BAD_JSON"],
    ] as const) {
      it(`turns ${name} on HTTP 200 into a non-retryable protocol error`, async () => {
        const err = await failedGet([{ kind: "raw", body }]);
        assert.equal(err.kind, "protocol");
        assert.equal(err.code, code);
        assert.equal(err.retryable, false);
      });
    }

    it("gives up on a server that never answers after the attempt timeout", async () => {
      const started = Date.now();
      const err = await failedGet([{ kind: "hang" }], { attemptMs: 200 });
      assert.equal(err.code, "ETIMEDOUT");
      assert.equal(err.retryable, true);
      assert.ok(Date.now() - started < 2_000);
    });

    it("bounds a slow-drip body by the attempt timeout", async () => {
      const started = Date.now();
      const err = await failedGet([{ kind: "drip", chunk: " ", everyMs: 50, count: 1_000 }], { attemptMs: 300 });
      assert.equal(err.kind, "transport");
      assert.ok(Date.now() - started < 2_000, "must not wait for the whole drip");
    });

    it("rejects a body over the size cap", async () => {
      const err = await failedGet([{ kind: "raw", body: `"${"x".repeat(5 * 1024 * 1024)}"` }]);
      assert.equal(err.code, "BODY_TOO_LARGE");
    });

    it("reports a refused loopback connection as a transport error, not retried (no emulator there), without the signed URL", async () => {
      const err = await sendJson(
        { method: "GET", url: "http://127.0.0.1:1/op?usersig=SECRETSIG&Signature=abc" },
        { vendor: "tencent", operation: "op" },
      ).catch((e: unknown) => e);
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.kind, "transport");
      assert.equal(err.code, "ECONNREFUSED");
      assert.equal(err.retryable, false);
      assert.doesNotMatch(err.message, /SECRETSIG|Signature=abc/);
    });
  });

  describe("callWithRetry", () => {
    it("retries 5xx, resets and retryable codes, then succeeds", async () => {
      const result = await run([
        { kind: "raw", status: 503, body: "busy" },
        { kind: "reset" },
        { kind: "json", body: { code: 100001 } },
        { kind: "json", body: { code: 0, done: true } },
      ]);
      assert.deepEqual(result, { code: 0, done: true });
      assert.equal(server?.requests.length, 4);
    });

    it("fails at once on a non-retryable code, with code and RequestId", async () => {
      const err = await run([{ kind: "json", body: { code: 100011 } }]).catch((e: unknown) => e);
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.code, 100011);
      assert.equal(err.requestId, "req-1");
      assert.equal(err.attempts, 1);
      assert.equal(server?.requests.length, 1);
    });

    it("stops after maxAttempts and says how many", async () => {
      const err = await run([{ kind: "json", body: { code: 100001 } }], { ...fast, maxAttempts: 3 }).catch(
        (e: unknown) => e,
      );
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.attempts, 3);
      assert.match(err.message, /after 3 attempts/);
      assert.equal(server?.requests.length, 3);
    });

    it("honours the overall deadline", async () => {
      const started = Date.now();
      const err = await run([{ kind: "json", body: { code: 100001 } }], {
        baseDelayMs: 100,
        maxDelayMs: 100,
        maxAttempts: 1_000,
        deadlineMs: 600,
      }).catch((e: unknown) => e);
      const took = Date.now() - started;
      assert.ok(err instanceof RoomApiError);
      assert.equal(err.kind, "deadline");
      assert.ok(took < 1_500, `took ${took} ms`);
      assert.ok((server?.requests.length ?? 0) < 20);
    });

    it("builds every attempt afresh (new signature per attempt)", async () => {
      server = await startScriptedServer([{ kind: "reset" }, { kind: "reset" }, { kind: "json", body: { code: 0 } }]);
      let n = 0;
      const base = server.url;
      await callWithRetry({
        vendor: "zego",
        operation: "op",
        build: () => ({ method: "GET", url: `${base}/?n=${++n}` }),
        parse: parser([]),
        retry: fast,
      });
      assert.deepEqual(
        server.requests.map((r) => r.url),
        ["/?n=1", "/?n=2", "/?n=3"],
      );
    });

    it("does not count time queued in the limiter against the deadline", async () => {
      server = await startScriptedServer([{ kind: "json", body: { code: 0 } }]);
      const url = server.url;
      const result = await callWithRetry({
        vendor: "zego",
        operation: "op",
        pace: async () => {
          await new Promise((r) => setTimeout(r, 300));
          return 300;
        },
        build: () => ({ method: "GET", url }),
        parse: parser([]),
        retry: { ...fast, deadlineMs: 100 },
      });
      assert.deepEqual(result, { code: 0 });
    });
  });

  describe("backoffMs", () => {
    it("is full jitter under an exponential ceiling capped at maxDelayMs", () => {
      const policy = { baseDelayMs: 100, maxDelayMs: 1_000 };
      assert.equal(
        backoffMs(1, policy, () => 0.999),
        99,
      );
      assert.equal(
        backoffMs(3, policy, () => 0.5),
        200,
      );
      assert.equal(
        backoffMs(10, policy, () => 0.999),
        999,
      );
      assert.equal(
        backoffMs(4, policy, () => 0),
        0,
      );
    });
  });
});
