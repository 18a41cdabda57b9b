/**
 * What a room resource class registers with Pulumi, the same for every vendor: each output named
 * (undefined), the declared args, and the room ID, declared or auto-named (naming.ts) from the resource name,
 * with the marker that says check the ID was derived.
 */
import * as pulumi from "@pulumi/pulumi";
import { autoRoomId, ROOM_ID_FROM_NAME, type RoomIdRules } from "./naming";

/**
 * The props of a room resource named `name`. `outputs` lists every output key: one missing from the props
 * would give the program no Output for it.
 */
export function roomProps<Outputs>(
  name: string,
  args: { readonly roomId?: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions | undefined,
  outputs: Record<keyof Outputs, undefined>,
  rules: RoomIdRules,
): Record<string, unknown> {
  // Auto-naming (as Pulumi's own providers do): without a declared roomId, the ID is the name plus a
  // hash of project, stack and name, so two stacks on one app never share (and destroy) a room.
  const roomId =
    args.roomId ??
    autoRoomId(
      name,
      pulumi.getProject(),
      pulumi.getStack(),
      rules,
      opts?.parent ? pulumi.resourceType(opts.parent) : undefined,
    );
  const source = args.roomId === undefined ? { roomIdSource: ROOM_ID_FROM_NAME } : {};
  return { ...outputs, ...args, roomId, ...source };
}
