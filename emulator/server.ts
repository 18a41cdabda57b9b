/**
 * The emulator's HTTP server: one loopback port for every vendor. It owns sockets, transport faults
 * (reset, 502, latency, lost response), vendor transient faults, request counters, the request log, the
 * admin endpoints under `/_emulator/` and the web console at `/` (both guarded by console/guard.ts);
 * vendor handlers own everything the vendor API defines.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { refusalOf } from "./console/guard";
import type { ConsoleRoutes } from "./console/routes";
import { FaultInjector, validateFaultPlan } from "./faults";
import type { InjectedFault, RequestLog } from "./request-log";
import type { EmulatorReply, EmulatorRequest, FaultPlan, VendorHandler } from "./types";

/** Largest request body read; beyond it the server answers 413 (vendor requests are a few KB). */
const MAX_REQUEST_BYTES = 1024 * 1024;

/** The HTML a gateway sends with a 502 (the `http502` fault): clients must cope with a non-JSON body. */
const BAD_GATEWAY_HTML = "<html><body><h1>502 Bad Gateway</h1></body></html>";

/** action -> result -> count. Results: "ok", a vendor code ("100004"), or "fault:<kind>". */
export type Counters = Record<string, Record<string, number>>;

/** What the server needs from its owner (emulator/index.ts). */
export interface ServerOptions {
  /** Vendor handlers, asked in order; the first whose `matches` is true serves the request. */
  readonly handlers: readonly VendorHandler[];
  readonly faults?: FaultPlan;
  /** Called after each request that changed state (for the state file), with the rooms it changed when known. */
  readonly onCommit?: (vendor: VendorHandler["vendor"], changedRooms: readonly string[] | undefined) => void;
  /** The inspection document served at GET /_emulator/state. */
  readonly inspect: () => unknown;
  /** Called by POST /_emulator/reset. */
  readonly reset: () => void;
  /** GET /_emulator/rate-limits: the limits in force and how they are counted (the console's POST changes them). */
  readonly rateLimits?: () => unknown;
  /** One line per vendor request (method, vendor, action, result; never the query, which holds signatures). */
  readonly log?: (line: string) => void;
  /** Receives one event per vendor request (the console's request log). */
  readonly requestLog?: RequestLog;
  /** The emulator's clock (ms) for request-log times [Date.now]. */
  readonly now?: () => number;
  /** The web console's routes (GET /, /console/*, /_emulator/console, /_emulator/rate-limits). */
  readonly console?: ConsoleRoutes;
}

/** The loopback HTTP server that dispatches to vendor handlers and applies faults. */
export class EmulatorServer {
  readonly faults: FaultInjector;
  private counters: Counters = {};
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;
  /** Per start: embedded in the console page; browser requests to the controls must carry it (guard.ts). */
  readonly consoleToken = randomBytes(16).toString("hex");
  private port = 0;

