/**
 * Values as they travel between the program, the engine and the provider host (as
 * `@pulumi/pulumi/runtime/rpc.js` encodes them): the unknown placeholder, secret and
 * resource-reference signatures, and the transforms the engine applies before a value reaches the host
 * (which answers Configure with acceptSecrets/acceptResources = false).
 */
import { deepEqual } from "../provider/core/json";

export { deepEqual };

/** A JSON object: inputs, outputs, config. */
export type Props = Record<string, unknown>;

/** The engine's placeholder for a value not known until apply (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key every special value carries, and the signatures of the ones the engine handles. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
/** Kept as aliases of the test harness's historical names. */
export const SECRET_SIG_KEY = SIG_KEY;

/** A value as the engine marshals a secret. */
export function secret(value: unknown): Props {
  return { [SIG_KEY]: SECRET_SIG, value };
}

export function isSecret(value: unknown): value is { value: unknown } {
  return isObject(value) && value[SIG_KEY] === SECRET_SIG;
}

function isResourceRef(value: unknown): value is { urn: string; id?: string } {
  return isObject(value) && value[SIG_KEY] === RESOURCE_SIG;
}

export function isObject(value: unknown): value is Props {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** True when the value holds a secret anywhere. */
export function containsSecret(value: unknown): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (isObject(value)) return Object.values(value).some(containsSecret);
  return false;
}

/** True when the value holds the unknown placeholder anywhere. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/**
 * What the host may see: secrets unwrapped and resource references replaced by the id of a custom resource
 * (or the URN of a component), as the engine does for a provider that accepts neither.
 */
function downgrade(value: unknown): unknown {
  if (isSecret(value)) return downgrade(value.value);
  if (isResourceRef(value)) return typeof value.id === "string" && value.id !== "" ? value.id : value.urn;
  if (Array.isArray(value)) return value.map(downgrade);
  if (isObject(value)) {
    const out: Props = {};
    for (const [k, v] of Object.entries(value)) out[k] = downgrade(v);
    return out;
  }
  return value;
}

/** An object's values as the host sees them (`downgrade`, secrets unwrapped). */
export function plainOf(props: Props): Props {
  const out = downgrade(props);
  return isObject(out) ? out : {};
}

/** `downgrade` of an object, plus the top-level keys whose value held a secret (the engine re-marks those). */
export function downgradeProps(props: Props): { plain: Props; secretKeys: string[] } {
  const plain: Props = {};
  const secretKeys: string[] = [];
  for (const [k, v] of Object.entries(props)) {
    if (containsSecret(v)) secretKeys.push(k);
    plain[k] = downgrade(v);
  }
  return { plain, secretKeys };
}

/** Wraps the named top-level keys as secrets (what the program gets back for secret inputs). */
export function markSecrets(props: Props, keys: readonly string[]): Props {
  if (keys.length === 0) return props;
  const out: Props = { ...props };
  for (const k of keys) if (k in out && !isSecret(out[k])) out[k] = secret(out[k]);
  return out;
}

/** Top-level keys whose values differ between two records. */
export function changedKeys(a: Props, b: Props): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !deepEqual(a[k], b[k])).sort();
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` -> name. */
export function nameOf(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** The resource's own type (the last segment of the qualified type). */
export function typeOf(urn: string): string {
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

/** The URN rule of `sdk/go/common/resource/urn/urn.go`: parents other than the stack qualify the type. */
export function makeUrn(stack: string, project: string, type: string, name: string, parentUrn?: string): string {
  let qualified = type;
  if (parentUrn) {
    const parentType = parentUrn.split("::")[2] ?? "";
    if (parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/**
 * `fields` without the unset ones (undefined, null, false, "", an empty list or object): what a resource's
 * state entry and the checkpoint leave out, as the Pulumi CLI's export does.
 */
export function setFieldsOf<T extends Props>(fields: T): Partial<T> {
  const isSet = (v: unknown) =>
    v !== undefined &&
    v !== null &&
    v !== false &&
    v !== "" &&
    (!Array.isArray(v) || v.length > 0) &&
    (Array.isArray(v) || !isObject(v) || Object.keys(v).length > 0);
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => isSet(v))) as Partial<T>;
}
