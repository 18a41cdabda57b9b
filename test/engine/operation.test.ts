/**
 * The engine's operation entry point (`runOperation`) on a real example: an `up` that fails after starting
 * the emulator still stops it.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { runOperation } from "../../engine/operation";
import { tempDirPerTest } from "../support/temp-dir";

describe("engine: operation", function () {
  let tmp = "";
  tempDirPerTest("rooms-engine-", (dir) => (tmp = dir));

  it("stops the emulator it kept for the caller when the operation throws before handing it back", async function () {
    this.timeout(20_000);
    let url: string | undefined;
    const up = runOperation({
      operation: "up",
      cwd: path.join(__dirname, "../..", "examples", "meeting-rooms"),
      stack: "throws",
      stateDir: tmp,
      keepEmulator: true,
      // The line that announces the emulator fails, as a closed terminal would.
      write: (line) => {
        const m = /emulator (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
        if (m) {
          url = m[1];
          throw new Error("stdout is gone");
        }
      },
    });
    await assert.rejects(up, /stdout is gone/);
    assert.ok(url, "the emulator was started");
    await assert.rejects(fetch(`${url}/_emulator/state`), "the emulator still answers after the operation failed");
  });
});
