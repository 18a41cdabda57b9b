/**
 * The engine side of the protocol the Node.js language runtime speaks (docs/engine-protocol.md,
 * "The calls of an up"): a gRPC server with the `ResourceMonitor` and `Engine` services. It only translates: each
 * `RegisterResource` becomes a Goal for the deployment (engine/deployment.ts), whose outcome is the answer.
 *
 * Resource options it cannot honour are a step failure naming the option, never silently ignored. A
 * failed step is answered with UNAVAILABLE, as the real engine does after reporting the failure itself:
 * the SDK then stops quietly instead of formatting the error (which once cost 66 s of GC: docs/engine-protocol.md, "Failures and exit codes").
 */
import { randomUUID } from "node:crypto";
import * as path from "node:path";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginepb from "@pulumi/pulumi/proto/engine_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import * as respb from "@pulumi/pulumi/proto/resource_pb";
import type * as grpcTypes from "@grpc/grpc-js";
import { Empty, grpc, LOOPBACK_GRPC_OPTIONS, Struct, widenServerWindows, type Server } from "./pulumi-modules";
import type { Deployment } from "./deployment";
import type { Goal, GoalOptions } from "./step";
import { timestamp, type ResourceState } from "./state";
import { makeUrn } from "./wire";

/** Severity names of `Engine.Log` (0 DEBUG, 1 INFO, 2 WARNING, 3 ERROR). */
export type LogLevel = "debug" | "info" | "warning" | "error";
const LEVELS: LogLevel[] = ["debug", "info", "warning", "error"];

/** Features the engine supports (`SupportsFeature`). Transforms, hooks and packages are answered false:
 * the SDK then refuses those options itself; the options answered true but not honoured fail a step. */
const FEATURES = new Set(["secrets", "resourceReferences", "deletedWith", "replaceWith", "aliasSpecs"]);

/** The type token of a dynamic resource, the only kind of custom resource this engine can step. */
const DYNAMIC = /^pulumi-nodejs:dynamic(\/[^:]+)?:[^:]+$/;
const STACK_TYPE = "pulumi:pulumi:Stack";

export interface MonitorOptions {
  project: string;
  /** The project's folder: source positions are recorded relative to it. */
  projectRoot: string;
  stack: string;
  deployment: Deployment;
  /** Program log lines (Engine.Log) with their level and URN. */
  onLog(level: LogLevel, message: string, urn: string): void;
  /** A warning of the engine itself (e.g. an option the host ignores). */
  onWarning(message: string): void;
  /**
   * A custom resource's registration arrived (even while its step waits for the type check): the
   * provider, which takes most of a second to start, will be needed. (Not at the stack's registration: a
   * program without custom resources would pay a host's start for nothing, a second of CPU on a busy machine.)
   */
  onCustom?: () => void;
}

