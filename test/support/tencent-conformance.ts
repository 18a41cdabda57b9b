/**
 * The Tencent emulator conformance suites' bench: one emulator per test on a frozen clock, the create_room
 * sample, and the request and assertion helpers the part files under test/emulator/tencent/ share.
 */
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import type { TencentEmulatorOptions } from "../../emulator";
import { EmulatorBench } from "./emulator-bench";
import { tencentCall, type TencentAnswer, type TencentSignOptions, type TencentTarget } from "./tencent-raw";

export const SECRET = "5c0f7a1e9b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
export const ADMIN = "administrator";

/** The create_room page's sample request (trtc.io/document/60707, "Sample Request Packets"). */
export const SAMPLE = {
  RoomInfo: {
    RoomId: "room-test",
    RoomName: "room-name-test",
    RoomType: "Conference",
    Owner_Account: "user2",
    MaxMemberCount: 300,
    ScheduleStartTime: 1693271355,
    ScheduleEndTime: 1693272355,
    IsVideoDisabled: true,
    IsAudioDisabled: true,
    IsMessageDisabled: true,
    IsScreenSharingDisabled: true,
    IsCloudRecordingDisabled: true,
    CustomInfo: "custom123",
    IsSeatEnabled: true,
    MaxSeatCount: 16,
    TakeSeatMode: "ApplyToTake",
  },
  ScheduleInviteeList_Account: ["user1", "user2", "user3"],
};

export const UPDATABLE: Record<string, unknown> = {
  RoomName: "renamed",
  MaxMemberCount: 150,
  IsVideoDisabled: true,
  IsAudioDisabled: true,
  IsMessageDisabled: true,
  IsScreenSharingDisabled: true,
  IsCloudRecordingDisabled: true,
  CustomInfo: "new custom",
  TakeSeatMode: "FreeToTake",
};

export function expectCode(answer: TencentAnswer, code: number, infoPart?: string): void {
  assert.equal(answer.status, 200, "Tencent answers errors with HTTP 200");
  assert.equal(answer.body.ErrorCode, code, `ErrorCode ${answer.body.ErrorCode}: ${answer.body.ErrorInfo}`);
  assert.equal(answer.body.ActionStatus, code === 0 ? "OK" : "FAIL");
  if (code !== 0) assert.notEqual(answer.body.ErrorInfo, "", "a failure carries an ErrorInfo");
  if (infoPart !== undefined)
    assert.ok(
      answer.body.ErrorInfo.includes(infoPart),
      `ErrorInfo ${JSON.stringify(answer.body.ErrorInfo)} should mention ${infoPart}`,
    );
}

/**
 * The Tencent conformance suites' bench (emulator-bench.ts): the app's secret is {@link SECRET}; requests
 * go to the current emulator's app, signed with the real clock as tls-sig-api-v2 does.
 */
export class TencentBench extends EmulatorBench<TencentEmulatorOptions> {
  constructor() {
    super((options) => ({ tencent: { secretKey: SECRET, ...options } }));
  }

  /** The current emulator's app, as a client reaches it. */
  get app(): TencentTarget {
    const e = this.running();
    return { baseUrl: e.url, ...e.credentials.tencent };
  }

  call(command: string, body: unknown, options?: TencentSignOptions & { rawBody?: string; method?: string }) {
    return tencentCall(this.app, command, body, options);
  }

  create(
    info: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    options?: TencentSignOptions,
  ): Promise<TencentAnswer> {
    return this.call("create_room", { RoomInfo: { RoomType: "Conference", ...info }, ...extra }, options);
  }

  /** create_room with one field rule broken: 100002 naming `field`, and no room left behind. */
  async expectFieldError(info: Record<string, unknown>, field: string, extra: Record<string, unknown> = {}) {
    this.clockMs += 1000; // keep each attempt out of the 100012 same-ID window
    const roomId = typeof info.RoomId === "string" ? info.RoomId : undefined;
    expectCode(await this.create(info, extra), 100002, field);
    if (roomId !== undefined)
      assert.equal(this.running().tencent.room(roomId), undefined, "a refused create_room leaves no room");
  }

  async expectCreated(info: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
    this.clockMs += 1000;
    expectCode(await this.create(info, extra), 0);
  }

  async roomInfo(roomId: string): Promise<Record<string, unknown>> {
    const r = await this.call("get_room_info", { RoomId: roomId });
    expectCode(r, 0);
    const info = (r.body.Response as { RoomInfo?: Record<string, unknown> } | undefined)?.RoomInfo;
    assert.ok(info, "get_room_info answers Response.RoomInfo");
    return info;
  }
}

/** The title every Tencent part file"s suite starts with. */
const TITLE = "emulator: Tencent Room Engine REST API";

/** A Tencent part file"s suite: `describe("<TITLE>: <part>")` with the bench"s hooks; `body` declares its tests. */
export function tencentSuite(part: string, body: (bench: TencentBench) => void): void {
  describe(`${TITLE}: ${part}`, () => body(new TencentBench().register()));
}

/** Text deflated and encoded like a UserSig, but not a signature document. */
export function deflateText(text: string): string {
  return deflateSync(Buffer.from(text)).toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
}
