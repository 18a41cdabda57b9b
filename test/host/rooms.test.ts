/**
 * The engine's view of both room types: the real dynamic-provider host from `@pulumi/pulumi`, spawned in
 * the repo root (whose node_modules/pulumi-rooms links to the built package), driven over gRPC through
 * every sequence of `pulumi preview`, `up`, `refresh` and `destroy`, with the `__provider` text and inputs a
 * real program produces, against the emulator. One host process per vendor.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { TencentRoom, ZegoRoom } from "pulumi-rooms";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { autoRoomId } from "../../provider/core/naming";
import { declared, DeploymentError, Engine, type Declared } from "../support/engine";
import { HostCallError, ProviderHost, UNKNOWN, type Props } from "../support/host";
import { runProgram, type Registration } from "../support/program";
import { tencentCase, zegoCase, type VendorCase } from "../support/vendors";
import { zegoPost } from "../support/zego-raw";

const REPO = path.resolve(__dirname, "../..");
const PROJECT = "rooms-host-test";
/** The stack runProgram runs under (its default). */
const STACK = "test";
export const SECRET_KEYS = ["tencent:secretKey", "zego:serverSecret"];

const CASES: VendorCase[] = [
  tencentCase((name, args) => new TencentRoom(name, args as never)),
  zegoCase((name, args) => new ZegoRoom(name, args as never)),
];

/** Runs a program declaring `rooms` (resource name -> inputs) and returns its registrations. */
async function program(c: VendorCase, rooms: Record<string, Props>): Promise<Registration[]> {
  const run = await runProgram(
    () => {
      for (const [name, args] of Object.entries(rooms)) c.declare(name, args);
    },
    { project: PROJECT },
  );
  return run.registrations;
}

async function decls(c: VendorCase, rooms: Record<string, Props>, options?: Declared["options"]): Promise<Declared[]> {
  return declared(await program(c, rooms), options);
}

/** The room ID a resource gets without a declared roomId: the name plus the stack-scoped hash. */
export function autoId(c: Pick<VendorCase, "vendor">, name: string, stack = STACK, project = PROJECT): string {
  return autoRoomId(name, project, stack, { maxBytes: c.vendor === "tencent" ? 48 : 32 });
}

