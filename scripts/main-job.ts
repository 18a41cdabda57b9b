/**
 * The main job (`npm start`): the example stack (root Pulumi.yaml -> examples/meeting-rooms) deployed
 * against the embedded emulator, with everything kept inside the project folder. With a Pulumi CLI on the
 * machine it runs the CLI:
 *
 *   .emulator-state.json   the emulator's rooms, so a later run (or destroy) sees what this one made
 *   .pulumi-state/         a local file backend (PULUMI_BACKEND_URL=file://...) and the stack's config file
 *
 * Without one it runs pulumi-rooms-local, this package's local engine (engine/), on the same program:
 *
 *   .pulumi-rooms/demo/    the checkpoint (`pulumi stack export` format) and the emulator's rooms
 *
 * `npm start` deploys, `npm start -- --destroy` destroys, `--serve` keeps the emulator running afterwards.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../emulator";
import { describeFlags, parseArgs, UsageError, type FlagSpec } from "../engine/args";
import { runOperation } from "../engine/operation";
import { SECRET_CONFIG_KEYS } from "../provider/config-keys";
import { findPulumiCli, type PulumiCli } from "./pulumi-cli";

/** The project root (this file runs as dist/scripts/main-job.js): the Pulumi project the CLI runs. */
const ROOT = path.resolve(__dirname, "..", "..");
/** Where the state lives: the project root, or PULUMI_ROOMS_WORKDIR (the tests use a temporary folder). */
const WORKDIR = path.resolve(process.env.PULUMI_ROOMS_WORKDIR || ROOT);
const STACK = "demo";
const PASSPHRASE = "pulumi-rooms-demo";
const STATE_DIR = path.join(WORKDIR, ".pulumi-state");
const CONFIG_FILE = path.join(STATE_DIR, `Pulumi.${STACK}.yaml`);
const EMULATOR_STATE = path.join(WORKDIR, ".emulator-state.json");
/** The local engine's stack folder (checkpoint and emulator state). */
const LOCAL_STATE = path.join(WORKDIR, ".pulumi-rooms", STACK);
/** Config keys that hold credentials: set with --secret (encrypted with the passphrase). */
const SECRET_KEYS = new Set(SECRET_CONFIG_KEYS);

const FLAGS: FlagSpec[] = [
  { name: "destroy", help: "destroy the example stack's rooms instead of deploying them" },
  { name: "serve", help: "keep the emulator running afterwards (until Ctrl-C) and print its URL" },
  { name: "help", help: "this text" },
];

type Mode = "up" | "destroy";

