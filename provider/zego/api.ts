/**
 * ZegoRoom inputs to and from the ZIM server API: the CreateRoom body, the QueryRoomAttribute answer and the
 * ModifyRoomAttribute items, and the outputs mapped back from what the API holds.
 * Sources: https://www.zegocloud.com/docs/zim-server/room/create-a-room and the room attribute pages
 * (query-room-attributes, update-room-attributes) beside it.
 */
import * as z from "zod";
import { sortedAttributes, type ZegoRoomAttributes, type ZegoRoomInputs } from "./schema";

/** An attribute item of QueryRoomAttribute as the provider relies on it; wrong types are a protocol error. */
const ApiAttributeSchema = z.object({
  Key: z.string(),
  Value: z.string(),
  Seq: z.number().optional(),
  AutoDelete: z.number().optional(),
});

/** The QueryRoomAttribute answer after the envelope. An empty list may be left out. */
export const ApiRoomAttributesSchema = z.object({
  AttributeSeq: z.number(),
  Attributes: z.array(ApiAttributeSchema).nullish(),
});
export type ApiRoomAttributes = z.infer<typeof ApiRoomAttributesSchema>;

/** One ModifyRoomAttribute item: Action 0 sets (upserts), 1 deletes. */
export interface ApiAttributeChange {
  readonly Action: 0 | 1;
  readonly Key: string;
  readonly Value: string;
  readonly AutoDelete: 0 | 1;
}

/** The CreateRoom body (without FromUserId) for normalised inputs; unset optional fields are left out. */
export function toCreateBody(inputs: ZegoRoomInputs): Record<string, unknown> {
  const body: Record<string, unknown> = { RoomId: inputs.roomId };
  if (inputs.roomName !== undefined) body.RoomName = inputs.roomName;
  if (inputs.destroyDelayTime !== undefined) body.DestroyDelayTime = inputs.destroyDelayTime;
  const declared = Object.entries(inputs.attributes ?? {});
  if (declared.length > 0)
    body.Attributes = declared.map(([Key, a]) => ({ Key, Value: a.value, AutoDelete: a.autoDelete ? 1 : 0 }));
  return body;
}

/**
 * What a room holds right after a successful CreateRoom of `inputs`: exactly the declared attributes,
 * the `AttributeSeq` the CreateRoom answer carries (create-a-room.yaml: "Records the total number of
 * changes to all attributes", one per attribute written), and no users (the operator "is not added to
 * the room"). Reading it back would only repeat this.
 */
export function heldAfterCreate(inputs: ZegoRoomInputs, attributeSeq: number): HeldRoom {
  const body = toCreateBody(inputs);
  const attributes = (body.Attributes ?? []) as { Key: string; Value: string; AutoDelete: 0 | 1 }[];
  return { attributes: { AttributeSeq: attributeSeq, Attributes: attributes }, userCount: 0 };
}

/**
 * The ModifyRoomAttribute items that turn `held` into `declared`: set each missing or different key,
 * delete each undeclared one. Deletions come first so that they free count and bytes for the sets.
 */
export function attributeChanges(held: ZegoRoomAttributes, declared: ZegoRoomAttributes): ApiAttributeChange[] {
  const deletes: ApiAttributeChange[] = Object.keys(held)
    .filter((key) => !Object.hasOwn(declared, key))
    .sort()
    .map((Key) => ({ Action: 1, Key, Value: "", AutoDelete: 0 }));
  const sets: ApiAttributeChange[] = Object.entries(sortedAttributes(declared))
    .filter(([key, a]) => held[key]?.value !== a.value || held[key]?.autoDelete !== a.autoDelete)
    .map(([Key, a]) => ({ Action: 0, Key, Value: a.value, AutoDelete: a.autoDelete ? 1 : 0 }));
  return [...deletes, ...sets];
}

/** Attributes as the API holds them, in canonical form. */
export function attributesFromApi(api: ApiRoomAttributes): ZegoRoomAttributes {
  const out: ZegoRoomAttributes = {};
  for (const a of api.Attributes ?? []) out[a.Key] = { value: a.Value, autoDelete: a.AutoDelete === 1 };
  return sortedAttributes(out);
}

/** What the API holds for a room: its attributes and the user count read with them. */
export interface HeldRoom {
  readonly attributes: ApiRoomAttributes;
  readonly userCount: number;
}

/**
 * Inputs as the API holds them (what refresh stores). RoomName and DestroyDelayTime cannot be read back and
 * the operator is not room state: those keep the values in `kept` (state), so they never show as drift.
 */
export function inputsFromApi(roomId: string, kept: Partial<ZegoRoomInputs>, held: HeldRoom): ZegoRoomInputs {
  return {
    roomId,
    roomName: kept.roomName,
    fromUserId: kept.fromUserId,
    destroyDelayTime: kept.destroyDelayTime,
    attributes: attributesFromApi(held.attributes),
  };
}

/** Outputs: every input as held, plus the attribute sequence number and the room's current user count. */
export function toOutputs(roomId: string, kept: Partial<ZegoRoomInputs>, held: HeldRoom) {
  return {
    ...inputsFromApi(roomId, kept, held),
    // Always present in outputs (an empty map when the room has none).
    attributes: attributesFromApi(held.attributes),
    attributeSeq: held.attributes.AttributeSeq,
    userCount: held.userCount,
  };
}

/** Outputs of a ZegoRoom (JSON). */
export type ZegoRoomOutputs = Omit<ReturnType<typeof toOutputs>, "roomIdSource">;
