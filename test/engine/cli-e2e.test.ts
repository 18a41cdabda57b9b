/**
 * End to end with the real Pulumi CLI (when one is installed): the examples run through `pulumi preview`,
 * `up` (twice: the second must change nothing), `refresh` (also after drift made behind Pulumi's back), an
 * in-place update, a replacement and `destroy`, against the emulator, with a throwaway local file backend.
 * Nothing is written into the repository: the stack config goes to a temporary `--config-file`.
 *
 * Without a CLI (as on the build machine) every test here is skipped, and the reason is printed.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type Emulator } from "../../emulator";
import { findPulumiCli, type PulumiCli } from "../../scripts/pulumi-cli";

const REPO = path.resolve(__dirname, "../..");
const SECRET_KEYS = new Set(["tencent:secretKey", "zego:serverSecret"]);
const found = findPulumiCli({ allowNpx: false });

interface PreviewStep {
  op: string;
  urn: string;
}

/** One stack of one example, in a temporary backend. */
class CliStack {
  readonly dir: string;
  private readonly tmp: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly configFile: string;

  constructor(
    private readonly cli: PulumiCli,
    example: string,
  ) {
    this.dir = path.join(REPO, "examples", example);
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `rooms-e2e-${example}-`));
    this.configFile = path.join(this.tmp, "Pulumi.e2e.yaml");
    this.env = {
      ...process.env,
      PATH: cli.path,
      PULUMI_BACKEND_URL: `file://${this.tmp}`,
      PULUMI_CONFIG_PASSPHRASE: "e2e",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_HOME: process.env.PULUMI_HOME ?? path.join(os.homedir(), ".pulumi"),
    };
  }

  pulumi(args: string[], okCodes: number[] = [0]): { status: number; stdout: string; stderr: string } {
    const res = spawnSync(this.cli.bin, [...args, "--non-interactive"], {
      cwd: this.dir,
      env: this.env,
      encoding: "utf8",
      timeout: 240_000,
    });
    const out = { status: res.status ?? -1, stdout: res.stdout ?? "", stderr: res.stderr ?? "" };
    if (!okCodes.includes(out.status))
      assert.fail(`pulumi ${args.join(" ")} exited ${out.status}\n${out.stdout}\n${out.stderr}`);
    return out;
  }

  init(config: Record<string, string>): void {
    this.pulumi(["stack", "init", "e2e"]);
    const args = ["config", "set-all", "--stack", "e2e", "--config-file", this.configFile];
    for (const [k, v] of Object.entries(config))
      args.push(SECRET_KEYS.has(k) ? "--secret" : "--plaintext", `${k}=${v}`);
    this.pulumi(args);
  }

  setConfig(key: string, value: string, asPath = false): void {
    this.pulumi([
      "config",
      "set",
      ...(asPath ? ["--path"] : []),
      "--stack",
      "e2e",
      "--config-file",
      this.configFile,
      key,
      value,
    ]);
  }

  /** The room steps of `pulumi preview --json`. */
  preview(): PreviewStep[] {
    const res = this.pulumi(["preview", "--json", "--stack", "e2e", "--config-file", this.configFile]);
    const parsed = JSON.parse(res.stdout) as { steps?: PreviewStep[] };
    return (parsed.steps ?? []).filter((s) => s.urn.includes("dynamic/rooms:"));
  }

  up(expectNoChanges = false): string {
    return this.pulumi([
      "up",
      "--yes",
      "--skip-preview",
      "--stack",
      "e2e",
      "--config-file",
      this.configFile,
      ...(expectNoChanges ? ["--expect-no-changes"] : []),
    ]).stdout;
  }

  refresh(): string {
    return this.pulumi(["refresh", "--yes", "--skip-preview", "--stack", "e2e", "--config-file", this.configFile])
      .stdout;
  }

  outputs(): Record<string, unknown> {
    return JSON.parse(this.pulumi(["stack", "output", "--json", "--stack", "e2e"]).stdout) as Record<string, unknown>;
  }

  destroy(): void {
    this.pulumi(["destroy", "--yes", "--skip-preview", "--stack", "e2e", "--config-file", this.configFile]);
    this.pulumi(["stack", "rm", "--yes", "--force", "e2e"]);
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

function ops(steps: PreviewStep[]): string[] {
  return steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`).sort();
}

describe("CLI end-to-end (the Pulumi CLI on the examples, against the emulator)", function () {
  this.timeout(600_000);
  let emu: Emulator;

  before(async function () {
    if (!found.cli) {
      const tried = found.attempts.map((a) => `${a.how}: ${a.result}`).join("; ");
      console.log(
        `\n  [cli-e2e] SKIPPED: no Pulumi CLI on this machine (tried ${tried}). Install it (https://www.pulumi.com/docs/iac/download-install/) to run these tests.`,
      );
      this.skip();
    }
    emu = await startEmulator({ port: 0 });
  });

  after(async function () {
    await emu?.stop();
  });

  it("meeting-rooms: preview, up, up again with no changes, refresh, drift repaired, destroy", function () {
    const stack = new CliStack(found.cli as PulumiCli, "meeting-rooms");
    stack.init(emu.stackConfig());
    assert.deepEqual(ops(stack.preview()), ["create conference", "create lobby"]);
    stack.up();
    assert.ok(emu.tencent.room("room-test"));
    assert.ok(emu.zego.room("Room1"));
    stack.up(true);
    stack.refresh();
    stack.up(true);
    // Drift behind Pulumi's back: refresh sees it, the next up puts the declared value back.
    emu.zego.setAttribute("Room1", "k1", "changed-by-hand");
    stack.refresh();
    assert.deepEqual(ops(stack.preview()), ["update lobby"]);
    stack.up();
    assert.equal(emu.zego.room("Room1")?.attributes.find((a) => a.key === "k1")?.value, "v1");
    assert.ok(stack.outputs().tencentRoomId);
    stack.destroy();
    assert.equal(emu.tencent.room("room-test"), undefined);
    assert.equal(emu.zego.room("Room1"), undefined);
  });

  it("attributes: config change updates in place, destroyDelayTime change replaces, destroy", function () {
    const stack = new CliStack(found.cli as PulumiCli, "attributes");
    stack.init(emu.stackConfig());
    stack.setConfig("rooms.lobby.topic", "welcome", true);
    stack.setConfig("rooms.lobby.stage", "open", true);
    stack.setConfig("rooms.support.queue", "0", true);
    assert.deepEqual(ops(stack.preview()), ["create lobby", "create support"]);
    stack.up();
    const before = emu.zego.room("lobby");
    assert.ok(before);
    stack.setConfig("rooms.lobby.topic", "release-party", true);
    assert.deepEqual(ops(stack.preview()), ["update lobby"]);
    stack.up();
    assert.equal(emu.zego.room("lobby")?.attributes.find((a) => a.key === "topic")?.value, "release-party");
    assert.equal(emu.zego.room("lobby")?.createdAt, before.createdAt, "an in-place update keeps the room");
    stack.setConfig("destroyDelayTime", "1800");
    assert.ok(ops(stack.preview()).includes("replace lobby"));
    stack.up();
    assert.equal(emu.zego.room("lobby")?.destroyDelayTime, 1800);
    stack.up(true);
    stack.destroy();
    assert.equal(emu.zego.rooms().length, 0);
  });

  it("scheduled-meetings and gitops: up, no-change up, refresh, destroy", function () {
    for (const example of ["scheduled-meetings", "gitops"]) {
      const stack = new CliStack(found.cli as PulumiCli, example);
      stack.init(emu.stackConfig());
      assert.ok(stack.preview().every((s) => s.op === "create"));
      stack.up();
      stack.up(true);
      stack.refresh();
      stack.up(true);
      stack.destroy();
    }
    assert.equal(emu.tencent.rooms().length, 0);
  });
});
