/**
 * The stack config keys other parts of the repository need to know by name (the local engine, the main
 * job, the emulator's banner, the benchmarks), declared once in each vendor's setting-keys.ts and, for the
 * package's own namespace, in series/config.ts. A small public module: importing it loads the key tables,
 * not the schemas (zod), clients or providers.
 */
import { registeredKeys } from "./core/setting-keys";
import { SERIES_CONFIG_KEYS } from "./series/config";
import "./tencent/setting-keys";
import "./zego/setting-keys";

/** Config keys that hold credentials: set with `pulumi config set --secret`, sent as secrets in Configure. */
export const SECRET_CONFIG_KEYS: readonly string[] = registeredKeys()
  .filter((key) => key.secret)
  .map((key) => key.config);

/** Config keys that choose where calls go and as whom (every key but the pacing ones). */
export const CONNECTION_CONFIG_KEYS: readonly string[] = registeredKeys()
  .filter((key) => !key.tuning)
  .map((key) => key.config);

/**
 * Every stack config key the package reads, by namespace (`tencent`, `zego`, `pulumi-rooms`): any other key
 * in these namespaces is a mistake, which would otherwise be silently ignored.
 */
export const PACKAGE_CONFIG_KEYS: Readonly<Record<string, readonly string[]>> = groupByNamespace([
  ...registeredKeys().map((key) => key.config),
  ...SERIES_CONFIG_KEYS,
]);

function groupByNamespace(keys: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of keys) (out[key.slice(0, key.indexOf(":"))] ??= []).push(key);
  return out;
}
