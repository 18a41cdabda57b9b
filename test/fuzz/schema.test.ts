/**
 * Bad input, fuzzed: thousands of generated inputs through each provider's `check` (fixed seeds). check
 * never throws, rejects every input that breaks a documented rule with a failure naming a property that
 * exists in the input, accepts every input built from the documented rules, tolerates preview unknowns,
 * and never touches the network or the credentials (check is pure, so a preview runs without secrets).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type * as pulumi from "@pulumi/pulumi";
import { sendJson } from "../../provider/core/http";
import { UNKNOWN } from "../../provider/core/check";
import { TencentRoomProvider } from "../../provider/tencent/provider";
import { ZegoRoomProvider } from "../../provider/zego/provider";
import {
  defined,
  mutations,
  tencentMutation,
  validTencent,
  validZego,
  zegoMutation,
  type Mutation,
  type Props,
} from "../support/room-arbitraries";

const RUNS = 1500;
const SHIM = 'exports.handler = () => require("pulumi-rooms/x");';

interface Checker {
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<Props>>;
}

interface Case {
  readonly label: string;
  readonly seed: number;
  readonly make: () => Checker;
  readonly valid: fc.Arbitrary<Props>;
  readonly mutation: fc.Arbitrary<Mutation>;
  readonly fields: readonly string[];
}

const CASES: Case[] = [
  {
    label: "TencentRoom",
    seed: 4242,
    make: () => new TencentRoomProvider({ env: {} }),
    valid: validTencent,
    mutation: tencentMutation,
    fields: [
      "roomId",
      "roomName",
      "roomType",
      "ownerAccount",
      "maxMemberCount",
      "scheduleStartTime",
      "scheduleEndTime",
      "customInfo",
      "scheduleInvitees",
      "takeSeatMode",
    ],
  },
  {
    label: "ZegoRoom",
    seed: 2424,
    make: () => new ZegoRoomProvider({ env: {} }),
    valid: validZego,
    mutation: zegoMutation,
    fields: ["roomId", "roomName", "fromUserId", "destroyDelayTime", "attributes"],
  },
];

/**
 * Parses a failure property as core's propertyPath writes it (`a.b[3]["key with.dots"]`) and tells whether
 * it names something in `input`: every segment exists, except that the last may be a key missing from an
 * object (a required field that was left out).
 */
