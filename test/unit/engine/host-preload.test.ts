/**
 * The provider host's preload (engine/host-preload.ts): `@pulumi/pulumi`'s runtime loads without its
 * TypeScript shim, which loads at the closure serializer's first use, and serializing a function still works.
 * Each case runs in a fresh Node process.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { isClosureTypescript } from "../../../engine/host-preload";

const ROOT = path.resolve(__dirname, "../../..");

/** Loads the SDK's runtime (with or without the preload), then serializes a function; when TypeScript loaded. */
function loadOrder(deferred: boolean): { afterLoad: boolean; afterUse: boolean; text: boolean } {
  const script = `
    ${deferred ? 'require("./engine/host-preload").deferClosureTypescript();' : ""}
    // ts-node (which runs this test's TypeScript) loads the compiler itself: the SDK's shim tells the two apart.
    const loaded = () => Object.keys(require.cache).some((f) => f.endsWith("typescript-shim.js"));
    const runtime = require("@pulumi/pulumi/runtime");
    const afterLoad = loaded();
    runtime.serializeFunction(() => 42).then((s) => {
      console.log(JSON.stringify({ afterLoad, afterUse: loaded(), text: s.text.includes("42") }));
    });
  `;
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { afterLoad: boolean; afterUse: boolean; text: boolean };
}

describe("unit: provider host preload (TypeScript on first use)", function () {
  this.timeout(60_000);

  it("the runtime loads without TypeScript, which comes at the serializer's first use; without the preload it comes at once", function () {
    assert.deepEqual(loadOrder(true), { afterLoad: false, afterUse: true, text: true });
    assert.deepEqual(loadOrder(false), { afterLoad: true, afterUse: true, text: true });
  });

  it("only the closure serializer's typescript-shim is deferred", function () {
    const closure = path.join("x", "node_modules", "@pulumi", "pulumi", "runtime", "closure", "parseFunction.js");
    assert.equal(isClosureTypescript("../../typescript-shim", closure), true);
    assert.equal(isClosureTypescript("./typescript-shim", path.join("x", "@pulumi", "pulumi", "tsutils.js")), false);
    assert.equal(isClosureTypescript("typescript", closure), false);
  });
});
