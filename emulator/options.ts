/**
 * The emulator's command-line options and their parser: used by the \`pulumi-rooms-emulator\` bin
 * (emulator/cli.ts) and by pulumi-rooms-local for its embedded emulator's \`emulator:*\` settings.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { nearest } from "../provider/core/nearest";
import { validateRateMode } from "./rate";
import type { EmulatorOptions } from "./index";

/** The --help text. */
export const USAGE = `Usage: pulumi-rooms-emulator [options]

  --port <n>            TCP port on 127.0.0.1 (default 0: a free port)
  --state-file <path>   keep rooms in this JSON file across restarts (one emulator per file: it holds <path>.lock)
  --no-rate-limit       turn the documented rate limits off (Tencent 200/s, ZEGO 20/s)
  --rate-scope <s>      api (default): each limit counts one API of an app; app: all of an app's requests
  --rate-window <w>     sliding (default): any 1000 ms window; fixed: each wall-clock second
  --tencent-rate <n>    Tencent requests per second (default 200, the documented limit)
  --zego-rate <n>       ZEGO requests per second (default 20, the documented QPS)

  Limits of the emulated vendor plans (raise them to rehearse a bigger plan):
  --tencent-max-members <n>     largest MaxMemberCount the package allows (default 300)
  --tencent-default-members <n> MaxMemberCount of a room created without one (default 20, the trial package)
  --tencent-max-seats <n>       largest MaxSeatCount, and its default (default 20)
  --tencent-unpaid              the app has no package: create_room answers 100007
  --zego-room-quota <n>         rooms the ZEGO app may hold at once (default 50: Signaling and Pro plans)
  --zego-max-attributes <n>     attributes per ZEGO room (default 20)

  --fault-seed <n>      seed of the fault plan (needed by the --fault-* options)
  --fault-502 <p>       probability of an HTTP 502 per request (0..1)
  --fault-reset <p>     probability of a connection reset
  --fault-lost <p>      probability of losing the response after a committed change
  --fault-transient <p> probability of the vendor's "retry" code
  --fault-latency <p>   probability of a delay of --latency-ms (default 200) before the answer
  --latency-ms <n>      the delay of --fault-latency
  --verbose             log one line per request
  -h, --help            this text`;

/** What the command line asks for: the usage text, or an emulator. */
export type CliRequest =
  { readonly help: true } | { readonly help: false; readonly options: EmulatorOptions; readonly verbose: boolean };

const FAULT_FLAGS = [
  "fault-502",
  "fault-reset",
  "fault-lost",
  "fault-transient",
  "fault-latency",
  "latency-ms",
] as const;

/** The command-line options (also the engine's `emulator:*` stack config keys, camel-cased). */
export const OPTIONS = {
  port: { type: "string", default: "0" },
  "state-file": { type: "string" },
  "no-rate-limit": { type: "boolean", default: false },
  "rate-scope": { type: "string" },
  "rate-window": { type: "string" },
  "tencent-rate": { type: "string" },
  "zego-rate": { type: "string" },
  "tencent-max-members": { type: "string" },
  "tencent-default-members": { type: "string" },
  "tencent-max-seats": { type: "string" },
  "tencent-unpaid": { type: "boolean", default: false },
  "zego-room-quota": { type: "string" },
  "zego-max-attributes": { type: "string" },
  "fault-seed": { type: "string" },
  "fault-502": { type: "string" },
  "fault-reset": { type: "string" },
  "fault-lost": { type: "string" },
  "fault-transient": { type: "string" },
  "fault-latency": { type: "string" },
  "latency-ms": { type: "string" },
  verbose: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const satisfies ParseArgsConfig["options"];

/** Why npm users see this error most: `npm run emulator --port 1` hands `--port` to npm, not to us. */
const NPM_NOTE = "through npm, put -- before the options: npm run emulator -- --port 8080";

/**
 * Turns node:util's strict-mode errors into ones that list the valid options, suggest the nearest, and
 * say how npm passes flags on (an unknown flag must never be ignored: it would start a different emulator).
 */
function strictError(err: unknown): Error {
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const valid = `valid options: ${Object.keys(OPTIONS)
    .map((o) => `--${o}`)
    .join(", ")}`;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const flag = /'(-{1,2}[^']*)'/.exec(message)?.[1] ?? "?";
    const name = flag.replace(/^-+/, "").split("=")[0] ?? "";
    const near = nearest(name, Object.keys(OPTIONS));
    return new Error(`unknown option ${flag}${near ? ` (did you mean --${near}?)` : ""}; ${valid}; ${NPM_NOTE}`);
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
    const arg = /'([^']*)'/.exec(message)?.[1] ?? "?";
    return new Error(`unexpected argument ${JSON.stringify(arg)}: every option is a --flag (${valid}); ${NPM_NOTE}`);
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return new Error(`${message}; ${valid}`);
  return err instanceof Error ? err : new Error(message);
}

