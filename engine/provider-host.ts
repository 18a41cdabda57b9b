/**
 * Drives the dynamic-provider host shipped in `@pulumi/pulumi` (`cmd/dynamic-provider`) over gRPC, the
 * way the Pulumi engine does (pulumi/pulumi sdk/nodejs/cmd/dynamic-provider): spawn it with one vestigial engine
 * address argument, the project's environment and the project folder as cwd; read its port from the first
 * stdout line; then call Configure before any CRUD call. Every later stdout/stderr line is kept, as the
 * engine would forward it as a diagnostic (and tests scan it for secrets). Used by pulumi-rooms-local and
 * by the tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { GUARD_ARGS, trackChild } from "./child-guard";
import { DEFER_REQUIRES_ENV } from "./deferred-requires";
import { Empty, grpc, LOOPBACK_GRPC_OPTIONS, Struct, type ServiceError } from "./pulumi-modules";
import { RoomsError } from "../provider/core/errors";
import { nameOf, secret, typeOf, type Props } from "./wire";

/** The diff kinds of `DiffResponse.DiffChanges`. */
export const DIFF = { UNKNOWN: 0, NONE: 1, SOME: 2 } as const;
export type DiffKind = "DIFF_UNKNOWN" | "DIFF_NONE" | "DIFF_SOME";
const DIFF_NAMES: Record<number, DiffKind> = { 0: "DIFF_UNKNOWN", 1: "DIFF_NONE", 2: "DIFF_SOME" };

export interface CheckFailure {
  property: string;
  reason: string;
}

export interface DiffAnswer {
  changes: DiffKind;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * A Create or Update that made the resource only in part: the ErrorResourceInitFailed detail the host packs
 * into `grpc-status-details-bin`, from which the engine records the resource (id, outputs, init errors).
 */
export interface InitFailure {
  id: string;
  properties: Props;
  reasons: string[];
}

/** A failed call: the gRPC status code (2 = UNKNOWN for a thrown error, 12 = UNIMPLEMENTED) and details. */
export class HostCallError extends RoomsError<number> {
  static override readonly errorName: string = "HostCallError";

