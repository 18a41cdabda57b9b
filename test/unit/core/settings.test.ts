import assert from "node:assert/strict";
import { SettingsError } from "../../../provider/core/errors";
import { CONNECTION_CONFIG_KEYS, SECRET_CONFIG_KEYS } from "../../../provider/config-keys";
import type { ConfigSource } from "../../../provider/core/settings";
import { resolveTencentSettings, TENCENT_REGIONS } from "../../../provider/tencent/settings";
import { resolveZegoSettings, ZEGO_REGIONS } from "../../../provider/zego/settings";

const config = (values: Record<string, string>): ConfigSource => ({ get: (k) => values[k] });

function settingsError(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof SettingsError, String(err));
    return err;
  }
  assert.fail("expected a SettingsError");
}

describe("core/settings", () => {
  describe("tencent", () => {
    it("reads stack config first, then the environment, with documented defaults", () => {
      const s = resolveTencentSettings(config({ "tencent:sdkAppId": "1400000001" }), {
        TENCENT_SDKAPPID: "9",
        TENCENT_SECRET_KEY: "env-secret-key",
      });
      assert.equal(s.sdkAppId, 1400000001);
      assert.equal(s.secretKey, "env-secret-key");
      assert.equal(s.identifier, "administrator");
      assert.equal(s.region, "singapore");
      assert.equal(s.baseUrl, "https://adminapisgp.im.qcloud.com");
      assert.equal(s.requestsPerSecond, 200);
    });

    it("selects each of the eight regional domains", () => {
      assert.equal(Object.keys(TENCENT_REGIONS).length, 8);
      for (const [region, host] of Object.entries(TENCENT_REGIONS)) {
        const s = resolveTencentSettings(
          config({ "tencent:sdkAppId": "1", "tencent:secretKey": "k", "tencent:region": region }),
          {},
        );
        assert.equal(s.baseUrl, `https://${host}`);
      }
    });

    it("lets an endpoint override win over the region and trims a trailing slash", () => {
      const s = resolveTencentSettings(
        config({
          "tencent:sdkAppId": "1",
          "tencent:secretKey": "k",
          "tencent:region": "china",
          "tencent:endpoint": "http://127.0.0.1:8080/",
        }),
        {},
      );
      assert.equal(s.baseUrl, "http://127.0.0.1:8080");
    });

    it("requestsPerSecond: 0 turns pacing off, a rate below 1 is refused (it would let one call through, then none)", () => {
      const base = { "zego:appId": "1", "zego:serverSecret": "x" };
      assert.equal(resolveZegoSettings(config({ ...base, "zego:requestsPerSecond": "0" }), {}).requestsPerSecond, 0);
      assert.equal(resolveZegoSettings(config({ ...base, "zego:requestsPerSecond": "1" }), {}).requestsPerSecond, 1);
      const err = settingsError(() => resolveZegoSettings(config({ ...base, "zego:requestsPerSecond": "0.5" }), {}));
      assert.match(
        err.message,
        /zego:requestsPerSecond \(or ZEGO_REQUESTS_PER_SECOND\) must be 0 \(pacing off\) or at least 1 request per second/,
      );
      const tencent = { "tencent:sdkAppId": "1", "tencent:secretKey": "k" };
      assert.match(
        settingsError(() => resolveTencentSettings(config(tencent), { TENCENT_REQUESTS_PER_SECOND: "0.2" })).message,
        /at least 1 request per second/,
      );
    });

    it("lists every missing value with the command that sets it", () => {
      const err = settingsError(() => resolveTencentSettings(config({}), {}));
      assert.equal(err.problems.length, 2);
      assert.match(
        err.message,
        /tencent:sdkAppId is not set: run `pulumi config set tencent:sdkAppId <value>` or set the TENCENT_SDKAPPID/,
      );
      assert.match(
        err.message,
        /tencent:secretKey is not set: run `pulumi config set --secret tencent:secretKey <value>` or set the TENCENT_SECRET_KEY/,
      );
    });

    it("explains malformed values without echoing them", () => {
      const err = settingsError(() =>
        resolveTencentSettings(
          config({
            "tencent:sdkAppId": "my-secret-paste",
            "tencent:secretKey": "k",
            "tencent:region": "mars",
            "tencent:endpoint": "http://rooms.example.com",
          }),
          {},
        ),
      );
      assert.equal(err.problems.length, 3);
      assert.match(err.message, /tencent:sdkAppId \(or TENCENT_SDKAPPID\) must be a number/);
      assert.match(
        err.message,
        /tencent:region .* must be one of: china, singapore, korea, japan, germany, india, usa, indonesia/,
      );
      assert.match(err.message, /tencent:endpoint .* must use https:\/\//);
      assert.doesNotMatch(err.message, /my-secret-paste/);
    });

    it("accepts plain http only to loopback hosts", () => {
      for (const endpoint of [
        "http://127.0.0.1:1",
        "http://localhost:2",
        "http://[::1]:3",
        "https://rooms.example.com",
      ]) {
        resolveTencentSettings(
          config({ "tencent:sdkAppId": "1", "tencent:secretKey": "k", "tencent:endpoint": endpoint }),
          {},
        );
      }
      for (const endpoint of [
        "http://10.0.0.1",
        "http://example.com",
        "ftp://x",
        "not a url",
        "https://h/?usersig=x",
      ]) {
        settingsError(() =>
          resolveTencentSettings(
            config({ "tencent:sdkAppId": "1", "tencent:secretKey": "k", "tencent:endpoint": endpoint }),
            {},
          ),
        );
      }
    });

    it("rejects an SDKAppID that is not a positive 32-bit integer", () => {
      for (const id of ["0", "-1", "1.5", "4294967296"]) {
        settingsError(() => resolveTencentSettings(config({ "tencent:sdkAppId": id, "tencent:secretKey": "k" }), {}));
      }
    });
  });

  describe("zego", () => {
    it("resolves the unified host by default and each regional host", () => {
      const base = { "zego:appId": "1234567890", "zego:serverSecret": "secret" };
      assert.equal(resolveZegoSettings(config(base), {}).baseUrl, "https://zim-api.zego.im");
      for (const [region, host] of Object.entries(ZEGO_REGIONS)) {
        assert.equal(resolveZegoSettings(config({ ...base, "zego:region": region }), {}).baseUrl, `https://${host}`);
      }
    });

    it("takes the default operator from config or ZEGO_FROM_USER_ID", () => {
      const s = resolveZegoSettings(undefined, { ZEGO_APP_ID: "1", ZEGO_SERVER_SECRET: "x", ZEGO_FROM_USER_ID: "ops" });
      assert.equal(s.fromUserId, "ops");
      assert.equal(s.requestsPerSecond, 20);
    });

    it("rateLimitScope: api by default, app from config or the environment, anything else named with its rule", () => {
      const base = { "zego:appId": "1", "zego:serverSecret": "x" };
      assert.equal(resolveZegoSettings(config(base), {}).rateLimitScope, "api");
      assert.equal(resolveZegoSettings(config(base), { ZEGO_RATE_LIMIT_SCOPE: "app" }).rateLimitScope, "app");
      assert.equal(
        resolveZegoSettings(config({ ...base, "zego:rateLimitScope": "api" }), { ZEGO_RATE_LIMIT_SCOPE: "app" })
          .rateLimitScope,
        "api",
      );
      const tencent = { "tencent:sdkAppId": "1", "tencent:secretKey": "k" };
      assert.equal(resolveTencentSettings(config(tencent), {}).rateLimitScope, "api");
      assert.equal(resolveTencentSettings(config(tencent), { TENCENT_RATE_LIMIT_SCOPE: "app" }).rateLimitScope, "app");
      const err = settingsError(() =>
        resolveTencentSettings(config({ ...tencent, "tencent:rateLimitScope": "room" }), {}),
      );
      assert.match(
        err.message,
        /tencent:rateLimitScope \(or TENCENT_RATE_LIMIT_SCOPE\) must be "api" \(one limit per API, the default\) or "app"/,
      );
      assert.match(
        settingsError(() => resolveZegoSettings(config({ ...base, "zego:rateLimitScope": "API" }), {})).message,
        /zego:rateLimitScope \(or ZEGO_RATE_LIMIT_SCOPE\) must be "api"/,
      );
    });

    it("lists every missing value with the command that sets it", () => {
      const err = settingsError(() => resolveZegoSettings(config({ "zego:appId": " " }), {}));
      assert.match(err.message, /zego:appId is not set.*ZEGO_APP_ID/);
      assert.match(
        err.message,
        /zego:serverSecret is not set: run `pulumi config set --secret zego:serverSecret <value>`.*ZEGO_SERVER_SECRET/,
      );
    });
  });

  it("declares the secret and connection config keys once, for the engine, scripts, emulator and bench (config-keys.ts)", () => {
    assert.deepEqual([...SECRET_CONFIG_KEYS].sort(), ["tencent:secretKey", "zego:serverSecret"]);
    assert.deepEqual([...CONNECTION_CONFIG_KEYS].sort(), [
      "tencent:endpoint",
      "tencent:identifier",
      "tencent:region",
      "tencent:sdkAppId",
      "tencent:secretKey",
      "zego:appId",
      "zego:endpoint",
      "zego:fromUserId",
      "zego:region",
      "zego:serverSecret",
    ]);
  });
});
