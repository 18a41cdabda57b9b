/**
 * The emulator's console over HTTP, without a browser: the data document, the request log's events and
 * bounds, and the rate-limit control. The page itself is tested in Chromium
 * (test/browser/console-views.test.ts, console-controls.test.ts).
 */
import assert from "node:assert/strict";
import { banner } from "../../emulator/cli";
import type { Emulator } from "../../emulator";
import { RATE_HISTORY_SECONDS, RequestLog } from "../../emulator/request-log";
import { emulatorPerTest, view } from "../support/console-http";
import { tencentCall } from "../support/tencent-raw";
import { zegoPost } from "../support/zego-raw";

describe("emulator console over HTTP (data, request log)", () => {
  let emu: Emulator;
  const tencent = () => ({ baseUrl: emu.url, ...emu.credentials.tencent });
  const zego = () => ({
    baseUrl: emu.url,
    appId: emu.credentials.zego.appId,
    serverSecret: emu.credentials.zego.serverSecret,
    nowSec: () => Math.floor(Date.now() / 1000),
  });
  const createTencent = (roomId: string) =>
    tencentCall(tencent(), "create_room", { RoomInfo: { RoomId: roomId, RoomType: "Conference" } });

  emulatorPerTest((e) => (emu = e));

  describe("data and request log", () => {
    it("each vendor request becomes an event: API, room, code with its meaning, latency, fault, rate limit", async () => {
      await tencentCall(tencent(), "get_room_info", { RoomId: "nowhere" });
      await zegoPost(zego(), "CreateRoom", { FromUserId: emu.credentials.zego.fromUserId, RoomId: "lobby" });
      emu.setFaults({ seed: 1, http502: 1, actions: ["destroy_room"] });
      await fetch(`${emu.url}/v4/room_engine_http_srv/destroy_room?sdkappid=1`, { method: "POST", body: "{}" });
      emu.setFaults({ seed: 1, vendorTransient: 1, actions: ["get_room_info"] });
      await tencentCall(tencent(), "get_room_info", { RoomId: "keep-me" });
      emu.setFaults(undefined);
      emu.setRateLimits({ zego: 1 });
      await zegoPost(zego(), "CreateRoom", { FromUserId: emu.credentials.zego.fromUserId, RoomId: "second" });
      await zegoPost(zego(), "CreateRoom", { FromUserId: emu.credentials.zego.fromUserId, RoomId: "third" });

      const events = emu.requests();
      const pick = ({ seq: _seq, at: _at, latencyMs: _l, ...rest }: (typeof events)[number]) => rest;
      /** A logged POST that was not rate-limited: its answer, and what the log says of it. */
      const posted = (
        vendor: string,
        action: string,
        roomId: string | undefined,
        status: number,
        code: number | undefined,
        meaning?: string,
        fault?: string,
      ) => ({ vendor, method: "POST", action, roomId, status, code, meaning, fault, rateLimited: false });
      // What the log says codes 100004 and 100001 mean.
      const [NO_ROOM, RETRY] = [
        "The room does not exist, or it once existed but has been destroyed.",
        "Internal server error, please retry.",
      ];
      assert.deepEqual(events.map(pick), [
        posted("tencent", "create_room", "keep-me", 200, 0),
        posted("tencent", "get_room_info", "nowhere", 200, 100004, NO_ROOM),
        posted("zego", "CreateRoom", "lobby", 200, 0),
        posted("tencent", "destroy_room", undefined, 502, undefined, undefined, "http502"),
        posted("tencent", "get_room_info", "keep-me", 200, 100001, RETRY, "vendorTransient"),
        // Rate limit 1/s: the first of the two may land in the second the limiter already counted.
        ...events.slice(5).map(pick),
      ]);
      const zegoLimited = events.slice(5).filter((e) => e.rateLimited);
      assert.ok(zegoLimited.length >= 1, "one of two requests at 1/s is refused");
      for (const e of zegoLimited)
        assert.deepEqual([e.code, e.meaning, e.fault], [660300005, "frequency limit", undefined]);
      assert.ok(events.every((e, i) => e.seq === i + 1 && e.latencyMs >= 0 && e.at > 0));
      // The data document: the same events, counted per API per second, the limits and the actions.
      const data = await view(emu, 2);
      assert.deepEqual(
        data.requests.events.map((e) => e.seq),
        events.slice(2).map((e) => e.seq),
      );
      assert.equal(data.requests.latestSeq, events.length);
      const total = data.rates.reduce((n, b) => n + Object.values(b.byApi).reduce((m, s) => m + s.total, 0), 0);
      assert.equal(total, events.length);
      assert.deepEqual(data.limits, {
        tencent: { inForce: 200, documentedPerApi: 200 },
        zego: { inForce: 1, documentedPerApi: 20 },
      });
      assert.ok(data.actions.tencent.includes("get_room_info") && data.actions.zego.includes("ModifyRoomAttribute"));
      assert.deepEqual(
        data.rooms.tencent.map((r) => r.RoomId),
        ["keep-me"],
      );
      assert.deepEqual(
        data.rooms.zego.map((r) => r.roomId).sort(),
        ["lobby", ...(zegoLimited.length === 2 ? [] : ["second"])].sort(),
      );
    });

    it("reset() empties the log; its seq numbers go on and clearedAfter tells a polling page what to drop", async () => {
      const before = emu.requests().length;
      assert.ok(before >= 1);
      emu.reset();
      assert.deepEqual(emu.requests(), []);
      await createTencent("after");
      const data = await view(emu);
      assert.equal(data.requests.clearedAfter, before);
      assert.deepEqual(
        data.requests.events.map((e) => e.seq),
        [before + 1],
      );
    });

    it("POST /_emulator/rate-limits sets the limits through the programmatic API; a bad body is a 400 naming the field", async () => {
      const res = await fetch(`${emu.url}/_emulator/rate-limits`, {
        method: "POST",
        body: JSON.stringify({ tencent: false, zego: 5 }),
      });
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { ok: true, limits: { tencent: false, zego: 5 } });
      assert.deepEqual((await view(emu)).limits.tencent.inForce, false);
      for (const [body, message] of [
        ['{"tencent": 0}', /tencent must be a positive integer/],
        ['{"zego": "5"}', /zego must be a positive integer/],
        ['{"zego": 1.5}', /zego must be a positive integer/],
        ['{"agora": 5}', /unknown field "agora"/],
        ["[]", /must be a JSON object/],
        ["{", /body must be JSON/],
      ] as const) {
        const bad = await fetch(`${emu.url}/_emulator/rate-limits`, { method: "POST", body });
        assert.equal(bad.status, 400, body);
        assert.match(((await bad.json()) as { error: string }).error, message);
      }
      assert.deepEqual((await view(emu)).limits.zego.inForce, 5, "a refused body changes nothing");
    });

    it("the command line's banner prints the console URL", () => {
      assert.match(banner(emu, {}), new RegExp(`^  console: +${emu.url}/ `, "m"));
    });
  });
});

