/**
 * The engine's view of both room types: the real dynamic-provider host from `@pulumi/pulumi`, spawned in
 * the repo root (whose node_modules/pulumi-rooms links to the built package), driven over gRPC through
 * every sequence of `pulumi preview`, `up`, `refresh` and `destroy`, with the `__provider` text and inputs a
 * real program produces, against the emulator. One host process per vendor.
 */
import { strict as assert } from "node:assert";
import { type Emulator } from "../../emulator";
import { DeploymentError, Engine } from "../support/engine";
import { HostCallError, ProviderHost, UNKNOWN } from "../support/host";
import {
  CASES,
  PROJECT,
  REPO,
  SECRET_KEYS,
  assertNoSecrets,
  autoId,
  decls,
  deleteBehind,
  methods,
  program,
  startStack,
  totalRequests,
} from "../support/host-rooms";

for (const c of CASES) {
  describe(`host lifecycle: ${c.type.split(":").pop()} (engine sequences over gRPC)`, function () {
    let emu: Emulator;
    let host: ProviderHost;
    let engine: Engine;
    const ROOM = "weekly-sync";
    // Declared without roomId: the vendor's room is the auto-named one.
    const ID = autoId(c, ROOM);

    before(async function () {
      ({ emu, host, engine } = await startStack(c.emulator));
    });

    after(async function () {
      await host?.stop();
      await emu?.stop();
    });

    it("__provider: a small, secret-free shim, identical for every resource of the type", async function () {
      const regs = await program(c, { a: c.base, b: {}, c: { ...c.base, ...c.update.change } });
      assert.deepEqual(
        regs.map((r) => r.type),
        [c.type, c.type, c.type],
      );
      const byName = new Map(regs.map((r) => [r.name, r]));
      const texts = new Set(regs.map((r) => r.provider));
      assert.equal(texts.size, 1, "every resource of a type must serialize the same provider");
      const [text] = [...texts];
      assert.ok(text);
      assert.ok(Buffer.byteLength(text) < 2048, `__provider is ${Buffer.byteLength(text)} bytes`);
      assert.ok(text.includes(`require("pulumi-rooms/${c.vendor}")`), text);
      assert.ok(
        regs.every((r) => !r.providerWasSecret),
        "the shim captures nothing secret",
      );
      assertNoSecrets(emu, [text]);
      // roomId defaults to the resource name plus the stack-scoped hash, marked as derived.
      assert.match(String(byName.get("b")?.inputs.roomId), /^b-[0-9a-f]{8}$/);
      assert.equal(byName.get("b")?.inputs.roomId, autoId(c, "b"));
      assert.deepEqual(
        byName.get("a")?.inputs,
        { ...c.base, roomId: autoId(c, "a"), roomIdSource: "name" },
        "inputs as the program passed them",
      );
    });

    it("preview of a new stack needs no credentials: Check (with unknowns) only, nothing sent to the vendor", async function () {
      const bare = await ProviderHost.start({ cwd: REPO, project: PROJECT });
      try {
        await bare.configure({});
        const previewEngine = new Engine(bare);
        const [decl] = await decls(c, { [ROOM]: c.base });
        assert.ok(decl);
        emu.resetCounters();
        const steps = await previewEngine.preview([{ ...decl, inputs: { ...decl.inputs, [c.unknownInput]: UNKNOWN } }]);
        assert.deepEqual(
          steps.map((s) => [s.op, s.failures]),
          [["create", undefined]],
        );
        assert.deepEqual(
          previewEngine.calls.map((x) => x.method),
          ["Check"],
        );
        assert.equal(totalRequests(emu), 0);
      } finally {
        await bare.stop();
      }
    });

    it("check failures name every bad property", async function () {
      const steps = await engine.preview(await decls(c, { bad: { ...c.base, ...c.invalid.inputs } }));
      const properties = (steps[0]?.failures ?? []).map((f) => f.property);
      for (const p of c.invalid.properties)
        assert.ok(properties.includes(p), `no failure for ${p}: ${JSON.stringify(steps[0]?.failures)}`);
      await assert.rejects(engine.up(await decls(c, { bad: { ...c.base, ...c.invalid.inputs } })), DeploymentError);
      assert.equal(engine.has("bad"), false);
    });

    it("up creates the room: id, outputs, and the vendor holds it", async function () {
      const steps = await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual(
        steps.map((s) => s.op),
        ["create"],
      );
      const entry = engine.get(ROOM);
      assert.equal(entry.id, ID);
      assert.equal(entry.outputs.roomId, ID);
      assert.equal(typeof entry.outputs.__provider, "string");
      assert.ok(c.remote(emu, ID), "the room exists at the vendor");
    });

    it("a second up is DIFF_NONE and sends nothing to the vendor", async function () {
      emu.resetCounters();
      const steps = await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual(
        steps.map((s) => [s.op, s.diff?.changes]),
        [["same", "DIFF_NONE"]],
      );
      assert.equal(totalRequests(emu), 0);
    });

    it("preview of an existing room with an input still unknown: Check passes, Diff counts it as a change", async function () {
      const [decl] = await decls(c, { [ROOM]: c.base });
      assert.ok(decl);
      emu.resetCounters();
      const [planned] = await engine.preview([{ ...decl, inputs: { ...decl.inputs, [c.unknownInput]: UNKNOWN } }]);
      assert.equal(planned?.failures, undefined);
      assert.deepEqual(planned?.diff, {
        changes: "DIFF_SOME",
        replaces: c.unknownReplaces,
        deleteBeforeReplace: c.unknownReplaces.length > 0,
      });
      assert.equal(totalRequests(emu), 0, "preview sends nothing to the vendor");
    });

    it("preview of an in-place change: DIFF_SOME, no replaces; up updates the same room", async function () {
      const next = await decls(c, { [ROOM]: { ...c.base, ...c.update.change } });
      const created = c.createdAt(emu, ID);
      const [planned] = await engine.preview(next);
      assert.deepEqual(planned?.diff, { changes: "DIFF_SOME", replaces: [], deleteBeforeReplace: false });
      assert.equal(planned?.op, "update");
      const from = engine.calls.length;
      await engine.up(next);
      assert.deepEqual(methods(engine, from, ROOM), ["Check", "Diff", "Update"]);
      c.update.landed(emu, ID);
      assert.equal(c.createdAt(emu, ID), created, "an update keeps the room");
    });

    it("replace keeping the room ID: diff asks deleteBeforeReplace, the engine deletes first, then creates", async function () {
      const next = await decls(c, { [ROOM]: { ...c.base, ...c.update.change, ...c.replaceSameId.change } });
      const [planned] = await engine.preview(next);
      assert.deepEqual(planned?.diff, {
        changes: "DIFF_SOME",
        replaces: c.replaceSameId.replaces,
        deleteBeforeReplace: true,
      });
      const from = engine.calls.length;
      const steps = await engine.up(next);
      assert.deepEqual(
        steps.map((s) => [s.op, s.deleteBeforeReplace]),
        [["replace", true]],
      );
      assert.deepEqual(methods(engine, from, ROOM), ["Check", "Diff", "Delete", "Create"]);
      assert.ok(c.remote(emu, ID), "the successor exists (delete did not destroy it)");
      assert.equal(engine.get(ROOM).id, ID);
    });

    it("replace with a new room ID: create the new room first, delete the old one last", async function () {
      const next = await decls(c, {
        [ROOM]: { ...c.base, ...c.update.change, ...c.replaceSameId.change, ...c.replaceNewId.change },
      });
      const [planned] = await engine.preview(next);
      assert.equal(planned?.diff?.deleteBeforeReplace, false);
      assert.ok(planned?.diff?.replaces.includes("roomId"));
      const from = engine.calls.length;
      await engine.up(next);
      const order = engine.calls.slice(from).filter((x) => x.method === "Create" || x.method === "Delete");
      assert.deepEqual(
        order.map((x) => [x.method, x.id ?? "(new)"]),
        [
          ["Create", "(new)"],
          ["Delete", ID],
        ],
      );
      assert.equal(engine.get(ROOM).id, c.replaceNewId.newId);
      assert.ok(c.remote(emu, c.replaceNewId.newId));
      assert.equal(c.remote(emu, ID), undefined);
      // Back to the original ID (again create-before-delete) for the steps below.
      await engine.up(await decls(c, { [ROOM]: { ...c.base, ...c.update.change, ...c.replaceSameId.change } }));
      assert.equal(engine.get(ROOM).id, ID);
    });

    it("the deleteBeforeReplace resource option is honoured for a replacement diff does not flag", async function () {
      await engine.up(
        await decls(
          c,
          { [ROOM]: { ...c.base, ...c.update.change, ...c.replaceSameId.change, ...c.replaceNewId.change } },
          { deleteBeforeReplace: true },
        ),
      );
      const last = engine.calls.filter((x) => x.method === "Create" || x.method === "Delete").slice(-2);
      assert.deepEqual(
        last.map((x) => x.method),
        ["Delete", "Create"],
      );
      assert.equal(c.remote(emu, ID), undefined);
      await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.equal(engine.get(ROOM).id, ID);
    });

    it("refresh after a change behind Pulumi's back: Read returns the drift; the next up puts it back", async function () {
      c.drift.apply(emu, ID);
      const steps = await engine.refresh();
      assert.deepEqual(
        steps.map((s) => s.op),
        ["refresh-update"],
      );
      assert.ok(
        engine.drift.get(engine.get(ROOM).urn)?.includes(c.drift.input),
        `drift seen in ${(engine.drift.get(engine.get(ROOM).urn) ?? []).join(", ")}`,
      );
      c.drift.seen(engine.get(ROOM).inputs[c.drift.input]);
      const [planned] = await engine.preview(await decls(c, { [ROOM]: c.base }));
      assert.equal(planned?.diff?.changes, "DIFF_SOME");
      assert.deepEqual(planned?.diff?.replaces, []);
      await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual(
        (await engine.refresh()).map((s) => s.op),
        ["refresh-same"],
      );
      assert.deepEqual(
        (await engine.preview(await decls(c, { [ROOM]: c.base }))).map((s) => s.op),
        ["same"],
      );
    });

    it("refresh after the room was deleted behind Pulumi's back drops it (Read answers no id); up recreates it", async function () {
      assert.ok(deleteBehind(c, emu, ID));
      const steps = await engine.refresh();
      assert.deepEqual(
        steps.map((s) => s.op),
        ["refresh-delete"],
      );
      assert.equal(engine.has(ROOM), false);
      const up = await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual(
        up.map((s) => s.op),
        ["create"],
      );
      assert.ok(c.remote(emu, ID));
    });

    it("a vendor failure is gRPC code 2 with the vendor code, message and RequestId; the room is not in state", async function () {
      await c.failure.arrange(emu);
      const err = await engine
        .up(await decls(c, { [ROOM]: c.base, [c.failure.id]: { ...c.base, roomId: c.failure.id } }))
        .then(
          () => assert.fail("up should fail"),
          (e: unknown) => e,
        );
      assert.ok(err instanceof DeploymentError, String(err));
      const cause = err.errorFor(c.failure.id);
      assert.ok(cause instanceof HostCallError, String(cause));
      assert.equal(cause.code, 2);
      assert.match(cause.details, new RegExp(`\\[${c.failure.code}\\]`));
      assert.match(cause.details, /RequestId: \S+/);
      assert.match(cause.details, /Hint: /);
      assert.equal(engine.has(c.failure.id), false);
      assert.ok(engine.has(ROOM), "the other room is unaffected");
      c.failure.cleanup?.(emu);
    });

    it("a failing Read or Delete (a wrong secret) is gRPC code 2 with the vendor code and a hint; state is kept", async function () {
      const wrong = await ProviderHost.start({ cwd: REPO, project: PROJECT });
      try {
        const secretKey = c.vendor === "tencent" ? "tencent:secretKey" : "zego:serverSecret";
        await wrong.configure({ ...emu.stackConfig(), [secretKey]: "0123456789abcdef0123456789abcdef" }, SECRET_KEYS);
        const other = new Engine(wrong);
        for (const [urn, entry] of engine.state) other.state.set(urn, structuredClone(entry));
        for (const operation of ["refresh", "destroy"] as const) {
          const err = await other[operation]().then(
            () => assert.fail(`${operation} should fail`),
            (e: unknown) => e,
          );
          assert.ok(err instanceof DeploymentError, String(err));
          const cause = err.errorFor(ROOM);
          assert.ok(cause instanceof HostCallError, String(cause));
          assert.equal(
            cause.code,
            2,
            `${operation}: gRPC status must be UNKNOWN (2), not the vendor code: ${cause.details}`,
          );
          assert.match(cause.details, new RegExp(`^${c.vendor} \\S+ failed: \\[\\d+\\] `));
          assert.match(cause.details, /Hint: /);
          assert.ok(other.has(ROOM), `${operation} keeps the resource in state`);
        }
        assert.ok(c.remote(emu, ID), "nothing was deleted");
        assertNoSecrets(emu, [...other.transcript, ...wrong.output]);
      } finally {
        await wrong.stop();
      }
    });

    it("destroy deletes every room; a destroy of a room already gone succeeds", async function () {
      await engine.up(await decls(c, { [ROOM]: c.base, second: { ...c.base } }));
      deleteBehind(c, emu, autoId(c, "second"));
      const steps = await engine.destroy();
      assert.deepEqual(
        steps.map((s) => s.op),
        ["delete", "delete"],
      );
      assert.equal(engine.state.size, 0);
      assert.equal(c.remote(emu, ID), undefined);
    });

    it("no credential, UserSig or signature in any response, error or host output line", function () {
      assert.ok(engine.transcript.length > 20, "the transcript recorded the sequences");
      assertNoSecrets(emu, [...engine.transcript, ...host.output]);
    });
  });
}
