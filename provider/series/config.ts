/**
 * The stack config keys of the package's own namespace, `pulumi-rooms`, which MeetingSeries reads
 * (resource.ts: `new pulumi.Config("pulumi-rooms").get("asOf")`). A leaf with no imports, so the list of
 * known keys (../config-keys.ts) does not load the series code.
 */

/** The namespace of the package's own stack config (`pulumi-rooms:<key>`). */
export const SERIES_CONFIG_NAMESPACE = "pulumi-rooms";

/** `pulumi-rooms:asOf`: the UTC day (`YYYY-MM-DD`) a MeetingSeries plans its window for (default: today). */
export const SERIES_CONFIG_KEYS: readonly string[] = [`${SERIES_CONFIG_NAMESPACE}:asOf`];
