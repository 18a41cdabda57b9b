/**
 * docs/testing-your-program.md as a user copies it: every code block with a `title` is written to that file
 * of a fresh project in a temporary folder, whose `node_modules` is this repository's (so `pulumi-rooms`
 * is this package's build, through the self-link, and the test tools are the repository's). The project is
 * type-checked with the page's tsconfig, and both npm scripts of the page's package.json run: the unit
 * tests (mocks and the exported check) and the integration tests (`pulumi-rooms/local`) pass in mocha and
 * in node:test.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const DOC = path.join(REPO, "docs", "testing-your-program.md");
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** The page's files: each fenced block whose info string has `title="<path>"`, by path. */
function titledBlocks(markdown: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of markdown.matchAll(/^```[a-z]+ title="([^"]+)"\n([\s\S]*?)^```$/gm)) {
    const [, file, text] = m;
    if (file === undefined || text === undefined) continue;
    assert.ok(!files.has(file), `${file} is given twice`);
    files.set(file, text);
  }
  return files;
}

interface PackageJson {
  scripts: Record<string, string>;
  devDependencies: Record<string, string>;
}

describe("docs/testing-your-program.md: the page's files as a project", function () {
  this.timeout(600_000);
  const files = titledBlocks(fs.readFileSync(DOC, "utf8"));
  let dir = "";

  /** Runs a command in the project, as a user would (a failure shows its output). */
  const run = (command: string, args: string[]): string => {
    const r = spawnSync(command, args, {
      cwd: dir,
      encoding: "utf8",
      timeout: 480_000,
      // The engine's runtime only transpiles the program: the type check is the tsc run below.
      env: { ...process.env, PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    const output = `${r.stdout}\n${r.stderr}`;
    assert.equal(r.status, 0, `${command} ${args.join(" ")} exited ${r.status}:\n${output}`);
    return output;
  };

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-doc-"));
    for (const [file, text] of files) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  });

  after(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives a whole project: Pulumi.yaml, package.json, tsconfig.json, the program and four test files", function () {
    assert.deepEqual([...files.keys()].sort(), [
      "Pulumi.yaml",
      "index.ts",
      "package.json",
      "test/integration.node.ts",
      "test/integration.test.ts",
      "test/unit.node.ts",
      "test/unit.test.ts",
      "tsconfig.json",
    ]);
  });

  it("pins the test tools at the versions this repository tests with", function () {
    const page = JSON.parse(files.get("package.json") ?? "{}") as PackageJson;
    const ours = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as PackageJson;
    for (const [name, range] of Object.entries(page.devDependencies))
      assert.equal(range, ours.devDependencies[name], `${name} in the page's package.json`);
  });

  it("type-checks (strict) with the page's tsconfig", function () {
    run(process.execPath, [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", dir, "--noEmit"]);
  });

  it("npm test: mocha passes the unit and the integration tests", function () {
    const output = run(NPM, ["test"]);
    assert.match(output, /\b8 passing\b/, output);
    assert.doesNotMatch(output, /failing/);
  });

  it("npm run test:node: node:test passes the unit and the integration tests", function () {
    const output = run(NPM, ["run", "test:node"]);
    assert.match(output, /^# pass 5$/m, output);
    assert.match(output, /^# fail 0$/m);
  });
});
