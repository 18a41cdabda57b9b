/**
 * What a provider builds from the stack config (resolved settings and a client), made on the first call
 * that needs the API and dropped when `configure` hands new config: check and diff never resolve
 * credentials, so a preview runs without them.
 */
import type { ConfigSource } from "./settings";

export class Configured<T> {
  private config: ConfigSource | undefined;
  private made: T | undefined;

  /** `make` builds the value from the stack config (it may throw a SettingsError). */
  constructor(private readonly make: (config: ConfigSource | undefined) => T) {}

  /** Receives the stack config; the value is made later, only when {@link get} is called. */
  configure(config: ConfigSource | undefined): void {
    this.config = config;
    this.made = undefined;
  }

  /** The value for the last config, made on first use. */
  get(): T {
    this.made ??= this.make(this.config);
    return this.made;
  }
}
