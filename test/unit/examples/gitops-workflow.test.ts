/**
 * examples/gitops as a repository to copy, read without running anything: every `with:` input of its
 * workflows is one the action declares (test/fixtures/actions/ keeps each used action's inputs, read from
 * its action.yml at the version the workflow pins, with the URL and commit), the jobs are the ones its
 * README describes (tests on every pull request without secrets, preview without vendor secrets, no refresh
 * on merge or at night, org-qualified stack names), the no-refresh trade-off is stated the same way in the
 * workflow, the README and docs/meeting-series.md, the stack file template holds no plaintext secret, and
 * its .gitignore keeps vendor/*.tgz under this repository's `*.tgz` ignore. Running its test job on a copy
 * is test/host/examples-gitops.test.ts's.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { SECRET_CONFIG_KEYS } from "../../../provider/config-keys";
import { nearest } from "../../../provider/core/nearest";

const REPO = path.resolve(__dirname, "../../..");
const EXAMPLE = path.join(REPO, "examples", "gitops");
const WORKFLOWS = path.join(EXAMPLE, ".github", "workflows");
const ACTIONS = path.join(REPO, "test", "fixtures", "actions");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  if?: string;
  needs?: string | string[];
  environment?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}
/** An action's declared inputs, as test/fixtures/actions/*.json keep them. */
interface DeclaredInputs {
  action: string;
  version: string;
  commit: string;
  source: string;
  inputs: Record<string, { required: boolean; default?: string }>;
}

/** The declared inputs of `owner/repo@version`, from its fixture; fails naming the fixture to add. */
function declaredInputs(uses: string): DeclaredInputs {
  const file = path.join(ACTIONS, `${uses.replace("/", "__")}.json`);
  assert.ok(
    fs.existsSync(file),
    `${uses}: no copy of its declared inputs in ${path.relative(REPO, file)}: read its action.yml at that version and add one`,
  );
  return JSON.parse(fs.readFileSync(file, "utf8")) as DeclaredInputs;
}

/** What is wrong with one step's `with:` against the action's declaration (empty when nothing). */
function inputProblems(step: Step, declared: DeclaredInputs): string[] {
  const given = Object.keys(step.with ?? {});
  const names = Object.keys(declared.inputs);
  const problems = given
    .filter((k) => !names.includes(k))
    .map((k) => {
      const near = nearest(k, names);
      return `${step.uses}: unknown input "${k}"${near ? ` (did you mean "${near}"?)` : ""}; it declares ${names.join(", ")}`;
    });
  for (const [k, spec] of Object.entries(declared.inputs))
    if (spec.required && !given.includes(k)) problems.push(`${step.uses}: required input "${k}" is missing`);
  return problems;
}

