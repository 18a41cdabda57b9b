/**
 * The harness itself, proven against a trivial in-test dynamic provider (an in-memory "cloud" living in
 * the host process), so that a failure in the room tests points at the rooms, not at the harness.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ProviderHost, HostCallError, UNKNOWN } from "../support/host";
import { runProgram } from "../support/program";
import { declared, DeploymentError, Engine, type Declared } from "../support/engine";

interface MemoryInputs {
  key: string;
  size: number;
  label?: string;
  fail?: string;
}

/**
 * Serialized by value into `__provider` (it lives outside node_modules). Its "cloud" is a Map on the host
 * process's global object, so it survives across calls and vanishes when the host restarts.
 */
const memoryProvider: pulumi.dynamic.ResourceProvider<
  MemoryInputs,
  MemoryInputs & { serial: number; tokenLength: number }
> = {
  async configure(req) {
    const g = globalThis as unknown as {
      memoryToken?: string;
      memoryCloud?: Map<string, unknown>;
      memorySerial?: number;
    };
    g.memoryToken = req.config.get("memory:token") ?? "";
    g.memoryCloud = g.memoryCloud ?? new Map();
    g.memorySerial = g.memorySerial ?? 0;
  },
  async check(_olds, news) {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.size !== (UNKNOWN as unknown) && (typeof news.size !== "number" || news.size < 1))
      failures.push({ property: "size", reason: "must be a positive number" });
    return { inputs: news, failures };
  },
  async diff(_id, olds, news) {
    const replaces = olds.key !== news.key ? ["key"] : [];
    const changes = replaces.length > 0 || olds.size !== news.size || olds.label !== news.label;
    return { changes, replaces, deleteBeforeReplace: false };
  },
  async create(inputs) {
    const g = globalThis as unknown as { memoryToken: string; memoryCloud: Map<string, unknown>; memorySerial: number };
    if (inputs.fail) throw new Error(`create refused: ${inputs.fail}`);
    const outs = {
      key: inputs.key,
      size: inputs.size,
      serial: ++g.memorySerial,
      tokenLength: g.memoryToken.length,
      ...(inputs.label ? { label: inputs.label } : {}),
    };
    g.memoryCloud.set(inputs.key, outs);
    return { id: inputs.key, outs };
  },
  async read(id, props) {
    const g = globalThis as unknown as { memoryCloud: Map<string, Record<string, unknown>> };
    const found = g.memoryCloud.get(id);
    if (!found) return {};
    return { id, props: { ...props, ...found } as never, inputs: { key: found.key, size: found.size } as never };
  },
  async update(_id, _olds, news) {
    const g = globalThis as unknown as { memoryCloud: Map<string, Record<string, unknown>>; memorySerial: number };
    const outs = {
      key: news.key,
      size: news.size,
      serial: ++g.memorySerial,
      tokenLength: 0,
      ...(news.label ? { label: news.label } : {}),
    };
    g.memoryCloud.set(news.key, outs);
    return { outs };
  },
  async delete(id) {
    const g = globalThis as unknown as { memoryCloud: Map<string, unknown> };
    if (!g.memoryCloud.delete(id)) throw new Error(`no such item ${id}`);
  },
};

class Memory extends pulumi.dynamic.Resource {
  constructor(
    name: string,
    args: { [K in keyof MemoryInputs]: pulumi.Input<MemoryInputs[K]> },
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(memoryProvider, name, { ...args, serial: undefined, tokenLength: undefined }, opts, "test", "Memory");
  }
}

const TOKEN = "memory-token-s3cr3t";
const repoRoot = path.resolve(__dirname, "../..");

async function program(items: Record<string, Omit<MemoryInputs, "key"> & { key?: string }>): Promise<Declared[]> {
  const run = await runProgram(() => {
    for (const [name, args] of Object.entries(items)) new Memory(name, { key: args.key ?? name, ...args });
  });
  return declared(run.registrations);
}

