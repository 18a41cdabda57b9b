/**
 * The program's type check beside a transpile-only runtime (engine/type-check.ts, engine/program-run.ts):
 * a type error fails the operation with the message the type-checking runtime gives, before any resource
 * changes and without the program's output; a check that passed is remembered until a file it read changes.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { TYPE_CHECK_CACHE } from "../../engine/type-check";
import { REPO, Workspace } from "../support/local-engine";

const FLEET = path.join(REPO, "test", "fixtures", "room-fleet");
const BROKEN = 'console.log("the program ran");\nconst broken: number = "not a number";\nvoid broken;\n';

describe("pulumi-rooms-local: the program's type check", function () {
  this.timeout(120_000);
  const ws = new Workspace(FLEET);
  const saved = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
  before(function () {
    // test/support/local-engine sets it for the other engine tests: this file tests the engine's own check.
    delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    ws.config({ count: 2 });
  });
  after(function () {
    if (saved === undefined) delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    else process.env.PULUMI_NODEJS_TRANSPILE_ONLY = saved;
    ws.remove();
  });

  /** One verbose operation through the CLI process (the built engine, which holds the checker): its lines. */
  function run(operation: "up" | "preview") {
    const r = ws.cli([operation, "--verbose"]);
    return { ok: r.code === 0, lines: r.stderr.split("\n") };
  }
  const errors = (lines: string[]) => lines.filter((l) => l.trim().startsWith("error:")).map((l) => l.trim());

  it("a type error fails the up with the runtime's own message, before any change and without the program's output", async function () {
    const program = path.join(ws.dir, "index.ts");
    fs.writeFileSync(program, BROKEN + fs.readFileSync(program, "utf8"));
    const up = run("up");
    assert.equal(up.ok, false);
    assert.ok(up.lines.includes("    no resources"), up.lines.join("\n"));
    assert.ok(!up.lines.some((l) => l.includes("the program ran")), up.lines.join("\n"));
    assert.deepEqual(errors(up.lines).slice(0, 3), [
      `error: Running program '${program}' failed with an unhandled exception:`,
      "error: TSError: ⨯ Unable to compile TypeScript:",
      "error: index.ts(2,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    ]);
    assert.equal(ws.checkpoint().resources.size, 0, "nothing recorded, not even the stack");
    assert.deepEqual(await ws.withEmulator((e) => e.tencent.rooms()), []);

    // The same program in a runtime that type-checks as it loads (the escape hatch): the same error lines.
    process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "false";
    try {
      const itself = run("preview");
      assert.deepEqual(errors(itself.lines).slice(0, 3), errors(up.lines).slice(0, 3));
    } finally {
      delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    }
  });

  it("a check that passed is remembered until a file it read changes", async function () {
    ws.edit("index.ts", BROKEN, "");
    const first = run("up");
    assert.equal(first.ok, true, first.lines.join("\n"));
    assert.ok(first.lines.some((l) => l.includes("type check: passed")));
    // Registered while the check ran: every room names the one default provider the state holds (the CLI's
    // `stack import` refuses a resource naming an unknown provider).
    const state = [...ws.checkpoint().resources.values()];
    const providers = state.filter((r) => r.type === "pulumi:providers:pulumi-nodejs").map((r) => `${r.urn}::${r.id}`);
    const rooms = state.filter((r) => r.type?.endsWith(":TencentRoom"));
    assert.equal(providers.length, 1);
    assert.ok(rooms.length >= 2, `rooms: ${rooms.length}`);
    for (const room of rooms) assert.equal(room.provider, providers[0], room.urn);
    assert.ok(fs.existsSync(path.join(ws.stateDir, TYPE_CHECK_CACHE)));
    const again = run("up");
    assert.ok(again.lines.some((l) => l.includes("type check: no file changed since it passed")));

    ws.edit("index.ts", "const rooms", "const wrong: string = 1;\nvoid wrong;\nconst rooms");
    const edited = run("up");
    assert.equal(edited.ok, false);
    assert.match(errors(edited.lines).join("\n"), /index\.ts\(\d+,7\): error TS2322: Type 'number' is not assignable/);
  });
});
