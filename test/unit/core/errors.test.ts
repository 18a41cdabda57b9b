import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  BodyTooLargeError,
  PartialFailureError,
  RoomApiError,
  RoomsError,
  SettingsError,
} from "../../../provider/core/errors";
import { SeriesArgumentError } from "../../../provider/series/schema";
import { REDACTED, redact, registerSecret } from "../../../provider/core/redact";

/** A RoomApiError: Tencent's create_room refused (not retryable) unless `init` says otherwise. */
const apiError = (init: Partial<ConstructorParameters<typeof RoomApiError>[0]>) =>
  new RoomApiError({
    vendor: "tencent",
    operation: "create_room",
    kind: "vendor",
    code: 0,
    vendorMessage: "",
    retryable: false,
    ...init,
  });

describe("core/errors", () => {
  describe("redact", () => {
    it("removes usersig and Signature from URLs, whatever the case or position", () => {
      const url =
        "https://adminapisgp.im.qcloud.com/v4/room_engine_http_srv/create_room?sdkappid=1400000001&identifier=administrator&usersig=eJwtzE0LgjAY*ABC_&random=42&contenttype=json";
      const out = redact(url);
      assert.doesNotMatch(out, /eJwtzE0LgjAY/);
      assert.match(out, /usersig=\[REDACTED\]&random=42/);
      const zego = redact(
        "GET https://zim-api.zego.im/?Action=DestroyRoom&AppId=1&SignatureNonce=4fd2&Timestamp=1&Signature=43e5cfcca828314675f91b001390566a&RoomId=r",
      );
      assert.doesNotMatch(zego, /43e5cfcca8/);
      assert.match(zego, /SignatureNonce=4fd2/, "the nonce is not a secret");
      assert.match(redact("x?USERSIG=abc"), /USERSIG=\[REDACTED\]/);
    });

    it("removes secret values from JSON and key=value text", () => {
      const json = redact(
        JSON.stringify({
          secretKey: "k-1234567890",
          serverSecret: "s-abcdef",
          usersig: "u",
          "TLS.sig": "t",
          keep: "ok",
        }),
      );
      assert.doesNotMatch(json, /k-1234567890|s-abcdef|"u"|"t"/);
      assert.match(json, /"keep":"ok"/);
      assert.doesNotMatch(redact("secretKey=abc123 serverSecret: def456"), /abc123|def456/);
    });

    it("removes registered secrets verbatim and URL-encoded, even without a key name", () => {
      const secret = "a+b/c=d-registered-secret";
      registerSecret(secret);
      const out = redact(`oops ${secret} and ${encodeURIComponent(secret)}`);
      assert.equal(out, `oops ${REDACTED} and ${REDACTED}`);
    });

    it("leaves ordinary text, attribute keys and nonces alone", () => {
      const text = "ModifyRoomAttribute failed for keys: topic, key: k1 (SubCode 1)";
      assert.equal(redact(text), text);
    });
  });

  describe("RoomApiError", () => {
    it("carries vendor, operation, code, message, RequestId and hint in its message", () => {
      const err = apiError({
        vendor: "tencent",
        operation: "create_room",
        code: 100011,
        vendorMessage: "The room ID has been used by Chat",
        requestId: "Id-abc-O-Seq-1",
        hint: "choose another room ID",
      });
      assert.equal(
        err.message,
        "tencent create_room failed: [100011] The room ID has been used by Chat; RequestId: Id-abc-O-Seq-1. Hint: choose another room ID",
      );
      assert.equal(err.name, "RoomApiError");
    });

    it("redacts the vendor message and the cause", () => {
      const err = apiError({
        vendor: "zego",
        operation: "CreateRoom",
        kind: "transport",
        code: "ECONNRESET",
        vendorMessage: "socket hang up at /?Signature=deadbeef",
        retryable: true,
        cause: new Error("fetch https://x/?usersig=SIG123 failed"),
      });
      assert.doesNotMatch(err.message, /deadbeef/);
      assert.doesNotMatch(String((err as { cause?: unknown }).cause), /SIG123/);
      assert.doesNotMatch(JSON.stringify(err), /deadbeef|SIG123/);
    });
  });

  describe("RoomsError", () => {
    const ROOT = path.resolve(__dirname, "../../..");
    type ErrorsModule = typeof import("../../../provider/core/errors");

    /** A second, separately loaded copy of core/errors (as a second install or build would load it). */
    function secondCopy(): ErrorsModule {
      const id = require.resolve("../../../provider/core/errors");
      const cached = require.cache[id];
      delete require.cache[id];
      try {
        return require(id) as ErrorsModule;
      } finally {
        if (cached) require.cache[id] = cached;
      }
    }

    it("every error class extends it, with a typed code and its own name", () => {
      const api = apiError({ vendor: "zego", operation: "CreateRoom", code: 660300014, vendorMessage: "exists" });
      const errors: [RoomsError, string, unknown][] = [
        [api, "RoomApiError", 660300014],
        [new SettingsError("tencent", ["x"]), "SettingsError", "SETTINGS_INVALID"],
        [new PartialFailureError("r", {}, api), "PartialFailureError", "PARTIAL_FAILURE"],
        [new SeriesArgumentError("s", ["x"]), "SeriesArgumentError", "SERIES_ARGUMENTS_INVALID"],
        [new BodyTooLargeError(4), "BodyTooLargeError", "BODY_TOO_LARGE"],
      ];
      for (const [err, name, code] of errors) {
        assert.ok(err instanceof RoomsError && err instanceof Error, name);
        assert.equal(err.name, name);
        assert.equal(err.code, code);
      }
      assert.ok(!(api instanceof SettingsError), "a sibling class does not match");
      assert.ok(!(new Error("plain") instanceof RoomsError));
      assert.ok(!((null as unknown) instanceof RoomsError) && !(("RoomApiError" as unknown) instanceof RoomApiError));
    });

    it("instanceof holds across two loaded copies of the module, both ways", () => {
      const copy = secondCopy();
      assert.notEqual(copy.RoomApiError, RoomApiError, "really a second copy");
      const theirs = new copy.SettingsError("zego", ["zego:appId is not set"]);
      assert.ok(theirs instanceof SettingsError && theirs instanceof RoomsError);
      assert.ok(!(theirs instanceof RoomApiError));
      const ours = apiError({ kind: "transport", code: "ETIMEDOUT", vendorMessage: "", retryable: true });
      assert.ok(ours instanceof copy.RoomApiError && ours instanceof copy.RoomsError);
      assert.ok(!(ours instanceof copy.SettingsError));
    });

    it("an error thrown by the host bundle (dist/host) is an instance of the tsc build's classes (dist/provider)", async () => {
      const bundle = path.join(ROOT, "dist/host/zego.js");
      const built = path.join(ROOT, "dist/provider/core/errors.js");
      assert.ok(fs.existsSync(bundle) && fs.existsSync(built), "run `npm run build` first");
      const host = require(bundle) as {
        configure(req: { config: { get(key: string): string | undefined } }): Promise<void>;
        create(news: Record<string, unknown>): Promise<unknown>;
      };
      const tsc = require(built) as ErrorsModule;
      // A malformed app ID in stack config wins over any environment variable: create fails resolving it.
      await host.configure({ config: { get: (key) => (key === "zego:appId" ? "not-a-number" : undefined) } });
      const err: unknown = await host.create({ roomId: "brand" }).then(
        () => assert.fail("create should fail on the settings"),
        (e: unknown) => e,
      );
      assert.ok(err instanceof tsc.SettingsError && err instanceof tsc.RoomsError, String(err));
      assert.ok(err instanceof SettingsError, "and of the sources' classes (a third copy)");
      assert.ok(!(err instanceof tsc.RoomApiError));
      await host.configure({ config: { get: () => undefined } });
    });
  });
});
