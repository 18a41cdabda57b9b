import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { scopeHash } from "../../../provider/core/naming";
import { TencentRoom } from "../../../provider/tencent/resource";
import { outputValue, registerMocked } from "../../support/mocked-resource";

describe("resource outputs", () => {
  it("TencentRoom exposes every output even when its input is omitted", async () => {
    // The provider answers every output; the program must get an Output for each.
    const { resource, inputs } = await registerMocked(() => new TencentRoom("omitted", {}), {
      roomName: "as-held",
      memberCount: 3,
      scheduleInvitees: ["a"],
    });
    for (const key of ["roomName", "memberCount", "scheduleInvitees", "takeSeatMode", "roomStatus"] as const) {
      assert.ok(pulumi.Output.isInstance(resource[key]), `${key} is not an Output`);
    }
    assert.equal(await outputValue(resource.roomName), "as-held");
    assert.equal(await outputValue(resource.memberCount), 3);
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
