/**
 * pulumi-rooms-local beyond the examples: the resource options it honours and one it refuses, a vendor
 * refusal and a failing program, and its strict command line.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import type { Step } from "../../engine/step";
import { CLI, REPO, Workspace } from "../support/local-engine";

const FIXTURES = path.join(REPO, "test", "fixtures");

describe("pulumi-rooms-local: resource options, failures, command line", function () {
  this.timeout(600_000);
  const options = new Workspace(path.join(FIXTURES, "room-options"));
  const seen: Record<string, unknown> = {};

  async function optionsLifecycle(): Promise<void> {
    seen.optUp = await options.run("up");
    options.config({ topic: "second" });
    seen.optIgnored = await options.run("up");
    seen.optIgnoredRooms = await options.withEmulator((e) =>
      e.zego.rooms().map((r) => [r.roomId, r.attributes.map((a) => `${a.key}=${a.value}`)]),
    );
    seen.optDestroy = await options.run("destroy");
    seen.optAfterDestroy = {
      state: [...options.checkpoint().resources.values()].map((r) => r.urn.split("::").pop()),
      rooms: await options.withEmulator((e) =>
        [...e.tencent.rooms().map((r) => r.RoomId), ...e.zego.rooms().map((r) => r.roomId)].sort(),
      ),
    };
    options.config({ useImport: true, chatRoom: true });
    await options.withEmulator((e) => e.tencent.addChatGroup("opt-chat"));
    seen.optImport = await options.run("up");
    options.config({ boom: true });
    seen.optBoom = await options.run("preview");
  }

  before(async function () {
    const started = Date.now();
    await optionsLifecycle();
    console.log(`      [engine-local] options lifecycle in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  after(function () {
    options.remove();
  });

  it("honours retainOnDelete, protect and ignoreChanges", function () {
    const up = seen.optUp as { ok: boolean; steps: Step[] };
    assert.ok(up.ok);
    const ignored = seen.optIgnored as { ok: boolean; steps: Step[] };
    assert.ok(ignored.ok);
    assert.deepEqual([...new Set(ignored.steps.map((s) => s.op))], ["same"], "ignoreChanges keeps the old attributes");
    assert.deepEqual((seen.optIgnoredRooms as [string, string[]][]).find(([id]) => id === "opt-tuned")?.[1], [
      "topic=first",
    ]);
    const destroy = seen.optDestroy as { ok: boolean; steps: Step[]; lines: string[] };
    assert.equal(destroy.ok, false, "a protected resource fails the destroy");
    assert.match(destroy.steps.find((s) => s.urn.endsWith("::guarded"))?.error?.message ?? "", /protected/);
    const after = seen.optAfterDestroy as { state: string[]; rooms: string[] };
    assert.ok(
      after.state.includes("guarded") && !after.state.includes("kept") && !after.state.includes("tuned"),
      after.state.join(","),
    );
    assert.deepEqual(
      after.rooms,
      ["opt-guarded", "opt-kept"],
      "retainOnDelete leaves the room; the protected one stays",
    );
  });

  it("refuses an option it cannot honour, naming it", function () {
    const imp = seen.optImport as { ok: boolean; steps: Step[]; lines: string[] };
    assert.equal(imp.ok, false);
    const step = imp.steps.find((s) => s.urn.endsWith("::imported"));
    assert.match(step?.error?.message ?? "", /resource option import cannot be honoured by pulumi-rooms-local/);
    assert.ok(imp.lines.some((l) => /error: .*import cannot be honoured/.test(l)));
  });

  it("a vendor refusal fails the step with the vendor code, RequestId and hint; the others still land", function () {
    const imp = seen.optImport as { ok: boolean; steps: Step[]; lines: string[] };
    const chat = imp.steps.find((s) => s.urn.endsWith("::chat"));
    assert.equal(chat?.op, "create");
    const line = imp.lines.find((l) => l.includes("100011")) ?? "";
    assert.match(line, /^ {4}error: .*100011.*RequestId/, imp.lines.join("\n"));
    assert.match(line, /Chat group/);
    assert.ok(
      imp.steps.some((s) => s.urn.endsWith("::kept") && s.op === "create" && !s.error),
      "the retained room, dropped from state by destroy, is adopted again",
    );
    assert.ok(imp.lines.some((l) => /^error: up failed/.test(l)));
  });

  it("a program that throws fails the operation with its message", function () {
    const boom = seen.optBoom as { ok: boolean; lines: string[] };
    assert.equal(boom.ok, false);
    assert.ok(
      boom.lines.some((l) => l.includes("boom: the program failed before registering everything")),
      boom.lines.join("\n"),
    );
  });

  describe("command line", function () {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 30_000 });

    it("refuses an unknown flag, listing the valid ones", function () {
      const r = cli("up", "--destory");
      assert.equal(r.status, 2);
      assert.match(r.stderr, /unknown flag --destory; valid flags: --cwd DIR, --stack NAME, --help, --diff, --verbose/);
    });

    it("refuses an unknown command and a missing value", function () {
      assert.match(
        cli("deploy").stderr,
        /unknown command "deploy"; commands: preview, up, refresh, destroy, output, export/,
      );
      const r = cli("up", "--cwd");
      assert.equal(r.status, 2);
      assert.match(r.stderr, /--cwd needs a value/);
    });

    it("output of a stack never deployed says to run up first; a folder without Pulumi.yaml is named", function () {
      const r = cli("output", "--json", "--cwd", path.join(REPO, "examples", "gitops"), "--stack", "never-deployed");
      assert.equal(r.status, 2);
      assert.equal(r.stdout, "");
      assert.match(r.stderr, /has no checkpoint .* run `pulumi-rooms-local up` first/);
      // Outside any project: the repository's own folders would find its root Pulumi.yaml by walking up.
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-no-project-"));
      try {
        const bad = cli("preview", "--cwd", outside);
        assert.equal(bad.status, 1);
        assert.match(
          bad.stderr,
          /no Pulumi.yaml in .*rooms-no-project-[^:]* or a folder above it: this is not a Pulumi project\. A pulumi-rooms project holds Pulumi.yaml .*`pulumi-rooms-local new` writes one here/,
        );
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
      assert.ok(!fs.existsSync(path.join(REPO, "examples", "gitops", ".pulumi-rooms", "never-deployed")));
    });
  });
});
