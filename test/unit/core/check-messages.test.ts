/**
 * Every check message says what arrived and what to do, pinned word for word: byte counts (and characters
 * when they differ), the type and value that arrived with the likely fix, the duplicate by name, unknown
 * inputs with the valid ones, the nearest (prefixes too) and the other vendor's inputs named; a room ID
 * derived from the resource name is blamed on the name, with the characters at fault.
 */
import assert from "node:assert/strict";
import { autoRoomId, scopeHash, truncateUtf8 } from "../../../provider/core/naming";
import { provider as tencent } from "../../../provider/tencent/provider";
import { provider as zego } from "../../../provider/zego/provider";

type Failures = Map<string, string[]>;

async function failures(p: typeof tencent | typeof zego, news: Record<string, unknown>): Promise<Failures> {
  const { failures: list } = await p.check({}, news);
  const out: Failures = new Map();
  for (const f of list ?? []) out.set(f.property, [...(out.get(f.property) ?? []), f.reason]);
  return out;
}

const TENCENT_INPUTS =
  "TencentRoom inputs: roomId, roomName, roomType, ownerAccount, maxMemberCount, scheduleStartTime, scheduleEndTime, isVideoDisabled, isAudioDisabled, isMessageDisabled, isScreenSharingDisabled, isCloudRecordingDisabled, customInfo, isSeatEnabled, maxSeatCount, takeSeatMode, scheduleInvitees";
const ZEGO_INPUTS = "ZegoRoom inputs: roomId, roomName, fromUserId, destroyDelayTime, attributes";

