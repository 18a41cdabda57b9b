/**
 * Fixed costs, measured apart from the vendor's rate: the provider's own work per resource when nothing
 * changed (check + diff in-process), the size of what each resource stores, and the host's cold start.
 */
import { startEmulator } from "../emulator";
import { TencentRoomProvider } from "../provider/tencent/provider";
import { ZegoRoomProvider } from "../provider/zego/provider";
import { ProviderHost } from "../engine/provider-host";
import type { Props } from "../engine/wire";
import { fleet, PROJECT, SECRET_KEYS, type VendorProfile } from "./fleet";
import { medianOf } from "./report";
import { issueAll, peakMemoryMiB, REPO, type RoomState } from "./scale";

export interface ProviderCost {
  readonly vendor: string;
  readonly rooms: number;
  /** Mean time per resource, microseconds. */
  readonly checkMicros: number;
  readonly diffMicros: number;
  /** Vendor requests the emulator saw during the measurement (must be 0: check and diff are pure). */
  readonly httpRequests: number;
  /** Diffs that reported a change (must be 0: the rooms are unchanged). */
  readonly changes: number;
}

/**
 * check + diff for `rooms` unchanged rooms through the provider class, as the host would call it for a
 * `pulumi preview` of a stack with no changes. `states` are real states from a scale run (reused in turn).
 */
export async function providerCost(
  profile: VendorProfile,
  states: readonly RoomState[],
  rooms: number,
): Promise<ProviderCost> {
  if (states.length === 0) throw new Error(`no ${profile.label} state to measure with`);
  const emu = await startEmulator();
  try {
    const values = emu.stackConfig();
    const config = {
      get: (k: string) => values[k],
      require: (k: string) => values[k] ?? assertNever(`config ${k} is not set`),
    };
    const provider = profile.vendor === "tencent" ? new TencentRoomProvider() : new ZegoRoomProvider();
    await provider.configure({ config });
    const pass = async (): Promise<{ check: number; diff: number; changes: number }> => {
      let check = 0;
      let diff = 0;
      let changes = 0;
      for (let i = 0; i < rooms; i++) {
        const s = states[i % states.length] as RoomState;
        const t0 = performance.now();
        const checked = await provider.check(s.inputs, s.inputs);
        const t1 = performance.now();
        // The host passes the checked inputs with `__provider` put back.
        const d = await provider.diff(s.id, s.outputs as never, {
          ...(checked.inputs as Props),
          __provider: s.inputs.__provider,
        });
        const t2 = performance.now();
        check += t1 - t0;
        diff += t2 - t1;
        if (d.changes || (checked.failures?.length ?? 0) > 0) changes += 1;
      }
      return { check, diff, changes };
    };
    await pass(); // warm-up: JIT and zod's first parses
    emu.resetCounters();
    const measured = await pass();
    const httpRequests = Object.values(emu.counters()).reduce(
      (sum, byResult) => sum + Object.values(byResult).reduce((a, b) => a + b, 0),
      0,
    );
    return {
      vendor: profile.label,
      rooms,
      checkMicros: (measured.check * 1000) / rooms,
      diffMicros: (measured.diff * 1000) / rooms,
      httpRequests,
      changes: measured.changes,
    };
  } finally {
    await emu.stop();
  }
}

export interface StorageCost {
  readonly vendor: string;
  /** `__provider` text, bytes per resource (identical for every resource of the type). */
  readonly providerBytes: number;
  /** Distinct `__provider` texts among the resources of one program (must be 1). */
  readonly distinctProviders: number;
  /** Mean JSON bytes of one resource's state (inputs + outputs, each holding `__provider`). */
  readonly stateBytes: number;
}

export async function storageCost(profile: VendorProfile, states: readonly RoomState[]): Promise<StorageCost> {
  const decls = await fleet(profile, 50);
  const texts = new Set(decls.map((d) => d.provider));
  const stateBytes =
    states.reduce(
      (sum, s) => sum + Buffer.byteLength(JSON.stringify(s.inputs)) + Buffer.byteLength(JSON.stringify(s.outputs)),
      0,
    ) / Math.max(1, states.length);
  return {
    vendor: profile.label,
    providerBytes: Buffer.byteLength(decls[0]?.provider ?? ""),
    distinctProviders: texts.size,
    stateBytes,
  };
}

