/**
 * Strict command-line flags: every flag must be known (a typo such as `--destory` is refused, listing the
 * valid ones, never ignored), value flags need a value, and `--flag=value` works as `--flag value`.
 */
import { RoomsError } from "../provider/core/errors";

/** A flag and whether it takes a value. */
export interface FlagSpec {
  readonly name: string;
  readonly value?: string;
  /** A one-letter alias (`-p` for `--parallel`). */
  readonly short?: string;
  readonly help: string;
}

/** A command line the CLI cannot run: the message names the flag and lists the valid ones. */
export class UsageError extends RoomsError<"USAGE"> {
  static override readonly errorName: string = "UsageError";

  constructor(message: string) {
    super("USAGE", message);
  }
}

export interface ParsedArgs {
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

export function parseArgs(argv: readonly string[], specs: readonly FlagSpec[], hint = ""): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const valid = () =>
    `valid flags: ${specs.map((s) => (s.value ? `--${s.name} ${s.value}` : `--${s.name}`)).join(", ")}${hint ? `\n${hint}` : ""}`;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "-h") {
      flags.set("help", true);
      continue;
    }
    if (!arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.replace(/^--?/, "").slice(0, eq > 0 ? eq - (arg.startsWith("--") ? 2 : 1) : undefined);
    const spec = specs.find((s) => s.name === name || (!arg.startsWith("--") && s.short === name));
    if (!spec) throw new UsageError(`unknown flag ${eq > 0 ? arg.slice(0, eq) : arg}; ${valid()}`);
    if (spec.value) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === "" || (eq < 0 && value.startsWith("--")))
        throw new UsageError(`--${spec.name} needs a value (${spec.value})`);
      flags.set(spec.name, value);
    } else {
      if (eq > 0) throw new UsageError(`--${spec.name} takes no value`);
      flags.set(spec.name, true);
    }
  }
  return { positionals, flags };
}

/** The flag list for a usage text. */
export function describeFlags(specs: readonly FlagSpec[]): string {
  return specs
    .map(
      (s) => `  ${`${s.short ? `-${s.short}, ` : ""}--${s.name}${s.value ? ` ${s.value}` : ""}`.padEnd(18)} ${s.help}`,
    )
    .join("\n");
}

/** The flags every command that works on a stack takes: where the project is and which stack. */
export const PROJECT_FLAGS: readonly FlagSpec[] = [
  {
    name: "cwd",
    value: "DIR",
    help: "the Pulumi project folder, or a folder inside it (the nearest Pulumi.yaml up); default: the current folder",
  },
  { name: "stack", value: "NAME", help: "the stack (its config is Pulumi.<stack>.yaml); default: local" },
];

/** `--help`, which every command takes. */
export const HELP_FLAG: FlagSpec = { name: "help", help: "this text" };
