/**
 * The program tested offline: `npm test` (and the workflow's `test` job on every pull request) deploys it
 * with pulumi-rooms/local, the package's local engine: the real program in Pulumi's Node.js runtime against
 * a local emulator of both vendor APIs. No Pulumi CLI, no credentials, no network. The stack is "test"
 * (settings in Pulumi.test.yaml); its state goes to a temporary folder, so every run starts empty.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { LocalWorkspace, type LocalStack } from "pulumi-rooms/local";

/** The project folder (this file runs as bin/test/rooms.test.js). */
const PROJECT = path.resolve(__dirname, "..", "..");

/** Changes other than "same" in a change summary. */
const changed = (counts: Partial<Record<string, number>>) =>
  Object.fromEntries(Object.entries(counts).filter(([op, n]) => op !== "same" && n));

describe("rooms-gitops", () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-gitops-test-"));
  let stack: LocalStack;

  before(async () => {
    stack = await LocalWorkspace.createOrSelectStack({ workDir: PROJECT, stackName: "test", stateDir });
  });

  after(async () => {
    await stack?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it("preview plans only creates, needing no credentials", async () => {
    const preview = await stack.preview();
    const plan = changed(preview.changeSummary);
    assert.deepEqual(Object.keys(plan), ["create"]);
    // The stack, the all-hands, the support lobby, the series and its two rooms in the window.
    assert.ok((plan.create ?? 0) >= 5, `creates ${plan.create}`);
  });

  it("up creates every declared room at the emulator, as declared", async () => {
    const up = await stack.up();
    assert.equal(up.summary.result, "succeeded");
    const emulator = await stack.emulator();

    const allHands = emulator.tencent.rooms().find((r) => r.RoomId === up.outputs.allHandsRoomId?.value);
    assert.ok(allHands, "the all-hands room exists");
    assert.equal(allHands.RoomName, "All hands");
    assert.equal(allHands.Owner_Account, "ceo");
    assert.equal(allHands.MaxMemberCount, 300);
    assert.equal(allHands.ScheduleStartTime, Date.parse("2027-03-05T16:00:00Z") / 1000);
    assert.deepEqual([...allHands.Invitees].sort(), ["cfo", "cto", "head-of-people"]);

    const lobby = emulator.zego.rooms().find((r) => r.roomId === up.outputs.supportLobbyRoomId?.value);
    assert.ok(lobby, "the support lobby exists");
    assert.equal(lobby.destroyDelayTime, 10800);
    assert.deepEqual(Object.fromEntries(lobby.attributes.map((a) => [a.key, a.value])), {
      queue: "open",
      hours: "09:00-18:00 UTC",
    });

    // Office hours on Tuesdays at 15:00 Berlin time (14:00 UTC in March), the two in the window of 2027-03-01.
    const officeHours = emulator.tencent.rooms().filter((r) => r.RoomName === "Office hours");
    assert.deepEqual(officeHours.map((r) => new Date(r.ScheduleStartTime * 1000).toISOString()).sort(), [
      "2027-03-02T14:00:00.000Z",
      "2027-03-09T14:00:00.000Z",
    ]);
    assert.match(String(up.outputs.officeHoursCalendar?.value), /RRULE:FREQ=WEEKLY;BYDAY=TU/);
  });

  it("a second up changes nothing", async () => {
    const again = await stack.up();
    assert.deepEqual(changed(again.summary.resourceChanges ?? {}), {});
  });
});
