/**
 * Tencent Room Engine error codes the provider acts on (spec: tencent-create-room.txt "Error Codes",
 * tencent-room-engine-api.md sections 1 and 2.3): which are retried, which mean "exists" or "gone",
 * and what to tell the user.
 */

/**
 * Retried with backoff: the vendor says "please retry" (100001 internal error, 70169 internal timeout,
 * 70500 internal error) or reports a frequency limit (60007 REST API, 60011 SDKAppID, 60018/60019 too
 * many requests). 100012 (the same room ID created twice within a second) is retried too: the client
 * spaces create_room attempts per room ID by more than a second, so the retry is past the window.
 */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([100001, 60007, 60011, 60018, 60019, 70169, 70500, 100012]);

/** The frequency-limit codes (counted separately by the benchmark). */
export const FREQUENCY_LIMIT_CODES: ReadonlySet<number> = new Set([60007, 60011, 60018, 60019, 100012]);

/** create_room: the room ID exists (100003) or exists and the operator owns it (100010): adopt if ours. */
export const EXISTS_CODES: ReadonlySet<number> = new Set([100003, 100010]);

/** "The room does not exist, or it once existed but has been destroyed." */
export const ROOM_GONE = 100004;

/** create_room: the room ID is taken by a Chat group. */
export const USED_BY_CHAT = 100011;

/** What a user can do about a code. */
export const HINTS: Readonly<Record<number, string>> = {
  100002: "a field was rejected: see the message, and the TencentRoom input rules in docs/tencent-room.md",
  100003: "the room ID is taken by a room another owner holds: choose another roomId or destroy that room first",
  100004: "the room no longer exists: run `pulumi refresh` to drop it from the stack",
  100005: "the account is not a member of the room",
  100006: "the admin account lacks permission for this room",
  100007: "the app has no paid TUIRoomKit package: purchase one in the Tencent Cloud console",
  100011: "the room ID is used by a Chat group: choose another roomId, or dismiss the group through the Chat API",
  60006: "tencent:sdkAppId is not a valid SDKAppID",
  60010: "tencent:identifier must be an App administrator account",
  60020: "the app's plan has expired or the service is unavailable: check the console",
  60021: "the calling IP is not allowed by the app's REST IP allow-list",
  60026: "the SDKAppID belongs to another data center: set tencent:region to the app's region",
  70001: "the admin UserSig expired: check this machine's clock",
  70003: "the admin UserSig was rejected: check tencent:secretKey",
  70009: "the admin UserSig did not verify: tencent:secretKey does not belong to tencent:sdkAppId",
  70013: "tencent:identifier does not match the signed account",
  70014: "tencent:secretKey belongs to another SDKAppID",
  70020: "the SDKAppID does not exist, or belongs to another data center: check tencent:sdkAppId and tencent:region",
  70107: "the owner or an invitee is not an imported Chat account: import it first",
  70398: "the app's account limit is reached: upgrade the plan",
};
