/**
 * The Tencent emulator conformance suites' bench: one emulator per test on a frozen clock, the create_room
 * sample, and the request and assertion helpers the part files under test/emulator/tencent/ share.
 */
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { startEmulator, type Emulator, type TencentEmulatorOptions } from "../../emulator";
import { tencentCall, type TencentAnswer, type TencentSignOptions, type TencentTarget } from "./tencent-raw";

/** The suite's mutable state, shared by the part files. */
export const S: {
  clockMs: number;
  emu: Emulator | undefined;
  app: TencentTarget;
} = {
  clockMs: 0,
  emu: undefined,
  app: { baseUrl: "", sdkAppId: 0, secretKey: "", identifier: "" },
};

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

/** Frozen emulator clock (ms). Starts at the real time so tls-sig-api-v2's UserSigs (real clock) are current. */

export async function fresh(options: TencentEmulatorOptions = {}): Promise<Emulator> {
  await S.emu?.stop();
  S.emu = await startEmulator({ tencent: { secretKey: SECRET, ...options }, now: () => S.clockMs });
  const { sdkAppId, secretKey, identifier } = S.emu.credentials.tencent;
  S.app = { baseUrl: S.emu.url, sdkAppId, secretKey, identifier };
  return S.emu;
}

export function running(): Emulator {
  assert.ok(S.emu, "no emulator running");
  return S.emu;
}

export const call = (
  command: string,
  body: unknown,
  options?: TencentSignOptions & { rawBody?: string; method?: string },
): Promise<TencentAnswer> => tencentCall(S.app, command, body, options);

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

export const create = (
  info: Record<string, unknown>,
  extra: Record<string, unknown> = {},
  options?: TencentSignOptions,
): Promise<TencentAnswer> => call("create_room", { RoomInfo: { RoomType: "Conference", ...info }, ...extra }, options);

/** create_room with one field rule broken: 100002 naming `field`, and no room left behind. */
export async function expectFieldError(
  info: Record<string, unknown>,
  field: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  S.clockMs += 1000; // keep each attempt out of the 100012 same-ID window
  const roomId = typeof info.RoomId === "string" ? info.RoomId : undefined;
  expectCode(await create(info, extra), 100002, field);
  if (roomId !== undefined)
    assert.equal(running().tencent.room(roomId), undefined, "a refused create_room leaves no room");
}

export async function expectCreated(info: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<void> {
  S.clockMs += 1000;
  expectCode(await create(info, extra), 0);
}

export async function roomInfo(roomId: string): Promise<Record<string, unknown>> {
  const r = await call("get_room_info", { RoomId: roomId });
  expectCode(r, 0);
  const info = (r.body.Response as { RoomInfo?: Record<string, unknown> } | undefined)?.RoomInfo;
  assert.ok(info, "get_room_info answers Response.RoomInfo");
  return info;
}

/** Text deflated and encoded like a UserSig, but not a signature document. */
export function deflateText(text: string): string {
  return deflateSync(Buffer.from(text)).toString("base64").replace(/\+/g, "*").replace(/\//g, "-").replace(/=/g, "_");
}

/** Registers the suite's hooks (call inside each part file's describe). */
export function tencentConformance(): void {
  beforeEach(async () => {
    S.clockMs = Math.floor(Date.now() / 1000) * 1000;
    await fresh();
  });
  after(async () => {
    await S.emu?.stop();
    S.emu = undefined;
  });
}