export interface ColdStart {
  readonly vendor: string;
  readonly runs: number;
  /** Medians, ms from spawn. */
  readonly portMs: number;
  readonly pluginInfoMs: number;
  /** Configure answered: the host is up with `@pulumi/pulumi` alone loaded (our package is not yet). */
  readonly configuredMs: number;
  readonly firstCheckMs: number;
  /** Our package's load: from Configure answered to the first Check answered (which requires it). */
  readonly ownLoadMs: number;
  /** Median peak memory (VmHWM) of the bare host, after Configure, MiB; undefined off Linux. */
  readonly bareHostMiB: number | undefined;
}

/** Spawn -> port line -> GetPluginInfo -> Configure + first Check answered (which loads the package). */
export async function coldStart(profile: VendorProfile, runs: number): Promise<ColdStart> {
  const [decl] = await fleet(profile, 1);
  if (!decl) throw new Error("no declaration");
  const port: number[] = [];
  const info: number[] = [];
  const check: number[] = [];
  const configured: number[] = [];
  const own: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
    try {
      port.push(performance.now() - t0);
      await host.getPluginInfo();
      info.push(performance.now() - t0);
      // Configure needs nothing from the vendor: check and diff are credential-free.
      await host.configure({}, SECRET_KEYS);
      const t1 = performance.now();
      configured.push(t1 - t0);
      const mem = peakMemoryMiB(host.pid);
      if (mem !== undefined) bare.push(mem);
      const res = await host.check(decl.urn, {}, { ...decl.inputs, __provider: decl.provider });
      if (res.failures.length) throw new Error(`check failed: ${JSON.stringify(res.failures)}`);
      check.push(performance.now() - t0);
      own.push(performance.now() - t1);
    } finally {
      await host.stop();
    }
  }
  return {
    vendor: profile.label,
    runs,
    portMs: medianMs(port),
    pluginInfoMs: medianMs(info),
    configuredMs: medianMs(configured),
    firstCheckMs: medianMs(check),
    ownLoadMs: medianMs(own),
    bareHostMiB: medianOf(bare),
  };
}

function assertNever(message: string): never {
  throw new Error(message);
}

/**
 * The host's own cost of N calls in flight: the same create, read and delete phases with the same inputs
 * through a host whose `__provider` is a no-op written inline (nothing but `@pulumi/pulumi` loaded, no
 * vendor, padded to our shim's size so the gRPC payloads weigh the same). Its peak memory (VmHWM, MiB) is
 * what the host spends on the traffic whoever the provider is; ours over it is what our package adds.
 */
export async function bareHostUnderLoad(states: readonly RoomState[]): Promise<number | undefined> {
  if (states.length === 0) return undefined;
  const shim = states[0]?.inputs.__provider;
  const ours = typeof shim === "string" ? shim : "";
  const noop =
    "exports.handler = function () { return { " +
    "check: async (olds, news) => ({ inputs: news }), diff: async () => ({}), " +
    "create: async (inputs) => ({ id: String(inputs.roomId), outs: inputs }), " +
    "read: async (id, props) => ({ id, props, inputs: props }), update: async (id, olds, news) => ({ outs: news }), delete: async () => undefined }; };";
  const provider = `${noop}\n// ${"x".repeat(Math.max(0, ours.length - noop.length - 4))}`;
  const host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
  try {
    await host.configure({}, SECRET_KEYS);
    const rooms = states.map((s) => ({ urn: s.urn, inputs: { ...s.inputs, __provider: provider } }));
    // Issued as the scale runs issue theirs, so both hosts see the same traffic.
    const created = await issueAll(rooms, async (r) => ({ ...r, ...(await host.create(r.urn, r.inputs)) }));
    await issueAll(created, (r) => host.read(r.id, r.urn, r.properties, r.inputs));
    await issueAll(created, (r) => host.delete(r.id, r.urn, r.properties, r.inputs));
    return peakMemoryMiB(host.pid);
  } finally {
    await host.stop();
  }
}

function medianMs(xs: number[]): number {
  return medianOf(xs) ?? Number.NaN;
}
