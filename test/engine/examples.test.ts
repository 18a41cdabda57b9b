/**
 * Every example through pulumi-rooms-local, end to end: the real program in Pulumi's Node.js runtime, the
 * engine's monitor and step rules, the real dynamic-provider host and the embedded emulator. Per example:
 * preview (no emulator, no credentials), up, up again (no change), an edit, refresh after a change made at
 * the emulator, destroy (attributes also previews a replacement). The four run concurrently (each has its
 * own emulator and state folder); the assertions read the recorded results.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Emulator } from "../../emulator";
import type { Step } from "../../engine/step";
import { REPO, Workspace } from "../support/local-engine";

interface Rooms {
  tencent: { id: string; created: number; name: string; start: number }[];
  zego: { id: string; created: number; attributes: Record<string, string> }[];
}

interface Lifecycle {
  preview: { ok: boolean; steps: Step[]; emulatorStarted: boolean; checkpointWritten: boolean };
  up: { ok: boolean; steps: Step[]; outputs: Record<string, unknown>; rooms: Rooms; ids: string[] };
  again: { ok: boolean; steps: Step[]; rooms: Rooms };
  edit: { ok: boolean; steps: Step[]; rooms: Rooms };
  /** attributes only: the plan of a destroyDelayTime change. */
  replacePlan?: Step[];
  drifted: string;
  refresh: { ok: boolean; steps: Step[]; lines: string[] };
  destroy: { ok: boolean; steps: Step[]; rooms: Rooms; left: number };
}

function roomsOf(emu: Emulator): Rooms {
  return {
    tencent: emu.tencent
      .rooms()
      .map((r) => ({ id: r.RoomId, created: r.CreateTime, name: r.RoomName, start: r.ScheduleStartTime })),
    zego: emu.zego.rooms().map((r) => ({
      id: r.roomId,
      created: r.createdAt,
      attributes: Object.fromEntries(r.attributes.map((a) => [a.key, a.value])),
    })),
  };
}

/** What each example changes for the "edit" run. */
const EDITS: Record<string, (ws: Workspace) => void> = {
  "meeting-rooms": (ws) => ws.config({ scheduleStart: "2027-04-01T09:00:00Z" }),
  attributes: (ws) =>
    ws.config({
      rooms: JSON.stringify({
        lobby: { topic: "release-party", stage: "open", "~greeter": "bot-1" },
        support: { queue: "0", status: "staffed" },
      }),
    }),
  "scheduled-meetings": (ws) => ws.config({ "pulumi-rooms:asOf": "2027-03-29" }),
  gitops: (ws) => ws.edit("index.ts", 'roomName: "All hands"', 'roomName: "All hands (Q2)"'),
};

