/**
 * ZEGOCLOUD ZIM rooms whose room attributes come from stack config. Change a value with
 * `pulumi config set --path 'rooms.lobby.topic' release-party` and `pulumi up` rewrites just that
 * attribute in place (ModifyRoomAttribute); the room, its members and its other attributes stay.
 *
 * Stack config (Pulumi.<stack>.yaml):
 *
 *   config:
 *     room-attributes:rooms:            # room (resource name) -> attributes (key -> value)
 *       lobby:
 *         topic: welcome
 *         stage: open
 *       support:
 *         queue: "3"
 *     room-attributes:destroyDelayTime: 3600   # seconds an empty room lingers (changing it replaces the rooms)
 *
 * Keys starting with `~` are written with AutoDelete (removed when the writer leaves the room).
 */
import * as pulumi from "@pulumi/pulumi";
import { ZegoRoom } from "pulumi-rooms";

const config = new pulumi.Config();

/** The rooms used when the stack config has none (a fresh stack still deploys something useful). */
const DEFAULT_ROOMS: Record<string, Record<string, string>> = {
  lobby: { topic: "welcome", stage: "open", "~greeter": "bot-1" },
  support: { queue: "0", status: "staffed" },
};

const rooms = config.getObject<Record<string, Record<string, string | number | boolean>>>("rooms") ?? DEFAULT_ROOMS;
const destroyDelayTime = config.getNumber("destroyDelayTime") ?? 3600;

export const attributeSeqs: Record<string, pulumi.Output<number>> = {};
/** The room IDs clients join: each room's name plus this stack's hash (auto-named, so stacks never share). */
export const roomIds: Record<string, pulumi.Output<string>> = {};
for (const [name, values] of Object.entries(rooms)) {
  const attributes: Record<string, string | { value: string; autoDelete: boolean }> = {};
  for (const [key, value] of Object.entries(values)) {
    // Config values may arrive as numbers or booleans (YAML); attributes are strings.
    if (key.startsWith("~")) attributes[key.slice(1)] = { value: String(value), autoDelete: true };
    else attributes[key] = String(value);
  }
  const room = new ZegoRoom(name, {
    roomName: `${name[0]?.toUpperCase() ?? ""}${name.slice(1)}`,
    destroyDelayTime,
    attributes,
  });
  attributeSeqs[name] = room.attributeSeq;
  roomIds[name] = room.roomId;
}
