import assert from "node:assert/strict";
import { z } from "zod";
import { RoomApiError } from "../../../provider/core/errors";
import { checkWithSchema, containsUnknown, propertyPath, UNKNOWN } from "../../../provider/core/check";
import { deepEqual, jsonSafe } from "../../../provider/core/json";
import { createOrAdopt, deleteIdempotent, diffByRules } from "../../../provider/core/lifecycle";

const schema = z.strictObject({
  roomId: z.string().min(1, "must not be empty"),
  size: z.number().int("must be a whole number").max(10, "must be at most 10").optional(),
  tags: z.array(z.string().max(3, "must be at most 3 characters")).optional(),
  attrs: z.record(z.string(), z.strictObject({ value: z.string() })).optional(),
});

const vendorError = (code: number) =>
  new RoomApiError({ vendor: "zego", operation: "op", kind: "vendor", code, vendorMessage: "m", retryable: false });

describe("core/lifecycle", () => {
  describe("checkWithSchema", () => {
    it("returns every failure with its property path", () => {
      const out = checkWithSchema(schema, {
        roomId: "",
        size: 11.5,
        tags: ["ok", "toolong"],
        extra: 1,
        __provider: "x",
      });
      const props = out.failures.map((f) => f.property).sort();
      assert.deepEqual(props, ["extra", "roomId", "size", "tags[1]"].sort());
      assert.ok(out.failures.find((f) => f.property === "extra")?.reason === 'unknown input "extra"');
    });

    it("ignores __provider and returns normalised inputs on success", () => {
      const out = checkWithSchema(schema, { roomId: "r", __provider: "code" });
      assert.deepEqual(out, { inputs: { roomId: "r" }, failures: [] });
    });

    it("tolerates unknown values anywhere during preview", () => {
      const out = checkWithSchema(schema, {
        roomId: UNKNOWN,
        size: UNKNOWN,
        tags: ["a", UNKNOWN],
        attrs: { k: { value: UNKNOWN } },
      });
      assert.deepEqual(out.failures, []);
      assert.equal(out.inputs.roomId, UNKNOWN);
    });

    it("still reports real failures next to unknown values", () => {
      const out = checkWithSchema(schema, { roomId: UNKNOWN, size: 99 });
      assert.deepEqual(
        out.failures.map((f) => f.property),
        ["size"],
      );
    });

    it("names each unrecognised key as its own property, with the nearest input, even next to unknowns", () => {
      const out = checkWithSchema(
        schema,
        { roomId: UNKNOWN, sise: 1, Tags: [], other: 2, attrs: { k: { value: "v", valu: "w" } } },
        { inputNames: ["roomId", "size", "tags", "attrs"] },
      );
      assert.deepEqual(
        [...out.failures].sort((a, b) => a.property.localeCompare(b.property)),
        [
          { property: "attrs.k.valu", reason: 'unknown field "valu"' },
          { property: "other", reason: 'unknown input "other"; valid inputs: roomId, size, tags, attrs' },
          {
            property: "sise",
            reason: 'unknown input "sise" (did you mean "size"?); valid inputs: roomId, size, tags, attrs',
          },
          {
            property: "Tags",
            reason: 'unknown input "Tags" (did you mean "tags"?); valid inputs: roomId, size, tags, attrs',
          },
        ],
      );
    });
  });

  it("formats property paths like Pulumi", () => {
    assert.equal(propertyPath(["attributes", "topic", "value"]), "attributes.topic.value");
    assert.equal(propertyPath(["scheduleInvitees", 3]), "scheduleInvitees[3]");
    assert.equal(propertyPath(["attributes", "a.b", "value"]), 'attributes["a.b"].value');
    assert.equal(propertyPath([]), "(inputs)");
  });

  describe("diffByRules", () => {
    const rules = { roomId: "replace", name: "replace", size: "update", operator: "ignore" } as const;
    it("reports no change for equal values and for unmanaged (absent) inputs", () => {
      const d = diffByRules(
        { roomId: "r", name: "n", size: 3, operator: "a" },
        { roomId: "r", name: "n", operator: "b" },
        rules,
        "roomId",
      );
      assert.deepEqual(d, { changes: false, replaces: [], updates: [], deleteBeforeReplace: false });
    });
    it("updates in place", () => {
      const d = diffByRules({ roomId: "r", size: 3 }, { roomId: "r", size: 4 }, rules, "roomId");
      assert.deepEqual(d, { changes: true, replaces: [], updates: ["size"], deleteBeforeReplace: false });
    });
    it("replaces with deleteBeforeReplace when the room ID stays the same", () => {
      const d = diffByRules({ roomId: "r", name: "a" }, { roomId: "r", name: "b" }, rules, "roomId");
      assert.deepEqual(d, { changes: true, replaces: ["name"], updates: [], deleteBeforeReplace: true });
    });
    it("replaces without deleteBeforeReplace when the room ID changes", () => {
      const d = diffByRules({ roomId: "r", name: "a" }, { roomId: "s", name: "a" }, rules, "roomId");
      assert.deepEqual(d, { changes: true, replaces: ["roomId"], updates: [], deleteBeforeReplace: false });
    });
    it("treats unknown values as changes and deletes first when the ID is unknown", () => {
      const d = diffByRules(
        { roomId: "r", name: "a", size: 1 },
        { roomId: UNKNOWN, name: "a", size: UNKNOWN },
        rules,
        "roomId",
      );
      assert.deepEqual(d, { changes: true, replaces: ["roomId"], updates: ["size"], deleteBeforeReplace: true });
    });
  });

  it("compares JSON structurally regardless of key order", () => {
    assert.ok(deepEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }));
    assert.ok(!deepEqual({ a: [1, 2] }, { a: [2, 1] }));
    assert.ok(deepEqual({ a: 1, b: undefined }, { a: 1 }));
    assert.ok(containsUnknown({ a: [{ b: UNKNOWN }] }));
  });

  it("makes outputs JSON-safe", () => {
    assert.deepEqual(jsonSafe({ a: undefined, b: [1, undefined, { c: undefined, d: new Date(0) }] }), {
      b: [1, { d: "1970-01-01T00:00:00.000Z" }],
    });
    assert.throws(() => jsonSafe({ n: BigInt(1) }), /n has type bigint/);
    assert.throws(() => jsonSafe({ n: NaN }), /not a finite number/);
  });

  it("adopts on an 'exists' answer and rethrows the rest", async () => {
    assert.equal(
      await createOrAdopt(
        () => Promise.reject(vendorError(1)),
        (e) => e.code === 1,
        async () => "adopted",
      ),
      "adopted",
    );
    await assert.rejects(
      createOrAdopt(
        () => Promise.reject(vendorError(2)),
        (e) => e.code === 1,
        async () => "adopted",
      ),
      /\[2\]/,
    );
  });

  it("treats 'gone' as a successful delete and rethrows the rest", async () => {
    await deleteIdempotent(
      () => Promise.reject(vendorError(404)),
      (e) => e.code === 404,
    );
    await assert.rejects(
      deleteIdempotent(
        () => Promise.reject(vendorError(500)),
        (e) => e.code === 404,
      ),
    );
  });
});
