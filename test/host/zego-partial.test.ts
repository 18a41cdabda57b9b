/**
 * ZegoRoom's partial attribute failure through the real dynamic-provider host over gRPC (ErrorResourceInitFailed):
 * an unregistered operator, an update that stops half way, and a create that adopts an existing room.
 */
import { strict as assert } from "node:assert";
import { ZegoRoom } from "pulumi-rooms";
import { type Emulator } from "../../emulator";
import { DeploymentError, Engine } from "../support/engine";
import { HostCallError, ProviderHost } from "../support/host";
import { zegoCase } from "../support/vendors";
import { zegoPost } from "../support/zego-raw";
import { assertNoSecrets, decls, startStack } from "../support/host-rooms";

describe("host lifecycle: ZegoRoom partial attribute failure (ErrorResourceInitFailed)", function () {
  let emu: Emulator;
  let host: ProviderHost;
  let engine: Engine;
  const zego = zegoCase((name, args) => new ZegoRoom(name, args));
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
    assert.equal(
      emu.zego.users().some((u) => u.userId === fromUserId),
      false,
      "a fresh app knows no users",
    );
    emu.resetCounters();
    const steps = await engine.up(await decls(zego, { fresh: { roomId: "fresh-app-room", attributes: { a: "1" } } }));
    assert.deepEqual(
      steps.map((x) => x.op),
      ["create"],
    );
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
    const err = await engine
      .up(await decls(zego, { lobby: { roomId: "lobby", attributes: { a: "2", b: "new" } } }))
      .then(
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
    assert.deepEqual(
      steps.map((x) => x.op),
      ["update"],
    );
    assert.deepEqual(attrs("lobby"), { a: "2", b: "new" });
    assert.equal(engine.get("lobby").initErrors, undefined);
    assert.deepEqual(
      (await engine.refresh()).map((x) => x.op),
      ["refresh-same"],
    );
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
