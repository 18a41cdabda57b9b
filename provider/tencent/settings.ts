/**
 * Tencent settings: the values of the stack config keys (./setting-keys.ts) and their environment fallbacks
 * (README: "Configuration") resolved and checked through core's settings machinery (../core/settings.ts);
 * the Room Engine regions and their REST domains, and the documented default rate.
 */
import * as z from "zod";
import {
  endpointSchema,
  nonEmpty,
  rate,
  readSettings,
  regionSchema,
  scope,
  uint32,
  type ConfigSource,
  type Origin,
} from "../core/settings";
import { TENCENT_KEYS } from "./setting-keys";

/**
 * Tencent Room Engine regions and their reserved REST domains (Chat RESTful API overview,
 * https://trtc.io/document/60703).
 */
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

export type TencentRegion = keyof typeof TENCENT_REGIONS;

/** Each Room Engine page: "Maximum calling frequency: 200 times per second". */
export const TENCENT_REQUESTS_PER_SECOND = 200;

const schema = z.object({
  sdkAppId: uint32,
  secretKey: nonEmpty(),
  identifier: nonEmpty().default("administrator"),
  region: regionSchema(TENCENT_REGIONS).default("singapore"),
  endpoint: endpointSchema.optional(),
  requestsPerSecond: rate.default(TENCENT_REQUESTS_PER_SECOND),
  rateLimitScope: scope.default("api"),
});

/** Resolved Tencent settings. `baseUrl` is the endpoint override or the region's HTTPS domain. */
export type TencentSettings = Omit<z.infer<typeof schema>, "endpoint"> & { readonly baseUrl: string } & Origin;

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
export function resolveTencentSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): TencentSettings {
  const { values, endpointOrigin } = readSettings("tencent", TENCENT_KEYS, schema, config, env);
  const { endpoint, ...rest } = values;
  const baseUrl =
    endpoint === undefined ? `https://${TENCENT_REGIONS[values.region]}` : withoutTencentApiPath(endpoint);
  return { ...rest, baseUrl, endpointOrigin };
}
