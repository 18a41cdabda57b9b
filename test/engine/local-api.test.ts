/**
 * The programmatic API, `pulumi-rooms/local` (engine/local.ts), on a fixture program (test/fixtures/api-rooms):
 * a stack opened from a subfolder, preview, up (counts, outputs, the rooms in the stack's emulator with
 * their fields), a no-change up, an edit, a check failure as a typed error, a cancelled up, refresh after a
 * change behind the program's back, export, destroy and close. One stack, one emulator, in order.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import {
  LocalWorkspace,
  OperationCancelledError,
  OperationFailedError,
  ProjectError,
  RoomsError,
  StackClosedError,
  UsageError,
  type Emulator,
  type LocalStack,
} from "../../engine/local";
import { REPO, Workspace } from "../support/local-engine";

const FIXTURE = path.join(REPO, "test", "fixtures", "api-rooms");
/** The fixture's schedule: 09:00-09:15 in Berlin (CEST) on 3 May 2027, as Unix seconds. */
const START = Date.UTC(2027, 4, 3, 7, 0) / 1000;

describe("pulumi-rooms/local: a program through the programmatic API", function () {
  this.timeout(300_000);
  const ws = new Workspace(FIXTURE);
  let stack: LocalStack;
  let emu: Emulator;

  before(async function () {
    // A subfolder of the project: the project is found upward, as the CLI finds it.
    fs.mkdirSync(path.join(ws.dir, "test"), { recursive: true });
    stack = await LocalWorkspace.createOrSelectStack({ workDir: path.join(ws.dir, "test"), stackName: "test" });
  });

  after(async function () {
    await stack?.close();
    ws.remove();
  });

  it("opens the stack at the project's root, its state where pulumi-rooms-local keeps it", function () {
    assert.equal(stack.name, "test");
    assert.equal(stack.workDir, ws.dir);
    assert.equal(stack.stateDir, ws.stateDir);
  });

  it("refuses a folder outside any project and a name that is not a stack name, with typed errors", async function () {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-api-"));
    try {
      await assert.rejects(
        LocalWorkspace.createOrSelectStack({ workDir: outside }),
        (e: unknown) => e instanceof ProjectError && e instanceof RoomsError && /no Pulumi\.yaml/.test(e.message),
      );
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
    await assert.rejects(
      LocalWorkspace.createOrSelectStack({ workDir: ws.dir, stackName: "my stack" }),
      (e: unknown) => e instanceof UsageError && e.code === "USAGE",
    );
  });

  it("preview: what up would do, counted, with every step", async function () {
    const preview = await stack.preview();
    assert.deepEqual(preview.changeSummary, { create: 3 });
    assert.deepEqual(preview.steps.map((s) => [s.name, s.op]).sort(), [
      ["api-rooms-test", "create"],
      ["lobby", "create"],
      ["standup", "create"],
    ]);
    assert.match(preview.stdout, /^Previewing update \(test\) of api-rooms/);
    assert.equal(preview.stderr, "");
  });

  it("up: the change summary, the outputs (secret flagged), the report, the rooms in the stack's emulator", async function () {
    const seen: string[] = [];
    const up = await stack.up({ onOutput: (line) => seen.push(line) });
    assert.equal(up.summary.kind, "update");
    assert.equal(up.summary.result, "succeeded");
    assert.deepEqual(up.summary.resourceChanges, { create: 3 });
    assert.ok(up.summary.endTime >= up.summary.startTime);
    assert.deepEqual(up.outputs, {
      standupId: { value: "api-standup", secret: false },
      standupStatus: { value: "NotStarted", secret: false },
      lobbyAttributeSeq: { value: 1, secret: false },
      dialIn: { value: "dial-in 1234", secret: true },
    });
    assert.equal(up.stdout, `${seen.join("\n")}\n`, "onOutput received every report line");
    assert.match(up.stdout, /Resources:\n {4}\+ 3 created/);
    assert.doesNotMatch(up.stdout, /dial-in 1234/, "the report never prints a secret");

    emu = await stack.emulator();
    assert.equal(await stack.emulator(), emu, "one emulator for the stack's life");
    const [standup, ...otherTencent] = emu.tencent.rooms();
    assert.deepEqual(otherTencent, []);
    assert.ok(standup);
    assert.equal(standup.RoomId, "api-standup");
    assert.equal(standup.RoomName, "Daily stand-up");
    assert.equal(standup.Owner_Account, "owner-1");
    assert.equal(standup.MaxMemberCount, 50);
    assert.equal(standup.ScheduleStartTime, START);
    assert.equal(standup.ScheduleEndTime, START + 15 * 60);
    assert.deepEqual(standup.Invitees, ["ana", "ben"]);
    assert.equal(standup.CustomInfo, "dial-in 1234");
    const [lobby, ...otherZego] = emu.zego.rooms();
    assert.deepEqual(otherZego, []);
    assert.ok(lobby);
    assert.equal(lobby.roomId, "api-lobby");
    assert.equal(lobby.roomName, "Support lobby");
    assert.equal(lobby.destroyDelayTime, 600);
    assert.equal(lobby.attributeSeq, 1);
    assert.deepEqual(
      lobby.attributes.map((a) => [a.key, a.value, a.autoDelete]),
      [["topic", "welcome", false]],
    );
  });

  it("a second up changes nothing, and the emulator between operations keeps serving", async function () {
    const before = emu.requests().at(-1)?.seq ?? 0;
    const again = await stack.up();
    assert.deepEqual(again.summary.resourceChanges, { same: 3 });
    assert.deepEqual(emu.requests(before), [], "no vendor request for an unchanged stack");
    assert.deepEqual(await stack.outputs(), again.outputs);
  });

  it("setConfig, getConfig and removeConfig edit Pulumi.<stack>.yaml as pulumi config does", async function () {
    await stack.setConfig("api-rooms:pin", { value: "4242", secret: true });
    await stack.setConfig("note", { value: "plain" });
    assert.deepEqual(await stack.getConfig("pin"), { value: "4242", secret: true });
    assert.deepEqual(await stack.getConfig("api-rooms:note"), { value: "plain", secret: false });
    const file = fs.readFileSync(path.join(ws.dir, "Pulumi.test.yaml"), "utf8");
    assert.match(file, /api-rooms:pin:\n\s+secure: v1:/);
    assert.doesNotMatch(file, /4242/);
    await assert.rejects(
      stack.setConfig("tencent:sdkAppID", { value: "1" }),
      (e: unknown) => e instanceof UsageError && /tencent:sdkAppId/.test(e.message),
    );
    assert.equal(await stack.removeConfig("pin"), true);
    assert.equal(await stack.removeConfig("pin"), false);
    assert.equal(await stack.getConfig("pin"), undefined);
    assert.equal(await stack.removeConfig("note"), true);
  });

  it("an edit (a config value set through the API): only the changed room is updated, in place", async function () {
    await stack.setConfig("topic", { value: "release" });
    const up = await stack.up();
    assert.deepEqual(up.summary.resourceChanges, { same: 2, update: 1 });
    assert.deepEqual(
      up.steps.filter((s) => s.op === "update").map((s) => [s.name, s.type]),
      [["lobby", "pulumi-nodejs:dynamic/rooms:ZegoRoom"]],
    );
    const lobby = emu.zego.room("api-lobby");
    assert.equal(lobby?.attributes.find((a) => a.key === "topic")?.value, "release");
    assert.equal(lobby?.attributeSeq, 2);
    assert.equal(up.outputs.lobbyAttributeSeq?.value, 2);
  });

  it("a failure rejects with OperationFailedError: the report of what failed, the result attached", async function () {
    ws.config({ topic: "release", tooLong: true });
    const error = await stack.up().then(
      () => assert.fail("up should reject"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OperationFailedError && error instanceof RoomsError);
    assert.equal(error.code, "OPERATION_FAILED");
    assert.equal(error.operation, "up");
    const lines = error.message.split("\n");
    assert.equal(lines[0], "up failed:");
    assert.match(lines[1] ?? "", /^ {2}~ pulumi-nodejs:dynamic\/rooms:TencentRoom standup \*\*update failed\*\*/);
    assert.equal(lines[2], "    error: roomName: roomName must be at most 100 bytes (UTF-8), got 101 bytes");
    assert.match(lines.at(-1) ?? "", /^error: up failed/);
    assert.ok("summary" in error.result);
    assert.equal(error.result.summary.result, "failed");
    assert.deepEqual(error.result.summary.resourceChanges, { same: 2 }, "the refused step is not counted");
    assert.deepEqual(
      error.result.steps.find((s) => s.name === "standup")?.failures?.map((f) => f.property),
      ["roomName"],
    );
    assert.equal(emu.tencent.room("api-standup")?.RoomName, "Daily stand-up", "nothing changed at the vendor");
    ws.config({ topic: "release" });
  });

  it("an aborted signal cancels: OperationCancelledError, nothing run", async function () {
    const error = await stack.up({ signal: AbortSignal.abort("test over") }).then(
      () => assert.fail("up should reject"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OperationCancelledError && error instanceof OperationFailedError);
    assert.equal(error.code, "OPERATION_CANCELLED");
    assert.equal(error.reason, "test over");
    assert.match(error.message, /error: update cancelled \(test over\)/);
    assert.deepEqual(error.result.steps, []);
  });

  it("refresh reads a change made behind the program's back; export holds it, secrets as ciphertext", async function () {
    emu.tencent.mutateRoom("api-standup", { RoomName: "Renamed by hand" });
    const refresh = await stack.refresh();
    assert.equal(refresh.summary.kind, "refresh");
    assert.deepEqual(refresh.summary.resourceChanges, { same: 1, update: 1 });
    const exported = await stack.exportStack();
    assert.equal(exported.version, 3);
    const standup = exported.deployment.resources?.find((r) => r.id === "api-standup");
    assert.equal(standup?.outputs?.roomName, "Renamed by hand");
    assert.doesNotMatch(JSON.stringify(exported), /dial-in 1234/);
  });

  it("destroy leaves the emulator empty and the stack without outputs", async function () {
    const destroy = await stack.destroy();
    assert.equal(destroy.summary.kind, "destroy");
    assert.deepEqual(destroy.summary.resourceChanges, { delete: 3 });
    assert.deepEqual(emu.tencent.rooms(), []);
    assert.deepEqual(emu.zego.rooms(), []);
    assert.deepEqual(await stack.outputs(), {});
  });

  it("close stops the emulator and releases its state file; twice is fine; a closed stack refuses work", async function () {
    await stack.close();
    await stack.close();
    await assert.rejects(fetch(`${emu.url}/_emulator/state`));
    await assert.rejects(stack.up(), (e: unknown) => e instanceof StackClosedError && e.code === "STACK_CLOSED");
    await assert.rejects(stack.emulator(), StackClosedError);
    const next = await startEmulator({ port: 0, stateFile: path.join(stack.stateDir, "emulator.json") });
    await next.stop();
  });
});
