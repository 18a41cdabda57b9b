/**
 * ZEGO ZIM server API return codes the provider acts on (spec: zego-create-room.txt "Return codes",
 * zego-zim-api.md section 1.6 "Global return codes" and sections 2-3 per action): which are retried,
 * which mean "exists", "gone" or "operator not registered", and what to tell the user.
 */

/**
 * Retried with backoff, because the vendor says the request itself was fine:
 * - server busy or internal failures: 1 "request failed, server busy" (retry later), 105001 "request DB
 *   failed", 660000001 "general business error / server error", 660000003 "logic processing error",
 *   660300007 "get room failed (internal)", and the gateway's 100000010 "get ServerSecret failed
 *   (internal)", 100000011 "get App configuration failed (internal)", 100000012 "read HTTP body failed
 *   (internal)", 100000015 "gateway internal error";
 * - frequency limits: 7 "requests per second exceed the system setting", 660300005 (AppID level),
 *   660300006 (room level), 660700001 (UserRegister).
 * Not retried: 100000004 (signature expired: this machine's clock is off by more than 10 minutes, and a
 * fresh signature would be just as wrong), 100000005 (wrong ServerSecret), 100000013/100000014
 * (SignatureVersion missing or unsupported): client or credential problems that a retry cannot fix.
 * Network errors, timeouts and HTTP 5xx are retried by core/http.
 */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  1, 7, 105001, 660000001, 660000003, 660300005, 660300006, 660300007, 660700001, 100000010, 100000011, 100000012, 100000015,
]);

/** The frequency-limit codes (counted separately by the benchmark). */
export const FREQUENCY_LIMIT_CODES: ReadonlySet<number> = new Set([7, 660300005, 660300006, 660700001]);

/**
 * Answers that slow the adaptive pacer down (core/pace.ts): every frequency limit, i.e. 7 (system
 * setting), 660300005 (AppID level), 660300006 (room level) and 660700001 (UserRegister's own).
 */
export const SLOW_DOWN_CODES: ReadonlySet<number> = FREQUENCY_LIMIT_CODES;

/**
 * Limits the vendor describes as the app's own (7 "exceed the system setting", 660300005 "the AppID-level
 * limit"): they slow every limiter of the app, not only the action's.
 */
export const APP_WIDE_LIMIT_CODES: ReadonlySet<number> = new Set([7, 660300005]);

/** CreateRoom: "Room already exists": adopt it. */
export const ROOM_EXISTS = 660300014;

/** Our code for a ModifyRoomAttribute answered Code 0 with a non-empty ErrKeyList: applied in part. */
export const PARTIAL_FAILURE = "PARTIAL_FAILURE";

/** "room does not exist (or already destroyed)". */
export const ROOM_GONE = 660300001;

/** QueryRoomUserList: the user list is empty, "usually during the room delayed destruction period": the room exists. */
export const ROOM_USER_LIST_EMPTY = 660300008;

/** CreateRoom: "Room number exceeds the upper limit" (the plan's room quota). */
export const ROOM_QUOTA_EXCEEDED = 660300015;

/**
 * The operator (FromUserId) is not a registered user: the spec leaves CreateRoom's code unconfirmed and
 * names 660700015 "user not registered" and 660200001 "user does not exist"; 660700012 "user does not
 * exist" is the same answer from the user service. The provider registers the operator and retries once.
 */
export const OPERATOR_NOT_REGISTERED: ReadonlySet<number> = new Set([660700015, 660200001, 660700012]);

/** UserRegister: "user already exists": for an "ensure registered" step, success. */
export const USER_EXISTS = 660700002;

/** What a user can do about a code. */
export const HINTS: Readonly<Record<number, string>> = {
  2: "a parameter was rejected: see the message, and the ZegoRoom input rules in docs/zego-room.md",
  3: "authentication failed: check zego:appId and zego:serverSecret",
  100000001: "zego:appId is not a valid AppId",
  100000004: "the request signature expired: check this machine's clock (ZEGO allows 10 minutes of difference)",
  100000005: "the signature did not verify: zego:serverSecret does not belong to zego:appId",
  100000016: "the app is not configured for the production environment: check it in the ZEGOCLOUD console",
  100000017: "ZIM is not activated for this app: enable In-app Chat in the ZEGOCLOUD console",
  660000002: "a parameter was rejected: see the message, and the ZegoRoom input rules in docs/zego-room.md",
  660000012: "a user ID is longer than 32 bytes",
  660200001: "the operator (fromUserId or zego:fromUserId) is not a registered ZIM user, and registering it did not help",
  660300001: "the room no longer exists: run `pulumi refresh` to drop it from the stack",
  660300014: "the room ID exists: choose another roomId, or destroy that room first",
  660300015: "the app holds as many rooms as its plan allows (Free 10, Pro 50): destroy unused rooms, or ask ZEGOCLOUD support to raise the quota",
  660700012: "the operator (fromUserId or zego:fromUserId) is not a registered ZIM user, and registering it did not help",
  660700015: "the operator (fromUserId or zego:fromUserId) is not a registered ZIM user, and registering it did not help",
};
