/**
 * Loaded with `--require` into the dynamic-provider host (engine/provider-host.ts), before
 * `cmd/dynamic-provider`. The host loads `@pulumi/pulumi`'s runtime, whose closure serializer requires
 * TypeScript when its modules load (runtime/closure/parseFunction.js and others, through
 * `typescript-shim`): a third of the host's start (about 0.35 s of 1.05 s CPU here), for a compiler the
 * host never uses, as it only evaluates serialized providers. Those requires get a stand-in that loads
 * the real module at its first use, so a host that does serialize a function still gets TypeScript.
 */
import Module from "node:module";
import * as path from "node:path";

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

/** Whether a require is the closure serializer's of `typescript-shim`. */
export function isClosureTypescript(request: string, parentFile: string | undefined): boolean {
  return (
    path.basename(request) === "typescript-shim" &&
    parentFile !== undefined &&
    parentFile.split(path.sep).includes("closure")
  );
}

/** Makes the closure serializer's TypeScript load on first use; returns false when the loader is not there. */
export function deferClosureTypescript(): boolean {
  const loader = Module as unknown as { _load?: Load };
  const original = loader._load;
  if (typeof original !== "function") return false;
  let standIn: object | undefined;
  loader._load = function (this: unknown, request, parent, isMain) {
    if (!isClosureTypescript(request, parent?.filename)) return original.call(this, request, parent, isMain);
    if (!standIn) {
      let real: Record<PropertyKey, unknown> | undefined;
      const load = (): Record<PropertyKey, unknown> =>
        (real ??= original.call(this, request, parent, isMain) as Record<PropertyKey, unknown>);
      standIn = new Proxy(
        {},
        {
          get: (_, key) => load()[key],
          has: (_, key) => key in load(),
          ownKeys: () => Reflect.ownKeys(load()),
          getOwnPropertyDescriptor: (_, key) => {
            const d = Reflect.getOwnPropertyDescriptor(load(), key);
            return d && { ...d, configurable: true };
          },
        },
      );
    }
    return standIn;
  };
  return true;
}

/** Set by engine/provider-host.ts for the host it starts (an import elsewhere, e.g. a test, changes nothing). */
export const DEFER_TYPESCRIPT_ENV = "PULUMI_ROOMS_DEFER_TYPESCRIPT";

if (process.env[DEFER_TYPESCRIPT_ENV]) deferClosureTypescript();
