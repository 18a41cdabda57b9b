/**
 * Tencent error codes the emulator answers with, and their ErrorInfo text. Sources: the Room Engine
 * command pages (create_room trtc.io/document/60707, get_room_info 60704, update_room_info 60705,
 * destroy_room 60706, change_room_owner 60713, get_room_member_list 60715; the same numbers under
 * tencentcloud.com/document/product/647/), and the Chat REST common codes (trtc.io/document/34348, the
 * Conference REST API list 60703). Which code the emulator picks where no page names one is said in
 * handler.ts, commands.ts and docs/vendor-sources.md.
 */
import { VendorRefusal } from "../vendor-error";

export const TENCENT_MESSAGES: Readonly<Record<number, string>> = {
  // Chat REST common codes (34348; 60703).
  60002: "HTTP parse error, check the URL format",
  60003: "request JSON parse error",
  60007: "REST API call frequency limit exceeded, retry later",
  60009: "request resource error, check the URL",
  60010: "this request requires App admin permission",
  /** 60703 only (34348 omits it). */
  60011: "SDKAppID request frequency limit exceeded, retry later",
  60012: "SDKAppID missing in the URL",
  60025: "URL parameter error (SDKAppID, identifier, UserSig, random or contenttype)",
  // UserSig verification (34348).
  70001: "UserSig expired",
  70002: "UserSig length is 0",
  70003: "invalid UserSig",
  70009: "UserSig verification failed",
  70013: "UserID in the request does not match the UserSig",
  70014: "SDKAppID in the request does not match the UserSig",
  70020: "SDKAppID does not exist",
  // Room Engine private codes: 100001/100002/100004/100006 on every command page (60704-60707).
  100001: "Internal server error, please retry.",
  /** create_room (60707). */
  100003: "The room ID already exists, please choose another room ID.",
  100004: "The room does not exist, or it once existed but has been destroyed.",
  /** get_room_info (60704), change_room_owner (60713): the account is not a room member. */
  100005: "The user is not a room member.",
  100006: "Insufficient operation permissions.",
  /** create_room (60707). */
  100007: "No payment information, you need to purchase a package in the console.",
  /** create_room (60707). */
  100010: "The room ID has been used, and the operator is the home owner, you can use it directly.",
  /** create_room (60707). */
  100011:
    "The room ID has been used by Chat, you can change to another room ID or destroy the group through the Chat interface.",
  /** create_room (60707). */
  100012:
    "The frequency limit for creating a room has been exceeded. The same room ID can only be created once per second.",
};

/** A refusal with a Tencent error code; the handler turns it into the FAIL envelope. */
export class TencentFail extends VendorRefusal {
  constructor(code: number, info: string = TENCENT_MESSAGES[code] ?? "error") {
    super(code, info);
  }
}
