/**
 * One scale run: `n` rooms of one vendor through the real dynamic-provider host against the emulator with
 * the documented rate limit on. The phases are the engine's calls for `pulumi up` of a new stack with
 * unbounded parallelism (every Check, then every Create in flight at once), a no-change preview (Check +
 * Diff), a refresh (Read) and a destroy (Delete), each sent for all rooms at once. Each phase is timed
 * and counted from the emulator's side: what was actually sent, what was refused for frequency, and what
 * reached the caller.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Counters } from "../emulator";
import { HostCallError, ProviderHost } from "../engine/provider-host";
import type { Props } from "../engine/wire";
import { startEmulatorProcess } from "./emulator-process";
import { fleet, PROJECT, SECRET_KEYS, type VendorProfile } from "./fleet";

export const REPO = path.resolve(__dirname, "..");
/** Calls issued per event-loop turn when a phase starts (see {@link issueAll}). */
const ISSUE_BATCH = 50;

/**
 * Puts a call in flight for every item and waits for all of them, yielding to the event loop every
 * {@link ISSUE_BATCH} calls: the gRPC client serializes each call as it is issued, and issued all in one
 * turn, no call left before the last was built (0.3-0.9 s for 1000). The engine streams its steps instead.
 */
export async function issueAll<T, R>(items: readonly T[], call: (item: T) => Promise<R>): Promise<R[]> {
  const pending: Promise<R>[] = [];
  for (const [i, item] of items.entries()) {
    pending.push(call(item));
    if (i % ISSUE_BATCH === ISSUE_BATCH - 1) await new Promise((resolve) => setImmediate(resolve));
  }
  return Promise.all(pending);
}

export type PhaseName = "check" | "create" | "diff" | "read" | "delete";

export interface PhaseResult {
  readonly phase: PhaseName;
  readonly wallMs: number;
  /** From the first vendor request the emulator saw to the last one (0 when none). */
  readonly vendorWindowMs: number;
  /** From the phase's start to the first vendor request, and from the last one to the phase's end. */
  readonly headMs: number;
  readonly tailMs: number;
  /** Every request the emulator answered (any result). */
  readonly requests: number;
  /** Requests answered "ok". */
  readonly ok: number;
  /** Frequency-limit answers the emulator gave (absorbed by retries unless they also show in `surfaced`). */
  readonly frequencyLimited: number;
  /** Other non-ok vendor answers (e.g. ZEGO's "operator not registered" before the one-time registration). */
  readonly otherVendorAnswers: number;
  /** Requests sent per second of wall time, and the same over the documented limit. */
  readonly requestsPerSecond: number;
  readonly ratio: number;
  /** Successful requests per second of wall time over the documented limit. */
  readonly okRatio: number;
  /** Resources whose call succeeded, per second of wall time. */
  readonly roomsPerSecond: number;
  /** roomsPerSecond over the documented per-API limit: what a user waits for, against the vendor's page. */
  readonly roomsRatio: number;
  /** Vendor requests per resource of the phase. */
  readonly requestsPerRoom: number;
  /** Resources whose call failed. */
  readonly failed: number;
  /** Errors the caller saw, by vendor code (or transport/protocol code). */
  readonly surfaced: Record<string, number>;
  /** How many of those were frequency-limit codes. */
  readonly surfacedFrequency: number;
  /** Per-action request counts (emulator counters). */
  readonly counters: Counters;
}

/** A room as the engine records it after create: id, checked inputs, outputs (all with `__provider`). */
export interface RoomState {
  readonly urn: string;
  id: string;
  readonly inputs: Props;
  outputs: Props;
}

/** How the emulator counts the documented limit: per API (the vendors' pages) or shared by the whole app. */
export type EmulatorScope = "api" | "app";

export interface ScaleResult {
  readonly vendor: string;
  readonly n: number;
  readonly paced: boolean;
  /** The emulator's reading of the limit (always over a sliding one-second window). */
  readonly emulatorScope: EmulatorScope;
  readonly documentedPerSecond: number;
  readonly phases: PhaseResult[];
  /** After create: rooms the vendor holds that the state does not (lost to failed creates). */
  readonly orphansAfterCreate: number;
  /** After destroy: rooms still at the vendor. */
  readonly leftAfterDestroy: number;
  /** Peak resident memory of the host process (VmHWM), MiB; undefined off Linux. */
  readonly hostPeakMiB: number | undefined;
  /** The state after create (for the in-process cost measurement). */
  readonly stateAfterCreate: RoomState[];
}

interface Outcome {
  readonly error?: Error;
}

