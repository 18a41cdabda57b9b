/**
 * TencentRoom check and diff send nothing to the vendor, even from a provider configured for the emulator
 * (which counts every request it receives).
 */
import assert from "node:assert/strict";
import { startEmulator, type Emulator } from "../../../emulator";
import { TencentRoomProvider } from "../../../provider/tencent/provider";
import { TENCENT_SAMPLE as SAMPLE } from "../../support/samples";
import { outputsOf, type Props } from "../../support/tencent-check";

describe("TencentRoom check and diff are pure", function () {
  let emu: Emulator;

  before(async function () {
    emu = await startEmulator();
  });

  after(async function () {
    await emu?.stop();
  });

  it("send no request, even from a configured provider", async function () {
    const p = new TencentRoomProvider({ env: {} });
    const config = emu.stackConfig();
    await p.configure({
      config: { get: (k: string) => config[k], require: (k: string) => config[k] ?? assert.fail(k) },
    });
    emu.resetCounters();
    const { inputs } = await p.check({}, SAMPLE);
    await p.diff("room-test", await outputsOf(SAMPLE), { ...(inputs as Props), roomName: "other" });
    await p.check({}, { roomId: "" });
    assert.deepEqual(emu.counters(), {});
  });
});
