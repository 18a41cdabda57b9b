/**
 * ZegoRoom check and diff (pure: a provider that was never configured, so no credentials and no network)
 * and the request signature (the Go sample's test vector on
 * https://www.zegocloud.com/docs/zim-server/accessing-server-apis).
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../../provider/core/check";
import { commonParams, zegoSignature } from "../../../provider/zego/signature";
import { ZegoRoomProvider } from "../../../provider/zego/provider";
import type { ZegoRoomOutputs } from "../../../provider/zego/api";
import { ZEGO_EXAMPLE as EXAMPLE, ZEGO_EXAMPLE_OUTPUTS } from "../../support/samples";

type Props = Record<string, unknown>;

// Never configured: check and diff must not need settings.
const provider = new ZegoRoomProvider({ env: {} });

const check = (news: Props) => provider.check({}, news);

async function failuresOf(news: Props): Promise<Map<string, string[]>> {
  const { failures = [] } = await check(news);
  const byProperty = new Map<string, string[]>();
  for (const f of failures) byProperty.set(f.property, [...(byProperty.get(f.property) ?? []), f.reason]);
  return byProperty;
}

async function assertFails(news: Props, property: string, reason: RegExp): Promise<void> {
  const failures = await failuresOf(news);
  const reasons = failures.get(property);
  assert.ok(reasons, `expected a failure at ${property}, got ${JSON.stringify([...failures])}`);
  assert.ok(
    reasons.some((r) => reason.test(r)),
    `expected ${reason} at ${property}, got ${JSON.stringify(reasons)}`,
  );
}

describe("ZegoRoom check", () => {
  it("accepts the CreateRoom page's example and normalises attributes to { value, autoDelete }", async () => {
    const { inputs, failures } = await check({ ...EXAMPLE, __provider: "shim" });
    assert.deepEqual(failures, []);
    assert.deepEqual(inputs, {
      roomId: "Room1",
      roomName: "RoomName1",
      destroyDelayTime: 3600,
      fromUserId: "User1",
      attributes: { k1: { value: "v1", autoDelete: false }, k2: { value: "v2", autoDelete: true } },
    });
  });

  it("gives the string form and { value, autoDelete: false } one canonical shape", async () => {
    const a = await check({ roomId: "r", attributes: { k: "v" } });
    const b = await check({ roomId: "r", attributes: { k: { value: "v", autoDelete: false } } });
    const c = await check({ roomId: "r", attributes: { k: { value: "v" } } });
    assert.deepEqual(a.inputs, b.inputs);
    assert.deepEqual(a.inputs, c.inputs);
  });

  it("accepts every documented ID character and exactly 32 bytes", async () => {
    const { failures } = await check({ roomId: "aZ09!#$%&()+-:;<=.>?@[]^_ ,{}|~", fromUserId: "u".repeat(32) });
    assert.deepEqual(failures, []);
  });

  describe("roomId", () => {
    it("must not be empty", () => assertFails({ roomId: "" }, "roomId", /must not be empty/));
    it("is at most 32 bytes, counted in UTF-8", async () => {
      // 17 characters but 34 bytes: a character count would let it through.
      await assertFails({ roomId: "é".repeat(17) }, "roomId", /at most 32 bytes/);
    });
    it("uses only the documented characters", () => assertFails({ roomId: "room/1" }, "roomId", /may contain only/));
    it("is a string", () => assertFails({ roomId: 7 }, "roomId", /must be a string/));
  });

  describe("roomName", () => {
    it("is at most 64 bytes, counted in UTF-8", async () => {
      assert.deepEqual((await check({ roomId: "r", roomName: "n".repeat(64) })).failures, []);
      // 33 characters, 66 bytes.
      await assertFails({ roomId: "r", roomName: "é".repeat(33) }, "roomName", /at most 64 bytes/);
    });
    it("is a string", () => assertFails({ roomId: "r", roomName: 5 }, "roomName", /must be a string/));
  });

  describe("fromUserId", () => {
    it("uses only the documented characters", () =>
      assertFails({ roomId: "r", fromUserId: "user*1" }, "fromUserId", /may contain only/));
    it("is at most 32 bytes", () =>
      assertFails({ roomId: "r", fromUserId: "u".repeat(33) }, "fromUserId", /at most 32 bytes/));
    it("must not be empty", () => assertFails({ roomId: "r", fromUserId: "" }, "fromUserId", /must not be empty/));
  });

  describe("destroyDelayTime", () => {
    it("is at most 10800 seconds", async () => {
      assert.deepEqual((await check({ roomId: "r", destroyDelayTime: 10800 })).failures, []);
      await assertFails({ roomId: "r", destroyDelayTime: 10801 }, "destroyDelayTime", /at most 10800 seconds/);
    });
    it("is not negative", () =>
      assertFails({ roomId: "r", destroyDelayTime: -1 }, "destroyDelayTime", /must not be negative/));
    it("is whole seconds", () =>
      assertFails({ roomId: "r", destroyDelayTime: 1.5 }, "destroyDelayTime", /whole seconds/));
    it("is a number", () =>
      assertFails({ roomId: "r", destroyDelayTime: "60" }, "destroyDelayTime", /number of seconds/));
  });

  describe("attributes", () => {
    it("is a map", () => assertFails({ roomId: "r", attributes: ["k1"] }, "attributes", /must be a map/));
    it("has keys of 1 to 16 bytes", async () => {
      await assertFails({ roomId: "r", attributes: { "": "v" } }, 'attributes[""]', /must not be empty/);
      // 9 characters, 18 bytes.
      await assertFails({ roomId: "r", attributes: { ééééééééé: "v" } }, 'attributes["ééééééééé"]', /at most 16 bytes/);
      assert.deepEqual((await check({ roomId: "r", attributes: { ["k".repeat(16)]: "v" } })).failures, []);
    });
    it("has values of at most 1024 bytes, named by key (string and object form)", async () => {
      await assertFails(
        { roomId: "r", attributes: { topic: { value: "é".repeat(513) } } },
        "attributes.topic.value",
        /at most 1024 bytes/,
      );
      // The string form names the attribute itself: the user wrote no `.value` there.
      await assertFails(
        { roomId: "r", attributes: { "a.b": "x".repeat(1025) } },
        'attributes["a.b"]',
        /at most 1024 bytes/,
      );
    });
    it("takes a string or { value, autoDelete }", async () => {
      await assertFails(
        { roomId: "r", attributes: { topic: 5 } },
        "attributes.topic",
        /string or \{ value, autoDelete \}/,
      );
      await assertFails(
        { roomId: "r", attributes: { topic: { value: 5 } } },
        "attributes.topic.value",
        /must be a string/,
      );
      await assertFails(
        { roomId: "r", attributes: { topic: { value: "v", autoDelete: "yes" } } },
        "attributes.topic.autoDelete",
        /true or false/,
      );
      await assertFails(
        { roomId: "r", attributes: { topic: { value: "v", autodelete: true } } },
        "attributes.topic.autodelete",
        /unknown field "autodelete"/,
      );
    });
    it("has at most 20 keys", async () => {
      const twenty = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, "v"]));
      assert.deepEqual((await check({ roomId: "r", attributes: twenty })).failures, []);
      await assertFails({ roomId: "r", attributes: { ...twenty, k20: "v" } }, "attributes", /at most 20 keys/);
    });
    it("totals at most 5120 bytes of keys and values", async () => {
      // Five 1-byte keys with 1024-byte values: each is valid, together 5125 bytes.
      const big = Object.fromEntries(["a", "b", "c", "d", "e"].map((k) => [k, "v".repeat(1024)]));
      await assertFails({ roomId: "r", attributes: big }, "attributes", /total at most 5120 bytes/);
      const { e: _dropped, ...fits } = big;
      assert.deepEqual((await check({ roomId: "r", attributes: fits })).failures, []);
    });
  });

  it("reports every failure at once, cross-field rules included", async () => {
    const attributes: Props = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v".repeat(300)]));
    attributes.bad = { value: 1 };
    const failures = await failuresOf({
      roomId: "",
      roomName: "n".repeat(65),
      fromUserId: "a/b",
      destroyDelayTime: 99999,
      attributes,
    });
    assert.deepEqual([...failures.keys()].sort(), [
      "attributes",
      "attributes.bad.value",
      "destroyDelayTime",
      "fromUserId",
      "roomId",
      "roomName",
    ]);
    const cross = failures.get("attributes") ?? [];
    assert.ok(
      cross.some((r) => /at most 20 keys/.test(r)) && cross.some((r) => /5120 bytes/.test(r)),
      JSON.stringify(cross),
    );
  });

  it("names an unrecognised input", async () => {
    const failures = await failuresOf({ roomId: "r", roomname: "typo" });
    assert.deepEqual(failures.get("roomname"), [
      'unknown input "roomname" (did you mean "roomName"?); ZegoRoom inputs: roomId, roomName, fromUserId, destroyDelayTime, attributes',
    ]);
  });

  it("tolerates values still unknown during preview", async () => {
    for (const news of [
      { roomId: UNKNOWN },
      { roomId: "r", attributes: UNKNOWN },
      { roomId: "r", attributes: { k: UNKNOWN, j: { value: UNKNOWN, autoDelete: UNKNOWN } } },
      { roomId: "r", roomName: UNKNOWN, destroyDelayTime: UNKNOWN, fromUserId: UNKNOWN },
    ]) {
      const { inputs, failures } = await check(news);
      assert.deepEqual(failures, [], JSON.stringify(news));
      assert.deepEqual(inputs, news);
    }
  });

  it("still reports real failures next to unknown values", async () => {
    const failures = await failuresOf({ roomId: UNKNOWN, destroyDelayTime: 20000, attributes: { k: UNKNOWN } });
    assert.deepEqual([...failures.keys()], ["destroyDelayTime"]);
  });
});

describe("ZegoRoom diff", () => {
  const olds: ZegoRoomOutputs = ZEGO_EXAMPLE_OUTPUTS;
  const news = async (change: Props) => (await check({ ...EXAMPLE, ...change })).inputs as Props;

  it("sees no change when the declaration matches state (string form included)", async () => {
    assert.deepEqual(
      await provider.diff(
        "Room1",
        olds,
        await news({ attributes: { k1: { value: "v1" }, k2: { value: "v2", autoDelete: true } } }),
      ),
      {
        changes: false,
        replaces: [],
        deleteBeforeReplace: false,
      },
    );
  });

  for (const [field, value] of [
    ["roomName", "Other"],
    ["destroyDelayTime", 60],
  ] as const) {
    it(`replaces the room for ${field}, deleting first since the ID stays`, async () => {
      assert.deepEqual(await provider.diff("Room1", olds, await news({ [field]: value })), {
        changes: true,
        replaces: [field],
        deleteBeforeReplace: true,
      });
    });
  }

  it("replaces without deleting first when roomId changes", async () => {
    assert.deepEqual(await provider.diff("Room1", olds, await news({ roomId: "Room2" })), {
      changes: true,
      replaces: ["roomId"],
      deleteBeforeReplace: false,
    });
  });

  it("updates attributes in place", async () => {
    assert.deepEqual(await provider.diff("Room1", olds, await news({ attributes: { k1: "v1" } })), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("updates the operator in place", async () => {
    assert.deepEqual(await provider.diff("Room1", olds, await news({ fromUserId: "User2" })), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("leaves an input that is no longer declared alone", async () => {
    const { roomId } = olds;
    assert.equal((await provider.diff("Room1", olds, { roomId })).changes, false);
  });

  it("previews a change only where it is: known attributes and names compare normalised next to unknowns", async () => {
    // The string form of a held attribute next to an unknown roomId: nothing but the unknown may differ.
    const known = await news({ roomId: UNKNOWN, attributes: { k1: "v1", k2: { value: "v2", autoDelete: true } } });
    assert.deepEqual(known.attributes, olds.attributes);
    assert.deepEqual(await provider.diff("Room1", olds, known), {
      changes: true,
      replaces: ["roomId"],
      deleteBeforeReplace: true,
    });
    // Unknown operator only: an in-place update, no replacement and no attribute change.
    const operator = await news({
      fromUserId: UNKNOWN,
      attributes: { k2: { value: "v2", autoDelete: true }, k1: "v1" },
    });
    assert.deepEqual(await provider.diff("Room1", olds, operator), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepEqual(operator.attributes, olds.attributes);
    // One attribute unknown: the known one is normalised, the unknown one stays the placeholder.
    const one = await news({ attributes: { k2: UNKNOWN, k1: "v1" } });
    assert.deepEqual(one.attributes, { k1: { value: "v1", autoDelete: false }, k2: UNKNOWN });
  });

  it("counts unknown attributes during preview as an update", async () => {
    assert.deepEqual(await provider.diff("Room1", olds, { roomId: "Room1", attributes: UNKNOWN }), {
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });
});

describe("ZEGO request signature", () => {
  it("matches the signing page's test vector", () => {
    assert.equal(
      zegoSignature(12345, "4fd24687296dd9f3", "9193cc662a4c0ec135ec71fb57194b38", 1615186943),
      "43e5cfcca828314675f91b001390566a",
    );
  });

  it("signs the common parameters with the nonce and timestamp (seconds) it sends", () => {
    const params = commonParams(
      { appId: 12345, serverSecret: "9193cc662a4c0ec135ec71fb57194b38" },
      1615186943_999,
      "4fd24687296dd9f3",
    );
    assert.deepEqual(params, {
      AppId: "12345",
      SignatureNonce: "4fd24687296dd9f3",
      Timestamp: "1615186943",
      Signature: "43e5cfcca828314675f91b001390566a",
      SignatureVersion: "2.0",
    });
  });

  it("uses a fresh 16-hex-character nonce for every request", () => {
    const a = commonParams({ appId: 1, serverSecret: "s" });
    const b = commonParams({ appId: 1, serverSecret: "s" });
    assert.match(a.SignatureNonce ?? "", /^[0-9a-f]{16}$/);
    assert.notEqual(a.SignatureNonce, b.SignatureNonce);
    assert.notEqual(a.Signature, b.Signature);
  });
});
