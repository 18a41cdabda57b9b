/**
 * A loopback HTTP server around one vendor handler, for testing a handler before (or without) the full
 * emulator: reads the body, builds the `EmulatorRequest`, answers the handler's reply as JSON.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { VendorHandler } from "../../emulator/types";

export interface VendorServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** Serves whatever handler `current()` returns at the time of each request. */
export async function serveVendor(current: () => VendorHandler): Promise<VendorServer> {
  const server = createServer((req, res) => {
    let rawBody = "";
    req.setEncoding("utf8").on("data", (chunk: string) => (rawBody += chunk));
    req.on("end", () => {
      const request = { method: req.method ?? "GET", url: new URL(req.url ?? "/", "http://127.0.0.1"), rawBody };
      const handler = current();
      const reply = handler.matches(request) ? handler.handle(request) : { status: 404, body: { error: "no handler" } };
      res
        .writeHead(reply.status, { "content-type": "application/json" })
        .end(typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
