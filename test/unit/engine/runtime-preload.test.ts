/**
 * The runtime preload (engine/runtime-preload.ts): the SDK's debuggablePromise, replaced, keeps every
 * piece of information (id, context, the stack at the call) when leaks are debugged, formatting the stack
 * only when it is read, stores none of it otherwise, and keeps the leak detection; dropDebugLogs keeps the
 * SDK's debug lines from reaching the engine. Each case runs in a fresh Node process, so the patch never
 * reaches other tests.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../../..");
const DEBUGGABLE = require.resolve("@pulumi/pulumi/runtime/debuggable");

function run(body: string, debugLeaks = false): { status: number | null; stdout: string; stderr: string } {
  const script = `
    const debuggable = require(${JSON.stringify(DEBUGGABLE)});
    const patched = require("./engine/runtime-preload").patchDebuggable(${JSON.stringify(DEBUGGABLE)});
    ${body}
  `;
  const env = { ...process.env };
  delete env.PULUMI_DEBUG_PROMISE_LEAKS;
  if (debugLeaks) env.PULUMI_DEBUG_PROMISE_LEAKS = "true";
  const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("unit: runtime preload (lazy promise stacks)", function () {
  this.timeout(60_000);

  it("with PULUMI_DEBUG_PROMISE_LEAKS: keeps id, context and the caller's stack, formatted only when read", function () {
    const r = run(
      `
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
    `,
      true,
    );
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

  it("without it (the default): defines nothing on the promise (the SDK reads those properties only to debug leaks)", function () {
    const r = run(`
      const p = Promise.resolve(42);
      const wrapped = debuggable.debuggablePromise(p, "the context");
      wrapped.then((v) => console.log(JSON.stringify({ patched, v, own: Object.getOwnPropertyNames(p) })));
    `);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { patched: true, v: 42, own: [] });
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

  describe("dropDebugLogs", function () {
    /** Logs through the SDK with the engine at a TCP listener; how many connections reached it. */
    async function engineConnections(drop: boolean): Promise<number> {
      let connections = 0;
      const server = net.createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as net.AddressInfo).port;
      const child = spawn(
        process.execPath,
        [
          "-r",
          "ts-node/register/transpile-only",
          "-e",
          `
          const dir = ${JSON.stringify(path.dirname(DEBUGGABLE))};
          require(dir + "/settings").resetOptions("p", "s", -1, "127.0.0.1:${port}", "", false, "");
          if (${drop}) console.log(JSON.stringify(require("./engine/runtime-preload").dropDebugLogs(dir + "/../log")));
          const log = require(dir + "/../log");
          log.debug("a debug line").then(() => process.exit(0));
          setTimeout(() => process.exit(0), 3000);
          `,
        ],
        { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
      );
      const out: Buffer[] = [];
      child.stdout.on("data", (b: Buffer) => out.push(b));
      await new Promise((resolve) => child.once("exit", resolve));
      server.close();
      if (drop) assert.equal(Buffer.concat(out).toString().trim(), "true");
      return connections;
    }

    it("a debug line no longer reaches the engine (it does without the patch)", async function () {
      assert.ok((await engineConnections(false)) > 0, "the SDK sends debug lines to the engine");
      assert.equal(await engineConnections(true), 0);
    });
  });

  describe("memoizeStackTraces", function () {
    /** Runs a TypeScript file (ts-node maps its frames, as in the runtime) and parses what it prints. */
    function runTs(source: string): unknown {
      // Inside the repository (ts-node compiles it with the repository's settings), in its ignored folder.
      fs.mkdirSync(path.join(ROOT, ".pulumi-rooms"), { recursive: true });
      const dir = fs.mkdtempSync(path.join(ROOT, ".pulumi-rooms", "stack-memo-"));
      try {
        const file = path.join(dir, "probe.ts");
        fs.writeFileSync(file, source);
        const r = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", file], {
          cwd: ROOT,
          encoding: "utf8",
        });
        assert.equal(r.status, 0, r.stderr);
        return JSON.parse(r.stdout);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }

    const PROBE = `
      const { Resource } = require(${JSON.stringify(require.resolve("@pulumi/pulumi/resource"))});
      const { memoizeStackTraces } = require(${JSON.stringify(path.join(ROOT, "engine", "runtime-preload"))});
      type Frames = ({ uri: string; line: number; column: number } | undefined)[];
      // The SDK's own, counted: how often the memo had to ask it.
      const sdkStackTrace = Resource.stackTrace;
      let asked = 0;
      Resource.stackTrace = function (this: unknown, skip: number): Frames {
        asked++;
        return sdkStackTrace.call(this, skip + 1);
      };
      function probe(): Frames {
        return Resource.stackTrace(1);
      }
    `;

    it("answers as the SDK's own, for each call site, with fresh objects", function () {
      const out = runTs(`${PROBE}
        const runs: Frames[][] = [];
        for (const patch of [false, true]) {
          const patched = patch ? memoizeStackTraces(${JSON.stringify(require.resolve("@pulumi/pulumi/resource"))}) : undefined;
          const here: Frames[] = [];
          for (let i = 0; i < 3; i++) here.push(probe());
          here.push(probe()); // another line
          runs.push(here);
          if (patch && !patched) throw new Error("not patched");
        }
        const [plain, memo] = runs;
        console.log(JSON.stringify({ plain, memo, fresh: memo[1] !== memo[2] && memo[1][0] !== memo[2][0], asked }));
      `) as { plain: unknown[][]; memo: unknown[][]; fresh: boolean; asked: number };
      assert.deepEqual(out.memo, out.plain);
      assert.equal(out.fresh, true);
      // Four unpatched calls, then one per call site (the loop's line and the other one).
      assert.equal(out.asked, 4 + 2);
      const [first, , , other] = out.memo as { line: number; uri: string }[][];
      assert.match(first?.[0]?.uri ?? "", /probe\.ts$/);
      assert.notEqual(first?.[1]?.line, other?.[1]?.line, "the caller's line tells the two call sites apart");
    });

    it("a program's own Error.prepareStackTrace, installed later, gets the SDK's answer under it", function () {
      const out = runTs(`${PROBE}
        memoizeStackTraces(${JSON.stringify(require.resolve("@pulumi/pulumi/resource"))});
        const lines = (): number[] => probe().map((f) => (f ? f.line : 0));
        const results: number[][] = [];
        for (let i = 0; i < 3; i++) {
          if (i === 1) {
            const previous = Error.prepareStackTrace;
            // Shifts every line by 1000: what the SDK parses is whatever the hook formats.
            Error.prepareStackTrace = (e, sites) =>
              String(previous ? previous(e, sites) : e).replace(/:(\\d+):(\\d+)(\\)?)$/gm, (_m, l, c, p) => ":" + (Number(l) + 1000) + ":" + c + p);
          }
          results.push(lines());
        }
        console.log(JSON.stringify({ results, asked }));
      `) as { results: number[][]; asked: number };
      const [before, after, again] = out.results;
      assert.ok(before && after && again);
      assert.equal(after[0], (before[0] ?? 0) + 1000, "the new hook's answer, not the remembered one");
      assert.deepEqual(again, after);
      assert.equal(out.asked, 2);
    });

    it("keeps the stack trace limit and the stack formatting it found", function () {
      const out = runTs(`${PROBE}
        memoizeStackTraces(${JSON.stringify(require.resolve("@pulumi/pulumi/resource"))});
        const prepare = Error.prepareStackTrace;
        Error.stackTraceLimit = 7;
        probe();
        console.log(JSON.stringify({ limit: Error.stackTraceLimit, same: Error.prepareStackTrace === prepare }));
      `);
      assert.deepEqual(out, { limit: 7, same: true });
    });
  });

  describe("widenMonitorWindow", function () {
    const SETTINGS = path.join(path.dirname(DEBUGGABLE), "settings");

    it("the monitor client the SDK makes asks for the engine's window; a window already set is kept", function () {
      const r = run(`
        const settings = require(${JSON.stringify(SETTINGS)});
        const { widenMonitorWindow } = require("./engine/runtime-preload");
        const before = settings.grpcClientOptions["grpc-node.flow_control_window"];
        const widened = widenMonitorWindow(${JSON.stringify(SETTINGS)}, 1048576);
        settings.resetOptions("p", "s", -1, "", "127.0.0.1:1", false, "");
        const client = settings.getMonitor();
        const asked = client.getChannel().internalChannel.options["grpc-node.flow_control_window"];
        widenMonitorWindow(${JSON.stringify(SETTINGS)}, 4096);
        const kept = settings.grpcClientOptions["grpc-node.flow_control_window"];
        console.log(JSON.stringify({ before: before ?? null, widened, asked, kept, refused: widenMonitorWindow(${JSON.stringify(SETTINGS)}, NaN) }));
        process.exit(0);
      `);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), {
        before: null,
        widened: true,
        asked: 1048576,
        kept: 1048576,
        refused: false,
      });
    });
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
