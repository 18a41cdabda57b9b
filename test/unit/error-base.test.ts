/**
 * One error base: the engine's user-facing errors are RoomsErrors with a code from the union in
 * provider/core/errors.ts, and the emulator's refusals of both vendors share emulator/vendor-error.ts.
 */
import * as assert from "node:assert/strict";
import { UsageError } from "../../engine/args";
import { IncorrectPassphraseError } from "../../engine/passphrase";
import { ProjectError } from "../../engine/project";
import { TencentFail } from "../../emulator/tencent/codes";
import { FieldError } from "../../emulator/tencent/fields";
import { VendorRefusal } from "../../emulator/vendor-error";
import { ParamError } from "../../emulator/zego/fields";
import { RoomsError } from "../../provider/core/errors";

describe("unit: one error base", function () {
  it("the engine's errors are RoomsErrors with their own code and name", function () {
    const cases: [RoomsError, string, string][] = [
      [new ProjectError("no Pulumi.yaml"), "PROJECT_INVALID", "ProjectError"],
      [new UsageError("--destory is not a flag"), "USAGE", "UsageError"],
      [new IncorrectPassphraseError("incorrect passphrase"), "PASSPHRASE_INCORRECT", "IncorrectPassphraseError"],
    ];
    for (const [error, code, name] of cases) {
      assert.ok(error instanceof RoomsError, name);
      assert.equal(error.code, code);
      assert.equal(error.name, name);
    }
    assert.ok(!(new ProjectError("x") instanceof UsageError), "the brand tells the subclasses apart");
  });

  it("the emulator's refusals of both vendors carry a vendor code on one base", function () {
    const tencent = new TencentFail(100004);
    assert.ok(tencent instanceof VendorRefusal);
    assert.equal(tencent.code, 100004);
    const field = new FieldError("RoomId is mandatory");
    assert.ok(field instanceof VendorRefusal);
    assert.deepEqual([field.code, field.message], [100002, "RoomId is mandatory"]);
    const zego = new ParamError("RoomId", "is required");
    assert.ok(zego instanceof VendorRefusal);
    assert.deepEqual([zego.code, zego.message, zego.name], [660000002, "RoomId is required", "ParamError"]);
  });
});
