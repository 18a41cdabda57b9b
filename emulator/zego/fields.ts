/**
 * Field rules of the ZIM server API (the room and user pages under zegocloud.com/docs/zim-server/) and small readers
 * that apply them to a JSON body or a query string, throwing `ParamError` with the field and the rule.
 */
import { ZegoCode } from "./codes";
import { VendorRefusal } from "../vendor-error";

/** RoomId, FromUserId and UserId: `maxLength: 32` in every room and user yaml. */
export const ZEGO_ID_MAX_BYTES = 32;
/**
 * Characters allowed in RoomId / FromUserId / UserId: digits, letters, `! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _`
 * (the safe set every page lists) plus space `, { } | ~` (the extras the pages list inconsistently; UserRegister
 * lists them all). One set for every ID so the emulator and the provider's check agree.
 */
const ZEGO_ID_PATTERN = /^[A-Za-z0-9!#$%&()+\-:;<=.>?@[\]^_ ,{}|~]+$/;
/** room/create-a-room: RoomName "The maximum length is 64 bytes". */
export const ROOM_NAME_MAX_BYTES = 64;
/** room/create-a-room: DestroyDelayTime `maximum: 10800` seconds (3 h). */
export const DESTROY_DELAY_MAX_SECONDS = 10800;
/** Client SDK guide limits, which the emulator applies on the server path too (no server page states them). */
export const ATTRIBUTE_KEY_MAX_BYTES = 16;
export const ATTRIBUTE_VALUE_MAX_BYTES = 1024;
export const ATTRIBUTES_TOTAL_MAX_BYTES = 5120;
/** room/obtain-information-about-users-in-a-room: QueryRoomUserList Limit 0..500; empty (0) or more than 500 means 500. */
export const USER_LIST_MAX_LIMIT = 500;
/** user/batch-register-users and the QueryUserInfos page: UserRegister and QueryUserInfos take at most 100 users per call. */
export const USERS_PER_CALL_MAX = 100;
/** The QueryUserInfos page: UserIds "each ≤64 bytes". */
export const QUERY_USER_ID_MAX_BYTES = 64;
export const USER_NAME_MAX_BYTES = 256;
export const USER_AVATAR_MAX_BYTES = 500;

/** A request-level parameter violation: answered as `code` (660000002 unless a rule has its own code). */
export class ParamError extends VendorRefusal {
  constructor(
    readonly field: string,
    readonly rule: string,
    code: number = ZegoCode.ParamError,
  ) {
    super(code, `${field} ${rule}`);
  }
}

/** UTF-8 length, the unit every ZEGO limit is given in. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** The rule an ID breaks, or undefined when it is valid. */
export function idProblem(id: string, maxBytes = ZEGO_ID_MAX_BYTES): string | undefined {
  if (id === "") return "must not be empty";
  if (byteLength(id) > maxBytes) return `must be at most ${maxBytes} bytes`;
  if (!ZEGO_ID_PATTERN.test(id))
    return "may contain only digits, letters and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ space , { } | ~";
  return undefined;
}

/** A parsed JSON object body. */
export type JsonObject = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A required ID field of a body object, or of a query (as a string record). */
export function requireId(source: JsonObject, field: string): string {
  const value = source[field];
  if (value === undefined || value === null || value === "") throw new ParamError(field, "is required");
  if (typeof value !== "string") throw new ParamError(field, "must be a string");
  const problem = idProblem(value);
  if (problem) throw new ParamError(field, problem);
  return value;
}

/** An optional ID field (absent or empty means not given). */
export function optionalId(source: JsonObject, field: string): string | undefined {
  const value = source[field];
  if (value === undefined || value === null || value === "") return undefined;
  return requireId(source, field);
}

/** A required string (may be empty) of at most `maxBytes`. */
export function requireString(source: JsonObject, field: string, maxBytes: number): string {
  const value = source[field];
  if (value === undefined || value === null) throw new ParamError(field, "is required");
  if (typeof value !== "string") throw new ParamError(field, "must be a string");
  if (byteLength(value) > maxBytes) throw new ParamError(field, `must be at most ${maxBytes} bytes`);
  return value;
}

export function optionalString(source: JsonObject, field: string, maxBytes: number): string | undefined {
  return source[field] === undefined || source[field] === null ? undefined : requireString(source, field, maxBytes);
}

/** An optional JSON number that must be an integer in [min, max]. */
export function optionalInt(source: JsonObject, field: string, min: number, max: number): number | undefined {
  const value = source[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw new ParamError(field, "must be an integer");
  if (value < min || value > max) throw new ParamError(field, `must be between ${min} and ${max}`);
  return value;
}

/** An optional 0|1 flag (AutoDelete, StopOnError); absent means 0. */
export function optionalFlag(source: JsonObject, field: string): boolean {
  const value = optionalInt(source, field, 0, 1);
  return value === 1;
}

/** A required array of at least `min` and at most `max` items. */
export function requireArray(source: JsonObject, field: string, min: number, max: number): readonly unknown[] {
  const value = source[field];
  if (value === undefined || value === null) throw new ParamError(field, "is required");
  if (!Array.isArray(value)) throw new ParamError(field, "must be an array");
  if (value.length < min) throw new ParamError(field, `must have at least ${min} item${min === 1 ? "" : "s"}`);
  if (value.length > max) throw new ParamError(field, `must have at most ${max} items`);
  return value;
}

/** An array item that must be an object. */
export function itemObject(value: unknown, path: string): JsonObject {
  if (!isObject(value)) throw new ParamError(path, "must be an object");
  return value;
}

/** Runs `read` on an array item, so a violation names the full path ("Attributes[2].Key"). */
export function withinItem<T>(path: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof ParamError && !err.field.startsWith(path))
      throw new ParamError(`${path}.${err.field}`, err.rule, err.code);
    throw err;
  }
}

/** A query parameter as an optional non-negative integer ("" means absent). */
export function queryInt(query: URLSearchParams, field: string, min: number, max: number): number | undefined {
  const text = query.get(field);
  if (text === null || text === "") return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new ParamError(field, "must be a non-negative integer");
  const value = Number(text);
  if (value < min || value > max) throw new ParamError(field, `must be between ${min} and ${max}`);
  return value;
}

/** Query parameters as a body-like record, so the same ID readers apply to GET actions. */
export function queryRecord(query: URLSearchParams): JsonObject {
  const record: Record<string, string> = {};
  for (const [name, value] of query) if (!(name in record)) record[name] = value;
  return record;
}
