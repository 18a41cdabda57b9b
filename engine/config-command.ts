/**
 * `pulumi-rooms-local config [set|get|rm]`: a stack's config without the Pulumi CLI, with its commands'
 * shapes (`pulumi config`, `pulumi config set [--secret] KEY VALUE`, `pulumi config get KEY`, `pulumi config
 * rm KEY`), writing `Pulumi.<stack>.yaml` as the CLI does (engine/stack-config.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeFlags, HELP_FLAG, parseArgs, PROJECT_FLAGS, UsageError, type FlagSpec } from "./args";
import { displayConfigKey } from "./config-key";
import { loadProject } from "./project";
import { findProjectRoot } from "./project-root";
import { getStackConfig, listStackConfig, removeStackConfig, setStackConfig, stackFilePath } from "./stack-config";

const FLAGS: FlagSpec[] = [
  ...PROJECT_FLAGS,
  { name: "secret", help: "set: encrypt the value (passphrase secrets provider), as `pulumi config set --secret`" },
  { name: "json", help: "get and the list: print JSON ({value, secret})" },
  { name: "show-secrets", help: "the list: show secret values in plain text" },
  HELP_FLAG,
];

export const CONFIG_USAGE = `usage: pulumi-rooms-local config [set|get|rm] [KEY] [VALUE] [flags]

  config                         list the stack's config (secret values as [secret]), like \`pulumi config\`
  config set KEY VALUE           set a value in Pulumi.<stack>.yaml (VALUE omitted: read from standard input)
  config set --secret KEY VALUE  the same, encrypted with the stack's passphrase
  config get KEY                 print one value (a secret decrypted)
  config rm KEY                  remove a value

KEY is <namespace>:<name>, or a bare name for the project's own (written <project>:<name>). Keys in the
tencent, zego, pulumi-rooms and emulator namespaces must be ones pulumi-rooms reads.

flags:
${describeFlags(FLAGS)}`;

/** Runs `config ...`; `out` receives what goes to standard output (values, the list). */
export function configCommand(argv: readonly string[], out: (text: string) => void): number {
  const { positionals, flags } = parseArgs(argv, FLAGS);
  if (flags.has("help")) {
    process.stderr.write(`${CONFIG_USAGE}\n`);
    return 0;
  }
  const root = findProjectRoot((flags.get("cwd") as string | undefined) ?? process.cwd());
  const stack = (flags.get("stack") as string | undefined) ?? "local";
  if (!/^[A-Za-z0-9._-]+$/.test(stack))
    throw new UsageError(`--stack "${stack}" is not a stack name (letters, digits, '.', '_', '-')`);
  const [action, key, value, ...extra] = positionals;
  const oneKey = (shape: string): string => {
    if (key === undefined || value !== undefined) throw new UsageError(`usage: pulumi-rooms-local config ${shape}`);
    return key;
  };
  if (flags.has("secret") && action !== "set") throw new UsageError("--secret goes with config set");
  if (action === undefined) return list(root, stack, flags, out);
  if (action === "get") {
    const got = getStackConfig(root, stack, oneKey("get KEY"));
    if (!got) {
      process.stderr.write(
        `pulumi-rooms-local: configuration key ${JSON.stringify(key)} not found for stack ${JSON.stringify(stack)}\n`,
      );
      return 1;
    }
    out(flags.has("json") ? `${JSON.stringify(got, null, 2)}\n` : `${got.value}\n`);
    return 0;
  }
  if (action === "rm") {
    if (!removeStackConfig(root, stack, oneKey("rm KEY")))
      process.stderr.write(`${key} is not set in ${path.basename(stackFilePath(root, stack))}: nothing to remove\n`);
    return 0;
  }
  if (action === "set") {
    if (extra.length > 0 || key === undefined) throw new UsageError("usage: pulumi-rooms-local config set KEY VALUE");
    const created = !fs.existsSync(stackFilePath(root, stack));
    setStackConfig(root, stack, key, value ?? readValue(key), { secret: flags.has("secret") });
    if (created) process.stderr.write(`${newStackLine(root, stack)}\n`);
    return 0;
  }
  throw new UsageError(`unknown config command "${action}"; config commands: set, get, rm (none: list)`);
}

/** The one line said when a stack file is made for a new stack. */
export function newStackLine(root: string, stack: string): string {
  return `created ${path.basename(stackFilePath(root, stack))}: a new stack "${stack}", its config empty (set values with \`pulumi-rooms-local config set KEY VALUE${stack === "local" ? "" : ` --stack ${stack}`}\`)`;
}

/** A value given on standard input (keeps a secret out of the shell's history); never from a terminal. */
function readValue(key: string): string {
  if (process.stdin.isTTY)
    throw new UsageError(
      `config set ${key} needs a VALUE, or the value on standard input (e.g. \`printf %s "$SECRET" | pulumi-rooms-local config set --secret ${key}\`)`,
    );
  return fs.readFileSync(0, "utf8").replace(/\r?\n$/, "");
}

function list(
  root: string,
  stack: string,
  flags: ReadonlyMap<string, string | true>,
  out: (t: string) => void,
): number {
  const values = listStackConfig(root, stack, { showSecrets: flags.has("show-secrets") });
  if (flags.has("json")) {
    out(`${JSON.stringify(values, null, 2)}\n`);
    return 0;
  }
  const project = loadProject(root, stack).name;
  const rows = Object.entries(values).map(([k, v]): [string, string] => [displayConfigKey(k, project), v.value]);
  const width = Math.max(3, ...rows.map(([k]) => k.length));
  out(`${"KEY".padEnd(width)}  VALUE\n`);
  for (const [k, v] of rows) out(`${k.padEnd(width)}  ${v}\n`);
  return 0;
}
