/**
 * README's "Start a new project", command for command, from an empty folder with only Node.js and npm: the
 * packed tarball installed (`npm install <tarball>`), `npx pulumi-rooms-local new` (`--no`: never the npm
 * registry, where that name is not this package's), `npm install`, `npm test` (the project's own test,
 * through `pulumi-rooms/local`) and `npm run up`. npm installs prefer the local cache, as in
 * packed-install.test.ts. Needs `npm run build` first.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assertBuilt, NPM, packRepo } from "../support/pack";

const NPX = process.platform === "win32" ? "npx.cmd" : "npx";

describe("a new project from an empty folder: the README's five commands", function () {
  this.timeout(600_000);
  let tmp: string;
  let project: string;
  /** The tarball's file name, as `npm install ../<name>` records it. */
  let tarballName: string;
  const run = (command: string, args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, npm_config_prefer_offline: "true", npm_config_audit: "false" };
    delete env.PULUMI_NODEJS_TRANSPILE_ONLY; // as a user runs it: the program type-checked
    const r = spawnSync(command, args, { cwd: project, env, encoding: "utf8" });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  before(function () {
    assertBuilt(["dist/engine/cli.js"]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-new-packed-"));
    const { tarball } = packRepo(tmp);
    project = path.join(tmp, "my-rooms");
    fs.mkdirSync(project);
    tarballName = path.basename(tarball);
    const install = run(NPM, ["install", `../${tarballName}`]);
    assert.equal(install.code, 0, install.out);
    const scaffold = run(NPX, ["--no", "pulumi-rooms-local", "new"]);
    assert.equal(scaffold.code, 0, scaffold.out);
    assert.match(scaffold.out, /Next:\n {2}npm install .*\n {2}npm test .*\n {2}npm run up /);
    const again = run(NPM, ["install"]);
    assert.equal(again.code, 0, again.out);
  });

  after(function () {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("the project depends on the installed tarball and pins what it compiles with", function () {
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    assert.equal(pkg.dependencies["pulumi-rooms"], `file:../${tarballName}`);
    assert.ok(fs.existsSync(path.join(project, "node_modules", "typescript", "package.json")));
  });

  it("npm test: the project's own test deploys its rooms to a throwaway emulator and destroys them", function () {
    const r = run(NPM, ["test"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /# pass 1\n# fail 0/);
    assert.ok(!fs.existsSync(path.join(project, ".pulumi-rooms", "local")), "the stack local is untouched");
  });

  it("npm run up: the stack local, in the embedded emulator", function () {
    const r = run(NPM, ["run", "up"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\+ {3}pulumi-nodejs:dynamic\/rooms:TencentRoom {2}standup .*created/);
    assert.match(r.out, /\+ {3}pulumi-nodejs:dynamic\/rooms:ZegoRoom {5}lobby .*created/);
  });
});
