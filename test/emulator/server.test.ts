/**
 * The emulator framework: the /_emulator/ admin endpoints and the HTTP server, over loopback.
 */
import assert from "node:assert/strict";
import { Agent, request as httpRequest } from "node:http";
import { networkInterfaces } from "node:os";
import { tencentUrl } from "../support/tencent-raw";
import { SECRET, ZEGO_SECRET, canConnect, frameworkSuite, outcome, rawPost } from "../support/emulator-framework";

frameworkSuite("admin endpoints and HTTP server", (bench) => {
  describe("admin endpoints (/_emulator/)", () => {
    it("GET /_emulator/state: rooms of both vendors, ZEGO users and counters", async () => {
      const e = bench.running();
      await bench.tCreate(e, "t1");
      await bench.zCreate(e, "z1");
      const r = await bench.admin("GET", "/_emulator/state");
      assert.equal(r.status, 200);
      const state = r.json as {
        tencent: { rooms: { RoomId: string }[] };
        zego: { rooms: { roomId: string }[]; users: { userId: string }[] };
        counters: unknown;
      };
      assert.deepEqual(
        state.tencent.rooms.map((x) => x.RoomId),
        ["t1"],
      );
      assert.deepEqual(
        state.zego.rooms.map((x) => x.roomId),
        ["z1"],
      );
      assert.deepEqual(
        state.zego.users.map((u) => u.userId),
        ["pulumi-rooms-admin"],
      );
      assert.deepEqual(state.counters, { create_room: { ok: 1 }, CreateRoom: { ok: 1 } });
      assert.ok(
        !JSON.stringify(state).includes(SECRET) && !JSON.stringify(state).includes(ZEGO_SECRET),
        "no secret in the inspection document",
      );
    });
    it("POST /_emulator/reset forgets everything", async () => {
      const e = bench.running();
      await bench.tCreate(e, "t1");
      await bench.zCreate(e, "z1");
      assert.deepEqual(await bench.admin("POST", "/_emulator/reset"), { status: 200, json: { ok: true } });
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms(), e.counters()], [[], [], {}]);
    });
    it("POST /_emulator/faults with a plan applies it; with null (or an empty body) turns faults off", async () => {
      const e = bench.running();
      const plan = { seed: 5, http502: 1, actions: ["get_room_info"] };
      assert.deepEqual(await bench.admin("POST", "/_emulator/faults", JSON.stringify(plan)), {
        status: 200,
        json: { ok: true, faults: plan },
      });
      assert.equal(await outcome(bench.tGet(e, "none")), "http 502");
      assert.equal(await outcome(bench.tCreate(e, "r1")), "0");
      assert.deepEqual(await bench.admin("POST", "/_emulator/faults", "null"), {
        status: 200,
        json: { ok: true, faults: null },
      });
      assert.equal(await outcome(bench.tGet(e, "none")), "100004");
      await bench.admin("POST", "/_emulator/faults", JSON.stringify(plan));
      assert.deepEqual(await bench.admin("POST", "/_emulator/faults", ""), {
        status: 200,
        json: { ok: true, faults: null },
      });
      assert.equal(await outcome(bench.tGet(e, "none")), "100004");
    });
    it("POST /_emulator/faults: 400 on a body that is not a JSON fault plan; the plan in force stays", async () => {
      const e = bench.running();
      await bench.admin(
        "POST",
        "/_emulator/faults",
        JSON.stringify({ seed: 1, http502: 1, actions: ["destroy_room"] }),
      );
      for (const garbage of ["{not json", "[]", "42", '"plan"', '{"http502":1}', '{"seed":"1"}']) {
        const r = await bench.admin("POST", "/_emulator/faults", garbage);
        assert.equal(r.status, 400, garbage);
        assert.equal(typeof r.json.error, "string");
      }
      assert.equal(await outcome(bench.tSend(e, "destroy_room", { RoomId: "x" })), "http 502");
    });
    it("POST /_emulator/faults: 400 on a plan with fields of the wrong type or range", async () => {
      const e = bench.running();
      for (const bad of [
        { seed: 1, actions: 5 },
        { seed: 1, actions: "create_room" },
        { seed: 1, actions: [1] },
        { seed: 1, http502: "always" },
        { seed: 1, reset: 1.5 },
        { seed: 1, lostResponse: -0.1 },
        { seed: 1, latency: 1, latencyMs: "slow" },
        { seed: Number.NaN },
      ]) {
        const r = await bench.admin("POST", "/_emulator/faults", JSON.stringify(bad));
        assert.equal(r.status, 400, JSON.stringify(bad));
      }
      assert.equal(await outcome(bench.tGet(e, "none")), "100004", "vendor requests still work");
    });
    it("POST /_emulator/faults: 400 on an unknown key, naming it, the nearest key and the valid ones; nothing is injected", async () => {
      const e = bench.running();
      const r = await bench.admin("POST", "/_emulator/faults", JSON.stringify({ seed: 1, http_502: 1 }));
      assert.equal(r.status, 400);
      assert.equal(
        r.json.error,
        'body must be a JSON fault plan or null: fault plan: unknown key "http_502" (did you mean "http502"?); valid keys: seed, reset, http502, vendorTransient, latency, lostResponse, latencyMs, actions',
      );
      assert.throws(
        () => e.setFaults({ seed: 1, lost: 0.5 } as never),
        /unknown key "lost" \(did you mean "lostResponse"\?\)/,
      );
      assert.equal(await outcome(bench.tGet(e, "none")), "100004", "no plan was put in force");
    });
    it("setFaults and the faults option refuse an invalid plan", async () => {
      assert.throws(() => bench.running().setFaults({ seed: 1, http502: 2 }), /http502/);
      await assert.rejects(
        bench.start({ faults: { seed: 1, actions: "get_room_info" as unknown as string[] } }),
        /actions/,
      );
    });
    it("404 for an unknown admin route or method", async () => {
      assert.equal((await bench.admin("GET", "/_emulator/nothing")).status, 404);
      assert.equal((await bench.admin("POST", "/_emulator/state")).status, 404);
      assert.equal((await bench.admin("GET", "/_emulator/reset")).status, 404);
      assert.deepEqual(bench.running().counters(), {});
    });
  });

  describe("HTTP server", () => {
    it("413 for a body over 1 MiB; nothing reaches the handler", async () => {
      const e = bench.running();
      const url = tencentUrl(bench.tencentOf(e), "create_room");
      const big = JSON.stringify({
        RoomInfo: { RoomId: "r1", RoomType: "Conference", CustomInfo: "x".repeat(1024 * 1024) },
      });
      const r = await rawPost(url, big);
      assert.equal(r.status, 413);
      assert.match(r.text, /1048576/);
      assert.deepEqual([e.tencent.rooms(), e.counters()], [[], {}]);
      const atLimit = `{"RoomId":"none"}${" ".repeat(1024 * 1024 - 17)}`;
      assert.equal(Buffer.byteLength(atLimit), 1024 * 1024);
      const ok = await rawPost(tencentUrl(bench.tencentOf(e), "get_room_info"), atLimit);
      assert.equal(ok.status, 200, "exactly 1 MiB is read");
      assert.equal((JSON.parse(ok.text) as { ErrorCode: number }).ErrorCode, 100004);
    });
    it("keeps connections alive across answers, errors and 413; stop() still returns promptly", async () => {
      const e = bench.running();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const post = (path: string, body: string) =>
          new Promise<{ status: number; reused: boolean }>((resolvePromise, reject) => {
            const req = httpRequest(
              `${e.url}${path}`,
              { method: "POST", agent, headers: { "content-type": "application/json" } },
              (res) => {
                res.resume();
                res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
              },
            );
            req.on("error", reject);
            req.end(body);
          });
        const tencentPath = (command: string) => {
          const url = new URL(tencentUrl(bench.tencentOf(e), command));
          return `${url.pathname}${url.search}`;
        };
        const first = await post(tencentPath("get_room_info"), JSON.stringify({ RoomId: "none" }));
        const second = await post(
          tencentPath("create_room"),
          JSON.stringify({ RoomInfo: { RoomId: "r1", RoomType: "Conference" } }),
        );
        const tooBig = await post(tencentPath("get_room_info"), "x".repeat(1024 * 1024 + 1));
        const afterTooBig = await post("/nowhere", "{}");
        assert.deepEqual(
          [first, second, tooBig, afterTooBig],
          [
            { status: 200, reused: false },
            { status: 200, reused: true },
            { status: 413, reused: true },
            { status: 404, reused: true },
          ],
        );
        const t0 = performance.now();
        await e.stop();
        bench.forget();
        assert.ok(performance.now() - t0 < 1000, "an idle keep-alive connection does not hold stop() up");
      } finally {
        agent.destroy();
      }
    });
    it("404 (JSON) for a path no vendor serves", async () => {
      const e = bench.running();
      for (const path of [
        "/",
        "/v3/room_engine_http_srv/create_room",
        "/favicon.ico",
        "/_emulator",
        "/?action=CreateRoom",
      ]) {
        const res = await fetch(`${e.url}${path}`, { method: "POST", body: "{}" });
        assert.equal(res.status, 404, path);
        assert.match(((await res.json()) as { error: string }).error, /no emulated API/);
      }
      assert.deepEqual(e.counters(), {});
    });
    it("binds 127.0.0.1 only", async () => {
      const e = bench.running();
      assert.match(e.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(e.url, `http://127.0.0.1:${e.port}`);
      assert.equal(await canConnect("127.0.0.1", e.port), true);
      assert.equal(await canConnect("127.0.0.2", e.port), false, "another loopback address is not served");
      assert.equal(await canConnect("::1", e.port), false, "IPv6 loopback is not served");
      const external = Object.values(networkInterfaces())
        .flatMap((list) => list ?? [])
        .filter((i) => !i.internal);
      for (const i of external) assert.equal(await canConnect(i.address, e.port), false, `${i.address} is not served`);
    });
    it("stop() twice is harmless; the second call resolves at once", async () => {
      const e = bench.running();
      await e.stop();
      await e.stop();
      bench.forget();
      assert.equal(await canConnect("127.0.0.1", e.port), false);
    });
    it("port option: listens on the given port; stop() frees it", async () => {
      const probe = await bench.start();
      const port = probe.port;
      await probe.stop();
      const e = await bench.fresh({ port });
      assert.equal(e.port, port);
      await e.stop();
      bench.forget();
      assert.equal(await canConnect("127.0.0.1", port), false);
    });
    it("log: one line per vendor request, faulted ones included, never a credential", async () => {
      const lines: string[] = [];
      const e = await bench.fresh({ log: (line) => lines.push(line) });
      await bench.tCreate(e, "r1");
      await bench.zCreate(e, "z1");
      e.setFaults({ seed: 1, http502: 1 });
      await bench.tGet(e, "r1");
      assert.equal(lines.length, 3, lines.join("\n"));
      assert.match(lines[0] ?? "", /create_room.*ok/);
      assert.match(lines[2] ?? "", /get_room_info.*502/);
      for (const line of lines)
        assert.ok(!line.includes(SECRET) && !line.includes(ZEGO_SECRET) && !line.includes("usersig"), line);
    });
  });
});
