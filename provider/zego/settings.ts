/**
 * ZEGO settings: the values of the stack config keys (./setting-keys.ts) and their environment fallbacks
 * (README: "Configuration") resolved and checked through core's settings machinery (../core/settings.ts);
 * the ZIM server API hosts, and the documented default rate.
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
import { ZEGO_KEYS } from "./setting-keys";

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

export type ZegoRegion = keyof typeof ZEGO_REGIONS;

/** Each ZIM server action's page: "QPS limit: 20 requests/second". */
export const ZEGO_REQUESTS_PER_SECOND = 20;

const schema = z.object({
  appId: uint32,
  serverSecret: nonEmpty(),
  region: regionSchema(ZEGO_REGIONS).default("unified"),
  endpoint: endpointSchema.optional(),
  fromUserId: nonEmpty().optional(),
  requestsPerSecond: rate.default(ZEGO_REQUESTS_PER_SECOND),
  rateLimitScope: scope.default("api"),
});

/** Resolved ZEGO settings. `baseUrl` is the endpoint override or the region's HTTPS host. */
export type ZegoSettings = Omit<z.infer<typeof schema>, "endpoint"> & { readonly baseUrl: string } & Origin;

/**
 * Resolves ZEGO settings: each key from stack config first (`zego:*`), then the environment.
 * @throws SettingsError listing every missing or malformed value and how to set it.
 */
export function resolveZegoSettings(
  config: ConfigSource | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ZegoSettings {
  const { values, endpointOrigin } = readSettings("zego", ZEGO_KEYS, schema, config, env);
  const { endpoint, ...rest } = values;
  return { ...rest, baseUrl: endpoint ?? `https://${ZEGO_REGIONS[values.region]}`, endpointOrigin };
}