/** A running monitor: its address (`127.0.0.1:<port>`) for `--monitor` and `--engine`. */
export interface Monitor {
  readonly address: string;
  /** The URN the program set as its root (the stack). */
  rootUrn(): string | undefined;
  /** Set once the program called SignalAndWaitForShutdown (it finished registering). */
  shutdownSignalled(): boolean;
  /** Registrations still being stepped. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export async function startMonitor(options: MonitorOptions): Promise<Monitor> {
  const { deployment } = options;
  const server: Server = new grpc.Server(LOOPBACK_GRPC_OPTIONS);
  let root: string | undefined;
  let shutdown = false;
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };
  const unavailable = (details: string): grpcTypes.ServiceError =>
    Object.assign(new Error(details), { code: grpc.status.UNAVAILABLE, details, metadata: new grpc.Metadata() });
  const unimplemented = (what: string): grpcTypes.ServiceError => {
    const details = `pulumi-rooms-local does not support ${what}; run this program with the Pulumi CLI`;
    return Object.assign(new Error(details), {
      code: grpc.status.UNIMPLEMENTED,
      details,
      metadata: new grpc.Metadata(),
    });
  };

  const register = async (req: respb.RegisterResourceRequest): Promise<respb.RegisterResourceResponse> => {
    const type = req.getType();
    const parent = req.getParent() || (type === STACK_TYPE ? undefined : root);
    const urn = makeUrn(options.stack, options.project, type, req.getName(), parent);
    const goal: Goal = {
      urn,
      type,
      custom: req.getCustom(),
      inputs: req.getObject()?.toJavaScript() ?? {},
      ...(parent ? { parent } : {}),
      dependencies: req.getDependenciesList(),
      propertyDependencies: propertyDependencies(req),
      options: goalOptions(req),
    };
    const position = sourcePosition(req.getSourceposition(), options.projectRoot);
    if (position) goal.sourcePosition = position;
    if (goal.custom) options.onCustom?.();
    const refused = refusal(req);
    if (refused) {
      deployment.refuse(goal, refused);
      throw unavailable(refused);
    }
    for (const w of warnings(req)) options.onWarning(`${urn}: ${w}`);
    if (goal.custom) goal.provider = defaultProvider(deployment, options);
    const outcome = await deployment.register(goal);
    if (outcome.step.error || outcome.step.failures?.length)
      throw unavailable(`${urn}: ${outcome.step.op} failed (reported by the engine)`);
    const res = new respb.RegisterResourceResponse();
    res.setUrn(urn);
    res.setId(outcome.id);
    res.setObject(Struct.fromJavaScript((goal.custom ? outcome.outputs : {}) as never));
    res.setResult(respb.Result.SUCCESS);
    return res;
  };

  /** Unknown option values and unsupported kinds of resource, as one message naming the option. */
  const refusal = (req: respb.RegisterResourceRequest): string | undefined => {
    const name = `${req.getType()} "${req.getName()}"`;
    if (req.getRemote()) return `${name}: remote (multi-language) components are not supported by pulumi-rooms-local`;
    if (req.getCustom() && !DYNAMIC.test(req.getType()))
      return `${name}: pulumi-rooms-local runs only dynamic-provider resources (pulumi-nodejs:dynamic...), such as TencentRoom and ZegoRoom; other providers need the Pulumi CLI`;
    const unsupported: string[] = [];
    if (req.getProvider()) unsupported.push("provider (an explicit provider instance)");
    if (req.getProvidersMap().getLength() > 0) unsupported.push("providers");
    if (req.getImportid()) unsupported.push("import");
    if (req.getAliasesList().length > 0 || req.getAliasurnsList().length > 0) unsupported.push("aliases");
    if (req.getDeletedwith()) unsupported.push("deletedWith");
    if (req.getReplaceWithList().length > 0) unsupported.push("replaceWith");
    if (req.hasReplacementTrigger()) unsupported.push("replacementTrigger");
    if (req.getReplaceonchangesList().length > 0) unsupported.push("replaceOnChanges");
    if (req.getTransformsList().length > 0) unsupported.push("transforms");
    if (req.getEnvvarmappingsMap().getLength() > 0) unsupported.push("envVarMappings");
    if (unsupported.length === 0) return undefined;
    return `${name}: resource option${unsupported.length > 1 ? "s" : ""} ${unsupported.join(", ")} cannot be honoured by pulumi-rooms-local (supported: dependsOn, parent, protect, deleteBeforeReplace, ignoreChanges, retainOnDelete, additionalSecretOutputs); remove ${unsupported.length > 1 ? "them" : "it"} or use the Pulumi CLI`;
  };

