/** The example Pulumi projects under examples/: where they are, their Pulumi.yaml, their entry, their registrations under mocks. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { runProgramFile, type ProgramOptions, type Registration } from "./program";
import { parsePulumiYaml, type PulumiProject } from "./pulumi-yaml";

export const REPO = path.resolve(__dirname, "../..");
export const EXAMPLES = path.join(REPO, "examples");
export const TENCENT = "pulumi-nodejs:dynamic/rooms:TencentRoom";
export const ZEGO = "pulumi-nodejs:dynamic/rooms:ZegoRoom";

/** The parsed Pulumi.yaml of a project folder. */
export function project(dir: string): PulumiProject {
  return parsePulumiYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"));
}

/** The file a Pulumi.yaml's `main` (default: its folder) runs: a file, or a folder's package.json main / index. */
export function entryOf(dir: string, main = "."): string | undefined {
  const target = path.resolve(dir, main);
  if (!fs.existsSync(target)) return undefined;
  if (fs.statSync(target).isFile()) return target;
  const pkgPath = path.join(target, "package.json");
  const pkgMain = fs.existsSync(pkgPath)
    ? (JSON.parse(fs.readFileSync(pkgPath, "utf8")) as { main?: string }).main
    : undefined;
  for (const candidate of [pkgMain, "index.ts", "index.js"]) {
    if (candidate && fs.existsSync(path.join(target, candidate)) && fs.statSync(path.join(target, candidate)).isFile())
      return path.join(target, candidate);
  }
  return undefined;
}

/** Runs an example under mocks; resolves with what it registered. */
export async function run(example: string, options: ProgramOptions = {}): Promise<Registration[]> {
  const dir = path.join(EXAMPLES, example);
  const entry = entryOf(dir);
  assert.ok(entry);
  return (await runProgramFile(entry, { project: project(dir).name, ...options })).registrations;
}

/** The registration named `name`; fails listing the names there are. */
export function byName(regs: Registration[], name: string): Registration {
  const found = regs.find((r) => r.name === name);
  assert.ok(found, `no resource named ${name} (have ${regs.map((r) => r.name).join(", ")})`);
  return found;
}
