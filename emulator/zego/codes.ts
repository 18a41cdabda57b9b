/**
 * ZEGO ZIM return codes the emulator answers with, named after the vendor's descriptions. Sources: the ZIM
 * server docs in the public repo ZEGOCLOUD/docs_all, under `core_products/zim/en/docs_zim_server/`
 * (served at zegocloud.com/docs/zim-server/...). "Return codes" is `Return codes.mdx`; the action pages
 * are the `Room/*.yaml` and `User/*.yaml` OpenAPI files. Choices where they are silent: docs/vendor-sources.md.
 */
export const ZegoCode = {
  Ok: 0,
  /** Return codes, public: "Authentication failed". Used for an unknown AppId (no page names that code). */
  AuthFailed: 3,
  /** Return codes, public: "AppId field format error". */
  AppIdFormat: 100000001,
  /** Return codes, public: "Timestamp field is empty". */
  TimestampEmpty: 100000002,
  /** Return codes, public: "Timestamp field format error". */
  TimestampFormat: 100000003,
  /** Return codes, public: "Signature expired"; `Accessing Server APIs.mdx`: 10 minutes of difference allowed. */
  SignatureExpired: 100000004,
  /** Return codes, public: "Signature error". */
  SignatureError: 100000005,
  /** Return codes, public: "Action is empty". */
  ActionEmpty: 100000006,
  /** Return codes, public: "Unsupported Action". */
  ActionUnsupported: 100000007,
  /** Return codes, public: "SignatureNonce field is empty". */
  NonceEmpty: 100000008,
  /** Return codes, public: "Signature field is empty". */
  SignatureEmpty: 100000009,
  /** Return codes, public: "SignatureVersion field is empty". */
  SignatureVersionEmpty: 100000013,
  /** Return codes, public: "Unsupported SignatureVersion". */
  SignatureVersionUnsupported: 100000014,
  /** Return codes: "Business-specific error. Server error" (the emulator's injected transient fault). */
  ServerError: 660000001,
  /** Return codes; every Room/*.yaml and User/batch-register-users.yaml: "Parameter error". */
  ParamError: 660000002,
  /** Return codes; User/batch-register-users.yaml: "UserID length exceeds the limit" (32 bytes). */
  UserIdTooLong: 660000012,
  /** Return codes; Room/destroy-the-room.yaml, Room/obtain-information-about-users-in-a-room.yaml: "Room does not exist". */
  RoomNotExist: 660300001,
  /** Return codes; Room/create-a-room.yaml, query-room-attributes.yaml, update-room-attributes.yaml: AppID-level frequency limit. */
  AppFrequencyLimit: 660300005,
  /** Return codes: group/room-level frequency limit; Room/obtain-information-about-users-in-a-room.yaml: QueryRoomUserList over 20/s. */
  RoomFrequencyLimit: 660300006,
  /** Return codes; Room/obtain-information-about-users-in-a-room.yaml: user list empty (delayed destruction). */
  RoomUserListEmpty: 660300008,
  /** Return codes; Room/create-a-room.yaml: "Room already exists". */
  RoomExists: 660300014,
  /** Return codes; Room/create-a-room.yaml: "Number of rooms exceeds the limit". */
  RoomQuotaExceeded: 660300015,
  /**
   * Return codes: "Operator user not registered ... Please let the operator register ZIM service first";
   * the Chinese action pages: "FromUserId 未注册 | 请先注册 FromUserId". What a room action from an
   * unregistered FromUserId gets.
   */
  OperatorNotRegistered: 660500002,
  /** Return codes; User/batch-register-users.yaml: UserRegister over 20 requests/s. */
  RegisterFrequencyLimit: 660700001,
  /** Return codes; User/batch-register-users.yaml: "User already exists". */
  UserExists: 660700002,
  /** Return codes; User/batch-register-users.yaml: UserName over 256 bytes. */
  UserNameTooLong: 660700006,
  /** Return codes; User/batch-register-users.yaml: UserAvatar over 500 bytes. */
  UserAvatarTooLong: 660700007,
  /** Return codes; User/query-user-information.yaml: "User not registered" (a looked-up user, QueryUserInfos). */
  UserNotRegistered: 660700015,
} as const;

/** Default Message text per code; handlers append the detail (which field, which rule) after a colon. */
export const ZEGO_MESSAGES: Readonly<Record<number, string>> = {
  [ZegoCode.Ok]: "success",
  [ZegoCode.AuthFailed]: "authentication failed",
  [ZegoCode.AppIdFormat]: "AppId format error",
  [ZegoCode.TimestampEmpty]: "Timestamp empty",
  [ZegoCode.TimestampFormat]: "Timestamp format error",
  [ZegoCode.SignatureExpired]: "signature expired",
  [ZegoCode.SignatureError]: "signature error",
  [ZegoCode.ActionEmpty]: "Action empty",
  [ZegoCode.ActionUnsupported]: "unsupported Action",
  [ZegoCode.NonceEmpty]: "SignatureNonce empty",
  [ZegoCode.SignatureEmpty]: "Signature empty",
  [ZegoCode.SignatureVersionEmpty]: "SignatureVersion empty",
  [ZegoCode.SignatureVersionUnsupported]: "unsupported SignatureVersion",
  [ZegoCode.ServerError]: "server error, please retry",
  [ZegoCode.ParamError]: "input parameter error",
  [ZegoCode.UserIdTooLong]: "UserID longer than 32 bytes",
  [ZegoCode.RoomNotExist]: "room does not exist",
  [ZegoCode.AppFrequencyLimit]: "frequency limit",
  [ZegoCode.RoomFrequencyLimit]: "frequency limit (room level)",
  [ZegoCode.RoomUserListEmpty]: "get room user list failed: list empty (room in delayed destruction)",
  [ZegoCode.RoomExists]: "room already exists",
  [ZegoCode.RoomQuotaExceeded]: "room number exceeds the upper limit",
  [ZegoCode.OperatorNotRegistered]: "operator user not registered",
  [ZegoCode.RegisterFrequencyLimit]: "UserRegister frequency limit",
  [ZegoCode.UserExists]: "user already exists",
  [ZegoCode.UserNameTooLong]: "UserName longer than 256 bytes",
  [ZegoCode.UserAvatarTooLong]: "UserAvatar longer than 500 bytes",
  [ZegoCode.UserNotRegistered]: "user not registered",
};

/** The Message for `code`, with an optional detail ("input parameter error: RoomId must be ..."). */
export function zegoMessage(code: number, detail?: string): string {
  const base = ZEGO_MESSAGES[code] ?? "error";
  return detail ? `${base}: ${detail}` : base;
}

/** When every item failed: their common SubCode if they agree, else 660000002. */
export function allFailedCode(subCodes: readonly number[]): number {
  const first = subCodes[0] ?? ZegoCode.ParamError;
  return subCodes.every((c) => c === first) ? first : ZegoCode.ParamError;
}
