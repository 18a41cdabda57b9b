/**
 * The ZEGO ZIM server API client: md5 request signatures with a fresh nonce and timestamp per attempt,
 * `/?Action=` URLs (GET actions carry every parameter in the query, POST actions a JSON body), the
 * `{Code, Message, RequestId}` envelope, adaptive pacing per action (each action's page: "QPS limit: 20
 * requests/second", e.g. https://www.zegocloud.com/docs/zim-server/room/create-a-room) or per app,
 * and retries of the codes in codes.ts. Signing is in signature.ts, the "operator must be registered" rule
 * (register it once per process and retry) in operators.ts.
 */
import * as z from "zod";
import { RoomApiError } from "../core/errors";
import type { JsonResponse } from "../core/http";
import { badEnvelope, callVendor, type VendorClientOptions } from "../core/vendor-call";
import { ApiRoomAttributesSchema, type ApiAttributeChange, type ApiRoomAttributes } from "./api";
import {
  APP_WIDE_LIMIT_CODES,
  HINTS,
  PARTIAL_FAILURE,
  RETRYABLE_CODES,
  ROOM_USER_LIST_EMPTY,
  SLOW_DOWN_CODES,
  USER_EXISTS,
} from "./codes";
import { asOperator } from "./operators";
import type { ZegoSettings } from "./settings";
import { commonParams } from "./signature";

const EnvelopeSchema = z.looseObject({
  Code: z.number(),
  Message: z.string().optional(),
  RequestId: z.string().optional(),
});
type Envelope = z.infer<typeof EnvelopeSchema>;

const UserListSchema = z.object({ Count: z.number() });

const CreateAnswerSchema = z.object({ AttributeSeq: z.number().optional() });

const ErrKeyListSchema = z.array(z.object({ Key: z.string(), SubCode: z.number() })).nullish();

const ModifyAnswerSchema = z.object({
  AttributeSeq: z.number().optional(),
  SuccKeyList: z.array(z.object({ Key: z.string() })).nullish(),
  ErrKeyList: ErrKeyListSchema,
});

const RegisterAnswerSchema = z.object({
  ErrorList: z
    .array(z.object({ UserId: z.string(), SubCode: z.number(), SubMessage: z.string().optional() }))
    .nullish(),
});

/** Options for tests and tuning; production uses the defaults. */
export type ZegoClientOptions = VendorClientOptions;

type QueryValue = string | number | readonly (string | number)[] | undefined;

interface Request {
  readonly method: "GET" | "POST";
  /** Business parameters of a GET action (arrays as `Name[]=`). */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** The JSON body of a POST action. */
  readonly body?: Readonly<Record<string, unknown>>;
}

export class ZegoClient {
  constructor(
    private readonly settings: ZegoSettings,
    private readonly options: ZegoClientOptions = {},
  ) {}

  /**
   * CreateRoom (POST): `body` holds RoomId and the optional fields; the operator is added here. Resolves
   * with the answer's `AttributeSeq` (create-a-room.yaml, added 2025-11), or undefined when an older
   * server leaves it out.
   */
  createRoom(fromUserId: string, body: Record<string, unknown>): Promise<number | undefined> {
    return this.asOperator(fromUserId, () =>
      this.call("CreateRoom", { method: "POST", body: { FromUserId: fromUserId, ...body } }, (answer) => {
        const parsed = CreateAnswerSchema.safeParse(answer);
        if (!parsed.success) throw this.protocolError("CreateRoom", "AttributeSeq is not a number", answer.RequestId);
        return parsed.data.AttributeSeq;
      }),
    );
  }

  /**
   * QueryRoomUserList (GET): the room's current user count. 660300008 (the list is empty, "usually during
   * the room delayed destruction period") is a room that exists with no users.
   */
  roomUserCount(roomId: string): Promise<number> {
    return this.call(
      "QueryRoomUserList",
      { method: "GET", query: { RoomId: roomId } },
      (answer) => {
        if (answer.Code === ROOM_USER_LIST_EMPTY) return 0;
        const parsed = UserListSchema.safeParse(answer);
        if (!parsed.success)
          throw this.protocolError("QueryRoomUserList", "Count is missing or not a number", answer.RequestId);
        return parsed.data.Count;
      },
      { accept: (answer) => answer.Code === ROOM_USER_LIST_EMPTY },
    );
  }

