/**
 * Tencent stack config keys and their environment fallbacks (README: "Configuration"), as a table with no
 * validation: ./settings.ts resolves and checks the values.
 */
import { vendorKeys } from "../core/setting-keys";

declare module "../core/errors" {
  interface VendorNames {
    tencent: true;
  }
}

export const TENCENT_KEYS = vendorKeys("tencent", {
  sdkAppId: { config: "tencent:sdkAppId", env: "TENCENT_SDKAPPID" },
  secretKey: { config: "tencent:secretKey", env: "TENCENT_SECRET_KEY", secret: true },
  identifier: { config: "tencent:identifier", env: "TENCENT_IDENTIFIER" },
  region: { config: "tencent:region", env: "TENCENT_REGION" },
  endpoint: { config: "tencent:endpoint", env: "TENCENT_ENDPOINT" },
  requestsPerSecond: { config: "tencent:requestsPerSecond", env: "TENCENT_REQUESTS_PER_SECOND", tuning: true },
  rateLimitScope: { config: "tencent:rateLimitScope", env: "TENCENT_RATE_LIMIT_SCOPE", tuning: true },
});