async function main(argv: readonly string[]): Promise<number> {
  let flags: Map<string, string | true>;
  try {
    const parsed = parseArgs(
      argv,
      FLAGS,
      "npm passes flags to the script only after `--`, e.g. `npm start -- --destroy`.",
    );
    if (parsed.positionals.length)
      throw new UsageError(`unexpected argument "${parsed.positionals[0]}"; valid flags: --destroy, --serve, --help`);
    flags = parsed.flags;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm start: ${error.message}`);
    return 2;
  }
  if (flags.has("help")) {
    console.log(
      `usage: npm start [-- --destroy] [-- --serve]\n  Deploys (or destroys) the example stack against the embedded emulator.\n${describeFlags(FLAGS)}`,
    );
    return 0;
  }
  const mode: Mode = flags.has("destroy") ? "destroy" : "up";
  const serve = flags.has("serve");

  // The npm launcher (which downloads a CLI) is tried only when asked: the local engine needs no download.
  const found = findPulumiCli({ allowNpx: process.env.PULUMI_ROOMS_NPX === "1" });
  if (!found.cli) {
    console.log(
      "pulumi-rooms main job: no Pulumi CLI found, using pulumi-rooms-local (this package's local engine, emulator only; real deployments need the Pulumi CLI).",
    );
    return withLocalEngine(mode, serve);
  }
  console.log(
    `pulumi-rooms main job: using the Pulumi CLI v${found.cli.version} (${found.cli.via}) against the embedded emulator.`,
  );
  return withCli(found.cli, mode, serve);
}

/** The same stack through pulumi-rooms-local: the program in Pulumi's runtime, our engine, the emulator. */
async function withLocalEngine(mode: Mode, serve: boolean): Promise<number> {
  const result = await runOperation({
    operation: mode,
    cwd: ROOT,
    stack: STACK,
    stateDir: LOCAL_STATE,
    keepEmulator: true,
    write: (line) => console.log(line),
  });
  const emulator = result.emulator as Emulator;
  try {
    printRooms(emulator, serve);
    if (result.ok)
      console.log(
        mode === "destroy"
          ? "\nThe stack's rooms are destroyed. `npm start` deploys them again."
          : "\nTo remove the rooms again: npm start -- --destroy",
      );
    if (serve) await serveUntilInterrupted(emulator);
    return result.ok ? 0 : 1;
  } finally {
    await emulator.stop();
  }
}

async function withCli(cli: PulumiCli, mode: Mode, serve: boolean): Promise<number> {
  fs.mkdirSync(STATE_DIR, { recursive: true });
  const emulator = await startEmulator({ port: 0, stateFile: EMULATOR_STATE });
  console.log(`Emulator listening on ${emulator.url} (state: ${EMULATOR_STATE})`);
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: cli.path,
      PULUMI_BACKEND_URL: `file://${STATE_DIR}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
    };
    const pulumi = (args: string[], capture = false): string => run(cli, args, env, capture);

    pulumi(["stack", "select", "--create", STACK, "--non-interactive"]);
    const config = emulator.stackConfig();
    const setAll: string[] = ["config", "set-all", "--stack", STACK, "--config-file", CONFIG_FILE];
    for (const [key, value] of Object.entries(config))
      setAll.push(SECRET_KEYS.has(key) ? "--secret" : "--plaintext", `${key}=${value}`);
    pulumi(setAll);

    if (mode === "destroy") {
      pulumi(["destroy", "--yes", "--stack", STACK, "--config-file", CONFIG_FILE, "--non-interactive"]);
    } else {
      pulumi(["up", "--yes", "--stack", STACK, "--config-file", CONFIG_FILE, "--non-interactive"]);
      const outputs = pulumi(["stack", "output", "--json", "--stack", STACK], true);
      console.log("\nStack outputs:");
      console.log(outputs.trim());
    }

    printRooms(emulator, serve);
    console.log(hint(mode));
    if (serve) await serveUntilInterrupted(emulator);
    return 0;
  } catch (error) {
    console.error(`\nmain job failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await emulator.stop();
  }
}

function printRooms(emulator: Emulator, serve: boolean): void {
  console.log("\nRooms the emulator now holds:");
  const tencent = emulator.tencent.rooms();
  const zego = emulator.zego.rooms();
  console.log(`  Tencent (${tencent.length}): ${tencent.map((r) => r.RoomId).join(", ") || "none"}`);
  console.log(`  ZEGO    (${zego.length}): ${zego.map((r) => r.roomId).join(", ") || "none"}`);
  // With --serve the URL is printed once more when serving starts; without it the emulator stops on exit.
  if (!serve)
    console.log(
      `Web console: ${emulator.consoleUrl} (up while npm start runs; \`npm start -- --serve\` keeps it running)`,
    );
}

/** `--serve`: the emulator stays up (its URL and web console printed) until Ctrl-C or SIGTERM. */
function serveUntilInterrupted(emulator: Emulator): Promise<void> {
  console.log(`\nemulator: ${emulator.url}`);
  console.log(`console: ${emulator.url}/`);
  console.log("Serving until Ctrl-C.");
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** Runs the CLI in the project root, streaming its output (or capturing stdout). Throws on failure. */
function run(cli: PulumiCli, args: string[], env: NodeJS.ProcessEnv, capture: boolean): string {
  const shown = args.map((a) =>
    a.includes("=") && SECRET_KEYS.has(a.split("=")[0] ?? "") ? `${a.split("=")[0]}=[secret]` : a,
  );
  console.log(`\n$ pulumi ${shown.join(" ")}`);
  const result = spawnSync(cli.bin, args, {
    cwd: ROOT,
    env,
    stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit",
    encoding: "utf8",
  });
  if (result.error) throw new Error(`could not run pulumi: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`\`pulumi ${shown.slice(0, 2).join(" ")}\` exited with code ${result.status}`);
  return capture ? result.stdout : "";
}

function hint(mode: Mode): string {
  if (mode === "destroy") return "\nThe stack's rooms are destroyed. `npm start` deploys them again.";
  const rel = path.relative(process.cwd(), ROOT);
  const cd = rel ? `cd ${rel} && ` : "";
  const env = `PULUMI_BACKEND_URL=file://${STATE_DIR} PULUMI_CONFIG_PASSPHRASE=${PASSPHRASE}`;
  const stackArgs = `--stack ${STACK} --config-file ${CONFIG_FILE}`;
  return [
    "",
    "To remove the rooms again (this starts the emulator on the same state and runs `pulumi destroy`):",
    "  npm start -- --destroy",
    "",
    "or by hand: the emulator must be running on the saved state, with the stack's config pointing at it:",
    `  ${cd}npm run emulator -- --state-file ${EMULATOR_STATE}`,
    `  # in another terminal, for each \`pulumi config set ...\` line the emulator printed:`,
    `  ${env} pulumi config set ${stackArgs} <key> <value>   (add --secret for the two keys it marks)`,
    `  ${env} pulumi destroy --yes ${stackArgs}`,
  ].join("\n");
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
