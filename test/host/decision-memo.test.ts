/**
 * The engine's memo of Check and Diff answers (engine/decision-memo.ts) through the real dynamic-provider
 * host: an unchanged room is asked Diff only on the first run after its create and nothing after that; a
 * changed input, an old output changed behind it (refresh) or the memo forgotten bring the calls back, and
 * each decision is the one the host gives.
 */
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DecisionMemo } from "../../engine/decision-memo";
import { type Emulator } from "../../emulator";
import type { Engine } from "../support/engine";
import type { ProviderHost } from "../support/host";
import { CASES, REPO, decls, methods, startStack } from "../support/host-rooms";

for (const c of CASES) {
  describe(`host: decision memo, ${c.type.split(":").pop()}`, function () {
    this.timeout(60_000);
    let emu: Emulator;
    let host: ProviderHost;
    let engine: Engine;
    let dir: string;

    before(async function () {
      ({ emu, host, engine } = await startStack(c.emulator));
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "memo-host-"));
    });

    after(async function () {
      await host?.stop();
      await emu?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** One `up` with the memo loaded from and saved to the stack folder, as an operation does. */
    const up = async (rooms: Record<string, Record<string, unknown>>): Promise<{ calls: string[]; ops: string[] }> => {
      engine.memo = DecisionMemo.load(dir, REPO);
      const from = engine.calls.length;
      const steps = await engine.up(await decls(c, rooms));
      engine.memo.save(new Set(engine.state.keys()));
      return { calls: methods(engine, from, "m"), ops: steps.filter((s) => s.urn.endsWith("::m")).map((s) => s.op) };
    };

    it("asks Diff once after the create, then nothing while nothing changes; a change is checked, diffed and applied", async function () {
      assert.deepEqual(await up({ m: c.base }), { calls: ["Check", "Create"], ops: ["create"] });
      assert.deepEqual(await up({ m: c.base }), { calls: ["Diff"], ops: ["same"] }, "Check answered by the memo");
      assert.deepEqual(await up({ m: c.base }), { calls: [], ops: ["same"] }, "both answered by the memo");
      const changed = { ...c.base, ...c.update.change };
      assert.deepEqual(await up({ m: changed }), { calls: ["Check", "Diff", "Update"], ops: ["update"] });
      assert.deepEqual(await up({ m: changed }), { calls: ["Diff"], ops: ["same"] });
      assert.deepEqual(await up({ m: changed }), { calls: [], ops: ["same"] });
    });

    it("an old output that changed (refresh found drift) is diffed again, and the host's decision applies", async function () {
      const changed = { ...c.base, ...c.update.change };
      await up({ m: changed });
      const entry = engine.get("m");
      const [key] = Object.keys(c.update.change);
      assert.ok(key);
      // What a refresh records when the vendor's room drifted: the declared value is pushed back.
      entry.outputs = { ...entry.outputs, [key]: (c.base as Record<string, unknown>)[key] };
      const again = await up({ m: changed });
      assert.deepEqual(again, { calls: ["Diff", "Update"], ops: ["update"] });
    });

    it("a memo file written for other code is not used", async function () {
      await up({ m: c.base });
      await up({ m: c.base });
      const file = path.join(dir, "decisions.json");
      const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { code: string };
      fs.writeFileSync(file, JSON.stringify({ ...stored, code: "elsewhere" }));
      assert.deepEqual((await up({ m: c.base })).calls, ["Check", "Diff"]);
    });
  });
}
