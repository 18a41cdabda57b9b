/**
 * The examples are Pulumi projects a user copies: each must be a well-formed project (Pulumi.yaml,
 * package.json depending on the package, README), compile with the repo's TypeScript, and register the
 * expected resources with the expected inputs when run under mocks. The attributes example also runs
 * through the host against the emulator, since "updated in place" is its point.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { startEmulator, type Emulator } from "../emulator";
import { autoRoomId } from "../provider/core/naming";
import { TencentRoomSchema, toCreateBody } from "../provider/tencent/schema";
import { declared, Engine } from "./support/engine";
import { ProviderHost, type Props } from "./support/host";
import { runProgramFile, type ProgramOptions, type Registration } from "./support/program";
import { parsePulumiYaml, type PulumiProject } from "./support/pulumi-yaml";

const REPO = path.resolve(__dirname, "..");
const EXAMPLES = path.join(REPO, "examples");
const TENCENT = "pulumi-nodejs:dynamic/rooms:TencentRoom";
const ZEGO = "pulumi-nodejs:dynamic/rooms:ZegoRoom";
const EXPECTED = ["attributes", "gitops", "meeting-rooms", "scheduled-meetings"];

function project(dir: string): PulumiProject {
  return parsePulumiYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
}

/** The file a Pulumi.yaml's `main` (default: its folder) runs: a file, or a folder's package.json main / index. */
function entryOf(dir: string, main = "."): string | undefined {
  const target = path.resolve(dir, main);
  if (!fs.existsSync(target)) return undefined;
  if (fs.statSync(target).isFile()) return target;
  const pkgPath = path.join(target, "package.json");
  const pkgMain = fs.existsSync(pkgPath) ? (JSON.parse(fs.readFileSync(pkgPath, "utf8")) as { main?: string }).main : undefined;
  for (const candidate of [pkgMain, "index.ts", "index.js"]) {
    if (candidate && fs.existsSync(path.join(target, candidate)) && fs.statSync(path.join(target, candidate)).isFile()) return path.join(target, candidate);
  }
  return undefined;
}

async function run(example: string, options: ProgramOptions = {}): Promise<Registration[]> {
  const dir = path.join(EXAMPLES, example);
  const entry = entryOf(dir);
  assert.ok(entry);
  return (await runProgramFile(entry, { project: project(dir).name, ...options })).registrations;
}

function byName(regs: Registration[], name: string): Registration {
  const found = regs.find((r) => r.name === name);
  assert.ok(found, `no resource named ${name} (have ${regs.map((r) => r.name).join(", ")})`);
  return found;
}

