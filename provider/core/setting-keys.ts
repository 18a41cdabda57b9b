/**
 * The stack config keys each vendor reads and their environment fallbacks, declared by each vendor's
 * setting-keys.ts and registered for {@link registeredKeys} (the secret and connection keys the engine and
 * scripts need). No validation here: the engine and the emulator load the tables without zod and the
 * schemas (./settings.ts resolves values).
 */
import type { Vendor } from "./errors";

/** One row of the contract table: a stack config key and its environment fallback. */
export interface SettingKey {
  readonly config: string;
  readonly env: string;
  /** A credential: set with `pulumi config set --secret`, redacted wherever it could be printed. */
  readonly secret?: boolean;
  /** Tunes how calls are made (pacing), rather than choosing where they go and as whom. */
  readonly tuning?: boolean;
}

// Process-wide registry of every vendor's key table, filled as the vendor settings modules load.
const registry = new Map<Vendor, readonly SettingKey[]>();

/** Declares a vendor's key table and registers it (see {@link registeredKeys}). */
export function vendorKeys<K extends string>(vendor: Vendor, keys: Record<K, SettingKey>): Record<K, SettingKey> {
  registry.set(vendor, Object.values<SettingKey>(keys));
  return keys;
}

/** Every key of every vendor registered so far. */
export function registeredKeys(): SettingKey[] {
  return [...registry.values()].flat();
}
