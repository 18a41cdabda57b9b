/**
 * The process-wide pacing registry. Limiters live on `globalThis`, keyed by (vendor, app, API) by default
 * (or (vendor, app) in the `app` scope), so every resource of every type in the host shares them, even if
 * two copies of this module are loaded; {@link pacedCall} wires a call's attempts to its limiter.
 */
import type { CallSpec } from "./http";
import { RateLimiter, type Permit, type RateSpec } from "./pace";
import { KeySpacing } from "./pace-spacing";

/** Where a limiter applies: one per API of an app (each vendor page states its own limit), or one per app. */
export type RateLimitScope = "api" | "app";

interface Registry {
  limiters: Map<string, RateLimiter>;
  spacing: Map<string, KeySpacing>;
}

// v3: permits must be handed back (release/feedback); a copy of an older version in the same process
// (which never hands them back) keeps its own limiters. Copies of one version share them: the host
// bundle (dist/host) and tsc's output (dist/provider) may both be loaded.
const REGISTRY = Symbol.for("pulumi-rooms.pace.v3");

function registry(): Registry {
  const holder = globalThis as { [REGISTRY]?: Registry };
  holder[REGISTRY] ??= { limiters: new Map(), spacing: new Map() };
  return holder[REGISTRY];
}

/**
 * The registry key of the limiter for one request: `<vendor>:<app>:<api>` in the `api` scope,
 * `<vendor>:<app>` in the `app` scope.
 */
export function limiterKey(vendor: string, app: string | number, api: string, scope: RateLimitScope): string {
  return scope === "api" ? `${vendor}:${app}:${api}` : `${vendor}:${app}`;
}

/**
 * Every limiter of one app (`<vendor>:<app>`), whatever its API: when the vendor says its app-wide limit
 * was hit, all of them share the blame.
 */
export function limitersOfApp(vendor: string, app: string | number): RateLimiter[] {
  const prefix = `${vendor}:${app}`;
  return [...registry().limiters]
    .filter(([key]) => key === prefix || key.startsWith(`${prefix}:`))
    .map(([, limiter]) => limiter);
}

/**
 * The shared limiter for `key` (see {@link limiterKey}), created with `spec` on first use and re-sized to
 * `spec` on later calls so a changed setting takes effect.
 */
export function limiterFor(key: string, spec: RateSpec): RateLimiter {
  const limiters = registry().limiters;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new RateLimiter(spec);
    limiters.set(key, limiter);
  } else if (limiter.rate.limit !== spec.limit) {
    limiter.configure(spec);
  }
  return limiter;
}

/** The shared per-key spacing for `scope` (e.g. `<vendor>:<app>:create_room`). */
export function spacingFor(scope: string): KeySpacing {
  const spacing = registry().spacing;
  let s = spacing.get(scope);
  if (!s) {
    s = new KeySpacing();
    spacing.set(scope, s);
  }
  return s;
}

/**
 * The `pace` and `onAttempt` of a call paced by `limiter`: each attempt waits for a permit (after
 * `before`, e.g. a same-room spacing, so a slot is not held while that wait runs), and its
 * answer is fed back: a vendor code in `throttleCodes` slows the limiter down (one in `appWide.codes`,
 * the app's own limit, slows every limiter of the app), any other vendor answer (success or not, it got
 * past the vendor's limiter) lets it recover; transport failures say nothing about the rate. Either way the
 * permit is handed back, so the limiter counts the request's window from its end.
 */
export function pacedBy(
  limiter: RateLimiter,
  throttleCodes: ReadonlySet<number>,
  before?: () => Promise<number>,
  appWide?: { readonly codes: ReadonlySet<number>; readonly limiters: () => readonly RateLimiter[] },
): Required<Pick<CallSpec<unknown>, "pace" | "onAttempt">> {
  let permit: Permit | undefined;
  return {
    pace: async () => {
      const spaced = before ? await before() : 0;
      permit = await limiter.take();
      return spaced + permit.waitedMs;
    },
    onAttempt: (error) => {
      if (!permit) return;
      if (error === undefined) limiter.feedback(permit, false);
      else if (error.kind !== "vendor") limiter.release(permit);
      else if (appWide?.codes.has(Number(error.code))) {
        // The app's own limit (all APIs together) was hit: every limiter of the app slows down, once
        // for this overshoot (those that slowed down since this request was sent are left alone).
        limiter.feedback(permit, true);
        for (const sibling of appWide.limiters())
          if (sibling !== limiter && sibling.busy) sibling.feedback(permit, true);
      } else limiter.feedback(permit, throttleCodes.has(Number(error.code)));
      permit = undefined;
    },
  };
}

/** How a vendor client paces one call: its limiter's key, its rate and the answers that mean "too fast". */
export interface CallPacing {
  readonly vendor: string;
  readonly app: string | number;
  readonly api: string;
  readonly scope: RateLimitScope;
  /** Requests per second (0: pacing off). */
  readonly limit: number;
  /** Vendor codes that slow this limiter down. */
  readonly slowDown: ReadonlySet<number>;
  /** Vendor codes of the app's own limit (all APIs together): they slow every limiter of the app. */
  readonly appWide: ReadonlySet<number>;
  /** A wait that comes before the permit, e.g. a same-room spacing. */
  readonly before?: () => Promise<number>;
}

/** The `pace` and `onAttempt` of one call, on the process-wide limiter its {@link CallPacing} names. */
export function pacedCall(p: CallPacing): Required<Pick<CallSpec<unknown>, "pace" | "onAttempt">> {
  const limiter = limiterFor(limiterKey(p.vendor, p.app, p.api, p.scope), { limit: p.limit });
  return pacedBy(limiter, p.slowDown, p.before, { codes: p.appWide, limiters: () => limitersOfApp(p.vendor, p.app) });
}
