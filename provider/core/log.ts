/**
 * Debug logging of the provider: off unless PULUMI_ROOMS_DEBUG is set, and redacted like every message.
 */
import type { RoomApiError } from "./errors";
import { redact } from "./redact";

/** Debug lines go to stderr (the host forwards them as diagnostics) only when PULUMI_ROOMS_DEBUG is set. */
export function debugLog(message: () => string): void {
  if (process.env.PULUMI_ROOMS_DEBUG) process.stderr.write(`[pulumi-rooms] ${redact(message())}\n`);
}

/** The `onRetry` of a call: one debug line per failed attempt that will be retried. */
export function logRetry(
  vendor: string,
  operation: string,
): (error: RoomApiError, attempt: number, delayMs: number) => void {
  return (error, attempt, delayMs) =>
    debugLog(() => `${vendor} ${operation}: attempt ${attempt} failed (${error.code}), retrying in ${delayMs} ms`);
}
