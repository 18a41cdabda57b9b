/**
 * The HTTP client (undici) is loaded only when calls will follow: check, diff and a preview without
 * credentials never load it; configure with credentials starts loading it, so the first Create does not
 * block the host's event loop (and the pacing permits it holds) on a synchronous require.
 * Each case runs in a fresh process, so nothing loaded by another test hides the difference.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
/** Runs the provider's TypeScript in the child (transpiled file by file, as ts-node's transpile-only mode). */
const TRANSPILE = path.join(ROOT, "test", "support", "esbuild-register.cjs");

/** Runs `body` in a fresh Node and returns what it printed as JSON. */
function probe(body: string): Record<string, boolean> {
  const script = `
    const loaded = () => Object.keys(require.cache).some((f) => /[\\\\/]node_modules[\\\\/]undici[\\\\/]/.test(f));
    const config = (values) => ({ get: (k) => values[k] });
    const tick = () => new Promise((r) => setImmediate(r));
    (async () => { const out = {}; ${body}; process.stdout.write(JSON.stringify(out)); })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(TENCENT|ZEGO)_/.test(k)) env[k] = v;
  const out = execFileSync(process.execPath, ["-r", TRANSPILE, "-e", script], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  return JSON.parse(out) as Record<string, boolean>;
}

describe("unit: undici is loaded only when calls will follow", function () {
  this.timeout(60_000);

  it("preview without credentials (configure, check, diff) never loads it", function () {
    const out = probe(`
      for (const vendor of ["tencent", "zego"]) {
        const { provider } = require("./provider/" + vendor + "/provider");
        await provider.configure({ config: config({}) });
        const { inputs } = await provider.check({}, { roomId: "r1" });
        await provider.diff("r1", inputs, inputs);
        await tick(); await tick();
      }
      out.loaded = loaded();
    `);
    assert.deepEqual(out, { loaded: false });
  });

  for (const [vendor, key] of [
    ["tencent", "tencent:secretKey"],
    ["zego", "zego:serverSecret"],
  ] as const) {
    it(`${vendor}: configure with credentials loads it before the first call`, function () {
      const out = probe(`
        const { provider } = require("./provider/${vendor}/provider");
        await provider.configure({ config: config({ "${key}": "s3cret-value-for-the-test" }) });
        out.sync = loaded();
        await tick(); await tick();
        out.after = loaded();
      `);
      // Not inside configure itself (the host answers Configure at once), but before any later call.
      assert.deepEqual(out, { sync: false, after: true });
    });
  }
});
