/**
 * Credentials and endpoints, resolved at run time from the stack config the engine hands to `configure`,
 * with environment variables as the fallback (README: "Configuration"). Nothing here is ever stored in
 * state. Validation explains every missing or malformed value and how to set it. Each vendor folder
 * declares its keys in setting-keys.ts (./setting-keys.ts `vendorKeys`).
 */
import * as z from "zod";
import type { EndpointOrigin } from "./connection";
import { SettingsError, type Vendor } from "./errors";
import { registerSecret } from "./redact";
import type { SettingKey } from "./setting-keys";

/** What `configure` receives (Pulumi's `dynamic.Config`), or any map-like source of stack config. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Base URL: HTTPS always; plain HTTP only to a loopback host (the emulator). No query or fragment. */
export const endpointSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an absolute URL such as https://host" });
      return;
    }
    if (url.protocol === "http:" && !LOOPBACK.test(url.hostname)) {
      ctx.addIssue({
        code: "custom",
        message: "must use https:// (plain http:// is only allowed to a loopback host such as 127.0.0.1)",
      });
    } else if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: "must use https://" });
    }
    if (url.search || url.hash) ctx.addIssue({ code: "custom", message: "must not carry a query string or fragment" });
    if (url.username || url.password) ctx.addIssue({ code: "custom", message: "must not carry credentials" });
  })
  .transform((value) => value.replace(/\/+$/, ""));

/** An app ID: a positive 32-bit number. */
export const uint32 = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be a positive number")
  .max(4294967295, "must fit in 32 bits");

/** A non-empty text value (surrounding whitespace dropped). */
export const nonEmpty = () => z.string().trim().min(1, "must not be empty");

// A rate below 1/s would round to no permit at all after the first, and every later call would wait forever.
/** `requestsPerSecond`: 0 (pacing off) or at least 1. */
export const rate = z.coerce
  .number({ message: "must be a number" })
  .min(0, "must be 0 (pacing off) or more")
  .refine((n) => n === 0 || n >= 1, "must be 0 (pacing off) or at least 1 request per second");

/**
 * What `requestsPerSecond` applies to: each API of the app (`api`, the vendors' pages state the limit per
 * command/action) or all of the app's requests together (`app`, for an app whose vendor counts that way).
 */
export const scope = z.enum(["api", "app"], {
  message: 'must be "api" (one limit per API, the default) or "app" (one limit for all of the app\'s requests)',
});

/** One of a vendor's region names. */
export function regionSchema<R extends string>(regions: Record<R, string>) {
  const names = Object.keys(regions) as [R, ...R[]];
  return z.enum(names, { message: `must be one of: ${names.join(", ")}` });
}

/** Where `baseUrl` came from (for connection-failure messages); absent in hand-made settings. */
export interface Origin {
  readonly endpointOrigin?: EndpointOrigin;
}

/** The key table of a vendor with an endpoint override and a region. */
interface EndpointKeys {
  endpoint: SettingKey;
  region: SettingKey;
}

/**
 * Reads a vendor's settings: each key from stack config first, then the environment; validates them with
 * `schema` and registers every secret for redaction. Returns the parsed values and where the base URL
 * came from.
 * @throws SettingsError listing every missing or malformed value and how to set it.
 */
export function readSettings<K extends string, S extends z.ZodType>(
  vendor: Vendor,
  keys: Record<K, SettingKey> & EndpointKeys,
  schema: S,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): { values: z.infer<S>; endpointOrigin: EndpointOrigin } {
  const raw = gather(keys, config, env);
  const values = parse(vendor, schema, keys, raw);
  for (const name of Object.keys(keys) as K[]) {
    const value = (values as Record<string, unknown>)[name];
    if (keys[name].secret && typeof value === "string") registerSecret(value);
  }
  return { values, endpointOrigin: originOf(keys, config, env) };
}

/** Whether a setting has a value, in stack config or its environment fallback. */
export function hasSetting(key: SettingKey, config: ConfigSource | undefined, env: NodeJS.ProcessEnv): boolean {
  return nonBlank(config?.get(key.config)) !== undefined || nonBlank(env[key.env]) !== undefined;
}

/** Which setting chose the base URL: the endpoint (from config or env), else the region (or its default). */
function originOf(keys: EndpointKeys, config: ConfigSource | undefined, env: NodeJS.ProcessEnv): EndpointOrigin {
  for (const key of [keys.endpoint, keys.region]) {
    if (nonBlank(config?.get(key.config)) !== undefined)
      return { setting: key.config, env: key.env, from: "stack config" };
    if (nonBlank(env[key.env]) !== undefined) return { setting: key.config, env: key.env, from: "environment" };
  }
  return { setting: keys.endpoint.config, env: keys.endpoint.env, from: "default" };
}

/** Reads every key of a table: config wins over the environment; blank values count as unset. */
function gather<K extends string>(
  keys: Record<K, SettingKey>,
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv,
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of Object.keys(keys) as K[]) {
    const key = keys[name];
    const value = nonBlank(config?.get(key.config)) ?? nonBlank(env[key.env]);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function parse<K extends string, S extends z.ZodType>(
  vendor: Vendor,
  schema: S,
  keys: Record<K, SettingKey>,
  raw: Partial<Record<K, string>>,
): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "") as K;
    const key = keys[name];
    if (!key) return issue.message;
    const how = `pulumi config set ${key.secret ? "--secret " : ""}${key.config} <value>`;
    // Never echo the offending value: it may be a secret pasted into the wrong key.
    if (raw[name] === undefined)
      return `${key.config} is not set: run \`${how}\` or set the ${key.env} environment variable`;
    return `${key.config} (or ${key.env}) ${issue.message}: fix it with \`${how}\``;
  });
  throw new SettingsError(vendor, problems);
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
