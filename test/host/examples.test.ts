/**
 * The examples are Pulumi projects a user copies: each must be a well-formed project (Pulumi.yaml,
 * package.json depending on the package, README), compile with the repo's TypeScript, and register the
 * expected resources with the expected inputs when run under mocks. Their deployments (the real program
 * in the real runtime, through pulumi-rooms-local) are in test/engine/examples.test.ts.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { startEmulator } from "../../emulator";
import { TencentRoomSchema } from "../../provider/tencent/schema";
import { SAMPLE } from "../support/tencent-conformance";
import { toCreateBody } from "../../provider/tencent/api";
import { declared, Engine } from "../support/engine";
import { ProviderHost, type Props } from "../support/host";
import { runProgramFile, type ProgramOptions, type Registration } from "../support/program";
import { parsePulumiYaml, type PulumiProject } from "../support/pulumi-yaml";

const REPO = path.resolve(__dirname, "../..");
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
      assert.deepEqual(Object.keys(result.exports ?? {}).sort(), ["tencentInvitees", "tencentRoomId", "tencentRoomStatus", "tencentSchedule", "zegoAttributeSeq", "zegoAttributes", "zegoRoomId"]);
      assert.equal(result.exports?.tencentRoomId, "room-test");
      assert.equal(result.exports?.zegoRoomId, "Room1");
    });
  });

  describe("scheduled-meetings", function () {
    const SERIES = "pulumi-rooms:index:MeetingSeries";
    const asOf = (day: string) => ({ config: { "pulumi-rooms:asOf": day } });
    const rooms = (regs: Registration[], series?: string) => regs.filter((r) => r.type === TENCENT && (!series || r.name.startsWith(`${series}-2`)));
    const startOf = (regs: Registration[], name: string) => new Date((byName(regs, name).inputs.scheduleStartTime as number) * 1000).toISOString();

    it("declares five MeetingSeries, each a component with one Tencent room per occurrence in the window", async function () {
      const regs = await run("scheduled-meetings", asOf("2027-03-22"));
      assert.deepEqual(regs.filter((r) => r.type === SERIES).map((r) => r.name), ["standup", "planning", "design-review", "leads-sync", "demo"]);
      assert.deepEqual(
        ["standup", "planning", "design-review", "leads-sync", "demo"].map((s) => rooms(regs, s).length),
        [10, 1, 2, 2, 2],
        "weekdays 22 March - 2 April; planning every other Monday; Wednesdays; Thursdays; last Fridays of March and April (6-week horizon)",
      );
      for (const r of rooms(regs)) {
        const series = r.urn.split("::")[2];
        assert.equal(series, `${SERIES}$${TENCENT}`, `${r.name} is a child of its series`);
        assert.match(r.inputs.roomId as string, /^[a-z-]+-[0-9a-f]{6}-\d{8}-\d{4}$/);
        assert.ok(Buffer.byteLength(r.inputs.roomId as string) <= 48, `${r.name}: room IDs are at most 48 bytes`);
        assert.equal(r.inputs.roomIdSource, undefined, "the series declares each room ID (not auto-named from the resource name)");
        assert.ok((r.inputs.scheduleInvitees as string[]).length > 0, `${r.name} has invitees`);
        const parsed = TencentRoomSchema.safeParse(r.inputs);
        assert.ok(parsed.success, `${r.name}: ${JSON.stringify(parsed.error?.issues)}`);
      }
      // 09:00 in Berlin is 08:00Z before the change of 28 March and 07:00Z after it.
      assert.equal(startOf(regs, "standup-2027-03-25T0900"), "2027-03-25T08:00:00.000Z");
      assert.equal(startOf(regs, "standup-2027-03-29T0900"), "2027-03-29T07:00:00.000Z");
      // The exception: later, renamed; the leads sync keeps New York's 08:00 (EDT since 14 March).
      assert.equal(startOf(regs, "standup-2027-03-26T0900"), "2027-03-26T09:30:00.000Z");
      assert.equal(byName(regs, "standup-2027-03-26T0900").inputs.roomName, "Stand-up (after the offsite)");
      assert.equal(startOf(regs, "leads-sync-2027-03-25T0800"), "2027-03-25T12:00:00.000Z");
      const quarterly = byName(regs, "design-review-2027-03-31T1600").inputs;
      assert.equal((quarterly.scheduleEndTime as number) - (quarterly.scheduleStartTime as number), 90 * 60);
      assert.equal(quarterly.maxMemberCount, 20);
      assert.deepEqual(byName(regs, "planning-2027-03-22T1400").inputs.scheduleInvitees, ["alice", "bob", "carol", "dan", "erin"]);
    });

    it("rolls with pulumi-rooms:asOf (Easter Monday is skipped) and rejects an asOf that is not a date", async function () {
      const regs = await run("scheduled-meetings", asOf("2027-03-23"));
      const standups = rooms(regs, "standup").map((r) => r.name);
      assert.equal(standups.length, 9);
      assert.ok(!standups.includes("standup-2027-03-22T0900") && !standups.includes("standup-2027-04-05T0900"));
      const before = new Map(rooms(await run("scheduled-meetings", asOf("2027-03-22"))).map((r) => [r.name, r.inputs.roomId]));
      for (const r of rooms(regs)) if (before.has(r.name)) assert.equal(r.inputs.roomId, before.get(r.name), `${r.name} keeps its room ID`);
      await assert.rejects(run("scheduled-meetings", asOf("2027-03-32")), /config pulumi-rooms:asOf must be a date YYYY-MM-DD/);
    });

    it("exports each series' rooms and its iCalendar text", async function () {
      const result = await runProgramFile(path.join(EXAMPLES, "scheduled-meetings", "index.ts"), { project: "scheduled-meetings", ...asOf("2027-03-22") });
      const exports = result.exports as { meetings: Record<string, string[]>; calendars: Record<string, string>; asOf: string };
      assert.equal(exports.asOf, "2027-03-22");
      assert.deepEqual(Object.keys(exports.calendars), ["standup", "planning", "designReview", "leadsSync", "demo"]);
      assert.match(exports.calendars.standup ?? "", /^RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\r$/m);
      assert.match(exports.calendars.standup ?? "", /^EXDATE;TZID=Europe\/Berlin:20270405T090000\r$/m);
      assert.match(exports.meetings.standup?.[5] ?? "", /^2027-03-29T09:00:00\+02:00 standup-[0-9a-f]{6}-20270329-0900 \(planned\)$/);
    });

    it("deploys through the host against the emulator: up, no-change up, destroy", async function () {
      this.timeout(60_000);
      const emu = await startEmulator();
      const host = await ProviderHost.start({ cwd: REPO, project: "scheduled-meetings" });
      try {
        await host.configure(emu.stackConfig(), ["tencent:secretKey", "zego:serverSecret"]);
        const engine = new Engine(host);
        const program = declared(await run("scheduled-meetings", asOf("2027-03-22")));
        await engine.up(program);
        assert.equal(emu.tencent.rooms().length, 17);
        assert.deepEqual([...new Set((await engine.up(program)).map((s) => s.op))], ["same"]);
        await engine.destroy();
        assert.equal(emu.tencent.rooms().length, 0);
      } finally {
        await host.stop();
        await emu.stop();
      }
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
  });

  describe("gitops", function () {
    it("declares one room per vendor and a MeetingSeries of office hours", async function () {
      const regs = await run("gitops", { config: { "pulumi-rooms:asOf": "2027-03-22" } });
      const topLevel = regs.filter((r) => !r.urn.split("::")[2]?.includes("$"));
      assert.deepEqual(topLevel.map((r) => `${r.type.split(":").pop()}/${r.name}`).sort(), ["MeetingSeries/office-hours", "TencentRoom/all-hands", "ZegoRoom/support-lobby"]);
      assert.deepEqual(regs.filter((r) => r.name.startsWith("office-hours-")).map((r) => r.name), ["office-hours-2027-03-23T1500", "office-hours-2027-03-30T1500"]);
    });

    it("its workflow previews pull requests without vendor secrets, deploys merges with them and rolls the window nightly", function () {
      const text = fs.readFileSync(path.join(EXAMPLES, "gitops", ".github", "workflows", "rooms.yml"), "utf8");
      const jobs = splitJobs(text);
      assert.deepEqual(Object.keys(jobs).sort(), ["preview", "roll", "up"]);
      const roll = jobs.roll ?? "";
      assert.match(text, /^\s+schedule:\s*\n\s+- cron: "\d+ 0 \* \* \*"/m, "nightly, shortly after the UTC day starts");
      assert.match(roll, /if: github\.event_name == 'schedule'/);
      assert.match(roll, /command: up/);
      assert.doesNotMatch(roll, /refresh: true/, "a refresh would re-create rooms the vendor already recycled");
      assert.match(roll, /TENCENT_SECRET_KEY: \$\{\{ secrets\.TENCENT_SECRET_KEY \}\}/);
      assert.doesNotMatch(jobs.up ?? "", /schedule/);
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
