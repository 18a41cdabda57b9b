/**
 * Secrets never leak (docs/architecture.md, invariant 2). Both resource types go through every lifecycle in the real
 * dynamic-provider host with distinctive credentials and debug logging on (PULUMI_ROOMS_DEBUG=1): check
 * failures, create, no-op diff, update, refresh with drift, replacement (same and new ID), vendor
 * failures, retried transient faults, calls with a wrong secret, settings errors, and destroy. Everything
 * a user could see or store is then scanned for the secret key, the server secret, every UserSig and
 * every ZEGO Signature the emulator received: serialized `__provider`, inputs, outputs, state, check
 * failures, gRPC error details, and the host's stdout and stderr. Tencent rooms also get a password planted
 * in the emulator's get_room_info answers (IsPasswordEnabled/Password, as the Chinese sample answer on
 * cloud.tencent.com/document/product/1690/102881 shows), in well-formed and malformed answers: it must
 * not surface either.
 */
import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { startEmulator, type Emulator, type EmulatorRequest } from "../../emulator";
import { TencentRoom } from "../../provider/tencent/resource";
import { ZegoRoom } from "../../provider/zego/resource";
import { declared, DeploymentError, Engine, type Declared } from "../support/engine";
import { ProviderHost, type Props } from "../support/host";
import { runProgram } from "../support/program";

const REPO = path.resolve(__dirname, "../..");
const PROJECT = "rooms-secrets";
const SECRET_KEYS = ["tencent:secretKey", "zego:serverSecret"];
const canary = (what: string) => `${what}-LEAKCANARY-${randomBytes(12).toString("hex")}`;

const TENCENT_SECRET = canary("tencent-secret");
const ZEGO_SECRET = canary("zego-secret");
/** Wrong credentials (for failing calls) must not leak either. */
const WRONG_TENCENT_SECRET = canary("wrong-tencent-secret");
const WRONG_ZEGO_SECRET = canary("wrong-zego-secret");
/** A room password the vendor returns in clear (Tencent get_room_info). */
const ROOM_PASSWORD = canary("room-password");

interface LeakCase {
  readonly label: string;
  declare(name: string, args: Props): void;
  readonly base: Props;
  readonly update: Props;
  readonly replaceSameId: Props;
  readonly invalid: Props;
  drift(emu: Emulator, id: string): void;
  /** Makes creating `id` fail with a vendor error; returns the inputs (over the base) that provoke it. */
  failure(emu: Emulator, id: string): Props;
  /** Makes the vendor's reads of `id` carry a room password (for vendors that return one). */
  plantPassword?(emu: Emulator, id: string): void;
  /** Makes the vendor's reads of `id` malformed and carry a room password; returns the undo. */
  poisonRead?(emu: Emulator, id: string): () => void;
}

const CASES: LeakCase[] = [
  {
    label: "TencentRoom",
    declare: (name, args) => new TencentRoom(name, args),
    base: {
      roomName: "Leak check",
      maxMemberCount: 30,
      customInfo: "v1",
      scheduleStartTime: "2027-03-01T09:00:00Z",
      scheduleInvitees: ["u1", "u2"],
    },
    update: { customInfo: "v2", isVideoDisabled: true },
    replaceSameId: { scheduleStartTime: "2027-03-01T10:00:00Z" },
    invalid: { roomName: "x".repeat(101), scheduleEndTime: 5 },
    drift: (emu, id) => emu.tencent.mutateRoom(id, { CustomInfo: "drifted" }),
    failure(emu, id) {
      emu.tencent.addChatGroup(id); // create_room answers 100011
      return { roomId: id };
    },
    plantPassword: (emu, id) => emu.tencent.mutateRoom(id, { Password: ROOM_PASSWORD }),
    poisonRead(emu, id) {
      const before = emu.tencent.room(id);
      assert.ok(before);
      // A wrong-typed field makes get_room_info a protocol error while the answer carries the password.
      emu.tencent.mutateRoom(id, { Password: ROOM_PASSWORD, MaxMemberCount: "many" as unknown as number });
      return () => emu.tencent.mutateRoom(id, { Password: before.Password, MaxMemberCount: before.MaxMemberCount });
    },
  },
  {
    label: "ZegoRoom",
    declare: (name, args) => new ZegoRoom(name, args),
    base: { roomName: "Leak check", destroyDelayTime: 60, attributes: { topic: "v1" } },
    update: { attributes: { topic: "v2", extra: "1" } },
    replaceSameId: { destroyDelayTime: 120 },
    invalid: { roomName: "x".repeat(65), attributes: { "a-key-longer-than-16-bytes": "v" } },
    drift: (emu, id) => void emu.zego.setAttribute(id, "topic", "drifted"),
    // The emulated app allows 3 attributes per room (the schema allows 20): CreateRoom refuses a fourth.
    failure: () => ({ attributes: { a: "1", b: "2", c: "3", d: "4" } }),
  },
];