describe("RequestLog (bounded)", () => {
  const event = (at: number, action = "create_room") => ({
    at,
    vendor: "tencent" as const,
    method: "POST",
    action,
    latencyMs: 1,
    rateLimited: action === "limited",
  });

  it("keeps the newest `capacity` events, oldest first; since() filters by seq", () => {
    const log = new RequestLog(3);
    for (let i = 0; i < 5; i++) log.record(event(1000 * i));
    assert.deepEqual(
      log.since().map((e) => e.seq),
      [3, 4, 5],
    );
    assert.deepEqual(
      log.since(4).map((e) => e.seq),
      [5],
    );
    assert.equal(log.latestSeq, 5);
    assert.throws(() => new RequestLog(0), /requestLogCapacity must be a positive integer/);
  });

  it("counts per API per second, rate-limit refusals apart, and keeps only the last RATE_HISTORY_SECONDS seconds, even with a clock that jumps", () => {
    const log = new RequestLog(10);
    log.record(event(5_000));
    log.record(event(5_500, "limited"));
    log.record(event(5_900));
    assert.deepEqual(log.rates(), [
      {
        second: 5,
        byApi: { "tencent/create_room": { total: 2, rateLimited: 0 }, "tencent/limited": { total: 1, rateLimited: 1 } },
      },
    ]);
    for (let s = 0; s < 3 * RATE_HISTORY_SECONDS; s++)
      log.record(event(s % 2 === 0 ? s * 1000 : (s - 2 * RATE_HISTORY_SECONDS) * 1000));
    const seconds = log.rates().map((b) => b.second);
    assert.ok(seconds.length <= RATE_HISTORY_SECONDS, `${seconds.length} buckets`);
    const newest = Math.max(...seconds);
    assert.ok(seconds.every((s) => s > newest - RATE_HISTORY_SECONDS));
  });
});
