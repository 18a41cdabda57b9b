/**
 * Whether the report may carry ANSI escapes (engine/color.ts): a terminal by default, never a pipe unless
 * FORCE_COLOR asks, and NO_COLOR, NODE_DISABLE_COLORS or TERM=dumb turn it off (FORCE_COLOR first, as Node.js).
 */
import * as assert from "node:assert/strict";
import { useColor } from "../../../engine/color";

describe("unit: engine colour", function () {
  it("colours a terminal and not a pipe by default", function () {
    assert.equal(useColor({}, true), true);
    assert.equal(useColor({}, false), false);
  });

  it("NO_COLOR (present and not empty), NODE_DISABLE_COLORS and TERM=dumb turn it off on a terminal", function () {
    assert.equal(useColor({ NO_COLOR: "1" }, true), false);
    assert.equal(useColor({ NO_COLOR: "" }, true), true, "no-color.org: an empty NO_COLOR is not set");
    assert.equal(useColor({ NODE_DISABLE_COLORS: "1" }, true), false);
    assert.equal(useColor({ TERM: "dumb" }, true), false);
  });

  it("FORCE_COLOR wins either way, with Node's values", function () {
    for (const on of ["", "1", "2", "3", "true"]) {
      assert.equal(useColor({ FORCE_COLOR: on }, false), true, `FORCE_COLOR=${on} into a pipe`);
      assert.equal(useColor({ FORCE_COLOR: on, NO_COLOR: "1" }, false), true, `FORCE_COLOR=${on} over NO_COLOR`);
    }
    for (const off of ["0", "false", "yes"]) assert.equal(useColor({ FORCE_COLOR: off }, true), false, off);
  });
});