async function program(c: LeakCase, rooms: Record<string, Props>, texts: string[]): Promise<Declared[]> {
  const run = await runProgram(
    () => {
      for (const [name, args] of Object.entries(rooms)) c.declare(name, args);
    },
    { project: PROJECT },
  );
  for (const r of run.registrations) texts.push(r.provider ?? "", JSON.stringify(r.inputs));
  return declared(run.registrations);
}

/** Runs a deployment that may fail; failures are part of what a user sees, so they are kept, not thrown. */
async function settle(texts: string[], run: Promise<unknown>): Promise<DeploymentError | undefined> {
  try {
    await run;
    return undefined;
  } catch (err) {
    assert.ok(err instanceof DeploymentError, String(err));
    texts.push(err.message);
    return err;
  }
}

describe("secrets never leak: every lifecycle through the host, debug logging on", function () {
  this.timeout(60_000);
  let emu: Emulator;
  const hosts: ProviderHost[] = [];
  /** What a user could see or store. */
  const texts: string[] = [];
  /** Credentials as sent on the wire (query values), collected by the emulator. */
  const userSigs = new Set<string>();
  const signatures = new Set<string>();

  const startHost = async (config: Record<string, string>): Promise<ProviderHost> => {
    const host = await ProviderHost.start({ cwd: REPO, project: PROJECT, env: { PULUMI_ROOMS_DEBUG: "1" } });
    hosts.push(host);
    await host.configure(config, SECRET_KEYS);
    return host;
  };

  before(async function () {
    emu = await startEmulator({
      tencent: { secretKey: TENCENT_SECRET },
      zego: { serverSecret: ZEGO_SECRET, roomQuota: 100, maxAttributes: 3 },
    });
    // Every request passes the first handler's `matches`: note its credentials there.
    const matches = emu.tencent.matches.bind(emu.tencent);
    emu.tencent.matches = (req: EmulatorRequest) => {
      const q = req.url.searchParams;
      const sig = q.get("usersig");
      if (sig) userSigs.add(sig);
      const signature = q.get("Signature");
      if (signature) signatures.add(signature);
      return matches(req);
    };
  });

  after(async function () {
    for (const host of hosts) await host.stop();
    await emu?.stop();
  });

  for (const c of CASES) {
    it(`${c.label}: check failures, create, diff, update, refresh, replace, vendor failures, retries, wrong secret, destroy`, async function () {
      const host = await startHost(emu.stackConfig());
      const engine = new Engine(host);
      const a = `${c.label.toLowerCase()}-a`;
      const b = `${c.label.toLowerCase()}-b`;
      const failing = `${c.label.toLowerCase()}-failing`;

      // Check failures (preview and up).
      const bad = await program(c, { bad: { ...c.base, ...c.invalid } }, texts);
      const previewed = await engine.preview(bad);
      assert.ok((previewed[0]?.failures?.length ?? 0) > 0);
      assert.ok(await settle(texts, engine.up(bad)));

      // Create, then a no-change up (Diff), then an in-place update, under retried transient faults.
      emu.setFaults({ seed: 99, vendorTransient: 0.3, http502: 0.1, reset: 0.05 });
      await engine.up(await program(c, { [a]: c.base, [b]: c.base }, texts));
      // From here on the vendor's answers about both rooms carry a password (where the vendor has them).
      c.plantPassword?.(emu, engine.get(a).id);
      c.plantPassword?.(emu, engine.get(b).id);
      await engine.up(await program(c, { [a]: c.base, [b]: c.base }, texts));
      await engine.up(await program(c, { [a]: { ...c.base, ...c.update }, [b]: c.base }, texts));
      emu.setFaults(undefined);

      // Refresh after drift; replacement keeping the ID and with a new ID.
      c.drift(emu, engine.get(b).id);
      await engine.refresh();
      texts.push(JSON.stringify([...engine.state]));
      if (c.plantPassword)
        assert.equal(
          emu.tencent.room(engine.get(b).id)?.Password,
          ROOM_PASSWORD,
          "the refresh read an answer carrying the password",
        );
      // A malformed read carrying a password fails the refresh; its error must not quote the password.
      if (c.poisonRead) {
        const undo = c.poisonRead(emu, engine.get(b).id);
        const poisoned = await settle(texts, engine.refresh());
        assert.match(poisoned?.message ?? "", /is malformed/, "the malformed read surfaced as a protocol error");
        undo();
      }
      await engine.up(
        await program(
          c,
          { [a]: { ...c.base, ...c.update, ...c.replaceSameId }, [b]: { ...c.base, roomId: `${b}-2` } },
          texts,
        ),
      );

      // A vendor failure at create (Tencent: the ID is a Chat group, 100011; ZEGO: too many attributes).
      const provoke = c.failure(emu, failing);
      const failed = await settle(
        texts,
        engine.up(
          await program(
            c,
            {
              [a]: { ...c.base, ...c.update, ...c.replaceSameId },
              [b]: { ...c.base, roomId: `${b}-2` },
              [failing]: { ...c.base, ...provoke },
            },
            texts,
          ),
        ),
      );
      assert.match(failed?.message ?? "", /failing: .*failed: \[\d+\]/, "a vendor code surfaced for the failing room");

      // The same state driven by a host with the wrong secret: create, read and delete all fail.
      const wrong = await startHost({
        ...emu.stackConfig(),
        "tencent:secretKey": WRONG_TENCENT_SECRET,
        "zego:serverSecret": WRONG_ZEGO_SECRET,
      });
      const wrongEngine = new Engine(wrong);
      for (const [urn, entry] of engine.state) wrongEngine.state.set(urn, structuredClone(entry));
      assert.ok(await settle(texts, wrongEngine.up(await program(c, { "never-created": c.base }, texts))));
      assert.ok(await settle(texts, wrongEngine.refresh()));
      assert.ok(await settle(texts, wrongEngine.destroy()));
      texts.push(...wrongEngine.transcript);

      // Destroy for real.
      await engine.destroy();
      assert.equal(engine.state.size, 0);
      texts.push(...engine.transcript);
    });
  }

  it("settings errors name the key, never the value (a secret pasted into the wrong key)", async function () {
    const misplacedTencent = canary("pasted-into-sdkappid");
    const misplacedZego = canary("pasted-into-appid");
    const host = await startHost({
      ...emu.stackConfig(),
      "tencent:sdkAppId": misplacedTencent,
      "zego:appId": misplacedZego,
    });
    const engine = new Engine(host);
    for (const c of CASES) {
      const err = await settle(texts, engine.up(await program(c, { misconfigured: c.base }, texts)));
      assert.ok(err);
      assert.match(err.message, /(tencent:sdkAppId|zego:appId)/);
    }
    texts.push(...engine.transcript);
    for (const leaked of [misplacedTencent, misplacedZego])
      assert.ok(!texts.concat(host.output).some((t) => t.includes(leaked)), `${leaked.split("-LEAKCANARY")[0]} leaked`);
  });

  it("nothing a user could see or store holds a secret key, server secret, UserSig or Signature", function () {
    const output = hosts.flatMap((h) => h.output);
    // The scan only means something if it covered debug logs, failures and credentials on the wire.
    assert.ok(
      output.some((line) => line.includes("[pulumi-rooms]")),
      "debug logging produced no line",
    );
    assert.ok(
      output.some((line) => /retrying in/.test(line)),
      "no retry was logged",
    );
    assert.ok(userSigs.size >= 2, `UserSigs seen: ${userSigs.size}`);
    assert.ok(signatures.size >= 20, `Signatures seen: ${signatures.size}`);
    const haystack = [...texts, ...output];
    assert.ok(haystack.length > 100);
    const needles = new Map<string, string>([
      [TENCENT_SECRET, "tencent:secretKey"],
      [ZEGO_SECRET, "zego:serverSecret"],
      [WRONG_TENCENT_SECRET, "a wrong tencent:secretKey"],
      [WRONG_ZEGO_SECRET, "a wrong zego:serverSecret"],
      [ROOM_PASSWORD, "a room password"],
      ...[...userSigs].map((s): [string, string] => [s, "a UserSig"]),
      ...[...signatures].map((s): [string, string] => [s, "a ZEGO Signature"]),
    ]);
    for (const [needle, what] of [...needles].flatMap(([n, w]) => [
      [n, w],
      [encodeURIComponent(n), `${w} (URL-encoded)`],
    ])) {
      const hit = haystack.find((text) => text.includes(needle as string));
      assert.equal(hit, undefined, `${what} leaked into: ${hit?.slice(0, 300)}`);
    }
  });
});
