/**
 * The engine's step rules without gRPC: deciding a step (engine/step-generator.ts) against a fake provider,
 * and applying steps through the one state seam (engine/step-applier.ts, engine/state-changes.ts, ordered by
 * engine/deployment.ts), whose records must replay onto the state they started from.
 */
import { strict as assert } from "node:assert";
import { Deployment } from "../../../engine/deployment";
import { HostCallError } from "../../../engine/provider-host";
import { applyChange, StateChanges, type StateChange } from "../../../engine/state-changes";
import type { ResourceState, StackState } from "../../../engine/state";
import type { Goal, GoalOptions } from "../../../engine/step";
import { decide, type Decision, type StepPlan } from "../../../engine/step-generator";
import { isSecret, secret, type Props } from "../../../engine/wire";
import { entry, FakeProvider, stackOf, urnOf } from "../../support/fake-provider";

function goal(name: string, inputs: Props, options?: GoalOptions, extra: Partial<Goal> = {}): Goal {
  return {
    urn: urnOf(name),
    type: "pulumi-nodejs:dynamic:Resource",
    custom: true,
    inputs,
    ...(options ? { options } : {}),
    ...extra,
  };
}

function planned(decision: Decision): StepPlan {
  assert.equal(
    decision.kind,
    "plan",
    decision.kind === "failed" ? String(decision.step.error ?? JSON.stringify(decision.step.failures)) : "",
  );
  return decision;
}

/** A state with each entry copied (the records are checked against it). */
function copyOf(stack: StackState): StackState {
  return {
    resources: new Map([...stack.resources].map(([urn, e]) => [urn, structuredClone(e)])),
    pendingDeletes: stack.pendingDeletes.map((e) => structuredClone(e)),
  };
}

/** A state as JSON would keep it (fields set to undefined dropped). */
function plain(stack: StackState): unknown {
  return JSON.parse(
    JSON.stringify({ resources: [...stack.resources.values()], pending: stack.pendingDeletes }),
  ) as unknown;
}

/** The ids of state entries, and the operations of steps, in order. */
const idsOf = (entries: readonly ResourceState[]) => entries.map((e) => e.id);
const opsOf = (steps: readonly { op: string }[]) => steps.map((s) => s.op);

/** The room `a` (id 1, room ID r1) as a previous `up` left it. */
const roomA = () => entry("a", "1", { roomId: "r1" });