const workflowFiles = fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const read = (file: string) => parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
const rooms = read("rooms.yml");
const jobText = (job: Job) => JSON.stringify(job);
const pulumiSteps = (job: Job) => job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
/** Markdown or a YAML comment as plain words: markers, comment signs and line breaks gone. */
const words = (text: string) =>
  text
    .replace(/^\s*[#>]\s?/gm, "")
    .replace(/\*\*/g, "")
    .replace(/\s+/g, " ");

describe("unit: examples/gitops, a repository to copy (workflow inputs, jobs, stack files, .gitignore)", function () {
  it("every `with:` input is one the action declares at the version used, and every required one is given", function () {
    assert.ok(workflowFiles.length >= 1);
    const used = new Set<string>();
    const problems: string[] = [];
    for (const file of workflowFiles) {
      for (const [id, job] of Object.entries(read(file).jobs)) {
        for (const step of job.steps) {
          if (!step.uses) continue;
          assert.match(step.uses, /^[\w.-]+\/[\w.-]+@v\d+$/, `${file} ${id}: pin actions to a major version tag`);
          used.add(step.uses);
          const declared = declaredInputs(step.uses);
          assert.equal(`${declared.action}@${declared.version}`, step.uses);
          assert.match(
            declared.source,
            new RegExp(`^https://github\\.com/${declared.action}/blob/${declared.commit}/action\\.yml$`),
          );
          problems.push(...inputProblems(step, declared).map((p) => `${file} ${id}: ${p}`));
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.deepEqual([...used].sort(), ["actions/checkout@v7", "actions/setup-node@v7", "pulumi/actions@v7"]);
    // Every fixture is used (an old version's copy goes when the workflow moves on).
    assert.deepEqual(
      fs
        .readdirSync(ACTIONS)
        .map((f) => f.replace(/\.json$/, "").replace("__", "/"))
        .sort(),
      [...used].sort(),
    );
  });

  it("the check names an input the action does not declare, with the nearest, and a missing required one", function () {
    const declared = declaredInputs("pulumi/actions@v7");
    assert.deepEqual(
      inputProblems({ uses: "pulumi/actions@v7", with: { "stack-name": "a/b/c", refersh: true } }, declared).map(
        (p) => p.split(";")[0],
      ),
      ['pulumi/actions@v7: unknown input "refersh" (did you mean "refresh"?)'],
    );
    const required = { ...declared, inputs: { ...declared.inputs, command: { required: true } } };
    assert.deepEqual(inputProblems({ uses: "pulumi/actions@v7", with: {} }, required), [
      'pulumi/actions@v7: required input "command" is missing',
    ]);
  });

  it("pulumi/actions: every command names an org-qualified stack of this project (or upserts it), and nothing refreshes", function () {
    const project = (parse(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8")) as { name: string }).name;
    const steps = Object.values(rooms.jobs).flatMap(pulumiSteps);
    assert.equal(steps.length, 3);
    for (const step of steps) {
      const name = step.with?.["stack-name"];
      const stack = (typeof name === "string" ? name : "").replace(
        /\$\{\{ env\.(\w+) \}\}/,
        (_, k: string) => rooms.env?.[k] ?? "",
      );
      // pulumi/actions' README: "the fully quaified org-name/stack-name when operating on a stack outside of your individual account".
      // The organization may come from a repository variable (`${{ vars.PULUMI_ORG }}`).
      const qualified = new RegExp(`^(\\$\\{\\{ [\\w.]+ \\}\\}|[\\w.-]+)/${project}/[\\w.-]+$`).test(stack);
      assert.ok(
        qualified || step.with?.upsert === true,
        `stack-name "${stack}" is org/project/stack, or the step upserts`,
      );
      assert.notEqual(step.with?.refresh, true, "no refresh: see the trade-off in the workflow's comment");
    }
  });

  it("jobs: tests on every pull request with no secret, preview without vendor secrets (fork PRs skipped), up after the tests on main, a nightly roll", function () {
    assert.deepEqual(Object.keys(rooms.jobs).sort(), ["preview", "roll", "test", "up"]);
    assert.deepEqual(Object.keys(rooms.on).sort(), ["pull_request", "push", "schedule"]);
    assert.deepEqual(rooms.on.schedule, [{ cron: "17 0 * * *" }], "nightly, shortly after the UTC day starts");
    const { test, preview, up, roll } = rooms.jobs as Record<"test" | "preview" | "up" | "roll", Job>;
    assert.equal(test.if, "github.event_name != 'schedule'", "on pull requests (forks included) and pushes");
    assert.deepEqual(
      test.steps.filter((s) => s.run).map((s) => s.run),
      ["npm ci", "npm test"],
    );
    assert.doesNotMatch(jobText(test), /secrets\.|TENCENT_|ZEGO_/, "the test job needs no credential at all");
    assert.equal(
      preview.if,
      "github.event_name == 'pull_request' && github.event.pull_request.head.repo.full_name == github.repository",
      "fork PRs get no secrets: the preview job skips them",
    );
    assert.equal(pulumiSteps(preview)[0]?.with?.command, "preview");
    assert.doesNotMatch(jobText(preview), /TENCENT_|ZEGO_|secretKey|serverSecret/, "no vendor secret in preview");
    assert.equal(up.if, "github.event_name == 'push' && github.ref == 'refs/heads/main'");
    assert.equal(up.needs, "test");
    assert.equal(roll.if, "github.event_name == 'schedule'");
    for (const job of [up, roll]) {
      assert.equal(pulumiSteps(job)[0]?.with?.command, "up");
      assert.equal(job.environment, "production");
      assert.deepEqual(pulumiSteps(job)[0]?.env, {
        PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}",
        TENCENT_SECRET_KEY: "${{ secrets.TENCENT_SECRET_KEY }}",
        ZEGO_SERVER_SECRET: "${{ secrets.ZEGO_SERVER_SECRET }}",
      });
    }
    for (const job of Object.values(rooms.jobs))
      assert.equal(
        job.steps.find((s) => s.uses?.startsWith("actions/checkout@"))?.with?.["persist-credentials"],
        false,
      );
  });

  it("the no-refresh trade-off is stated the same way in the workflow, the example's README and docs/meeting-series.md", function () {
    const workflow = words(fs.readFileSync(path.join(WORKFLOWS, "rooms.yml"), "utf8"));
    const statement =
      /No refresh: neither the merge nor the nightly `up` refreshes\..*?accepting that re-creation\./.exec(
        workflow,
      )?.[0];
    assert.ok(statement, "the workflow states the trade-off");
    assert.match(statement, /recycled while it is still in the window/);
    assert.match(statement, /drift\) is not repaired/);
    for (const doc of [path.join(EXAMPLE, "README.md"), path.join(REPO, "docs", "meeting-series.md")])
      assert.ok(
        words(fs.readFileSync(doc, "utf8")).includes(statement),
        `${path.relative(REPO, doc)} states it the same way`,
      );
  });

  it("the stack file template names each setting and keeps secrets out; the test stack needs no vendor setting", function () {
    const template = fs.readFileSync(path.join(EXAMPLE, "Pulumi.prod.yaml.example"), "utf8");
    const config = (parse(template) as { config: Record<string, unknown> }).config;
    assert.deepEqual(Object.keys(config).sort(), [
      "tencent:region",
      "tencent:sdkAppId",
      "zego:appId",
      "zego:fromUserId",
    ]);
    for (const key of SECRET_CONFIG_KEYS) assert.ok(!(key in config), `${key} is not in the template in plain text`);
    assert.match(template, /copy it to Pulumi\.prod\.yaml/);
    assert.match(template, /secure: v1:/, "it shows how a secret value looks when kept in the stack");
    assert.ok(!fs.existsSync(path.join(EXAMPLE, "Pulumi.prod.yaml")), "the real stack file is the user's");
    const test = (
      parse(fs.readFileSync(path.join(EXAMPLE, "Pulumi.test.yaml"), "utf8")) as { config: Record<string, unknown> }
    ).config;
    assert.deepEqual(Object.keys(test), ["pulumi-rooms:asOf"]);
  });

  it(".gitignore: node_modules, bin and .pulumi-rooms ignored; vendor/*.tgz kept even under a *.tgz ignore (this repository's, or an outer one)", function () {
    /** Whether git ignores `file` in the repository at `cwd` (check-ignore: 0 ignored, 1 not). */
    const ignored = (cwd: string, file: string): boolean => {
      const run = spawnSync("git", ["-c", "core.excludesFile=", "check-ignore", "--no-index", "-q", file], { cwd });
      assert.ok(run.status === 0 || run.status === 1, `git check-ignore ${file}: ${String(run.stderr)}`);
      return run.status === 0;
    };
    // In this repository, whose .gitignore has *.tgz.
    assert.equal(ignored(REPO, "pulumi-rooms-0.1.0.tgz"), true, "the repository ignores tarballs");
    assert.equal(
      ignored(REPO, "examples/gitops/vendor/pulumi-rooms-0.1.0.tgz"),
      false,
      "the example keeps its vendored one",
    );
    // The example's .gitignore alone, under an outer *.tgz ignore.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rooms-gitignore-"));
    try {
      spawnSync("git", ["init", "-q"], { cwd: tmp });
      fs.writeFileSync(path.join(tmp, ".gitignore"), "*.tgz\n");
      fs.mkdirSync(path.join(tmp, "rooms"));
      fs.copyFileSync(path.join(EXAMPLE, ".gitignore"), path.join(tmp, "rooms", ".gitignore"));
      assert.equal(ignored(tmp, "rooms/vendor/pulumi-rooms-0.1.0.tgz"), false);
      for (const file of ["node_modules/x/index.js", "bin/index.js", ".pulumi-rooms/local/checkpoint.json"])
        assert.equal(ignored(tmp, `rooms/${file}`), true, file);
      for (const file of [
        "package-lock.json",
        "Pulumi.prod.yaml",
        "Pulumi.test.yaml",
        "test/rooms.test.ts",
        "index.ts",
      ])
        assert.equal(ignored(tmp, `rooms/${file}`), false, file);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
