/**
 * The ZegoRoom provider against the emulator, called in process: the helpers both lifecycle test files
 * (zego-create, zego-provider) use.
 */
import assert from "node:assert/strict";
import type { Emulator } from "../../emulator";
import type { RetryPolicy } from "../../provider/core/http";
import type { ZegoRoomOutputs } from "../../provider/zego/api";
import { ZegoRoomProvider } from "../../provider/zego/provider";
import { configuredFor, emulatedSuite } from "./emulated-suite";

export type Props = Record<string, unknown>;

/** Short backoff so fault tests stay fast. */
export const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 20, deadlineMs: 10_000 };

export async function providerFor(
  emu: Emulator,
  config: Record<string, string | undefined> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<ZegoRoomProvider> {
  return configuredFor(new ZegoRoomProvider({ env, retry: FAST_RETRY }), emu, config);
}

/** check, then create: what `pulumi up` does for a new resource. */
export async function up(
  p: ZegoRoomProvider,
  raw: Props,
): Promise<{ id: string; outs: ZegoRoomOutputs; inputs: Props }> {
  const { inputs, failures } = await p.check({}, raw);
  assert.deepEqual(failures, []);
  const { id, outs } = await p.create(inputs as Props);
  return { id, outs: outs as ZegoRoomOutputs, inputs: inputs as Props };
}

export async function checked(p: ZegoRoomProvider, raw: Props): Promise<Props> {
  const { inputs, failures } = await p.check({}, raw);
  assert.deepEqual(failures, []);
  return inputs as Props;
}

/** The room's attributes as the emulator holds them, in the provider's canonical form. */
export const attrs = (emu: Emulator, roomId: string) =>
  Object.fromEntries(
    (emu.zego.room(roomId)?.attributes ?? []).map((a) => [a.key, { value: a.value, autoDelete: a.autoDelete }]),
  );

/** The emulator suite of the ZegoRoom lifecycle tests: a fresh provider (and operator memory) per test. */
export const zegoSuite = () => emulatedSuite((emu) => providerFor(emu), { providerPerTest: true });