describe("check messages: what arrived and what to do", () => {
  describe("lengths give the actual byte count, and characters when they differ", () => {
    it("TencentRoom roomName of 34 Chinese characters (102 bytes)", async () => {
      const f = await failures(tencent, { roomId: "r", roomName: "会".repeat(34) });
      assert.deepEqual(f.get("roomName"), [
        "roomName must be at most 100 bytes (UTF-8), got 102 bytes (34 characters)",
      ]);
    });
    it("TencentRoom roomId, roomName and customInfo in ASCII: bytes only", async () => {
      const f = await failures(tencent, {
        roomId: "r".repeat(49),
        roomName: "n".repeat(101),
        customInfo: "c".repeat(501),
      });
      assert.deepEqual(f.get("roomId"), ["roomId must be at most 48 bytes (UTF-8), got 49 bytes"]);
      assert.deepEqual(f.get("roomName"), ["roomName must be at most 100 bytes (UTF-8), got 101 bytes"]);
      assert.deepEqual(f.get("customInfo"), ["customInfo must be at most 500 bytes (UTF-8), got 501 bytes"]);
    });
    it("ZegoRoom roomId, fromUserId, roomName, attribute key and value", async () => {
      const f = await failures(zego, {
        roomId: "r".repeat(33),
        fromUserId: "u".repeat(40),
        roomName: "é".repeat(33),
        attributes: { ["k".repeat(17)]: "v", ok: "ü".repeat(513) },
      });
      assert.deepEqual(f.get("roomId"), ["roomId must be at most 32 bytes (UTF-8), got 33 bytes"]);
      assert.deepEqual(f.get("fromUserId"), ["fromUserId must be at most 32 bytes (UTF-8), got 40 bytes"]);
      assert.deepEqual(f.get("roomName"), ["roomName must be at most 64 bytes (UTF-8), got 66 bytes (33 characters)"]);
      assert.deepEqual(f.get(`attributes.${"k".repeat(17)}`), [
        "attribute key must be at most 16 bytes (UTF-8), got 17 bytes",
      ]);
      assert.deepEqual(f.get("attributes.ok"), [
        "attribute value must be at most 1024 bytes (UTF-8), got 1026 bytes (513 characters)",
      ]);
    });
    it("counts: invitees and attributes say how many arrived", async () => {
      const invitees = Array.from({ length: 301 }, (_, i) => `u${i}`);
      assert.deepEqual((await failures(tencent, { roomId: "r", scheduleInvitees: invitees })).get("scheduleInvitees"), [
        "scheduleInvitees must have at most 300 accounts, got 301",
      ]);
      const attributes = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"]));
      assert.deepEqual((await failures(zego, { roomId: "r", attributes })).get("attributes"), [
        "attributes must have at most 20 keys (a room holds at most 20), got 21",
      ]);
    });
  });

  describe("types say what type and value arrived, with the likely fix", () => {
    it("a number from stack config read as text", async () => {
      const f = await failures(tencent, { roomId: "r", maxMemberCount: "50" });
      assert.deepEqual(f.get("maxMemberCount"), [
        'maxMemberCount must be a number, got the string "50"; use config.requireNumber (or Number(...)) for a number from stack config',
      ]);
      const z = await failures(zego, { roomId: "r", destroyDelayTime: "600" });
      assert.deepEqual(z.get("destroyDelayTime"), [
        'destroyDelayTime must be a number of seconds, got the string "600"; use config.requireNumber (or Number(...)) for a number from stack config',
      ]);
    });
    it("a boolean read as text, a number where text belongs, structured config read as text", async () => {
      const f = await failures(tencent, {
        roomId: "r",
        isVideoDisabled: "true",
        ownerAccount: 5,
        scheduleInvitees: "a,b",
      });
      assert.deepEqual(f.get("isVideoDisabled"), [
        'isVideoDisabled must be true or false, got the string "true"; use config.requireBoolean for a boolean from stack config',
      ]);
      assert.deepEqual(f.get("ownerAccount"), [
        "ownerAccount must be a string, got the number 5; pass it as text, e.g. String(...)",
      ]);
      assert.deepEqual(f.get("scheduleInvitees"), [
        'scheduleInvitees must be a list of accounts, got the string "a,b"; use config.requireObject for structured stack config',
      ]);
      const z = await failures(zego, { roomId: "r", attributes: '{"topic":"x"}' });
      assert.deepEqual(z.get("attributes"), [
        'attributes must be a map of attribute key to value, got the string "{\\"topic\\":\\"x\\"}"; use config.requireObject for structured stack config',
      ]);
    });
    it("values outside an enum or of no usable type say what arrived", async () => {
      const f = await failures(tencent, {
        roomId: "r",
        roomType: "Meeting",
        takeSeatMode: "Free",
        scheduleStartTime: true,
      });
      assert.deepEqual(f.get("roomType"), ['roomType must be "Conference", got the string "Meeting"']);
      assert.deepEqual(f.get("takeSeatMode"), [
        'takeSeatMode must be "FreeToTake" or "ApplyToTake", got the string "Free"',
      ]);
      assert.deepEqual(f.get("scheduleStartTime"), [
        "scheduleStartTime must be an ISO-8601 string or Unix seconds, got the boolean true",
      ]);
      const z = await failures(zego, { roomId: "r", attributes: { a: 5, b: { value: "v", autoDelete: "yes" } } });
      assert.deepEqual(z.get("attributes.a"), [
        "each attribute must be a string or { value, autoDelete }, got the number 5; pass it as text, e.g. String(...)",
      ]);
      assert.deepEqual(z.get("attributes.b.autoDelete"), ['autoDelete must be true or false, got the string "yes"']);
    });
  });

  it("a missing roomId (only a provider called without the resource class) says so", async () => {
    assert.deepEqual((await failures(zego, {})).get("roomId"), ["roomId is missing: it must be a string"]);
  });

  it("a duplicate invitee is named", async () => {
    const f = await failures(tencent, { roomId: "r", scheduleInvitees: ["ann", "bob", "ann", "cy", "bob"] });
    assert.deepEqual(f.get("scheduleInvitees"), [
      'scheduleInvitees must not list an account twice: "ann", "bob" are listed more than once',
    ]);
    const one = await failures(tencent, { roomId: "r", scheduleInvitees: ["ann", "ann"] });
    assert.deepEqual(one.get("scheduleInvitees"), [
      'scheduleInvitees must not list an account twice: "ann" is listed more than once',
    ]);
  });

  it("ZEGO ID characters: the ones at fault are named", async () => {
    const f = await failures(zego, { roomId: "team/lobby*1", fromUserId: "ops bot/é" });
    assert.deepEqual(f.get("roomId"), [
      'roomId may contain only digits, letters and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ space , { } | ~, got "/", "*"',
    ]);
    assert.deepEqual(f.get("fromUserId"), [
      'fromUserId may contain only digits, letters and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ space , { } | ~, got "/", "é"',
    ]);
  });

  describe("unknown inputs list the valid ones and suggest the nearest", () => {
    it("prefixes and near misses: scheduleStart, destroyDelay, roomNmae", async () => {
      const t = await failures(tencent, { roomId: "r", scheduleStart: "2027-01-01T00:00:00Z", roomNmae: "x" });
      assert.deepEqual(t.get("scheduleStart"), [
        `unknown input "scheduleStart" (did you mean "scheduleStartTime"?); ${TENCENT_INPUTS}`,
      ]);
      assert.deepEqual(t.get("roomNmae"), [`unknown input "roomNmae" (did you mean "roomName"?); ${TENCENT_INPUTS}`]);
      const z = await failures(zego, { roomId: "r", destroyDelay: 60, attribute: {} });
      assert.deepEqual(z.get("destroyDelay"), [
        `unknown input "destroyDelay" (did you mean "destroyDelayTime"?); ${ZEGO_INPUTS}`,
      ]);
      assert.deepEqual(z.get("attribute"), [`unknown input "attribute" (did you mean "attributes"?); ${ZEGO_INPUTS}`]);
    });
    it("an input of the other vendor's resource says so", async () => {
      const t = await failures(tencent, { roomId: "r", destroyDelayTime: 60, attributes: {} });
      assert.deepEqual(t.get("destroyDelayTime"), [
        `unknown input "destroyDelayTime" (that is an input of ZegoRoom, not TencentRoom); ${TENCENT_INPUTS}`,
      ]);
      assert.deepEqual(t.get("attributes"), [
        `unknown input "attributes" (that is an input of ZegoRoom, not TencentRoom); ${TENCENT_INPUTS}`,
      ]);
      const z = await failures(zego, { roomId: "r", maxMemberCount: 5, scheduleStart: 1 });
      assert.deepEqual(z.get("maxMemberCount"), [
        `unknown input "maxMemberCount" (that is an input of TencentRoom, not ZegoRoom); ${ZEGO_INPUTS}`,
      ]);
      assert.deepEqual(z.get("scheduleStart"), [
        `unknown input "scheduleStart" (close to TencentRoom's "scheduleStartTime", which ZegoRoom does not have); ${ZEGO_INPUTS}`,
      ]);
    });
    it("nothing close: only the list", async () => {
      const t = await failures(tencent, { roomId: "r", color: "red" });
      assert.deepEqual(t.get("color"), [`unknown input "color"; ${TENCENT_INPUTS}`]);
    });
  });

  describe("a room ID derived from the resource name is blamed on the name", () => {
    it("ZEGO: team/lobby-é names the resource and its characters; no property (the engine shows it against the resource)", async () => {
      const roomId = autoRoomId("team/lobby-é", "rooms", "dev", { maxBytes: 32 });
      const { failures: list } = await zego.check({}, { roomId, roomIdSource: "name" });
      assert.deepEqual(list, [
        {
          property: "",
          reason: `the resource name "team/lobby-é" cannot make a ZEGO room ID: it holds "/", "é", which ZEGO room IDs cannot hold (allowed: digits, letters and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ space , { } | ~). roomId is not declared, so it is derived from the resource name (${JSON.stringify(roomId)}); rename the resource, or declare roomId`,
        },
      ]);
    });
    it("Tencent: a name with leading whitespace", async () => {
      const roomId = autoRoomId(" standup", "rooms", "dev", { maxBytes: 48 });
      const { failures: list } = await tencent.check({}, { roomId, roomIdSource: "name" });
      assert.deepEqual(list, [
        {
          property: "",
          reason: `the resource name " standup" cannot make a Tencent room ID: the ID must not start or end with whitespace. roomId is not declared, so it is derived from the resource name (${JSON.stringify(roomId)}); rename the resource, or declare roomId`,
        },
      ]);
    });
    it("a declared roomId keeps its own failure on roomId; other failures stay next to the name's", async () => {
      const declared = await failures(zego, { roomId: "team/lobby" });
      assert.deepEqual([...declared.keys()], ["roomId"]);
      const both = await failures(zego, {
        roomId: autoRoomId("a/b", "p", "s", { maxBytes: 32 }),
        roomIdSource: "name",
        destroyDelayTime: -1,
      });
      assert.deepEqual([...both.keys()].sort(), ["", "destroyDelayTime"]);
    });
  });
});

