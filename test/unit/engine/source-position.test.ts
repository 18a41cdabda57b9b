/**
 * Source positions as the CLI records them (pulumi/pulumi pkg/resource/deploy/source_eval.go,
 * parseSourcePosition): `project:///<path relative to the project root>#line[,column]`, and kept by the
 * checkpoint as `sourcePosition`.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Checkpoint } from "../../../engine/checkpoint";
import { sourcePosition } from "../../../engine/monitor";
import { StackSecrets } from "../../../engine/secrets";
import { emptyStack } from "../../../engine/state";
import { customEntry } from "../../support/fake-provider";

const at = (uri: string, line: number, column = 0) => ({
  getUri: () => uri,
  getLine: () => line,
  getColumn: () => column,
});

describe("engine units: source positions", function () {
  const root = path.resolve("/srv/rooms-project");

  it("a file URI under the project root becomes project:///<relative path>#line,column", function () {
    assert.equal(sourcePosition(at(`file://${root}/index.ts`, 12, 7), root), "project:///index.ts#12,7");
    assert.equal(
      sourcePosition(at(`file://${root}/lib/rooms.ts`, 3), root),
      "project:///lib/rooms.ts#3",
      "no column: the line alone",
    );
  });

  it("what the CLI refuses records nothing: no position, another scheme, a relative path, a negative line", function () {
    assert.equal(sourcePosition(undefined, root), undefined);
    assert.equal(sourcePosition(at("https://example.com/index.ts", 1), root), undefined);
    assert.equal(sourcePosition(at("index.ts", 1), root), undefined);
    assert.equal(sourcePosition(at(`file://${root}/index.ts`, -1), root), undefined);
  });

  it("the checkpoint keeps it through a save and a load", function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-position-"));
    try {
      const stack = emptyStack();
      const urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/rooms:TencentRoom::standup";
      stack.resources.set(urn, customEntry(urn, "standup", { sourcePosition: "project:///index.ts#4,17" }));
      const checkpoint = new Checkpoint(dir, new StackSecrets(dir));
      checkpoint.compact(stack);
      assert.equal(checkpoint.read().deployment.resources?.[0]?.sourcePosition, "project:///index.ts#4,17");
      assert.equal(
        new Checkpoint(dir, new StackSecrets(dir)).load().resources.get(urn)?.sourcePosition,
        "project:///index.ts#4,17",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
