/**
 * The ZegoRoom resource under `pulumi.runtime.setMocks`: what a program registers, and the serialized
 * `__provider` shim (small, constant, a run-time require, no secret: see provider/zego/resource.ts).
 */
import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { scopeHash } from "../../../provider/core/naming";
import { ZegoRoom } from "../../../provider/zego/resource";
import { runProgram } from "../../support/program";
import { outputValue, registerMocked } from "../../support/mocked-resource";

const SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

describe("ZegoRoom resource", () => {
  it("registers pulumi-nodejs:dynamic/rooms:ZegoRoom with a thin, constant, secret-free shim", async () => {
    const { registrations } = await runProgram(
      () => {
        new ZegoRoom("lobby", {
          roomName: "Lobby",
          destroyDelayTime: 3600,
          attributes: { topic: "welcome", k2: { value: "v2", autoDelete: true } },
        });
        new ZegoRoom("second", { roomId: "Room-2", fromUserId: "User1" });
      },
      {
        config: { "zego:appId": "1900000001", "zego:serverSecret": SECRET, "zego:fromUserId": "admin" },
        secretKeys: ["zego:serverSecret"],
      },
    );
    assert.equal(registrations.length, 2);
    const lobby = registrations.find((r) => r.name === "lobby");
    const second = registrations.find((r) => r.name === "second");
    assert.ok(lobby && second);
    for (const r of registrations) assert.equal(r.type, "pulumi-nodejs:dynamic/rooms:ZegoRoom");

    // roomId defaults to the resource name plus the stack-scoped hash, marked as derived; outputs are not inputs.
    assert.deepEqual(lobby.inputs, {
      roomId: `lobby-${scopeHash("rooms-test", "test", "lobby")}`,
      roomIdSource: "name",
      roomName: "Lobby",
      destroyDelayTime: 3600,
      attributes: { topic: "welcome", k2: { value: "v2", autoDelete: true } },
    });
    assert.deepEqual(second.inputs, { roomId: "Room-2", fromUserId: "User1" });

    const shim = lobby.provider ?? assert.fail("no __provider");
    assert.ok(Buffer.byteLength(shim) < 2048, `__provider is ${Buffer.byteLength(shim)} bytes`);
    assert.ok(shim.includes('require("pulumi-rooms/zego")'), shim);
    assert.equal(second.provider, shim);
    assert.equal(lobby.providerWasSecret, false);
    assert.ok(!shim.includes(SECRET));
    assert.doesNotMatch(shim, /serverSecret|Signature|md5|undici|zod/);
  });
});

describe("ZegoRoom outputs", () => {
  it("exposes every output even when its input is omitted, sending only declared inputs", async () => {
    const { resource: room, inputs } = await registerMocked(() => new ZegoRoom("omitted"), {
      attributes: { k: { value: "v", autoDelete: false } },
      attributeSeq: 1,
      userCount: 2,
    });
    for (const key of [
      "roomId",
      "roomName",
      "fromUserId",
      "destroyDelayTime",
      "attributes",
      "attributeSeq",
      "userCount",
    ] as const) {
      assert.ok(pulumi.Output.isInstance(room[key]), `${key} is not an Output`);
    }
    assert.equal(await outputValue(room.userCount), 2);
    assert.deepEqual(await outputValue(room.attributes), { k: { value: "v", autoDelete: false } });
    assert.deepEqual(
      Object.keys(inputs).filter((k) => k !== "__provider"),
      ["roomId", "roomIdSource"],
    );
  });
  it("auto-names same-named rooms under parents of different types apart (their URNs differ), and a room parented to the stack like a top-level one", async () => {
    const { registrations } = await runProgram(
      () => {
        class Team extends pulumi.ComponentResource {
          constructor(type: string, name: string) {
            super(type, name);
            new ZegoRoom("room", {}, { parent: this });
          }
        }
        new Team("acme:index:Sales", "sales");
        new Team("acme:index:Support", "support");
      },
      { config: { "zego:appId": "1900000001", "zego:serverSecret": SECRET } },
    );
    const ids = registrations.filter((r) => r.name === "room").map((r) => r.inputs.roomId);
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1], "two resources of one stack would share (and adopt, and destroy) one room");
    assert.deepEqual(
      new Set(ids),
      new Set([
        `room-${scopeHash("rooms-test", "test", "acme:index:Sales$room")}`,
        `room-${scopeHash("rooms-test", "test", "acme:index:Support$room")}`,
      ]),
    );
  });
});
