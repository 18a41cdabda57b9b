/**
 * The examples are Pulumi projects a user copies: each must be a well-formed project (Pulumi.yaml,
 * package.json depending on the package, README), compile with the repo's TypeScript, and register the
 * expected resources with the expected inputs when run under mocks. The scheduled-meetings example is in
 * examples-series.test.ts; the deployments (the real program in the real runtime, through
 * pulumi-rooms-local) are in test/engine/examples.test.ts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { TencentRoomSchema } from "../../provider/tencent/schema";
import { SAMPLE } from "../support/tencent-conformance";
import { toCreateBody } from "../../provider/tencent/api";
import { byName, entryOf, EXAMPLES, project, REPO, run, TENCENT, ZEGO } from "../support/examples";
import type { Props } from "../support/host";
import { runProgramFile } from "../support/program";

const EXPECTED = ["attributes", "gitops", "meeting-rooms", "scheduled-meetings"];

describe("examples", function () {
  it("are exactly the documented four, each a complete Pulumi project", function () {
    const dirs = fs
      .readdirSync(EXAMPLES)
      .filter((d) => fs.statSync(path.join(EXAMPLES, d)).isDirectory())
      .sort();
    assert.deepEqual(dirs, EXPECTED);
    for (const example of dirs) {
      const dir = path.join(EXAMPLES, example);
      const p = project(dir);
      assert.match(p.name ?? "", /^[A-Za-z0-9._-]+$/, `${example}: Pulumi.yaml name`);
      assert.equal(p.runtime, "nodejs", `${example}: runtime`);
      assert.ok(entryOf(dir, p.main), `${example}: main must resolve to a file`);
      assert.ok(fs.existsSync(path.join(dir, "README.md")), `${example}: README.md`);
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name: string;
        dependencies: Record<string, string>;
      };
      assert.equal(pkg.dependencies["pulumi-rooms"], "file:../..", `${example}: depends on the package in this repo`);
      assert.ok(pkg.dependencies["@pulumi/pulumi"], `${example}: depends on @pulumi/pulumi`);
      assert.equal(pkg.name, p.name, `${example}: package name matches the project name`);
    }
  });

  it("the root Pulumi.yaml (the main job's project) runs examples/meeting-rooms, which type-checks under the root tsconfig", function () {
    this.timeout(60_000);
    const root = project(REPO);
    assert.equal(root.runtime, "nodejs");
    assert.equal(root.runtimeOptions.typescript, "true");
    const entry = entryOf(REPO, root.main);
    assert.equal(entry, path.join(EXAMPLES, "meeting-rooms", "index.ts"));
    // Pulumi's ts-node runs from the project folder with its tsconfig.json (here the repo's), type-checking.
    const parsed = ts.getParsedCommandLineOfConfigFile(
      path.join(REPO, "tsconfig.json"),
      { noEmit: true },
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
      },
    );
    assert.ok(parsed && entry);
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram({ rootNames: [entry], options: parsed.options }));
    const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => REPO, getNewLine: () => "\n" };
    assert.equal(diagnostics.length, 0, ts.formatDiagnostics(diagnostics, host));
  });

  it("compile with the repo's TypeScript under their own tsconfig.json (strict)", function () {
    this.timeout(60_000);
    // Examples with identical compiler options compile as one program (several times faster).
    const groups = new Map<string, { options: ts.CompilerOptions; files: string[] }>();
    for (const example of EXPECTED) {
      const configPath = path.join(EXAMPLES, example, "tsconfig.json");
      const parsed = ts.getParsedCommandLineOfConfigFile(
        configPath,
        { noEmit: true },
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
        },
      );
      assert.ok(parsed, `${example}: tsconfig.json`);
      assert.equal(parsed.options.strict, true, `${example}: strict`);
      const key = JSON.stringify({ ...parsed.options, configFilePath: undefined });
      const group = groups.get(key) ?? { options: parsed.options, files: [] };
      group.files.push(...parsed.fileNames);
      groups.set(key, group);
    }
    for (const { options, files } of groups.values()) {
      const program = ts.createProgram({ rootNames: files, options });
      const diagnostics = ts.getPreEmitDiagnostics(program);
      const host = { getCanonicalFileName: (f: string) => f, getCurrentDirectory: () => REPO, getNewLine: () => "\n" };
      assert.equal(diagnostics.length, 0, ts.formatDiagnostics(diagnostics, host));
    }
  });

  describe("meeting-rooms", function () {
    it("declares Tencent's sample create_room request (new times) and ZEGO's CreateRoom example", async function () {
      const regs = await run("meeting-rooms");
      assert.deepEqual(regs.map((r) => r.type).sort(), [TENCENT, ZEGO]);
      const conference = byName(regs, "conference");
      // What the provider would send: the vendor page's sample body, field for field, except the schedule.
      const parsed = TencentRoomSchema.safeParse(conference.inputs);
      assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
      const body = toCreateBody(parsed.data) as { RoomInfo: Props; ScheduleInviteeList_Account: string[] };
      const start = Date.parse("2027-03-01T09:00:00Z") / 1000;
      assert.deepEqual(body.RoomInfo, { ...SAMPLE.RoomInfo, ScheduleStartTime: start, ScheduleEndTime: start + 1000 });
      assert.deepEqual(body.ScheduleInviteeList_Account, ["user1", "user2", "user3"]);
      assert.deepEqual(byName(regs, "lobby").inputs, {
        roomId: "Room1",
        roomName: "RoomName1",
        destroyDelayTime: 3600,
        fromUserId: "User1",
        attributes: { k1: "v1", k2: { value: "v2", autoDelete: true } },
      });
    });

    it("is deterministic (same inputs on every run) and honours the scheduleStart config", async function () {
      const a = await run("meeting-rooms");
      const b = await run("meeting-rooms");
      assert.deepEqual(byName(a, "conference").inputs, byName(b, "conference").inputs);
      const moved = await run("meeting-rooms", { config: { "meeting-rooms:scheduleStart": "2027-06-01T12:00:00Z" } });
      assert.equal(byName(moved, "conference").inputs.scheduleStartTime, Date.parse("2027-06-01T12:00:00Z") / 1000);
    });

    it("exports the room IDs, schedule and attributes as stack outputs", async function () {
      const dir = path.join(EXAMPLES, "meeting-rooms");
      const result = await runProgramFile(path.join(dir, "index.ts"), { project: "meeting-rooms" });
      assert.deepEqual(Object.keys(result.exports ?? {}).sort(), [
        "tencentInvitees",
        "tencentRoomId",
        "tencentRoomStatus",
        "tencentSchedule",
        "zegoAttributeSeq",
        "zegoAttributes",
        "zegoRoomId",
      ]);
      assert.equal(result.exports?.tencentRoomId, "room-test");
      assert.equal(result.exports?.zegoRoomId, "Room1");
    });
  });

  describe("attributes", function () {
    const rooms = { lobby: { topic: "welcome", stage: "open", "~greeter": "bot-1" }, support: { queue: 3 } };
    const config = (r: unknown, extra: Record<string, string> = {}) => ({
      config: { "room-attributes:rooms": JSON.stringify(r), ...extra },
    });

    it("declares one ZEGO room per configured room, attributes from config (~ means autoDelete)", async function () {
      const regs = await run("attributes", config(rooms));
      assert.deepEqual(regs.map((r) => [r.type, r.name]).sort(), [
        [ZEGO, "lobby"],
        [ZEGO, "support"],
      ]);
      assert.deepEqual(byName(regs, "lobby").inputs.attributes, {
        topic: "welcome",
        stage: "open",
        greeter: { value: "bot-1", autoDelete: true },
      });
      assert.deepEqual(byName(regs, "support").inputs.attributes, { queue: "3" });
      assert.equal(byName(regs, "support").inputs.destroyDelayTime, 3600);
      const defaults = await run("attributes");
      assert.deepEqual(defaults.map((r) => r.name).sort(), ["lobby", "support"]);
    });
  });

  describe("gitops", function () {
    it("declares one room per vendor and a MeetingSeries of office hours", async function () {
      const regs = await run("gitops", { config: { "pulumi-rooms:asOf": "2027-03-22" } });
      const topLevel = regs.filter((r) => !r.urn.split("::")[2]?.includes("$"));
      assert.deepEqual(topLevel.map((r) => `${r.type.split(":").pop()}/${r.name}`).sort(), [
        "MeetingSeries/office-hours",
        "TencentRoom/all-hands",
        "ZegoRoom/support-lobby",
      ]);
      assert.deepEqual(
        regs.filter((r) => r.name.startsWith("office-hours-")).map((r) => r.name),
        ["office-hours-2027-03-23T1500", "office-hours-2027-03-30T1500"],
      );
    });
  });
});
