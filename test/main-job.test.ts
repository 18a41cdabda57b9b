/**
 * The main job without a Pulumi CLI: it must say what it tried, why that failed and how to get the CLI,
 * change nothing, and exit non-zero. (With a CLI, the CLI end-to-end suite covers the real run.)
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findPulumiCli, explainMissingCli } from "../scripts/pulumi-cli";

const REPO = path.resolve(__dirname, "..");
const MAIN_JOB = path.join(REPO, "dist", "scripts", "main-job.js");

describe("main job (npm start) without a Pulumi CLI", function () {
  let home: string;

  before(function () {
    if (!fs.existsSync(MAIN_JOB)) assert.fail(`${MAIN_JOB} is missing: run \`npm run build\` first (npm test does)`);
    home = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-no-cli-"));
  });

  after(function () {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it("lists every place it looked, explains how to get the CLI, starts nothing and exits 1", function () {
    const statePath = path.join(REPO, ".emulator-state.json");
    const stateBefore = fs.existsSync(statePath) ? fs.statSync(statePath).mtimeMs : undefined;
    // Only node's own folder on PATH, an empty PULUMI_HOME and no npx download: a machine with no CLI.
    const env = { ...process.env, PATH: path.dirname(process.execPath), PULUMI_HOME: home, PULUMI_ROOMS_NPX: "0", PULUMI_CLI: "" };
    const run = spawnSync(process.execPath, [MAIN_JOB], { cwd: REPO, env, encoding: "utf8", timeout: 30_000 });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /No Pulumi CLI could be found or installed\. Tried:/);
    assert.match(run.stderr, /`pulumi` on PATH: not found/);
    assert.match(run.stderr, new RegExp(`official installer location ${escape(path.join(home, "bin", "pulumi"))}: not found`));
    assert.match(run.stderr, /npx --yes pulumi@\d+\.\d+\.\d+/);
    assert.match(run.stderr, /get\.pulumi\.com/);
    assert.match(run.stderr, /nothing was started or changed/);
    assert.doesNotMatch(run.stdout, /Emulator listening/);
    const stateAfter = fs.existsSync(statePath) ? fs.statSync(statePath).mtimeMs : undefined;
    assert.equal(stateAfter, stateBefore, "the emulator state file must not be touched");
  });

  it("finds a CLI named by PULUMI_CLI and reports a broken one with its exit code", function () {
    const fake = path.join(home, "fake-pulumi");
    fs.writeFileSync(fake, "#!/bin/sh\nif [ \"$1\" = version ]; then echo v9.9.9; exit 0; fi\nexit 3\n", { mode: 0o755 });
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
