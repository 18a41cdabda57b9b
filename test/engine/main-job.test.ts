/**
 * The main job (`npm start`). Without a Pulumi CLI it runs the example stack through pulumi-rooms-local
 * (the real program in Pulumi's runtime, the real host, the emulator): the rooms land, a second run changes
 * nothing, `--serve` keeps the emulator up, `--destroy` leaves no room, and flags are strict. With a stand-in
 * CLI that records its calls: the sequence of pulumi commands, their environment, secrets passed as secrets
 * and never printed, and the emulator's state file. (With a real CLI, the CLI end-to-end suite covers the
 * real run.)
 */
import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { findPulumiCli, explainMissingCli } from "../../scripts/pulumi-cli";

const REPO = path.resolve(__dirname, "../..");
const MAIN_JOB = path.join(REPO, "dist", "scripts", "main-job.js");

describe("main job (npm start)", function () {
  let home: string;

  before(function () {
    if (!fs.existsSync(MAIN_JOB)) assert.fail(`${MAIN_JOB} is missing: run \`npm run build\` first (npm test does)`);
    home = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-no-cli-"));
  });

  after(function () {
    fs.rmSync(home, { recursive: true, force: true });
  });

  describe("without a Pulumi CLI: pulumi-rooms-local", function () {
    this.timeout(300_000);
    const work = () => path.join(home, "local");
    // Only node's own folder on PATH and an empty PULUMI_HOME: a machine with no CLI.
    const env = () => ({
      ...process.env,
      PATH: path.dirname(process.execPath),
      PULUMI_HOME: home,
      PULUMI_CLI: "",
      PULUMI_ROOMS_WORKDIR: work(),
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    });
    const start = (...args: string[]) =>
      spawnSync(process.execPath, [MAIN_JOB, ...args], { cwd: REPO, env: env(), encoding: "utf8", timeout: 240_000 });
    const rooms = async () => {
      const emu = await startEmulator({ stateFile: path.join(work(), ".pulumi-rooms", "demo", "emulator.json") });
      try {
        return {
          tencent: emu.tencent.rooms().map((r) => [r.RoomId, r.CreateTime]),
          zego: emu.zego.rooms().map((r) => [r.roomId, r.createdAt]),
        };
      } finally {
        await emu.stop();
      }
    };
    let first: { tencent: unknown[]; zego: unknown[] };

    it("deploys the example's rooms of both vendors into the emulator, saying which engine it uses", async function () {
      const run = start();
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /no Pulumi CLI found, using pulumi-rooms-local .*real deployments need the Pulumi CLI/);
      assert.match(run.stdout, /\+ 3 created/);
      assert.match(run.stdout, /tencentRoomStatus: "NotStarted"/);
      assert.match(run.stdout, /Tencent \(1\): room-test/);
      assert.match(run.stdout, /ZEGO {4}\(1\): Room1/);
      assert.match(
        run.stdout,
        /Web console: http:\/\/127\.0\.0\.1:\d+\/ \(up while npm start runs; `npm start -- --serve` keeps it running\)/,
      );
      assert.ok(fs.existsSync(path.join(work(), ".pulumi-rooms", "demo", "checkpoint.json")));
      first = await rooms();
      assert.equal(first.tencent.length + first.zego.length, 2);
    });

    it("a second run (with --serve) changes nothing and serves the emulator until interrupted", async function () {
      const child = spawn(process.execPath, [MAIN_JOB, "--serve"], {
        cwd: REPO,
        env: env(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      child.stdout.on("data", (c: Buffer) => (out += c.toString()));
      child.stderr.on("data", (c: Buffer) => (out += c.toString()));
      const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const until = Date.now() + 200_000;
      while (!/console: (http:\/\/127\.0\.0\.1:\d+)\//.test(out) && Date.now() < until && child.exitCode === null)
        await new Promise((r) => setTimeout(r, 100));
      const url = /emulator: (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out)?.[1];
      assert.ok(url, out);
      const state = (await (await fetch(`${url}/_emulator/state`)).json()) as {
        tencent: { rooms: unknown[] };
        zego: { rooms: unknown[] };
      };
      assert.equal(state.tencent.rooms.length + state.zego.rooms.length, 2, "the served emulator holds the rooms");
      child.kill("SIGINT");
      assert.equal(await exit, 0, out);
      assert.match(out, /3 unchanged/);
      assert.doesNotMatch(out, /created|updated|replaced|deleted \(/);
      assert.deepEqual(await rooms(), first, "the same rooms, nothing re-created");
    });

    it("--destroy leaves no room; a mistyped flag is refused, listing the valid ones and npm's `--`", async function () {
      const typo = start("--destory");
      assert.equal(typo.status, 2);
      assert.match(typo.stderr, /unknown flag --destory; valid flags: --destroy, --serve, --help/);
      assert.match(typo.stderr, /npm start -- --destroy/);
      const run = start("--destroy");
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /- 3 deleted/);
      assert.match(run.stdout, /Tencent \(0\): none/);
      assert.deepEqual(await rooms(), { tencent: [], zego: [] });
    });
  });

  it("with a CLI: selects the stack, sets the emulator's config (secrets as secrets), runs up, prints outputs, rooms and the destroy hint", function () {
    this.timeout(30_000);
    const work = path.join(home, "work");
    const log = path.join(home, "calls.jsonl");
    const fake = path.join(home, "recording-pulumi");
    // A stand-in CLI: records argv, cwd and the Pulumi variables; `stack output --json` prints outputs.
    fs.writeFileSync(
      fake,
      `#!${process.execPath}\n` +
        `const fs = require("fs"); const a = process.argv.slice(2);\n` +
        `if (a[0] === "version") { console.log("v3.999.0"); process.exit(0); }\n` +
        `fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ a, cwd: process.cwd(), backend: process.env.PULUMI_BACKEND_URL, pass: process.env.PULUMI_CONFIG_PASSPHRASE }) + "\\n");\n` +
        `if (a[0] === "stack" && a[1] === "output") console.log(JSON.stringify({ tencentRoomId: "room-test" }));\n`,
      { mode: 0o755 },
    );
    const env = { ...process.env, PULUMI_CLI: fake, PULUMI_HOME: home, PULUMI_ROOMS_WORKDIR: work };
    const run = spawnSync(process.execPath, [MAIN_JOB], { cwd: REPO, env, encoding: "utf8", timeout: 30_000 });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    const calls = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { a: string[]; cwd: string; backend: string; pass: string });
    assert.deepEqual(
      calls.map((c) => c.a.slice(0, 2).join(" ")),
      ["stack select", "config set-all", "up --yes", "stack output"],
    );
    for (const c of calls) {
      assert.equal(c.cwd, REPO, "the CLI runs in the project root (Pulumi.yaml)");
      assert.equal(c.backend, `file://${path.join(work, ".pulumi-state")}`);
      assert.ok(c.pass);
    }
    const setAll = calls[1]?.a ?? [];
    const pairs = new Map<string, string>();
    for (let i = 0; i < setAll.length; i++)
      if (setAll[i] === "--secret" || setAll[i] === "--plaintext")
        pairs.set(setAll[i + 1]?.split("=")[0] ?? "", setAll[i] ?? "");
    assert.equal(pairs.get("tencent:secretKey"), "--secret");
    assert.equal(pairs.get("zego:serverSecret"), "--secret");
    assert.equal(pairs.get("tencent:endpoint"), "--plaintext");
    assert.match(
      setAll.find((x) => x.startsWith("tencent:endpoint=")) ?? "",
      /^tencent:endpoint=http:\/\/127\.0\.0\.1:\d+$/,
    );
    const secrets = setAll
      .filter((x) => /^(tencent:secretKey|zego:serverSecret)=/.test(x))
      .map((x) => x.split("=")[1] ?? "");
    assert.equal(secrets.length, 2);
    for (const secret of secrets)
      assert.ok(secret && !run.stdout.includes(secret) && !run.stderr.includes(secret), "a secret was printed");
    assert.match(run.stdout, /using the Pulumi CLI v3\.999\.0/);
    assert.match(run.stdout, /tencentRoomId/);
    assert.match(run.stdout, /Rooms the emulator now holds:/);
    assert.match(run.stdout, /Web console: http:\/\/127\.0\.0\.1:\d+\//);
    assert.match(run.stdout, /npm start -- --destroy/);
    assert.match(
      run.stdout,
      new RegExp(
        `PULUMI_BACKEND_URL=file://${escape(path.join(work, ".pulumi-state"))} PULUMI_CONFIG_PASSPHRASE=\\S+ pulumi destroy --yes --stack demo`,
      ),
    );
    assert.ok(fs.existsSync(path.join(work, ".emulator-state.json")), "the emulator kept its state in the work folder");

    fs.rmSync(log);
    const destroy = spawnSync(process.execPath, [MAIN_JOB, "--destroy"], {
      cwd: REPO,
      env,
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(destroy.status, 0, destroy.stdout + destroy.stderr);
    const destroyCalls = fs
      .readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { a: string[] }).a.slice(0, 2).join(" "));
    assert.deepEqual(destroyCalls, ["stack select", "config set-all", "destroy --yes"]);
  });

  it("finds a CLI named by PULUMI_CLI and reports a broken one with its exit code", function () {
    const fake = path.join(home, "fake-pulumi");
    fs.writeFileSync(fake, '#!/bin/sh\nif [ "$1" = version ]; then echo v9.9.9; exit 0; fi\nexit 3\n', { mode: 0o755 });
    const ok = findPulumiCli({ env: { PATH: "", PULUMI_HOME: home, PULUMI_CLI: fake } });
    assert.equal(ok.cli?.version, "9.9.9");
    assert.equal(ok.cli?.bin, fake);
    assert.ok(ok.cli?.path.startsWith(home));
    const broken = path.join(home, "broken-pulumi");
    fs.writeFileSync(broken, "#!/bin/sh\necho 'cannot start' >&2\nexit 4\n", { mode: 0o755 });
    const bad = findPulumiCli({ env: { PATH: "", PULUMI_HOME: home, PULUMI_CLI: broken } });
    assert.equal(bad.cli, undefined);
    assert.match(explainMissingCli(bad.attempts), /exited 4: cannot start/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
