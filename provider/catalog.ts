/**
 * The resources of this package and their input names, so check can tell a user that an input they wrote
 * belongs to the other vendor's resource. Neither vendor folder imports the other: each provider asks
 * here for the inputs of the resources that are not its own.
 */
import type { ForeignInputs } from "./core/rules";
import { INPUT_NAMES as TENCENT_INPUT_NAMES } from "./tencent/schema";
import { INPUT_NAMES as ZEGO_INPUT_NAMES } from "./zego/schema";

const RESOURCES: readonly ForeignInputs[] = [
  { resource: "TencentRoom", names: TENCENT_INPUT_NAMES },
  { resource: "ZegoRoom", names: ZEGO_INPUT_NAMES },
];

/** The inputs of the resource other than `resource` (this package has two room resources). */
export function inputsOfOther(resource: string): ForeignInputs | undefined {
  return RESOURCES.find((r) => r.resource !== resource);
}
