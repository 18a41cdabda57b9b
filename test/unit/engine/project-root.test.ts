/** The project folder is found from a subfolder by walking up to the nearest Pulumi.yaml, as the CLI does. */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadProject, ProjectError } from "../../../engine/project";
import { findProjectRoot } from "../../../engine/project-root";

describe("engine project root", function () {
  let tmp: string;
  beforeEach(function () {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "rooms-root-")));
  });
  afterEach(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("finds Pulumi.yaml in the folder itself", function () {
    fs.writeFileSync(path.join(tmp, "Pulumi.yaml"), "name: p\nruntime: nodejs\n");
    assert.equal(findProjectRoot(tmp), tmp);
  });

  it("walks up from a subfolder to the nearest Pulumi.yaml (or Pulumi.yml)", function () {
    const outer = path.join(tmp, "outer");
    const inner = path.join(outer, "inner");
    const deep = path.join(inner, "src", "rooms");
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(outer, "Pulumi.yaml"), "name: outer\nruntime: nodejs\n");
    fs.writeFileSync(path.join(inner, "Pulumi.yml"), "name: inner\nruntime: nodejs\n");
    assert.equal(findProjectRoot(deep), inner);
    assert.equal(findProjectRoot(path.join(outer)), outer);
  });

  it("returns the starting folder when no folder up holds a project file", function () {
    const sub = path.join(tmp, "a", "b");
    fs.mkdirSync(sub, { recursive: true });
    // The temp folder's ancestors (/tmp, /) hold no Pulumi.yaml on a test machine.
    assert.equal(findProjectRoot(sub), sub);
  });

  it("a folder that is no project: the message says what a project holds and names `pulumi-rooms-local new`", function () {
    assert.throws(
      () => loadProject(findProjectRoot(tmp), "dev"),
      (e: Error) =>
        e instanceof ProjectError &&
        e.message.startsWith(`no Pulumi.yaml in ${tmp} or a folder above it: this is not a Pulumi project.`) &&
        /Pulumi\.yaml \(name, runtime: nodejs\), package\.json \("main": "index\.ts", pulumi-rooms and @pulumi\/pulumi as dependencies\), tsconfig\.json and the program, index\.ts; `pulumi-rooms-local new` writes one here/.test(
          e.message,
        ),
    );
  });
});
