/**
 * Settings of the embedded emulator from the stack and the command line: plan limits, rate limits (scope,
 * window) and faults, the options of `pulumi-rooms-emulator` (emulator/cli.ts). In `Pulumi.<stack>.yaml`
 * each is `emulator:<option in camelCase>` (`emulator:zegoRoomQuota: 400`, `emulator:rateScope: app`): a
 * namespace of its own, which no provider reads, so a real deployment of the same stack ignores it. On
 * the command line each is `--emulator-<option>`, and wins over the stack's value. Unknown keys are
 * refused with the nearest known one; defaults are the emulator's own.
 */
import * as path from "node:path";
import { EMULATOR_CLI_OPTIONS as OPTIONS, parseEmulatorArgs as parseCli, type EmulatorOptions } from "../emulator";
import { nearest } from "../provider/core/nearest";
import { UsageError, type FlagSpec } from "./args";
import type { Project } from "./project";

/** The stack config namespace of the embedded emulator's settings. */
export const EMULATOR_NAMESPACE = "emulator";

/** What the engine itself decides (port, state file) or has its own flag for. */
const ENGINE_OWNED = new Set(["port", "state-file", "verbose", "help"]);

const SETTABLE = Object.entries(OPTIONS).filter(([name]) => !ENGINE_OWNED.has(name));

const camel = (flag: string): string => flag.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const configKey = (flag: string): string => `${EMULATOR_NAMESPACE}:${camel(flag)}`;

/** The engine's `--emulator-<option>` flags. */
export const EMULATOR_FLAGS: FlagSpec[] = SETTABLE.map(([name, spec]) => ({
  name: `emulator-${name}`,
  ...(spec.type === "string" ? { value: "V" } : {}),
  help: `emulator: --${name} (stack config ${configKey(name)})`,
}));

/** The stack config keys of the emulator namespace. */
export function isEmulatorKey(key: string): boolean {
  return key.startsWith(`${EMULATOR_NAMESPACE}:`);
}

/** A stack's emulator options: its `emulator:*` config and the flags, errors naming its stack file. */
export function stackEmulatorOptions(
  project: Pick<Project, "config" | "stackFile">,
  flags: ReadonlyMap<string, string | true> = new Map(),
): Partial<EmulatorOptions> {
  return emulatorOptions(project.config, flags, path.basename(project.stackFile ?? "Pulumi.yaml"));
}

/**
 * The emulator options from the stack config (`emulator:*` keys) and the `--emulator-*` flags, the
 * flags winning. `source` names the stack file in errors.
 * @throws UsageError naming the key or flag, with the nearest known key for an unknown one.
 */
export function emulatorOptions(
  config: Record<string, string>,
  flags: ReadonlyMap<string, string | true>,
  source: string,
): Partial<EmulatorOptions> {
  const known = SETTABLE.map(([name]) => camel(name));
  const fromConfig: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (!isEmulatorKey(key)) continue;
    const name = key.slice(EMULATOR_NAMESPACE.length + 1);
    const entry = SETTABLE.find(([flag]) => camel(flag) === name);
    if (!entry) {
      const near = nearest(name, known);
      throw new UsageError(
        `${source}: unknown emulator setting ${key}${near ? ` (did you mean ${EMULATOR_NAMESPACE}:${near}?)` : ""}; known: ${known.map((k) => `${EMULATOR_NAMESPACE}:${k}`).join(", ")}`,
      );
    }
    const [flag, spec] = entry;
    if (spec.type === "boolean") {
      if (value !== "true" && value !== "false")
        throw new UsageError(`${source}: ${key} must be true or false, not ${JSON.stringify(value)}`);
      if (value === "true") fromConfig.push(`--${flag}`);
    } else {
      fromConfig.push(`--${flag}=${value}`);
    }
  }
  // The stack's values alone first, so an error names the config key rather than a flag never typed.
  parse(
    fromConfig,
    (message) =>
      `${source}: ${message.replace(/--([a-z0-9-]+)/g, (m, flag: string) => (OPTIONS[flag as keyof typeof OPTIONS] ? configKey(flag) : m))}`,
  );
  const fromFlags: string[] = [];
  for (const [name, value] of flags) {
    if (!name.startsWith("emulator-")) continue;
    fromFlags.push(
      value === true ? `--${name.slice("emulator-".length)}` : `--${name.slice("emulator-".length)}=${value}`,
    );
  }
  // Later occurrences win (node:util parseArgs), so a flag overrides the stack's value.
  const options = parse([...fromConfig, ...fromFlags], (message) =>
    message.replace(/--([a-z0-9-]+)/g, (m, flag: string) =>
      OPTIONS[flag as keyof typeof OPTIONS] ? `--emulator-${flag}` : m,
    ),
  );
  const { tencent, zego, rateMode, faults } = options;
  return {
    ...(tencent ? { tencent } : {}),
    ...(zego ? { zego } : {}),
    ...(rateMode ? { rateMode } : {}),
    ...(faults ? { faults } : {}),
  };
}

function parse(argv: string[], explain: (message: string) => string): EmulatorOptions {
  try {
    const request = parseCli(argv);
    if (request.help) throw new Error("unreachable: --help is not an emulator setting");
    return request.options;
  } catch (error) {
    throw new UsageError(explain(error instanceof Error ? error.message : String(error)));
  }
}
