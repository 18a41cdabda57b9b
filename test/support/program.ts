/**
 * Runs a Pulumi program under `pulumi.runtime.setMocks` and captures each resource registration exactly as
 * the program would send it to the engine: its type, name, URN, inputs (Outputs resolved) and the
 * serialized `__provider` text (a string, unwrapped when the SDK marked it secret).
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isSecret, UNKNOWN, type Props } from "./host";

/** One registration the program made. */
export interface Registration {
  type: string;
  name: string;
  urn: string;
  custom: boolean;
  /** Inputs without `__provider`; secret-wrapped values unwrapped, preview unknowns as UNKNOWN. */
  inputs: Props;
  /** The serialized provider (`__provider`), unwrapped; undefined for non-dynamic resources. */
  provider?: string;
  /** True when the SDK marked `__provider` secret (the closure captured a secret Output). */
  providerWasSecret: boolean;
  /** Top-level input keys that arrived secret-wrapped. */
  secretInputs: string[];
}

export interface ProgramOptions {
  project?: string;
  stack?: string;
  /** Run as `pulumi preview` does (unknown outputs stay unknown). */
  preview?: boolean;
  /** Stack config, namespaced keys (`meeting-rooms:rooms`, `zego:appId`). */
  config?: Record<string, string>;
  /** Keys of `config` that are secret. */
  secretKeys?: string[];
  /**
   * Outputs of resources that already exist (by type and name), e.g. from a test engine's state: the mocks
   * answer with them, as the engine answers a program with the state of an unchanged resource.
   */
  outputs?: (type: string, name: string) => Props | undefined;
}

/** The result of one program run. */
export interface ProgramRun {
  registrations: Registration[];
  /** What the program module exported (its stack outputs), when it was loaded from a file. */
  exports?: Record<string, unknown>;
}

/** The registration record of one resource as the program sent it (`__provider` split off, secrets unwrapped). */
function registrationOf(
  r: { type: string; name: string; custom?: boolean; inputs: Props },
  project: string,
  stack: string,
): Registration {
  const { __provider: rawProvider, ...rest } = r.inputs;
  const providerWasSecret = isSecret(rawProvider);
  const provider = providerWasSecret ? rawProvider.value : rawProvider;
  const inputs: Props = {};
  const secretInputs: string[] = [];
  for (const [k, v] of Object.entries(rest)) {
    if (isSecret(v)) secretInputs.push(k);
    inputs[k] = plain(v);
  }
  return {
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:${stack}::${project}::${r.type}::${r.name}`,
    custom: r.custom ?? true,
    inputs,
    provider: typeof provider === "string" ? provider : undefined,
    providerWasSecret,
    secretInputs,
  };
}

type WaitForRpcs = () => Promise<void>;
/** The SDK's mock monitor knows each resource's real URN (with its parent's type chain, as the engine builds it). */
type MockMonitorView = { getRegisteredResources?: () => Map<string, unknown> };

/**
 * Runs `program` under mocks and returns every registration once all RPCs have drained. The mocks answer
 * like an engine that echoes inputs as outputs with the id `<name>-id` (no id in preview).
 */
export async function runProgram(program: () => unknown, options: ProgramOptions = {}): Promise<ProgramRun> {
  const registrations: Registration[] = [];
  const project = options.project ?? "rooms-test";
  const stack = options.stack ?? "test";
  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
        registrations.push(registrationOf({ ...args, inputs: args.inputs as Props }, project, stack));
        const known = options.outputs?.(args.type, args.name);
        if (known) return { id: `${args.name}-id`, state: { ...(args.inputs as Props), ...known } };
        return { id: options.preview ? undefined : `${args.name}-id`, state: args.inputs as Props };
      },
      call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        return args.inputs as Record<string, unknown>;
      },
    },
    project,
    stack,
    options.preview ?? false,
  );
  const exported = await program();
  // The registrations are asynchronous; the runtime's RPC queue tells when all of them were sent.
  const { waitForRPCs, getMonitor } = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs: WaitForRpcs;
    getMonitor: () => MockMonitorView;
  };
  await waitForRPCs();
  withParentUrns(registrations, [...(getMonitor().getRegisteredResources?.().keys() ?? [])]);
  const run: ProgramRun = { registrations };
  if (exported && typeof exported === "object") run.exports = await resolveExports(exported as Record<string, unknown>);
  return run;
}

/**
 * Loads a program file (an example's index.ts) afresh under mocks, so each run re-executes it. Modules
 * of the program's own folder are evicted from the require cache first.
 */
export async function runProgramFile(file: string, options: ProgramOptions = {}): Promise<ProgramRun> {
  const dir = path.dirname(path.resolve(file));
  return runProgram(() => {
    for (const key of Object.keys(require.cache))
      if (key.startsWith(dir + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`))
        delete require.cache[key];
    return require(path.resolve(file)) as unknown;
  }, options);
}

