/**
 * The errors of the programmatic API (`pulumi-rooms/local`): an operation that failed or was cancelled,
 * carrying the engine's report of what failed and the whole result, and a stack used after `close()`.
 * RoomsErrors, so `instanceof` holds across loaded copies of the package and messages hold no secret
 * (the report never prints one).
 */
import { RoomsError } from "../provider/core/errors";
import type { OperationResultOf } from "./local-results";
import type { Operation } from "./report";

/**
 * An operation whose program, a step or the engine failed: `up` and `refresh` still recorded what completed
 * (see `result`). The message is the engine's report of what failed: each failed resource with the
 * provider's reason, the program's errors, and the closing error line.
 */
export class OperationFailedError<O extends Operation = Operation> extends RoomsError<
  "OPERATION_FAILED" | "OPERATION_CANCELLED"
> {
  static override readonly errorName: string = "OperationFailedError";

  constructor(
    /** The operation that failed: `preview`, `up`, `refresh` or `destroy`. */
    readonly operation: O,
    /** The result as it would have been returned: counts of what completed, every step, the whole report. */
    readonly result: OperationResultOf<O>,
    /** The report's lines about the failure (the message, line by line). */
    readonly report: readonly string[],
    code: "OPERATION_FAILED" | "OPERATION_CANCELLED" = "OPERATION_FAILED",
  ) {
    super(code, report.join("\n"));
  }
}

/** An operation cancelled through its `signal`: no new steps were started, the ones in flight finished and were recorded. */
export class OperationCancelledError<O extends Operation = Operation> extends OperationFailedError<O> {
  static override readonly errorName: string = "OperationCancelledError";

  constructor(
    operation: O,
    result: OperationResultOf<O>,
    report: readonly string[],
    /** Why: the signal's reason when it is an Error or a string, else "aborted". */
    readonly reason: string,
  ) {
    super(operation, result, report, "OPERATION_CANCELLED");
  }
}

/** A stack used after `close()` (its emulator is stopped). */
export class StackClosedError extends RoomsError<"STACK_CLOSED"> {
  static override readonly errorName: string = "StackClosedError";

  constructor(stack: string) {
    super("STACK_CLOSED", `stack "${stack}" was closed: select it again with LocalWorkspace.createOrSelectStack`);
  }
}
