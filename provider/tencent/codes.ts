/**
 * Tencent Room Engine error codes the provider acts on: which are retried, which mean "exists" or "gone",
 * and what to tell the user. Every code names its source page:
 * - Room Engine private codes (100001-100012): each command's "Error Codes" table, create_room
 *   trtc.io/document/60707, get_room_info 60704, update_room_info 60705, destroy_room 60706 (the same
 *   pages as tencentcloud.com/document/product/647/N; Chinese: cloud.tencent.com/document/product/647/104447
 *   for destroy_room, 1690/102881 for get_room_info);
 * - Chat REST common codes (60000-79999, "公共错误码(60000到79999)" on the Chinese pages): the Chat
 *   error code list trtc.io/document/34348 and the Conference REST API list trtc.io/document/60703.
 * Where the sources disagree or are silent, see docs/vendor-sources.md.
 */

/**
 * Retried with exponential backoff and jitter (besides network errors, timeouts and HTTP 5xx, which core
 * always retries): the codes whose documented meaning is "try again later".
 * - 100001 "Internal server error, please retry." (every Room Engine page: 60704-60707);
 * - 70169 "Server internal timeout" and 70500 "Internal server error" (34348);
 * - 60007 REST API call frequency limit, 60018/60019 "Too many requests, retry later" (34348, 60703) and
 *   60011 SDKAppID frequency limit (60703 only): the request was refused before it ran, so repeating it is safe.
 * Every other code is a verdict on the request (parameters, credentials, package, ownership) that a retry
 * cannot change, and fails at once.
 */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([100001, 60007, 60011, 60018, 60019, 70169, 70500]);

/**
 * create_room 100012 (60707): "The same room ID can only be created once per second." Waited out rather than
 * failed: the client spaces create_room attempts for one room ID by more than a second, so the retry that
 * follows lands after the window (even when another client opened it).
 */
export const SAME_ROOM_CREATE_LIMIT = 100012;

/** Whether a vendor code from `operation` is retried. */
export function isRetryable(operation: string, code: number): boolean {
  return RETRYABLE_CODES.has(code) || (operation === "create_room" && code === SAME_ROOM_CREATE_LIMIT);
}

/** The frequency-limit codes (counted separately by the benchmark). */
export const FREQUENCY_LIMIT_CODES: ReadonlySet<number> = new Set([60007, 60011, 60018, 60019, SAME_ROOM_CREATE_LIMIT]);

/**
 * Answers that slow the adaptive pacer down (core/pace.ts): the rate limits, per REST API (60007) and per
 * SDKAppID (60011), and "too many requests" (60018, 60019). Not 100012: that limit is per room ID, and
 * the client's same-room spacing already waits it out.
 */
export const SLOW_DOWN_CODES: ReadonlySet<number> = new Set([60007, 60011, 60018, 60019]);

/** The SDKAppID's own frequency limit (60011, all commands together): it slows every limiter of the app. */
export const APP_WIDE_LIMIT_CODES: ReadonlySet<number> = new Set([60011]);

/** create_room (60707): the room ID exists (100003) or exists and the operator owns it (100010): adopt if ours. */
export const EXISTS_CODES: ReadonlySet<number> = new Set([100003, 100010]);

/** "The room does not exist, or it once existed but has been destroyed." (60704, 60705, 60706; 647/104447) */
export const ROOM_GONE = 100004;

/** What a user can do about a code: 100xxx from the Room Engine pages above, 60xxx/70xxx from 34348 and 60703. */
export const HINTS: Readonly<Record<number, string>> = {
  // Retried codes, sources as in RETRYABLE_CODES.
  100001: "Tencent reported an internal error on every attempt: try again later",
  100012: "the room ID was created too often (once per second at most): try again",
  60007:
    "the REST API frequency limit was hit on every attempt: lower tencent:requestsPerSecond or run fewer updates at once (pulumi up --parallel)",
  60011:
    "the SDKAppID frequency limit was hit on every attempt: lower tencent:requestsPerSecond or run fewer updates at once (pulumi up --parallel)",
  60018: "Tencent asked to retry later on every attempt: try again later",
  60019: "Tencent asked to retry later on every attempt: try again later",
  70169: "Tencent timed out internally on every attempt: try again later",
  70500: "Tencent reported an internal error on every attempt: try again later",
  // Chat REST common codes (trtc.io/document/34348; 60006 is on the Conference list 60703 only).
  60002: "the request was malformed (a bug in pulumi-rooms): please report it",
  60003: "the request body was not accepted as JSON (a bug in pulumi-rooms): please report it",
  60025: "a URL parameter was refused: check tencent:sdkAppId and tencent:identifier",
  // Room Engine private codes: 100002/100004/100006 on every command page, 100005 on get_room_info
  // (60704), 100003/100007/100011 on create_room (60707).
  100002: "a field was rejected: see the message, and the TencentRoom input rules in docs/tencent-room.md",
  100003: "the room ID is taken by a room another owner holds: choose another roomId or destroy that room first",
  100004: "the room no longer exists: run `pulumi refresh` to drop it from the stack",
  100005: "the account is not a member of the room",
  100006: "the admin account lacks permission for this room",
  100007: "the app has no paid TUIRoomKit package: purchase one in the Tencent Cloud console",
  100011: "the room ID is used by a Chat group: choose another roomId, or dismiss the group through the Chat API",
  // Credential and app codes (34348; 60006 from 60703).
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

/** The hint for a code: the specific one, or where to look it up. */
export function hintFor(code: number): string {
  return (
    HINTS[code] ??
    "see Tencent's Room Engine and Chat error code lists (trtc.io/document/60703, trtc.io/document/34348)"
  );
}