  server.addService(resrpc.ResourceMonitorService, {
    supportsFeature: (
      call: grpcTypes.ServerUnaryCall<respb.SupportsFeatureRequest, respb.SupportsFeatureResponse>,
      cb: grpcTypes.sendUnaryData<respb.SupportsFeatureResponse>,
    ) => {
      cb(null, new respb.SupportsFeatureResponse().setHassupport(FEATURES.has(call.request.getId())));
    },
    registerResource: (
      call: grpcTypes.ServerUnaryCall<respb.RegisterResourceRequest, respb.RegisterResourceResponse>,
      cb: grpcTypes.sendUnaryData<respb.RegisterResourceResponse>,
    ) => {
      track(register(call.request)).then(
        (res) => cb(null, res),
        (err: grpcTypes.ServiceError) => cb(err),
      );
    },
    registerResourceOutputs: (
      call: grpcTypes.ServerUnaryCall<respb.RegisterResourceOutputsRequest, Empty>,
      cb: grpcTypes.sendUnaryData<Empty>,
    ) => {
      deployment.registerOutputs(call.request.getUrn(), call.request.getOutputs()?.toJavaScript() ?? {});
      cb(null, new Empty());
    },
    signalAndWaitForShutdown: (_call: grpcTypes.ServerUnaryCall<Empty, Empty>, cb: grpcTypes.sendUnaryData<Empty>) => {
      shutdown = true;
      void Promise.allSettled([...inflight]).then(() => cb(null, new Empty()));
    },
    getDeploymentInfo: (_c: unknown, cb: grpcTypes.sendUnaryData<respb.DeploymentInfo>) =>
      cb(unimplemented("GetDeploymentInfo")),
    invoke: (
      call: grpcTypes.ServerUnaryCall<respb.ResourceInvokeRequest, unknown>,
      cb: grpcTypes.sendUnaryData<unknown>,
    ) => cb(unimplemented(`invokes (${call.request.getTok()})`)),
    call: (call: grpcTypes.ServerUnaryCall<respb.ResourceCallRequest, unknown>, cb: grpcTypes.sendUnaryData<unknown>) =>
      cb(unimplemented(`method calls (${call.request.getTok()})`)),
    readResource: (
      call: grpcTypes.ServerUnaryCall<respb.ReadResourceRequest, unknown>,
      cb: grpcTypes.sendUnaryData<unknown>,
    ) => cb(unimplemented(`reading existing resources (${call.request.getType()}.get)`)),
    registerStackTransform: (_c: unknown, cb: grpcTypes.sendUnaryData<Empty>) => cb(unimplemented("stack transforms")),
    registerStackInvokeTransform: (_c: unknown, cb: grpcTypes.sendUnaryData<Empty>) =>
      cb(unimplemented("invoke transforms")),
    registerResourceHook: (_c: unknown, cb: grpcTypes.sendUnaryData<Empty>) => cb(unimplemented("resource hooks")),
    registerErrorHook: (_c: unknown, cb: grpcTypes.sendUnaryData<Empty>) => cb(unimplemented("error hooks")),
    registerPackage: (_c: unknown, cb: grpcTypes.sendUnaryData<unknown>) => cb(unimplemented("parameterized packages")),
  });
  server.addService(enginerpc.EngineService, {
    log: (call: grpcTypes.ServerUnaryCall<enginepb.LogRequest, Empty>, cb: grpcTypes.sendUnaryData<Empty>) => {
      const r = call.request;
      options.onLog(LEVELS[r.getSeverity()] ?? "info", r.getMessage(), r.getUrn());
      cb(null, new Empty());
    },
    getRootResource: (_c: unknown, cb: grpcTypes.sendUnaryData<enginepb.GetRootResourceResponse>) =>
      cb(null, new enginepb.GetRootResourceResponse().setUrn(root ?? "")),
    setRootResource: (
      call: grpcTypes.ServerUnaryCall<enginepb.SetRootResourceRequest, enginepb.SetRootResourceResponse>,
      cb: grpcTypes.sendUnaryData<enginepb.SetRootResourceResponse>,
    ) => {
      root = call.request.getUrn();
      cb(null, new enginepb.SetRootResourceResponse());
    },
    startDebugging: (_c: unknown, cb: grpcTypes.sendUnaryData<Empty>) => cb(unimplemented("debugging")),
    requirePulumiVersion: (_c: unknown, cb: grpcTypes.sendUnaryData<enginepb.RequirePulumiVersionResponse>) =>
      cb(null, new enginepb.RequirePulumiVersionResponse()),
  });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  // Before the runtime connects: a program's registrations come in a burst (LOOPBACK_WINDOW_BYTES).
  widenServerWindows(server);
  return {
    address: `127.0.0.1:${port}`,
    rootUrn: () => root,
    shutdownSignalled: () => shutdown,
    idle: async () => {
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 2000).unref();
      }),
  };
}

