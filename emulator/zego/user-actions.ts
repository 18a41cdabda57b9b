/**
 * The ZIM server's user actions the emulator implements (zegocloud.com/docs/zim-server/user/batch-register-users
 * and user/query-user-info): request shape, the per-user rules reported in ErrorList, and the registry.
 */
import type { ActionContext, ZegoAction } from "./actions";
import { allFailedCode, ZegoCode, zegoMessage } from "./codes";
import {
  QUERY_USER_ID_MAX_BYTES,
  USER_AVATAR_MAX_BYTES,
  USER_NAME_MAX_BYTES,
  USERS_PER_CALL_MAX,
  ZEGO_ID_MAX_BYTES,
  ParamError,
  byteLength,
  idProblem,
  itemObject,
  optionalString,
  requireArray,
  requireString,
  withinItem,
} from "./fields";

/** The per-user rule a UserRegister item breaks, as [SubCode, SubMessage], or undefined. */
function registerProblem(
  ctx: ActionContext,
  userId: string,
  userName: string,
  userAvatar: string,
): [number, string] | undefined {
  if (byteLength(userId) > ZEGO_ID_MAX_BYTES) return [ZegoCode.UserIdTooLong, zegoMessage(ZegoCode.UserIdTooLong)];
  const idRule = idProblem(userId);
  if (idRule) return [ZegoCode.ParamError, zegoMessage(ZegoCode.ParamError, `UserId ${idRule}`)];
  if (byteLength(userName) > USER_NAME_MAX_BYTES)
    return [ZegoCode.UserNameTooLong, zegoMessage(ZegoCode.UserNameTooLong)];
  if (byteLength(userAvatar) > USER_AVATAR_MAX_BYTES)
    return [ZegoCode.UserAvatarTooLong, zegoMessage(ZegoCode.UserAvatarTooLong)];
  if (ctx.users.has(userId)) return [ZegoCode.UserExists, zegoMessage(ZegoCode.UserExists)];
  return undefined;
}

export const UserRegister: ZegoAction = {
  method: "POST",
  rateLimitCode: ZegoCode.RegisterFrequencyLimit,
  run(ctx, { body }) {
    // Types are request-level (660000002); lengths, charset and existence are per-user (ErrorList).
    const items = requireArray(body, "UserInfo", 1, USERS_PER_CALL_MAX).map((raw, i) =>
      withinItem(`UserInfo[${i}]`, () => {
        const item = itemObject(raw, `UserInfo[${i}]`);
        return {
          userId: requireString(item, "UserId", Number.MAX_SAFE_INTEGER),
          userName: optionalString(item, "UserName", Number.MAX_SAFE_INTEGER) ?? "",
          userAvatar: optionalString(item, "UserAvatar", Number.MAX_SAFE_INTEGER) ?? "",
        };
      }),
    );
    const errors: { UserId: string; SubCode: number; SubMessage: string }[] = [];
    let registered = 0;
    for (const { userId, userName, userAvatar } of items) {
      const problem = registerProblem(ctx, userId, userName, userAvatar);
      if (problem) errors.push({ UserId: userId, SubCode: problem[0], SubMessage: problem[1] });
      else if (ctx.users.add(userId, userName, userAvatar, ctx.now())) registered += 1;
    }
    const fields = { ErrorList: errors };
    // User/batch-register-users.yaml: Code 0 when at least one user registered; when all failed, a non-zero
    // Code whose value the page does not name: here their common SubCode (660700002 when all existed).
    if (registered === 0) {
      const code = allFailedCode(errors.map((e) => e.SubCode));
      return { code, message: zegoMessage(code, "no user registered, see ErrorList"), fields };
    }
    return { code: ZegoCode.Ok, fields, committed: true };
  },
};

export const QueryUserInfos: ZegoAction = {
  method: "POST",
  rateLimitCode: ZegoCode.AppFrequencyLimit,
  run(ctx, { body }) {
    const ids = requireArray(body, "UserIds", 1, USERS_PER_CALL_MAX).map((raw, i) => {
      if (typeof raw !== "string" || raw === "") throw new ParamError(`UserIds[${i}]`, "must be a non-empty string");
      if (byteLength(raw) > QUERY_USER_ID_MAX_BYTES)
        throw new ParamError(`UserIds[${i}]`, `must be at most ${QUERY_USER_ID_MAX_BYTES} bytes`);
      return raw;
    });
    const result: { UserId: string; UserName: string; UserAvatar: string; Extra: string }[] = [];
    const errors: { UserId: string; SubCode: number }[] = [];
    for (const id of ids) {
      const user = ctx.users.get(id);
      if (user)
        result.push({ UserId: user.userId, UserName: user.userName, UserAvatar: user.userAvatar, Extra: user.extra });
      else errors.push({ UserId: id, SubCode: ZegoCode.UserNotRegistered });
    }
    const fields = { Result: result, ErrorList: errors };
    // Same rule as UserRegister: Code 0 when at least one user was found, else 660700015 with the ErrorList.
    if (result.length === 0)
      return {
        code: ZegoCode.UserNotRegistered,
        message: zegoMessage(ZegoCode.UserNotRegistered, "no user found, see ErrorList"),
        fields,
      };
    return { code: ZegoCode.Ok, fields };
  },
};
