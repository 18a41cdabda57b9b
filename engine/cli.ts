#!/usr/bin/env node
/**
 * `pulumi-rooms-local`: runs a Pulumi TypeScript program that uses pulumi-rooms without the Pulumi CLI,
 * against the embedded emulator only (never a real vendor).
 *
 *   pulumi-rooms-local preview|up|refresh|destroy [--cwd DIR] [--stack NAME] [--diff] [-p N] [--emulator-<option> V]
 *   pulumi-rooms-local up --serve ...                                  then serves the stack's web console
 *   pulumi-rooms-local console [--cwd DIR] [--stack NAME] [--port N]  serves the stack's web console
 *   pulumi-rooms-local output [--json] [--cwd DIR] [--stack NAME]     like `pulumi stack output`
 *   pulumi-rooms-local export [--cwd DIR] [--stack NAME]              like `pulumi stack export`
 *   pulumi-rooms-local cancel [--cwd DIR] [--stack NAME]              removes a stale stack lock
 *   pulumi-rooms-local new [DIR] [--name NAME] [--force]              writes a new project (engine/new-command.ts)
 *   pulumi-rooms-local config [set|get|rm] [KEY] [VALUE] [--secret]   stack config (engine/config-command.ts)
 *
 * `output --json` and `export` print only JSON on standard output; everything else goes to standard error.
 */
import { describeFlags, HELP_FLAG, parseArgs, PROJECT_FLAGS, UsageError, type FlagSpec } from "./args";
import { Cancellation, installSignalHandlers } from "./cancellation";
import { defaultParallel, PARALLEL_ENV, parseParallel } from "./call-limit";
import { Checkpoint, stackDir } from "./checkpoint";
import { CONSOLE_FLAGS, runConsole, SERVE_FLAG, serveAfterOperation } from "./console";
import { configCommand, newStackLine } from "./config-command";
import { EMULATOR_FLAGS } from "./emulator-settings";
import { newCommand } from "./new-command";
import { limitHeapGrowth } from "./heap-growth";
import { runOperation, stackOutputs } from "./operation";
import { loadProject } from "./project";
import { findProjectRoot } from "./project-root";
import { redact } from "./report";
import { initNewStack } from "./stack-config";
import { clearStaleLock } from "./stack-lock";

const COMMANDS = [
  "preview",
  "up",
  "refresh",
  "destroy",
  "output",
  "export",
  "cancel",
  "console",
  "new",
  "config",
] as const;
type Command = (typeof COMMANDS)[number];

const COMMON: FlagSpec[] = [...PROJECT_FLAGS, HELP_FLAG];
const STEPPING: FlagSpec[] = [
  ...COMMON,
  { name: "diff", help: "show the changed properties" },
  { name: "verbose", help: "show debug logs" },
  {
    name: "parallel",
    short: "p",
    value: "N",
    help: `resource operations at once (create, update, delete, read), like the Pulumi CLI's (1: one at a time); default $${PARALLEL_ENV} or ${defaultParallel({})} (4 x CPUs)`,
  },
  ...EMULATOR_FLAGS,
];
const FLAGS: Record<Exclude<Command, "new" | "config">, FlagSpec[]> = {
  preview: STEPPING,
  up: [...STEPPING, SERVE_FLAG],
  refresh: STEPPING,
  destroy: STEPPING,
  output: [...COMMON, { name: "json", help: 'print the outputs as JSON (secrets as "[secret]")' }],
  export: COMMON,
  cancel: COMMON,
  console: [...COMMON, ...CONSOLE_FLAGS],
};

export const USAGE = `usage: pulumi-rooms-local <command> [flags]

A local engine for Pulumi programs that use pulumi-rooms: the real program in Pulumi's Node.js runtime,
the real dynamic-provider host, a checkpoint in \`pulumi stack export\` format, and always the embedded
emulator, never a real vendor. Real deployments need the Pulumi CLI.

commands:
  preview    what up would do (no credentials, no vendor request)
  up         create, update or replace the declared rooms; delete the ones no longer declared
  refresh    read every room back from the emulator and record what it holds
  destroy    delete every resource of the stack
  output     the stack outputs, like \`pulumi stack output\`
  export     the checkpoint (deployment version 3), like \`pulumi stack export\`
  cancel     remove the stack's lock left by an operation whose process is gone (a live one is refused)
  console    serve the stack's emulator and its web console (rooms, the resource that declared each, the
             request log of earlier runs) until Ctrl-C; \`up --serve\` does so after the up
  new        write a new project into a folder (default: this one): pulumi-rooms-local new --help
  config     the stack's config in Pulumi.<stack>.yaml: pulumi-rooms-local config --help

flags:
${describeFlags([...FLAGS.up.filter((f) => !f.name.startsWith("emulator-")), ...FLAGS.output.filter((f) => f.name === "json"), ...CONSOLE_FLAGS.filter((f) => f.name === "port")])}
  --emulator-<option> the embedded emulator's settings: any pulumi-rooms-emulator option but --port and
                     --state-file (e.g. --emulator-zego-room-quota 400); in Pulumi.<stack>.yaml as
                     emulator:<option in camelCase> (emulator:zegoRoomQuota: 400); the flag wins

State: <cwd>/.pulumi-rooms/<stack>/ (checkpoint.json, emulator.json, emulator.requests.jsonl: the request
log the console shows). Secrets are encrypted as Pulumi's passphrase provider does, with
PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE, else a passphrase file created there with the
first secret.

up, refresh and destroy lock the stack (lock.json) for their length: a second one is refused at once. Each
step is appended to journal.jsonl and the checkpoint is compacted from it when the operation ends, so a
crash loses nothing; calls a crash left in flight are settled by the next operation (reading the room).
Ctrl-C or SIGTERM: no new steps, the ones in flight finish and are saved, exit 1 ("update cancelled"); a
second one stops at once (exit 130/143). A closed output pipe or a lost terminal counts as the first.`;

