/**
 * ZEGO stack config keys and their environment fallbacks (README: "Configuration"), as a table with no
 * validation: ./settings.ts resolves and checks the values.
 */
import { vendorKeys } from "../core/setting-keys";

declare module "../core/errors" {
  interface VendorNames {
    zego: true;
  }
}

export const ZEGO_KEYS = vendorKeys("zego", {
  appId: { config: "zego:appId", env: "ZEGO_APP_ID" },
  serverSecret: { config: "zego:serverSecret", env: "ZEGO_SERVER_SECRET", secret: true },
  region: { config: "zego:region", env: "ZEGO_REGION" },
  endpoint: { config: "zego:endpoint", env: "ZEGO_ENDPOINT" },
  fromUserId: { config: "zego:fromUserId", env: "ZEGO_FROM_USER_ID" },
  requestsPerSecond: { config: "zego:requestsPerSecond", env: "ZEGO_REQUESTS_PER_SECOND", tuning: true },
  rateLimitScope: { config: "zego:rateLimitScope", env: "ZEGO_RATE_LIMIT_SCOPE", tuning: true },
});
