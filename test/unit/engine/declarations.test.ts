/**
 * Which rooms a stack's state holds, for the console (engine/declarations.ts): TencentRoom and ZegoRoom
 * resources with an id, each with its URN; the stack, components, providers and other types are left out.
 * That the type tokens are the ones a real program registers is test/engine/console.test.ts's.
 */
import { strict as assert } from "node:assert";
import { roomDeclarations } from "../../../engine/declarations";
import { emptyStack, type ResourceState } from "../../../engine/state";

const urn = (type: string, name: string) => `urn:pulumi:dev::rooms::${type}::${name}`;
const TENCENT = "pulumi-nodejs:dynamic/rooms:TencentRoom";
const ZEGO = "pulumi-nodejs:dynamic/rooms:ZegoRoom";

describe("engine: room declarations for the console", function () {
  it("lists each TencentRoom and ZegoRoom with an id, in URN order, and nothing else", function () {
    const state = emptyStack();
    const add = (r: Omit<ResourceState, "inputs" | "outputs">) =>
      state.resources.set(r.urn, { inputs: {}, outputs: {}, ...r });
    add({ urn: urn("pulumi:pulumi:Stack", "rooms-dev"), type: "pulumi:pulumi:Stack", id: "" });
    add({
      urn: urn("pulumi:providers:pulumi-nodejs", "default"),
      type: "pulumi:providers:pulumi-nodejs",
      id: "p",
      custom: true,
    });
    add({
      urn: urn(`pulumi-rooms:index:MeetingSeries$${TENCENT}`, "standup-2027-03-01T0900"),
      type: TENCENT,
      id: "standup-1a2b3c-20270301-0900",
      custom: true,
    });
    add({ urn: urn(ZEGO, "lobby"), type: ZEGO, id: "lobby", custom: true });
    add({ urn: urn(TENCENT, "all-hands"), type: TENCENT, id: "all-hands", custom: true });
    add({ urn: urn(TENCENT, "not-created"), type: TENCENT, id: "", custom: true });
    add({ urn: urn("pulumi-rooms:index:MeetingSeries", "standup"), type: "pulumi-rooms:index:MeetingSeries", id: "" });
    add({
      urn: urn("pulumi-nodejs:dynamic:Resource", "other"),
      type: "pulumi-nodejs:dynamic:Resource",
      id: "x",
      custom: true,
    });
    assert.deepEqual(roomDeclarations(state), [
      { vendor: "tencent", roomId: "all-hands", urn: urn(TENCENT, "all-hands") },
      { vendor: "zego", roomId: "lobby", urn: urn(ZEGO, "lobby") },
      {
        vendor: "tencent",
        roomId: "standup-1a2b3c-20270301-0900",
        urn: urn(`pulumi-rooms:index:MeetingSeries$${TENCENT}`, "standup-2027-03-01T0900"),
      },
    ]);
    assert.deepEqual(roomDeclarations(emptyStack()), []);
  });
});
