/**
 * bench/sdk-floor.ts's children: each declares the rooms under the SDK's mocks, every registration reaches
 * the mock monitor, and the engine's preload is in place exactly in the runs that ask for it. (Figures only:
 * no time is asserted.)
 */
import * as assert from "node:assert/strict";
import { floorRun } from "../../bench/sdk-floor";

describe("bench: the SDK floor's runs", function () {
  this.timeout(60_000);

  it("declares every room, with the engine's preload and without it", async () => {
    const patched = await floorRun("TencentRoom", 5, true);
    const shipped = await floorRun("ZegoRoom", 5, false);
    assert.equal(patched.registrations, 5);
    assert.equal(shipped.registrations, 5);
    assert.equal(patched.preloadTook, true);
    assert.equal(shipped.preloadTook, false);
    // TencentRoom's 23 declared outputs, its urn and id, and the dynamic resource's __provider.
    assert.equal(patched.outputsPerRoom, 26);
    for (const run of [patched, shipped]) {
      assert.ok(run.firstRegistrationMs >= 0 && run.firstRegistrationMs <= run.settledMsPerRoom * run.n);
      assert.ok(run.loopMsPerRoom > 0 && run.cpuMsPerRoom > 0);
    }
  });
});
