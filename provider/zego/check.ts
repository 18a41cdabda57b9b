/**
 * The ZegoRoom check, as the provider's `check` hook runs it and as `checkZegoRoomInputs` exports it for
 * unit tests under mocks: the schema with this resource's input names, the other resource's inputs (a
 * misplaced input is named as such) and the auto-named room ID's rules (ZEGO's ID characters). Pure: no
 * network, no credentials.
 */
import { checkWithSchema, type CheckOutcome } from "../core/check";
import { inputsOfOther } from "../catalog";
import { ZEGO_ROOM_RULES, type ZegoRoomInputs } from "./schema";

/** Every failure of `news` (with `__provider` or without) and the normalised inputs. */
export function checkZegoRoom(news: Record<string, unknown>): CheckOutcome<ZegoRoomInputs> {
  const { schema, check } = ZEGO_ROOM_RULES;
  return checkWithSchema(schema, news, {
    ...check,
    foreign: inputsOfOther("ZegoRoom"),
  }) as CheckOutcome<ZegoRoomInputs>;
}
