/**
 * The TencentRoom provider against the emulator, called in process: the helpers both lifecycle test files
 * (tencent-create, tencent-lifecycle) use.
 */
import assert from "node:assert/strict";
import type { Emulator, TencentRoomRecord } from "../../emulator";
import { seededRandom } from "../../emulator/faults";
import type { TencentRoomOutputs } from "../../provider/tencent/api";
import { TencentRoomProvider, type TencentRoomProviderOptions } from "../../provider/tencent/provider";
import { configuredFor, emulatedSuite } from "./emulated-suite";
import { defaultTencentRoomInfo, TENCENT_SAMPLE } from "./samples";

export type Props = Record<string, unknown>;

/** The create_room page's sample request, invitees out of order (state must hold them sorted). */
export const SAMPLE: Props = { ...TENCENT_SAMPLE, scheduleInvitees: ["user3", "user1", "user2"] };

/** Short backoff so the fault tests stay fast. */
export const FAST: TencentRoomProviderOptions = { retry: { baseDelayMs: 5, maxDelayMs: 20 }, env: {} };

export async function providerFor(
  emu: Emulator,
  config: Record<string, string> = {},
  options: TencentRoomProviderOptions = FAST,
): Promise<TencentRoomProvider> {
  return configuredFor(new TencentRoomProvider({ env: {}, ...options }), emu, config);
}

export async function checked(p: TencentRoomProvider, raw: Props): Promise<Props> {
  const { inputs, failures } = await p.check({}, raw);
  assert.deepEqual(failures ?? [], []);
  return inputs as Props;
}

/** check, then create: what `pulumi up` does for a new resource. */
export async function up(
  p: TencentRoomProvider,
  raw: Props,
): Promise<{ id: string; outs: TencentRoomOutputs; inputs: Props }> {
  const inputs = await checked(p, raw);
  const { id, outs } = await p.create(inputs);
  return { id, outs: outs as TencentRoomOutputs, inputs };
}

/** A room put straight into the emulator, as the console or another tool would have created it. */
export function plant(emu: Emulator, roomId: string, fields: Partial<TencentRoomRecord> = {}): TencentRoomRecord {
  const now = Math.floor(Date.now() / 1000);
  const room: TencentRoomRecord = {
    ...defaultTencentRoomInfo(roomId, emu.credentials.tencent.identifier, now),
    Invitees: [],
    Members: [],
    ...fields,
  };
  const state = emu.tencent.exportState();
  emu.tencent.importState({ ...state, rooms: [...state.rooms, room] });
  return room;
}

/** Every (string) value inside `value`, for "no undefined" and secret scans. */
export function walk(value: unknown, visit: (v: unknown, path: string) => void, path = ""): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, visit, `${path}[${i}]`));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) walk(v, visit, `${path}.${k}`);
}

/** Requests of `action` that got `result` (or all results). */
export function count(emu: Emulator, action: string, result?: string): number {
  const byResult = emu.counters()[action] ?? {};
  return result === undefined ? Object.values(byResult).reduce((a, b) => a + b, 0) : (byResult[result] ?? 0);
}

const FAULT_ORDER = ["reset", "http502", "vendorTransient", "latency", "lostResponse"] as const;

/**
 * A seed under which the plan `{ [kind]: p }` fires on the n-th request it applies to exactly when
 * `pattern[n]` is true (the emulator draws every kind, in FAULT_ORDER, for every request).
 */
export function seedFor(kind: (typeof FAULT_ORDER)[number], p: number, pattern: readonly boolean[]): number {
  const at = FAULT_ORDER.indexOf(kind);
  for (let seed = 1; seed < 1_000_000; seed++) {
    const r = seededRandom(seed);
    const fires = pattern.map(() => FAULT_ORDER.map(() => r.next())[at]! < p);
    if (fires.every((f, i) => f === pattern[i])) return seed;
  }
  return assert.fail("no seed found");
}

/** The emulator suite of the TencentRoom lifecycle tests: one provider, create_room paced as the API allows. */
export const tencentSuite = () =>
  emulatedSuite((emu) => providerFor(emu), { rates: { tencent: 200, scope: "api", window: "sliding" } });
