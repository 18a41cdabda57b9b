/**
 * The error a promise rejects with, checked to be of the expected class, so a test can assert on its fields.
 */
import { strict as assert } from "node:assert";

export async function rejection<E extends Error = Error>(
  promise: Promise<unknown>,
  kind?: abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof (kind ?? Error), `rejected with ${String(err)}, not a ${(kind ?? Error).name}`);
    return err as E;
  }
  return assert.fail("expected a rejection");
}
