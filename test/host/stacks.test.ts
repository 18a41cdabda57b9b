/**
 * Auto-naming through the real dynamic-provider host: two stacks of one project on one vendor app (the
 * common dev + prod set-up), each declaring `TencentRoom("standup")` and `ZegoRoom("lobby")` without room
 * IDs, deploy, update and destroy independently. Before auto-naming both stacks mapped to the same rooms,
 * so dev's create adopted prod's room and dev's destroy deleted it. Programs run under mocks with the
 * project and stack names, as `pulumi up` runs them; each stack has its own engine state and host process.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { TencentRoom, ZegoRoom } from "pulumi-rooms";
import { startEmulator, type Emulator } from "../../emulator";
import { declared, DeploymentError, Engine, type Declared } from "../support/engine";
import { ProviderHost } from "../support/host";
import { runProgram } from "../support/program";

const REPO = path.resolve(__dirname, "../..");
const PROJECT = "rooms-stacks-test";
const SECRET_KEYS = ["tencent:secretKey", "zego:serverSecret"];

/** The program both stacks run: the same resource names, a per-stack topic. */
async function program(stack: string, topic: string, extra?: () => void): Promise<Declared[]> {
  const run = await runProgram(
    () => {
      new TencentRoom("standup", { roomName: `Stand-up (${stack})`, ownerAccount: "user2", customInfo: topic });
      new ZegoRoom("lobby", { roomName: "Lobby", attributes: { topic } });
      extra?.();
    },
    { project: PROJECT, stack },
  );
  return declared(run.registrations);
}

describe("host: two stacks of one project on one app (auto-named room IDs)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  const hosts: ProviderHost[] = [];
  const engines: Record<"dev" | "prod", Engine> = {} as Record<"dev" | "prod", Engine>;

  before(async function () {
    emu = await startEmulator();
    for (const stack of ["dev", "prod"] as const) {
      const host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
      hosts.push(host);
      await host.configure(emu.stackConfig(), SECRET_KEYS);
      engines[stack] = new Engine(host);
    }
  });

  after(async function () {
    for (const host of hosts) await host.stop();
    await emu?.stop();
  });

  const ids = (stack: "dev" | "prod") => ({
    standup: engines[stack].get("standup").id,
    lobby: engines[stack].get("lobby").id,
  });

  it("preview shows each stack its own room IDs, before anything exists", async function () {
    const steps = await engines.dev.preview(await program("dev", "dev-1"));
    assert.deepEqual(
      steps.map((s) => [s.op, s.failures]),
      [
        ["create", undefined],
        ["create", undefined],
      ],
    );
    assert.equal(emu.tencent.rooms().length + emu.zego.rooms().length, 0);
    const standupId = async (stack: string, topic: string) =>
      (await program(stack, topic)).find((d) => d.urn.endsWith("::standup"))?.inputs.roomId;
    const devId = await standupId("dev", "dev-1");
    const prodId = await standupId("prod", "prod-1");
    assert.match(String(devId), /^standup-[0-9a-f]{8}$/);
    assert.match(String(prodId), /^standup-[0-9a-f]{8}$/);
    assert.notEqual(devId, prodId);
    assert.equal(devId, await standupId("dev", "other topic"), "stable across runs of one stack");
  });

  it("both stacks deploy: four rooms, none shared", async function () {
    await engines.dev.up(await program("dev", "dev-1"));
    await engines.prod.up(await program("prod", "prod-1"));
    const dev = ids("dev");
    const prod = ids("prod");
    assert.notEqual(dev.standup, prod.standup);
    assert.notEqual(dev.lobby, prod.lobby);
    assert.equal(emu.tencent.rooms().length, 2);
    assert.equal(emu.zego.rooms().length, 2);
    assert.equal(emu.tencent.room(dev.standup)?.CustomInfo, "dev-1");
    assert.equal(emu.tencent.room(prod.standup)?.CustomInfo, "prod-1");
    assert.equal(
      emu.tencent.room(prod.standup)?.RoomName,
      "Stand-up (prod)",
      "dev's create did not adopt and rename prod's room",
    );
  });

  it("an update of dev changes only dev's rooms; prod's refresh finds no drift", async function () {
    await engines.dev.up(await program("dev", "dev-2"));
    const dev = ids("dev");
    const prod = ids("prod");
    assert.equal(emu.tencent.room(dev.standup)?.CustomInfo, "dev-2");
    assert.equal(emu.zego.room(dev.lobby)?.attributes.find((a) => a.key === "topic")?.value, "dev-2");
    assert.equal(emu.tencent.room(prod.standup)?.CustomInfo, "prod-1");
    assert.equal(emu.zego.room(prod.lobby)?.attributes.find((a) => a.key === "topic")?.value, "prod-1");
    assert.deepEqual(
      (await engines.prod.refresh()).map((s) => s.op),
      ["refresh-same", "refresh-same"],
    );
    assert.deepEqual(
      (await engines.prod.preview(await program("prod", "prod-1"))).map((s) => s.op),
      ["same", "same"],
    );
  });

  it("destroying dev leaves prod's rooms; prod then destroys its own", async function () {
    const dev = ids("dev");
    const prod = ids("prod");
    await engines.dev.destroy();
    assert.equal(emu.tencent.room(dev.standup), undefined);
    assert.equal(emu.zego.room(dev.lobby), undefined);
    assert.ok(emu.tencent.room(prod.standup));
    assert.ok(emu.zego.room(prod.lobby));
    assert.deepEqual(
      (await engines.prod.refresh()).map((s) => s.op),
      ["refresh-same", "refresh-same"],
      "prod's refresh drops nothing",
    );
    await engines.prod.destroy();
    assert.equal(emu.tencent.rooms().length, 0);
    assert.equal(emu.zego.rooms().length, 0);
  });

  it("a resource name that cannot make a ZEGO room ID fails check against the resource, naming the characters", async function () {
    const decls = await program("dev", "dev-1", () => new ZegoRoom("team/lobby-é", {}));
    const err = await engines.dev.up(decls).then(
      () => assert.fail("up should fail"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof DeploymentError, String(err));
    const step = err.steps.find((s) => s.urn.endsWith("::team/lobby-é"));
    assert.equal(step?.failures?.length, 1, JSON.stringify(step));
    const [failure] = step?.failures ?? [];
    // No property: the engine prints it as "<type> resource 'team/lobby-é' has a problem: ...".
    assert.equal(failure?.property, "");
    assert.match(
      failure?.reason ?? "",
      /^the resource name "team\/lobby-é" cannot make a ZEGO room ID: it holds "\/", "é", which ZEGO room IDs cannot hold/,
    );
    assert.match(failure?.reason ?? "", /rename the resource, or declare roomId$/);
    assert.equal(
      emu.zego.rooms().some((r) => r.roomId.startsWith("team/")),
      false,
    );
    await engines.dev.destroy();
  });
});
