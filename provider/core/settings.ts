/**
 * Credentials and endpoints, resolved at run time from the stack config the engine hands to `configure`,
 * with environment variables as the fallback (design: public contract). Nothing here is ever stored in
 * state. Validation explains every missing or malformed value and how to set it.
 */
import * as z from "zod";
import type { EndpointOrigin } from "./connection";
import { registerSecret, SettingsError, type Vendor } from "./errors";

/** What `configure` receives (Pulumi's `dynamic.Config`), or any map-like source of stack config. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

/** Tencent Room Engine regions and their reserved REST domains (Chat RESTful API overview). */
export const TENCENT_REGIONS = {
  china: "console.tim.qq.com",
  singapore: "adminapisgp.im.qcloud.com",
  korea: "adminapikr.im.qcloud.com",
  japan: "adminapijpn.im.qcloud.com",
  germany: "adminapiger.im.qcloud.com",
  india: "adminapiind.im.qcloud.com",
  usa: "adminapiusa.im.qcloud.com",
  indonesia: "adminapiidn.im.qcloud.com",
} as const;

/** ZEGO ZIM server API hosts: `unified` (any region) or a regional one. */
export const ZEGO_REGIONS = {
  unified: "zim-api.zego.im",
  sha: "zim-api-sha.zego.im",
  hkg: "zim-api-hkg.zego.im",
  fra: "zim-api-fra.zego.im",
  lax: "zim-api-lax.zego.im",
  bom: "zim-api-bom.zego.im",
  sgp: "zim-api-sgp.zego.im",
} as const;

export type TencentRegion = keyof typeof TENCENT_REGIONS;
export type ZegoRegion = keyof typeof ZEGO_REGIONS;

/** One row of the contract table: a stack config key and its environment fallback. */
interface SettingKey {
  readonly config: string;
  readonly env: string;
  readonly secret?: boolean;
}

const TENCENT_KEYS = {
  sdkAppId: { config: "tencent:sdkAppId", env: "TENCENT_SDKAPPID" },
  secretKey: { config: "tencent:secretKey", env: "TENCENT_SECRET_KEY", secret: true },
  identifier: { config: "tencent:identifier", env: "TENCENT_IDENTIFIER" },
  region: { config: "tencent:region", env: "TENCENT_REGION" },
  endpoint: { config: "tencent:endpoint", env: "TENCENT_ENDPOINT" },
  requestsPerSecond: { config: "tencent:requestsPerSecond", env: "TENCENT_REQUESTS_PER_SECOND" },
  rateLimitScope: { config: "tencent:rateLimitScope", env: "TENCENT_RATE_LIMIT_SCOPE" },
} as const satisfies Record<string, SettingKey>;

const ZEGO_KEYS = {
  appId: { config: "zego:appId", env: "ZEGO_APP_ID" },
  serverSecret: { config: "zego:serverSecret", env: "ZEGO_SERVER_SECRET", secret: true },
  region: { config: "zego:region", env: "ZEGO_REGION" },
  endpoint: { config: "zego:endpoint", env: "ZEGO_ENDPOINT" },
  fromUserId: { config: "zego:fromUserId", env: "ZEGO_FROM_USER_ID" },
  requestsPerSecond: { config: "zego:requestsPerSecond", env: "ZEGO_REQUESTS_PER_SECOND" },
  rateLimitScope: { config: "zego:rateLimitScope", env: "ZEGO_RATE_LIMIT_SCOPE" },
} as const satisfies Record<string, SettingKey>;

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Base URL: HTTPS always; plain HTTP only to a loopback host (the emulator). No query or fragment. */
const endpointSchema = z
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
      ctx.addIssue({ code: "custom", message: "must use https:// (plain http:// is only allowed to a loopback host such as 127.0.0.1)" });
    } else if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: "must use https://" });
    }
    if (url.search || url.hash) ctx.addIssue({ code: "custom", message: "must not carry a query string or fragment" });
    if (url.username || url.password) ctx.addIssue({ code: "custom", message: "must not carry credentials" });
  })
  .transform((value) => value.replace(/\/+$/, ""));

const uint32 = z.coerce
  .number({ message: "must be a number" })
  .int("must be a whole number")
  .min(1, "must be a positive number")
  .max(4294967295, "must fit in 32 bits");

// A rate below 1/s would round to no permit at all after the first, and every later call would wait forever.
const rate = z.coerce
  .number({ message: "must be a number" })
  .min(0, "must be 0 (pacing off) or more")
  .refine((n) => n === 0 || n >= 1, "must be 0 (pacing off) or at least 1 request per second");

