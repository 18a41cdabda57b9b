/**
 * The progress display (engine/progress.ts) with a fake clock, timer and stream: the live line on a
 * terminal (redrawn by the timer only, erased before each finished line), the count lines without one,
 * and no escapes with NO_COLOR. No timing asserts: time moves only when the test moves it.
 */
import * as assert from "node:assert/strict";
import { Progress } from "../../../engine/progress";
import type { Step } from "../../../engine/step";

function fake(isTTY: boolean, noColor = false) {
  let now = 1_000_000;
  let tick: (() => void) | undefined;
  let stopped = false;
  const out: string[] = [];
  const progress = new Progress(
    { isTTY, write: (t: string) => out.push(t) },
    {
      now: () => now,
      noColor,
      every: (t) => {
        tick = t;
        return () => {
          stopped = true;
        };
      },
    },
  );
  return {
    progress,
    out,
    advance(ms: number) {
      now += ms;
      tick?.();
    },
    stopped: () => stopped,
  };
}

const step = (op: Step["op"]): Step => ({ op, urn: `urn:pulumi:s::p::t::r`, type: "t" });

describe("unit: progress", function () {
  it("text: done/total per kind, rooms/s and the time left at that rate", function () {
    const f = fake(false);
    assert.equal(f.progress.text(), "");
    for (let i = 0; i < 10; i++) f.progress.started("create");
    f.progress.started("delete");
    f.progress.started("same");
    for (let i = 0; i < 4; i++) f.progress.finished(step("create"));
    f.progress.finished(step("same"));
    f.advance(2000);
    assert.equal(f.progress.text(), "created 4/10, deleted 0/1, 2.0 rooms/s, about 4s left");
  });

  it("terminal: one live line redrawn by the timer, erased before a finished line and at the end", function () {
    const f = fake(true);
    f.progress.started("create");
    f.progress.started("create");
    assert.equal(f.out.length, 0, "never drawn per step");
    f.advance(100);
    assert.deepEqual(f.out, ["\r\x1b[2K    created 0/2, 0.0 rooms/s"]);
    f.progress.finished(step("create"));
    f.progress.write(" +  TencentRoom r1 created (0.10s)");
    assert.equal(f.out[1], "\r\x1b[2K +  TencentRoom r1 created (0.10s)\n");
    f.progress.write("a second line");
    assert.equal(f.out[2], "a second line\n", "no erase when no live line is shown");
    f.advance(100);
    assert.equal(f.out[3], "\r\x1b[2K    created 1/2, 5.0 rooms/s, about 1s left");
    f.progress.stop();
    assert.equal(f.out[4], "\r\x1b[2K");
    assert.ok(f.stopped());
  });

  it("no terminal: finished lines as they come, a count line per period while steps move, no escapes", function () {
    const f = fake(false);
    f.advance(5000);
    assert.equal(f.out.length, 0, "nothing before the first step");
    for (let i = 0; i < 1000; i++) f.progress.started("create");
    for (let i = 0; i < 340; i++) f.progress.finished(step("create"));
    f.progress.write(" +  TencentRoom r1 created");
    f.advance(5000);
    f.advance(5000);
    f.progress.finished(step("create"));
    f.advance(5000);
    assert.deepEqual(f.out, [
      " +  TencentRoom r1 created\n",
      "    ... created 340/1000, 68 rooms/s, about 10s left\n",
      "    ... created 341/1000, 23 rooms/s, about 29s left\n",
    ]);
    assert.ok(f.out.every((l) => !l.includes("\x1b")));
  });

  it("NO_COLOR on a terminal: no escapes", function () {
    const f = fake(true, true);
    f.progress.started("delete");
    f.advance(5000);
    f.progress.write("line");
    f.progress.stop();
    assert.ok(f.out.length > 0 && f.out.every((l) => !l.includes("\x1b") && !l.includes("\r")));
  });
});