describe("engine steps", function () {
  describe("deciding a step", function () {
    const p = new FakeProvider();
    const check = (g: Goal, old?: ResourceState): Promise<Decision> => decide(g, old, async () => p);
    beforeEach(function () {
      p.calls.length = 0;
      p.checkFailures = [];
      p.failing.clear();
      p.diffAnswer = { changes: "DIFF_NONE", replaces: [], deleteBeforeReplace: false };
    });

    it("a new URN is a create: Check without olds, secret inputs wrapped again, no Diff", async function () {
      const plan = planned(await check(goal("a", { title: "x", key: secret("s") })));
      assert.equal(plan.op, "create");
      assert.deepEqual(plan.checked, { title: "x", key: "s" });
      assert.deepEqual(plan.secretKeys, ["key"]);
      assert.ok(isSecret(plan.inputs.key));
      assert.deepEqual(p.log, ["check a"]);
      assert.deepEqual(p.calls[0]?.olds, {});
    });

    it("DIFF_NONE is the same resource, or an update when the last step left init errors", async function () {
      assert.equal(planned(await check(goal("a", { title: "x" }), entry("a", "1", { title: "x" }))).op, "same");
      const plan = planned(
        await check(goal("a", { title: "x" }), entry("a", "1", { title: "x" }, { initErrors: ["half made"] })),
      );
      assert.equal(plan.op, "update");
      assert.deepEqual(p.log, ["check a", "diff a 1", "check a", "diff a 1"]);
    });

    it("DIFF_UNKNOWN compares the checked inputs with the old ones", async function () {
      p.diffAnswer = { changes: "DIFF_UNKNOWN", replaces: [], deleteBeforeReplace: false };
      assert.equal(planned(await check(goal("a", { title: "x" }), entry("a", "1", { title: "x" }))).op, "same");
      const plan = planned(await check(goal("a", { title: "y" }), entry("a", "1", { title: "x" })));
      assert.equal(plan.op, "update");
      assert.deepEqual(plan.changed, ["title"]);
    });

    it("DIFF_SOME with replaces is a replacement, deleting first when Diff or the option says so", async function () {
      p.replacesRoomId(false);
      const old = entry("a", "1", { roomId: "r1" });
      assert.equal(planned(await check(goal("a", { roomId: "r2" }), old)).deleteBeforeReplace, false);
      assert.equal(
        planned(await check(goal("a", { roomId: "r2" }, { deleteBeforeReplace: true }), old)).deleteBeforeReplace,
        true,
      );
      p.replacesRoomId(true);
      const plan = planned(await check(goal("a", { roomId: "r2" }), old));
      assert.equal(plan.op, "replace");
      assert.equal(plan.deleteBeforeReplace, true);
      p.diffAnswer = { changes: "DIFF_SOME", replaces: [], deleteBeforeReplace: false };
      assert.equal(planned(await check(goal("a", { roomId: "r2" }), old)).op, "update");
    });

    it("protect refuses a replacement (the plan says why; nothing is applied)", async function () {
      p.replacesRoomId(false);
      const plan = planned(
        await check(
          goal("a", { roomId: "r2" }, { protect: true }),
          entry("a", "1", { roomId: "r1" }, { protect: true }),
        ),
      );
      assert.equal(plan.op, "replace");
      assert.match(String(plan.refusal), /protected and would be replaced \(roomId\)/);
      assert.deepEqual(p.log, ["check a", "diff a 1"]);
    });

    it("ignoreChanges puts the old values back before Check", async function () {
      const plan = planned(
        await check(
          goal("a", { title: "new", size: 3 }, { ignoreChanges: ["title"] }),
          entry("a", "1", { title: "old", size: 2 }),
        ),
      );
      assert.deepEqual(p.calls[0]?.news, { title: "old", size: 3 });
      assert.deepEqual(plan.checked, { title: "old", size: 3 });
    });

    it("a Check failure, or a Check or Diff that throws, fails the step with nothing applied", async function () {
      p.checkFailures = [{ property: "title", reason: "too long" }];
      const failed = await check(goal("a", { title: "x" }), entry("a", "1", { title: "y" }));
      assert.ok(failed.kind === "failed");
      assert.equal(failed.step.op, "update");
      assert.deepEqual(failed.step.failures, [{ property: "title", reason: "too long" }]);
      p.checkFailures = [];
      p.failing.set("diff", new Error("diff broke"));
      const thrown = await check(goal("a", { title: "x" }), entry("a", "1", { title: "y" }));
      assert.ok(thrown.kind === "failed");
      assert.match(String(thrown.step.error), /diff broke/);
      assert.equal(thrown.id, "1");
    });
  });

  describe("applying steps through the state seam", function () {
    let p: FakeProvider;
    let records: StateChange[];
    const deploymentOn = (stack: StackState, preview = false): Deployment => {
      const changes = new StateChanges(stack, (r) => records.push(r));
      return new Deployment({ changes, provider: async () => p, preview });
    };
    const kinds = (): string[] => records.map((r) => (r.kind === "begin" ? `begin ${r.call}` : r.kind));
    beforeEach(function () {
      p = new FakeProvider();
      records = [];
    });

    it("a create is announced before the call and settled by the record of its entry", async function () {
      const stack = stackOf();
      await deploymentOn(stack).register(goal("a", { title: "x" }));
      assert.deepEqual(kinds(), ["begin create", "set"]);
      const [begin, set] = records;
      assert.ok(begin?.kind === "begin" && set?.kind === "set");
      assert.equal(begin.entry.id, "");
      assert.equal(set.entry.id, "id-1");
      assert.equal(set.settles, begin.seq);
    });

    it("unchanged resources, custom or component, make no record", async function () {
      const component = {
        urn: urnOf("group"),
        custom: false,
        type: "my:index:Group",
        id: "",
        inputs: { n: 1 },
        outputs: {},
        created: "2020-01-01T00:00:00Z",
        modified: "2020-01-01T00:00:00Z",
      };
      const stack = stackOf(entry("a", "1", { title: "x", __provider: "p" }, { provider: "prov::1" }), component);
      const before = stack.resources.get(component.urn);
      const deployment = deploymentOn(stack);
      await deployment.register(goal("a", { title: "x", __provider: "p" }, undefined, { provider: "prov::1" }));
      await deployment.register({ urn: component.urn, type: component.type, custom: false, inputs: { n: 1 } });
      await deployment.finish();
      assert.deepEqual(records, []);
      assert.equal(stack.resources.get(component.urn), before, "the component's entry (and its modified time) is kept");
    });

    it("a create-before-delete replacement moves the old entry to the pending deletes in its successor's record", async function () {
      p.replacesRoomId(false);
      const stack = stackOf(roomA());
      const deployment = deploymentOn(stack);
      const outcome = await deployment.register(goal("a", { roomId: "r2" }));
      assert.equal(outcome.step.op, "replace");
      assert.deepEqual(kinds(), ["begin create", "replace"]);
      assert.deepEqual(idsOf(stack.pendingDeletes), ["1"]);
      await deployment.finish();
      assert.deepEqual(kinds(), ["begin create", "replace", "begin delete", "drop-pending"]);
      assert.deepEqual(p.log, ["check a", "diff a 1", "create a", "delete a 1"]);
      assert.deepEqual(stack.pendingDeletes, []);
      assert.deepEqual(opsOf(deployment.steps), ["replace"], "the old half's delete is part of the replace step");
    });

    it("deleteBeforeReplace records the old entry's removal before the create", async function () {
      p.replacesRoomId(true);
      const stack = stackOf(roomA());
      await deploymentOn(stack).register(goal("a", { roomId: "r1", title: "t" }));
      assert.deepEqual(kinds(), ["begin delete", "remove", "begin create", "set"]);
      assert.deepEqual(p.log, ["check a", "diff a 1", "delete a 1", "create a"]);
    });

    it("a failed call ends its pending operation as failed and leaves the state as it was", async function () {
      p.failing.set("create", new Error("vendor down"));
      const stack = stackOf();
      const outcome = await deploymentOn(stack).register(goal("a", { title: "x" }));
      assert.match(String(outcome.step.error), /vendor down/);
      assert.deepEqual(
        records.map((r) => (r.kind === "end" ? `end ${r.settles} failed=${r.failed}` : r.kind)),
        ["begin", "end 1 failed=true"],
      );
      assert.equal(stack.resources.size, 0);
    });

    it("a partial failure of a create-before-delete replacement keeps the old resource pending (no orphan)", async function () {
      p.replacesRoomId(false);
      p.failing.set(
        "create",
        new HostCallError("Create", 2, "half made", {
          id: "id-p",
          properties: { roomId: "r2" },
          reasons: ["members not added"],
        }),
      );
      const stack = stackOf(roomA());
      const outcome = await deploymentOn(stack).register(goal("a", { roomId: "r2" }));
      assert.match(String(outcome.step.error), /half made/);
      assert.deepEqual(stack.resources.get(urnOf("a"))?.initErrors, ["members not added"]);
      assert.deepEqual(idsOf(stack.pendingDeletes), ["1"], "the old room stays in state, to be deleted by the next up");
    });

    it("the records replayed onto the state the operation started from give the state it ended with", async function () {
      p.replacesRoomId(false);
      const stack = stackOf(roomA(), entry("gone", "2", { roomId: "g" }), {
        ...entry("kept", "3", { roomId: "k" }),
        dependencies: [urnOf("gone")],
      });
      const start = copyOf(stack);
      const up = deploymentOn(stack);
      await up.register(goal("a", { roomId: "r2" }));
      await up.register(goal("new", { roomId: "n" }));
      await up.register({ ...goal("stack", {}), custom: false, type: "pulumi:pulumi:Stack" });
      up.registerOutputs(urnOf("stack"), { url: "u" });
      await up.finish();
      assert.deepEqual([...stack.resources.keys()].sort(), [urnOf("a"), urnOf("new"), urnOf("stack")].sort());
      await deploymentOn(stack).destroy();
      const replay = copyOf(start);
      for (const r of records) applyChange(replay, JSON.parse(JSON.stringify(r)) as StateChange);
      assert.deepEqual(plain(replay), plain(stack));
      assert.equal(stack.resources.size, 0);
      assert.ok(
        p.log.indexOf("delete kept 3") < p.log.indexOf("delete gone 2"),
        "a dependent goes before what it needs",
      );
    });

    it("preview calls only Check and Diff and records nothing", async function () {
      p.replacesRoomId(false);
      const stack = stackOf(roomA(), entry("gone", "2", { roomId: "g" }));
      const preview = deploymentOn(stack, true);
      await preview.register(goal("a", { roomId: "r2" }));
      await preview.register(goal("b", { roomId: "b" }));
      await preview.finish();
      assert.deepEqual(
        preview.steps.map((s) => `${s.op} ${s.urn.split("::").pop() ?? ""}`),
        ["replace a", "create b", "delete gone"],
      );
      assert.deepEqual(p.log, ["check a", "diff a 1", "check b"]);
      assert.deepEqual(records, []);
    });

    it("after cancel() no step starts: registrations get no provider call and finish deletes nothing", async function () {
      const stack = stackOf(entry("gone", "2", { roomId: "g" }));
      const deployment = deploymentOn(stack);
      await deployment.register(goal("a", { title: "x" }));
      deployment.cancel();
      const late = await deployment.register(goal("b", { title: "y" }));
      assert.match(String(late.step.error), /cancelled/);
      await deployment.finish();
      assert.deepEqual(p.log, ["check a", "create a"]);
      assert.deepEqual(opsOf(deployment.steps), ["create"], "a step that never started is not reported");
      assert.ok(stack.resources.has(urnOf("gone")));
    });
  });
});