describe("examples", function () {
  it("are exactly the documented four, each a complete Pulumi project", function () {
    const dirs = fs.readdirSync(EXAMPLES).filter((d) => fs.statSync(path.join(EXAMPLES, d)).isDirectory()).sort();
    assert.deepEqual(dirs, EXPECTED);
    for (const example of dirs) {
      const dir = path.join(EXAMPLES, example);
      const p = project(dir);
      assert.match(p.name ?? "", /^[A-Za-z0-9._-]+$/, `${example}: Pulumi.yaml name`);
      assert.equal(p.runtime, "nodejs", `${example}: runtime`);
      assert.ok(entryOf(dir, p.main), `${example}: main must resolve to a file`);
      assert.ok(fs.existsSync(path.join(dir, "README.md")), `${example}: README.md`);
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; dependencies: Record<string, string> };
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
    const parsed = ts.getParsedCommandLineOfConfigFile(path.join(REPO, "tsconfig.json"), { noEmit: true }, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
    });
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
      const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noEmit: true }, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")),
      });
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
      assert.deepEqual(body.RoomInfo, {
        RoomId: "room-test",
        RoomName: "room-name-test",
        RoomType: "Conference",
        Owner_Account: "user2",
        MaxMemberCount: 300,
        ScheduleStartTime: start,
        ScheduleEndTime: start + 1000,
        IsVideoDisabled: true,
        IsAudioDisabled: true,
        IsMessageDisabled: true,
        IsScreenSharingDisabled: true,
        IsCloudRecordingDisabled: true,
        CustomInfo: "custom123",
        IsSeatEnabled: true,
        MaxSeatCount: 16,
        TakeSeatMode: "ApplyToTake",
      });
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

    it("deploys through the host against the emulator, as `npm start` does minus the CLI: up, no-change up, destroy", async function () {
      const emu = await startEmulator();
      const host = await ProviderHost.start({ cwd: REPO, project: "pulumi-rooms-demo" });
      try {
        await host.configure(emu.stackConfig(), ["tencent:secretKey", "zego:serverSecret"]);
        const engine = new Engine(host);
        const program = declared(await run("meeting-rooms", { project: "pulumi-rooms-demo" }));
        await engine.up(program);
        const room = emu.tencent.room("room-test");
        assert.equal(room?.MaxSeatCount, 16);
        assert.equal(room?.TakeSeatMode, "ApplyToTake");
        assert.deepEqual(room?.Invitees, ["user1", "user2", "user3"]);
        assert.deepEqual(
          emu.zego.room("Room1")?.attributes.map((a) => [a.key, a.value, a.autoDelete]),
          [["k1", "v1", false], ["k2", "v2", true]],
        );
        assert.equal(engine.get("conference").outputs.scheduleEndTime, (engine.get("conference").outputs.scheduleStartTime as number) + 1000);
        assert.deepEqual((await engine.up(program)).map((s) => s.op), ["same", "same"]);
        await engine.destroy();
        assert.equal(emu.tencent.rooms().length + emu.zego.rooms().length, 0);
      } finally {
        await host.stop();
        await emu.stop();
      }
    });

    it("exports the room IDs, schedule and attributes as stack outputs", async function () {
      const dir = path.join(EXAMPLES, "meeting-rooms");
      const result = await runProgramFile(path.join(dir, "index.ts"), { project: "meeting-rooms" });
      assert.deepEqual(Object.keys(result.exports ?? {}).sort(), ["tencentInvitees", "tencentRoomId", "tencentRoomStatus", "tencentSchedule", "zegoAttributeSeq", "zegoAttributes", "zegoRoomId"]);
      assert.equal(result.exports?.tencentRoomId, "room-test");
      assert.equal(result.exports?.zegoRoomId, "Room1");
    });
  });

  describe("scheduled-meetings", function () {
    it("declares a week of Tencent meetings from the table, with invitees, inside that week", async function () {
      const regs = await run("scheduled-meetings");
      assert.equal(regs.length, 9);
      const monday = Date.parse("2027-03-01T00:00:00Z") / 1000;
      for (const r of regs) {
        assert.equal(r.type, TENCENT);
        // Auto-named: the meeting's name plus the stack-scoped hash, within Tencent's 48 bytes.
        assert.equal(r.inputs.roomId, autoRoomId(r.name, "scheduled-meetings", "test", { maxBytes: 48 }));
        assert.equal(r.inputs.roomIdSource, "name");
        assert.ok(Buffer.byteLength(String(r.inputs.roomId)) <= 48, `${r.name}: room IDs are at most 48 bytes`);
        const start = r.inputs.scheduleStartTime as number;
        assert.ok(start >= monday && start < monday + 5 * 86400, `${r.name} starts within the week`);
        assert.ok((r.inputs.scheduleInvitees as string[]).length > 0, `${r.name} has invitees`);
        const parsed = TencentRoomSchema.safeParse(r.inputs);
        assert.ok(parsed.success, `${r.name}: ${JSON.stringify(parsed.error?.issues)}`);
      }
      const standups = regs.filter((r) => r.inputs.roomName === "Stand-up");
      assert.equal(standups.length, 5);
      assert.deepEqual(byName(regs, "2027-03-01-mon-1400-sprint-planning").inputs.scheduleInvitees, ["alice", "bob", "carol", "dan", "erin"]);
    });

    it("moves with the weekOf config and rejects a date that is not a Monday", async function () {
      const regs = await run("scheduled-meetings", { config: { "scheduled-meetings:weekOf": "2027-03-08" } });
      assert.ok(regs.every((r) => r.name.startsWith("2027-03-08-")));
      await assert.rejects(run("scheduled-meetings", { config: { "scheduled-meetings:weekOf": "2027-03-09" } }), /must be a Monday/);
    });
  });

  describe("attributes", function () {
    const rooms = { lobby: { topic: "welcome", stage: "open", "~greeter": "bot-1" }, support: { queue: 3 } };
    const config = (r: unknown, extra: Record<string, string> = {}) => ({ config: { "room-attributes:rooms": JSON.stringify(r), ...extra } });

    it("declares one ZEGO room per configured room, attributes from config (~ means autoDelete)", async function () {
      const regs = await run("attributes", config(rooms));
      assert.deepEqual(regs.map((r) => [r.type, r.name]).sort(), [[ZEGO, "lobby"], [ZEGO, "support"]]);
      assert.deepEqual(byName(regs, "lobby").inputs.attributes, { topic: "welcome", stage: "open", greeter: { value: "bot-1", autoDelete: true } });
      assert.deepEqual(byName(regs, "support").inputs.attributes, { queue: "3" });
      assert.equal(byName(regs, "support").inputs.destroyDelayTime, 3600);
      const defaults = await run("attributes");
      assert.deepEqual(defaults.map((r) => r.name).sort(), ["lobby", "support"]);
    });

    describe("through the host against the emulator", function () {
      let emu: Emulator;
      let host: ProviderHost;
      before(async function () {
        emu = await startEmulator();
        host = await ProviderHost.start({ cwd: REPO, project: "room-attributes" });
        await host.configure(emu.stackConfig(), ["tencent:secretKey", "zego:serverSecret"]);
      });
      after(async function () {
        await host?.stop();
        await emu?.stop();
      });

      it("a config change updates the attribute in place; a destroyDelayTime change replaces", async function () {
        const engine = new Engine(host);
        await engine.up(declared(await run("attributes", config(rooms))));
        const lobby = engine.get("lobby").id;
        const created = emu.zego.room(lobby)?.createdAt;
        assert.ok(created);
        const changed = { ...rooms, lobby: { ...rooms.lobby, topic: "release-party" } };
        const steps = await engine.up(declared(await run("attributes", config(changed))));
        assert.deepEqual(steps.map((s) => [s.urn.split("::").pop(), s.op]).sort(), [["lobby", "update"], ["support", "same"]]);
        assert.equal(emu.zego.room(lobby)?.attributes.find((a) => a.key === "topic")?.value, "release-party");
        assert.equal(emu.zego.room(lobby)?.createdAt, created, "the same room, updated in place");
        const plan = await engine.preview(declared(await run("attributes", config(changed, { "room-attributes:destroyDelayTime": "1800" }))));
        assert.deepEqual(plan.map((s) => s.op), ["replace", "replace"]);
        await engine.destroy();
        assert.equal(emu.zego.rooms().length, 0);
      });
    });
  });

  describe("gitops", function () {
    it("declares one room per vendor", async function () {
      const regs = await run("gitops");
      assert.deepEqual(regs.map((r) => `${r.type.split(":").pop()}/${r.name}`).sort(), ["TencentRoom/all-hands", "ZegoRoom/support-lobby"]);
    });

    it("its workflow previews pull requests without vendor secrets and deploys merges with them", function () {
      const text = fs.readFileSync(path.join(EXAMPLES, "gitops", ".github", "workflows", "rooms.yml"), "utf8");
      const jobs = splitJobs(text);
      assert.deepEqual(Object.keys(jobs).sort(), ["preview", "up"]);
      const preview = jobs.preview ?? "";
      const up = jobs.up ?? "";
      assert.match(text, /^on:\s*\n\s+pull_request:/m);
      assert.match(text, /^\s+push:\s*\n\s+branches: \[main\]/m);
      assert.match(preview, /if: github\.event_name == 'pull_request' && github\.event\.pull_request\.head\.repo\.full_name == github\.repository$/m, "fork PRs get no secrets: the preview job skips them");
      assert.match(preview, /uses: pulumi\/actions@v\d+/);
      assert.match(preview, /command: preview/);
      assert.doesNotMatch(preview, /TENCENT_|ZEGO_|secretKey|serverSecret/, "the preview job must not see vendor secrets");
      assert.match(up, /if: github\.event_name == 'push'/);
      assert.match(up, /uses: pulumi\/actions@v\d+/);
      assert.match(up, /command: up/);
      assert.match(up, /TENCENT_SECRET_KEY: \$\{\{ secrets\.TENCENT_SECRET_KEY \}\}/);
      assert.match(up, /ZEGO_SERVER_SECRET: \$\{\{ secrets\.ZEGO_SERVER_SECRET \}\}/);
      assert.match(fs.readFileSync(path.join(EXAMPLES, "gitops", "README.md"), "utf8"), /rooms\.yml/);
    });
  });
});

/** The text of each job under `jobs:` in a workflow file, by job id. */
function splitJobs(workflow: string): Record<string, string> {
  const jobs: Record<string, string> = {};
  const body = workflow.split(/^jobs:\s*$/m)[1] ?? "";
  let current: string | undefined;
  for (const line of body.split(/\r?\n/)) {
    const m = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line);
    if (m?.[1]) {
      current = m[1];
      jobs[current] = "";
    } else if (current) {
      jobs[current] += `${line}\n`;
    }
  }
  return jobs;
}