  constructor(
    readonly method: string,
    code: number,
    readonly details: string,
    readonly initFailure?: InitFailure,
  ) {
    super(code, `${method} failed with gRPC code ${code}: ${details}`);
  }
}

/** The ErrorResourceInitFailed detail of a failed call, decoded the way the engine's provider plugin does. */
function initFailureOf(err: ServiceError): InitFailure | undefined {
  for (const raw of err.metadata?.get("grpc-status-details-bin") ?? []) {
    const status = Status.deserializeBinary(typeof raw === "string" ? Buffer.from(raw, "base64") : raw);
    for (const detail of status.getDetailsList()) {
      if (!detail.getTypeUrl().endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
      const failed = pb.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
      return { id: failed.getId(), properties: propsOf(failed.getProperties()), reasons: failed.getReasonsList() };
    }
  }
  return undefined;
}

export interface HostOptions {
  /** The project folder: the host resolves `require()` in `__provider` from here. */
  cwd: string;
  /** `PULUMI_NODEJS_PROJECT` / `PULUMI_PROJECT`: how un-namespaced config keys are qualified. */
  project: string;
  /** Extra environment (merged over process.env minus the vendor credential variables). */
  env?: NodeJS.ProcessEnv;
  /** The host entry point; default: `@pulumi/pulumi/cmd/dynamic-provider` resolved from `cwd`. */
  script?: string;
  /** Ends the host (SIGTERM) when aborted, also while it starts (`start` then rejects). */
  signal?: AbortSignal;
}

/** Credential variables the provider falls back to; a test host never inherits them from the developer. */
const VENDOR_ENV = /^(TENCENT|ZEGO)_/;

/** One running `pulumi-resource-pulumi-nodejs` equivalent and a gRPC client to it. */
export class ProviderHost {
  /** Lines the host printed after the port (stdout and stderr), as the engine would show them. */
  readonly output: string[] = [];
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly client: provrpc.ResourceProviderClient,
    readonly options: HostOptions,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null)
        resolve({ code: child.exitCode, signal: child.signalCode });
      else child.once("exit", (code, signal) => resolve({ code, signal }));
    });
  }

  /** Spawns the host like the engine and connects once it has printed its port. */
  static async start(options: HostOptions): Promise<ProviderHost> {
    const script = options.script ?? require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [options.cwd] });
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!VENDOR_ENV.test(k)) env[k] = v;
    Object.assign(env, { PULUMI_NODEJS_PROJECT: options.project, PULUMI_PROJECT: options.project }, options.env);
    // argv[0] is the engine address: required by the host, never dialled (sdk/nodejs/cmd/dynamic-provider/index.ts).
    // The preload that defers the SDK's large, seldom used requires (engine/deferred-requires.ts), once compiled.
    const preload = path.join(__dirname, "deferred-requires.js");
    const preloadArgs = fs.existsSync(preload) ? ["--require", preload] : [];
    if (preloadArgs.length) env[DEFER_REQUIRES_ENV] = "1";
    const child = spawn(process.execPath, [...GUARD_ARGS, ...preloadArgs, script, "127.0.0.1:1"], {
      cwd: options.cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    trackChild(child);
    const early: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      let buffer = "";
      const onData = (chunk: Buffer): void => {
        buffer += chunk.toString("utf8");
        const nl = buffer.indexOf("\n");
        if (nl < 0) return;
        child.stdout?.off("data", onData);
        const first = buffer.slice(0, nl).trim();
        early.push(...splitLines(buffer.slice(nl + 1)));
        const n = Number(first);
        if (Number.isInteger(n) && n > 0 && n < 65536) resolve(n);
        else reject(new Error(`host printed "${first}" instead of a port`));
      };
      child.stdout?.on("data", onData);
      child.stderr?.on("data", (c: Buffer) => early.push(...splitLines(c.toString("utf8"))));
      child.once("error", reject);
      child.once("exit", (code) =>
        reject(new Error(`host exited with ${code} before printing its port: ${early.join("\n")}`)),
      );
    });
    const client = new provrpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
      LOOPBACK_GRPC_OPTIONS,
    );
    const host = new ProviderHost(child, port, client, options);
    host.output.push(...early);
    child.stdout?.on("data", (c: Buffer) => host.output.push(...splitLines(c.toString("utf8"))));
    child.stderr?.removeAllListeners("data");
    child.stderr?.on("data", (c: Buffer) => host.output.push(...splitLines(c.toString("utf8"))));
    return host;
  }

  /** The host's process id (e.g. to read its peak memory from /proc/<pid>/status). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async getPluginInfo(): Promise<string> {
    const info = await this.unary<Empty, { getVersion(): string }>(
      "GetPluginInfo",
      (c, r, cb) => c.getPluginInfo(r, cb),
      new Empty(),
    );
    return info.getVersion();
  }

  /**
   * Configure, as the engine sends it: the whole stack config with namespaces kept, secret values
   * wrapped with the secret signature (the engine marshals Configure with KeepSecrets).
   */
  async configure(config: Props, secretKeys: readonly string[] = []): Promise<{ acceptSecrets: boolean }> {
    const args: Props = {};
    for (const [k, v] of Object.entries(config)) args[k] = secretKeys.includes(k) ? secret(v) : v;
    const req = new pb.ConfigureRequest();
    req.setArgs(Struct.fromJavaScript(args as never));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    const res = await this.unary<pb.ConfigureRequest, pb.ConfigureResponse>(
      "Configure",
      (c, r, cb) => c.configure(r, cb),
      req,
    );
    return { acceptSecrets: res.getAcceptsecrets() };
  }

  async check(
    urn: string,
    olds: Props,
    news: Props,
    randomSeed?: Uint8Array,
  ): Promise<{ inputs: Props; failures: CheckFailure[] }> {
    const req = addressed(new pb.CheckRequest(), urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (randomSeed) req.setRandomseed(randomSeed);
    const res = await this.unary<pb.CheckRequest, pb.CheckResponse>("Check", (c, r, cb) => c.check(r, cb), req);
    return {
      inputs: propsOf(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffAnswer> {
    const req = change(addressed(new pb.DiffRequest(), urn), id, olds, news, oldInputs);
    const res = await this.unary<pb.DiffRequest, pb.DiffResponse>("Diff", (c, r, cb) => c.diff(r, cb), req);
    return {
      changes: DIFF_NAMES[res.getChanges()] ?? "DIFF_UNKNOWN",
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
    };
  }

  async create(urn: string, properties: Props): Promise<{ id: string; properties: Props }> {
    const req = addressed(new pb.CreateRequest(), urn);
    req.setProperties(toStruct(properties));
    const res = await this.unary<pb.CreateRequest, pb.CreateResponse>("Create", (c, r, cb) => c.create(r, cb), req);
    return { id: res.getId(), properties: propsOf(res.getProperties()) };
  }

  async read(
    id: string,
    urn: string,
    properties: Props,
    inputs?: Props,
  ): Promise<{ id: string; properties: Props; inputs?: Props }> {
    const req = addressed(new pb.ReadRequest(), urn);
    req.setId(id);
    req.setProperties(toStruct(properties));
    if (inputs) req.setInputs(toStruct(inputs));
    const res = await this.unary<pb.ReadRequest, pb.ReadResponse>("Read", (c, r, cb) => c.read(r, cb), req);
    const out: { id: string; properties: Props; inputs?: Props } = {
      id: res.getId(),
      properties: propsOf(res.getProperties()),
    };
    if (res.hasInputs()) out.inputs = propsOf(res.getInputs());
    return out;
  }

  async update(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<{ properties: Props }> {
    const req = change(addressed(new pb.UpdateRequest(), urn), id, olds, news, oldInputs);
    const res = await this.unary<pb.UpdateRequest, pb.UpdateResponse>("Update", (c, r, cb) => c.update(r, cb), req);
    return { properties: propsOf(res.getProperties()) };
  }

  async delete(id: string, urn: string, properties: Props, oldInputs?: Props): Promise<void> {
    const req = addressed(new pb.DeleteRequest(), urn);
    req.setId(id);
    req.setProperties(toStruct(properties));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    await this.unary<pb.DeleteRequest, Empty>("Delete", (c, r, cb) => c.delete(r, cb), req);
  }

  /** Any other method name answers UNIMPLEMENTED (12) on this host; used to prove the engine's tolerance. */
  async checkConfig(): Promise<void> {
    await this.unary<pb.CheckRequest, pb.CheckResponse>(
      "CheckConfig",
      (c, r, cb) => c.checkConfig(r, cb),
      new pb.CheckRequest(),
    );
  }

  /** Closes the client and ends the host (SIGTERM, as the engine does at the end of an operation). */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.client.close();
    if (this.running) this.child.kill("SIGTERM");
    return this.exited;
  }

  private unary<Req, Res>(
    method: string,
    call: (
      client: provrpc.ResourceProviderClient,
      req: Req,
      cb: (err: ServiceError | null, res: Res) => void,
    ) => unknown,
    req: Req,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      call(this.client, req, (err, res) => {
        if (err) reject(new HostCallError(method, err.code, err.details, initFailureOf(err)));
        else resolve(res);
      });
    });
  }
}

function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(props as never);
}

function propsOf(struct: Struct | undefined): Props {
  return struct?.toJavaScript() ?? {};
}

/** Sets what every resource call names: the URN, and the name and type the host reads from it. */
function addressed<R extends { setUrn(v: string): unknown; setName(v: string): unknown; setType(v: string): unknown }>(
  req: R,
  urn: string,
): R {
  req.setUrn(urn);
  req.setName(nameOf(urn));
  req.setType(typeOf(urn));
  return req;
}

/** The fields Diff and Update share: the resource's id, its old outputs, the new inputs and the old inputs. */
function change<
  R extends { setId(v: string): R; setOlds(v: Struct): R; setNews(v: Struct): R; setOldInputs(v: Struct): R },
>(req: R, id: string, olds: Props, news: Props, oldInputs?: Props): R {
  req.setId(id).setOlds(toStruct(olds)).setNews(toStruct(news));
  if (oldInputs) req.setOldInputs(toStruct(oldInputs));
  return req;
}

function splitLines(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}
