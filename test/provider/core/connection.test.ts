/**
 * Endpoint mistakes fail at once with a message that names the setting, where it came from, and the fix:
 * https:// to the plain-HTTP emulator, an emulator that is not running, a host name that does not exist,
 * an untrusted certificate. Errors that waiting cannot heal take one attempt, not eight; an endpoint that
 * already holds the Room Engine's API path is cut back to the base URL.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { classifyConnectionError, originText } from "../../../provider/core/connection";
import { RoomApiError } from "../../../provider/core/errors";
import type { ConfigSource } from "../../../provider/core/settings";
import { resolveTencentSettings, withoutTencentApiPath } from "../../../provider/tencent/settings";
import { resolveZegoSettings } from "../../../provider/zego/settings";
import { TencentClient } from "../../../provider/tencent/client";
import { ZegoClient } from "../../../provider/zego/client";
import { startScriptedServer, type ScriptedServer } from "../../support/scripted-server";
import { rejection } from "../../support/rejection";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });
const TENCENT = { "tencent:sdkAppId": "1400000001", "tencent:secretKey": "k".repeat(32) };
const ZEGO = { "zego:appId": "1234567890", "zego:serverSecret": "s".repeat(32), "zego:fromUserId": "ops" };

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("core/connection: endpoint mistakes", function () {
  let server: ScriptedServer;
  before(async function () {
    server = await startScriptedServer(() => ({ kind: "json", body: { ActionStatus: "OK", ErrorCode: 0 } }));
  });
  after(async function () {
    await server.stop();
  });

  it("https:// to a plain-HTTP server (tencent:endpoint from stack config): one attempt, names the setting and the http:// URL to use", async function () {
    const https = server.url.replace("http://", "https://");
    const settings = resolveTencentSettings(config({ ...TENCENT, "tencent:endpoint": https }), {});
    const started = Date.now();
    const err = await rejection(new TencentClient(settings).destroyRoom("r1"), RoomApiError);
    assert.equal(err.attempts, 1, "a TLS handshake with a plain-HTTP server is not retried");
    assert.equal(err.retryable, false);
    assert.equal(err.code, "ERR_SSL_WRONG_VERSION_NUMBER");
    assert.match(
      err.message,
      /TLS handshake failed: https:\/\/127\.0\.0\.1:\d+ does not answer in TLS, so it is probably a plain-HTTP server \(such as the emulator\)/,
    );
    assert.ok(err.message.includes(`use ${server.url}`), err.message);
    assert.match(
      err.message,
      /tencent:endpoint \(from stack config; change it with `pulumi config set tencent:endpoint <url>`\)/,
    );
    assert.doesNotMatch(err.message, /ssl3_get_record|openssl/i, "no raw OpenSSL dump");
    assert.ok(Date.now() - started < 3_000);
  });

  it("a refused connection on loopback (ZEGO_ENDPOINT from the environment): one attempt, says to start the emulator", async function () {
    const port = await closedPort();
    const settings = resolveZegoSettings(config(ZEGO), { ZEGO_ENDPOINT: `http://127.0.0.1:${port}` });
    const err = await rejection(new ZegoClient(settings).destroyRoom("r1", "ops"), RoomApiError);
    assert.equal(err.attempts, 1);
    assert.equal(err.code, "ECONNREFUSED");
    assert.match(
      err.message,
      new RegExp(`nothing accepts connections at http://127\\.0\\.0\\.1:${port} \\(connection refused\\)`),
    );
    assert.match(
      err.message,
      /start the emulator \(`npm run emulator` or `npx pulumi-rooms-emulator`, which print the URL\), or fix the port in ZEGO_ENDPOINT \(from the environment; stack config zego:endpoint would take precedence\)/,
    );
  });

  it("a host name that does not exist: one attempt, names the host and the setting", async function () {
    const settings = resolveTencentSettings(config({ ...TENCENT, "tencent:endpoint": "https://rooms.invalid" }), {});
    const err = await rejection(new TencentClient(settings).destroyRoom("r1"), RoomApiError);
    // Without DNS at all the resolver may answer EAI_AGAIN (retryable); with DNS, .invalid never exists.
    if (err.code === "ENOTFOUND") {
      assert.equal(err.attempts, 1);
      assert.match(err.message, /the host name rooms\.invalid does not resolve/);
      assert.match(err.message, /check the host name in tencent:endpoint \(from stack config/);
    } else {
      assert.equal(err.code, "EAI_AGAIN");
    }
  });

  it("classifies what waiting cannot heal: certificates, unknown hosts, loopback refusals; a remote refusal or reset is retried", function () {
    const origin = { setting: "zego:endpoint", env: "ZEGO_ENDPOINT", from: "stack config" } as const;
    /** An error with this Node `code` (and message), met calling `url` at the endpoint `origin` names. */
    const classify = (code: string, url = "https://h", message = "x") =>
      classifyConnectionError(Object.assign(new Error(message), { code }), url, origin);
    const cert = classify(
      "DEPTH_ZERO_SELF_SIGNED_CERT",
      "https://zim.example.com/?Action=X",
      "self-signed certificate",
    );
    assert.equal(cert.retryable, false);
    assert.equal(
      cert.message,
      "the TLS certificate of https://zim.example.com is not trusted (DEPTH_ZERO_SELF_SIGNED_CERT)",
    );
    assert.match(cert.hint, /NODE_EXTRA_CA_CERTS/);
    const expired = classify("CERT_HAS_EXPIRED");
    assert.equal(expired.retryable, false);
    const remote = classify("ECONNREFUSED", "https://zim-api.zego.im/?Action=X", "connect ECONNREFUSED");
    assert.equal(remote.retryable, true);
    assert.match(remote.hint, /check zego:endpoint \(from stack config/);
    const reset = classify("ECONNRESET", "https://h", "socket hang up");
    assert.equal(reset.retryable, true);
    const dnsHiccup = classify("EAI_AGAIN", "https://h", "getaddrinfo EAI_AGAIN");
    assert.equal(dnsHiccup.retryable, true);
  });

  it("names where the URL came from: stack config, environment, or the region default", function () {
    assert.equal(
      resolveTencentSettings(config({ ...TENCENT, "tencent:endpoint": "http://127.0.0.1:1" }), {
        TENCENT_ENDPOINT: "http://127.0.0.1:2",
      }).endpointOrigin?.from,
      "stack config",
    );
    assert.deepEqual(
      resolveTencentSettings(config(TENCENT), { TENCENT_ENDPOINT: "http://127.0.0.1:2" }).endpointOrigin,
      { setting: "tencent:endpoint", env: "TENCENT_ENDPOINT", from: "environment" },
    );
    const region = resolveZegoSettings(config({ ...ZEGO, "zego:region": "sgp" }), {}).endpointOrigin;
    assert.deepEqual(region, { setting: "zego:region", env: "ZEGO_REGION", from: "stack config" });
    assert.equal(
      originText(region),
      "zego:region (from stack config; change it with `pulumi config set zego:region <region>`)",
    );
    const byDefault = resolveZegoSettings(config(ZEGO), {}).endpointOrigin;
    assert.equal(originText(byDefault), "the default host (set zego:endpoint or ZEGO_ENDPOINT to choose another)");
  });

  it("an endpoint that already holds /v4/room_engine_http_srv is cut back, so the path is not doubled", async function () {
    assert.equal(
      withoutTencentApiPath("https://adminapisgp.im.qcloud.com/v4/room_engine_http_srv"),
      "https://adminapisgp.im.qcloud.com",
    );
    assert.equal(
      withoutTencentApiPath("http://127.0.0.1:8080/v4/room_engine_http_srv/create_room"),
      "http://127.0.0.1:8080",
    );
    assert.equal(withoutTencentApiPath("https://proxy.example.com/tencent"), "https://proxy.example.com/tencent");
    const settings = resolveTencentSettings(
      config({ ...TENCENT, "tencent:endpoint": `${server.url}/v4/room_engine_http_srv/` }),
      {},
    );
    assert.equal(settings.baseUrl, server.url);
    const before = server.requests.length;
    await new TencentClient(settings).destroyRoom("r1");
    assert.match(server.requests[before]?.url ?? "", /^\/v4\/room_engine_http_srv\/destroy_room\?/);
  });
});