function propertyDependencies(req: respb.RegisterResourceRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps, key) => {
    out[key] = deps.getUrnsList();
  });
  return out;
}

function goalOptions(req: respb.RegisterResourceRequest): GoalOptions {
  const options: GoalOptions = {};
  if (req.hasProtect() && req.getProtect()) options.protect = true;
  if (req.getDeletebeforereplace()) options.deleteBeforeReplace = true;
  if (req.getIgnorechangesList().length) options.ignoreChanges = req.getIgnorechangesList();
  if (req.hasRetainondelete() && req.getRetainondelete()) options.retainOnDelete = true;
  if (req.getAdditionalsecretoutputsList().length)
    options.additionalSecretOutputs = req.getAdditionalsecretoutputsList();
  return options;
}

/** Options that have no effect on a dynamic resource, with the CLI as with this engine: said, not refused. */
function warnings(req: respb.RegisterResourceRequest): string[] {
  const out: string[] = [];
  const t = req.getCustomtimeouts();
  if (t && (t.getCreate() || t.getUpdate() || t.getDelete())) {
    out.push(
      "customTimeouts has no effect: the dynamic-provider host ignores it (with the Pulumi CLI too); pulumi-rooms has its own timeouts and retry deadline",
    );
  }
  if (req.getHidediffsList().length)
    out.push(`hideDiffs (${req.getHidediffsList().join(", ")}) is not applied: --diff shows every changed property`);
  return out;
}

/**
 * The engine's default provider for dynamic resources (docs/engine-protocol.md, "The default provider and the provider calls"): `pulumi:providers:pulumi-nodejs::default`,
 * with a fresh UUID as id the first time and the same id afterwards. Recorded in state (not shown as a step,
 * as the CLI does not show default providers).
 */
function defaultProvider(deployment: Deployment, options: MonitorOptions): string {
  const urn = `urn:pulumi:${options.stack}::${options.project}::pulumi:providers:pulumi-nodejs::default`;
  let entry = deployment.kept(urn);
  if (!entry) {
    const created = timestamp();
    entry = {
      urn,
      custom: true,
      type: "pulumi:providers:pulumi-nodejs",
      id: deployment.preview ? "04da6b54-80e4-46f7-96ec-b56ff0331ba9" : randomUUID(),
      inputs: {},
      outputs: {},
      created,
      modified: created,
    } satisfies ResourceState;
    if (!deployment.preview) deployment.keep(entry);
  } else {
    deployment.keep(entry);
  }
  return `${urn}::${entry.id}`;
}

/**
 * A declaration's source position as the CLI records it in state (pulumi/pulumi
 * pkg/resource/deploy/source_eval.go, parseSourcePosition): the `file:` URI made relative to the project
 * root under the `project:` scheme, with `#line` or `#line,column`. Anything the CLI would refuse (another
 * scheme, a relative path, a negative line or column) records nothing, as there.
 */
export function sourcePosition(
  raw: { getUri(): string; getLine(): number; getColumn(): number } | undefined,
  projectRoot: string,
): string | undefined {
  if (!raw || raw.getLine() < 0 || raw.getColumn() < 0) return undefined;
  let url: URL;
  try {
    url = new URL(raw.getUri());
  } catch {
    return undefined;
  }
  const file = url.protocol === "file:" ? decodeURIComponent(url.pathname) : "";
  if (!path.isAbsolute(file)) return undefined;
  const rel = path.relative(path.resolve(projectRoot), file).split(path.sep).join("/");
  const column = raw.getColumn() !== 0 ? `,${raw.getColumn()}` : "";
  return `project:///${encodeURI(rel)}#${raw.getLine()}${column}`;
}
