/**
 * The preload of the runtime and the provider host (engine/deferred-requires.ts): `@pulumi/pulumi`'s runtime
 * loads without TypeScript's shim and `@npmcli/arborist`, which load at their first use, and what needs them
 * (serializing a function, `computeCodePaths`) still works. Each case runs in a fresh Node process.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { deferredRequire } from "../../../engine/deferred-requires";

const ROOT = path.resolve(__dirname, "../../..");

interface Order {
  afterLoad: { shim: boolean; arborist: boolean };
  afterUse: { shim: boolean; arborist: boolean };
  text: boolean;
  paths: boolean;
}

/** Loads the SDK's runtime (with or without the preload), then uses both modules; which were loaded when. */
function loadOrder(deferred: boolean): Order {
  const script = `
    ${deferred ? 'require("./engine/deferred-requires").deferSdkRequires();' : ""}
    // ts-node (which runs this test's TypeScript) loads the compiler itself: the SDK's shim tells the two apart.
    const loaded = () => {
      const files = Object.keys(require.cache);
      return {
        shim: files.some((f) => f.endsWith("typescript-shim.js")),
        arborist: files.some((f) => f.includes("@npmcli/arborist")),
      };
    };
    const runtime = require("@pulumi/pulumi/runtime");
    const afterLoad = loaded();
    (async () => {
      const s = await runtime.serializeFunction(() => 42);
      const paths = await runtime.computeCodePaths({ extraIncludePackages: ["zod"] });
      console.log(JSON.stringify({ afterLoad, afterUse: loaded(), text: s.text.includes("42"), paths: paths.size > 0 }));
    })();
  `;
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    encoding: "utf8",
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Order;
}

describe("unit: deferred requires of the runtime and provider host (the SDK's seldom used modules on first use)", function () {
  this.timeout(60_000);

  it("the runtime loads without them, each comes at its first use and works; without the preload both come at once", function () {
    const all = { shim: true, arborist: true };
    assert.deepEqual(loadOrder(true), {
      afterLoad: { shim: false, arborist: false },
      afterUse: all,
      text: true,
      paths: true,
    });
    assert.deepEqual(loadOrder(false), { afterLoad: all, afterUse: all, text: true, paths: true });
  });

  it("cmd/run's tracing loads without OpenTelemetry's SDK, which comes when tracing starts", function () {
    const script = `
      require("./engine/deferred-requires").deferSdkRequires();
      const sdk = () => Object.keys(require.cache).filter((f) => /@opentelemetry[\\/\\\\](sdk-trace-node|exporter-zipkin|resources)[\\/\\\\]/.test(f)).length > 0;
      const tracing = require("@pulumi/pulumi/cmd/run/tracing");
      const afterLoad = sdk();
      tracing.start("http://127.0.0.1:9/api/v2/spans");
      console.log(JSON.stringify({ afterLoad, afterStart: sdk() }));
      process.exit(0);
    `;
    const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { afterLoad: false, afterStart: true });
  });

  it("only the listed SDK folders' requires are deferred", function () {
    const run = path.join("x", "@pulumi", "pulumi", "cmd", "run", "tracing.js");
    assert.equal(deferredRequire("@opentelemetry/sdk-trace-node", run)?.from, path.dirname(run).slice(2));
    assert.equal(deferredRequire("@opentelemetry/api", run), undefined);
    assert.equal(deferredRequire("@npmcli/arborist", run), undefined);
    assert.equal(
      deferredRequire("@opentelemetry/sdk-trace-node", path.join("x", "@pulumi", "pulumi", "index.js")),
      undefined,
    );
    const closure = path.join("x", "node_modules", "@pulumi", "pulumi", "runtime", "closure", "parseFunction.js");
    assert.equal(deferredRequire("../../typescript-shim", closure)?.request, "typescript-shim");
    assert.equal(deferredRequire("@npmcli/arborist", closure)?.request, "@npmcli/arborist");
    assert.equal(deferredRequire("./typescript-shim", path.join("x", "@pulumi", "pulumi", "tsutils.js")), undefined);
    assert.equal(deferredRequire("@npmcli/arborist", path.join("x", "@pulumi", "pulumi", "index.js")), undefined);
    assert.equal(deferredRequire("typescript", closure), undefined);
    // A program's own folder named `closure` is not the SDK's.
    assert.equal(deferredRequire("@npmcli/arborist", path.join("home", "closure", "index.js")), undefined);
  });
});
