/**
 * What pulumi-rooms-local says when something is wrong, on test/fixtures/messages: a failed preview does not
 * speak of saved state; a MeetingSeries template error is one problem with its path and the occurrences it
 * reaches; a program's error reaches a pipe without ANSI escapes (unless FORCE_COLOR) and a user error
 * without a stack trace; a past schedule is a warning naming resource, field and time; and a refresh of
 * rooms nobody touched leaves nothing for the next preview to show.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { isProvider } from "../../engine/state";
import type { Step } from "../../engine/step";
import { nameOf, plainOf } from "../../engine/wire";
import { withoutProvider } from "../../provider/core/check";
import { CLI, REPO, Workspace } from "../support/local-engine";

const FIXTURE = path.join(REPO, "test", "fixtures", "messages");
const ESC = "\x1b[";

/** The CLI's preview as a process whose standard error is a pipe, with the colour variables given. */
function pipedPreview(ws: Workspace, env: Record<string, string>): { code: number | null; stderr: string } {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !["FORCE_COLOR", "NO_COLOR", "NODE_DISABLE_COLORS"].includes(k)),
  );
  const run = spawnSync(process.execPath, [CLI, "preview", "--cwd", ws.dir, "--stack", ws.stack], {
    encoding: "utf8",
    timeout: 120_000,
    env: { ...clean, ...env },
  });
  return { code: run.status, stderr: run.stderr };
}

describe("pulumi-rooms-local: messages that fit what happened", function () {
  this.timeout(300_000);
  const ws = new Workspace(FIXTURE);
  after(() => ws.remove());

  it("reports a MeetingSeries template error once, with its path and the occurrences it affects; a failed preview saved nothing", async function () {
    ws.config({ "messages:case": "series", "pulumi-rooms:asOf": "2027-03-01" });
    const preview = await ws.run("preview");
    assert.equal(preview.ok, false);
    const text = preview.lines.join("\n");
    const mentions = preview.lines.filter((l) => l.includes("must be at most 100 bytes"));
    assert.equal(mentions.length, 1, text);
    assert.match(
      mentions[0] ?? "",
      /room\.roomName must be at most 100 bytes \(UTF-8\), got 120 bytes \(affects all 10 occurrences in the window: standup-[0-9a-f]{6}-20270301-0900, /,
    );
    assert.ok(!preview.steps.some((s: Step) => s.type?.endsWith("TencentRoom")), "no room was registered");
    assert.equal(
      preview.lines.at(-1),
      "error: preview failed (see the errors above); a preview changes nothing, so nothing was saved",
    );
    assert.doesNotMatch(text, /saved in the checkpoint/);
  });

  it("prints a user error without stack trace and a program's error without ANSI escapes into a pipe (FORCE_COLOR keeps them)", function () {
    ws.config({ "messages:case": "series", "messages:timeZone": "Europe/Berlinn", "pulumi-rooms:asOf": "2027-03-01" });
    const zone = pipedPreview(ws, {});
    assert.equal(zone.code, 1, zone.stderr);
    assert.match(zone.stderr, /error: {3}- timeZone "Europe\/Berlinn" is not a time zone the IANA database knows/);
    assert.ok(!zone.stderr.includes(ESC), zone.stderr);
    assert.doesNotMatch(zone.stderr, /^\s*error:\s+at /m, "no stack trace for a user error");
    assert.doesNotMatch(zone.stderr, /SERIES_ARGUMENTS_INVALID|unhandled exception/);

    ws.config({ "messages:case": "boom" });
    const piped = pipedPreview(ws, {});
    assert.equal(piped.code, 1, piped.stderr);
    assert.match(piped.stderr, /TypeError: boom/);
    assert.match(piped.stderr, /^\s*error:\s+at /m, "a program's own error keeps its stack");
    assert.ok(!piped.stderr.includes(ESC), piped.stderr);
    const forced = pipedPreview(ws, { FORCE_COLOR: "1" });
    assert.ok(forced.stderr.includes(ESC), "FORCE_COLOR keeps the runtime's colours");
    const noColor = pipedPreview(ws, { FORCE_COLOR: "0", NO_COLOR: "1" });
    assert.ok(!noColor.stderr.includes(ESC), noColor.stderr);
  });

  it("warns at preview about a room whose schedule is past, naming the resource, the field and the time", async function () {
    ws.config({ "messages:case": "past" });
    const preview = await ws.run("preview");
    assert.ok(preview.ok, preview.lines.join("\n"));
    const warnings = preview.lines.filter((l) => l.includes("warning:"));
    assert.equal(warnings.length, 2, warnings.join("\n"));
    assert.match(
      warnings.find((l) => l.includes("yesterday")) ?? "",
      /warning: yesterday: scheduleEndTime 2024-05-03T11:00:00Z is already past \(now \d{4}-.*\): the meeting is over/,
    );
    assert.match(
      warnings.find((l) => l.includes("started")) ?? "",
      /warning: started: scheduleStartTime \S+ is already past .*Running at once/,
    );
  });

  it("a refresh of rooms nobody touched changes no input, and the next preview shows only what the program changed", async function () {
    ws.config({ "messages:case": "refresh" });
    const up = await ws.run("up");
    assert.ok(up.ok, up.lines.join("\n"));
    const inputs = (): Record<string, Record<string, unknown>> =>
      Object.fromEntries(
        [...ws.checkpoint().resources.values()]
          .filter((r) => r.custom && !isProvider(r))
          .map((r) => [nameOf(r.urn), withoutProvider(plainOf(r.inputs))] as const),
      );
    const before = inputs();
    assert.ok((await ws.run("refresh")).ok);
    const refreshed = inputs();
    const same = await ws.run("preview", { diff: true });
    ws.config({ "messages:case": "refresh", "messages:roomName": "Renamed" });
    const renamed = await ws.run("preview", { diff: true });

    const shown = renamed.lines.filter((l) => /^ {8}\w+: /.test(l));
    assert.deepEqual(
      shown.map((l) => l.trim().split(":")[0]),
      ["roomName", "roomName", "roomName"],
      renamed.lines.join("\n"),
    );
    assert.deepEqual([...new Set(same.steps.map((s) => s.op))], ["same"], same.lines.join("\n"));
    assert.deepEqual(refreshed, before, "refresh recorded inputs the program never declared");
  });
});
