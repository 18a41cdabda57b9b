/**
 * `--parallel`: the deployment never has more resource operations (create, update, delete, read) in flight
 * than the limit, they queue in order, checks and diffs are not bounded, and the flag reaches the engine as
 * the CLI spells it (`--parallel N`, `-p N`).
 */
import * as assert from "node:assert/strict";
import { parseArgs, UsageError } from "../../../engine/args";
import { defaultParallel, limitCalls, parseParallel, Slots } from "../../../engine/call-limit";
import type { ResourceProvider } from "../../../engine/step";

/** A provider whose calls finish only when the test says so. */
function heldProvider() {
  let inFlight = 0;
  let peak = 0;
  const started: string[] = [];
  const release: (() => void)[] = [];
  const call = (name: string) => async (urn: string) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    started.push(`${name} ${urn}`);
    await new Promise<void>((resolve) => release.push(resolve));
    inFlight--;
    return { inputs: {}, failures: [] };
  };
  const provider = {
    check: call("check"),
    diff: call("diff"),
    create: call("create"),
    read: call("read"),
    update: call("update"),
    delete: call("delete"),
  } as unknown as ResourceProvider;
  return { provider, started, release, peak: () => peak };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("unit: --parallel bounds the provider calls in flight", function () {
  it("at most N resource operations run at once; the others start in arrival order as slots free", async function () {
    const held = heldProvider();
    const limited = limitCalls(held.provider, new Slots(2));
    const calls = ["a", "b", "c", "d", "e"].map((urn, i) =>
      i % 2 ? limited.delete(urn, urn, {}) : limited.create(urn, {}),
    );
    await turn();
    assert.deepEqual(held.started, ["create a", "delete b"]);
    held.release.shift()?.();
    await turn();
    assert.deepEqual(held.started, ["create a", "delete b", "create c"]);
    while (held.started.length < 5 || held.release.length) {
      held.release.shift()?.();
      await turn();
    }
    await Promise.all(calls);
    assert.equal(held.peak(), 2);
  });

  it("checks and diffs, which decide steps, are not bounded and never wait for a slot", async function () {
    const held = heldProvider();
    const limited = limitCalls(held.provider, new Slots(1));
    const calls = [
      limited.create("a", {}),
      limited.check("b", {}, {}),
      limited.diff("c", "c", {}, {}),
      limited.update("d", "d", {}, {}),
      limited.check("e", {}, {}),
    ];
    await turn();
    assert.deepEqual(held.started, ["create a", "check b", "diff c", "check e"]);
    while (held.started.length < 5 || held.release.length) {
      held.release.shift()?.();
      await turn();
    }
    await Promise.all(calls);
  });

  it("a failed call frees its slot", async function () {
    const slots = new Slots(1);
    await assert.rejects(
      slots.run(() => Promise.reject(new Error("host down"))),
      /host down/,
    );
    assert.equal(slots.busy, 0);
    assert.equal(await slots.run(() => Promise.resolve(7)), 7);
  });

  it("refuses a size below 1", function () {
    assert.throws(() => new Slots(0), RangeError);
  });

  it("the default is the CLI's: PULUMI_PARALLEL when set, else 4 x CPUs; a bad value is refused by name", function () {
    assert.equal(defaultParallel({}) % 4, 0);
    assert.ok(defaultParallel({}) >= 4);
    assert.equal(defaultParallel({ PULUMI_PARALLEL: "32" }), 32);
    assert.equal(defaultParallel({ PULUMI_PARALLEL: "" }), defaultParallel({}));
    for (const bad of ["0", "-1", "x", "1.5"])
      assert.throws(() => defaultParallel({ PULUMI_PARALLEL: bad }), /PULUMI_PARALLEL must be a whole number >= 1/);
    // The flag is read by the same rule.
    assert.equal(parseParallel("12", "--parallel"), 12);
    assert.throws(
      () => parseParallel("0", "--parallel"),
      /^RangeError: --parallel must be a whole number >= 1, not "0"$/,
    );
  });

  it("-p N and --parallel N are the same flag", function () {
    const specs = [{ name: "parallel", short: "p", value: "N", help: "" }];
    assert.equal(parseArgs(["-p", "3"], specs).flags.get("parallel"), "3");
    assert.equal(parseArgs(["--parallel=5"], specs).flags.get("parallel"), "5");
    assert.equal(parseArgs(["-p=6"], specs).flags.get("parallel"), "6");
    assert.throws(() => parseArgs(["--p", "3"], specs), UsageError);
    assert.throws(() => parseArgs(["-p"], specs), /--parallel needs a value/);
  });
});