describe("host harness (trivial in-test provider)", function () {
  let host: ProviderHost;
  let engine: Engine;

  before(async function () {
    host = await ProviderHost.start({ cwd: repoRoot, project: "harness" });
    await host.configure({ "memory:token": TOKEN }, ["memory:token"]);
    engine = new Engine(host);
  });

  after(async function () {
    await host?.stop();
  });

  it("captures a registration with its type token, inputs and __provider text", async function () {
    const run = await runProgram(() => new Memory("a", { key: "a", size: pulumi.output(2) }));
    const [reg] = run.registrations;
    assert.ok(reg);
    assert.equal(reg.type, "pulumi-nodejs:dynamic/test:Memory");
    assert.deepEqual(reg.inputs, { key: "a", size: 2 });
    assert.equal(typeof reg.provider, "string");
    assert.match(reg.provider ?? "", /exports\.handler/);
  });

  it("answers GetPluginInfo with the SDK version and UNIMPLEMENTED (12) for what dynamic providers lack", async function () {
    assert.match(await host.getPluginInfo(), /^3\.\d+\.\d+/);
    await assert.rejects(host.checkConfig(), (e: HostCallError) => e.code === 12);
  });

  it("preview: check with unknowns and check failures with property paths, no create", async function () {
    const decls = await program({ p1: { size: 1 }, p2: { size: 0 } });
    const unknown = decls.map((d) => (d.urn.endsWith("::p1") ? { ...d, inputs: { ...d.inputs, size: UNKNOWN } } : d));
    const steps = await engine.preview(unknown);
    assert.deepEqual(steps.find((s) => s.urn.endsWith("::p1"))?.op, "create");
    assert.deepEqual(steps.find((s) => s.urn.endsWith("::p2"))?.failures, [
      { property: "size", reason: "must be a positive number" },
    ]);
    assert.equal(engine.calls.filter((c) => c.method === "Create").length, 0);
  });

  it("up creates, configure saw the unwrapped secret, a second up is DIFF_NONE", async function () {
    const decls = await program({ a: { size: 1 }, b: { size: 2 } });
    const steps = await engine.up(decls);
    assert.deepEqual(
      steps.map((s) => s.op),
      ["create", "create"],
    );
    assert.equal(engine.get("a").id, "a");
    assert.equal(engine.get("a").outputs.tokenLength, TOKEN.length);
    assert.equal(typeof engine.get("a").outputs.__provider, "string");
    const again = await engine.up(decls);
    assert.deepEqual(
      again.map((s) => [s.op, s.diff?.changes]),
      [
        ["same", "DIFF_NONE"],
        ["same", "DIFF_NONE"],
      ],
    );
  });

  it("up updates in place (DIFF_SOME, no replaces)", async function () {
    const steps = await engine.up(await program({ a: { size: 5 }, b: { size: 2 } }));
    assert.deepEqual(
      steps.map((s) => s.op),
      ["update", "same"],
    );
    assert.equal(engine.get("a").outputs.size, 5);
  });

  it("replace without deleteBeforeReplace: create the new one, delete the old one last", async function () {
    const from = engine.calls.length;
    const steps = await engine.up(await program({ a: { size: 5, key: "a2" }, b: { size: 2 } }));
    assert.deepEqual(steps[0]?.diff, { changes: "DIFF_SOME", replaces: ["key"], deleteBeforeReplace: false });
    const order = engine.calls
      .slice(from)
      .filter((c) => c.urn.endsWith("::a") && (c.method === "Create" || c.method === "Delete"));
    assert.deepEqual(
      order.map((c) => [c.method, c.id]),
      [
        ["Create", undefined],
        ["Delete", "a"],
      ],
    );
    assert.equal(engine.get("a").id, "a2");
  });

  it("replace with the deleteBeforeReplace option: delete the old one, then create", async function () {
    const from = engine.calls.length;
    const decls = (await program({ a: { size: 5, key: "a3" }, b: { size: 2 } })).map((d) => ({
      ...d,
      options: { deleteBeforeReplace: true },
    }));
    await engine.up(decls);
    const order = engine.calls
      .slice(from)
      .filter((c) => c.urn.endsWith("::a") && (c.method === "Create" || c.method === "Delete"));
    assert.deepEqual(
      order.map((c) => [c.method, c.id]),
      [
        ["Delete", "a2"],
        ["Create", undefined],
      ],
    );
  });

  it("a failing create surfaces gRPC code 2 with the thrown message; other resources still land", async function () {
    const err = await engine
      .up(await program({ a: { size: 5, key: "a3" }, b: { size: 2 }, c: { size: 1, fail: "quota (code 7)" } }))
      .then(
        () => assert.fail("up should fail"),
        (e: unknown) => e,
      );
    assert.ok(err instanceof DeploymentError);
    const cause = err.errorFor("c");
    assert.ok(cause instanceof HostCallError);
    assert.equal(cause.code, 2);
    assert.equal(cause.details, "create refused: quota (code 7)");
    assert.equal(engine.has("c"), false);
  });

  it("a restarted host keeps serving the same state: refresh drops what its cloud lost, destroy deletes the rest", async function () {
    await host.stop();
    host = await ProviderHost.start({ cwd: repoRoot, project: "harness" });
    await host.configure({ "memory:token": TOKEN }, ["memory:token"]);
    engine.host = host;
    // The new process has an empty in-memory cloud: refresh must drop both resources (Read answers id "").
    const steps = await engine.refresh();
    assert.deepEqual(
      steps.map((s) => s.op),
      ["refresh-delete", "refresh-delete"],
    );
    assert.equal(engine.state.size, 0);
    await engine.up(await program({ z: { size: 1 } }));
    await engine.destroy();
    assert.equal(engine.state.size, 0);
  });

  it("component resources: kept in state with no provider call; children carry the component type in their URN", async function () {
    const grouped = async (names: string[]) =>
      declared(
        (
          await runProgram(() => {
            const group = new pulumi.ComponentResource("test:index:Group", "grp", {}, {});
            for (const n of names) new Memory(n, { key: n, size: 1 }, { parent: group });
          })
        ).registrations,
      );
    const decls = await grouped(["grp-a", "grp-b"]);
    assert.deepEqual(
      decls.map((d) => d.urn),
      [
        "urn:pulumi:test::rooms-test::test:index:Group::grp",
        "urn:pulumi:test::rooms-test::test:index:Group$pulumi-nodejs:dynamic/test:Memory::grp-a",
        "urn:pulumi:test::rooms-test::test:index:Group$pulumi-nodejs:dynamic/test:Memory::grp-b",
      ],
    );
    const own = new Engine(host);
    assert.deepEqual(
      (await own.up(decls)).map((s) => s.op),
      ["create", "create", "create"],
    );
    assert.ok(own.get("grp").component);
    assert.deepEqual(
      own.calls.filter((c) => c.urn.endsWith("::grp")),
      [],
      "no provider call for a component",
    );
    assert.deepEqual(
      (await own.up(await grouped(["grp-a"]))).map((s) => s.op),
      ["same", "same", "delete"],
    );
    await own.destroy();
    assert.equal(own.state.size, 0);
    assert.deepEqual(
      own.calls.filter((c) => c.method === "Delete").map((c) => c.urn.split("::").pop()),
      ["grp-b", "grp-a"],
    );
  });

  it("never shows the configured secret in any response, error or host output line", function () {
    for (const line of [...engine.transcript, ...host.output]) assert.ok(!line.includes(TOKEN), line);
  });
});