async function lifecycle(example: string, ws: Workspace): Promise<Lifecycle> {
  // The meeting series plan from a fixed day (their default is today), so every run sees the same rooms.
  if (example === "scheduled-meetings") ws.config({ "pulumi-rooms:asOf": "2027-03-22" });
  const stateFiles = () => ({
    emulatorStarted: fs.existsSync(path.join(ws.stateDir, "emulator.json")),
    checkpointWritten: fs.existsSync(path.join(ws.stateDir, "checkpoint.json")),
  });
  const preview = await ws.run("preview");
  const p = { ok: preview.ok, steps: preview.steps, ...stateFiles() };
  const up = await ws.run("up");
  const upRooms = await ws.withEmulator(roomsOf);
  const ids = [...ws.checkpoint().resources.values()]
    .filter((r) => r.custom && r.type?.startsWith("pulumi-nodejs:"))
    .map((r) => r.id);
  const again = await ws.run("up");
  const againRooms = await ws.withEmulator(roomsOf);
  EDITS[example]?.(ws);
  const edit = await ws.run("up", { diff: true });
  const editRooms = await ws.withEmulator(roomsOf);
  let replacePlan: Step[] | undefined;
  if (example === "attributes") {
    const rooms = JSON.stringify({
      lobby: { topic: "release-party", stage: "open", "~greeter": "bot-1" },
      support: { queue: "0", status: "staffed" },
    });
    ws.config({ rooms, destroyDelayTime: 1800 });
    replacePlan = (await ws.run("preview")).steps;
  }
  // A change behind Pulumi's back: a Tencent room renamed, or else a ZEGO attribute rewritten.
  const drifted = await ws.withEmulator((emu) => {
    const t = emu.tencent.rooms()[0];
    if (t) {
      emu.tencent.mutateRoom(t.RoomId, { RoomName: "renamed at the vendor" });
      return t.RoomId;
    }
    const z = emu.zego.rooms()[0];
    assert.ok(z, `${example}: no room to drift`);
    const key = z.attributes[0]?.key ?? "k";
    emu.zego.setAttribute(z.roomId, key, "changed at the vendor");
    return z.roomId;
  });
  const refresh = await ws.run("refresh", { diff: true });
  const destroy = await ws.run("destroy");
  const destroyRooms = await ws.withEmulator(roomsOf);
  return {
    preview: p,
    up: { ok: up.ok, steps: up.steps, outputs: up.outputs, rooms: upRooms, ids },
    again: { ok: again.ok, steps: again.steps, rooms: againRooms },
    edit: { ok: edit.ok, steps: edit.steps, rooms: editRooms },
    ...(replacePlan ? { replacePlan } : {}),
    drifted,
    refresh: { ok: refresh.ok, steps: refresh.steps, lines: refresh.lines },
    destroy: { ok: destroy.ok, steps: destroy.steps, rooms: destroyRooms, left: ws.checkpoint().resources.size },
  };
}

const ops = (steps: Step[]) => steps.map((s) => `${s.urn.split("::").pop()}:${s.op}`).sort();
const count = (steps: Step[], op: Step["op"]) => steps.filter((s) => s.op === op).length;
/** The steps that change something, as `name:op`. */
const changes = (steps: Step[]) => ops(steps).filter((s) => !s.endsWith(":same"));
const ROOM_TYPES = /^pulumi-nodejs:dynamic\/rooms:/;

