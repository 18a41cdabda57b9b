/**
 * The ZegoRoom check, as the provider's `check` hook runs it and as `checkZegoRoomInputs` exports it for
 * unit tests under mocks: the schema with this resource's input names, the other resource's inputs (a
 * misplaced input is named as such) and the auto-named room ID's rules (ZEGO's ID characters). Pure: no
 * network, no credentials.
 */
import { checkWithSchema, type CheckOutcome } from "../core/check";
import { inputsOfOther } from "../catalog";
import {
  ID_CHAR,
  ID_CHARS_TEXT,
  INPUT_NAMES,
  ZegoRoomSchema,
  normaliseKnownInputs,
  type ZegoRoomInputs,
} from "./schema";

/** Every failure of `news` (with `__provider` or without) and the normalised inputs. */
export function checkZegoRoom(news: Record<string, unknown>): CheckOutcome<ZegoRoomInputs> {
  return checkWithSchema(ZegoRoomSchema, news, {
    inputNames: INPUT_NAMES,
    resource: "ZegoRoom",
    foreign: inputsOfOther("ZegoRoom"),
    derivedId: { vendor: "ZEGO", allowedChar: ID_CHAR, allowedText: ID_CHARS_TEXT },
    normaliseKnown: normaliseKnownInputs,
  });
}
