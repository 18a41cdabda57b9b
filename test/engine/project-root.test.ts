/**
 * The CLI finds the project from a subfolder, walking up to the nearest Pulumi.yaml as the Pulumi CLI does
 * (https://www.pulumi.com/docs/iac/concepts/projects/). Runs dist/engine/cli.js: `npm run build` first.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLI } from "../support/local-engine";

describe("pulumi-rooms-local: the project folder", function () {
  let project: string;
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 30_000 });
  beforeEach(function () {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-subfolder-"));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: walk-up\nruntime: nodejs\nmain: index.ts\n");
    fs.writeFileSync(path.join(project, "index.ts"), "export {};\n");
  });
  afterEach(function () {
    fs.rmSync(project, { recursive: true, force: true });
  });

  it("is found from a subfolder given in --cwd; its state stays at the project's root", function () {
    const sub = path.join(project, "src", "rooms");
    fs.mkdirSync(sub, { recursive: true });
    const r = cli("output", "--cwd", sub, "--stack", "never-deployed");
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /stack "never-deployed" of walk-up has no checkpoint in \S*rooms-subfolder-\w+\/\.pulumi-rooms\/never-deployed: run `pulumi-rooms-local up` first/,
    );
  });

  it("is found from the current folder when it is a subfolder", function () {
    const sub = path.join(project, "test");
    fs.mkdirSync(sub);
    const r = spawnSync(process.execPath, [CLI, "output", "--stack", "never-deployed"], {
      cwd: sub,
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /of walk-up has no checkpoint in \S*rooms-subfolder-\w+\/\.pulumi-rooms\/never-deployed/);
  });
});
