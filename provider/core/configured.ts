/**
 * What a provider builds from the stack config (resolved settings and a client), made on the first call
 * that needs the API and dropped when `configure` hands new config: check and diff never resolve
 * credentials, so a preview runs without them. Config that carries the credential means calls will follow,
 * so `configure` starts loading the HTTP client then, rather than inside the first call (http.ts).
 */
import { preloadHttp } from "./http";
import type { SettingKey } from "./setting-keys";
import { hasSetting, type ConfigSource } from "./settings";

/** Options of {@link Configured}. */
export interface ConfiguredOptions {
  /** The setting whose presence means API calls will follow (the vendor's secret). */
  readonly credential: SettingKey;
  /** Environment for the settings fallbacks (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

export class Configured<T> {
  private config: ConfigSource | undefined;
  private made: T | undefined;
  private readonly env: NodeJS.ProcessEnv;

  /** `make` builds the value from the stack config and the environment (it may throw a SettingsError). */
  constructor(
    private readonly make: (config: ConfigSource | undefined, env: NodeJS.ProcessEnv) => T,
    private readonly options: ConfiguredOptions,
  ) {
    this.env = options.env ?? process.env;
  }

  /** Receives the stack config; the value is made later, only when {@link get} is called. */
  configure(config: ConfigSource | undefined): void {
    this.config = config;
    this.made = undefined;
    if (hasSetting(this.options.credential, config, this.env)) preloadHttp();
  }

  /** The value for the last config, made on first use. */
  get(): T {
    this.made ??= this.make(this.config, this.env);
    return this.made;
  }
}
