/**
 * fast-check generators of room inputs from the vendors' documented rules (lengths in UTF-8 bytes, time
 * windows, counts, character sets): valid inputs, and mutations that break exactly one documented rule
 * and name the property check must report.
 */
import fc from "fast-check";

export type Props = Record<string, unknown>;

export const utf8 = (s: string): number => Buffer.byteLength(s, "utf8");

/** Characters of 1, 2, 3 and 4 UTF-8 bytes, so byte limits and character counts differ. */
const MIXED = ["a", "Z", "7", "-", "_", ".", "é", "ß", "ж", "中", "文", "ア", "😀", "🚀", "𝄞"];
const MULTI_BYTE = ["é", "ж", "中", "文", "ア", "😀", "🚀"];
export const mixedChar = fc.constantFrom(...MIXED);

/** Strings of at most `max` UTF-8 bytes (often exactly at the limit), from `unit` characters. */
export function bytesAtMost(max: number, unit: fc.Arbitrary<string> = mixedChar, minBytes = 0): fc.Arbitrary<string> {
  const take = (chars: string[], fillTo?: number) => {
    let out = "";
    for (const c of chars) {
      if (utf8(out + c) > max) break;
      out += c;
    }
    // Pad with ASCII to the exact limit (boundary values are where byte/char confusion shows).
    if (fillTo !== undefined) while (utf8(out) < fillTo) out += "x";
    while (utf8(out) < minBytes) out += "x";
    return out;
  };
  return fc.oneof(
    fc.array(unit, { maxLength: Math.min(max, 64) }).map((chars) => take(chars)),
    fc.array(unit, { minLength: max, maxLength: max }).map((chars) => take(chars, max)),
  );
}

/** Strings over `max` UTF-8 bytes with at most `max` characters where possible: only byte counting rejects them. */
export function bytesOver(max: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(fc.constantFrom(...MULTI_BYTE), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 40 }))
    .map(([chars, extra]) => {
      let out = "";
      for (let i = 0; utf8(out) < max + extra; i++) out += chars[i % chars.length] as string;
      return out;
    });
}

/** Anything that is not a string (and not the preview unknown, which is a string). */
export const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.constant({ nested: 1 }),
);

// ---------------------------------------------------------------------------------------------------------
// Tencent (create_room, https://trtc.io/document/60707)
// ---------------------------------------------------------------------------------------------------------

/** An account (RoomId, Owner_Account, invitees): non-empty, no surrounding whitespace. */
const tencentAccount = (max: number) => bytesAtMost(max, mixedChar, 1);

