/**
 * The runtime preload (engine/runtime-preload.ts): the SDK's debuggablePromise, replaced, keeps every
 * piece of information (id, context, the stack at the call) and the leak detection, but formats the stack
 * only when it is read. Each case runs in a fresh Node process, so the patch never reaches other tests.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const DEBUGGABLE = require.resolve("@pulumi/pulumi/runtime/debuggable");

function run(body: string): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const debuggable = require(${JSON.stringify(DEBUGGABLE)});
    const patched = require("./engine/runtime-preload").patchDebuggable(${JSON.stringify(DEBUGGABLE)});
    ${body}
  `;
  const env = { ...process.env };
  delete env.PULUMI_DEBUG_PROMISE_LEAKS;
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("unit: runtime preload (lazy promise stacks)", function () {
  this.timeout(60_000);

  it("keeps id, context and the caller's stack, formatted only when read", function () {
    const r = run(`
      let formatted = 0;
      const prepare = Error.prepareStackTrace;
      Error.prepareStackTrace = (e, frames) => { formatted++; return prepare ? prepare(e, frames) : String(e) + frames.map((f) => "\\n    at " + f).join(""); };
      const p = Promise.resolve(42);
      function theCaller() { return debuggable.debuggablePromise(p, "the context"); }
      const wrapped = theCaller();
      const before = formatted;
      const trace = p._debugStackTrace;
      const text = debuggable.promiseDebugString(p);
      wrapped.then((v) => console.log(JSON.stringify({ patched, v, before, after: formatted, id: typeof p._debugId, ctx: p._debugCtx, hasCaller: /theCaller/.test(trace), same: text.includes(trace) })));
    `);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      patched: true,
      v: 42,
      before: 0,
      after: 1,
      id: "number",
      ctx: "the context",
      hasCaller: true,
      same: true,
    });
  });

  it("a rejection still carries the wrapped promise", function () {
    const r = run(`
      const inner = Promise.reject(new Error("boom"));
      debuggable.debuggablePromise(inner, "ctx").catch((e) => console.log(JSON.stringify({ message: e.message, carries: e.promise === inner })));
    `);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { message: "boom", carries: true });
  });

  it("a promise still pending at a normal exit is reported as a leak and fails the process", function () {
    const r = run(`debuggable.debuggablePromise(new Promise(() => undefined), "never settles");`);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /The Pulumi runtime detected that 1 promise was still active/);
  });

  it("the SDK calls it through the module's export, so replacing the export reaches every call", function () {
    const dir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const calls: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory() && e.name !== "node_modules" && e.name !== "proto") walk(f);
        else if (e.name.endsWith(".js"))
          for (const m of fs.readFileSync(f, "utf8").matchAll(/[\w$.]*debuggablePromise\s*\(/g))
            calls.push(`${path.relative(dir, f)}: ${m[0]}`);
      }
    };
    walk(dir);
    const direct = calls.filter(
      (c) =>
        !/: [\w$]+\.debuggablePromise\s*\($/.test(c) &&
        !/runtime[\\/]debuggable\.js: (function )?debuggablePromise/.test(c),
    );
    assert.ok(calls.length > 20, `found ${calls.length} call sites`);
    assert.deepEqual(direct, []);
  });
});
