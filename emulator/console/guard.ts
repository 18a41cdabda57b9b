/**
 * Who may use the console and the admin endpoints (`/`, `/console/*`, `/_emulator/*`). The server binds
 * 127.0.0.1 only, but any web page the user visits can still send requests to loopback, so:
 *
 * - every such request must name this server in `Host` (127.0.0.1, localhost or [::1] with our port):
 *   a DNS-rebinding page (attacker.example resolving to 127.0.0.1) sends its own host name and is refused,
 *   so it can neither read the console (and its token) nor post to it;
 * - a state-changing request (anything but GET/HEAD) that comes from a browser (it carries `Origin`,
 *   `Referer` or a `Sec-Fetch-*` header) must be same-origin and carry the per-start token the console page
 *   embeds; a cross-site form or `fetch(..., {mode: "no-cors"})` can send neither. Programs (Node's fetch,
 *   curl, the tests and the programmatic API's users) send none of `Origin`, `Referer`, `Sec-Fetch-Site`
 *   and keep working.
 */
import type { IncomingHttpHeaders } from "node:http";

/** The header the console's script sends with the per-start token. */
const TOKEN_HEADER = "x-emulator-token";

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

/** Origins (scheme://host:port) under which this server may be reached. */
function loopbackOrigins(port: number): string[] {
  return LOOPBACK_HOSTS.map((h) => `http://${h}:${port}`);
}

/**
 * Why the request must be refused (403), or undefined when it may go on. `port` is the port the server
 * listens on; `token` the per-start token.
 */
export function refusalOf(
  method: string,
  headers: IncomingHttpHeaders,
  port: number,
  token: string,
): string | undefined {
  const host = headers.host?.toLowerCase();
  if (!host || !LOOPBACK_HOSTS.some((h) => host === `${h}:${port}`)) {
    return `Host ${JSON.stringify(headers.host ?? "")} is not this emulator (expected 127.0.0.1:${port} or localhost:${port}); refused to protect against DNS rebinding`;
  }
  if (method === "GET" || method === "HEAD") return undefined;
  const origin = headers.origin;
  if (origin !== undefined && !loopbackOrigins(port).includes(origin.toLowerCase())) {
    return `cross-origin request from ${JSON.stringify(origin)} refused: the emulator's controls answer only its own console and programs`;
  }
  const site = headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return `cross-site request (Sec-Fetch-Site: ${JSON.stringify(site)}) refused`;
  }
  // Browsers send Origin with every POST (Sec-Fetch-Site too, to loopback); Node's fetch sends neither (only
  // Sec-Fetch-Mode), so it is not taken for a browser.
  const fromBrowser = origin !== undefined || site !== undefined || headers.referer !== undefined;
  if (fromBrowser && headers[TOKEN_HEADER] !== token) {
    return `a browser request needs the console's ${TOKEN_HEADER} header (open the console at http://127.0.0.1:${port}/)`;
  }
  return undefined;
}