export function namesInputPath(property: string, input: unknown): boolean {
  if (property === "(inputs)") return true;
  const segments: (string | number)[] = [];
  const re = /^(?:([A-Za-z_$][\w$]*)|\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;
  let rest = property;
  while (rest.length > 0) {
    const m = re.exec(rest);
    if (!m) return false;
    if (m[1] !== undefined && segments.length > 0) return false;
    segments.push(
      m[3] !== undefined
        ? Number(m[3])
        : m[4] !== undefined
          ? (JSON.parse(m[4]) as string)
          : ((m[1] ?? m[2]) as string),
    );
    rest = rest.slice(m[0].length);
  }
  if (segments.length === 0) return false;
  let cursor: unknown = input;
  for (const [i, segment] of segments.entries()) {
    if (cursor === null || typeof cursor !== "object") return false;
    const has = Array.isArray(cursor)
      ? typeof segment === "number" && segment < cursor.length
      : Object.hasOwn(cursor, segment);
    if (!has) return i === segments.length - 1 && !Array.isArray(cursor);
    cursor = (cursor as Record<string | number, unknown>)[segment];
  }
  return true;
}

describe("fuzz: check over generated inputs (fast-check, fixed seeds)", function () {
  this.timeout(60_000);
  let undici: { request: (...args: unknown[]) => unknown };
  let original: (...args: unknown[]) => unknown;
  let requests = 0;

  before(function () {
    // Every HTTP request of the package goes through undici's `request` (core/http.ts): count them.
    undici = require("undici") as typeof undici;
    original = undici.request;
    undici.request = (...args: unknown[]) => {
      requests += 1;
      return original(...args);
    };
  });

  after(function () {
    undici.request = original;
  });

  it("the request counter sees a request (so zero below means none was made)", async function () {
    const before = requests;
    await sendJson(
      { method: "GET", url: "http://127.0.0.1:9/" },
      { vendor: "tencent", operation: "probe" },
      { attemptMs: 500 },
    ).catch(() => undefined);
    assert.equal(requests, before + 1);
  });

  it("parses failure paths the way core writes them", function () {
    const input = { a: { "b.c": [1, { d: 2 }] }, roomId: "x" };
    assert.ok(namesInputPath('a["b.c"][1].d', input));
    assert.ok(namesInputPath("roomName", input), "a key missing from an existing object");
    assert.ok(!namesInputPath("a.x.y", input));
    assert.ok(!namesInputPath('a["b.c"][5]', input));
    assert.ok(!namesInputPath("roomId.value", input), "a path into a string");
    assert.ok(!namesInputPath("", input));
  });

  for (const c of CASES) {
    describe(c.label, function () {
      let provider: Checker;
      const check = (news: Props) => provider.check({}, { ...news, __provider: SHIM });

      before(function () {
        provider = c.make();
        // No stack config and no environment: a check that needed credentials would throw.
        return (provider as unknown as { configure(r: unknown): Promise<void> }).configure({
          config: { get: () => undefined, require: () => assert.fail("no config") },
        });
      });

      beforeEach(function () {
        requests = 0;
      });

      afterEach(function () {
        assert.equal(requests, 0, "check made an HTTP request");
      });

      it("accepts every input built from the documented rules, and its own output unchanged", async function () {
        await fc.assert(
          fc.asyncProperty(c.valid, async (input) => {
            const first = await check(input);
            assert.deepEqual(first.failures, [], JSON.stringify(input));
            const again = await check(first.inputs ?? {});
            assert.deepEqual(again.failures, []);
            assert.deepEqual(again.inputs, first.inputs, "normalising twice changes nothing");
          }),
          { numRuns: RUNS, seed: c.seed },
        );
      });

      it("rejects every input that breaks a rule, naming the broken property (and only properties that exist)", async function () {
        await fc.assert(
          fc.asyncProperty(c.valid, mutations(c.mutation), async (base, broken) => {
            const input = defined(broken.reduce((acc, m) => m.apply(acc), base));
            const { failures } = await check(input);
            assert.ok(failures && failures.length > 0, `accepted ${JSON.stringify(input)}`);
            for (const f of failures) {
              assert.ok(
                f.property.length > 0 && namesInputPath(f.property, input),
                `failure names ${JSON.stringify(f.property)}, not in ${JSON.stringify(input)}`,
              );
              assert.ok(f.reason.length > 0);
            }
            const named = failures.map((f) => f.property);
            for (const m of broken) {
              const hit =
                m.property === "(inputs)"
                  ? named.includes("(inputs)")
                  : named.some(
                      (p) => p === m.property || p.startsWith(`${m.property}.`) || p.startsWith(`${m.property}[`),
                    );
              assert.ok(
                hit,
                `broke ${m.property} but the failures name ${JSON.stringify(named)} for ${JSON.stringify(input)}`,
              );
            }
          }),
          { numRuns: RUNS, seed: c.seed + 1 },
        );
      });

      it("tolerates preview unknowns: a valid input with any fields unknown has no failures", async function () {
        await fc.assert(
          fc.asyncProperty(c.valid, fc.subarray([...c.fields], { minLength: 1 }), async (input, unknown) => {
            const news = { ...input };
            for (const field of unknown) news[field] = UNKNOWN;
            const { failures } = await check(news);
            assert.deepEqual(failures, [], JSON.stringify(news));
          }),
          { numRuns: RUNS / 3, seed: c.seed + 2 },
        );
      });

      it("never throws, whatever the shape of the inputs", async function () {
        const anyValue = fc.anything({ maxDepth: 3, withBigInt: false, withDate: true, withNullPrototype: true });
        const known = fc.record(Object.fromEntries(c.fields.map((f) => [f, anyValue])), { requiredKeys: [] });
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(known, fc.dictionary(fc.string(), anyValue, { maxKeys: 6 })),
            fc.oneof(fc.constant({}), known),
            async (news, olds) => {
              const res = await provider.check(olds, { ...news, __provider: SHIM });
              assert.ok(Array.isArray(res.failures ?? []));
            },
          ),
          { numRuns: RUNS, seed: c.seed + 3 },
        );
      });
    });
  }
});
