/**
 * The embedded emulator's settings from the stack (`emulator:<option>`) and the command line
 * (`--emulator-<option>`): the emulator's own options, flags winning, unknown keys refused with the
 * nearest known one, errors naming what the user wrote, and nothing set: the emulator's defaults.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs, UsageError } from "../../../engine/args";
import { EMULATOR_FLAGS, emulatorOptions } from "../../../engine/emulator-settings";
import { runOperation } from "../../../engine/operation";

const none = new Map<string, string | true>();

describe("unit: embedded emulator settings", function () {
  it("nothing set: no options (the emulator's defaults); other namespaces are not read", function () {
    assert.deepEqual(emulatorOptions({ "zego:appId": "1", "proj:rooms": "3" }, none, "Pulumi.dev.yaml"), {});
  });

  it("plan limits, rate mode and faults from the stack config", function () {
    const options = emulatorOptions(
      {
        "emulator:zegoRoomQuota": "400",
        "emulator:tencentMaxMembers": "1000",
        "emulator:tencentUnpaid": "false",
        "emulator:rateScope": "app",
        "emulator:rateWindow": "fixed",
        "emulator:tencentRate": "50",
        "emulator:faultSeed": "7",
        "emulator:fault502": "0.1",
      },
      none,
      "Pulumi.dev.yaml",
    );
    assert.deepEqual(options.zego, { roomQuota: 400 });
    assert.deepEqual(options.tencent, { ratePerSecond: 50, packageMaxMemberCount: 1000 });
    assert.deepEqual(options.rateMode, { scope: "app", window: "fixed" });
    assert.equal(options.faults?.seed, 7);
    assert.equal(options.faults?.http502, 0.1);
  });

  it("a --emulator-* flag wins over the stack's value", function () {
    const flags = parseArgs(["--emulator-zego-room-quota", "900", "--emulator-no-rate-limit"], EMULATOR_FLAGS).flags;
    const options = emulatorOptions({ "emulator:zegoRoomQuota": "400" }, flags, "Pulumi.dev.yaml");
    assert.deepEqual(options.zego, { ratePerSecond: false, roomQuota: 900 });
    assert.deepEqual(options.tencent, { ratePerSecond: false });
  });

  it("an unknown key is refused with the nearest known one", function () {
    assert.throws(
      () => emulatorOptions({ "emulator:zegoRoomQuote": "400" }, none, "Pulumi.dev.yaml"),
      (e: unknown) =>
        e instanceof UsageError &&
        /Pulumi\.dev\.yaml: unknown emulator setting emulator:zegoRoomQuote \(did you mean emulator:zegoRoomQuota\?\)/.test(
          e.message,
        ),
    );
  });

  it("a bad value names the stack key, or the flag, that holds it", function () {
    assert.throws(
      () => emulatorOptions({ "emulator:zegoRoomQuota": "lots" }, none, "Pulumi.dev.yaml"),
      /Pulumi\.dev\.yaml: emulator:zegoRoomQuota must be a whole number >= 1, not "lots"/,
    );
    assert.throws(
      () => emulatorOptions({ "emulator:tencentUnpaid": "yes" }, none, "Pulumi.dev.yaml"),
      /emulator:tencentUnpaid must be true or false/,
    );
    const flags = parseArgs(["--emulator-zego-room-quota=0"], EMULATOR_FLAGS).flags;
    assert.throws(
      () => emulatorOptions({}, flags, "Pulumi.dev.yaml"),
      /--emulator-zego-room-quota must be a whole number >= 1/,
    );
  });

  it("the engine decides the port and the state file itself", function () {
    assert.throws(
      () => emulatorOptions({ "emulator:port": "8080" }, none, "Pulumi.dev.yaml"),
      /unknown emulator setting emulator:port/,
    );
    assert.ok(!EMULATOR_FLAGS.some((f) => f.name === "emulator-state-file" || f.name === "emulator-port"));
  });
});

describe("engine: the embedded emulator starts with the stack's settings", function () {
  this.timeout(30_000);

  it("destroy of an empty stack: the emulator runs with the rate and quota from Pulumi.<stack>.yaml", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "emu-settings-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: emu-settings\nruntime: nodejs\n");
      fs.writeFileSync(path.join(dir, "index.ts"), "export {};\n");
      fs.writeFileSync(
        path.join(dir, "Pulumi.dev.yaml"),
        "config:\n  emulator:tencentRate: 7\n  emulator:rateScope: app\n",
      );
      const lines: string[] = [];
      const result = await runOperation({
        operation: "destroy",
        cwd: dir,
        stack: "dev",
        keepEmulator: true,
        write: (l) => lines.push(l),
        emulatorFlags: new Map([["emulator-zego-rate", "3"]]),
      });
      try {
        const limits = result.emulator?.rateLimits();
        assert.equal(limits?.tencent.perSecond, 7);
        assert.equal(limits?.zego.perSecond, 3);
        assert.equal(limits?.tencent.scope, "app");
      } finally {
        await result.emulator?.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
