/**
 * examples/gitops as a repository of its own, set up as its README says: the folder copied out of this
 * repository, the packed tarball in vendor/, `npm install ./vendor/...` for the lock file. Then its
 * workflow's `test` job runs here, command for command as rooms.yml lists them (`npm ci`, `npm test`: the
 * program tested with pulumi-rooms/local, no credentials); the program compiles and registers its rooms
 * from the installed copy; and `git add -A` stages what the repository needs (the vendored tarball, even
 * under a `*.tgz` ignore) and nothing npm, tsc or the local engine write. The workflow's inputs are
 * checked against the actions' declarations in test/unit/examples/gitops-workflow.test.ts.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { assertBuilt, NPM, packRepo, REPO } from "../support/pack";
import { runProgramInChild } from "../support/program";

const EXAMPLE = path.join(REPO, "examples", "gitops");

/** A workflow step, as far as these tests read it. */
interface Step {
  uses?: string;
  run?: string;
}

/** The `run:` commands of the workflow's `test` job, in order. */
function testJobCommands(): string[] {
  const workflow = parse(fs.readFileSync(path.join(EXAMPLE, ".github", "workflows", "rooms.yml"), "utf8")) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const job = workflow.jobs.test;
  assert.ok(job, "the workflow has a test job");
  return job.steps.flatMap((s) => (s.run ? [s.run.trim()] : []));
}

/** The environment a GitHub runner gives the test job: no vendor or backend credential, no test shortcut. */
function runnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true", npm_config_prefer_offline: "true" };
  for (const key of Object.keys(env))
    if (/^(TENCENT_|ZEGO_|PULUMI_ACCESS_TOKEN|PULUMI_CONFIG_PASSPHRASE|PULUMI_NODEJS_TRANSPILE_ONLY)/.test(key))
      delete env[key];
  return env;
}

describe("examples/gitops copied out as its own repository", function () {
  this.timeout(120_000);
  let tmp: string;
  let copy: string;
  let vendored: string;
  const jobRuns: { command: string; status: number | null; output: string }[] = [];

  before(function () {
    this.timeout(600_000);
    assertBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-gitops-"));
    const { tarball } = packRepo(tmp);
    copy = path.join(tmp, "repo");
    fs.cpSync(EXAMPLE, copy, {
      recursive: true,
      filter: (src) => !/(^|[\\/])(node_modules|bin|\.pulumi-rooms|vendor)($|[\\/])/.test(path.relative(EXAMPLE, src)),
    });
    fs.mkdirSync(path.join(copy, "vendor"));
    vendored = path.join("vendor", path.basename(tarball)).split(path.sep).join("/");
    fs.copyFileSync(tarball, path.join(copy, vendored));
    // The README's `npm install ./vendor/...` (lock file only here: the test job's `npm ci` installs from it).
    execFileSync(
      NPM,
      ["install", `./${vendored}`, "--package-lock-only", "--no-audit", "--no-fund", "--prefer-offline"],
      {
        cwd: copy,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    // The workflow's test job, as a runner would run it.
    for (const command of testJobCommands()) {
      const run = spawnSync("bash", ["-e", "-c", command], {
        cwd: copy,
        env: runnerEnv(),
        encoding: "utf8",
        timeout: 400_000,
      });
      jobRuns.push({ command, status: run.status, output: `${run.stdout}${run.stderr}` });
      if (run.status !== 0) break;
    }
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("package.json and the lock file point at the vendored tarball, not back into the pulumi-rooms checkout", function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(copy, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.dependencies["pulumi-rooms"], `file:${vendored}`);
    assert.doesNotMatch(fs.readFileSync(path.join(copy, "package-lock.json"), "utf8"), /\.\.\/\.\./);
  });

  it("its workflow's test job passes here: npm ci from the lock file and vendor/, then npm test (pulumi-rooms/local, no credentials)", function () {
    assert.deepEqual(
      jobRuns.map((r) => r.command),
      testJobCommands().slice(0, jobRuns.length),
    );
    assert.deepEqual(testJobCommands(), ["npm ci", "npm test"]);
    if (!fs.existsSync(path.join(REPO, "dist", "engine", "local.js")))
      assert.fail(
        "dist/engine/local.js is missing: the example's test uses the local API (pulumi-rooms/local); build it with `npm run build`",
      );
    for (const run of jobRuns) assert.equal(run.status, 0, `\`${run.command}\` failed:\n${run.output}`);
    assert.equal(jobRuns.length, 2);
    const report = jobRuns[1]?.output ?? "";
    assert.match(report, /^# pass [1-9]\d*$/m, report);
    assert.match(report, /^# fail 0$/m, report);
  });

  it("the program compiles with its own tsconfig and registers its rooms from the installed copy", async function () {
    assert.ok(fs.existsSync(path.join(copy, "node_modules", "pulumi-rooms")), "npm ci installed the package");
    execFileSync(process.execPath, [path.join(copy, "node_modules", "typescript", "bin", "tsc"), "-p", copy], {
      cwd: copy,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // A fixed day for the office-hours MeetingSeries (its rooms come from the installed copy's expansion).
    const run = await runProgramInChild(copy, path.join("bin", "index.js"), {
      project: "rooms-gitops",
      stack: "prod",
      config: { "pulumi-rooms:asOf": "2027-03-22" },
    });
    assert.deepEqual(run.registrations.map((r) => [r.type.split(":").pop(), r.name]).sort(), [
      ["MeetingSeries", "office-hours"],
      ["TencentRoom", "all-hands"],
      ["TencentRoom", "office-hours-2027-03-23T1500"],
      ["TencentRoom", "office-hours-2027-03-30T1500"],
      ["ZegoRoom", "support-lobby"],
    ]);
    assert.ok(run.registrations.filter((r) => r.custom).every((r) => r.provider?.includes('require("pulumi-rooms/')));
  });

  it("git add -A stages the program, its stack files, the lock file and the vendored tarball (even under a *.tgz ignore), and nothing npm, tsc or the engine write", function () {
    // What a local `npm run up` leaves (the checkpoint and the emulator's rooms), and a global *.tgz ignore.
    fs.mkdirSync(path.join(copy, ".pulumi-rooms", "local"), { recursive: true });
    fs.writeFileSync(path.join(copy, ".pulumi-rooms", "local", "checkpoint.json"), "{}\n");
    fs.mkdirSync(path.join(copy, "bin"), { recursive: true });
    const excludes = path.join(tmp, "global-gitignore");
    fs.writeFileSync(excludes, "*.tgz\n");
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", `core.excludesFile=${excludes}`, ...args], { cwd: copy, encoding: "utf8" });
    git("init", "--quiet");
    git("add", "-A");
    const staged = git("ls-files").trim().split("\n").sort();
    for (const file of [
      ".github/workflows/rooms.yml",
      ".gitignore",
      "Pulumi.prod.yaml.example",
      "Pulumi.test.yaml",
      "Pulumi.yaml",
      "README.md",
      "index.ts",
      "package-lock.json",
      "package.json",
      "test/rooms.test.ts",
      "tsconfig.json",
      "tsconfig.test.json",
      vendored,
    ])
      assert.ok(staged.includes(file), `${file} is staged`);
    assert.deepEqual(
      staged.filter((f) => /^(node_modules|bin|\.pulumi-rooms)\//.test(f)),
      [],
      "nothing installed, compiled or deployed locally is staged",
    );
  });
});
