import assert from "node:assert/strict";
import { RoomApiError } from "../provider/core/errors";
import { REDACTED, redact, registerSecret } from "../provider/core/redact";

describe("core/errors", () => {
  describe("redact", () => {
    it("removes usersig and Signature from URLs, whatever the case or position", () => {
      const url =
        "https://adminapisgp.im.qcloud.com/v4/room_engine_http_srv/create_room?sdkappid=1400000001&identifier=administrator&usersig=eJwtzE0LgjAY*ABC_&random=42&contenttype=json";
      const out = redact(url);
      assert.doesNotMatch(out, /eJwtzE0LgjAY/);
      assert.match(out, /usersig=\[REDACTED\]&random=42/);
      const zego = redact("GET https://zim-api.zego.im/?Action=DestroyRoom&AppId=1&SignatureNonce=4fd2&Timestamp=1&Signature=43e5cfcca828314675f91b001390566a&RoomId=r");
      assert.doesNotMatch(zego, /43e5cfcca8/);
      assert.match(zego, /SignatureNonce=4fd2/, "the nonce is not a secret");
      assert.match(redact("x?USERSIG=abc"), /USERSIG=\[REDACTED\]/);
    });

    it("removes secret values from JSON and key=value text", () => {
      const json = redact(JSON.stringify({ secretKey: "k-1234567890", serverSecret: "s-abcdef", usersig: "u", "TLS.sig": "t", keep: "ok" }));
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
      const err = new RoomApiError({
        vendor: "tencent",
        operation: "create_room",
        kind: "vendor",
        code: 100011,
        vendorMessage: "The room ID has been used by Chat",
        requestId: "Id-abc-O-Seq-1",
        retryable: false,
        hint: "choose another room ID",
      });
      assert.equal(err.message, "tencent create_room failed: [100011] The room ID has been used by Chat; RequestId: Id-abc-O-Seq-1. Hint: choose another room ID");
      assert.equal(err.name, "RoomApiError");
    });

    it("redacts the vendor message and the cause", () => {
      const err = new RoomApiError({
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
});
