/**
 * A fresh temporary directory for each test of a suite, removed after it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Registers the hooks; `set` receives each test's new directory (created under the OS temp dir with `prefix`). */
export function tempDirPerTest(prefix: string, set: (dir: string) => void): void {
  let dir: string | undefined;
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    set(dir);
  });
  afterEach(function () {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
}
