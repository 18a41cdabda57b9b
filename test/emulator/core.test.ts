/**
 * The emulator framework (emulator/index.ts, server.ts, faults.ts, state-file.ts, cli.ts): seeded faults and
 * their effects, counters, reset, the state file, the admin endpoints, request limits, loopback-only binding
 * and the command line. Vendor rules are in emulator-tencent / emulator-zego.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseCli, USAGE } from "../../emulator/cli";
import { startEmulator, type Emulator, type EmulatorOptions, type FaultPlan } from "../../emulator";
import { tencentCall, tencentUrl, type TencentSignOptions, type TencentTarget } from "../support/tencent-raw";
import { signedUrl, zegoPost, type ZegoTarget } from "../support/zego-raw";

const ROOT = resolve(__dirname, "../..");
const SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
const ZEGO_SECRET = "00112233445566778899aabbccddeeff";

let clockMs = 0;
let emu: Emulator | undefined;
const extra: Emulator[] = [];

/** A fresh emulator on a frozen clock, rate limits off, the ZEGO operator registered. */
async function fresh(options: EmulatorOptions = {}): Promise<Emulator> {
  await emu?.stop();
  emu = await start(options);
  return emu;
}

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({
    now: () => clockMs,
    ...options,
    tencent: { secretKey: SECRET, ratePerSecond: false, ...options.tencent },
    zego: { serverSecret: ZEGO_SECRET, ratePerSecond: false, preRegisterOperator: true, ...options.zego },
  });
}

function running(): Emulator {
  assert.ok(emu, "no emulator running");
  return emu;
}

const tencentOf = (e: Emulator): TencentTarget => ({ baseUrl: e.url, ...e.credentials.tencent });
const zegoOf = (e: Emulator): ZegoTarget => ({ baseUrl: e.url, appId: e.credentials.zego.appId, serverSecret: e.credentials.zego.serverSecret, nowSec: () => Math.floor(clockMs / 1000) });

/** What a client saw: "socket error", "http <status>", or the vendor code. */
async function outcome(request: Promise<{ status: number; contentType: string; text: string }>): Promise<string> {
  try {
    const r = await request;
    if (r.status !== 200) return `http ${r.status}`;
    const body = JSON.parse(r.text) as { ErrorCode?: number; Code?: number };
    return String(body.ErrorCode ?? body.Code);
  } catch (err) {
    if (err instanceof TypeError && /fetch failed/.test(err.message)) return "socket error";
    throw err;
  }
}

/** A raw request whose answer may be HTML (fault 502) or fail at the socket. */
async function rawPost(url: string, body: string, method = "POST"): Promise<{ status: number; contentType: string; text: string }> {
  const res = await fetch(url, { method, headers: { "content-type": "application/json" }, body });
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text: await res.text() };
}

const tSend = (e: Emulator, command: string, body: unknown, options?: TencentSignOptions) => rawPost(tencentUrl(tencentOf(e), command, options), JSON.stringify(body));
const zSend = (e: Emulator, action: string, body: unknown) => rawPost(signedUrl(zegoOf(e), action), JSON.stringify(body));
const tCreate = (e: Emulator, roomId: string) => tSend(e, "create_room", { RoomInfo: { RoomId: roomId, RoomType: "Conference" } });
const tGet = (e: Emulator, roomId: string) => tSend(e, "get_room_info", { RoomId: roomId });
const zCreate = (e: Emulator, roomId: string) => zSend(e, "CreateRoom", { FromUserId: e.credentials.zego.fromUserId, RoomId: roomId });