  constructor(private readonly options: ServerOptions) {
    this.faults = new FaultInjector(options.faults);
    this.server = createServer((req, res) => this.receive(req, res));
    // Clients pool connections (the provider uses an undici Pool); keep idle sockets open for reuse.
    this.server.keepAliveTimeout = 30_000;
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  /** Binds 127.0.0.1 (never another interface); port 0 picks a free port. Resolves with the port. */
  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  /** Stops listening and drops every open (also idle keep-alive) connection, so it resolves promptly. */
  async close(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** A copy of the counters. */
  snapshotCounters(): Counters {
    return structuredClone(this.counters);
  }

  resetCounters(): void {
    this.counters = {};
  }

  private count(vendor: string, action: string, result: string, method: string): void {
    const byResult = (this.counters[action] ??= {});
    byResult[result] = (byResult[result] ?? 0) + 1;
    this.options.log?.(`${method} ${vendor} ${action} -> ${result}`);
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Keep reading (and dropping) past the cap so the connection stays usable for the 413 answer.
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_REQUEST_BYTES) {
        sendJson(res, 413, { error: `request body over ${MAX_REQUEST_BYTES} bytes` });
        return;
      }
      const request: EmulatorRequest = {
        method: req.method ?? "GET",
        url: new URL(req.url ?? "/", "http://127.0.0.1"),
        rawBody: Buffer.concat(chunks).toString("utf8"),
      };
      this.serve(request, req, res, arrived).catch((err: unknown) => {
        this.options.log?.(`emulator: internal error: ${err instanceof Error ? err.message : String(err)}`);
        if (!res.headersSent) sendJson(res, 500, { error: "emulator internal error" });
      });
    });
  }

  private async serve(
    request: EmulatorRequest,
    req: IncomingMessage,
    res: ServerResponse,
    arrived: number,
  ): Promise<void> {
    const path = request.url.pathname;
    const page = (path === "/" && !request.url.searchParams.has("Action")) || path.startsWith("/console/");
    if (path.startsWith("/_emulator/") || (page && (request.method === "GET" || request.method === "HEAD"))) {
      const refusal = refusalOf(request.method, req.headers, this.port, this.consoleToken);
      if (refusal) {
        this.options.log?.(`emulator: refused ${request.method} ${path}: ${refusal}`);
        sendJson(res, 403, { error: refusal });
        return;
      }
      if (!this.options.console?.serve(request, res, this.consoleToken)) this.admin(request, res);
      return;
    }
    const handler = this.options.handlers.find((h) => h.matches(request));
    if (!handler) {
      sendJson(res, 404, { error: `no emulated API at ${request.url.pathname}` });
      return;
    }
    const action = handler.actionOf(request);
    const at = (this.options.now ?? Date.now)();
    const event = (outcome: Outcome): void => this.record(handler, request, action, at, arrived, outcome);
    const count = (result: string) => this.count(handler.vendor, action, result, request.method);
    const fault = this.faults.decide(action);
    // Order (documented in the README): reset, 502 and the vendor's retry code answer before the
    // handler runs, so nothing commits; latency delays a request that then runs normally.
    if (fault.reset) {
      count("fault:reset");
      req.socket.destroy();
      event({ fault: "reset" });
      return;
    }
    if (fault.http502) {
      count("fault:502");
      res.writeHead(502, { "content-type": "text/html" }).end(BAD_GATEWAY_HTML);
      event({ status: 502, fault: "http502" });
      return;
    }
    if (fault.vendorTransient) {
      const reply = handler.transientReply(request);
      count(`fault:${reply.result}`);
      send(res, reply);
      event({ status: reply.status, result: reply.result, fault: "vendorTransient" });
      return;
    }
    if (fault.latencyMs > 0) {
      // The request still runs if the client gave up meanwhile: a real backend does not know either,
      // which is exactly the case (timeout, then the change lands anyway) a client must survive.
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    }
    const reply: EmulatorReply = handler.handle(request);
    count(reply.result);
    if (reply.committed) this.options.onCommit?.(handler.vendor, reply.changedRooms);
    const latency: InjectedFault | undefined = fault.latencyMs > 0 ? "latency" : undefined;
    if (fault.lostResponse && reply.committed) {
      // The change stays committed; the client only sees the connection drop.
      count("fault:lost");
      req.socket.destroy();
      event({ result: reply.result, fault: "lostResponse", rateLimited: reply.rateLimited });
      return;
    }
    send(res, reply);
    event({ status: reply.status, result: reply.result, fault: latency, rateLimited: reply.rateLimited });
  }

  /** Adds a vendor request to the request log once it is answered (or its socket dropped). */
  private record(
    handler: VendorHandler,
    request: EmulatorRequest,
    action: string,
    at: number,
    arrived: number,
    outcome: Outcome,
  ): void {
    if (!this.options.requestLog) return;
    const code = outcome.result === undefined ? undefined : outcome.result === "ok" ? 0 : Number(outcome.result);
    const known = code !== undefined && Number.isFinite(code) ? code : undefined;
    this.options.requestLog.record({
      at,
      vendor: handler.vendor,
      method: request.method,
      action,
      roomId: handler.roomOf(request),
      status: outcome.status,
      code: known,
      meaning: known === undefined || known === 0 ? undefined : handler.codeMeaning(known),
      latencyMs: Math.round((performance.now() - arrived) * 10) / 10,
      fault: outcome.fault,
      rateLimited: outcome.rateLimited === true,
    });
  }

  private admin(request: EmulatorRequest, res: ServerResponse): void {
    const route = `${request.method} ${request.url.pathname}`;
    switch (route) {
      case "GET /_emulator/state":
        sendJson(res, 200, this.options.inspect());
        return;
      case "POST /_emulator/reset":
        this.options.reset();
        sendJson(res, 200, { ok: true });
        return;
      case "POST /_emulator/faults": {
        let plan: FaultPlan | undefined;
        try {
          const parsed: unknown = request.rawBody.trim() === "" ? null : JSON.parse(request.rawBody);
          plan = parsed === null ? undefined : validateFaultPlan(parsed);
        } catch (err) {
          sendJson(res, 400, {
            error: `body must be a JSON fault plan or null: ${err instanceof Error ? err.message : String(err)}`,
          });
          return;
        }
        this.faults.set(plan);
        sendJson(res, 200, { ok: true, faults: this.faults.current ?? null });
        return;
      }
      case "GET /_emulator/rate-limits":
        if (!this.options.rateLimits) {
          sendJson(res, 404, { error: `no admin route ${route}` });
          return;
        }
        sendJson(res, 200, { rateLimits: this.options.rateLimits() });
        return;
      default:
        sendJson(res, 404, { error: `no admin route ${route}` });
    }
  }
}

/** How a vendor request ended, for the request log. `result` is a reply's result ("ok" or a vendor code). */
interface Outcome {
  readonly status?: number;
  readonly result?: string;
  readonly fault?: InjectedFault;
  readonly rateLimited?: boolean;
}

/** Sends a handler's reply: JSON unless the body is already a string. */
function send(res: ServerResponse, reply: EmulatorReply): void {
  if (typeof reply.body === "string")
    res.writeHead(reply.status, { "content-type": "text/plain; charset=utf-8" }).end(reply.body);
  else sendJson(res, reply.status, reply.body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(body));
}
