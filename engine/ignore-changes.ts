/**
 * `ignoreChanges`: before Check the engine puts the old input back at each ignored property path, or
 * removes the new one when the old inputs had none (pulumi@v3.248.0 pkg/resource/deploy/step_generator.go
 * processIgnoreChanges). Paths are Pulumi property paths: `a`, `a.b`, `a["b.c"]`, `a[0]`, `*` at the top.
 */
import { isObject, type Props } from "./wire";

type Segment = string | number;

/** Parses a property path; throws naming the path when it is malformed. */
export function parsePropertyPath(path: string): Segment[] {
  const out: Segment[] = [];
  const re = /\s*(?:\.?([A-Za-z_$*][\w$-]*)|\[\s*(\d+)\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/y;
  let at = 0;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m || (at === 0 && path.startsWith(".")))
      throw new Error(`ignoreChanges: "${path}" is not a property path (use a, a.b, a["b"] or a[0])`);
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else out.push(JSON.parse(`"${m[3] ?? ""}"`) as string);
    at = re.lastIndex;
  }
  if (out.length === 0) throw new Error(`ignoreChanges: empty property path`);
  return out;
}

/** The new inputs with each ignored path taken from the old inputs. */
export function applyIgnoreChanges(news: Props, olds: Props, paths: readonly string[]): Props {
  let result: Props = structuredClone(news);
  for (const path of paths) {
    const segs = parsePropertyPath(path);
    if (segs.length === 1 && segs[0] === "*") {
      result = structuredClone(olds);
      continue;
    }
    const old = get(olds, segs);
    if (old.found) set(result, segs, structuredClone(old.value));
    else remove(result, segs);
  }
  return result;
}

function get(root: unknown, segs: Segment[]): { found: boolean; value?: unknown } {
  let cur: unknown = root;
  for (const s of segs) {
    if (Array.isArray(cur) && typeof s === "number" && s < cur.length) cur = cur[s];
    else if (isObject(cur) && typeof s === "string" && s in cur) cur = cur[s];
    else return { found: false };
  }
  return { found: true, value: cur };
}

function set(root: Props, segs: Segment[], value: unknown): void {
  let cur: unknown = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const s = segs[i] as Segment;
    const nextIsIndex = typeof segs[i + 1] === "number";
    const container = cur as Record<string | number, unknown>;
    if (container[s] === null || typeof container[s] !== "object") container[s] = nextIsIndex ? [] : {};
    cur = container[s];
  }
  (cur as Record<string | number, unknown>)[segs[segs.length - 1] as Segment] = value;
}

function remove(root: Props, segs: Segment[]): void {
  const parent = get(root, segs.slice(0, -1));
  const last = segs[segs.length - 1] as Segment;
  if (!parent.found) return;
  if (Array.isArray(parent.value) && typeof last === "number") parent.value.splice(last, 1);
  else if (isObject(parent.value) && typeof last === "string") delete parent.value[last];
}
