/**
 * TencentRoom check: a pure function of its arguments (no network, no credentials). One `it` per rule of the
 * create_room page (https://trtc.io/document/60707).
 */
import assert from "node:assert/strict";
import { UNKNOWN } from "../../../provider/core/check";
import { CHANGE_RULES } from "../../../provider/tencent/schema";
import { TENCENT_SAMPLE as SAMPLE } from "../../support/samples";
import { check, checked, without, type Props } from "../../support/tencent-check";

describe("TencentRoom check", function () {
  it("accepts the sample request and normalises it: ISO times to Unix seconds, invitees sorted, defaults filled", async function () {
    const inputs = await checked({
      ...SAMPLE,
      scheduleStartTime: "2023-08-29T01:09:15Z",
      scheduleEndTime: "2023-08-29T09:25:55+08:00",
      scheduleInvitees: ["user3", "user1", "user2"],
    });
    assert.deepEqual(inputs, { ...SAMPLE, scheduleInvitees: ["user1", "user2", "user3"] });
  });

  it("fills the documented defaults of a minimal room: name = ID, type Conference, switches false, customInfo empty", async function () {
    assert.deepEqual(await checked({ roomId: "r1" }), {
      roomId: "r1",
      roomName: "r1",
      roomType: "Conference",
      isVideoDisabled: false,
      isAudioDisabled: false,
      isMessageDisabled: false,
      isScreenSharingDisabled: false,
      isCloudRecordingDisabled: false,
      customInfo: "",
      isSeatEnabled: false,
    });
  });

  it("defaults scheduleEndTime to one hour after scheduleStartTime", async function () {
    const inputs = await checked({ roomId: "r1", scheduleStartTime: 1_800_000_000 });
    assert.equal(inputs.scheduleEndTime, 1_800_003_600);
  });

  it("drops __provider from the checked inputs (the host adds it back)", async function () {
    assert.equal((await checked({ roomId: "r1", __provider: "shim" })).__provider, undefined);
  });

  // One row per documented rule: inputs patched onto the sample, the property that must fail, the reason.
  const EURO_48B = "€".repeat(16); // 48 bytes in UTF-8
  const RULES: [string, Props, string, RegExp][] = [
    ["roomId is mandatory", { roomId: undefined }, "roomId", /roomId/],
    ["roomId must not be empty", { roomId: "" }, "roomId", /must not be empty/],
    [
      "roomId is at most 48 bytes, counted in UTF-8 (16 x '€' + 1 = 49 bytes)",
      { roomId: `${EURO_48B}a` },
      "roomId",
      /at most 48 bytes/,
    ],
    ["roomName is at most 100 bytes", { roomName: "n".repeat(101) }, "roomName", /at most 100 bytes/],
    [
      "roomName counts bytes, not characters (34 x '€' = 102 bytes)",
      { roomName: "€".repeat(34) },
      "roomName",
      /at most 100 bytes/,
    ],
    ["roomType is Conference", { roomType: "Live" }, "roomType", /"Conference"/],
    ["ownerAccount must not be empty", { ownerAccount: "" }, "ownerAccount", /must not be empty/],
    ["maxMemberCount must be at least 1", { maxMemberCount: 0 }, "maxMemberCount", /at least 1/],
    ["maxMemberCount must be whole", { maxMemberCount: 1.5 }, "maxMemberCount", /whole number/],
    ["maxMemberCount must be a number, not text", { maxMemberCount: "10" }, "maxMemberCount", /must be a number/],
    [
      "scheduleStartTime in ISO form needs a zone",
      { scheduleStartTime: "2026-12-01T09:00:00", scheduleEndTime: undefined },
      "scheduleStartTime",
      /with a zone/,
    ],
    [
      "scheduleStartTime must be a real date",
      { scheduleStartTime: "2026-13-01T09:00:00Z", scheduleEndTime: undefined },
      "scheduleStartTime",
      /ISO-8601/,
    ],
    [
      "scheduleStartTime must be whole seconds",
      { scheduleStartTime: "2026-12-01T09:00:00.5Z", scheduleEndTime: undefined },
      "scheduleStartTime",
      /whole seconds/,
    ],
    [
      "scheduleStartTime must be a day that exists (30 February is not 2 March)",
      { scheduleStartTime: "2026-02-30T09:00:00Z", scheduleEndTime: undefined },
      "scheduleStartTime",
      /ISO-8601/,
    ],
    [
      "scheduleEndTime must be a day that exists (31 April)",
      { scheduleStartTime: "2026-04-30T23:00:00Z", scheduleEndTime: "2026-04-31T00:30:00Z" },
      "scheduleEndTime",
      /ISO-8601/,
    ],
    [
      "scheduleStartTime must be whole seconds, also below a millisecond",
      { scheduleStartTime: "2026-12-01T09:00:00.0001Z", scheduleEndTime: undefined },
      "scheduleStartTime",
      /whole seconds/,
    ],
    [
      "scheduleStartTime must not be negative Unix seconds",
      { scheduleStartTime: -1, scheduleEndTime: undefined },
      "scheduleStartTime",
      /whole Unix seconds/,
    ],
    [
      "scheduleStartTime must be whole Unix seconds",
      { scheduleStartTime: 1693271355.5, scheduleEndTime: undefined },
      "scheduleStartTime",
      /whole Unix seconds/,
    ],
    [
      "scheduleEndTime needs scheduleStartTime",
      { scheduleStartTime: undefined },
      "scheduleEndTime",
      /needs scheduleStartTime/,
    ],
    [
      "a meeting lasts at least 5 minutes (299 s fails)",
      { scheduleEndTime: 1693271355 + 299 },
      "scheduleEndTime",
      /at least 5 minutes/,
    ],
    [
      "a meeting lasts at most 24 hours (86401 s fails)",
      { scheduleEndTime: 1693271355 + 86401 },
      "scheduleEndTime",
      /at most 24 hours/,
    ],
    [
      "scheduleEndTime must not come before scheduleStartTime",
      { scheduleEndTime: 1693271355 - 600 },
      "scheduleEndTime",
      /at least 5 minutes/,
    ],
    ["isVideoDisabled is a boolean", { isVideoDisabled: "true" }, "isVideoDisabled", /true or false/],
    ["isAudioDisabled is a boolean", { isAudioDisabled: 1 }, "isAudioDisabled", /true or false/],
    ["isMessageDisabled is a boolean", { isMessageDisabled: "yes" }, "isMessageDisabled", /true or false/],
    [
      "isScreenSharingDisabled is a boolean",
      { isScreenSharingDisabled: null },
      "isScreenSharingDisabled",
      /true or false/,
    ],
    [
      "isCloudRecordingDisabled is a boolean",
      { isCloudRecordingDisabled: "false" },
      "isCloudRecordingDisabled",
      /true or false/,
    ],
    ["isSeatEnabled is a boolean", { isSeatEnabled: 0 }, "isSeatEnabled", /true or false/],
    ["customInfo is at most 500 bytes", { customInfo: "c".repeat(501) }, "customInfo", /at most 500 bytes/],
    ["maxSeatCount must be at least 1", { maxSeatCount: 0 }, "maxSeatCount", /at least 1/],
    [
      "takeSeatMode is FreeToTake or ApplyToTake",
      { takeSeatMode: "None" },
      "takeSeatMode",
      /"FreeToTake" or "ApplyToTake"/,
    ],
    [
      "scheduleInvitees holds at most 300 accounts",
      { scheduleInvitees: Array.from({ length: 301 }, (_, i) => `u${i}`) },
      "scheduleInvitees",
      /at most 300/,
    ],
    [
      "scheduleInvitees lists no account twice",
      { scheduleInvitees: ["user1", "user2", "user1"] },
      "scheduleInvitees",
      /twice/,
    ],
    [
      "scheduleInvitees entries must not be empty",
      { scheduleInvitees: ["user1", ""] },
      "scheduleInvitees[1]",
      /must not be empty/,
    ],
    ["scheduleInvitees is a list", { scheduleInvitees: "user1,user2" }, "scheduleInvitees", /list of accounts/],
    [
      "an unknown property (a typo) is refused, by name",
      { roomNmae: "x" },
      "roomNmae",
      /unknown input "roomNmae" \(did you mean "roomName"\?\)/,
    ],
  ];
  for (const [rule, patch, property, reason] of RULES) {
    it(`fails: ${rule}`, async function () {
      const { failures } = await check(without({ ...SAMPLE, ...patch }));
      assert.ok(
        failures.some((f) => f.property === property && reason.test(f.reason)),
        `expected a failure on ${property} matching ${reason}, got ${JSON.stringify(failures)}`,
      );
    });
  }

  it("returns every failure at once, each with its property path", async function () {
    const { failures } = await check({
      roomId: "",
      roomName: "n".repeat(101),
      roomType: "Live",
      maxMemberCount: 0,
      scheduleEndTime: 1693272355,
      isVideoDisabled: "true",
      customInfo: "c".repeat(501),
      maxSeatCount: 0,
      takeSeatMode: "Open",
      scheduleInvitees: ["a", "a", ""],
      roomNmae: "typo",
    });
    const properties = failures.map((f) => f.property).sort();
    assert.deepEqual(properties, [
      "customInfo",
      "isVideoDisabled",
      "maxMemberCount",
      "maxSeatCount",
      "roomId",
      "roomName",
      "roomNmae",
      "roomType",
      "scheduleEndTime",
      "scheduleInvitees",
      "scheduleInvitees[2]",
      "takeSeatMode",
    ]);
  });

  it("passes at the limits: a 48-byte multi-byte roomId, 100-byte roomName, 500-byte customInfo, 300 invitees", async function () {
    await checked({
      roomId: "€".repeat(16),
      roomName: "€".repeat(33) + "n",
      customInfo: "c".repeat(500),
      scheduleInvitees: Array.from({ length: 300 }, (_, i) => `u${i}`),
    });
  });

  it("passes a meeting of exactly 5 minutes and of exactly 24 hours", async function () {
    await checked({ roomId: "r", scheduleStartTime: 1693271355, scheduleEndTime: 1693271355 + 300 });
    await checked({ roomId: "r", scheduleStartTime: 1693271355, scheduleEndTime: 1693271355 + 86400 });
  });

  it("normalises ISO-8601 (UTC or +08:00) and Unix seconds of the same instant to the same value", async function () {
    const forms = [
      1796115600,
      "2026-12-01T09:00:00Z",
      "2026-12-01T09:00:00.000Z",
      "2026-12-01T09:00:00.000000Z",
      "2026-12-01T09:00Z",
      "2026-12-01T17:00:00+08:00",
      "2026-12-01T04:00:00-05:00",
    ];
    for (const start of forms) {
      const inputs = await checked({ roomId: "r", scheduleStartTime: start });
      assert.equal(inputs.scheduleStartTime, 1796115600, `from ${String(start)}`);
      assert.equal(inputs.scheduleEndTime, 1796119200, `from ${String(start)}`);
    }
  });

  it("tolerates a preview unknown in any field, and unknown values never fail cross-field rules", async function () {
    for (const field of Object.keys(CHANGE_RULES)) {
      const { failures } = await check({ ...SAMPLE, [field]: UNKNOWN });
      assert.deepEqual(failures, [], `unknown ${field}`);
    }
    assert.deepEqual((await check({ ...SAMPLE, scheduleInvitees: [UNKNOWN, UNKNOWN] })).failures, []);
    assert.deepEqual((await check({ roomId: "r", scheduleEndTime: UNKNOWN })).failures, []);
  });

  it("still reports the known failures next to an unknown", async function () {
    const { failures } = await check({ ...SAMPLE, roomName: UNKNOWN, customInfo: "c".repeat(501) });
    assert.deepEqual(
      failures.map((f) => f.property),
      ["customInfo"],
    );
  });
});
