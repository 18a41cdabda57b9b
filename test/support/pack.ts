/**
 * The package as a user gets it: `npm pack` of the built repository into a folder, for the tests that
 * install it into a fresh project (test/host/packed-install.test.ts, test/host/examples-gitops.test.ts).
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const REPO = path.resolve(__dirname, "..", "..");
export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

/** Fails naming `npm run build` when the build the tarball would ship is missing. */
export function assertBuilt(
  files: readonly string[] = ["dist/provider/index.js", "dist/host/tencent.js", "dist/host/zego.js"],
): void {
  for (const file of files)
    if (!fs.existsSync(path.join(REPO, file)))
      assert.fail(`${file} is missing: run \`npm run build\` first (npm test does)`);
}

/** Packs the repository into `dir` (scripts not run: the build is already there); the tarball and its files. */
export function packRepo(dir: string): { tarball: string; files: string[] } {
  const packed = JSON.parse(
    execFileSync(NPM, ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  const [first] = packed;
  assert.ok(first, "npm pack reported nothing");
  return { tarball: path.join(dir, first.filename), files: first.files.map((f) => f.path) };
}

/** A tarball packed from the repository, installed into `<dir>/project`. */
export interface PackedInstall {
  readonly tarball: string;
  /** The paths inside the tarball. */
  readonly files: string[];
  /** The project folder, with `pulumi-rooms` installed from the tarball. */
  readonly project: string;
}

/**
 * Packs the built repository into `dir` and installs it into a project named `name` running `program`
 * (index.js), next to `@pulumi/pulumi` at the version the repository tests with.
 */
export function packAndInstall(dir: string, name: string, program: string): PackedInstall {
  assertBuilt();
  const { tarball, files } = packRepo(dir);
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
  return { tarball, files, project };
}
