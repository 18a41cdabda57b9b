/**
 * The main job (`npm start`): the example stack (root Pulumi.yaml -> examples/meeting-rooms) deployed with
 * the real Pulumi CLI against the embedded emulator, with everything kept inside the project folder:
 *
 *   .emulator-state.json   the emulator's rooms, so a later run (or destroy) sees what this one made
 *   .pulumi-state/         a local file backend (PULUMI_BACKEND_URL=file://...) and the stack's config file
 *
 * `npm start` runs `pulumi up`; `npm start -- --destroy` runs `pulumi destroy` against the same emulator
 * state. Without a Pulumi CLI (and without the network to fetch one) it explains what it tried and exits 1.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../emulator";
import { explainMissingCli, findPulumiCli, type PulumiCli } from "./pulumi-cli";

/** The project root (this file runs as dist/scripts/main-job.js): the Pulumi project the CLI runs. */
const ROOT = path.resolve(__dirname, "..", "..");
/** Where the state lives: the project root, or PULUMI_ROOMS_WORKDIR (the tests use a temporary folder). */
const WORKDIR = path.resolve(process.env.PULUMI_ROOMS_WORKDIR || ROOT);
const STACK = "demo";
const PASSPHRASE = "pulumi-rooms-demo";
const STATE_DIR = path.join(WORKDIR, ".pulumi-state");
const CONFIG_FILE = path.join(STATE_DIR, `Pulumi.${STACK}.yaml`);
const EMULATOR_STATE = path.join(WORKDIR, ".emulator-state.json");
/** Config keys that hold credentials: set with --secret (encrypted with the passphrase). */
const SECRET_KEYS = new Set(["tencent:secretKey", "zego:serverSecret"]);

type Mode = "up" | "destroy";

async function main(argv: readonly string[]): Promise<number> {
  const mode: Mode = argv.includes("--destroy") ? "destroy" : "up";
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log("usage: npm start [-- --destroy]\n  Deploys (or destroys) the example stack against the embedded emulator with the Pulumi CLI.");
    return 0;
  }

  console.log("pulumi-rooms main job: looking for the Pulumi CLI ...");
  // PULUMI_ROOMS_NPX=0 skips the last resort (fetching the CLI through the npm launcher).
  const found = findPulumiCli({ allowNpx: process.env.PULUMI_ROOMS_NPX !== "0" });
  if (!found.cli) {
    console.error(`\n${explainMissingCli(found.attempts)}`);
    console.error("\nThe main job needs the Pulumi CLI and stops here (nothing was started or changed).");
    return 1;
  }
  const cli = found.cli;
  console.log(`Using Pulumi CLI v${cli.version} (${cli.via}).`);

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
    for (const [key, value] of Object.entries(config)) setAll.push(SECRET_KEYS.has(key) ? "--secret" : "--plaintext", `${key}=${value}`);
    pulumi(setAll);

    if (mode === "destroy") {
      pulumi(["destroy", "--yes", "--stack", STACK, "--config-file", CONFIG_FILE, "--non-interactive"]);
    } else {
      pulumi(["up", "--yes", "--stack", STACK, "--config-file", CONFIG_FILE, "--non-interactive"]);
      const outputs = pulumi(["stack", "output", "--json", "--stack", STACK], true);
      console.log("\nStack outputs:");
      console.log(outputs.trim());
    }

    console.log("\nRooms the emulator now holds:");
    const tencent = emulator.tencent.rooms();
    const zego = emulator.zego.rooms();
    console.log(`  Tencent (${tencent.length}): ${tencent.map((r) => r.RoomId).join(", ") || "none"}`);
    console.log(`  ZEGO    (${zego.length}): ${zego.map((r) => r.roomId).join(", ") || "none"}`);
    console.log(hint(mode));
    return 0;
  } catch (error) {
    console.error(`\nmain job failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await emulator.stop();
  }
}

/** Runs the CLI in the project root, streaming its output (or capturing stdout). Throws on failure. */
function run(cli: PulumiCli, args: string[], env: NodeJS.ProcessEnv, capture: boolean): string {
  const shown = args.map((a) => (a.includes("=") && SECRET_KEYS.has(a.split("=")[0] ?? "") ? `${a.split("=")[0]}=[secret]` : a));
  console.log(`\n$ pulumi ${shown.join(" ")}`);
  const result = spawnSync(cli.bin, args, { cwd: ROOT, env, stdio: capture ? ["ignore", "pipe", "inherit"] : "inherit", encoding: "utf8" });
  if (result.error) throw new Error(`could not run pulumi: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`\`pulumi ${shown.slice(0, 2).join(" ")}\` exited with code ${result.status}`);
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
