/**
 * The published package, as a user gets it: `npm pack` the built repo, install the tarball into a fresh
 * project next to `@pulumi/pulumi`, serialize the resources from the *installed* copy (a child node inside
 * that project, under mocks) and run the host lifecycle from there (host cwd = that project). This is the
 * only test that catches a broken `exports` map or a file missing from the package (docs/engine-protocol.md, "Serialized providers and the `exports` map"):
 * in the repo the shim's `require("pulumi-rooms/...")` resolves through the self-link to the work tree.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { declared, Engine, type Declared } from "../support/engine";
import { ProviderHost } from "../support/host";
import { packAndInstall, REPO } from "../support/pack";
import { runProgram, runProgramInChild, type Registration } from "../support/program";

const PROJECT = "rooms-packed";
const SECRET_KEYS = ["tencent:secretKey", "zego:serverSecret"];

/** The program a user would write, in plain JavaScript (no compiler in the temp project). */
const PROGRAM = `
const { TencentRoom, ZegoRoom } = require("pulumi-rooms");
const pulumi = require("@pulumi/pulumi");
const config = new pulumi.Config();
const name = config.get("roomName") || "Packed meeting";
new TencentRoom("packed-tencent", {
  roomName: name,
  ownerAccount: "user2",
  maxMemberCount: 50,
  scheduleStartTime: "2027-03-01T09:00:00Z",
  scheduleEndTime: "2027-03-01T10:00:00Z",
  scheduleInvitees: ["user1", "user3"],
});
new ZegoRoom("packed-zego", {
  roomName: "Packed lobby",
  destroyDelayTime: 600,
  attributes: { topic: config.get("topic") || "welcome", stage: { value: "open", autoDelete: true } },
});
`;