/**
 * What `requestsPerSecond` applies to: each API of the app (`api`, the vendors' pages state the limit per
 * command/action) or all of the app's requests together (`app`, for an app whose vendor counts that way).
 */
const scope = z.enum(["api", "app"], { message: 'must be "api" (one limit per API, the default) or "app" (one limit for all of the app\'s requests)' });

function regionSchema<R extends string>(regions: Record<R, string>) {
  const names = Object.keys(regions) as [R, ...R[]];
  return z.enum(names, { message: `must be one of: ${names.join(", ")}` });
}

const tencentSchema = z.object({
  sdkAppId: uint32,
  secretKey: z.string().trim().min(1, "must not be empty"),
  identifier: z.string().trim().min(1, "must not be empty").default("administrator"),
  region: regionSchema(TENCENT_REGIONS).default("singapore"),
  endpoint: endpointSchema.optional(),
  requestsPerSecond: rate.default(200),
  rateLimitScope: scope.default("api"),
});

const zegoSchema = z.object({
  appId: uint32,
  serverSecret: z.string().trim().min(1, "must not be empty"),
  region: regionSchema(ZEGO_REGIONS).default("unified"),
  endpoint: endpointSchema.optional(),
  fromUserId: z.string().trim().min(1, "must not be empty").optional(),
  requestsPerSecond: rate.default(20),
  rateLimitScope: scope.default("api"),
});

/** Where `baseUrl` came from (for connection-failure messages); absent in hand-made settings. */
interface Origin {
  readonly endpointOrigin?: EndpointOrigin;
}
/** Resolved Tencent settings. `baseUrl` is the endpoint override or the region's HTTPS domain. */
export type TencentSettings = Omit<z.infer<typeof tencentSchema>, "endpoint"> & { readonly baseUrl: string } & Origin;
/** Resolved ZEGO settings. `baseUrl` is the endpoint override or the region's HTTPS host. */
export type ZegoSettings = Omit<z.infer<typeof zegoSchema>, "endpoint"> & { readonly baseUrl: string } & Origin;

/** The Room Engine's API path: the client adds it, so an endpoint that already ends in it is cut back. */
export const TENCENT_API_PATH = "/v4/room_engine_http_srv";

/**
 * An endpoint copied from a full API URL (`https://host/v4/room_engine_http_srv/create_room`) would double
 * the path into every request: keep only what precedes the API path.
 */
export function withoutTencentApiPath(baseUrl: string): string {
  const at = baseUrl.indexOf(TENCENT_API_PATH);
  return at < 0 ? baseUrl : baseUrl.slice(0, at).replace(/\/+$/, "");
}

/**
 * Resolves Tencent settings: each key from stack config first (`tencent:*`), then the environment.
 * @throws SettingsError listing every missing or malformed value and how to set it.
 */
export function resolveTencentSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): TencentSettings {
  const raw = gather(TENCENT_KEYS, config, env);
  const parsed = parse("tencent", tencentSchema, TENCENT_KEYS, raw);
  registerSecret(parsed.secretKey);
  const { endpoint, ...rest } = parsed;
  const baseUrl = endpoint === undefined ? `https://${TENCENT_REGIONS[parsed.region]}` : withoutTencentApiPath(endpoint);
  return { ...rest, baseUrl, endpointOrigin: originOf(TENCENT_KEYS, config, env) };
}

/**
 * Resolves ZEGO settings: each key from stack config first (`zego:*`), then the environment.
 * @throws SettingsError listing every missing or malformed value and how to set it.
 */
export function resolveZegoSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): ZegoSettings {
  const raw = gather(ZEGO_KEYS, config, env);
  const parsed = parse("zego", zegoSchema, ZEGO_KEYS, raw);
  registerSecret(parsed.serverSecret);
  const { endpoint, ...rest } = parsed;
  return { ...rest, baseUrl: endpoint ?? `https://${ZEGO_REGIONS[parsed.region]}`, endpointOrigin: originOf(ZEGO_KEYS, config, env) };
}

/** Which setting chose the base URL: the endpoint (from config or env), else the region (or its default). */
function originOf(keys: { endpoint: SettingKey; region: SettingKey }, config: ConfigSource | undefined, env: NodeJS.ProcessEnv): EndpointOrigin {
  for (const key of [keys.endpoint, keys.region]) {
    if (nonBlank(config?.get(key.config)) !== undefined) return { setting: key.config, env: key.env, from: "stack config" };
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
    if (raw[name] === undefined) return `${key.config} is not set: run \`${how}\` or set the ${key.env} environment variable`;
    return `${key.config} (or ${key.env}) ${issue.message}: fix it with \`${how}\``;
  });
  throw new SettingsError(vendor, problems);
}

function nonBlank(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}
