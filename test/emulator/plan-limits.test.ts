/**
 * The limits of the emulated vendor plans are emulator options (programmatic and CLI flags of
 * emulator/cli.ts), with the documented defaults, and each error they cause names the option that sets it:
 * ZEGO's room quota and attributes per room, Tencent's member and seat limits and its package, and both
 * vendors' frequency limits.
 */
import assert from "node:assert/strict";
import { parseCli } from "../../emulator/cli";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { tencentCall, type TencentAnswer } from "../support/tencent-raw";
import { zegoPost, type ZegoAnswer } from "../support/zego-raw";

let emu: Emulator | undefined;

async function fresh(options: EmulatorOptions = {}): Promise<Emulator> {
  await emu?.stop();
  emu = await startEmulator({
    ...options,
    tencent: { ratePerSecond: false, ...options.tencent },
    zego: { ratePerSecond: false, preRegisterOperator: true, ...options.zego },
  });
  return emu;
}

function tencent(e: Emulator, command: string, body: unknown): Promise<TencentAnswer> {
  return tencentCall({ baseUrl: e.url, ...e.credentials.tencent }, command, body);
}

function zegoCreate(e: Emulator, roomId: string, extra: Record<string, unknown> = {}): Promise<ZegoAnswer> {
  const target = {
    baseUrl: e.url,
    appId: e.credentials.zego.appId,
    serverSecret: e.credentials.zego.serverSecret,
    nowSec: () => Math.floor(Date.now() / 1000),
  };
  return zegoPost(target, "CreateRoom", { FromUserId: e.credentials.zego.fromUserId, RoomId: roomId, ...extra });
}

