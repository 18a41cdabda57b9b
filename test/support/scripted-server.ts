/**
 * A loopback HTTP server whose answers a test scripts one by one, for exercising the core HTTP client
 * without a vendor: each request takes the next step ("json", "status", "reset", "hang", "raw", ...).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { closeAgent } from "../../provider/core/http";

export type Step =
  | { kind: "json"; body: unknown; status?: number }
  | { kind: "raw"; body: string; status?: number; contentType?: string }
  | { kind: "reset" }
  | { kind: "hang" }
  | { kind: "drip"; chunk: string; everyMs: number; count: number };

export interface ScriptedServer {
  url: string;
  /** Requests seen, in order: method, URL path+query, body. */
  requests: { method: string; url: string; body: string; at: number }[];
  stop(): Promise<void>;
}

export async function startScriptedServer(script: Step[] | ((n: number) => Step)): Promise<ScriptedServer> {
  const requests: ScriptedServer["requests"] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const next = (n: number): Step =>
    typeof script === "function" ? script(n) : (script[n] ?? script[script.length - 1] ?? { kind: "reset" });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const n = requests.length;
      requests.push({ method: req.method ?? "", url: req.url ?? "", body, at: Date.now() });
      const step = next(n);
      switch (step.kind) {
        case "json":
          res.writeHead(step.status ?? 200, { "content-type": "application/json" }).end(JSON.stringify(step.body));
          return;
        case "raw":
          res.writeHead(step.status ?? 200, { "content-type": step.contentType ?? "text/plain" }).end(step.body);
          return;
        case "reset":
          req.socket.destroy();
          return;
        case "hang":
          return;
        case "drip": {
          res.writeHead(200, { "content-type": "application/json" });
          let sent = 0;
          const t = setInterval(() => {
            if (sent++ >= step.count || res.destroyed) {
              clearInterval(t);
              timers.delete(t);
              res.end();
              return;
            }
            res.write(step.chunk);
          }, step.everyMs);
          timers.add(t);
          return;
        }
      }
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A scripted server for each test that asks for one (`serve`), stopped after the test; the provider's shared
 * HTTP pool is closed after the suite. Call inside the suite's describe.
 */
export function scriptedServerPerTest(): { serve(script: Step[]): Promise<ScriptedServer> } {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });
  after(() => closeAgent());
  return {
    async serve(script) {
      server = await startScriptedServer(script);
      return server;
    },
  };
}
