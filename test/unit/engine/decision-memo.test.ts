/**
 * The engine's memo of Check and Diff answers (engine/decision-memo.ts): only this package's shim, only
 * while news, checked inputs, old outputs and the installed code are what they were, never for a value
 * holding a secret or an unknown, and the file holds digests, not values.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DECISION_MEMO, DecisionMemo, isRoomShim } from "../../../engine/decision-memo";
import type { ResourceState } from "../../../engine/state";
import type { Goal } from "../../../engine/step";
import { decide, type Checker } from "../../../engine/step-generator";
import { secret, UNKNOWN, type Props } from "../../../engine/wire";
import { TencentRoom } from "../../../provider/tencent/resource";
import { ZegoRoom } from "../../../provider/zego/resource";
import { registerMocked } from "../../support/mocked-resource";

const ROOT = path.resolve(__dirname, "../../..");
const URN = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/rooms:TencentRoom::a";

describe("unit: engine decision memo", function () {
  this.timeout(60_000);
  let shim: string;
  let dir: string;

  before(async () => {
    // The text the SDK's serializer writes for the resource classes' providers, as a program sends it.
    shim = String((await registerMocked(() => new TencentRoom("a", {}), {})).inputs.__provider);
    const zego = String((await registerMocked(() => new ZegoRoom("z", {}), {})).inputs.__provider);
    assert.ok(isRoomShim(zego), "the ZEGO shim is recognised");
  });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "memo-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("recognises only the package's shim", () => {
    assert.ok(isRoomShim(shim));
    assert.equal(isRoomShim(shim.replace('require("pulumi-rooms/tencent").check', 'require("other").check')), false);
    assert.equal(
      isRoomShim(shim.replace("return () => provider;", "return () => { sideEffect(); return provider; };")),
      false,
    );
    assert.equal(
      isRoomShim(
        shim.replaceAll("pulumi-rooms/tencent", "pulumi-rooms/zego").replace('zego").delete', 'tencent").delete'),
      ),
      false,
    );
    assert.equal(isRoomShim(undefined), false);
  });

  it("answers Check and then Diff for the same arguments, across a save and a load; forgets on any change", () => {
    const news = { __provider: shim, roomId: "a", maxMemberCount: 50 };
    const checked = { ...news, roomName: "a" };
    const outputs = { ...checked, roomStatus: "NotStarted" };
    const memo = DecisionMemo.load(dir, ROOT);
    assert.equal(memo.checked(URN, news, checked), undefined, "nothing remembered yet");
    memo.rememberCheck(URN, news, checked);
    assert.equal(memo.same(URN, outputs, checked), false, "Diff not answered yet");
    memo.rememberSame(URN, outputs, checked);
    memo.save(new Set([URN]));

    const file = fs.readFileSync(path.join(dir, DECISION_MEMO), "utf8");
    assert.ok(!file.includes("NotStarted") && !file.includes("maxMemberCount"), "digests only");
    const again = DecisionMemo.load(dir, ROOT);
    assert.deepEqual(again.checked(URN, news, checked), checked);
    assert.equal(again.same(URN, outputs, checked), true);
    assert.equal(again.checked(URN, { ...news, maxMemberCount: 51 }, checked), undefined, "other news");
    assert.equal(again.checked(URN, news, { ...checked, roomName: "b" }), undefined, "old inputs not the answer");
    assert.equal(again.same(URN, { ...outputs, roomStatus: "Running" }, checked), false, "other old outputs");
    assert.equal(again.checked(`${URN}x`, news, checked), undefined, "another resource");
  });

  it("remembers nothing for another provider, a secret or an unknown", () => {
    const memo = DecisionMemo.load(dir, ROOT);
    const cases = [
      { __provider: "exports.handler = () => myProvider;", roomId: "a" },
      { __provider: shim, roomId: "a", customInfo: secret("s3cret") },
      { __provider: shim, roomId: UNKNOWN },
    ];
    for (const news of cases) {
      memo.rememberCheck(URN, news, news);
      assert.equal(memo.checked(URN, news, news), undefined, JSON.stringify(news).slice(0, 60));
    }
  });

  it("decide() does not ask the memo about a resource holding a secret (its values reach the memo unwrapped)", async () => {
    const memo = DecisionMemo.load(dir, ROOT);
    const calls: string[] = [];
    const host: Checker = {
      check: async (_urn, _olds, news) => (calls.push("Check"), { inputs: news, failures: [] }),
      diff: async () => (calls.push("Diff"), { changes: "DIFF_NONE", replaces: [], deleteBeforeReplace: false }),
    };
    const decideTwice = async (inputs: Props, oldInputs: Props): Promise<string[]> => {
      calls.length = 0;
      const goal: Goal = { urn: URN, type: "pulumi-nodejs:dynamic/rooms:TencentRoom", custom: true, inputs };
      const old: ResourceState = { urn: URN, custom: true, id: "a", inputs: oldInputs, outputs: oldInputs };
      for (let i = 0; i < 2; i++) await decide(goal, old, async () => host, {}, memo);
      return calls;
    };
    const plain = { __provider: shim, roomId: "a", customInfo: "4711" };
    assert.deepEqual(await decideTwice(plain, plain), ["Check", "Diff"], "the second decision from the memo");
    const hidden = { ...plain, customInfo: secret("4711") };
    assert.deepEqual(await decideTwice(hidden, plain), ["Check", "Diff", "Check", "Diff"], "a secret input");
    assert.deepEqual(await decideTwice(plain, hidden), ["Check", "Diff", "Check", "Diff"], "a secret in state");
    memo.save(new Set([URN]));
    assert.ok(!fs.readFileSync(path.join(dir, DECISION_MEMO), "utf8").includes("4711"));
  });

  it("forgets everything when the installed code differs, and drops resources that left the state", () => {
    const news = { __provider: shim, roomId: "a" };
    const memo = DecisionMemo.load(dir, ROOT);
    memo.rememberCheck(URN, news, news);
    memo.save(new Set([URN]));
    const file = path.join(dir, DECISION_MEMO);
    const stored = JSON.parse(fs.readFileSync(file, "utf8")) as { code: string };
    fs.writeFileSync(file, JSON.stringify({ ...stored, code: `${stored.code}|other` }));
    assert.equal(DecisionMemo.load(dir, ROOT).checked(URN, news, news), undefined);

    const last = DecisionMemo.load(dir, ROOT);
    last.rememberCheck(URN, news, news);
    last.save(new Set());
    assert.equal(fs.existsSync(file), false, "no resource left: no file");
  });
});
