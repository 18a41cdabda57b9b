/**
 * ZegoRoom at scale, in process: what a burst of creates costs in vendor requests. On a fresh app the
 * operator is not registered yet; every create queued in the rate limiter must not be sent only to hear
 * "not registered" (bench: 49 of 650 requests wasted for 200 rooms before the operator probe).
 */
import assert from "node:assert/strict";
import { configuredFor } from "../../support/emulated-suite";
import { startEmulator, type Emulator } from "../../../emulator";
import { ZegoRoomProvider } from "../../../provider/zego/provider";

type Props = Record<string, unknown>;

/** The emulator's app limit and the provider's pacing, raised together from ZEGO's 20/s to keep this short. */
const RATE = 200;

async function providerFor(emu: Emulator): Promise<ZegoRoomProvider> {
  return configuredFor(new ZegoRoomProvider({ env: {} }), emu, { "zego:requestsPerSecond": String(RATE) });
}

async function create(p: ZegoRoomProvider, raw: Props): Promise<void> {
  const { inputs, failures } = await p.check({}, raw);
  assert.deepEqual(failures, []);
  await p.create(inputs as Props);
}

describe("ZegoRoom at scale: requests per create", function () {
  let emu: Emulator;

  beforeEach(async function () {
    emu = await startEmulator({ zego: { ratePerSecond: RATE, roomQuota: 500 } });
  });

  afterEach(async function () {
    await emu?.stop();
  });

  it("a burst of creates by an unregistered operator hears 'operator not registered' (660500002) once, not once per room", async function () {
    const p = await providerFor(emu);
    const rooms = 30;
    await Promise.all(
      Array.from({ length: rooms }, (_, i) =>
        create(p, { roomId: `burst-${i}`, fromUserId: "FreshOperator", attributes: { n: String(i) } }),
      ),
    );
    const c = emu.counters();
    assert.deepEqual(c.CreateRoom, { "660500002": 1, ok: rooms });
    assert.deepEqual(c.UserRegister, { ok: 1 });
    // CreateRoom's answer is the whole truth about a room just created: no read-back.
    assert.equal(c.QueryRoomUserList, undefined);
    assert.equal(c.QueryRoomAttribute, undefined);
    assert.equal(emu.zego.rooms().length, rooms);
  });

  it("create records what CreateRoom answered (AttributeSeq, the declared attributes, no users), as a read-back would", async function () {
    emu.zego.registerUser("KnownOperator");
    const p = await providerFor(emu);
    const { inputs } = await p.check(
      {},
      { roomId: "seq-1", fromUserId: "KnownOperator", attributes: { b: "2", a: { value: "1", autoDelete: true } } },
    );
    const created = await p.create(inputs as Props);
    const outs = created.outs ?? assert.fail("no outputs");
    const read = await p.read("seq-1", outs);
    assert.deepEqual(read.props, outs);
    assert.equal(outs.attributeSeq, 2);
    assert.equal(outs.userCount, 0);
  });

  it("a burst of creates by a registered operator sends exactly one request per room (CreateRoom)", async function () {
    emu.zego.registerUser("KnownOperator");
    const p = await providerFor(emu);
    const rooms = 30;
    await Promise.all(
      Array.from({ length: rooms }, (_, i) => create(p, { roomId: `known-${i}`, fromUserId: "KnownOperator" })),
    );
    const total = Object.values(emu.counters()).reduce(
      (sum, byResult) => sum + Object.values(byResult).reduce((a, b) => a + b, 0),
      0,
    );
    assert.equal(total, rooms);
    assert.equal(emu.counters().UserRegister, undefined);
  });
});
