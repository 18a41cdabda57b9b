/**
 * The hooks every vendor's room provider answers the same way: configure (settings resolved later, on the
 * first call that needs the API), check against the vendor's schema and diff by its change rules, both
 * pure. A vendor's provider extends it with create, read, update and delete.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as z from "zod";
import { checkWithSchema, type CheckOptions, type CheckOutcome } from "./check";
import { Configured, type ConfiguredOptions } from "./configured";
import type { HttpTimeouts, RetryPolicy } from "./http";
import { diffHook, type ChangeRule } from "./lifecycle";
import type { ForeignInputs } from "./rules";
import type { ConfigSource } from "./settings";

type Props = Record<string, unknown>;

/** A room provider's options, for tests; production uses the defaults. */
export interface RoomProviderOptions {
  readonly retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout (default 10 s). */
  readonly timeouts?: Partial<HttpTimeouts>;
  /** Environment for the settings fallbacks (default `process.env`). */
  readonly env?: NodeJS.ProcessEnv;
}

/** A resource's inputs as check and diff see them (each vendor's schema.ts). */
export interface RoomInputRules {
  /** The inputs' schema (check). */
  readonly schema: z.ZodType<Props>;
  /** The check's messages: input names, the resource's name, derived IDs, preview normalisation. */
  readonly check: Omit<CheckOptions, "foreign">;
  /** How each input changes (diff); `roomId` is the ID field. */
  readonly changeRules: Readonly<Record<string, ChangeRule>>;
}

/** How a vendor's provider reaches its API. */
export interface RoomConnection<Api> extends ConfiguredOptions {
  /** Settings and client from the stack config and the environment (may throw a SettingsError). */
  readonly connect: (config: ConfigSource | undefined, env: NodeJS.ProcessEnv) => Api;
}

/**
 * A resource's inputs checked by its rules, as its provider's `check` hook does and as the check exported
 * for mocks (provider/check-inputs.ts) does; `foreign` names the other resource's inputs. Pure.
 */
export function checkByRules<Inputs extends Props>(
  rules: RoomInputRules,
  news: Props,
  foreign: ForeignInputs | undefined,
): CheckOutcome<Inputs> {
  return checkWithSchema(rules.schema, news, { ...rules.check, foreign }) as CheckOutcome<Inputs>;
}

export abstract class RoomProvider<Api, Outputs extends Props> implements Pick<
  pulumi.dynamic.ResourceProvider<Props, Outputs>,
  "configure" | "check" | "diff"
> {
  private readonly connection: Configured<Api>;

  /** `foreign`: the other resource's inputs, named when a user writes one of them here. */
  constructor(
    private readonly rules: RoomInputRules,
    private readonly foreign: ForeignInputs | undefined,
    connection: RoomConnection<Api>,
  ) {
    this.connection = new Configured(connection.connect, connection);
  }

  /** Receives the stack config; settings are resolved later, only when a call needs the API. */
  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.connection.configure(req.config);
  }

  async check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult<Props>> {
    const { inputs, failures } = checkByRules(this.rules, news, this.foreign);
    return { inputs, failures };
  }

  async diff(_id: string, olds: Outputs, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return diffHook(olds, news, this.rules.changeRules, "roomId");
  }

  /** Settings and client for the last config, made on first use. */
  protected api(): Api {
    return this.connection.get();
  }
}
