/**
 * ZEGO ZIM server API return codes the provider acts on: which are retried, which mean "exists", "gone"
 * or "operator not registered", and what to tell the user. Every code names its source: the ZIM server
 * docs in the public repo ZEGOCLOUD/docs_all, paths under `core_products/zim/en/docs_zim_server/`
 * (served at zegocloud.com/docs/zim-server/...): `Return codes.mdx` (the global table) and the action
 * pages `Room/*.yaml`, `User/batch-register-users.yaml`. Where the sources disagree or are silent, see
 * docs/vendor-sources.md.
 */

/**
 * Retried with backoff: the codes whose "Suggested actions" in Return codes.mdx say to try again.
 * - "Please try again later": 1 (server busy), 7 (requests per second over the system setting value),
 *   660300005 (AppID-level frequency limit; also Room/create-a-room.yaml, query-room-attributes.yaml,
 *   update-room-attributes.yaml), 660300006 (group/room-level limit; Room/obtain-information-about-users-in-a-room.yaml),
 *   660700001 (UserRegister's limit; User/batch-register-users.yaml);
 * - "Please try again, or contact ZEGO technical support": 660000001 (server error), 660000003 (logic processing error);
 * - "Please try again": 100000008 (SignatureNonce empty), 100000009 (Signature empty), 100000013 (SignatureVersion
 *   empty). The client always sends them, so such an answer means the request arrived damaged; a fresh one may not.
 * Not retried, although the table says "Please try again": 100000004 (signature expired: this machine's clock is
 * off by more than 10 minutes, and a fresh signature is just as wrong) and 100000005 (signature error: a wrong
 * ServerSecret). Departures, with their reason in docs/vendor-sources.md.
 * Not retried because the table says "contact technical support": 105001, 100000010, 100000011, 100000012,
 * 100000015, 660300007; they fail at once with that advice as the hint.
 * Network errors, timeouts and HTTP 5xx are retried by core/http.
 */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([
  1, 7, 660000001, 660000003, 660300005, 660300006, 660700001, 100000008, 100000009, 100000013,
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

const STILL_UNREGISTERED =
  "the operator (fromUserId or zego:fromUserId) is not a registered ZIM user, and registering it did not help";

const SUPPORT =
  "ZEGO reports an internal failure and asks to contact ZEGOCLOUD technical support: give them this error's RequestId";
const RETRIED = "ZEGO asked to try again later, and every attempt got the same answer: wait and run again";

/**
 * What a user can do about a code: the "Suggested actions" of Return codes.mdx (or the action page), made
 * concrete for this provider's settings. Retried codes get a hint too, shown once every attempt failed.
 */
export const HINTS: Readonly<Record<number, string>> = {
  // Retried ("try again"), see RETRYABLE_CODES.
  1: RETRIED,
  7: "the app's requests per second exceed ZEGO's limit on every attempt: lower zego:requestsPerSecond or run fewer updates at once (pulumi up --parallel)",
  660000001: `${RETRIED}; if it persists, contact ZEGOCLOUD technical support with this error's RequestId`,
  660000003: `${RETRIED}; if it persists, contact ZEGOCLOUD technical support with this error's RequestId`,
  660300005:
    "the AppID-level frequency limit was hit on every attempt: lower zego:requestsPerSecond or run fewer updates at once (pulumi up --parallel)",
  660300006: "the room-level frequency limit (20/s) was hit on every attempt: run fewer updates of this room at once",
  660700001:
    "the UserRegister frequency limit (20/s) was hit on every attempt: lower zego:requestsPerSecond or run fewer updates at once",
  100000008:
    "ZEGO did not receive the request's SignatureNonce on any attempt: something between this machine and ZEGO alters requests (a proxy?)",
  100000009:
    "ZEGO did not receive the request's Signature on any attempt: something between this machine and ZEGO alters requests (a proxy?)",
  100000013:
    "ZEGO did not receive the request's SignatureVersion on any attempt: something between this machine and ZEGO alters requests (a proxy?)",
  // "Please contact ZEGO technical support" (Return codes.mdx; 660300007 also on obtain-information-about-users-in-a-room.yaml).
  105001: SUPPORT,
  100000010: SUPPORT,
  100000011: SUPPORT,
  100000012: SUPPORT,
  100000015: SUPPORT,
  660300007: SUPPORT,
  // Request and credential codes.
  2: "a parameter was rejected: see the message, and the ZegoRoom input rules in docs/zego-room.md",
  3: "authentication failed: check zego:appId and zego:serverSecret; if they are right, contact ZEGOCLOUD technical support",
  100000000: "the request's Host was refused: check zego:endpoint (or zego:region)",
  100000001: "zego:appId is not a valid AppId",
  100000002: "the request reached ZEGO without a Timestamp: check zego:endpoint, and any proxy between",
  100000003: "the request's Timestamp was refused: check this machine's clock",
  100000004: "the request signature expired: check this machine's clock (ZEGO allows 10 minutes of difference)",
  100000005: "the signature did not verify: zego:serverSecret does not belong to zego:appId",
  100000006: "the request URL carried no Action: check zego:endpoint (or zego:region)",
  100000007: "the Action is not supported at this address: check zego:endpoint (or zego:region)",
  100000014: "the SignatureVersion was refused (this provider sends 2.0): check zego:endpoint",
  100000016: "the app is not configured for the production environment: check it in the ZEGOCLOUD console",
  100000017:
    "ZIM is not activated for this app: enable In-app Chat in the ZEGOCLOUD console, or contact ZEGOCLOUD technical support",
  660000002: "a parameter was rejected: see the message, and the ZegoRoom input rules in docs/zego-room.md",
  660000012: "a user ID is longer than 32 bytes",
  660700006: "a user name is longer than 256 bytes",
  660700007: "a user avatar URL is longer than 500 bytes",
  660200001: STILL_UNREGISTERED,
  660300001: "the room no longer exists: run `pulumi refresh` to drop it from the stack",
  660300014: "the room ID exists: choose another roomId, or destroy that room first",
  // Quota figures: core_products/zim/en/docs_zim_android/Introduction/Pricing.mdx.
  660300015:
    "the app holds as many rooms as its plan allows (Free 10, Pro 50): destroy unused rooms, or ask ZEGOCLOUD support to raise the quota",
  660500002: STILL_UNREGISTERED,
  660700012: STILL_UNREGISTERED,
  660700015: STILL_UNREGISTERED,
};
