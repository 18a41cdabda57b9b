/**
 * The stack config keys other parts of the repository need to know by name (the local engine, the main
 * job, the emulator's banner, the benchmarks), declared once in each vendor's settings.ts. A small public
 * module: importing it loads the two key tables, not the clients or providers.
 */
import { registeredKeys } from "./core/settings";
import "./tencent/settings";
import "./zego/settings";

/** Config keys that hold credentials: set with `pulumi config set --secret`, sent as secrets in Configure. */
export const SECRET_CONFIG_KEYS: readonly string[] = registeredKeys()
  .filter((key) => key.secret)
  .map((key) => key.config);

/** Config keys that choose where calls go and as whom (every key but the pacing ones). */
export const CONNECTION_CONFIG_KEYS: readonly string[] = registeredKeys()
  .filter((key) => !key.tuning)
  .map((key) => key.config);
