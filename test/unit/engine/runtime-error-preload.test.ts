/**
 * The runtime's error-format preload (engine/runtime-error-preload.ts): the stack lines on which Node's
 * coloured inspect would never end are recognised, and the SDK's defaultErrorMessage, patched, formats such
 * an error without colours while every other error keeps its colours. The unpatched call is never made here:
 * it runs until V8's maximum string length.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { colouringLoops, inspectWouldLoop, patchErrorMessage } from "../../../engine/runtime-error-preload";

/** The frame the SDK's source maps give for `config.require` (cmd/run reports it for a missing config value). */
const TRAP = "    at Config.requireImpl (/home/u/app/node_modules/@pulumi/config.ts:301:19)";

describe("unit: runtime error-format preload", function () {
  it("recognises a node_modules path whose package name never ends", function () {
    assert.equal(colouringLoops(`Error: x\n${TRAP}`), true);
    assert.equal(colouringLoops("    at f (C:\\app\\node_modules\\@scope\\file.js:1:2)"), true);
    assert.equal(colouringLoops("    at f (/app/node_modules/lonely.js:1:2)"), true);
    for (const fine of [
      "    at run (/app/node_modules/@pulumi/pulumi/cmd/run/run.ts:541:33)",
      "    at f (/app/node_modules/zod/index.js:1:2)",
      "    at f (/app/my_node_modules/x)",
      "    at f (/app/node_modules_old/@a)",
      "Error: no node_modules here",
    ])
      assert.equal(colouringLoops(fine), false, fine);
  });

  it("looks at the error's stack and its causes", function () {
    const err = new Error("outer", { cause: Object.assign(new Error("inner"), { stack: `Error: inner\n${TRAP}` }) });
    assert.equal(inspectWouldLoop(err), true);
    assert.equal(inspectWouldLoop(new Error("plain")), false);
    assert.equal(inspectWouldLoop("not an error"), false);
  });

  it("patches defaultErrorMessage: no colours for such an error, colours kept for the others", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-error-preload-"));
    try {
      const file = path.join(dir, "error.js");
      // The SDK's function (cmd/run/error.js), as far as this preload is concerned.
      fs.writeFileSync(
        file,
        'exports.defaultErrorMessage = (err) => require("node:util").inspect(err, { colors: true });\n',
      );
      assert.equal(patchErrorMessage(file), true);
      const mod = require(file) as { defaultErrorMessage(err: unknown): string };
      const missing = Object.assign(new Error("Missing required configuration variable 'p:topic'"), {
        stack: `Error: Missing required configuration variable 'p:topic'\n${TRAP}`,
      });
      const text = mod.defaultErrorMessage(missing);
      assert.match(text, /Missing required configuration variable 'p:topic'/);
      assert.ok(!text.includes("\u001b["), "no colours");
      const other = new Error("boom");
      other.stack = "Error: boom\n    at f (/app/node_modules/zod/index.js:1:2)";
      assert.ok(mod.defaultErrorMessage(other).includes("\u001b["), "colours as before");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
