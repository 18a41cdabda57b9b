/**
 * ZEGO ZIM server API return codes the provider acts on: which are retried, which mean "exists", "gone"
 * or "operator not registered", and what to tell the user. Every code names its source: the ZIM server
 * docs in the public repo ZEGOCLOUD/docs_all, paths under `core_products/zim/en/docs_zim_server/`
 * (served at zegocloud.com/docs/zim-server/...): `Return codes.mdx` (the global table) and the action
 * pages `Room/*.yaml`, `User/batch-register-users.yaml`. Where the sources disagree or are silent, see
 * docs/vendor-sources.md.
 */

/**
 * Retried with backoff, because the vendor says the request itself was fine:
 * - server busy or internal failures (Return codes.mdx): 1 "Request failed. Server busy. Please try again
 *   later", 105001 "Request DB failed", 660000001 "Business-specific error. Server error. Please try again",
 *   660000003 "Logic processing error. Please try again", 660300007 "Get room failed. Internal error"
 *   (also Room/obtain-information-about-users-in-a-room.yaml), and the gateway's 100000010 "Get
 *   ServerSecret failed", 100000011 "Get App configuration failed", 100000012 "Read HTTP packet body
 *   failed", 100000015 "Gateway internal error" (all "Internal error");
 * - frequency limits: 7 "requests per second exceeds the system setting value" (Return codes.mdx),
 *   660300005 AppID level (Return codes.mdx; Room/create-a-room.yaml, query-room-attributes.yaml,
 *   update-room-attributes.yaml), 660300006 group/room level (Room/obtain-information-about-users-in-a-room.yaml),
 *   660700001 UserRegister (User/batch-register-users.yaml).
 * Not retried, although Return codes.mdx suggests "Please try again" for them: 100000004 (signature
 * expired: this machine's clock is off by more than 10 minutes, and a fresh signature is just as wrong)
 * and 100000005 (signature error: a wrong ServerSecret); nor 100000013/100000014 (SignatureVersion missing
 * or unsupported). Client or credential problems that a retry cannot fix.
 * Network errors, timeouts and HTTP 5xx are retried by core/http.
 */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  1, 7, 105001, 660000001, 660000003, 660300005, 660300006, 660300007, 660700001, 100000010, 100000011, 100000012, 100000015,
]);

/** The frequency-limit codes (counted separately by the benchmark); sources as in {@link RETRYABLE_CODES}. */
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

/** CreateRoom: "Room already exists" (Room/create-a-room.yaml; Return codes.mdx): adopt it. */
export const ROOM_EXISTS = 660300014;

/** Our code (not ZEGO's) for a ModifyRoomAttribute answered Code 0 with a non-empty ErrKeyList: applied in part. */
export const PARTIAL_FAILURE = "PARTIAL_FAILURE";

/**
 * "Room does not exist" (Room/destroy-the-room.yaml, Room/obtain-information-about-users-in-a-room.yaml;
 * Return codes.mdx: "does not exist or the room has been destroyed"). Existence is probed with
 * QueryRoomUserList, whose page documents this code; QueryRoomAttribute's page lists no missing-room code.
 */
export const ROOM_GONE = 660300001;

/**
 * QueryRoomUserList: "the number of room users is empty, usually during the room delayed destruction
 * period. No action required" (Room/obtain-information-about-users-in-a-room.yaml): the room exists.
 */
export const ROOM_USER_LIST_EMPTY = 660300008;

/**
 * The operator (FromUserId) is not a registered ZIM user: the provider registers it and retries the call once.
 * - 660500002 "Operator user not registered ... Please let the operator register ZIM service first"
 *   (Return codes.mdx; the Chinese action pages under `core_products/zim/zh/docs_zim_server_zh/`:
 *   "FromUserId 未注册 | 请先注册 FromUserId"). The answer a room action gets on a fresh app.
 * - 660700015 "User not registered. Please register the user first" (Return codes.mdx; as a Code,
 *   "FromUserId is not registered" on User/batch-add-friends.yaml).
 * - 660700012 "User does not exist. Please register the user first" (Return codes.mdx; "User is not
 *   registered" on User/modify-user-information.yaml).
 * - 660200001 "User ID does not exist / has logged out / registered through the server only" (Return
 *   codes.mdx; "User not registered" in Room/query-whether-a-user-is-in-a-room.yaml's ErrorList).
 * No room page names the code for an unregistered operator; registering costs one call, so every code
 * documented as "not registered" triggers it.
 */
export const OPERATOR_NOT_REGISTERED: ReadonlySet<number> = new Set([660500002, 660700015, 660700012, 660200001]);

/**
 * UserRegister: "User already exists" (User/batch-register-users.yaml; Return codes.mdx). For an "ensure
 * registered" step, success. The page: when every user fails, Code is non-zero and a non-empty ErrorList
 * means "all users failed to register and all are existing users", without naming that Code.
 */
export const USER_EXISTS = 660700002;

const STILL_UNREGISTERED = "the operator (fromUserId or zego:fromUserId) is not a registered ZIM user, and registering it did not help";

/** What a user can do about a code (sources as in the constants above, else Return codes.mdx). */
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
  660200001: STILL_UNREGISTERED,
  660300001: "the room no longer exists: run `pulumi refresh` to drop it from the stack",
  660300014: "the room ID exists: choose another roomId, or destroy that room first",
  // Quota figures: core_products/zim/en/docs_zim_android/Introduction/Pricing.mdx.
  660300015: "the app holds as many rooms as its plan allows (Free 10, Pro 50): destroy unused rooms, or ask ZEGOCLOUD support to raise the quota",
  660500002: STILL_UNREGISTERED,
  660700012: STILL_UNREGISTERED,
  660700015: STILL_UNREGISTERED,
};
