/**
 * A tolerant reader for the few keys of a `Pulumi.yaml` project file the tests check (`name`, `runtime`
 * as a scalar or as a map with `name`, `main`, `description`), so no YAML dependency is needed. Block
 * scalars, anchors and flow collections beyond `{}`/`[]` are not supported (the project files don't use them).
 */
export interface PulumiProject {
  name?: string;
  /** `runtime: nodejs` or `runtime: { name: nodejs, ... }`. */
  runtime?: string;
  /** Runtime options (`runtime.options.*`), as strings. */
  runtimeOptions: Record<string, string>;
  main?: string;
  description?: string;
}

export function parsePulumiYaml(text: string): PulumiProject {
  const project: PulumiProject = { runtimeOptions: {} };
  let section: string | undefined;
  let sub: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, "");
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const indent = line.length - line.trimStart().length;
    const m = /^([A-Za-z0-9_:-]+):\s*(.*)$/.exec(line.trim());
    if (!m) continue;
    const key = m[1] as string;
    const value = scalar(m[2] ?? "");
    if (indent === 0) {
      section = key;
      sub = undefined;
      if (value === undefined) continue;
      if (key === "name") project.name = value;
      else if (key === "runtime") project.runtime = value;
      else if (key === "main") project.main = value;
      else if (key === "description") project.description = value;
    } else if (section === "runtime") {
      if (value === undefined) sub = key;
      else if (sub === "options" && indent > 2) project.runtimeOptions[key] = value;
      else if (key === "name") project.runtime = value;
    }
  }
  return project;
}

/** A plain or quoted scalar; undefined when the value is a nested block. */
function scalar(text: string): string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}