describe("pulumi-rooms-local runs every example end to end (real runtime, real host, emulator)", function () {
  this.timeout(900_000);
  const examples = fs
    .readdirSync(path.join(REPO, "examples"))
    .filter((d) => fs.existsSync(path.join(REPO, "examples", d, "Pulumi.yaml")))
    .sort();
  const results = new Map<string, Lifecycle>();
  const resultOf = (example: string): Lifecycle => results.get(example) ?? assert.fail(`${example} did not run`);
  const workspaces: Workspace[] = [];

  before(async function () {
    const started = Date.now();
    await Promise.all(
      examples.map(async (example) => {
        const ws = new Workspace(path.join(REPO, "examples", example));
        workspaces.push(ws);
        results.set(example, await lifecycle(example, ws));
      }),
    );
    console.log(
      `      [engine-examples] ${examples.length} examples x (preview, 3 ups, refresh, destroy) in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
  });

  after(function () {
    for (const ws of workspaces) ws.remove();
  });

  for (const example of ["attributes", "gitops", "meeting-rooms", "scheduled-meetings"]) {
    describe(example, function () {
      const r = (): Lifecycle => resultOf(example);

      it("preview: plans a create for every resource, with no emulator, no credentials and no checkpoint", function () {
        const { preview } = r();
        assert.ok(preview.ok);
        assert.ok(preview.steps.length >= 2);
        assert.deepEqual([...new Set(preview.steps.map((s) => s.op))], ["create"]);
        assert.equal(
          preview.emulatorStarted,
          false,
          "preview must not start the emulator (no vendor request is possible)",
        );
        assert.equal(preview.checkpointWritten, false);
      });

      it("up: creates every room at the emulator, with the provider's real outputs", function () {
        const { up, preview } = r();
        assert.ok(up.ok, JSON.stringify(up.steps.filter((s) => s.error).map((s) => s.error?.message)));
        assert.deepEqual(ops(up.steps), ops(preview.steps), "up does what preview planned");
        const rooms = [...up.rooms.tencent.map((t) => t.id), ...up.rooms.zego.map((z) => z.id)].sort();
        assert.deepEqual(rooms, [...up.ids].sort(), "the emulator holds exactly the rooms in the checkpoint");
        assert.equal(rooms.length, up.steps.filter((s) => ROOM_TYPES.test(s.type ?? "")).length);
      });

      it("up again: no change, nothing re-created", function () {
        const { again, up } = r();
        assert.ok(again.ok);
        assert.deepEqual([...new Set(again.steps.map((s) => s.op))], ["same"]);
        assert.deepEqual(again.rooms, up.rooms, "the same rooms, same creation times");
      });

      it("refresh: sees the change made at the emulator and records it", function () {
        const { refresh, drifted } = r();
        assert.ok(refresh.ok);
        const updated = refresh.steps.filter((s) => s.op === "refresh-update");
        assert.equal(updated.length, 1, JSON.stringify(ops(refresh.steps)));
        assert.ok(
          refresh.lines.some((l) => l.includes("changed at the vendor") || l.includes("renamed at the vendor")),
          `--diff shows the drifted value of ${drifted}`,
        );
      });

      it("destroy: deletes every room and empties the checkpoint", function () {
        const { destroy } = r();
        assert.ok(destroy.ok);
        assert.deepEqual(destroy.rooms, { tencent: [], zego: [] });
        assert.equal(destroy.left, 0);
        assert.equal(count(destroy.steps, "delete"), destroy.steps.length);
      });
    });
  }

  it("meeting-rooms: real outputs in the stack outputs; a new schedule replaces the Tencent room, deleting the old one first", function () {
    const m = resultOf("meeting-rooms");
    assert.equal(
      m.up.outputs.tencentRoomStatus,
      "NotStarted",
      "roomStatus comes from the provider (a mock would echo undefined)",
    );
    assert.equal(typeof m.up.outputs.zegoAttributeSeq, "number");
    assert.ok((m.up.outputs.zegoAttributeSeq as number) > 0);
    assert.deepEqual(changes(m.edit.steps), ["conference:replace"]);
    assert.equal(m.edit.steps.find((s) => s.op === "replace")?.deleteBeforeReplace, true);
    assert.equal(m.edit.rooms.tencent[0]?.start, Date.parse("2027-04-01T09:00:00Z") / 1000);
  });

  it("attributes: a config change updates one attribute in place (same room)", function () {
    const a = resultOf("attributes");
    assert.deepEqual(changes(a.edit.steps), ["lobby:update"]);
    const before = a.up.rooms.zego.find((z) => z.attributes.topic === "welcome");
    const after = a.edit.rooms.zego.find((z) => z.id === before?.id);
    assert.equal(after?.attributes.topic, "release-party");
    assert.equal(after?.created, before?.created, "updated in place, not re-created");
    assert.deepEqual(
      changes(a.replacePlan ?? []),
      ["lobby:replace", "support:replace"],
      "a destroyDelayTime change replaces",
    );
  });

  it("scheduled-meetings: the series' rooms are children of their components; a week later the window adds and drops rooms", function () {
    const s = resultOf("scheduled-meetings");
    const rooms = s.up.steps.filter((x) => ROOM_TYPES.test(x.type ?? ""));
    assert.ok(
      rooms.length > 5 && rooms.every((x) => x.urn.includes("MeetingSeries$pulumi-nodejs:dynamic/rooms:TencentRoom")),
    );
    assert.ok(
      count(s.edit.steps, "create") > 0 && count(s.edit.steps, "delete") > 0,
      JSON.stringify(ops(s.edit.steps)),
    );
    assert.ok(
      s.edit.rooms.tencent.every((t) => t.start >= Date.parse("2027-03-28T00:00:00Z") / 1000),
      "no room before the new window",
    );
  });

  it("gitops: an edited room name updates the room in place", function () {
    const g = resultOf("gitops");
    assert.deepEqual(changes(g.edit.steps), ["all-hands:update"]);
    assert.ok(g.edit.rooms.tencent.some((t) => t.name === "All hands (Q2)"));
  });
});