/** Parses the arguments (without `node` and the script); throws an Error with a user-facing message. */
export function parseCli(argv: readonly string[]): CliRequest {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true });
  } catch (err) {
    throw strictError(err);
  }
  const { values } = parsed;
  if (values.help) return { help: true };
  // Digits only: Number() would also take "", "0x50" or "1e3", and a typo must not open another port.
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new Error(`--port must be 0..65535, not ${JSON.stringify(values.port)}`);
  if (values["fault-seed"] === undefined && FAULT_FLAGS.some((f) => values[f] !== undefined)) {
    throw new Error("the --fault-* options need --fault-seed <n> (faults are seeded so a run can be replayed)");
  }
  const off = values["no-rate-limit"];
  if (off && (values["tencent-rate"] !== undefined || values["zego-rate"] !== undefined)) {
    throw new Error("--no-rate-limit turns both rate limits off: give it or --tencent-rate/--zego-rate, not both");
  }
  const limit = (name: "tencent-rate" | "zego-rate") => (off ? (false as const) : count(name, values[name]));
  const tencent = defined({
    ratePerSecond: limit("tencent-rate"),
    packageMaxMemberCount: count("tencent-max-members", values["tencent-max-members"]),
    defaultMaxMemberCount: count("tencent-default-members", values["tencent-default-members"]),
    packageMaxSeatCount: count("tencent-max-seats", values["tencent-max-seats"]),
    paid: values["tencent-unpaid"] ? false : undefined,
  });
  const zego = defined({
    ratePerSecond: limit("zego-rate"),
    roomQuota: count("zego-room-quota", values["zego-room-quota"]),
    maxAttributes: count("zego-max-attributes", values["zego-max-attributes"]),
  });
  let rateMode: EmulatorOptions["rateMode"];
  try {
    rateMode = validateRateMode({ scope: values["rate-scope"], window: values["rate-window"] });
  } catch (err) {
    throw new Error(
      `--rate-${/^window/.test(err instanceof Error ? err.message : "") ? "window" : "scope"}: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  const options: EmulatorOptions = {
    port,
    stateFile: values["state-file"],
    ...(Object.keys(rateMode).length ? { rateMode } : {}),
    tencent,
    zego,
    faults:
      values["fault-seed"] === undefined
        ? undefined
        : {
            seed: integer("fault-seed", values["fault-seed"]),
            http502: probability("fault-502", values["fault-502"]),
            reset: probability("fault-reset", values["fault-reset"]),
            lostResponse: probability("fault-lost", values["fault-lost"]),
            vendorTransient: probability("fault-transient", values["fault-transient"]),
            latency: probability("fault-latency", values["fault-latency"]),
            latencyMs: values["latency-ms"] === undefined ? undefined : integer("latency-ms", values["latency-ms"]),
          },
  };
  return { help: false, options, verbose: values.verbose };
}

function probability(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const p = /^\d*\.?\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!(p >= 0 && p <= 1)) throw new Error(`--${name} must be a probability between 0 and 1, not ${JSON.stringify(v)}`);
  return p;
}

/** A whole number >= 1 (a limit or a rate), or undefined when the flag is absent. */
function count(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v) || Number(v) < 1)
    throw new Error(`--${name} must be a whole number >= 1, not ${JSON.stringify(v)}`);
  return Number(v);
}

/** The fields that were given, or undefined when none was (the vendor's defaults apply then). */
function defined<T extends object>(fields: T): Partial<T> | undefined {
  const given = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<T>;
  return Object.keys(given).length > 0 ? given : undefined;
}

function integer(name: string, v: string): number {
  if (!/^\d{1,15}$/.test(v)) throw new Error(`--${name} must be a non-negative integer, not ${JSON.stringify(v)}`);
  return Number(v);
}
