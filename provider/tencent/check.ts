/**
 * The TencentRoom check, as the provider's `check` hook runs it and as `checkTencentRoomInputs` exports it
 * for unit tests under mocks: the schema with this resource's input names, the other resource's inputs
 * (a misplaced input is named as such) and the auto-named room ID's rules. Pure: no network, no credentials.
 */
import { checkWithSchema, type CheckOutcome } from "../core/check";
import { inputsOfOther } from "../catalog";
import { TENCENT_ROOM_RULES, type TencentRoomInputs } from "./schema";

/** Every failure of `news` (with `__provider` or without) and the normalised inputs. */
export function checkTencentRoom(news: Record<string, unknown>): CheckOutcome<TencentRoomInputs> {
  const { schema, check } = TENCENT_ROOM_RULES;
  return checkWithSchema(schema, news, {
    ...check,
    foreign: inputsOfOther("TencentRoom"),
  }) as CheckOutcome<TencentRoomInputs>;
}
