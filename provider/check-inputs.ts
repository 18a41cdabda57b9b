/**
 * The providers' input check for unit tests of a program under `pulumi.runtime.setMocks`. Mocks answer
 * every registration themselves, so the provider's check (byte limits, times, invitees, attributes) never
 * runs there; calling these in the mocks' `newResource` applies the same rules `pulumi preview` does, with
 * the same messages and property paths. Pure: no network, no credentials.
 *
 * @example
 * pulumi.runtime.setMocks({
 *   newResource: (args) => ({ id: `${args.name}-id`, state: { ...args.inputs, ...checkRoomInputs(args) } }),
 *   call: (args) => args.inputs,
 * });
 */
import * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "./core/check";
import { RoomInputsError } from "./core/errors";
import { checkByRules } from "./core/room-provider";
import { inputsOfOther } from "./catalog";
import { TENCENT_ROOM_RULES, type TencentRoomInputs } from "./tencent/schema";
import { ZEGO_ROOM_RULES, type ZegoRoomInputs } from "./zego/schema";

/** The type token of each room resource, as a mock's `args.type` carries it. */
export const ROOM_TYPES = {
  TencentRoom: "pulumi-nodejs:dynamic/rooms:TencentRoom",
  ZegoRoom: "pulumi-nodejs:dynamic/rooms:ZegoRoom",
} as const;

/**
 * Checks a TencentRoom's inputs as the provider does and returns them normalised (defaults filled in,
 * times as Unix seconds, invitees sorted), as the provider's check hands them to create. Takes a mock's
 * `args.inputs` as they come (with `__provider`, secrets still wrapped) or plain inputs. A value not yet
 * known (a preview under mocks) cannot be checked: it stays as the SDK gave it.
 *
 * @param name The resource's name, for the error message.
 * @throws RoomInputsError listing every failure with its property path (`roomName`, `scheduleEndTime`).
 */
export function checkTencentRoomInputs(inputs: Record<string, unknown>, name?: string): TencentRoomInputs {
  return checked<TencentRoomInputs>("TencentRoom", inputs, name);
}

/**
 * Checks a ZegoRoom's inputs as the provider does and returns them normalised (every attribute as
 * `{ value, autoDelete }`, sorted by key). Takes a mock's `args.inputs` as they come or plain inputs; a
 * value not yet known (a preview under mocks) stays as the SDK gave it.
 *
 * @param name The resource's name, for the error message.
 * @throws RoomInputsError listing every failure with its property path (`roomName`, `attributes.topic`).
 */
export function checkZegoRoomInputs(inputs: Record<string, unknown>, name?: string): ZegoRoomInputs {
  return checked<ZegoRoomInputs>("ZegoRoom", inputs, name);
}

/**
 * For a mock's `newResource`: checks the inputs of a TencentRoom or ZegoRoom (MeetingSeries' rooms
 * included) by its type token, and returns them normalised; `undefined` for any other resource.
 *
 * @throws RoomInputsError naming the resource and listing every failure with its property path.
 */
export function checkRoomInputs(args: {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}): TencentRoomInputs | ZegoRoomInputs | undefined {
  if (args.type === ROOM_TYPES.TencentRoom) return checkTencentRoomInputs(args.inputs, args.name);
  if (args.type === ROOM_TYPES.ZegoRoom) return checkZegoRoomInputs(args.inputs, args.name);
  return undefined;
}

/** Each room resource's rules, as its provider checks by them. */
const RULES = { TencentRoom: TENCENT_ROOM_RULES, ZegoRoom: ZEGO_ROOM_RULES } as const;

function checked<T extends Record<string, unknown>>(
  resource: keyof typeof RULES,
  inputs: Record<string, unknown>,
  name: string | undefined,
): T {
  const unknowns: unknown[] = [];
  const wire = (value: unknown): unknown => {
    if (pulumi.isUnknown(value)) {
      unknowns.push(value);
      return UNKNOWN;
    }
    if (Array.isArray(value)) return value.map(wire);
    if (value === null || typeof value !== "object") return value;
    const props = value as Record<string, unknown>;
    if (props[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return wire(props.value);
    return Object.fromEntries(
      Object.entries(props)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, wire(v)]),
    );
  };
  const news = wire(inputs) as Record<string, unknown>;
  const { inputs: out, failures } = checkByRules<T>(RULES[resource], news, inputsOfOther(resource));
  if (failures.length) throw new RoomInputsError(resource, failures, name);
  // A preview's unknowns go back as the SDK's own value, so a mock's state keeps them unknown.
  const [first] = unknowns;
  const restore = (value: unknown): unknown => {
    if (value === UNKNOWN) return first;
    if (Array.isArray(value)) return value.map(restore);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v)]));
  };
  return (first === undefined ? out : restore(out)) as T;
}