describe("packed install (npm pack -> npm install -> host from the installed copy)", function () {
  this.timeout(60_000);
  let tmp: string;
  let emu: Emulator;
  let host: ProviderHost;
  let engine: Engine;
  const packedFiles: string[] = [];

  before(async function () {
    this.timeout(240_000);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-packed-"));
    const installed = packAndInstall(tmp, PROJECT, PROGRAM);
    packedFiles.push(...installed.files);
    const project = installed.project;
    emu = await startEmulator();
    host = await ProviderHost.start({ cwd: project, project: PROJECT });
    await host.configure(emu.stackConfig(), SECRET_KEYS);
    engine = new Engine(host);
  });

  after(async function () {
    this.timeout(120_000);
    await host?.stop();
    await emu?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  const projectDir = (): string => path.join(tmp, "project");
  const program = async (config: Record<string, string> = {}): Promise<{ regs: Registration[]; decls: Declared[] }> => {
    const run = await runProgramInChild(projectDir(), "index.js", {
      project: PROJECT,
      config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    });
    return { regs: run.registrations, decls: declared(run.registrations) };
  };

  it("ships the built provider, emulator and README, and no sources or tests", function () {
    for (const file of [
      "package.json",
      "README.md",
      "dist/provider/index.js",
      "dist/provider/index.d.ts",
      "dist/provider/tencent/provider.d.ts",
      "dist/host/tencent.js",
      "dist/host/zego.js",
      "dist/emulator/index.js",
      "dist/engine/cli.js",
      "dist/engine/local.js",
      "dist/engine/local.d.ts",
    ]) {
      assert.ok(packedFiles.includes(file), `${file} is not in the tarball`);
    }
    for (const file of packedFiles)
      assert.doesNotMatch(
        file,
        /^(test|examples|scripts|provider|emulator)\/|\.ts$(?<!\.d\.ts$)/,
        `${file} should not be published`,
      );
  });

  it("installs as a real copy whose exports map resolves the shim's require targets", function () {
    const installed = path.join(projectDir(), "node_modules", "pulumi-rooms");
    assert.equal(fs.lstatSync(installed).isSymbolicLink(), false, "must be an installed copy, not a link to the repo");
    const specs = [
      "pulumi-rooms",
      "pulumi-rooms/tencent",
      "pulumi-rooms/zego",
      "pulumi-rooms/emulator",
      "pulumi-rooms/local",
      "pulumi-rooms/package.json",
    ];
    // Resolved by a node inside the project: from this repo, Node would self-resolve "pulumi-rooms".
    const script = "for (const s of JSON.parse(process.argv[1])) console.log(require.resolve(s))";
    const resolved = execFileSync(process.execPath, ["-e", script, JSON.stringify(specs)], {
      cwd: projectDir(),
      encoding: "utf8",
    })
      .trim()
      .split("\n");
    specs.forEach((spec, i) =>
      assert.ok(resolved[i]?.startsWith(installed + path.sep), `${spec} resolved to ${resolved[i]}`),
    );
  });

  it("loads the host entry points from one bundle each, with zod inlined and tree-shaken, and every hook there", function () {
    const installed = path.join(projectDir(), "node_modules", "pulumi-rooms");
    // As in the host: @pulumi/pulumi is loaded, then the shim requires the entry point and calls check.
    const script = `
      require("@pulumi/pulumi");
      const before = new Set(Object.keys(require.cache));
      const spec = process.argv[1];
      const entry = require(spec);
      entry.check({}, { roomId: "bundle-check", roomName: "Bundle check" }).then((res) => {
        const hooks = ["configure", "check", "diff", "create", "read", "update", "delete"].filter((h) => typeof entry[h] === "function");
        const loaded = Object.keys(require.cache).filter((file) => !before.has(file));
        console.log(JSON.stringify({ resolved: require.resolve(spec), loaded, hooks, failures: res.failures }));
      }).catch((err) => { console.error(err); process.exit(1); });`;
    for (const vendor of ["tencent", "zego"]) {
      const out = JSON.parse(
        execFileSync(process.execPath, ["-e", script, `pulumi-rooms/${vendor}`], {
          cwd: projectDir(),
          encoding: "utf8",
        }),
      ) as {
        resolved: string;
        loaded: string[];
        hooks: string[];
        failures: unknown[];
      };
      const bundle = path.join(installed, "dist", "host", `${vendor}.js`);
      assert.equal(out.resolved, bundle);
      assert.deepEqual(out.hooks, ["configure", "check", "diff", "create", "read", "update", "delete"]);
      assert.deepEqual(out.failures, []);
      // The bundle is the only file of ours, and nothing of zod is loaded from node_modules (locales included).
      assert.deepEqual(
        out.loaded.filter((file) => file.startsWith(installed + path.sep)),
        [bundle],
      );
      assert.deepEqual(
        out.loaded.filter((file) => file.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)),
        [],
      );
    }
  });

  it("pulumi-rooms/local from the installed copy: a preview through it, its types with node10 and node16 resolution", function () {
    this.timeout(180_000);
    const script = `
      const { LocalWorkspace } = require("pulumi-rooms/local");
      (async () => {
        const stack = await LocalWorkspace.createOrSelectStack({ workDir: process.cwd(), stackName: "packed" });
        const preview = await stack.preview();
        await stack.close();
        console.log(JSON.stringify({ resolved: require.resolve("pulumi-rooms/local"), changes: preview.changeSummary }));
      })().catch((err) => { console.error(err); process.exit(1); });`;
    const lines = execFileSync(process.execPath, ["-e", script], { cwd: projectDir(), encoding: "utf8" }).trim();
    const out = JSON.parse(lines.split("\n").pop() ?? "") as { resolved: string; changes: Record<string, number> };
    assert.equal(out.resolved, path.join(projectDir(), "node_modules", "pulumi-rooms", "dist", "engine", "local.js"));
    assert.deepEqual(out.changes, { create: 3 });
    const file = path.join(projectDir(), "local-types.ts");
    fs.writeFileSync(
      file,
      'import { LocalWorkspace, type TencentRoomRecord, type UpResult } from "pulumi-rooms/local";\n' +
        "export const open: typeof LocalWorkspace.createOrSelectStack = LocalWorkspace.createOrSelectStack;\n" +
        'export type Seen = [UpResult["outputs"], TencentRoomRecord["RoomName"]];\n',
    );
    const tsc = [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "--strict", "--skipLibCheck"];
    for (const resolution of ["commonjs --moduleResolution node10", "node16 --moduleResolution node16"])
      execFileSync(process.execPath, [...tsc, "--module", ...resolution.split(" "), file], { cwd: projectDir() });
  });

  it("installs the pulumi-rooms-local command, which starts from the installed copy", function () {
    const bin = path.join(projectDir(), "node_modules", ".bin", "pulumi-rooms-local");
    const run = spawnSync(bin, ["--help"], { cwd: projectDir(), encoding: "utf8", timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /usage: pulumi-rooms-local <command>/);
    assert.match(run.stderr, /never a real vendor/);
  });

  it("serves the emulator's web console from the installed copy: page, script, style and uPlot (no CDN)", function () {
    const script = `
      const { startEmulator } = require("pulumi-rooms/emulator");
      (async () => {
        const emu = await startEmulator();
        const out = {};
        for (const p of ["/", "/console/console.js", "/console/console.css", "/console/uPlot.iife.min.js", "/console/uPlot.min.css"]) {
          const res = await fetch(emu.url + p);
          out[p] = [res.status, (await res.text()).length];
        }
        await emu.stop();
        console.log(JSON.stringify(out));
      })().catch((err) => { console.error(err); process.exit(1); });`;
    const out = JSON.parse(
      execFileSync(process.execPath, ["-e", script], { cwd: projectDir(), encoding: "utf8" }),
    ) as Record<string, [number, number]>;
    for (const [file, [status, length]] of Object.entries(out)) {
      assert.equal(status, 200, file);
      assert.ok(length > 1000, `${file} has content (${length} characters)`);
    }
  });

  it("serializes the same small, secret-free __provider from the installed copy as from the repo", async function () {
    const { regs } = await program();
    assert.deepEqual(regs.map((r) => r.type).sort(), [
      "pulumi-nodejs:dynamic/rooms:TencentRoom",
      "pulumi-nodejs:dynamic/rooms:ZegoRoom",
    ]);
    const repoRun = await runProgram(() => {
      const { TencentRoom, ZegoRoom } = require("pulumi-rooms") as typeof import("../../provider");
      new TencentRoom("repo-tencent", { roomName: "x" });
      new ZegoRoom("repo-zego", { roomName: "x" });
    });
    for (const reg of regs) {
      const fromRepo = repoRun.registrations.find((r) => r.type === reg.type);
      assert.equal(reg.provider, fromRepo?.provider, `${reg.type}: installed and repo serializations differ`);
      assert.ok(
        Buffer.byteLength(reg.provider ?? "") < 2048,
        `${reg.type} __provider is ${Buffer.byteLength(reg.provider ?? "")} bytes`,
      );
      for (const key of SECRET_KEYS) assert.ok(!(reg.provider ?? "").includes(emu.stackConfig()[key] ?? "\u0000"));
    }
  });

  it("preview, up, a no-change up, refresh, an in-place update and destroy, all from the installed copy", async function () {
    const first = await program();
    const plan = await engine.preview(first.decls);
    assert.deepEqual(
      plan.map((s) => s.op),
      ["create", "create"],
    );
    await engine.up(first.decls);
    // Auto-named from the installed copy too: the resource name plus the stack-scoped hash.
    const ids = { tencent: engine.get("packed-tencent").id, zego: engine.get("packed-zego").id };
    assert.match(ids.tencent, /^packed-tencent-[0-9a-f]{8}$/);
    assert.ok(emu.tencent.room(ids.tencent), "Tencent room created");
    assert.ok(emu.zego.room(ids.zego), "ZEGO room created");
    const again = await engine.up(first.decls);
    assert.deepEqual(
      again.map((s) => s.op),
      ["same", "same"],
    );
    const refreshed = await engine.refresh();
    assert.deepEqual(
      refreshed.map((s) => s.op === "refresh-delete"),
      [false, false],
    );
    assert.deepEqual(
      (await engine.preview(first.decls)).map((s) => s.op),
      ["same", "same"],
    );
    const changed = await program({ roomName: "Renamed meeting", topic: "release" });
    const updated = await engine.up(changed.decls);
    assert.deepEqual(
      updated.map((s) => s.op),
      ["update", "update"],
    );
    assert.equal(emu.tencent.room(ids.tencent)?.RoomName, "Renamed meeting");
    assert.equal(emu.zego.room(ids.zego)?.attributes.find((a) => a.key === "topic")?.value, "release");
    await engine.destroy();
    assert.equal(emu.tencent.room(ids.tencent), undefined);
    assert.equal(emu.zego.room(ids.zego), undefined);
  });
});
