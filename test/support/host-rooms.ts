/**
 * The host-lifecycle suites' bench: the project, the vendor cases, the program that declares rooms, a stack
 * (emulator, real dynamic-provider host over gRPC, engine) and the secret and request checks they share.
 */
import { strict as assert } from "node:assert";
import * as path from "node:path";
import { TencentRoom, ZegoRoom } from "pulumi-rooms";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { autoRoomId } from "../../provider/core/naming";
import { declared, Engine, type Declared } from "./engine";
import { ProviderHost, type Props } from "./host";
import { runProgram, type Registration } from "./program";
import { tencentCase, zegoCase, type VendorCase } from "./vendors";

export const REPO = path.resolve(__dirname, "../..");
export const PROJECT = "rooms-host-test";
/** The stack runProgram runs under (its default). */
export const STACK = "test";
export const SECRET_KEYS = ["tencent:secretKey", "zego:serverSecret"];

export const CASES: VendorCase[] = [
  tencentCase((name, args) => new TencentRoom(name, args)),
  zegoCase((name, args) => new ZegoRoom(name, args)),
];

/** Runs a program declaring `rooms` (resource name -> inputs) and returns its registrations. */
export async function program(c: VendorCase, rooms: Record<string, Props>): Promise<Registration[]> {
  const run = await runProgram(
    () => {
      for (const [name, args] of Object.entries(rooms)) c.declare(name, args);
    },
    { project: PROJECT },
  );
  return run.registrations;
}

export async function decls(
  c: VendorCase,
  rooms: Record<string, Props>,
  options?: Declared["options"],
): Promise<Declared[]> {
  return declared(await program(c, rooms), options);
}

/** The room ID a resource gets without a declared roomId: the name plus the stack-scoped hash. */
export function autoId(c: Pick<VendorCase, "vendor">, name: string, stack = STACK, project = PROJECT): string {
  return autoRoomId(name, project, stack, { maxBytes: c.vendor === "tencent" ? 48 : 32 });
}

/** Every text a user could see must be free of credentials and signatures. */
export function assertNoSecrets(emu: Emulator, texts: readonly string[]): void {
  const secrets = [emu.credentials.tencent.secretKey, emu.credentials.zego.serverSecret];
  for (const text of texts) {
    for (const secret of secrets) assert.ok(!text.includes(secret), `a credential leaked into: ${text.slice(0, 300)}`);
    assert.doesNotMatch(text, /usersig=(?!\[redacted\])[^&\s"]{8,}/i, `a UserSig leaked into: ${text.slice(0, 300)}`);
    assert.doesNotMatch(
      text,
      /Signature=(?!\[redacted\])[0-9a-f]{16,}/i,
      `a signature leaked into: ${text.slice(0, 300)}`,
    );
  }
}

/** An emulator and a host configured with its credentials (secret-wrapped, as the engine sends them). */
export async function startStack(
  options?: EmulatorOptions,
): Promise<{ emu: Emulator; host: ProviderHost; engine: Engine }> {
  const emu = await startEmulator(options);
  try {
    const host = await ProviderHost.start({ cwd: REPO, project: PROJECT });
    await host.configure(emu.stackConfig(), SECRET_KEYS).catch(async (err: unknown) => {
      await host.stop();
      throw err;
    });
    return { emu, host, engine: new Engine(host) };
  } catch (err) {
    await emu.stop();
    throw err;
  }
}

export function methods(engine: Engine, from: number, name: string): string[] {
  return engine.calls
    .slice(from)
    .filter((x) => x.urn.endsWith(`::${name}`))
    .map((x) => x.method);
}

export function deleteBehind(c: VendorCase, emu: Emulator, id: string): boolean {
  return c.vendor === "tencent" ? emu.tencent.destroyRoom(id) : emu.zego.destroyRoom(id);
}

export function totalRequests(emu: Emulator): number {
  return countRequests(emu.counters());
}

/** Sums every count in the emulator's counters (whatever their nesting). */
export function countRequests(counters: unknown): number {
  if (typeof counters === "number") return counters;
  if (counters === null || typeof counters !== "object") return 0;
  return Object.values(counters).reduce((sum: number, v) => sum + countRequests(v), 0);
}
