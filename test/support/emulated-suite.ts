/**
 * The emulator a provider test suite runs on: started once for the suite, reset before each test (rooms,
 * faults and, when given, rate limits), stopped with the shared HTTP pool after it.
 */
import assert from "node:assert/strict";
import { startEmulator, type Emulator } from "../../emulator";
import { closeAgent } from "../../provider/core/http";
import type * as pulumi from "@pulumi/pulumi";

/** Options of {@link emulatedSuite}. */
export interface SuiteOptions {
  /** A new provider before each test (default: one for the whole suite). */
  readonly providerPerTest?: boolean;
  /** Rate limits restored before each test. */
  readonly rates?: Parameters<Emulator["setRateLimits"]>[0];
}

/** The running test's emulator and provider: read them inside a test or hook, not when the suite is declared. */
export interface SuiteContext<P> {
  readonly emu: Emulator;
  readonly p: P;
}

/** Registers the suite's hooks; returns the context that gives the emulator and the provider `make` built for it. */
export function emulatedSuite<P>(make: (emu: Emulator) => Promise<P>, options: SuiteOptions = {}): SuiteContext<P> {
  let emu: Emulator | undefined;
  let p: P | undefined;
  before(async function () {
    emu = await startEmulator();
    if (!options.providerPerTest) p = await make(emu);
  });
  beforeEach(async function () {
    if (!emu) return;
    emu.reset();
    emu.setFaults(undefined);
    if (options.rates) emu.setRateLimits(options.rates);
    if (options.providerPerTest) p = await make(emu);
  });
  after(async function () {
    await emu?.stop();
    await closeAgent();
  });
  return {
    get emu() {
      return emu ?? assert.fail("the suite's emulator is not started");
    },
    get p() {
      return p ?? assert.fail("the suite's provider is not made");
    },
  };
}

/** Configures `p` as the host does, with the emulator's stack config overlaid by `config`; returns `p`. */
export async function configuredFor<P extends { configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> }>(
  p: P,
  emu: Emulator,
  config: Record<string, string | undefined> = {},
): Promise<P> {
  const all: Record<string, string | undefined> = { ...emu.stackConfig(), ...config };
  const get = (key: string) => all[key];
  const require = (key: string) => get(key) ?? assert.fail(`missing config ${key}`);
  await p.configure({ config: { get, require } });
  return p;
}
