/**
 * The engine's pure parts, without a runtime or host: property paths for ignoreChanges, strict flags, the
 * project and stack files, the checkpoint (v3 shape, atomic write, secrets as ciphertext, pending deletes)
 * and the report's summary. The operation entry point is at the engine level (test/engine/operation.test.ts).
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, UsageError } from "../../../engine/args";
import { Checkpoint } from "../../../engine/checkpoint";
import { Deployment } from "../../../engine/deployment";
import type { ResourceProvider } from "../../../engine/step";
import { StateChanges } from "../../../engine/state-changes";
import { applyIgnoreChanges, parsePropertyPath } from "../../../engine/ignore-changes";
import { loadProject, ProjectError } from "../../../engine/project";
import { Report } from "../../../engine/report";
import { StackSecrets } from "../../../engine/secrets";
import { emptyStack, ordered } from "../../../engine/state";
import { makeUrn, secret, SECRET_SIG, SIG_KEY } from "../../../engine/wire";
import { customEntry, stackEntry } from "../../support/fake-provider";
import { tempDirPerTest } from "../../support/temp-dir";

describe("engine units", function () {
  let tmp = "";
  tempDirPerTest("rooms-engine-", (dir) => (tmp = dir));

  describe("ignoreChanges", function () {
    it("parses Pulumi property paths and names a malformed one", function () {
      assert.deepEqual(parsePropertyPath('attributes["k.1"].value'), ["attributes", "k.1", "value"]);
      assert.deepEqual(parsePropertyPath("scheduleInvitees[2]"), ["scheduleInvitees", 2]);
      assert.throws(() => parsePropertyPath("a..b"), /ignoreChanges: "a\.\.b" is not a property path/);
    });

    it("takes the old value back, or drops the new one when there was none", function () {
      const olds = { roomName: "old", attributes: { a: "1", b: "2" } };
      const news = { roomName: "new", attributes: { a: "9", b: "2" }, customInfo: "x" };
      assert.deepEqual(applyIgnoreChanges(news, olds, ["roomName", "attributes.a", "customInfo"]), {
        roomName: "old",
        attributes: { a: "1", b: "2" },
      });
      assert.deepEqual(news.roomName, "new", "the program's inputs are not changed");
    });
  });

  describe("flags", function () {
    const specs = [
      { name: "cwd", value: "DIR", help: "" },
      { name: "diff", help: "" },
    ];
    it("accepts --flag value, --flag=value and switches; refuses unknown flags listing the valid ones", function () {
      const parsed = parseArgs(["--cwd=a", "--diff"], specs);
      assert.equal(parsed.flags.get("cwd"), "a");
      assert.equal(parsed.flags.get("diff"), true);
      assert.throws(
        () => parseArgs(["--destory"], specs, "hint"),
        (e: Error) =>
          e instanceof UsageError && /unknown flag --destory; valid flags: --cwd DIR, --diff\nhint/.test(e.message),
      );
      assert.throws(() => parseArgs(["--diff=yes"], specs), /--diff takes no value/);
    });
  });

  describe("project and stack files", function () {
    it("reads the program folder, project and stack config (namespaced, structured values as JSON)", function () {
      fs.mkdirSync(path.join(tmp, "src"));
      fs.writeFileSync(
        path.join(tmp, "Pulumi.yaml"),
        "name: demo\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: src/\nconfig:\n  region: { default: ap }\n",
      );
      fs.writeFileSync(
        path.join(tmp, "Pulumi.dev.yaml"),
        "config:\n  demo:rooms: { lobby: { topic: hi } }\n  count: 3\n  zego:appId: '123'\n",
      );
      const p = loadProject(tmp, "dev");
      assert.equal(p.programDir, path.join(tmp, "src"));
      assert.equal(p.typescript, false);
      assert.deepEqual(p.config, {
        "demo:region": "ap",
        "demo:rooms": '{"lobby":{"topic":"hi"}}',
        "demo:count": "3",
        "zego:appId": "123",
      });
    });

    it("refuses encrypted values outside the stack file and other runtimes, naming the file", function () {
      fs.writeFileSync(
        path.join(tmp, "Pulumi.yaml"),
        "name: demo\nruntime: nodejs\nconfig:\n  token:\n    default:\n      secure: AAABA\n",
      );
      assert.throws(
        () => loadProject(tmp, "dev"),
        (e: Error) => e instanceof ProjectError && /Pulumi\.yaml: config token is encrypted/.test(e.message),
      );
      fs.writeFileSync(path.join(tmp, "Pulumi.yaml"), "name: demo\nruntime: python\n");
      assert.throws(() => loadProject(tmp, "dev"), /runtime "python" is not supported/);
    });
  });

  describe("checkpoint", function () {
    const stackUrn = makeUrn("dev", "demo", "pulumi:pulumi:Stack", "demo-dev");
    const roomUrn = makeUrn("dev", "demo", "pulumi-nodejs:dynamic/rooms:ZegoRoom", "lobby", stackUrn);

    it("writes a v3 deployment in dependency order, secrets as ciphertext, and reads it back", function () {
      const state = emptyStack();
      state.resources.set(
        roomUrn,
        customEntry(roomUrn, "lobby", {
          inputs: { roomName: secret("quiet") },
          outputs: { roomName: secret("quiet"), attributeSeq: 1 },
          parent: stackUrn,
        }),
      );
      state.resources.set(stackUrn, stackEntry(stackUrn));
      const old = customEntry(roomUrn, "lobby-old", { parent: stackUrn });
      state.pendingDeletes.push(old);
      const notices: string[] = [];
      const cp = new Checkpoint(
        path.join(tmp, "dev"),
        new StackSecrets(path.join(tmp, "dev"), { env: {}, notice: (m) => notices.push(m) }),
      );
      cp.save(state);
      const text = fs.readFileSync(cp.file, "utf8");
      assert.ok(!text.includes("quiet"), "no plaintext secret");
      const doc = cp.read();
      assert.equal(doc.version, 3);
      assert.deepEqual(
        doc.deployment.resources?.map((r) => [r.id ?? "", r.delete ?? false]),
        [
          ["", false],
          ["lobby-old", true],
          ["lobby", false],
        ],
      );
      assert.equal((doc.deployment.resources?.[2]?.outputs?.roomName as Record<string, unknown>)[SIG_KEY], SECRET_SIG);
      assert.equal(doc.deployment.secrets_providers?.type, "passphrase");
      assert.equal(fs.statSync(path.join(tmp, "dev", "passphrase")).mode & 0o777, 0o600);
      assert.equal(notices.length, 1, "the passphrase file is named once");
      const back = cp.load();
      assert.deepEqual(back.resources.get(roomUrn)?.outputs, { roomName: secret("quiet"), attributeSeq: 1 });
      assert.equal(back.pendingDeletes[0]?.id, "lobby-old");
      assert.deepEqual(
        fs.readdirSync(path.join(tmp, "dev")).sort(),
        ["checkpoint.json", "passphrase"],
        "no temporary file left",
      );
    });

    it("orders each resource after its parent and dependencies", function () {
      const a = { urn: "a", id: "", inputs: {}, outputs: {}, dependencies: ["b"] };
      const b = { urn: "b", id: "", inputs: {}, outputs: {}, parent: "c" };
      const c = { urn: "c", id: "", inputs: {}, outputs: {} };
      assert.deepEqual(
        ordered([a, b, c]).map((r) => r.urn),
        ["c", "b", "a"],
      );
    });

    it("refuses a file that is not a v3 deployment, naming it", function () {
      const cp = new Checkpoint(tmp);
      fs.writeFileSync(cp.file, JSON.stringify({ version: 2, deployment: {} }));
      assert.throws(() => cp.load(), /checkpoint .*checkpoint\.json is not a version 3 deployment/);
    });
  });

  it("the summary counts like the CLI and hides secrets in outputs", function () {
    const lines: string[] = [];
    const report = new Report((l) => lines.push(l));
    report.summary(
      "up",
      [
        { urn: "u::a", op: "create" },
        { urn: "u::b", op: "same" },
        { urn: "u::c", op: "replace" },
        { urn: "u::d", op: "delete", error: new Error("x") },
      ],
      { token: secret("s3"), id: "room" },
      true,
    );
    const text = lines.join("\n");
    assert.match(text, /Outputs:\n {4}token: "\[secret\]"\n {4}id: "room"/);
    assert.match(text, /Resources:\n {4}\+ 1 created\n {4}\+-1 replaced\n {4}1 unchanged\n {4}1 failed/);
    assert.match(text, /error: up failed/);
  });
  describe("steps", function () {
    it("a create-before-delete replacement records the old room as a pending delete in the same write as its successor", async function () {
      const urn = makeUrn("demo", "proj", "pulumi-nodejs:dynamic:Resource", "room");
      const stack = emptyStack();
      stack.resources.set(urn, customEntry(urn, "old-id", { inputs: { roomId: "a" }, outputs: { roomId: "a" } }));
      // A host that plans a replacement with a new ID (no deleteBeforeReplace) and creates it.
      const host = {
        check: async (_urn: string, _olds: unknown, news: Record<string, unknown>) => ({ inputs: news, failures: [] }),
        diff: async () => ({ changes: "DIFF_SOME", replaces: ["roomId"], deleteBeforeReplace: false }),
        create: async () => ({ id: "new-id", properties: { roomId: "b" } }),
      } as unknown as ResourceProvider;
      const writes: { id?: string; pending: string[] }[] = [];
      const changes = new StateChanges(stack, (change) => {
        if (change.kind !== "begin" && change.kind !== "end")
          writes.push({ id: stack.resources.get(urn)?.id, pending: stack.pendingDeletes.map((r) => r.id) });
      });
      const deployment = new Deployment({ changes, provider: async () => host, preview: false });
      const outcome = await deployment.register({
        urn,
        type: "pulumi-nodejs:dynamic:Resource",
        custom: true,
        inputs: { roomId: "b" },
      });
      assert.equal(outcome.step.op, "replace");
      const first = writes.find((w) => w.id === "new-id");
      assert.deepEqual(
        first,
        { id: "new-id", pending: ["old-id"] },
        "a crash after this write would otherwise orphan the old room",
      );
    });
  });
});
