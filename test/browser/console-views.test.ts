/**
 * The emulator's web console in a real browser, its views: headless Chromium opens the console of an emulator
 * holding rooms of both vendors deployed through the dynamic-provider host, and finds the rooms and the
 * week's meetings shown. One browser for the file.
 *
 * Set CONSOLE_SCREENSHOTS=1 to refresh docs/console-rooms.png and docs/console-schedule.png.
 */
import { strict as assert } from "node:assert";
import type { Page } from "playwright-core";
import type { Emulator } from "../../emulator";
import { ConsoleStack, count, shoot, ZONE_OFFSET_MS } from "../support/console-browser";

describe("emulator console in Chromium (rooms, schedule)", function () {
  this.timeout(60_000);
  let emu: Emulator;
  let page: Page;
  const stack = new ConsoleStack("console view tests").suite((e, p) => ((emu = e), (page = p)));
  const { pageErrors, weekParam, tencentRooms } = stack;

  it("Rooms: every field of both vendors' rooms, ZEGO attributes with their sequence numbers; search and vendor filter", async function () {
    const standup = page.locator('[data-room="tencent:standup-0"]');
    await standup.waitFor();
    const record = emu.tencent.room("standup-0");
    assert.ok(record);
    for (const [field, value] of Object.entries(record)) {
      if (field === "Invitees" || field === "Members") continue;
      const cell = standup.locator(`[data-field="${field}"]`);
      assert.equal(await cell.count(), 1, `Tencent field ${field} is shown`);
      if (typeof value === "string" && value !== "") assert.equal(await cell.textContent(), value, field);
    }
    assert.equal(await standup.locator('[data-list="invitees"]').textContent(), "ana, bo");
    // Times in the viewer's zone, the raw value and UTC on hover.
    assert.equal(await standup.locator('[data-field="ScheduleStartTime"]').textContent(), `${weekParam} 09:00`);
    assert.match(
      (await standup.locator('[data-field="ScheduleStartTime"]').getAttribute("title")) ?? "",
      new RegExp(`^${record.ScheduleStartTime} \\(${weekParam} 01:00 UTC\\)$`),
    );
    assert.equal(
      await page.locator('[data-room="tencent:sprint-planning"] [data-field="MaxMemberCount"]').textContent(),
      "50",
    );
    assert.equal(
      await page.locator('[data-room="tencent:retro"] [data-field="IsCloudRecordingDisabled"]').textContent(),
      "true",
    );

    const lobby = page.locator('[data-room="zego:lobby"]');
    const zegoRecord = emu.zego.room("lobby");
    assert.ok(zegoRecord);
    for (const field of Object.keys(zegoRecord)) {
      if (field !== "attributes" && field !== "users")
        assert.equal(await lobby.locator(`[data-field="${field}"]`).count(), 1, `ZEGO field ${field} is shown`);
    }
    for (const attr of zegoRecord.attributes) {
      const row = lobby.locator(`[data-attr="${attr.key}"]`);
      assert.equal(await row.locator(".value").textContent(), attr.value);
      assert.equal(await row.locator(".seq").textContent(), String(attr.seq));
    }
    const seqs = zegoRecord.attributes.map((a) => a.seq);
    assert.equal(new Set(seqs).size, seqs.length, "each write has its own seq");
    assert.equal(
      zegoRecord.attributes.find((a) => a.key === "topic")?.seq,
      zegoRecord.attributeSeq,
      "the changed attribute has the room's latest seq",
    );
    assert.equal(await lobby.locator('[data-attr="topic"] .value').textContent(), "agenda");

    await page.fill("#room-search", "q1 results");
    await count(page, "[data-room]", 1);
    assert.equal(await page.locator("[data-room]").getAttribute("data-room"), "zego:townhall");
    await page.fill("#room-search", "");
    await page.selectOption("#room-vendor", "tencent");
    await count(page, "[data-room]", 7);
    assert.equal(await page.locator('[data-room^="zego:"]').count(), 0);
    await page.selectOption("#room-vendor", "");
    await count(page, "[data-room]", 9);

    // The page and its data show the apps' IDs but never a secret.
    const data = await page.evaluate(async () => (await fetch("/_emulator/console")).text());
    for (const text of [await page.content(), data]) {
      assert.ok(!text.includes(emu.credentials.tencent.secretKey), "the Tencent secret key is masked");
      assert.ok(!text.includes(emu.credentials.zego.serverSecret), "the ZEGO server secret is masked");
    }
    assert.ok((await page.locator("#apps").textContent())?.includes(String(emu.credentials.zego.appId)));
    await shoot(page, "console-rooms.png");
  });

  it("Schedule: the week's meetings in the viewer's local time, with UTC on hover", async function () {
    // Opened without a week, the timeline shows this week, or the next meeting's week when this one has none.
    await page.click('nav a[data-view="schedule"]');
    await page.locator('[data-meeting="standup-0"]').waitFor();
    await page.goto(`${emu.consoleUrl}#schedule?week=${weekParam}`);
    const monday = page.locator(`[data-day="${weekParam}"]`);
    await monday.locator('[data-meeting="standup-0"]').waitFor();
    const block = monday.locator('[data-meeting="standup-0"]');
    assert.equal(await block.locator(".when").textContent(), "09:00–09:15");
    assert.equal(await block.locator("strong").textContent(), "Daily stand-up");
    const title = (await block.getAttribute("title")) ?? "";
    assert.match(title, new RegExp(`${weekParam} 01:00 UTC – ${weekParam} 01:15 UTC`));
    await block.hover();
    // Every meeting of the week is on the timeline, on its own day.
    for (const [name, args] of Object.entries(tencentRooms)) {
      const start = Date.parse(String(args.scheduleStartTime));
      const day = new Date(start + ZONE_OFFSET_MS).toISOString().slice(0, 10);
      assert.equal(
        await page.locator(`[data-day="${day}"] [data-meeting="${String(args.roomId)}"]`).count(),
        1,
        `${name} on ${day}`,
      );
    }
    assert.match(
      (await page.locator("#week-outside").textContent()) ?? "",
      /^7 of 7 Tencent meetings fall in this week/,
    );
    assert.match((await page.locator("#week-zone").textContent()) ?? "", /Asia\/Shanghai \(UTC\+08:00\)/);
    await shoot(page, "console-schedule.png");
    await page.click("#week-next");
    await count(page, "[data-meeting]", 0);
  });

  it("the console page logged no error", function () {
    assert.deepEqual(pageErrors, []);
  });
});
