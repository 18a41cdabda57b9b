/**
 * The published package as a user gets it, for test/host/packed-install.test.ts: `npm pack` the built
 * repository and `npm install` the tarball into a fresh project next to `@pulumi/pulumi` (the SDK version
 * the repository tests with).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");
export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** A tarball packed from the repository, installed into `<dir>/project`. */
export interface PackedInstall {
  readonly tarball: string;
  /** The paths inside the tarball. */
  readonly files: string[];
  /** The project folder, with `pulumi-rooms` installed from the tarball. */
  readonly project: string;
}

/** Packs the built repository into `dir` and installs it into a project named `name` running `program` (index.js). */
export function packAndInstall(dir: string, name: string, program: string): PackedInstall {
  for (const file of ["dist/provider/index.js", "dist/host/tencent.js", "dist/host/zego.js"]) {
    if (!fs.existsSync(path.join(REPO, file)))
      assert.fail(`${file} is missing: run \`npm run build\` first (npm test does)`);
  }
  const packed = JSON.parse(
    execFileSync(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  const [first] = packed;
  assert.ok(first, "npm pack reported nothing");
  const tarball = path.join(dir, first.filename);
  const sdkVersion = (
    JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { devDependencies: Record<string, string> }
  ).devDependencies["@pulumi/pulumi"];
  const project = path.join(dir, "project");
  fs.mkdirSync(project);
  const manifest = {
    name,
    private: true,
    main: "index.js",
    dependencies: { "pulumi-rooms": `file:${tarball}`, "@pulumi/pulumi": sdkVersion },
  };
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(project, "index.js"), program);
  execFileSync(NPM, ["install", "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { tarball, files: first.files.map((f) => f.path), project };
}