  /** QueryRoomAttribute (POST): every attribute of the room and its AttributeSeq. */
  queryRoomAttribute(fromUserId: string, roomId: string): Promise<ApiRoomAttributes> {
    return this.asOperator(fromUserId, () =>
      this.call(
        "QueryRoomAttribute",
        { method: "POST", body: { FromUserId: fromUserId, RoomId: roomId } },
        (answer) => {
          const parsed = ApiRoomAttributesSchema.safeParse(answer);
          if (!parsed.success)
            throw this.protocolError(
              "QueryRoomAttribute",
              `the attributes are malformed: ${parsed.error.issues[0]?.message ?? "?"}`,
              answer.RequestId,
            );
          return parsed.data;
        },
      ),
    );
  }

  /**
   * ModifyRoomAttribute (POST) with set (Action 0) and delete (Action 1) items. The API succeeds partially:
   * Code 0 with a non-empty ErrKeyList is a failure here, naming the failed keys and the applied ones.
   */
  modifyRoomAttribute(fromUserId: string, roomId: string, items: readonly ApiAttributeChange[]): Promise<void> {
    return this.asOperator(fromUserId, () =>
      this.call(
        "ModifyRoomAttribute",
        { method: "POST", body: { FromUserId: fromUserId, RoomId: roomId, Attributes: items } },
        (answer) => {
          const parsed = ModifyAnswerSchema.safeParse(answer);
          if (!parsed.success)
            throw this.protocolError(
              "ModifyRoomAttribute",
              `SuccKeyList/ErrKeyList are malformed: ${parsed.error.issues[0]?.message ?? "?"}`,
              answer.RequestId,
            );
          const failed = parsed.data.ErrKeyList ?? [];
          if (failed.length === 0) return;
          const failedKeys = new Set(failed.map((e) => e.Key));
          const applied =
            parsed.data.SuccKeyList?.map((s) => s.Key) ?? items.map((i) => i.Key).filter((k) => !failedKeys.has(k));
          throw new RoomApiError({
            vendor: "zego",
            operation: "ModifyRoomAttribute",
            kind: "vendor",
            code: PARTIAL_FAILURE,
            vendorMessage: `${failed.length} of ${items.length} attribute changes failed: ${describeErrKeys(failed)}; applied: ${applied.length ? applied.map((k) => JSON.stringify(k)).join(", ") : "none"}`,
            requestId: answer.RequestId,
            retryable: false,
            hint: "the applied changes stay and nothing is lost: state records what the room holds now, and the next `pulumi up` sets the failed keys again",
          });
        },
        { detail: (answer) => errKeyDetail(answer) },
      ),
    );
  }

  /** DestroyRoom (GET). The operator is optional for this action (older API versions do not take it). */
  destroyRoom(roomId: string, fromUserId: string | undefined): Promise<void> {
    const destroy = () =>
      this.call("DestroyRoom", { method: "GET", query: { RoomId: roomId, FromUserId: fromUserId } }, () => undefined);
    return fromUserId === undefined ? destroy() : this.asOperator(fromUserId, destroy);
  }

  /**
   * UserRegister (POST) of one user; "user already exists" (660700002) is success. Judged by the ErrorList
   * sub-codes (User/batch-register-users.yaml): Code 0 means at least one user registered, and a non-zero
   * Code with a non-empty ErrorList means "all users failed to register and all are existing users",
   * whatever that Code is. A non-zero Code with no ErrorList is a request-level failure (parameters, the
   * 660700001 frequency limit, a server error) and is judged by its Code.
   */
  registerUser(userId: string): Promise<void> {
    return this.call(
      "UserRegister",
      { method: "POST", body: { UserInfo: [{ UserId: userId }] } },
      (answer) => {
        const parsed = RegisterAnswerSchema.safeParse(answer);
        if (!parsed.success) throw this.protocolError("UserRegister", "ErrorList is malformed", answer.RequestId);
        const errors = parsed.data.ErrorList ?? [];
        const failed =
          errors.find((e) => e.UserId === userId && e.SubCode !== USER_EXISTS) ??
          errors.find((e) => e.SubCode !== USER_EXISTS);
        if (failed)
          throw this.vendorError("UserRegister", {
            ...answer,
            Code: failed.SubCode,
            Message: failed.SubMessage ?? answer.Message,
          });
      },
      // Any other non-zero Code without an ErrorList fails in `call`, retried or not by its Code.
      { accept: (answer) => answer.Code === USER_EXISTS || hasErrorList(answer) },
    );
  }

