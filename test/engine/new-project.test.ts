/**
 * `pulumi-rooms-local new`: a project that works at once. Written into folders inside the repository's
 * ignored `.pulumi-rooms/` (so `pulumi-rooms`, `@pulumi/pulumi` and TypeScript resolve from the repository,
 * as for the examples), its program type-checks (strict, the commented MeetingSeries too) and deploys both
 * rooms through the CLI; an existing package.json (the one `npm install <tarball>` writes) is merged, its
 * pulumi-rooms dependency kept; a folder in use is refused, naming its files. The project's own `npm test`
 * needs `pulumi-rooms/local` and an `npm install`, so it is not run here. Runs dist/engine/cli.js: `npm run
 * build` first.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { CLI, REPO } from "../support/local-engine";

const OWN = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
  devDependencies: Record<string, string>;
};
let seq = 0;

describe("pulumi-rooms-local new", function () {
  this.timeout(300_000);
  const made: string[] = [];
  const folder = (): string => {
    const dir = path.join(REPO, ".pulumi-rooms", `new-${process.pid}-${++seq}`);
    fs.rmSync(dir, { recursive: true, force: true });
    made.push(dir);
    return dir;
  };
  const cli = (args: string[], cwd = REPO) => {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", env: process.env });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const json = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;

  after(function () {
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes the project into an empty folder and prints the next commands", function () {
    const dir = folder();
    const r = cli(["new", dir, "--name", "team-rooms"]);
    assert.equal(r.code, 0, r.stderr);
    const files = spawnSync("find", [".", "-type", "f"], { cwd: dir, encoding: "utf8" }).stdout.split("\n").sort();
    assert.deepEqual(files.filter(Boolean), [
      "./.gitignore",
      "./Pulumi.local.yaml",
      "./Pulumi.yaml",
      "./index.ts",
      "./package.json",
      "./test/rooms.test.ts",
      "./tsconfig.json",
    ]);
    assert.match(
      fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"),
      /^name: team-rooms\n.*runtime:\n {2}name: nodejs\n/s,
    );
    assert.match(
      fs.readFileSync(path.join(dir, "Pulumi.local.yaml"), "utf8"),
      /^config:\n {2}team-rooms:lobbyTopic: welcome$/m,
    );
    const pkg = json(path.join(dir, "package.json"));
    assert.equal(pkg.main, "index.ts");
    assert.deepEqual(pkg.dependencies, {
      "@pulumi/pulumi": OWN.devDependencies["@pulumi/pulumi"],
      "pulumi-rooms": "file:../..", // the repository's own `file:.`, from this folder
    });
    assert.deepEqual(pkg.devDependencies, {
      "@types/node": OWN.devDependencies["@types/node"],
      "ts-node": OWN.devDependencies["ts-node"],
      typescript: OWN.devDependencies.typescript,
    });
    assert.deepEqual(pkg.scripts, {
      preview: "pulumi-rooms-local preview",
      up: "pulumi-rooms-local up",
      refresh: "pulumi-rooms-local refresh",
      destroy: "pulumi-rooms-local destroy",
      test: "tsc --noEmit && node --test --require ts-node/register/transpile-only test/rooms.test.ts",
    });
    const ignore = fs.readFileSync(path.join(dir, ".gitignore"), "utf8").split("\n");
    assert.ok(ignore.includes("node_modules/") && ignore.includes(".pulumi-rooms/"));
    assert.ok(!ignore.includes("*.tgz"), "a vendored tarball is committed");
    assert.match(fs.readFileSync(path.join(dir, "test", "rooms.test.ts"), "utf8"), /from "pulumi-rooms\/local"/);
    assert.match(r.stderr, /Wrote the pulumi-rooms project "team-rooms" in /);
    assert.match(
      r.stderr,
      /Next:\n {2}cd \.pulumi-rooms\/new-\d+-\d+\n {2}npm install .*\n {2}npm test .*\n {2}npm run up /,
    );
  });

  it("its program type-checks (strict), the commented MeetingSeries included, and deploys both rooms through the CLI", async function () {
    const dir = folder();
    assert.equal(cli(["new", dir]).code, 0);
    // Uncomment the MeetingSeries: the import, the declaration and its export.
    const index = path.join(dir, "index.ts");
    const program = fs.readFileSync(index, "utf8");
    fs.writeFileSync(
      path.join(dir, "check.ts"),
      program.replace(/^\/\/ (import \{ MeetingSeries|const weekly|\s{2}|\}\);|export const weekly)/gm, "$1"),
    );
    fs.writeFileSync(
      path.join(dir, "tsconfig.check.json"),
      '{ "extends": "./tsconfig.json", "include": ["check.ts"] }',
    );
    const tsc = spawnSync(
      process.execPath,
      [path.join(REPO, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.check.json"],
      {
        cwd: dir,
        encoding: "utf8",
      },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    assert.match(
      fs.readFileSync(path.join(dir, "check.ts"), "utf8"),
      /^const weekly = new MeetingSeries\("weekly-sync", \{$/m,
    );

    const up = cli(["up"], dir);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /\+ 3 created/);
    const emulator = await startEmulator({
      port: 0,
      stateFile: path.join(dir, ".pulumi-rooms", "local", "emulator.json"),
    });
    const rooms = {
      tencent: emulator.tencent.rooms().map((r) => r.RoomName),
      zego: emulator.zego.rooms().map((r) => [r.roomName, r.attributes.map((a) => `${a.key}=${a.value}`)]),
    };
    await emulator.stop();
    assert.deepEqual(rooms, { tencent: ["Daily stand-up"], zego: [["Lobby", ["topic=welcome"]]] });
    const destroy = cli(["destroy"], dir);
    assert.equal(destroy.code, 0, destroy.stderr);
  });

  it("merges into the package.json `npm install <tarball>` wrote, keeping its pulumi-rooms dependency", function () {
    const dir = folder();
    fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
    fs.writeFileSync(path.join(dir, "pulumi-rooms-0.1.0.tgz"), "");
    fs.writeFileSync(path.join(dir, "package-lock.json"), "{}\n");
    fs.writeFileSync(
      path.join(dir, "package.json"),
      '{\n  "dependencies": {\n    "pulumi-rooms": "file:pulumi-rooms-0.1.0.tgz"\n  }\n}\n',
    );
    const r = cli(["new"], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /cd /, "already there");
    const pkg = json(path.join(dir, "package.json"));
    assert.equal(pkg.name, path.basename(dir));
    assert.equal((pkg.dependencies as Record<string, string>)["pulumi-rooms"], "file:pulumi-rooms-0.1.0.tgz");
    assert.match(
      fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"),
      new RegExp(`^name: ${path.basename(dir)}$`, "m"),
    );

    // A project in a subfolder of that one reaches the same tarball.
    const sub = path.join(dir, "rooms");
    assert.equal(cli(["new", "rooms"], dir).code, 0);
    assert.equal(
      (json(path.join(sub, "package.json")).dependencies as Record<string, string>)["pulumi-rooms"],
      "file:../pulumi-rooms-0.1.0.tgz",
    );
  });

  it("refuses a folder in use, naming its files and what it would change; --force writes anyway", function () {
    const dir = folder();
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "index.ts"), "// mine\n");
    fs.writeFileSync(path.join(dir, "notes.txt"), "");
    fs.writeFileSync(path.join(dir, ".gitignore"), "dist/\n*.log");
    fs.writeFileSync(path.join(dir, "package.json"), '{ "name": "mine", "scripts": { "test": "mocha" } }\n');
    const r = cli(["new", dir]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /is not empty: index\.ts \(replaced\), notes\.txt, package\.json script "test" \("mocha"\); choose an empty folder \(pulumi-rooms-local new DIR\), or --force/,
    );
    assert.equal(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), "// mine\n", "nothing written");
    assert.ok(!fs.existsSync(path.join(dir, "Pulumi.yaml")));
    assert.equal(cli(["new", dir, "--force"]).code, 0);
    assert.match(fs.readFileSync(path.join(dir, "index.ts"), "utf8"), /new TencentRoom/);
    assert.match(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), /^name: mine$/m);
    assert.match(fs.readFileSync(path.join(dir, ".gitignore"), "utf8"), /^dist\/\n\*\.log\nnode_modules\/\n/);
    assert.ok(fs.existsSync(path.join(dir, "notes.txt")));
  });
});
