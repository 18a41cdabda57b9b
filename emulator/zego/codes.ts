/**
 * ZEGO ZIM return codes the emulator answers with, named after the vendor's descriptions
 * (spec: zego-zim-api.md §1.6 "Global return codes", §2 and §3 per action).
 */
export const ZegoCode = {
  Ok: 0,
  /** Not a ZIM gateway code in the table, but the global "authentication failed"; used for an unknown AppId. */
  AuthFailed: 3,
  AppIdFormat: 100000001,
  TimestampEmpty: 100000002,
  TimestampFormat: 100000003,
  SignatureExpired: 100000004,
  SignatureError: 100000005,
  ActionEmpty: 100000006,
  ActionUnsupported: 100000007,
  NonceEmpty: 100000008,
  SignatureEmpty: 100000009,
  SignatureVersionEmpty: 100000013,
  SignatureVersionUnsupported: 100000014,
  ServerError: 660000001,
  ParamError: 660000002,
  UserIdTooLong: 660000012,
  RoomNotExist: 660300001,
  AppFrequencyLimit: 660300005,
  RoomUserListEmpty: 660300008,
  RoomExists: 660300014,
  RoomQuotaExceeded: 660300015,
  RegisterFrequencyLimit: 660700001,
  UserExists: 660700002,
  UserNameTooLong: 660700006,
  UserAvatarTooLong: 660700007,
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
  [ZegoCode.RoomUserListEmpty]: "get room user list failed: list empty (room in delayed destruction)",
  [ZegoCode.RoomExists]: "room already exists",
  [ZegoCode.RoomQuotaExceeded]: "room number exceeds the upper limit",
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
