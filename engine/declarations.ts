/**
 * Which rooms a stack's state holds and the resource that declared each, for the embedded emulator's
 * console (emulator/declarations.ts): the engine tells its emulator after each operation and when the
 * `console` command starts.
 */
import type { RoomDeclaration } from "../emulator";
import { isProvider, type StackView } from "./state";

/**
 * The rooms' type tokens: a `dynamic.Resource` registers as `pulumi-nodejs:dynamic/<module>:<type>`, and
 * both resources use the module "rooms" (provider/tencent/resource.ts, provider/zego/resource.ts).
 */
const VENDOR_OF_TYPE: Readonly<Record<string, RoomDeclaration["vendor"]>> = {
  "pulumi-nodejs:dynamic/rooms:TencentRoom": "tencent",
  "pulumi-nodejs:dynamic/rooms:ZegoRoom": "zego",
};

/** The stack's rooms (TencentRoom and ZegoRoom resources with an id), each with its URN, in URN order. */
export function roomDeclarations(state: StackView): RoomDeclaration[] {
  const out: RoomDeclaration[] = [];
  for (const r of state.resources.values()) {
    const vendor = r.type === undefined ? undefined : VENDOR_OF_TYPE[r.type];
    if (!vendor || !r.custom || isProvider(r) || !r.id) continue;
    out.push({ vendor, roomId: r.id, urn: r.urn });
  }
  return out.sort((a, b) => a.urn.localeCompare(b.urn));
}
