/**
 * The emulator suites' bench: a fresh emulator before each test on a frozen clock (at the current second,
 * so signatures made with the real clock are current), more emulators a test starts stopped after it, and
 * the emulator stopped after the suite. Each suite opener (emulator-framework.ts, tencent-conformance.ts)
 * makes one with its defaults and registers its hooks inside the file's describe.
 */
import assert from "node:assert/strict";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";

export class EmulatorBench<Options = EmulatorOptions> {
  /** The frozen clock (ms) every emulator of the bench reads. */
  clockMs = 0;
  /** Emulators a test started besides the current one: stopped after the test. */
  readonly extra: Emulator[] = [];
  private current: Emulator | undefined;

  /** `toOptions` turns the suite's options into the emulator's, with the suite's defaults. */
  constructor(private readonly toOptions: (options: Options | undefined) => EmulatorOptions) {}

  /** An emulator on the bench's clock (not the current one: stop it, or push it to `extra`). */
  start(options?: Options): Promise<Emulator> {
    return startEmulator({ now: () => this.clockMs, ...this.toOptions(options) });
  }

  /** Replaces the current emulator with a new one. */
  async fresh(options?: Options): Promise<Emulator> {
    await this.current?.stop();
    this.current = await this.start(options);
    return this.current;
  }

  /** The current emulator. */
  running(): Emulator {
    assert.ok(this.current, "no emulator running");
    return this.current;
  }

  /** Stops the current emulator (if any) and forgets it. */
  async stop(): Promise<void> {
    await this.current?.stop();
    this.current = undefined;
  }

  /** Forgets the current emulator, which the test stopped itself. */
  forget(): void {
    this.current = undefined;
  }

  /** Registers the hooks (call inside the file's describe); returns the bench. */
  register(): this {
    beforeEach(async () => {
      this.clockMs = Math.floor(Date.now() / 1000) * 1000;
      await this.fresh();
    });
    afterEach(async () => {
      for (const e of this.extra.splice(0)) await e.stop();
    });
    after(() => this.stop());
    return this;
  }
}
