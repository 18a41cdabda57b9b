/**
 * The providers' input check as the package exports it for unit tests under mocks (provider/check-inputs.ts):
 * the same normalised inputs and the same failures as each provider's `check` hook, as a typed error;
 * called from a mock's `newResource`, it catches what mocks alone let through (byte limits) and lets a
 * preview's unknown values pass.
 */
import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import {
  checkRoomInputs,
  checkTencentRoomInputs,
  checkZegoRoomInputs,
  MeetingSeries,
  RoomInputsError,
  RoomsError,
  ROOM_TYPES,
  TencentRoom,
  ZegoRoom,
} from "../../../provider";
import { provider as tencentProvider } from "../../../provider/tencent/provider";
import { provider as zegoProvider } from "../../../provider/zego/provider";

/** 09:00 in Berlin (CEST) on 3 May 2027, Unix seconds. */
const START = Date.UTC(2027, 4, 3, 7, 0) / 1000;

/** The error a call throws (fails the test when it returns). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return assert.fail("expected a RoomInputsError");
}

describe("unit: the input check exported for mocks", function () {
  it("returns a TencentRoom's inputs normalised exactly as the provider's check does", async function () {
    const news = {
      roomId: "standup",
      roomName: "Stand-up",
      scheduleStartTime: "2027-05-03T09:00:00+02:00",
      scheduleInvitees: ["ben", "ana"],
    };
    const inputs = checkTencentRoomInputs(news);
    assert.deepEqual(inputs, (await tencentProvider.check({}, news)).inputs);
    assert.equal(inputs.scheduleStartTime, START);
    assert.equal(inputs.scheduleEndTime, START + 3600, "the documented default: one hour");
    assert.deepEqual(inputs.scheduleInvitees, ["ana", "ben"]);
  });

  it("refuses bad TencentRoom inputs with every failure the provider reports, property paths included", async function () {
    const news = {
      roomId: "standup",
      roomName: "会".repeat(34),
      roomNmae: "typo",
      scheduleStartTime: "2027-05-03T09:00:00Z",
      scheduleEndTime: "2027-05-03T08:00:00Z",
      scheduleInvitees: ["ana", "ana"],
    };
    const error = thrown(() => checkTencentRoomInputs(news, "standup"));
    assert.ok(error instanceof RoomInputsError && error instanceof RoomsError);
    assert.equal(error.code, "INPUTS_INVALID");
    assert.equal(error.resource, "TencentRoom");
    const expected = (await tencentProvider.check({}, news)).failures ?? [];
    assert.ok(expected.length >= 4, JSON.stringify(expected));
    assert.deepEqual(error.failures, expected);
    assert.deepEqual([...new Set(error.failures.map((f) => f.property))].sort(), [
      "roomName",
      "roomNmae",
      "scheduleEndTime",
      "scheduleInvitees",
    ]);
    const lines = error.message.split("\n");
    assert.equal(lines[0], 'TencentRoom "standup" inputs are invalid:');
    assert.ok(
      lines.includes("  - roomName: roomName must be at most 100 bytes (UTF-8), got 102 bytes (34 characters)"),
      lines.join("\n"),
    );
  });

  it("refuses bad ZegoRoom inputs as the provider does, naming an input of the other resource", async function () {
    const news = { roomId: "lobby", maxMemberCount: 5, attributes: { "a-very-long-attribute-key": "x" } };
    const error = thrown(() => checkZegoRoomInputs(news));
    assert.ok(error instanceof RoomInputsError);
    assert.equal(error.resource, "ZegoRoom");
    assert.deepEqual(error.failures, (await zegoProvider.check({}, news)).failures);
    assert.match(error.message, /^ZegoRoom inputs are invalid:\n/);
    assert.match(error.message, /- maxMemberCount: .*TencentRoom/);
    assert.match(error.message, /- attributes\["a-very-long-attribute-key"\]: /);
  });

  it("under setMocks: checks every room a program declares (MeetingSeries' included), secrets unwrapped", async function () {
    const refused: RoomInputsError[] = [];
    const checked: string[] = [];
    // The series' window is planned as of this day (the config MeetingSeries reads).
    pulumi.runtime.setAllConfig({ "pulumi-rooms:asOf": "2027-05-01" });
    await pulumi.runtime.setMocks(
      {
        newResource(args) {
          const given = args.inputs as Record<string, unknown>;
          try {
            const inputs = checkRoomInputs(args);
            if (inputs) checked.push(`${args.type.split(":").pop()}/${args.name}`);
            return { id: `${args.name}-id`, state: { ...given, ...inputs } };
          } catch (error) {
            if (!(error instanceof RoomInputsError)) throw error;
            refused.push(error);
            return { id: `${args.name}-id`, state: given };
          }
        },
        call: (args) => args.inputs as Record<string, unknown>,
      },
      "rooms-test",
      "test",
      false,
    );
    const standup = new TencentRoom("standup", { roomName: "Stand-up", customInfo: pulumi.secret("é".repeat(251)) });
    const lobby = new ZegoRoom("lobby", { roomName: "Lobby", attributes: { topic: "welcome" } });
    const series = new MeetingSeries("weekly", {
      recurrence: "FREQ=WEEKLY;COUNT=2",
      startsAt: "2027-05-03T09:00",
      timeZone: "Europe/Berlin",
      duration: "30m",
      room: { roomName: "Weekly", ownerAccount: "owner-1" },
    });
    await new Promise((resolve) => pulumi.all([standup.urn, lobby.urn, series.occurrences]).apply(resolve));
    pulumi.runtime.setAllConfig({});
    assert.deepEqual(checked.sort(), [
      "TencentRoom/weekly-2027-05-03T0900",
      "TencentRoom/weekly-2027-05-10T0900",
      "ZegoRoom/lobby",
    ]);
    assert.deepEqual(
      refused.map((e) => [e.resourceName, e.failures.map((f) => f.property)]),
      [["standup", ["customInfo"]]],
      "502 bytes of secret customInfo: refused, though the value travelled secret-wrapped",
    );
  });

  it("lets a preview's unknown values through, handing them back unknown", async function () {
    const unknown = await new Promise<unknown>((resolve) => {
      void pulumi.runtime
        .setMocks(
          {
            newResource(args) {
              if (args.name === "mirror") resolve((checkRoomInputs(args) as { roomName?: unknown }).roomName);
              return { id: undefined, state: args.inputs as Record<string, unknown> };
            },
            call: (args) => args.inputs as Record<string, unknown>,
          },
          "rooms-test",
          "test",
          true,
        )
        .then(() => {
          const source = new TencentRoom("source", { roomName: "Source" });
          new ZegoRoom("mirror", { roomName: source.roomStatus });
        });
    });
    assert.equal(pulumi.isUnknown(unknown), true);
  });

  it("knows the room type tokens and leaves other resources alone", function () {
    assert.deepEqual(ROOM_TYPES, {
      TencentRoom: "pulumi-nodejs:dynamic/rooms:TencentRoom",
      ZegoRoom: "pulumi-nodejs:dynamic/rooms:ZegoRoom",
    });
    assert.equal(checkRoomInputs({ type: "aws:s3/bucket:Bucket", name: "b", inputs: { bucket: 1 } }), undefined);
  });
});
