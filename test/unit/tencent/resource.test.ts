import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { scopeHash } from "../../../provider/core/naming";
import { TencentRoom } from "../../../provider/tencent/resource";

/** What the resource registered and what the program sees back. */
async function register<T extends pulumi.CustomResource>(
  make: () => T,
): Promise<{ resource: T; inputs: Record<string, unknown> }> {
  let inputs: Record<string, unknown> = {};
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs = args.inputs as Record<string, unknown>;
        // The provider answers every output; the program must get an Output for each.
        return {
          id: args.name,
          state: {
            ...(args.inputs as Record<string, unknown>),
            roomName: "as-held",
            memberCount: 3,
            scheduleInvitees: ["a"],
          },
        };
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

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));

describe("resource outputs", () => {
  it("TencentRoom exposes every output even when its input is omitted", async () => {
    const { resource, inputs } = await register(() => new TencentRoom("omitted", {}));
    for (const key of ["roomName", "memberCount", "scheduleInvitees", "takeSeatMode", "roomStatus"] as const) {
      assert.ok(pulumi.Output.isInstance(resource[key]), `${key} is not an Output`);
    }
    assert.equal(await value(resource.roomName), "as-held");
    assert.equal(await value(resource.memberCount), 3);
    // Placeholders are not sent as inputs: only what the program declared (and the derived roomId, marked).
    assert.deepEqual(
      Object.keys(inputs)
        .filter((k) => k !== "__provider")
        .sort(),
      ["roomId", "roomIdSource"],
    );
    assert.equal(inputs.roomId, `omitted-${scopeHash("rooms-test", "dev", "omitted")}`);
    assert.equal(inputs.roomIdSource, "name");
  });
});
