/**
 * Finding the project folder from where the command runs, as the Pulumi CLI does: the nearest folder,
 * starting at the given one and walking up, that holds `Pulumi.yaml` (or `Pulumi.yml`). See
 * https://www.pulumi.com/docs/iac/concepts/projects/ ("the nearest Pulumi.yaml file in a parent folder").
 */
import * as fs from "node:fs";
import * as path from "node:path";

const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

/**
 * The nearest folder at or above `start` that holds a project file, or `start` itself (resolved) when none
 * does, so that loading the project there reports the missing file for the folder the user named.
 */
export function findProjectRoot(start: string): string {
  const origin = path.resolve(start);
  for (let dir = origin; ; dir = path.dirname(dir)) {
    if (PROJECT_FILES.some((f) => fs.existsSync(path.join(dir, f)))) return dir;
    if (path.dirname(dir) === dir) return origin;
  }
}
