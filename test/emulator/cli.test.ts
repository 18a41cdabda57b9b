/**
 * The emulator framework: its command line (emulator/cli.ts), in a child process.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCli, USAGE } from "../../emulator/cli";
import { startEmulator } from "../../emulator";
import { tencentCall } from "../support/tencent-raw";
import { zegoPost } from "../support/zego-raw";
import { ROOT, TRANSPILE, canConnect } from "../support/emulator-framework";

describe("emulator: framework (server, faults, counters, state file, admin, CLI): command line", () => {
  describe("command line (emulator/cli.ts)", () => {
    /** Runs the CLI from its TypeScript (test/support/esbuild-register.cjs); resolves when it exits. */
    function cli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void) {
      const child = spawn(process.execPath, ["-r", TRANSPILE, "emulator/cli.ts", ...args], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        onStdout?.(stdout, child);
      });
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      // Never outlive the test: a CLI that keeps running when it should have exited is killed (and fails the test).
      const guard = setTimeout(() => child.kill("SIGKILL"), 8000);
      const exited = new Promise<{
        code: number | null;
        signal: NodeJS.Signals | null;
        stdout: string;
        stderr: string;
      }>((resolvePromise) =>
        child.on("exit", (code, signal) => {
          clearTimeout(guard);
          resolvePromise({ code, signal, stdout, stderr });
        }),
      );
      return { child, exited };
    }

    it("--port 0: prints the URL and usable `pulumi config set` lines, answers requests, exits 0 on SIGTERM with the state file saved", async function () {
      this.timeout(15000);
      let ready: (text: string) => void = () => undefined;
      const printed = new Promise<string>((r) => (ready = r));
      const dir = mkdtempSync(join(tmpdir(), "emu-cli-"));
      const stateFile = join(dir, "state.json");
      const run = cli(["--port", "0", "--state-file", stateFile], (text) => {
        if (text.includes("Press Ctrl+C to stop.")) ready(text);
      });
      try {
        const text = await Promise.race([
          printed,
          run.exited.then((x) => Promise.reject(new Error(`the CLI exited early: ${x.stderr}`))),
        ]);
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
        assert.ok(url, text);
        const config: Record<string, string> = {};
        const secrets: string[] = [];
        for (const line of text.split("\n").filter((l) => l.includes("pulumi config set"))) {
          const m = /^ {2}pulumi config set (--secret )?([a-z]+:[A-Za-z]+) (\S+)$/.exec(line);
          assert.ok(m, `a copy-pasteable line: ${JSON.stringify(line)}`);
          config[m[2] as string] = m[3] as string;
          if (m[1]) secrets.push(m[2] as string);
        }
        assert.deepEqual(Object.keys(config).sort(), [
          "tencent:endpoint",
          "tencent:identifier",
          "tencent:sdkAppId",
          "tencent:secretKey",
          "zego:appId",
          "zego:endpoint",
          "zego:fromUserId",
          "zego:serverSecret",
        ]);
        assert.deepEqual(secrets.sort(), ["tencent:secretKey", "zego:serverSecret"]);
        const env: Record<string, string> = {};
        for (const line of text.split("\n")) {
          const m = /^ {2}export ([A-Z_]+)=(\S+)$/.exec(line);
          if (m) env[m[1] as string] = m[2] as string;
        }
        assert.deepEqual(
          env,
          {
            TENCENT_SDKAPPID: config["tencent:sdkAppId"],
            TENCENT_SECRET_KEY: config["tencent:secretKey"],
            TENCENT_IDENTIFIER: config["tencent:identifier"],
            TENCENT_ENDPOINT: url,
            ZEGO_APP_ID: config["zego:appId"],
            ZEGO_SERVER_SECRET: config["zego:serverSecret"],
            ZEGO_ENDPOINT: url,
            ZEGO_FROM_USER_ID: config["zego:fromUserId"],
          },
          "the env-var alternative carries the same values",
        );
        assert.equal(config["tencent:endpoint"], url);
        assert.equal(config["zego:endpoint"], url);
        const t = await tencentCall(
          {
            baseUrl: config["tencent:endpoint"],
            sdkAppId: Number(config["tencent:sdkAppId"]),
            secretKey: config["tencent:secretKey"] as string,
            identifier: config["tencent:identifier"] as string,
          },
          "get_room_info",
          { RoomId: "none" },
        );
        assert.equal(t.body.ErrorCode, 100004, "the printed Tencent credentials are accepted");
        const z = await zegoPost(
          {
            baseUrl: config["zego:endpoint"],
            appId: Number(config["zego:appId"]),
            serverSecret: config["zego:serverSecret"] as string,
            nowSec: () => Math.floor(Date.now() / 1000),
          },
          "QueryUserInfos",
          { UserIds: [config["zego:fromUserId"] as string] },
        );
        assert.equal(
          z.body.Code,
          660700015,
          "the printed ZEGO credentials are accepted (QueryUserInfos: the operator is not registered yet)",
        );
        const tencent = {
          baseUrl: url,
          sdkAppId: Number(config["tencent:sdkAppId"]),
          secretKey: config["tencent:secretKey"] as string,
          identifier: config["tencent:identifier"] as string,
        };
        assert.equal(
          (await tencentCall(tencent, "create_room", { RoomInfo: { RoomId: "cli-room", RoomType: "Conference" } })).body
            .ErrorCode,
          0,
        );
        run.child.kill("SIGTERM");
        const done = await run.exited;
        assert.equal(done.code, 0, done.stderr);
        const port = Number(new URL(url).port);
        assert.equal(await canConnect("127.0.0.1", port), false, "the port is released");
        assert.match(readFileSync(stateFile, "utf8"), /"RoomId": "cli-room"/);
      } finally {
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it("--help prints the usage and exits 0; a bad option exits 2 with a clear message and starts nothing", async function () {
      this.timeout(15000);
      const [help, ...bad] = await Promise.all([
        cli(["--help"]).exited,
        cli(["--port", "0x50"]).exited,
        cli(["--bogus"]).exited,
      ]);
      assert.equal(help?.code, 0);
      assert.equal(help?.stdout.trim(), USAGE);
      for (const [i, r] of bad.entries()) {
        assert.equal(r.code, 2, `case ${i} exits 2: ${r.stdout}`);
        assert.equal(r.stdout, "", `case ${i} starts nothing`);
        assert.match(r.stderr, /^pulumi-rooms-emulator: /, `case ${i}: ${r.stderr}`);
      }
      assert.match(bad[0]?.stderr ?? "", /--port must be 0\.\.65535, not "0x50"/);
      assert.match(bad[1]?.stderr ?? "", /bogus/);
      assert.match(bad[1]?.stderr ?? "", /unknown option --bogus; valid options: --port, --state-file/);
    });
    it("--state-file in a missing folder exits 2 at start, naming the folder, and starts nothing", async function () {
      this.timeout(15000);
      const missingFolder = join(tmpdir(), `no-such-folder-${process.pid}`);
      const r = await cli(["--state-file", join(missingFolder, "state.json")]).exited;
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "", "nothing listens");
      assert.ok(r.stderr.includes(`the folder ${missingFolder} does not exist; create it first`), r.stderr);
    });
    it("parseCli: ports are digits 0..65535 only", () => {
      for (const bad of ["abc", "70000", "", "0x50", "1e3", " 80", "-1"])
        assert.throws(() => parseCli(["--port", bad]), /--port/, bad);
      assert.throws(() => parseCli(["--port=-1"]), /--port must be 0\.\.65535/);
      assert.deepEqual(parseCli([]), {
        help: false,
        verbose: false,
        options: { port: 0, stateFile: undefined, tencent: undefined, zego: undefined, faults: undefined },
      });
      const top = parseCli(["--port", "65535"]);
      assert.equal(top.help ? undefined : top.options.port, 65535);
    });
    it("parseCli: --no-rate-limit, --state-file and a seeded fault plan; fault flags need a seed and probabilities in 0..1", () => {
      const r = parseCli([
        "--no-rate-limit",
        "--state-file",
        "s.json",
        "--fault-seed",
        "7",
        "--fault-502",
        "0.25",
        "--fault-lost",
        "1",
        "--fault-latency",
        ".5",
        "--latency-ms",
        "40",
        "--verbose",
      ]);
      assert.ok(!r.help);
      assert.equal(r.verbose, true);
      assert.equal(r.options.stateFile, "s.json");
      assert.deepEqual([r.options.tencent, r.options.zego], [{ ratePerSecond: false }, { ratePerSecond: false }]);
      assert.deepEqual(JSON.parse(JSON.stringify(r.options.faults)), {
        seed: 7,
        http502: 0.25,
        lostResponse: 1,
        latency: 0.5,
        latencyMs: 40,
      });
      assert.throws(() => parseCli(["--fault-502", "0.5"]), /--fault-seed/);
      for (const p of ["1.5", "-0.1", "half", "", "0x1"])
        assert.throws(
          () => parseCli(["--fault-seed", "1", `--fault-reset=${p}`]),
          /--fault-reset must be a probability/,
          p,
        );
      assert.throws(() => parseCli(["--fault-seed", "x"]), /--fault-seed must be a non-negative integer/);
      assert.deepEqual(parseCli(["-h"]), { help: true });
    });
    it("parseCli: --rate-scope api|app and --rate-window sliding|fixed; anything else is refused naming the flag", () => {
      const r = parseCli(["--rate-scope", "app", "--rate-window", "fixed"]);
      assert.deepEqual(r.help ? undefined : r.options.rateMode, { scope: "app", window: "fixed" });
      const d = parseCli([]);
      assert.equal(d.help ? "help" : d.options.rateMode, undefined);
      assert.throws(() => parseCli(["--rate-scope", "room"]), /--rate-scope: scope must be "api" or "app", not "room"/);
      assert.throws(
        () => parseCli(["--rate-window", "tumbling"]),
        /--rate-window: window must be "sliding" or "fixed", not "tumbling"/,
      );
    });
    it("startEmulator({ rateMode }) sets both vendors; a vendor's own rateMode wins", async () => {
      const e = await startEmulator({ rateMode: { scope: "app" }, zego: { rateMode: { window: "fixed" } } });
      try {
        assert.deepEqual(e.rateLimits(), {
          tencent: { perSecond: 200, scope: "app", window: "sliding" },
          zego: { perSecond: 20, scope: "app", window: "fixed" },
        });
      } finally {
        await e.stop();
      }
    });
    it("parseCli: an unknown flag or a stray argument is refused, listing the valid options and npm's --", () => {
      const all =
        "valid options: --port, --state-file, --no-rate-limit, --rate-scope, --rate-window, --tencent-rate, --zego-rate, --tencent-max-members, --tencent-default-members, --tencent-max-seats, --tencent-unpaid, --zego-room-quota, --zego-max-attributes, --fault-seed, --fault-502, --fault-reset, --fault-lost, --fault-transient, --fault-latency, --latency-ms, --verbose, --help";
      const npm = "through npm, put -- before the options: npm run emulator -- --port 8080";
      assert.throws(() => parseCli(["--state", "s.json"]), {
        message: `unknown option --state (did you mean --state-file?); ${all}; ${npm}`,
      });
      assert.throws(
        () => parseCli(["--fault502=0.1"]),
        /^Error: unknown option --fault502 \(did you mean --fault-502\?\)/,
      );
      assert.throws(() => parseCli(["--zzz"]), { message: `unknown option --zzz; ${all}; ${npm}` });
      // `npm run emulator --port 8080` gives npm the flag and us only "8080".
      assert.throws(() => parseCli(["8080"]), {
        message: `unexpected argument "8080": every option is a --flag (${all}); ${npm}`,
      });
      assert.throws(
        () => parseCli(["--state-file"]),
        (err: Error) => err.message.includes("--state-file <value>' argument missing") && err.message.endsWith(all),
      );
    });
  });
});
