/**
 * The engine's operation entry point (`runOperation`) on a real example: an `up` that fails after starting
 * the emulator still stops it; an emulator the caller gave (pulumi-rooms/local's) is used and left running.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { descendantsOf } from "../../bench/proc-tree";
import { startEmulator } from "../../emulator";
import { runOperation } from "../../engine/operation";
import { tempDirPerTest } from "../support/temp-dir";

/** This process's descendants that are dynamic-provider hosts (Linux /proc). */
function hostChildren(): number[] {
  return descendantsOf(process.pid).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("dynamic-provider");
    } catch {
      return false; // Gone meanwhile.
    }
  });
}

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
    // The program names the package, so the provider host was spawned before the state loaded: ended too.
    // (A host ended while it started may take a moment to exit after its SIGTERM.)
    for (let i = 0; i < 30 && hostChildren().length; i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(hostChildren(), [], "a provider host outlived the operation");
  });

  it("uses the emulator the caller gives, and leaves it running when the operation throws", async function () {
    this.timeout(20_000);
    const given = await startEmulator({ port: 0, stateFile: path.join(tmp, "emulator.json") });
    try {
      let announced = "";
      const up = runOperation({
        operation: "up",
        cwd: path.join(__dirname, "../..", "examples", "meeting-rooms"),
        stack: "given",
        stateDir: tmp,
        emulator: given,
        write: (line) => {
          if (!/emulator http:/.test(line)) return;
          announced = line;
          throw new Error("stdout is gone");
        },
      });
      await assert.rejects(up, /stdout is gone/);
      assert.match(announced, new RegExp(`emulator ${given.url} `), "the operation announced the given emulator");
      const res = await fetch(`${given.url}/_emulator/state`);
      assert.equal(res.status, 200, "the given emulator still answers");
    } finally {
      await given.stop();
    }
  });
});