export async function main(
  argv: readonly string[],
  out: (text: string) => void = (t) => process.stdout.write(t),
): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    process.stderr.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(command))
    throw new UsageError(`unknown command "${command}"; commands: ${COMMANDS.join(", ")}`);
  if (command === "new") return newCommand(rest);
  if (command === "config") return configCommand(rest, out);
  const cmd = command as Exclude<Command, "new" | "config">;
  const { positionals, flags } = parseArgs(rest, FLAGS[cmd]);
  if (flags.has("help")) {
    process.stderr.write(`usage: pulumi-rooms-local ${cmd} [flags]\n${describeFlags(FLAGS[cmd])}\n`);
    return 0;
  }
  if (positionals.length)
    throw new UsageError(`unexpected argument "${positionals[0]}" (the project folder goes in --cwd)`);
  const cwd = findProjectRoot((flags.get("cwd") as string | undefined) ?? process.cwd());
  const stack = (flags.get("stack") as string | undefined) ?? "local";
  if (!/^[A-Za-z0-9._-]+$/.test(stack))
    throw new UsageError(`--stack "${stack}" is not a stack name (letters, digits, '.', '_', '-')`);

  if (cmd === "console") return runConsole({ cwd, stack, flags, write: (line) => process.stderr.write(`${line}\n`) });
  if (cmd === "cancel") {
    const project = loadProject(cwd, stack);
    process.stderr.write(`${clearStaleLock(stackDir(project.root, stack), stack)}\n`);
    return 0;
  }
  if (cmd === "output" || cmd === "export") {
    const project = loadProject(cwd, stack);
    const checkpoint = new Checkpoint(stackDir(project.root, stack));
    if (!checkpoint.exists)
      throw new UsageError(
        `stack "${stack}" of ${project.name} has no checkpoint in ${checkpoint.dir}: run \`pulumi-rooms-local up\` first`,
      );
    if (cmd === "export") {
      out(`${JSON.stringify(checkpoint.readForExport(), null, 4)}\n`);
      return 0;
    }
    const outputs = redact(stackOutputs(checkpoint.load())) as Record<string, unknown>;
    if (flags.has("json")) {
      out(`${JSON.stringify(outputs, null, 2)}\n`);
    } else {
      const width = Math.max(6, ...Object.keys(outputs).map((k) => k.length));
      out(`Current stack outputs (${Object.keys(outputs).length}):\n    ${"OUTPUT".padEnd(width)}  VALUE\n`);
      for (const [k, v] of Object.entries(outputs))
        out(`    ${k.padEnd(width)}  ${typeof v === "string" ? v : JSON.stringify(v)}\n`);
    }
    return 0;
  }
  const parallelFlag = flags.get("parallel") as string | undefined;
  let parallel: number;
  try {
    parallel = parallelFlag === undefined ? defaultParallel() : parseParallel(parallelFlag, "--parallel");
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  // A stack never used before gets its stack file, as `pulumi stack init` makes one, and a line saying so.
  if (initNewStack(cwd, stack)) process.stderr.write(`${newStackLine(cwd, stack)}\n`);
  const cancel = new Cancellation();
  let silent = false;
  const uninstall = installSignalHandlers(cancel, () => (silent = true));
  try {
    const write = (line: string): void => {
      if (!silent) process.stderr.write(`${line}\n`);
    };
    // The live progress line goes where the report does, and falls silent with it on a closed pipe.
    const progressStream = {
      isTTY: process.stderr.isTTY,
      write: (text: string): void => void (silent || process.stderr.write(text)),
    };
    const result = await runOperation({
      operation: cmd,
      cwd,
      stack,
      diff: flags.has("diff"),
      verbose: flags.has("verbose"),
      write,
      cancel,
      parallel,
      emulatorFlags: flags,
      progressStream,
      keepEmulator: flags.has("serve"),
    });
    uninstall(); // from here a signal ends the serving console (engine/console.ts)
    return await serveAfterOperation(result, stack, write);
  } finally {
    uninstall();
  }
}

if (require.main === module) {
  limitHeapGrowth();
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const usage = error instanceof UsageError;
      process.stderr.write(
        `pulumi-rooms-local: ${error instanceof Error ? error.message : String(error)}\n${usage ? "(pulumi-rooms-local --help lists the commands and flags)\n" : ""}`,
      );
      process.exitCode = usage ? 2 : 1;
    },
  );
}
