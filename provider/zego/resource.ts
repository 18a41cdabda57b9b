/**
 * The ZegoRoom resource class and its serialized shim, nothing more.
 */
import * as pulumi from "@pulumi/pulumi";
import { roomProps } from "../core/room-props";
import { ID_MAX_BYTES } from "./schema";
import type { ZegoRoomOutputs } from "./api";
import type { ZegoRoomAttribute, ZegoRoomInput } from "./schema";

/**
 * What Pulumi stores as `__provider`: each hook is a one-line run-time require of the installed package,
 * so state holds no logic and no credentials, every ZegoRoom serializes to the same small text, and
 * refresh/destroy run the code installed now. It must reference nothing else in
 * this module: the serializer would copy it into state.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
type Hooks = Required<pulumi.dynamic.ResourceProvider>; // what the package's entry exports
const shim: pulumi.dynamic.ResourceProvider = {
  configure: (...a) => (require("pulumi-rooms/zego") as Hooks).configure(...a),
  check: (...a) => (require("pulumi-rooms/zego") as Hooks).check(...a),
  diff: (...a) => (require("pulumi-rooms/zego") as Hooks).diff(...a),
  create: (...a) => (require("pulumi-rooms/zego") as Hooks).create(...a),
  read: (...a) => (require("pulumi-rooms/zego") as Hooks).read(...a),
  update: (...a) => (require("pulumi-rooms/zego") as Hooks).update(...a),
  delete: (...a) => (require("pulumi-rooms/zego") as Hooks).delete(...a),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** An attribute value: a string (AutoDelete off), or a value with its AutoDelete flag. */
export type ZegoRoomAttributeArg = string | { value: string; autoDelete?: boolean };

/** Inputs of a {@link ZegoRoom}: the CreateRoom fields in camelCase. */
export interface ZegoRoomArgs {
  /**
   * Room ID: 1 to 32 bytes of digits, letters and `! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _`, space and
   * `, { } | ~`. Default: auto-named `<resource name>-<hash of project, stack and name>`, so stacks sharing an
   * app never share a room (a name with other characters fails check, naming them). A declared ID adopts an
   * existing room: never declare the same one in two stacks. Changing it replaces the room.
   */
  roomId?: pulumi.Input<string>;
  /** Room name, at most 64 bytes (UTF-8). Cannot be changed or read back: changing it replaces the room. */
  roomName?: pulumi.Input<string>;
  /**
   * The operator (`FromUserId`) of every call for this room; it must be a registered user (the provider
   * registers it when the API says it is not) and is not added to the room. Same rules as `roomId`.
   * Default: `zego:fromUserId`. Changing it calls nothing; later calls use the new operator.
   */
  fromUserId?: pulumi.Input<string>;
  /**
   * Seconds the room waits, once its last user has left, before it is destroyed: a whole number from 0
   * to 10800 (3 hours). Cannot be changed or read back: changing it replaces the room.
   */
  destroyDelayTime?: pulumi.Input<number>;
  /**
   * Room attributes keyed by attribute key: a string value, or `{ value, autoDelete }` where `autoDelete`
   * deletes the attribute when the operator leaves the room (default false). At most 20 keys; key 1 to 16
   * bytes, value at most 1024 bytes, keys and values at most 5120 bytes in total. Updated in place, and
   * the declared map is the whole map: keys set behind Pulumi's back are deleted by the next update.
   */
  attributes?: pulumi.Input<Record<string, pulumi.Input<ZegoRoomAttributeArg>>>;
}

// The hand-documented Args must stay the schema's input type, field for field.
type Plain<T> = { [K in keyof T]-?: T[K] extends pulumi.Input<infer U> | undefined ? U : never };
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
// `roomIdSource` is the class's own marker of a derived ID, not something a program writes.
const argsMatchSchema: SameKeys<Plain<ZegoRoomArgs>, Required<Omit<ZegoRoomInput, "roomIdSource">>> = true;
void argsMatchSchema;

/**
 * A ZEGOCLOUD ZIM room, with its room attributes.
 *
 * @example
 * const room = new ZegoRoom("lobby", { roomName: "Lobby", destroyDelayTime: 3600, attributes: { topic: "welcome" } });
 */
export class ZegoRoom extends pulumi.dynamic.Resource {
  /** Room ID (the resource's ID). */
  declare readonly roomId: pulumi.Output<string>;
  /** Room name as declared (the API cannot return it). */
  declare readonly roomName: pulumi.Output<string | undefined>;
  /** The operator as declared (undefined: `zego:fromUserId` at the time of each call). */
  declare readonly fromUserId: pulumi.Output<string | undefined>;
  /** Delayed-destruction time in seconds, as declared (the API cannot return it). */
  declare readonly destroyDelayTime: pulumi.Output<number | undefined>;
  /** Every attribute the room holds, keyed by attribute key, as QueryRoomAttribute returns it. */
  declare readonly attributes: pulumi.Output<Record<string, ZegoRoomAttribute>>;
  /** The room's attribute sequence number: +1 for every attribute change. */
  declare readonly attributeSeq: pulumi.Output<number>;
  /** Users in the room when last read (0 during delayed destruction). */
  declare readonly userCount: pulumi.Output<number>;

  constructor(name: string, args: ZegoRoomArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const outputs: Record<keyof ZegoRoomOutputs, undefined> = {
      roomId: undefined,
      roomName: undefined,
      fromUserId: undefined,
      destroyDelayTime: undefined,
      attributes: undefined,
      attributeSeq: undefined,
      userCount: undefined,
    };
    const props = roomProps(name, args, opts, outputs, { maxBytes: ID_MAX_BYTES });
    super(shim, name, props, opts, "rooms", "ZegoRoom");
  }
}