/** Unix seconds as a number or as ISO-8601 text with some zone. */
function timeValue(seconds: number): fc.Arbitrary<number | string> {
  const iso = (offsetMinutes: number, compact: boolean, millis: boolean) => {
    const local = new Date((seconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19) + (millis ? ".000" : "");
    if (offsetMinutes === 0 && !compact) return `${local}Z`;
    const sign = offsetMinutes < 0 ? "-" : "+";
    const abs = Math.abs(offsetMinutes);
    const hh = String(Math.floor(abs / 60)).padStart(2, "0");
    const mm = String(abs % 60).padStart(2, "0");
    return `${local}${sign}${hh}${compact ? "" : ":"}${mm}`;
  };
  return fc.oneof(
    fc.constant(seconds),
    fc.tuple(fc.constantFrom(0, 480, -300, 330, -570), fc.boolean(), fc.boolean()).map(([o, c, m]) => iso(o, c, m)),
  );
}

/** Start and end 5 minutes to 24 hours apart, both within Unix seconds 0..2^32-1. */
const tencentSchedule = fc
  .tuple(fc.integer({ min: 0, max: 4294967295 - 86400 }), fc.integer({ min: 300, max: 86400 }), fc.boolean())
  .chain(([start, length, withEnd]) =>
    fc.record({
      scheduleStartTime: timeValue(start),
      ...(withEnd ? { scheduleEndTime: timeValue(start + length) } : {}),
    }),
  );

/** Valid TencentRoom inputs (roomId always present: the resource class defaults it to the name). */
export const validTencent: fc.Arbitrary<Props> = fc
  .tuple(
    fc.record(
      {
        roomId: tencentAccount(48),
        roomName: bytesAtMost(100),
        roomType: fc.constant("Conference"),
        ownerAccount: tencentAccount(32),
        maxMemberCount: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        isVideoDisabled: fc.boolean(),
        isAudioDisabled: fc.boolean(),
        isMessageDisabled: fc.boolean(),
        isScreenSharingDisabled: fc.boolean(),
        isCloudRecordingDisabled: fc.boolean(),
        customInfo: bytesAtMost(500),
        isSeatEnabled: fc.boolean(),
        maxSeatCount: fc.integer({ min: 1, max: 1000 }),
        takeSeatMode: fc.constantFrom("FreeToTake", "ApplyToTake"),
        scheduleInvitees: fc.oneof(
          fc.uniqueArray(tencentAccount(24), { maxLength: 12 }),
          fc.constant(Array.from({ length: 300 }, (_, i) => `user${i}`)),
        ),
      },
      { requiredKeys: ["roomId"] },
    ),
    fc.option(tencentSchedule, { nil: undefined }),
  )
  .map(([room, schedule]) => ({ ...room, ...schedule }));

/** A broken rule: what to change, and the property check must name ("(inputs)" for the object itself). */
export interface Mutation {
  readonly property: string;
  /** Fields this mutation reads or writes (mutations on the same fields are not combined). */
  readonly group: string;
  apply(input: Props): Props;
}

const set = (property: string, value: unknown, group = property): Mutation => ({
  property,
  group,
  apply: (i) => ({ ...i, [property]: value }),
});

export const tencentMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .oneof(fc.constant(""), fc.constant(" padded"), fc.constant("padded\t"), bytesOver(48), notString)
    .map((v) => set("roomId", v)),
  fc.oneof(bytesOver(100), notString).map((v) => set("roomName", v)),
  fc.oneof(fc.constantFrom("Live", "conference", ""), notString).map((v) => set("roomType", v)),
  fc.oneof(fc.constant(""), fc.constant(" owner"), notString).map((v) => set("ownerAccount", v)),
  fc.oneof(fc.integer({ max: 0 }), fc.constantFrom(1.5, "10", true)).map((v) => set("maxMemberCount", v)),
  fc
    .oneof(
      fc.integer({ max: -1 }),
      fc.constantFrom(
        1.5,
        4294967296,
        "tomorrow",
        "2026-12-01T09:00:00",
        "2026-12-01T09:00:00.250Z",
        "2026-13-01T09:00:00Z",
        true,
      ),
    )
    .map((v) => ({
      property: "scheduleStartTime",
      group: "schedule",
      apply: (i: Props) => ({ ...i, scheduleStartTime: v, scheduleEndTime: undefined }),
    })),
  fc.integer({ min: 0, max: 2 ** 31 }).map((end) => ({
    property: "scheduleEndTime",
    group: "schedule",
    apply: (i: Props) => ({ ...i, scheduleStartTime: undefined, scheduleEndTime: end }),
  })),
  fc
    .tuple(
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.oneof(fc.integer({ min: -86400, max: 299 }), fc.integer({ min: 86401, max: 10 ** 6 })),
    )
    .map(([start, length]) => ({
      property: "scheduleEndTime",
      group: "schedule",
      apply: (i: Props) => ({ ...i, scheduleStartTime: start, scheduleEndTime: start + length }),
    })),
  fc
    .tuple(
      fc.constantFrom(
        "isVideoDisabled",
        "isAudioDisabled",
        "isMessageDisabled",
        "isScreenSharingDisabled",
        "isCloudRecordingDisabled",
        "isSeatEnabled",
      ),
      fc.constantFrom("true", 1, 0, null),
    )
    .map(([field, v]) => set(field, v)),
  fc.oneof(bytesOver(500), notString).map((v) => set("customInfo", v)),
  fc.oneof(fc.integer({ max: 0 }), fc.constantFrom(2.5, "4")).map((v) => set("maxSeatCount", v)),
  fc.constantFrom("Free", "", 1, null).map((v) => set("takeSeatMode", v)),
  fc
    .oneof(
      fc.constant(Array.from({ length: 301 }, (_, i) => `user${i}`)),
      fc.constant(["alice", "bob", "alice"]),
      fc.constant(["alice", ""]),
      fc.constant(["alice", 7]),
      fc.constant("alice"),
    )
    .map((v) => set("scheduleInvitees", v)),
  fc.constantFrom("RoomId", "room_id", "maxMembers", "extra").map((key) => set(key, "x", "unknown-key")),
);