describe("core naming: autoRoomId", () => {
  it("is the name plus the whole stack-scoped hash", () => {
    assert.equal(
      autoRoomId("standup", "rooms", "dev", { maxBytes: 48 }),
      `standup-${scopeHash("rooms", "dev", "standup")}`,
    );
  });
  it("hashes a parent's type with the name (a parent of the stack's type counts as none)", () => {
    const top = autoRoomId("standup", "rooms", "dev", { maxBytes: 48 });
    assert.equal(autoRoomId("standup", "rooms", "dev", { maxBytes: 48 }, "pulumi:pulumi:Stack"), top);
    const inTeam = autoRoomId("standup", "rooms", "dev", { maxBytes: 48 }, "acme:index:Team");
    assert.equal(inTeam, `standup-${scopeHash("rooms", "dev", "acme:index:Team$standup")}`);
    assert.notEqual(inTeam, top);
  });
  it("cuts a long name to fit the vendor's bytes, keeping the hash whole; long names with one prefix still differ", () => {
    const long = "quarterly-business-review-with-the-whole-company";
    const tencentId = autoRoomId(long, "p", "s", { maxBytes: 48 });
    assert.equal(Buffer.byteLength(tencentId), 48);
    assert.ok(tencentId.endsWith(`-${scopeHash("p", "s", long)}`));
    const zegoId = autoRoomId(long, "p", "s", { maxBytes: 32 });
    assert.equal(zegoId, `${long.slice(0, 23)}-${scopeHash("p", "s", long)}`);
    assert.notEqual(
      autoRoomId(`${long}-a`, "p", "s", { maxBytes: 32 }),
      autoRoomId(`${long}-b`, "p", "s", { maxBytes: 32 }),
    );
  });
  it("cuts on a character boundary", () => {
    assert.equal(truncateUtf8("会议室", 7), "会议");
    assert.equal(truncateUtf8("a😀b", 4), "a");
    const id = autoRoomId("会".repeat(20), "p", "s", { maxBytes: 48 });
    assert.ok(Buffer.byteLength(id) <= 48);
    assert.equal(id.slice(0, -9), "会".repeat(13));
  });
});
