/**
 * TencentRoom check and diff called on a provider that was never configured, and the outputs a room created
 * from given inputs would have (what diff receives as olds): the helpers the schema tests share.
 */
import assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { TencentRoomProvider } from "../../provider/tencent/provider";
import type { TencentRoomOutputs } from "../../provider/tencent/api";
export type Props = Record<string, unknown>;
/** A provider that was never configured: check and diff must not need settings. */
export const pure = new TencentRoomProvider({ env: {} });

export async function check(raw: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
  const { inputs, failures } = await pure.check({}, raw);
  return { inputs: inputs as Props, failures: failures ?? [] };
}

export async function checked(raw: Props): Promise<Props> {
  const { inputs, failures } = await check(raw);
  assert.deepEqual(failures, []);
  return inputs;
}

/** The outputs a room created from `raw` would have (what diff receives as olds). */
export async function outputsOf(raw: Props): Promise<TencentRoomOutputs> {
  const inputs = await checked(raw);
  return {
    ...inputs,
    scheduleStartTimeIso: "2023-08-29T01:09:15.000Z",
    scheduleEndTimeIso: "2023-08-29T01:25:55.000Z",
    roomStatus: "Running",
    createTime: 1693271000,
    createTimeIso: "2023-08-29T01:03:20.000Z",
    memberCount: 1,
  } as unknown as TencentRoomOutputs;
}

export async function diff(olds: TencentRoomOutputs, raw: Props): Promise<pulumi.dynamic.DiffResult> {
  return pure.diff(String(olds.roomId), olds, { ...(await checked(raw)), __provider: "shim" });
}

/** A copy without the keys whose value is undefined (so "absent" means absent). */
export function without(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}
