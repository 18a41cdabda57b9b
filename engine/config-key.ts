/**
 * Stack config keys as the Pulumi CLI reads them (`<namespace>:<name>`; a bare name belongs to the project;
 * the old `<namespace>:config:<name>` is the same key: sdk/go/common/resource/config/key.go ParseKey in
 * pulumi/pulumi), and the check that a key in one of this package's namespaces is one it reads. A misspelt
 * `tencent:sdkAppID` or `pulumi-rooms:asof` would otherwise be silently ignored: it is refused with the
 * nearest known key, case-insensitively.
 */
import * as path from "node:path";
import { PACKAGE_CONFIG_KEYS } from "../provider/config-keys";
import { nearest } from "../provider/core/nearest";
import { UsageError } from "./args";
import { EMULATOR_NAMESPACE } from "./emulator-settings";
import { ProjectError, type Project } from "./project";

/** A key the CLI would refuse to parse. */
export class ConfigKeyError extends UsageError {
  static override readonly errorName: string = "ConfigKeyError";
}

/**
 * The key in its full form, `<namespace>:<name>`, as `pulumi config set` writes it.
 * @throws ConfigKeyError when it is not a config key.
 */
export function qualifyConfigKey(key: string, project: string): string {
  const parts = key.split(":");
  const bad = (): never => {
    throw new ConfigKeyError(
      `could not parse ${JSON.stringify(key)} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`, or a bare name for the project's own)`,
    );
  };
  if (parts.some((p) => p === "") || parts.length > 3) return bad();
  if (parts.length === 1) return `${project}:${key}`;
  if (parts.length === 3) return parts[1] === "config" ? `${parts[0]}:${parts[2]}` : bad();
  return key;
}

/** The key as `pulumi config` lists it: bare for the project's own namespace. */
export function displayConfigKey(qualified: string, project: string): string {
  return qualified.startsWith(`${project}:`) ? qualified.slice(project.length + 1) : qualified;
}

/** `tencent`, `zego` and `pulumi-rooms`: the namespaces whose every key this package knows. */
export const PACKAGE_NAMESPACES: readonly string[] = Object.keys(PACKAGE_CONFIG_KEYS);

/**
 * Why a (qualified) key cannot be meant as written, or undefined when it can: a key in one of the
 * package's namespaces that the package does not read, or a key whose namespace is a near miss of one of
 * them (`Tencent:sdkAppId`) and whose name is that namespace's. The project's own namespace and the
 * emulator's (checked with its values by engine/emulator-settings.ts) are not judged here.
 */
export function unknownConfigKey(qualified: string, project: string): string | undefined {
  const at = qualified.indexOf(":");
  const namespace = qualified.slice(0, at);
  const name = qualified.slice(at + 1);
  if (namespace === project || namespace === EMULATOR_NAMESPACE) return undefined;
  const known = PACKAGE_CONFIG_KEYS[namespace];
  if (known) {
    if (known.includes(qualified)) return undefined;
    const near = nearestKey(namespace, name);
    return `unknown config key ${qualified}${near ? ` (did you mean ${near}?)` : ""}; the ${namespace} keys pulumi-rooms reads: ${known.join(", ")}`;
  }
  // A namespace one typo away (`Tencent`, `tencnet`, `pulumi-room`), not merely sharing a prefix
  // (`tencent-rooms` may be another package's).
  const closeNamespace = nearest(namespace, PACKAGE_NAMESPACES);
  if (!closeNamespace || Math.abs(closeNamespace.length - namespace.length) > 1) return undefined;
  const near = nearestKey(closeNamespace, name);
  if (!near || near.slice(near.indexOf(":") + 1).toLowerCase() !== name.toLowerCase()) return undefined;
  return `unknown config key ${qualified} (did you mean ${near}?): pulumi-rooms reads the namespace ${closeNamespace}`;
}

function nearestKey(namespace: string, name: string): string | undefined {
  const names = (PACKAGE_CONFIG_KEYS[namespace] ?? []).map((k) => k.slice(namespace.length + 1));
  const near = nearest(name, names);
  return near === undefined ? undefined : `${namespace}:${near}`;
}

/**
 * Refuses a project whose config holds a key the package would ignore, naming the file and the nearest
 * known key; called before an operation runs anything.
 * @throws ProjectError
 */
export function checkConfigKeys(project: Project): void {
  for (const key of [...Object.keys(project.config), ...Object.keys(project.secureConfig)]) {
    const problem = unknownConfigKey(key, project.name);
    if (problem) throw new ProjectError(`${path.basename(project.stackFile ?? "Pulumi.yaml")}: ${problem}`);
  }
}

/** The SDK's words for `config.require` of an unset key (sdk/nodejs/config.ts ConfigMissingError). */
const MISSING =
  /^Missing required configuration variable '([^']+)'\n\tplease set a value using the command `pulumi config set( --secret)? \1 <value>`$/;

/**
 * The SDK's message for a missing required config value, naming the command that sets it here (the
 * program's user has pulumi-rooms-local, maybe not the Pulumi CLI); any other message as it is.
 */
export function explainMissingConfig(message: string, project: string, stack: string): string {
  const m = MISSING.exec(message);
  if (!m) return message;
  const key = m[1] ?? "";
  const stackFlag = stack === "local" ? "" : ` --stack ${stack}`;
  return `Missing required configuration variable '${key}'\n\tplease set a value using the command \`npx pulumi-rooms-local config set${m[2] ?? ""} ${displayConfigKey(key, project)} <value>${stackFlag}\` (in the project folder; it writes Pulumi.${stack}.yaml)`;
}