/** Runs the phases for `n` rooms; `paced: false` sets the vendor's requestsPerSecond to "0". */
export async function runScale(
  profile: VendorProfile,
  n: number,
  paced: boolean,
  log: (line: string) => void,
  emulatorScope: EmulatorScope = "api",
): Promise<ScaleResult> {
  // The documented rate limits are the emulator's defaults (per API, any sliding second); `app` shares
  // one limit among all of the app's APIs, the stricter reading the adaptive pacer must survive. Only the
  // ZEGO room quota (Pro plan: 50) is raised so that the run measures pacing, not the plan.
  const emu = await startEmulatorProcess({
    zego: { roomQuota: n + 100 },
    rateMode: { scope: emulatorScope, window: "sliding" },
  });
  const host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
  try {
    await host.configure({ ...emu.stackConfig(), ...(paced ? {} : { [profile.rateKey]: "0" }) }, SECRET_KEYS);
    const program = await fleet(profile, n);
    const phases: PhaseResult[] = [];
    const run = async <T>(
      phase: PhaseName,
      items: readonly T[],
      call: (item: T) => Promise<unknown>,
    ): Promise<Outcome[]> => {
      await emu.resetCounters();
      const started = performance.timeOrigin + performance.now();
      const outcomes = await issueAll(items, (item) =>
        call(item).then(
          (): Outcome => ({}),
          (err: unknown): Outcome => ({ error: err instanceof Error ? err : new Error(String(err)) }),
        ),
      );
      const ended = performance.timeOrigin + performance.now();
      const { counters, firstAt, lastAt } = await emu.counters();
      const timing = {
        wallMs: ended - started,
        vendorWindowMs: lastAt - firstAt,
        headMs: firstAt ? firstAt - started : 0,
        tailMs: lastAt ? ended - lastAt : 0,
      };
      const result = summarise(phase, profile, timing, outcomes, counters);
      phases.push(result);
      log(
        `  ${profile.label} n=${n} ${paced ? "paced" : "unpaced"} per-${emulatorScope} ${phase}: ${(timing.wallMs / 1000).toFixed(2)} s, ${result.requests} requests,` +
          ` ${result.roomsPerSecond.toFixed(1)} rooms/s (${result.roomsRatio.toFixed(3)} of ${profile.documentedPerSecond}/s), ${result.frequencyLimited} frequency-limited, ${result.failed} failed`,
      );
      return outcomes;
    };

    const checked = new Map<string, Props>();
    await run("check", program, async (d) => {
      const res = await host.check(d.urn, {}, { ...d.inputs, __provider: d.provider });
      if (res.failures.length) throw new Error(`check failed: ${JSON.stringify(res.failures)}`);
      checked.set(d.urn, res.inputs);
    });
    const state = new Map<string, RoomState>();
    await run("create", [...checked], async ([urn, inputs]) => {
      const res = await host.create(urn, inputs);
      state.set(urn, { urn, id: res.id, inputs, outputs: res.properties });
    });
    const stateAfterCreate = [...state.values()].map((e) => structuredClone(e));
    const inState = new Set(stateAfterCreate.map((e) => e.id));
    const orphansAfterCreate = (await emu.roomIds(profile.vendor)).filter((id) => !inState.has(id)).length;
    await run("diff", program, async (d) => {
      const old = state.get(d.urn);
      const res = await host.check(d.urn, old?.inputs ?? {}, { ...d.inputs, __provider: d.provider });
      if (!old) return;
      const diff = await host.diff(old.id, d.urn, old.outputs, res.inputs, old.inputs);
      if (diff.changes !== "DIFF_NONE") throw new Error(`unexpected ${diff.changes} for ${d.urn}`);
    });
    await run("read", [...state.values()], async (e) => {
      const res = await host.read(e.id, e.urn, e.outputs, e.inputs);
      if (!res.id) throw new Error(`${e.id} is gone`);
      e.outputs = res.properties;
    });
    await run("delete", [...state.values()], (e) => host.delete(e.id, e.urn, e.outputs, e.inputs));
    const leftAfterDestroy = (await emu.roomIds(profile.vendor)).length;
    const hostPeakMiB = peakMemoryMiB(host.pid);
    return {
      vendor: profile.label,
      n,
      paced,
      emulatorScope,
      documentedPerSecond: profile.documentedPerSecond,
      phases,
      orphansAfterCreate,
      leftAfterDestroy,
      hostPeakMiB,
      stateAfterCreate,
    };
  } finally {
    await host.stop();
    await emu.stop();
  }
}

interface Timing {
  readonly wallMs: number;
  readonly vendorWindowMs: number;
  readonly headMs: number;
  readonly tailMs: number;
}

function summarise(
  phase: PhaseName,
  profile: VendorProfile,
  timing: Timing,
  outcomes: Outcome[],
  counters: Counters,
): PhaseResult {
  const { wallMs } = timing;
  let requests = 0;
  let ok = 0;
  let frequencyLimited = 0;
  for (const byResult of Object.values(counters)) {
    for (const [result, count] of Object.entries(byResult)) {
      requests += count;
      if (result === "ok") ok += count;
      else if (profile.frequencyCodes.has(Number(result))) frequencyLimited += count;
    }
  }
  const surfaced: Record<string, number> = {};
  let surfacedFrequency = 0;
  let failed = 0;
  for (const { error } of outcomes) {
    if (!error) continue;
    failed += 1;
    const code = codeOf(error);
    surfaced[code] = (surfaced[code] ?? 0) + 1;
    if (profile.frequencyCodes.has(Number(code))) surfacedFrequency += 1;
  }
  const seconds = wallMs / 1000;
  const limit = profile.documentedPerSecond;
  const roomsPerSecond = (outcomes.length - failed) / seconds;
  return {
    phase,
    ...timing,
    requests,
    ok,
    frequencyLimited,
    otherVendorAnswers: requests - ok - frequencyLimited,
    requestsPerSecond: requests / seconds,
    ratio: requests / seconds / limit,
    okRatio: ok / seconds / limit,
    roomsPerSecond,
    roomsRatio: roomsPerSecond / limit,
    requestsPerRoom: outcomes.length ? requests / outcomes.length : 0,
    failed,
    surfaced,
    surfacedFrequency,
    counters,
  };
}

/** The vendor (or transport) code in a RoomApiError message carried by a gRPC error: `... failed: [60011] ...`. */
function codeOf(error: Error): string {
  const text = error instanceof HostCallError ? error.details : error.message;
  return /failed: \[([^\]]+)\]/.exec(text)?.[1] ?? "other";
}

/** VmHWM (peak resident set) of a process, from /proc (Linux only). */
export function peakMemoryMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}