  /** Runs a call that names `userId` as its operator, registering the operator when the API asks for it. */
  private asOperator<T>(userId: string, run: () => Promise<T>): Promise<T> {
    return asOperator(`${this.settings.baseUrl} ${this.settings.appId} ${userId}`, userId, run, () =>
      this.registerUser(userId),
    );
  }

  private url(action: string, query: Readonly<Record<string, QueryValue>>): string {
    const q = new URLSearchParams({ Action: action, ...commonParams(this.settings) });
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value))
        for (const item of value as readonly (string | number)[]) q.append(`${name}[]`, String(item));
      else q.append(name, String(value));
    }
    return `${this.settings.baseUrl}/?${q.toString()}`;
  }

  private call<T>(
    action: string,
    request: Request,
    onAnswer: (answer: Envelope) => T,
    options: {
      readonly accept?: (answer: Envelope) => boolean;
      readonly detail?: (answer: Envelope) => string | undefined;
    } = {},
  ): Promise<T> {
    return callVendor(this.settings, this.options, {
      vendor: "zego",
      app: this.settings.appId,
      operation: action,
      codes: { slowDown: SLOW_DOWN_CODES, appWide: APP_WIDE_LIMIT_CODES },
      // Runs per attempt: every attempt is signed afresh ("A new signature needs to be generated for every
      // API request", signature.ts).
      build: () => ({
        method: request.method,
        url: this.url(action, request.method === "GET" ? (request.query ?? {}) : {}),
        body: request.method === "POST" ? (request.body ?? {}) : undefined,
      }),
      parse: (res: JsonResponse) => {
        const envelope = EnvelopeSchema.safeParse(res.body);
        if (!envelope.success)
          throw this.protocolError(action, `the answer is not a ZIM envelope (HTTP ${res.status})`);
        const answer = envelope.data;
        // The pages describe errors only by `Code` in a 200 answer: any non-zero Code is an error, whatever
        // the HTTP status.
        if (answer.Code !== 0 && !options.accept?.(answer))
          throw this.vendorError(action, answer, options.detail?.(answer), res.status);
        return onAnswer(answer);
      },
    });
  }

  private vendorError(action: string, answer: Envelope, detail?: string, httpStatus?: number): RoomApiError {
    const message = answer.Message ?? "";
    return new RoomApiError({
      vendor: "zego",
      operation: action,
      kind: "vendor",
      code: answer.Code,
      vendorMessage: detail ? `${message}${message ? "; " : ""}${detail}` : message,
      requestId: answer.RequestId,
      httpStatus,
      retryable: RETRYABLE_CODES.has(answer.Code),
      hint: HINTS[answer.Code],
    });
  }

  private protocolError(action: string, message: string, requestId?: string): RoomApiError {
    return badEnvelope("zego", action, message, requestId);
  }
}

/** Whether an answer carries a non-empty ErrorList (its entries then say what happened to each user). */
function hasErrorList(answer: Envelope): boolean {
  return Array.isArray(answer.ErrorList) && answer.ErrorList.length > 0;
}

/** The ErrKeyList of a failed ModifyRoomAttribute, for its error message. */
function errKeyDetail(answer: Envelope): string | undefined {
  const parsed = ErrKeyListSchema.safeParse(answer.ErrKeyList);
  const failed = parsed.success ? (parsed.data ?? []) : [];
  return failed.length ? `failed keys: ${describeErrKeys(failed)}` : undefined;
}

function describeErrKeys(failed: readonly { Key: string; SubCode: number }[]): string {
  return failed.map((e) => `${JSON.stringify(e.Key)} (SubCode ${e.SubCode})`).join(", ");
}
