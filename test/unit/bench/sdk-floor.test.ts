/**
 * bench/sdk-floor.ts's arithmetic: the best create ratio an engine that cost nothing could reach, the
 * medians of a resource's runs, and the floor table's limit per vendor. The children that measure the
 * floor are run in test/engine/sdk-floor.test.ts (they load the built package).
 */
import * as assert from "node:assert/strict";
import { renderSdkFloorTable } from "../../../bench/engine-report";
import { createCeiling, floorOf, type FloorRun } from "../../../bench/sdk-floor";

const run = (over: Partial<FloorRun>): FloorRun => ({
  resource: "TencentRoom",
  n: 1000,
  patched: true,
  preloadTook: true,
  registrations: 1000,
  outputsPerRoom: 26,
  loopMsPerRoom: 1,
  firstRegistrationMs: 1000,
  settledMsPerRoom: 2,
  cpuMsPerRoom: 3,
  ...over,
});

describe("bench: the SDK floor's arithmetic", () => {
  it("the create ceiling is N over the first registration's wait plus N at the documented pace", () => {
    // 1000 rooms at 200/s take 5 s; 1.25 s before the first registration makes 6.25 s: 160 rooms/s = 0.8.
    assert.equal(createCeiling({ n: 1000, firstRegistrationMs: 1250 }, 200), 0.8);
    assert.equal(createCeiling({ n: 300, firstRegistrationMs: 0 }, 20), 1);
  });

  it("takes the median of each figure over the runs (odd and even counts)", () => {
    const three = floorOf([
      run({ settledMsPerRoom: 9, firstRegistrationMs: 1200 }),
      run({ settledMsPerRoom: 1 }),
      run({ settledMsPerRoom: 2, firstRegistrationMs: 1100 }),
    ]);
    assert.equal(three.settledMsPerRoom, 2);
    assert.equal(three.firstRegistrationMs, 1100);
    assert.equal(three.runs, 3);
    assert.equal(floorOf([run({ cpuMsPerRoom: 2 }), run({ cpuMsPerRoom: 5 })]).cpuMsPerRoom, 3.5);
    assert.equal(floorOf([run({}), run({ registrations: 999, preloadTook: false })]).registrations, 999);
    assert.equal(floorOf([run({}), run({ preloadTook: false })]).preloadTook, false);
    assert.throws(() => floorOf([]), /at least one run/);
  });

  it("divides each resource's ceiling by its own vendor's limit", () => {
    const table = renderSdkFloorTable(
      [
        floorOf([run({ firstRegistrationMs: 1250 })]),
        floorOf([run({ resource: "ZegoRoom", n: 300, outputsPerRoom: 10, firstRegistrationMs: 0 })]),
      ],
      { tencent: 200, zego: 20 },
    );
    const rows = table.split("\n").filter((l) => /^\| (TencentRoom|ZegoRoom) /.test(l));
    assert.equal(rows.length, 2);
    assert.match(rows[0] as string, /\| 0\.80 \|$/);
    assert.match(rows[1] as string, /\| 1\.00 \|$/);
  });
});