/** Every text a user could see must be free of credentials and signatures. */
export function assertNoSecrets(emu: Emulator, texts: readonly string[]): void {
  const secrets = [emu.credentials.tencent.secretKey, emu.credentials.zego.serverSecret];
  for (const text of texts) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `a credential leaked into: ${text.slice(0, 300)}`);
    assert.doesNotMatch(text, /usersig=(?!\[redacted\])[^&\s"]{8,}/i, `a UserSig leaked into: ${text.slice(0, 300)}`);
    assert.doesNotMatch(text, /Signature=(?!\[redacted\])[0-9a-f]{16,}/i, `a signature leaked into: ${text.slice(0, 300)}`);
  }
}

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
      assert.deepEqual(regs.map((r) => r.type), [c.type, c.type, c.type]);
      const byName = new Map(regs.map((r) => [r.name, r]));
      const texts = new Set(regs.map((r) => r.provider));
      assert.equal(texts.size, 1, "every resource of a type must serialize the same provider");
      const [text] = [...texts];
      assert.ok(text);
      assert.ok(Buffer.byteLength(text) < 2048, `__provider is ${Buffer.byteLength(text)} bytes`);
      assert.ok(text.includes(`require("pulumi-rooms/${c.vendor}")`), text);
      assert.ok(regs.every((r) => !r.providerWasSecret), "the shim captures nothing secret");
      assertNoSecrets(emu, [text]);
      // roomId defaults to the resource name plus the stack-scoped hash, marked as derived.
      assert.match(String(byName.get("b")?.inputs.roomId), /^b-[0-9a-f]{8}$/);
      assert.equal(byName.get("b")?.inputs.roomId, autoId(c, "b"));
      assert.deepEqual(byName.get("a")?.inputs, { ...c.base, roomId: autoId(c, "a"), roomIdSource: "name" }, "inputs as the program passed them");
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
        assert.deepEqual(steps.map((s) => [s.op, s.failures]), [["create", undefined]]);
        assert.deepEqual(previewEngine.calls.map((x) => x.method), ["Check"]);
        assert.equal(totalRequests(emu), 0);
      } finally {
        await bare.stop();
      }
    });

    it("check failures name every bad property", async function () {
      const steps = await engine.preview(await decls(c, { bad: { ...c.base, ...c.invalid.inputs } }));
      const properties = (steps[0]?.failures ?? []).map((f) => f.property);
      for (const p of c.invalid.properties) assert.ok(properties.includes(p), `no failure for ${p}: ${JSON.stringify(steps[0]?.failures)}`);
      await assert.rejects(engine.up(await decls(c, { bad: { ...c.base, ...c.invalid.inputs } })), DeploymentError);
      assert.equal(engine.has("bad"), false);
    });

    it("up creates the room: id, outputs, and the vendor holds it", async function () {
      const steps = await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual(steps.map((s) => s.op), ["create"]);
      const entry = engine.get(ROOM);
      assert.equal(entry.id, ID);
      assert.equal(entry.outputs.roomId, ID);
      assert.equal(typeof entry.outputs.__provider, "string");
      assert.ok(c.remote(emu, ID), "the room exists at the vendor");
    });

    it("a second up is DIFF_NONE and sends nothing to the vendor", async function () {
      emu.resetCounters();
      const steps = await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual(steps.map((s) => [s.op, s.diff?.changes]), [["same", "DIFF_NONE"]]);
      assert.equal(totalRequests(emu), 0);
    });

    it("preview of an existing room with an input still unknown: Check passes, Diff counts it as a change", async function () {
      const [decl] = await decls(c, { [ROOM]: c.base });
      assert.ok(decl);
      emu.resetCounters();
      const [planned] = await engine.preview([{ ...decl, inputs: { ...decl.inputs, [c.unknownInput]: UNKNOWN } }]);
      assert.equal(planned?.failures, undefined);
      assert.deepEqual(planned?.diff, { changes: "DIFF_SOME", replaces: c.unknownReplaces, deleteBeforeReplace: c.unknownReplaces.length > 0 });
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
      assert.deepEqual(planned?.diff, { changes: "DIFF_SOME", replaces: c.replaceSameId.replaces, deleteBeforeReplace: true });
      const from = engine.calls.length;
      const steps = await engine.up(next);
      assert.deepEqual(steps.map((s) => [s.op, s.deleteBeforeReplace]), [["replace", true]]);
      assert.deepEqual(methods(engine, from, ROOM), ["Check", "Diff", "Delete", "Create"]);
      assert.ok(c.remote(emu, ID), "the successor exists (delete did not destroy it)");
      assert.equal(engine.get(ROOM).id, ID);
    });

    it("replace with a new room ID: create the new room first, delete the old one last", async function () {
      const next = await decls(c, { [ROOM]: { ...c.base, ...c.update.change, ...c.replaceSameId.change, ...c.replaceNewId.change } });
      const [planned] = await engine.preview(next);
      assert.equal(planned?.diff?.deleteBeforeReplace, false);
      assert.ok(planned?.diff?.replaces.includes("roomId"));
      const from = engine.calls.length;
      await engine.up(next);
      const order = engine.calls.slice(from).filter((x) => x.method === "Create" || x.method === "Delete");
      assert.deepEqual(order.map((x) => [x.method, x.id ?? "(new)"]), [["Create", "(new)"], ["Delete", ID]]);
      assert.equal(engine.get(ROOM).id, c.replaceNewId.newId);
      assert.ok(c.remote(emu, c.replaceNewId.newId));
      assert.equal(c.remote(emu, ID), undefined);
      // Back to the original ID (again create-before-delete) for the steps below.
      await engine.up(await decls(c, { [ROOM]: { ...c.base, ...c.update.change, ...c.replaceSameId.change } }));
      assert.equal(engine.get(ROOM).id, ID);
    });

    it("the deleteBeforeReplace resource option is honoured for a replacement diff does not flag", async function () {
      await engine.up(await decls(c, { [ROOM]: { ...c.base, ...c.update.change, ...c.replaceSameId.change, ...c.replaceNewId.change } }, { deleteBeforeReplace: true }));
      const last = engine.calls.filter((x) => x.method === "Create" || x.method === "Delete").slice(-2);
      assert.deepEqual(last.map((x) => x.method), ["Delete", "Create"]);
      assert.equal(c.remote(emu, ID), undefined);
      await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.equal(engine.get(ROOM).id, ID);
    });

    it("refresh after a change behind Pulumi's back: Read returns the drift; the next up puts it back", async function () {
      c.drift.apply(emu, ID);
      const steps = await engine.refresh();
      assert.deepEqual(steps.map((s) => s.op), ["refresh-update"]);
      assert.ok(engine.drift.get(engine.get(ROOM).urn)?.includes(c.drift.input), `drift seen in ${engine.drift.get(engine.get(ROOM).urn)}`);
      c.drift.seen(engine.get(ROOM).inputs[c.drift.input]);
      const [planned] = await engine.preview(await decls(c, { [ROOM]: c.base }));
      assert.equal(planned?.diff?.changes, "DIFF_SOME");
      assert.deepEqual(planned?.diff?.replaces, []);
      await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual((await engine.refresh()).map((s) => s.op), ["refresh-same"]);
      assert.deepEqual((await engine.preview(await decls(c, { [ROOM]: c.base }))).map((s) => s.op), ["same"]);
    });

    it("refresh after the room was deleted behind Pulumi's back drops it (Read answers no id); up recreates it", async function () {
      assert.ok(deleteBehind(c, emu, ID));
      const steps = await engine.refresh();
      assert.deepEqual(steps.map((s) => s.op), ["refresh-delete"]);
      assert.equal(engine.has(ROOM), false);
      const up = await engine.up(await decls(c, { [ROOM]: c.base }));
      assert.deepEqual(up.map((s) => s.op), ["create"]);
      assert.ok(c.remote(emu, ID));
    });

    it("a vendor failure is gRPC code 2 with the vendor code, message and RequestId; the room is not in state", async function () {
      await c.failure.arrange(emu);
      const err = await engine.up(await decls(c, { [ROOM]: c.base, [c.failure.id]: { ...c.base, roomId: c.failure.id } })).then(
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
          assert.equal(cause.code, 2, `${operation}: gRPC status must be UNKNOWN (2), not the vendor code: ${cause.details}`);
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
      assert.deepEqual(steps.map((s) => s.op), ["delete", "delete"]);
      assert.equal(engine.state.size, 0);
      assert.equal(c.remote(emu, ID), undefined);
    });

    it("no credential, UserSig or signature in any response, error or host output line", function () {
      assert.ok(engine.transcript.length > 20, "the transcript recorded the sequences");
      assertNoSecrets(emu, [...engine.transcript, ...host.output]);
    });
  });
}

