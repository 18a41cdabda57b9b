/**
 * JSON value helpers shared by the providers and the local engine.
 */

/** Structural equality for JSON values; object key order does not matter, `undefined` members count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/**
 * A deep copy that protobuf's `Struct.fromJavaScript` accepts: `undefined` members are dropped, `Date`
 * becomes an ISO string; `bigint`, functions and symbols are rejected (they would crash the host).
 */
export function jsonSafe<T>(value: T): T {
  return clean(value, "") as T;
}

function clean(value: unknown, at: string): unknown {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`output ${at || "value"} is not a finite number`);
    return value;
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.filter((v) => v !== undefined).map((v, i) => clean(v, `${at}[${i}]`));
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clean(v, at ? `${at}.${k}` : k);
    return out;
  }
  throw new TypeError(`output ${at || "value"} has type ${typeof value}, which is not JSON`);
}

/** One line of a JSON-lines file as an object; undefined for a blank, torn or non-object line. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.trim()) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