async function admin(method: string, path: string, body?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${running().url}${path}`, { method, body, headers: body === undefined ? {} : { "content-type": "application/json" } });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Resolves true when a TCP connection to host:port opens, false when it is refused or unreachable. */
function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolvePromise(true);
    });
    socket.once("error", () => resolvePromise(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolvePromise(false);
    });
  });
}

describe("emulator: framework (server, faults, counters, state file, admin, CLI)", () => {
  beforeEach(async () => {
    clockMs = Math.floor(Date.now() / 1000) * 1000;
    await fresh();
  });
  afterEach(async () => {
    for (const e of extra.splice(0)) await e.stop();
  });
  after(async () => {
    await emu?.stop();
    emu = undefined;
  });

  describe("seeded faults", () => {
    const PLAN: FaultPlan = { seed: 20260423, http502: 0.15, reset: 0.15, vendorTransient: 0.15, lostResponse: 0.2 };

    /** The same mixed sequence of requests against a new emulator with `plan`. */
    async function replay(plan: FaultPlan): Promise<{ outcomes: string[]; counters: unknown; rooms: string[] }> {
      const e = await start({ faults: plan });
      extra.push(e);
      const outcomes: string[] = [];
      for (let i = 0; i < 16; i++) {
        outcomes.push(await outcome(tCreate(e, `t${i}`)));
        outcomes.push(await outcome(zCreate(e, `z${i}`)));
        outcomes.push(await outcome(tGet(e, `t${i}`)));
      }
      return { outcomes, counters: e.counters(), rooms: [...e.tencent.rooms().map((r) => r.RoomId), ...e.zego.rooms().map((r) => r.roomId)] };
    }

    it("the same seed and request sequence give the same outcomes, counters and rooms", async () => {
      const a = await replay(PLAN);
      const b = await replay(PLAN);
      assert.deepEqual(b, a);
      const kinds = new Set(a.outcomes);
      for (const kind of ["http 502", "socket error", "100001", "0"]) assert.ok(kinds.has(kind), `the plan produced ${kind}: ${[...kinds].join(", ")}`);
    });
    it("another seed gives another sequence", async () => {
      const a = await replay(PLAN);
      const b = await replay({ ...PLAN, seed: PLAN.seed + 1 });
      assert.notDeepEqual(b.outcomes, a.outcomes);
    });
    it("setFaults restarts the sequence from the plan's seed", async () => {
      const e = running();
      const plan: FaultPlan = { seed: 99, http502: 0.5 };
      const run = async () => {
        e.setFaults(plan);
        const out: string[] = [];
        for (let i = 0; i < 12; i++) out.push(await outcome(tGet(e, "none")));
        return out;
      };
      const first = await run();
      assert.deepEqual(await run(), first);
      assert.ok(first.includes("http 502") && first.includes("100004"), first.join(","));
    });
  });

  describe("fault kinds", () => {
    it("http502: HTTP 502 with an HTML body; nothing committed", async () => {
      const e = running();
      e.setFaults({ seed: 1, http502: 1 });
      const t = await rawPost(tencentUrl(tencentOf(e), "create_room"), JSON.stringify({ RoomInfo: { RoomId: "r1", RoomType: "Conference" } }));
      assert.equal(t.status, 502);
      assert.match(t.contentType, /^text\/html/);
      assert.match(t.text, /<html>.*502/s);
      assert.equal(await outcome(zCreate(e, "z1")), "http 502");
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms()], [[], []]);
      assert.deepEqual(e.counters(), { create_room: { "fault:502": 1 }, CreateRoom: { "fault:502": 1 } });
    });
    it("reset: the client sees a socket error; nothing committed", async () => {
      const e = running();
      e.setFaults({ seed: 1, reset: 1 });
      assert.equal(await outcome(tCreate(e, "r1")), "socket error");
      assert.equal(await outcome(zCreate(e, "z1")), "socket error");
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms()], [[], []]);
      assert.deepEqual(e.counters(), { create_room: { "fault:reset": 1 }, CreateRoom: { "fault:reset": 1 } });
    });
    it("lostResponse: the client sees a socket error but the room exists", async () => {
      const e = running();
      e.setFaults({ seed: 1, lostResponse: 1 });
      assert.equal(await outcome(tCreate(e, "r1")), "socket error");
      assert.equal(await outcome(zCreate(e, "z1")), "socket error");
      assert.deepEqual(e.tencent.rooms().map((r) => r.RoomId), ["r1"]);
      assert.deepEqual(e.zego.rooms().map((r) => r.roomId), ["z1"]);
      assert.deepEqual(e.counters(), { create_room: { ok: 1, "fault:lost": 1 }, CreateRoom: { ok: 1, "fault:lost": 1 } });
    });
    it("lostResponse: a request that changed nothing is answered (reads, refusals)", async () => {
      const e = running();
      e.setFaults({ seed: 1, lostResponse: 1 });
      assert.equal(await outcome(tGet(e, "none")), "100004");
      assert.equal(await outcome(tSend(e, "create_room", { RoomInfo: { RoomId: "" } })), "100002");
    });
    it("latency: adds latencyMs before the answer, which is otherwise unchanged", async () => {
      const e = running();
      const t0 = performance.now();
      assert.equal(await outcome(tGet(e, "none")), "100004");
      const plain = performance.now() - t0;
      e.setFaults({ seed: 1, latency: 1, latencyMs: 250 });
      const t1 = performance.now();
      assert.equal(await outcome(tCreate(e, "r1")), "0");
      const slow = performance.now() - t1;
      assert.ok(slow >= 245, `took ${slow.toFixed(0)} ms`);
      assert.ok(plain < 200, `an unfaulted request took ${plain.toFixed(0)} ms`);
      assert.ok(e.tencent.room("r1"));
    });
    it("vendorTransient: Tencent 100001, ZEGO 660000001 then 660300005, HTTP 200; nothing committed", async () => {
      const e = running();
      e.setFaults({ seed: 1, vendorTransient: 1 });
      const t = await tencentCall(tencentOf(e), "create_room", { RoomInfo: { RoomId: "r1", RoomType: "Conference" } });
      assert.deepEqual([t.status, t.body.ActionStatus, t.body.ErrorCode], [200, "FAIL", 100001]);
      assert.deepEqual([await outcome(zCreate(e, "z1")), await outcome(zCreate(e, "z1"))], ["660000001", "660300005"]);
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms()], [[], []]);
      assert.deepEqual(e.counters(), { create_room: { "fault:100001": 1 }, CreateRoom: { "fault:660000001": 1, "fault:660300005": 1 } });
    });
    it("order when several kinds fire: reset, then 502, then the vendor's retry code, then latency", async () => {
      const e = running();
      e.setFaults({ seed: 1, reset: 1, http502: 1, vendorTransient: 1 });
      assert.equal(await outcome(tGet(e, "none")), "socket error");
      e.setFaults({ seed: 1, http502: 1, vendorTransient: 1 });
      assert.equal(await outcome(tGet(e, "none")), "http 502");
      e.setFaults({ seed: 1, vendorTransient: 1, latency: 1, latencyMs: 3000 });
      const t0 = performance.now();
      assert.equal(await outcome(tGet(e, "none")), "100001");
      assert.ok(performance.now() - t0 < 1000, "the retry code answers without the delay");
      e.setFaults({ seed: 1, latency: 1, latencyMs: 50, lostResponse: 1 });
      assert.equal(await outcome(tCreate(e, "r1")), "socket error");
      assert.ok(e.tencent.room("r1"), "a delayed request still commits before its response is lost");
    });
    it("actions: only the listed actions are faulted", async () => {
      const e = running();
      e.setFaults({ seed: 1, http502: 1, actions: ["get_room_info", "CreateRoom"] });
      assert.equal(await outcome(tCreate(e, "r1")), "0");
      assert.equal(await outcome(tGet(e, "r1")), "http 502");
      assert.equal(await outcome(zCreate(e, "z1")), "http 502");
      assert.equal(await outcome(zSend(e, "QueryUserInfos", { UserIds: ["x"] })), "660700015");
    });
    it("setFaults(undefined) turns faults off", async () => {
      const e = running();
      e.setFaults({ seed: 1, http502: 1 });
      assert.equal(await outcome(tGet(e, "none")), "http 502");
      e.setFaults(undefined);
      assert.equal(await outcome(tGet(e, "none")), "100004");
    });
    it("the faults option applies from the start", async () => {
      const e = await fresh({ faults: { seed: 3, http502: 1 } });
      assert.equal(await outcome(tGet(e, "none")), "http 502");
    });
  });

  describe("counters and reset", () => {
    it("count requests by action and result; resetCounters clears them", async () => {
      const e = running();
      await tCreate(e, "r1");
      await tCreate(e, "r1");
      await tGet(e, "r1");
      await tGet(e, "none");
      await tSend(e, "get_room_info", { RoomId: "r1" }, { key: "wrong" });
      await tSend(e, "no_such_command", {});
      await zCreate(e, "z1");
      await zCreate(e, "z1");
      assert.deepEqual(e.counters(), {
        create_room: { ok: 1, "100012": 1 },
        get_room_info: { ok: 1, "100004": 1, "70009": 1 },
        unknown: { "60009": 1 },
        CreateRoom: { ok: 1, "660300014": 1 },
      });
      const snapshot = e.counters();
      snapshot.create_room = {};
      assert.deepEqual(e.counters().create_room, { ok: 1, "100012": 1 }, "counters() hands out a copy");
      e.resetCounters();
      assert.deepEqual(e.counters(), {});
      assert.ok(e.tencent.room("r1"), "resetCounters keeps rooms");
    });
    it("reset() forgets rooms of both vendors, users and counters; configuration and credentials stay", async () => {
      const e = await fresh({ zego: { registeredUsers: ["ops"] } });
      const credentials = e.credentials;
      await tCreate(e, "r1");
      await zCreate(e, "z1");
      e.zego.registerUser("temp");
      e.reset();
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms(), e.counters()], [[], [], {}]);
      assert.deepEqual(e.zego.users().map((u) => u.userId).sort(), ["ops", "pulumi-rooms-admin"]);
      assert.deepEqual(e.credentials, credentials);
      clockMs += 1000;
      assert.equal(await outcome(tCreate(e, "r1")), "0");
    });
  });

  describe("state file", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "emu-state-"));
    });
    afterEach(async () => {
      await emu?.stop();
      emu = undefined;
      rmSync(dir, { recursive: true, force: true });
    });

    it("a state file in a missing folder is refused at start, naming the folder", async () => {
      const folder = join(dir, "missing");
      await assert.rejects(start({ stateFile: join(folder, "state.json") }), { message: `emulator state file ${join(folder, "state.json")}: the folder ${folder} does not exist; create it first (mkdir -p ${folder}) or choose another path` });
      writeFileSync(join(dir, "file"), "");
      await assert.rejects(start({ stateFile: join(dir, "file", "state.json") }), /is not a folder/);
    });
    it("keeps the apps' credentials, so stacks configured before a restart still authenticate", async () => {
      const file = join(dir, "state.json");
      // startEmulator directly: fresh() pins the secrets, and this is about the random per-start ones.
      const first = await startEmulator({ stateFile: file });
      const config = first.stackConfig();
      await first.stop();
      const second = await startEmulator({ stateFile: file });
      try {
        for (const key of ["tencent:sdkAppId", "tencent:secretKey", "tencent:identifier", "zego:appId", "zego:serverSecret", "zego:fromUserId"]) {
          assert.equal(second.stackConfig()[key], config[key], key);
        }
        // A request signed with the first run's key is accepted by the second.
        assert.equal(await outcome(tCreate(second, "after-restart")), "0");
      } finally {
        await second.stop();
      }
      // Explicit options still win over the saved ones.
      const third = await startEmulator({ stateFile: file, tencent: { secretKey: "explicit-key" } });
      try {
        assert.equal(third.credentials.tencent.secretKey, "explicit-key");
        assert.equal(third.credentials.zego.serverSecret, config["zego:serverSecret"]);
      } finally {
        await third.stop();
      }
    });

    it("round trip: rooms of both vendors are back after stop and start with the same file", async () => {
      const file = join(dir, "state.json");
      const first = await fresh({ stateFile: file });
      assert.equal(await outcome(tCreate(first, "t1")), "0");
      assert.equal(await outcome(tSend(first, "create_room", { RoomInfo: { RoomId: "t2", RoomType: "Conference", RoomName: "Two" } })), "0");
      assert.equal(await outcome(zSend(first, "CreateRoom", { FromUserId: first.credentials.zego.fromUserId, RoomId: "z1", RoomName: "Zed" })), "0");
      first.tencent.addMember("t1", "user9");
      const tencentBefore = first.tencent.rooms();
      const zegoBefore = first.zego.rooms();
      await first.stop();
      emu = undefined;
      const saved = JSON.parse(readFileSync(file, "utf8")) as { version: number; vendors: Record<string, unknown> };
      assert.equal(saved.version, 1);
      assert.deepEqual(Object.keys(saved.vendors).sort(), ["tencent", "zego"]);

      const second = await fresh({ stateFile: file });
      assert.deepEqual(second.tencent.rooms(), tencentBefore);
      assert.deepEqual(second.zego.rooms(), zegoBefore);
      const info = await tencentCall(tencentOf(second), "get_room_info", { RoomId: "t2" });
      assert.equal((info.body.Response as { RoomInfo: { RoomName: string } }).RoomInfo.RoomName, "Two");
      assert.equal(await outcome(zCreate(second, "z1")), "660300014");
    });
    it("is written after a change without waiting for stop", async () => {
      const file = join(dir, "state.json");
      const e = await fresh({ stateFile: file });
      await tCreate(e, "t1");
      const deadline = Date.now() + 2000;
      while (!(existsSync(file) && readFileSync(file, "utf8").includes('"t1"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(readFileSync(file, "utf8").includes('"t1"'), "the state file holds the new room");
    });
    it("a missing file starts empty; a corrupt one is refused with the file named", async () => {
      const missing = await fresh({ stateFile: join(dir, "none.json") });
      assert.deepEqual(missing.tencent.rooms(), []);
      const bad = join(dir, "bad.json");
      writeFileSync(bad, JSON.stringify({ version: 9 }));
      await assert.rejects(start({ stateFile: bad }), new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}.*version 1`));
      writeFileSync(bad, "{ not json");
      await assert.rejects(start({ stateFile: bad }), (err: Error) => err.message.includes(bad) && /not valid JSON/.test(err.message));
      writeFileSync(bad, JSON.stringify({ version: 1 }));
      await assert.rejects(start({ stateFile: bad }), (err: Error) => err.message.includes(bad) && /vendors/.test(err.message));
    });
    it("a background write that fails is logged, does not crash the process, and the next write recovers", async () => {
      const sub = join(dir, "sub");
      mkdirSync(sub);
      const file = join(sub, "state.json");
      const lines: string[] = [];
      const e = await fresh({ stateFile: file, log: (line) => lines.push(line) });
      rmSync(sub, { recursive: true });
      assert.equal(await outcome(tCreate(e, "t1")), "0");
      // The debounced write (100 ms) fails: the directory is gone. A throw from the timer would be an uncaught exception.
      const deadline = Date.now() + 2000;
      while (!lines.some((l) => l.includes("could not write the state file")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.ok(lines.some((l) => l.includes("could not write the state file")), lines.join("\n"));
      mkdirSync(sub);
      await e.stop();
      emu = undefined;
      assert.match(readFileSync(file, "utf8"), /"RoomId": "t1"/);
    });
    it("reset() is saved too", async () => {
      const file = join(dir, "state.json");
      const e = await fresh({ stateFile: file });
      await tCreate(e, "t1");
      e.reset();
      await e.stop();
      emu = undefined;
      const again = await fresh({ stateFile: file });
      assert.deepEqual(again.tencent.rooms(), []);
    });
  });

  describe("admin endpoints (/_emulator/)", () => {
    it("GET /_emulator/state: rooms of both vendors, ZEGO users and counters", async () => {
      const e = running();
      await tCreate(e, "t1");
      await zCreate(e, "z1");
      const r = await admin("GET", "/_emulator/state");
      assert.equal(r.status, 200);
      const state = r.json as { tencent: { rooms: { RoomId: string }[] }; zego: { rooms: { roomId: string }[]; users: { userId: string }[] }; counters: unknown };
      assert.deepEqual(state.tencent.rooms.map((x) => x.RoomId), ["t1"]);
      assert.deepEqual(state.zego.rooms.map((x) => x.roomId), ["z1"]);
      assert.deepEqual(state.zego.users.map((u) => u.userId), ["pulumi-rooms-admin"]);
      assert.deepEqual(state.counters, { create_room: { ok: 1 }, CreateRoom: { ok: 1 } });
      assert.ok(!JSON.stringify(state).includes(SECRET) && !JSON.stringify(state).includes(ZEGO_SECRET), "no secret in the inspection document");
    });
    it("POST /_emulator/reset forgets everything", async () => {
      const e = running();
      await tCreate(e, "t1");
      await zCreate(e, "z1");
      assert.deepEqual(await admin("POST", "/_emulator/reset"), { status: 200, json: { ok: true } });
      assert.deepEqual([e.tencent.rooms(), e.zego.rooms(), e.counters()], [[], [], {}]);
    });
    it("POST /_emulator/faults with a plan applies it; with null (or an empty body) turns faults off", async () => {
      const e = running();
      const plan = { seed: 5, http502: 1, actions: ["get_room_info"] };
      assert.deepEqual(await admin("POST", "/_emulator/faults", JSON.stringify(plan)), { status: 200, json: { ok: true, faults: plan } });
      assert.equal(await outcome(tGet(e, "none")), "http 502");
      assert.equal(await outcome(tCreate(e, "r1")), "0");
      assert.deepEqual(await admin("POST", "/_emulator/faults", "null"), { status: 200, json: { ok: true, faults: null } });
      assert.equal(await outcome(tGet(e, "none")), "100004");
      await admin("POST", "/_emulator/faults", JSON.stringify(plan));
      assert.deepEqual(await admin("POST", "/_emulator/faults", ""), { status: 200, json: { ok: true, faults: null } });
      assert.equal(await outcome(tGet(e, "none")), "100004");
    });
    it("POST /_emulator/faults: 400 on a body that is not a JSON fault plan; the plan in force stays", async () => {
      const e = running();
      await admin("POST", "/_emulator/faults", JSON.stringify({ seed: 1, http502: 1, actions: ["destroy_room"] }));
      for (const garbage of ["{not json", "[]", "42", '"plan"', '{"http502":1}', '{"seed":"1"}']) {
        const r = await admin("POST", "/_emulator/faults", garbage);
        assert.equal(r.status, 400, garbage);
        assert.equal(typeof r.json.error, "string");
      }
      assert.equal(await outcome(tSend(e, "destroy_room", { RoomId: "x" })), "http 502");
    });
    it("POST /_emulator/faults: 400 on a plan with fields of the wrong type or range", async () => {
      const e = running();
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
        const r = await admin("POST", "/_emulator/faults", JSON.stringify(bad));
        assert.equal(r.status, 400, JSON.stringify(bad));
      }
      assert.equal(await outcome(tGet(e, "none")), "100004", "vendor requests still work");
    });
    it("POST /_emulator/faults: 400 on an unknown key, naming it, the nearest key and the valid ones; nothing is injected", async () => {
      const e = running();
      const r = await admin("POST", "/_emulator/faults", JSON.stringify({ seed: 1, http_502: 1 }));
      assert.equal(r.status, 400);
      assert.equal(
        r.json.error,
        'body must be a JSON fault plan or null: fault plan: unknown key "http_502" (did you mean "http502"?); valid keys: seed, reset, http502, vendorTransient, latency, lostResponse, latencyMs, actions',
      );
      assert.throws(() => e.setFaults({ seed: 1, lost: 0.5 } as never), /unknown key "lost" \(did you mean "lostResponse"\?\)/);
      assert.equal(await outcome(tGet(e, "none")), "100004", "no plan was put in force");
    });
    it("setFaults and the faults option refuse an invalid plan", async () => {
      assert.throws(() => running().setFaults({ seed: 1, http502: 2 }), /http502/);
      await assert.rejects(start({ faults: { seed: 1, actions: "get_room_info" as unknown as string[] } }), /actions/);
    });
    it("404 for an unknown admin route or method", async () => {
      assert.equal((await admin("GET", "/_emulator/nothing")).status, 404);
      assert.equal((await admin("POST", "/_emulator/state")).status, 404);
      assert.equal((await admin("GET", "/_emulator/reset")).status, 404);
      assert.deepEqual(running().counters(), {});
    });
  });

  describe("HTTP server", () => {
    it("413 for a body over 1 MiB; nothing reaches the handler", async () => {
      const e = running();
      const url = tencentUrl(tencentOf(e), "create_room");
      const big = JSON.stringify({ RoomInfo: { RoomId: "r1", RoomType: "Conference", CustomInfo: "x".repeat(1024 * 1024) } });
      const r = await rawPost(url, big);
      assert.equal(r.status, 413);
      assert.match(r.text, /1048576/);
      assert.deepEqual([e.tencent.rooms(), e.counters()], [[], {}]);
      const atLimit = `{"RoomId":"none"}${" ".repeat(1024 * 1024 - 17)}`;
      assert.equal(Buffer.byteLength(atLimit), 1024 * 1024);
      const ok = await rawPost(tencentUrl(tencentOf(e), "get_room_info"), atLimit);
      assert.equal(ok.status, 200, "exactly 1 MiB is read");
      assert.equal((JSON.parse(ok.text) as { ErrorCode: number }).ErrorCode, 100004);
    });
    it("keeps connections alive across answers, errors and 413; stop() still returns promptly", async () => {
      const e = running();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const post = (path: string, body: string) =>
          new Promise<{ status: number; reused: boolean }>((resolvePromise, reject) => {
            const req = httpRequest(`${e.url}${path}`, { method: "POST", agent, headers: { "content-type": "application/json" } }, (res) => {
              res.resume();
              res.on("end", () => resolvePromise({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
            });
            req.on("error", reject);
            req.end(body);
          });
        const tencentPath = (command: string) => {
          const url = new URL(tencentUrl(tencentOf(e), command));
          return `${url.pathname}${url.search}`;
        };
        const first = await post(tencentPath("get_room_info"), JSON.stringify({ RoomId: "none" }));
        const second = await post(tencentPath("create_room"), JSON.stringify({ RoomInfo: { RoomId: "r1", RoomType: "Conference" } }));
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
        emu = undefined;
        assert.ok(performance.now() - t0 < 1000, "an idle keep-alive connection does not hold stop() up");
      } finally {
        agent.destroy();
      }
    });
    it("404 (JSON) for a path no vendor serves", async () => {
      const e = running();
      for (const path of ["/", "/v3/room_engine_http_srv/create_room", "/favicon.ico", "/_emulator", "/?action=CreateRoom"]) {
        const res = await fetch(`${e.url}${path}`, { method: "POST", body: "{}" });
        assert.equal(res.status, 404, path);
        assert.match(((await res.json()) as { error: string }).error, /no emulated API/);
      }
      assert.deepEqual(e.counters(), {});
    });
    it("binds 127.0.0.1 only", async () => {
      const e = running();
      assert.match(e.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(e.url, `http://127.0.0.1:${e.port}`);
      assert.equal(await canConnect("127.0.0.1", e.port), true);
      assert.equal(await canConnect("127.0.0.2", e.port), false, "another loopback address is not served");
      assert.equal(await canConnect("::1", e.port), false, "IPv6 loopback is not served");
      const external = Object.values(networkInterfaces()).flatMap((list) => list ?? []).filter((i) => !i.internal);
      for (const i of external) assert.equal(await canConnect(i.address, e.port), false, `${i.address} is not served`);
    });
    it("stop() twice is harmless; the second call resolves at once", async () => {
      const e = running();
      await e.stop();
      await e.stop();
      emu = undefined;
      assert.equal(await canConnect("127.0.0.1", e.port), false);
    });
    it("port option: listens on the given port; stop() frees it", async () => {
      const probe = await start();
      const port = probe.port;
      await probe.stop();
      const e = await fresh({ port });
      assert.equal(e.port, port);
      await e.stop();
      emu = undefined;
      assert.equal(await canConnect("127.0.0.1", port), false);
    });
    it("log: one line per vendor request, faulted ones included, never a credential", async () => {
      const lines: string[] = [];
      const e = await fresh({ log: (line) => lines.push(line) });
      await tCreate(e, "r1");
      await zCreate(e, "z1");
      e.setFaults({ seed: 1, http502: 1 });
      await tGet(e, "r1");
      assert.equal(lines.length, 3, lines.join("\n"));
      assert.match(lines[0] ?? "", /create_room.*ok/);
      assert.match(lines[2] ?? "", /get_room_info.*502/);
      for (const line of lines) assert.ok(!line.includes(SECRET) && !line.includes(ZEGO_SECRET) && !line.includes("usersig"), line);
    });
  });

  describe("command line (emulator/cli.ts)", () => {
    /** Runs the CLI through ts-node; resolves when it exits. */
    function cli(args: string[], onStdout?: (text: string, child: ReturnType<typeof spawn>) => void) {
      const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "emulator/cli.ts", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        onStdout?.(stdout, child);
      });
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      // Never outlive the test: a CLI that keeps running when it should have exited is killed (and fails the test).
      const guard = setTimeout(() => child.kill("SIGKILL"), 8000);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolvePromise) =>
        child.on("exit", (code, signal) => {
          clearTimeout(guard);
          resolvePromise({ code, signal, stdout, stderr });
        }),
      );
      return { child, exited };
    }

    it("--port 0: prints the URL and usable `pulumi config set` lines, answers requests, exits 0 on SIGTERM with the state file saved", async function () {
      this.timeout(15000);
      let ready: (text: string) => void = () => undefined;
      const printed = new Promise<string>((r) => (ready = r));
      const dir = mkdtempSync(join(tmpdir(), "emu-cli-"));
      const stateFile = join(dir, "state.json");
      const run = cli(["--port", "0", "--state-file", stateFile], (text) => {
        if (text.includes("Press Ctrl+C to stop.")) ready(text);
      });
      try {
        const text = await Promise.race([printed, run.exited.then((x) => Promise.reject(new Error(`the CLI exited early: ${x.stderr}`)))]);
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
        assert.ok(url, text);
        const config: Record<string, string> = {};
        const secrets: string[] = [];
        for (const line of text.split("\n").filter((l) => l.includes("pulumi config set"))) {
          const m = /^ {2}pulumi config set (--secret )?([a-z]+:[A-Za-z]+) (\S+)$/.exec(line);
          assert.ok(m, `a copy-pasteable line: ${JSON.stringify(line)}`);
          config[m[2] as string] = m[3] as string;
          if (m[1]) secrets.push(m[2] as string);
        }
        assert.deepEqual(Object.keys(config).sort(), [
          "tencent:endpoint", "tencent:identifier", "tencent:sdkAppId", "tencent:secretKey", "zego:appId", "zego:endpoint", "zego:fromUserId", "zego:serverSecret",
        ]);
        assert.deepEqual(secrets.sort(), ["tencent:secretKey", "zego:serverSecret"]);
        const env: Record<string, string> = {};
        for (const line of text.split("\n")) {
          const m = /^ {2}export ([A-Z_]+)=(\S+)$/.exec(line);
          if (m) env[m[1] as string] = m[2] as string;
        }
        assert.deepEqual(env, {
          TENCENT_SDKAPPID: config["tencent:sdkAppId"], TENCENT_SECRET_KEY: config["tencent:secretKey"], TENCENT_IDENTIFIER: config["tencent:identifier"], TENCENT_ENDPOINT: url,
          ZEGO_APP_ID: config["zego:appId"], ZEGO_SERVER_SECRET: config["zego:serverSecret"], ZEGO_ENDPOINT: url, ZEGO_FROM_USER_ID: config["zego:fromUserId"],
        }, "the env-var alternative carries the same values");
        assert.equal(config["tencent:endpoint"], url);
        assert.equal(config["zego:endpoint"], url);
        const t = await tencentCall(
          { baseUrl: config["tencent:endpoint"] as string, sdkAppId: Number(config["tencent:sdkAppId"]), secretKey: config["tencent:secretKey"] as string, identifier: config["tencent:identifier"] as string },
          "get_room_info",
          { RoomId: "none" },
        );
        assert.equal(t.body.ErrorCode, 100004, "the printed Tencent credentials are accepted");
        const z = await zegoPost(
          { baseUrl: config["zego:endpoint"] as string, appId: Number(config["zego:appId"]), serverSecret: config["zego:serverSecret"] as string, nowSec: () => Math.floor(Date.now() / 1000) },
          "QueryUserInfos",
          { UserIds: [config["zego:fromUserId"] as string] },
        );
        assert.equal(z.body.Code, 660700015, "the printed ZEGO credentials are accepted (QueryUserInfos: the operator is not registered yet)");
        const tencent = { baseUrl: url, sdkAppId: Number(config["tencent:sdkAppId"]), secretKey: config["tencent:secretKey"] as string, identifier: config["tencent:identifier"] as string };
        assert.equal((await tencentCall(tencent, "create_room", { RoomInfo: { RoomId: "cli-room", RoomType: "Conference" } })).body.ErrorCode, 0);
        run.child.kill("SIGTERM");
        const done = await run.exited;
        assert.equal(done.code, 0, done.stderr);
        const port = Number(new URL(url).port);
        assert.equal(await canConnect("127.0.0.1", port), false, "the port is released");
        assert.match(readFileSync(stateFile, "utf8"), /"RoomId": "cli-room"/);
      } finally {
        if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it("--help prints the usage and exits 0; a bad option exits 2 with a clear message and starts nothing", async function () {
      this.timeout(15000);
      const [help, ...bad] = await Promise.all([cli(["--help"]).exited, cli(["--port", "0x50"]).exited, cli(["--bogus"]).exited]);
      assert.equal(help?.code, 0);
      assert.equal(help?.stdout.trim(), USAGE);
      for (const [i, r] of bad.entries()) {
        assert.equal(r.code, 2, `case ${i} exits 2: ${r.stdout}`);
        assert.equal(r.stdout, "", `case ${i} starts nothing`);
        assert.match(r.stderr, /^pulumi-rooms-emulator: /, `case ${i}: ${r.stderr}`);
      }
      assert.match(bad[0]?.stderr ?? "", /--port must be 0\.\.65535, not "0x50"/);
      assert.match(bad[1]?.stderr ?? "", /bogus/);
      assert.match(bad[1]?.stderr ?? "", /unknown option --bogus; valid options: --port, --state-file/);
    });
    it("--state-file in a missing folder exits 2 at start, naming the folder, and starts nothing", async function () {
      this.timeout(15000);
      const missingFolder = join(tmpdir(), `no-such-folder-${process.pid}`);
      const r = await cli(["--state-file", join(missingFolder, "state.json")]).exited;
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stdout, "", "nothing listens");
      assert.ok(r.stderr.includes(`the folder ${missingFolder} does not exist; create it first`), r.stderr);
    });
    it("parseCli: ports are digits 0..65535 only", () => {
      for (const bad of ["abc", "70000", "", "0x50", "1e3", " 80", "-1"]) assert.throws(() => parseCli(["--port", bad]), /--port/, bad);
      assert.throws(() => parseCli(["--port=-1"]), /--port must be 0\.\.65535/);
      assert.deepEqual(parseCli([]), { help: false, verbose: false, options: { port: 0, stateFile: undefined, tencent: undefined, zego: undefined, faults: undefined } });
      const top = parseCli(["--port", "65535"]);
      assert.equal(top.help ? undefined : top.options.port, 65535);
    });
    it("parseCli: --no-rate-limit, --state-file and a seeded fault plan; fault flags need a seed and probabilities in 0..1", () => {
      const r = parseCli(["--no-rate-limit", "--state-file", "s.json", "--fault-seed", "7", "--fault-502", "0.25", "--fault-lost", "1", "--fault-latency", ".5", "--latency-ms", "40", "--verbose"]);
      assert.ok(!r.help);
      assert.equal(r.verbose, true);
      assert.equal(r.options.stateFile, "s.json");
      assert.deepEqual([r.options.tencent, r.options.zego], [{ ratePerSecond: false }, { ratePerSecond: false }]);
      assert.deepEqual(JSON.parse(JSON.stringify(r.options.faults)), { seed: 7, http502: 0.25, lostResponse: 1, latency: 0.5, latencyMs: 40 });
      assert.throws(() => parseCli(["--fault-502", "0.5"]), /--fault-seed/);
      for (const p of ["1.5", "-0.1", "half", "", "0x1"]) assert.throws(() => parseCli(["--fault-seed", "1", `--fault-reset=${p}`]), /--fault-reset must be a probability/, p);
      assert.throws(() => parseCli(["--fault-seed", "x"]), /--fault-seed must be a non-negative integer/);
      assert.deepEqual(parseCli(["-h"]), { help: true });
    });
    it("parseCli: --rate-scope api|app and --rate-window sliding|fixed; anything else is refused naming the flag", () => {
      const r = parseCli(["--rate-scope", "app", "--rate-window", "fixed"]);
      assert.deepEqual(r.help ? undefined : r.options.rateMode, { scope: "app", window: "fixed" });
      const d = parseCli([]);
      assert.equal(d.help ? "help" : d.options.rateMode, undefined);
      assert.throws(() => parseCli(["--rate-scope", "room"]), /--rate-scope: scope must be "api" or "app", not "room"/);
      assert.throws(() => parseCli(["--rate-window", "tumbling"]), /--rate-window: window must be "sliding" or "fixed", not "tumbling"/);
    });
    it("startEmulator({ rateMode }) sets both vendors; a vendor's own rateMode wins", async () => {
      const e = await startEmulator({ rateMode: { scope: "app" }, zego: { rateMode: { window: "fixed" } } });
      try {
        assert.deepEqual(e.rateLimits(), { tencent: { perSecond: 200, scope: "app", window: "sliding" }, zego: { perSecond: 20, scope: "app", window: "fixed" } });
      } finally {
        await e.stop();
      }
    });
    it("parseCli: an unknown flag or a stray argument is refused, listing the valid options and npm's --", () => {
      const all = "valid options: --port, --state-file, --no-rate-limit, --rate-scope, --rate-window, --tencent-rate, --zego-rate, --tencent-max-members, --tencent-default-members, --tencent-max-seats, --tencent-unpaid, --zego-room-quota, --zego-max-attributes, --fault-seed, --fault-502, --fault-reset, --fault-lost, --fault-transient, --fault-latency, --latency-ms, --verbose, --help";
      const npm = "through npm, put -- before the options: npm run emulator -- --port 8080";
      assert.throws(() => parseCli(["--state", "s.json"]), { message: `unknown option --state (did you mean --state-file?); ${all}; ${npm}` });
      assert.throws(() => parseCli(["--fault502=0.1"]), /^Error: unknown option --fault502 \(did you mean --fault-502\?\)/);
      assert.throws(() => parseCli(["--zzz"]), { message: `unknown option --zzz; ${all}; ${npm}` });
      // `npm run emulator --port 8080` gives npm the flag and us only "8080".
      assert.throws(() => parseCli(["8080"]), { message: `unexpected argument "8080": every option is a --flag (${all}); ${npm}` });
      assert.throws(() => parseCli(["--state-file"]), (err: Error) => err.message.includes("--state-file <value>' argument missing") && err.message.endsWith(all));
    });
  });
});
