/**
 * `pulumi-rooms-local new [DIR]`: writes a project that works at once, as `pulumi new` does for its
 * templates: Pulumi.yaml, package.json (merged into one already there, see engine/scaffold-package.ts),
 * tsconfig.json, .gitignore, the stack file Pulumi.local.yaml, a program with one room of each vendor and a
 * test of it. The files are templates under engine/templates/new-project/ (copied to dist by the build):
 * whole files read as they will be written, rather than strings escaped inside a module.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describeFlags, parseArgs, UsageError, type FlagSpec } from "./args";
import { planPackageJson } from "./scaffold-package";

const FLAGS: FlagSpec[] = [
  { name: "name", value: "NAME", help: "the project name (Pulumi.yaml); default: package.json's, else the folder's" },
  { name: "force", help: "write into a folder that holds other files, replacing the ones the project has" },
  { name: "help", help: "this text" },
];

const TEMPLATES = path.join(__dirname, "templates", "new-project");
/** A template's file name without `.tmpl`; the ignore file is stored without its dot (npm pack drops `.gitignore`). */
const target = (template: string): string =>
  template.replace(/\.tmpl$/, "").replace(/(^|\/)gitignore$/, "$1.gitignore");
/** What may already be in the folder: what `npm install <tarball>` leaves, a git checkout, a vendored tarball. */
const EXPECTED = new Set([
  "package.json",
  "package-lock.json",
  "node_modules",
  ".git",
  ".gitignore",
  ".npmrc",
  "vendor",
]);

/** Runs `new`: writes the project and prints the next commands; a folder in use is refused, naming its files. */
export function newCommand(argv: readonly string[]): number {
  const { positionals, flags } = parseArgs(argv, FLAGS);
  if (flags.has("help")) {
    process.stderr.write(`usage: pulumi-rooms-local new [DIR] [flags]\n${describeFlags(FLAGS)}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`new takes one folder, not ${positionals.length}`);
  const dir = path.resolve(positionals[0] ?? process.cwd());
  const name = projectName(dir, flags.get("name") as string | undefined);
  const force = flags.has("force");
  const files = templates().map((t) => ({ template: t, file: target(t) }));
  const pkg = planPackageJson(dir, name);
  const present = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const unexpected = present.filter((f) => !EXPECTED.has(f) && !f.endsWith(".tgz"));
  const conflicts = [...unexpected.map((f) => (files.some((x) => x.file.split("/")[0] === f) ? `${f} (replaced)` : f))];
  conflicts.push(...pkg.conflicts);
  if (conflicts.length > 0 && !force)
    throw new UsageError(
      `${dir} is not empty: ${conflicts.join(", ")}; choose an empty folder (pulumi-rooms-local new DIR), or --force to write the project there anyway`,
    );
  fs.mkdirSync(dir, { recursive: true });
  for (const { template, file } of files) {
    const text = fs.readFileSync(path.join(TEMPLATES, template), "utf8").replaceAll("{{name}}", name);
    const full = path.join(dir, file);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file === ".gitignore" ? mergeLines(full, text) : text);
  }
  fs.writeFileSync(path.join(dir, "package.json"), `${JSON.stringify(pkg.json, null, 2)}\n`);
  const rel = path.relative(process.cwd(), dir);
  process.stderr.write(
    [
      `Wrote the pulumi-rooms project "${name}" in ${dir}: ${[...files.map((f) => f.file), "package.json"].sort().join(", ")}`,
      ...(pkg.note ? [`note: ${pkg.note}`] : []),
      "",
      "Next:",
      ...(rel ? [`  cd ${rel}`] : []),
      "  npm install      # TypeScript, ts-node and the Node types the program and its test use",
      "  npm test         # type-checks, then deploys the rooms to a throwaway emulator, checks them, destroys them",
      "  npm run up       # the stack local, in pulumi-rooms-local's embedded emulator (npm run preview first)",
      "",
    ].join("\n"),
  );
  return 0;
}

/** The template files, relative to the templates folder, with `/` separators. */
function templates(dir = TEMPLATES, prefix = ""): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? templates(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
    )
    .sort();
}

/** `--name`, else package.json's name (without its scope), else the folder's name, as a project name. */
function projectName(dir: string, given: string | undefined): string {
  if (given !== undefined) {
    if (!/^[A-Za-z0-9._-]+$/.test(given))
      throw new UsageError(`--name "${given}" is not a project name (letters, digits, '.', '_', '-')`);
    return given;
  }
  let fromPackage: unknown;
  try {
    fromPackage = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown }).name;
  } catch {
    fromPackage = undefined;
  }
  const raw = typeof fromPackage === "string" ? fromPackage.replace(/^@[^/]+\//, "") : path.basename(dir);
  const name = raw.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^[-.]+|-+$/g, "");
  return name || "rooms";
}

/** An existing ignore file keeps its lines; the template's missing ones are added after them. */
function mergeLines(file: string, text: string): string {
  if (!fs.existsSync(file)) return text;
  const old = fs.readFileSync(file, "utf8");
  const have = new Set(old.split(/\r?\n/).map((l) => l.trim()));
  const missing = text.split("\n").filter((l) => l.trim() !== "" && !have.has(l.trim()));
  if (missing.length === 0) return old;
  return `${old}${old.endsWith("\n") || old === "" ? "" : "\n"}${missing.join("\n")}\n`;
}
