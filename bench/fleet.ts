/**
 * What the benchmark deploys: per vendor, how a program declares room number i, the documented rate the
 * run is measured against, the vendor's frequency-limit codes, and how to see the rooms the emulator holds.
 */
import { SECRET_CONFIG_KEYS } from "../provider/config-keys";
import { FREQUENCY_LIMIT_CODES as TENCENT_FREQUENCY } from "../provider/tencent/codes";
import { TencentRoom } from "../provider/tencent/resource";
import { FREQUENCY_LIMIT_CODES as ZEGO_FREQUENCY } from "../provider/zego/codes";
import { ZegoRoom } from "../provider/zego/resource";
import * as pulumi from "@pulumi/pulumi";
import type { Props } from "../engine/wire";

export type VendorName = "tencent" | "zego";

export interface VendorProfile {
  readonly vendor: VendorName;
  readonly label: string;
  /** The vendor's documented rate per API (requests per second): what the ratios are measured against. */
  readonly documentedPerSecond: number;
  /** The config key that sizes the provider's pacing ("0" disables it). */
  readonly rateKey: string;
  /** Answers that mean "too many requests" (the emulator counts them under the code). */
  readonly frequencyCodes: ReadonlySet<number>;
  /** Declares room `i` (inside a program). */
  declare(i: number): void;
}

export const PROJECT = "rooms-bench";
export const SECRET_KEYS = SECRET_CONFIG_KEYS;

export const TENCENT: VendorProfile = {
  vendor: "tencent",
  label: "TencentRoom",
  documentedPerSecond: 200,
  rateKey: "tencent:requestsPerSecond",
  frequencyCodes: TENCENT_FREQUENCY,
  declare: (i) =>
    new TencentRoom(`bench-${i}`, { roomName: `Bench room ${i}`, maxMemberCount: 50, customInfo: `n=${i}` }),
};

export const ZEGO: VendorProfile = {
  vendor: "zego",
  label: "ZegoRoom",
  documentedPerSecond: 20,
  rateKey: "zego:requestsPerSecond",
  frequencyCodes: ZEGO_FREQUENCY,
  declare: (i) => new ZegoRoom(`bench-${i}`, { roomName: `Bench room ${i}`, attributes: { n: String(i) } }),
};

/** One room as the program declares it: its URN, inputs and the serialized provider text (`__provider`). */
export interface Declared {
  readonly urn: string;
  readonly inputs: Props;
  readonly provider: string;
}

/**
 * The registrations a real program of `n` rooms makes, captured under `pulumi.runtime.setMocks` (the bench
 * needs only what the engine would send the host: URN, inputs and the `__provider` text).
 */
export async function fleet(profile: VendorProfile, n: number): Promise<Declared[]> {
  const rooms: Declared[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const { __provider: provider, ...inputs } = args.inputs as Props;
        if (typeof provider === "string")
          rooms.push({ urn: `urn:pulumi:bench::${PROJECT}::${args.type}::${args.name}`, inputs, provider });
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
      call: (args: pulumi.runtime.MockCallArgs): Record<string, unknown> => args.inputs as Record<string, unknown>,
    },
    PROJECT,
    "bench",
    false,
  );
  for (let i = 0; i < n; i++) profile.declare(i);
  const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
  await waitForRPCs();
  return rooms;
}
