#!/usr/bin/env node
/**
 * `pulumi-rooms-emulator` / `npm run emulator`: runs the two-vendor emulator on loopback and prints how to
 * point a stack at it. The credentials it prints are the emulator's own throwaway ones.
 */
import { parseArgs } from "node:util";
import { startEmulator, type EmulatorOptions } from "./index";

const USAGE = `Usage: pulumi-rooms-emulator [options]

  --port <n>            TCP port on 127.0.0.1 (default 0: a free port)
  --state-file <path>   keep rooms in this JSON file across restarts
  --no-rate-limit       turn the documented rate limits off (Tencent 200/s, ZEGO 20/s per app)
  --fault-seed <n>      seed of the fault plan (enables the --fault-* options)
  --fault-502 <p>       probability of an HTTP 502 per request (0..1)
  --fault-reset <p>     probability of a connection reset
  --fault-lost <p>      probability of losing the response after a committed change
  --fault-transient <p> probability of the vendor's "retry" code
  --verbose             log one line per request
  -h, --help            this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "0" },
      "state-file": { type: "string" },
      "no-rate-limit": { type: "boolean", default: false },
      "fault-seed": { type: "string" },
      "fault-502": { type: "string" },
      "fault-reset": { type: "string" },
      "fault-lost": { type: "string" },
      "fault-transient": { type: "string" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, not ${values.port}`);
  const probability = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    const p = Number(v);
    if (!(p >= 0 && p <= 1)) throw new Error(`--${name} must be a probability between 0 and 1, not ${v}`);
    return p;
  };
  const options: EmulatorOptions = {
    port,
    stateFile: values["state-file"],
    tencent: values["no-rate-limit"] ? { ratePerSecond: false } : undefined,
    zego: values["no-rate-limit"] ? { ratePerSecond: false } : undefined,
    faults:
      values["fault-seed"] === undefined
        ? undefined
        : {
            seed: Number(values["fault-seed"]),
            http502: probability("fault-502", values["fault-502"]),
            reset: probability("fault-reset", values["fault-reset"]),
            lostResponse: probability("fault-lost", values["fault-lost"]),
            vendorTransient: probability("fault-transient", values["fault-transient"]),
          },
    log: values.verbose ? (line) => console.log(line) : undefined,
  };
  const emu = await startEmulator(options);
  const config = emu.stackConfig();
  const secret = (k: string) => k === "tencent:secretKey" || k === "zego:serverSecret";
  console.log(`pulumi-rooms emulator listening on ${emu.url}`);
  console.log(`  Tencent Room Engine: ${emu.url}/v4/room_engine_http_srv/<command>`);
  console.log(`  ZEGO ZIM:            ${emu.url}/?Action=<Action>`);
  console.log(`  inspect:             curl ${emu.url}/_emulator/state`);
  console.log("\nPoint a stack at it (these are the emulator's own throwaway credentials):");
  for (const [k, v] of Object.entries(config)) console.log(`  pulumi config set ${secret(k) ? "--secret " : ""}${k} ${v}`);
  console.log("\nor export the environment fallbacks:");
  for (const [k, v] of Object.entries(emu.env())) console.log(`  export ${k}=${v}`);
  console.log("\nPress Ctrl+C to stop.");
  const stop = () => {
    emu.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(`pulumi-rooms-emulator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
});
