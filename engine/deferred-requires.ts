/**
 * Loaded with `--require` into the program's runtime (engine/runtime-preloads.ts) and the dynamic-provider
 * host (engine/provider-host.ts). Both load `@pulumi/pulumi`, some of whose modules require large modules
 * when they load, for work most runs never do:
 * - TypeScript, through `typescript-shim` (runtime/closure/parseFunction.js and others): used to serialize a
 *   function (the host never does; the runtime does at its first dynamic resource, and a TypeScript program's
 *   ts-node has loaded the compiler by then anyway). About 0.35 s of the host's 1.05 s start.
 * - `@npmcli/arborist` (runtime/closure/codePaths.js, 446 of the 770 modules `@pulumi/pulumi` loads): used
 *   only by `computeCodePaths`, which packages a function's dependencies (e.g. for a cloud function). About
 *   0.28 s of CPU in each process, measured with `process.cpuUsage()` after `require("@pulumi/pulumi")`.
 * - OpenTelemetry's SDK, Zipkin exporter and gRPC instrumentation (cmd/run/tracing.js): used only by its
 *   `start`, when the program runs with `--tracing`. About 70 ms of the runtime's start.
 * Those requires get a stand-in that loads the real module at its first use, so a program or host that
 * does use them gets them, unchanged.
 */
import Module from "node:module";
import * as path from "node:path";

type Parent = { filename?: string | null } | undefined;
type Load = (request: string, parent: Parent, isMain: boolean) => unknown;
type Resolve = (request: string, parent: Parent, isMain: boolean) => string;

/** A require of the SDK's that is deferred. */
interface Deferred {
  /** The SDK folder of the module that requires it. */
  readonly from: string;
  /** The request's last path segment (`../../typescript-shim`) or the package name. */
  readonly request: string;
  /**
   * Whether the stand-in says it is an ES module's namespace: the TypeScript helper `__importStar` then
   * keeps it as it is instead of copying every export (which would load it at once).
   */
  readonly esModule: boolean;
}

/** An SDK folder, wherever `@pulumi/pulumi` is installed. */
const sdkDir = (...sub: string[]): string => ["@pulumi", "pulumi", ...sub].join(path.sep);
const CLOSURE_DIR = sdkDir("runtime", "closure");
const RUN_DIR = sdkDir("cmd", "run");

const DEFERRED: readonly Deferred[] = [
  { from: CLOSURE_DIR, request: "typescript-shim", esModule: false },
  { from: CLOSURE_DIR, request: "@npmcli/arborist", esModule: true },
  // Plain `require`s in tracing.js (no `__importStar`), read only inside its `start`. instrumentation.js,
  // beside it, requires five of them itself when `TRACEPARENT` is set, and uses them at once: unchanged.
  ...[
    "@opentelemetry/resources",
    "@opentelemetry/sdk-trace-base",
    "@opentelemetry/exporter-zipkin",
    "@opentelemetry/instrumentation-grpc",
    "@opentelemetry/sdk-trace-node",
    "@opentelemetry/instrumentation",
  ].map((request) => ({ from: RUN_DIR, request, esModule: false })),
];

/** The deferred require this is, when it is one of the SDK's listed in DEFERRED. */
export function deferredRequire(request: string, parentFile: string | null | undefined): Deferred | undefined {
  // A module without a file (the REPL, `-e`, some of Node's own) has a null filename.
  if (!parentFile) return undefined;
  const dir = path.dirname(parentFile);
  return DEFERRED.find(
    (d) =>
      dir.endsWith(d.from) &&
      (d.request.startsWith("@") ? request === d.request : path.basename(request) === d.request),
  );
}

/** Makes the deferred requires load on first use; returns false when the loader is not there. */
export function deferSdkRequires(): boolean {
  const loader = Module as unknown as { _load?: Load; _resolveFilename?: Resolve };
  const original = loader._load;
  const resolve = loader._resolveFilename;
  if (typeof original !== "function" || typeof resolve !== "function") return false;
  // One stand-in per resolved module: two installed copies of the SDK each get their own.
  const standIns = new Map<string, object>();
  loader._load = function (this: unknown, request, parent, isMain) {
    const deferred = deferredRequire(request, parent?.filename);
    if (!deferred) return original.call(this, request, parent, isMain);
    const file = resolve(request, parent, isMain);
    let standIn = standIns.get(file);
    if (!standIn) {
      let real: Record<PropertyKey, unknown> | undefined;
      const load = (): Record<PropertyKey, unknown> =>
        (real ??= original.call(this, request, parent, isMain) as Record<PropertyKey, unknown>);
      standIn = new Proxy(
        {},
        {
          get: (_, key) => (deferred.esModule && key === "__esModule" ? true : load()[key]),
          set: (_, key, value) => Reflect.set(load(), key, value),
          has: (_, key) => key in load(),
          ownKeys: () => Reflect.ownKeys(load()),
          getOwnPropertyDescriptor: (_, key) => {
            const d = Reflect.getOwnPropertyDescriptor(load(), key);
            return d && { ...d, configurable: true };
          },
        },
      );
      standIns.set(file, standIn);
    }
    return standIn;
  };
  return true;
}

/** Set by the engine for the processes it starts (an import elsewhere, e.g. a test, changes nothing). */
export const DEFER_REQUIRES_ENV = "PULUMI_ROOMS_DEFER_REQUIRES";

if (process.env[DEFER_REQUIRES_ENV]) deferSdkRequires();
