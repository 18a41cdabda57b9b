#!/usr/bin/env node
/**
 * `pulumi-rooms-emulator` / `npm run emulator`: runs the two-vendor emulator and its web console on loopback
 * until Ctrl+C, and prints the console URL and how to point a stack at it. The credentials it prints are the emulator's own throwaway ones (printing them is
 * the point: they are local test credentials, generated per start).
 */
import { SECRET_CONFIG_KEYS } from "../provider/config-keys";
import { startEmulator, type Emulator, type EmulatorOptions } from "./index";
import { parseCli, USAGE } from "./options";

export { parseCli, USAGE } from "./options";

/** The text printed once the emulator listens: where it is and how to point a stack at it. */
export function banner(emu: Emulator, options: EmulatorOptions): string {
  const secret = (k: string) => SECRET_CONFIG_KEYS.includes(k);
  const lines = [
    `pulumi-rooms emulator listening on ${emu.url}`,
    `  console:             ${emu.consoleUrl}   (rooms, schedule, requests, controls)`,
    `  Tencent Room Engine: ${emu.url}/v4/room_engine_http_srv/<command>`,
    `  ZEGO ZIM:            ${emu.url}/?Action=<Action>`,
    `  inspect:             curl ${emu.url}/_emulator/state`,
    `  faults:              curl -X POST ${emu.url}/_emulator/faults -d '{"seed":1,"http502":0.2}'   (null turns them off)`,
  ];
  const rate = emu.rateLimits();
  const perSecond = (v: number | false) => (v === false ? "off" : `${v}/s`);
  lines.push(
    `  rate limits:         Tencent ${perSecond(rate.tencent.perSecond)}, ZEGO ${perSecond(rate.zego.perSecond)}, per ${rate.tencent.scope === "api" ? "API" : "app"}, ${rate.tencent.window === "sliding" ? "any sliding second" : "per wall-clock second"} (change: curl -X POST ${emu.url}/_emulator/rate-limits -d '{"scope":"app","window":"fixed"}')`,
  );
  if (options.faults) lines.push(`  fault plan:          ${JSON.stringify(options.faults)}`);
  if (options.stateFile) lines.push(`  state file:          ${options.stateFile}`);
  lines.push("", "Point a stack at it (these are the emulator's own throwaway credentials):");
  for (const [k, v] of Object.entries(emu.stackConfig()))
    lines.push(`  pulumi config set ${secret(k) ? "--secret " : ""}${k} ${v}`);
  lines.push("", "or export the environment fallbacks:");
  for (const [k, v] of Object.entries(emu.env())) lines.push(`  export ${k}=${v}`);
  lines.push("", "Press Ctrl+C to stop.");
  return lines.join("\n");
}

async function main(): Promise<void> {
  const request = parseCli(process.argv.slice(2));
  if (request.help) {
    console.log(USAGE);
    return;
  }
  const options: EmulatorOptions = {
    ...request.options,
    log: request.verbose ? (line) => console.log(line) : undefined,
  };
  const emu = await startEmulator(options);
  console.log(banner(emu, options));
  // stop() flushes the state file, so the rooms are there on the next start.
  const stop = () => {
    emu.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`pulumi-rooms-emulator: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

// Run only as a program; the tests import parseCli and banner.
if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`pulumi-rooms-emulator: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  });
}
