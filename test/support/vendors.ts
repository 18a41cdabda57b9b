/**
 * The two room types described once for the host tests: how a program declares one, what an in-place
 * change, a same-ID replacement and a new-ID replacement look like, how to inspect and tamper with the
 * emulator's copy, and a vendor failure to provoke. The scenario tests run every sequence for each.
 */
import { strict as assert } from "node:assert";
import type { Emulator, EmulatorOptions } from "../../emulator";
import type { Props } from "./host";
import { zegoPost } from "./zego-raw";

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
  /** Changes the room behind Pulumi's back; refresh must then show it in input `input`. */
  drift: { apply(emu: Emulator, id: string): void; input: string; seen(value: unknown): void };
  /** Sets the emulator up so that creating `id` fails with the vendor error `code`; `cleanup` undoes it. */
  failure: { id: string; arrange(emu: Emulator): Promise<void> | void; cleanup?(emu: Emulator): void; code: string };
  /** Emulator options this vendor's scenario needs. */
  emulator?: EmulatorOptions;
  /** Inputs that fail check, and the property paths the failures must name. */
  invalid: { inputs: Props; properties: string[] };
  /** An input that is still unknown during preview, and what Diff then reports as replacing. */
  unknownInput: string;
  unknownReplaces: string[];
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
    replaceSameId: {
      change: { scheduleStartTime: "2027-03-01T09:30:00Z", scheduleEndTime: "2027-03-01T10:30:00Z" },
      replaces: ["scheduleStartTime", "scheduleEndTime"],
    },
    replaceNewId: { change: { roomId: "weekly-sync-2" }, newId: "weekly-sync-2" },
    remote: (emu, id) => emu.tencent.room(id),
    createdAt: (emu, id) => emu.tencent.room(id)?.CreateTime,
    drift: {
      apply: (emu, id) => emu.tencent.mutateRoom(id, { RoomName: "Renamed in the console" }),
      input: "roomName",
      seen: (value) => assert.equal(value, "Renamed in the console"),
    },
    failure: { id: "taken-by-chat", arrange: (emu) => emu.tencent.addChatGroup("taken-by-chat"), code: "100011" },
    invalid: {
      inputs: {
        roomName: "x".repeat(101),
        scheduleStartTime: "2027-03-01T09:00:00Z",
        scheduleEndTime: "2027-03-01T09:01:00Z",
        scheduleInvitees: ["a", "a"],
      },
      properties: ["roomName", "scheduleEndTime", "scheduleInvitees"],
    },
    unknownInput: "roomName",
    // RoomName is updated in place on Tencent.
    unknownReplaces: [],
  };
}

export function zegoCase(declare: (name: string, args: Props) => void): VendorCase {
  return {
    vendor: "zego",
    type: "pulumi-nodejs:dynamic/rooms:ZegoRoom",
    declare,
    base: {
      roomName: "Weekly sync",
      destroyDelayTime: 600,
      attributes: { topic: "welcome", stage: { value: "open", autoDelete: true } },
    },
    update: {
      change: { attributes: { topic: "agenda", stage: { value: "open", autoDelete: true }, extra: "1" } },
      landed(emu, id) {
        const attributes = emu.zego.room(id)?.attributes ?? [];
        assert.equal(attributes.find((a) => a.key === "topic")?.value, "agenda");
        assert.equal(attributes.find((a) => a.key === "extra")?.value, "1");
        assert.equal(attributes.find((a) => a.key === "stage")?.autoDelete, true);
      },
    },
    replaceSameId: { change: { destroyDelayTime: 1200 }, replaces: ["destroyDelayTime"] },
    replaceNewId: { change: { roomId: "weekly-sync-2" }, newId: "weekly-sync-2" },
    remote: (emu, id) => emu.zego.room(id),
    createdAt: (emu, id) => emu.zego.room(id)?.createdAt,
    drift: {
      apply: (emu, id) => void emu.zego.setAttribute(id, "topic", "changed by a client"),
      input: "attributes",
      seen: (value) => assert.equal((value as Record<string, { value: string }>).topic?.value, "changed by a client"),
    },
    // The app may hold two rooms; a room created outside the stack takes the second slot.
    emulator: { zego: { roomQuota: 2 } },
    failure: {
      id: "over-quota",
      async arrange(emu) {
        const { appId, serverSecret, fromUserId } = emu.credentials.zego;
        emu.zego.registerUser(fromUserId);
        const target = { baseUrl: emu.url, appId, serverSecret, nowSec: () => Math.floor(Date.now() / 1000) };
        const answer = await zegoPost(target, "CreateRoom", { FromUserId: fromUserId, RoomId: "squatter" });
        assert.equal(answer.body.Code, 0, JSON.stringify(answer.body));
      },
      cleanup: (emu) => void emu.zego.destroyRoom("squatter"),
      code: "660300015",
    },
    invalid: {
      inputs: {
        roomName: "x".repeat(65),
        destroyDelayTime: 20000,
        attributes: { averyveryverylongkey: "x", ok: { value: "y".repeat(1025) } },
      },
      properties: ["roomName", "destroyDelayTime", "attributes.averyveryverylongkey", "attributes.ok.value"],
    },
    unknownInput: "roomName",
    // No ZEGO call changes a room's name: an unknown one may force a replacement.
    unknownReplaces: ["roomName"],
  };
}
