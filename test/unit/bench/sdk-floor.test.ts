/**
 * bench/sdk-floor.ts: the best create ratio an engine that cost nothing could reach (pure arithmetic).
 * The children that measure the floor are run in test/engine/sdk-floor.test.ts (they load the built package).
 */
import * as assert from "node:assert/strict";
import { createCeiling } from "../../../bench/sdk-floor";

describe("bench: the SDK floor's create ceiling", () => {
  it("is N over the first registration's wait plus N at the documented pace", () => {
    // 1000 rooms at 200/s take 5 s; 1.25 s before the first registration makes 6.25 s: 160 rooms/s = 0.8.
    assert.equal(createCeiling({ n: 1000, firstRegistrationMs: 1250 }, 200), 0.8);
    assert.equal(createCeiling({ n: 300, firstRegistrationMs: 0 }, 20), 1);
  });
});
