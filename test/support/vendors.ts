/**
 * The two room types described once for the host tests: how a program declares one, what an in-place
 * change, a same-ID replacement and a new-ID replacement look like, how to inspect and tamper with the
 * emulator's copy, and a vendor failure to provoke. The scenario tests run every sequence for each.
 */
import { strict as assert } from "node:assert";
import type { Emulator } from "../../emulator";
import type { Props } from "./host";

export interface VendorCase {
  /** "tencent" | "zego": the config namespace and the shim's require target. */
  vendor: "tencent" | "zego";
  type: string;
  /** Declares one resource (run inside a program under mocks). */
  declare(name: string, args: Props): void;
  /** Inputs of a typical room. */
  base: Props;
  /** A change applied in place (DIFF_SOME, no replaces), and how to see it landed. */
  update: { change: Props; landed(emu: Emulator, id: string): void };
  /** A change that replaces the room while keeping its ID: replaces these fields, deleteBeforeReplace. */
  replaceSameId: { change: Props; replaces: string[] };
  /** A change that forces replacement by choosing a new ID. */
  replaceNewId: { change: Props; newId: string };
  /** The emulator's copy of a room (undefined when it does not exist). */
  remote(emu: Emulator, id: string): unknown;
  /** When the room was created, per the emulator (proves an update kept the room). */
  createdAt(emu: Emulator, id: string): number | undefined;
  /** Changes the room behind Pulumi's back; `input` names the input refresh should then show. */
  drift: { apply(emu: Emulator, id: string): void; input: string; value: unknown };
  /** Sets the emulator up so that creating `id` fails with a vendor error. */
  failure: { id: string; arrange(emu: Emulator): void; code: string };
  /** Inputs that fail check, and the property paths the failures must name. */
  invalid: { inputs: Props; properties: string[] };
  /** A config-free input value that is still unknown during preview. */
  unknownInput: string;
}

export function tencentCase(declare: (name: string, args: Props) => void): VendorCase {
  return {
    vendor: "tencent",
    type: "pulumi-nodejs:dynamic/rooms:TencentRoom",
    declare,
    base: {
      roomName: "Weekly sync",
      ownerAccount: "user2",
      maxMemberCount: 50,
      scheduleStartTime: "2027-03-01T09:00:00Z",
      scheduleEndTime: "2027-03-01T10:00:00Z",
      scheduleInvitees: ["user3", "user1"],
      customInfo: "v1",
    },
    update: {
      change: { customInfo: "v2", maxMemberCount: 80, isCloudRecordingDisabled: true },
      landed(emu, id) {
        const room = emu.tencent.room(id);
        assert.equal(room?.CustomInfo, "v2");
        assert.equal(room?.MaxMemberCount, 80);
        assert.equal(room?.IsCloudRecordingDisabled, true);
      },
    },
    replaceSameId: { change: { scheduleStartTime: "2027-03-01T09:30:00Z", scheduleEndTime: "2027-03-01T10:30:00Z" }, replaces: ["scheduleStartTime", "scheduleEndTime"] },
    replaceNewId: { change: { roomId: "weekly-sync-2" }, newId: "weekly-sync-2" },
    remote: (emu, id) => emu.tencent.room(id),
    createdAt: (emu, id) => emu.tencent.room(id)?.CreateTime,
    drift: {
      apply: (emu, id) => emu.tencent.mutateRoom(id, { RoomName: "Renamed in the console" }),
      input: "roomName",
      value: "Renamed in the console",
    },
    failure: { id: "taken-by-chat", arrange: (emu) => emu.tencent.addChatGroup("taken-by-chat"), code: "100011" },
    invalid: {
      inputs: { roomName: "x".repeat(101), scheduleStartTime: "2027-03-01T09:00:00Z", scheduleEndTime: "2027-03-01T09:01:00Z", scheduleInvitees: ["a", "a"] },
      properties: ["roomName", "scheduleEndTime", "scheduleInvitees"],
    },
    unknownInput: "roomName",
  };
}
