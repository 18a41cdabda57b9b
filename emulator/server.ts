/**
 * The emulator's HTTP server: one loopback port for every vendor. It owns sockets, transport faults
 * (reset, 502, latency, lost response), vendor transient faults, request counters and the admin
 * endpoints under `/_emulator/`; vendor handlers own everything the vendor API defines.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultInjector } from "./faults";
import type { EmulatorReply, EmulatorRequest, FaultPlan, VendorHandler } from "./types";

/** Largest request body read; beyond it the server answers 413 (vendor requests are a few KB). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** action -> result -> count. */
export type Counters = Record<string, Record<string, number>>;

export interface ServerOptions {
  readonly handlers: readonly VendorHandler[];
  readonly faults?: FaultPlan;
  /** Called after each request that changed state (for the state file). */
  readonly onCommit?: () => void;
  /** The inspection document served at GET /_emulator/state. */
  readonly inspect: () => unknown;
  /** Called by POST /_emulator/reset. */
  readonly reset: () => void;
  readonly log?: (line: string) => void;
}

export class EmulatorServer {
  readonly faults: FaultInjector;
  private counters: Counters = {};
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly options: ServerOptions) {
    this.faults = new FaultInjector(options.faults);
    this.server = createServer((req, res) => this.receive(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Binds 127.0.0.1 (never another interface); port 0 picks a free port. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  snapshotCounters(): Counters {
    return JSON.parse(JSON.stringify(this.counters)) as Counters;
  }

  resetCounters(): void {
    this.counters = {};
  }

  private count(action: string, result: string): void {
    const byResult = (this.counters[action] ??= {});
    byResult[result] = (byResult[result] ?? 0) + 1;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) {
        send(res, 413, { error: `request body over ${MAX_REQUEST_BYTES} bytes` });
        return;
      }
      const request: EmulatorRequest = {
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", "http://127.0.0.1"),
        rawBody: Buffer.concat(chunks).toString("utf8"),
      };
      this.serve(request, req, res).catch((err: unknown) => {
        this.options.log?.(`emulator: internal error: ${String(err)}`);
        if (!res.headersSent) send(res, 500, { error: "emulator internal error" });
      });
    });
  }

  private async serve(request: EmulatorRequest, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (request.url.pathname.startsWith("/_emulator/")) {
      this.admin(request, res);
      return;
    }
    const handler = this.options.handlers.find((h) => h.matches(request));
    if (!handler) {
      send(res, 404, { error: `no emulated API at ${request.url.pathname}` });
      return;
    }
    const action = handler.actionOf(request);
    const fault = this.faults.decide(action);
    if (fault.reset) {
      this.count(action, "fault:reset");
      req.socket.destroy();
      return;
    }
    if (fault.http502) {
      this.count(action, "fault:502");
      res.writeHead(502, { "content-type": "text/html" }).end("<html><body><h1>502 Bad Gateway</h1></body></html>");
      return;
    }
    if (fault.latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      if (req.socket.destroyed) return;
    }
    if (fault.vendorTransient) {
      const reply = handler.transientReply(request);
      this.count(action, `fault:${reply.result}`);
      send(res, reply.status, reply.body);
      return;
    }
    const reply: EmulatorReply = handler.handle(request);
    this.count(reply.action, reply.result);
    if (reply.committed) this.options.onCommit?.();
    if (fault.lostResponse && reply.committed) {
      // The change stays committed; the client only sees the connection drop.
      this.count(reply.action, "fault:lost");
      req.socket.destroy();
      return;
    }
    this.options.log?.(`${request.method} ${action} -> ${reply.result}`);
    send(res, reply.status, reply.body);
  }

  private admin(request: EmulatorRequest, res: ServerResponse): void {
    const route = `${request.method} ${request.url.pathname}`;
    switch (route) {
      case "GET /_emulator/state":
        send(res, 200, this.options.inspect());
        return;
      case "POST /_emulator/reset":
        this.options.reset();
        send(res, 200, { ok: true });
        return;
      case "POST /_emulator/faults": {
        let plan: unknown;
        try {
          plan = request.rawBody.trim() === "" ? null : JSON.parse(request.rawBody);
        } catch {
          send(res, 400, { error: "body must be a JSON fault plan or null" });
          return;
        }
        if (plan !== null && (typeof plan !== "object" || typeof (plan as { seed?: unknown }).seed !== "number")) {
          send(res, 400, { error: "a fault plan needs a numeric seed" });
          return;
        }
        this.faults.set(plan === null ? undefined : (plan as FaultPlan));
        send(res, 200, { ok: true, faults: this.faults.current ?? null });
        return;
      }
      default:
        send(res, 404, { error: `no admin route ${route}` });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": typeof body === "string" ? "text/plain" : "application/json" }).end(text);
}