const attributes = (n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${i}`, Value: "v" }));

describe("emulator: plan limits as options, named in the errors they cause", () => {
  after(async () => {
    await emu?.stop();
    emu = undefined;
  });

  describe("ZEGO", () => {
    it("room quota: 50 by default; the refusal (660300015) names zego.roomQuota / --zego-room-quota; raised, more rooms fit", async () => {
      const e = await fresh();
      for (let i = 0; i < 50; i++) assert.equal((await zegoCreate(e, `r${i}`)).body.Code, 0, `room ${i}`);
      const refused = await zegoCreate(e, "r50");
      assert.equal(refused.body.Code, 660300015);
      assert.equal(
        refused.body.Message,
        'room number exceeds the upper limit: room quota 50 reached (emulator option zego.roomQuota / --zego-room-quota); RoomId "r50"',
      );
      const big = await fresh({ zego: { roomQuota: 60 } });
      for (let i = 0; i < 60; i++) assert.equal((await zegoCreate(big, `r${i}`)).body.Code, 0, `room ${i}`);
      assert.match((await zegoCreate(big, "r60")).body.Message, /room quota 60 reached/);
    });

    it("attributes per room: more than maxAttributes names zego.maxAttributes / --zego-max-attributes", async () => {
      const e = await fresh({ zego: { maxAttributes: 3 } });
      const refused = await zegoCreate(e, "r1", { Attributes: attributes(4) });
      assert.equal(refused.body.Code, 660000002);
      assert.match(
        refused.body.Message,
        /Attributes must have at most 3 items \(the room attribute limit: emulator option zego\.maxAttributes \/ --zego-max-attributes\)/,
      );
      assert.equal((await zegoCreate(e, "r2", { Attributes: attributes(3) })).body.Code, 0);
    });

    it("frequency limit: the refusal names the limit in force and zego.ratePerSecond / --zego-rate", async () => {
      const e = await fresh({ zego: { ratePerSecond: 1 } });
      await zegoCreate(e, "r1");
      const refused = await zegoCreate(e, "r2");
      assert.equal(refused.body.Code, 660300005);
      assert.match(
        refused.body.Message,
        /emulator limit 1\/s per action \(option zego\.ratePerSecond \/ --zego-rate\)/,
      );
    });
  });

  describe("Tencent", () => {
    const create = (e: Emulator, info: Record<string, unknown>) =>
      tencent(e, "create_room", { RoomInfo: { RoomType: "Conference", ...info } });

    it("members: MaxMemberCount over 300 (the package) names tencent.packageMaxMemberCount / --tencent-max-members; raised, it is accepted", async () => {
      const e = await fresh();
      const refused = await create(e, { RoomId: "r1", MaxMemberCount: 301 });
      assert.equal(refused.body.ErrorCode, 100002);
      assert.equal(
        refused.body.ErrorInfo,
        "MaxMemberCount must be between 1 and 300 (the package's member limit: emulator option tencent.packageMaxMemberCount / --tencent-max-members)",
      );
      assert.equal(
        (await create(e, { RoomId: "r2", MaxMemberCount: 0 })).body.ErrorInfo,
        "MaxMemberCount must be between 1 and 300",
        "a value below 1 is no plan matter",
      );
      const update = await tencent(e, "update_room_info", { RoomInfo: { RoomId: "r1", MaxMemberCount: 301 } });
      assert.match(update.body.ErrorInfo, /--tencent-max-members/);
      const big = await fresh({ tencent: { packageMaxMemberCount: 1000, packageMaxSeatCount: 50 } });
      assert.equal((await create(big, { RoomId: "r1", MaxMemberCount: 1000, MaxSeatCount: 50 })).body.ErrorCode, 0);
      assert.deepEqual([big.tencent.room("r1")?.MaxMemberCount, big.tencent.room("r1")?.MaxSeatCount], [1000, 50]);
    });

    it("seats: MaxSeatCount over 20 names tencent.packageMaxSeatCount / --tencent-max-seats", async () => {
      const e = await fresh();
      assert.match(
        (await create(e, { RoomId: "r1", MaxSeatCount: 21 })).body.ErrorInfo,
        /between 1 and 20 \(the package's seat limit: emulator option tencent\.packageMaxSeatCount \/ --tencent-max-seats\)/,
      );
    });

    it("no package: 100007 names tencent.paid / --tencent-unpaid", async () => {
      const e = await fresh({ tencent: { paid: false } });
      const refused = await create(e, { RoomId: "r1" });
      assert.equal(refused.body.ErrorCode, 100007);
      assert.match(
        refused.body.ErrorInfo,
        /^No payment information.*\(emulated app without a package: emulator option tencent\.paid \/ --tencent-unpaid\)$/,
      );
    });

    it("frequency limit: 60007 (per command) and 60011 (per app) name the limit and tencent.ratePerSecond / --tencent-rate", async () => {
      const e = await fresh({ tencent: { ratePerSecond: 1 } });
      await create(e, { RoomId: "r1" });
      const perCommand = await create(e, { RoomId: "r2" });
      assert.equal(perCommand.body.ErrorCode, 60007);
      assert.match(
        perCommand.body.ErrorInfo,
        /^REST API call frequency limit exceeded.*\(emulator limit 1\/s per command: option tencent\.ratePerSecond \/ --tencent-rate\)$/,
      );
      e.setRateLimits({ scope: "app" });
      await tencent(e, "get_room_info", { RoomId: "r1" });
      const perApp = await create(e, { RoomId: "r3" });
      assert.equal(perApp.body.ErrorCode, 60011);
      assert.match(perApp.body.ErrorInfo, /per app: option tencent\.ratePerSecond/);
    });

    it("a limit that is not a whole number >= 1 is refused at start, naming the option", async () => {
      await assert.rejects(
        startEmulator({ tencent: { packageMaxMemberCount: 0 } }),
        /tencent emulator: packageMaxMemberCount must be a whole number >= 1, not 0/,
      );
    });
  });

  describe("command line", () => {
    it("the plan and rate flags become the vendors' options; none given leaves the defaults", () => {
      const r = parseCli([
        "--tencent-max-members",
        "1000",
        "--tencent-default-members",
        "50",
        "--tencent-max-seats",
        "30",
        "--tencent-unpaid",
        "--zego-room-quota",
        "300",
        "--zego-max-attributes",
        "32",
        "--tencent-rate",
        "400",
        "--zego-rate",
        "40",
      ]);
      assert.ok(!r.help);
      assert.deepEqual(r.options.tencent, {
        ratePerSecond: 400,
        packageMaxMemberCount: 1000,
        defaultMaxMemberCount: 50,
        packageMaxSeatCount: 30,
        paid: false,
      });
      assert.deepEqual(r.options.zego, { ratePerSecond: 40, roomQuota: 300, maxAttributes: 32 });
      const none = parseCli([]);
      assert.deepEqual(none.help ? "help" : [none.options.tencent, none.options.zego], [undefined, undefined]);
      const quotaOnly = parseCli(["--zego-room-quota", "2"]);
      assert.deepEqual(quotaOnly.help ? "help" : [quotaOnly.options.tencent, quotaOnly.options.zego], [
        undefined,
        { roomQuota: 2 },
      ]);
    });

    it("refuses a value that is not a whole number >= 1, and --no-rate-limit with a rate, naming the flags", () => {
      for (const bad of ["0", "-1", "1.5", "many", ""])
        assert.throws(
          () => parseCli([`--zego-room-quota=${bad}`]),
          /--zego-room-quota must be a whole number >= 1/,
          bad,
        );
      assert.throws(
        () => parseCli(["--tencent-max-members", "0"]),
        /--tencent-max-members must be a whole number >= 1, not "0"/,
      );
      assert.throws(
        () => parseCli(["--no-rate-limit", "--zego-rate", "5"]),
        /--no-rate-limit turns both rate limits off: give it or --tencent-rate\/--zego-rate, not both/,
      );
    });

    it("an emulator started from the flags enforces them", async () => {
      const r = parseCli(["--zego-room-quota", "1", "--no-rate-limit"]);
      assert.ok(!r.help);
      const e = await fresh(r.options);
      assert.equal((await zegoCreate(e, "only")).body.Code, 0);
      assert.match(
        (await zegoCreate(e, "second")).body.Message,
        /room quota 1 reached \(emulator option zego\.roomQuota \/ --zego-room-quota\)/,
      );
    });
  });
});