describe("host lifecycle: ZegoRoom partial attribute failure (ErrorResourceInitFailed)", function () {
  let emu: Emulator;
  let host: ProviderHost;
  let engine: Engine;
  const zego = zegoCase((name, args) => new ZegoRoom(name, args as never));
  const attrs = (id: string) => Object.fromEntries((emu.zego.room(id)?.attributes ?? []).map((a) => [a.key, a.value]));

  before(async function () {
    ({ emu, host, engine } = await startStack());
  });

  after(async function () {
    await host?.stop();
    await emu?.stop();
  });

  it("deploys on an app whose operator was never registered: CreateRoom answers 660500002, the provider registers it and retries once", async function () {
    // ZEGOCLOUD/docs_all Return codes.mdx: 660500002 "Operator user not registered"; the emulator answers
    // a room action from an unregistered FromUserId with it, as a fresh real app would.
    const { fromUserId } = emu.credentials.zego;
    assert.equal(emu.zego.users().some((u) => u.userId === fromUserId), false, "a fresh app knows no users");
    emu.resetCounters();
    const steps = await engine.up(await decls(zego, { fresh: { roomId: "fresh-app-room", attributes: { a: "1" } } }));
    assert.deepEqual(steps.map((x) => x.op), ["create"]);
    assert.equal(engine.get("fresh").id, "fresh-app-room");
    const counters = emu.counters();
    assert.deepEqual(counters.CreateRoom, { "660500002": 1, ok: 1 });
    assert.deepEqual(counters.UserRegister, { ok: 1 });
    assert.deepEqual(attrs("fresh-app-room"), { a: "1" });
    await engine.destroy();
    assert.equal(emu.zego.room("fresh-app-room"), undefined);
  });

  it("update: state records what the room holds; the next up finishes the change; refresh and destroy still work", async function () {
    await engine.up(await decls(zego, { lobby: { roomId: "lobby", attributes: { a: "1", gone: "x" } } }));
    emu.zego.failKeys("lobby", ["b"], 660300012);
    const err = await engine.up(await decls(zego, { lobby: { roomId: "lobby", attributes: { a: "2", b: "new" } } })).then(
      () => assert.fail("up should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DeploymentError, String(err));
    const cause = err.errorFor("lobby");
    assert.ok(cause instanceof HostCallError && cause.initFailure, String(cause));
    assert.equal(cause.code, 2);
    assert.match(cause.details, /1 of 3 attribute changes failed: "b" \(SubCode 660300012\)/);
    // The engine records the room as it is (a changed, gone deleted, b missing), with the reason, and the
    // shim: refresh and destroy need it, and the host adds it only on success.
    const entry = engine.get("lobby");
    assert.deepEqual(entry.outputs.attributes, { a: { value: "2", autoDelete: false } });
    assert.deepEqual(entry.initErrors, [cause.details]);
    assert.equal(typeof entry.outputs.__provider, "string");
    assert.deepEqual(attrs("lobby"), { a: "2" });
    // Once the key can be written, the next up (Diff sees b missing) completes the change.
    emu.zego.failKeys("lobby", []);
    const steps = await engine.up(await decls(zego, { lobby: { roomId: "lobby", attributes: { a: "2", b: "new" } } }));
    assert.deepEqual(steps.map((x) => x.op), ["update"]);
    assert.deepEqual(attrs("lobby"), { a: "2", b: "new" });
    assert.equal(engine.get("lobby").initErrors, undefined);
    assert.deepEqual((await engine.refresh()).map((x) => x.op), ["refresh-same"]);
    await engine.destroy();
    assert.equal(emu.zego.room("lobby"), undefined);
  });

  it("create that adopts an existing room: a partial failure still puts the room in state, so nothing is orphaned", async function () {
    const { appId, serverSecret, fromUserId } = emu.credentials.zego;
    emu.zego.registerUser(fromUserId);
    const target = { baseUrl: emu.url, appId, serverSecret, nowSec: () => Math.floor(Date.now() / 1000) };
    assert.equal((await zegoPost(target, "CreateRoom", { FromUserId: fromUserId, RoomId: "hall" })).body.Code, 0);
    emu.zego.failKeys("hall", ["b"], 660300012);
    const err = await engine.up(await decls(zego, { hall: { roomId: "hall", attributes: { a: "1", b: "2" } } })).then(
      () => assert.fail("up should fail"),
      (e: unknown) => e,
    );
    const cause = err instanceof DeploymentError ? err.errorFor("hall") : err;
    assert.ok(cause instanceof HostCallError && cause.initFailure?.id === "hall", String(cause));
    assert.deepEqual(engine.get("hall").outputs.attributes, { a: { value: "1", autoDelete: false } });
    emu.zego.failKeys("hall", []);
    await engine.up(await decls(zego, { hall: { roomId: "hall", attributes: { a: "1", b: "2" } } }));
    assert.deepEqual(attrs("hall"), { a: "1", b: "2" });
    await engine.destroy();
    assert.equal(emu.zego.room("hall"), undefined);
    assertNoSecrets(emu, [...engine.transcript, ...host.output]);
  });
});

/** An emulator and a host configured with its credentials (secret-wrapped, as the engine sends them). */
async function startStack(options?: EmulatorOptions): Promise<{ emu: Emulator; host: ProviderHost; engine: Engine }> {
  const emu = await startEmulator(options);
  try {
    const host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
    await host.configure(emu.stackConfig(), SECRET_KEYS).catch(async (err: unknown) => {
      await host.stop();
      throw err;
    });
    return { emu, host, engine: new Engine(host) };
  } catch (err) {
    await emu.stop();
    throw err;
  }
}

function methods(engine: Engine, from: number, name: string): string[] {
  return engine.calls
    .slice(from)
    .filter((x) => x.urn.endsWith(`::${name}`))
    .map((x) => x.method);
}

function deleteBehind(c: VendorCase, emu: Emulator, id: string): boolean {
  return c.vendor === "tencent" ? emu.tencent.destroyRoom(id) : emu.zego.destroyRoom(id);
}

function totalRequests(emu: Emulator): number {
  return countRequests(emu.counters());
}

/** Sums every count in the emulator's counters (whatever their nesting). */
export function countRequests(counters: unknown): number {
  if (typeof counters === "number") return counters;
  if (counters === null || typeof counters !== "object") return 0;
  return Object.values(counters).reduce((sum: number, v) => sum + countRequests(v), 0);
}
