/**
 * Stack-scoped naming: what makes a room ID that two stacks (or two projects) on one vendor app never share.
 */
import { createHash } from "node:crypto";

/**
 * A short, stable hex digest of (project, stack, name): the same for every run of one stack, different
 * across stacks and projects. Visible in preview because it needs nothing from the engine but the names.
 *
 * @param project - the Pulumi project (`pulumi.getProject()`)
 * @param stack - the Pulumi stack (`pulumi.getStack()`)
 * @param name - the resource (or component) name
 * @param length - hex characters, 4..64 (default 8: 32 bits, far from a collision for the rooms of one app)
 */
export function scopeHash(project: string, stack: string, name: string, length = 8): string {
  if (!Number.isInteger(length) || length < 4 || length > 64) {
    throw new RangeError(`scopeHash length must be an integer from 4 to 64, got ${length}`);
  }
  // NUL separators: ("a-b", "c") and ("a", "b-c") must not hash alike.
  return createHash("sha256").update(`${project}\u0000${stack}\u0000${name}`).digest("hex").slice(0, length);
}