// ---------------------------------------------------------------------------------------------------------
// ZEGO (CreateRoom, https://www.zegocloud.com/docs/zim-server/room/create-a-room)
// ---------------------------------------------------------------------------------------------------------

const ID_CHARS = "ABCXYZabcxyz0189!#$%&()+-:;<=.>?@[]^_ ,{}|~".split("");
const zegoId = bytesAtMost(32, fc.constantFrom(...ID_CHARS), 1);

/** Attributes: at most 20 keys of 1..16 bytes, values of at most 1024 bytes, 5120 bytes in all. */
const zegoAttributes: fc.Arbitrary<Props> = fc
  .uniqueArray(
    fc.tuple(
      bytesAtMost(16, mixedChar, 1),
      fc.oneof(
        bytesAtMost(1024),
        fc.record({ value: bytesAtMost(1024), autoDelete: fc.boolean() }, { requiredKeys: ["value"] }),
      ),
    ),
    { maxLength: 20, selector: ([key]) => key },
  )
  .map((entries) => {
    const out: Props = {};
    let total = 0;
    for (const [key, raw] of entries) {
      const value = typeof raw === "string" ? raw : raw.value;
      if (total + utf8(key) + utf8(value) > 5120) continue;
      total += utf8(key) + utf8(value);
      out[key] = raw;
    }
    return out;
  });

/** Valid ZegoRoom inputs (roomId always present). */
export const validZego: fc.Arbitrary<Props> = fc.record(
  {
    roomId: zegoId,
    roomName: bytesAtMost(64),
    fromUserId: zegoId,
    destroyDelayTime: fc.integer({ min: 0, max: 10800 }),
    attributes: zegoAttributes,
  },
  { requiredKeys: ["roomId"] },
);

const attributesWith = (extra: Props): Mutation => ({
  property: "attributes",
  group: "attributes",
  apply: (i) => ({ ...i, attributes: { ...(i.attributes as Props | undefined), ...extra } }),
});

export const zegoMutation: fc.Arbitrary<Mutation> = fc.oneof(
  ...(["roomId", "fromUserId"] as const).map((field) =>
    fc
      .oneof(fc.constant(""), bytesOver(32), fc.constantFrom("a/b", "tab\there", "room中", "é", "new\nline"), notString)
      .map((v) => set(field, v)),
  ),
  fc.oneof(bytesOver(64), notString).map((v) => set("roomName", v)),
  fc
    .oneof(fc.integer({ max: -1 }), fc.integer({ min: 10801 }), fc.constantFrom(1.5, "60", null))
    .map((v) => set("destroyDelayTime", v)),
  fc.constantFrom("topic", ["a"], 3, null).map((v) => set("attributes", v, "attributes")),
  fc.constant(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"])).map((entries) => ({
    property: "attributes",
    group: "attributes",
    apply: (i: Props) => ({ ...i, attributes: Object.fromEntries(entries) as Record<string, string> }),
  })),
  bytesOver(16).map((key) => attributesWith({ [key]: "v" })),
  fc.constant(attributesWith({ "": "v" })),
  bytesOver(1024).map((value) => attributesWith({ big: value })),
  fc.constant({
    property: "attributes",
    group: "attributes",
    apply: (i: Props) => ({
      ...i,
      attributes: Object.fromEntries(Array.from({ length: 6 }, (_, k) => [`k${k}`, "v".repeat(1000)])),
    }),
  }),
  fc
    .constantFrom(7, true, null, ["v"], { value: 1 }, { value: "v", autoDelete: "yes" }, { value: "v", extra: 1 }, {})
    .map((v) => attributesWith({ bad: v })),
  fc.constantFrom("RoomId", "roomID", "extra").map((key) => set(key, "x", "unknown-key")),
);

/** 1 to 3 mutations on different fields. */
export function mutations(arb: fc.Arbitrary<Mutation>): fc.Arbitrary<Mutation[]> {
  return fc.uniqueArray(arb, { minLength: 1, maxLength: 3, selector: (m) => m.group });
}

/** Removes keys whose value is undefined (what a Struct would carry). */
export function defined(input: Props): Props {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
