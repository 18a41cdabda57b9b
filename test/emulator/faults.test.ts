/**
 * The emulator framework: seeded faults and every fault kind, over loopback HTTP.
 */
import assert from "node:assert/strict";
import { type FaultPlan } from "../../emulator";
import { tencentCall, tencentUrl } from "../support/tencent-raw";
import { frameworkSuite, outcome, rawPost } from "../support/emulator-framework";

frameworkSuite("faults", (bench) => {
  describe("seeded faults", () => {
    const PLAN: FaultPlan = { seed: 20260423, http502: 0.15, reset: 0.15, vendorTransient: 0.15, lostResponse: 0.2 };

    /** The same mixed sequence of requests against a new emulator with `plan`. */
    async function replay(plan: FaultPlan): Promise<{ outcomes: string[]; counters: unknown; rooms: string[] }> {
      const e = await bench.start({ faults: plan });
      bench.extra.push(e);
      const outcomes: string[] = [];
      for (let i = 0; i < 16; i++) {
        outcomes.push(await outcome(bench.tCreate(e, `t${i}`)));
        outcomes.push(await outcome(bench.zCreate(e, `z${i}`)));
        outcomes.push(await outcome(bench.tGet(e, `t${i}`)));
      }
      return {
        outcomes,
        counters: e.counters(),
        rooms: [...e.tencent.rooms().map((r) => r.RoomId), ...e.zego.rooms().map((r) => r.roomId)],
      };
    }

    it("the same seed and request sequence give the same outcomes, counters and rooms", async () => {
      const a = await replay(PLAN);
      const b = await replay(PLAN);
      assert.deepEqual(b, a);
      const kinds = new Set(a.outcomes);
      for (const kind of ["http 502", "socket error", "100001", "0"])
        assert.ok(kinds.has(kind), `the plan produced ${kind}: ${[...kinds].join(", ")}`);
    });
    it("another seed gives another sequence", async () => {
      const a = await replay(PLAN);
      const b = await replay({ ...PLAN, seed: PLAN.seed + 1 });
      assert.notDeepEqual(b.outcomes, a.outcomes);
    });
    it("setFaults restarts the sequence from the plan's seed", async () => {
      const e = bench.running();
      const plan: FaultPlan = { seed: 99, http502: 0.5 };
      const run = async () => {
        e.setFaults(plan);
        const out: string[] = [];
        for (let i = 0; i < 12; i++) out.push(await outcome(bench.tGet(e, "none")));
        return out;
      };
      const first = await run();
      assert.deepEqual(await run(), first);
      assert.ok(first.includes("http 502") && first.includes("100004"), first.join(","));
    });
  });

  /** Sets `faults` on the running emulator, then creates r1 (Tencent) and z1 (ZEGO): both clients see a socket error. */
  async function createsThroughSocketError(faults: FaultPlan) {
    const e = bench.running();
    e.setFaults(faults);
    assert.equal(await outcome(bench.tCreate(e, "r1")), "socket error");
    assert.equal(await outcome(bench.zCreate(e, "z1")), "socket error");
    return e;
  }

  describe("fault kinds", () => {
    it("http502: HTTP 502 with an HTML body; nothing committed", async () => {
      const e = bench.running();
      e.setFaults({ seed: 1, http502: 1 });
      const t = await rawPost(
        tencentUrl(bench.tencentOf(e), "create_room"),
        JSON.stringify({ RoomInfo: { RoomId: "r1", RoomType: "Conference" } }),
      );
      assert.equal(t.status, 502);
      assert.match(t.contentType, /^text\/html/);
      assert.match(t.text, /<html>.*502/s);
      assert.equal(await outcome(bench.zCreate(e, "z1")), "http 502");
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms()], [[], []]);
      assert.deepEqual(e.counters(), { create_room: { "fault:502": 1 }, CreateRoom: { "fault:502": 1 } });
    });
    it("reset: the client sees a socket error; nothing committed", async () => {
      const e = await createsThroughSocketError({ seed: 1, reset: 1 });
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms()], [[], []]);
      assert.deepEqual(e.counters(), { create_room: { "fault:reset": 1 }, CreateRoom: { "fault:reset": 1 } });
    });
    it("lostResponse: the client sees a socket error but the room exists", async () => {
      const e = await createsThroughSocketError({ seed: 1, lostResponse: 1 });
      assert.deepEqual(
        e.tencent.rooms().map((r) => r.RoomId),
        ["r1"],
      );
      assert.deepEqual(
        e.zego.rooms().map((r) => r.roomId),
        ["z1"],
      );
      assert.deepEqual(e.counters(), {
        create_room: { ok: 1, "fault:lost": 1 },
        CreateRoom: { ok: 1, "fault:lost": 1 },
      });
    });
    it("lostResponse: a request that changed nothing is answered (reads, refusals)", async () => {
      const e = bench.running();
      e.setFaults({ seed: 1, lostResponse: 1 });
      assert.equal(await outcome(bench.tGet(e, "none")), "100004");
      assert.equal(await outcome(bench.tSend(e, "create_room", { RoomInfo: { RoomId: "" } })), "100002");
    });
    it("latency: adds latencyMs before the answer, which is otherwise unchanged", async () => {
      const e = bench.running();
      const t0 = performance.now();
      assert.equal(await outcome(bench.tGet(e, "none")), "100004");
      const plain = performance.now() - t0;
      e.setFaults({ seed: 1, latency: 1, latencyMs: 250 });
      const t1 = performance.now();
      assert.equal(await outcome(bench.tCreate(e, "r1")), "0");
      const slow = performance.now() - t1;
      assert.ok(slow >= 245, `took ${slow.toFixed(0)} ms`);
      assert.ok(plain < 200, `an unfaulted request took ${plain.toFixed(0)} ms`);
      assert.ok(e.tencent.room("r1"));
    });
    it("vendorTransient: Tencent 100001, ZEGO 660000001 then 660300005, HTTP 200; nothing committed", async () => {
      const e = bench.running();
      e.setFaults({ seed: 1, vendorTransient: 1 });
      const t = await tencentCall(bench.tencentOf(e), "create_room", {
        RoomInfo: { RoomId: "r1", RoomType: "Conference" },
      });
      assert.deepEqual([t.status, t.body.ActionStatus, t.body.ErrorCode], [200, "FAIL", 100001]);
      assert.deepEqual(
        [await outcome(bench.zCreate(e, "z1")), await outcome(bench.zCreate(e, "z1"))],
        ["660000001", "660300005"],
      );
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms()], [[], []]);
      assert.deepEqual(e.counters(), {
        create_room: { "fault:100001": 1 },
        CreateRoom: { "fault:660000001": 1, "fault:660300005": 1 },
      });
    });
    it("order when several kinds fire: reset, then 502, then the vendor's retry code, then latency", async () => {
      const e = bench.running();
      e.setFaults({ seed: 1, reset: 1, http502: 1, vendorTransient: 1 });
      assert.equal(await outcome(bench.tGet(e, "none")), "socket error");
      e.setFaults({ seed: 1, http502: 1, vendorTransient: 1 });
      assert.equal(await outcome(bench.tGet(e, "none")), "http 502");
      e.setFaults({ seed: 1, vendorTransient: 1, latency: 1, latencyMs: 3000 });
      const t0 = performance.now();
      assert.equal(await outcome(bench.tGet(e, "none")), "100001");
      assert.ok(performance.now() - t0 < 1000, "the retry code answers without the delay");
      e.setFaults({ seed: 1, latency: 1, latencyMs: 50, lostResponse: 1 });
      assert.equal(await outcome(bench.tCreate(e, "r1")), "socket error");
      assert.ok(e.tencent.room("r1"), "a delayed request still commits before its response is lost");
    });
    it("actions: only the listed actions are faulted", async () => {
      const e = bench.running();
      e.setFaults({ seed: 1, http502: 1, actions: ["get_room_info", "CreateRoom"] });
      assert.equal(await outcome(bench.tCreate(e, "r1")), "0");
      assert.equal(await outcome(bench.tGet(e, "r1")), "http 502");
      assert.equal(await outcome(bench.zCreate(e, "z1")), "http 502");
      assert.equal(await outcome(bench.zSend(e, "QueryUserInfos", { UserIds: ["x"] })), "660700015");
    });
    it("setFaults(undefined) turns faults off", async () => {
      const e = bench.running();
      e.setFaults({ seed: 1, http502: 1 });
      assert.equal(await outcome(bench.tGet(e, "none")), "http 502");
      e.setFaults(undefined);
      assert.equal(await outcome(bench.tGet(e, "none")), "100004");
    });
    it("the faults option applies from the start", async () => {
      const e = await bench.fresh({ faults: { seed: 3, http502: 1 } });
      assert.equal(await outcome(bench.tGet(e, "none")), "http 502");
    });
  });
});
