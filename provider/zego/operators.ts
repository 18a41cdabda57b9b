/**
 * Process-wide registration of ZIM operators (`FromUserId`). Calls that name an operator need it to be a
 * registered user ("FromUserId is not registered", codes.ts): the first such answer registers it, once per
 * process and app, shared by concurrent callers, and the call runs once more.
 */
import { RoomApiError } from "../core/errors";
import { debugLog } from "../core/log";
import { OPERATOR_NOT_REGISTERED } from "./codes";

// Process-wide: operators registered (or being registered) per app, so a stack of rooms registers once.
const registrations = new Map<string, Promise<void>>();
// Process-wide: operators a call has succeeded with, and the first call of each operator not known yet.
// Until an operator is known, its first call goes alone and the others wait for it: on a fresh app every
// call already queued in the rate limiter would otherwise be sent only to hear "not registered".
const knownOperators = new Set<string>();
const probes = new Map<string, Promise<void>>();

/** Longest wait for an operator's first call (it may be retrying) before the other calls go anyway. */
export const OPERATOR_PROBE_WAIT_MS = 5_000;

/**
 * Runs a call that names `userId` as its operator (`key` names the operator within its endpoint and app).
 * When the API answers that the operator is not registered, runs `register` (once per process and key,
 * shared by concurrent callers) and retries once. The first call of an operator this process has not
 * seen succeed runs alone; concurrent ones wait for it (at most {@link OPERATOR_PROBE_WAIT_MS}), so an
 * unregistered operator costs one refused call.
 */
export async function asOperator<T>(
  key: string,
  userId: string,
  run: () => Promise<T>,
  register: () => Promise<void>,
): Promise<T> {
  if (knownOperators.has(key)) return registered(key, userId, run, register);
  const probe = probes.get(key);
  if (probe) {
    await waitAtMost(probe, OPERATOR_PROBE_WAIT_MS);
    return registered(key, userId, run, register);
  }
  let settle = () => {};
  probes.set(key, new Promise<void>((resolve) => (settle = resolve)));
  try {
    const result = await registered(key, userId, run, register);
    knownOperators.add(key);
    return result;
  } finally {
    probes.delete(key);
    settle();
  }
}

/** `run`, registering the operator and running it once more when the API says it is not registered. */
async function registered<T>(
  key: string,
  userId: string,
  run: () => Promise<T>,
  register: () => Promise<void>,
): Promise<T> {
  const before = registrations.get(key);
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof RoomApiError && err.kind === "vendor" && OPERATOR_NOT_REGISTERED.has(Number(err.code))))
      throw err;
    let pending = registrations.get(key);
    // A registration made before this call started did not help (the user was removed since): redo it.
    if (pending === undefined || pending === before) {
      debugLog(() => `zego: operator ${JSON.stringify(userId)} is not registered (${err.code}); registering it`);
      const attempt = register();
      pending = attempt;
      registrations.set(key, attempt);
      attempt.catch(() => {
        if (registrations.get(key) === attempt) registrations.delete(key);
      });
    }
    await pending;
    return run();
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