/**
 * Runs a program file in a child `node` inside `cwd`, with `@pulumi/pulumi` resolved from there: the only
 * way to serialize the provider from an *installed* copy of the package rather than the repo's.
 */
export async function runProgramInChild(cwd: string, entry: string, options: ProgramOptions = {}): Promise<ProgramRun> {
  const script = `
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [process.cwd()] }));
const settings = require(require.resolve("@pulumi/pulumi/runtime/settings", { paths: [process.cwd()] }));
const opts = JSON.parse(process.env.ROOMS_PROGRAM_OPTIONS);
const regs = [];
pulumi.runtime.setAllConfig(opts.config || {}, opts.secretKeys || []);
pulumi.runtime.setMocks({
  newResource(a) { regs.push({ type: a.type, name: a.name, custom: a.custom, inputs: a.inputs }); return { id: opts.preview ? undefined : a.name + "-id", state: a.inputs }; },
  call(a) { return a.inputs; },
}, opts.project, opts.stack, !!opts.preview).then(async () => {
  require(require("path").resolve(opts.entry));
  await settings.waitForRPCs();
  process.stdout.write("\\n@@REGISTRATIONS@@" + JSON.stringify(regs) + "\\n");
}).catch((e) => { console.error(e && e.stack || e); process.exit(1); });`;
  const project = options.project ?? "rooms-test";
  const stack = options.stack ?? "test";
  const env = { ...process.env, ROOMS_PROGRAM_OPTIONS: JSON.stringify({ ...options, project, stack, entry }) };
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ["-e", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
      child.once("error", reject);
      child.once("exit", (code) => resolve({ code, stdout, stderr }));
    },
  );
  const marker = stdout.lastIndexOf("@@REGISTRATIONS@@");
  if (code !== 0 || marker < 0)
    throw new Error(`program ${entry} failed in ${cwd} (exit ${code}):\n${stderr}\n${stdout}`);
  const raw = JSON.parse(stdout.slice(marker + "@@REGISTRATIONS@@".length)) as {
    type: string;
    name: string;
    custom?: boolean;
    inputs: Props;
  }[];
  return {
    registrations: raw.map((r) => registrationOf(r, project, stack)),
  };
}

/**
 * Gives children of components the URN the engine would build, with the parent's type chain in the type
 * segment (`<parent type>$<type>`), as the mock monitor computed it. Top-level resources keep theirs.
 */
function withParentUrns(registrations: Registration[], urns: readonly string[]): void {
  const taken = new Set<string>();
  for (const r of registrations) {
    const urn = urns.find(
      (u) => !taken.has(u) && u.endsWith(`::${r.name}`) && u.split("::")[2]?.split("$").pop() === r.type,
    );
    if (!urn) continue;
    taken.add(urn);
    r.urn = urn;
  }
}

/** Unwraps secrets and turns the SDK's preview `unknown` marker into the wire sentinel, recursively. */
function plain(value: unknown): unknown {
  if (isSecret(value)) return plain(value.value);
  if (pulumi.Output.isInstance(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object") {
    if (pulumi.isUnknown(value)) return UNKNOWN;
    const out: Props = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

/** Resolves a program module's exports (Outputs and plain values) to plain values. */
async function resolveExports(exported: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(exported)) {
    if (k === "__esModule") continue;
    // `promise(true)` is the SDK's own (internal) way to await an Output without hanging on unknowns.
    out[k] = pulumi.Output.isInstance(v)
      ? plain(await (v as unknown as { promise(withUnknowns: boolean): Promise<unknown> }).promise(true))
      : plain(v);
  }
  return out;
}
