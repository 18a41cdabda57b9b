/**
 * The web console's routes on the emulator's port: the page (`GET /`), its static files (`GET /console/*`,
 * from emulator/console/static/ and uPlot from node_modules: nothing from a CDN, so it works offline), the
 * data it polls (`GET /_emulator/console`) and the rate-limit control (`POST /_emulator/rate-limits`).
 * The server checks every request here with guard.ts before it gets this far.
 */
import { readdirSync, readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { join } from "node:path";
import type { RateMode } from "../rate";
import type { EmulatorRequest } from "../types";
import { consoleView, parseRateLimits, type ConsoleSource } from "./view";

/** What the console may change, through the emulator's programmatic API. */
export interface ConsoleControls {
  setRateLimits(
    limits: { readonly tencent?: number | false; readonly zego?: number | false } & Partial<RateMode>,
  ): void;
}

interface Asset {
  readonly file: string;
  readonly type: string;
}

const STATIC = join(__dirname, "static");
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

/**
 * The page's files, by URL: the scripts and styles in static/ (a fixed table, so no request path ever
 * reaches the file system), and uPlot (MIT, a dependency) from the installed package as it ships. Built
 * on the first console request, so an emulator whose build lacks static/ still serves the vendor APIs.
 */
function assetTable(): Readonly<Record<string, Asset>> {
  const own = readdirSync(STATIC).flatMap((name): [string, Asset][] => {
    const type = name.endsWith(".js") ? JS : name.endsWith(".css") ? CSS : undefined;
    return type ? [[`/console/${name}`, { file: join(STATIC, name), type }]] : [];
  });
  return {
    ...Object.fromEntries(own),
    "/console/uPlot.iife.min.js": { file: require.resolve("uplot/dist/uPlot.iife.min.js"), type: JS },
    "/console/uPlot.min.css": { file: require.resolve("uplot/dist/uPlot.min.css"), type: CSS },
  };
}
const PAGE = join(STATIC, "index.html");

/**
 * Scripts and styles only from this origin; no framing (the controls must not be clickjacked); uPlot sets
 * element styles from script, which CSP's style-src does not govern, and the page has no inline script.
 */
const PAGE_HEADERS = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** Serves the console; see the module comment. */
export class ConsoleRoutes {
  private readonly cache = new Map<string, string>();
  private assets: Readonly<Record<string, Asset>> | undefined;

  constructor(
    private readonly source: ConsoleSource,
    private readonly controls: ConsoleControls,
  ) {}

  /** True when `request` is one of the console's routes (then it has been answered). */
  serve(request: EmulatorRequest, res: ServerResponse, token: string): boolean {
    const path = request.url.pathname;
    const read = request.method === "GET" || request.method === "HEAD";
    if (read && (path === "/" || path.startsWith("/console/"))) {
      try {
        if (path === "/") {
          // The token lets the page's own script use the controls; guard.ts refuses browser requests without it.
          const html = this.file(PAGE).replace("__EMULATOR_TOKEN__", token);
          res.writeHead(200, { ...PAGE_HEADERS, "content-type": "text/html; charset=utf-8" }).end(html);
          return true;
        }
        const asset = (this.assets ??= assetTable())[path];
        if (!asset) return false;
        res.writeHead(200, { ...PAGE_HEADERS, "content-type": asset.type }).end(this.file(asset.file));
      } catch (err) {
        // A build that skipped the copy step (plain `tsc`) has no static/: say so instead of a bare 500.
        const missing = (err as NodeJS.ErrnoException).code === "ENOENT";
        sendJson(res, 500, {
          error: missing
            ? `the console's files are missing from ${STATIC}: build with \`npm run build\`, which copies emulator/console/static`
            : errorText(err),
        });
      }
      return true;
    }
    if (read && path === "/_emulator/console") {
      const since = Number(request.url.searchParams.get("since") ?? "0");
      sendJson(res, 200, consoleView(this.source, Number.isFinite(since) ? since : 0));
      return true;
    }
    if (request.method === "POST" && path === "/_emulator/rate-limits") {
      try {
        const body: unknown = JSON.parse(request.rawBody);
        this.controls.setRateLimits(parseRateLimits(body));
      } catch (err) {
        sendJson(res, 400, {
          error:
            err instanceof SyntaxError ? 'body must be JSON such as {"tencent": 200, "zego": false}' : errorText(err),
        });
        return true;
      }
      sendJson(res, 200, {
        ok: true,
        limits: { tencent: this.source.tencent.rateLimit(), zego: this.source.zego.rateLimit() },
      });
      return true;
    }
    return false;
  }

  private file(path: string): string {
    let text = this.cache.get(path);
    if (text === undefined) {
      text = readFileSync(path, "utf8");
      this.cache.set(path, text);
    }
    return text;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" })
    .end(JSON.stringify(body));
}
