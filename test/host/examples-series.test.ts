/**
 * The scheduled-meetings example: its MeetingSeries register one Tencent room per occurrence under mocks,
 * roll with pulumi-rooms:asOf, export their calendars, and deploy through the host against the emulator.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { TencentRoomSchema } from "../../provider/tencent/schema";
import { declared, Engine } from "../support/engine";
import { byName, EXAMPLES, REPO, run, TENCENT } from "../support/examples";
import { ProviderHost } from "../support/host";
import { runProgramFile, type Registration } from "../support/program";

describe("examples", function () {
  describe("scheduled-meetings", function () {
    const SERIES = "pulumi-rooms:index:MeetingSeries";
    const asOf = (day: string) => ({ config: { "pulumi-rooms:asOf": day } });
    const rooms = (regs: Registration[], series?: string) =>
      regs.filter((r) => r.type === TENCENT && (!series || r.name.startsWith(`${series}-2`)));
    const startOf = (regs: Registration[], name: string) =>
      new Date((byName(regs, name).inputs.scheduleStartTime as number) * 1000).toISOString();

    it("declares five MeetingSeries, each a component with one Tencent room per occurrence in the window", async function () {
      const regs = await run("scheduled-meetings", asOf("2027-03-22"));
      assert.deepEqual(
        regs.filter((r) => r.type === SERIES).map((r) => r.name),
        ["standup", "planning", "design-review", "leads-sync", "demo"],
      );
      assert.deepEqual(
        ["standup", "planning", "design-review", "leads-sync", "demo"].map((s) => rooms(regs, s).length),
        [10, 1, 2, 2, 2],
        "weekdays 22 March - 2 April; planning every other Monday; Wednesdays; Thursdays; last Fridays of March and April (6-week horizon)",
      );
      for (const r of rooms(regs)) {
        const series = r.urn.split("::")[2];
        assert.equal(series, `${SERIES}$${TENCENT}`, `${r.name} is a child of its series`);
        assert.match(r.inputs.roomId as string, /^[a-z-]+-[0-9a-f]{6}-\d{8}-\d{4}$/);
        assert.ok(Buffer.byteLength(r.inputs.roomId as string) <= 48, `${r.name}: room IDs are at most 48 bytes`);
        assert.equal(
          r.inputs.roomIdSource,
          undefined,
          "the series declares each room ID (not auto-named from the resource name)",
        );
        assert.ok((r.inputs.scheduleInvitees as string[]).length > 0, `${r.name} has invitees`);
        const parsed = TencentRoomSchema.safeParse(r.inputs);
        assert.ok(parsed.success, `${r.name}: ${JSON.stringify(parsed.error?.issues)}`);
      }
      // 09:00 in Berlin is 08:00Z before the change of 28 March and 07:00Z after it.
      assert.equal(startOf(regs, "standup-2027-03-25T0900"), "2027-03-25T08:00:00.000Z");
      assert.equal(startOf(regs, "standup-2027-03-29T0900"), "2027-03-29T07:00:00.000Z");
      // The exception: later, renamed; the leads sync keeps New York's 08:00 (EDT since 14 March).
      assert.equal(startOf(regs, "standup-2027-03-26T0900"), "2027-03-26T09:30:00.000Z");
      assert.equal(byName(regs, "standup-2027-03-26T0900").inputs.roomName, "Stand-up (after the offsite)");
      assert.equal(startOf(regs, "leads-sync-2027-03-25T0800"), "2027-03-25T12:00:00.000Z");
      const quarterly = byName(regs, "design-review-2027-03-31T1600").inputs;
      assert.equal((quarterly.scheduleEndTime as number) - (quarterly.scheduleStartTime as number), 90 * 60);
      assert.equal(quarterly.maxMemberCount, 20);
      assert.deepEqual(byName(regs, "planning-2027-03-22T1400").inputs.scheduleInvitees, [
        "alice",
        "bob",
        "carol",
        "dan",
        "erin",
      ]);
    });

    it("rolls with pulumi-rooms:asOf (Easter Monday is skipped) and rejects an asOf that is not a date", async function () {
      const regs = await run("scheduled-meetings", asOf("2027-03-23"));
      const standups = rooms(regs, "standup").map((r) => r.name);
      assert.equal(standups.length, 9);
      assert.ok(!standups.includes("standup-2027-03-22T0900") && !standups.includes("standup-2027-04-05T0900"));
      const before = new Map(
        rooms(await run("scheduled-meetings", asOf("2027-03-22"))).map((r) => [r.name, r.inputs.roomId]),
      );
      for (const r of rooms(regs))
        if (before.has(r.name)) assert.equal(r.inputs.roomId, before.get(r.name), `${r.name} keeps its room ID`);
      await assert.rejects(
        run("scheduled-meetings", asOf("2027-03-32")),
        /config pulumi-rooms:asOf must be a date YYYY-MM-DD/,
      );
    });

    it("exports each series' rooms and its iCalendar text", async function () {
      const result = await runProgramFile(path.join(EXAMPLES, "scheduled-meetings", "index.ts"), {
        project: "scheduled-meetings",
        ...asOf("2027-03-22"),
      });
      const exports = result.exports as {
        meetings: Record<string, string[]>;
        calendars: Record<string, string>;
        asOf: string;
      };
      assert.equal(exports.asOf, "2027-03-22");
      assert.deepEqual(Object.keys(exports.calendars), ["standup", "planning", "designReview", "leadsSync", "demo"]);
      assert.match(exports.calendars.standup ?? "", /^RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\r$/m);
      assert.match(exports.calendars.standup ?? "", /^EXDATE;TZID=Europe\/Berlin:20270405T090000\r$/m);
      assert.match(
        exports.meetings.standup?.[5] ?? "",
        /^2027-03-29T09:00:00\+02:00 standup-[0-9a-f]{6}-20270329-0900 \(planned\)$/,
      );
    });

    it("deploys through the host against the emulator: up, no-change up, destroy", async function () {
      this.timeout(60_000);
      const emu = await startEmulator();
      const host = await ProviderHost.start({ cwd: REPO, project: "scheduled-meetings" });
      try {
        await host.configure(emu.stackConfig(), ["tencent:secretKey", "zego:serverSecret"]);
        const engine = new Engine(host);
        const program = declared(await run("scheduled-meetings", asOf("2027-03-22")));
        await engine.up(program);
        assert.equal(emu.tencent.rooms().length, 17);
        assert.deepEqual([...new Set((await engine.up(program)).map((s) => s.op))], ["same"]);
        await engine.destroy();
        assert.equal(emu.tencent.rooms().length, 0);
      } finally {
        await host.stop();
        await emu.stop();
      }
    });
  });
});
