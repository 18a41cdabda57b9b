/** A resource class registered under Pulumi's mocks, in process: what it sent and what its program sees. */
import * as pulumi from "@pulumi/pulumi";

/**
 * Registers the resource `make` creates (project `rooms-test`, stack `dev`); the mocked provider answers
 * its inputs plus `answer`. Returns the resource, once registered, and the inputs it sent.
 */
export async function registerMocked<T extends pulumi.CustomResource>(
  make: () => T,
  answer: Record<string, unknown>,
): Promise<{ resource: T; inputs: Record<string, unknown> }> {
  let inputs: Record<string, unknown> = {};
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs = args.inputs as Record<string, unknown>;
        return { id: args.name, state: { ...(args.inputs as Record<string, unknown>), ...answer } };
      },
      call: () => ({}),
    },
    "rooms-test",
    "dev",
    false,
  );
  const resource = make();
  await new Promise<void>((resolve) => resource.urn.apply(() => resolve()));
  return { resource, inputs };
}

/** An Output's value, as the program sees it. */
export const outputValue = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));
