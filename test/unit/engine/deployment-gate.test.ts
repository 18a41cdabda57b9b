/**
 * Deployment.holdUntil (engine/deployment.ts): while the program's type check runs, registrations are
 * decided but nothing is stepped, recorded or reported; components are answered at once. When the check
 * passes the held changes are made in order; when it fails, or the operation is cancelled meanwhile, none
 * is; a held change that fails is thrown by `settled()`, never left as an unhandled rejection.
 */
import { strict as assert } from "node:assert";
import { Deployment } from "../../../engine/deployment";
import { StateChanges } from "../../../engine/state-changes";
import type { StackState } from "../../../engine/state";
import type { Goal, Step } from "../../../engine/step";
import { FakeProvider, stackOf, urnOf } from "../../support/fake-provider";

const STACK_URN = "urn:pulumi:test::p::pulumi:pulumi:Stack::p-test";
const stackGoal: Goal = { urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false, inputs: {} };
const room = (name: string): Goal => ({
  urn: urnOf(name),
  type: "pulumi-nodejs:dynamic:Resource",
  custom: true,
  inputs: { roomId: name },
  parent: STACK_URN,
});

/** A gate the test opens or shuts. */
function gate(): { open: Promise<boolean>; set: (ok: boolean) => void } {
  let set: (ok: boolean) => void = () => undefined;
  const open = new Promise<boolean>((resolve) => (set = resolve));
  return { open, set };
}

describe("unit: engine deployment held by the type check", function () {
  let p: FakeProvider;
  let stack: StackState;
  let reported: Step[];
  let deployment: Deployment;

  beforeEach(function () {
    p = new FakeProvider();
    stack = stackOf();
    reported = [];
    const changes = new StateChanges(stack);
    deployment = new Deployment({
      changes,
      provider: async () => p,
      preview: false,
      observer: { finished: (s) => reported.push(s) },
    });
  });

  it("decides at once, steps and reports nothing until the check passes, then everything in order", async function () {
    const g = gate();
    deployment.holdUntil(g.open);
    const stackAnswer = deployment.register(stackGoal);
    assert.equal((await stackAnswer).step.error, undefined, "the component is answered at once");
    const a = deployment.register(room("a"));
    const dup = await deployment.register(stackGoal);
    assert.match(String(dup.step.error), /duplicate resource URN/);
    deployment.registerOutputs(STACK_URN, { out: 1 });
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(p.log, ["check a"], "Check is made while the check runs, nothing else");
    assert.equal(stack.resources.size, 0);
    assert.equal(reported.length, 0, "nothing reported");

    g.set(true);
    assert.equal((await a).step.op, "create");
    await deployment.settled();
    assert.deepEqual(p.log, ["check a", "create a"]);
    assert.deepEqual([...stack.resources.keys()], [STACK_URN, urnOf("a")], "the parent first");
    assert.deepEqual(stack.resources.get(STACK_URN)?.outputs, { out: 1 });
    assert.deepEqual(
      reported.map((s) => `${s.op} ${s.urn.split("::").pop()}${s.error ? " failed" : ""}`),
      ["create p-test", "create p-test failed", "create a"],
    );
  });

  it("a check that fails: nothing stepped, recorded or reported; the registrations are refused", async function () {
    const g = gate();
    deployment.holdUntil(g.open);
    void deployment.register(stackGoal);
    const a = deployment.register(room("a"));
    deployment.registerOutputs(STACK_URN, { out: 1 });
    g.set(false);
    assert.match(String((await a).step.error), /did not type-check/);
    await deployment.settled();
    assert.deepEqual(p.log, ["check a"]);
    assert.equal(stack.resources.size, 0);
    assert.equal(reported.length, 0, "nothing reported");
  });

  it("cancelled while held: what was held is not made when the check passes", async function () {
    const g = gate();
    deployment.holdUntil(g.open);
    void deployment.register(stackGoal);
    const a = deployment.register(room("a"));
    deployment.cancel();
    g.set(true);
    assert.match(String((await a).step.error), /cancelled/);
    await deployment.settled();
    assert.deepEqual(p.log, ["check a"]);
    assert.equal(stack.resources.size, 0);
    assert.equal(reported.length, 0, "nothing reported");
  });

  it("a held state change that fails is thrown by settled(), not left unhandled", async function () {
    const failing = new StateChanges(stack, () => {
      throw new Error("journal write failed: ENOSPC");
    });
    const d = new Deployment({ changes: failing, provider: async () => p, preview: false });
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on("unhandledRejection", onUnhandled);
    try {
      const g = gate();
      d.holdUntil(g.open);
      void d.register(stackGoal);
      g.set(true);
      await assert.rejects(d.settled(), /ENOSPC/);
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
